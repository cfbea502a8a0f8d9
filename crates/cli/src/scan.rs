//! `forewarn scan`: messages in, one verdict per message out.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use forewarn_detect::rules::Rules;
use forewarn_detect::{Combined, Detect, Finding, Scoring, Verdict, VerdictKind};
use forewarn_intel::{Catalog, Matcher};
use forewarn_mail::mbox;
use rayon::prelude::*;
use serde::Serialize;

use crate::{inputs, intel};

/// An mbox file may be large; single messages are capped by the mail parser's own limit.
const MAX_FILE: u64 = 4 * 1024 * 1024 * 1024;
/// Files read and analysed together before their results are printed in order.
const BATCH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Jsonl,
}

#[derive(clap::Args)]
pub struct Args {
    /// Threat-intel file or directory (STIX 2, MISP, CSV, plain lists); repeat for more.
    #[arg(long = "intel", value_name = "PATH")]
    intel: Vec<PathBuf>,
    /// Output format: text for people, jsonl for scripts (one JSON object per message).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show every finding and its contribution to the score.
    #[arg(long)]
    explain: bool,
    /// The organization's own domain, protected against lookalikes above all; repeat for more.
    #[arg(long = "protect", value_name = "DOMAIN")]
    protect: Vec<String>,
    /// Score from which a message is suspicious (1-100); by default the threshold calibrated
    /// with the weights.
    #[arg(long, value_name = "SCORE")]
    suspicious_at: Option<u32>,
    /// Score from which a message is malicious (1-100); by default the threshold calibrated
    /// with the weights.
    #[arg(long, value_name = "SCORE")]
    malicious_at: Option<u32>,
    /// Verify SPF, DKIM and DMARC for real against this DNS server (IP or IP:PORT) instead of
    /// trusting the messages' Authentication-Results. Without it, no network call is made.
    #[arg(long, value_name = "ADDR")]
    resolver: Option<String>,
    /// Directory of local rules (watch-pack.txt, lures.txt, *.yar) added to the shipped ones,
    /// and weights.txt (written by `forewarn rules fit`) used instead of the shipped weights.
    #[arg(long = "rules", value_name = "DIR", default_value = "rules/local")]
    rules: PathBuf,
    /// Message files, directories (read recursively) or mbox files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// The result for one message.
#[derive(Serialize)]
struct Record {
    source: String,
    message_id: Option<String>,
    verdict: Option<VerdictKind>,
    score: Option<u8>,
    findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    combined: Vec<Combined>,
    error: Option<String>,
}

impl Record {
    fn failed(source: String, error: String) -> Record {
        Record {
            source,
            message_id: None,
            verdict: None,
            score: None,
            findings: Vec::new(),
            combined: Vec::new(),
            error: Some(error),
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let matcher = if args.intel.is_empty() {
        eprintln!("forewarn: no --intel given, so no message is matched against known indicators");
        intel::compile(Catalog::new())
    } else {
        let (catalog, reports) = intel::load(&args.intel)?;
        let rejected: usize = reports.iter().map(|r| r.rejected_count).sum();
        let loaded: usize = reports.iter().map(|r| r.indicator_count()).sum();
        if loaded == 0 {
            bail!("no indicators could be loaded from {} intel files ({rejected} objects rejected; see `forewarn intel check`)", reports.len());
        }
        let matcher = intel::compile(catalog);
        tracing::info!(
            files = reports.len(),
            indicators = loaded,
            rejected,
            expired = matcher.expired(),
            "intel loaded"
        );
        matcher
    };
    let verifier = match &args.resolver {
        Some(address) => {
            let address: std::net::SocketAddr = address
                .parse()
                .or_else(|_| {
                    address
                        .parse::<std::net::IpAddr>()
                        .map(|ip| std::net::SocketAddr::new(ip, 53))
                })
                .with_context(|| {
                    format!("--resolver {address:?} is not an IP address or IP:PORT")
                })?;
            Some(forewarn_verify::Verifier::new(address)?)
        }
        None => None,
    };
    let files = collect(&args.paths)?;
    let rules = load_rules(&args.rules)?;
    let mut scoring = load_scoring(&args.rules)?;
    let suspicious_at = args.suspicious_at.unwrap_or(scoring.suspicious_at);
    let malicious_at = args
        .malicious_at
        .unwrap_or(scoring.malicious_at.max(suspicious_at));
    if !(1..=100).contains(&suspicious_at) || !(suspicious_at..=100).contains(&malicious_at) {
        bail!(
            "scores must satisfy 1 <= --suspicious-at <= --malicious-at <= 100 (got {suspicious_at} and {malicious_at})"
        );
    }
    scoring.suspicious_at = suspicious_at;
    scoring.malicious_at = malicious_at;
    let mut detect = Detect::with_rules(&matcher, &rules, &args.protect, scoring);
    detect.add(Box::new(load_yara(&args.rules)?));
    let progress = (io::stderr().is_terminal() && files.len() > 50).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files {elapsed} (eta {eta})",
            )
            .expect("template is valid"),
        );
        bar
    });
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    for batch in files.chunks(BATCH) {
        let results: Vec<Vec<Record>> = batch
            .par_iter()
            .map(|file| scan_file(file, &detect, verifier.as_ref()))
            .collect();
        for record in results.into_iter().flatten() {
            summary.add(&record);
            match args.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &record)?;
                    writeln!(out)?;
                }
                Format::Text => print_record(&mut out, &record, args.explain)?,
            }
        }
        if let Some(bar) = &progress {
            bar.inc(batch.len() as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if args.format == Format::Text {
        summary.print(&mut out, &matcher)?;
    }
    out.flush()?;
    Ok(if summary.flagged() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The shipped rules plus the local ones in `dir` (if it exists). Lines that cannot be read
/// are reported and skipped.
pub(crate) fn load_rules(dir: &Path) -> Result<Rules> {
    let mut rules = Rules::shipped();
    if dir.is_dir() {
        for (file, add) in [
            (
                "watch-pack.txt",
                Rules::add_watch_pack as fn(&mut Rules, &str, &str),
            ),
            ("lures.txt", Rules::add_lures),
        ] {
            let path = dir.join(file);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                add(&mut rules, &path.display().to_string(), &text);
            }
        }
    }
    for error in &rules.errors {
        eprintln!("forewarn: rule skipped: {error}");
    }
    Ok(rules)
}

/// The weights in `dir/weights.txt` (an operator's own fit) if there is one, else the shipped
/// weights, with the thresholds calibrated with them.
pub(crate) fn load_scoring(dir: &Path) -> Result<Scoring> {
    let path = dir.join("weights.txt");
    if !path.is_file() {
        return Ok(Scoring::default());
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let weights = forewarn_detect::model::Weights::parse(&text)
        .with_context(|| format!("reading {}", path.display()))?;
    tracing::info!(file = %path.display(), version = %weights.version, "local weights");
    Ok(Scoring::with_weights(weights))
}

/// The shipped YARA rules plus every `*.yar` / `*.yara` file in `dir`. A local file that does
/// not compile is reported and left out.
pub(crate) fn load_yara(dir: &Path) -> Result<forewarn_yara::Yara> {
    let mut local = Vec::new();
    if dir.is_dir() {
        for path in inputs::walk(&[dir.to_path_buf()])? {
            if path.extension().is_some_and(|e| e == "yar" || e == "yara") {
                let source = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                local.push((path.display().to_string(), source));
            }
        }
    }
    let sources: Vec<(&str, &str)> = local
        .iter()
        .map(|(name, source)| (name.as_str(), source.as_str()))
        .collect();
    let yara = forewarn_yara::Yara::new(&sources)?;
    for error in &yara.errors {
        eprintln!("forewarn: YARA rules skipped: {error}");
    }
    Ok(yara)
}

/// Files given by name are always read; files met in a directory walk only when they look
/// like mail (READMEs, licences and data files are left out and counted).
pub(crate) fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut skipped = 0;
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            for file in inputs::walk(std::slice::from_ref(path))? {
                if inputs::looks_like_mail(&file) {
                    files.push(file);
                } else {
                    skipped += 1;
                    tracing::info!(file = %file.display(), "not mail, skipped");
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    if skipped > 0 {
        eprintln!("forewarn: {skipped} files in the given directories do not start like mail and were not scanned (FOREWARN_LOG=info lists them)");
    }
    Ok(files)
}

fn scan_file(
    path: &Path,
    detect: &Detect<'_>,
    verifier: Option<&forewarn_verify::Verifier>,
) -> Vec<Record> {
    let label = path.display().to_string();
    let bytes = match inputs::read_capped(path, MAX_FILE) {
        Ok(bytes) => bytes,
        Err(error) => return vec![Record::failed(label, format!("{error:#}"))],
    };
    if mbox::is_mbox(&bytes) {
        mbox::split_mbox(&bytes)
            .par_iter()
            .enumerate()
            .map(|(n, raw)| scan_message(format!("{label}#{}", n + 1), raw, detect, verifier))
            .collect()
    } else {
        vec![scan_message(label, &bytes, detect, verifier)]
    }
}

fn scan_message(
    source: String,
    raw: &[u8],
    detect: &Detect<'_>,
    verifier: Option<&forewarn_verify::Verifier>,
) -> Record {
    match forewarn_mail::parse(raw) {
        Ok(mut message) => {
            if let Some(verifier) = verifier {
                verifier.apply(raw, &mut message);
            }
            let Verdict {
                verdict,
                score,
                findings,
                combined,
            } = detect.verdict(&message);
            tracing::debug!(source = %source, verdict = verdict.as_str(), score, findings = findings.len(), "scanned");
            Record {
                source,
                message_id: message.headers.message_id,
                verdict: Some(verdict),
                score: Some(score),
                findings,
                combined,
                error: None,
            }
        }
        Err(error) => Record::failed(source, error.to_string()),
    }
}

fn print_record(out: &mut impl Write, record: &Record, explain: bool) -> io::Result<()> {
    match (&record.verdict, &record.error) {
        (_, Some(error)) => writeln!(
            out,
            "{:<11} {:>3}  {}  {}",
            "UNREADABLE", "-", record.source, error
        ),
        (Some(verdict), None) => {
            let label = match verdict {
                VerdictKind::Clean => "clean".to_owned(),
                other => other.as_str().to_uppercase(),
            };
            let score = record.score.unwrap_or(0);
            match record.findings.first() {
                Some(top) if !explain => {
                    let more = record.findings.len() - 1;
                    let more = if more > 0 {
                        format!(" (+{more} more)")
                    } else {
                        String::new()
                    };
                    writeln!(
                        out,
                        "{label:<11} {score:>3}  {}  {}{more}",
                        record.source, top.summary
                    )
                }
                _ => {
                    writeln!(out, "{label:<11} {score:>3}  {}", record.source)?;
                    if explain {
                        for f in &record.findings {
                            writeln!(
                                out,
                                "    {:>+4}  {:<8} {:<32} {}  [{}]",
                                f.score,
                                f.severity.as_str(),
                                f.cue,
                                f.summary,
                                f.attack.join(", ")
                            )?;
                            for c in record.combined.iter().filter(|c| c.cue == f.cue) {
                                writeln!(out, "          (of which {:+}: {})", c.points, c.reason)?;
                            }
                        }
                    }
                    Ok(())
                }
            }
        }
        (None, None) => Ok(()),
    }
}

#[derive(Default)]
struct Summary {
    by_verdict: BTreeMap<VerdictKind, usize>,
    unreadable: usize,
    attribution: BTreeMap<String, usize>,
}

impl Summary {
    fn add(&mut self, record: &Record) {
        match record.verdict {
            Some(v) => *self.by_verdict.entry(v).or_default() += 1,
            None => self.unreadable += 1,
        }
        let mut names: Vec<&str> = record
            .findings
            .iter()
            .flat_map(|f| f.attribution.iter().map(|a| a.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            *self.attribution.entry(name.to_owned()).or_default() += 1;
        }
    }

    fn flagged(&self) -> bool {
        self.by_verdict.keys().any(|v| *v != VerdictKind::Clean)
    }

    fn print(&self, out: &mut impl Write, matcher: &Matcher) -> io::Result<()> {
        let count = |v| self.by_verdict.get(&v).copied().unwrap_or(0);
        let total: usize = self.by_verdict.values().sum::<usize>() + self.unreadable;
        writeln!(out)?;
        writeln!(out, "{:<12}{:>8}", "messages", total)?;
        writeln!(
            out,
            "{:<12}{:>8}",
            "malicious",
            count(VerdictKind::Malicious)
        )?;
        writeln!(
            out,
            "{:<12}{:>8}",
            "suspicious",
            count(VerdictKind::Suspicious)
        )?;
        writeln!(out, "{:<12}{:>8}", "clean", count(VerdictKind::Clean))?;
        writeln!(out, "{:<12}{:>8}", "unreadable", self.unreadable)?;
        writeln!(
            out,
            "{:<12}{:>8}  ({} expired, not matched)",
            "indicators",
            matcher.len(),
            matcher.expired()
        )?;
        if !self.attribution.is_empty() {
            let mut top: Vec<_> = self.attribution.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            writeln!(out, "linked to:")?;
            for (name, n) in top.into_iter().take(10) {
                writeln!(out, "  {n:>6}  {name}")?;
            }
        }
        Ok(())
    }
}

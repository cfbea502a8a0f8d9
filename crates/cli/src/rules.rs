//! `forewarn rules fit` and `forewarn rules validate`: the cue weights, fitted on labelled mail
//! and measured on mail the fit did not see.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use forewarn_detect::fit::{self, Observation, Options, Scored};
use forewarn_detect::model::{self, Weights};
use forewarn_detect::{Detect, Scoring};
use forewarn_intel::Catalog;
use forewarn_mail::mbox;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{inputs, intel, scan, TextOrJson};

/// Corpus files are single messages or small mbox files.
const MAX_FILE: u64 = 64 * 1024 * 1024;

#[derive(clap::Args)]
pub struct DataArgs {
    /// The labelled inputs: `label | directory | batch` lines, label `phishing` or `ham`.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "rules/default/fit-inputs.txt"
    )]
    inputs: PathBuf,
    /// The directory the inputs' directories are in.
    #[arg(long, value_name = "DIR", env = "FOREWARN_CORPORA")]
    corpora: PathBuf,
    /// Directory of local rules, as for `forewarn scan`.
    #[arg(long = "rules", value_name = "DIR", default_value = "rules/local")]
    rules: PathBuf,
    /// Remove this header from every message before reading it, to see what the model leans
    /// on; repeat for more.
    #[arg(long = "strip-header", value_name = "NAME")]
    strip: Vec<String>,
    /// Seed for the folds.
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    /// Strength of the L2 penalty on the weights.
    #[arg(long, default_value_t = Options::default().l2)]
    l2: f64,
    /// Weight of a legitimate message relative to a phishing one, after balancing.
    #[arg(long, default_value_t = Options::default().ham_weight)]
    ham_weight: f64,
    /// The share of legitimate mail the suspicious threshold may flag, among scores the fit
    /// did not see (0.001 is 0.1 %).
    #[arg(long, value_name = "SHARE", value_parser = share, default_value_t = Options::default().ham_flagged_at_most)]
    ham_flagged_at_most: f64,
}

#[derive(clap::Args)]
pub struct FitArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the weights.
    #[arg(long, value_name = "FILE", default_value = "rules/default/weights.txt")]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    data: DataArgs,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Also list, with their features, the phishing messages cross-validation missed and the
    /// legitimate ones it flagged.
    #[arg(long)]
    list_errors: bool,
    /// Leave out the features whose key starts with this (`links.shortener`, `auth.`), to
    /// measure what a cue adds; repeat for more. Combinations stay as the findings make them.
    #[arg(long, value_name = "CUE")]
    without: Vec<String>,
    /// Write every message's features, label, group and cross-validated score to this file, one
    /// JSON object a line, to study them with other tools.
    #[arg(long, value_name = "FILE")]
    observations: Option<PathBuf>,
}

struct Input {
    phishing: bool,
    dir: String,
    batch: String,
}

fn read_inputs(path: &Path) -> Result<Vec<Input>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut inputs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let [label, dir, batch] = fields[..] else {
            bail!(
                "{}:{}: expected `label | directory | batch`",
                path.display(),
                n + 1
            );
        };
        let phishing = match label {
            "phishing" => true,
            "ham" => false,
            _ => bail!(
                "{}:{}: the label must be `phishing` or `ham`, not {label:?}",
                path.display(),
                n + 1
            ),
        };
        if dir.is_empty() || dir.split('/').any(|part| part == "..") {
            bail!(
                "{}:{}: {dir:?} must name a directory inside the corpora directory",
                path.display(),
                n + 1
            );
        }
        inputs.push(Input {
            phishing,
            dir: dir.to_owned(),
            batch: batch.to_owned(),
        });
    }
    if !inputs.iter().any(|i| i.phishing) || inputs.iter().all(|i| i.phishing) {
        bail!(
            "{} must name at least one phishing and one ham directory",
            path.display()
        );
    }
    Ok(inputs)
}

/// A file's bytes, its messages as observations, and how many of them could not be read.
type Read = (Vec<u8>, (Vec<Observation>, usize));

/// The observations, the batch of each source, and the notes the weights file records.
struct Data {
    observations: Vec<Observation>,
    batches: BTreeMap<String, String>,
    notes: Vec<(String, String)>,
    digest: String,
}

fn load(args: &DataArgs) -> Result<Data> {
    let inputs = read_inputs(&args.inputs)?;
    let rules = scan::load_rules(&args.rules)?;
    let matcher = intel::compile(Catalog::new());
    let mut detect = Detect::with_rules(&matcher, &rules, &[], Scoring::default());
    detect.add(Box::new(scan::load_yara(&args.rules)?));
    let mut data = Data {
        observations: Vec::new(),
        batches: BTreeMap::new(),
        notes: Vec::new(),
        digest: String::new(),
    };
    let mut all = Sha256::new();
    for input in &inputs {
        let dir = args.corpora.join(&input.dir);
        let mut files = scan::collect(std::slice::from_ref(&dir))?;
        files.sort();
        let read: Vec<Result<Read>> = files
            .par_iter()
            .map(|file| {
                let bytes = inputs::read_capped(file, MAX_FILE)?;
                let name = file
                    .strip_prefix(&dir)
                    .unwrap_or(file)
                    .display()
                    .to_string();
                let observations = observe(&bytes, &detect, &args.strip, input, &name);
                Ok((bytes, observations))
            })
            .collect();
        let mut digest = Sha256::new();
        let (mut messages, mut unreadable) = (0, 0);
        for (file, result) in files.iter().zip(read) {
            let (bytes, (observations, failed)) =
                result.with_context(|| format!("reading {}", file.display()))?;
            unreadable += failed;
            let name = file
                .strip_prefix(&dir)
                .unwrap_or(file)
                .display()
                .to_string();
            digest.update(name.as_bytes());
            digest.update([0]);
            digest.update(&bytes);
            messages += observations.len();
            data.observations.extend(observations);
        }
        let digest = hex(&digest.finalize()[..8]);
        if unreadable > 0 {
            eprintln!("forewarn: {unreadable} messages in {} could not be read and were left out of the fit", input.dir);
        }
        all.update(digest.as_bytes());
        data.batches.insert(input.dir.clone(), input.batch.clone());
        data.notes.push((
            "input".to_owned(),
            format!(
                "{} {} batch={} messages={messages}{} sha256={digest}",
                if input.phishing { "phishing" } else { "ham" },
                input.dir,
                input.batch,
                if unreadable > 0 {
                    format!(" unreadable={unreadable}")
                } else {
                    String::new()
                }
            ),
        ));
    }
    for name in &args.strip {
        all.update(name.as_bytes());
        data.notes.push(("stripped".to_owned(), name.clone()));
    }
    data.digest = hex(&all.finalize()[..6]);
    Ok(data)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The messages of one file (an mbox file holds several), as the model sees them, and how many
/// could not be read: those are left out (there is nothing to learn from them) and counted.
fn observe(
    bytes: &[u8],
    detect: &Detect<'_>,
    strip: &[String],
    input: &Input,
    name: &str,
) -> (Vec<Observation>, usize) {
    let messages = if mbox::is_mbox(bytes) {
        mbox::split_mbox(bytes)
    } else {
        vec![bytes]
    };
    let several = messages.len() > 1;
    let total = messages.len();
    let observations: Vec<Observation> = messages
        .into_iter()
        .enumerate()
        .filter_map(|(n, raw)| {
            let raw = strip_headers(raw, strip);
            let message = forewarn_mail::parse(&raw).ok()?;
            let mut findings = detect.findings(&message);
            let features = model::features(&mut findings);
            let group = message
                .headers
                .from
                .as_ref()
                .and_then(|f| f.domain())
                .map(|d| {
                    let d = d.to_ascii_lowercase();
                    psl::domain_str(&d).unwrap_or(&d).to_owned()
                })
                .unwrap_or_else(|| "(no sender)".to_owned());
            Some(Observation::new(
                &features,
                input.phishing,
                group,
                input.dir.clone(),
                if several {
                    format!("{name}#{}", n + 1)
                } else {
                    name.to_owned()
                },
            ))
        })
        .collect();
    let unreadable = total - observations.len();
    (observations, unreadable)
}

/// `raw` without the named header fields (and their continuation lines) in its top header.
fn strip_headers<'a>(raw: &'a [u8], names: &[String]) -> std::borrow::Cow<'a, [u8]> {
    if names.is_empty() {
        return raw.into();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    let mut dropping = false;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |n| n + 1);
        let (line, tail) = rest.split_at(end);
        if line == b"\n" || line == b"\r\n" {
            out.extend_from_slice(rest);
            break;
        }
        let continuation = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !continuation {
            let name = line.split(|b| *b == b':').next().unwrap_or_default();
            dropping = line.contains(&b':')
                && names
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name.trim_ascii()));
        }
        if !dropping {
            out.extend_from_slice(line);
        }
        rest = tail;
    }
    out.into()
}

pub fn fit_command(args: FitArgs) -> Result<ExitCode> {
    let data = load(&args.data)?;
    let weights = fitted(&data, &args.data);
    std::fs::write(&args.out, weights.render())
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "forewarn: {} messages, {} features fitted; suspicious at {}, malicious at {} points; wrote {}",
        data.observations.len(),
        weights.features.len(),
        weights.suspicious_at,
        weights.malicious_at,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A share strictly between 0 and 1.
fn share(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(format!(
            "{text} is not a share: give a number between 0 and 1 (0.001 is 0.1 %)"
        ))
    }
}

fn options(args: &DataArgs) -> Options {
    Options {
        seed: args.seed,
        l2: args.l2,
        ham_weight: args.ham_weight,
        ham_flagged_at_most: args.ham_flagged_at_most,
        ..Options::default()
    }
}

fn fitted(data: &Data, args: &DataArgs) -> Weights {
    let options = options(args);
    let all: Vec<&Observation> = data.observations.iter().collect();
    let mut weights = fit::fit(&all, &options);
    weights.version = format!("fit-{}", data.digest);
    weights.notes = data.notes.clone();
    weights
        .notes
        .push(("options".to_owned(), options.describe()));
    weights
}

#[derive(Serialize)]
struct Row {
    source: String,
    phishing: bool,
    messages: usize,
    flagged: usize,
    /// Mean and standard deviation of the per-fold shares (cross-validation only).
    #[serde(skip_serializing_if = "Option::is_none")]
    fold_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fold_sd: Option<f64>,
}

#[derive(Serialize)]
struct DetectorRow {
    detector: String,
    /// Share of phishing and of ham in which the detector found something.
    phishing_found: f64,
    ham_found: f64,
    /// Cross-validated shares flagged with the detector's features removed.
    phishing_flagged_without: f64,
    ham_flagged_without: f64,
}

#[derive(Serialize)]
struct Report {
    options: String,
    cross_validated: Vec<Row>,
    leave_one_source_out: Vec<Row>,
    leave_one_batch_out: Vec<Row>,
    detectors: Vec<DetectorRow>,
    /// The weights a fit on all inputs writes (to compare with the shipped file).
    fit: String,
}

fn rows(observations: &[&Observation], scored: &[Scored], with_spread: bool) -> Vec<Row> {
    fit::rates(observations, scored)
        .into_iter()
        .map(|(source, rate)| Row {
            phishing: observations
                .iter()
                .find(|o| o.source == source)
                .is_some_and(|o| o.phishing),
            source,
            messages: rate.messages,
            flagged: rate.flagged,
            fold_mean: with_spread.then_some(rate.fold_mean),
            fold_sd: with_spread.then_some(rate.fold_sd),
        })
        .collect()
}

/// Shares of phishing and ham flagged.
fn shares(observations: &[&Observation], scored: &[Scored]) -> (f64, f64) {
    let share = |phishing: bool| {
        let (n, f) = observations
            .iter()
            .zip(scored)
            .filter(|(o, _)| o.phishing == phishing)
            .fold((0, 0), |(n, f), (_, s)| (n + 1, f + usize::from(s.flagged)));
        f as f64 / n.max(1) as f64
    };
    (share(true), share(false))
}

pub fn validate_command(args: ValidateArgs) -> Result<ExitCode> {
    let mut data = load(&args.data)?;
    for o in &mut data.observations {
        o.features
            .retain(|(key, _)| !args.without.iter().any(|w| key.starts_with(w.as_str())));
    }
    let options = options(&args.data);
    let all: Vec<&Observation> = data.observations.iter().collect();
    let cross = fit::cross_validate(&all, &options);
    let cross_validated = rows(&all, &cross, true);
    if let Some(path) = &args.observations {
        write_observations(path, &all, &cross)?;
    }
    if args.list_errors {
        let mut err = std::io::stderr().lock();
        for (o, s) in all.iter().zip(&cross) {
            if o.phishing != s.flagged {
                let what = if o.phishing { "missed" } else { "false alarm" };
                let features: Vec<String> = o.features.iter().map(|(k, _)| k.clone()).collect();
                writeln!(
                    err,
                    "{what}\t{}/{}\t{}\t{}",
                    o.source,
                    o.id,
                    s.score,
                    features.join(" ")
                )?;
            }
        }
    }
    let sources: Vec<&String> = data.batches.keys().collect();
    let mut leave_one_source_out = Vec::new();
    for source in &sources {
        let (held, train): (Vec<&Observation>, Vec<&Observation>) =
            all.iter().partition(|o| &&o.source == source);
        let scored = fit::held_out(&train, &held, &options);
        leave_one_source_out.extend(rows(&held, &scored, false));
    }
    let batches: std::collections::BTreeSet<&String> = data.batches.values().collect();
    let mut leave_one_batch_out = Vec::new();
    for batch in batches.iter().filter(|_| batches.len() > 1) {
        let (held, train): (Vec<&Observation>, Vec<&Observation>) = all
            .iter()
            .partition(|o| data.batches.get(&o.source) == Some(*batch));
        let scored = fit::held_out(&train, &held, &options);
        leave_one_batch_out.extend(rows(&held, &scored, false));
    }
    let mut detectors: Vec<String> = all
        .iter()
        .flat_map(|o| {
            o.features
                .iter()
                .map(|(k, _)| fit::detector_of(k).to_owned())
        })
        .collect();
    detectors.sort();
    detectors.dedup();
    let detectors: Vec<DetectorRow> = detectors
        .par_iter()
        .map(|detector| {
            let without: Vec<Observation> = all
                .iter()
                .map(|o| Observation {
                    features: o
                        .features
                        .iter()
                        .filter(|(k, _)| fit::detector_of(k) != detector)
                        .cloned()
                        .collect(),
                    ..(*o).clone()
                })
                .collect();
            let without: Vec<&Observation> = without.iter().collect();
            let found = |phishing: bool| {
                let of: Vec<&&Observation> =
                    all.iter().filter(|o| o.phishing == phishing).collect();
                of.iter()
                    .filter(|o| {
                        o.features
                            .iter()
                            .any(|(k, _)| fit::detector_of(k) == detector)
                    })
                    .count() as f64
                    / of.len().max(1) as f64
            };
            let (phishing_flagged_without, ham_flagged_without) =
                shares(&without, &fit::cross_validate(&without, &options));
            DetectorRow {
                detector: detector.clone(),
                phishing_found: found(true),
                ham_found: found(false),
                phishing_flagged_without,
                ham_flagged_without,
            }
        })
        .collect();
    let report = Report {
        options: if args.without.is_empty() {
            options.describe()
        } else {
            format!("{} without={}", options.describe(), args.without.join(","))
        },
        cross_validated,
        leave_one_source_out,
        leave_one_batch_out,
        detectors,
        fit: fitted(&data, &args.data).render(),
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        TextOrJson::Text => print_report(&mut out, &report, shares(&all, &cross))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_observations(path: &Path, all: &[&Observation], scored: &[Scored]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for (o, s) in all.iter().zip(scored) {
        let line = serde_json::json!({
            "source": o.source,
            "id": o.id,
            "group": o.group,
            "phishing": o.phishing,
            "features": o.features.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            "cross_validated_score": s.score,
            "flagged": s.flagged,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("writing {}", path.display()))
}

fn pct(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of.max(1) as f64
}

fn print_report(out: &mut impl Write, report: &Report, (phishing, ham): (f64, f64)) -> Result<()> {
    writeln!(
        out,
        "Grouped {}-fold cross-validation ({})",
        Options::default().folds,
        report.options
    )?;
    writeln!(out)?;
    writeln!(out, "| corpus | messages | flagged | per fold: mean ± sd |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for row in &report.cross_validated {
        writeln!(
            out,
            "| {} ({}) | {} | {} ({:.2} %) | {:.2} ± {:.2} % |",
            row.source,
            if row.phishing { "phishing" } else { "ham" },
            row.messages,
            row.flagged,
            pct(row.flagged, row.messages),
            100.0 * row.fold_mean.unwrap_or_default(),
            100.0 * row.fold_sd.unwrap_or_default()
        )?;
    }
    writeln!(
        out,
        "| all phishing / all ham | | {:.2} % / {:.2} % | |",
        100.0 * phishing,
        100.0 * ham
    )?;
    for (title, rows) in [
        (
            "Leave one source out: fitted without the corpus, scored on it",
            &report.leave_one_source_out,
        ),
        (
            "Leave one batch out: fitted without the batch, scored on it",
            &report.leave_one_batch_out,
        ),
    ] {
        writeln!(out)?;
        writeln!(out, "{title}")?;
        writeln!(out)?;
        writeln!(out, "| corpus | messages | flagged |")?;
        writeln!(out, "|---|---:|---:|")?;
        for row in rows {
            writeln!(
                out,
                "| {} ({}) | {} | {} ({:.2} %) |",
                row.source,
                if row.phishing { "phishing" } else { "ham" },
                row.messages,
                row.flagged,
                pct(row.flagged, row.messages)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Per detector: where it finds something, and the cross-validated figures without it (all: {:.2} % phishing, {:.2} % ham flagged)", 100.0 * phishing, 100.0 * ham)?;
    writeln!(out)?;
    writeln!(out, "| detector | found in phishing | found in ham | phishing flagged without it | ham flagged without it |")?;
    writeln!(out, "|---|---:|---:|---:|---:|")?;
    for row in &report.detectors {
        writeln!(
            out,
            "| {} | {:.1} % | {:.1} % | {:.2} % | {:.2} % |",
            row.detector,
            100.0 * row.phishing_found,
            100.0 * row.ham_found,
            100.0 * row.phishing_flagged_without,
            100.0 * row.ham_flagged_without
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn shares_lie_between_nothing_and_everything() {
        assert_eq!(share("0.002"), Ok(0.002));
        for bad in ["0", "1", "-0.1", "5", "NaN", "a tenth"] {
            assert!(share(bad).is_err(), "{bad} was taken");
        }
    }
}

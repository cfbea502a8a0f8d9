//! Loading intel files into a matcher, and `forewarn intel check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use forewarn_intel::{feeds, Catalog, EntityKind, ImportReport, IndicatorKind, Matcher};
use serde::Serialize;

use crate::inputs;
use crate::TextOrJson;

/// Intel files larger than this are refused (the largest public bundles are a few hundred MB).
const MAX_INTEL_FILE: u64 = 2 * 1024 * 1024 * 1024;

/// Imports every file under `paths` into one catalog.
pub fn load(paths: &[PathBuf]) -> Result<(Catalog, Vec<ImportReport>)> {
    let mut catalog = Catalog::new();
    let mut reports = Vec::new();
    let explicit: Vec<&PathBuf> = paths.iter().filter(|p| p.is_file()).collect();
    for file in inputs::walk(paths)? {
        let label = file.display().to_string();
        let bytes = match inputs::read_capped(&file, MAX_INTEL_FILE) {
            Ok(bytes) => bytes,
            Err(error) => {
                let mut report = ImportReport::new(&label, feeds::Format::Unknown);
                report.reject("file", format!("{error:#}"));
                reports.push(report);
                continue;
            }
        };
        let mut report = feeds::import_from_report(&mut catalog, &label, &bytes, &report_of(&file));
        tracing::debug!(feed = %label, indicators = report.indicator_count(), rejected = report.rejected_count, "imported");
        let referenced = report.referenced_files.clone();
        let dir = file.parent().unwrap_or(Path::new("."));
        let missing: Vec<String> = referenced
            .iter()
            .filter(|name| !dir.join(name).is_file())
            .cloned()
            .collect();
        for name in &missing {
            report.reject(
                name.as_str(),
                "listed in the manifest but not present in the feed directory",
            );
        }
        reports.push(report);
        // A manifest named on its own brings its events; in a directory walk they come anyway.
        if explicit.contains(&&file) {
            for name in referenced.iter().filter(|n| !missing.contains(n)) {
                let event = dir.join(name);
                let label = event.display().to_string();
                match inputs::read_capped(&event, MAX_INTEL_FILE) {
                    Ok(bytes) => reports.push(feeds::import(&mut catalog, &label, &bytes)),
                    Err(error) => {
                        let mut r = ImportReport::new(&label, feeds::Format::Unknown);
                        r.reject("file", format!("{error:#}"));
                        reports.push(r);
                    }
                }
            }
        }
    }
    Ok((catalog, reports))
}

/// The report a file belongs to: its folder's README title, else the folder's name.
fn report_of(file: &Path) -> String {
    let Some(dir) = file.parent() else {
        return String::new();
    };
    let readme = ["README.md", "README", "readme.md", "README.txt"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
        .and_then(|path| inputs::read_capped(&path, 64 * 1024).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    feeds::report_name(&folder, readme.as_deref())
}

/// Compiles a catalog for now.
pub fn compile(catalog: Catalog) -> Matcher {
    Matcher::new(catalog, chrono::Utc::now().timestamp())
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Intel files or directories (STIX 2, MISP JSON or CSV, plain or maltrail lists).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Serialize, Default)]
struct Totals {
    files: usize,
    objects: usize,
    indicators: BTreeMap<IndicatorKind, usize>,
    entities: BTreeMap<EntityKind, usize>,
    actors_known: usize,
    rejected: usize,
    matchable: usize,
    expired: usize,
}

pub fn check(args: CheckArgs) -> Result<ExitCode> {
    let (catalog, reports) = load(&args.paths)?;
    let mut totals = Totals {
        files: reports.len(),
        ..Totals::default()
    };
    for r in &reports {
        totals.objects += r.objects;
        totals.rejected += r.rejected_count;
        for (k, n) in &r.indicators {
            *totals.indicators.entry(*k).or_default() += n;
        }
    }
    for entity in catalog.entities() {
        *totals.entities.entry(entity.kind).or_default() += 1;
    }
    totals.actors_known = totals
        .entities
        .get(&EntityKind::Actor)
        .copied()
        .unwrap_or(0);
    let matcher = compile(catalog);
    totals.matchable = matcher.len();
    totals.expired = matcher.expired();
    match args.format {
        TextOrJson::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                files: &'a [ImportReport],
                totals: &'a Totals,
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&Out {
                    files: &reports,
                    totals: &totals
                })?
            );
        }
        TextOrJson::Text => print_text(&reports, &totals),
    }
    Ok(ExitCode::SUCCESS)
}

fn counts<K: Serialize>(map: &BTreeMap<K, usize>) -> String {
    if map.is_empty() {
        return "-".to_owned();
    }
    map.iter()
        .map(|(k, n)| {
            let key = serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{key} {n}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_text(reports: &[ImportReport], totals: &Totals) {
    for r in reports {
        let format = serde_json::to_value(r.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        println!("{}", r.source);
        println!(
            "  format {format}, {} objects read, {} indicators ({})",
            r.objects,
            r.indicator_count(),
            counts(&r.indicators)
        );
        if !r.entities.is_empty() {
            println!("  entities: {}", counts(&r.entities));
        }
        if !r.not_applicable.is_empty() {
            println!(
                "  not observable in mail, not imported: {}",
                counts(&r.not_applicable)
            );
        }
        for note in &r.notes {
            println!("  note: {note}");
        }
        if r.rejected_count > 0 {
            println!("  rejected {}:", r.rejected_count);
            for rejection in &r.rejected {
                println!("    {}: {}", rejection.object, rejection.reason);
            }
            if r.rejected_count > r.rejected.len() {
                println!("    … and {} more", r.rejected_count - r.rejected.len());
            }
        }
    }
    println!();
    println!(
        "{} files, {} objects, {} indicators ({}), {} matchable now, {} expired",
        totals.files,
        totals.objects,
        totals.indicators.values().sum::<usize>(),
        counts(&totals.indicators),
        totals.matchable,
        totals.expired
    );
    println!(
        "entities: {}; rejected objects: {}",
        counts(&totals.entities),
        totals.rejected
    );
}

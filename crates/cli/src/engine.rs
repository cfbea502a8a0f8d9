//! The analysis a service process runs on spooled mail: the configured intel, the shipped and
//! local rules, and YARA — the same detectors `forewarn scan` uses.

use std::sync::Arc;

use anyhow::{bail, Result};
use forewarn_ingest::Analyzer;
use forewarn_intel::{Catalog, ImportReport};

use crate::config::Config;
use crate::{intel, scan};

/// The analyzer, and how each intel file's import went (none when no intel is configured).
pub fn analyzer(config: &Config) -> Result<(Analyzer, Vec<ImportReport>)> {
    let mut imported = Vec::new();
    let matcher = if config.ingest.intel.is_empty() {
        tracing::info!(
            "no ingest.intel files configured: mail is matched only against the managed feeds' indicators"
        );
        intel::compile(Catalog::new())
    } else {
        let (catalog, reports) = intel::load(&config.ingest.intel)?;
        let loaded: usize = reports.iter().map(|r| r.indicator_count()).sum();
        if loaded == 0 {
            bail!(
                "no indicators could be loaded from the {} ingest.intel files (see `forewarn intel check`)",
                reports.len()
            );
        }
        let matcher = intel::compile(catalog);
        tracing::info!(files = reports.len(), indicators = loaded, "intel loaded");
        imported = reports;
        matcher
    };
    let rules = scan::load_rules(&config.ingest.rules)?;
    let yara = scan::load_yara(&config.ingest.rules)?;
    let scoring = scan::load_scoring(&config.ingest.rules)?;
    Ok((
        Analyzer::new(matcher, rules, vec![Arc::new(yara)], scoring),
        imported,
    ))
}

/// The configuration's intel files, read again for a rebuilt matcher; a file that cannot be
/// read now is reported and left out, so the feeds still count.
pub fn base_intel(paths: Vec<std::path::PathBuf>) -> impl Fn() -> (Catalog, Vec<ImportReport>) {
    move || {
        if paths.is_empty() {
            return (Catalog::new(), Vec::new());
        }
        intel::load(&paths).unwrap_or_else(|error| {
            tracing::warn!(%error, "the ingest.intel files could not be read again");
            (Catalog::new(), Vec::new())
        })
    }
}

/// Keeps `analyzer`'s matcher current with the managed feeds until `stopped`; `also` is told
/// of each new matcher (the analysts' intel view).
pub async fn follow_feeds(
    config: &Config,
    store: forewarn_store::Store,
    analyzer: Arc<Analyzer>,
    also: impl Fn(Arc<forewarn_intel::Matcher>, &[ImportReport]),
    stopped: impl std::future::Future<Output = ()>,
) {
    forewarn_ingest::intel::watch(
        store,
        base_intel(config.ingest.intel.clone()),
        move |matcher, reports| {
            analyzer.swap_matcher(matcher.clone());
            also(matcher, reports);
        },
        std::time::Duration::from_secs(config.feeds.reload_secs.max(1)),
        stopped,
    )
    .await
}

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
        tracing::warn!(
            "no ingest.intel configured, so no message is matched against known indicators"
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

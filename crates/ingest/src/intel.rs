//! The intel analysis matches against, kept current: what managed feeds hold is imported beside
//! the configuration's intel files, and when it changes ([`forewarn_store::Store::feeds_generation`])
//! a new matcher is built and swapped into the [`Analyzer`](crate::Analyzer) without a restart.
//! Messages analysed from then on are matched against it; a feed whose reads fail keeps what it
//! held, so its indicators keep matching. Indicators analysts revoked (an incident judged a
//! false positive) are left out of every rebuilt matcher.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use forewarn_intel::{Catalog, ImportReport, Matcher, Tlp};
use forewarn_store::{Feed, FeedKind, Store};

/// Imports what a feed holds into `catalog`, its indicators named by the feed and given its
/// default TLP (and, for lists and CSV, its confidence).
pub fn import_feed(catalog: &mut Catalog, feed: &Feed, bodies: &[String]) -> ImportReport {
    let first = catalog.indicators().len();
    let label = format!("feed:{}", feed.name);
    let report = match feed.kind {
        FeedKind::Taxii => {
            // The stored objects are JSON the runner wrote: joined into one bundle as text,
            // parsed once by the importer.
            let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, feed.id.0.as_bytes());
            let mut bundle = format!(r#"{{"type":"bundle","id":"bundle--{id}","objects":["#);
            for (i, body) in bodies.iter().enumerate() {
                if i > 0 {
                    bundle.push(',');
                }
                bundle.push_str(body);
            }
            bundle.push_str("]}");
            forewarn_intel::feeds::import(catalog, &label, bundle.as_bytes())
        }
        FeedKind::Url | FeedKind::MispFeed | FeedKind::File => {
            // One report for the feed, however many documents (a MISP feed's events) it holds.
            let mut report = ImportReport::new(&label, forewarn_intel::Format::Unknown);
            for body in bodies {
                let one = forewarn_intel::feeds::import(catalog, &label, body.as_bytes());
                report.format = one.format;
                report.objects += one.objects;
                for (kind, count) in one.indicators {
                    *report.indicators.entry(kind).or_default() += count;
                }
                for (kind, count) in one.entities {
                    *report.entities.entry(kind).or_default() += count;
                }
                report.rejected_count += one.rejected_count;
                report.rejected.extend(one.rejected);
                report.notes.extend(one.notes);
            }
            report
        }
    };
    let stated = matches!(
        report.format,
        forewarn_intel::Format::Stix2 | forewarn_intel::Format::MispEvent
    );
    let tlp = Tlp::parse(&feed.tlp).unwrap_or(Tlp::Amber);
    let confidence = (!stated).then(|| feed.confidence.clamp(0, 100) as u8);
    catalog.apply_defaults(first, tlp, confidence);
    report
}

/// Rebuilds the matcher from `base` (the configuration's intel files) and the feeds whenever
/// the feeds change, and hands it to `swap` with the imports that filled it (the analyzer
/// swaps it in; the analysts' intel view follows). Looks every `every` until `stopped`.
pub async fn watch(
    store: Store,
    base: impl Fn() -> (Catalog, Vec<ImportReport>),
    swap: impl Fn(Arc<Matcher>, &[ImportReport]),
    every: Duration,
    stopped: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stopped);
    let mut current: Option<String> = None;
    loop {
        match store.feeds_generation().await {
            // At the start without feeds, the analyzer already holds the files' intel.
            Ok(generation) if current.is_none() && generation.starts_with("0:") => {
                current = Some(generation);
            }
            Ok(generation) if current.as_ref() != Some(&generation) => {
                let read = async {
                    Ok((
                        store.feed_contents().await?,
                        store.indicator_revocations().await?,
                    ))
                };
                let read: forewarn_store::Result<_> = read.await;
                match read {
                    Ok((contents, revoked)) => {
                        let (mut catalog, mut reports) = base();
                        for (feed, bodies) in &contents {
                            reports.push(import_feed(&mut catalog, feed, bodies));
                        }
                        let revoked: std::collections::HashSet<(String, String)> =
                            revoked.into_iter().collect();
                        catalog.revoke(&revoked);
                        let indicators = catalog.indicators().len();
                        let matcher = Arc::new(Matcher::new(catalog, Utc::now().timestamp()));
                        swap(matcher, &reports);
                        if current.is_some() || !contents.is_empty() {
                            tracing::info!(feeds = contents.len(), indicators, "intel reloaded");
                        }
                        current = Some(generation);
                    }
                    Err(error) => tracing::warn!(%error, "the feeds could not be read back"),
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the feeds' state could not be read"),
        }
        tokio::select! {
            _ = &mut stopped => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

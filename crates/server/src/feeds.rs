//! Managed feeds read on their schedule, and the matcher rebuilt when what they hold changes.
//!
//! [`read_due_feeds`] claims the feeds that are due (a lease in the database, so several
//! `forewarn serve` processes sharing PostgreSQL read each feed once) and reads each: a TAXII
//! collection page by page from its stored position, each page stored with the position it
//! reached; a document at a URL whole, stored only when it holds indicators forewarn can read.
//! A read that fails records why and leaves what the feed held, so its indicators keep
//! matching; it is tried again after half an hour (or its schedule, if shorter).
//!
//! The analysis processes follow with [`forewarn_ingest::intel::watch`], which rebuilds their
//! matcher when what the feeds hold changes.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use forewarn_feeds::taxii::{self, Position, PullOptions};
use forewarn_feeds::{FetchError, Fetcher};
use forewarn_ingest::intel::import_feed;
use forewarn_intel::{Catalog, ImportReport};
use forewarn_store::{Feed, FeedKind, FeedOutcome, FeedRead, Store};
use url::Url;

use crate::service::feeds::FeedCredentials;
use crate::AppState;

/// Feeds read in one round, at most.
const BATCH: u32 = 50;
/// How long a claimed feed is left to its reader before another may take it up.
const LEASE: chrono::Duration = chrono::Duration::minutes(30);
/// How long a feed whose read failed waits before it is tried again (less when its schedule is
/// shorter).
const RETRY: chrono::Duration = chrono::Duration::minutes(30);
/// Events read from one MISP feed, at most.
const MAX_MISP_EVENTS: usize = 5_000;
/// What a document feed's server is asked for.
const ACCEPT: &str = "application/json, text/csv, text/plain;q=0.9, */*;q=0.5";

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Feeds read to the end.
    pub read: usize,
    /// Feeds whose read failed; they keep what they held.
    pub failed: usize,
}

/// Reads due feeds every minute, and at once when a feed is added or changed.
pub(crate) async fn run(state: AppState) {
    loop {
        let round = read_due_feeds(&state).await;
        if round != Round::default() {
            tracing::info!(?round, "feeds read");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = state.feeds_due.notified() => {}
        }
    }
}

/// Reads every feed that is due once.
pub async fn read_due_feeds(state: &AppState) -> Round {
    let now = Utc::now();
    let mut round = Round::default();
    let claimed = match state.store.claim_due_feeds(now, now + LEASE, BATCH).await {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::warn!(%error, "feeds could not be taken up for reading");
            return round;
        }
    };
    let fetcher = state.config.feeds.fetcher();
    for feed in claimed {
        let settings = &state.config.feeds;
        let files = (
            settings.files_dir.as_deref(),
            settings.max_answer_mb.max(1) << 20,
        );
        match read_feed(&state.store, &fetcher, files, &feed).await {
            Ok(()) => round.read += 1,
            Err(error) => {
                round.failed += 1;
                tracing::warn!(feed = %feed.id, %error, "a feed could not be read; it keeps its indicators");
                // Tried again after half an hour, or at its next scheduled time if sooner.
                let retry = RETRY.min(chrono::Duration::minutes(feed.every_minutes));
                let recorded = state
                    .store
                    .record_feed_failure(&feed.id, &error, Utc::now() + retry)
                    .await;
                if let Err(error) = recorded {
                    tracing::warn!(feed = %feed.id, %error, "a feed's failure could not be recorded");
                }
            }
        }
    }
    round
}

async fn read_feed(
    store: &Store,
    fetcher: &Fetcher,
    (files_dir, max_bytes): (Option<&std::path::Path>, usize),
    feed: &Feed,
) -> Result<(), String> {
    let credentials = store
        .feed_credentials(&feed.id)
        .await
        .map_err(|e| e.to_string())?
        .map(|stored| FeedCredentials::read(&stored))
        .transpose()?
        .unwrap_or_default();
    if feed.kind == FeedKind::File {
        return read_files(store, feed, files_dir, max_bytes).await;
    }
    let url = Url::parse(&feed.location).map_err(|e| format!("the location: {e}"))?;
    match feed.kind {
        FeedKind::Taxii => {
            let client = taxii::Client::new(fetcher.clone(), credentials);
            let position: Position = feed
                .position
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .unwrap_or_default();
            let mut pull = client
                .pull(&url, position, PullOptions::default())
                .map_err(|e| e.to_string())?;
            while let Some(page) = pull.next_page().await.map_err(|e| e.to_string())? {
                let objects: Vec<(String, String)> = page
                    .objects
                    .iter()
                    .filter_map(|object| {
                        let id = object.get("id")?.as_str()?.to_owned();
                        Some((id, object.to_string()))
                    })
                    .collect();
                let position = serde_json::to_string(&page.position).map_err(|e| e.to_string())?;
                store
                    .record_feed_read(
                        &feed.id,
                        FeedRead {
                            objects: &objects,
                            replace: false,
                            position: Some(&position),
                            finished: None,
                        },
                    )
                    .await
                    .map_err(|e| e.to_string())?;
            }
            let bodies = store
                .feed_bodies(&feed.id)
                .await
                .map_err(|e| e.to_string())?;
            let report = import_feed(&mut Catalog::new(), feed, &bodies);
            finish(store, feed, &report, &[], false).await
        }
        FeedKind::Url => {
            let fetched = fetcher
                .get(&url, ACCEPT, &credentials)
                .await
                .map_err(|e: FetchError| e.to_string())?;
            let text = String::from_utf8(fetched.body)
                .map_err(|_| "the document is not UTF-8 text".to_owned())?;
            let bodies = vec![text];
            let report = import_feed(&mut Catalog::new(), feed, &bodies);
            if report.indicator_count() == 0 && !bodies[0].trim().is_empty() {
                let first = report
                    .rejected
                    .first()
                    .map(|r| format!(": {}", r.reason))
                    .unwrap_or_default();
                return Err(format!(
                    "the document holds no indicator forewarn can read ({} entries refused{first})",
                    report.rejected_count
                ));
            }
            let objects = vec![(
                "document".to_owned(),
                bodies.into_iter().next().unwrap_or_default(),
            )];
            finish(store, feed, &report, &objects, true).await
        }
        FeedKind::MispFeed => read_misp_feed(store, fetcher, feed, url, &credentials).await,
        FeedKind::File => unreachable!("read above"),
    }
}

/// Files read from one directory feed, at most.
const MAX_FILES: usize = 1_000;

/// A file feed: the file, or every regular file of the directory (not below it), under the
/// configured directory; a path that leaves it (a symbolic link out) is refused.
async fn read_files(
    store: &Store,
    feed: &Feed,
    files_dir: Option<&std::path::Path>,
    max_bytes: usize,
) -> Result<(), String> {
    let root = files_dir.ok_or("file feeds are read from feeds.files_dir, which is not set")?;
    let root = tokio::fs::canonicalize(root)
        .await
        .map_err(|e| format!("feeds.files_dir: {e}"))?;
    let path = tokio::fs::canonicalize(root.join(&feed.location))
        .await
        .map_err(|e| format!("{}: {e}", feed.location))?;
    if !path.starts_with(&root) {
        return Err(format!("{} leads out of feeds.files_dir", feed.location));
    }
    let mut files = Vec::new();
    if tokio::fs::metadata(&path)
        .await
        .map_err(|e| e.to_string())?
        .is_dir()
    {
        let mut entries = tokio::fs::read_dir(&path)
            .await
            .map_err(|e| e.to_string())?;
        while let Some(entry) = entries.next_entry().await.map_err(|e| e.to_string())? {
            if entry.file_type().await.is_ok_and(|t| t.is_file()) {
                files.push(entry.path());
            }
        }
        files.sort();
    } else {
        files.push(path.clone());
    }
    let mut bodies = Vec::new();
    let mut refused = Vec::new();
    for file in files.iter().take(MAX_FILES) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let size = tokio::fs::metadata(file)
            .await
            .map(|m| m.len())
            .unwrap_or(0);
        if size > max_bytes as u64 {
            refused.push((name, format!("larger than {max_bytes} bytes")));
            continue;
        }
        match tokio::fs::read(file).await.map(String::from_utf8) {
            Ok(Ok(text)) => bodies.push((name, text)),
            Ok(Err(_)) => refused.push((name, "not UTF-8 text".to_owned())),
            Err(e) => refused.push((name, e.to_string())),
        }
    }
    if files.len() > MAX_FILES {
        refused.push((
            feed.location.clone(),
            format!(
                "{} files beyond the first {MAX_FILES} were not read",
                files.len() - MAX_FILES
            ),
        ));
    }
    let texts: Vec<String> = bodies.iter().map(|(_, body)| body.clone()).collect();
    let mut report = import_feed(&mut Catalog::new(), feed, &texts);
    if report.indicator_count() == 0 {
        return Err(format!(
            "{} holds no indicator forewarn can read ({} files, {} entries refused)",
            feed.location,
            files.len(),
            report.rejected_count + refused.len()
        ));
    }
    for (file, why) in refused {
        report.reject(file, why);
    }
    finish(store, feed, &report, &bodies, true).await
}

/// A MISP feed directory: `manifest.json`, then each event it lists (at most
/// [`MAX_MISP_EVENTS`]); the events read replace what the feed held, and the ones that could
/// not be read are listed among the rejections.
async fn read_misp_feed(
    store: &Store,
    fetcher: &Fetcher,
    feed: &Feed,
    url: Url,
    credentials: &forewarn_feeds::Credentials,
) -> Result<(), String> {
    let base = if url.path().ends_with('/') {
        url
    } else {
        let mut dir = url.clone();
        dir.set_path(&format!("{}/", url.path()));
        dir
    };
    let join = |name: &str| base.join(name).map_err(|e| format!("{name}: {e}"));
    let manifest = fetcher
        .get(&join("manifest.json")?, "application/json", credentials)
        .await
        .map_err(|e| format!("manifest.json: {e}"))?;
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.body)
        .map_err(|e| format!("manifest.json is not JSON: {e}"))?;
    let listed = forewarn_intel::feeds::misp::import_manifest("manifest.json", &manifest);
    if listed.referenced_files.is_empty() {
        return Err(format!(
            "manifest.json lists no event{}",
            listed
                .rejected
                .first()
                .map(|r| format!(" ({})", r.reason))
                .unwrap_or_default()
        ));
    }
    let mut objects = Vec::new();
    let mut missing = Vec::new();
    for file in listed.referenced_files.iter().take(MAX_MISP_EVENTS) {
        let event = fetcher
            .get(&join(file)?, "application/json", credentials)
            .await
            .map_err(|e| e.to_string())
            .and_then(|f| String::from_utf8(f.body).map_err(|_| "not UTF-8 text".to_owned()));
        match event {
            Ok(body) => objects.push((file.trim_end_matches(".json").to_owned(), body)),
            Err(error) => missing.push((file.clone(), error)),
        }
    }
    if objects.is_empty() {
        return Err(format!(
            "none of the {} events listed could be read ({})",
            listed.referenced_files.len(),
            missing
                .first()
                .map(|(file, error)| format!("{file}: {error}"))
                .unwrap_or_default()
        ));
    }
    if listed.referenced_files.len() > MAX_MISP_EVENTS {
        missing.push((
            "manifest.json".to_owned(),
            format!(
                "{} events beyond the first {MAX_MISP_EVENTS} were not read",
                listed.referenced_files.len() - MAX_MISP_EVENTS
            ),
        ));
    }
    let bodies: Vec<String> = objects.iter().map(|(_, body)| body.clone()).collect();
    let mut report = import_feed(&mut Catalog::new(), feed, &bodies);
    for (file, error) in missing {
        report.reject(file, error);
    }
    finish(store, feed, &report, &objects, true).await
}

/// Stores a read's last part with the feed's standing after it.
async fn finish(
    store: &Store,
    feed: &Feed,
    report: &ImportReport,
    objects: &[(String, String)],
    replace: bool,
) -> Result<(), String> {
    let indicators: BTreeMap<String, i64> = report
        .indicators
        .iter()
        .map(|(kind, count)| (kind.as_str().to_owned(), *count as i64))
        .collect();
    let rejected: Vec<String> = report
        .rejected
        .iter()
        .take(forewarn_store::MAX_REJECTED)
        .map(|r| format!("{}: {}", r.object, r.reason))
        .collect();
    store
        .record_feed_read(
            &feed.id,
            FeedRead {
                objects,
                replace,
                position: None,
                finished: Some(FeedOutcome {
                    indicators: &indicators,
                    rejected: &rejected,
                }),
            },
        )
        .await
        .map_err(|e| e.to_string())
}

//! Intel swapped under running analysis: with 1 M indicators, how long the swap itself takes,
//! how long the first message after it takes (the organization's detector set is rebuilt on
//! the new matcher), and how long building the new matcher takes, from a catalog and from a
//! TAXII feed's stored STIX objects (100,000 of them).
//!
//! Run: `cargo bench -p forewarn-ingest --bench swap`

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use chrono::Utc;
use divan::Bencher;
use forewarn_ingest::analyze::Analyzer;
use forewarn_intel::{Catalog, IndicatorKind, Matcher, NewIndicator};
use forewarn_store::{Feed, FeedId, FeedKind};

fn main() {
    divan::main();
}

const INDICATORS: usize = 1_000_000;
const FEED_OBJECTS: usize = 100_000;

const MAIL: &[u8] = b"From: Clinic IT <it@host7.cdn1f.example>\r\nTo: ann@clinic.example\r\n\
    Subject: Mailbox upgrade\r\nMessage-ID: <1@host7.cdn1f.example>\r\n\r\n\
    Please sign in at https://host7.cdn1f.example/login today.\r\n";

fn catalog(n: usize) -> Catalog {
    let mut catalog = Catalog::new();
    let source = catalog.add_source("synthetic");
    for i in 0..n {
        let h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        catalog.add_indicator(
            source,
            NewIndicator::exact(
                IndicatorKind::Domain,
                format!("host{}.cdn{h:x}.example", i % 1000),
                80,
                vec![],
            ),
        );
    }
    catalog
}

/// Two matchers of 1 M indicators each, built once, with the time the first took.
fn matchers() -> &'static (Arc<Matcher>, Arc<Matcher>) {
    static MATCHERS: OnceLock<(Arc<Matcher>, Arc<Matcher>)> = OnceLock::new();
    MATCHERS.get_or_init(|| {
        let started = Instant::now();
        let a = Arc::new(Matcher::new(catalog(INDICATORS), Utc::now().timestamp()));
        eprintln!(
            "catalog and matcher of {INDICATORS} indicators built in {:.2?}",
            started.elapsed()
        );
        let b = Arc::new(Matcher::new(catalog(INDICATORS), Utc::now().timestamp()));
        (a, b)
    })
}

/// The swap alone: the analyzer's lock, the pointer, and the detector sets let go.
#[divan::bench]
fn swap(bencher: Bencher) {
    let (a, b) = matchers();
    let analyzer = Analyzer::builtin();
    let domains = vec!["clinic.example".to_owned()];
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        analyzer.swap_matcher(if flip { a.clone() } else { b.clone() });
        // A worker had built the organization's detector set on the old matcher.
        divan::black_box(&analyzer);
    });
    drop(analyzer.analyze(&domains, MAIL));
}

/// A swap and the first message after it, whose detector set is built on the new matcher.
#[divan::bench]
fn swap_then_first_message(bencher: Bencher) {
    let (a, b) = matchers();
    let analyzer = Analyzer::builtin();
    let domains = vec!["clinic.example".to_owned()];
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        analyzer.swap_matcher(if flip { a.clone() } else { b.clone() });
        divan::black_box(analyzer.analyze(&domains, MAIL).unwrap());
    });
}

/// A message with the detector set already built, for comparison.
#[divan::bench]
fn message_without_swap(bencher: Bencher) {
    let (a, _) = matchers();
    let analyzer = Analyzer::builtin();
    analyzer.swap_matcher(a.clone());
    let domains = vec!["clinic.example".to_owned()];
    bencher.bench_local(|| divan::black_box(analyzer.analyze(&domains, MAIL).unwrap()));
}

/// What the watcher does when a TAXII feed of 100,000 indicators changed: import its stored
/// objects and build the matcher.
#[divan::bench(sample_count = 5)]
fn rebuild_from_feed_objects(bencher: Bencher) {
    let bodies: Vec<String> = (0..FEED_OBJECTS)
        .map(|i| {
            serde_json::json!({
                "type": "indicator", "spec_version": "2.1",
                "id": format!("indicator--00000000-0000-4000-8000-{i:012x}"),
                "created": "2026-12-01T00:00:00Z", "modified": "2026-12-01T00:00:00Z",
                "pattern": format!("[domain-name:value = 'host{i}.feed.example']"),
                "pattern_type": "stix", "valid_from": "2026-12-01T00:00:00Z",
            })
            .to_string()
        })
        .collect();
    let now = Utc::now();
    let feed = Feed {
        id: FeedId("bench".into()),
        name: "bench".into(),
        kind: FeedKind::Taxii,
        location: "https://taxii.example/api/collections/x/".into(),
        has_credentials: false,
        every_minutes: 60,
        tlp: "amber".into(),
        confidence: 50,
        paused: false,
        created_at: now,
        updated_at: now,
        due_at: now,
        last_attempt_at: None,
        last_success_at: None,
        last_error: None,
        objects_read: FEED_OBJECTS as i64,
        indicators: Default::default(),
        rejected: Vec::new(),
        position: None,
    };
    bencher.bench_local(|| {
        let mut catalog = Catalog::new();
        let report = forewarn_ingest::intel::import_feed(&mut catalog, &feed, &bodies);
        assert_eq!(report.indicator_count(), FEED_OBJECTS);
        divan::black_box(Matcher::new(catalog, now.timestamp()))
    });
}

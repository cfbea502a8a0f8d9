//! The matcher with 1 M and 10 M synthetic indicators: load time and resident memory (printed
//! when each size is built) and lookups per second.
//!
//! Run: `cargo bench -p forewarn-intel --bench matcher`

use std::sync::OnceLock;
use std::time::Instant;

use divan::counter::ItemsCount;
use divan::Bencher;
use forewarn_intel::{Catalog, IndicatorKind, Matcher, NewIndicator};

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [1_000_000, 10_000_000];
const PROBES: usize = 10_000;

/// The synthetic value of indicator `i`: 70 % domains, 10 % URLs, 10 % IPs, 10 % SHA-256.
fn value(i: usize) -> (IndicatorKind, String) {
    let h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    match i % 10 {
        0 => (
            IndicatorKind::Url,
            format!("login{h:x}.example/auth/{}", h % 9973),
        ),
        1 => (
            IndicatorKind::Ip,
            std::net::Ipv4Addr::from((h >> 32) as u32).to_string(),
        ),
        2 => (
            IndicatorKind::Sha256,
            format!(
                "{h:016x}{:016x}{:016x}{:016x}",
                h.rotate_left(7),
                h.rotate_left(19),
                h.rotate_left(41)
            ),
        ),
        _ => (
            IndicatorKind::Domain,
            format!("host{}.cdn{h:x}.example", i % 1000),
        ),
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn matcher(n: usize) -> &'static Matcher {
    static MATCHERS: [OnceLock<Matcher>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = SIZES
        .iter()
        .position(|&s| s == n)
        .expect("a benchmarked size");
    MATCHERS[slot].get_or_init(|| {
        let before = rss_kib();
        let started = Instant::now();
        let mut catalog = Catalog::new();
        let source = catalog.add_source("synthetic");
        for i in 0..n {
            let (kind, value) = value(i);
            catalog.add_indicator(source, NewIndicator::exact(kind, value, 80, Vec::new()));
        }
        let catalog_built = started.elapsed();
        let matcher = Matcher::new(catalog, 0);
        let total = started.elapsed();
        let rss = rss_kib().saturating_sub(before);
        eprintln!(
            "\nmatcher {n} indicators: catalog {:.2} s, compile {:.2} s, load total {:.2} s, resident memory +{} MiB ({} bytes per indicator)",
            catalog_built.as_secs_f64(),
            (total - catalog_built).as_secs_f64(),
            total.as_secs_f64(),
            rss / 1024,
            rss * 1024 / n as u64
        );
        matcher
    })
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn lookup_hit(bencher: Bencher, n: usize) {
    let m = matcher(n);
    let probes: Vec<(IndicatorKind, String)> =
        (0..PROBES).map(|i| value(i * (n / PROBES))).collect();
    bencher.counter(ItemsCount::new(PROBES)).bench(|| {
        probes
            .iter()
            .map(|(k, v)| m.lookup(*k, v).count())
            .sum::<usize>()
    });
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn lookup_miss(bencher: Bencher, n: usize) {
    let m = matcher(n);
    let probes: Vec<(IndicatorKind, String)> = (0..PROBES).map(|i| value(n + i)).collect();
    bencher.counter(ItemsCount::new(PROBES)).bench(|| {
        probes
            .iter()
            .map(|(k, v)| m.lookup(*k, v).count())
            .sum::<usize>()
    });
}

/// A whole message: every observable, parent domains, attachment hashes.
#[divan::bench(args = SIZES, sample_count = 20)]
fn match_message(bencher: Bencher, n: usize) {
    let m = matcher(n);
    let (_, planted) = value(3);
    let raw = format!(
        "Received: from relay.example ([192.0.2.1]) by mx.example.org; Mon, 1 Jan 2024 10:00:00 +0000\r\nFrom: a@sender.example\r\n\
         Reply-To: b@reply.example\r\nSubject: s\r\nContent-Type: text/html\r\n\r\n{}<a href=\"https://login.{planted}/x\">x</a>",
        (0..20).map(|i| format!("<a href=\"https://site{i}.example/p?q={i}\">l</a>")).collect::<String>()
    );
    let message = forewarn_mail::parse(raw.as_bytes()).unwrap();
    assert!(!m.match_message(&message).is_empty());
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| m.match_message(&message).len());
}

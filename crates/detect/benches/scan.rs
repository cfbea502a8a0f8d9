//! Parsing alone against parsing plus detection (with all of the real threat intel loaded),
//! over the real phishing corpus, on one thread. Needs FOREWARN_CORPORA.
//!
//! Run: `FOREWARN_CORPORA=../shared/corpora cargo bench -p forewarn-detect --bench scan`

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use forewarn_detect::{Detect, Scoring};
use forewarn_intel::{feeds, Catalog, Matcher};

fn main() {
    divan::main();
}

fn corpora() -> Option<PathBuf> {
    let path = std::env::var_os("FOREWARN_CORPORA").map(PathBuf::from);
    if path.is_none() {
        eprintln!("skipped: FOREWARN_CORPORA is not set");
    }
    path
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn mail(corpora: &Path) -> &'static [Vec<u8>] {
    static MAIL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    MAIL.get_or_init(|| {
        let mut paths = Vec::new();
        files(&corpora.join("phishing-pot"), &mut paths);
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

fn matcher(corpora: &Path) -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut paths = Vec::new();
        files(&corpora.join("threat-intel"), &mut paths);
        let mut catalog = Catalog::new();
        for path in paths {
            feeds::import(
                &mut catalog,
                &path.display().to_string(),
                &std::fs::read(&path).unwrap(),
            );
        }
        Matcher::new(catalog, 0)
    })
}

#[divan::bench]
fn parse_only(bencher: Bencher) {
    let Some(corpora) = corpora() else { return };
    let mail = mail(&corpora);
    bencher.counter(ItemsCount::new(mail.len())).bench(|| {
        mail.iter()
            .filter_map(|raw| forewarn_mail::parse(raw).ok())
            .count()
    });
}

#[divan::bench]
fn parse_and_detect(bencher: Bencher) {
    let Some(corpora) = corpora() else { return };
    let mail = mail(&corpora);
    let detect = Detect::new(matcher(&corpora), Scoring::default());
    bencher.counter(ItemsCount::new(mail.len())).bench(|| {
        mail.iter()
            .filter_map(|raw| forewarn_mail::parse(raw).ok())
            .map(|m| detect.verdict(&m).score as usize)
            .sum::<usize>()
    });
}

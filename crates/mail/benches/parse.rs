//! Parse+extract throughput on a seeded synthetic corpus, and on the real phishing corpus when
//! FOREWARN_CORPORA is set.
//!
//! Run: `cargo bench -p forewarn-mail --bench parse`

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

fn main() {
    divan::main();
}

/// A seeded mix of plain, HTML and attachment-bearing messages.
fn synthetic(count: usize) -> Vec<Vec<u8>> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let n = next();
            let mut m = format!(
                "Received: from mx{a}.relay.example ([198.51.100.{b}]) by mx.clinic.example; Mon, 1 Jan 2024 10:00:00 +0000\r\n\
                 From: \"Sender {i}\" <user{i}@sender{a}.example>\r\nTo: staff@clinic.example\r\nSubject: Message {i}\r\n\
                 Message-ID: <{n}@sender{a}.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b{n}\"\r\n\r\n--b{n}\r\n\
                 Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>",
                a = n % 97,
                b = n % 250
            );
            for l in 0..(n % 20) {
                m.push_str(&format!("<p>Paragraph {l} with <a href=\"https://link{l}.site{x}.example/path/{n}?q={l}\">a link</a> and text.</p>\r\n", x = n % 13));
            }
            m.push_str(&format!("</body></html>\r\n--b{n}\r\nContent-Type: text/plain\r\n\r\nSee https://plain.site{}.example/doc for details.\r\n", n % 31));
            if n % 4 == 0 {
                m.push_str(&format!("--b{n}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"doc{i}.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
                for _ in 0..200 {
                    m.push_str("JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+CnN0\r\n");
                }
            }
            m.push_str(&format!("--b{n}--\r\n"));
            m.into_bytes()
        })
        .collect()
}

#[divan::bench]
fn parse_synthetic(bencher: Bencher) {
    let corpus = synthetic(500);
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .counter(ItemsCount::new(corpus.len()))
        .bench(|| {
            for raw in &corpus {
                divan::black_box(forewarn_mail::parse(raw).ok());
            }
        });
}

#[divan::bench]
fn parse_phishing_pot(bencher: Bencher) {
    let Some(corpora) = std::env::var_os("FOREWARN_CORPORA") else {
        eprintln!("parse_phishing_pot skipped: FOREWARN_CORPORA is not set");
        return;
    };
    let dir = std::path::Path::new(&corpora).join("phishing-pot");
    let corpus: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .counter(ItemsCount::new(corpus.len()))
        .bench(|| {
            for raw in &corpus {
                divan::black_box(forewarn_mail::parse(raw).ok());
            }
        });
}

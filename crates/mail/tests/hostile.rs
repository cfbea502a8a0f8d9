//! Hostile input never panics: seeded mutations of every fixture (and of the phishing corpus
//! when FOREWARN_CORPORA is set), and crafted worst cases. Each result is a `Message` or an
//! `Error` that says why.

use std::fs;
use std::path::Path;

use forewarn_mail::{parse, parse_with, Error, Limits};

/// xorshift64*: a small seeded generator so every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPICE: [&[u8]; 10] = [
    b"\r\n--",
    b"=?utf-8?b?",
    b"<a href=\"",
    b"\r\n\r\n",
    b"Content-Type: multipart/mixed; boundary=x\r\n",
    b"\xff\xfe\x00",
    b"%",
    b"&#x",
    b"http://\xc3",
    b"PK\x05\x06",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(4) {
            0 => data.truncate(at),
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            2 => {
                let spice = SPICE[rng.below(SPICE.len())];
                data.splice(at..at, spice.iter().copied());
            }
            _ => {
                let len = rng.below(64).min(data.len() - at.min(data.len()));
                let chunk: Vec<u8> = data[at.min(data.len())..at.min(data.len()) + len].to_vec();
                data.splice(at.min(data.len())..at.min(data.len()), chunk);
            }
        }
    }
    data
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/mail");
    for group in ["rfc", "malformed", "phishing"] {
        for entry in fs::read_dir(fixtures.join(group)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") {
                seeds.push(fs::read(path).unwrap());
            }
        }
    }
    match std::env::var_os("FOREWARN_CORPORA") {
        Some(corpora) => {
            let dir = Path::new(&corpora).join("phishing-pot");
            let mut files: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
            files.sort();
            seeds.extend(files.iter().take(60).map(|p| fs::read(p).unwrap()));
        }
        None => eprintln!("note: FOREWARN_CORPORA is not set; mutating the fixtures only, not the phishing corpus"),
    }
    seeds
}

#[test]
fn mutated_messages_never_panic() {
    let mut rng = Rng(0x5eed_f0e0_a11c_e5ed);
    let seeds = seeds();
    let mut parsed = 0;
    for seed in &seeds {
        for _ in 0..40 {
            let data = mutate(&mut rng, seed);
            if parse(&data).is_ok() {
                parsed += 1;
            }
        }
    }
    assert!(
        parsed > seeds.len() * 20,
        "most mutations still read as mail ({parsed})"
    );
}

#[test]
fn crafted_worst_cases_are_bounded() {
    // Deeply nested multiparts.
    let mut deep = String::from("From: a@example.org\r\n");
    for i in 0..3_000 {
        deep.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    deep.push_str("Content-Type: text/plain\r\n\r\nhttp://deep.example/\r\n");
    // Read, as far as the parser's own nesting limit goes.
    assert!(parse(deep.as_bytes()).is_ok());

    // Attached messages nested far beyond the depth limit.
    let mut nested = String::from("Subject: innermost\r\n\r\nhttp://inner.example/\r\n");
    for _ in 0..50 {
        nested = format!("From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\n{nested}");
    }
    let m = parse(nested.as_bytes()).unwrap();
    let mut depth = 0;
    let mut at = &m;
    while let Some(inner) = at.attachments.first().and_then(|a| a.message.as_deref()) {
        depth += 1;
        at = inner;
    }
    assert!(depth <= Limits::default().max_depth);
    assert!(m.past_limits, "nesting past the limit is marked");

    // A header a megabyte long, a flood of tags and of URLs.
    let long_header = format!(
        "From: a@example.org\r\nSubject: {}\r\n\r\nbody",
        "x".repeat(1 << 20)
    );
    assert!(parse(long_header.as_bytes()).is_ok());
    let tags = format!(
        "From: a@example.org\r\nContent-Type: text/html\r\n\r\n{}",
        "<a href=http://t.example/>".repeat(200_000)
    );
    let m = parse(tags.as_bytes()).unwrap();
    assert!(m.observables.len() <= Limits::default().max_observables);
    let urls: String = (0..100_000)
        .map(|i| format!("http://u{i}.example/ "))
        .collect();
    let m = parse(format!("From: a@example.org\r\n\r\n{urls}").as_bytes()).unwrap();
    assert_eq!(m.observables.len(), Limits::default().max_observables);

    // An archive that claims 65,535 entries.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&[0; 100]);
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\0\0\0\0\x04\0\0\0\0\0");
    let b64 = base64_encode(&zip);
    let raw = format!("From: a@example.org\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=a.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n");
    let m = parse(raw.as_bytes()).unwrap();
    assert!(m.attachments[0]
        .archive
        .as_ref()
        .is_none_or(|a| a.entries.len() <= 1_000));

    // Limits that are set lower are respected.
    let tight = Limits {
        max_message_bytes: 1_000,
        ..Limits::default()
    };
    assert!(matches!(
        parse_with(urls.as_bytes(), &tight),
        Err(Error::TooLarge { .. })
    ));
}

fn base64_encode(data: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

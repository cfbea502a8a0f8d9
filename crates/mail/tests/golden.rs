//! Golden tests: each `fixtures/mail/*/NNN.eml` parses to the `NNN.json` beside it, with LF and
//! with CRLF line endings. A mismatch writes `NNN.failed` with what was produced. To accept new
//! output after a deliberate change, run with `FOREWARN_BLESS=1` and review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/mail")
}

fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn to_lf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\r' && raw.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// Sizes and hashes of whole messages depend on line endings; drop them to compare the LF and
/// CRLF readings with each other.
fn without_line_ending_dependent(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("headers")
                || map.contains_key("observables")
                || map
                    .get("declared_type")
                    .is_some_and(|t| t == "message/rfc822")
            {
                for key in ["sha256", "sha1", "md5", "size"] {
                    map.remove(key);
                }
            }
            map.values_mut().for_each(without_line_ending_dependent);
        }
        Value::Array(items) => items.iter_mut().for_each(without_line_ending_dependent),
        _ => {}
    }
}

fn actual(raw: &[u8]) -> Value {
    match forewarn_mail::parse(raw) {
        Ok(message) => serde_json::to_value(&message).expect("a Message always serializes"),
        Err(error) => serde_json::json!({ "error": error.to_string() }),
    }
}

#[test]
fn every_fixture_matches_its_golden_json_with_lf_and_crlf() {
    let bless = std::env::var_os("FOREWARN_BLESS").is_some();
    let mut checked = 0;
    let mut failures = Vec::new();
    for group in ["rfc", "malformed", "phishing"] {
        let dir = fixtures().join(group);
        let mut emls: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        emls.sort();
        assert!(!emls.is_empty(), "no fixtures in {}", dir.display());
        for eml in emls {
            let raw = fs::read(&eml).unwrap();
            let lf = actual(&to_lf(&raw));
            let golden_path = eml.with_extension("json");
            let failed_path = eml.with_extension("failed");
            if bless {
                fs::write(
                    &golden_path,
                    serde_json::to_string_pretty(&lf).unwrap() + "\n",
                )
                .unwrap();
            }
            let golden: Value =
                serde_json::from_slice(&fs::read(&golden_path).unwrap_or_else(|_| {
                    panic!(
                        "{} is missing; run with FOREWARN_BLESS=1",
                        golden_path.display()
                    )
                }))
                .unwrap();
            let mut crlf = actual(&to_crlf(&raw));
            let mut golden_stripped = golden.clone();
            without_line_ending_dependent(&mut crlf);
            without_line_ending_dependent(&mut golden_stripped);
            if lf != golden || crlf != golden_stripped {
                let which = if lf != golden { lf } else { crlf };
                fs::write(
                    &failed_path,
                    serde_json::to_string_pretty(&which).unwrap() + "\n",
                )
                .unwrap();
                failures.push(eml.display().to_string());
            } else {
                let _ = fs::remove_file(&failed_path);
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "output differs from the golden file (see the .failed files): {failures:#?}"
    );
    assert!(checked >= 6);
}

//! Detection quality on the real corpora, per detector: how much phishing is flagged and how
//! much legitimate mail is. Fails if the figures regress below what docs/DETECTION.md records.
//! Needs FOREWARN_CORPORA; without it, says it was skipped and why.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The floors and ceilings this test holds the detectors to (see docs/DETECTION.md).
const PHISHING_FLAGGED_AT_LEAST: f64 = 0.90;
const HAM_FLAGGED_AT_MOST: f64 = 0.005;

struct Measure {
    messages: usize,
    flagged: usize,
    /// detector → (messages it found something in, messages where it added to the score)
    detectors: BTreeMap<String, (usize, usize)>,
}

fn measure(corpora: &std::path::Path, corpus: &str) -> Measure {
    let dir = corpora.join(corpus);
    let output = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["scan", "--format", "jsonl", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut m = Measure {
        messages: 0,
        flagged: 0,
        detectors: BTreeMap::new(),
    };
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        m.messages += 1;
        if matches!(record["verdict"].as_str(), Some("suspicious" | "malicious")) {
            m.flagged += 1;
        }
        let mut fired: BTreeMap<String, bool> = BTreeMap::new();
        for finding in record["findings"].as_array().unwrap() {
            let scored = fired
                .entry(finding["detector"].as_str().unwrap().to_owned())
                .or_default();
            *scored |= finding["score"].as_u64().unwrap() > 0;
        }
        for (detector, scored) in fired {
            let entry = m.detectors.entry(detector).or_default();
            entry.0 += 1;
            entry.1 += usize::from(scored);
        }
    }
    m
}

#[test]
fn phishing_is_flagged_and_ham_is_not() {
    let Some(corpora) = std::env::var_os("FOREWARN_CORPORA").map(PathBuf::from) else {
        eprintln!("skipped: FOREWARN_CORPORA is not set, so detection cannot be measured on the real corpora");
        return;
    };
    let phishing = measure(&corpora, "phishing-pot");
    let hams = [
        measure(&corpora, "spamassassin-ham"),
        measure(&corpora, "usrp-users-ham"),
    ];
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of as f64;
    eprintln!("| corpus | messages | flagged |");
    eprintln!("|---|---|---|");
    for (name, m) in [
        ("phishing-pot", &phishing),
        ("spamassassin-ham", &hams[0]),
        ("usrp-users-ham", &hams[1]),
    ] {
        eprintln!(
            "| {name} | {} | {} ({:.1} %) |",
            m.messages,
            m.flagged,
            pct(m.flagged, m.messages)
        );
    }
    eprintln!();
    eprintln!("| detector | phishing-pot: found / scored | spamassassin-ham: found / scored | usrp-users-ham: found / scored |");
    eprintln!("|---|---|---|---|");
    let names: std::collections::BTreeSet<&String> = phishing
        .detectors
        .keys()
        .chain(hams.iter().flat_map(|h| h.detectors.keys()))
        .collect();
    for name in names {
        let cell = |m: &Measure| {
            let (found, scored) = m.detectors.get(name).copied().unwrap_or_default();
            format!(
                "{:.1} % / {:.1} %",
                pct(found, m.messages),
                pct(scored, m.messages)
            )
        };
        eprintln!(
            "| {name} | {} | {} | {} |",
            cell(&phishing),
            cell(&hams[0]),
            cell(&hams[1])
        );
    }
    let ham_flagged: usize = hams.iter().map(|h| h.flagged).sum();
    let ham_total: usize = hams.iter().map(|h| h.messages).sum();
    assert!(phishing.messages >= 500 && ham_total >= 1250);
    assert!(
        phishing.flagged as f64 >= PHISHING_FLAGGED_AT_LEAST * phishing.messages as f64,
        "phishing flagged fell to {:.1} %",
        pct(phishing.flagged, phishing.messages)
    );
    assert!(
        ham_flagged as f64 <= HAM_FLAGGED_AT_MOST * ham_total as f64,
        "ham flagged rose to {:.2} % ({ham_flagged} of {ham_total})",
        pct(ham_flagged, ham_total)
    );
}

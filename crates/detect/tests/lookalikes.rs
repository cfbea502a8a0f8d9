//! Lookalike detection measured against dnstwist's own permutations of protected domains, and
//! against the top-site lists in ../shared/corpora/domain-lists (which must not be flagged).
//! dnstwist comes from PyPI (`.ci/run` installs it); the top-site lists need FOREWARN_CORPORA.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use forewarn_detect::lookalike::LookalikeIndex;
use forewarn_detect::rules::Rules;

/// Protected domains from the shipped watch pack whose names are long enough for typo families.
const PROTECTED: [&str; 24] = [
    "microsoft.com",
    "paypal.com",
    "dropbox.com",
    "docusign.com",
    "linkedin.com",
    "wetransfer.com",
    "unicef.org",
    "unhcr.org",
    "gatesfoundation.org",
    "theglobalfund.org",
    "wellcome.org",
    "pfizer.com",
    "astrazeneca.com",
    "novartis.com",
    "medtronic.com",
    "mckesson.com",
    "cardinalhealth.com",
    "thermofisher.com",
    "bankofamerica.com",
    "correios.com.br",
    "santepubliquefrance.fr",
    "doctorswithoutborders.org",
    "reliefweb.int",
    "redcross.org",
];

fn index() -> LookalikeIndex {
    LookalikeIndex::new(&Rules::shipped().brands, &[])
}

#[test]
fn dnstwist_permutations_of_protected_domains_are_found() {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/dnstwist-permutations.py");
    let output = match Command::new("python3")
        .arg(&script)
        .args(PROTECTED)
        .output()
    {
        Ok(output) if output.status.success() => output,
        other => {
            let why = match other {
                Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            assert!(
                std::env::var_os("CI").is_none(),
                "dnstwist must be installed in CI (pip install dnstwist): {why}"
            );
            eprintln!("skipped: dnstwist is not installed (pip install dnstwist): {why}");
            return;
        }
    };
    let index = index();
    let mut per_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let [protected, fuzzer, domain] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("bad line {line:?}")
        };
        let Some(ascii) = forewarn_mail::domain::normalize_domain(domain) else {
            continue;
        };
        let entry = per_family.entry(fuzzer.to_owned()).or_default();
        entry.0 += 1;
        match index.check(&ascii) {
            Some(_) => entry.1 += 1,
            None if index.is_owned(&ascii) => entry.1 += 1,
            None => missed.push(format!("{protected} {fuzzer} {domain}")),
        }
    }
    let total: usize = per_family.values().map(|v| v.0).sum();
    let found: usize = per_family.values().map(|v| v.1).sum();
    for (family, (n, f)) in &per_family {
        eprintln!(
            "{family:<14} {f:>6} / {n:<6} {:.2} %",
            100.0 * *f as f64 / *n as f64
        );
    }
    eprintln!(
        "all            {found:>6} / {total:<6} {:.2} %  ({} protected domains)",
        100.0 * found as f64 / total as f64,
        PROTECTED.len()
    );
    assert!(total > 10_000, "dnstwist generated {total} permutations");
    assert!(
        found as f64 >= 0.99 * total as f64,
        "found {found} of {total}; first misses: {:#?}",
        &missed[..missed.len().min(40)]
    );
}

#[test]
fn top_sites_are_not_lookalikes() {
    let Some(corpora) = std::env::var_os("FOREWARN_CORPORA") else {
        eprintln!("skipped: FOREWARN_CORPORA is not set, so the top-site lists are not available");
        return;
    };
    let lists = PathBuf::from(corpora).join("domain-lists/misp-warninglists");
    let index = index();
    let mut total = 0;
    let mut flagged = Vec::new();
    for list in [
        "tranco10k",
        "majestic_million",
        "cisco_top20k",
        "moz-top500",
        "alexa",
    ] {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(lists.join(list).join("list.json")).unwrap())
                .unwrap();
        for entry in json["list"].as_array().unwrap() {
            let Some(domain) = entry
                .as_str()
                .map(|d| d.trim_start_matches('.'))
                .and_then(forewarn_mail::domain::normalize_domain)
            else {
                continue;
            };
            total += 1;
            if let Some(found) = index.check(&domain) {
                flagged.push(format!(
                    "{list}: {domain} → {} ({})",
                    found.imitates,
                    found.family.as_str()
                ));
            }
        }
    }
    let rate = flagged.len() as f64 / total as f64;
    eprintln!(
        "top sites flagged: {} of {total} ({:.4} %)",
        flagged.len(),
        100.0 * rate
    );
    for f in &flagged {
        eprintln!("  {f}");
    }
    assert!(
        rate <= 0.0001,
        "{} of {total} top-site domains flagged: {flagged:#?}",
        flagged.len()
    );
}

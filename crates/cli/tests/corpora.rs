//! Acceptance tests on the real corpora in `../shared/corpora` (set FOREWARN_CORPORA to their
//! path; `.ci/run` does). Without it they say they were skipped and why.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn corpora() -> Option<PathBuf> {
    match std::env::var_os("FOREWARN_CORPORA") {
        None => {
            eprintln!("skipped: FOREWARN_CORPORA is not set, so the tests on the real corpora cannot run (point it at ../shared/corpora)");
            None
        }
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(
                path.is_dir(),
                "FOREWARN_CORPORA={} is not a directory",
                path.display()
            );
            Some(path)
        }
    }
}

fn forewarn(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(args)
        .output()
        .expect("forewarn runs");
    let code = output
        .status
        .code()
        .expect("forewarn exited, not killed by a signal");
    assert!(
        code == 0 || code == 1,
        "forewarn {args:?} failed with {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        code,
        String::from_utf8(output.stdout).expect("output is UTF-8"),
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn is_provenance(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name == "MANIFEST.tsv" || name.starts_with("UPSTREAM-")
}

#[test]
fn every_message_in_the_corpora_gets_a_result_line() {
    let Some(corpora) = corpora() else { return };
    let intel = corpora.join("threat-intel");
    for corpus in [
        "phishing-pot",
        "spamassassin-ham",
        "usrp-users-ham",
        "mime-oddities",
    ] {
        let dir = corpora.join(corpus);
        let (_, out) = forewarn(&[
            "scan",
            "--format",
            "jsonl",
            "--intel",
            intel.to_str().unwrap(),
            dir.to_str().unwrap(),
        ]);
        let records: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        let sources: BTreeSet<String> = records
            .iter()
            .map(|r| r["source"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            sources.len(),
            records.len(),
            "{corpus}: a message was reported twice"
        );
        let mut expected = BTreeSet::new();
        for file in files_under(&dir).into_iter().filter(|f| !is_provenance(f)) {
            let bytes = fs::read(&file).unwrap();
            let bytes = bytes
                .strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(&bytes);
            let label = file.display().to_string();
            if bytes.starts_with(b"From ") {
                let envelopes = 1 + bytes.windows(6).filter(|w| w == b"\nFrom ").count();
                expected.extend((1..=envelopes).map(|n| format!("{label}#{n}")));
            } else {
                expected.insert(label);
            }
        }
        let missing: Vec<_> = expected.difference(&sources).collect();
        assert!(
            missing.is_empty(),
            "{corpus}: no result line for {missing:#?}"
        );
        for record in &records {
            let verdict = record["verdict"].as_str();
            let error = record["error"].as_str();
            assert!(
                verdict.is_some() != error.is_some(),
                "{corpus}: a record has a verdict or an error: {record}"
            );
            if let Some(v) = verdict {
                assert!(["clean", "suspicious", "malicious"].contains(&v));
                assert!(record["score"].as_u64().unwrap() <= 100);
            }
        }
        eprintln!(
            "{corpus}: {} messages, {} unreadable",
            records.len(),
            records.iter().filter(|r| r["error"].is_string()).count()
        );
    }
}

#[test]
fn every_intel_file_imports_with_counts() {
    let Some(corpora) = corpora() else { return };
    let dir = corpora.join("threat-intel");
    let (_, out) = forewarn(&["intel", "check", "--format", "json", dir.to_str().unwrap()]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        files_under(&dir).len(),
        "every file has a report"
    );
    for file in files {
        let source = file["source"].as_str().unwrap();
        let format = file["format"].as_str().unwrap();
        assert_ne!(format, "unknown", "{source} was not recognized: {file}");
        if !["documentation", "mvt-index"].contains(&format) {
            let empty = file["notes"].as_array().is_some_and(|n| {
                n.iter()
                    .any(|n| n.as_str().unwrap().starts_with("empty file"))
            });
            assert!(
                file["objects"].as_u64().unwrap() > 0
                    || (empty && fs::metadata(source).unwrap().len() == 0),
                "{source}: nothing read"
            );
        }
        if source.ends_with(".stix2")
            || source.contains("/maltrail/malware/")
            || source.ends_with("misp.json")
        {
            let sum = |key: &str| -> u64 {
                file[key]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|v| v.as_u64().unwrap())
                    .sum()
            };
            let accounted = sum("indicators")
                + sum("not_applicable")
                + file["rejected_count"].as_u64().unwrap();
            assert!(
                accounted > 0,
                "{source}: its indicators are neither imported, set aside nor rejected: {file}"
            );
        }
    }
    let totals = &report["totals"];
    assert!(totals["indicators"]["domain"].as_u64().unwrap() > 100_000);
    assert!(totals["entities"]["actor"].as_u64().unwrap() > 100);
    eprintln!("threat-intel: {} files, totals {totals}", files.len());
}

/// The first value of a plain list (skipping comments).
fn first_listed(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.contains('/'))
        .unwrap()
        .to_owned()
}

/// The first STIX pattern value of an object path, and the bundle's malware name.
fn first_in_stix(path: &Path, object_path: &str) -> (String, String) {
    let bundle: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    let malware = objects.iter().find(|o| o["type"] == "malware").unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let needle = format!("[{object_path}='");
    let value = objects
        .iter()
        .filter_map(|o| o["pattern"].as_str())
        .map(|p| p.replace(" = ", "="))
        .find_map(|p| {
            p.strip_prefix(&needle)
                .and_then(|rest| rest.split('\'').next())
                .map(str::to_owned)
        })
        .unwrap()
        .to_owned();
    (value, malware)
}

/// The first MISP attribute of a type, and the event's name.
fn first_in_misp(path: &Path, misp_type: &str) -> (String, String) {
    let json: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    let event = &json["response"][0]["Event"];
    let value = event["Attribute"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == misp_type)
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_owned();
    (value, event["info"].as_str().unwrap().to_owned())
}

#[test]
fn planted_real_indicators_come_back_with_their_actor_or_malware() {
    let Some(corpora) = corpora() else { return };
    let ti = corpora.join("threat-intel");
    let gamaredon = first_listed(&ti.join("maltrail/malware/apt_gamaredon.txt"));
    let kimsuky = first_listed(&ti.join("maltrail/malware/apt_kimsuky.txt"));
    let (cytrox_domain, cytrox_malware) = first_in_stix(
        &ti.join("amnesty-investigations/2021-12-16_cytrox/cytrox.stix2"),
        "domain-name:value",
    );
    let (wyrm_ip, wyrm_malware) = first_in_stix(
        &ti.join("mvt-indicators/2023-07-25_wyrmspy_dragonegg/wyrmspy_dragonegg.stix2"),
        "ipv4-addr:value",
    );
    let (nile_domain, nile_event) = first_in_misp(
        &ti.join("citizenlab-malware-indicators/201702_NilePhish/misp.json"),
        "domain",
    );
    let (insider_email, insider_event) = first_in_misp(
        &ti.join("citizenlab-malware-indicators/201707_InsiderInfo/misp.json"),
        "email-src",
    );
    let (basin_url, basin_event) = first_in_misp(
        &ti.join("citizenlab-malware-indicators/201909_MissingLink/misp.json"),
        "url",
    );

    // (file, message, planted value, where it must be found, whom it must name)
    let cases = [
        ("link.eml", format!("From: a@example.org\r\nSubject: report\r\n\r\nRead https://{gamaredon}/doc/view today\r\n"), gamaredon.clone(), "text", "Gamaredon"),
        ("sender.eml", format!("From: Support <support@{cytrox_domain}>\r\nSubject: hi\r\n\r\nhello\r\n"), cytrox_domain.clone(), "from", cytrox_malware.as_str()),
        ("reply-to.eml", format!("From: a@example.org\r\nReply-To: desk@{nile_domain}\r\nSubject: hi\r\n\r\nhello\r\n"), nile_domain.clone(), "reply-to", nile_event.as_str()),
        ("received.eml", format!("Received: from relay.example ([{wyrm_ip}]) by mx.example.org; Mon, 1 Jan 2024 10:00:00 +0000\r\nFrom: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"), wyrm_ip.clone(), "received[0]", wyrm_malware.as_str()),
        ("subdomain.eml", format!("From: a@example.org\r\nSubject: hi\r\nContent-Type: text/html\r\n\r\n<a href=\"https://login.secure.{kimsuky}/auth\">Sign in</a>\r\n"), kimsuky.clone(), "html-link", "Kimsuky"),
        ("address.eml", format!("From: Friend <{insider_email}>\r\nSubject: hi\r\n\r\nhello\r\n"), insider_email.clone(), "from", insider_event.as_str()),
        ("url.eml", format!("From: a@example.org\r\nSubject: hi\r\nContent-Type: text/html\r\n\r\n<a href=\"{basin_url}\">document</a>\r\n"), basin_url.clone(), "html-link", basin_event.as_str()),
    ];
    let dir = std::env::temp_dir().join(format!("forewarn-plant-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    for (name, message, ..) in &cases {
        fs::write(dir.join(name), message).unwrap();
    }
    let (code, out) = forewarn(&[
        "scan",
        "--format",
        "jsonl",
        "--intel",
        ti.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "planted indicators make the run report something");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (name, _, planted, location, who) in &cases {
        let record = records
            .iter()
            .find(|r| r["source"].as_str().unwrap().ends_with(name))
            .unwrap();
        assert_ne!(record["verdict"], "clean", "{name}: {record}");
        // Indicator values are normalized (lowercase hosts, no URL scheme): compare without case.
        let planted_lower = planted.to_lowercase();
        let finding = record["findings"].as_array().unwrap().iter().find(|f| {
            let value = f["indicator"]["value"].as_str().unwrap().to_lowercase();
            f["where"] == *location
                && (planted_lower == value || planted_lower.ends_with(&format!("//{value}")))
        });
        let finding = finding.unwrap_or_else(|| {
            panic!("{name}: no finding at {location} for {planted}: {record:#}")
        });
        let names: Vec<&str> = finding["attribution"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert!(
            names.iter().any(|n| n.eq_ignore_ascii_case(who)),
            "{name}: expected {who} among {names:?}"
        );
        assert!(!finding["attack"].as_array().unwrap().is_empty());
        assert!(finding["indicator"]["source"]
            .as_str()
            .unwrap()
            .contains("threat-intel"));
    }
    let _ = fs::remove_dir_all(&dir);
}

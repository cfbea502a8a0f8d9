//! The `forewarn` command as a user runs it: exit statuses, output formats, mbox splitting.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(args)
        .output()
        .expect("forewarn runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("forewarn-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn intel() -> String {
    fixtures()
        .join("intel/lists/apt_example_bear.txt")
        .display()
        .to_string()
}

#[test]
fn exit_1_and_attribution_when_an_indicator_matches() {
    let dir = temp_dir("hit");
    fs::write(dir.join("lure.eml"), "From: Minister <office@login.moh-portal.example>\r\nSubject: allocation\r\n\r\nsee http://drop.example/collect.php?id=3\r\n").unwrap();
    let out = run(&[
        "scan",
        "--format",
        "jsonl",
        "--intel",
        &intel(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["verdict"], "malicious");
    assert!(record["error"].is_null());
    let findings = record["findings"].as_array().unwrap();
    let places: Vec<&str> = findings
        .iter()
        .map(|f| f["where"].as_str().unwrap())
        .collect();
    assert!(
        places.contains(&"from") && places.contains(&"text"),
        "{places:?}"
    );
    let first = &findings[0];
    assert_eq!(first["attribution"][0]["name"], "Example Bear");
    assert_eq!(
        first["attribution"][0]["aliases"],
        serde_json::json!(["EB-17"])
    );
    for key in [
        "detector",
        "severity",
        "summary",
        "indicator",
        "attack",
        "where",
    ] {
        assert!(!first[key].is_null(), "finding has {key}");
    }
    assert!(first["indicator"]["source"]
        .as_str()
        .unwrap()
        .ends_with("apt_example_bear.txt"));
}

#[test]
fn exit_0_for_clean_mail_and_text_output_has_a_summary() {
    let rfc = fixtures().join("mail/rfc");
    let out = run(&["scan", "--intel", &intel(), rfc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("clean") && l.contains("001.eml")),
        "{text}"
    );
    assert!(
        text.contains("messages") && text.contains("malicious") && text.contains("indicators"),
        "{text}"
    );
}

#[test]
fn exit_2_when_the_run_itself_fails() {
    let out = run(&["scan", "/nonexistent/forewarn/path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/forewarn/path"));
    let dir = temp_dir("nointel");
    fs::write(dir.join("readme.txt"), "no indicators here\n").unwrap();
    let out = run(&[
        "scan",
        "--intel",
        dir.to_str().unwrap(),
        fixtures().join("mail/rfc").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no indicators"));
}

#[test]
fn mbox_files_are_split_and_unreadable_messages_say_why() {
    let dir = temp_dir("mbox");
    let mbox = "From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: one\n\nhello\n\nFrom b@example.org Mon Jan  1 00:00:01 2024\nFrom: b@moh-portal.example\nSubject: two\n\nhi\n";
    fs::write(dir.join("box.mbox"), mbox).unwrap();
    fs::write(dir.join("empty.eml"), "").unwrap();
    let box_path = dir.join("box.mbox").display().to_string();
    let empty_path = dir.join("empty.eml").display().to_string();
    let out = run(&[
        "scan",
        "--format",
        "jsonl",
        "--intel",
        &intel(),
        &box_path,
        &empty_path,
    ]);
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["source"], format!("{box_path}#1"));
    assert_eq!(records[0]["verdict"], "clean");
    assert_eq!(records[1]["source"], format!("{box_path}#2"));
    assert_eq!(records[1]["verdict"], "malicious");
    assert!(records[2]["verdict"].is_null());
    assert!(records[2]["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn intel_check_reports_counts_and_rejections() {
    let dir = temp_dir("check");
    fs::write(
        dir.join("domains.txt"),
        "good.example\nnot a value\n# comment\n",
    )
    .unwrap();
    fs::copy(
        fixtures().join("intel/misp-feed/manifest.json"),
        dir.join("manifest.json"),
    )
    .unwrap();
    let out = run(&["intel", "check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let list = files
        .iter()
        .find(|f| f["source"].as_str().unwrap().ends_with("domains.txt"))
        .unwrap();
    assert_eq!(list["indicators"]["domain"], 1);
    assert_eq!(list["rejected_count"], 1);
    assert!(list["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("not a domain"));
    let manifest = files
        .iter()
        .find(|f| f["format"] == "misp-manifest")
        .unwrap();
    assert_eq!(
        manifest["rejected_count"], 2,
        "both listed events are missing from this directory"
    );
    let text = run(&[
        "intel",
        "check",
        fixtures()
            .join("intel/misp-feed/manifest.json")
            .to_str()
            .unwrap(),
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("5f0c2a4e-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"),
        "a manifest named alone brings its events: {text}"
    );
    assert!(
        text.contains("rejected 1"),
        "the unpublished event is reported missing: {text}"
    );
}

#[test]
fn protected_domains_and_local_rules() {
    let dir = temp_dir("protect");
    fs::write(
        dir.join("lookalike.eml"),
        "From: IT Desk <it@st-mary-cIinic.org>\r\nSubject: hi\r\n\r\nhello\r\n",
    )
    .unwrap();
    let rules = dir.join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("lures.txt"),
        "custom | en | quarterly grant report\nbroken line\n",
    )
    .unwrap();
    fs::write(rules.join("grant.yar"), "rule grant_portal_kit { meta: description = \"the grant portal kit\" severity = \"medium\" strings: $a = \"grant-portal-kit-v2\" condition: $a }").unwrap();
    fs::write(rules.join("broken.yar"), "rule { nonsense").unwrap();
    fs::write(
        dir.join("kit.eml"),
        "From: a@example.org\r\nSubject: hello\r\n\r\nbuilt with grant-portal-kit-v2\r\n",
    )
    .unwrap();
    fs::write(
        dir.join("lure.eml"),
        "From: a@example.org\r\nSubject: Quarterly grant report\r\n\r\nhello\r\n",
    )
    .unwrap();
    let out = run(&[
        "scan",
        "--format",
        "jsonl",
        "--protect",
        "st-mary-clinic.org",
        "--rules",
        rules.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rule skipped")
            && stderr.contains("YARA rules skipped")
            && stderr.contains("broken.yar"),
        "bad local rules are reported: {stderr}"
    );
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lookalike = records
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("lookalike.eml"))
        .unwrap();
    let finding = lookalike["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["detector"] == "lookalike")
        .expect("lookalike finding");
    assert_eq!(finding["severity"], "critical");
    assert!(finding["summary"]
        .as_str()
        .unwrap()
        .contains("st-mary-clinic.org"));
    let kit = records
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("kit.eml"))
        .unwrap();
    assert!(
        kit["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["detector"] == "yara"
                && f["summary"]
                    .as_str()
                    .unwrap()
                    .contains("the grant portal kit")),
        "{kit}"
    );
    let lure = records
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("lure.eml"))
        .unwrap();
    assert!(
        lure["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["summary"].as_str().unwrap().starts_with("custom lure")),
        "{lure}"
    );
}

#[test]
fn explain_shows_each_contribution() {
    let out = run(&[
        "scan",
        "--explain",
        fixtures().join("mail/phishing/001.eml").to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let contributions: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('+'))
        .collect();
    assert!(contributions.len() >= 3, "{text}");
    assert!(text.contains("T1566"), "{text}");
}

#[test]
fn scoring_thresholds_from_the_command_line() {
    let phish = fixtures()
        .join("mail/phishing/001.eml")
        .display()
        .to_string();
    let strict = run(&[
        "scan",
        "--format",
        "jsonl",
        "--malicious-at",
        "100",
        "--suspicious-at",
        "99",
        &phish,
    ]);
    let record: Value = serde_json::from_slice(&strict.stdout).unwrap();
    assert_eq!(
        record["verdict"], "malicious",
        "score 100 reaches any threshold"
    );
    let rfc = fixtures().join("mail/rfc/001.eml").display().to_string();
    let lax = run(&[
        "scan",
        "--format",
        "jsonl",
        "--suspicious-at",
        "1",
        "--malicious-at",
        "2",
        &rfc,
    ]);
    let record: Value = serde_json::from_slice(&lax.stdout).unwrap();
    assert_eq!(record["score"], 0);
    assert_eq!(record["verdict"], "clean");
    let bad = run(&[
        "scan",
        "--suspicious-at",
        "80",
        "--malicious-at",
        "20",
        &rfc,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--suspicious-at"));
}

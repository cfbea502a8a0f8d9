//! forewarn-yara runs YARA rules (with yara-x) over every attachment's bytes and over the
//! message's text, as a forewarn [`Detector`]. It lives in its own crate because yara-x and its
//! WebAssembly stack are most of a clean build: nothing else rebuilds it.
//!
//! Rules are the shipped ones (`rules/default/yara/*.yar`, compiled in) plus the caller's
//! (`rules/local/*.yar`). A rule's metadata sets its finding: `description`, `severity` (low,
//! medium, high, critical), `confidence` (0–100) and `attack` (technique IDs, comma-separated).
//!
//! ```
//! use forewarn_detect::Detector;
//! let yara = forewarn_yara::Yara::new(&[("local.yar", r#"rule test_marker { strings: $a = "MARKER-7731" condition: $a }"#)]).unwrap();
//! let message = forewarn_mail::parse(b"From: a@example.org\r\n\r\nsee MARKER-7731\r\n").unwrap();
//! let mut findings = Vec::new();
//! yara.detect(&message, &mut findings);
//! assert_eq!(findings[0].detector, "yara");
//! ```

#![warn(missing_docs)]

use std::time::Duration;

use forewarn_detect::{Detector, Finding, Severity};
use forewarn_mail::{Location, Message};

/// The shipped rules.
pub const SHIPPED: &[(&str, &str)] = &[(
    "rules/default/yara/forewarn.yar",
    include_str!("../../../rules/default/yara/forewarn.yar"),
)];

/// How long one scan may take before it is abandoned.
const SCAN_TIMEOUT: Duration = Duration::from_secs(2);

/// Why the YARA rules could not be made ready.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rules shipped in the binary do not compile (a build defect, not bad input).
    #[error("compiling the shipped YARA rules: {0}")]
    Shipped(String),
}

/// Compiled rules, ready to scan messages.
///
/// The compiled rules are kept for the life of the process (they are built once, at start-up),
/// so that each worker thread can keep one scanner for them: creating a scanner costs more than
/// scanning a message.
pub struct Yara {
    rules: &'static yara_x::Rules,
    /// `file: why` for each local source that did not compile (and was left out).
    pub errors: Vec<String>,
}

impl Yara {
    /// Compiles the shipped rules and `local` ones (file name, source). A local source that does
    /// not compile is left out and reported in `errors`; the shipped rules must compile.
    pub fn new(local: &[(&str, &str)]) -> Result<Yara, Error> {
        let mut compiler = yara_x::Compiler::new();
        for (name, source) in SHIPPED {
            compiler
                .add_source(yara_x::SourceCode::from(*source).with_origin(*name))
                .map_err(|e| Error::Shipped(e.to_string()))?;
        }
        let mut errors = Vec::new();
        for (name, source) in local {
            // Each local file in its own namespace, so a rule name may repeat across files.
            compiler.new_namespace(name);
            if let Err(e) =
                compiler.add_source(yara_x::SourceCode::from(*source).with_origin(*name))
            {
                errors.push(format!("{name}: {e}"));
            }
        }
        Ok(Yara {
            rules: Box::leak(Box::new(compiler.build())),
            errors,
        })
    }

    fn scan(
        &self,
        scanner: &mut yara_x::Scanner<'_>,
        data: &[u8],
        location: &Location,
        observed: &str,
        findings: &mut Vec<Finding>,
    ) {
        let results = match scanner.scan(data) {
            Ok(results) => results,
            Err(e) => {
                tracing::warn!(error = %e, "yara scan abandoned");
                return;
            }
        };
        for rule in results.matching_rules() {
            let mut description = None;
            let mut severity = Severity::High;
            let mut confidence = 70u8;
            let mut attack: Vec<&'static str> = Vec::new();
            for (key, value) in rule.metadata() {
                match (key, value) {
                    ("description", yara_x::MetaValue::String(s)) => {
                        description = Some(s.to_owned())
                    }
                    ("severity", yara_x::MetaValue::String(s)) => {
                        severity = match s {
                            "low" => Severity::Low,
                            "medium" => Severity::Medium,
                            "critical" => Severity::Critical,
                            _ => Severity::High,
                        }
                    }
                    ("confidence", yara_x::MetaValue::Integer(n)) => {
                        confidence = n.clamp(0, 100) as u8
                    }
                    ("attack", yara_x::MetaValue::String(s)) => {
                        attack = s
                            .split(',')
                            .map(str::trim)
                            .filter_map(known_technique)
                            .collect()
                    }
                    _ => {}
                }
            }
            if attack.is_empty() {
                attack.push(if matches!(location, Location::Text) {
                    "T1566"
                } else {
                    "T1566.001"
                });
            }
            let what = description.unwrap_or_else(|| format!("YARA rule {}", rule.identifier()));
            findings.push(
                Finding::new(
                    "yara.rule",
                    severity,
                    confidence,
                    format!(
                        "{observed}: {what} (rule {}:{})",
                        rule.namespace(),
                        rule.identifier()
                    ),
                    location.clone(),
                    observed,
                    &attack,
                )
                .with_cue(format!("yara.{}", rule.identifier())),
            );
        }
    }
}

/// Findings carry technique IDs as static strings; IDs from rule files are matched against the
/// techniques phishing analysis reports, and others are dropped.
fn known_technique(id: &str) -> Option<&'static str> {
    const KNOWN: &[&str] = &[
        "T1566",
        "T1566.001",
        "T1566.002",
        "T1566.003",
        "T1598",
        "T1598.002",
        "T1598.003",
        "T1204",
        "T1204.001",
        "T1204.002",
        "T1137",
        "T1059",
        "T1059.001",
        "T1059.005",
        "T1059.007",
        "T1105",
        "T1027",
        "T1027.006",
        "T1203",
        "T1547.009",
        "T1056.003",
        "T1218",
        "T1218.005",
        "T1553.005",
        "T1656",
    ];
    KNOWN.iter().copied().find(|k| *k == id)
}

impl Detector for Yara {
    fn name(&self) -> &'static str {
        "yara"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        thread_local! {
            /// This thread's scanner, with the address of the rules it scans for.
            static SCANNER: std::cell::RefCell<Option<(usize, yara_x::Scanner<'static>)>> = const { std::cell::RefCell::new(None) };
        }
        let key = std::ptr::from_ref(self.rules) as usize;
        SCANNER.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.as_ref().map(|(k, _)| *k) != Some(key) {
                let mut scanner = yara_x::Scanner::new(self.rules);
                scanner.set_timeout(SCAN_TIMEOUT);
                scanner.max_matches_per_pattern(100);
                *slot = Some((key, scanner));
            }
            let Some((_, scanner)) = slot.as_mut() else {
                return;
            };
            message.for_each_attachment(&mut |attachment, location| {
                if let Some(content) = &attachment.content {
                    let name = attachment.name.as_deref().unwrap_or("(unnamed attachment)");
                    self.scan(scanner, content, location, name, findings);
                }
            });
            if !message.body_text.is_empty() {
                self.scan(
                    scanner,
                    message.body_text.as_bytes(),
                    &Location::Text,
                    "the message text",
                    findings,
                );
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(yara: &Yara, raw: &[u8]) -> Vec<Finding> {
        let mut out = Vec::new();
        yara.detect(&forewarn_mail::parse(raw).unwrap(), &mut out);
        out
    }

    fn with_attachment(name: &str, content: &[u8]) -> Vec<u8> {
        let mut raw = format!("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=XQZ\r\n\r\n--XQZ\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--XQZ\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n").into_bytes();
        raw.extend(base64(content).as_bytes());
        raw.extend(b"\r\n--XQZ--\r\n");
        raw
    }

    fn base64(data: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for (i, chunk) in data.chunks(3).enumerate() {
            if i > 0 && i % 19 == 0 {
                out.push_str("\r\n");
            }
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for k in 0..4 {
                out.push(if k <= chunk.len() {
                    T[(n >> (18 - 6 * k) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        out
    }

    #[test]
    fn shipped_rules_find_their_techniques() {
        let yara = Yara::new(&[]).unwrap();
        let lnk = [
            &[0x4C, 0, 0, 0, 1, 0x14, 2, 0][..],
            b"....C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -w hidden",
        ]
        .concat();
        let f = findings(&yara, &with_attachment("Invoice.pdf.lnk", &lnk));
        assert!(
            f.iter()
                .any(|f| f.summary.contains("shortcut_runs_shell")
                    && f.severity == Severity::Critical),
            "{f:#?}"
        );
        let page = b"<html><script>var b=atob('AAAA');var blob=new Blob([b]);var a=document.createElement('a');a.href=URL.createObjectURL(blob);a.download='x.iso';</script></html>";
        let f = findings(&yara, &with_attachment("statement.html", page));
        assert!(
            f.iter().any(|f| f.summary.contains("html_smuggling")),
            "{f:#?}"
        );
        assert!(findings(
            &yara,
            &with_attachment("photo.jpg", b"\xFF\xD8\xFF just a picture")
        )
        .is_empty());
    }

    #[test]
    fn bad_local_rules_are_reported_and_the_rest_still_run() {
        let yara = Yara::new(&[
            ("broken.yar", "rule broken { condition: nonsense( }"),
            (
                "good.yar",
                "rule marker { strings: $a = \"MARKER-42\" condition: $a }",
            ),
        ])
        .unwrap();
        assert_eq!(yara.errors.len(), 1);
        assert!(yara.errors[0].starts_with("broken.yar"));
        let f = findings(&yara, b"From: a@example.org\r\n\r\nthe MARKER-42 text\r\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location, Location::Text);
    }
}

//! The fitted score: what each cue weighs, read from a versioned weights file.
//!
//! A finding is one *feature*: its cue, its severity and the part of the message it was seen in
//! (`links.ip-host:medium@link`). A message's score is the sum of its features' points, where a
//! feature's points are its fitted weight in log-odds ×10: 10 points multiply the odds by e.
//! Each feature counts once per message, at its strongest finding. A few *combinations* of
//! cues (a brand claimed by a sender whose authentication failed) carry a weight of their own,
//! shown beside the finding that makes the claim.
//!
//! Cues the fit never saw often enough (intel matches, YARA rules, an operator's local rules)
//! are not in the file; they keep points from their severity and confidence, as before any
//! fit: `prior(severity) × confidence / 100` against the thresholds 30 and 70, carried onto the
//! calibrated thresholds (see [`Weights::scale_prior`]).
//!
//! The file is written by `forewarn rules fit` (see [`crate::fit`]) and read here; it is plain
//! text, one `key value` pair a line, so a diff of two fits reads as what changed.

use std::collections::HashMap;

use forewarn_mail::Location;

use crate::{Finding, Severity};

/// The shipped weights, fitted on the corpora listed in `rules/default/fit-inputs.txt`.
pub const SHIPPED_WEIGHTS: &str = include_str!("../../../rules/default/weights.txt");

/// A feature's weight in log-odds becomes this many points per unit.
pub const POINTS_PER_LOGIT: f64 = 10.0;

/// Points for a cue the weights do not name, by severity (info … critical), scaled by
/// confidence.
pub const PRIOR: [u32; 5] = [0, 15, 40, 80, 100];

/// The first line of every weights file.
const MAGIC: &str = "forewarn-weights 1";

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("line 1: not a forewarn weights file (it must start with {MAGIC:?})")]
    Magic,
    #[error("line {line}: {why}")]
    Line { line: usize, why: String },
    #[error("the thresholds must satisfy 1 <= suspicious <= malicious (got {0} and {1})")]
    Thresholds(u32, u32),
}

/// Fitted weights and the thresholds calibrated with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Names the fit (date and inputs); shown by `forewarn scan --explain`.
    pub version: String,
    /// Log-odds of a message with no feature at all; not part of any score.
    pub bias: f64,
    pub suspicious_at: u32,
    pub malicious_at: u32,
    /// Feature key → weight in log-odds (never negative: a cue never argues for a message).
    pub features: HashMap<String, f64>,
    /// Free-form `key value` lines the fit records (inputs, options), kept in order.
    pub notes: Vec<(String, String)>,
}

impl Weights {
    /// The shipped weights.
    pub fn shipped() -> Weights {
        Weights::parse(SHIPPED_WEIGHTS).expect("the shipped weights file is valid")
    }

    pub fn parse(text: &str) -> Result<Weights, Error> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, l)| l.trim()) != Some(MAGIC) {
            return Err(Error::Magic);
        }
        let mut weights = Weights {
            version: String::new(),
            bias: 0.0,
            suspicious_at: 0,
            malicious_at: 0,
            features: HashMap::new(),
            notes: Vec::new(),
        };
        for (n, line) in lines {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| Error::Line {
                line: n + 1,
                why: why.to_owned(),
            };
            let (key, rest) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad("expected `key value`"))?;
            let rest = rest.trim();
            let number = |s: &str| -> Result<f64, Error> {
                s.parse::<f64>()
                    .ok()
                    .filter(|w| w.is_finite())
                    .ok_or_else(|| bad(&format!("{s:?} is not a number")))
            };
            match key {
                "version" => weights.version = rest.to_owned(),
                "bias" => weights.bias = number(rest)?,
                "suspicious-at" | "malicious-at" => {
                    let at = rest
                        .parse::<u32>()
                        .map_err(|_| bad(&format!("{rest:?} is not a whole number of points")))?;
                    if key == "suspicious-at" {
                        weights.suspicious_at = at;
                    } else {
                        weights.malicious_at = at;
                    }
                }
                "feature" => {
                    let (name, value) = rest
                        .rsplit_once(char::is_whitespace)
                        .ok_or_else(|| bad("expected `feature <key> <weight>`"))?;
                    let value = number(value)?;
                    if value < 0.0 {
                        return Err(bad("a weight cannot be negative"));
                    }
                    if weights
                        .features
                        .insert(name.trim().to_owned(), value)
                        .is_some()
                    {
                        return Err(bad(&format!("feature {:?} is given twice", name.trim())));
                    }
                }
                _ => weights.notes.push((key.to_owned(), rest.to_owned())),
            }
        }
        if weights.suspicious_at == 0 || weights.malicious_at < weights.suspicious_at {
            return Err(Error::Thresholds(
                weights.suspicious_at,
                weights.malicious_at,
            ));
        }
        Ok(weights)
    }

    /// The file's text: features sorted by key, weights to four decimals, so that the same fit
    /// writes the same bytes.
    pub fn render(&self) -> String {
        let mut out = format!("{MAGIC}\n");
        out.push_str(
            "# Written by `forewarn rules fit`; see docs/DETECTION.md. Weights are log-odds;\n\
             # a feature's points are its weight x 10. Edit rules/local, not this file.\n",
        );
        out.push_str(&format!("version {}\n", self.version));
        for (key, value) in &self.notes {
            out.push_str(&format!("{key} {value}\n"));
        }
        out.push_str(&format!("bias {:.4}\n", self.bias));
        out.push_str(&format!("suspicious-at {}\n", self.suspicious_at));
        out.push_str(&format!("malicious-at {}\n", self.malicious_at));
        let mut features: Vec<(&String, &f64)> = self.features.iter().collect();
        features.sort_by(|a, b| a.0.cmp(b.0));
        for (key, weight) in features {
            out.push_str(&format!("feature {key} {weight:.4}\n"));
        }
        out
    }

    /// The points a feature adds, and whether they are fitted (`false`: from the prior).
    pub fn points(&self, feature: &Feature) -> (u32, bool) {
        self.points_of(&feature.key, feature.prior)
    }

    /// The points of the feature `key` whose prior is `prior`.
    pub fn points_of(&self, key: &str, prior: u32) -> (u32, bool) {
        match self.features.get(key) {
            Some(weight) => (to_points(*weight), true),
            None => (self.scale_prior(prior), false),
        }
    }

    /// Prior points were set against the thresholds 30 (suspicious) and 70 (malicious); they
    /// are carried onto the calibrated thresholds piece by piece, so that a cue the fit did not
    /// see alone gives the verdict it gave before any fit.
    pub fn scale_prior(&self, prior: u32) -> u32 {
        let (s, m) = (
            self.suspicious_at,
            self.malicious_at.max(self.suspicious_at),
        );
        match prior {
            0..30 => prior * s / 30,
            30..70 => s + (prior - 30) * (m - s) / 40,
            _ => m + (prior - 70) * 100u32.saturating_sub(m) / 30,
        }
    }
}

/// A weight in log-odds as whole points.
pub fn to_points(weight: f64) -> u32 {
    (weight * POINTS_PER_LOGIT).round().clamp(0.0, 1000.0) as u32
}

/// The coarse part of a message a finding was seen in.
pub fn place(location: &Location) -> &'static str {
    match location {
        Location::From | Location::Sender | Location::ReplyTo | Location::ReturnPath => "sender",
        Location::To
        | Location::Cc
        | Location::MessageId
        | Location::Subject
        | Location::Received(_) => "header",
        Location::Text | Location::HtmlText => "body",
        Location::HtmlLink
        | Location::HtmlSource
        | Location::HtmlFormAction
        | Location::HtmlRefresh => "link",
        Location::Attachment(_) | Location::Attached(..) => "attachment",
    }
}

/// One feature a message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub key: String,
    /// Points if the weights do not name it.
    pub prior: u32,
    /// The finding it rests on (for a combination: the finding that makes the claim).
    pub finding: usize,
}

/// Two kinds of cue that together say more than apart.
pub struct Combination {
    pub name: &'static str,
    /// Why the cues together matter, as a reader should see it.
    pub reason: &'static str,
    /// The finding the combination's points go to, when it holds.
    holds: fn(&[Finding]) -> Option<usize>,
}

/// The first finding that makes `claim`, when another finding gives `support`.
fn backed(
    findings: &[Finding],
    claim: fn(&Finding) -> bool,
    support: fn(&Finding) -> bool,
) -> Option<usize> {
    let at = findings.iter().position(claim)?;
    findings
        .iter()
        .enumerate()
        .any(|(n, f)| n != at && support(f))
        .then_some(at)
}

/// Three or more detectors, each looking at something else (the sender, its authentication,
/// the links, the words, the files), found something: independent evidence that agrees.
fn independent_evidence(findings: &[Finding]) -> Option<usize> {
    let mut detectors: Vec<&str> = findings.iter().map(|f| f.detector).collect();
    detectors.sort_unstable();
    detectors.dedup();
    (detectors.len() >= 3).then_some(0)
}

/// A sender or link that claims a brand.
fn claims_brand(f: &Finding) -> bool {
    matches!(
        &*f.cue,
        "impersonation.brand-display-name"
            | "impersonation.brand-name-no-address"
            | "impersonation.forwarded-brand-name"
            | "impersonation.brand-link-text"
    ) || (f.cue == "impersonation.link-text-mismatch" && f.severity >= Severity::High)
        || (f.cue == "lookalike.domain" && f.severity < Severity::Critical)
}

fn failed_auth(f: &Finding) -> bool {
    matches!(
        &*f.cue,
        "auth.dmarc-fail" | "auth.spf-fail" | "auth.dkim-fail" | "auth.no-dkim"
    )
}

/// A link of the kinds credential pages sit behind.
fn harvesting_link(f: &Finding) -> bool {
    f.detector == "links" && f.severity >= Severity::Medium
}

fn credential_lure(f: &Finding) -> bool {
    matches!(
        &*f.cue,
        "lure.account" | "lure.payment" | "lure.document" | "lure.delivery"
    )
}

/// The combinations the model weighs.
pub const COMBINATIONS: &[Combination] = &[
    Combination {
        name: "brand-claim+failed-auth",
        reason: "the message claims a brand, and its sender's authentication failed",
        holds: |f| backed(f, claims_brand, failed_auth),
    },
    Combination {
        name: "brand-claim+harvesting-link",
        reason: "the message claims a brand, and links where credential pages are put up",
        holds: |f| backed(f, claims_brand, harvesting_link),
    },
    Combination {
        name: "account-lure+harvesting-link",
        reason:
            "an account, payment or document pretext, with a link where credential pages are put up",
        holds: |f| backed(f, credential_lure, harvesting_link),
    },
    Combination {
        name: "independent-evidence",
        reason: "three or more independent checks found something",
        holds: independent_evidence,
    },
];

/// The feature key of a finding.
pub fn key(finding: &Finding) -> String {
    format!(
        "{}:{}@{}",
        finding.cue,
        finding.severity.as_str(),
        place(&finding.location)
    )
}

/// Orders `findings` strongest first and names the features they show: each feature once, at
/// its strongest finding; one indicator seen in several places once; then the combinations
/// that hold.
pub fn features(findings: &mut [Finding]) -> Vec<Feature> {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.confidence.cmp(&a.confidence))
    });
    let mut seen = std::collections::HashSet::new();
    let mut indicators = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (n, finding) in findings.iter().enumerate() {
        if let Some(indicator) = &finding.indicator {
            if !indicators.insert((indicator.kind.as_str(), indicator.value.as_str())) {
                continue;
            }
        }
        let key = key(finding);
        if seen.contains(&key) {
            continue;
        }
        let prior = PRIOR[finding.severity as usize] * u32::from(finding.confidence) / 100;
        seen.insert(key.clone());
        out.push(Feature {
            key,
            prior,
            finding: n,
        });
    }
    for combination in COMBINATIONS {
        if let Some(at) = (combination.holds)(findings) {
            out.push(Feature {
                key: format!("combination.{}", combination.name),
                prior: 0,
                finding: at,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_read() {
        let weights = Weights::shipped();
        assert!(!weights.features.is_empty());
        assert!(weights.suspicious_at <= weights.malicious_at);
    }

    #[test]
    fn unfitted_cues_keep_the_verdict_they_had() {
        let weights = Weights {
            suspicious_at: 49,
            malicious_at: 61,
            ..Weights::shipped()
        };
        assert_eq!(weights.scale_prior(0), 0);
        assert_eq!(weights.scale_prior(29), 47);
        assert_eq!(weights.scale_prior(30), 49);
        assert_eq!(weights.scale_prior(69), 60);
        assert_eq!(weights.scale_prior(70), 61);
        assert_eq!(weights.scale_prior(100), 100);
    }

    #[test]
    fn render_then_parse_is_the_same() {
        let weights = Weights::shipped();
        assert_eq!(Weights::parse(&weights.render()).unwrap(), weights);
    }

    #[test]
    fn bad_files_say_where() {
        assert_eq!(Weights::parse("weights\n"), Err(Error::Magic));
        let bad = Weights::parse("forewarn-weights 1\nfeature a:low@body -1\n").unwrap_err();
        assert!(bad.to_string().starts_with("line 2: "), "{bad}");
        let twice =
            "forewarn-weights 1\nsuspicious-at 5\nmalicious-at 9\nfeature a 1\nfeature a 2\n";
        assert!(Weights::parse(twice)
            .unwrap_err()
            .to_string()
            .contains("twice"));
        assert_eq!(
            Weights::parse("forewarn-weights 1\nsuspicious-at 9\nmalicious-at 5\n"),
            Err(Error::Thresholds(9, 5))
        );
    }
}

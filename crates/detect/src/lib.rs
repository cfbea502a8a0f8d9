//! forewarn-detect turns a [`Message`] into [`Finding`]s and a [`Verdict`]. Each detector is a
//! small unit; the verdict is computed from the findings by a documented, configurable
//! [`Scoring`], and every finding carries its evidence and its contribution to the score.
//!
//! ```
//! use forewarn_detect::{Detect, Scoring, VerdictKind};
//! use forewarn_intel::{feeds, Catalog, Matcher};
//!
//! let mut catalog = Catalog::new();
//! feeds::import(&mut catalog, "maltrail/malware/apt_example.txt", b"# Aliases: Example Bear\nevil.example\n");
//! let matcher = Matcher::new(catalog, 0);
//! let detect = Detect::new(&matcher, Scoring::default());
//! let message = forewarn_mail::parse(b"From: a@login.evil.example\r\n\r\nhi\r\n").unwrap();
//! let verdict = detect.verdict(&message);
//! assert_eq!(verdict.verdict, VerdictKind::Malicious);
//! assert_eq!(verdict.findings[0].attribution[0].name, "Example");
//! ```

pub mod attachments;
pub mod auth;
pub mod hosts;
pub mod impersonation;
pub mod intel;
pub mod links;
pub mod lookalike;
pub mod lures;
pub mod rules;

use forewarn_intel::Matcher;
use forewarn_mail::{Location, Message};
use serde::Serialize;

/// How bad a finding is, if it is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// The indicator a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRef {
    pub kind: String,
    pub value: String,
    /// The feed or file it came from.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tlp: Option<forewarn_intel::Tlp>,
}

/// An actor, campaign, malware family or tool a finding points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// One detector's result, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub detector: &'static str,
    pub severity: Severity,
    /// 0–100: how sure the detector is.
    pub confidence: u8,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorRef>,
    pub attribution: Vec<Attribution>,
    /// MITRE ATT&CK technique IDs.
    pub attack: Vec<&'static str>,
    #[serde(rename = "where")]
    pub location: Location,
    /// What the message showed.
    pub observed: String,
    /// Points this finding added to the verdict's score.
    pub score: u32,
}

impl Finding {
    /// A finding that rests on what the message shows, not on a known indicator.
    pub fn new(
        detector: &'static str,
        severity: Severity,
        confidence: u8,
        summary: String,
        location: Location,
        observed: &str,
        attack: &[&'static str],
    ) -> Finding {
        Finding {
            detector,
            severity,
            confidence,
            summary,
            indicator: None,
            attribution: Vec::new(),
            attack: attack.to_vec(),
            location,
            observed: observed.to_owned(),
            score: 0,
        }
    }
}

/// The judgement on a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    Clean,
    Suspicious,
    Malicious,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Clean => "clean",
            VerdictKind::Suspicious => "suspicious",
            VerdictKind::Malicious => "malicious",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub verdict: VerdictKind,
    /// 0–100.
    pub score: u8,
    /// Strongest first.
    pub findings: Vec<Finding>,
}

/// How findings become a verdict.
///
/// Each finding contributes `weight(severity) × confidence / 100` points; the score is the sum,
/// capped at 100. One indicator seen in several places (the From domain again in the
/// Message-ID and a Received header) is one piece of evidence: only its strongest finding
/// counts, the others show 0. A score at or above `malicious_at` is malicious, at or above `suspicious_at`
/// suspicious, below it clean. With the defaults, a known actor's indicator in a link or
/// sender at confidence 80 (critical: 100 × 0.8 = 80) makes a message malicious on its own;
/// a low-confidence hit on shared infrastructure (high: 80 × 0.3 = 24) does not even make it
/// suspicious until something else adds to it.
///
/// Weak cues of one kind say the same thing several ways (a newsletter's click counter,
/// shortened links and search form are all "link hygiene"), so the low-severity findings of one
/// detector together add at most `low_cap_per_detector` points.
#[derive(Debug, Clone, Serialize)]
pub struct Scoring {
    pub suspicious_at: u32,
    pub malicious_at: u32,
    /// Weights for info, low, medium, high and critical.
    pub weights: [u32; 5],
    pub low_cap_per_detector: u32,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            suspicious_at: 30,
            malicious_at: 70,
            weights: [0, 15, 40, 80, 100],
            low_cap_per_detector: 15,
        }
    }
}

impl Scoring {
    fn contribution(&self, finding: &Finding) -> u32 {
        self.weights[finding.severity as usize] * u32::from(finding.confidence) / 100
    }

    /// Scores findings into a verdict; sets each finding's `score`.
    pub fn verdict(&self, mut findings: Vec<Finding>) -> Verdict {
        for finding in &mut findings {
            finding.score = self.contribution(finding);
        }
        findings.sort_by(|a, b| b.score.cmp(&a.score).then(b.severity.cmp(&a.severity)));
        let mut counted = std::collections::HashSet::new();
        let mut low_by_detector: std::collections::HashMap<&'static str, u32> =
            std::collections::HashMap::new();
        for finding in &mut findings {
            if let Some(indicator) = &finding.indicator {
                if !counted.insert((indicator.kind.clone(), indicator.value.clone())) {
                    finding.score = 0;
                }
            }
            if finding.severity <= Severity::Low {
                let used = low_by_detector.entry(finding.detector).or_default();
                finding.score = finding
                    .score
                    .min(self.low_cap_per_detector.saturating_sub(*used));
                *used += finding.score;
            }
        }
        let total = findings.iter().map(|f| f.score).sum::<u32>().min(100);
        let verdict = if total >= self.malicious_at {
            VerdictKind::Malicious
        } else if total >= self.suspicious_at {
            VerdictKind::Suspicious
        } else {
            VerdictKind::Clean
        };
        Verdict {
            verdict,
            score: total as u8,
            findings,
        }
    }
}

/// A detector: looks at a message and adds findings.
pub trait Detector: Send + Sync {
    fn name(&self) -> &'static str;
    fn detect(&self, message: &Message, findings: &mut Vec<Finding>);
}

/// The detectors and the scoring, ready to judge messages.
pub struct Detect<'m> {
    detectors: Vec<Box<dyn Detector + 'm>>,
    scoring: Scoring,
}

impl<'m> Detect<'m> {
    /// All detectors with the shipped rules, intel from `matcher`, and no domains of the
    /// organization's own.
    pub fn new(matcher: &'m Matcher, scoring: Scoring) -> Detect<'m> {
        Detect::with_rules(matcher, &rules::Rules::shipped(), &[], scoring)
    }

    /// All detectors with the given rules; `own_domains` are the organization's own domains,
    /// protected against lookalikes above all others.
    pub fn with_rules(
        matcher: &'m Matcher,
        rules: &rules::Rules,
        own_domains: &[String],
        scoring: Scoring,
    ) -> Detect<'m> {
        let index = std::sync::Arc::new(lookalike::LookalikeIndex::new(&rules.brands, own_domains));
        Detect {
            detectors: vec![
                Box::new(intel::IntelMatch::new(matcher)),
                Box::new(lookalike::Lookalikes::new(index.clone())),
                Box::new(impersonation::Impersonation::new(&rules.brands)),
                Box::new(auth::Authentication),
                Box::new(links::Links::new(index)),
                Box::new(attachments::Attachments),
                Box::new(lures::Lures::new(&rules.lures)),
                Box::new(lures::Obfuscation),
            ],
            scoring,
        }
    }

    /// Adds a detector that lives outside this crate (YARA, for one).
    pub fn add(&mut self, detector: Box<dyn Detector + 'm>) {
        self.detectors.push(detector);
    }

    /// The detectors' names, in the order they run.
    pub fn detector_names(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    pub fn verdict(&self, message: &Message) -> Verdict {
        let mut findings = Vec::new();
        for detector in &self.detectors {
            detector.detect(message, &mut findings);
        }
        self.scoring.verdict(findings)
    }
}

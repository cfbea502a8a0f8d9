//! forewarn-detect turns a [`Message`] into [`Finding`]s and a [`Verdict`]. Each detector is a
//! small unit; the verdict is computed from the findings by a documented, configurable
//! [`Scoring`], and every finding carries its evidence and its contribution to the score.
//!
//! In a message's path (docs/ARCHITECTURE.md) it comes after forewarn-mail and before the
//! store: ingest's workers (and `forewarn scan`) run it on each message, and the store turns a
//! suspicious verdict into an incident with [`Verdict::threat`], [`Verdict::actor`] and
//! [`Verdict::strongest`].
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
pub mod fit;
pub mod hosts;
pub mod impersonation;
pub mod intel;
pub mod links;
pub mod lookalike;
pub mod lures;
pub mod model;
pub mod money;
pub mod obfuscation;
pub mod rules;

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

/// The stable name of one check a detector makes (`auth.dmarc-fail`, `lure.account`,
/// `yara.office_macro`): what the fitted weights and an operator's local overrides name, as
/// rspamd's symbols do. The detector is the part before the first dot. Stable across
/// releases: renaming one is a change to the weights file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CueId(std::borrow::Cow<'static, str>);

impl CueId {
    /// A cue named in the code.
    pub const fn new(id: &'static str) -> CueId {
        CueId(std::borrow::Cow::Borrowed(id))
    }

    /// A cue named at run time: a lure's theme, a YARA or local rule.
    pub fn named(id: String) -> CueId {
        CueId(std::borrow::Cow::Owned(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The detector that makes the check: the part before the first dot.
    pub fn detector(&self) -> &str {
        self.0
            .split_once('.')
            .map_or(&self.0, |(detector, _)| detector)
    }
}

impl std::fmt::Display for CueId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for CueId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for CueId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for CueId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// One detector's result, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub detector: &'static str,
    /// The check that fired.
    pub cue: CueId,
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
    /// A finding that rests on what the message shows, not on a known indicator. `cue` is
    /// `detector.check`; the detector is the part before the dot.
    pub fn new(
        cue: &'static str,
        severity: Severity,
        confidence: u8,
        summary: String,
        location: Location,
        observed: &str,
        attack: &[&'static str],
    ) -> Finding {
        let detector = cue.split_once('.').map_or(cue, |(detector, _)| detector);
        Finding {
            detector,
            cue: CueId::new(cue),
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

    /// Names the cue more finely than a literal can (a lure's theme, a YARA rule).
    pub fn with_cue(mut self, cue: String) -> Finding {
        self.cue = CueId::named(cue);
        self
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
    /// Points, capped at 100.
    pub score: u8,
    /// Strongest first.
    pub findings: Vec<Finding>,
    /// Combinations of cues that weigh more together; their points are in the score and in
    /// the `score` of the finding they name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub combined: Vec<Combined>,
}

/// What kind of attack a verdict's evidence shows: the playbook that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Threat {
    /// Everything else that is suspicious: a lure, impersonation, a link to a credential page.
    CredentialPhishing,
    /// A weaponized file: an attachment or YARA finding of high severity or more.
    MaliciousDocument,
    /// A domain made to look like one the reader trusts.
    LookalikeDomain,
}

impl Verdict {
    /// The findings that added to the score: the evidence an incident shows.
    pub fn counted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.score > 0)
    }

    /// The activity group or campaign the counted evidence is attributed to, if any.
    pub fn actor(&self) -> Option<&str> {
        self.counted()
            .flat_map(|f| f.attribution.iter())
            .find(|a| a.kind == "actor" || a.kind == "campaign")
            .map(|a| a.name.as_str())
    }

    /// Whether a known actor's indicator is among the counted evidence: the surest sign there
    /// is.
    pub fn known_actor_indicator(&self) -> bool {
        self.actor().is_some() && self.counted().any(|f| f.indicator.is_some())
    }

    /// The severity of the strongest counted finding, if any counted.
    pub fn strongest(&self) -> Option<Severity> {
        self.counted().map(|f| f.severity).max()
    }

    /// What kind of attack the counted evidence shows: a weaponized file above all, then a
    /// lookalike domain, else credential phishing.
    pub fn threat(&self) -> Threat {
        let weaponized = self
            .counted()
            .any(|f| matches!(f.detector, "attachment" | "yara") && f.severity >= Severity::High);
        if weaponized {
            Threat::MaliciousDocument
        } else if self.counted().any(|f| f.detector == "lookalike") {
            Threat::LookalikeDomain
        } else {
            Threat::CredentialPhishing
        }
    }
}

/// A combination of cues that held, and what it added.
#[derive(Debug, Clone, Serialize)]
pub struct Combined {
    pub name: &'static str,
    pub reason: &'static str,
    pub points: u32,
    /// The cue of the finding the points were added to.
    pub cue: CueId,
}

/// How findings become a verdict: each feature a message shows (see [`model`]) adds the
/// points the fitted [`model::Weights`] give it, once; the score is the sum, capped at 100. A
/// score at or above `malicious_at` is malicious, at or above `suspicious_at` suspicious, below
/// it clean. The shipped thresholds are calibrated with the weights for at most 0.1 % of
/// legitimate mail flagged suspicious (docs/DETECTION.md).
#[derive(Debug, Clone)]
pub struct Scoring {
    pub suspicious_at: u32,
    pub malicious_at: u32,
    pub weights: std::sync::Arc<model::Weights>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring::with_weights(model::Weights::shipped())
    }
}

impl Scoring {
    /// Scoring with `weights` and the thresholds calibrated with them.
    pub fn with_weights(weights: model::Weights) -> Scoring {
        Scoring {
            suspicious_at: weights.suspicious_at,
            malicious_at: weights.malicious_at,
            weights: std::sync::Arc::new(weights),
        }
    }

    /// Scores findings into a verdict; sets each finding's `score`.
    pub fn verdict(&self, mut findings: Vec<Finding>) -> Verdict {
        let features = model::features(&mut findings);
        let mut combined = Vec::new();
        for feature in &features {
            let (points, _) = self.weights.points(feature);
            let finding = &mut findings[feature.finding];
            finding.score += points;
            if let Some(name) = feature.key.strip_prefix("combination.") {
                if points > 0 {
                    let combination = model::COMBINATIONS
                        .iter()
                        .find(|c| c.name == name)
                        .expect("combination features name a combination");
                    combined.push(Combined {
                        name: combination.name,
                        reason: combination.reason,
                        points,
                        cue: finding.cue.clone(),
                    });
                }
            }
        }
        findings.sort_by(|a, b| b.score.cmp(&a.score).then(b.severity.cmp(&a.severity)));
        let total = features
            .iter()
            .map(|f| self.weights.points(f).0)
            .sum::<u32>()
            .min(100);
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
            combined,
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
    pub fn new(matcher: impl Into<intel::MatcherRef<'m>>, scoring: Scoring) -> Detect<'m> {
        Detect::with_rules(matcher, &rules::Rules::shipped(), &[], scoring)
    }

    /// All detectors with the given rules; `own_domains` are the organization's own domains,
    /// protected against lookalikes above all others.
    pub fn with_rules(
        matcher: impl Into<intel::MatcherRef<'m>>,
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
                Box::new(obfuscation::Obfuscation),
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
        self.scoring.verdict(self.findings(message))
    }

    /// Every detector's findings, unscored (what [`fit`] learns from).
    pub fn findings(&self, message: &Message) -> Vec<Finding> {
        let mut findings = Vec::new();
        for detector in &self.detectors {
            detector.detect(message, &mut findings);
        }
        findings
    }
}

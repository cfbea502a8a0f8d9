//! The analysis a worker runs on each message: the mail parser, then every detector, with the
//! organization's own verified domains protected against lookalikes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use forewarn_detect::rules::Rules;
use forewarn_detect::{Detect, Detector, Finding, Scoring};
use forewarn_intel::Matcher;
use forewarn_mail::Message;
use forewarn_store::Analysis;

/// Detector sets kept, one per distinct set of an organization's domains.
const CACHED: usize = 1024;

/// The detectors and their data, shared by every worker of a process.
pub struct Analyzer {
    matcher: &'static Matcher,
    rules: Rules,
    extra: Vec<Arc<dyn Detector>>,
    scoring: Scoring,
    limits: forewarn_mail::Limits,
    by_domains: Mutex<HashMap<Vec<String>, Arc<Detect<'static>>>>,
}

/// A detector shared between the detector sets of several organizations.
struct Shared(Arc<dyn Detector>);

impl Detector for Shared {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        self.0.detect(message, findings)
    }
}

impl Analyzer {
    /// An analyzer over `matcher`'s indicators and `rules`, with `extra` detectors (YARA) added
    /// to the built-in ones. The matcher lives as long as the process.
    pub fn new(
        matcher: Matcher,
        rules: Rules,
        extra: Vec<Arc<dyn Detector>>,
        scoring: Scoring,
    ) -> Analyzer {
        Analyzer {
            matcher: Box::leak(Box::new(matcher)),
            rules,
            extra,
            scoring,
            limits: forewarn_mail::Limits::default(),
            by_domains: Mutex::new(HashMap::new()),
        }
    }

    /// The intel this analyzer matches against.
    pub fn catalog(&self) -> &'static forewarn_intel::Catalog {
        self.matcher.catalog()
    }

    /// The built-in detectors with the shipped rules and no intel: what runs before any feed
    /// is configured.
    pub fn builtin() -> Analyzer {
        Analyzer::new(
            Matcher::new(forewarn_intel::Catalog::new(), 0),
            Rules::shipped(),
            Vec::new(),
            Scoring::default(),
        )
    }

    fn detect_for(&self, own_domains: &[String]) -> Arc<Detect<'static>> {
        let mut cache = self.by_domains.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(detect) = cache.get(own_domains) {
            return detect.clone();
        }
        if cache.len() >= CACHED {
            cache.clear();
        }
        let mut detect =
            Detect::with_rules(self.matcher, &self.rules, own_domains, self.scoring.clone());
        for extra in &self.extra {
            detect.add(Box::new(Shared(extra.clone())));
        }
        let detect = Arc::new(detect);
        cache.insert(own_domains.to_vec(), detect.clone());
        detect
    }

    /// Judges one raw message for an organization whose verified domains are `own_domains`.
    /// The error is the reason the message cannot be analysed, for the dead-letter list.
    pub fn analyze(&self, own_domains: &[String], raw: &[u8]) -> Result<Analysis, String> {
        let message = forewarn_mail::parse_with(raw, &self.limits).map_err(|e| e.to_string())?;
        let verdict = self.detect_for(own_domains).verdict(&message);
        let findings = serde_json::to_value(&verdict.findings)
            .map_err(|e| format!("writing the findings: {e}"))?;
        // Who wrote a clean message, and about what, is nobody's business here: the sender and
        // subject are kept only as evidence of something suspicious.
        let evidence = verdict.verdict != forewarn_detect::VerdictKind::Clean;
        Ok(Analysis {
            header_message_id: message.headers.message_id.as_deref().map(bounded),
            sender: message
                .headers
                .from
                .as_ref()
                .filter(|_| evidence)
                .map(|m| bounded(&m.address)),
            subject: message
                .headers
                .subject
                .as_deref()
                .filter(|_| evidence)
                .map(bounded),
            verdict: verdict.verdict.as_str().to_owned(),
            score: verdict.score,
            findings,
            keep_raw_until: None,
            incident: forewarn_store::IncidentDraft::from_verdict(&verdict, &message),
        })
    }
}

/// Header facts are kept at most one header line long (RFC 5322's 998 characters).
fn bounded(text: &str) -> String {
    text.chars().take(998).collect()
}

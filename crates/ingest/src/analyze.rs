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
    intel: Mutex<Intel>,
    rules: Rules,
    extra: Vec<Arc<dyn Detector>>,
    scoring: Scoring,
    limits: forewarn_mail::Limits,
}

/// The matcher in use and the detector sets built on it; swapped together, so no detector set
/// built on an older matcher is handed out after a swap.
struct Intel {
    matcher: Arc<Matcher>,
    by_domains: HashMap<Vec<String>, Arc<Detect<'static>>>,
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
    /// to the built-in ones.
    pub fn new(
        matcher: Matcher,
        rules: Rules,
        extra: Vec<Arc<dyn Detector>>,
        scoring: Scoring,
    ) -> Analyzer {
        Analyzer {
            intel: Mutex::new(Intel {
                matcher: Arc::new(matcher),
                by_domains: HashMap::new(),
            }),
            rules,
            extra,
            scoring,
            limits: forewarn_mail::Limits::default(),
        }
    }

    /// The intel this analyzer matches against now.
    pub fn matcher(&self) -> Arc<Matcher> {
        self.lock().matcher.clone()
    }

    /// Matches every message analysed from now on against `matcher` instead; a message being
    /// analysed goes on with the matcher it started with.
    pub fn swap_matcher(&self, matcher: Arc<Matcher>) {
        let mut intel = self.lock();
        intel.matcher = matcher;
        intel.by_domains.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Intel> {
        self.intel.lock().unwrap_or_else(|e| e.into_inner())
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
        let mut intel = self.lock();
        if let Some(detect) = intel.by_domains.get(own_domains) {
            return detect.clone();
        }
        if intel.by_domains.len() >= CACHED {
            intel.by_domains.clear();
        }
        let mut detect = Detect::with_rules(
            intel.matcher.clone(),
            &self.rules,
            own_domains,
            self.scoring.clone(),
        );
        for extra in &self.extra {
            detect.add(Box::new(Shared(extra.clone())));
        }
        let detect = Arc::new(detect);
        intel
            .by_domains
            .insert(own_domains.to_vec(), detect.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use forewarn_intel::{Catalog, IndicatorKind, NewIndicator};

    const MAIL: &[u8] = b"From: Clinic IT <it@portal-update.example>\r\n\
        To: ann@clinic.example\r\n\
        Subject: Mailbox upgrade\r\n\
        Message-ID: <1@portal-update.example>\r\n\
        \r\n\
        Please sign in at https://portal-update.example/login today.\r\n";

    fn intel_findings(analysis: &Analysis) -> usize {
        analysis
            .findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["detector"] == "intel")
            .count()
    }

    #[test]
    fn a_swapped_matcher_is_used_for_the_next_message() {
        let analyzer = Analyzer::builtin();
        let domains = vec!["clinic.example".to_owned()];
        let before = analyzer.analyze(&domains, MAIL).unwrap();
        assert_eq!(intel_findings(&before), 0);
        let old = analyzer.matcher();

        let mut catalog = Catalog::new();
        let source = catalog.add_source("feed");
        catalog.add_indicator(
            source,
            NewIndicator::exact(
                IndicatorKind::Domain,
                "portal-update.example".into(),
                90,
                vec![],
            ),
        );
        analyzer.swap_matcher(Arc::new(Matcher::new(catalog, 0)));
        let after = analyzer.analyze(&domains, MAIL).unwrap();
        assert!(intel_findings(&after) > 0, "{}", after.findings);
        // Whoever still holds the old matcher reads it unchanged.
        assert_eq!(old.catalog().indicators().len(), 0);
    }
}

//! Where detection meets incidents: the incident a suspicious message's verdict proposes, in
//! the store's words. Correlation ([`crate::correlation`]) then joins it to an open incident
//! or opens one.

use forewarn_detect::{Threat, Verdict, VerdictKind};
use forewarn_mail::Message;

use crate::{IncidentDraft, IncidentKind, Severity};

impl IncidentDraft {
    /// How a suspicious or malicious message joins or opens an incident (none for a clean
    /// one): its kind (which playbook applies), the strongest evidence's severity (critical
    /// when a known actor's indicator is among it), the actor, and the keys it shares with
    /// related messages.
    pub fn from_verdict(verdict: &Verdict, message: &Message) -> Option<IncidentDraft> {
        if verdict.verdict == VerdictKind::Clean {
            return None;
        }
        let actor = verdict.actor().map(str::to_owned);
        let severity = if verdict.known_actor_indicator() {
            Severity::Critical
        } else {
            match verdict.strongest() {
                Some(forewarn_detect::Severity::Critical) => Severity::Critical,
                Some(forewarn_detect::Severity::High) => Severity::High,
                Some(forewarn_detect::Severity::Medium) | None => Severity::Medium,
                Some(forewarn_detect::Severity::Low | forewarn_detect::Severity::Info) => {
                    Severity::Low
                }
            }
        };
        let kind = match verdict.threat() {
            Threat::MaliciousDocument => IncidentKind::MaliciousDocument,
            Threat::LookalikeDomain => IncidentKind::LookalikeDomain,
            Threat::CredentialPhishing => IncidentKind::CredentialPhishing,
        };
        let mut keys = Vec::new();
        if let Some(actor) = &actor {
            keys.push(format!("actor:{}", actor.to_lowercase()));
        }
        for finding in verdict.counted() {
            if let Some(indicator) = &finding.indicator {
                keys.push(format!("indicator:{}:{}", indicator.kind, indicator.value));
            }
        }
        if let Some(from) = &message.headers.from {
            keys.push(format!("sender:{}", from.address));
        }
        if kind == IncidentKind::MaliciousDocument {
            keys.extend(
                message
                    .attachments
                    .iter()
                    .map(|a| format!("attachment:{}", a.sha256)),
            );
        }
        keys.dedup();
        let title = match (&actor, &message.headers.subject) {
            (Some(actor), Some(subject)) => format!("{actor}: {}", bounded(subject)),
            (None, Some(subject)) => bounded(subject),
            (Some(actor), None) => actor.clone(),
            (None, None) => kind.as_str().to_owned(),
        };
        Some(IncidentDraft {
            kind,
            severity,
            actor,
            title,
            keys,
        })
    }
}

/// A title is kept at most one header line long (RFC 5322's 998 characters).
fn bounded(text: &str) -> String {
    text.chars().take(998).collect()
}

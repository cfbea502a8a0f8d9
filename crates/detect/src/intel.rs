//! The intel detector: every indicator the matcher finds becomes a finding, with the actor,
//! campaign or malware it points to.

use std::collections::BTreeMap;
use std::sync::Arc;

use forewarn_intel::{EntityKind, Hit, IndicatorId, Matcher};
use forewarn_mail::{Location, Message};

use crate::{Attribution, Detector, Finding, IndicatorRef, Severity};

pub struct IntelMatch<'m> {
    matcher: MatcherRef<'m>,
}

impl<'m> IntelMatch<'m> {
    pub fn new(matcher: impl Into<MatcherRef<'m>>) -> Self {
        IntelMatch {
            matcher: matcher.into(),
        }
    }
}

/// The matcher a detector set reads: borrowed for a scan, or shared with a process that swaps
/// in a new one when its feeds change (the detector sets built on the old one keep it alive
/// until they are dropped).
#[derive(Clone)]
pub enum MatcherRef<'m> {
    Borrowed(&'m Matcher),
    Shared(Arc<Matcher>),
}

impl std::ops::Deref for MatcherRef<'_> {
    type Target = Matcher;

    fn deref(&self) -> &Matcher {
        match self {
            MatcherRef::Borrowed(matcher) => matcher,
            MatcherRef::Shared(matcher) => matcher,
        }
    }
}

impl<'m> From<&'m Matcher> for MatcherRef<'m> {
    fn from(matcher: &'m Matcher) -> MatcherRef<'m> {
        MatcherRef::Borrowed(matcher)
    }
}

impl From<Arc<Matcher>> for MatcherRef<'static> {
    fn from(matcher: Arc<Matcher>) -> MatcherRef<'static> {
        MatcherRef::Shared(matcher)
    }
}

/// The innermost location, for judging what kind of place it is.
fn innermost(location: &Location) -> &Location {
    match location {
        Location::Attached(_, inner) => innermost(inner),
        other => other,
    }
}

/// Severity by where the indicator was seen; an indicator tied to a known actor is critical
/// wherever the sender controls it.
fn severity(location: &Location, has_actor: bool) -> Severity {
    let place = innermost(location);
    let base = match place {
        l if l.is_sender() || l.is_link() => Severity::High,
        Location::Subject => Severity::High,
        Location::Received(_) | Location::MessageId => Severity::Medium,
        Location::To | Location::Cc => Severity::Low,
        _ => Severity::Medium,
    };
    if has_actor && base == Severity::High {
        Severity::Critical
    } else {
        base
    }
}

fn techniques(location: &Location) -> Vec<&'static str> {
    match innermost(location) {
        Location::Attachment(_) => vec!["T1566.001"],
        l if l.is_link() => vec!["T1566.002"],
        Location::ReplyTo => vec!["T1566", "T1598"],
        _ => vec!["T1566"],
    }
}

fn describe_place(location: &Location) -> &'static str {
    match innermost(location) {
        Location::From => "sender",
        Location::Sender => "Sender header",
        Location::ReplyTo => "reply-to address",
        Location::ReturnPath => "envelope sender",
        Location::To | Location::Cc => "recipient",
        Location::MessageId => "Message-ID",
        Location::Subject => "subject",
        Location::Received(_) => "relay in the Received chain",
        Location::Attachment(_) => "attachment",
        Location::HtmlSource => "remote resource",
        Location::HtmlFormAction => "form target",
        _ => "link",
    }
}

impl Detector for IntelMatch<'_> {
    fn name(&self) -> &'static str {
        "intel"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        let catalog = self.matcher.catalog();
        // One finding per indicator value and place, however many feeds list it.
        let mut grouped: BTreeMap<(String, String, Location), Vec<&Hit>> = BTreeMap::new();
        let hits = self.matcher.match_message(message);
        for hit in &hits {
            let indicator = catalog.indicator(hit.indicator);
            grouped
                .entry((
                    indicator.kind.as_str().to_owned(),
                    indicator.value.to_string(),
                    hit.location.clone(),
                ))
                .or_default()
                .push(hit);
        }
        for ((kind, value, location), hits) in grouped {
            let best: IndicatorId = hits
                .iter()
                .map(|h| h.indicator)
                .max_by_key(|&id| catalog.indicator(id).confidence)
                .expect("groups are never empty");
            let indicator = catalog.indicator(best);
            let mut attribution: Vec<Attribution> = Vec::new();
            let mut entities: Vec<_> = hits
                .iter()
                .flat_map(|h| catalog.attribution(catalog.indicator(h.indicator).attribution))
                .collect();
            entities.sort_by_key(|e| e.kind);
            for entity in entities {
                if attribution
                    .iter()
                    .any(|a| a.name == entity.name && a.kind == entity.kind.as_str())
                {
                    continue;
                }
                attribution.push(Attribution {
                    kind: entity.kind.as_str().to_owned(),
                    name: entity.name.clone(),
                    aliases: entity.aliases.clone(),
                    external_id: entity.external_id.clone(),
                });
            }
            let has_actor = attribution
                .iter()
                .any(|a| a.kind == EntityKind::Actor.as_str());
            let mut sources: Vec<&str> = hits
                .iter()
                .map(|h| catalog.source(catalog.indicator(h.indicator).source))
                .collect();
            sources.dedup();
            let who = match attribution.first() {
                Some(a) => format!(", linked to {} {}", a.kind, a.name),
                None => String::new(),
            };
            let observed = hits[0].observed.clone();
            let summary = format!(
                "{} {} matches known {} indicator {}{}",
                describe_place(&location),
                defang(&observed),
                kind,
                defang(&value),
                who
            );
            findings.push(Finding {
                detector: "intel",
                cue: crate::CueId::new("intel.indicator"),
                severity: severity(&location, has_actor),
                confidence: indicator.confidence,
                summary,
                indicator: Some(IndicatorRef {
                    kind,
                    value,
                    source: sources.join(", "),
                    tlp: indicator.tlp,
                }),
                attribution,
                attack: techniques(&location),
                location,
                observed,
                score: 0,
            });
        }
    }
}

/// Makes a domain or URL safe to show: `evil[.]example`, `hxxps://`.
pub fn defang(value: &str) -> String {
    value.replacen("http", "hxxp", 1).replace('.', "[.]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Detect, Scoring, VerdictKind};
    use forewarn_intel::{feeds, Catalog};

    fn detect_with(list_path: &str, list: &[u8], raw: &[u8]) -> crate::Verdict {
        let mut catalog = Catalog::new();
        feeds::import(&mut catalog, list_path, list);
        let matcher = Matcher::new(catalog, 0);
        let verdict =
            Detect::new(&matcher, Scoring::default()).verdict(&forewarn_mail::parse(raw).unwrap());
        verdict
    }

    #[test]
    fn actor_indicator_in_a_link_is_critical_and_malicious() {
        let v = detect_with(
            "maltrail/malware/apt_example_bear.txt",
            b"# Aliases: Example Bear, EB-1\nevil.example\n",
            b"From: a@example.org\r\n\r\nPlease see https://docs.evil.example/view\r\n",
        );
        assert_eq!(v.verdict, VerdictKind::Malicious);
        let f = &v.findings[0];
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.attack, ["T1566.002"]);
        assert_eq!(f.attribution[0].name, "Example Bear");
        assert!(f.summary.contains("docs[.]evil[.]example"), "{}", f.summary);
        assert_eq!(f.location.to_string(), "text");
    }

    #[test]
    fn shared_infrastructure_alone_stays_clean() {
        let v = detect_with(
            "maltrail/suspicious/dynamic_domain.txt",
            b"# Maltrail\ndyn.example\n",
            b"From: a@example.org\r\n\r\nhttp://x.dyn.example/\r\n",
        );
        assert_eq!(v.verdict, VerdictKind::Clean);
        assert_eq!(v.findings.len(), 1);
        assert!(v.score > 0);
    }

    #[test]
    fn scoring_thresholds_are_configurable() {
        let scoring = Scoring {
            suspicious_at: 1,
            malicious_at: 20,
            ..Scoring::default()
        };
        let mut catalog = Catalog::new();
        feeds::import(
            &mut catalog,
            "maltrail/suspicious/dynamic_domain.txt",
            b"# Maltrail\ndyn.example\n",
        );
        let matcher = Matcher::new(catalog, 0);
        let v = Detect::new(&matcher, scoring)
            .verdict(&forewarn_mail::parse(b"From: a@dyn.example\r\n\r\nx").unwrap());
        assert_eq!(v.verdict, VerdictKind::Malicious);
    }

    #[test]
    fn one_indicator_in_many_places_counts_once() {
        let v = detect_with(
            "maltrail/suspicious/dynamic_domain.txt",
            b"# Maltrail\ndyn.example\n",
            b"From: a@dyn.example\r\nSender: b@dyn.example\r\nMessage-ID: <1@dyn.example>\r\n\r\nhttp://dyn.example/\r\n",
        );
        assert!(
            v.findings.len() >= 4,
            "{:?}",
            v.findings
                .iter()
                .map(|f| f.location.to_string())
                .collect::<Vec<_>>()
        );
        assert_eq!(v.findings.iter().filter(|f| f.score > 0).count(), 1);
        assert_eq!(v.verdict, VerdictKind::Clean);
    }
}

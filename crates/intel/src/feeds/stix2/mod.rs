//! STIX 2.0 and 2.1 bundles: indicators with their patterns, the actors, campaigns, malware and
//! tools they point to through `indicates`, `attributed-to` and `uses` relationships, and TLP
//! markings.

pub mod pattern;

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::{Format, ImportReport};
use crate::model::{
    Catalog, Comparison, EntityId, EntityKind, IndicatorKind, NewIndicator, SourceId, Tlp,
};
use crate::normalize::{detect, normalize_lenient};

/// Confidence given to a STIX indicator that states none.
const DEFAULT_CONFIDENCE: u8 = 75;
/// A malware family used by more groups than this says nothing about which one is behind it.
const MAX_USERS_FOR_ATTRIBUTION: usize = 3;
const MAX_REGEX_SIZE: usize = 256 * 1024;

fn entity_kind(stix_type: &str) -> Option<EntityKind> {
    Some(match stix_type {
        "intrusion-set" | "threat-actor" => EntityKind::Actor,
        "campaign" => EntityKind::Campaign,
        "malware" => EntityKind::Malware,
        "tool" => EntityKind::Tool,
        _ => return None,
    })
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Parses an RFC 3339 timestamp into Unix seconds.
pub(crate) fn timestamp(value: Option<&Value>) -> Option<i64> {
    let s = value?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp())
}

/// Where an object path points, for mail.
enum Target {
    Kind(IndicatorKind),
    NotApplicable(String),
}

fn target(path: &str) -> Target {
    let (object, property) = path.split_once(':').unwrap_or((path, ""));
    let hash_kind = |name: &str| -> Option<IndicatorKind> {
        match name.to_ascii_uppercase().replace('-', "").as_str() {
            "MD5" => Some(IndicatorKind::Md5),
            "SHA1" => Some(IndicatorKind::Sha1),
            "SHA256" => Some(IndicatorKind::Sha256),
            _ => None,
        }
    };
    let kind = match (object, property) {
        ("domain-name", "value") => Some(IndicatorKind::Domain),
        ("url", "value") => Some(IndicatorKind::Url),
        ("email-addr", "value") => Some(IndicatorKind::Email),
        ("ipv4-addr" | "ipv6-addr", "value") => Some(IndicatorKind::Ip),
        ("file", "name") => Some(IndicatorKind::FileName),
        ("email-message", "subject") => Some(IndicatorKind::Subject),
        ("email-message", "from_ref.value" | "sender_ref.value") => Some(IndicatorKind::Email),
        ("email-message", p)
            if p.starts_with("body_multipart") && p.ends_with("body_raw_ref.name") =>
        {
            Some(IndicatorKind::FileName)
        }
        ("email-message", p) if p.starts_with("body_multipart") && p.contains(".hashes.") => {
            p.rsplit('.').next().and_then(hash_kind)
        }
        ("file" | "artifact", p) if p.starts_with("hashes.") => hash_kind(&p["hashes.".len()..]),
        _ => None,
    };
    match kind {
        Some(kind) => Target::Kind(kind),
        None => Target::NotApplicable(path.to_owned()),
    }
}

/// How specific a kind is, to pick from comparisons that must hold together.
fn specificity(kind: IndicatorKind) -> u8 {
    match kind {
        IndicatorKind::Sha256 | IndicatorKind::Sha1 | IndicatorKind::Md5 => 6,
        IndicatorKind::Url => 5,
        IndicatorKind::Email => 4,
        IndicatorKind::Domain => 3,
        IndicatorKind::Ip | IndicatorKind::Cidr => 2,
        IndicatorKind::FileName | IndicatorKind::Subject => 1,
    }
}

/// Translates a STIX `LIKE` pattern (`%` and `_` wildcards) into an anchored regex.
fn like_to_regex(like: &str) -> String {
    let mut out = String::from("^");
    for c in like.chars() {
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

pub(crate) fn check_regex(pattern: &str) -> Result<(), String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(MAX_REGEX_SIZE)
        .build()
        .map(drop)
        .map_err(|e| format!("regex does not compile: {e}"))
}

pub fn import(catalog: &mut Catalog, source: SourceId, path: &str, json: &Value) -> ImportReport {
    let mut report = ImportReport::new(path, Format::Stix2);
    let objects: Vec<&Value> = match json {
        Value::Object(map) if map.contains_key("objects") => map["objects"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        Value::Object(map) if map.contains_key("type") => vec![json],
        Value::Array(list) => list.iter().collect(),
        _ => {
            report.reject(
                "file",
                "a STIX document must be a bundle, an object or a list of objects",
            );
            return report;
        }
    };
    let mut entities: HashMap<&str, EntityId> = HashMap::new();
    let mut markings: HashMap<&str, Tlp> = HashMap::new();
    let mut forward: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut indicators = Vec::new();
    let mut revoked = 0;
    for (n, object) in objects.iter().enumerate() {
        report.objects += 1;
        let Some(stix_type) = object.get("type").and_then(Value::as_str) else {
            report.reject(format!("object {n}"), "no type");
            continue;
        };
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
        if object.get("revoked").and_then(Value::as_bool) == Some(true)
            || object.get("x_mitre_deprecated").and_then(Value::as_bool) == Some(true)
        {
            revoked += 1;
            continue;
        }
        match stix_type {
            "indicator" => indicators.push(*object),
            "relationship" => {
                let rel = object.get("relationship_type").and_then(Value::as_str);
                let src = object.get("source_ref").and_then(Value::as_str);
                let dst = object.get("target_ref").and_then(Value::as_str);
                match (rel, src, dst) {
                    (Some(rel), Some(src), Some(dst)) => {
                        forward.entry(src).or_default().push((rel, dst));
                        if rel == "uses" {
                            users.entry(dst).or_default().push(src);
                        }
                    }
                    _ => report.reject(
                        id,
                        "relationship without relationship_type, source_ref or target_ref",
                    ),
                }
            }
            "marking-definition" => {
                let tlp = object
                    .pointer("/definition/tlp")
                    .and_then(Value::as_str)
                    .or_else(|| object.get("name").and_then(Value::as_str))
                    .and_then(Tlp::parse);
                if let Some(tlp) = tlp {
                    markings.insert(id, tlp);
                }
            }
            other => {
                let Some(kind) = entity_kind(other) else {
                    continue;
                };
                let Some(name) = object
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.trim().is_empty())
                else {
                    report.reject(id, format!("{other} without a name"));
                    continue;
                };
                let mut aliases = strings(object.get("aliases"));
                aliases.extend(strings(object.get("x_mitre_aliases")));
                let external_id = object
                    .get("external_references")
                    .and_then(Value::as_array)
                    .and_then(|refs| {
                        refs.iter()
                            .find(|r| {
                                r.get("source_name")
                                    .and_then(Value::as_str)
                                    .is_some_and(|s| s.starts_with("mitre"))
                            })
                            .and_then(|r| r.get("external_id").and_then(Value::as_str))
                    });
                let entity = catalog.add_entity(kind, name, &aliases, external_id);
                report.named(kind);
                entities.insert(id, entity);
            }
        }
    }
    if revoked > 0 {
        report
            .notes
            .push(format!("{revoked} revoked or deprecated objects skipped"));
    }
    let attribution_of = |start: &str| -> Vec<EntityId> {
        let mut found = Vec::new();
        let mut seen = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            if seen.len() > 256 {
                break;
            }
            let mut next: Vec<&str> = forward
                .get(node)
                .into_iter()
                .flatten()
                .filter(|(rel, _)| matches!(*rel, "indicates" | "attributed-to"))
                .map(|(_, dst)| *dst)
                .collect();
            if node != start {
                if let Some(node_users) = users
                    .get(node)
                    .filter(|u| u.len() <= MAX_USERS_FOR_ATTRIBUTION)
                {
                    next.extend(node_users.iter().copied());
                }
            }
            for n in next {
                if seen.insert(n) {
                    if let Some(&e) = entities.get(n) {
                        found.push(e);
                    }
                    queue.push_back(n);
                }
            }
        }
        found
    };
    for object in indicators {
        let id = object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("indicator without id");
        let pattern_type = object
            .get("pattern_type")
            .and_then(Value::as_str)
            .unwrap_or("stix");
        if pattern_type != "stix" {
            report.not_applicable(&format!("{pattern_type} pattern"));
            continue;
        }
        let Some(pattern) = object.get("pattern").and_then(Value::as_str) else {
            report.reject(id, "indicator without a pattern");
            continue;
        };
        let comparisons = match pattern::comparisons(pattern) {
            Ok(c) => c,
            Err(reason) => {
                report.reject(id, reason);
                continue;
            }
        };
        let confidence = object
            .get("confidence")
            .and_then(Value::as_u64)
            .map_or(DEFAULT_CONFIDENCE, |c| c.min(100) as u8);
        let tlp = strings(object.get("object_marking_refs"))
            .iter()
            .find_map(|m| {
                markings
                    .get(m.as_str())
                    .copied()
                    .or_else(|| Tlp::from_marking_id(m))
            });
        let attribution = attribution_of(id);
        let valid_from = timestamp(object.get("valid_from"));
        let valid_until = timestamp(object.get("valid_until"));
        // Within an AND group only the most specific kind is kept: all of it must be present,
        // so the most specific part is the one that identifies the activity.
        let mut best_in_group: HashMap<usize, u8> = HashMap::new();
        for c in &comparisons {
            if let Target::Kind(kind) = target(&c.path) {
                let best = best_in_group.entry(c.group).or_default();
                *best = (*best).max(specificity(kind));
            }
        }
        for c in comparisons {
            let kind = match target(&c.path) {
                Target::Kind(kind) => kind,
                Target::NotApplicable(path) => {
                    report.not_applicable(&path);
                    continue;
                }
            };
            if best_in_group
                .get(&c.group)
                .is_some_and(|&best| specificity(kind) < best)
            {
                continue;
            }
            let comparison = match c.operator.as_str() {
                "=" | "IN" => Comparison::Exact,
                "MATCHES" | "LIKE" => Comparison::Regex,
                other => {
                    report.reject(
                        id,
                        format!("operator {other} on {} is not supported", c.path),
                    );
                    continue;
                }
            };
            for raw in c.values {
                let new = |kind, comparison, value| NewIndicator {
                    kind,
                    comparison,
                    value,
                    confidence,
                    tlp,
                    valid_from,
                    valid_until,
                    attribution: attribution.clone(),
                };
                let result = match (comparison, kind) {
                    (
                        Comparison::Regex,
                        IndicatorKind::Md5 | IndicatorKind::Sha1 | IndicatorKind::Sha256,
                    ) => Err(format!("{} on a hash is not supported", c.operator)),
                    (Comparison::Regex, _) => {
                        let regex = if c.operator == "LIKE" {
                            like_to_regex(&raw)
                        } else {
                            raw.clone()
                        };
                        check_regex(&regex).map(|()| new(kind, Comparison::Regex, regex))
                    }
                    (Comparison::Exact, IndicatorKind::Ip) if raw.contains('/') => detect(&raw)
                        .map(|(kind, value)| new(kind, Comparison::Exact, value))
                        .ok_or_else(|| format!("{raw:?} is not a valid ip or network")),
                    (Comparison::Exact, _) => normalize_lenient(kind, &raw)
                        .map(|(kind, value)| new(kind, Comparison::Exact, value)),
                };
                match result {
                    Ok(indicator) => report.add(catalog, source, indicator),
                    Err(reason) => report.reject(id, reason),
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    #[test]
    fn indicators_know_their_malware_campaign_and_actor() {
        let bundle = serde_json::json!({
            "type": "bundle",
            "objects": [
                {"type": "intrusion-set", "id": "intrusion-set--1", "name": "Example Group", "aliases": ["EXAMPLE-1"]},
                {"type": "campaign", "id": "campaign--1", "name": "Clinic Lures"},
                {"type": "malware", "id": "malware--1", "name": "ExampleRAT"},
                {"type": "marking-definition", "id": "marking-definition--x", "definition_type": "tlp", "definition": {"tlp": "amber"}},
                {"type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value = 'Evil.Example' OR url:value = 'http://evil.example/a']",
                 "valid_from": "2020-01-01T00:00:00Z", "object_marking_refs": ["marking-definition--x"], "confidence": 90},
                {"type": "indicator", "id": "indicator--2", "pattern": "[file:name = 'x.exe' AND file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']"},
                {"type": "indicator", "id": "indicator--3", "pattern": "[process:name = 'x']"},
                {"type": "indicator", "id": "indicator--4", "pattern": "[domain-name:value = 'not a domain']"},
                {"type": "indicator", "id": "indicator--5", "pattern": "[email-message:subject MATCHES '^Urgent (']"},
                {"type": "relationship", "id": "r1", "relationship_type": "indicates", "source_ref": "indicator--1", "target_ref": "campaign--1"},
                {"type": "relationship", "id": "r2", "relationship_type": "attributed-to", "source_ref": "campaign--1", "target_ref": "intrusion-set--1"},
                {"type": "relationship", "id": "r3", "relationship_type": "indicates", "source_ref": "indicator--2", "target_ref": "malware--1"},
                {"type": "relationship", "id": "r4", "relationship_type": "uses", "source_ref": "intrusion-set--1", "target_ref": "malware--1"}
            ]
        });
        let mut catalog = Catalog::new();
        let source = catalog.add_source("test.stix2");
        let report = import(&mut catalog, source, "test.stix2", &bundle);
        assert_eq!(report.indicator_count(), 3, "{report:#?}");
        assert_eq!(report.not_applicable.get("process:name"), Some(&1));
        assert_eq!(report.rejected_count, 2, "{:?}", report.rejected);
        let domain = &catalog.indicators()[0];
        assert_eq!(&*domain.value, "evil.example");
        assert_eq!(domain.tlp, Some(Tlp::Amber));
        assert_eq!(domain.confidence, 90);
        let mut names: Vec<_> = catalog
            .attribution(domain.attribution)
            .map(|e| e.name.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["Clinic Lures", "Example Group"]);
        let hash = &catalog.indicators()[2];
        assert_eq!(hash.kind, IndicatorKind::Sha256);
        let mut names: Vec<_> = catalog
            .attribution(hash.attribution)
            .map(|e| e.name.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["Example Group", "ExampleRAT"]);
    }

    #[test]
    fn like_becomes_an_anchored_regex() {
        assert_eq!(like_to_regex("inv_%.exe"), r"^inv..*\.exe$");
    }
}

//! An incident as other tools read it: a STIX 2.1 bundle and a MISP event.
//!
//! The bundle holds the operator's identity (who made it), the TLP 2.0 marking it is shared
//! under, an indicator for each indicator of known intel the messages matched and for each
//! sender, the observed e-mail messages with their values defanged, a sighting of the
//! indicators counted and time-bounded with no victim named (where it was seen is a sector
//! class, never the organization), and the actors, campaigns and ATT&CK techniques the findings
//! point to, related to the indicators. Ids are name-based (UUID v5 under the instance's public
//! address), so exporting the same incident again gives the same objects.
//!
//! The MISP event carries the same indicators as attributes (`to_ids` set) with tags for the
//! TLP and the ATT&CK techniques, and no organization.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, Utc};
use forewarn_intel::{Tlp, TLP2_EXTENSION};
use forewarn_store::{Incident, Severity, StoredMessage};
use serde_json::{json, Value};
use uuid::Uuid;

/// The name the instance's identity goes by in what it shares.
pub(crate) fn operator_name(public_url: &str) -> String {
    crate::second_factor::RelyingParty::of(public_url).map_or_else(
        || "forewarn".to_owned(),
        |rp| format!("forewarn ({})", rp.id),
    )
}

/// The TLP 2.0 marking definition of a level, as the extension publishes it.
pub(crate) fn marking_definition(tlp: Tlp) -> Value {
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp.marking_id(),
        "created": "2022-10-01T00:00:00.000Z",
        "name": format!("TLP:{}", tlp.label().to_uppercase()),
        "extensions": {
            TLP2_EXTENSION: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.label(),
            }
        }
    })
}

/// Who makes the export and under what marking.
pub struct Exporter<'a> {
    /// The instance's public address: ids are derived under it.
    pub public_url: &'a str,
    /// The operator's name, for the identity that creates the objects.
    pub operator: &'a str,
    /// The marking every object carries.
    pub tlp: Tlp,
}

/// One indicator: its kind as the intel model names it (`domain`, `url`, `email`, `ip`,
/// `sha256`, …) and its value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Indicator {
    kind: String,
    value: String,
}

/// What the findings of an incident's messages point to.
#[derive(Default)]
struct Gathered {
    indicators: Vec<Indicator>,
    /// (kind, name): kind is `actor`, `campaign`, `malware` or `tool`.
    attributions: BTreeSet<(String, String)>,
    techniques: Vec<String>,
}

fn gather(incident: &Incident, messages: &[StoredMessage]) -> Gathered {
    let mut gathered = Gathered::default();
    for message in messages {
        if let Some(sender) = &message.sender {
            gathered.indicators.push(Indicator {
                kind: "email".to_owned(),
                value: sender.to_lowercase(),
            });
        }
        let findings = message.findings.as_array().cloned().unwrap_or_default();
        for finding in findings {
            if let (Some(kind), Some(value)) = (
                finding["indicator"]["kind"].as_str(),
                finding["indicator"]["value"].as_str(),
            ) {
                gathered.indicators.push(Indicator {
                    kind: kind.to_owned(),
                    value: value.to_owned(),
                });
            }
            for a in finding["attribution"].as_array().into_iter().flatten() {
                if let (Some(kind), Some(name)) = (a["kind"].as_str(), a["name"].as_str()) {
                    gathered
                        .attributions
                        .insert((kind.to_owned(), name.to_owned()));
                }
            }
            for t in finding["attack"].as_array().into_iter().flatten() {
                if let Some(t) = t.as_str() {
                    gathered.techniques.push(t.to_owned());
                }
            }
        }
    }
    if let Some(actor) = &incident.actor {
        gathered
            .attributions
            .insert(("actor".to_owned(), actor.clone()));
    }
    gathered.indicators.sort();
    gathered.indicators.dedup();
    gathered.techniques.sort();
    gathered.techniques.dedup();
    gathered
}

/// A STIX pattern for an indicator (its kind as the intel model names it, and its value), or
/// none for kinds STIX patterns do not name well.
pub(crate) fn pattern_for(kind: &str, value: &str) -> Option<String> {
    let quoted = value.replace('\\', "\\\\").replace('\'', "\\'");
    let path = match kind {
        "domain" => "domain-name:value",
        "url" => "url:value",
        "email" => "email-addr:value",
        "ip" | "cidr" if value.contains(':') => "ipv6-addr:value",
        "ip" | "cidr" => "ipv4-addr:value",
        "md5" => "file:hashes.MD5",
        "sha1" => "file:hashes.'SHA-1'",
        "sha256" => "file:hashes.'SHA-256'",
        "file-name" => "file:name",
        "subject" => "email-message:subject",
        _ => return None,
    };
    Some(format!("[{path} = '{quoted}']"))
}

fn stamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Exporter<'_> {
    /// A domain or relationship object's id: shaped as the random (v4) ids STIX asks for,
    /// but derived from the instance and the object's name, so it is the same every time.
    pub(crate) fn id(&self, kind: &str, name: &str) -> String {
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, self.public_url.as_bytes());
        let derived = Uuid::new_v5(&namespace, format!("{kind}:{name}").as_bytes());
        format!(
            "{kind}--{}",
            uuid::Builder::from_random_bytes(*derived.as_bytes()).into_uuid()
        )
    }

    /// A cyber-observable's id as STIX 2.1 derives it (§2.9): UUID v5 under STIX's namespace
    /// over its id-contributing properties, serialized with sorted keys and no spaces.
    fn observable_id(kind: &str, contributing: &BTreeMap<&str, &str>) -> String {
        let namespace = Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);
        let text = serde_json::to_string(contributing).unwrap_or_default();
        format!("{kind}--{}", Uuid::new_v5(&namespace, text.as_bytes()))
    }

    /// The operator's identity, which creates every object; without its times.
    pub(crate) fn operator_identity(&self) -> Value {
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": self.id("identity", "operator"),
            "name": self.operator,
            "identity_class": "organization",
        })
    }

    /// The incident as a STIX 2.1 bundle.
    pub fn stix(&self, incident: &Incident, messages: &[StoredMessage]) -> Value {
        let gathered = gather(incident, messages);
        let created = stamp(&incident.first_seen);
        let modified = stamp(&incident.updated_at.max(incident.first_seen));
        let identity = self.id("identity", "operator");
        let marking = self.tlp.marking_id();
        let common = |kind: &str, name: &str| {
            json!({
                "type": kind,
                "spec_version": "2.1",
                "id": self.id(kind, name),
                "created": created,
                "modified": modified,
                "created_by_ref": identity,
                "object_marking_refs": [marking],
            })
        };
        let merge = |mut base: Value, more: Value| {
            if let (Some(base), Value::Object(more)) = (base.as_object_mut(), more) {
                base.extend(more);
            }
            base
        };
        let mut objects = vec![marking_definition(self.tlp), {
            let mut operator = self.operator_identity();
            operator["created"] = json!(created);
            operator["modified"] = json!(created);
            operator
        }];
        // Where it was seen: a class of organizations, never the one attacked.
        let sector = merge(
            common("identity", "sector:healthcare"),
            json!({
                "name": "A member organization (healthcare)",
                "identity_class": "class",
                "sectors": ["healthcare"],
            }),
        );
        let sector_id = sector["id"].clone();
        objects.push(sector);
        let mut indicator_ids = Vec::new();
        for indicator in &gathered.indicators {
            let Some(pattern) = pattern_for(&indicator.kind, &indicator.value) else {
                continue;
            };
            let name = format!("{}:{}", indicator.kind, indicator.value);
            let object = merge(
                common("indicator", &name),
                json!({
                    "name": forewarn_alerts::defang(&indicator.value),
                    "description": format!("Seen in mail of the incident \"{}\"", incident.title),
                    "indicator_types": ["malicious-activity"],
                    "pattern": pattern,
                    "pattern_type": "stix",
                    "valid_from": created,
                }),
            );
            indicator_ids.push(object["id"].clone());
            objects.push(object);
        }
        let mut related = Vec::new();
        for (kind, name) in &gathered.attributions {
            let stix_kind = match kind.as_str() {
                "actor" => "intrusion-set",
                "campaign" => "campaign",
                "malware" => "malware",
                "tool" => "tool",
                _ => continue,
            };
            let mut object = merge(common(stix_kind, name), json!({ "name": name }));
            if stix_kind == "malware" {
                object["is_family"] = json!(true);
            }
            related.push(object["id"].clone());
            objects.push(object);
        }
        for technique in &gathered.techniques {
            let object = merge(
                common("attack-pattern", technique),
                json!({
                    "name": technique,
                    "external_references": [{ "source_name": "mitre-attack", "external_id": technique }],
                }),
            );
            related.push(object["id"].clone());
            objects.push(object);
        }
        for indicator in &indicator_ids {
            for target in &related {
                let name = format!("{indicator}->{target}");
                objects.push(merge(
                    common("relationship", &name),
                    json!({
                        "relationship_type": "indicates",
                        "source_ref": indicator,
                        "target_ref": target,
                    }),
                ));
            }
        }
        // The messages as observed, every value defanged.
        let mut observed_refs = Vec::new();
        // The sender stays a valid address (STIX checks its form); the subject, where the
        // lure's links and names are, is defanged.
        for message in messages.iter().take(50) {
            let subject = message.subject.as_deref().map(forewarn_alerts::defang);
            let mut contributing = BTreeMap::new();
            let mut email = json!({
                "type": "email-message",
                "spec_version": "2.1",
                "is_multipart": false,
            });
            if let Some(sender) = &message.sender {
                let value = sender.to_lowercase();
                let id =
                    Self::observable_id("email-addr", &BTreeMap::from([("value", value.as_str())]));
                let from = json!({
                    "type": "email-addr",
                    "spec_version": "2.1",
                    "id": id,
                    "value": value,
                });
                email["from_ref"] = from["id"].clone();
                if !observed_refs.contains(&from["id"]) {
                    observed_refs.push(from["id"].clone());
                    objects.push(from);
                }
            }
            let from_ref = email["from_ref"].as_str().map(str::to_owned);
            if let Some(from_ref) = &from_ref {
                contributing.insert("from_ref", from_ref.as_str());
            }
            if let Some(subject) = &subject {
                email["subject"] = json!(subject);
                email["defanged"] = json!(true);
                contributing.insert("subject", subject.as_str());
            }
            let id = Self::observable_id("email-message", &contributing);
            email["id"] = json!(id);
            if !observed_refs.contains(&email["id"]) {
                observed_refs.push(email["id"].clone());
                objects.push(email);
            }
        }
        let observed = merge(
            common("observed-data", incident.id.as_str()),
            json!({
                "first_observed": stamp(&incident.first_seen),
                "last_observed": stamp(&incident.last_seen),
                "number_observed": incident.message_count.max(1),
                "object_refs": observed_refs,
            }),
        );
        let observed_id = observed["id"].clone();
        objects.push(observed);
        for indicator in &indicator_ids {
            let name = format!("{}:{indicator}", incident.id);
            objects.push(merge(
                common("sighting", &name),
                json!({
                    "sighting_of_ref": indicator,
                    "count": incident.message_count.max(1),
                    "first_seen": stamp(&incident.first_seen),
                    "last_seen": stamp(&incident.last_seen),
                    "observed_data_refs": [observed_id],
                    "where_sighted_refs": [sector_id],
                }),
            ));
        }
        json!({
            "type": "bundle",
            "id": self.id("bundle", &format!("{}:{modified}", incident.id)),
            "objects": objects,
        })
    }

    /// The incident as a MISP event (the `{"Event": …}` form MISP imports).
    pub fn misp(&self, incident: &Incident, messages: &[StoredMessage]) -> Value {
        let gathered = gather(incident, messages);
        let threat_level = match incident.severity {
            Severity::Critical | Severity::High => "1",
            Severity::Medium => "2",
            Severity::Low => "3",
        };
        let attributes: Vec<Value> = gathered
            .indicators
            .iter()
            .filter_map(|i| {
                let (kind, category) = match i.kind.as_str() {
                    "domain" => ("domain", "Network activity"),
                    "url" => ("url", "Network activity"),
                    "email" => ("email-src", "Payload delivery"),
                    "ip" => ("ip-dst", "Network activity"),
                    "cidr" => ("ip-dst", "Network activity"),
                    "md5" => ("md5", "Payload delivery"),
                    "sha1" => ("sha1", "Payload delivery"),
                    "sha256" => ("sha256", "Payload delivery"),
                    "file-name" => ("filename", "Payload delivery"),
                    "subject" => ("email-subject", "Payload delivery"),
                    _ => return None,
                };
                Some(json!({
                    "uuid": Uuid::new_v5(
                        &Uuid::new_v5(&Uuid::NAMESPACE_URL, self.public_url.as_bytes()),
                        format!("misp-attribute:{}:{}:{}", incident.id, i.kind, i.value).as_bytes()
                    ).to_string(),
                    "type": kind,
                    "category": category,
                    "value": i.value,
                    "to_ids": true,
                    "comment": format!("forewarn incident {}", incident.id),
                }))
            })
            .collect();
        let mut tags = vec![json!({ "name": format!("tlp:{}", self.tlp.label()) })];
        for technique in &gathered.techniques {
            tags.push(json!({ "name": format!("mitre-attack:{technique}") }));
        }
        for (kind, name) in &gathered.attributions {
            tags.push(json!({ "name": format!("forewarn:{kind}=\"{name}\"") }));
        }
        json!({
            "Event": {
                "uuid": Uuid::new_v5(
                    &Uuid::new_v5(&Uuid::NAMESPACE_URL, self.public_url.as_bytes()),
                    format!("misp-event:{}", incident.id).as_bytes()
                ).to_string(),
                "info": incident.title,
                "date": incident.first_seen.format("%Y-%m-%d").to_string(),
                "timestamp": incident.updated_at.timestamp().to_string(),
                "threat_level_id": threat_level,
                "analysis": "2",
                "distribution": "0",
                "published": false,
                "Attribute": attributes,
                "Tag": tags,
            }
        })
    }
}

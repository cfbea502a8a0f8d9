//! MISP: events (bare, `{"Event":…}` or a REST `{"response":[…]}` list), a feed's
//! `manifest.json`, galaxy clusters (actor and malware names with synonyms), and CSV exports.

use serde_json::Value;

use super::{not_applicable_hint, Format, ImportReport};
use crate::model::{Catalog, EntityId, EntityKind, IndicatorKind, NewIndicator, SourceId, Tlp};
use crate::normalize::{detect, normalize_lenient};

/// Confidence for attributes flagged for detection (`to_ids`), and for the rest.
const CONFIDENCE_TO_IDS: u8 = 80;
const CONFIDENCE_CONTEXT: u8 = 50;

/// The indicator kinds of a MISP attribute type, one per `|`-separated component; `Err` names
/// a component that cannot appear in mail.
fn attribute_kinds(misp_type: &str) -> Vec<Result<IndicatorKind, String>> {
    let one = |t: &str| -> Result<IndicatorKind, String> {
        Ok(match t {
            "domain" | "hostname" => IndicatorKind::Domain,
            "url" => IndicatorKind::Url,
            "ip-src" | "ip-dst" => IndicatorKind::Ip,
            "email" | "email-src" | "email-reply-to" | "whois-registrant-email" => {
                IndicatorKind::Email
            }
            "email-subject" => IndicatorKind::Subject,
            "filename" | "email-attachment" => IndicatorKind::FileName,
            "md5" => IndicatorKind::Md5,
            "sha1" => IndicatorKind::Sha1,
            "sha256" => IndicatorKind::Sha256,
            "email-dst" => return Err("email recipient".to_owned()),
            other => return Err(other.to_owned()),
        })
    };
    match misp_type {
        "malware-sample" => vec![Ok(IndicatorKind::FileName), Ok(IndicatorKind::Md5)],
        t => t.split('|').map(one).collect(),
    }
}

/// Reads an attribute's value (or each component of a composite one) into indicators.
#[allow(clippy::too_many_arguments)]
fn attribute(
    report: &mut ImportReport,
    catalog: &mut Catalog,
    source: SourceId,
    object: &str,
    misp_type: &str,
    value: &str,
    to_ids: bool,
    tlp: Option<Tlp>,
    attribution: &[EntityId],
) {
    let kinds = attribute_kinds(misp_type);
    let values: Vec<&str> = if kinds.len() > 1 {
        value.splitn(kinds.len(), '|').collect()
    } else {
        vec![value]
    };
    if values.len() != kinds.len() {
        report.reject(
            object,
            format!(
                "{misp_type} value {value:?} does not have {} parts",
                kinds.len()
            ),
        );
        return;
    }
    for (kind, raw) in kinds.into_iter().zip(values) {
        let kind = match kind {
            Ok(kind) => kind,
            Err(what) => {
                report.not_applicable(&what);
                continue;
            }
        };
        // ip-dst may hold a network.
        let normalized = match kind {
            IndicatorKind::Ip => detect(raw)
                .filter(|(k, _)| matches!(k, IndicatorKind::Ip | IndicatorKind::Cidr))
                .ok_or_else(|| format!("{raw:?} is not a valid ip or network")),
            _ => normalize_lenient(kind, raw),
        };
        match normalized {
            Ok((kind, value)) => report.add(
                catalog,
                source,
                NewIndicator {
                    tlp,
                    ..NewIndicator::exact(
                        kind,
                        value,
                        if to_ids {
                            CONFIDENCE_TO_IDS
                        } else {
                            CONFIDENCE_CONTEXT
                        },
                        attribution.to_vec(),
                    )
                },
            ),
            Err(reason) => report.reject(object, reason),
        }
    }
}

fn tags_tlp(tags: Option<&Value>) -> Option<Tlp> {
    tags?
        .as_array()?
        .iter()
        .filter_map(|t| t.get("name")?.as_str())
        .find_map(|n| n.starts_with("tlp:").then(|| Tlp::parse(n)).flatten())
}

/// The entity kind a galaxy type describes.
fn galaxy_kind(galaxy_type: &str) -> Option<EntityKind> {
    let t = galaxy_type.to_ascii_lowercase();
    if [
        "intrusion-set",
        "threat-actor",
        "activity-group",
        "360net",
        "surveillance-vendor",
        "intelligence-agencies",
    ]
    .iter()
    .any(|k| t.contains(k))
    {
        Some(EntityKind::Actor)
    } else if [
        "malware",
        "malpedia",
        "ransomware",
        "rat",
        "backdoor",
        "android",
        "stealer",
        "botnet",
        "stalkerware",
        "banker",
    ]
    .iter()
    .any(|k| t.contains(k))
    {
        Some(EntityKind::Malware)
    } else if t.contains("tool") {
        Some(EntityKind::Tool)
    } else {
        None
    }
}

/// Splits an ATT&CK-style cluster value, `APT1 - G0006`, into name and ID.
fn split_external_id(value: &str) -> (&str, Option<&str>) {
    match value.rsplit_once(" - ") {
        Some((name, id))
            if id.len() == 5
                && id.starts_with(['G', 'S', 'C'])
                && id[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            (name, Some(id))
        }
        _ => (value, None),
    }
}

fn cluster_entity(
    catalog: &mut Catalog,
    report: &mut ImportReport,
    kind: EntityKind,
    cluster: &Value,
) -> Option<EntityId> {
    let value = cluster.get("value")?.as_str()?.trim();
    if value.is_empty() {
        return None;
    }
    let (name, external_id) = split_external_id(value);
    let synonyms: Vec<String> = cluster
        .pointer("/meta/synonyms")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    report.named(kind);
    Some(catalog.add_entity(kind, name, &synonyms, external_id))
}

fn events(json: &Value) -> Vec<&Value> {
    match json {
        Value::Object(map) if map.contains_key("response") => match &map["response"] {
            Value::Array(list) => list.iter().flat_map(events).collect(),
            other => events(other),
        },
        Value::Object(map) if map.contains_key("Event") => vec![&map["Event"]],
        Value::Object(_) => vec![json],
        Value::Array(list) => list.iter().flat_map(events).collect(),
        _ => Vec::new(),
    }
}

pub fn import_events(
    catalog: &mut Catalog,
    source: SourceId,
    path: &str,
    json: &Value,
) -> ImportReport {
    let mut report = ImportReport::new(path, Format::MispEvent);
    let events = events(json);
    if events.is_empty() {
        report.reject("file", "no MISP event found");
    }
    for event in events {
        let mut attribution = Vec::new();
        if let Some(info) = event
            .get("info")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            report.named(EntityKind::Campaign);
            attribution.push(catalog.add_entity(EntityKind::Campaign, info, &[], None));
        }
        for galaxy in event
            .get("Galaxy")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(kind) = galaxy
                .get("type")
                .and_then(Value::as_str)
                .and_then(galaxy_kind)
            else {
                continue;
            };
            for cluster in galaxy
                .get("GalaxyCluster")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                attribution.extend(cluster_entity(catalog, &mut report, kind, cluster));
            }
        }
        // Events exported without their Galaxy block still carry the clusters as tags.
        for tag in event
            .get("Tag")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name")?.as_str())
        {
            let Some((galaxy_type, value)) = tag
                .strip_prefix("misp-galaxy:")
                .and_then(|t| t.split_once('='))
            else {
                continue;
            };
            if let Some(kind) = galaxy_kind(galaxy_type) {
                let (name, external_id) = split_external_id(value.trim_matches('"'));
                report.named(kind);
                attribution.push(catalog.add_entity(kind, name, &[], external_id));
            }
        }
        let event_tlp = tags_tlp(event.get("Tag"));
        let direct = event
            .get("Attribute")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let in_objects = event
            .get("Object")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|o| {
                o.get("Attribute")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            });
        for attr in direct.chain(in_objects) {
            report.objects += 1;
            let id = attr
                .get("uuid")
                .and_then(Value::as_str)
                .unwrap_or("attribute without uuid")
                .to_owned();
            if attr.get("deleted").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let (Some(misp_type), Some(value)) = (
                attr.get("type").and_then(Value::as_str),
                attr.get("value").and_then(Value::as_str),
            ) else {
                report.reject(id, "attribute without type or value");
                continue;
            };
            let to_ids = attr
                .get("to_ids")
                .and_then(|v| {
                    v.as_bool()
                        .or_else(|| v.as_str().map(|s| s == "1" || s == "true"))
                })
                .unwrap_or(false);
            let tlp = tags_tlp(attr.get("Tag")).or(event_tlp);
            attribute(
                &mut report,
                catalog,
                source,
                &id,
                misp_type,
                value,
                to_ids,
                tlp,
                &attribution,
            );
        }
    }
    report
}

/// A feed's manifest lists its events; the caller imports `<uuid>.json` beside it.
pub fn import_manifest(path: &str, json: &Value) -> ImportReport {
    let mut report = ImportReport::new(path, Format::MispManifest);
    match json.as_object() {
        Some(map) => {
            for (uuid, event) in map {
                report.objects += 1;
                if uuid.len() > 64 || !uuid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
                    report.reject(uuid.as_str(), "manifest key is not an event uuid");
                } else if !event.is_object() {
                    report.reject(uuid.as_str(), "manifest entry is not an object");
                } else {
                    report.referenced_files.push(format!("{uuid}.json"));
                }
            }
            report.notes.push(format!(
                "MISP feed manifest listing {} events",
                report.referenced_files.len()
            ));
        }
        None => report.reject(
            "file",
            "a MISP manifest must be an object keyed by event uuid",
        ),
    }
    report
}

pub fn import_galaxy(catalog: &mut Catalog, path: &str, json: &Value) -> ImportReport {
    let mut report = ImportReport::new(path, Format::MispGalaxy);
    let galaxy_type = json.get("type").and_then(Value::as_str).unwrap_or_default();
    let values = json.get("values").and_then(Value::as_array);
    let Some(values) = values else {
        report.reject("file", "galaxy cluster without values");
        return report;
    };
    report.objects = values.len();
    match galaxy_kind(galaxy_type) {
        Some(kind) => {
            for (n, cluster) in values.iter().enumerate() {
                if cluster_entity(catalog, &mut report, kind, cluster).is_none() {
                    report.reject(format!("value {n}"), "cluster without a value");
                }
            }
        }
        None => report.notes.push(format!("galaxy {galaxy_type:?} is a reference vocabulary, not actors or malware: nothing to import")),
    }
    report
}

/// MISP CSV exports (`uuid,event_id,category,type,value,comment,to_ids,date`) and other CSV
/// files whose columns name what they hold.
pub fn import_csv(
    catalog: &mut Catalog,
    source: SourceId,
    path: &str,
    bytes: &[u8],
    format: Format,
) -> ImportReport {
    let mut report = ImportReport::new(path, format);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = reader.records();
    let header: Vec<String> = match rows.next() {
        Some(Ok(record)) => record
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .collect(),
        Some(Err(e)) => {
            report.reject("line 1", format!("unreadable CSV: {e}"));
            return report;
        }
        None => return report,
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let file_hint = not_applicable_hint(super::file_name(path));
    if format == Format::MispCsv {
        let (Some(type_col), Some(value_col)) = (column("type"), column("value")) else {
            report.reject("line 1", "MISP CSV without type and value columns");
            return report;
        };
        let (uuid_col, ids_col) = (column("uuid"), column("to_ids"));
        for (n, row) in rows.enumerate() {
            report.objects += 1;
            let line = format!("line {}", n + 2);
            let record = match row {
                Ok(record) => record,
                Err(e) => {
                    report.reject(line, format!("unreadable CSV row: {e}"));
                    continue;
                }
            };
            let (Some(misp_type), Some(value)) = (record.get(type_col), record.get(value_col))
            else {
                report.reject(line, "row has no type or value");
                continue;
            };
            let object = uuid_col
                .and_then(|c| record.get(c))
                .filter(|u| !u.is_empty())
                .map_or(line, str::to_owned);
            let to_ids = ids_col
                .and_then(|c| record.get(c))
                .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
            attribute(
                &mut report,
                catalog,
                source,
                &object,
                misp_type,
                value,
                to_ids,
                None,
                &[],
            );
        }
        return report;
    }
    // Any other CSV: a header names the columns (or is absent, when its first row holds
    // values); values are recognized by their form.
    let header_is_values = header.iter().any(|h| detect(h).is_some());
    let family_col = header
        .iter()
        .position(|h| h.contains("malware") || h.contains("family"));
    let mut rows_without_indicator = 0;
    let first = header_is_values.then(|| Ok(csv::StringRecord::from(header.clone())));
    for (n, row) in first.into_iter().chain(rows).enumerate() {
        report.objects += 1;
        let line = format!("line {}", n + if header_is_values { 1 } else { 2 });
        let record = match row {
            Ok(record) => record,
            Err(e) => {
                report.reject(line, format!("unreadable CSV row: {e}"));
                continue;
            }
        };
        if let Some(what) = file_hint {
            report.not_applicable(what);
            continue;
        }
        let attribution: Vec<EntityId> = family_col
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|f| !f.is_empty() && detect(f).is_none())
            .map(|family| {
                report.named(EntityKind::Malware);
                catalog.add_entity(EntityKind::Malware, family, &[], None)
            })
            .into_iter()
            .collect();
        let mut found = false;
        for (c, cell) in record.iter().enumerate() {
            if Some(c) == family_col {
                continue;
            }
            if let Some((kind, value)) = detect(cell) {
                found = true;
                report.add(
                    catalog,
                    source,
                    NewIndicator::exact(kind, value, CONFIDENCE_TO_IDS, attribution.clone()),
                );
            }
        }
        if !found {
            rows_without_indicator += 1;
        }
    }
    if rows_without_indicator > 0 {
        report.notes.push(format!(
            "{rows_without_indicator} rows hold no domain, URL, address, IP or hash"
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_every_wrapping_and_composite_attributes() {
        let event = serde_json::json!({
            "info": "Lures against clinics",
            "Tag": [{"name": "tlp:green"}, {"name": "misp-galaxy:threat-actor=\"Example Bear\""}],
            "Attribute": [
                {"uuid": "a1", "type": "domain", "value": "evil.example", "to_ids": true},
                {"uuid": "a2", "type": "filename|sha256", "value": "lure.docm|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                {"uuid": "a3", "type": "ip-dst|port", "value": "192.0.2.1|443"},
                {"uuid": "a4", "type": "regkey", "value": "HKLM\\x"},
                {"uuid": "a5", "type": "domain", "value": "not a domain"},
                {"uuid": "a6", "type": "domain", "value": "gone.example", "deleted": true}
            ],
            "Object": [{"Attribute": [{"uuid": "o1", "type": "email-src", "value": "Spoof@Evil.Example"}]}]
        });
        for wrapped in [
            event.clone(),
            serde_json::json!({"Event": event.clone()}),
            serde_json::json!({"response": [{"Event": event}]}),
        ] {
            let mut catalog = Catalog::new();
            let source = catalog.add_source("e.json");
            let report = import_events(&mut catalog, source, "e.json", &wrapped);
            assert_eq!(report.indicator_count(), 5, "{report:#?}");
            assert_eq!(report.rejected_count, 1);
            assert_eq!(report.not_applicable.get("regkey"), Some(&1));
            assert_eq!(report.not_applicable.get("port"), Some(&1));
            let first = &catalog.indicators()[0];
            assert_eq!(first.tlp, Some(Tlp::Green));
            assert_eq!(first.confidence, CONFIDENCE_TO_IDS);
            let names: Vec<_> = catalog
                .attribution(first.attribution)
                .map(|e| e.name.clone())
                .collect();
            assert_eq!(names, ["Lures against clinics", "Example Bear"]);
        }
    }

    #[test]
    fn csv_with_and_without_header() {
        let mut catalog = Catalog::new();
        let s = catalog.add_source("x");
        let misp = b"uuid,event_id,category,type,value,comment,to_ids,date\nu1,1,Network activity,domain,\"a.example\",\"\",1,20170101\nu2,1,x,ip-dst,\"nope\",\"\",1,1\n";
        let r = import_csv(&mut catalog, s, "iocs.csv", misp, Format::MispCsv);
        assert_eq!((r.indicator_count(), r.rejected_count), (1, 1));
        let plain =
            b"MD5,,C2,Malware Family\nd41d8cd98f00b204e9800998ecf8427e,,c2.example,CyberThing\n";
        let r = import_csv(&mut catalog, s, "md5-c2.csv", plain, Format::Csv);
        assert_eq!(r.indicator_count(), 2);
        let i = catalog.indicators().last().unwrap();
        assert_eq!(
            catalog.attribution(i.attribution).next().unwrap().name,
            "CyberThing"
        );
        let headless = b"evil.example\nsomeone@evil.example\n";
        assert_eq!(
            import_csv(&mut catalog, s, "assorted.csv", headless, Format::Csv).indicator_count(),
            2
        );
    }

    #[test]
    fn galaxy_clusters_name_actors_with_synonyms() {
        let galaxy = serde_json::json!({"type": "threat-actor", "uuid": "u", "values": [
            {"value": "APT1 - G0006", "meta": {"synonyms": ["Comment Crew"]}}, {"value": ""}]});
        let mut catalog = Catalog::new();
        let r = import_galaxy(&mut catalog, "threat-actor.json", &galaxy);
        assert_eq!(r.rejected_count, 1);
        let id = catalog
            .find_entity(EntityKind::Actor, "comment crew")
            .unwrap();
        assert_eq!(catalog.entity(id).external_id.as_deref(), Some("G0006"));
    }
}

//! What forewarn shares, kept current: its two TAXII collections, republished as the intel it
//! matches with and the sightings in members' mail change.
//!
//! **Indicators** are the operator's intel (configuration files and managed feeds) as STIX 2.1
//! indicators, with the actors, campaigns, malware and tools they are attributed to and the
//! relationships between them. One indicator per kind and value, however many feeds hold it:
//! the highest confidence, the latest end of validity, the least restrictive TLP a source gave
//! it (that source allows that much). TLP:RED indicators are never published. Unmarked intel
//! is shared as TLP:AMBER, only with the operator's own staff. An indicator an analyst revoked
//! (an incident judged a false positive) gets a new version with `revoked: true`; one its
//! feed dropped gets a new version whose validity ends then.
//!
//! **Sightings** count, for each published indicator seen in members' mail, the messages it
//! was seen in and when first and last. They name no organization, account, address or
//! message: where it was seen is a class of organizations, and who reports it is the operator.
//! A sighting carries the TLP of the indicator it sights.
//!
//! Every object keeps its id across versions (derived from the instance and what it is), so
//! readers and exports name the same indicator the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use forewarn_intel::{Comparison, EntityKind, Matcher, Tlp};
use forewarn_store::{NewShared, Published, Role, Store};
use serde_json::{json, Value};

use crate::export::{marking_definition, pattern_for, Exporter};
use crate::AppState;

/// The operator's indicators.
pub const INDICATORS: &str = "indicators";
/// Sightings of those indicators in members' mail.
pub const SIGHTINGS: &str = "sightings";

/// The TLP unmarked intel is shared under.
const UNMARKED: Tlp = Tlp::Amber;

/// The TLP levels a role may read from forewarn's collections. TLP:AMBER and AMBER+STRICT
/// stay with the operator's staff (the organization that received them); members read what
/// their community may: CLEAR and GREEN. RED is never shared.
pub fn readable(role: Role) -> &'static [Tlp] {
    match role {
        Role::Operator | Role::Analyst => &[Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict],
        Role::OrgAdmin | Role::Member => &[Tlp::Clear, Tlp::Green],
    }
}

/// Publishes the collections every minute; the indicators only when the matcher changed.
pub(crate) async fn run(state: AppState) {
    let mut published: Option<Arc<Matcher>> = None;
    loop {
        if let Err(error) = publish(&state, &mut published).await {
            tracing::warn!(%error, "the shared collections could not be published");
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

/// Publishes what changed since `last` (the matcher published last), once.
pub async fn publish(
    state: &AppState,
    last: &mut Option<Arc<Matcher>>,
) -> Result<(usize, usize), forewarn_store::Error> {
    let Some(view) = state.intel.get() else {
        return Ok((0, 0));
    };
    let matcher = view.matcher();
    let publisher = Publisher::new(state);
    let indicators = if last.as_ref().is_some_and(|m| Arc::ptr_eq(m, &matcher)) {
        0
    } else {
        let revoked: HashSet<(String, String)> = state
            .store
            .indicator_revocations()
            .await?
            .into_iter()
            .collect();
        let n = publisher
            .publish_indicators(&state.store, &matcher, &revoked, Utc::now())
            .await?;
        *last = Some(matcher.clone());
        n
    };
    let sightings = publisher
        .publish_sightings(&state.store, Utc::now())
        .await?;
    Ok((indicators, sightings))
}

/// One indicator as shared: every source's copy merged.
struct Shared {
    kind: &'static str,
    value: String,
    confidence: u8,
    tlp: Tlp,
    valid_from: Option<i64>,
    /// None: valid until revoked.
    valid_until: Option<i64>,
    entities: BTreeSet<(EntityKind, String)>,
}

/// Builds the shared objects under the instance's name.
pub struct Publisher {
    public_url: String,
    operator: String,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn stamp_secs(secs: i64) -> String {
    stamp(Utc.timestamp_opt(secs, 0).single().unwrap_or_default())
}

/// A STIX type for an entity kind.
fn stix_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Actor => "intrusion-set",
        EntityKind::Campaign => "campaign",
        EntityKind::Malware => "malware",
        EntityKind::Tool => "tool",
    }
}

/// An object's version as a collection stores it: the digest is over the content without its
/// times, so only a change of content makes a new version.
fn version(
    published: &HashMap<String, Published>,
    mut object: Value,
    tlp: Tlp,
    now: &str,
) -> Option<NewShared> {
    let id = object["id"].as_str()?.to_owned();
    let kind = object["type"].as_str()?.to_owned();
    let digest = crate::auth::digest(&object.to_string());
    let before = published.get(&id);
    if before.is_some_and(|b| b.digest == digest) {
        return None;
    }
    // Marking definitions carry their own creation time and have no versions.
    let versioned = kind != "marking-definition";
    let created = match object["created"].as_str() {
        Some(stated) if !versioned => stated.to_owned(),
        _ => before.map_or_else(|| now.to_owned(), |b| b.created.clone()),
    };
    object["created"] = json!(created);
    if versioned {
        // Later than the version it replaces, even within one millisecond.
        let modified = match before {
            Some(b) if b.version.as_str() >= now => bump(&b.version),
            _ => now.to_owned(),
        };
        object["modified"] = json!(modified);
    }
    let version = if versioned {
        object["modified"].as_str().unwrap_or(now).to_owned()
    } else {
        created.clone()
    };
    Some(NewShared {
        object_id: id,
        object_type: kind,
        version,
        created,
        tlp: tlp.label().to_owned(),
        digest,
        body: object.to_string(),
        replaces: before.is_some(),
    })
}

/// A timestamp one millisecond after `stamp`.
fn bump(stamp: &str) -> String {
    DateTime::parse_from_rfc3339(stamp)
        .map(|t| t.with_timezone(&Utc) + chrono::Duration::milliseconds(1))
        .map(self::stamp)
        .unwrap_or_else(|_| self::stamp(Utc::now()))
}

impl Publisher {
    /// A publisher for this instance.
    pub fn new(state: &AppState) -> Publisher {
        Publisher::named(&state.config.public_url)
    }

    /// A publisher for the instance at `public_url` (ids are derived under it).
    pub fn named(public_url: &str) -> Publisher {
        Publisher {
            public_url: public_url.to_owned(),
            operator: crate::export::operator_name(public_url),
        }
    }

    fn exporter(&self) -> Exporter<'_> {
        Exporter {
            public_url: &self.public_url,
            operator: &self.operator,
            tlp: Tlp::Clear,
        }
    }

    /// The id of the indicator shared for `kind` and `value`, as exports name it too.
    pub fn indicator_id(&self, kind: &str, value: &str) -> String {
        self.exporter().id("indicator", &format!("{kind}:{value}"))
    }

    /// What every collection starts with: the operator's identity and the TLP definitions.
    fn preamble(&self) -> Vec<(Value, Tlp)> {
        let mut objects = vec![(self.exporter().operator_identity(), Tlp::Clear)];
        for tlp in [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict] {
            objects.push((marking_definition(tlp), Tlp::Clear));
        }
        objects
    }

    fn common(&self, kind: &str, name: &str, tlp: Tlp) -> Value {
        json!({
            "type": kind,
            "spec_version": "2.1",
            "id": self.exporter().id(kind, name),
            "created_by_ref": self.exporter().id("identity", "operator"),
            "object_marking_refs": [tlp.marking_id()],
        })
    }

    /// Publishes the matcher's indicators, their entities and relationships; answers how many
    /// new versions were added.
    pub async fn publish_indicators(
        &self,
        store: &Store,
        matcher: &Matcher,
        revoked: &HashSet<(String, String)>,
        now: DateTime<Utc>,
    ) -> Result<usize, forewarn_store::Error> {
        let catalog = matcher.catalog();
        let mut merged: BTreeMap<(&'static str, String), Shared> = BTreeMap::new();
        for indicator in catalog.indicators() {
            let tlp = indicator.tlp.unwrap_or(UNMARKED);
            if tlp == Tlp::Red || indicator.comparison != Comparison::Exact {
                continue;
            }
            let kind = indicator.kind.as_str();
            let entities: BTreeSet<(EntityKind, String)> = catalog
                .attribution(indicator.attribution)
                .map(|e| (e.kind, e.name.clone()))
                .collect();
            let key = (kind, indicator.value.to_string());
            match merged.get_mut(&key) {
                Some(shared) => {
                    shared.confidence = shared.confidence.max(indicator.confidence);
                    shared.tlp = shared.tlp.min(tlp);
                    shared.valid_from = match (shared.valid_from, indicator.valid_from) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        _ => None,
                    };
                    shared.valid_until = match (shared.valid_until, indicator.valid_until) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                    shared.entities.extend(entities);
                }
                None => {
                    merged.insert(
                        key.clone(),
                        Shared {
                            kind,
                            value: key.1,
                            confidence: indicator.confidence,
                            tlp,
                            valid_from: indicator.valid_from,
                            valid_until: indicator.valid_until,
                            entities,
                        },
                    );
                }
            }
        }

        let published = store.published(INDICATORS).await?;
        let now_text = stamp(now);
        let mut versions = Vec::new();
        let push = |object: Value, tlp: Tlp, versions: &mut Vec<NewShared>| {
            if let Some(v) = version(&published, object, tlp, &now_text) {
                versions.push(v);
            }
        };
        for (object, tlp) in self.preamble() {
            push(object, tlp, &mut versions);
        }
        let mut entity_tlp: BTreeMap<(EntityKind, String), Tlp> = BTreeMap::new();
        let mut current: HashSet<String> = HashSet::new();
        for shared in merged.values() {
            let Some(pattern) = pattern_for(shared.kind, &shared.value) else {
                continue;
            };
            let name = format!("{}:{}", shared.kind, shared.value);
            let mut object = self.common("indicator", &name, shared.tlp);
            let id = object["id"].as_str().unwrap_or_default().to_owned();
            current.insert(id.clone());
            let valid_from = shared.valid_from.map(stamp_secs);
            object["name"] = json!(forewarn_alerts::defang(&shared.value));
            object["indicator_types"] = json!(["malicious-activity"]);
            object["pattern"] = json!(pattern);
            object["pattern_type"] = json!("stix");
            object["confidence"] = json!(shared.confidence);
            // Without a stated start, valid from when it was first shared.
            object["valid_from"] = json!(valid_from.unwrap_or_else(|| published
                .get(&id)
                .map_or_else(|| now_text.clone(), |p| p.created.clone())));
            if let Some(until) = shared.valid_until {
                object["valid_until"] = json!(stamp_secs(until));
            }
            push(object, shared.tlp, &mut versions);
            for entity in &shared.entities {
                let least = entity_tlp.entry(entity.clone()).or_insert(shared.tlp);
                *least = (*least).min(shared.tlp);
                let target = self.exporter().id(stix_type(entity.0), &entity.1);
                let relationship = format!("{id}->{target}");
                let mut object = self.common("relationship", &relationship, shared.tlp);
                object["relationship_type"] = json!("indicates");
                object["source_ref"] = json!(id);
                object["target_ref"] = json!(target);
                push(object, shared.tlp, &mut versions);
            }
        }
        for ((kind, name), tlp) in &entity_tlp {
            let mut object = self.common(stix_type(*kind), name, *tlp);
            object["name"] = json!(name);
            if *kind == EntityKind::Malware {
                object["is_family"] = json!(true);
            }
            push(object, *tlp, &mut versions);
        }

        // Indicators no longer held: revoked by an analyst, or dropped by their feed.
        let dropped: Vec<NewShared> = self
            .dropped(store, &published, &current, revoked, now)
            .await?;
        versions.extend(dropped);
        store.publish(INDICATORS, &versions).await
    }

    /// New versions for the published indicators the matcher no longer holds.
    async fn dropped(
        &self,
        store: &Store,
        published: &HashMap<String, Published>,
        current: &HashSet<String>,
        revoked: &HashSet<(String, String)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<NewShared>, forewarn_store::Error> {
        let gone: Vec<String> = published
            .keys()
            .filter(|id| id.starts_with("indicator--") && !current.contains(*id))
            .cloned()
            .collect();
        let revoked_ids: HashSet<String> = revoked
            .iter()
            .map(|(kind, value)| self.indicator_id(kind, value))
            .collect();
        let now_text = stamp(now);
        let mut versions = Vec::new();
        for stored in latest_of(store, &gone).await? {
            let Ok(mut object) = serde_json::from_str::<Value>(&stored.body) else {
                continue;
            };
            if object["revoked"] == json!(true) {
                continue;
            }
            let tlp = Tlp::parse(&stored.tlp).unwrap_or(UNMARKED);
            if revoked_ids.contains(&stored.object_id) {
                object["revoked"] = json!(true);
            } else {
                let ends = object["valid_until"].as_str().map(str::to_owned);
                if ends.as_deref().is_some_and(|e| e <= now_text.as_str()) {
                    continue;
                }
                // Its validity ends now; a start later than that is brought back to it.
                object["valid_until"] = json!(now_text);
                if object["valid_from"]
                    .as_str()
                    .is_some_and(|f| f >= now_text.as_str())
                {
                    object["valid_from"] = json!(stamp(now - chrono::Duration::seconds(1)));
                }
            }
            if let Some(created) = object.as_object_mut() {
                created.remove("created");
                created.remove("modified");
            }
            if let Some(v) = version(published, object, tlp, &now_text) {
                versions.push(v);
            }
        }
        Ok(versions)
    }

    /// Publishes a sighting for each published indicator seen in members' mail whose count or
    /// times changed; answers how many sightings got a new version.
    pub async fn publish_sightings(
        &self,
        store: &Store,
        now: DateTime<Utc>,
    ) -> Result<usize, forewarn_store::Error> {
        let counted = store.indicator_sightings().await?;
        let published = store.published(SIGHTINGS).await?;
        let shared = store.published(INDICATORS).await?;
        let now_text = stamp(now);
        let mut versions = Vec::new();
        let class = self.class_identity();
        // The TLP of each indicator shared and not revoked.
        let indicators: HashMap<String, Tlp> = {
            let ids: Vec<String> = counted
                .iter()
                .map(|s| self.indicator_id(&s.kind, &s.value))
                .filter(|id| shared.contains_key(id))
                .collect();
            let mut tlps = HashMap::new();
            for stored in latest_of(store, &ids).await? {
                if !stored.body.contains("\"revoked\":true") {
                    if let Some(tlp) = Tlp::parse(&stored.tlp) {
                        tlps.insert(stored.object_id, tlp);
                    }
                }
            }
            tlps
        };
        for sighting in &counted {
            let indicator = self.indicator_id(&sighting.kind, &sighting.value);
            let Some(tlp) = indicators.get(&indicator) else {
                continue;
            };
            let mut object = self.common("sighting", &indicator, *tlp);
            object["sighting_of_ref"] = json!(indicator);
            object["count"] = json!(sighting.count.clamp(0, 999_999_999));
            object["first_seen"] = json!(stamp_secs(sighting.first_seen));
            object["last_seen"] = json!(stamp_secs(sighting.last_seen.max(sighting.first_seen)));
            object["where_sighted_refs"] = json!([class["id"]]);
            if let Some(v) = version(&published, object, *tlp, &now_text) {
                versions.push(v);
            }
        }
        if versions.is_empty() {
            return Ok(0);
        }
        let sighted = versions.len();
        let mut preamble = self.preamble();
        preamble.push((class, Tlp::Clear));
        for (object, tlp) in preamble {
            if let Some(v) = version(&published, object, tlp, &now_text) {
                versions.insert(0, v);
            }
        }
        store.publish(SIGHTINGS, &versions).await?;
        Ok(sighted)
    }

    /// Where sightings were made: the operator's member organizations as a class, never one.
    fn class_identity(&self) -> Value {
        let mut object = self.common("identity", "members", Tlp::Clear);
        object["name"] = json!("Member organizations");
        object["identity_class"] = json!("class");
        object
    }
}

/// The sightings a reader in `role` may see, as MISP sightings: the indicator's value, the
/// attribute's UUID (the shared indicator's), the count and times, the operator as source, and
/// no organization (`org_id`, `Organisation`) at all. At most `limit`, most recent first.
pub async fn misp_sightings(
    state: &AppState,
    role: Role,
    limit: usize,
) -> Result<Vec<Value>, forewarn_store::Error> {
    let publisher = Publisher::new(state);
    let mut counted = state.store.indicator_sightings().await?;
    counted.sort_by_key(|s| std::cmp::Reverse(s.last_seen));
    let tlps: Vec<String> = readable(role)
        .iter()
        .map(|t| t.label().to_owned())
        .collect();
    let mut found = Vec::new();
    for chunk in counted.chunks(forewarn_store::MAX_FILTER_VALUES) {
        if found.len() >= limit {
            break;
        }
        let ids: HashMap<String, &forewarn_store::IndicatorSighting> = chunk
            .iter()
            .map(|s| {
                let indicator = publisher.indicator_id(&s.kind, &s.value);
                (publisher.exporter().id("sighting", &indicator), s)
            })
            .collect();
        let query = forewarn_store::SharedQuery {
            collection: SIGHTINGS.to_owned(),
            tlps: tlps.clone(),
            ids: ids.keys().cloned().collect(),
            limit: ids.len(),
            ..Default::default()
        };
        let (published, _) = state.store.shared_objects(&query).await?;
        let readable: HashSet<String> = published.into_iter().map(|o| o.object_id).collect();
        for sighting in chunk {
            let indicator = publisher.indicator_id(&sighting.kind, &sighting.value);
            let id = publisher.exporter().id("sighting", &indicator);
            if !readable.contains(&id) || found.len() >= limit {
                continue;
            }
            let uuid = |stix: &str| stix.split_once("--").map(|(_, u)| u.to_owned());
            found.push(json!({
                "Sighting": {
                    "uuid": uuid(&id),
                    "attribute_uuid": uuid(&indicator),
                    "value": sighting.value,
                    "type": "0",
                    "source": publisher.operator,
                    "date_sighting": sighting.last_seen.to_string(),
                    "count": sighting.count,
                    "first_seen": stamp_secs(sighting.first_seen),
                    "last_seen": stamp_secs(sighting.last_seen),
                }
            }));
        }
    }
    Ok(found)
}

/// The latest versions of the indicators collection's objects with these ids.
async fn latest_of(
    store: &Store,
    ids: &[String],
) -> Result<Vec<forewarn_store::SharedObject>, forewarn_store::Error> {
    let mut found = Vec::new();
    for ids in ids.chunks(forewarn_store::MAX_FILTER_VALUES) {
        let query = forewarn_store::SharedQuery {
            collection: INDICATORS.to_owned(),
            tlps: ["clear", "green", "amber", "amber+strict"]
                .map(str::to_owned)
                .to_vec(),
            ids: ids.to_vec(),
            limit: ids.len(),
            ..Default::default()
        };
        found.extend(store.shared_objects(&query).await?.0);
    }
    Ok(found)
}

/// Every object of a collection a reader in `role` may see, latest versions, in the order
/// they were added.
async fn all_latest(
    store: &Store,
    collection: &str,
    role: Role,
) -> Result<Vec<forewarn_store::SharedObject>, forewarn_store::Error> {
    let mut query = forewarn_store::SharedQuery {
        collection: collection.to_owned(),
        tlps: readable(role)
            .iter()
            .map(|t| t.label().to_owned())
            .collect(),
        limit: 10_000,
        ..Default::default()
    };
    let mut all = Vec::new();
    loop {
        let (page, more) = store.shared_objects(&query).await?;
        query.after_seq = page.last().map(|o| o.seq);
        all.extend(page);
        if !more {
            return Ok(all);
        }
    }
}

/// The operator's indicators a reader in `role` may see, as one STIX 2.1 bundle: the same
/// objects, in their latest versions, as the TAXII indicators collection.
pub async fn indicators_bundle(
    state: &AppState,
    role: Role,
) -> Result<Value, forewarn_store::Error> {
    let objects: Vec<Value> = all_latest(&state.store, INDICATORS, role)
        .await?
        .iter()
        .filter_map(|o| serde_json::from_str(&o.body).ok())
        .collect();
    let publisher = Publisher::new(state);
    let last = objects
        .iter()
        .filter_map(|o| o["modified"].as_str())
        .max()
        .unwrap_or_default()
        .to_owned();
    Ok(json!({
        "type": "bundle",
        "id": publisher.exporter().id("bundle", &format!("indicators:{}:{last}", role.as_str())),
        "objects": objects,
    }))
}

/// A STIX pattern forewarn wrote, read back: its MISP attribute type, category and value.
fn misp_attribute(pattern: &str) -> Option<(&'static str, &'static str, String)> {
    let inner = pattern.strip_prefix('[')?.strip_suffix(']')?;
    let (path, quoted) = inner.split_once(" = ")?;
    let value = quoted
        .strip_prefix('\'')?
        .strip_suffix('\'')?
        .replace("\\'", "'")
        .replace("\\\\", "\\");
    let (kind, category) = match path {
        "domain-name:value" => ("domain", "Network activity"),
        "url:value" => ("url", "Network activity"),
        "email-addr:value" => ("email-src", "Payload delivery"),
        "ipv4-addr:value" | "ipv6-addr:value" if value.contains('/') => {
            ("ip-dst", "Network activity")
        }
        "ipv4-addr:value" | "ipv6-addr:value" => ("ip-dst", "Network activity"),
        "file:hashes.MD5" => ("md5", "Payload delivery"),
        "file:hashes.'SHA-1'" => ("sha1", "Payload delivery"),
        "file:hashes.'SHA-256'" => ("sha256", "Payload delivery"),
        "file:name" => ("filename", "Payload delivery"),
        "email-message:subject" => ("email-subject", "Payload delivery"),
        _ => return None,
    };
    Some((kind, category, value))
}

/// The operator's indicators a reader in `role` may see, as the events of a MISP feed: one
/// event per TLP and attribution (the actors, malware and tools as galaxy tags, a campaign as
/// the event's info), each indicator an attribute with `to_ids` set. Revoked and expired
/// indicators are left out. No organization is named but the operator, as the creator.
pub async fn misp_feed(state: &AppState, role: Role) -> Result<Vec<Value>, forewarn_store::Error> {
    let objects: Vec<Value> = all_latest(&state.store, INDICATORS, role)
        .await?
        .iter()
        .filter_map(|o| serde_json::from_str(&o.body).ok())
        .collect();
    let now = stamp(Utc::now());
    let names: HashMap<&str, (&str, &str)> = objects
        .iter()
        .filter(|o| {
            matches!(
                o["type"].as_str(),
                Some("intrusion-set" | "campaign" | "malware" | "tool")
            )
        })
        .filter_map(|o| {
            Some((
                o["id"].as_str()?,
                (o["type"].as_str()?, o["name"].as_str()?),
            ))
        })
        .collect();
    let mut attributed: HashMap<&str, BTreeSet<(&str, &str)>> = HashMap::new();
    for relationship in objects.iter().filter(|o| o["type"] == "relationship") {
        if let (Some(source), Some(target)) = (
            relationship["source_ref"].as_str(),
            relationship["target_ref"].as_str(),
        ) {
            if let Some(entity) = names.get(target) {
                attributed.entry(source).or_default().insert(*entity);
            }
        }
    }
    let publisher = Publisher::new(state);
    let namespace = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        state.config.public_url.as_bytes(),
    );
    let organisation = json!({
        "name": publisher.operator,
        "uuid": uuid::Uuid::new_v5(&namespace, b"misp-org:operator").to_string(),
    });
    type Group<'a> = (Tlp, BTreeSet<(&'a str, &'a str)>);
    let mut groups: BTreeMap<Group, (Vec<Value>, String)> = BTreeMap::new();
    for indicator in objects.iter().filter(|o| o["type"] == "indicator") {
        if indicator["revoked"] == json!(true)
            || indicator["valid_until"]
                .as_str()
                .is_some_and(|u| u <= now.as_str())
        {
            continue;
        }
        let (Some(id), Some(pattern)) = (indicator["id"].as_str(), indicator["pattern"].as_str())
        else {
            continue;
        };
        let Some((kind, category, value)) = misp_attribute(pattern) else {
            continue;
        };
        let tlp = indicator["object_marking_refs"][0]
            .as_str()
            .and_then(Tlp::from_marking_id)
            .unwrap_or(UNMARKED);
        let entities = attributed.get(id).cloned().unwrap_or_default();
        let modified = indicator["modified"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let group = groups.entry((tlp, entities)).or_default();
        group.1 = group.1.clone().max(modified);
        group.0.push(json!({
            "uuid": id.trim_start_matches("indicator--"),
            "type": kind,
            "category": category,
            "value": value,
            "to_ids": true,
            "comment": format!("confidence {}", indicator["confidence"]),
        }));
    }
    let mut events = Vec::new();
    for ((tlp, entities), (attributes, modified)) in groups {
        let mut tags = vec![json!({ "name": format!("tlp:{}", tlp.label()) })];
        let mut campaigns = Vec::new();
        let mut named = Vec::new();
        for (kind, name) in &entities {
            named.push(*name);
            let galaxy = match *kind {
                "intrusion-set" => "threat-actor",
                "malware" => "malpedia",
                "tool" => "tool",
                _ => {
                    campaigns.push(*name);
                    continue;
                }
            };
            tags.push(json!({ "name": format!("misp-galaxy:{galaxy}=\"{name}\"") }));
        }
        let info = if named.is_empty() {
            format!(
                "{} indicators (TLP:{})",
                publisher.operator,
                tlp.label().to_uppercase()
            )
        } else if campaigns.len() == 1 && named.len() == 1 {
            campaigns[0].to_owned()
        } else {
            named.join(", ")
        };
        let key = format!("misp-feed:{}:{}", tlp.label(), named.join("\u{1f}"));
        let changed = DateTime::parse_from_rfc3339(&modified)
            .map(|t| t.timestamp())
            .unwrap_or_default();
        events.push(json!({
            "Event": {
                "uuid": uuid::Uuid::new_v5(&namespace, key.as_bytes()).to_string(),
                "info": info,
                "date": modified.get(..10).unwrap_or_default(),
                "timestamp": changed.to_string(),
                "publish_timestamp": changed.to_string(),
                "threat_level_id": "2",
                "analysis": "2",
                "distribution": "0",
                "published": true,
                "Orgc": organisation,
                "Tag": tags,
                "Attribute": attributes,
            }
        }));
    }
    Ok(events)
}

/// A MISP feed's `manifest.json` for `events`.
pub fn misp_manifest(events: &[Value]) -> Value {
    let mut manifest = serde_json::Map::new();
    for event in events {
        let event = &event["Event"];
        let Some(uuid) = event["uuid"].as_str() else {
            continue;
        };
        manifest.insert(
            uuid.to_owned(),
            json!({
                "info": event["info"],
                "Orgc": event["Orgc"],
                "Tag": event["Tag"],
                "date": event["date"],
                "analysis": event["analysis"],
                "threat_level_id": event["threat_level_id"],
                "timestamp": event["timestamp"],
            }),
        );
    }
    Value::Object(manifest)
}

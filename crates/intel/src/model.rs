//! The intel model: actors, campaigns, malware and tools (entities), and indicators.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

/// What an indicator's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    Domain,
    Url,
    Email,
    Ip,
    /// An IP network, `192.0.2.0/24`.
    Cidr,
    Md5,
    Sha1,
    Sha256,
    /// An attachment's file name.
    FileName,
    /// A message subject.
    Subject,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Domain => "domain",
            IndicatorKind::Url => "url",
            IndicatorKind::Email => "email",
            IndicatorKind::Ip => "ip",
            IndicatorKind::Cidr => "cidr",
            IndicatorKind::Md5 => "md5",
            IndicatorKind::Sha1 => "sha1",
            IndicatorKind::Sha256 => "sha256",
            IndicatorKind::FileName => "file-name",
            IndicatorKind::Subject => "subject",
        }
    }
}

impl fmt::Display for IndicatorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an indicator's value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    /// Equal to the normalized value (for domains: the name or any subdomain of it).
    Exact,
    /// The value is a regular expression (STIX `MATCHES`, or `LIKE` translated).
    Regex,
}

/// Traffic Light Protocol marking (TLP 2.0; TLP 1.0 WHITE reads as CLEAR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Tlp {
    #[serde(rename = "TLP:CLEAR")]
    Clear,
    #[serde(rename = "TLP:GREEN")]
    Green,
    #[serde(rename = "TLP:AMBER")]
    Amber,
    #[serde(rename = "TLP:AMBER+STRICT")]
    AmberStrict,
    #[serde(rename = "TLP:RED")]
    Red,
}

impl Tlp {
    /// Reads `TLP:GREEN`, `tlp:white`, `amber+strict` and the like.
    pub fn parse(s: &str) -> Option<Tlp> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("tlp:").unwrap_or(&s).trim();
        Some(match s {
            "clear" | "white" => Tlp::Clear,
            "green" => Tlp::Green,
            "amber" => Tlp::Amber,
            "amber+strict" => Tlp::AmberStrict,
            "red" => Tlp::Red,
            _ => return None,
        })
    }

    /// The label, `amber+strict`, as TLP 2.0 and MISP's `tlp:` tags write it.
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The id of the marking definition that the TLP 2.0 STIX extension
    /// ([`TLP2_EXTENSION`]) publishes for this level.
    pub fn marking_id(self) -> &'static str {
        match self {
            Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        }
    }

    /// The level a well-known marking definition id stands for: the TLP 2.0 extension's, and
    /// TLP 1.0's from STIX 2.1 §7.2.1.4 (WHITE reads as CLEAR).
    pub fn from_marking_id(id: &str) -> Option<Tlp> {
        const TLP1: [(&str, Tlp); 4] = [
            (
                "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
                Tlp::Clear,
            ),
            (
                "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                Tlp::Green,
            ),
            (
                "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                Tlp::Amber,
            ),
            (
                "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
                Tlp::Red,
            ),
        ];
        let tlp2 = [
            Tlp::Clear,
            Tlp::Green,
            Tlp::Amber,
            Tlp::AmberStrict,
            Tlp::Red,
        ]
        .into_iter()
        .find(|tlp| tlp.marking_id() == id);
        tlp2.or_else(|| {
            TLP1.iter()
                .find(|(known, _)| *known == id)
                .map(|(_, tlp)| *tlp)
        })
    }
}

/// The TLP 2.0 marking extension's definition id.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// An activity group, intrusion set or threat actor.
    Actor,
    Campaign,
    Malware,
    Tool,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Actor => "actor",
            EntityKind::Campaign => "campaign",
            EntityKind::Malware => "malware",
            EntityKind::Tool => "tool",
        }
    }
}

/// An actor, campaign, malware family or tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    /// An identifier from the source, such as a MITRE ATT&CK ID (`G0007`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EntityId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceId(pub u32);

/// An interned set of entities an indicator points to; many indicators share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AttributionId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct IndicatorId(pub u32);

/// One indicator. Kept small: catalogs hold millions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub kind: IndicatorKind,
    pub comparison: Comparison,
    /// Normalized (see [`crate::normalize`]); a pattern when `comparison` is `Regex`.
    pub value: Box<str>,
    /// 0–100.
    pub confidence: u8,
    pub tlp: Option<Tlp>,
    /// Unix seconds.
    pub valid_from: Option<i64>,
    /// Unix seconds; after it the indicator no longer matches.
    pub valid_until: Option<i64>,
    pub source: SourceId,
    pub attribution: AttributionId,
}

/// A new indicator before it enters a catalog.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub kind: IndicatorKind,
    pub comparison: Comparison,
    pub value: String,
    pub confidence: u8,
    pub tlp: Option<Tlp>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub attribution: Vec<EntityId>,
}

impl NewIndicator {
    /// An indicator compared by equality, unmarked and valid at all times.
    pub fn exact(
        kind: IndicatorKind,
        value: String,
        confidence: u8,
        attribution: Vec<EntityId>,
    ) -> NewIndicator {
        NewIndicator {
            kind,
            comparison: Comparison::Exact,
            value,
            confidence,
            tlp: None,
            valid_from: None,
            valid_until: None,
            attribution,
        }
    }
}

/// Everything imported: entities, indicators and their sources.
#[derive(Debug, Default)]
pub struct Catalog {
    entities: Vec<Entity>,
    entity_index: HashMap<(EntityKind, String), EntityId>,
    indicators: Vec<Indicator>,
    sources: Vec<String>,
    attributions: Vec<Box<[EntityId]>>,
    attribution_index: HashMap<Box<[EntityId]>, AttributionId>,
}

/// Attribution sets are cut at this size; "everybody uses it" says nothing about who did it.
const MAX_ATTRIBUTION: usize = 16;

impl Catalog {
    pub fn new() -> Catalog {
        let mut catalog = Catalog::default();
        catalog.intern_attribution(Vec::new());
        catalog
    }

    /// Registers a source (a feed or file label) and returns its id.
    pub fn add_source(&mut self, label: &str) -> SourceId {
        if let Some(i) = self.sources.iter().rposition(|s| s == label) {
            return SourceId(i as u32);
        }
        self.sources.push(label.to_owned());
        SourceId(self.sources.len() as u32 - 1)
    }

    /// Adds an entity, or merges the aliases into the entity of the same kind whose name or
    /// alias equals this name (case-insensitive). Returns the entity's id.
    pub fn add_entity(
        &mut self,
        kind: EntityKind,
        name: &str,
        aliases: &[String],
        external_id: Option<&str>,
    ) -> EntityId {
        let name = name.trim();
        let key = (kind, name.to_lowercase());
        let id = match self.entity_index.get(&key) {
            Some(&id) => id,
            None => {
                let id = EntityId(self.entities.len() as u32);
                self.entities.push(Entity {
                    kind,
                    name: name.to_owned(),
                    aliases: Vec::new(),
                    external_id: None,
                });
                self.entity_index.insert(key, id);
                id
            }
        };
        let entity = &mut self.entities[id.0 as usize];
        if entity.external_id.is_none() {
            entity.external_id = external_id.map(str::to_owned);
        }
        for alias in aliases {
            let alias = alias.trim();
            if alias.is_empty()
                || alias.eq_ignore_ascii_case(&entity.name)
                || entity.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias))
            {
                continue;
            }
            entity.aliases.push(alias.to_owned());
            self.entity_index
                .entry((kind, alias.to_lowercase()))
                .or_insert(id);
        }
        id
    }

    /// Adds an indicator from a source.
    pub fn add_indicator(&mut self, source: SourceId, new: NewIndicator) -> IndicatorId {
        let attribution = self.intern_attribution(new.attribution);
        self.indicators.push(Indicator {
            kind: new.kind,
            comparison: new.comparison,
            value: new.value.into_boxed_str(),
            confidence: new.confidence.min(100),
            tlp: new.tlp,
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            source,
            attribution,
        });
        IndicatorId(self.indicators.len() as u32 - 1)
    }

    /// Leaves out of every matcher built from this catalog the indicators in `revoked`, as
    /// (kind, normalized value): they are treated as expired. Answers how many were found.
    pub fn revoke(&mut self, revoked: &std::collections::HashSet<(String, String)>) -> usize {
        if revoked.is_empty() {
            return 0;
        }
        let mut found = 0;
        for indicator in &mut self.indicators {
            let key = (
                indicator.kind.as_str().to_owned(),
                indicator.value.to_string(),
            );
            if revoked.contains(&key) {
                indicator.valid_until = Some(i64::MIN);
                found += 1;
            }
        }
        found
    }

    /// Gives the indicators added since `first` (an index into [`Catalog::indicators`]) a feed's
    /// defaults: `tlp` to those that carry no marking, and `confidence`, when given, to all of
    /// them (for formats that state none: lists and CSV). Answers how many were marked.
    pub fn apply_defaults(&mut self, first: usize, tlp: Tlp, confidence: Option<u8>) -> usize {
        let mut marked = 0;
        for indicator in self.indicators.iter_mut().skip(first) {
            if indicator.tlp.is_none() {
                indicator.tlp = Some(tlp);
                marked += 1;
            }
            if let Some(confidence) = confidence {
                indicator.confidence = confidence.min(100);
            }
        }
        marked
    }

    /// Attributes the indicators added since `first` (an index into [`Catalog::indicators`])
    /// that are attributed to nobody to the entity of `kind` named `name`; answers how many.
    pub fn attribute_unattributed(&mut self, first: usize, kind: EntityKind, name: &str) -> usize {
        let nobody = self.intern_attribution(Vec::new());
        if !self.indicators[first.min(self.indicators.len())..]
            .iter()
            .any(|i| i.attribution == nobody)
        {
            return 0;
        }
        let entity = self.add_entity(kind, name, &[], None);
        let report = self.intern_attribution(vec![entity]);
        let mut count = 0;
        for indicator in &mut self.indicators[first..] {
            if indicator.attribution == nobody {
                indicator.attribution = report;
                count += 1;
            }
        }
        count
    }

    fn intern_attribution(&mut self, mut ids: Vec<EntityId>) -> AttributionId {
        ids.sort_unstable();
        ids.dedup();
        ids.truncate(MAX_ATTRIBUTION);
        let ids = ids.into_boxed_slice();
        if let Some(&id) = self.attribution_index.get(&ids) {
            return id;
        }
        let id = AttributionId(self.attributions.len() as u32);
        self.attributions.push(ids.clone());
        self.attribution_index.insert(ids, id);
        id
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    /// Finds an entity by kind and name or alias (case-insensitive).
    pub fn find_entity(&self, kind: EntityKind, name: &str) -> Option<EntityId> {
        self.entity_index
            .get(&(kind, name.trim().to_lowercase()))
            .copied()
    }

    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn indicator(&self, id: IndicatorId) -> &Indicator {
        &self.indicators[id.0 as usize]
    }

    pub fn source(&self, id: SourceId) -> &str {
        &self.sources[id.0 as usize]
    }

    /// The ids of the entities an indicator is attributed to.
    pub fn attribution_ids(&self, id: AttributionId) -> impl Iterator<Item = &EntityId> {
        self.attributions[id.0 as usize].iter()
    }

    /// The entities an indicator is attributed to.
    pub fn attribution(&self, id: AttributionId) -> impl Iterator<Item = &Entity> {
        self.attributions[id.0 as usize]
            .iter()
            .map(|&e| self.entity(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_indicators_are_left_out_of_the_matcher() {
        let mut c = Catalog::new();
        let source = c.add_source("feed");
        for value in ["lure.example", "kept.example"] {
            c.add_indicator(
                source,
                NewIndicator::exact(IndicatorKind::Domain, value.into(), 80, vec![]),
            );
        }
        let revoked = [("domain".to_owned(), "lure.example".to_owned())]
            .into_iter()
            .collect();
        assert_eq!(c.revoke(&revoked), 1);
        let matcher = crate::Matcher::new(c, 0);
        assert_eq!(
            matcher
                .lookup(IndicatorKind::Domain, "lure.example")
                .count(),
            0
        );
        assert_eq!(
            matcher
                .lookup(IndicatorKind::Domain, "kept.example")
                .count(),
            1
        );
    }

    #[test]
    fn entities_merge_by_name_or_alias() {
        let mut c = Catalog::new();
        let a = c.add_entity(
            EntityKind::Actor,
            "APT28",
            &["Fancy Bear".into(), "Sofacy".into()],
            Some("G0007"),
        );
        let b = c.add_entity(EntityKind::Actor, "fancy bear", &["STRONTIUM".into()], None);
        assert_eq!(a, b);
        assert_eq!(c.entity(a).aliases, ["Fancy Bear", "Sofacy", "STRONTIUM"]);
        assert_eq!(c.find_entity(EntityKind::Actor, "strontium"), Some(a));
        assert_ne!(c.add_entity(EntityKind::Malware, "APT28", &[], None), a);
    }

    #[test]
    fn attribution_sets_are_shared() {
        let mut c = Catalog::new();
        let e = c.add_entity(EntityKind::Malware, "Pegasus", &[], None);
        let s = c.add_source("test");
        let new = |v: &str| NewIndicator {
            kind: IndicatorKind::Domain,
            comparison: Comparison::Exact,
            value: v.into(),
            confidence: 80,
            tlp: None,
            valid_from: None,
            valid_until: None,
            attribution: vec![e, e],
        };
        let i = c.add_indicator(s, new("a.example"));
        let j = c.add_indicator(s, new("b.example"));
        assert_eq!(c.indicator(i).attribution, c.indicator(j).attribution);
        assert_eq!(c.attribution(c.indicator(i).attribution).count(), 1);
    }

    #[test]
    fn tlp_reads_both_versions() {
        assert_eq!(Tlp::parse("tlp:white"), Some(Tlp::Clear));
        assert_eq!(Tlp::parse("TLP:AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("purple"), None);
    }
}

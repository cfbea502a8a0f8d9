//! The threat intel a process analyses mail with, as analysts browse it: the feeds and how
//! their last import went, and the actors, campaigns and tools the indicators are attributed
//! to. Built once when the intel is loaded; the catalog itself is shared, not copied.

use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};

use forewarn_intel::{Catalog, EntityId, EntityKind, ImportReport, Matcher};

/// One feed file's last import.
#[derive(Clone, Debug)]
pub struct FeedStatus {
    /// Where the feed was read from (a file path or a TAXII collection).
    pub source: String,
    /// The format it was read as (`stix2`, `misp-event`, `csv` …).
    pub format: String,
    /// Indicators imported from it.
    pub indicators: usize,
    /// Entries refused, each with its reason in the import log.
    pub rejected: usize,
    /// When the import finished.
    pub loaded_at: DateTime<Utc>,
}

/// The loaded intel, with what the browser shows precomputed.
pub struct IntelView {
    /// The matcher analysis uses, whose catalog holds the indicators and entities.
    matcher: Arc<Matcher>,
    /// Each feed's last import, in the order they were read.
    pub feeds: Vec<FeedStatus>,
    /// Indicators attributed to each entity, by entity id.
    pub indicators_of: Vec<usize>,
    /// For each entity, the others named together with it on some indicator (an actor's
    /// campaigns and tools, a campaign's actors), by entity id.
    pub related: Vec<Vec<EntityId>>,
}

/// The intel view a process shows now; replaced whole when the intel changes.
#[derive(Clone, Default)]
pub struct IntelSlot(Arc<RwLock<Option<Arc<IntelView>>>>);

impl IntelSlot {
    /// The view in use, if intel was loaded.
    pub fn get(&self) -> Option<Arc<IntelView>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Shows `view` from now on.
    pub fn set(&self, view: IntelView) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(view));
    }
}

/// An entity's related entities kept, at most.
const RELATED: usize = 50;

impl IntelView {
    /// Precomputes what the browser shows from the matcher in use and the imports that filled
    /// its catalog.
    pub fn new(matcher: Arc<Matcher>, reports: &[ImportReport]) -> IntelView {
        let loaded_at = Utc::now();
        let catalog = matcher.catalog();
        let entities = catalog.entities().len();
        let mut indicators_of = vec![0usize; entities];
        let mut related: Vec<Vec<EntityId>> = vec![Vec::new(); entities];
        let mut seen_sets = std::collections::HashSet::new();
        for indicator in catalog.indicators() {
            let set: Vec<EntityId> = catalog
                .attribution_ids(indicator.attribution)
                .copied()
                .collect();
            for id in &set {
                if let Some(count) = indicators_of.get_mut(id.0 as usize) {
                    *count += 1;
                }
            }
            // Each distinct set adds its pairs once.
            if set.len() > 1 && seen_sets.insert(indicator.attribution) {
                for a in &set {
                    let list = &mut related[a.0 as usize];
                    for b in &set {
                        if a != b && !list.contains(b) && list.len() < RELATED {
                            list.push(*b);
                        }
                    }
                }
            }
        }
        IntelView {
            matcher: matcher.clone(),
            feeds: reports
                .iter()
                .map(|r| FeedStatus {
                    source: r.source.clone(),
                    format: serde_json::to_value(r.format)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    indicators: r.indicator_count(),
                    rejected: r.rejected_count,
                    loaded_at,
                })
                .collect(),
            indicators_of,
            related,
        }
    }

    /// The matcher analysis uses.
    pub fn matcher(&self) -> Arc<Matcher> {
        self.matcher.clone()
    }

    /// The indicators and entities mail is matched against.
    pub fn catalog(&self) -> &Catalog {
        self.matcher.catalog()
    }

    /// The entities of one kind, most indicators first.
    pub fn entities(&self, kind: EntityKind) -> Vec<EntityId> {
        let mut ids: Vec<EntityId> = (0..self.catalog().entities().len() as u32)
            .map(EntityId)
            .filter(|id| self.catalog().entity(*id).kind == kind)
            .collect();
        ids.sort_by(|a, b| {
            self.indicators_of[b.0 as usize]
                .cmp(&self.indicators_of[a.0 as usize])
                .then_with(|| {
                    self.catalog()
                        .entity(*a)
                        .name
                        .cmp(&self.catalog().entity(*b).name)
                })
        });
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forewarn_intel::{IndicatorKind, NewIndicator};

    #[test]
    fn counts_indicators_and_relates_entities_named_together() {
        let mut catalog = Catalog::new();
        let source = catalog.add_source("feed.json");
        let actor = catalog.add_entity(EntityKind::Actor, "Example Bear", &["APT-X".into()], None);
        let campaign = catalog.add_entity(EntityKind::Campaign, "Vaccine lures", &[], None);
        let tool = catalog.add_entity(EntityKind::Tool, "Loader", &[], None);
        for (value, attribution) in [
            ("lure-1.example", vec![actor, campaign]),
            ("lure-2.example", vec![actor, campaign]),
            ("loader.example", vec![tool]),
        ] {
            catalog.add_indicator(
                source,
                NewIndicator::exact(IndicatorKind::Domain, value.into(), 80, attribution),
            );
        }
        let view = IntelView::new(Arc::new(Matcher::new(catalog, 0)), &[]);
        assert_eq!(view.indicators_of[actor.0 as usize], 2);
        assert_eq!(view.indicators_of[tool.0 as usize], 1);
        assert_eq!(view.related[actor.0 as usize], vec![campaign]);
        assert_eq!(view.related[campaign.0 as usize], vec![actor]);
        assert!(view.related[tool.0 as usize].is_empty());
        assert_eq!(view.entities(EntityKind::Actor), vec![actor]);
    }
}

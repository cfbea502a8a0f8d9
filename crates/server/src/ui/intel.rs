//! The intel browser for analysts: the feeds and their last import, the actors (with their
//! aliases and what they are named with), campaigns and tools, and a search over the
//! indicators.

use axum::extract::{Query, State};
use forewarn_intel::{EntityId, EntityKind, Tlp};
use maud::{html, Markup};
use serde::Deserialize;

use super::{page, when, Answer, OrFail, Viewer, Words};
use crate::error::ApiError;
use crate::extract::Path;
use crate::intel::IntelView;
use crate::AppState;
use forewarn_alerts::defang;
use forewarn_store::Role;

const ANALYSTS: &[Role] = &[Role::Operator, Role::Analyst];

/// Rows a table or a search shows, at most.
const SHOWN: usize = 200;

fn loaded(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Option<std::sync::Arc<IntelView>>, super::Failure> {
    viewer.caller().require(ANALYSTS).or_fail(viewer)?;
    Ok(state.intel.get())
}

fn entity_link(view: &IntelView, id: EntityId) -> Markup {
    let entity = view.catalog().entity(id);
    html! { a href={ "/ui/intel/entities/" (id.0) } { (entity.name) } }
}

fn entity_table(w: Words, view: &IntelView, kind: EntityKind) -> Markup {
    let ids = view.entities(kind);
    html! {
        @if ids.is_empty() { p.muted { "—" } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-name")) } th { (w.t("ui-aliases")) } th { (w.t("ui-indicators")) } th { (w.t("ui-named-with")) } } }
                tbody { @for id in ids.iter().take(SHOWN) {
                    @let entity = view.catalog().entity(*id);
                    tr {
                        td { (entity_link(view, *id)) @if let Some(external) = &entity.external_id { " " span.mono.muted { (external) } } }
                        td { (entity.aliases.join(", ")) }
                        td { (view.indicators_of[id.0 as usize]) }
                        td { @for (i, other) in view.related[id.0 as usize].iter().take(8).enumerate() { @if i > 0 { ", " } (entity_link(view, *other)) } }
                    }
                } }
            } }
            @if ids.len() > SHOWN { p.muted { (w.with("ui-more-not-shown", &[("count", ((ids.len() - SHOWN) as i64).into())])) } }
        }
    }
}

/// Campaigns that reached several member organizations (early warning), newest first, with the
/// organizations reached: for the operator's staff only.
async fn campaigns(state: &AppState, viewer: &Viewer) -> Result<Markup, super::Failure> {
    let w = viewer.words;
    let found = state
        .store
        .recent_campaigns(50)
        .await
        .map_err(ApiError::from)
        .or_fail(viewer)?;
    let mut names = std::collections::HashMap::new();
    for org in found.iter().flat_map(|c| &c.org_ids) {
        if !names.contains_key(org) {
            let org_found = state
                .store
                .find_org_by_id(org)
                .await
                .map_err(ApiError::from)
                .or_fail(viewer)?;
            names.insert(org.clone(), org_found.map(|o| o.name).unwrap_or_default());
        }
    }
    Ok(html! {
        h2 { (w.t("ui-cross-campaigns")) }
        @if found.is_empty() { p.muted { (w.t("ui-cross-campaigns-none")) } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-name")) } th { (w.t("ui-kind")) } th { (w.t("ui-orgs-reached")) } th { (w.t("ui-warned")) } th { (w.t("ui-indicators")) } th { (w.t("ui-last-seen")) } } }
                tbody { @for campaign in &found { tr {
                    td { (campaign.name) }
                    td { (w.t(&format!("kind-{}", campaign.kind.as_str()))) }
                    td { @for (i, org) in campaign.org_ids.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "/ui/orgs/" (org) } { (names.get(org).cloned().unwrap_or_default()) }
                    } }
                    td { (campaign.warned) }
                    td.mono { @for (i, indicator) in campaign.indicators.iter().take(5).enumerate() {
                        @if i > 0 { ", " } (defang(indicator))
                    } }
                    td { (when(&campaign.last_seen)) }
                } } }
            } }
        }
    })
}

pub async fn index(State(state): State<AppState>, viewer: Viewer) -> Answer {
    let view = loaded(&state, &viewer)?;
    let view = view.as_deref();
    let w = viewer.words;
    let campaigns = campaigns(&state, &viewer).await?;
    let body = html! {
        form.row method="get" action="/ui/intel/indicators" role="search" {
            label { (w.t("ui-search-indicators")) input type="search" name="q" maxlength="200"; }
            button type="submit" { (w.t("ui-search")) }
        }
        p { a href="/ui/feeds" { (w.t("ui-managed-feeds")) } }
        (campaigns)
        @match view {
            None => { div.notice { p { (w.t("ui-intel-none")) } } }
            Some(view) => {
                h2 { (w.t("ui-feeds")) }
                div.table-wrap { table {
                    thead { tr { th { (w.t("ui-feed")) } th { (w.t("ui-format")) } th { (w.t("ui-indicators")) } th { (w.t("ui-rejected")) } th { (w.t("ui-last-import")) } } }
                    tbody { @for feed in &view.feeds { tr {
                        td.mono { (feed.source) } td { (feed.format) } td { (feed.indicators) } td { (feed.rejected) } td { (when(&feed.loaded_at)) }
                    } } }
                } }
                h2 { (w.t("ui-actors")) }
                (entity_table(w, view, EntityKind::Actor))
                h2 { (w.t("ui-campaigns")) }
                (entity_table(w, view, EntityKind::Campaign))
                h2 { (w.t("ui-malware-tools")) }
                (entity_table(w, view, EntityKind::Malware))
                (entity_table(w, view, EntityKind::Tool))
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-nav-intel"), body))
}

fn tlp(tlp: Option<Tlp>) -> &'static str {
    match tlp {
        None => "—",
        Some(Tlp::Clear) => "CLEAR",
        Some(Tlp::Green) => "GREEN",
        Some(Tlp::Amber) => "AMBER",
        Some(Tlp::AmberStrict) => "AMBER+STRICT",
        Some(Tlp::Red) => "RED",
    }
}

/// Indicators, as a table, at most [`SHOWN`].
fn indicator_table<'a>(
    w: Words,
    view: &IntelView,
    indicators: impl Iterator<Item = &'a forewarn_intel::Indicator>,
) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-kind")) } th { (w.t("ui-value")) } th { (w.t("ui-confidence")) } th { "TLP" } th { (w.t("ui-valid-until")) } th { (w.t("ui-feed")) } th { (w.t("ui-attributed-to")) } } }
            tbody { @for indicator in indicators.take(SHOWN) { tr {
                td { (indicator.kind.as_str()) }
                td.mono { (defang(&indicator.value)) }
                td { (indicator.confidence) " %" }
                td { (tlp(indicator.tlp)) }
                td { @if let Some(until) = indicator.valid_until.and_then(|s| chrono::DateTime::from_timestamp(s, 0)) { (when(&until)) } @else { "—" } }
                td.mono { (view.catalog().source(indicator.source)) }
                td { @for (i, id) in view.catalog().attribution_ids(indicator.attribution).enumerate() { @if i > 0 { ", " } (entity_link(view, *id)) } }
            } } }
        } }
    }
}

pub async fn entity(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Answer {
    // Any other text in the address is an entity that does not exist, answered as a page.
    let view = loaded(&state, &viewer)?;
    let (view, id) = id
        .parse::<u32>()
        .ok()
        .and_then(|id| {
            view.filter(|v| (id as usize) < v.catalog().entities().len())
                .map(|v| (v, id))
        })
        .ok_or_else(|| viewer.fail(ApiError::NotFound))?;
    let w = viewer.words;
    let id = EntityId(id);
    let entity = view.catalog().entity(id);
    let attributed = view.catalog().indicators().iter().filter(|i| {
        view.catalog()
            .attribution_ids(i.attribution)
            .any(|e| *e == id)
    });
    let body = html! {
        dl.facts {
            dt { (w.t("ui-kind")) } dd { (entity.kind.as_str()) }
            dt { (w.t("ui-aliases")) } dd { @if entity.aliases.is_empty() { "—" } @else { (entity.aliases.join(", ")) } }
            @if let Some(external) = &entity.external_id { dt { "ATT&CK" } dd.mono { (external) } }
            dt { (w.t("ui-named-with")) } dd { @for (i, other) in view.related[id.0 as usize].iter().enumerate() { @if i > 0 { ", " } (entity_link(&view, *other)) } }
            dt { (w.t("ui-indicators")) } dd { (view.indicators_of[id.0 as usize]) }
        }
        h2 { (w.t("ui-indicators")) }
        (indicator_table(w, &view, attributed))
        p { a href="/ui/intel" { (w.t("ui-nav-intel")) } }
    };
    Ok(page(w, Some(&viewer), &entity.name, body))
}

/// The entities whose name or an alias contains `needle` (lowercase): matched once per search,
/// not once per indicator.
fn named_entities(view: &IntelView, needle: &str) -> std::collections::HashSet<EntityId> {
    view.catalog()
        .entities()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .any(|n| contains_ignoring_case(n, needle))
        })
        .map(|(i, _)| EntityId(i as u32))
        .collect()
}

/// Whether `text` contains `needle` (lowercase), ignoring ASCII case, without copying `text`.
fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || text
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

pub async fn indicators(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(search): Query<Search>,
) -> Answer {
    let view = loaded(&state, &viewer)?;
    let w = viewer.words;
    let needle: String = search.q.trim().to_lowercase().chars().take(200).collect();
    let body = html! {
        form.row method="get" action="/ui/intel/indicators" role="search" {
            label { (w.t("ui-search-indicators")) input type="search" name="q" value=(search.q) maxlength="200"; }
            button type="submit" { (w.t("ui-search")) }
        }
        @match view {
            None => { div.notice { p { (w.t("ui-intel-none")) } } }
            Some(view) => {
                @if needle.is_empty() { p.muted { (w.t("ui-search-hint")) } } @else {
                    @let named = named_entities(&view, &needle);
                    (indicator_table(w, &view, view.catalog().indicators().iter().filter(|i| {
                        contains_ignoring_case(&i.value, &needle)
                            || view.catalog().attribution_ids(i.attribution).any(|e| named.contains(e))
                    })))
                }
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-search-indicators"), body))
}

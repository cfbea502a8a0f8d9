//! The operator's pages: the dashboard (who is enrolled, what was told, what was seen, as
//! charts), the applications waiting for a decision, and the messages that could not be
//! analysed.

use axum::extract::{Query, State};
use forewarn_store::{OrgStatus, Role};
use maud::html;
use serde::Deserialize;

use super::charts::{bars, columns};
use super::{back_to, button, page, when, Answer, OrFail, Posted, Viewer, Words};
use crate::extract::Path;
use crate::AppState;
use forewarn_store::OrgId;

/// Days of notifications the dashboard charts.
pub const DAYS: u32 = 30;

fn named(w: Words, prefix: &str, rows: &[(String, i64)]) -> Vec<(String, i64)> {
    rows.iter()
        .map(|(label, n)| (w.word(prefix, label), *n))
        .collect()
}

fn total(rows: &[(String, i64)]) -> i64 {
    rows.iter().map(|(_, n)| n).sum()
}

pub async fn dashboard(State(state): State<AppState>, viewer: Viewer) -> Answer {
    viewer
        .caller()
        .require(&[Role::Operator])
        .or_fail(&viewer)?;
    let overview = state.store.overview(DAYS).await.or_fail(&viewer)?;
    let pending = state
        .store
        .orgs_in_status(OrgStatus::Pending, 100)
        .await
        .or_fail(&viewer)?;
    let programs = state.store.programs().await.or_fail(&viewer)?;
    let w = viewer.words;
    let count = |rows: &[(String, i64)], label: &str| {
        rows.iter().find(|(l, _)| l == label).map_or(0, |(_, n)| *n)
    };
    let per_day: Vec<(String, i64)> = overview
        .notifications_by_day
        .iter()
        .map(|(day, n)| (day.format("%Y-%m-%d").to_string(), *n))
        .collect();
    let open = total(&overview.incidents_by_status)
        - count(&overview.incidents_by_status, "resolved")
        - count(&overview.incidents_by_status, "false_positive");
    let body = html! {
        div.grid {
            div.stat { strong { (count(&overview.orgs_by_status, "active")) } (w.t("ui-stat-active-orgs")) }
            div.stat { strong { (pending.len()) } (w.t("ui-stat-pending")) }
            div.stat { strong { (total(&overview.accounts_by_kind)) } (w.t("ui-stat-accounts")) }
            div.stat { strong { (open) } (w.t("ui-stat-open-incidents")) }
            div.stat { strong { (count(&overview.incidents_by_status, "new")) } a href="/ui/triage" { (w.t("ui-stat-waiting")) } }
            div.stat { strong { (overview.dead_letters) } a href="/ui/dead-letters" { (w.t("ui-nav-dead-letters")) } }
        }
        h2 #pending { (w.t("ui-pending-title")) }
        @if pending.is_empty() { p { (w.t("ui-pending-none")) } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-organization")) } th { (w.t("ui-program")) } th { (w.t("ui-sector")) } th { (w.t("ui-country")) } th { (w.t("ui-applied")) } th { span.muted { (w.t("ui-decision")) } } } }
                tbody { @for org in &pending { tr {
                    td { a href={ "/ui/orgs/" (org.id) } { (org.name) } }
                    td { (programs.iter().find(|p| p.id == org.program_id).map_or("", |p| p.name.as_str())) }
                    td { (org.sector) }
                    td { (org.country) }
                    td { (when(&org.created_at)) }
                    td {
                        (org_status_form(&viewer, org, OrgStatus::Active, "ui-approve-org", "", false)) " "
                        (org_status_form(&viewer, org, OrgStatus::Left, "ui-reject-org", "secondary", false))
                    }
                } } }
            } }
        }
        h2 { (w.t("ui-chart-notifications")) }
        (columns(&w.t("ui-chart-notifications"), &per_day))
        div.grid {
            section { h2 { (w.t("ui-chart-by-program")) } (bars(&w.t("ui-chart-by-program"), &overview.orgs_by_program)) }
            section { h2 { (w.t("ui-chart-by-sector")) } (bars(&w.t("ui-chart-by-sector"), &overview.orgs_by_sector)) }
            section { h2 { (w.t("ui-chart-by-country")) } (bars(&w.t("ui-chart-by-country"), &overview.orgs_by_country)) }
            section { h2 { (w.t("ui-chart-accounts")) } (bars(&w.t("ui-chart-accounts"), &named(w, "ui-account", &overview.accounts_by_kind))) }
            section { h2 { (w.t("ui-chart-by-actor")) } (bars(&w.t("ui-chart-by-actor"), &overview.incidents_by_actor)) }
            section { h2 { (w.t("ui-chart-by-kind")) } (bars(&w.t("ui-chart-by-kind"), &named(w, "kind", &overview.incidents_by_kind))) }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-dashboard-title"), body))
}

/// A button that moves an organization to `status`, named for screen readers with the
/// organization ("Approve Clinique du Lac"); `from_org_page` leads back there afterwards.
pub fn org_status_form(
    viewer: &Viewer,
    org: &forewarn_store::Organization,
    status: OrgStatus,
    label: &str,
    class: &str,
    from_org_page: bool,
) -> maud::Markup {
    let label = viewer.words.t(label);
    html! {
        form.inline method="post" action={ "/ui/orgs/" (org.id) "/status" } {
            (super::csrf_field(viewer))
            input type="hidden" name="status" value=(status.as_str());
            @if from_org_page { input type="hidden" name="back" value="org"; }
            button type="submit" class=(class) aria-label={ (label) " " (org.name) } { (label) }
        }
    }
}

#[derive(Deserialize)]
pub struct OrgStatusForm {
    status: OrgStatus,
    #[serde(default)]
    back: Option<String>,
}

/// Approving or turning down an application, suspending or reinstating an organization: the
/// API's operation, then back to the dashboard or the organization's page.
pub async fn set_org_status(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<OrgStatusForm>,
) -> Answer {
    let viewer = posted.viewer;
    let target = if posted.form.back.as_deref() == Some("org") {
        format!("/ui/orgs/{org}")
    } else {
        "/ui/dashboard#pending".to_owned()
    };
    crate::service::orgs::set_org_status(
        &state,
        &viewer.caller(),
        &OrgId(org),
        crate::service::orgs::StatusChange {
            status: posted.form.status,
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(back_to(&target))
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

/// Every organization, a page at a time, for operators and analysts.
pub async fn organizations(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<After>,
) -> Answer {
    viewer
        .caller()
        .require(&[Role::Operator, Role::Analyst])
        .or_fail(&viewer)?;
    let listing = crate::service::orgs::list_orgs(
        &state,
        &viewer.caller(),
        crate::api::PageQuery {
            cursor: query.after,
            limit: Some(100),
        },
    )
    .await
    .or_fail(&viewer)?;
    let programs = state.store.programs().await.or_fail(&viewer)?;
    let w = viewer.words;
    let body = html! {
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-organization")) } th { (w.t("ui-status")) } th { (w.t("ui-program")) } th { (w.t("ui-sector")) } th { (w.t("ui-country")) } th { (w.t("ui-language")) } } }
            tbody { @for org in &listing.items { tr {
                td { a href={ "/ui/orgs/" (org.id) } { (org.name) } }
                td { (w.word("ui-org-status", org.status.as_str())) }
                td { (programs.iter().find(|p| p.id == org.program_id).map_or("", |p| p.name.as_str())) }
                td { (org.sector) }
                td { (org.country) }
                td { (org.language) }
            } } }
        } }
        @if let Some(next) = &listing.next_cursor { p { a href={ "/ui/orgs?after=" (next) } { (w.t("ui-next-page")) } } }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-nav-organizations"), body))
}

pub async fn dead_letters(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<After>,
) -> Answer {
    let listing = crate::service::dead_letters::list_dead_letters(
        &state,
        &viewer.caller(),
        crate::api::PageQuery {
            cursor: query.after,
            limit: Some(50),
        },
    )
    .await
    .or_fail(&viewer)?;
    let w = viewer.words;
    let body = html! {
        p.muted { (w.t("ui-dead-letters-intro")) }
        @if listing.items.is_empty() { p { (w.t("ui-dead-letters-none")) } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-received")) } th { (w.t("ui-reason")) } th { (w.t("ui-attempts")) } th { (w.t("ui-size")) } th { span.muted { (w.t("ui-decision")) } } } }
                tbody { @for d in &listing.items { tr {
                    td { (when(&d.received_at)) }
                    td { (d.reason) }
                    td { (d.attempts) }
                    td { (d.size) }
                    td { (button(&viewer, &format!("/ui/dead-letters/{}/retry", d.id), &w.t("ui-retry"), "secondary")) }
                } } }
            } }
            @if let Some(next) = &listing.next_cursor { p { a href={ "/ui/dead-letters?after=" (next) } { (w.t("ui-next-page")) } } }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-nav-dead-letters"), body))
}

pub async fn retry_dead_letter(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    crate::service::dead_letters::retry_dead_letter(&state, &viewer.caller(), id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to("/ui/dead-letters"))
}

//! An organization's incidents: the timeline, and each incident as a verdict card (what we saw,
//! why it matters, what to do now) with the buttons that move it along.

use axum::extract::{Query, State};
use forewarn_store::{Incident, IncidentId, IncidentStatus, Role, StoredMessage};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;

use super::{
    back_to, catalogs, page, visible_org, when, Answer, Failure, OrFail, Posted, Viewer, Words,
};
use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;
use forewarn_alerts::defang;
use forewarn_store::OrgId;

const READERS: &[Role] = &[Role::Operator, Role::Analyst, Role::OrgAdmin];

/// Incidents on one page of the timeline.
pub const PER_PAGE: u32 = 50;

#[derive(Deserialize)]
pub struct Before {
    before: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(query): Query<Before>,
) -> Answer {
    let org = visible_org(&state, &viewer, &org).await?;
    viewer.caller().require(READERS).or_fail(&viewer)?;
    let before = query
        .before
        .filter(|b| b.len() <= 64 && b.bytes().all(|c| c.is_ascii_hexdigit()));
    let incidents = state
        .store
        .recent_incidents(&org.id, before.as_deref(), PER_PAGE)
        .await
        .or_fail(&viewer)?;
    let w = viewer.words;
    let body = html! {
        p.muted { (w.with("ui-incidents-intro", &[("org", org.name.clone().into())])) }
        @if incidents.is_empty() {
            p { (w.t("ui-incidents-none")) }
        } @else {
            ol.timeline {
                @for incident in &incidents {
                    li {
                        (when(&incident.last_seen)) " "
                        (severity(w, incident.severity)) " "
                        a href={ "/ui/orgs/" (org.id) "/incidents/" (incident.id) } { (incident.title) }
                        br;
                        span.muted {
                            (w.word("kind", incident.kind.as_str())) " · "
                            (w.word("ui-status", incident.status.as_str())) " · "
                            (w.with("ui-messages-count", &[("count", incident.message_count.into())]))
                        }
                    }
                }
            }
            @if incidents.len() == PER_PAGE as usize {
                @if let Some(last) = incidents.last() {
                    p { a href={ "/ui/orgs/" (org.id) "/incidents?before=" (last.id) } { (w.t("ui-older")) } }
                }
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-incidents-title"), body))
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((org, id)): Path<(String, String)>,
) -> Answer {
    let org = visible_org(&state, &viewer, &org).await?;
    let incident = incident_of(&state, &viewer, &org.id, id).await?;
    viewer.caller().require(READERS).or_fail(&viewer)?;
    let evidence = state
        .store
        .incident_evidence(std::slice::from_ref(&incident))
        .await
        .or_fail(&viewer)?
        .pop()
        .unwrap_or_default();
    let w = viewer.words;
    let first = evidence.first.as_ref();
    let findings = first.map(|m| &m.findings);
    let accounts: Vec<String> = evidence
        .accounts
        .iter()
        .map(|a| match (&a.kind, &a.address) {
            // A personal mailbox's address belongs to its owner, not to the organization.
            (forewarn_store::AccountKind::Enterprise, Some(address)) => address.clone(),
            _ => w.t("ui-personal-account"),
        })
        .collect();
    let base = format!("/ui/orgs/{}/incidents/{}", org.id, incident.id);
    let body = html! {
        p { (severity(w, incident.severity)) " " (w.word("kind", incident.kind.as_str())) " · " strong { (w.word("ui-status", incident.status.as_str())) } }
        section.card aria-labelledby="seen" {
            h2 #seen { (w.t("ui-card-seen")) }
            (seen(w, &incident, first, &accounts))
        }
        section.card aria-labelledby="why" {
            h2 #why { (w.t("ui-card-why")) }
            (why(w, &incident, findings))
        }
        section.card aria-labelledby="steps" {
            h2 #steps { (w.t("ui-card-steps")) }
            @if let Some(note) = &incident.analyst_note { div.notice { p { (note) } } }
            ol.steps { @for step in catalogs().playbook(w.language.code, incident.kind.as_str()) { li { (step) } } }
            p { a href={ "/ui/guidance/" (incident.kind) } { (w.t("ui-more-guidance")) } }
        }
        p.exports {
            (w.t("ui-export")) " "
            a href={ "/api/v1/orgs/" (org.id) "/incidents/" (incident.id) "/export?format=stix" } download { (w.t("ui-export-stix")) }
            " · "
            a href={ "/api/v1/orgs/" (org.id) "/incidents/" (incident.id) "/export?format=misp" } download { (w.t("ui-export-misp")) }
        }
        div.actions {
            @for status in [IncidentStatus::Acknowledged, IncidentStatus::Resolved, IncidentStatus::FalsePositive] {
                @if incident.status != status {
                    (status_button(&viewer, &base, status))
                }
            }
        }
    };
    Ok(page(w, Some(&viewer), &incident.title, body))
}

fn status_button(viewer: &Viewer, base: &str, status: IncidentStatus) -> Markup {
    let w = viewer.words;
    html! {
        form.inline method="post" action={ (base) "/status" } {
            (super::csrf_field(viewer))
            input type="hidden" name="status" value=(status.as_str());
            button type="submit" class=(if status == IncidentStatus::FalsePositive { "secondary" } else { "" }) {
                (w.word("ui-mark", status.as_str()))
            }
        }
    }
}

/// The sender, subject, links, attachments, accounts and time of the incident's first message.
fn seen(
    w: Words,
    incident: &Incident,
    first: Option<&StoredMessage>,
    accounts: &[String],
) -> Markup {
    let findings = first.map(|m| &m.findings);
    // Sorted by where the message showed them: its text and markup, or its attachments.
    let place = |f: &Value| f["where"].as_str().unwrap_or("").to_owned();
    let links = observed(findings, |f| {
        let place = place(f);
        place.starts_with("html") || place == "text"
    });
    let attachments = observed(findings, |f| place(f).starts_with("attachment["));
    html! {
        dl.facts {
            dt { (w.t("ui-sender")) }
            dd.mono { (first.and_then(|m| m.sender.as_deref()).map(defang).unwrap_or_else(|| "?".into())) }
            dt { (w.t("ui-subject")) }
            dd { (first.and_then(|m| m.subject.as_deref()).unwrap_or("")) }
            dt { (w.t("ui-links")) }
            dd { @if links.is_empty() { "—" } @else { ul { @for l in &links { li.mono { (defang(l)) } } } } }
            dt { (w.t("ui-attachments")) }
            dd { @if attachments.is_empty() { "—" } @else { ul { @for a in &attachments { li.mono { (a) } } } } }
            dt { (w.t("ui-accounts-targeted")) }
            dd { @if accounts.is_empty() { "—" } @else { ul { @for a in accounts { li.mono { (a) } } } } }
            dt { (w.t("ui-first-seen")) }
            dd { (when(&incident.first_seen)) }
            dt { (w.t("ui-last-seen")) }
            dd { (when(&incident.last_seen)) " · " (w.with("ui-messages-count", &[("count", incident.message_count.into())])) }
        }
    }
}

/// The actor or the kind of attack, how sure forewarn is, and the ATT&CK techniques.
fn why(w: Words, incident: &Incident, findings: Option<&Value>) -> Markup {
    let list: Vec<&Value> = findings
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let confidence = list
        .iter()
        .filter_map(|f| f["confidence"].as_u64())
        .max()
        .unwrap_or(0);
    let mut techniques: Vec<&str> = list
        .iter()
        .filter_map(|f| f["attack"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    techniques.sort_unstable();
    techniques.dedup();
    html! {
        dl.facts {
            dt { (w.t("ui-actor")) }
            dd { (incident.actor.clone().unwrap_or_else(|| w.t("ui-actor-unknown"))) }
            dt { (w.t("ui-confidence")) }
            dd { (confidence) " %" }
            dt { (w.t("ui-techniques")) }
            dd { @if techniques.is_empty() { "—" } @else { @for (i, t) in techniques.iter().enumerate() { @if i > 0 { ", " } abbr.mono title="MITRE ATT&CK" { (t) } } } }
        }
        h3 { (w.t("ui-findings")) }
        ul { @for f in &list { li { (f["summary"].as_str().unwrap_or("")) } } }
    }
}

/// The distinct `observed` values of the findings `pick` keeps, in order.
pub fn observed(findings: Option<&Value>, pick: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    for finding in findings.and_then(Value::as_array).into_iter().flatten() {
        if let Some(value) = finding["observed"].as_str().filter(|v| !v.is_empty()) {
            if pick(finding) && !seen.iter().any(|s: &String| s == value) {
                seen.push(value.to_owned());
            }
        }
    }
    seen
}

pub fn severity(w: Words, severity: forewarn_store::Severity) -> Markup {
    let severity = severity.as_str();
    html! { span class={ "badge sev-" (severity) } { (w.word("severity", severity)) } }
}

async fn incident_of(
    state: &AppState,
    viewer: &Viewer,
    org: &forewarn_store::OrgId,
    id: String,
) -> Result<Incident, Failure> {
    state
        .store
        .find_incident_by_id(&IncidentId(id))
        .await
        .or_fail(viewer)?
        .filter(|i| &i.org_id == org)
        .ok_or_else(|| viewer.fail(ApiError::NotFound))
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: IncidentStatus,
}

pub async fn set_status(
    State(state): State<AppState>,
    Path((org, id)): Path<(String, String)>,
    posted: Posted<StatusForm>,
) -> Answer {
    let viewer = posted.viewer;
    let target = format!("/ui/orgs/{org}/incidents/{id}");
    crate::service::incidents::set_incident_status(
        &state,
        &viewer.caller(),
        &OrgId(org),
        id,
        crate::service::incidents::StatusChange {
            status: posted.form.status,
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(back_to(&target))
}

//! The analysts' queue: incidents nobody has been told about yet, each with its evidence and
//! what every finding added to the verdict, to approve (tell the organization now), correct,
//! or dismiss.

use std::collections::HashMap;

use axum::extract::{Query, State};
use forewarn_store::{
    IncidentEdit, IncidentId, IncidentKind, IncidentStatus, MessageId, OrgId, Role, Severity,
    StoredMessage,
};
use maud::html;
use serde::Deserialize;
use serde_json::Value;

use super::incidents::severity;
use super::{back_to, button, csrf_field, page, when, Answer, OrFail, Posted, Viewer};
use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;
use forewarn_alerts::defang;

const ANALYSTS: &[Role] = &[Role::Operator, Role::Analyst];
const PER_PAGE: u32 = 50;
/// Messages shown as evidence, the first ones.
const SHOWN: usize = 20;

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<After>,
) -> Answer {
    viewer.caller().require(ANALYSTS).or_fail(&viewer)?;
    let page_of = crate::api::PageQuery {
        cursor: query.after,
        limit: Some(PER_PAGE),
    }
    .page()
    .or_fail(&viewer)?;
    let waiting = state
        .store
        .incidents_in_state(Some(IncidentStatus::New), &page_of)
        .await
        .or_fail(&viewer)?;
    let mut names: HashMap<OrgId, String> = HashMap::new();
    for incident in &waiting {
        if !names.contains_key(&incident.org_id) {
            let name = state
                .store
                .find_org_by_id(&incident.org_id)
                .await
                .or_fail(&viewer)?
                .map_or_else(|| incident.org_id.0.clone(), |o| o.name);
            names.insert(incident.org_id.clone(), name);
        }
    }
    let w = viewer.words;
    let body = html! {
        p.muted { (w.t("ui-triage-intro")) }
        @if waiting.is_empty() {
            p { (w.t("ui-triage-empty")) }
        } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-first-seen")) } th { (w.t("ui-organization")) } th { (w.t("ui-severity")) } th { (w.t("ui-incident")) } th { (w.t("ui-messages")) } } }
                tbody { @for incident in &waiting { tr {
                    td { (when(&incident.first_seen)) }
                    td { (names.get(&incident.org_id).map_or("", String::as_str)) }
                    td { (severity(w, incident.severity)) }
                    td { a href={ "/ui/triage/" (incident.id) } { (incident.title) } br; span.muted { (w.word("kind", incident.kind.as_str())) } }
                    td { (incident.message_count) }
                } } }
            } }
            @if waiting.len() == PER_PAGE as usize {
                @if let Some(last) = waiting.last() { p { a href={ "/ui/triage?after=" (last.id) } { (w.t("ui-next-page")) } } }
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-triage-title"), body))
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Answer {
    viewer.caller().require(ANALYSTS).or_fail(&viewer)?;
    let incident = state
        .store
        .find_incident_by_id(&IncidentId(id))
        .await
        .or_fail(&viewer)?
        .ok_or_else(|| viewer.fail(ApiError::NotFound))?;
    let org = state
        .store
        .find_org_by_id(&incident.org_id)
        .await
        .or_fail(&viewer)?
        .ok_or_else(|| viewer.fail(ApiError::NotFound))?;
    let ids = state
        .store
        .incident_messages(&incident.id)
        .await
        .or_fail(&viewer)?;
    let shown: Vec<&MessageId> = ids.iter().take(SHOWN).collect();
    let mut found = state.store.messages_by_ids(&shown).await.or_fail(&viewer)?;
    let messages: Vec<StoredMessage> = shown.iter().filter_map(|id| found.remove(*id)).collect();
    let accounts = state
        .store
        .incident_accounts(&incident.id)
        .await
        .or_fail(&viewer)?;
    let notifications = state
        .store
        .notifications(&incident.id)
        .await
        .or_fail(&viewer)?;
    let w = viewer.words;
    let base = format!("/ui/triage/{}", incident.id);
    let body = html! {
        p {
            (severity(w, incident.severity)) " " (w.word("kind", incident.kind.as_str())) " · "
            strong { (w.word("ui-status", incident.status.as_str())) } " · " (org.name)
        }
        dl.facts {
            dt { (w.t("ui-actor")) } dd { (incident.actor.clone().unwrap_or_else(|| w.t("ui-actor-unknown"))) }
            dt { (w.t("ui-first-seen")) } dd { (when(&incident.first_seen)) }
            dt { (w.t("ui-messages")) } dd { (incident.message_count) }
            dt { (w.t("ui-accounts-targeted")) } dd { (accounts.len()) }
        }
        @if incident.status == IncidentStatus::New {
            div.actions {
                (button(&viewer, &format!("{base}/approve"), &w.t("ui-approve"), ""))
                (button(&viewer, &format!("{base}/dismiss"), &w.t("ui-dismiss"), "secondary"))
            }
        }
        h2 { (w.t("ui-evidence")) }
        @for message in &messages {
            section.card {
                dl.facts {
                    dt { (w.t("ui-sender")) } dd.mono { (message.sender.as_deref().map(defang).unwrap_or_default()) }
                    dt { (w.t("ui-subject")) } dd { (message.subject.as_deref().unwrap_or("")) }
                    dt { (w.t("ui-received")) } dd { (when(&message.received_at)) }
                    dt { (w.t("ui-verdict")) } dd { (w.word("ui-verdict", &message.verdict)) " · " (message.score) " / 100" }
                }
                (contributions(w, &message.findings))
            }
        }
        h2 { (w.t("ui-edit-title")) }
        form.stack method="post" action={ (base) "/edit" } {
            (csrf_field(&viewer))
            label { (w.t("ui-title")) input name="title" value=(incident.title) maxlength="300"; }
            label { (w.t("ui-severity"))
                select name="severity" { @for s in Severity::ALL { option value=(s.as_str()) selected[s == incident.severity] { (w.word("severity", s.as_str())) } } }
            }
            label { (w.t("ui-kind"))
                select name="kind" { @for k in IncidentKind::ALL { option value=(k.as_str()) selected[k == incident.kind] { (w.word("kind", k.as_str())) } } }
            }
            label { (w.t("ui-actor")) input name="actor" value=(incident.actor.clone().unwrap_or_default()) maxlength="200"; }
            label { (w.t("ui-analyst-note")) textarea name="analyst_note" maxlength="2000" { (incident.analyst_note.clone().unwrap_or_default()) } }
            button type="submit" { (w.t("ui-save")) }
        }
        h2 { (w.t("ui-notifications")) }
        @if notifications.is_empty() { p { "—" } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-channel")) } th { (w.t("ui-status")) } th { (w.t("ui-attempts")) } } }
                tbody { @for n in &notifications { tr { td { (w.word("ui-channel", &n.channel)) } td { (w.word("ui-delivery", &n.status)) } td { (n.attempts) } } } }
            } }
        }
    };
    Ok(page(w, Some(&viewer), &incident.title, body))
}

/// Each finding with what it added to the score, like a spam filter's symbols.
fn contributions(w: super::Words, findings: &Value) -> maud::Markup {
    let list = findings.as_array().map(Vec::as_slice).unwrap_or_default();
    html! {
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-detector")) } th { (w.t("ui-finding")) } th { (w.t("ui-where")) } th { "ATT&CK" } th { (w.t("ui-points")) } } }
            tbody { @for f in list { tr {
                td.mono { (f["detector"].as_str().unwrap_or("")) }
                td { (f["summary"].as_str().unwrap_or("")) br; span.mono.muted { (defang(f["observed"].as_str().unwrap_or(""))) } }
                td.mono { (f["where"].as_str().unwrap_or("")) }
                td.mono { (f["attack"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default()) }
                td { "+" (f["score"].as_u64().unwrap_or(0)) }
            } } }
        } }
    }
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    let target = format!("/ui/triage/{id}");
    crate::service::incidents::approve_incident(&state, &viewer.caller(), id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&target))
}

pub async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    crate::service::incidents::dismiss_incident(&state, &viewer.caller(), id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to("/ui/triage"))
}

#[derive(Deserialize)]
pub struct EditForm {
    title: String,
    severity: String,
    kind: String,
    actor: String,
    analyst_note: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<EditForm>,
) -> Answer {
    let viewer = posted.viewer;
    let form = posted.form;
    let target = format!("/ui/triage/{id}");
    crate::service::incidents::edit_incident(
        &state,
        &viewer.caller(),
        id,
        IncidentEdit {
            title: Some(form.title),
            severity: Some(form.severity),
            kind: Some(form.kind),
            actor: Some(form.actor),
            analyst_note: Some(form.analyst_note),
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(back_to(&target))
}

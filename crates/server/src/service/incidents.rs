//! Incidents: what happened to an organization, correlated from its suspicious messages, with
//! the accounts targeted and the lifecycle the organization and analysts move it along.

use forewarn_store::{
    AccountId, Incident, IncidentEdit, IncidentId, IncidentKind, IncidentStatus, MessageId,
    Notification, OrgId, Role, Severity, StoredMessage,
};
use serde::{Deserialize, Serialize};

use super::visible_org;
use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

const READERS: &[Role] = &[Role::Operator, Role::Analyst, Role::OrgAdmin];

/// An incident with the messages it gathers and the accounts they targeted.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    #[serde(flatten)]
    pub incident: Incident,
    pub messages: Vec<MessageId>,
    pub accounts: Vec<AccountId>,
    /// Who was told, over what, and how that went.
    pub notifications: Vec<Notification>,
}

/// An incident with its evidence, for an analyst deciding whether to tell the organization:
/// the messages' senders, subjects, verdicts and findings.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TriageView {
    #[serde(flatten)]
    pub incident: Incident,
    /// The first 50 messages.
    pub messages: Vec<StoredMessage>,
    pub accounts: Vec<AccountId>,
    pub notifications: Vec<Notification>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `acknowledged`, `resolved` or `false_positive` (and `notified`, which forewarn sets
    /// itself when it has told the organization).
    pub status: IncidentStatus,
}

/// `?status=new` and the usual paging.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TriageQuery {
    /// Only incidents in this state (`new` for the ones waiting for review).
    pub status: Option<IncidentStatus>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// Every organization's incidents, for the analysts' triage: with `?status=new`, the ones
/// nobody has been told about yet (medium and low incidents wait here for review).
pub async fn triage_incidents(
    state: &AppState,
    caller: &Caller,
    query: TriageQuery,
) -> Result<Listing<Incident>, ApiError> {
    caller.require(&[Role::Operator, Role::Analyst])?;
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    }
    .page()?;
    let items = state.store.incidents_in_state(query.status, &page).await?;
    Ok(Listing::new(items, &page, |i| i.id.0.clone()))
}

pub async fn list_incidents(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    query: PageQuery,
) -> Result<Listing<Incident>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(READERS)?;
    let page = query.page()?;
    let items = state.store.incidents(Some(&org.id), &page).await?;
    Ok(Listing::new(items, &page, |i| i.id.0.clone()))
}

/// The incident, if it belongs to the organization in the path.
async fn incident_of(state: &AppState, org: &OrgId, id: String) -> Result<Incident, ApiError> {
    state
        .store
        .find_incident_by_id(&IncidentId(id))
        .await?
        .filter(|i| &i.org_id == org)
        .ok_or(ApiError::NotFound)
}

pub async fn get_incident(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
) -> Result<IncidentView, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let incident = incident_of(state, &org.id, id).await?;
    caller.require(READERS)?;
    let messages = state.store.incident_messages(&incident.id).await?;
    let accounts = state.store.incident_accounts(&incident.id).await?;
    let notifications = state.store.notifications(&incident.id).await?;
    Ok(IncidentView {
        incident,
        messages,
        accounts,
        notifications,
    })
}

pub async fn set_incident_status(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
    change: StatusChange,
) -> Result<Incident, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let incident = incident_of(state, &org.id, id).await?;
    caller.require(READERS)?;
    if change.status == IncidentStatus::New {
        return Err(ApiError::invalid(
            "an incident cannot be made new again",
            vec![],
        ));
    }
    let updated = state
        .store
        .set_incident_status(&caller.actor(), &incident.id, change.status)
        .await?
        .ok_or(ApiError::NotFound)?;
    if change.status == IncidentStatus::FalsePositive && ANALYSTS.contains(&caller.role()) {
        revoke_indicators_behind(state, caller, &updated).await?;
    }
    Ok(updated)
}

/// An analyst's false positive speaks for every organization: the known indicators the
/// incident's messages matched are revoked, and the next matcher leaves them out. An
/// organization's own false positive only closes its incident.
async fn revoke_indicators_behind(
    state: &AppState,
    caller: &Caller,
    incident: &Incident,
) -> Result<(), ApiError> {
    let mut indicators = Vec::new();
    for message in first_messages(state, incident).await? {
        for finding in message.findings.as_array().into_iter().flatten() {
            if let (Some(kind), Some(value)) = (
                finding["indicator"]["kind"].as_str(),
                finding["indicator"]["value"].as_str(),
            ) {
                indicators.push((kind.to_owned(), value.to_owned()));
            }
        }
    }
    indicators.sort();
    indicators.dedup();
    if !indicators.is_empty() {
        state
            .store
            .revoke_indicators(
                &caller.actor(),
                &incident.id,
                &indicators,
                "an analyst judged the incident a false positive",
            )
            .await?;
    }
    Ok(())
}

const ANALYSTS: &[Role] = &[Role::Operator, Role::Analyst];

async fn any_incident(state: &AppState, id: String) -> Result<Incident, ApiError> {
    state
        .store
        .find_incident_by_id(&IncidentId(id))
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn triage_incident(
    state: &AppState,
    caller: &Caller,
    id: String,
) -> Result<TriageView, ApiError> {
    let incident = any_incident(state, id).await?;
    caller.require(ANALYSTS)?;
    let messages = first_messages(state, &incident).await?;
    let accounts = state.store.incident_accounts(&incident.id).await?;
    let notifications = state.store.notifications(&incident.id).await?;
    Ok(TriageView {
        incident,
        messages,
        accounts,
        notifications,
    })
}

/// The incident's first 50 messages, as stored.
async fn first_messages(
    state: &AppState,
    incident: &Incident,
) -> Result<Vec<StoredMessage>, ApiError> {
    let mut messages = Vec::new();
    for id in state
        .store
        .incident_messages(&incident.id)
        .await?
        .iter()
        .take(50)
    {
        if let Some(message) = state.store.find_message(&incident.org_id, id).await? {
            messages.push(message);
        }
    }
    Ok(messages)
}

pub async fn edit_incident(
    state: &AppState,
    caller: &Caller,
    id: String,
    edit: IncidentEdit,
) -> Result<Incident, ApiError> {
    let incident = any_incident(state, id).await?;
    caller.require(ANALYSTS)?;
    let mut reasons = Reasons::default();
    let edit = IncidentEdit {
        title: edit
            .title
            .and_then(|t| reasons.check(validate::text("title", &t, 300))),
        severity: edit.severity.and_then(|s| {
            reasons.check(match s.parse::<Severity>() {
                Ok(_) => Ok(s),
                Err(_) => Err(format!(
                    "severity is one of {}",
                    Severity::ALL.map(Severity::as_str).join(", ")
                )),
            })
        }),
        kind: edit.kind.and_then(|k| {
            reasons.check(match k.parse::<IncidentKind>() {
                Ok(_) => Ok(k),
                Err(_) => Err(format!(
                    "kind is one of {}",
                    IncidentKind::ALL.map(IncidentKind::as_str).join(", ")
                )),
            })
        }),
        actor: edit.actor.and_then(|a| {
            if a.trim().is_empty() {
                Some(String::new())
            } else {
                reasons.check(validate::text("actor", &a, 200))
            }
        }),
        analyst_note: edit.analyst_note.and_then(|n| {
            if n.trim().is_empty() {
                Some(String::new())
            } else {
                reasons.check(validate::note("analyst_note", &n, 2000))
            }
        }),
    };
    reasons.into_result("the change is not valid")?;
    let updated = state
        .store
        .edit_incident(&caller.actor(), &incident.id, &edit)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(updated)
}

pub async fn approve_incident(
    state: &AppState,
    caller: &Caller,
    id: String,
) -> Result<Incident, ApiError> {
    let incident = any_incident(state, id).await?;
    caller.require(ANALYSTS)?;
    let approved = state
        .store
        .approve_incident(&caller.actor(), &incident.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    state.incidents_due.notify_one();
    Ok(approved)
}

pub async fn dismiss_incident(
    state: &AppState,
    caller: &Caller,
    id: String,
) -> Result<Incident, ApiError> {
    let incident = any_incident(state, id).await?;
    caller.require(ANALYSTS)?;
    let dismissed = state
        .store
        .dismiss_incident(&caller.actor(), &incident.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(dismissed)
}

/// What an incident is exported as.
#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// A STIX 2.1 bundle.
    #[default]
    Stix,
    /// A MISP event.
    Misp,
}

/// `?format=stix` (the default) or `?format=misp`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub format: Option<ExportFormat>,
    /// The TLP 2.0 marking: `red`, `amber+strict` (the default), `amber`, `green` or `clear`.
    pub tlp: Option<String>,
}

/// The incident as a STIX 2.1 bundle or a MISP event, marked TLP:AMBER+STRICT unless the
/// caller chooses another level (it is about one organization's mail), naming no
/// organization (see [`crate::export`]).
pub async fn export_incident(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
    query: &ExportQuery,
) -> Result<serde_json::Value, ApiError> {
    let tlp = match &query.tlp {
        None => forewarn_intel::Tlp::AmberStrict,
        Some(text) => forewarn_intel::Tlp::parse(text).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "tlp {text:?} is not one of red, amber+strict, amber, green, clear"
            ))
        })?,
    };
    let org = visible_org(state, caller, org).await?;
    let incident = incident_of(state, &org.id, id).await?;
    caller.require(READERS)?;
    let messages = first_messages(state, &incident).await?;
    let operator = crate::export::operator_name(&state.config.public_url);
    let exporter = crate::export::Exporter {
        public_url: &state.config.public_url,
        operator: &operator,
        tlp,
    };
    Ok(match query.format.unwrap_or_default() {
        ExportFormat::Stix => exporter.stix(&incident, &messages),
        ExportFormat::Misp => exporter.misp(&incident, &messages),
    })
}

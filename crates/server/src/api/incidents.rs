//! Incidents: what happened to an organization, correlated from its suspicious messages, with
//! the accounts targeted and the lifecycle the organization and analysts move it along.

use axum::extract::State;
use forewarn_store::{AccountId, Incident, IncidentId, IncidentStatus, MessageId, OrgId, Role};
use serde::{Deserialize, Serialize};

use super::{visible_org, Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::AppState;

const READERS: &[Role] = &[Role::Operator, Role::Analyst, Role::OrgAdmin];

/// An incident with the messages it gathers and the accounts they targeted.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    #[serde(flatten)]
    pub incident: Incident,
    pub messages: Vec<MessageId>,
    pub accounts: Vec<AccountId>,
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
#[utoipa::path(get, path = "/incidents", tag = "incidents", params(TriageQuery),
    responses((status = 200, body = Listing<Incident>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn triage_incidents(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<TriageQuery>,
) -> Result<Json<Listing<Incident>>, ApiError> {
    caller.require(&[Role::Operator, Role::Analyst])?;
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    }
    .page()?;
    let items = state.store.incidents_in_state(query.status, &page).await?;
    Ok(Json(Listing::new(items, &page, |i| i.id.0.clone())))
}

#[utoipa::path(get, path = "/orgs/{org_id}/incidents", tag = "incidents", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Listing<Incident>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_incidents(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Incident>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(READERS)?;
    let page = query.page()?;
    let items = state.store.incidents(Some(&org.id), &page).await?;
    Ok(Json(Listing::new(items, &page, |i| i.id.0.clone())))
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

#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}", tag = "incidents",
    params(("org_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn get_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<IncidentView>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    let incident = incident_of(&state, &org.id, id).await?;
    caller.require(READERS)?;
    let messages = state.store.incident_messages(&incident.id).await?;
    let accounts = state.store.incident_accounts(&incident.id).await?;
    Ok(Json(IncidentView {
        incident,
        messages,
        accounts,
    }))
}

#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/status", tag = "incidents",
    params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = StatusChange,
    responses((status = 200, body = Incident), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn set_incident_status(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    Json(change): Json<StatusChange>,
) -> Result<Json<Incident>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    let incident = incident_of(&state, &org.id, id).await?;
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
    Ok(Json(updated))
}

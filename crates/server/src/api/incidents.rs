//! Incidents: what happened to an organization, correlated from its suspicious messages, with
//! the accounts targeted and the lifecycle the organization and analysts move it along.

use axum::extract::State;
use forewarn_store::{Incident, IncidentEdit, OrgId};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::incidents;
use crate::AppState;

pub use crate::service::incidents::{IncidentView, StatusChange, TriageQuery, TriageView};

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
    Ok(Json(
        incidents::triage_incidents(&state, &caller, query).await?,
    ))
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
    Ok(Json(
        incidents::list_incidents(&state, &caller, &OrgId(org), query).await?,
    ))
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
    Ok(Json(
        incidents::get_incident(&state, &caller, &OrgId(org), id).await?,
    ))
}

#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}/export", tag = "incidents",
    params(("org_id" = String, Path), ("incident_id" = String, Path), incidents::ExportQuery),
    responses((status = 200, description = "a STIX 2.1 bundle (application/stix+json;version=2.1) or a MISP event (application/json), TLP:AMBER+STRICT, naming no organization"), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn export_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    Query(query): Query<incidents::ExportQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let format = query.format.unwrap_or_default();
    let exported =
        incidents::export_incident(&state, &caller, &OrgId(org), id.clone(), &query).await?;
    let (media_type, suffix) = match format {
        incidents::ExportFormat::Stix => ("application/stix+json;version=2.1", "stix"),
        incidents::ExportFormat::Misp => ("application/json", "misp"),
    };
    let disposition = format!("attachment; filename=\"incident-{id}.{suffix}.json\"");
    let mut response = axum::Json(exported).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(media_type),
    );
    if let Ok(value) = header::HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
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
    Ok(Json(
        incidents::set_incident_status(&state, &caller, &OrgId(org), id, change).await?,
    ))
}

#[utoipa::path(get, path = "/incidents/{incident_id}", tag = "incidents",
    params(("incident_id" = String, Path)),
    responses((status = 200, body = TriageView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn triage_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TriageView>, ApiError> {
    Ok(Json(incidents::triage_incident(&state, &caller, id).await?))
}

#[utoipa::path(patch, path = "/incidents/{incident_id}", tag = "incidents",
    params(("incident_id" = String, Path)), request_body = IncidentEdit,
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn edit_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(edit): Json<IncidentEdit>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(
        incidents::edit_incident(&state, &caller, id, edit).await?,
    ))
}

#[utoipa::path(post, path = "/incidents/{incident_id}/approve", tag = "incidents",
    params(("incident_id" = String, Path)),
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn approve_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(
        incidents::approve_incident(&state, &caller, id).await?,
    ))
}

#[utoipa::path(post, path = "/incidents/{incident_id}/dismiss", tag = "incidents",
    params(("incident_id" = String, Path)),
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn dismiss_incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(
        incidents::dismiss_incident(&state, &caller, id).await?,
    ))
}

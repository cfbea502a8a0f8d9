//! Organizations: tenant roles see their own, the operator and analysts see all; only the
//! operator approves, suspends or removes one.

use axum::extract::State;
use forewarn_store::{OrgId, Organization};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::orgs;
use crate::AppState;

pub use crate::service::orgs::{NotificationPolicy, StatusChange};

#[utoipa::path(get, path = "/orgs", tag = "orgs", params(PageQuery),
    responses((status = 200, body = Listing<Organization>)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Organization>>, ApiError> {
    Ok(Json(orgs::list_orgs(&state, &caller, query).await?))
}

#[utoipa::path(get, path = "/orgs/{org_id}", tag = "orgs", params(("org_id" = String, Path)),
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn get_org(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Organization>, ApiError> {
    Ok(Json(orgs::get_org(&state, &caller, &OrgId(org)).await?))
}

#[utoipa::path(post, path = "/orgs/{org_id}/status", tag = "orgs", params(("org_id" = String, Path)), request_body = StatusChange,
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn set_org_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(change): Json<StatusChange>,
) -> Result<Json<Organization>, ApiError> {
    Ok(Json(
        orgs::set_org_status(&state, &caller, &OrgId(org), change).await?,
    ))
}

#[utoipa::path(put, path = "/orgs/{org_id}/notification-policy", tag = "orgs", params(("org_id" = String, Path)), request_body = NotificationPolicy,
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn set_notification_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(policy): Json<NotificationPolicy>,
) -> Result<Json<Organization>, ApiError> {
    Ok(Json(
        orgs::set_notification_policy(&state, &caller, &OrgId(org), policy).await?,
    ))
}

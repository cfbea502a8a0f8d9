//! Organizations: tenant roles see their own, the operator and analysts see all; only the
//! operator approves, suspends or removes one.

use axum::extract::State;
use forewarn_store::{NotifyAt, OrgId, OrgStatus, Organization, Role};
use serde::Deserialize;

use super::{visible_org, Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::AppState;

#[utoipa::path(get, path = "/orgs", tag = "orgs", params(PageQuery),
    responses((status = 200, body = Listing<Organization>)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Organization>>, ApiError> {
    let page = query.page()?;
    if caller.role().is_tenant() && caller.tenant().is_none() {
        return Ok(Json(Listing {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let items = state.store.orgs(caller.tenant(), &page).await?;
    Ok(Json(Listing::new(items, &page, |o| o.id.0.clone())))
}

#[utoipa::path(get, path = "/orgs/{org_id}", tag = "orgs", params(("org_id" = String, Path)),
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn get_org(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Organization>, ApiError> {
    visible_org(&state, &caller, &OrgId(org)).await.map(Json)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `active` approves (or reinstates), `suspended` pauses, `left` removes the organization
    /// and erases its people's personal data.
    pub status: OrgStatus,
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
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator])?;
    let before = org.status;
    let org = state
        .store
        .set_org_status(&caller.actor(), &org.id, change.status)
        .await?
        .ok_or(ApiError::NotFound)?;
    if before == OrgStatus::Pending && org.status == OrgStatus::Active {
        super::members::invite_waiting_admins(&state, &org).await?;
    }
    Ok(Json(org))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPolicy {
    /// The least severe incident told at once (`critical`, `high`, `medium`, `low`, or
    /// `never` to have analysts approve every one); `null` follows the program.
    pub notify_at: Option<NotifyAt>,
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
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    let org = state
        .store
        .set_org_notify_at(&caller.actor(), &org.id, policy.notify_at)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(org))
}

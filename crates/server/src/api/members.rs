//! The people of an organization: org admins invite staff on the organization's verified
//! domains; a person who leaves is erased.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{OrgId, User};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::members;
use crate::AppState;

pub use crate::service::members::Invitation;

#[utoipa::path(get, path = "/orgs/{org_id}/members", tag = "members", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Listing<User>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<User>>, ApiError> {
    Ok(Json(
        members::list_members(&state, &caller, &OrgId(org), query).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/members", tag = "members", params(("org_id" = String, Path)), request_body = Invitation,
    responses(
        (status = 201, description = "invited: the person receives a link to choose a password", body = User),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn invite_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(invitation): Json<Invitation>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let answer = members::invite_member(&state, &caller, &OrgId(org), invitation).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

#[utoipa::path(delete, path = "/orgs/{org_id}/members/{user_id}", tag = "members",
    params(("org_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204, description = "the person left: their name, address, credentials and personal accounts are erased"), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin", "member"]))))]
pub async fn erase_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    members::erase_member(&state, &caller, &OrgId(org), user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/orgs/{org_id}/members/{user_id}/invitation", tag = "members",
    params(("org_id" = String, Path), ("user_id" = String, Path)),
    responses(
        (status = 202, description = "a new invitation link was mailed (earlier ones still work until they expire)", body = User),
        (status = 404, body = ErrorBody),
        (status = 409, description = "the person has already joined or has left", body = ErrorBody),
        (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, user)): Path<(String, String)>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let answer = members::resend_invitation(&state, &caller, &OrgId(org), user).await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

//! Mailboxes people opt in. An enterprise mailbox must be on a verified domain; a personal
//! one is watched only after its owner confirms by the link mailed to it, and its consent
//! (when, which terms) is recorded. Revoking erases the address.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{Account, OrgId};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::accounts;
use crate::AppState;

pub use crate::service::accounts::NewAccount;

#[utoipa::path(get, path = "/orgs/{org_id}/accounts", tag = "accounts", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, description = "all of the organization's accounts; a member sees only their own", body = Listing<Account>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_accounts(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Account>>, ApiError> {
    Ok(Json(
        accounts::list_accounts(&state, &caller, &OrgId(org), query).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/accounts", tag = "accounts", params(("org_id" = String, Path)), request_body = NewAccount,
    responses(
        (status = 201, description = "enterprise: watched from now; personal: pending until the owner confirms by the mailed link", body = Account),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["org_admin", "member"]))))]
pub async fn add_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(new): Json<NewAccount>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let answer = accounts::add_account(&state, &caller, &OrgId(org), new).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

#[utoipa::path(post, path = "/orgs/{org_id}/accounts/{account_id}/revoke", tag = "accounts",
    params(("org_id" = String, Path), ("account_id" = String, Path)),
    responses((status = 200, description = "revoked: no longer watched, the address erased", body = Account), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin", "member"]))))]
pub async fn revoke_account(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(
        accounts::revoke_account(&state, &caller, &OrgId(org), id).await?,
    ))
}

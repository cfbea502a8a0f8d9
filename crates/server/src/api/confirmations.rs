//! Following a mailed link: confirming a personal account (the double opt-in) or a domain, and
//! accepting an invitation by choosing a password. The secret in the link is the only
//! credential; each link works once and expires.

use axum::extract::State;
use forewarn_store::User;
use serde::{Deserialize, Serialize};

use super::applications::Client;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::limits::Bucket;
use crate::service::confirmations::{accept, confirm_link};
use crate::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Confirmed {
    /// `account` or `domain`.
    pub confirmed: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// At least 12 characters.
    pub password: String,
}

#[utoipa::path(post, path = "/confirmations/{token}", tag = "confirmations", params(("token" = String, Path, description = "the secret from the mailed link")),
    responses((status = 200, body = Confirmed), (status = 404, description = "unknown, used or expired", body = ErrorBody), (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn confirm(
    State(state): State<AppState>,
    Client(client): Client,
    Path(secret): Path<String>,
) -> Result<Json<Confirmed>, ApiError> {
    state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    )?;
    let what = confirm_link(&state, &secret).await?;
    Ok(Json(Confirmed {
        confirmed: what.to_owned(),
    }))
}

#[utoipa::path(post, path = "/invitations/{token}", tag = "confirmations", params(("token" = String, Path, description = "the secret from the mailed invitation")),
    request_body = Acceptance,
    responses((status = 200, body = User), (status = 404, description = "unknown, used or expired", body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    Client(client): Client,
    Path(secret): Path<String>,
    Json(acceptance): Json<Acceptance>,
) -> Result<Json<User>, ApiError> {
    state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    )?;
    accept(&state, &secret, acceptance.password).await.map(Json)
}

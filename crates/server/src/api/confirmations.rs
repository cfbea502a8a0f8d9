//! Following a mailed link: confirming a personal account (the double opt-in) or a domain, and
//! accepting an invitation by choosing a password. The secret in the link is the only
//! credential; each link works once and expires.

use axum::extract::State;
use forewarn_store::{
    AccountId, Actor, ConfirmationKind, DomainId, User, UserId, VerificationMethod,
};
use serde::{Deserialize, Serialize};

use super::applications::Client;
use crate::auth;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::limits::Bucket;
use crate::validate;
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

fn unknown_link() -> ApiError {
    ApiError::NotFound
}

/// Confirms whatever the link stands for.
pub async fn confirm_link(state: &AppState, secret: &str) -> Result<&'static str, ApiError> {
    if secret.len() > 128 {
        return Err(unknown_link());
    }
    let digest = auth::digest(secret);
    if let Some(confirmation) = state
        .store
        .take_confirmation(&digest, ConfirmationKind::Account)
        .await?
    {
        state
            .store
            .confirm_account(&AccountId(confirmation.object_id))
            .await?
            .ok_or_else(unknown_link)?;
        return Ok("account");
    }
    if let Some(confirmation) = state
        .store
        .take_confirmation(&digest, ConfirmationKind::Domain)
        .await?
    {
        state
            .store
            .mark_domain_verified(
                &Actor(None),
                &DomainId(confirmation.object_id),
                VerificationMethod::Email,
            )
            .await?
            .ok_or_else(unknown_link)?;
        return Ok("domain");
    }
    Err(unknown_link())
}

/// Accepts an invitation: the password is checked before the link is used up.
pub async fn accept(state: &AppState, secret: &str, password: String) -> Result<User, ApiError> {
    validate::password(&password)
        .map_err(|r| ApiError::invalid("the password is not acceptable", vec![r]))?;
    if secret.len() > 128 {
        return Err(unknown_link());
    }
    let hash = auth::hash_password(password).await?;
    let confirmation = state
        .store
        .take_confirmation(&auth::digest(secret), ConfirmationKind::Invitation)
        .await?
        .ok_or_else(unknown_link)?;
    let user = UserId(confirmation.object_id);
    if !state.store.accept_invitation(&user, &hash).await? {
        return Err(unknown_link());
    }
    state
        .store
        .find_user_by_id(&user)
        .await?
        .ok_or_else(unknown_link)
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

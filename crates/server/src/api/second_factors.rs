//! Second factors: a person adds passkeys and authenticator apps, removes them, and makes new
//! recovery codes under `/me/second-factors`; after the password, a session gives one of them
//! under `/session/second-factor`. The operator's staff must have one; a program may require
//! one of its organizations' people.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::SecondFactor;
use serde::Serialize;
use serde_json::Value;

use super::applications::Client;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::service::second_factor::{self, Added, Code, NewPasskey, NewTotp, Proof, TotpSetup};
use crate::AppState;

#[utoipa::path(get, path = "/me/second-factors", tag = "session",
    responses((status = 200, body = [SecondFactor])),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_second_factors(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SecondFactor>>, ApiError> {
    Ok(Json(second_factor::list(&state, &caller).await?))
}

#[utoipa::path(post, path = "/me/second-factors/passkey/options", tag = "session",
    responses((status = 200, description = "options for `navigator.credentials.create`, binary values in base64url"), (status = 400, description = "not from a browser session", body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn passkey_options(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(second_factor::passkey_options(&state, &caller).await?))
}

#[utoipa::path(post, path = "/me/second-factors/passkey", tag = "session", request_body = NewPasskey,
    responses((status = 201, body = Added), (status = 422, description = "the browser's answer does not check out", body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn add_passkey(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewPasskey>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    let added = second_factor::add_passkey(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[utoipa::path(post, path = "/me/second-factors/totp", tag = "session", request_body = NewTotp,
    responses((status = 201, body = TotpSetup)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn add_totp(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewTotp>,
) -> Result<(StatusCode, Json<TotpSetup>), ApiError> {
    let setup = second_factor::add_totp(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(setup)))
}

#[utoipa::path(post, path = "/me/second-factors/{factor_id}/confirm", tag = "session", request_body = Code,
    params(("factor_id" = String, Path)),
    responses((status = 200, body = Added), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn confirm_totp(
    State(state): State<AppState>,
    Client(client): Client,
    caller: Caller,
    Path(id): Path<String>,
    Json(code): Json<Code>,
) -> Result<Json<Added>, ApiError> {
    Ok(Json(
        second_factor::confirm_totp(&state, client, &caller, &id, &code.code).await?,
    ))
}

#[utoipa::path(delete, path = "/me/second-factors/{factor_id}", tag = "session",
    params(("factor_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn delete_second_factor(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    second_factor::remove(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes, shown once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    /// Each works once, in place of a second factor; the earlier codes no longer work.
    pub recovery_codes: Vec<String>,
}

#[utoipa::path(post, path = "/me/recovery-codes", tag = "session",
    responses((status = 201, body = RecoveryCodes)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn new_recovery_codes(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<RecoveryCodes>), ApiError> {
    let recovery_codes = second_factor::new_recovery_codes(&state, &caller).await?;
    Ok((StatusCode::CREATED, Json(RecoveryCodes { recovery_codes })))
}

#[utoipa::path(post, path = "/session/second-factor/options", tag = "session",
    responses((status = 200, description = "options for `navigator.credentials.get`, binary values in base64url"), (status = 422, description = "the person has no passkey", body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn sign_in_options(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(second_factor::sign_in_options(&state, &caller).await?))
}

#[utoipa::path(post, path = "/session/second-factor", tag = "session", request_body = Proof,
    responses((status = 204, description = "the session is fully signed in"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn give_second_factor(
    State(state): State<AppState>,
    Client(client): Client,
    caller: Caller,
    Json(proof): Json<Proof>,
) -> Result<StatusCode, ApiError> {
    second_factor::prove(&state, client, &caller, proof).await?;
    Ok(StatusCode::NO_CONTENT)
}

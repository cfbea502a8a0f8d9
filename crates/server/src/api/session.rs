//! Signing in with a password for the web UI: a session cookie (HttpOnly, SameSite=Strict)
//! and a CSRF token the UI sends back in X-CSRF-Token on every change.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use forewarn_store::User;
use serde::Serialize;

use super::applications::Client;
use crate::auth::{self, Caller, SESSION_COOKIE};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Json;
use crate::service::session::start;
use crate::AppState;

pub use crate::service::session::{Credentials, PasswordChange, ENDED};

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionStarted {
    pub user: User,
    /// Send in X-CSRF-Token with every request that changes something.
    pub csrf_token: String,
    /// `due`: give a second factor (`POST /session/second-factor`) before anything else;
    /// `enrolment_due`: add one first (`/me/second-factors`); `passed`: nothing more.
    pub second_factor: crate::service::second_factor::SecondFactorStep,
}

#[utoipa::path(post, path = "/session", tag = "session", request_body = Credentials,
    responses((status = 200, body = SessionStarted), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn create_session(
    State(state): State<AppState>,
    Client(client): Client,
    Json(credentials): Json<Credentials>,
) -> Result<Response, ApiError> {
    let started = start(&state, client, &credentials).await?;
    let mut response = Json(SessionStarted {
        user: started.user,
        csrf_token: started.csrf,
        second_factor: started.second_factor,
    })
    .into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, started.cookie);
    Ok(response)
}

#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn delete_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(secret) = auth::cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(&auth::digest(&secret)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static(ENDED));
    Ok(response)
}

#[utoipa::path(get, path = "/me", tag = "session",
    responses((status = 200, body = User), (status = 401, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn me(caller: Caller) -> Json<User> {
    Json(caller.user)
}

#[utoipa::path(put, path = "/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204, description = "changed; every session of this person ends"), (status = 422, description = "the current password is wrong, or the new one is too short, too easy to guess or the same", body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn change_password(
    State(state): State<AppState>,
    Client(client): Client,
    caller: Caller,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    crate::service::session::change_password(&state, client, &caller, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

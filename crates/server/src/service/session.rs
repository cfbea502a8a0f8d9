//! Signing in with a password: the check (rate-limited, as slow for an unknown address as for
//! a wrong password) and the new session, for the API's `POST /session` and the web UI's
//! sign-in form alike.

use axum::http::HeaderValue;
use forewarn_store::User;
use serde::Deserialize;

use crate::auth::{self, SESSION_COOKIE};
use crate::error::ApiError;
use crate::limits::Bucket;
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// A new session for a person who gave the right password: what the API and the web UI's
/// sign-in form both answer with.
pub struct Started {
    pub user: User,
    pub csrf: String,
    /// The `Set-Cookie` value that carries the session.
    pub cookie: HeaderValue,
}

/// Checks the password (rate-limited per client, and as slow for an unknown address as for a
/// wrong password) and opens a session.
pub async fn start(
    state: &AppState,
    client: std::net::IpAddr,
    credentials: &Credentials,
) -> Result<Started, ApiError> {
    state
        .limiter
        .check(Bucket::Login, client, state.config.limits.login_per_minute)?;
    let email = credentials.email.trim().to_lowercase();
    if credentials.password.len() > 1024 || email.len() > 320 {
        return Err(ApiError::Unauthorized);
    }
    let found = state.store.find_credentials_by_email(&email).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| auth::decoy_hash().to_owned(), |(_, h)| h.clone());
    let matches = auth::verify_password(credentials.password.clone(), hash).await;
    let user = match found {
        Some((user, _)) if matches => user,
        _ => return Err(ApiError::Unauthorized),
    };
    let secret = auth::new_secret();
    let csrf = auth::new_secret();
    let lifetime = chrono::Duration::hours(i64::from(state.config.limits.session_hours));
    state
        .store
        .insert_session(&auth::digest(&secret), &user.id, &csrf, lifetime)
        .await?;
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        lifetime.num_seconds()
    );
    Ok(Started {
        user,
        csrf,
        cookie: HeaderValue::from_str(&cookie)
            .map_err(|e| ApiError::internal("writing the session cookie", e))?,
    })
}

/// The `Set-Cookie` value that ends the session in the browser.
pub const ENDED: &str = "forewarn_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";

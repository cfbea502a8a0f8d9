//! Signing in with a password: the check (rate-limited, as slow for an unknown address as for
//! a wrong password) and the new session, for the API's `POST /session` and the web UI's
//! sign-in form alike.

use axum::http::HeaderValue;
use forewarn_store::User;
use serde::Deserialize;

use crate::auth::{self, Caller, SESSION_COOKIE};
use crate::error::ApiError;
use crate::limits::Bucket;
use crate::{validate, AppState};

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
    /// What the person still has to do about a second factor.
    pub second_factor: crate::service::second_factor::SecondFactorStep,
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
        Some((user, _)) => {
            state.store.record_failed_sign_in(&user).await?;
            return Err(ApiError::Unauthorized);
        }
        None => return Err(ApiError::Unauthorized),
    };
    let second_factor = crate::service::second_factor::step_after_password(state, &user).await?;
    let secret = auth::new_secret();
    let csrf = auth::new_secret();
    let lifetime = chrono::Duration::hours(i64::from(state.config.limits.session_hours));
    let passed = second_factor != crate::service::second_factor::SecondFactorStep::Due;
    state
        .store
        .insert_session(&auth::digest(&secret), &user.id, &csrf, lifetime, passed)
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
        second_factor,
    })
}

/// A person's own password for the one they sign in with.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password signed in with (the one-time password on first start).
    pub current: String,
    /// At least 12 characters, not among the passwords guessed first, and not the current one.
    pub new: String,
}

/// Replaces the caller's password once the current one is given (rate-limited per client like
/// signing in). Every session and API token of the person ends: whoever held one must sign in
/// with the new password.
pub async fn change_password(
    state: &AppState,
    client: std::net::IpAddr,
    caller: &Caller,
    change: PasswordChange,
) -> Result<(), ApiError> {
    state
        .limiter
        .check(Bucket::Login, client, state.config.limits.login_per_minute)?;
    let email = caller.user.email.clone().unwrap_or_default();
    validate::password(&change.new, &[&email, &caller.user.name])
        .map_err(|r| ApiError::invalid("the new password is not acceptable", vec![r]))?;
    if change.new == change.current {
        return Err(ApiError::invalid(
            "the new password is not acceptable",
            vec!["it is the current password; choose another".to_owned()],
        ));
    }
    let current = state.store.find_credentials_by_email(&email).await?;
    let matches = match current {
        Some((_, hash)) if change.current.len() <= 1024 => {
            auth::verify_password(change.current, hash).await
        }
        _ => false,
    };
    if !matches {
        return Err(ApiError::invalid(
            "the password was not changed",
            vec!["the current password is wrong".to_owned()],
        ));
    }
    let hash = auth::hash_password(change.new).await?;
    state.store.set_password(&caller.user.id, &hash).await?;
    tell_password_changed(state, &caller.user, &email).await;
    Ok(())
}

/// Mails the person that their password changed, so that a change they did not make does not
/// go unnoticed. The change stands whether or not the notice goes out.
async fn tell_password_changed(state: &AppState, user: &User, email: &str) {
    let language = match &user.org_id {
        Some(org) => state
            .store
            .find_org_by_id(org)
            .await
            .ok()
            .flatten()
            .map_or_else(|| "en".to_owned(), |o| o.language),
        None => "en".to_owned(),
    };
    let l10n = crate::ui::catalogs();
    let language = l10n.language(&language).code;
    let when = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let args = [("time", forewarn_l10n::Arg::from(when))];
    let subject = l10n.text(language, "mail-password-changed-subject", &args);
    let body = l10n.text(language, "mail-password-changed-body", &args);
    let sent = crate::mail::send_requested(
        state,
        user.org_id.as_ref(),
        email,
        "password-changed",
        &subject,
        &format!("{body}\n"),
    )
    .await;
    if let Err(error) = sent {
        // The error may name the address, which stays out of the log: the person's id and the
        // kind of failure are enough to find out more.
        tracing::warn!(user = %user.id, status = %error.status(), "the password-change notice was not sent");
    }
}

/// The `Set-Cookie` value that ends the session in the browser.
pub const ENDED: &str = "forewarn_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";

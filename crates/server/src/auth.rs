//! Who is calling: an API token (`Authorization: Bearer fw_<id>_<secret>`) or a web session
//! cookie with its CSRF token on every unsafe request. Passwords and API tokens are stored as
//! argon2 hashes; a verified token is remembered (by its SHA-256) so that argon2 runs once per
//! token rather than once per request, while every request still checks that the token and its
//! owner exist.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use forewarn_store::{random_hex, Actor, OrgId, Role, TokenId, User};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::AppState;

/// The cookie a browser session's secret travels in.
pub const SESSION_COOKIE: &str = "forewarn_session";
/// The header a browser session sends its CSRF token in with every request that changes something.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in person making the request.
pub struct Caller {
    /// The account, as the store holds it.
    pub user: User,
    /// The key of the browser session the request came in, as the store holds it; none for
    /// an API token.
    pub session: Option<String>,
}

impl Caller {
    /// The caller's role, which decides what they may do.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// The caller as the audit log records them.
    pub fn actor(&self) -> Actor {
        Actor(Some(self.user.id.clone()))
    }

    /// The organization the caller belongs to, for tenant roles.
    pub fn tenant(&self) -> Option<&OrgId> {
        if self.role().is_tenant() {
            self.user.org_id.as_ref()
        } else {
            None
        }
    }

    /// Whether the caller may see the organization at all. Tenant roles see only their own;
    /// for the others it is answered as if it did not exist.
    pub fn sees(&self, org: &OrgId) -> bool {
        !self.role().is_tenant() || self.user.org_id.as_ref() == Some(org)
    }

    /// Refuses with 403 unless the caller holds one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let (caller, second_factor_passed) = authenticate(parts, state).await?;
        // Inside the nested router the URI has lost its /api/v1 prefix; the original has it.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(&parts.uri, |o| &o.0)
            .path();
        let method = &parts.method;
        if caller.user.password_change_due {
            return if replacing_password(method, path) {
                Ok(caller)
            } else {
                Err(ApiError::PasswordChangeDue)
            };
        }
        if caller.session.is_none() {
            // An API token is made from a session that passed its second factor.
            return Ok(caller);
        }
        if !second_factor_passed {
            return if giving_second_factor(method, path) {
                Ok(caller)
            } else {
                Err(ApiError::SecondFactorDue)
            };
        }
        if !adding_second_factor(method, path) {
            let standing = state.store.factor_standing(&caller.user).await?;
            if standing.required && !standing.enrolled {
                return Err(ApiError::SecondFactorEnrolmentDue);
            }
        }
        Ok(caller)
    }
}

/// Whether the request is one of the few a person whose password someone else chose may make:
/// reading who they are, choosing their own password, signing out.
fn replacing_password(method: &Method, path: &str) -> bool {
    matches!(
        (method, path),
        (&Method::GET, "/api/v1/me")
            | (&Method::PUT, "/api/v1/me/password")
            | (&Method::DELETE, "/api/v1/session")
    )
}

/// Whether the request is one a session may make before its second factor is given.
fn giving_second_factor(method: &Method, path: &str) -> bool {
    matches!(
        (method, path),
        (&Method::GET, "/api/v1/me")
            | (&Method::DELETE, "/api/v1/session")
            | (&Method::POST, "/api/v1/session/second-factor")
            | (&Method::POST, "/api/v1/session/second-factor/options")
    )
}

/// Whether the request is one a person who must add a second factor may make before they have.
fn adding_second_factor(method: &Method, path: &str) -> bool {
    replacing_password(method, path)
        || path == "/api/v1/me/second-factors"
        || path.starts_with("/api/v1/me/second-factors/")
        || (method == Method::POST && path == "/api/v1/me/recovery-codes")
}

/// The person behind the request: an API token's owner, or a session's with its CSRF token
/// checked for requests that change something; and whether the session has passed its second
/// factor (an API token has).
async fn authenticate(parts: &Parts, state: &AppState) -> Result<(Caller, bool), ApiError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        return state
            .tokens
            .authenticate(state, token.trim())
            .await
            .map(|user| {
                (
                    Caller {
                        user,
                        session: None,
                    },
                    true,
                )
            });
    }
    let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Err(ApiError::Unauthorized);
    };
    let key = digest(&secret);
    let (session, user) = state
        .store
        .find_session(&key)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), session.csrf.as_bytes()) {
            return Err(ApiError::Csrf);
        }
    }
    Ok((
        Caller {
            user,
            session: Some(key),
        },
        session.second_factor_passed,
    ))
}

/// A cookie's value from the request.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The SHA-256 of a long random secret, as hex: how sessions and confirmation links are
/// stored and looked up.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new long random secret for a session, link or token.
pub fn new_secret() -> String {
    random_hex(32)
}

/// Hashes a password (or an API token) with Argon2id and a fresh salt, off the async threads.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            // password-hash's error is not a std error; its message is all it carries.
            .map_err(|e| {
                ApiError::internal("hashing a password", std::io::Error::other(e.to_string()))
            })
    })
    .await
    .map_err(|e| ApiError::internal("hashing a password", e))?
}

/// Whether `password` matches an Argon2 `hash`; a hash that cannot be read matches nothing.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when no such person exists, so that a wrong address takes as
/// long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"not a password anyone has", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A new API token for its id: `fw_<id>_<secret>`.
pub fn new_api_token(id: &TokenId) -> String {
    format!("fw_{id}_{}", new_secret())
}

const MAX_REMEMBERED: usize = 10_000;

/// Tokens already verified: SHA-256 of the token → the argon2 hash it was verified against.
#[derive(Default)]
pub struct TokenCache {
    verified: Mutex<HashMap<String, String>>,
}

impl TokenCache {
    pub(crate) async fn authenticate(
        &self,
        state: &AppState,
        token: &str,
    ) -> Result<User, ApiError> {
        let id = token
            .strip_prefix("fw_")
            .and_then(|rest| rest.split_once('_'))
            .map(|(id, _)| id)
            .filter(|id| {
                !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
            })
            .ok_or(ApiError::Unauthorized)?;
        let id = TokenId(id.to_owned());
        let (hash, user) = state
            .store
            .find_api_token(&id)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let key = digest(token);
        let remembered = self
            .verified
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .is_some_and(|h| *h == hash);
        if !remembered {
            if !verify_password(token.to_owned(), hash.clone()).await {
                return Err(ApiError::Unauthorized);
            }
            {
                let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
                if verified.len() >= MAX_REMEMBERED {
                    verified.clear();
                }
                verified.insert(key, hash);
            }
            state.store.touch_api_token(&id).await?;
        }
        Ok(user)
    }
}

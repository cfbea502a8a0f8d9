//! Second factors, for the API and the web UI alike: adding a passkey or an authenticator app,
//! removing one, new recovery codes, and giving a factor after the password to finish signing
//! in. Every check of a code or a signature is rate-limited per client like signing in, and
//! each code, signature and challenge counts once.

use forewarn_store::{FactorKind, SecondFactor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::limits::Bucket;
use crate::second_factor::{self as check, recovery, totp, Assertion, Registration, RelyingParty};
use crate::{validate, AppState};

/// A person may hold at most this many second factors.
const MOST_FACTORS: usize = 20;

/// Where a new session stands with its second factor, as signing in answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactorStep {
    /// Nothing more to give: the person has no second factor and needs none.
    Passed,
    /// Give one of your second factors (`POST /session/second-factor`) before anything else.
    Due,
    /// Your role or program requires a second factor and you have none: add one first.
    EnrolmentDue,
}

/// A factor just added, with the recovery codes made with a person's first factor (shown
/// this once).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Added {
    /// The factor.
    pub factor: SecondFactor,
    /// New one-time recovery codes, when this is the person's first factor; shown once.
    pub recovery_codes: Option<Vec<String>>,
}

/// An authenticator app being set up: the secret to enter in the app (or the `otpauth://`
/// address to turn into a QR code), shown once; the app counts once a code from it is
/// confirmed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TotpSetup {
    /// The factor, unconfirmed.
    pub factor: SecondFactor,
    /// The shared secret, base32.
    pub secret: String,
    /// The same as an `otpauth://totp/…` address.
    pub uri: String,
}

/// A name for a new factor.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTotp {
    /// What the person calls it ("phone").
    pub label: String,
}

/// A passkey to register: its name and what the browser returned.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPasskey {
    /// What the person calls it ("office key").
    pub label: String,
    /// `navigator.credentials.create`'s answer, binary values in base64url.
    pub credential: Registration,
}

/// A code from an app.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// Six digits.
    pub code: String,
}

/// The second factor given after the password: exactly one of the three.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// Six digits from an authenticator app.
    #[serde(default)]
    pub totp: Option<String>,
    /// One of the recovery codes; it is used up.
    #[serde(default)]
    pub recovery_code: Option<String>,
    /// `navigator.credentials.get`'s answer, binary values in base64url.
    #[serde(default)]
    pub passkey: Option<Assertion>,
}

/// What a person whose password was right still has to do, and whether their session starts
/// with its second factor passed.
pub async fn step_after_password(
    state: &AppState,
    user: &forewarn_store::User,
) -> Result<SecondFactorStep, ApiError> {
    let standing = state.store.factor_standing(user).await?;
    Ok(if standing.enrolled {
        SecondFactorStep::Due
    } else if standing.required {
        SecondFactorStep::EnrolmentDue
    } else {
        SecondFactorStep::Passed
    })
}

fn relying_party(state: &AppState) -> Result<RelyingParty, ApiError> {
    RelyingParty::of(&state.config.public_url).ok_or_else(|| {
        ApiError::internal(
            "reading the public address for passkeys",
            std::io::Error::other("public_url has no host"),
        )
    })
}

fn session_of(caller: &Caller) -> Result<&str, ApiError> {
    caller.session.as_deref().ok_or_else(|| {
        ApiError::BadRequest(
            "passkeys are added and used from a signed-in browser session, not with an API token"
                .to_owned(),
        )
    })
}

fn refused(what: &str, why: &str) -> ApiError {
    ApiError::invalid(what, vec![why.to_owned()])
}

/// The caller's second factors.
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<SecondFactor>, ApiError> {
    Ok(state.store.second_factors(&caller.user.id).await?)
}

async fn room_for_another(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    if state.store.second_factors(&caller.user.id).await?.len() >= MOST_FACTORS {
        return Err(ApiError::Conflict(format!(
            "a person may hold at most {MOST_FACTORS} second factors; remove one first"
        )));
    }
    Ok(())
}

/// The options for the browser to create a passkey with; the challenge is kept in the session.
pub async fn passkey_options(state: &AppState, caller: &Caller) -> Result<Value, ApiError> {
    let session = session_of(caller)?;
    let rp = relying_party(state)?;
    let challenge = check::new_challenge();
    state
        .store
        .set_session_challenge(session, &challenge)
        .await?;
    let exclude: Vec<String> = state
        .store
        .factor_secrets(&caller.user.id)
        .await?
        .into_iter()
        .filter_map(|f| f.credential_id)
        .collect();
    let name = caller.user.email.clone().unwrap_or_default();
    Ok(check::creation_options(
        &rp,
        caller.user.id.as_str(),
        &name,
        &caller.user.name,
        &challenge,
        &exclude,
    ))
}

/// Registers a passkey created with [`passkey_options`].
pub async fn add_passkey(
    state: &AppState,
    caller: &Caller,
    new: NewPasskey,
) -> Result<Added, ApiError> {
    let session = session_of(caller)?;
    let label = validate::text("label", &new.label, 100)
        .map_err(|r| ApiError::invalid("the passkey was not added", vec![r]))?;
    room_for_another(state, caller).await?;
    let challenge = state
        .store
        .take_session_challenge(session)
        .await?
        .ok_or_else(|| refused("the passkey was not added", "ask for new options first"))?;
    let rp = relying_party(state)?;
    let key = check::register(&rp, &challenge, &new.credential)
        .map_err(|why| refused("the passkey was not added", why))?;
    let first = !state.store.factor_standing(&caller.user).await?.enrolled;
    let factor = state
        .store
        .insert_passkey(
            &caller.user,
            &label,
            &key.credential_id,
            &hex(&key.public_key),
            i64::from(key.counter),
        )
        .await?;
    Ok(Added {
        factor,
        recovery_codes: first_codes(state, caller, first).await?,
    })
}

/// Starts setting up an authenticator app.
pub async fn add_totp(
    state: &AppState,
    caller: &Caller,
    new: NewTotp,
) -> Result<TotpSetup, ApiError> {
    let label = validate::text("label", &new.label, 100)
        .map_err(|r| ApiError::invalid("the app was not added", vec![r]))?;
    room_for_another(state, caller).await?;
    let secret = totp::new_secret();
    let factor = state
        .store
        .insert_totp(&caller.user, &label, &secret)
        .await?;
    Ok(setup(state, caller, factor, secret))
}

/// An app set up and not yet confirmed, to show its key again.
pub async fn pending_totp(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<TotpSetup, ApiError> {
    let app = state
        .store
        .factor_secrets(&caller.user.id)
        .await?
        .into_iter()
        .find(|f| f.factor.id == id && f.factor.kind == FactorKind::Totp && !f.factor.confirmed)
        .ok_or(ApiError::NotFound)?;
    Ok(setup(state, caller, app.factor, app.secret))
}

fn setup(state: &AppState, caller: &Caller, factor: SecondFactor, secret: String) -> TotpSetup {
    let account = caller
        .user
        .email
        .clone()
        .unwrap_or_else(|| caller.user.name.clone());
    let issuer = RelyingParty::of(&state.config.public_url).map_or_else(
        || "forewarn".to_owned(),
        |rp| format!("forewarn ({})", rp.id),
    );
    TotpSetup {
        uri: totp::uri(&issuer, &account, &secret),
        factor,
        secret,
    }
}

/// Confirms an authenticator app with a first code from it.
pub async fn confirm_totp(
    state: &AppState,
    client: std::net::IpAddr,
    caller: &Caller,
    id: &str,
    code: &str,
) -> Result<Added, ApiError> {
    limit(state, client)?;
    let secrets = state.store.factor_secrets(&caller.user.id).await?;
    let app = secrets
        .iter()
        .find(|f| f.factor.id == id && f.factor.kind == FactorKind::Totp && !f.factor.confirmed)
        .ok_or(ApiError::NotFound)?;
    let step = totp::check(&app.secret, code, chrono::Utc::now().timestamp()).ok_or_else(|| {
        refused(
            "the app was not added",
            "the code is not right; enter the one the app shows now",
        )
    })?;
    let first = !state.store.factor_standing(&caller.user).await?.enrolled;
    if !state.store.confirm_totp(&caller.user, id, step).await? {
        return Err(ApiError::NotFound);
    }
    let factor = list(state, caller)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(Added {
        factor,
        recovery_codes: first_codes(state, caller, first).await?,
    })
}

async fn first_codes(
    state: &AppState,
    caller: &Caller,
    first: bool,
) -> Result<Option<Vec<String>>, ApiError> {
    if first && state.store.recovery_codes_left(&caller.user.id).await? == 0 {
        Ok(Some(new_recovery_codes(state, caller).await?))
    } else {
        Ok(None)
    }
}

/// Removes one of the caller's factors. Removing the last one leaves a person whose role
/// requires a factor able to do nothing but add another.
pub async fn remove(state: &AppState, caller: &Caller, id: &str) -> Result<(), ApiError> {
    if state.store.delete_second_factor(&caller.user, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// New recovery codes for the caller, replacing the old ones; shown once.
pub async fn new_recovery_codes(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<String>, ApiError> {
    let codes = recovery::new_codes();
    let digests: Vec<String> = codes.iter().map(|c| recovery::digest(c)).collect();
    state
        .store
        .replace_recovery_codes(&caller.user, &digests)
        .await?;
    Ok(codes)
}

/// The options for the browser to sign the session's challenge with one of the caller's
/// passkeys.
pub async fn sign_in_options(state: &AppState, caller: &Caller) -> Result<Value, ApiError> {
    let session = session_of(caller)?;
    let allow: Vec<String> = state
        .store
        .factor_secrets(&caller.user.id)
        .await?
        .into_iter()
        .filter(|f| f.factor.confirmed)
        .filter_map(|f| f.credential_id)
        .collect();
    if allow.is_empty() {
        return Err(refused(
            "no passkey to sign in with",
            "use your authenticator app or a recovery code",
        ));
    }
    let challenge = check::new_challenge();
    state
        .store
        .set_session_challenge(session, &challenge)
        .await?;
    Ok(check::request_options(
        &relying_party(state)?,
        &challenge,
        &allow,
    ))
}

fn limit(state: &AppState, client: std::net::IpAddr) -> Result<(), ApiError> {
    state
        .limiter
        .check(Bucket::Login, client, state.config.limits.login_per_minute)
}

/// Checks the second factor given after the password; the session then counts as fully
/// signed in. A wrong proof is audited as a failed sign-in.
pub async fn prove(
    state: &AppState,
    client: std::net::IpAddr,
    caller: &Caller,
    proof: Proof,
) -> Result<(), ApiError> {
    let session = session_of(caller)?;
    limit(state, client)?;
    let given = [
        proof.totp.is_some(),
        proof.recovery_code.is_some(),
        proof.passkey.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ApiError::BadRequest(
            "give exactly one of totp, recovery_code and passkey".to_owned(),
        ));
    }
    let accepted = if let Some(code) = proof.totp {
        let now = chrono::Utc::now().timestamp();
        let mut accepted = false;
        for app in state.store.factor_secrets(&caller.user.id).await? {
            if app.factor.kind != FactorKind::Totp || !app.factor.confirmed {
                continue;
            }
            if let Some(step) = totp::check(&app.secret, &code, now) {
                // A step at or below the last one used is a code already used.
                accepted =
                    step > app.counter && state.store.use_factor(&app.factor.id, step).await?;
                break;
            }
        }
        accepted
    } else if let Some(code) = proof.recovery_code {
        code.len() <= 64
            && state
                .store
                .use_recovery_code(&caller.user, &recovery::digest(&code))
                .await?
    } else if let Some(assertion) = proof.passkey {
        let challenge = state.store.take_session_challenge(session).await?;
        let key = state
            .store
            .factor_secrets(&caller.user.id)
            .await?
            .into_iter()
            .find(|f| f.credential_id.as_deref() == Some(assertion.id.trim_end_matches('=')));
        match (challenge, key) {
            (Some(challenge), Some(key)) => {
                let public_key = unhex(&key.secret).unwrap_or_default();
                match check::verify(&relying_party(state)?, &challenge, &public_key, &assertion) {
                    Ok(counter) => {
                        state
                            .store
                            .use_factor(&key.factor.id, i64::from(counter))
                            .await?
                    }
                    Err(why) => {
                        tracing::info!(user = %caller.user.id, why, "a passkey was refused");
                        false
                    }
                }
            }
            _ => false,
        }
    } else {
        false
    };
    if !accepted {
        state.store.record_failed_sign_in(&caller.user).await?;
        return Err(refused(
            "the second factor was not accepted",
            "the code, recovery code or passkey is not right, or was used already",
        ));
    }
    state.store.pass_second_factor(session).await?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

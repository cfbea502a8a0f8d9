//! Following a mailed link: confirming a personal account (the double opt-in) or a domain, and
//! accepting an invitation by choosing a password. The secret in the link is the only
//! credential; each link works once and expires. The API and the pages links open both come
//! here.

use forewarn_store::{
    AccountId, Actor, ConfirmationKind, DomainId, User, UserId, VerificationMethod,
};

use crate::auth;
use crate::error::ApiError;
use crate::validate;
use crate::AppState;

/// What every link that does not work is answered with: no hint of why.
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
    validate::password(&password, &[])
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

//! The suppression list: addresses that bounced or complained and get no more mail from
//! forewarn, neither requested mail nor incident notifications. The relay's permanent refusals
//! put an address on it by themselves; the operator adds the bounces and complaints that come
//! back later, and takes an address off once its owner has fixed it. Only a digest of each
//! address is kept.

use forewarn_store::{Role, Suppression};
use serde::Deserialize;

use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::{validate, AppState};

/// An address to stop mailing, and why.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSuppression {
    /// The address; only its digest is kept.
    pub address: String,
    /// Why: the bounce or the complaint, in a few words (at most 500 characters).
    pub reason: String,
}

/// One page of the list, by digest.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    query: PageQuery,
) -> Result<Listing<Suppression>, ApiError> {
    caller.require(&[Role::Operator])?;
    let page = query.page()?;
    let items = state.store.suppressions(&page).await?;
    Ok(Listing::new(items, &page, |s| s.destination.clone()))
}

/// Puts an address on the list.
pub async fn add(
    state: &AppState,
    caller: &Caller,
    new: NewSuppression,
) -> Result<Suppression, ApiError> {
    caller.require(&[Role::Operator])?;
    let address = validate::email(&new.address)
        .map_err(|r| ApiError::invalid("the address is not acceptable", vec![r]))?;
    let reason = new.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            "the reason is not acceptable",
            vec!["give the bounce or complaint in 1 to 500 characters".to_owned()],
        ));
    }
    Ok(state
        .store
        .suppress(&caller.actor(), &address, reason)
        .await?)
}

/// Takes an address off the list, by its digest (as listed).
pub async fn remove(state: &AppState, caller: &Caller, destination: &str) -> Result<(), ApiError> {
    let known = destination.len() == 64 && destination.bytes().all(|b| b.is_ascii_hexdigit());
    if !known {
        return Err(ApiError::NotFound);
    }
    caller.require(&[Role::Operator])?;
    if state.store.unsuppress(&caller.actor(), destination).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

//! Mailboxes people opt in. An enterprise mailbox must be on a verified domain; a personal
//! one is watched only after its owner confirms by the link mailed to it, and its consent
//! (when, which terms) is recorded. Revoking erases the address.

use forewarn_store::{Account, AccountId, AccountKind, ConfirmationKind, OrgId, OrgStatus, Role};
use serde::Deserialize;

use super::visible_org;
use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate;
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub kind: AccountKind,
    pub address: String,
    /// For a personal account: the version of the terms the person accepts (see
    /// `terms_version` in the instance's configuration).
    #[serde(default)]
    pub accept_terms: Option<String>,
}

pub async fn list_accounts(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    query: PageQuery,
) -> Result<Listing<Account>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let page = query.page()?;
    let only = (caller.role() == Role::Member).then_some(&caller.user.id);
    let items = state.store.accounts(&org.id, only, &page).await?;
    let items = items.into_iter().map(|a| as_seen_by(caller, a)).collect();
    Ok(Listing::new(items, &page, |a| a.id.0.clone()))
}

/// The account as `caller` may see it: a personal mailbox's address is its owner's alone, so
/// the organization's admins, the operator and the analysts see that it exists, not where.
fn as_seen_by(caller: &Caller, mut account: Account) -> Account {
    if account.kind == AccountKind::Personal && account.user_id != caller.user.id {
        account.address = None;
    }
    account
}

pub async fn add_account(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    new: NewAccount,
) -> Result<Account, ApiError> {
    let org = visible_org(state, caller, org).await?;
    // Only the person themself opts a mailbox in.
    caller.require(&[Role::OrgAdmin, Role::Member])?;
    let address = validate::email(&new.address)
        .map_err(|r| ApiError::invalid("the account is not valid", vec![r]))?;
    let domain = address.rsplit_once('@').map_or("", |(_, d)| d).to_owned();
    let terms = match new.kind {
        AccountKind::Enterprise => {
            if !state.store.is_verified_domain(&org.id, &domain).await? {
                return Err(ApiError::invalid(
                    "the account is not valid",
                    vec![format!("{domain} is not one of the organization's verified domains; opt it in as a personal account")],
                ));
            }
            None
        }
        AccountKind::Personal => {
            if new.accept_terms.as_deref() != Some(state.config.terms_version.as_str()) {
                return Err(ApiError::invalid(
                    "consent is missing",
                    vec![format!("a personal account needs accept_terms set to the current terms version, {}", state.config.terms_version)],
                ));
            }
            Some(state.config.terms_version.clone())
        }
    };
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "the organization is not active".to_owned(),
        ));
    }
    if state
        .store
        .accounts(
            &org.id,
            Some(&caller.user.id),
            &forewarn_store::Page::first(500),
        )
        .await?
        .len()
        >= 20
    {
        return Err(ApiError::Conflict(
            "a person may opt in at most 20 accounts".to_owned(),
        ));
    }
    let account = state
        .store
        .insert_account(
            &caller.actor(),
            &org.id,
            &caller.user.id,
            new.kind,
            &address,
            terms.as_deref(),
        )
        .await?;
    if new.kind == AccountKind::Personal {
        crate::mail::send_link(
            state,
            ConfirmationKind::Account,
            account.id.as_str(),
            Some(&org),
            &address,
        )
        .await?;
    }
    Ok(account)
}

pub async fn revoke_account(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
) -> Result<Account, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let account = state
        .store
        .find_account_by_id(&AccountId(id))
        .await?
        .filter(|a| a.org_id == org.id)
        .ok_or(ApiError::NotFound)?;
    let owner = account.user_id == caller.user.id;
    if caller.role() == Role::Member && !owner {
        return Err(ApiError::NotFound);
    }
    if !owner {
        caller.require(&[Role::Operator, Role::OrgAdmin])?;
    }
    let revoked = state
        .store
        .revoke_account(&caller.actor(), &account.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(as_seen_by(caller, revoked))
}

//! Organizations: tenant roles see their own, the operator and analysts see all; only the
//! operator approves, suspends or removes one.

use forewarn_store::{NotifyAt, OrgId, OrgStatus, Organization, Role};
use serde::Deserialize;

use super::visible_org;
use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

pub async fn list_orgs(
    state: &AppState,
    caller: &Caller,
    query: PageQuery,
) -> Result<Listing<Organization>, ApiError> {
    let page = query.page()?;
    if caller.role().is_tenant() && caller.tenant().is_none() {
        return Ok(Listing {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let items = state.store.orgs(caller.tenant(), &page).await?;
    Ok(Listing::new(items, &page, |o| o.id.0.clone()))
}

pub async fn get_org(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
) -> Result<Organization, ApiError> {
    visible_org(state, caller, org).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `active` approves (or reinstates), `suspended` pauses, `left` removes the organization
    /// and erases its people's personal data.
    pub status: OrgStatus,
}

pub async fn set_org_status(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    change: StatusChange,
) -> Result<Organization, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator])?;
    let before = org.status;
    let org = state
        .store
        .set_org_status(&caller.actor(), &org.id, change.status)
        .await?
        .ok_or(ApiError::NotFound)?;
    if before == OrgStatus::Pending && org.status == OrgStatus::Active {
        super::members::invite_waiting_admins(state, &org).await?;
    }
    Ok(org)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPolicy {
    /// The least severe incident told at once (`critical`, `high`, `medium`, `low`, or
    /// `never` to have analysts approve every one); `null` follows the program.
    pub notify_at: Option<NotifyAt>,
}

pub async fn set_notification_policy(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    policy: NotificationPolicy,
) -> Result<Organization, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    let org = state
        .store
        .set_org_notify_at(&caller.actor(), &org.id, policy.notify_at)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(org)
}

//! The people of an organization: org admins invite staff on the organization's verified
//! domains; a person who leaves is erased.

use forewarn_store::{
    ConfirmationKind, NewUser, OrgId, OrgStatus, Organization, Page, Role, User, UserId, UserStatus,
};
use serde::Deserialize;

use super::visible_org;
use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    pub name: String,
    /// An address on one of the organization's verified domains.
    pub email: String,
    /// `member` (the default) or `org_admin`.
    #[serde(default = "member")]
    pub role: Role,
}

fn member() -> Role {
    Role::Member
}

pub async fn list_members(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    query: PageQuery,
) -> Result<Listing<User>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])?;
    let page = query.page()?;
    let items = state.store.users_of_org(&org.id, &page).await?;
    Ok(Listing::new(items, &page, |u| u.id.0.clone()))
}

pub async fn invite_member(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    invitation: Invitation,
) -> Result<User, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    let mut reasons = Reasons::default();
    let name = reasons.check(validate::text("name", &invitation.name, 200));
    let email = reasons.check(validate::email(&invitation.email));
    if !invitation.role.is_tenant() {
        reasons
            .0
            .push("role must be member or org_admin".to_owned());
    }
    if let Some(email) = &email {
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        if !state.store.is_verified_domain(&org.id, domain).await? {
            reasons.0.push(format!(
                "{domain} is not one of the organization's verified domains"
            ));
        }
    }
    reasons.into_result("the invitation is not valid")?;
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "the organization is not active".to_owned(),
        ));
    }
    let user = state
        .store
        .insert_user(
            &caller.actor(),
            &NewUser {
                org_id: Some(org.id.clone()),
                role: invitation.role,
                name: name.unwrap_or_default(),
                email: email.unwrap_or_default(),
                password_hash: None,
            },
        )
        .await?;
    send_invitation(state, &org, &user).await?;
    Ok(user)
}

async fn send_invitation(
    state: &AppState,
    org: &Organization,
    user: &User,
) -> Result<(), ApiError> {
    let Some(email) = &user.email else {
        return Ok(());
    };
    crate::mail::send_link(
        state,
        ConfirmationKind::Invitation,
        user.id.as_str(),
        Some(org),
        email,
    )
    .await
}

/// Once an application is approved, its admin is invited.
pub async fn invite_waiting_admins(state: &AppState, org: &Organization) -> Result<(), ApiError> {
    let people = state.store.users_of_org(&org.id, &Page::first(500)).await?;
    for user in people
        .iter()
        .filter(|u| u.role == Role::OrgAdmin && u.status == UserStatus::Invited)
    {
        send_invitation(state, org, user).await?;
    }
    Ok(())
}

pub async fn erase_member(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    user: String,
) -> Result<(), ApiError> {
    let org = visible_org(state, caller, org).await?;
    let user = state
        .store
        .find_user_by_id(&UserId(user))
        .await?
        .filter(|u| u.org_id.as_ref() == Some(&org.id))
        .ok_or(ApiError::NotFound)?;
    let is_self = user.id == caller.user.id;
    if caller.role() == Role::Member && !is_self {
        // A member sees no one else's record.
        return Err(ApiError::NotFound);
    }
    if !is_self {
        caller.require(&[Role::Operator, Role::OrgAdmin])?;
    }
    state.store.erase_user(&caller.actor(), &user.id).await?;
    Ok(())
}

pub async fn resend_invitation(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    user: String,
) -> Result<User, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let user = state
        .store
        .find_user_by_id(&UserId(user))
        .await?
        .filter(|u| u.org_id.as_ref() == Some(&org.id))
        .ok_or(ApiError::NotFound)?;
    if caller.role() == Role::Member && user.id != caller.user.id {
        // A member sees no one else's record.
        return Err(ApiError::NotFound);
    }
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    if user.status != UserStatus::Invited {
        return Err(ApiError::Conflict(
            "the person is not waiting for an invitation".to_owned(),
        ));
    }
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "the organization is not active".to_owned(),
        ));
    }
    send_invitation(state, &org, &user).await?;
    Ok(user)
}

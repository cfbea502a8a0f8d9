//! The people of an organization: org admins invite staff on the organization's verified
//! domains; a person who leaves is erased.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{
    ConfirmationKind, NewUser, OrgId, OrgStatus, Organization, Page, Role, User, UserId, UserStatus,
};
use serde::Deserialize;

use super::{visible_org, Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
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

#[utoipa::path(get, path = "/orgs/{org_id}/members", tag = "members", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Listing<User>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<User>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])?;
    let page = query.page()?;
    let items = state.store.users_of_org(&org.id, &page).await?;
    Ok(Json(Listing::new(items, &page, |u| u.id.0.clone())))
}

#[utoipa::path(post, path = "/orgs/{org_id}/members", tag = "members", params(("org_id" = String, Path)), request_body = Invitation,
    responses(
        (status = 201, description = "invited: the person receives a link to choose a password", body = User),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn invite_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(invitation): Json<Invitation>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
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
    send_invitation(&state, &org, &user).await?;
    Ok((StatusCode::CREATED, Json(user)))
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

#[utoipa::path(delete, path = "/orgs/{org_id}/members/{user_id}", tag = "members",
    params(("org_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204, description = "the person left: their name, address, credentials and personal accounts are erased"), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin", "member"]))))]
pub async fn erase_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
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
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/orgs/{org_id}/members/{user_id}/invitation", tag = "members",
    params(("org_id" = String, Path), ("user_id" = String, Path)),
    responses(
        (status = 202, description = "a new invitation link was mailed (earlier ones still work until they expire)", body = User),
        (status = 404, body = ErrorBody),
        (status = 409, description = "the person has already joined or has left", body = ErrorBody),
        (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, user)): Path<(String, String)>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
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
    send_invitation(&state, &org, &user).await?;
    Ok((StatusCode::ACCEPTED, Json(user)))
}

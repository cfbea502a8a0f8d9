//! The operator's staff: operators and analysts, who work across organizations. The operator
//! invites them; they choose a password by the mailed link.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{ConfirmationKind, NewUser, Role, User};
use serde::Deserialize;

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Query};
use crate::validate::{self, Reasons};
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffInvitation {
    pub name: String,
    pub email: String,
    /// `analyst` or `operator`.
    pub role: Role,
}

#[utoipa::path(get, path = "/staff", tag = "staff", params(PageQuery),
    responses((status = 200, body = Listing<User>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn list_staff(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<User>>, ApiError> {
    caller.require(&[Role::Operator, Role::Analyst])?;
    let page = query.page()?;
    let items = state.store.staff(&page).await?;
    Ok(Json(Listing::new(items, &page, |u| u.id.0.clone())))
}

#[utoipa::path(post, path = "/staff", tag = "staff", request_body = StaffInvitation,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn invite_staff(
    State(state): State<AppState>,
    caller: Caller,
    Json(invitation): Json<StaffInvitation>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    caller.require(&[Role::Operator])?;
    let mut reasons = Reasons::default();
    let name = reasons.check(validate::text("name", &invitation.name, 200));
    let email = reasons.check(validate::email(&invitation.email));
    if invitation.role.is_tenant() {
        reasons.0.push(
            "role must be analyst or operator; organizations invite their own people".to_owned(),
        );
    }
    reasons.into_result("the invitation is not valid")?;
    let email = email.unwrap_or_default();
    let user = state
        .store
        .insert_user(
            &caller.actor(),
            &NewUser {
                org_id: None,
                role: invitation.role,
                name: name.unwrap_or_default(),
                email: email.clone(),
                password_hash: None,
            },
        )
        .await?;
    crate::mail::send_link(
        &state,
        ConfirmationKind::Invitation,
        user.id.as_str(),
        None,
        &email,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

//! Security contacts: who receives an organization's notifications, in which language, over
//! which channels.

use axum::extract::State;
use forewarn_store::{Contact, NewContact, OrgId, Role};

use super::applications::check_contact;
use super::visible_org;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::validate::{self, Reasons};
use crate::AppState;

#[utoipa::path(get, path = "/orgs/{org_id}/contacts", tag = "contacts", params(("org_id" = String, Path)),
    responses((status = 200, body = [Contact]), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn get_contacts(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    Ok(Json(state.store.contacts(&org.id).await?))
}

#[utoipa::path(put, path = "/orgs/{org_id}/contacts", tag = "contacts", params(("org_id" = String, Path)), request_body = [NewContact],
    responses((status = 200, body = [Contact]), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn put_contacts(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(contacts): Json<Vec<NewContact>>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    let mut reasons = Reasons::default();
    reasons.check(validate::bounded("contacts", &contacts, 20));
    let checked: Vec<NewContact> = contacts
        .iter()
        .filter_map(|c| check_contact(&mut reasons, c))
        .collect();
    reasons.into_result("the contacts are not valid")?;
    Ok(Json(
        state
            .store
            .replace_contacts(&caller.actor(), &org.id, &checked)
            .await?,
    ))
}

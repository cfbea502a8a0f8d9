//! Security contacts: who receives an organization's notifications, in which language, over
//! which channels.

use axum::extract::State;
use forewarn_store::{Contact, NewContact, OrgId};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::service::contacts;
use crate::AppState;

pub use crate::service::contacts::TestDelivery;

#[utoipa::path(get, path = "/orgs/{org_id}/contacts", tag = "contacts", params(("org_id" = String, Path)),
    responses((status = 200, body = [Contact]), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn get_contacts(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    Ok(Json(
        contacts::get_contacts(&state, &caller, &OrgId(org)).await?,
    ))
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
    Ok(Json(
        contacts::put_contacts(&state, &caller, &OrgId(org), contacts).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/test-notification", tag = "contacts", params(("org_id" = String, Path)),
    responses((status = 200, description = "one entry per contact reached by e-mail and per enabled webhook endpoint, sent now and not retried", body = [TestDelivery]), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn send_test_notification(
    State(state): State<AppState>,
    super::applications::Client(client): super::applications::Client,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<TestDelivery>>, ApiError> {
    Ok(Json(
        contacts::send_test_notification(&state, client, &caller, &OrgId(org)).await?,
    ))
}

//! Webhook endpoints: where an organization's own systems (a SIEM, a ticketing system, a chat
//! bridge) receive its incidents, signed per the Standard Webhooks specification. The secret
//! is shown once, when it is made; a rotation gives a new one while the old one keeps signing
//! for `webhooks.rotation_overlap_hours`.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{OrgId, WebhookEndpoint};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::service::webhooks;
use crate::AppState;

pub use crate::service::webhooks::{NewWebhook, WebhookStatusChange, WebhookWithSecret};

#[utoipa::path(get, path = "/orgs/{org_id}/webhooks", tag = "webhooks", params(("org_id" = String, Path)),
    responses((status = 200, body = [WebhookEndpoint]), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<WebhookEndpoint>>, ApiError> {
    Ok(Json(
        webhooks::list_webhooks(&state, &caller, &OrgId(org)).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/webhooks", tag = "webhooks", params(("org_id" = String, Path)), request_body = NewWebhook,
    responses((status = 201, body = WebhookWithSecret), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn add_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(new): Json<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookWithSecret>), ApiError> {
    let answer = webhooks::add_webhook(&state, &caller, &OrgId(org), new).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

#[utoipa::path(delete, path = "/orgs/{org_id}/webhooks/{webhook_id}", tag = "webhooks",
    params(("org_id" = String, Path), ("webhook_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    webhooks::delete_webhook(&state, &caller, &OrgId(org), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/orgs/{org_id}/webhooks/{webhook_id}/rotate", tag = "webhooks",
    params(("org_id" = String, Path), ("webhook_id" = String, Path)),
    responses((status = 200, body = WebhookWithSecret), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn rotate_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<WebhookWithSecret>, ApiError> {
    Ok(Json(
        webhooks::rotate_webhook(&state, &caller, &OrgId(org), id).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/webhooks/{webhook_id}/status", tag = "webhooks",
    params(("org_id" = String, Path), ("webhook_id" = String, Path)), request_body = WebhookStatusChange,
    responses((status = 200, body = WebhookEndpoint), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn set_webhook_status(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    Json(change): Json<WebhookStatusChange>,
) -> Result<Json<WebhookEndpoint>, ApiError> {
    Ok(Json(
        webhooks::set_webhook_status(&state, &caller, &OrgId(org), id, change).await?,
    ))
}

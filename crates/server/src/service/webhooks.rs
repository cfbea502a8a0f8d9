//! Webhook endpoints: where an organization's own systems (a SIEM, a ticketing system, a chat
//! bridge) receive its incidents, signed per the Standard Webhooks specification. The secret
//! is shown once, when it is made; a rotation gives a new one while the old one keeps signing
//! for `webhooks.rotation_overlap_hours`.

use forewarn_notify::destination::Destination;
use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::{EndpointStatus, OrgId, Role, WebhookEndpoint, WebhookId};
use serde::{Deserialize, Serialize};

use super::visible_org;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

const READERS: &[Role] = &[Role::Operator, Role::Analyst, Role::OrgAdmin];
const MANAGERS: &[Role] = &[Role::Operator, Role::OrgAdmin];

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `https://…`; loopback and private addresses only where the operator allows them.
    pub url: String,
    #[serde(default)]
    pub description: String,
}

/// An endpoint with its signing secret, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_…`: verify each delivery's `webhook-signature` with it.
    pub secret: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookStatusChange {
    /// `enabled` turns on again an endpoint that was disabled (by hand, or after a 410).
    pub status: EndpointStatus,
}

pub async fn list_webhooks(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
) -> Result<Vec<WebhookEndpoint>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(READERS)?;
    Ok(state.store.webhooks(&org.id).await?)
}

pub async fn add_webhook(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    new: NewWebhook,
) -> Result<WebhookWithSecret, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(MANAGERS)?;
    let mut reasons = Reasons::default();
    let url = reasons.check(check_url(state, &new.url));
    let description = if new.description.trim().is_empty() {
        Some(String::new())
    } else {
        reasons.check(validate::text("description", &new.description, 200))
    };
    reasons.into_result("the webhook is not valid")?;
    let (Some(url), Some(description)) = (url, description) else {
        unreachable!("checked above");
    };
    let secret = WebhookSecret::generate().expose();
    let endpoint = state
        .store
        .insert_webhook(&caller.actor(), &org.id, &url, &description, &secret)
        .await?;
    Ok(WebhookWithSecret { endpoint, secret })
}

/// A URL forewarn will call: http or https, no credentials, not this machine or a private
/// network unless the operator allows it. Names are checked again when called.
fn check_url(state: &AppState, url: &str) -> Result<String, String> {
    if url.len() > 2000 {
        return Err("url is longer than 2000 characters".into());
    }
    Destination::parse(url, state.webhooks.policy)
        .map(|d| d.url.to_string())
        .map_err(|refusal| format!("url: {refusal}"))
}

/// The endpoint, if it belongs to the organization in the path.
async fn webhook_of(
    state: &AppState,
    org: &OrgId,
    id: String,
) -> Result<WebhookEndpoint, ApiError> {
    state
        .store
        .find_webhook(&WebhookId(id))
        .await?
        .filter(|w| &w.org_id == org)
        .ok_or(ApiError::NotFound)
}

pub async fn delete_webhook(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
) -> Result<(), ApiError> {
    let org = visible_org(state, caller, org).await?;
    let endpoint = webhook_of(state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    state
        .store
        .delete_webhook(&caller.actor(), &endpoint.id)
        .await?;
    Ok(())
}

pub async fn rotate_webhook(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
) -> Result<WebhookWithSecret, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let endpoint = webhook_of(state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    let secret = WebhookSecret::generate().expose();
    let overlap = i64::from(state.config.webhooks.rotation_overlap_hours) * 3600;
    let endpoint = state
        .store
        .rotate_webhook_secret(&caller.actor(), &endpoint.id, &secret, overlap)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(WebhookWithSecret { endpoint, secret })
}

pub async fn set_webhook_status(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: String,
    change: WebhookStatusChange,
) -> Result<WebhookEndpoint, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let endpoint = webhook_of(state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    let reason = (change.status == EndpointStatus::Disabled).then_some("disabled by its owner");
    let endpoint = state
        .store
        .set_webhook_status(&caller.actor(), &endpoint.id, change.status, reason)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(endpoint)
}

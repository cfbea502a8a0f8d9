//! Messages: uploading one for analysis (a raw RFC 5322 message, as a person or a script saw
//! it), and the analysed messages of an organization with their verdicts and findings. Bodies
//! are not kept after analysis unless the operator set a retention window.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use forewarn_ingest::Wrapping;
use forewarn_store::{OrgId, OrgStatus, Recipient, Role, Source, StoredMessage};
use serde::Serialize;

use super::{visible_org, Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::AppState;

/// What became of an upload.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Spooled {
    /// The message is stored and will be analysed; its result appears under
    /// `/orgs/{org_id}/messages`.
    pub spooled: bool,
}

#[utoipa::path(post, path = "/orgs/{org_id}/messages", tag = "messages", params(("org_id" = String, Path)),
    request_body(content = String, content_type = "message/rfc822", description = "The raw message, headers and body, as received."),
    responses((status = 202, body = Spooled), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn upload_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Spooled>), ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::Analyst, Role::OrgAdmin, Role::Member])?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("message/rfc822") {
        return Err(ApiError::UnsupportedMediaType("message/rfc822"));
    }
    let limit = state.config.max_upload_bytes;
    if crate::extract::announced_over(&headers, limit) {
        return Err(ApiError::TooLarge(limit));
    }
    let raw = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::TooLarge(limit))?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid("the message is empty", vec![]));
    }
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "only an active organization's mail is analysed".to_owned(),
        ));
    }
    let recipient = Recipient {
        org_id: org.id.clone(),
        account_id: None,
    };
    state
        .intake
        .accept(Source::Upload, raw.to_vec(), &[recipient], Wrapping::None)
        .await
        .map_err(|e| match e {
            forewarn_ingest::Error::TooLarge { limit, .. } => ApiError::TooLarge(limit),
            other => ApiError::internal("spooling an upload", other),
        })?;
    Ok((StatusCode::ACCEPTED, Json(Spooled { spooled: true })))
}

#[utoipa::path(get, path = "/orgs/{org_id}/messages", tag = "messages", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Listing<StoredMessage>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_messages(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<StoredMessage>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])?;
    let page = query.page()?;
    let items = state.store.messages(Some(&org.id), &page).await?;
    Ok(Json(Listing::new(items, &page, |m| m.id.0.clone())))
}

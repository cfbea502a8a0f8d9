//! The operator's indicators as one STIX 2.1 bundle: what the TAXII indicators collection
//! holds, in its latest versions, as the caller's role may see it (see [`crate::sharing`]).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

#[utoipa::path(get, path = "/indicators", tag = "intel",
    responses((status = 200, body = serde_json::Value, content_type = "application/stix+json;version=2.1",
        description = "A STIX 2.1 bundle: indicators, the actors, campaigns, malware and tools they point to, their relationships, revocations as `revoked: true`"),
        (status = 401, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn export_indicators(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let bundle = crate::sharing::indicators_bundle(&state, caller.role()).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/stix+json;version=2.1")],
        bundle.to_string(),
    )
        .into_response())
}

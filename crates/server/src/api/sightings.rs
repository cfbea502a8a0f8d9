//! Sightings of the operator's indicators in members' mail, as MISP reads them; the same
//! sightings the TAXII server shares (see [`crate::sharing`]), with no organization named.

use axum::extract::State;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Query};
use crate::AppState;

/// How many sightings to answer with.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SightingsQuery {
    /// At most this many, most recently seen first (default 1,000, at most 10,000).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/sightings", tag = "intel", params(SightingsQuery),
    responses((status = 200, body = [serde_json::Value], description = "MISP sightings: `{\"Sighting\": {uuid, attribute_uuid, value, type, source, date_sighting, count, first_seen, last_seen}}`, without `org_id`"),
        (status = 400, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_sightings(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<SightingsQuery>,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    let limit = match query.limit {
        None => 1_000,
        Some(n) if (1..=10_000).contains(&n) => n,
        Some(n) => {
            return Err(ApiError::BadRequest(format!(
                "limit must be from 1 to 10000, not {n}"
            )))
        }
    };
    let sightings = crate::sharing::misp_sightings(&state, caller.role(), limit).await?;
    Ok(Json(sightings))
}

//! The suppression list: addresses forewarn no longer mails because they bounced or
//! complained.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::Suppression;

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::suppressions::{self, NewSuppression};
use crate::AppState;

#[utoipa::path(get, path = "/suppressions", tag = "mail", params(PageQuery),
    responses((status = 200, body = Listing<Suppression>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn list_suppressions(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Suppression>>, ApiError> {
    Ok(Json(suppressions::list(&state, &caller, query).await?))
}

#[utoipa::path(post, path = "/suppressions", tag = "mail", request_body = NewSuppression,
    responses((status = 201, body = Suppression), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn add_suppression(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewSuppression>,
) -> Result<(StatusCode, Json<Suppression>), ApiError> {
    let added = suppressions::add(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[utoipa::path(delete, path = "/suppressions/{destination}", tag = "mail",
    params(("destination" = String, Path, description = "the SHA-256 of the lower-case address, as listed")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn delete_suppression(
    State(state): State<AppState>,
    caller: Caller,
    Path(destination): Path<String>,
) -> Result<StatusCode, ApiError> {
    suppressions::remove(&state, &caller, &destination).await?;
    Ok(StatusCode::NO_CONTENT)
}

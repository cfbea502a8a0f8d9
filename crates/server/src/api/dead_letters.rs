//! Messages that could not be analysed, with the reason, for the operator to look into and
//! retry (after a fix, or when the cause was passing).

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::DeadLetter;

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::dead_letters;
use crate::AppState;

#[utoipa::path(get, path = "/dead-letters", tag = "messages", params(PageQuery),
    responses((status = 200, body = Listing<DeadLetter>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn list_dead_letters(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<DeadLetter>>, ApiError> {
    Ok(Json(
        dead_letters::list_dead_letters(&state, &caller, query).await?,
    ))
}

#[utoipa::path(post, path = "/dead-letters/{dead_letter_id}/retry", tag = "messages", params(("dead_letter_id" = String, Path)),
    responses((status = 202), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn retry_dead_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    dead_letters::retry_dead_letter(&state, &caller, id).await?;
    Ok(StatusCode::ACCEPTED)
}

//! Threat-intel feeds: TAXII 2.1 collections and documents at a URL, read on their schedule.
//! Operators manage them; analysts read how each stands.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::Feed;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::service::feeds;
use crate::AppState;

pub use crate::service::feeds::FeedInput;

#[utoipa::path(get, path = "/feeds", tag = "intel",
    responses((status = 200, body = [Feed]), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn list_feeds(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Feed>>, ApiError> {
    Ok(Json(feeds::list_feeds(&state, &caller).await?))
}

#[utoipa::path(post, path = "/feeds", tag = "intel", request_body = FeedInput,
    responses((status = 201, body = Feed), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn add_feed(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<FeedInput>,
) -> Result<(StatusCode, Json<Feed>), ApiError> {
    let feed = feeds::add_feed(&state, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(feed)))
}

#[utoipa::path(get, path = "/feeds/{feed_id}", tag = "intel", params(("feed_id" = String, Path)),
    responses((status = 200, body = Feed), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn get_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Feed>, ApiError> {
    Ok(Json(feeds::get_feed(&state, &caller, id).await?))
}

#[utoipa::path(put, path = "/feeds/{feed_id}", tag = "intel", params(("feed_id" = String, Path)), request_body = FeedInput,
    responses((status = 200, body = Feed), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn update_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<FeedInput>,
) -> Result<Json<Feed>, ApiError> {
    Ok(Json(feeds::update_feed(&state, &caller, id, input).await?))
}

#[utoipa::path(delete, path = "/feeds/{feed_id}", tag = "intel", params(("feed_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn delete_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    feeds::delete_feed(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

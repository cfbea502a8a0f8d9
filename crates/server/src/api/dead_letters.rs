//! Messages that could not be analysed, with the reason, for the operator to look into and
//! retry (after a fix, or when the cause was passing).

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{DeadLetter, DeadLetterId, Role};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::AppState;

#[utoipa::path(get, path = "/dead-letters", tag = "messages", params(PageQuery),
    responses((status = 200, body = Listing<DeadLetter>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn list_dead_letters(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<DeadLetter>>, ApiError> {
    caller.require(&[Role::Operator])?;
    let page = query.page()?;
    let items = state.store.dead_letters(&page).await?;
    Ok(Json(Listing::new(items, &page, |d| d.id.0.clone())))
}

#[utoipa::path(post, path = "/dead-letters/{dead_letter_id}/retry", tag = "messages", params(("dead_letter_id" = String, Path)),
    responses((status = 202), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn retry_dead_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = DeadLetterId(id);
    if state.store.find_dead_letter_by_id(&id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    caller.require(&[Role::Operator])?;
    let retried = state.intake.spool().retry(&id).await.map_err(|e| match e {
        forewarn_ingest::Error::Store(e) => ApiError::from(e),
        other => ApiError::internal("retrying a dead letter", other),
    })?;
    if retried {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::NotFound)
    }
}

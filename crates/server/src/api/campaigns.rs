//! Campaigns that reached several member organizations (early warning): the operator's staff
//! see each with the organizations it reached and how many others were warned.

use axum::extract::State;
use forewarn_store::{Campaign, Role};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Query};
use crate::AppState;

#[utoipa::path(get, path = "/campaigns", tag = "intel", params(PageQuery),
    responses((status = 200, body = Listing<Campaign>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Campaign>>, ApiError> {
    caller.require(&[Role::Operator, Role::Analyst])?;
    let page = query.page()?;
    let items = state.store.campaigns(&page).await?;
    Ok(Json(Listing::new(items, &page, |c| c.id.0.clone())))
}

//! The audit log: every change a person made, oldest first.

use axum::extract::State;
use forewarn_store::{AuditEvent, OrgId, Role};

use super::{visible_org, Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::AppState;

#[utoipa::path(get, path = "/audit", tag = "audit", params(PageQuery),
    responses((status = 200, body = Listing<AuditEvent>), (status = 403, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst"]))))]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<AuditEvent>>, ApiError> {
    caller.require(&[Role::Operator, Role::Analyst])?;
    let page = query.page()?;
    let items = state.store.audit_events(None, &page).await?;
    Ok(Json(Listing::new(items, &page, |e| e.id.clone())))
}

#[utoipa::path(get, path = "/orgs/{org_id}/audit", tag = "audit", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Listing<AuditEvent>), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin"]))))]
pub async fn list_org_audit(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<AuditEvent>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])?;
    let page = query.page()?;
    let items = state.store.audit_events(Some(&org.id), &page).await?;
    Ok(Json(Listing::new(items, &page, |e| e.id.clone())))
}

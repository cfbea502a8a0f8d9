//! An organization's mail domains and their verification: a TXT record, or a confirmation
//! link mailed to the domain's postmaster. Only verified domains count as the organization's.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{DomainId, OrgId};

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::service::domains::{self, Verified};
use crate::AppState;

pub use crate::service::domains::{DomainView, NewDomain, Verification};

#[utoipa::path(get, path = "/orgs/{org_id}/domains", tag = "domains", params(("org_id" = String, Path)),
    responses((status = 200, body = [DomainView]), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_domains(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<DomainView>>, ApiError> {
    Ok(Json(
        domains::list_domains(&state, &caller, &OrgId(org)).await?,
    ))
}

#[utoipa::path(post, path = "/orgs/{org_id}/domains", tag = "domains", params(("org_id" = String, Path)), request_body = NewDomain,
    responses((status = 201, body = DomainView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn add_domain(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(new): Json<NewDomain>,
) -> Result<(StatusCode, Json<DomainView>), ApiError> {
    let domain = domains::add_domain(&state, &caller, &OrgId(org), new).await?;
    Ok((StatusCode::CREATED, Json(domain)))
}

#[utoipa::path(delete, path = "/orgs/{org_id}/domains/{domain_id}", tag = "domains",
    params(("org_id" = String, Path), ("domain_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn delete_domain(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    domains::delete_domain(&state, &caller, &OrgId(org), &DomainId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/orgs/{org_id}/domains/{domain_id}/verify", tag = "domains",
    params(("org_id" = String, Path), ("domain_id" = String, Path)), request_body = Verification,
    responses(
        (status = 200, description = "verified", body = DomainView),
        (status = 202, description = "the confirmation link was mailed to the postmaster", body = DomainView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "the organization is not active, or another one verified this domain", body = ErrorBody),
        (status = 422, description = "the TXT record is missing or wrong; `details` says what was found", body = ErrorBody),
        (status = 502, description = "the DNS resolver or the mail relay failed", body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "org_admin"]))))]
pub async fn verify_domain(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    Json(verification): Json<Verification>,
) -> Result<(StatusCode, Json<DomainView>), ApiError> {
    Ok(
        match domains::verify_domain(&state, &caller, &OrgId(org), &DomainId(id), verification)
            .await?
        {
            Verified::Now(domain) => (StatusCode::OK, Json(domain)),
            Verified::LinkSent(domain) => (StatusCode::ACCEPTED, Json(domain)),
        },
    )
}

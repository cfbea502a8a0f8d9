//! An organization's mail domains and their verification: a TXT record, or a confirmation
//! link mailed to the domain's postmaster. Only verified domains count as the organization's.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{
    ConfirmationKind, Domain, DomainId, DomainStatus, OrgId, OrgStatus, Role, VerificationMethod,
};
use serde::{Deserialize, Serialize};

use super::visible_org;
use crate::auth::Caller;
use crate::dns::{self, Lookup};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::validate;
use crate::AppState;

/// A domain with what to publish to verify it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DomainView {
    #[serde(flatten)]
    pub domain: Domain,
    /// Publish a TXT record with this name …
    pub txt_name: String,
    /// … and this value, then ask for verification by `dns`.
    pub txt_value: String,
}

impl From<Domain> for DomainView {
    fn from(domain: Domain) -> DomainView {
        DomainView {
            txt_name: dns::record_name(&domain.name),
            txt_value: dns::record_value(&domain.token),
            domain,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomain {
    pub name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// `dns` checks the TXT record now; `email` mails a confirmation link to
    /// postmaster@ the domain.
    pub method: VerificationMethod,
}

const MANAGERS: &[Role] = &[Role::Operator, Role::OrgAdmin];

#[utoipa::path(get, path = "/orgs/{org_id}/domains", tag = "domains", params(("org_id" = String, Path)),
    responses((status = 200, body = [DomainView]), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_domains(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Json<Vec<DomainView>>, ApiError> {
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    Ok(Json(
        state
            .store
            .domains(&org.id)
            .await?
            .into_iter()
            .map(DomainView::from)
            .collect(),
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
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    caller.require(MANAGERS)?;
    let name = validate::domain(&new.name)
        .map_err(|r| ApiError::invalid("the domain is not valid", vec![r]))?;
    if state.store.domains(&org.id).await?.len() >= 100 {
        return Err(ApiError::Conflict(
            "an organization may claim at most 100 domains".to_owned(),
        ));
    }
    let domain = state
        .store
        .insert_domain(&caller.actor(), &org.id, &name)
        .await?;
    Ok((StatusCode::CREATED, Json(domain.into())))
}

/// The domain, if it belongs to the organization in the path.
async fn domain_of(state: &AppState, org: &OrgId, id: String) -> Result<Domain, ApiError> {
    state
        .store
        .find_domain_by_id(&DomainId(id))
        .await?
        .filter(|d| &d.org_id == org)
        .ok_or(ApiError::NotFound)
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
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    let domain = domain_of(&state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    state
        .store
        .delete_domain(&caller.actor(), &domain.id)
        .await?;
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
    let org = visible_org(&state, &caller, &OrgId(org)).await?;
    let domain = domain_of(&state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "the organization is not active: domains are verified after approval".to_owned(),
        ));
    }
    if domain.status == DomainStatus::Verified {
        return Ok((StatusCode::OK, Json(domain.into())));
    }
    match verification.method {
        VerificationMethod::Dns => {
            let name = dns::record_name(&domain.name);
            let expected = dns::record_value(&domain.token);
            let found = state.dns.txt(&name).await.map_err(ApiError::Upstream)?;
            let reason = match found {
                Lookup::Found(values) if values.contains(&expected) => None,
                Lookup::Found(values) => Some(format!(
                    "the TXT records at {name} are {values:?}; none is {expected:?}"
                )),
                Lookup::NoRecords => Some(format!(
                    "there is no TXT record at {name}; publish {expected:?} there"
                )),
            };
            if let Some(reason) = reason {
                return Err(ApiError::invalid(
                    "the domain is not verified",
                    vec![reason],
                ));
            }
            let verified = state
                .store
                .mark_domain_verified(&caller.actor(), &domain.id, VerificationMethod::Dns)
                .await?
                .ok_or(ApiError::NotFound)?;
            Ok((StatusCode::OK, Json(verified.into())))
        }
        VerificationMethod::Email => {
            let postmaster = format!("postmaster@{}", domain.name);
            crate::mail::send_link(
                &state,
                ConfirmationKind::Domain,
                domain.id.as_str(),
                Some(&org),
                &postmaster,
            )
            .await?;
            Ok((StatusCode::ACCEPTED, Json(domain.into())))
        }
    }
}

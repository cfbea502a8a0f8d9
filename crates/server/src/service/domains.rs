//! An organization's mail domains and their verification: a TXT record, or a confirmation
//! link mailed to the domain's postmaster. Only verified domains count as the organization's.

use forewarn_store::{
    ConfirmationKind, Domain, DomainId, DomainStatus, OrgId, OrgStatus, Role, VerificationMethod,
};
use serde::{Deserialize, Serialize};

use super::visible_org;
use crate::auth::Caller;
use crate::dns::{self, Lookup};
use crate::error::ApiError;
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

/// A domain an organization claims.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomain {
    pub name: String,
}

/// How a domain is to be verified.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// `dns` checks the TXT record now; `email` mails a confirmation link to
    /// postmaster@ the domain.
    pub method: VerificationMethod,
}

/// What asking for verification did.
pub enum Verified {
    /// The domain is verified (now, or it was already).
    Now(DomainView),
    /// A confirmation link went to the domain's postmaster.
    LinkSent(DomainView),
}

const MANAGERS: &[Role] = &[Role::Operator, Role::OrgAdmin];

/// The organization's domains.
pub async fn list_domains(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
) -> Result<Vec<DomainView>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    Ok(state
        .store
        .domains(&org.id)
        .await?
        .into_iter()
        .map(DomainView::from)
        .collect())
}

/// Claims a domain for the organization, unverified.
pub async fn add_domain(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    new: NewDomain,
) -> Result<DomainView, ApiError> {
    let org = visible_org(state, caller, org).await?;
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
    Ok(domain.into())
}

/// The domain, if it belongs to the organization.
async fn domain_of(state: &AppState, org: &OrgId, id: &DomainId) -> Result<Domain, ApiError> {
    state
        .store
        .find_domain_by_id(id)
        .await?
        .filter(|d| &d.org_id == org)
        .ok_or(ApiError::NotFound)
}

/// Gives a domain up.
pub async fn delete_domain(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: &DomainId,
) -> Result<(), ApiError> {
    let org = visible_org(state, caller, org).await?;
    let domain = domain_of(state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    state
        .store
        .delete_domain(&caller.actor(), &domain.id)
        .await?;
    Ok(())
}

/// Verifies a domain by its TXT record, or mails its postmaster a confirmation link.
pub async fn verify_domain(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    id: &DomainId,
    verification: Verification,
) -> Result<Verified, ApiError> {
    let org = visible_org(state, caller, org).await?;
    let domain = domain_of(state, &org.id, id).await?;
    caller.require(MANAGERS)?;
    if org.status != OrgStatus::Active {
        return Err(ApiError::Conflict(
            "the organization is not active: domains are verified after approval".to_owned(),
        ));
    }
    if domain.status == DomainStatus::Verified {
        return Ok(Verified::Now(domain.into()));
    }
    // Nobody else's domain: no postmaster mail for it, however often it is asked for.
    if state
        .store
        .is_verified_elsewhere(&org.id, &domain.name)
        .await?
    {
        return Err(ApiError::Conflict(
            "another organization has verified this domain".to_owned(),
        ));
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
            Ok(Verified::Now(verified.into()))
        }
        VerificationMethod::Email => {
            let postmaster = format!("postmaster@{}", domain.name);
            crate::mail::send_link(
                state,
                ConfirmationKind::Domain,
                domain.id.as_str(),
                Some(&org),
                &postmaster,
            )
            .await?;
            Ok(Verified::LinkSent(domain.into()))
        }
    }
}

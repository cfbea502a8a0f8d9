//! What people can do, as plain functions under both the REST API and the web UI: each checks
//! the caller's role and tenant, validates its input, does the work (the store writes the
//! audit log in the same transaction) and returns the result or an [`ApiError`]. The API's
//! handlers and the UI's forms only translate between HTTP and these, as
//! `api::domains::add_domain` does (the module is private to the server, so this is shown,
//! not compiled here):
//!
//! ```ignore
//! let domain = service::domains::add_domain(&state, &caller, &org, NewDomain { name }).await?;
//! // then, for the API: (StatusCode::CREATED, Json(domain))
//! ```

pub mod accounts;
pub mod applications;
pub mod confirmations;
pub mod contacts;
pub mod dead_letters;
pub mod domains;
pub mod feeds;
pub mod incidents;
pub mod members;
pub mod orgs;
pub mod programs;
pub mod second_factor;
pub mod session;
pub mod suppressions;
pub mod webhooks;

use forewarn_store::{OrgId, Organization};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

/// The organization, if the caller may see it; another tenant's is answered as missing.
pub async fn visible_org(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
) -> Result<Organization, ApiError> {
    if !caller.sees(org) {
        return Err(ApiError::NotFound);
    }
    state
        .store
        .find_org_by_id(org)
        .await?
        .ok_or(ApiError::NotFound)
}

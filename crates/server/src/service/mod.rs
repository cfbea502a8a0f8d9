//! What people can do, as plain functions under both the REST API and the web UI: each checks
//! the caller's role and tenant, validates its input, does the work (the store writes the
//! audit log in the same transaction) and returns the result or an [`ApiError`]. The API's
//! handlers and the UI's forms only translate between HTTP and these.
//!
//! ```no_run
//! # async fn run(state: forewarn_server::AppState, caller: forewarn_server::auth::Caller) -> Result<(), forewarn_server::error::ApiError> {
//! use forewarn_server::service::domains::{self, NewDomain};
//! let org = forewarn_store::OrgId("01a2…".into());
//! let domain = domains::add_domain(&state, &caller, &org, NewDomain { name: "clinic.example".into() }).await?;
//! println!("publish {} at {}", domain.txt_value, domain.txt_name);
//! # Ok(()) }
//! ```

pub mod accounts;
pub mod applications;
pub mod confirmations;
pub mod contacts;
pub mod dead_letters;
pub mod domains;
pub mod incidents;
pub mod members;
pub mod orgs;
pub mod programs;
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

//! The mail enrollment sends: invitations and confirmation links. Plain text, English for now;
//! the links lead to pages that ask for a click before anything happens, so a mail scanner
//! that follows links confirms nothing.

use forewarn_store::{ConfirmationKind, OrgId};

use crate::auth;
use crate::error::ApiError;
use crate::AppState;

/// Creates a one-time link of `kind` for `object_id` and mails it to `to`.
pub async fn send_link(
    state: &AppState,
    kind: ConfirmationKind,
    object_id: &str,
    org: Option<&OrgId>,
    to: &str,
    org_name: &str,
) -> Result<(), ApiError> {
    let secret = auth::new_secret();
    let lifetime = chrono::Duration::hours(i64::from(state.config.limits.link_hours));
    state
        .store
        .insert_confirmation(&auth::digest(&secret), kind, object_id, org, lifetime)
        .await?;
    let base = state.config.public_url();
    let hours = state.config.limits.link_hours;
    let (subject, body) = match kind {
        ConfirmationKind::Invitation => (
            format!("You are invited to forewarn for {org_name}"),
            format!(
                "You have been invited to forewarn, the service that warns {org_name} about mail attacks aimed at it.\n\n\
                 To join, choose a password here (the link works once, for {hours} hours):\n\n{base}/invite/{secret}\n\n\
                 If you did not expect this, ignore this message.\n"
            ),
        ),
        ConfirmationKind::Account => (
            "Confirm that forewarn may watch this mailbox".to_owned(),
            format!(
                "Someone at {org_name} asked forewarn to watch this mailbox for attacks.\n\n\
                 If it was you and you agree, confirm here (the link works once, for {hours} hours):\n\n{base}/confirm/{secret}\n\n\
                 Nothing is watched until you confirm, and you can withdraw at any time; then this address is erased.\n\
                 If it was not you, ignore this message.\n"
            ),
        ),
        ConfirmationKind::Domain => (
            format!("Confirm that {org_name} uses this domain"),
            format!(
                "{org_name} asked forewarn to verify that this mail domain is theirs.\n\n\
                 If that is right, confirm here (the link works once, for {hours} hours):\n\n{base}/confirm/{secret}\n\n\
                 If it is not, ignore this message.\n"
            ),
        ),
    };
    state
        .mailer
        .send(to, &subject, &body)
        .await
        .map_err(|e| ApiError::Upstream(format!("the mail could not be sent: {e}")))
}

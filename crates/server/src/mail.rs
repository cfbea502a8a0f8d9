//! The mail enrollment sends: invitations and confirmation links, as plain text in the
//! organization's language (English for the operator's own staff). The links lead to pages
//! that ask for a click before anything happens, so a mail scanner that follows links
//! confirms nothing.

use forewarn_l10n::Arg;
use forewarn_store::{ConfirmationKind, Organization};

use crate::auth;
use crate::error::ApiError;
use crate::AppState;

/// Creates a one-time link of `kind` for `object_id` and mails it to `to`, about `org` (none
/// for an invitation to the operator's staff).
pub async fn send_link(
    state: &AppState,
    kind: ConfirmationKind,
    object_id: &str,
    org: Option<&Organization>,
    to: &str,
) -> Result<(), ApiError> {
    let secret = auth::new_secret();
    let lifetime = chrono::Duration::hours(i64::from(state.config.limits.link_hours));
    state
        .store
        .insert_confirmation(
            &auth::digest(&secret),
            kind,
            object_id,
            org.map(|o| &o.id),
            lifetime,
        )
        .await?;
    let base = &state.config.public_url;
    let link = match kind {
        ConfirmationKind::Invitation => format!("{base}/invite/{secret}"),
        ConfirmationKind::Account | ConfirmationKind::Domain => format!("{base}/confirm/{secret}"),
    };
    let id = match (kind, org) {
        (ConfirmationKind::Invitation, None) => "mail-invitation-staff",
        (ConfirmationKind::Invitation, Some(_)) => "mail-invitation",
        (ConfirmationKind::Account, _) => "mail-account",
        (ConfirmationKind::Domain, _) => "mail-domain",
    };
    let l10n = crate::ui::catalogs();
    let language = l10n
        .language(org.map_or("en", |o| o.language.as_str()))
        .code;
    let args = [
        (
            "org",
            Arg::from(org.map_or_else(String::new, |o| o.name.clone())),
        ),
        (
            "hours",
            Arg::from(i64::from(state.config.limits.link_hours)),
        ),
        ("link", Arg::from(link)),
    ];
    let subject = l10n.text(language, &format!("{id}-subject"), &args);
    let body = l10n.text(language, &format!("{id}-body"), &args);
    state
        .mailer
        .send(to, &subject, &format!("{body}\n"))
        .await
        .map_err(|e| ApiError::Upstream(format!("the mail could not be sent: {e}")))
}

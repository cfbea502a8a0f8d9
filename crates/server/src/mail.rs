//! The mail enrollment sends: invitations and confirmation links, as plain text in the
//! organization's language (English for the operator's own staff). The links lead to pages
//! that ask for a click before anything happens, so a mail scanner that follows links
//! confirms nothing.

use forewarn_l10n::Arg;
use forewarn_store::{Actor, ConfirmationKind, MailPermit, OrgId, Organization};

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
    permit(state, org.map(|o| &o.id), to, kind.as_str()).await?;
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
    deliver(state, to, &subject, &format!("{body}\n")).await
}

/// Sends mail someone asked for (`purpose`: a link, a test notification) when the suppression
/// list and the mail budget let it go; an address the relay refuses for good is put on the
/// suppression list.
pub async fn send_requested(
    state: &AppState,
    org: Option<&OrgId>,
    to: &str,
    purpose: &str,
    subject: &str,
    body: &str,
) -> Result<(), ApiError> {
    permit(state, org, to, purpose).await?;
    deliver(state, to, subject, body).await
}

/// Counts one message to `to` caused by `org` against the budget; refused when the address is
/// suppressed or a budget is spent.
async fn permit(
    state: &AppState,
    org: Option<&OrgId>,
    to: &str,
    purpose: &str,
) -> Result<(), ApiError> {
    let budget = state.config.limits.mail_budget();
    match state.store.reserve_mail(org, to, purpose, budget).await? {
        MailPermit::Granted => Ok(()),
        MailPermit::Suppressed => Err(ApiError::invalid(
            "the mail was not sent",
            vec![format!("{to} bounced or complained before and is on the suppression list; the operator can take it off")],
        )),
        MailPermit::OrgSpent(wait) | MailPermit::DestinationSpent(wait) => {
            Err(ApiError::TooManyRequests(wait))
        }
    }
}

/// Hands the message to the relay; an address it refuses for good goes on the suppression list.
async fn deliver(state: &AppState, to: &str, subject: &str, body: &str) -> Result<(), ApiError> {
    match state.mailer.send(to, subject, body).await {
        Ok(()) => Ok(()),
        Err(refused @ forewarn_notify::Error::Rejected(..)) => {
            state
                .store
                .suppress(&Actor(None), to, &refused.to_string())
                .await?;
            Err(ApiError::Upstream(format!(
                "the mail was refused for good, and {to} is now on the suppression list: {refused}"
            )))
        }
        Err(e) => Err(ApiError::Upstream(format!(
            "the mail could not be sent: {e}"
        ))),
    }
}

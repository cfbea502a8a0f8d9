//! Verified domains proved again now and then ([`crate::config::DnsSettings::recheck_days`]):
//! a domain whose TXT record still holds its token stays verified; one verified by its
//! postmaster, without the record, gets a fresh postmaster link and `postmaster_grace_days` to
//! follow it. A domain that fails lapses: its organization's security contacts are told, in
//! their language, and mail for addresses at it is refused until it is verified again (which
//! the next check also notices when the record comes back).
//!
//! Each domain is claimed in the database before it is checked, so several `forewarn serve`
//! processes sharing PostgreSQL check each domain once; a check that cannot finish (the DNS
//! server does not answer) is tried again an hour later.

use chrono::{Duration, Utc};
use forewarn_store::{ConfirmationKind, Domain, DomainStatus, VerificationMethod};

use crate::dns::{self, Lookup};
use crate::AppState;

/// How long a claimed domain waits before it is tried again when its check did not finish.
const RETRY: Duration = Duration::hours(1);
/// Domains checked in one round, at most.
const BATCH: u32 = 200;

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Domains found still proved (lapsed ones among them verified again).
    pub confirmed: usize,
    /// Postmasters mailed a link to prove their domain again.
    pub links_sent: usize,
    /// Domains that lapsed.
    pub lapsed: usize,
    /// Checks that could not finish, tried again later.
    pub unfinished: usize,
}

/// Runs a round every hour, the first an hour after the start.
pub(crate) async fn run(state: AppState) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(3600));
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let round = recheck_domains(&state).await;
        if round != Round::default() {
            tracing::info!(?round, "domains checked again");
        }
    }
}

/// Checks every domain that is due once: see the module's description.
pub async fn recheck_domains(state: &AppState) -> Round {
    let settings = &state.config.dns;
    let now = Utc::now();
    let period = Duration::days(i64::from(settings.recheck_days));
    let due = now - period;
    let mut round = Round::default();
    // Never wait longer for a retry than for the next check.
    let claimed = match state
        .store
        .claim_domains_to_check(due, due + RETRY.min(period), BATCH)
        .await
    {
        Ok(claimed) => claimed,
        Err(error) => {
            tracing::warn!(%error, "domains could not be taken up for checking");
            return round;
        }
    };
    for domain in claimed {
        match check(state, &domain).await {
            Ok(Outcome::Confirmed) => round.confirmed += 1,
            Ok(Outcome::LinkSent) => round.links_sent += 1,
            Ok(Outcome::Lapsed) => round.lapsed += 1,
            Ok(Outcome::Waiting) => {}
            Err(error) => {
                round.unfinished += 1;
                tracing::warn!(domain = %domain.id, %error, "a domain could not be checked; tried again later");
            }
        }
    }
    round
}

enum Outcome {
    Confirmed,
    LinkSent,
    Lapsed,
    Waiting,
}

async fn check(state: &AppState, domain: &Domain) -> Result<Outcome, String> {
    let name = dns::record_name(&domain.name);
    let expected = dns::record_value(&domain.token);
    let found = match state.dns.txt(&name).await? {
        Lookup::Found(values) => values.contains(&expected),
        Lookup::NoRecords => false,
    };
    let store = &state.store;
    if found {
        store
            .mark_domain_checked(&domain.id)
            .await
            .map_err(|e| e.to_string())?;
        return Ok(Outcome::Confirmed);
    }
    if domain.status == DomainStatus::Lapsed {
        return Ok(Outcome::Waiting);
    }
    if domain.method == Some(VerificationMethod::Email) {
        let grace = Duration::days(i64::from(state.config.dns.postmaster_grace_days));
        match domain.recheck_requested_at {
            None => {
                let org = store
                    .find_org_by_id(&domain.org_id)
                    .await
                    .map_err(|e| e.to_string())?;
                crate::mail::send_link(
                    state,
                    ConfirmationKind::Domain,
                    domain.id.as_str(),
                    org.as_ref(),
                    &format!("postmaster@{}", domain.name),
                )
                .await
                .map_err(|e| e.to_string())?;
                store
                    .mark_domain_recheck_requested(&domain.id)
                    .await
                    .map_err(|e| e.to_string())?;
                return Ok(Outcome::LinkSent);
            }
            Some(asked) if Utc::now() - asked < grace => return Ok(Outcome::Waiting),
            Some(_) => {}
        }
    }
    let reason = match domain.method {
        Some(VerificationMethod::Email) => format!(
            "the postmaster did not follow the link mailed to prove {} again, and {name} holds no {expected:?}",
            domain.name
        ),
        _ => format!("{name} no longer holds the TXT record {expected:?}"),
    };
    store
        .lapse_domain(&domain.id, &reason)
        .await
        .map_err(|e| e.to_string())?;
    tell_lapsed(state, domain).await;
    Ok(Outcome::Lapsed)
}

/// Mails the organization's security contacts that the domain lapsed, each in their language.
async fn tell_lapsed(state: &AppState, domain: &Domain) {
    let contacts = match state.store.contacts(&domain.org_id).await {
        Ok(contacts) => contacts,
        Err(error) => {
            tracing::warn!(domain = %domain.id, %error, "the contacts of a lapsed domain could not be read");
            return;
        }
    };
    let link = format!("{}/ui/orgs/{}", state.config.public_url, domain.org_id);
    let l10n = crate::ui::catalogs();
    for contact in contacts
        .iter()
        .filter(|c| c.channels.iter().any(|ch| ch == "email"))
    {
        let language = l10n.language(&contact.language).code;
        let args = [
            ("domain", forewarn_l10n::Arg::from(domain.name.clone())),
            ("link", forewarn_l10n::Arg::from(link.clone())),
        ];
        let subject = l10n.text(language, "mail-domain-lapsed-subject", &args);
        let body = l10n.text(language, "mail-domain-lapsed-body", &args);
        let sent = crate::mail::send_requested(
            state,
            Some(&domain.org_id),
            &contact.email,
            "domain-lapsed",
            &subject,
            &format!("{body}\n"),
        )
        .await;
        if let Err(error) = sent {
            tracing::warn!(domain = %domain.id, contact = %contact.id, status = %error.status(), "a lapsed domain's contact was not told");
        }
    }
}

//! Telling organizations about their incidents, in two steps.
//!
//! Planning: an incident the policy lets be told at once (as severe as the organization's or
//! its program's threshold, or approved by an analyst) gets one stored notification per
//! recipient: each security contact that asked for e-mail, in the contact's language; the
//! owner of each targeted personal account; and each enabled webhook endpoint. The words are
//! fixed then.
//!
//! Delivery: due notifications are sent, several at once, each under a lease. A failure is
//! tried again on the back-off schedule of [`forewarn_notify::webhook::retry_after`]; a
//! recipient that can never be reached (a webhook answering 410 Gone, a removed contact) is
//! abandoned. Every attempt of one notification carries the same Message-ID or webhook-id and
//! the same words, so a crash between sending and recording makes the next run send the very
//! same message again, never a second, different one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use forewarn_l10n::{Arg, Catalogs};
use forewarn_notify::webhook::{self, Endpoint, Outcome, WebhookSecret};
use forewarn_store::{
    Account, AccountKind, AccountStatus, Attempt, Contact, EndpointStatus, Evidence, Incident,
    NewNotification, Notification, OrgId, Organization, StoredMessage, WebhookEndpoint, WebhookId,
};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::AppState;

/// How often the notifier looks for work when nothing wakes it.
const EVERY: Duration = Duration::from_secs(1);

/// How long the notifier waits, once woken, for more work to handle in the same pass.
const GATHER: Duration = Duration::from_millis(20);

/// Incidents planned, and results recorded, per transaction at the most.
const BATCH: usize = 256;

fn catalogs() -> &'static Catalogs {
    crate::ui::catalogs()
}

/// Plans and delivers notifications for as long as the service runs: at once when a worker in
/// this process, or on PostgreSQL in any process, reports an incident, and every second for
/// the rest (retries, approvals, announcements missed). Up to `webhooks.concurrency`
/// deliveries are under way at once, each on its own, so a slow receiver holds up no other;
/// their results are recorded together.
pub async fn watch(state: AppState) {
    if state.store.backend() == forewarn_store::Backend::Sqlite {
        // SQLite has one process: a lease still held is one a killed predecessor took, and the
        // notification it was sending goes out again now rather than when the lease runs out.
        match state.store.release_notification_leases().await {
            Ok(0) => {}
            Ok(released) => {
                tracing::info!(
                    released,
                    "notifications interrupted by a stop are sent again"
                )
            }
            Err(error) => tracing::warn!(%error, "releasing notification leases failed"),
        }
    }
    let slots = Arc::new(Semaphore::new(state.config.webhooks.concurrency));
    let freed = Arc::new(tokio::sync::Notify::new());
    let (done, results) = tokio::sync::mpsc::unbounded_channel();
    // Dropping the set (when the service stops) stops the deliveries and the recorder; what
    // was under way is sent again after the restart.
    let mut tasks = JoinSet::new();
    tasks.spawn(record(state.clone(), results));
    tasks.spawn(listen(state.clone()));
    loop {
        while tasks.try_join_next().is_some() {}
        let started = std::time::Instant::now();
        if let Err(error) = plan(&state).await {
            tracing::warn!(%error, "planning incident notifications failed; trying again");
        }
        let planned = started.elapsed();
        if let Err(error) = dispatch(&state, &slots, &done, &freed, &mut tasks).await {
            tracing::warn!(%error, "taking notifications to send failed; trying again");
        }
        tracing::debug!(
            planning_ms = planned.as_millis() as u64,
            dispatching_ms = (started.elapsed() - planned).as_millis() as u64,
            "notifier pass"
        );
        tokio::select! {
            _ = state.incidents_due.notified() => {}
            _ = freed.notified() => {}
            _ = tokio::time::sleep(EVERY) => {}
        }
        // Whatever else comes in the next moment is handled in the same pass: under load,
        // one pass (and one transaction) for many incidents instead of one each.
        tokio::time::sleep(GATHER).await;
    }
}

/// On PostgreSQL, wakes the notifier whenever any process (a `forewarn worker` elsewhere)
/// stores a message that opened an incident or raised its severity. After a failure it listens
/// again ten seconds later; the notifier's own look every second covers the gap.
async fn listen(state: AppState) {
    loop {
        let error = match state.store.incident_signals().await {
            Ok(None) => return,
            Ok(Some(mut signals)) => loop {
                match signals.next().await {
                    Ok(()) => state.incidents_due.notify_one(),
                    Err(error) => break error,
                }
            },
            Err(error) => error,
        };
        tracing::warn!(%error, "listening for incidents failed; looking every second meanwhile");
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

/// Writes down the notifications of every incident due to be told, a batch per transaction.
async fn plan(state: &AppState) -> Result<(), forewarn_store::Error> {
    let store = &state.store;
    loop {
        let incidents = store.incidents_to_notify().await?;
        if incidents.is_empty() {
            return Ok(());
        }
        let count = incidents.len();
        let mut orgs: HashMap<OrgId, Option<Recipients>> = HashMap::new();
        for incident in &incidents {
            if !orgs.contains_key(&incident.org_id) {
                let recipients = match store.find_org_by_id(&incident.org_id).await? {
                    Some(org) => Some(Recipients {
                        contacts: store.contacts(&org.id).await?,
                        endpoints: store.webhooks(&org.id).await?,
                        org,
                    }),
                    None => None,
                };
                orgs.insert(incident.org_id.clone(), recipients);
            }
        }
        let evidence = store.incident_evidence(&incidents).await?;
        let mut planned = Vec::new();
        for (incident, evidence) in incidents.iter().zip(&evidence) {
            if let Some(recipients) = &orgs[&incident.org_id] {
                planned.extend(plan_incident(state, recipients, incident, evidence));
            }
        }
        // With nobody to tell, an incident stays new, in the analysts' view.
        let ids: Vec<_> = incidents.into_iter().map(|i| i.id).collect();
        store.plan_notifications(&planned, &ids).await?;
        if count < 100 {
            return Ok(());
        }
    }
}

/// Whom an organization's incidents are told to.
struct Recipients {
    org: Organization,
    contacts: Vec<Contact>,
    endpoints: Vec<WebhookEndpoint>,
}

/// One notification per recipient of one incident, its words fixed now.
fn plan_incident(
    state: &AppState,
    recipients: &Recipients,
    incident: &Incident,
    evidence: &Evidence,
) -> Vec<NewNotification> {
    let org = &recipients.org;
    let accounts = &evidence.accounts;
    let facts = Facts {
        org,
        incident,
        first: evidence.first.as_ref(),
        accounts,
    };
    let mut planned = Vec::new();
    let mut add = |channel: &str, recipient: &str, (subject, body_text, body_html)| {
        planned.push(NewNotification {
            incident_id: incident.id.clone(),
            org_id: org.id.clone(),
            channel: channel.to_owned(),
            idem_key: format!("{}:{channel}:{recipient}", incident.id),
            recipient: recipient.to_owned(),
            subject,
            body_text,
            body_html,
        })
    };
    for contact in &recipients.contacts {
        if contact.channels.iter().any(|c| c == "email") {
            add(
                "email",
                &contact.id.0,
                compose(state, &contact.language, &facts, None),
            );
        }
    }
    for account in accounts {
        if let (AccountKind::Personal, AccountStatus::Confirmed, Some(address)) =
            (account.kind, account.status, &account.address)
        {
            add(
                "owner",
                &account.id.0,
                compose(state, &org.language, &facts, Some(address.as_str())),
            );
        }
    }
    for endpoint in &recipients.endpoints {
        if endpoint.status == EndpointStatus::Enabled {
            let subject = format!("incident.{}", incident.severity);
            add(
                "webhook",
                &endpoint.id.0,
                (subject, payload(state, &facts), String::new()),
            );
        }
    }
    planned
}

/// Starts a delivery for each due notification, as far as free slots go, under a lease as
/// long as one attempt may take: the webhook timeout, or the relay's 30 seconds.
async fn dispatch(
    state: &AppState,
    slots: &Arc<Semaphore>,
    done: &tokio::sync::mpsc::UnboundedSender<(String, Attempt)>,
    freed: &Arc<tokio::sync::Notify>,
    tasks: &mut JoinSet<()>,
) -> Result<(), forewarn_store::Error> {
    let store = &state.store;
    loop {
        let free = slots.available_permits();
        if free == 0 {
            return Ok(());
        }
        let due = store.due_notifications(free as u32).await?;
        let fetched = due.len();
        let (hooks, mails): (Vec<&Notification>, Vec<&Notification>) =
            due.iter().partition(|n| n.channel == "webhook");
        let ids = |list: &[&Notification]| list.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        let webhook_lease = state.config.webhooks.timeout_secs as i64 + 5;
        let mut taken: HashSet<String> = store
            .take_notifications(&ids(&hooks), webhook_lease)
            .await?
            .into_iter()
            .collect();
        taken.extend(store.take_notifications(&ids(&mails), 35).await?);
        for notification in due.into_iter().filter(|n| taken.contains(&n.id)) {
            let Ok(permit) = slots.clone().try_acquire_owned() else {
                break;
            };
            let (state, done, freed) = (state.clone(), done.clone(), freed.clone());
            tasks.spawn(async move {
                match attempt(&state, &notification).await {
                    Ok(attempt) => {
                        if let Attempt::Abandon { error } = &attempt {
                            tracing::warn!(incident = %notification.incident_id, channel = %notification.channel, %error, "a notification was abandoned");
                        }
                        let _ = done.send((notification.id, attempt));
                    }
                    // Its lease runs out and it is sent again.
                    Err(error) => {
                        tracing::warn!(%error, "a notification could not be attempted")
                    }
                }
                drop(permit);
                freed.notify_one();
            });
        }
        if fetched < free {
            return Ok(());
        }
    }
}

/// Records the attempts as they finish, together in one transaction per batch.
async fn record(
    state: AppState,
    mut results: tokio::sync::mpsc::UnboundedReceiver<(String, Attempt)>,
) {
    while let Some(first) = results.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match results.try_recv() {
                Ok(result) => batch.push(result),
                Err(_) => break,
            }
        }
        let sent = batch.iter().filter(|(_, a)| *a == Attempt::Sent).count();
        match state.store.record_notification_attempts(&batch).await {
            Ok(()) => {
                metrics::counter!("forewarn_notifications_sent_total").increment(sent as u64);
                if sent > 0 {
                    tracing::info!(sent, "incident notifications sent");
                }
            }
            Err(error) => tracing::warn!(
                %error,
                "recording notification attempts failed; they are sent again when their leases run out"
            ),
        }
    }
}

/// Sends one notification, already leased.
async fn attempt(
    state: &AppState,
    notification: &Notification,
) -> Result<Attempt, forewarn_store::Error> {
    let store = &state.store;
    Ok(match notification.channel.as_str() {
        "email" => {
            let contact = store
                .contacts(&notification.org_id)
                .await?
                .into_iter()
                .find(|c| c.id.0 == notification.recipient);
            match contact {
                Some(Contact { email, .. }) => mail(state, notification, &email).await,
                None => Attempt::Abandon {
                    error: "the contact was removed".into(),
                },
            }
        }
        "owner" => {
            let account = store
                .find_account_by_id(&notification.recipient.as_str().into())
                .await?;
            match account {
                Some(Account {
                    status: AccountStatus::Confirmed,
                    address: Some(address),
                    ..
                }) => mail(state, notification, &address).await,
                _ => Attempt::Abandon {
                    error: "the account's consent was withdrawn".into(),
                },
            }
        }
        "webhook" => post(state, notification).await?,
        other => Attempt::Abandon {
            error: format!("no channel {other}"),
        },
    })
}

/// The attempt after a failure: again later, or abandoned once the schedule has run out.
fn failed(notification: &Notification, error: String) -> Attempt {
    let attempt = u32::try_from(notification.attempts)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    match webhook::retry_after(attempt) {
        Some(wait) => Attempt::Retry {
            error,
            at: Utc::now().timestamp() + wait.as_secs() as i64,
        },
        None => Attempt::Abandon {
            error: format!("failed {attempt} times, the last: {error}"),
        },
    }
}

async fn mail(state: &AppState, notification: &Notification, to: &str) -> Attempt {
    let message_id = format!(
        "<{}.{}@forewarn.invalid>",
        notification.incident_id, notification.recipient
    );
    let sent = state
        .mailer
        .send_alert(
            to,
            &notification.subject,
            &notification.body_text,
            &notification.body_html,
            &message_id,
        )
        .await;
    match sent {
        Ok(()) => Attempt::Sent,
        Err(forewarn_notify::Error::Recipient(_)) => Attempt::Abandon {
            error: "the address is not one mail can be sent to".into(),
        },
        // The relay's answer may echo the address: it is kept with the notification for the
        // operator, not logged.
        Err(error) => failed(notification, error.to_string()),
    }
}

async fn post(
    state: &AppState,
    notification: &Notification,
) -> Result<Attempt, forewarn_store::Error> {
    let id = WebhookId(notification.recipient.clone());
    let Some(endpoint) = state.store.find_webhook(&id).await? else {
        return Ok(Attempt::Abandon {
            error: "the endpoint was removed".into(),
        });
    };
    if endpoint.status != EndpointStatus::Enabled {
        return Ok(Attempt::Abandon {
            error: "the endpoint is disabled".into(),
        });
    }
    let now = Utc::now();
    let target = target(&endpoint, now)?;
    let webhook_id = format!("msg_{}", notification.id);
    let outcome = state
        .webhooks
        .send(
            &target,
            &webhook_id,
            now.timestamp(),
            notification.body_text.as_bytes(),
        )
        .await;
    Ok(match outcome {
        Outcome::Delivered(_) => Attempt::Sent,
        Outcome::Gone => {
            state
                .store
                .set_webhook_status(
                    &forewarn_store::Actor(None),
                    &endpoint.id,
                    EndpointStatus::Disabled,
                    Some("the endpoint answered 410 Gone"),
                )
                .await?;
            Attempt::Abandon {
                error: "the endpoint answered 410 Gone and was disabled".into(),
            }
        }
        Outcome::Failed(error) => failed(notification, error),
        // A name that does not resolve may resolve later; a forbidden address will not
        // become allowed.
        Outcome::Refused(refusal @ forewarn_notify::destination::Refusal::Resolve(..)) => {
            failed(notification, refusal.to_string())
        }
        Outcome::Refused(refusal) => Attempt::Abandon {
            error: format!("the endpoint is not called: {refusal}"),
        },
    })
}

/// Where a webhook goes and the secrets it is signed with now (two while a rotated secret
/// is still honoured).
pub fn target(
    endpoint: &WebhookEndpoint,
    now: chrono::DateTime<Utc>,
) -> Result<Endpoint, forewarn_store::Error> {
    let secrets: Result<Vec<WebhookSecret>, _> = endpoint
        .signing_secrets(now)
        .into_iter()
        .map(WebhookSecret::parse)
        .collect();
    let Ok(secrets) = secrets else {
        return Err(forewarn_store::Error::Corrupt(
            "webhook secret",
            endpoint.id.0.clone(),
        ));
    };
    Ok(Endpoint {
        url: endpoint.url.clone(),
        secrets,
    })
}

/// What a notification is made from.
struct Facts<'a> {
    org: &'a Organization,
    incident: &'a Incident,
    first: Option<&'a StoredMessage>,
    accounts: &'a [Account],
}

impl Facts<'_> {
    /// How sure the attribution is, in percent, when there is one.
    fn confidence(&self) -> Option<u64> {
        self.incident.actor.as_ref()?;
        Some(
            self.first
                .and_then(|m| m.findings.as_array())
                .into_iter()
                .flatten()
                .filter(|f| f["attribution"].as_array().is_some_and(|a| !a.is_empty()))
                .filter_map(|f| f["confidence"].as_u64())
                .max()
                .unwrap_or(50),
        )
    }

    fn sender(&self) -> String {
        self.first
            .and_then(|m| m.sender.clone())
            .map(|s| defang(&s))
            .unwrap_or_else(|| "?".into())
    }

    fn acknowledge_link(&self, state: &AppState) -> String {
        format!(
            "{}/ui/orgs/{}/incidents/{}",
            state.config.public_url(),
            self.org.id,
            self.incident.id
        )
    }
}

/// A webhook's JSON body: the incident as data, and the same words the e-mail has in the
/// organization's language.
fn payload(state: &AppState, facts: &Facts<'_>) -> String {
    let incident = facts.incident;
    let l10n = catalogs();
    let lang = l10n.language(&facts.org.language);
    let (subject, _, _) = compose(state, &facts.org.language, facts, None);
    let accounts: Vec<serde_json::Value> = facts
        .accounts
        .iter()
        .map(|a| {
            // A personal mailbox's address is its owner's, not the organization's to hold.
            let address = (a.kind == AccountKind::Enterprise)
                .then(|| a.address.clone())
                .flatten();
            serde_json::json!({ "id": a.id, "kind": a.kind, "address": address })
        })
        .collect();
    serde_json::json!({
        "type": "incident.notified",
        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "incident": {
                "id": incident.id,
                "org_id": incident.org_id,
                "kind": incident.kind,
                "severity": incident.severity,
                "actor": incident.actor,
                "confidence": facts.confidence(),
                "title": incident.title,
                "first_seen": incident.first_seen,
                "last_seen": incident.last_seen,
                "message_count": incident.message_count,
                "analyst_note": incident.analyst_note,
            },
            "organization": { "id": facts.org.id, "name": facts.org.name },
            "message": {
                "sender": facts.first.and_then(|m| m.sender.as_deref()).map(defang),
                "subject": facts.first.and_then(|m| m.subject.clone()),
            },
            "accounts": accounts,
            "language": lang.code,
            "summary": subject,
            "steps": l10n.playbook(lang.code, &incident.kind),
            "acknowledge_url": facts.acknowledge_link(state),
        }
    })
    .to_string()
}

/// `evil.example` → `evil[.]example`, so no mail program makes it a link.
pub fn defang(text: &str) -> String {
    text.replace('.', "[.]")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The subject, text and HTML of one incident e-mail in `language`: to the security team, or,
/// with `owner`, to the owner of that targeted personal mailbox.
fn compose(
    state: &AppState,
    language: &str,
    facts: &Facts<'_>,
    owner: Option<&str>,
) -> (String, String, String) {
    let Facts {
        org,
        incident,
        first,
        accounts,
    } = facts;
    let l10n = catalogs();
    let lang = l10n.language(language);
    let t = |id: &str, args: &[(&str, Arg<'_>)]| l10n.text(lang.code, id, args);
    let severity = t(&format!("severity-{}", incident.severity), &[]);
    let kind = t(&format!("kind-{}", incident.kind), &[]);
    let org_name = Arg::from(org.name.clone());
    let subject = t(
        "notification-subject",
        &[
            ("severity", severity.into()),
            ("org", org_name.clone()),
            ("kind", kind.into()),
        ],
    );
    let message_subject = first.and_then(|m| m.subject.clone()).unwrap_or_default();
    let what = t(
        "notification-what",
        &[
            (
                "time",
                incident
                    .first_seen
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()
                    .into(),
            ),
            ("count", (accounts.len().max(1) as i64).into()),
            ("org", org_name.clone()),
            ("sender", facts.sender().into()),
            ("subject", message_subject.into()),
        ],
    );
    let who = match (&incident.actor, facts.confidence()) {
        (Some(actor), Some(confidence)) => t(
            "notification-who-known",
            &[
                ("actor", actor.clone().into()),
                ("aliases", actor.clone().into()),
                ("confidence", format!("{confidence} %").into()),
            ],
        ),
        _ => t("notification-who-unknown", &[]),
    };
    let note = incident.analyst_note.as_ref().map(|note| {
        t(
            "notification-analyst-note",
            &[("note", note.clone().into())],
        )
    });
    let steps = l10n.playbook(lang.code, &incident.kind);
    let acknowledge = t(
        "notification-acknowledge",
        &[("link", facts.acknowledge_link(state).into())],
    );
    let footer = t(
        "notification-footer",
        &[("operator", state.config.mail.from.clone().into())],
    );
    let greeting = match owner {
        Some(address) => t(
            "notification-owner-greeting",
            &[("address", address.to_owned().into()), ("org", org_name)],
        ),
        None => t("notification-greeting", &[("org", org_name)]),
    };
    let mut text = format!(
        "{greeting}\n\n{}\n{what}\n\n{}\n{who}\n",
        t("notification-what-title", &[]),
        t("notification-who-title", &[]),
    );
    if let Some(note) = &note {
        text.push_str(&format!("\n{note}\n"));
    }
    text.push_str(&format!("\n{}\n", t("notification-steps-title", &[])));
    for (n, step) in steps.iter().enumerate() {
        text.push_str(&format!("{}. {step}\n", n + 1));
    }
    text.push_str(&format!("\n{acknowledge}\n\n-- \n{footer}\n"));
    let dir = if lang.right_to_left { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body><p>{}</p><h2>{}</h2><p>{}</p><h2>{}</h2><p>{}</p>",
        lang.code,
        escape(&greeting),
        escape(&t("notification-what-title", &[])),
        escape(&what),
        escape(&t("notification-who-title", &[])),
        escape(&who),
    );
    if let Some(note) = &note {
        html.push_str(&format!("<p>{}</p>", escape(note)));
    }
    html.push_str(&format!(
        "<h2>{}</h2><ol>",
        escape(&t("notification-steps-title", &[]))
    ));
    for step in &steps {
        html.push_str(&format!("<li>{}</li>", escape(step)));
    }
    html.push_str(&format!(
        "</ol><p>{}</p><p><small>{}</small></p></body></html>",
        escape(&acknowledge),
        escape(&footer)
    ));
    (subject, text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defanging_and_escaping() {
        assert_eq!(
            defang("it@clinic-support.example"),
            "it@clinic-support[.]example"
        );
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}

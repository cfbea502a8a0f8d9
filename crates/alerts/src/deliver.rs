//! Delivery: due notifications are sent, several at once, each under a lease, and their
//! results recorded together.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use forewarn_notify::webhook::{self, Endpoint, Outcome, WebhookSecret};
use forewarn_store::{
    Account, AccountStatus, Attempt, Contact, EndpointStatus, Notification, WebhookEndpoint,
    WebhookId,
};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;

use crate::{plan, Notifier, Stop, EVERY, GATHER};

/// Results recorded per transaction at the most.
const BATCH: usize = 256;

/// Plans and delivers notifications until `stop`: at once when a worker in this process, or
/// on PostgreSQL in any process, reports an incident, and every second for the rest (retries,
/// approvals, announcements missed). Up to `concurrency` deliveries are under way at once,
/// each on its own, so a slow receiver holds up no other; their results are recorded
/// together.
pub(crate) async fn watch(notifier: Notifier, mut stop: Stop) {
    if notifier.store.backend() == forewarn_store::Backend::Sqlite {
        // SQLite has one process: a lease still held is one a killed predecessor took, and the
        // notification it was sending goes out again now rather than when the lease runs out.
        match notifier.store.release_notification_leases().await {
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
    let slots = Arc::new(Semaphore::new(notifier.settings.concurrency.max(1)));
    let freed = Arc::new(tokio::sync::Notify::new());
    let (done, results) = mpsc::unbounded_channel();
    let recorder = tokio::spawn(record(notifier.clone(), results));
    let listener = tokio::spawn(listen(notifier.clone(), stop.clone()));
    let mut deliveries = JoinSet::new();
    loop {
        while deliveries.try_join_next().is_some() {}
        let started = std::time::Instant::now();
        if let Err(error) = plan::plan(&notifier).await {
            tracing::warn!(%error, "planning incident notifications failed; trying again");
        }
        let planned = started.elapsed();
        if let Err(error) = dispatch(&notifier, &slots, &done, &freed, &mut deliveries).await {
            tracing::warn!(%error, "taking notifications to send failed; trying again");
        }
        tracing::debug!(
            planning_ms = planned.as_millis() as u64,
            dispatching_ms = (started.elapsed() - planned).as_millis() as u64,
            "notifier pass"
        );
        tokio::select! {
            _ = stop.wait() => break,
            _ = notifier.due.notified() => {}
            _ = freed.notified() => {}
            _ = tokio::time::sleep(EVERY) => {}
        }
        // Whatever else comes in the next moment is handled in the same pass: under load,
        // one pass (and one transaction) for many incidents instead of one each.
        tokio::time::sleep(GATHER).await;
    }
    // Nothing new starts; what is under way may finish, as long as one attempt may take.
    let under_way = deliveries.len();
    let finished = tokio::time::timeout(notifier.attempt_time(), async {
        while deliveries.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            unfinished = deliveries.len(),
            "deliveries still under way at the stop are sent again after the restart"
        );
        deliveries.shutdown().await;
    } else if under_way > 0 {
        tracing::info!(under_way, "deliveries under way at the stop finished");
    }
    // The recorder ends once every sender of results is gone, after recording the last.
    drop(done);
    let _ = recorder.await;
    let _ = listener.await;
}

/// On PostgreSQL, wakes the notifier whenever any process (a `forewarn worker` elsewhere)
/// stores a message that opened an incident or raised its severity. After a failure it listens
/// again ten seconds later; the notifier's own look every second covers the gap.
async fn listen(notifier: Notifier, mut stop: Stop) {
    loop {
        let error = match notifier.store.incident_signals().await {
            Ok(None) => return,
            Ok(Some(mut signals)) => loop {
                tokio::select! {
                    _ = stop.wait() => return,
                    signal = signals.next() => match signal {
                        Ok(()) => notifier.due.notify_one(),
                        Err(error) => break error,
                    },
                }
            },
            Err(error) => error,
        };
        tracing::warn!(%error, "listening for incidents failed; looking every second meanwhile");
        tokio::select! {
            _ = stop.wait() => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(10)) => {}
        }
    }
}

/// Starts a delivery for each due notification, as far as free slots go, under a lease as
/// long as one attempt may take: the webhook timeout, or the relay's 30 seconds.
async fn dispatch(
    notifier: &Notifier,
    slots: &Arc<Semaphore>,
    done: &mpsc::UnboundedSender<(String, Attempt)>,
    freed: &Arc<tokio::sync::Notify>,
    tasks: &mut JoinSet<()>,
) -> Result<(), forewarn_store::Error> {
    let store = &notifier.store;
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
        let webhook_lease = (notifier.webhooks.timeout.as_secs() + 5) as i64;
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
            let (notifier, done, freed) = (notifier.clone(), done.clone(), freed.clone());
            tasks.spawn(async move {
                match attempt(&notifier, &notification).await {
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
async fn record(notifier: Notifier, mut results: mpsc::UnboundedReceiver<(String, Attempt)>) {
    while let Some(first) = results.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match results.try_recv() {
                Ok(result) => batch.push(result),
                Err(_) => break,
            }
        }
        let sent = batch.iter().filter(|(_, a)| *a == Attempt::Sent).count();
        match notifier.store.record_notification_attempts(&batch).await {
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
    notifier: &Notifier,
    notification: &Notification,
) -> Result<Attempt, forewarn_store::Error> {
    let store = &notifier.store;
    Ok(match notification.channel.as_str() {
        "email" => {
            let contact = store
                .contacts(&notification.org_id)
                .await?
                .into_iter()
                .find(|c| c.id.0 == notification.recipient);
            match contact {
                Some(Contact { email, .. }) => mail(notifier, notification, &email).await?,
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
                }) => mail(notifier, notification, &address).await?,
                _ => Attempt::Abandon {
                    error: "the account's consent was withdrawn".into(),
                },
            }
        }
        "webhook" => post(notifier, notification).await?,
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

/// Mails one notification, unless the address is on the suppression list; an address the
/// relay refuses for good goes on it, so no later incident is sent there either.
async fn mail(
    notifier: &Notifier,
    notification: &Notification,
    to: &str,
) -> Result<Attempt, forewarn_store::Error> {
    if notifier.store.is_suppressed(to).await? {
        return Ok(Attempt::Abandon {
            error: "the address bounced or complained before and is on the suppression list".into(),
        });
    }
    let message_id = format!(
        "<{}.{}@forewarn.invalid>",
        notification.incident_id, notification.recipient
    );
    let sent = notifier
        .mailer
        .send_alert(
            to,
            &notification.subject,
            &notification.body_text,
            &notification.body_html,
            &message_id,
        )
        .await;
    Ok(match sent {
        Ok(()) => Attempt::Sent,
        Err(forewarn_notify::Error::Recipient(_)) => Attempt::Abandon {
            error: "the address is not one mail can be sent to".into(),
        },
        Err(refused @ forewarn_notify::Error::Rejected(..)) => {
            notifier
                .store
                .suppress(&forewarn_store::Actor(None), to, &refused.to_string())
                .await?;
            Attempt::Abandon {
                error: format!("refused for good, the address is now suppressed: {refused}"),
            }
        }
        // The relay's answer may echo the address: it is kept with the notification for the
        // operator, not logged.
        Err(error) => failed(notification, error.to_string()),
    })
}

async fn post(
    notifier: &Notifier,
    notification: &Notification,
) -> Result<Attempt, forewarn_store::Error> {
    let id = WebhookId(notification.recipient.clone());
    let Some(endpoint) = notifier.store.find_webhook(&id).await? else {
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
    let outcome = notifier
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
            notifier
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

//! The notification outbox: which new incidents the policy lets be told at once and which wait
//! for the analysts, the notifications written down for them (one per recipient and channel,
//! their words fixed at the first attempt), and each delivery attempt's outcome, leased so
//! that several notifiers never send one twice.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::record;
use crate::incidents::rank_sql;
use crate::{new_id, now, time, Actor, Incident, IncidentId, OrgId, Result, Store};

/// A notification about to be sent: who, over what, and the words, fixed at the first attempt.
#[derive(Clone, Debug)]
pub struct NewNotification {
    /// The incident told.
    pub incident_id: IncidentId,
    /// The organization told.
    pub org_id: OrgId,
    /// `email` (a security contact), `owner` (the owner of a targeted personal account) or
    /// `webhook`.
    pub channel: String,
    /// The contact, account or endpoint id, never an address.
    pub recipient: String,
    /// Stable across retries: the incident, channel and recipient.
    pub idem_key: String,
    /// The e-mail's subject (empty for a webhook).
    pub subject: String,
    /// The text of an e-mail, or a webhook's JSON body.
    pub body_text: String,
    /// The e-mail's HTML (empty for a webhook).
    pub body_html: String,
}

/// One delivery of one incident to one recipient over one channel.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notification {
    /// The delivery's id.
    pub id: String,
    /// The incident told.
    pub incident_id: IncidentId,
    /// The organization told.
    pub org_id: OrgId,
    /// `email`, `owner` or `webhook`.
    pub channel: String,
    /// The contact, account or endpoint id, never an address.
    pub recipient: String,
    /// Stable across retries, so a receiver can drop a repeat.
    pub idem_key: String,
    /// The e-mail's subject (empty for a webhook).
    pub subject: String,
    /// The text of an e-mail, or a webhook's JSON body; not sent over the API.
    #[serde(skip)]
    pub body_text: String,
    /// The e-mail's HTML; not sent over the API.
    #[serde(skip)]
    pub body_html: String,
    /// `pending` (not tried yet), `failed` (to be tried again at `next_attempt_at`), `sent`,
    /// or `abandoned` (it can never be delivered, or failed for a day and a half).
    pub status: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it is next tried, while pending or failed.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was written down.
    pub created_at: DateTime<Utc>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<Utc>>,
}

impl Notification {
    fn from_row(row: &AnyRow) -> Result<Notification> {
        Ok(Notification {
            id: row.try_get("id")?,
            incident_id: IncidentId(row.try_get("incident_id")?),
            org_id: OrgId(row.try_get("org_id")?),
            channel: row.try_get("channel")?,
            recipient: row.try_get("recipient")?,
            idem_key: row.try_get("idem_key")?,
            subject: row.try_get("subject")?,
            body_text: row.try_get("body_text")?,
            body_html: row.try_get("body_html")?,
            status: row.try_get("status")?,
            attempts: row.try_get("attempts")?,
            last_error: row.try_get("last_error")?,
            next_attempt_at: time(row, "next_attempt_at")?,
            created_at: time(row, "created_at")?,
            sent_at: crate::optional_time(row, "sent_at")?,
        })
    }
}

/// What became of one attempt to deliver a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Delivered.
    Sent,
    /// Failed; try again at this time (seconds since the epoch).
    Retry {
        /// What went wrong.
        error: String,
        /// When to try again, in seconds since the epoch.
        at: i64,
    },
    /// It will never be delivered: the recipient is gone, or the retries ran out.
    Abandon {
        /// What went wrong.
        error: String,
    },
}

impl Store {
    /// New incidents whose notifications are not written down yet and that the policy lets
    /// be told at once: as severe as the organization's threshold (or its program's), or
    /// approved by an analyst. The others wait in the triage queue.
    pub async fn incidents_to_notify(&self) -> Result<Vec<Incident>> {
        let sql = format!(
            "SELECT i.*, (i.approved = 1 OR {} >= {}) AS passes FROM incidents i \
             JOIN organizations o ON o.id = i.org_id JOIN programs p ON p.id = o.program_id \
             WHERE i.status = 'new' AND i.planned_at IS NULL AND i.held = 0 ORDER BY i.id LIMIT 100",
            rank_sql("i.severity"),
            rank_sql("COALESCE(o.notify_at, p.notify_at)")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut due = Vec::new();
        let mut held = Vec::new();
        for row in &rows {
            let incident = Incident::from_row(row)?;
            // A boolean on PostgreSQL, an integer on SQLite.
            let passes = row
                .try_get::<bool, _>("passes")
                .or_else(|_| row.try_get::<i64, _>("passes").map(|p| p != 0))?;
            if passes {
                due.push(incident);
            } else {
                held.push(incident.id);
            }
        }
        self.hold_incidents(&held).await?;
        Ok(due)
    }

    /// Holds `ids` for the analysts: not looked at again until their severity or the policy
    /// changes, or an analyst approves them. The test is made again as each row is written,
    /// so an approval, a raised severity or a new policy that came in since the caller read
    /// the incidents is not held back.
    pub async fn hold_incidents(&self, ids: &[IncidentId]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "UPDATE incidents SET held = 1 WHERE status = 'new' AND planned_at IS NULL \
             AND approved = 0 AND {} < (SELECT {} FROM organizations o \
             JOIN programs p ON p.id = o.program_id WHERE o.id = incidents.org_id) \
             AND id IN ({})",
            rank_sql("incidents.severity"),
            rank_sql("COALESCE(o.notify_at, p.notify_at)"),
            crate::placeholders(1, ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.0.clone());
        }
        query.execute(&self.writer).await?;
        Ok(())
    }

    /// Writes down `notifications` (those whose key is taken already stay as first written) and
    /// notes `incidents` as planned, so they are not planned again: one transaction.
    pub async fn plan_notifications(
        &self,
        notifications: &[NewNotification],
        incidents: &[IncidentId],
    ) -> Result<()> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        insert_notifications(&mut tx, notifications, at).await?;
        for chunk in incidents.chunks(500) {
            let sql = format!(
                "UPDATE incidents SET planned_at = $1 WHERE id IN ({})",
                crate::placeholders(2, chunk.len())
            );
            let mut query = sqlx::query(&sql).bind(at);
            for id in chunk {
                query = query.bind(id.0.clone());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The notification with `new.idem_key`: created from `new` the first time, and as first
    /// stored every time after, so every attempt sends the same words.
    pub async fn claim_notification(&self, new: &NewNotification) -> Result<Notification> {
        let mut tx = self.writer.begin().await?;
        insert_notifications(&mut tx, std::slice::from_ref(new), now()).await?;
        tx.commit().await?;
        let row = sqlx::query("SELECT * FROM notifications WHERE idem_key = $1")
            .bind(new.idem_key.clone())
            .fetch_one(&self.pool)
            .await?;
        Notification::from_row(&row)
    }

    /// Notifications due now: never tried, or failed and due again, and not held by a sender.
    pub async fn due_notifications(&self, limit: u32) -> Result<Vec<Notification>> {
        let at = now();
        sqlx::query(
            "SELECT * FROM notifications WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1 \
             AND lease_until <= $1 ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(at)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Notification::from_row)
        .collect()
    }

    /// Takes the right to send a notification for `lease_secs`: `false` when it is sent
    /// already, or another process holds it. A process that dies while sending lets the lease
    /// run out, and the same notification is sent again.
    pub async fn take_notification(&self, id: &str, lease_secs: i64) -> Result<bool> {
        let at = now();
        Ok(sqlx::query(
            "UPDATE notifications SET lease_until = $1 WHERE id = $2 AND status IN ('pending', 'failed') \
             AND lease_until <= $3",
        )
        .bind(at + lease_secs)
        .bind(id.to_owned())
        .bind(at)
        .execute(&self.writer)
        .await?
        .rows_affected()
            == 1)
    }

    /// Lets go of every lease on notifications: only for a single process at its start, when
    /// any lease left is one a killed predecessor held.
    pub async fn release_notification_leases(&self) -> Result<u64> {
        Ok(
            sqlx::query("UPDATE notifications SET lease_until = 0 WHERE lease_until > 0")
                .execute(&self.writer)
                .await?
                .rows_affected(),
        )
    }

    /// Takes the right to send each of `ids` for `lease_secs`, as [`Store::take_notification`]
    /// does for one; returns those taken.
    pub async fn take_notifications(&self, ids: &[String], lease_secs: i64) -> Result<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let at = now();
        let sql = format!(
            "UPDATE notifications SET lease_until = $1 WHERE status IN ('pending', 'failed') \
             AND lease_until <= $2 AND id IN ({}) RETURNING id",
            crate::placeholders(3, ids.len())
        );
        let mut query = sqlx::query_scalar(&sql).bind(at + lease_secs).bind(at);
        for id in ids {
            query = query.bind(id.clone());
        }
        Ok(query.fetch_all(&self.writer).await?)
    }

    /// Records an attempt. The first notification sent for an incident makes it notified.
    pub async fn record_notification_attempt(&self, id: &str, attempt: &Attempt) -> Result<()> {
        self.record_notification_attempts(&[(id.to_owned(), attempt.clone())])
            .await
    }

    /// Records several attempts in one transaction.
    pub async fn record_notification_attempts(&self, attempts: &[(String, Attempt)]) -> Result<()> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        for (id, attempt) in attempts {
            let (status, error, next, sent_at) = match attempt {
                Attempt::Sent => ("sent", None, 0, Some(at)),
                Attempt::Retry { error, at: next } => ("failed", Some(error.clone()), *next, None),
                Attempt::Abandon { error } => ("abandoned", Some(error.clone()), 0, None),
            };
            let incident: Option<String> = sqlx::query_scalar(
                "UPDATE notifications SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
                 sent_at = $4, lease_until = 0 WHERE id = $5 AND status <> 'sent' RETURNING incident_id",
            )
            .bind(status)
            .bind(error)
            .bind(next)
            .bind(sent_at)
            .bind(id.clone())
            .fetch_optional(&mut *tx)
            .await?;
            let (Some(incident), Attempt::Sent) = (incident, attempt) else {
                continue;
            };
            let told = sqlx::query(
                "UPDATE incidents SET status = 'notified', updated_at = $1 WHERE id = $2 AND status = 'new' \
                 RETURNING org_id",
            )
            .bind(at)
            .bind(incident.clone())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = told {
                let org = OrgId(row.try_get("org_id")?);
                record(
                    &mut tx,
                    &Actor(None),
                    Some(&org),
                    "incident.notified",
                    ("incident", &incident),
                    serde_json::json!({ "from": "new" }),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// An incident's deliveries, in the order they were written down.
    pub async fn notifications(&self, incident: &IncidentId) -> Result<Vec<Notification>> {
        sqlx::query("SELECT * FROM notifications WHERE incident_id = $1 ORDER BY id")
            .bind(incident.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Notification::from_row)
            .collect()
    }
}

/// Inserts notifications, many rows per statement; one whose key is taken stays as first
/// written.
async fn insert_notifications(
    tx: &mut Transaction<'_, Any>,
    notifications: &[NewNotification],
    at: i64,
) -> Result<()> {
    for chunk in notifications.chunks(50) {
        let rows = crate::value_rows(chunk.len(), 12);
        let sql = format!(
            "INSERT INTO notifications (id, incident_id, org_id, channel, recipient, idem_key, subject, body_text, \
             body_html, created_at, status, attempts) VALUES {rows} ON CONFLICT (idem_key) DO NOTHING"
        );
        let mut query = sqlx::query(&sql);
        for new in chunk {
            query = query
                .bind(new_id())
                .bind(new.incident_id.0.clone())
                .bind(new.org_id.0.clone())
                .bind(new.channel.clone())
                .bind(new.recipient.clone())
                .bind(new.idem_key.clone())
                .bind(new.subject.clone())
                .bind(new.body_text.clone())
                .bind(new.body_html.clone())
                .bind(at)
                .bind("pending")
                .bind(0_i64);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

//! Incidents: an organization's suspicious messages that share an actor, a sender, an
//! indicator or an attachment within a week, correlated into one thing to act on, with a
//! lifecycle (new → notified → acknowledged → resolved, or false positive).
//!
//! Correlation runs in the transaction that stores a message's result, so a message joins at
//! most one incident, once, however often it is delivered. Marking an incident a false positive
//! is remembered: later messages that share one of its keys open no incident.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::record;
use crate::{
    new_id, now, time, word, words, Account, AccountId, Actor, Backend, Error, IncidentId,
    MessageId, OrgId, Page, Result, Store, StoredMessage,
};

/// Messages join an open incident that shares a key and was last seen within this window.
pub const CORRELATION_WINDOW_SECS: i64 = 7 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    New,
    /// The organization was told.
    Notified,
    /// Someone at the organization (or an analyst) saw it.
    Acknowledged,
    Resolved,
    /// Not an attack after all.
    FalsePositive,
}

words!(IncidentStatus, "incident status", {
    New => "new", Notified => "notified", Acknowledged => "acknowledged",
    Resolved => "resolved", FalsePositive => "false_positive"
});

impl IncidentStatus {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            IncidentStatus::New | IncidentStatus::Notified | IncidentStatus::Acknowledged
        )
    }

    /// Whether an incident in this state may move to `next`: forward through the lifecycle, or
    /// to false positive while open. Resolved and false-positive incidents stay closed.
    pub fn may_become(self, next: IncidentStatus) -> bool {
        use IncidentStatus::*;
        matches!(
            (self, next),
            (New, Notified | Acknowledged | Resolved | FalsePositive)
                | (Notified, Acknowledged | Resolved | FalsePositive)
                | (Acknowledged, Resolved | FalsePositive)
        )
    }
}

/// The least severe incident told at once, without waiting for an analyst's approval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotifyAt {
    Critical,
    #[default]
    High,
    Medium,
    Low,
    /// Every incident waits for an analyst.
    Never,
}

words!(NotifyAt, "notification threshold", {
    Critical => "critical", High => "high", Medium => "medium", Low => "low", Never => "never"
});

/// The SQL rank of a severity (or threshold) column: higher is more severe; `never` is above
/// all.
fn rank_sql(column: &str) -> String {
    format!(
        "(CASE {column} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 \
         WHEN 'low' THEN 1 WHEN 'never' THEN 9 ELSE 0 END)"
    )
}

/// The PostgreSQL channel a stored message that opened an incident, or raised its severity, is
/// announced on.
const INCIDENTS_CHANNEL: &str = "forewarn_incidents";

/// The severities an incident can have, most severe first.
pub const SEVERITIES: [&str; 4] = ["critical", "high", "medium", "low"];

/// What a suspicious message's analysis proposes for correlation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentDraft {
    /// `credential-phishing`, `malicious-document`, `lookalike-domain`, …
    pub kind: String,
    /// `critical`, `high`, `medium` or `low`.
    pub severity: String,
    pub actor: Option<String>,
    pub title: String,
    /// What the incident is recognized by (`actor:…`, `sender:…`, `indicator:…`).
    pub keys: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Incident {
    pub id: IncidentId,
    pub org_id: OrgId,
    pub kind: String,
    pub severity: String,
    pub status: IncidentStatus,
    /// The actor the evidence points to, when it does.
    pub actor: Option<String>,
    pub title: String,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub message_count: i64,
    /// An analyst approved telling the organization, whatever the policy says.
    pub approved: bool,
    /// What the analyst added for the organization, sent with the notification.
    pub analyst_note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// An analyst's correction of an incident before it is told; absent fields stay.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentEdit {
    pub title: Option<String>,
    /// `critical`, `high`, `medium` or `low`.
    pub severity: Option<String>,
    pub kind: Option<String>,
    pub actor: Option<String>,
    pub analyst_note: Option<String>,
}

impl Incident {
    fn from_row(row: &AnyRow) -> Result<Incident> {
        Ok(Incident {
            id: IncidentId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            kind: row.try_get("kind")?,
            severity: row.try_get("severity")?,
            status: word(row, "status")?,
            actor: row.try_get("actor")?,
            title: row.try_get("title")?,
            first_seen: time(row, "first_seen")?,
            last_seen: time(row, "last_seen")?,
            message_count: row.try_get("message_count")?,
            approved: row.try_get::<i64, _>("approved")? != 0,
            analyst_note: row.try_get("analyst_note")?,
            updated_at: time(row, "updated_at")?,
        })
    }
}

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

/// Accounts named in one notification, at most.
pub const EVIDENCE_ACCOUNTS: usize = 100;

/// What a notification tells about an incident, read by [`Store::incident_evidence`].
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The incident's first message.
    pub first: Option<StoredMessage>,
    /// The accounts targeted, at most [`EVIDENCE_ACCOUNTS`].
    pub accounts: Vec<Account>,
}

/// Joins `message` to the organization's open incident that shares a key with `draft`, or
/// opens a new one. A message that shares a key with an incident the organization marked as a
/// false positive opens none: that sender or indicator was judged harmless for this
/// organization. Runs inside the transaction that stored the message.
pub(crate) async fn correlate(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    org: &OrgId,
    message: &MessageId,
    draft: &IncidentDraft,
) -> Result<Option<IncidentId>> {
    let at = now();
    if backend == Backend::Postgres {
        // One correlation per organization at a time, so two workers cannot open two
        // incidents for the same campaign. An advisory lock, not a row lock: the message just
        // inserted already holds a key-share lock on the organization's row (its foreign key),
        // and upgrading that in two workers at once would deadlock them.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(format!("forewarn-incidents:{}", org.0))
            .execute(&mut **tx)
            .await?;
    }
    // Keys beyond the first 64 are not stored, so they are not looked up either.
    let keys: Vec<String> = draft
        .keys
        .iter()
        .take(64)
        .map(|k| k.chars().take(500).collect())
        .collect();
    let in_keys = crate::placeholders(3, keys.len());
    let dismissed: Option<String> = if keys.is_empty() {
        None
    } else {
        let sql = format!(
            "SELECT i.id FROM incident_keys k JOIN incidents i ON i.id = k.incident_id \
             WHERE k.org_id = $1 AND i.status = $2 AND k.key IN ({in_keys}) LIMIT 1"
        );
        let mut query = sqlx::query_scalar(&sql)
            .bind(org.0.clone())
            .bind(IncidentStatus::FalsePositive.as_str());
        for key in &keys {
            query = query.bind(key.clone());
        }
        query.fetch_optional(&mut **tx).await?
    };
    if let Some(dismissed) = dismissed {
        tracing::info!(org = %org, incident = %dismissed, "a message matching a false positive opened no incident");
        return Ok(None);
    }
    let existing = if keys.is_empty() {
        None
    } else {
        let sql = format!(
            "SELECT i.* FROM incident_keys k JOIN incidents i ON i.id = k.incident_id \
             WHERE k.org_id = $1 AND i.status IN ('new', 'notified', 'acknowledged') AND i.last_seen >= $2 \
             AND k.key IN ({in_keys}) ORDER BY i.last_seen DESC LIMIT 1"
        );
        let mut query = sqlx::query(&sql)
            .bind(org.0.clone())
            .bind(at - CORRELATION_WINDOW_SECS);
        for key in &keys {
            query = query.bind(key.clone());
        }
        query
            .fetch_optional(&mut **tx)
            .await?
            .as_ref()
            .map(Incident::from_row)
            .transpose()?
    };
    // Whether a notifier has something new to look at: an incident to plan, or one whose
    // severity rose past what the policy held back.
    let mut announce = true;
    let id = match existing {
        Some(incident) => {
            let severity = if severity_rank(&draft.severity) > severity_rank(&incident.severity) {
                draft.severity.clone()
            } else {
                announce = false;
                incident.severity.clone()
            };
            sqlx::query(
                "UPDATE incidents SET severity = $1, actor = COALESCE(actor, $2), last_seen = $3, \
                 message_count = message_count + 1, updated_at = $3, \
                 held = CASE WHEN severity = $1 THEN held ELSE 0 END WHERE id = $4",
            )
            .bind(severity)
            .bind(draft.actor.clone())
            .bind(at)
            .bind(incident.id.0.clone())
            .execute(&mut **tx)
            .await?;
            incident.id
        }
        None => {
            let id = IncidentId(new_id());
            sqlx::query(
                "INSERT INTO incidents (id, org_id, kind, severity, status, actor, title, first_seen, last_seen, message_count, updated_at) \
                 VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $7, 1, $7)",
            )
            .bind(id.0.clone())
            .bind(org.0.clone())
            .bind(draft.kind.clone())
            .bind(draft.severity.clone())
            .bind(draft.actor.clone())
            .bind(draft.title.chars().take(300).collect::<String>())
            .bind(at)
            .execute(&mut **tx)
            .await?;
            id
        }
    };
    if !keys.is_empty() {
        let rows = (3..3 + keys.len())
            .map(|n| format!("($1, $2, ${n})"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO incident_keys (incident_id, org_id, key) VALUES {rows} ON CONFLICT DO NOTHING"
        );
        let mut query = sqlx::query(&sql).bind(id.0.clone()).bind(org.0.clone());
        for key in &keys {
            query = query.bind(key.clone());
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query("INSERT INTO incident_messages (incident_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id.0.clone())
        .bind(message.0.clone())
        .execute(&mut **tx)
        .await?;
    if announce && backend == Backend::Postgres {
        // Told to every listening notifier when the transaction commits, not before.
        sqlx::query(&format!("NOTIFY {INCIDENTS_CHANNEL}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(Some(id))
}

impl Store {
    /// Incidents, oldest first, page by page: of one organization, or (for staff) of all.
    pub async fn incidents(&self, org: Option<&OrgId>, page: &Page) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE ($1 = '' OR org_id = $1) AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(org.map(|o| o.0.clone()).unwrap_or_default())
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    /// An organization's incidents, newest first: the page before `before` (an incident id),
    /// or the newest when it is absent.
    pub async fn recent_incidents(
        &self,
        org: &OrgId,
        before: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE org_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(org.0.clone())
        .bind(before.unwrap_or("").to_owned())
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    /// Every organization's incidents, oldest first, only those in `status` when given.
    pub async fn incidents_in_state(
        &self,
        status: Option<IncidentStatus>,
        page: &Page,
    ) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE ($1 = '' OR status = $1) AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(status.map(|s| s.as_str().to_owned()).unwrap_or_default())
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    pub async fn find_incident_by_id(&self, id: &IncidentId) -> Result<Option<Incident>> {
        sqlx::query("SELECT * FROM incidents WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(Incident::from_row)
            .transpose()
    }

    /// The messages of an incident, by id.
    pub async fn incident_messages(&self, id: &IncidentId) -> Result<Vec<MessageId>> {
        Ok(sqlx::query_scalar(
            "SELECT message_id FROM incident_messages WHERE incident_id = $1 ORDER BY message_id",
        )
        .bind(id.0.clone())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(MessageId)
        .collect())
    }

    /// What the notifier tells about each of `incidents`, in their order: the first message
    /// and up to [`EVIDENCE_ACCOUNTS`] accounts targeted. A few statements for all of them,
    /// however many there are, instead of a few each.
    pub async fn incident_evidence(&self, incidents: &[Incident]) -> Result<Vec<Evidence>> {
        let mut firsts: HashMap<String, MessageId> = HashMap::new();
        let mut accounts: HashMap<String, Vec<Account>> = HashMap::new();
        for some in incidents.chunks(500) {
            let in_ids = crate::placeholders(1, some.len());
            let sql = format!(
                "SELECT incident_id, MIN(message_id) FROM incident_messages \
                 WHERE incident_id IN ({in_ids}) GROUP BY incident_id"
            );
            let mut query = sqlx::query_as::<_, (String, String)>(&sql);
            for incident in some {
                query = query.bind(incident.id.0.clone());
            }
            for (incident, message) in query.fetch_all(&self.pool).await? {
                firsts.insert(incident, MessageId(message));
            }
            let sql = format!(
                "SELECT t.incident_id AS targeted_in, a.* FROM accounts a JOIN \
                 (SELECT DISTINCT m.incident_id, ma.account_id FROM incident_messages m \
                  JOIN message_accounts ma ON ma.message_id = m.message_id WHERE m.incident_id IN ({in_ids})) t \
                 ON t.account_id = a.id ORDER BY t.incident_id, a.id"
            );
            let mut query = sqlx::query(&sql);
            for incident in some {
                query = query.bind(incident.id.0.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                let incident: String = row.try_get("targeted_in")?;
                let targeted = accounts.entry(incident).or_default();
                if targeted.len() < EVIDENCE_ACCOUNTS {
                    targeted.push(<Account as crate::Record>::from_row(&row)?);
                }
            }
        }
        let ids: Vec<&MessageId> = firsts.values().collect();
        let mut messages = self.messages_by_ids(&ids).await?;
        Ok(incidents
            .iter()
            .map(|incident| Evidence {
                // Only a message of the incident's own organization is ever told.
                first: firsts
                    .get(&incident.id.0)
                    .and_then(|id| messages.remove(id))
                    .filter(|message| message.org_id == incident.org_id),
                accounts: accounts
                    .remove(&incident.id.0)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|account| account.org_id == incident.org_id)
                    .collect(),
            })
            .collect())
    }

    /// Every account the incident's messages were addressed to.
    pub async fn incident_accounts(&self, id: &IncidentId) -> Result<Vec<AccountId>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT a.account_id FROM incident_messages m JOIN message_accounts a ON a.message_id = m.message_id \
             WHERE m.incident_id = $1 ORDER BY a.account_id",
        )
        .bind(id.0.clone())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AccountId)
        .collect())
    }

    /// Moves an incident along its lifecycle, audited. [`Error::State`] when the move is not
    /// allowed from where it is.
    pub async fn set_incident_status(
        &self,
        actor: &Actor,
        id: &IncidentId,
        status: IncidentStatus,
    ) -> Result<Option<Incident>> {
        self.move_incident(actor, id, status, &format!("incident.{}", status.as_str()))
            .await
    }

    /// An analyst's decision that a new incident is not worth telling: resolved, untold,
    /// recorded as dismissed. Later messages like it open new incidents (unlike a false
    /// positive).
    pub async fn dismiss_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
    ) -> Result<Option<Incident>> {
        if let Some(incident) = self.find_incident_by_id(id).await? {
            if incident.status != IncidentStatus::New {
                return Err(Error::State("only a new incident can be dismissed"));
            }
        }
        self.move_incident(actor, id, IncidentStatus::Resolved, "incident.dismissed")
            .await
    }

    async fn move_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
        status: IncidentStatus,
        action: &str,
    ) -> Result<Option<Incident>> {
        let Some(incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if incident.status == status {
            return Ok(Some(incident));
        }
        if !incident.status.may_become(status) {
            return Err(Error::State(
                "the incident is closed or already past that state",
            ));
        }
        let mut tx = self.writer.begin().await?;
        let moved = sqlx::query(
            "UPDATE incidents SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(status.as_str())
        .bind(now())
        .bind(id.0.clone())
        .bind(incident.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(Error::State("the incident changed meanwhile; try again"));
        }
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            action,
            ("incident", &id.0),
            serde_json::json!({ "from": incident.status.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }
}

impl Store {
    /// An analyst's approval to tell the organization about a new incident, whatever its
    /// severity and the policy; the notifier picks it up at once.
    pub async fn approve_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
    ) -> Result<Option<Incident>> {
        let Some(incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if incident.status != IncidentStatus::New {
            return Err(Error::State("only a new incident waits for approval"));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE incidents SET approved = 1, planned_at = NULL, held = 0, updated_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            "incident.approved",
            ("incident", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }

    /// An analyst's correction of an open incident. [`Error::State`] for a closed one; the
    /// caller checks the words (a known severity, lengths).
    pub async fn edit_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
        edit: &IncidentEdit,
    ) -> Result<Option<Incident>> {
        let Some(mut incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if !incident.status.is_open() {
            return Err(Error::State("a closed incident cannot be edited"));
        }
        if let Some(title) = &edit.title {
            incident.title = title.clone();
        }
        if let Some(severity) = &edit.severity {
            incident.severity = severity.clone();
        }
        if let Some(kind) = &edit.kind {
            incident.kind = kind.clone();
        }
        if let Some(actor_name) = &edit.actor {
            incident.actor = Some(actor_name.clone()).filter(|a| !a.is_empty());
        }
        if let Some(note) = &edit.analyst_note {
            incident.analyst_note = Some(note.clone()).filter(|n| !n.is_empty());
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE incidents SET title = $1, severity = $2, kind = $3, actor = $4, analyst_note = $5, \
             updated_at = $6, held = 0 WHERE id = $7",
        )
        .bind(incident.title.clone())
        .bind(incident.severity.clone())
        .bind(incident.kind.clone())
        .bind(incident.actor.clone())
        .bind(incident.analyst_note.clone())
        .bind(now())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?;
        let changed: Vec<&str> = [
            ("title", edit.title.is_some()),
            ("severity", edit.severity.is_some()),
            ("kind", edit.kind.is_some()),
            ("actor", edit.actor.is_some()),
            ("analyst_note", edit.analyst_note.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect();
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            "incident.edited",
            ("incident", &id.0),
            serde_json::json!({ "fields": changed }),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }
}

/// A notification about to be sent: who, over what, and the words, fixed at the first attempt.
#[derive(Clone, Debug)]
pub struct NewNotification {
    pub incident_id: IncidentId,
    pub org_id: OrgId,
    /// `email` (a security contact), `owner` (the owner of a targeted personal account) or
    /// `webhook`.
    pub channel: String,
    /// The contact, account or endpoint id, never an address.
    pub recipient: String,
    /// Stable across retries: the incident, channel and recipient.
    pub idem_key: String,
    pub subject: String,
    /// The text of an e-mail, or a webhook's JSON body.
    pub body_text: String,
    pub body_html: String,
}

/// One delivery of one incident to one recipient over one channel.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: String,
    pub incident_id: IncidentId,
    pub org_id: OrgId,
    pub channel: String,
    pub recipient: String,
    pub idem_key: String,
    pub subject: String,
    #[serde(skip)]
    pub body_text: String,
    #[serde(skip)]
    pub body_html: String,
    /// `pending` (not tried yet), `failed` (to be tried again at `next_attempt_at`), `sent`,
    /// or `abandoned` (it can never be delivered, or failed for a day and a half).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
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
    Sent,
    /// Failed; try again at this time (seconds since the epoch).
    Retry {
        error: String,
        at: i64,
    },
    /// It will never be delivered: the recipient is gone, or the retries ran out.
    Abandon {
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

/// Announcements, from any process sharing the PostgreSQL database, that a stored message
/// opened an incident or raised its severity: a notifier waits on these instead of polling.
pub struct IncidentSignals(sqlx::postgres::PgListener);

impl IncidentSignals {
    /// Waits for the next announcement. A lost connection is made again by itself; what was
    /// announced meanwhile is missed, so the caller still looks now and then on its own.
    pub async fn next(&mut self) -> Result<()> {
        self.0.recv().await?;
        Ok(())
    }
}

impl Store {
    /// Listens for [`IncidentSignals`]; `None` on SQLite, where only one process writes and
    /// it can tell its notifier itself.
    pub async fn incident_signals(&self) -> Result<Option<IncidentSignals>> {
        let Some(url) = &self.postgres_url else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect(&url.0)
            .await
            .map_err(Error::Connect)?;
        listener.listen(INCIDENTS_CHANNEL).await?;
        Ok(Some(IncidentSignals(listener)))
    }
}

//! Correlation: a suspicious message joins the organization's open incident that shares one of
//! its keys (an actor, a sender, an indicator, an attachment) within a week, or opens one.
//!
//! It runs in the transaction that stores a message's result, so a message joins at most one
//! incident, once, however often it is delivered. Marking an incident a false positive is
//! remembered: later messages that share one of its keys open no incident. On PostgreSQL each
//! incident opened or raised is announced to the notifiers of every process.

use sqlx::{Any, Transaction};

use crate::{
    new_id, now, Backend, Error, Incident, IncidentDraft, IncidentId, IncidentStatus, MessageId,
    OrgId, Result, Store,
};

/// Messages join an open incident that shares a key and was last seen within this window.
pub const CORRELATION_WINDOW_SECS: i64 = 7 * 24 * 3600;

/// The PostgreSQL channel a stored message that opened an incident, or raised its severity, is
/// announced on.
const INCIDENTS_CHANNEL: &str = "forewarn_incidents";

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
            let severity = if draft.severity > incident.severity {
                draft.severity
            } else {
                announce = false;
                incident.severity
            };
            sqlx::query(
                "UPDATE incidents SET severity = $1, actor = COALESCE(actor, $2), last_seen = $3, \
                 message_count = message_count + 1, updated_at = $3, \
                 held = CASE WHEN severity = $1 THEN held ELSE 0 END WHERE id = $4",
            )
            .bind(severity.as_str())
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
            .bind(draft.kind.as_str())
            .bind(draft.severity.as_str())
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

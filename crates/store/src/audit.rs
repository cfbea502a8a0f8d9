//! The audit log: one event for every change a person makes, written in the change's own
//! transaction. Events name objects by id and never carry personal addresses.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{new_id, now, time, Actor, OrgId, Page, Result, Store, UserId};

/// One change recorded in the audit log.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    /// The event's id.
    pub id: String,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made the change; absent for someone not signed in (an applicant, a person following
    /// a confirmation link).
    pub actor_id: Option<UserId>,
    /// The organization the change concerns; absent for operator-wide changes.
    pub org_id: Option<OrgId>,
    /// What was done, such as `organization.approved` or `account.revoked`.
    pub action: String,
    /// The kind of object changed (`organization`, `account`, `domain` …).
    pub object_kind: String,
    /// The id of the object changed.
    pub object_id: String,
    /// What the change was, as the action records it (never a message body or a personal address).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl AuditEvent {
    fn from_row(row: &AnyRow) -> Result<AuditEvent> {
        let detail: String = row.try_get("detail")?;
        Ok(AuditEvent {
            id: row.try_get("id")?,
            at: time(row, "at")?,
            actor_id: row.try_get::<Option<String>, _>("actor_id")?.map(UserId),
            org_id: row.try_get::<Option<String>, _>("org_id")?.map(OrgId),
            action: row.try_get("action")?,
            object_kind: row.try_get("object_kind")?,
            object_id: row.try_get("object_id")?,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
        })
    }
}

/// Writes one event inside the transaction that makes the change.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    org: Option<&OrgId>,
    action: &str,
    object: (&str, &str),
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor_id, org_id, action, object_kind, object_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now())
    .bind(actor.0.as_ref().map(|u| u.0.clone()))
    .bind(org.map(|o| o.0.clone()))
    .bind(action)
    .bind(object.0)
    .bind(object.1)
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The audit log, oldest first; only one organization's events when `org` is given.
    pub async fn audit_events(&self, org: Option<&OrgId>, page: &Page) -> Result<Vec<AuditEvent>> {
        let rows =
            match org {
                Some(org) => sqlx::query(
                    "SELECT * FROM audit_events WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(org.0.clone())
                .bind(page.after().to_owned())
                .bind(page.limit())
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query("SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2")
                        .bind(page.after().to_owned())
                        .bind(page.limit())
                        .fetch_all(&self.pool)
                        .await?
                }
            };
        rows.iter().map(AuditEvent::from_row).collect()
    }
}

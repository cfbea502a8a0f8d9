//! Webhook endpoints: where an organization's own systems want its incidents posted. Each has
//! its signing secret; a rotation keeps the previous one signing too for a while, so the
//! receiver can switch without losing a message.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{
    new_id, now, optional_time, time, word, words, Actor, Error, OrgId, Result, Store, WebhookId,
};

/// An organization may have this many endpoints.
const MAX_ENDPOINTS: i64 = 10;

/// Whether an endpoint receives incidents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointStatus {
    /// Receives every incident its organization is told of.
    Enabled,
    /// Turned off by its owner, or because it answered 410 Gone; nothing is posted to it.
    Disabled,
}

words!(EndpointStatus, "endpoint status", { Enabled => "enabled", Disabled => "disabled" });

/// An HTTPS endpoint an organization receives signed incident webhooks at (at most ten per organization).
#[derive(Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookEndpoint {
    /// The endpoint's id.
    pub id: WebhookId,
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// Where webhooks are posted.
    pub url: String,
    /// What its owner says it is for.
    pub description: String,
    /// Whether it receives incidents.
    pub status: EndpointStatus,
    /// Why it was turned off, when it was.
    pub disabled_reason: Option<String>,
    /// While a rotation lasts, until when the previous secret signs too.
    pub previous_until: Option<DateTime<Utc>>,
    /// `whsec_…`; shown only when it is made.
    #[serde(skip)]
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_until`; never sent over the API.
    #[serde(skip)]
    pub previous_secret: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("url", &self.url)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl WebhookEndpoint {
    fn from_row(row: &AnyRow) -> Result<WebhookEndpoint> {
        Ok(WebhookEndpoint {
            id: WebhookId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            url: row.try_get("url")?,
            description: row.try_get("description")?,
            status: word(row, "status")?,
            disabled_reason: row.try_get("disabled_reason")?,
            previous_until: optional_time(row, "previous_until")?,
            secret: row.try_get("secret")?,
            previous_secret: row.try_get("previous_secret")?,
            created_at: time(row, "created_at")?,
            updated_at: time(row, "updated_at")?,
        })
    }

    /// The secrets to sign with now: the current one, and the previous one while the
    /// rotation lasts.
    pub fn signing_secrets(&self, at: DateTime<Utc>) -> Vec<&str> {
        let mut secrets = vec![self.secret.as_str()];
        if let (Some(previous), Some(until)) = (&self.previous_secret, self.previous_until) {
            if at < until {
                secrets.push(previous);
            }
        }
        secrets
    }
}

impl Store {
    /// Adds an endpoint, enabled. [`Error::State`] when the organization has its ten already.
    pub async fn insert_webhook(
        &self,
        actor: &Actor,
        org: &OrgId,
        url: &str,
        description: &str,
        secret: &str,
    ) -> Result<WebhookEndpoint> {
        let id = WebhookId(new_id());
        let at = now();
        let mut tx = self.writer.begin().await?;
        // One statement, so SQLite takes the write lock at once rather than upgrading a read.
        let inserted = sqlx::query(
            "INSERT INTO webhook_endpoints (id, org_id, url, description, secret, status, created_at, updated_at) \
             SELECT $1, $2, $3, $4, $5, 'enabled', $6, $6 \
             WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE org_id = $2) < $7",
        )
        .bind(id.0.clone())
        .bind(org.0.clone())
        .bind(url.to_owned())
        .bind(description.to_owned())
        .bind(secret.to_owned())
        .bind(at)
        .bind(MAX_ENDPOINTS)
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "organization"))?
        .rows_affected();
        if inserted == 0 {
            return Err(Error::State(
                "the organization has as many webhook endpoints as it may have",
            ));
        }
        record(
            &mut tx,
            actor,
            Some(org),
            "webhook.created",
            ("webhook", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.find_webhook(&id)
            .await?
            .ok_or(Error::Dangling("webhook"))
    }

    /// The endpoint with this id, if any.
    pub async fn find_webhook(&self, id: &WebhookId) -> Result<Option<WebhookEndpoint>> {
        sqlx::query("SELECT * FROM webhook_endpoints WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(WebhookEndpoint::from_row)
            .transpose()
    }

    /// The organization's endpoints, oldest first.
    pub async fn webhooks(&self, org: &OrgId) -> Result<Vec<WebhookEndpoint>> {
        sqlx::query("SELECT * FROM webhook_endpoints WHERE org_id = $1 ORDER BY id")
            .bind(org.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(WebhookEndpoint::from_row)
            .collect()
    }

    /// Makes `secret` the endpoint's secret; the one it replaces keeps signing for
    /// `overlap_secs`.
    pub async fn rotate_webhook_secret(
        &self,
        actor: &Actor,
        id: &WebhookId,
        secret: &str,
        overlap_secs: i64,
    ) -> Result<Option<WebhookEndpoint>> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        let org: Option<String> = sqlx::query_scalar(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = $1, secret = $2, \
             updated_at = $3 WHERE id = $4 RETURNING org_id",
        )
        .bind(at + overlap_secs)
        .bind(secret.to_owned())
        .bind(at)
        .bind(id.0.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(org) = org else {
            return Ok(None);
        };
        record(
            &mut tx,
            actor,
            Some(&OrgId(org)),
            "webhook.rotated",
            ("webhook", &id.0),
            serde_json::json!({ "previous_valid_secs": overlap_secs }),
        )
        .await?;
        tx.commit().await?;
        self.find_webhook(id).await
    }

    /// Enables or disables an endpoint, with the reason it was disabled.
    pub async fn set_webhook_status(
        &self,
        actor: &Actor,
        id: &WebhookId,
        status: EndpointStatus,
        reason: Option<&str>,
    ) -> Result<Option<WebhookEndpoint>> {
        let mut tx = self.writer.begin().await?;
        let org: Option<String> = sqlx::query_scalar(
            "UPDATE webhook_endpoints SET status = $1, disabled_reason = $2, updated_at = $3 \
             WHERE id = $4 RETURNING org_id",
        )
        .bind(status.as_str())
        .bind(reason.map(str::to_owned))
        .bind(now())
        .bind(id.0.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(org) = org else {
            return Ok(None);
        };
        record(
            &mut tx,
            actor,
            Some(&OrgId(org)),
            &format!("webhook.{}", status.as_str()),
            ("webhook", &id.0),
            serde_json::json!({ "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        self.find_webhook(id).await
    }

    /// Removes an endpoint; `false` when there was none.
    pub async fn delete_webhook(&self, actor: &Actor, id: &WebhookId) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let org: Option<String> =
            sqlx::query_scalar("DELETE FROM webhook_endpoints WHERE id = $1 RETURNING org_id")
                .bind(id.0.clone())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(org) = org else {
            return Ok(false);
        };
        record(
            &mut tx,
            actor,
            Some(&OrgId(org)),
            "webhook.deleted",
            ("webhook", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

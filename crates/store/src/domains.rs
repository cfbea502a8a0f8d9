//! Mail domains an organization claims, and their verification.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::Record;
use crate::{
    new_id, now, optional_time, random_hex, time, word, words, Actor, DomainId, Error, OrgId,
    Result, Store,
};

/// Whether an organization has proved it holds a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DomainStatus {
    /// Added, not yet proved.
    Pending,
    /// Proved by DNS or by the postmaster; mail on it is watched.
    Verified,
    /// Proved once, then not again when checked later: mail on it is refused until it is
    /// verified again.
    Lapsed,
}

words!(DomainStatus, "domain status", { Pending => "pending", Verified => "verified", Lapsed => "lapsed" });

/// How a domain was proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// A TXT record holding the domain's token.
    Dns,
    /// A confirmation link mailed to the domain's postmaster.
    Email,
}

words!(VerificationMethod, "verification method", { Dns => "dns", Email => "email" });

/// A mail domain an organization has added.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Domain {
    /// The domain's id.
    pub id: DomainId,
    /// The organization that added it.
    pub org_id: OrgId,
    /// The domain name.
    pub name: String,
    /// Whether it is proved yet.
    pub status: DomainStatus,
    /// The value to publish in a TXT record to prove control of the domain.
    pub token: String,
    /// How it was proved, once it is.
    pub method: Option<VerificationMethod>,
    /// When it was proved.
    pub verified_at: Option<DateTime<Utc>>,
    /// When it was last found still proved (or last taken up for checking).
    pub checked_at: Option<DateTime<Utc>>,
    /// When its postmaster was last mailed a link to prove it again, if that is pending.
    pub recheck_requested_at: Option<DateTime<Utc>>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

impl Record for Domain {
    const TABLE: &'static str = "domains";

    fn from_row(row: &AnyRow) -> Result<Domain> {
        let method: Option<String> = row.try_get("method")?;
        Ok(Domain {
            id: DomainId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            name: row.try_get("name")?,
            status: word(row, "status")?,
            token: row.try_get("token")?,
            method: method.map(|m| m.parse()).transpose()?,
            verified_at: optional_time(row, "verified_at")?,
            checked_at: optional_time(row, "checked_at")?,
            recheck_requested_at: optional_time(row, "recheck_requested_at")?,
            created_at: time(row, "created_at")?,
        })
    }
}

impl Store {
    /// Adds a pending domain with a fresh verification token for `org`.
    pub async fn insert_domain(&self, actor: &Actor, org: &OrgId, name: &str) -> Result<Domain> {
        let id = DomainId(new_id());
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO domains (id, org_id, name, token, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)")
            .bind(id.0.clone())
            .bind(org.0.clone())
            .bind(name.to_owned())
            .bind(random_hex(16))
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::from_sqlx(e, "this domain"))?;
        record(
            &mut tx,
            actor,
            Some(org),
            "domain.added",
            ("domain", &id.0),
            serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        self.written(&id.0).await
    }

    /// The domain with this id, if any.
    pub async fn find_domain_by_id(&self, id: &DomainId) -> Result<Option<Domain>> {
        self.find_record(&id.0).await
    }

    /// An organization's domains, in the order they were added.
    pub async fn domains(&self, org: &OrgId) -> Result<Vec<Domain>> {
        sqlx::query("SELECT * FROM domains WHERE org_id = $1 ORDER BY id")
            .bind(org.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Domain::from_row)
            .collect()
    }

    /// Whether `name` is one of the organization's verified domains.
    pub async fn is_verified_domain(&self, org: &OrgId, name: &str) -> Result<bool> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM domains WHERE org_id = $1 AND name = $2 AND status = 'verified'",
        )
        .bind(org.0.clone())
        .bind(name.to_owned())
        .fetch_one(&self.pool)
        .await?;
        Ok(count > 0)
    }

    /// Whether an organization other than `org` has verified `name`.
    pub async fn is_verified_elsewhere(&self, org: &OrgId, name: &str) -> Result<bool> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM domains WHERE org_id <> $1 AND name = $2 AND status = 'verified'",
        )
        .bind(org.0.clone())
        .bind(name.to_owned())
        .fetch_one(&self.pool)
        .await?;
        Ok(count > 0)
    }

    /// Marks a domain verified. Fails with [`Error::Conflict`] when another organization has
    /// already verified the same name.
    pub async fn mark_domain_verified(
        &self,
        actor: &Actor,
        id: &DomainId,
        method: VerificationMethod,
    ) -> Result<Option<Domain>> {
        let Some(domain) = self.find_domain_by_id(id).await? else {
            return Ok(None);
        };
        if domain.status == DomainStatus::Verified {
            // Proved again (a postmaster link mailed when it was checked).
            sqlx::query(
                "UPDATE domains SET checked_at = $2, recheck_requested_at = NULL WHERE id = $1",
            )
            .bind(id.0.clone())
            .bind(now())
            .execute(&self.writer)
            .await?;
            return self.find_domain_by_id(id).await;
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE domains SET status = 'verified', method = $2, verified_at = $3, checked_at = $3, \
             recheck_requested_at = NULL WHERE id = $1",
        )
        .bind(id.0.clone())
        .bind(method.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            Error::from_sqlx(e, "a verified domain of this name in another organization")
        })?;
        record(
            &mut tx,
            actor,
            Some(&domain.org_id),
            "domain.verified",
            ("domain", &id.0),
            serde_json::json!({ "name": domain.name, "method": method.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.find_domain_by_id(id).await
    }

    /// Removes a domain; false when there is none with that id.
    pub async fn delete_domain(&self, actor: &Actor, id: &DomainId) -> Result<bool> {
        let Some(domain) = self.find_domain_by_id(id).await? else {
            return Ok(false);
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM domains WHERE id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Some(&domain.org_id),
            "domain.removed",
            ("domain", &id.0),
            serde_json::json!({ "name": domain.name }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Takes up to `limit` verified or lapsed domains last checked before `due` for checking
    /// now. Each is claimed by moving its `checked_at` to `retry_at` (which must be after
    /// `due`), so that another process does not take it too and a check that cannot finish
    /// (DNS down) is tried again once `retry_at` is due.
    pub async fn claim_domains_to_check(
        &self,
        due: DateTime<Utc>,
        retry_at: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Domain>> {
        let candidates: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM domains WHERE status IN ('verified', 'lapsed') \
             AND (checked_at IS NULL OR checked_at < $1) ORDER BY checked_at, id LIMIT $2",
        )
        .bind(due.timestamp())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for id in candidates {
            let taken = sqlx::query(
                "UPDATE domains SET checked_at = $2 WHERE id = $1 AND (checked_at IS NULL OR checked_at < $3)",
            )
            .bind(id.clone())
            .bind(retry_at.timestamp())
            .bind(due.timestamp())
            .execute(&self.writer)
            .await?
            .rows_affected();
            if taken == 1 {
                if let Some(domain) = self.find_domain_by_id(&DomainId(id)).await? {
                    claimed.push(domain);
                }
            }
        }
        Ok(claimed)
    }

    /// Records that a domain was found still proved; a lapsed one is verified again.
    pub async fn mark_domain_checked(&self, id: &DomainId) -> Result<Option<Domain>> {
        let Some(domain) = self.find_domain_by_id(id).await? else {
            return Ok(None);
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE domains SET status = 'verified', checked_at = $2, recheck_requested_at = NULL WHERE id = $1",
        )
        .bind(id.0.clone())
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "a verified domain of this name in another organization"))?;
        if domain.status == DomainStatus::Lapsed {
            record(
                &mut tx,
                &Actor(None),
                Some(&domain.org_id),
                "domain.verified",
                ("domain", &id.0),
                serde_json::json!({ "name": domain.name, "again": true }),
            )
            .await?;
        }
        tx.commit().await?;
        self.find_domain_by_id(id).await
    }

    /// Records that the domain's postmaster was mailed a link to prove it again.
    pub async fn mark_domain_recheck_requested(&self, id: &DomainId) -> Result<()> {
        sqlx::query("UPDATE domains SET recheck_requested_at = $2 WHERE id = $1")
            .bind(id.0.clone())
            .bind(now())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// A verified domain could not be proved again: mail on it is refused from now on, until
    /// it is verified again. `reason` is recorded in the audit log.
    pub async fn lapse_domain(&self, id: &DomainId, reason: &str) -> Result<Option<Domain>> {
        let Some(domain) = self.find_domain_by_id(id).await? else {
            return Ok(None);
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE domains SET status = 'lapsed', recheck_requested_at = NULL WHERE id = $1 AND status = 'verified'")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            &Actor(None),
            Some(&domain.org_id),
            "domain.lapsed",
            ("domain", &id.0),
            serde_json::json!({ "name": domain.name, "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        self.find_domain_by_id(id).await
    }
}

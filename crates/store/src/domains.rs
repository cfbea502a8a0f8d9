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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DomainStatus {
    Pending,
    Verified,
}

words!(DomainStatus, "domain status", { Pending => "pending", Verified => "verified" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// A TXT record holding the domain's token.
    Dns,
    /// A confirmation link mailed to the domain's postmaster.
    Email,
}

words!(VerificationMethod, "verification method", { Dns => "dns", Email => "email" });

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Domain {
    pub id: DomainId,
    pub org_id: OrgId,
    pub name: String,
    pub status: DomainStatus,
    /// The value to publish in a TXT record to prove control of the domain.
    pub token: String,
    pub method: Option<VerificationMethod>,
    pub verified_at: Option<DateTime<Utc>>,
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
            created_at: time(row, "created_at")?,
        })
    }
}

impl Store {
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

    pub async fn find_domain_by_id(&self, id: &DomainId) -> Result<Option<Domain>> {
        self.find_record(&id.0).await
    }

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
            return Ok(Some(domain));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE domains SET status = 'verified', method = $2, verified_at = $3 WHERE id = $1",
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
}

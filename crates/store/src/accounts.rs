//! Mailboxes people opted in: enterprise ones on a verified domain, and personal ones after a
//! double opt-in with recorded consent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::Record;
use crate::{
    new_id, now, optional_time, time, word, words, AccountId, Actor, Error, OrgId, Page, Result,
    Store, UserId,
};

/// Whose mailbox an account watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A mailbox on one of the organization's verified domains.
    Enterprise,
    /// A person's own mailbox elsewhere, watched only with their confirmed consent.
    Personal,
}

words!(AccountKind, "account kind", { Enterprise => "enterprise", Personal => "personal" });

/// Where an account is in its life: pending, watched, or revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Waiting for the confirmation link to be followed.
    Pending,
    /// Watched: confirmed by the organization, or for a personal mailbox by its owner.
    Confirmed,
    /// Consent withdrawn or the person left: the address is erased.
    Revoked,
}

words!(AccountStatus, "account status", { Pending => "pending", Confirmed => "confirmed", Revoked => "revoked" });

/// A mailbox forewarn watches for an organization, and the person it belongs to.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// The account's id.
    pub id: AccountId,
    /// The organization the account belongs to.
    pub org_id: OrgId,
    /// The person whose mailbox it is.
    pub user_id: UserId,
    /// An organization's mailbox or a person's own.
    pub kind: AccountKind,
    /// Absent once revoked (the address is erased), and, for a personal mailbox, to everyone
    /// but its owner.
    pub address: Option<String>,
    /// Whether mail to it is watched.
    pub status: AccountStatus,
    /// The version of the terms the person consented to.
    pub terms_version: Option<String>,
    /// When the person consented (personal mailboxes only).
    pub consented_at: Option<DateTime<Utc>>,
    /// When the account was revoked and its address erased.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the account was added.
    pub created_at: DateTime<Utc>,
}

impl Record for Account {
    const TABLE: &'static str = "accounts";

    fn from_row(row: &AnyRow) -> Result<Account> {
        Ok(Account {
            id: AccountId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            user_id: UserId(row.try_get("user_id")?),
            kind: word(row, "kind")?,
            address: crate::seal::open_optional(row.try_get("address")?)?,
            status: word(row, "status")?,
            terms_version: row.try_get("terms_version")?,
            consented_at: optional_time(row, "consented_at")?,
            revoked_at: optional_time(row, "revoked_at")?,
            created_at: time(row, "created_at")?,
        })
    }
}

impl Store {
    /// Adds a mailbox. Enterprise mailboxes are confirmed at once (the domain is the
    /// organization's); personal ones wait for the person to confirm.
    pub async fn insert_account(
        &self,
        actor: &Actor,
        org: &OrgId,
        user: &UserId,
        kind: AccountKind,
        address: &str,
        terms_version: Option<&str>,
    ) -> Result<Account> {
        let id = AccountId(new_id());
        let at = now();
        let (status, consented_at) = match kind {
            AccountKind::Enterprise => (AccountStatus::Confirmed, None),
            AccountKind::Personal => (AccountStatus::Pending, None::<i64>),
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO accounts (id, org_id, user_id, kind, address, status, terms_version, consented_at, created_at, address_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.0.clone())
        .bind(org.0.clone())
        .bind(user.0.clone())
        .bind(kind.as_str())
        .bind(crate::seal::seal(self.keys(), address))
        .bind(status.as_str())
        .bind(terms_version.map(str::to_owned))
        .bind(consented_at)
        .bind(at)
        .bind(crate::seal::index(self.keys(), address))
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "person"))?;
        record(
            &mut tx,
            actor,
            Some(org),
            "account.added",
            ("account", &id.0),
            serde_json::json!({ "kind": kind.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.written(&id.0).await
    }

    /// The account with this id, if any.
    pub async fn find_account_by_id(&self, id: &AccountId) -> Result<Option<Account>> {
        self.find_record(&id.0).await
    }

    /// An organization's accounts, or only one person's when `user` is given.
    pub async fn accounts(
        &self,
        org: &OrgId,
        user: Option<&UserId>,
        page: &Page,
    ) -> Result<Vec<Account>> {
        let rows = match user {
            Some(user) => {
                sqlx::query("SELECT * FROM accounts WHERE org_id = $1 AND user_id = $2 AND id > $3 ORDER BY id LIMIT $4")
                    .bind(org.0.clone())
                    .bind(user.0.clone())
                    .bind(page.after().to_owned())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM accounts WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3")
                    .bind(org.0.clone())
                    .bind(page.after().to_owned())
                    .bind(page.limit())
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(Account::from_row).collect()
    }

    /// The person followed the confirmation link: their consent is recorded now.
    pub async fn confirm_account(&self, id: &AccountId) -> Result<Option<Account>> {
        let Some(account) = self.find_account_by_id(id).await? else {
            return Ok(None);
        };
        if account.status != AccountStatus::Pending {
            return Err(Error::State("the account is not waiting for confirmation"));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE accounts SET status = 'confirmed', consented_at = $2 WHERE id = $1 AND status = 'pending'")
            .bind(id.0.clone())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            &Actor(Some(account.user_id.clone())),
            Some(&account.org_id),
            "account.consented",
            ("account", &id.0),
            serde_json::json!({ "terms_version": account.terms_version }),
        )
        .await?;
        tx.commit().await?;
        self.find_account_by_id(id).await
    }

    /// Withdraws consent: the account stops being watched and its address is erased. The
    /// consent record (when, which terms, when withdrawn) stays.
    pub async fn revoke_account(&self, actor: &Actor, id: &AccountId) -> Result<Option<Account>> {
        let Some(account) = self.find_account_by_id(id).await? else {
            return Ok(None);
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE accounts SET address = NULL, address_index = NULL, status = 'revoked', revoked_at = COALESCE(revoked_at, $2) WHERE id = $1")
            .bind(id.0.clone())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM confirmations WHERE object_id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Some(&account.org_id),
            "account.revoked",
            ("account", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.find_account_by_id(id).await
    }
}

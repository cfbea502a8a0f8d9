//! The people who use forewarn: the operator's staff and the members of organizations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::record;
use crate::Record;
use crate::{new_id, now, time, word, words, Actor, Error, OrgId, Page, Result, Store, UserId};

/// What a person may do in forewarn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the instance: programs, approvals, everything.
    Operator,
    /// Reads intel and triages across organizations.
    Analyst,
    /// Manages one organization: domains, members, contacts.
    OrgAdmin,
    /// A person in one organization, with their own accounts.
    Member,
}

words!(Role, "role", { Operator => "operator", Analyst => "analyst", OrgAdmin => "org_admin", Member => "member" });

impl Role {
    /// Whether the role belongs to one organization (and sees only it).
    pub fn is_tenant(self) -> bool {
        matches!(self, Role::OrgAdmin | Role::Member)
    }
}

/// Where a person is in their membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Asked to join; has not set a password yet.
    Invited,
    /// Signs in and receives mail.
    Active,
    /// Left: name, address, credentials and personal accounts are erased.
    Left,
}

words!(UserStatus, "user status", { Invited => "invited", Active => "active", Left => "left" });

/// A person who signs in: the operator's staff or someone in a member organization.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    /// The person's id.
    pub id: UserId,
    /// The organization they belong to; absent for the operator's staff.
    pub org_id: Option<OrgId>,
    /// What they may do.
    pub role: Role,
    /// Their name; erased once they have left.
    pub name: String,
    /// Absent once the person has left.
    pub email: Option<String>,
    /// Where they are in their membership.
    pub status: UserStatus,
    /// When they were added.
    pub created_at: DateTime<Utc>,
    /// Their password was chosen by someone else (the first operator's one-time password):
    /// until they choose their own, they may do nothing but that.
    pub password_change_due: bool,
}

impl Record for User {
    const TABLE: &'static str = "users";

    fn from_row(row: &AnyRow) -> Result<User> {
        Ok(User {
            id: UserId(row.try_get("id")?),
            org_id: row.try_get::<Option<String>, _>("org_id")?.map(OrgId),
            role: word(row, "role")?,
            name: crate::seal::open(row.try_get("name")?)?,
            email: crate::seal::open_optional(row.try_get("email")?)?,
            status: word(row, "status")?,
            created_at: time(row, "created_at")?,
            password_change_due: row.try_get::<i64, _>("password_change_due")? != 0,
        })
    }
}

/// A person to add.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The organization they join; absent for the operator's staff.
    pub org_id: Option<OrgId>,
    /// What they may do.
    pub role: Role,
    /// Their name.
    pub name: String,
    /// Their sign-in address.
    pub email: String,
    /// Set for staff created with a password (the first operator), who must replace it at
    /// first sign-in; others are invited and choose their own.
    pub password_hash: Option<String>,
}

impl Store {
    /// Adds a person and records who added them; `Error::Conflict` when the address is taken.
    pub async fn insert_user(&self, actor: &Actor, new: &NewUser) -> Result<User> {
        let id = UserId(new_id());
        let status = if new.password_hash.is_some() {
            UserStatus::Active
        } else {
            UserStatus::Invited
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, org_id, role, name, email, password_hash, status, created_at, password_change_due, email_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.0.clone())
        .bind(new.org_id.as_ref().map(|o| o.0.clone()))
        .bind(new.role.as_str())
        .bind(crate::seal::seal(self.keys(), &new.name))
        .bind(crate::seal::seal(self.keys(), &new.email))
        .bind(new.password_hash.clone())
        .bind(status.as_str())
        .bind(now())
        // A password given at creation was chosen by someone else: its owner replaces it first.
        .bind(i64::from(new.password_hash.is_some()))
        .bind(crate::seal::index(self.keys(), &new.email))
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "a person with this address"))?;
        record(
            &mut tx,
            actor,
            new.org_id.as_ref(),
            "user.invited",
            ("user", &id.0),
            serde_json::json!({ "role": new.role.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.written(&id.0).await
    }

    /// The person with this id, if any.
    pub async fn find_user_by_id(&self, id: &UserId) -> Result<Option<User>> {
        self.find_record(&id.0).await
    }

    /// The active user with this address and their password hash, for signing in.
    pub async fn find_credentials_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let Some(row) = sqlx::query("SELECT * FROM users WHERE email_index = $1 AND status = 'active' AND password_hash IS NOT NULL")
            .bind(crate::seal::index(self.keys(), email))
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((User::from_row(&row)?, row.try_get("password_hash")?)))
    }

    /// How many people hold `role` and have not left (on first start: whether there is an operator yet).
    pub async fn count_users_with_role(&self, role: Role) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1 AND status <> 'left'")
                .bind(role.as_str())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The operator's staff: operators and analysts.
    pub async fn staff(&self, page: &Page) -> Result<Vec<User>> {
        sqlx::query("SELECT * FROM users WHERE org_id IS NULL AND id > $1 ORDER BY id LIMIT $2")
            .bind(page.after().to_owned())
            .bind(page.limit())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(User::from_row)
            .collect()
    }

    /// One page of an organization's people, by id.
    pub async fn users_of_org(&self, org: &OrgId, page: &Page) -> Result<Vec<User>> {
        sqlx::query("SELECT * FROM users WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3")
            .bind(org.0.clone())
            .bind(page.after().to_owned())
            .bind(page.limit())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(User::from_row)
            .collect()
    }

    /// Sets an invited person's password and makes them active; `false` when the person is not
    /// waiting for an invitation.
    pub async fn accept_invitation(&self, id: &UserId, password_hash: &str) -> Result<bool> {
        let Some(user) = self.find_user_by_id(id).await? else {
            return Ok(false);
        };
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query("UPDATE users SET password_hash = $2, status = 'active' WHERE id = $1 AND status = 'invited'")
            .bind(id.0.clone())
            .bind(password_hash.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        record(
            &mut tx,
            &Actor(Some(id.clone())),
            user.org_id.as_ref(),
            "user.joined",
            ("user", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records in the audit log that someone gave a wrong password for `user` (the address
    /// tried is not recorded; attempts are rate-limited before they get here).
    pub async fn record_failed_sign_in(&self, user: &User) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        record(
            &mut tx,
            &Actor(None),
            user.org_id.as_ref(),
            "user.sign_in_failed",
            ("user", &user.id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password and ends everything the old one opened: the person's sessions and
    /// API tokens, so a stolen session cannot leave behind a token that outlives the change.
    pub async fn set_password(&self, id: &UserId, password_hash: &str) -> Result<bool> {
        let Some(user) = self.find_user_by_id(id).await? else {
            return Ok(false);
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $2, password_change_due = 0 WHERE id = $1")
            .bind(id.0.clone())
            .bind(password_hash.to_owned())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        let tokens = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        record(
            &mut tx,
            &Actor(Some(id.clone())),
            user.org_id.as_ref(),
            "user.password_changed",
            ("user", &id.0),
            serde_json::json!({ "api_tokens_revoked": tokens }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A person leaves: their name, address and credentials are erased, their personal
    /// accounts revoked and the addresses erased. The id stays, so the audit log still reads.
    pub async fn erase_user(&self, actor: &Actor, id: &UserId) -> Result<bool> {
        let Some(user) = self.find_user_by_id(id).await? else {
            return Ok(false);
        };
        if user.status == UserStatus::Left {
            return Ok(true);
        }
        let mut tx = self.writer.begin().await?;
        erase_user(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            user.org_id.as_ref(),
            "user.erased",
            ("user", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

pub(crate) async fn erase_user(tx: &mut Transaction<'_, Any>, id: &UserId) -> Result<()> {
    let at = now();
    sqlx::query("UPDATE users SET name = '', email = NULL, email_index = NULL, password_hash = NULL, status = 'left' WHERE id = $1")
        .bind(id.0.clone())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE accounts SET address = NULL, address_index = NULL, status = 'revoked', revoked_at = COALESCE(revoked_at, $2) WHERE user_id = $1",
    )
    .bind(id.0.clone())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    for table in ["api_tokens", "sessions", "second_factors", "recovery_codes"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(id.0.clone())
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM confirmations WHERE object_id = $1 OR object_id IN (SELECT id FROM accounts WHERE user_id = $1)")
        .bind(id.0.clone())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

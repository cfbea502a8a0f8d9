//! API tokens, web sessions and one-time confirmation links. Only hashes of their secrets are
//! stored: API tokens as argon2 hashes, sessions and confirmations (long random secrets, looked
//! up by value) as SHA-256 digests, which the caller computes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{
    new_id, now, optional_time, time, word, words, Actor, Error, OrgId, Result, Store, TokenId,
    User, UserId,
};

/// A named API token; the secret itself is shown once and only its hash is kept.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    /// The token's id, which is also part of the token.
    pub id: TokenId,
    /// The person the token acts as.
    pub user_id: UserId,
    /// The name its owner gave it.
    pub name: String,
    /// When the token was made.
    pub created_at: DateTime<Utc>,
    /// When the token was last used, if ever.
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    fn from_row(row: &AnyRow) -> Result<ApiToken> {
        Ok(ApiToken {
            id: TokenId(row.try_get("id")?),
            user_id: UserId(row.try_get("user_id")?),
            name: row.try_get("name")?,
            created_at: time(row, "created_at")?,
            last_used_at: optional_time(row, "last_used_at")?,
        })
    }
}

/// A signed-in browser session; it is found by the digest of its secret.
#[derive(Clone, Debug)]
pub struct Session {
    /// The person signed in.
    pub user_id: UserId,
    /// The token the session's requests that change something must carry.
    pub csrf: String,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
    /// Whether the person gave their second factor in this session (or had none to give
    /// when it started).
    pub second_factor_passed: bool,
}

/// What a mailed confirmation link confirms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationKind {
    /// A person confirms a personal account (double opt-in).
    Account,
    /// A domain's postmaster confirms the domain.
    Domain,
    /// An invited person sets their password.
    Invitation,
}

words!(ConfirmationKind, "confirmation kind", { Account => "account", Domain => "domain", Invitation => "invitation" });

/// A confirmation link's target, read when the link is followed.
#[derive(Clone, Debug)]
pub struct Confirmation {
    /// What the link confirms.
    pub kind: ConfirmationKind,
    /// The id of the account, domain or user it confirms.
    pub object_id: String,
    /// Absent for the operator's staff.
    pub org_id: Option<OrgId>,
}

impl Store {
    /// Keeps a new API token for `user` under the Argon2 `hash` of its secret.
    pub async fn insert_api_token(&self, user: &User, name: &str, hash: &str) -> Result<ApiToken> {
        let id = TokenId(new_id());
        self.insert_api_token_with_id(user, &id, name, hash).await
    }

    /// Like [`Store::insert_api_token`], with an id the caller chose (it is part of the token
    /// the caller hands out).
    pub async fn insert_api_token_with_id(
        &self,
        user: &User,
        id: &TokenId,
        name: &str,
        hash: &str,
    ) -> Result<ApiToken> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id.0.clone())
            .bind(user.id.0.clone())
            .bind(name.to_owned())
            .bind(hash.to_owned())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::from_sqlx(e, "token"))?;
        record(
            &mut tx,
            &Actor(Some(user.id.clone())),
            user.org_id.as_ref(),
            "token.created",
            ("token", &id.0),
            serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        self.api_tokens(&user.id)
            .await?
            .into_iter()
            .find(|t| &t.id == id)
            .ok_or(Error::State("the token vanished after it was written"))
    }

    /// The API tokens `user` has made, oldest first.
    pub async fn api_tokens(&self, user: &UserId) -> Result<Vec<ApiToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY id")
            .bind(user.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(ApiToken::from_row)
            .collect()
    }

    /// The token's argon2 hash and its owner, if the owner is active.
    pub async fn find_api_token(&self, id: &TokenId) -> Result<Option<(String, User)>> {
        let Some(row) = sqlx::query("SELECT hash, user_id FROM api_tokens WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let user = UserId(row.try_get("user_id")?);
        let hash: String = row.try_get("hash")?;
        let user = self.find_user_by_id(&user).await?;
        Ok(user
            .filter(|u| u.status == crate::UserStatus::Active)
            .map(|u| (hash, u)))
    }

    /// Records that the token was just used.
    pub async fn touch_api_token(&self, id: &TokenId) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id.0.clone())
            .bind(now())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Deletes one of `user`'s API tokens; false when `user` has none with that id.
    pub async fn delete_api_token(&self, user: &User, id: &TokenId) -> Result<bool> {
        self.delete_owned(
            user,
            "api_tokens",
            &id.0,
            "token.deleted",
            ("token", &id.0),
            serde_json::json!({}),
        )
        .await
    }

    /// Deletes the row `id` of `table` if it belongs to `user`, and records `action` in the
    /// same transaction; false when `user` has no such row.
    pub(crate) async fn delete_owned(
        &self,
        user: &User,
        table: &'static str,
        id: &str,
        action: &str,
        object: (&str, &str),
        details: serde_json::Value,
    ) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let deleted = sqlx::query(&format!(
            "DELETE FROM {table} WHERE id = $1 AND user_id = $2"
        ))
        .bind(id.to_owned())
        .bind(user.id.0.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if deleted == 0 {
            return Ok(false);
        }
        record(
            &mut tx,
            &Actor(Some(user.id.clone())),
            user.org_id.as_ref(),
            action,
            object,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Starts a web session whose secret hashes to `digest`; `second_factor_passed` is false
    /// when the person still has to give a second factor.
    pub async fn insert_session(
        &self,
        digest: &str,
        user: &UserId,
        csrf: &str,
        lifetime: chrono::Duration,
        second_factor_passed: bool,
    ) -> Result<()> {
        let at = now();
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(at)
            .execute(&self.writer)
            .await?;
        sqlx::query("INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, second_factor_passed) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(digest.to_owned())
            .bind(user.0.clone())
            .bind(csrf.to_owned())
            .bind(at)
            .bind(at + lifetime.num_seconds())
            .bind(i64::from(second_factor_passed))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The live session whose secret hashes to `digest`, with its active user.
    pub async fn find_session(&self, digest: &str) -> Result<Option<(Session, User)>> {
        let Some(row) = sqlx::query("SELECT * FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(digest.to_owned())
            .bind(now())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let session = Session {
            user_id: UserId(row.try_get("user_id")?),
            csrf: row.try_get("csrf")?,
            expires_at: time(&row, "expires_at")?,
            second_factor_passed: row.try_get::<i64, _>("second_factor_passed")? != 0,
        };
        Ok(self
            .find_user_by_id(&session.user_id)
            .await?
            .filter(|u| u.status == crate::UserStatus::Active)
            .map(|u| (session, u)))
    }

    /// Ends the session whose secret has this digest (signing out).
    pub async fn delete_session(&self, digest: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(digest.to_owned())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Stores a one-time confirmation whose secret hashes to `digest`.
    pub async fn insert_confirmation(
        &self,
        digest: &str,
        kind: ConfirmationKind,
        object_id: &str,
        org: Option<&OrgId>,
        lifetime: chrono::Duration,
    ) -> Result<()> {
        let at = now();
        sqlx::query("DELETE FROM confirmations WHERE expires_at < $1")
            .bind(at)
            .execute(&self.writer)
            .await?;
        sqlx::query("INSERT INTO confirmations (id, kind, object_id, org_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(digest.to_owned())
            .bind(kind.as_str())
            .bind(object_id.to_owned())
            .bind(org.map(|o| o.0.clone()))
            .bind(at)
            .bind(at + lifetime.num_seconds())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Uses up the confirmation of `kind` whose secret hashes to `digest`: it is returned once,
    /// if it has not expired, and then no more. One of another kind is left alone.
    /// The confirmation behind a link, if it is still valid, without using it up: for the page
    /// that asks for the click.
    pub async fn find_confirmation(&self, digest: &str) -> Result<Option<Confirmation>> {
        let Some(row) = sqlx::query(
            "SELECT kind, object_id, org_id, expires_at FROM confirmations WHERE id = $1",
        )
        .bind(digest.to_owned())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        unexpired(&row)
    }

    /// Reads and deletes a confirmation of `kind` by its secret's digest, so a link works once; none when it is unknown or expired.
    pub async fn take_confirmation(
        &self,
        digest: &str,
        kind: ConfirmationKind,
    ) -> Result<Option<Confirmation>> {
        let Some(row) = sqlx::query(
            "DELETE FROM confirmations WHERE id = $1 AND kind = $2 RETURNING kind, object_id, org_id, expires_at",
        )
        .bind(digest.to_owned())
        .bind(kind.as_str())
        .fetch_optional(&self.writer)
        .await?
        else {
            return Ok(None);
        };
        unexpired(&row)
    }
}

/// A confirmation row, unless its link has expired.
fn unexpired(row: &AnyRow) -> Result<Option<Confirmation>> {
    if time(row, "expires_at")? < Utc::now() {
        return Ok(None);
    }
    Ok(Some(Confirmation {
        kind: word(row, "kind")?,
        object_id: row.try_get("object_id")?,
        org_id: row.try_get::<Option<String>, _>("org_id")?.map(OrgId),
    }))
}

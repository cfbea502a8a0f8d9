//! Second factors for signing in: passkeys (a WebAuthn credential's public key and signature
//! counter) and authenticator apps (a TOTP secret and the last time step used, so a code works
//! once), and one-time recovery codes kept as SHA-256 digests. Checking a proof is the
//! server's work; the store keeps what it needs and makes each use count once, atomically.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{
    new_id, now, optional_time, time, word, words, Actor, Result, Role, Store, User, UserId,
};

/// What kind of second factor it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// A WebAuthn credential: a security key, or a passkey kept by a phone or computer.
    Passkey,
    /// An authenticator app's six-digit codes (TOTP, RFC 6238).
    Totp,
}

words!(FactorKind, "second factor kind", { Passkey => "passkey", Totp => "totp" });

/// A second factor as its owner sees it; the key or secret behind it is never shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SecondFactor {
    /// The factor's id.
    pub id: String,
    /// Passkey or authenticator app.
    pub kind: FactorKind,
    /// The name its owner gave it ("office key", "phone").
    pub label: String,
    /// False for an authenticator app whose first code has not been entered yet: it does not
    /// count until then.
    pub confirmed: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was last used to sign in, if ever.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A second factor with what checking a proof needs: a passkey's credential id, public key
/// and signature counter, or an app's secret and the last time step used.
#[derive(Clone, Debug)]
pub struct FactorSecret {
    /// The factor as its owner sees it.
    pub factor: SecondFactor,
    /// A passkey's credential id (base64url); none for an app.
    pub credential_id: Option<String>,
    /// A passkey's public key (SEC1, hex), or an app's shared secret (base32).
    pub secret: String,
    /// A passkey's signature counter, or the last TOTP time step accepted.
    pub counter: i64,
}

impl FactorSecret {
    fn from_row(row: &AnyRow) -> Result<FactorSecret> {
        Ok(FactorSecret {
            factor: SecondFactor {
                id: row.try_get("id")?,
                kind: word(row, "kind")?,
                label: row.try_get("label")?,
                confirmed: row.try_get::<i64, _>("confirmed")? != 0,
                created_at: time(row, "created_at")?,
                last_used_at: optional_time(row, "last_used_at")?,
            },
            credential_id: row.try_get("credential_id")?,
            secret: row.try_get("secret")?,
            counter: row.try_get("counter")?,
        })
    }
}

/// Whether a person has a second factor and whether they must have one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FactorStanding {
    /// They have at least one confirmed second factor.
    pub enrolled: bool,
    /// Their role or their organization's program requires one.
    pub required: bool,
}

impl Store {
    /// A person's second factors, oldest first, with what checking a proof needs.
    pub async fn factor_secrets(&self, user: &UserId) -> Result<Vec<FactorSecret>> {
        sqlx::query("SELECT * FROM second_factors WHERE user_id = $1 ORDER BY id")
            .bind(user.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(FactorSecret::from_row)
            .collect()
    }

    /// A person's second factors, oldest first.
    pub async fn second_factors(&self, user: &UserId) -> Result<Vec<SecondFactor>> {
        Ok(self
            .factor_secrets(user)
            .await?
            .into_iter()
            .map(|f| f.factor)
            .collect())
    }

    /// Whether `user` has a confirmed second factor, and whether their role or their
    /// organization's program requires one.
    pub async fn factor_standing(&self, user: &User) -> Result<FactorStanding> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM second_factors WHERE user_id = $1 AND confirmed = 1) AS enrolled, \
                    (SELECT COALESCE(MAX(p.second_factor_required), 0) FROM organizations o \
                       JOIN programs p ON p.id = o.program_id WHERE o.id = $2) AS required",
        )
        .bind(user.id.0.clone())
        .bind(user.org_id.as_ref().map_or_else(String::new, |o| o.0.clone()))
        .fetch_one(&self.pool)
        .await?;
        let staff = matches!(user.role, Role::Operator | Role::Analyst);
        Ok(FactorStanding {
            enrolled: row.try_get::<i64, _>("enrolled")? > 0,
            required: staff || row.try_get::<i64, _>("required")? != 0,
        })
    }

    /// Adds a passkey whose registration the server has checked; it counts at once.
    pub async fn insert_passkey(
        &self,
        user: &User,
        label: &str,
        credential_id: &str,
        public_key: &str,
        counter: i64,
    ) -> Result<SecondFactor> {
        self.insert_factor(
            user,
            FactorKind::Passkey,
            label,
            Some(credential_id),
            public_key,
            counter,
            true,
        )
        .await
    }

    /// Adds an authenticator app's shared secret, unconfirmed until a first code is entered
    /// ([`Store::confirm_totp`]).
    pub async fn insert_totp(
        &self,
        user: &User,
        label: &str,
        secret: &str,
    ) -> Result<SecondFactor> {
        // An app set up and never confirmed is of no use; a new set-up replaces it.
        sqlx::query(
            "DELETE FROM second_factors WHERE user_id = $1 AND kind = 'totp' AND confirmed = 0",
        )
        .bind(user.id.0.clone())
        .execute(&self.writer)
        .await?;
        self.insert_factor(user, FactorKind::Totp, label, None, secret, 0, false)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_factor(
        &self,
        user: &User,
        kind: FactorKind,
        label: &str,
        credential_id: Option<&str>,
        secret: &str,
        counter: i64,
        confirmed: bool,
    ) -> Result<SecondFactor> {
        let id = new_id();
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO second_factors (id, user_id, kind, label, credential_id, secret, counter, confirmed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.clone())
        .bind(user.id.0.clone())
        .bind(kind.as_str())
        .bind(label.to_owned())
        .bind(credential_id.map(str::to_owned))
        .bind(secret.to_owned())
        .bind(counter)
        .bind(i64::from(confirmed))
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::Error::from_sqlx(e, "this passkey"))?;
        if confirmed {
            record_added(&mut tx, user, &id, kind).await?;
        }
        tx.commit().await?;
        self.find_factor(&user.id, &id).await
    }

    async fn find_factor(&self, user: &UserId, id: &str) -> Result<SecondFactor> {
        self.second_factors(user)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(crate::Error::State(
                "the second factor vanished after it was written",
            ))
    }

    /// Confirms an authenticator app with the time step of the first code entered; false when
    /// `user` has no such unconfirmed app.
    pub async fn confirm_totp(&self, user: &User, id: &str, step: i64) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let confirmed = sqlx::query(
            "UPDATE second_factors SET confirmed = 1, counter = $3, last_used_at = $4 \
             WHERE id = $1 AND user_id = $2 AND kind = 'totp' AND confirmed = 0",
        )
        .bind(id.to_owned())
        .bind(user.id.0.clone())
        .bind(step)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if confirmed == 0 {
            return Ok(false);
        }
        record_added(&mut tx, user, id, FactorKind::Totp).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a use of a factor with its new counter (a passkey's signature counter, an
    /// app's time step). Only a counter above the stored one is taken, so a code or a
    /// signature replayed, or a cloned authenticator, is refused: false then.
    pub async fn use_factor(&self, id: &str, counter: i64) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE second_factors SET counter = $2, last_used_at = $3 \
             WHERE id = $1 AND confirmed = 1 AND (counter < $2 OR (kind = 'passkey' AND $2 = 0 AND counter = 0))",
        )
        .bind(id.to_owned())
        .bind(counter)
        .bind(now())
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(updated > 0)
    }

    /// Removes one of `user`'s second factors; false when they have none with that id.
    pub async fn delete_second_factor(&self, user: &User, id: &str) -> Result<bool> {
        self.delete_owned(
            user,
            "second_factors",
            id,
            "user.second_factor_removed",
            ("user", &user.id.0),
            serde_json::json!({ "factor": id }),
        )
        .await
    }

    /// Replaces `user`'s recovery codes with new ones, given as SHA-256 digests.
    pub async fn replace_recovery_codes(&self, user: &User, digests: &[String]) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.id.0.clone())
            .execute(&mut *tx)
            .await?;
        for digest in digests {
            sqlx::query("INSERT INTO recovery_codes (user_id, digest) VALUES ($1, $2)")
                .bind(user.id.0.clone())
                .bind(digest.clone())
                .execute(&mut *tx)
                .await?;
        }
        record(
            &mut tx,
            &Actor(Some(user.id.clone())),
            user.org_id.as_ref(),
            "user.recovery_codes_made",
            ("user", &user.id.0),
            serde_json::json!({ "codes": digests.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses up the recovery code of `user` with this digest: true once, then never again.
    pub async fn use_recovery_code(&self, user: &User, digest: &str) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let used = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND digest = $2")
            .bind(user.id.0.clone())
            .bind(digest.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used == 0 {
            return Ok(false);
        }
        record(
            &mut tx,
            &Actor(Some(user.id.clone())),
            user.org_id.as_ref(),
            "user.recovery_code_used",
            ("user", &user.id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// How many unused recovery codes `user` has.
    pub async fn recovery_codes_left(&self, user: &UserId) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS left_over FROM recovery_codes WHERE user_id = $1")
                .bind(user.0.clone())
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("left_over")?)
    }

    /// Marks the session whose secret hashes to `digest` as having passed its second factor.
    pub async fn pass_second_factor(&self, digest: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET second_factor_passed = 1, challenge = NULL WHERE id = $1")
            .bind(digest.to_owned())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Keeps the challenge a passkey must sign next in this session, replacing any earlier one.
    pub async fn set_session_challenge(&self, digest: &str, challenge: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET challenge = $2 WHERE id = $1")
            .bind(digest.to_owned())
            .bind(challenge.to_owned())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Takes the session's challenge: it is returned once, so a signature over it counts once,
    /// however many requests race for it.
    pub async fn take_session_challenge(&self, digest: &str) -> Result<Option<String>> {
        let found = sqlx::query("SELECT challenge FROM sessions WHERE id = $1")
            .bind(digest.to_owned())
            .fetch_optional(&self.writer)
            .await?;
        let Some(challenge) = found
            .map(|row| row.try_get::<Option<String>, _>("challenge"))
            .transpose()?
            .flatten()
        else {
            return Ok(None);
        };
        let taken =
            sqlx::query("UPDATE sessions SET challenge = NULL WHERE id = $1 AND challenge = $2")
                .bind(digest.to_owned())
                .bind(challenge.clone())
                .execute(&self.writer)
                .await?
                .rows_affected();
        Ok((taken == 1).then_some(challenge))
    }
}

async fn record_added(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: &User,
    id: &str,
    kind: FactorKind,
) -> Result<()> {
    record(
        tx,
        &Actor(Some(user.id.clone())),
        user.org_id.as_ref(),
        "user.second_factor_added",
        ("user", &user.id.0),
        serde_json::json!({ "factor": id, "kind": kind.as_str() }),
    )
    .await
}

//! The mail forewarn sends because someone asked (a confirmation link, an invitation, a
//! postmaster's verification mail, a test notification), held to a budget per organization
//! and per destination, and the suppression list: destinations that bounced or complained and
//! get no more mail. A destination is kept only as the SHA-256 of its lower-case address.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{now, time, Actor, OrgId, Page, Result, Store};

/// How much requested mail one organization and one destination may cause.
#[derive(Clone, Copy, Debug)]
pub struct MailBudget {
    /// Messages one organization may cause in an hour.
    pub per_org_per_hour: u32,
    /// Messages one address may receive in a day, whoever asks.
    pub per_destination_per_day: u32,
}

/// Whether a requested message may go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailPermit {
    /// Counted; send it.
    Granted,
    /// The address bounced or complained: nothing more is sent to it.
    Suppressed,
    /// The organization has caused its hour's budget; the seconds until one frees.
    OrgSpent(u64),
    /// The address has received its day's budget; the seconds until one frees.
    DestinationSpent(u64),
}

/// A destination on the suppression list.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Suppression {
    /// SHA-256 of the lower-case address, in hex: the address itself is not kept.
    pub destination: String,
    /// Why it was added (the relay's refusal, or the operator's note).
    pub reason: String,
    /// When it was added.
    pub added_at: DateTime<Utc>,
}

/// How a destination is kept: the SHA-256 of the trimmed, lower-case address, in hex.
pub fn destination(address: &str) -> String {
    Sha256::digest(address.trim().to_lowercase().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

impl Store {
    /// Counts one requested message to `address` caused by `org` (none for the operator's own
    /// staff) when the suppression list and the budget let it go.
    pub async fn reserve_mail(
        &self,
        org: Option<&OrgId>,
        address: &str,
        purpose: &str,
        budget: MailBudget,
    ) -> Result<MailPermit> {
        let destination = destination(address);
        let at = now();
        let mut tx = self.writer.begin().await?;
        let suppressed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM suppressions WHERE destination = $1")
                .bind(destination.clone())
                .fetch_one(&mut *tx)
                .await?;
        if suppressed > 0 {
            return Ok(MailPermit::Suppressed);
        }
        // The oldest send inside the window frees its place when it leaves the window.
        let spent = |count: i64, oldest: Option<i64>, window: i64| {
            (count, oldest.map_or(1, |o| (o + window - at).max(1) as u64))
        };
        if let Some(org) = org {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n, MIN(sent_at) AS oldest FROM mail_sent WHERE org_id = $1 AND sent_at > $2",
            )
            .bind(org.0.clone())
            .bind(at - HOUR)
            .fetch_one(&mut *tx)
            .await?;
            let (count, wait) = spent(row.try_get("n")?, row.try_get("oldest")?, HOUR);
            if count >= i64::from(budget.per_org_per_hour) {
                return Ok(MailPermit::OrgSpent(wait));
            }
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(sent_at) AS oldest FROM mail_sent WHERE destination = $1 AND sent_at > $2",
        )
        .bind(destination.clone())
        .bind(at - DAY)
        .fetch_one(&mut *tx)
        .await?;
        let (count, wait) = spent(row.try_get("n")?, row.try_get("oldest")?, DAY);
        if count >= i64::from(budget.per_destination_per_day) {
            return Ok(MailPermit::DestinationSpent(wait));
        }
        sqlx::query("DELETE FROM mail_sent WHERE sent_at <= $1")
            .bind(at - DAY)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO mail_sent (org_id, destination, purpose, sent_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(org.map(|o| o.0.clone()))
        .bind(destination)
        .bind(purpose.to_owned())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(MailPermit::Granted)
    }

    /// Whether `address` is on the suppression list.
    pub async fn is_suppressed(&self, address: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suppressions WHERE destination = $1")
            .bind(destination(address))
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Puts `address` on the suppression list (again: the reason is replaced), recorded in the
    /// audit log without the address.
    pub async fn suppress(
        &self,
        actor: &Actor,
        address: &str,
        reason: &str,
    ) -> Result<Suppression> {
        let destination = destination(address);
        // A relay's refusal often quotes the address: it is not kept here either.
        let reason = redact(reason, address.trim());
        let reason: String = reason.chars().take(500).collect();
        let at = now();
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO suppressions (destination, reason, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (destination) DO UPDATE SET reason = $2, added_at = $3",
        )
        .bind(destination.clone())
        .bind(reason.clone())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            None,
            "suppression.added",
            ("suppression", &destination),
            serde_json::json!({ "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        Ok(Suppression {
            destination,
            reason,
            added_at: DateTime::from_timestamp(at, 0).unwrap_or_default(),
        })
    }

    /// Takes a destination (its digest) off the suppression list; false when it was not on it.
    pub async fn unsuppress(&self, actor: &Actor, destination: &str) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let removed = sqlx::query("DELETE FROM suppressions WHERE destination = $1")
            .bind(destination.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed > 0 {
            record(
                &mut tx,
                actor,
                None,
                "suppression.removed",
                ("suppression", destination),
                serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed > 0)
    }

    /// One page of the suppression list, by destination.
    pub async fn suppressions(&self, page: &Page) -> Result<Vec<Suppression>> {
        sqlx::query(
            "SELECT * FROM suppressions WHERE destination > $1 ORDER BY destination LIMIT $2",
        )
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(suppression)
        .collect()
    }
}

/// `text` with every occurrence of `address` (in any case) replaced by "<address>".
fn redact(text: &str, address: &str) -> String {
    if address.is_empty() {
        return text.to_owned();
    }
    let lower = text.to_lowercase();
    let needle = address.to_lowercase();
    // Lower-casing may change lengths outside ASCII; then the text is kept only if it does
    // not contain the address at all.
    if lower.len() != text.len() {
        return if lower.contains(&needle) {
            "(the reason named the address and was not kept)".to_owned()
        } else {
            text.to_owned()
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find(&needle) {
        out.push_str(&text[at..at + found]);
        out.push_str("<address>");
        at += found + needle.len();
    }
    out.push_str(&text[at..]);
    out
}

fn suppression(row: &AnyRow) -> Result<Suppression> {
    Ok(Suppression {
        destination: row.try_get("destination")?,
        reason: row.try_get("reason")?,
        added_at: time(row, "added_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_never_keeps_the_address() {
        assert_eq!(
            redact(
                "550 5.1.1 <Gone@Clinic.example>: no such user (gone@clinic.example)",
                "gone@clinic.example"
            ),
            "550 5.1.1 <<address>>: no such user (<address>)"
        );
        assert_eq!(
            redact("mailbox full", "gone@clinic.example"),
            "mailbox full"
        );
        assert!(!redact("İ gone@clinic.example", "gone@clinic.example").contains("gone@"));
    }
}

//! Ingestion's state: the spool of accepted messages waiting for analysis, the dead-letter list,
//! the analysed messages with the accounts they targeted, and IMAP read positions.
//!
//! The spool table is the embedded default's queue: a worker leases the oldest entry, and the
//! lease runs out if the worker dies, so another takes it. The result is written, and the entry
//! removed, in one transaction. Beyond one machine the spool is a NATS JetStream stream instead
//! and only the results and dead letters are kept here; the same idempotency rule (one result
//! per organization and raw-message digest) makes a second delivery harmless.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, Connection, Row};

use crate::{
    new_id, now, optional_time, time, AccountId, Backend, DeadLetterId, Error, MessageId, OrgId,
    Page, Result, SpoolId, Store,
};

/// Where a message came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The SMTP journaling listener.
    Smtp,
    /// An IMAP mailbox forewarn polls.
    Imap,
    /// `POST /api/v1/messages`.
    Upload,
    /// `forewarn ingest` (files, directories, mbox, Maildir).
    File,
}

crate::words!(Source, "message source", { Smtp => "smtp", Imap => "imap", Upload => "upload", File => "file" });

/// What travels with a raw message through the spool: where it came from and which of the
/// organization's accounts it was addressed to. Addresses themselves are not carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// How the message reached forewarn.
    pub source: Source,
    /// The organization's watched accounts it was addressed to.
    pub accounts: Vec<AccountId>,
    /// When the source accepted the message, in milliseconds since the Unix epoch.
    pub accepted_ms: i64,
}

impl Envelope {
    /// An envelope for a message accepted now.
    pub fn new(source: Source, accounts: Vec<AccountId>) -> Envelope {
        Envelope {
            source,
            accounts,
            accepted_ms: Utc::now().timestamp_millis(),
        }
    }

    fn received_at(&self) -> i64 {
        self.accepted_ms.div_euclid(1000)
    }
}

/// A message for the spool, addressed to one organization.
#[derive(Clone, Debug)]
pub struct NewSpoolEntry {
    /// The organization the message was addressed to.
    pub org_id: OrgId,
    /// SHA-256 of `raw`, in hex: with the organization, the message's identity.
    pub digest: String,
    /// Where it came from and whom it was for.
    pub envelope: Envelope,
    /// The message as received.
    pub raw: Vec<u8>,
}

/// A leased spool entry.
#[derive(Clone, Debug)]
pub struct SpoolEntry {
    /// The entry's id, to finish or fail it by.
    pub id: SpoolId,
    /// The organization the message was addressed to.
    pub org_id: OrgId,
    /// SHA-256 of `raw`, in hex.
    pub digest: String,
    /// Where it came from and whom it was for.
    pub envelope: Envelope,
    /// The message as received.
    pub raw: Vec<u8>,
    /// Leases taken so far, this one included.
    pub attempts: i64,
}

/// Where a recipient address leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// The organization the address belongs to.
    pub org_id: OrgId,
    /// The confirmed account with this address, when there is one; mail to other addresses on
    /// a verified domain belongs to the organization without an account.
    pub account_id: Option<AccountId>,
}

/// What analysis found in one message, ready to be stored.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The message's own Message-ID header.
    pub header_message_id: Option<String>,
    /// The From address.
    pub sender: Option<String>,
    /// The Subject header.
    pub subject: Option<String>,
    /// clean, suspicious or malicious.
    pub verdict: String,
    /// The detectors' score, 0 to 100.
    pub score: u8,
    /// The findings as JSON, each with its cue, severity and evidence.
    pub findings: serde_json::Value,
    /// The raw message and until when (Unix seconds) to keep it, when the operator set a
    /// retention window.
    pub keep_raw_until: Option<i64>,
    /// For a suspicious or malicious message: how it joins or opens an incident.
    pub incident: Option<crate::IncidentDraft>,
}

/// An analysed message as stored: facts and findings, no body.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StoredMessage {
    /// The message's id.
    pub id: MessageId,
    /// The organization it was addressed to.
    pub org_id: OrgId,
    /// SHA-256 of the raw message.
    pub digest: String,
    /// How it reached forewarn.
    pub source: Source,
    /// When forewarn accepted it.
    pub received_at: DateTime<Utc>,
    /// When its verdict was stored.
    pub analysed_at: DateTime<Utc>,
    /// Milliseconds from acceptance to the stored verdict.
    pub delay_ms: i64,
    /// The message's own Message-ID header.
    pub header_message_id: Option<String>,
    /// The From address.
    pub sender: Option<String>,
    /// The Subject header.
    pub subject: Option<String>,
    /// clean, suspicious or malicious.
    pub verdict: String,
    /// The detectors' score, 0 to 100.
    pub score: i64,
    /// The findings, each with its cue, severity and evidence.
    #[schema(value_type = Object)]
    pub findings: serde_json::Value,
    /// The organization's accounts the message was addressed to.
    pub accounts: Vec<AccountId>,
    /// Whether the raw message is still kept (inside the retention window).
    pub raw_kept: bool,
}

/// A message that could not be analysed, with the reason.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeadLetter {
    /// The dead letter's id.
    pub id: DeadLetterId,
    /// The organization the message was addressed to.
    pub org_id: OrgId,
    /// SHA-256 of the raw message.
    pub digest: String,
    /// How it reached forewarn.
    pub source: Source,
    /// Why the last attempt to analyse it failed.
    pub reason: String,
    /// Attempts made before giving up.
    pub attempts: i64,
    /// Bytes in the raw message.
    pub size: i64,
    /// When forewarn accepted it.
    pub received_at: DateTime<Utc>,
    /// When it was given up on.
    pub failed_at: DateTime<Utc>,
    /// Where it came from and whom it was for, to retry it with.
    #[serde(skip)]
    pub envelope: Option<Envelope>,
    /// The message as received, to retry it with; never sent over the API.
    #[serde(skip)]
    pub raw: Vec<u8>,
}

fn envelope(row: &AnyRow) -> Result<Envelope> {
    let text: String = row.try_get("envelope")?;
    serde_json::from_str(&text).map_err(|e| Error::Corrupt("envelope", e.to_string()))
}

fn envelope_json(envelope: &Envelope) -> String {
    serde_json::to_string(envelope).expect("an envelope serializes")
}

impl SpoolEntry {
    fn from_row(row: &AnyRow) -> Result<SpoolEntry> {
        Ok(SpoolEntry {
            id: SpoolId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            digest: row.try_get("digest")?,
            envelope: envelope(row)?,
            raw: row.try_get("raw")?,
            attempts: row.try_get("attempts")?,
        })
    }
}

impl DeadLetter {
    fn from_row(row: &AnyRow, with_raw: bool) -> Result<DeadLetter> {
        let envelope = envelope(row)?;
        let raw: Vec<u8> = if with_raw {
            row.try_get("raw")?
        } else {
            Vec::new()
        };
        Ok(DeadLetter {
            id: DeadLetterId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            digest: row.try_get("digest")?,
            source: envelope.source,
            reason: row.try_get("reason")?,
            attempts: row.try_get("attempts")?,
            size: row.try_get("size")?,
            received_at: time(row, "received_at")?,
            failed_at: time(row, "failed_at")?,
            envelope: Some(envelope),
            raw,
        })
    }
}

/// Message columns, without the raw message.
const MESSAGE_COLUMNS: &str =
    "id, org_id, digest, source, received_at, analysed_at, delay_ms, message_id, sender, subject, \
     verdict, score, findings, raw_until";

/// Dead-letter columns, with the raw message's length instead of the message.
const DEAD_LETTER_COLUMNS: &str =
    "id, org_id, digest, envelope, reason, attempts, received_at, failed_at, LENGTH(raw) AS size";

impl Store {
    /// Where mail to `address` belongs: a confirmed account with that address in an active
    /// organization, or else an active organization that verified the address's domain.
    pub async fn find_recipient(&self, address: &str) -> Result<Option<Recipient>> {
        let address = address.trim().to_lowercase();
        let domain = address.rsplit_once('@').map_or("", |(_, d)| d).to_owned();
        // Not for a mailbox on a domain of the organization's whose proof has lapsed.
        let account = sqlx::query(
            "SELECT a.id, a.org_id FROM accounts a JOIN organizations o ON o.id = a.org_id \
             WHERE a.address_index = $1 AND a.status = 'confirmed' AND o.status = 'active' \
             AND NOT EXISTS (SELECT 1 FROM domains d WHERE d.org_id = a.org_id AND d.name = $2 AND d.status = 'lapsed') \
             ORDER BY a.id LIMIT 1",
        )
        .bind(crate::seal::index(self.keys(), &address))
        .bind(domain)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = account {
            return Ok(Some(Recipient {
                org_id: OrgId(row.try_get("org_id")?),
                account_id: Some(AccountId(row.try_get("id")?)),
            }));
        }
        let Some((_, domain)) = address.rsplit_once('@') else {
            return Ok(None);
        };
        let org: Option<String> = sqlx::query_scalar(
            "SELECT d.org_id FROM domains d JOIN organizations o ON o.id = d.org_id \
             WHERE d.name = $1 AND d.status = 'verified' AND o.status = 'active'",
        )
        .bind(domain.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        Ok(org.map(|org| Recipient {
            org_id: OrgId(org),
            account_id: None,
        }))
    }

    /// The organization's confirmed accounts among `addresses`.
    pub async fn accounts_with_addresses(
        &self,
        org: &OrgId,
        addresses: &[String],
    ) -> Result<Vec<AccountId>> {
        // One query for all of them: this runs for every message taken in.
        if addresses.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id FROM accounts WHERE org_id = $1 AND status = 'confirmed' AND address_index IN ({}) ORDER BY id",
            crate::placeholders(2, addresses.len())
        );
        let mut query = sqlx::query_scalar(&sql).bind(org.0.clone());
        for address in addresses {
            query = query.bind(crate::seal::index(self.keys(), address));
        }
        let ids: Vec<String> = query.fetch_all(&self.pool).await?;
        Ok(ids.into_iter().map(AccountId).collect())
    }

    /// The verified domains of an organization, by name.
    pub async fn verified_domain_names(&self, org: &OrgId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name FROM domains WHERE org_id = $1 AND status = 'verified' ORDER BY name",
        )
        .bind(org.0.clone())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Writes entries to the spool in one transaction: when this returns, all of them are on
    /// disk, or none is.
    pub async fn spool_insert(&self, entries: &[NewSpoolEntry]) -> Result<Vec<SpoolId>> {
        let mut tx = self.writer.begin().await?;
        let mut ids = Vec::with_capacity(entries.len());
        for entry in entries {
            let id = SpoolId(new_id());
            sqlx::query(
                "INSERT INTO spool (id, org_id, digest, envelope, raw, received_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.0.clone())
            .bind(entry.org_id.0.clone())
            .bind(entry.digest.clone())
            .bind(envelope_json(&entry.envelope))
            .bind(entry.raw.clone())
            .bind(entry.envelope.received_at())
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::from_sqlx(e, "spool entry"))?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Leases the oldest spool entry nobody holds for `lease_secs` seconds, or `None` when
    /// there is none. A worker that dies lets its lease run out, and the entry comes back.
    pub async fn spool_claim(&self, lease_secs: i64) -> Result<Option<SpoolEntry>> {
        Ok(self.spool_claim_many(lease_secs, 1).await?.pop())
    }

    /// Leases up to `most` of the oldest entries nobody holds, oldest first, in one statement:
    /// for workers that are all waiting, so each still holds one message at a time and a
    /// crash counts an attempt against only the messages being analysed.
    pub async fn spool_claim_many(&self, lease_secs: i64, most: usize) -> Result<Vec<SpoolEntry>> {
        let now = now();
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE spool SET lease_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM spool WHERE lease_until <= $2 ORDER BY id LIMIT $3{lock}) \
             AND lease_until <= $2 RETURNING *"
        );
        // A lease lost to a power cut only means the entry is handed out again, with one
        // attempt fewer counted; a crash of the process loses nothing.
        let rows = self
            .unsynced(async |conn| {
                Ok(sqlx::query(&sql)
                    .bind(now + lease_secs)
                    .bind(now)
                    .bind(most.min(1000) as i64)
                    .fetch_all(&mut **conn)
                    .await?)
            })
            .await?;
        let mut entries = rows
            .iter()
            .map(SpoolEntry::from_row)
            .collect::<Result<Vec<_>>>()?;
        entries.sort_by(|a, b| a.id.0.cmp(&b.id.0));
        Ok(entries)
    }

    /// Ends every lease, so the entries are handed out again: for a process that knows it is
    /// the spool's only user and starts after a crash.
    pub async fn spool_release_leases(&self) -> Result<u64> {
        Ok(
            sqlx::query("UPDATE spool SET lease_until = 0 WHERE lease_until > 0")
                .execute(&self.writer)
                .await?
                .rows_affected(),
        )
    }

    /// Entries in the spool, leased or not.
    pub async fn spool_len(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM spool")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Stores the analysis of one message and, in the same transaction, removes its spool
    /// entry. Returns `false` when the organization already has a result for this digest (a
    /// second delivery of the same message): nothing new is stored, and the entry still goes.
    pub async fn record_analysis(
        &self,
        org: &OrgId,
        digest: &str,
        envelope: &Envelope,
        analysis: &Analysis,
        raw: &[u8],
        spool: Option<&SpoolId>,
    ) -> Result<bool> {
        let result = Recorded {
            org,
            digest,
            envelope,
            analysis,
            raw,
            spool,
        };
        Ok(self.record_analyses(&[result]).await?[0])
    }

    /// [`Store::record_analysis`] for several messages in one transaction: all are stored, or
    /// none is. One commit instead of one each is what lets the embedded database keep up
    /// with a busy mail server.
    ///
    /// On SQLite, when every result removes its spool entry, the commit is not synced to disk
    /// at once: a power cut may take back the last results, and then their entries too, so
    /// the messages are analysed again; what the spool acknowledged to senders is synced.
    pub async fn record_analyses(&self, results: &[Recorded<'_>]) -> Result<Vec<bool>> {
        let backend = self.backend;
        let write = async |conn: &mut PoolConnection<Any>| {
            let mut tx = conn.begin().await?;
            let mut stored = Vec::with_capacity(results.len());
            for chunk in results.chunks(RECORDED_AT_ONCE) {
                stored.extend(record_chunk(&mut tx, backend, chunk).await?);
            }
            tx.commit().await?;
            Ok(stored)
        };
        if results.iter().all(|result| result.spool.is_some()) {
            self.unsynced(write).await
        } else {
            let mut conn = self.writer.acquire().await?;
            write(&mut conn).await
        }
    }

    /// Moves a spool entry to the dead-letter list with the reason, in one transaction.
    pub async fn spool_to_dead_letter(&self, id: &SpoolId, reason: &str) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let moved = sqlx::query(
            "INSERT INTO dead_letters (id, org_id, digest, envelope, raw, reason, attempts, received_at, failed_at) \
             SELECT $1, org_id, digest, envelope, raw, $2, attempts, received_at, $3 FROM spool WHERE id = $4",
        )
        .bind(new_id())
        .bind(reason.to_owned())
        .bind(now())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query("DELETE FROM spool WHERE id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Adds a dead letter for a message that is not in the spool table (it came through
    /// another spool).
    pub async fn insert_dead_letter(
        &self,
        entry: &NewSpoolEntry,
        attempts: i64,
        reason: &str,
    ) -> Result<DeadLetterId> {
        let id = DeadLetterId(new_id());
        sqlx::query(
            "INSERT INTO dead_letters (id, org_id, digest, envelope, raw, reason, attempts, received_at, failed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.0.clone())
        .bind(entry.org_id.0.clone())
        .bind(entry.digest.clone())
        .bind(envelope_json(&entry.envelope))
        .bind(entry.raw.clone())
        .bind(reason.to_owned())
        .bind(attempts)
        .bind(entry.envelope.received_at())
        .bind(now())
        .execute(&self.writer)
        .await
        .map_err(|e| Error::from_sqlx(e, "dead letter"))?;
        Ok(id)
    }

    /// The dead-letter list, oldest first, without the raw messages.
    pub async fn dead_letters(&self, page: &Page) -> Result<Vec<DeadLetter>> {
        sqlx::query(&format!(
            "SELECT {DEAD_LETTER_COLUMNS} FROM dead_letters WHERE id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| DeadLetter::from_row(row, false))
        .collect()
    }

    /// One dead letter with its raw message.
    pub async fn find_dead_letter_by_id(&self, id: &DeadLetterId) -> Result<Option<DeadLetter>> {
        sqlx::query(&format!(
            "SELECT {DEAD_LETTER_COLUMNS}, raw FROM dead_letters WHERE id = $1"
        ))
        .bind(id.0.clone())
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(|row| DeadLetter::from_row(row, true))
        .transpose()
    }

    /// Puts a dead letter back into the spool table, in one transaction.
    pub async fn requeue_dead_letter(&self, id: &DeadLetterId) -> Result<Option<SpoolId>> {
        let mut tx = self.writer.begin().await?;
        let spool = SpoolId(new_id());
        let moved = sqlx::query(
            "INSERT INTO spool (id, org_id, digest, envelope, raw, received_at) \
             SELECT $1, org_id, digest, envelope, raw, received_at FROM dead_letters WHERE id = $2",
        )
        .bind(spool.0.clone())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !moved {
            return Ok(None);
        }
        sqlx::query("DELETE FROM dead_letters WHERE id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(spool))
    }

    /// Deletes a dead letter (given up on, or retried); false when there is none with that id.
    pub async fn delete_dead_letter(&self, id: &DeadLetterId) -> Result<bool> {
        Ok(sqlx::query("DELETE FROM dead_letters WHERE id = $1")
            .bind(id.0.clone())
            .execute(&self.writer)
            .await?
            .rows_affected()
            == 1)
    }

    /// Analysed messages, newest last, of one organization or (for staff) of all.
    pub async fn messages(&self, org: Option<&OrgId>, page: &Page) -> Result<Vec<StoredMessage>> {
        let rows = sqlx::query(
            &format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE ($1 = '' OR org_id = $1) AND id > $2 ORDER BY id LIMIT $3"),
        )
        .bind(org.map(|o| o.0.clone()).unwrap_or_default())
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?;
        let mut messages = Vec::with_capacity(rows.len());
        for row in &rows {
            messages.push(self.message_from_row(row).await?);
        }
        Ok(messages)
    }

    /// One analysed message of an organization.
    pub async fn find_message(&self, org: &OrgId, id: &MessageId) -> Result<Option<StoredMessage>> {
        let row = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE org_id = $1 AND id = $2"
        ))
        .bind(org.0.clone())
        .bind(id.0.clone())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.message_from_row(&row).await?)),
            None => Ok(None),
        }
    }

    async fn message_from_row(&self, row: &AnyRow) -> Result<StoredMessage> {
        let id: String = row.try_get("id")?;
        let accounts = sqlx::query_scalar(
            "SELECT account_id FROM message_accounts WHERE message_id = $1 ORDER BY account_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AccountId)
        .collect();
        stored_message(row, accounts)
    }

    /// Messages by id, with their accounts, in three statements whatever their number; ids
    /// not found are left out.
    pub async fn messages_by_ids(
        &self,
        ids: &[&MessageId],
    ) -> Result<HashMap<MessageId, StoredMessage>> {
        let mut found = HashMap::with_capacity(ids.len());
        for ids in ids.chunks(500) {
            let in_ids = crate::placeholders(1, ids.len());
            let sql = format!(
                "SELECT message_id, account_id FROM message_accounts WHERE message_id IN ({in_ids}) \
                 ORDER BY account_id"
            );
            let mut query = sqlx::query_as::<_, (String, String)>(&sql);
            for id in ids {
                query = query.bind(id.0.clone());
            }
            let mut accounts: HashMap<String, Vec<AccountId>> = HashMap::new();
            for (message, account) in query.fetch_all(&self.pool).await? {
                accounts
                    .entry(message)
                    .or_default()
                    .push(AccountId(account));
            }
            let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN ({in_ids})");
            let mut query = sqlx::query(&sql);
            for id in ids {
                query = query.bind(id.0.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                let id: String = row.try_get("id")?;
                let message = stored_message(&row, accounts.remove(&id).unwrap_or_default())?;
                found.insert(message.id.clone(), message);
            }
        }
        Ok(found)
    }

    /// How many analysed messages are stored, across organizations.
    pub async fn message_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Drops raw messages whose retention window has passed; returns how many.
    pub async fn purge_expired_raw(&self) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE messages SET raw = NULL, raw_until = NULL WHERE raw_until IS NOT NULL AND raw_until <= $1",
        )
        .bind(now())
        .execute(&self.writer)
        .await?
        .rows_affected())
    }

    /// Where an IMAP mailbox was read up to: its UIDVALIDITY and the last UID taken.
    pub async fn imap_position(&self, source: &str) -> Result<Option<(i64, i64)>> {
        let row =
            sqlx::query("SELECT uid_validity, last_uid FROM imap_positions WHERE source = $1")
                .bind(source.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| Ok((row.try_get("uid_validity")?, row.try_get("last_uid")?)))
            .transpose()
    }

    /// Remembers how far the IMAP mailbox `source` has been read: its UIDVALIDITY and the last UID fetched.
    pub async fn set_imap_position(
        &self,
        source: &str,
        uid_validity: i64,
        last_uid: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO imap_positions (source, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (source) DO UPDATE SET uid_validity = $2, last_uid = $3, updated_at = $4",
        )
        .bind(source.to_owned())
        .bind(uid_validity)
        .bind(last_uid)
        .bind(now())
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}

fn stored_message(row: &AnyRow, accounts: Vec<AccountId>) -> Result<StoredMessage> {
    let findings: String = row.try_get("findings")?;
    Ok(StoredMessage {
        id: MessageId(row.try_get("id")?),
        org_id: OrgId(row.try_get("org_id")?),
        digest: row.try_get("digest")?,
        source: crate::word(row, "source")?,
        received_at: time(row, "received_at")?,
        analysed_at: time(row, "analysed_at")?,
        delay_ms: row.try_get("delay_ms")?,
        header_message_id: row.try_get("message_id")?,
        sender: row.try_get("sender")?,
        subject: row.try_get("subject")?,
        verdict: row.try_get("verdict")?,
        score: row.try_get("score")?,
        findings: serde_json::from_str(&findings)
            .map_err(|e| Error::Corrupt("findings", e.to_string()))?,
        accounts,
        raw_kept: optional_time(row, "raw_until")?.is_some(),
    })
}

/// One message's analysis, to be stored by [`Store::record_analyses`].
#[derive(Clone, Copy, Debug)]
pub struct Recorded<'a> {
    /// The organization the message was addressed to.
    pub org: &'a OrgId,
    /// SHA-256 of `raw`, in hex.
    pub digest: &'a str,
    /// Where it came from and whom it was for.
    pub envelope: &'a Envelope,
    /// What analysis found.
    pub analysis: &'a Analysis,
    /// The message as received; kept only within the retention window.
    pub raw: &'a [u8],
    /// The spool entry to remove in the same transaction, when the spool is in this database.
    pub spool: Option<&'a SpoolId>,
}

/// Results stored per statement: 15 values a row keeps each statement well below either
/// database's limit on bound values.
const RECORDED_AT_ONCE: usize = 64;

/// Stores `chunk` in a few statements, whatever its length: the messages in one `INSERT`,
/// their accounts in another, the spool entries gone in one `DELETE`. Only a message that
/// opens or joins an incident costs statements of its own.
async fn record_chunk(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    chunk: &[Recorded<'_>],
) -> Result<Vec<bool>> {
    let ids: Vec<MessageId> = chunk.iter().map(|_| MessageId(new_id())).collect();
    let (at, now_ms) = (now(), Utc::now().timestamp_millis());
    let sql = format!(
        "INSERT INTO messages (id, org_id, digest, source, received_at, analysed_at, delay_ms, message_id, sender, subject, \
         verdict, score, findings, raw, raw_until) VALUES {} ON CONFLICT (org_id, digest) DO NOTHING RETURNING id",
        crate::value_rows(chunk.len(), 15)
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for (result, id) in chunk.iter().zip(&ids) {
        let Recorded {
            org,
            digest,
            envelope,
            analysis,
            raw,
            spool: _,
        } = *result;
        query = query
            .bind(id.0.clone())
            .bind(org.0.clone())
            .bind(digest.to_owned())
            .bind(envelope.source.as_str())
            .bind(envelope.received_at())
            .bind(at)
            .bind((now_ms - envelope.accepted_ms).max(0))
            .bind(analysis.header_message_id.clone())
            .bind(analysis.sender.clone())
            .bind(analysis.subject.clone())
            .bind(analysis.verdict.clone())
            .bind(i64::from(analysis.score))
            .bind(analysis.findings.to_string())
            .bind(analysis.keep_raw_until.map(|_| raw.to_vec()))
            .bind(analysis.keep_raw_until);
    }
    let inserted: std::collections::HashSet<String> = query
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "message"))?
        .into_iter()
        .collect();
    let stored: Vec<bool> = ids.iter().map(|id| inserted.contains(&id.0)).collect();

    for ((result, id), &new) in chunk.iter().zip(&ids).zip(&stored) {
        if let (true, Some(draft)) = (new, &result.analysis.incident) {
            crate::correlation::correlate(tx, backend, result.org, id, draft).await?;
        }
    }

    let sighted: Vec<(&serde_json::Value, i64)> = chunk
        .iter()
        .zip(&stored)
        .filter(|(_, &new)| new)
        .map(|(result, _)| (&result.analysis.findings, result.envelope.received_at()))
        .collect();
    crate::sharing::count_sightings(tx, &sighted).await?;

    // An account erased meanwhile is simply not linked.
    let links: Vec<(&MessageId, &AccountId, &OrgId)> = chunk
        .iter()
        .zip(&ids)
        .zip(&stored)
        .filter(|(_, &new)| new)
        .flat_map(|((result, id), _)| {
            result
                .envelope
                .accounts
                .iter()
                .map(move |account| (id, account, result.org))
        })
        .collect();
    for links in links.chunks(300) {
        let sql = format!(
            "INSERT INTO message_accounts (message_id, account_id) \
             SELECT v.column1, a.id FROM (VALUES {}) AS v JOIN accounts a ON a.id = v.column2 \
             WHERE a.org_id = v.column3 ON CONFLICT DO NOTHING",
            crate::value_rows(links.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (message, account, org) in links {
            query = query
                .bind(message.0.clone())
                .bind(account.0.clone())
                .bind(org.0.clone());
        }
        query.execute(&mut **tx).await?;
    }

    let spooled: Vec<&SpoolId> = chunk.iter().filter_map(|result| result.spool).collect();
    if !spooled.is_empty() {
        let sql = format!(
            "DELETE FROM spool WHERE id IN ({})",
            crate::placeholders(1, spooled.len())
        );
        let mut query = sqlx::query(&sql);
        for id in spooled {
            query = query.bind(id.0.clone());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(stored)
}

//! Threat-intel feeds as the operator manages them: where each is read from and how often,
//! the TLP and confidence its indicators get when they state none, its credentials (sealed like
//! personal data, never shown again), how its reads went, and what it last read successfully.
//!
//! Feeds are read by whichever process claims them when they are due (a lease, like the
//! domain re-checks), and what a read brings is stored in one transaction with the position it
//! reached, so a read that stops half-way resumes from what was stored. Analysis processes
//! rebuild their matcher when [`Store::feeds_generation`] changes.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{new_id, now, optional_time, time, word, words, Actor, Error, FeedId, Result, Store};

/// The most feeds an instance holds.
const MAX_FEEDS: i64 = 10_000;
/// Rejected entries kept per feed, each with its reason.
pub const MAX_REJECTED: usize = 50;

/// Where a feed is read from, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FeedKind {
    /// A TAXII 2.1 collection (`location` is the collection's URL).
    Taxii,
    /// A document over HTTP(S): a STIX 2.1 bundle, a MISP event, a CSV or a plain list,
    /// recognised by its content.
    Url,
    /// A MISP feed directory (`location` is its URL): `manifest.json` and the events it lists.
    MispFeed,
    /// A file, or every file of a directory, under the directory the configuration names for
    /// them (`feeds.files_dir`; `location` is the path relative to it): STIX bundles, MISP
    /// events, CSV or plain lists, recognised by their content.
    File,
}

words!(FeedKind, "feed kind", { Taxii => "taxii", Url => "url", MispFeed => "misp-feed", File => "file" });

/// A managed feed.
#[derive(Clone, Serialize, utoipa::ToSchema)]
pub struct Feed {
    /// The feed's id.
    pub id: FeedId,
    /// What the operator calls it; matches name it as their source.
    pub name: String,
    /// Where it is read from: a TAXII collection, a document at a URL or a MISP feed.
    pub kind: FeedKind,
    /// The URL it is read from, or for a file feed its path under the feeds directory.
    pub location: String,
    /// Whether credentials are stored for it (they are never shown).
    pub has_credentials: bool,
    /// How often it is read, in minutes.
    pub every_minutes: i64,
    /// The TLP its indicators get when they carry none (`clear`, `green`, `amber`,
    /// `amber+strict`, `red`).
    pub tlp: String,
    /// The confidence (0–100) its indicators get when they state none.
    pub confidence: i64,
    /// A paused feed is not read; it keeps its indicators.
    pub paused: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When its settings last changed.
    pub updated_at: DateTime<Utc>,
    /// When the next read is due.
    pub due_at: DateTime<Utc>,
    /// When it was last read, successfully or not.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When it was last read successfully.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Why the last read failed; none after a success.
    pub last_error: Option<String>,
    /// Objects (or documents) held from its reads.
    pub objects_read: i64,
    /// Indicators it gives, by kind (`domain`, `url`, `sha256` …), as of its last read.
    pub indicators: BTreeMap<String, i64>,
    /// Entries refused at its last read, with the reason (at most fifty).
    pub rejected: Vec<String>,
    /// How far a TAXII collection has been read (opaque JSON).
    #[serde(skip)]
    pub position: Option<String>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Feed {
    fn from_row(row: &AnyRow) -> Result<Feed> {
        let indicators: String = row.try_get("indicators")?;
        let rejected: String = row.try_get("rejected")?;
        Ok(Feed {
            id: FeedId(row.try_get("id")?),
            name: row.try_get("name")?,
            kind: word(row, "kind")?,
            location: row.try_get("location")?,
            has_credentials: row.try_get::<Option<String>, _>("credentials")?.is_some(),
            every_minutes: row.try_get("every_minutes")?,
            tlp: row.try_get("tlp")?,
            confidence: row.try_get("confidence")?,
            paused: row.try_get::<i64, _>("paused")? != 0,
            created_at: time(row, "created_at")?,
            updated_at: time(row, "updated_at")?,
            due_at: time(row, "due_at")?,
            last_attempt_at: optional_time(row, "last_attempt_at")?,
            last_success_at: optional_time(row, "last_success_at")?,
            last_error: row.try_get("last_error")?,
            objects_read: row.try_get("objects_read")?,
            indicators: serde_json::from_str(&indicators)
                .map_err(|e| Error::Corrupt("feed indicators", e.to_string()))?,
            rejected: serde_json::from_str(&rejected)
                .map_err(|e| Error::Corrupt("feed rejections", e.to_string()))?,
            position: row.try_get("position")?,
        })
    }
}

/// A feed as the operator describes it; also a whole replacement when it is edited.
#[derive(Clone)]
pub struct NewFeed {
    /// What the operator calls it.
    pub name: String,
    /// How it is read.
    pub kind: FeedKind,
    /// The URL it is read from.
    pub location: String,
    /// `None` keeps what is stored (on an edit), `Some("")` removes it.
    pub credentials: Option<String>,
    /// How often it is read, in minutes.
    pub every_minutes: i64,
    /// The TLP its indicators get when they carry none.
    pub tlp: String,
    /// The confidence its indicators get when they state none.
    pub confidence: i64,
    /// Whether reading it is paused.
    pub paused: bool,
}

/// What one read of a feed brought, stored in one transaction.
pub struct FeedRead<'a> {
    /// Objects to add or replace: (object id, JSON). For a document, one entry.
    pub objects: &'a [(String, String)],
    /// Whether the objects replace all the feed held (a document) or add to it (TAXII).
    pub replace: bool,
    /// The position reached, stored with the objects.
    pub position: Option<&'a str>,
    /// Whether this read is the last of the round: the status is updated and the next read
    /// scheduled.
    pub finished: Option<FeedOutcome<'a>>,
}

/// How a feed's indicators stand after a read.
pub struct FeedOutcome<'a> {
    /// Indicators by kind.
    pub indicators: &'a BTreeMap<String, i64>,
    /// Entries refused, with the reason.
    pub rejected: &'a [String],
}

impl Store {
    /// Adds a feed, due at once. [`Error::State`] when the instance holds ten thousand.
    pub async fn insert_feed(&self, actor: &Actor, new: &NewFeed) -> Result<Feed> {
        let id = FeedId(new_id());
        let at = now();
        let credentials = new
            .credentials
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| crate::seal::seal(self.keys(), c));
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO feeds (id, name, kind, location, credentials, every_minutes, tlp, \
             confidence, paused, created_at, updated_at, changed_at, due_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $10 \
             WHERE (SELECT COUNT(*) FROM feeds) < $11",
        )
        .bind(id.0.clone())
        .bind(new.name.clone())
        .bind(new.kind.as_str())
        .bind(new.location.clone())
        .bind(credentials)
        .bind(new.every_minutes)
        .bind(new.tlp.clone())
        .bind(new.confidence)
        .bind(i64::from(new.paused))
        .bind(at)
        .bind(MAX_FEEDS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(Error::State(
                "the instance has as many feeds as it may have",
            ));
        }
        record(
            &mut tx,
            actor,
            None,
            "feed.created",
            ("feed", &id.0),
            serde_json::json!({ "name": new.name, "kind": new.kind.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.find_feed(&id).await?.ok_or(Error::Dangling("feed"))
    }

    /// Replaces a feed's settings; a changed location starts it over (its position and
    /// objects are dropped) and it is due at once.
    pub async fn update_feed(
        &self,
        actor: &Actor,
        id: &FeedId,
        new: &NewFeed,
    ) -> Result<Option<Feed>> {
        let Some(old) = self.find_feed(id).await? else {
            return Ok(None);
        };
        let at = now();
        let moved = old.location != new.location || old.kind != new.kind;
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE feeds SET name = $2, kind = $3, location = $4, every_minutes = $5, tlp = $6, \
             confidence = $7, paused = $8, updated_at = $9, changed_at = $9, due_at = $9, \
             revision = revision + 1 WHERE id = $1",
        )
        .bind(id.0.clone())
        .bind(new.name.clone())
        .bind(new.kind.as_str())
        .bind(new.location.clone())
        .bind(new.every_minutes)
        .bind(new.tlp.clone())
        .bind(new.confidence)
        .bind(i64::from(new.paused))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if let Some(credentials) = &new.credentials {
            sqlx::query("UPDATE feeds SET credentials = $2 WHERE id = $1")
                .bind(id.0.clone())
                .bind(
                    Some(credentials.as_str())
                        .filter(|c| !c.is_empty())
                        .map(|c| crate::seal::seal(self.keys(), c)),
                )
                .execute(&mut *tx)
                .await?;
        }
        if moved {
            sqlx::query("DELETE FROM feed_objects WHERE feed_id = $1")
                .bind(id.0.clone())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE feeds SET position = NULL, objects_read = 0, indicators = '{}', \
                 rejected = '[]' WHERE id = $1",
            )
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            actor,
            None,
            "feed.updated",
            ("feed", &id.0),
            serde_json::json!({
                "name": new.name,
                "paused": new.paused,
                "location_changed": moved,
                "credentials_changed": new.credentials.is_some(),
            }),
        )
        .await?;
        tx.commit().await?;
        self.find_feed(id).await
    }

    /// Deletes a feed and what it read; its indicators go with the next matcher.
    pub async fn delete_feed(&self, actor: &Actor, id: &FeedId) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM feed_objects WHERE feed_id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query("DELETE FROM feeds WHERE id = $1")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Ok(false);
        }
        record(
            &mut tx,
            actor,
            None,
            "feed.deleted",
            ("feed", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The feed with this id, if any.
    pub async fn find_feed(&self, id: &FeedId) -> Result<Option<Feed>> {
        sqlx::query("SELECT * FROM feeds WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(Feed::from_row)
            .transpose()
    }

    /// Every feed, oldest first.
    pub async fn feeds(&self) -> Result<Vec<Feed>> {
        sqlx::query("SELECT * FROM feeds ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Feed::from_row)
            .collect()
    }

    /// A feed's credentials, opened; only for reading the feed.
    pub async fn feed_credentials(&self, id: &FeedId) -> Result<Option<String>> {
        let stored: Option<Option<String>> =
            sqlx::query_scalar("SELECT credentials FROM feeds WHERE id = $1")
                .bind(id.0.clone())
                .fetch_optional(&self.pool)
                .await?;
        crate::seal::open_optional(stored.flatten())
    }

    /// Claims up to `limit` feeds due at `at` that are not paused, pushing their due time to
    /// `lease_until` so that no other process reads them meanwhile.
    pub async fn claim_due_feeds(
        &self,
        at: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Feed>> {
        let candidates: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM feeds WHERE paused = 0 AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
        )
        .bind(at.timestamp())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for id in candidates {
            let taken = sqlx::query(
                "UPDATE feeds SET due_at = $2, last_attempt_at = $3 WHERE id = $1 AND paused = 0 AND due_at <= $3",
            )
            .bind(id.clone())
            .bind(lease_until.timestamp())
            .bind(at.timestamp())
            .execute(&self.writer)
            .await?
            .rows_affected();
            if taken == 1 {
                if let Some(feed) = self.find_feed(&FeedId(id)).await? {
                    claimed.push(feed);
                }
            }
        }
        Ok(claimed)
    }

    /// Stores what a read brought and the position it reached, together; when the read is the
    /// round's last, records its success and schedules the next one.
    pub async fn record_feed_read(&self, id: &FeedId, read: FeedRead<'_>) -> Result<()> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        if read.replace {
            sqlx::query("DELETE FROM feed_objects WHERE feed_id = $1")
                .bind(id.0.clone())
                .execute(&mut *tx)
                .await?;
        }
        for (object_id, body) in read.objects {
            sqlx::query(
                "INSERT INTO feed_objects (feed_id, object_id, body) VALUES ($1, $2, $3) \
                 ON CONFLICT (feed_id, object_id) DO UPDATE SET body = excluded.body",
            )
            .bind(id.0.clone())
            .bind(object_id.clone())
            .bind(body.clone())
            .execute(&mut *tx)
            .await?;
        }
        let changed = read.replace || !read.objects.is_empty();
        sqlx::query(
            "UPDATE feeds SET position = COALESCE($2, position), \
             changed_at = CASE WHEN $3 = 1 THEN $4 ELSE changed_at END, \
             revision = revision + $3, \
             objects_read = (SELECT COUNT(*) FROM feed_objects WHERE feed_id = $1) WHERE id = $1",
        )
        .bind(id.0.clone())
        .bind(read.position.map(str::to_owned))
        .bind(i64::from(changed))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if let Some(outcome) = read.finished {
            let indicators = serde_json::to_string(outcome.indicators)
                .map_err(|e| Error::Corrupt("feed indicators", e.to_string()))?;
            let rejected: Vec<&String> = outcome.rejected.iter().take(MAX_REJECTED).collect();
            let rejected = serde_json::to_string(&rejected)
                .map_err(|e| Error::Corrupt("feed rejections", e.to_string()))?;
            sqlx::query(
                "UPDATE feeds SET last_success_at = $2, last_error = NULL, indicators = $3, \
                 rejected = $4, due_at = $2 + every_minutes * 60 WHERE id = $1",
            )
            .bind(id.0.clone())
            .bind(at)
            .bind(indicators)
            .bind(rejected)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records why a read failed; the feed keeps what it held and is read again at `retry_at`.
    pub async fn record_feed_failure(
        &self,
        id: &FeedId,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<()> {
        let error: String = error.chars().take(1000).collect();
        sqlx::query("UPDATE feeds SET last_error = $2, due_at = $3 WHERE id = $1")
            .bind(id.0.clone())
            .bind(error)
            .bind(retry_at.timestamp())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// What one feed holds: its objects' JSON, or its document.
    pub async fn feed_bodies(&self, id: &FeedId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT body FROM feed_objects WHERE feed_id = $1 ORDER BY object_id",
        )
        .bind(id.0.clone())
        .fetch_all(&self.pool)
        .await?)
    }

    /// What every feed holds, for building a matcher: each feed with its objects' JSON.
    pub async fn feed_contents(&self) -> Result<Vec<(Feed, Vec<String>)>> {
        let mut contents = Vec::new();
        for feed in self.feeds().await? {
            let bodies = self.feed_bodies(&feed.id).await?;
            contents.push((feed, bodies));
        }
        Ok(contents)
    }

    /// Changes whenever what the feeds hold or how it is read changes (a read that brought
    /// something, an edit, a deletion) or an indicator is revoked: a process rebuilds its
    /// matcher when it does. Starts with `0:` while there are no feeds and no revocations.
    pub async fn feeds_generation(&self) -> Result<String> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(revision), 0) AS BIGINT) AS revisions, \
             COALESCE(MAX(changed_at), 0) AS at FROM feeds",
        )
        .fetch_one(&self.pool)
        .await?;
        let count: i64 = row.try_get("n")?;
        let revisions: i64 = row.try_get("revisions")?;
        let at: i64 = row.try_get("at")?;
        let revoked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicator_revocations")
            .fetch_one(&self.pool)
            .await?;
        Ok(format!("{}:{count}:{revisions}:{at}", count + revoked))
    }

    /// Revokes indicators (kind, normalized value) for every organization, as an analyst
    /// judged an incident they raised a false positive. Answers how many were newly revoked.
    pub async fn revoke_indicators(
        &self,
        actor: &Actor,
        incident: &crate::IncidentId,
        indicators: &[(String, String)],
        reason: &str,
    ) -> Result<usize> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        let mut revoked = 0;
        for (kind, value) in indicators {
            let inserted = sqlx::query(
                "INSERT INTO indicator_revocations (kind, value, incident_id, revoked_by, reason, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS \
                 (SELECT 1 FROM indicator_revocations WHERE kind = $1 AND value = $2)",
            )
            .bind(kind.clone())
            .bind(value.clone())
            .bind(incident.0.clone())
            .bind(actor.0.as_ref().map(|u| u.0.clone()))
            .bind(reason.to_owned())
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                revoked += 1;
                record(
                    &mut tx,
                    actor,
                    None,
                    "indicator.revoked",
                    ("incident", &incident.0),
                    serde_json::json!({ "kind": kind, "value": value, "reason": reason }),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(revoked)
    }

    /// Every revoked indicator, as (kind, normalized value).
    pub async fn indicator_revocations(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT kind, value FROM indicator_revocations ORDER BY kind, value")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("kind")?, row.try_get("value")?)))
            .collect()
    }
}

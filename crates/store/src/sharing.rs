//! What forewarn shares with its members and partners over TAXII: every version of every object
//! of its collections, in the order they were added, each with the TLP that decides who may
//! read it; and the counts behind its sightings.
//!
//! A collection is published by comparing what it should hold with what it holds
//! ([`Store::published`]): an object whose content changed gets a new version, which becomes
//! the one readers see by default, and earlier versions stay readable by version. TLP:RED
//! objects are refused here, whatever the caller: nothing marked RED leaves forewarn.
//!
//! Sightings are counted as messages are recorded (see `ingest`): per indicator of known intel,
//! how many messages it was seen in and when first and last, with no organization, account or
//! message named.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::Row;

use crate::{placeholders, value_rows, Error, Result, Store};

/// Objects inserted per statement.
const AT_ONCE: usize = 200;
/// Values one filter (`match[id]`, `match[type]`, versions) takes, at most.
pub const MAX_FILTER_VALUES: usize = 100;

/// A version of an object to publish.
#[derive(Clone, Debug)]
pub struct NewShared {
    /// The STIX id.
    pub object_id: String,
    /// The STIX type.
    pub object_type: String,
    /// The object's `modified` (or `created`, for objects without one), as it is written.
    pub version: String,
    /// The object's `created`, kept from its first version.
    pub created: String,
    /// `clear`, `green`, `amber` or `amber+strict`.
    pub tlp: String,
    /// A digest of the content that decides whether a new version is due.
    pub digest: String,
    /// The object as JSON.
    pub body: String,
    /// Whether the collection holds an earlier version of the object.
    pub replaces: bool,
}

/// The version readers see of an object already published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The digest of its content.
    pub digest: String,
    /// Its `created`.
    pub created: String,
    /// Its latest version (`modified`).
    pub version: String,
}

/// One version of a shared object as stored.
#[derive(Clone, Debug)]
pub struct SharedObject {
    /// The order it was added in; `next` tokens are made of it.
    pub seq: i64,
    /// The STIX id.
    pub object_id: String,
    /// The STIX type.
    pub object_type: String,
    /// The version (`modified`, or `created` for objects without one).
    pub version: String,
    /// When this version was added, in microseconds since the Unix epoch.
    pub date_added: i64,
    /// The TLP it is shared under.
    pub tlp: String,
    /// The object as JSON.
    pub body: String,
}

/// Which versions of each object a query answers with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Versions {
    /// The latest only (TAXII's default).
    #[default]
    Last,
    /// The first only.
    First,
    /// Every version.
    All,
    /// The versions named, by their `modified`.
    Exactly(Vec<String>),
}

/// What a reader asks of a collection.
#[derive(Clone, Debug, Default)]
pub struct SharedQuery {
    /// The collection's name.
    pub collection: String,
    /// The TLP levels the reader may see.
    pub tlps: Vec<String>,
    /// Only versions added after this time (microseconds).
    pub added_after: Option<i64>,
    /// Only versions added after this one (a `next` token).
    pub after_seq: Option<i64>,
    /// Only objects of these types (all when empty).
    pub types: Vec<String>,
    /// Only objects with these ids (all when empty).
    pub ids: Vec<String>,
    /// Which versions.
    pub versions: Versions,
    /// Objects in the page, at most.
    pub limit: usize,
}

/// How often an indicator of known intel was seen in members' mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorSighting {
    /// The indicator's kind (`domain`, `url`, …).
    pub kind: String,
    /// Its normalized value.
    pub value: String,
    /// Messages it was seen in.
    pub count: i64,
    /// Unix seconds.
    pub first_seen: i64,
    /// Unix seconds.
    pub last_seen: i64,
}

impl Store {
    /// What a collection holds now: each object's latest version, by id.
    pub async fn published(&self, collection: &str) -> Result<HashMap<String, Published>> {
        let rows = sqlx::query(
            "SELECT object_id, digest, created, version FROM shared_objects \
             WHERE collection = $1 AND latest = 1",
        )
        .bind(collection.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("object_id")?,
                    Published {
                        digest: row.try_get("digest")?,
                        created: row.try_get("created")?,
                        version: row.try_get("version")?,
                    },
                ))
            })
            .collect()
    }

    /// Adds new versions to a collection, each the latest of its object from now on, added
    /// after everything the collection held. A version already there is left as it is.
    pub async fn publish(&self, collection: &str, objects: &[NewShared]) -> Result<usize> {
        if let Some(red) = objects.iter().find(|o| !shareable(&o.tlp)) {
            return Err(Error::Corrupt(
                "shared object",
                format!(
                    "{} is marked {}, which is never shared",
                    red.object_id, red.tlp
                ),
            ));
        }
        if objects.is_empty() {
            return Ok(0);
        }
        let mut tx = self.writer.begin().await?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(date_added) FROM shared_objects WHERE collection = $1")
                .bind(collection.to_owned())
                .fetch_one(&mut *tx)
                .await?;
        // Strictly after what the collection held, so readers resuming from the last time they
        // saw miss nothing, and each version its own instant.
        let first = Utc::now().timestamp_micros().max(last.unwrap_or(0) + 1);
        let mut added = 0;
        for (n, chunk) in objects.chunks(AT_ONCE).enumerate() {
            let replaced: Vec<&NewShared> = chunk.iter().filter(|o| o.replaces).collect();
            if !replaced.is_empty() {
                let sql = format!(
                    "UPDATE shared_objects SET latest = 0 WHERE collection = $1 \
                     AND object_id IN ({}) AND latest = 1",
                    placeholders(2, replaced.len())
                );
                let mut query = sqlx::query(&sql).bind(collection.to_owned());
                for object in replaced {
                    query = query.bind(object.object_id.clone());
                }
                query.execute(&mut *tx).await?;
            }
            let sql = format!(
                "INSERT INTO shared_objects (collection, object_id, object_type, version, created, \
                 date_added, tlp, digest, body) VALUES {} \
                 ON CONFLICT (collection, object_id, version) DO UPDATE SET latest = 1",
                value_rows(chunk.len(), 9)
            );
            let mut query = sqlx::query(&sql);
            for (i, object) in chunk.iter().enumerate() {
                query = query
                    .bind(collection.to_owned())
                    .bind(object.object_id.clone())
                    .bind(object.object_type.clone())
                    .bind(object.version.clone())
                    .bind(object.created.clone())
                    .bind(first + (n * AT_ONCE + i) as i64)
                    .bind(object.tlp.clone())
                    .bind(object.digest.clone())
                    .bind(object.body.clone());
            }
            added += query.execute(&mut *tx).await?.rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// A page of a collection as a reader may see it, oldest first, and whether more follows.
    pub async fn shared_objects(&self, query: &SharedQuery) -> Result<(Vec<SharedObject>, bool)> {
        let mut sql = String::from(
            "SELECT seq, object_id, object_type, version, date_added, tlp, body \
             FROM shared_objects s WHERE collection = $1",
        );
        let mut binds: Vec<Bind> = vec![Bind::Text(query.collection.clone())];
        let mut list = |sql: &mut String, column: &str, values: &[String]| {
            let first = binds.len() + 1;
            sql.push_str(&format!(
                " AND {column} IN ({})",
                placeholders(first, values.len())
            ));
            binds.extend(values.iter().cloned().map(Bind::Text));
        };
        let tlps: Vec<String> = query
            .tlps
            .iter()
            .filter(|tlp| shareable(tlp))
            .cloned()
            .collect();
        if tlps.is_empty() {
            return Ok((Vec::new(), false));
        }
        list(&mut sql, "tlp", &tlps);
        if !query.types.is_empty() {
            list(&mut sql, "object_type", &query.types);
        }
        if !query.ids.is_empty() {
            list(&mut sql, "object_id", &query.ids);
        }
        match &query.versions {
            Versions::Last => sql.push_str(" AND latest = 1"),
            Versions::First => sql.push_str(
                " AND seq = (SELECT MIN(f.seq) FROM shared_objects f \
                 WHERE f.collection = s.collection AND f.object_id = s.object_id)",
            ),
            Versions::All => {}
            Versions::Exactly(versions) => list(&mut sql, "version", versions),
        }
        if let Some(after) = query.added_after {
            binds.push(Bind::Int(after));
            sql.push_str(&format!(" AND date_added > ${}", binds.len()));
        }
        if let Some(after) = query.after_seq {
            binds.push(Bind::Int(after));
            sql.push_str(&format!(" AND seq > ${}", binds.len()));
        }
        let limit = query.limit.max(1);
        binds.push(Bind::Int(limit as i64 + 1));
        sql.push_str(&format!(" ORDER BY seq LIMIT ${}", binds.len()));
        let mut statement = sqlx::query(&sql);
        for bind in binds {
            statement = match bind {
                Bind::Text(text) => statement.bind(text),
                Bind::Int(n) => statement.bind(n),
            };
        }
        let rows = statement.fetch_all(&self.pool).await?;
        let more = rows.len() > limit;
        let objects = rows
            .iter()
            .take(limit)
            .map(|row| {
                Ok(SharedObject {
                    seq: row.try_get("seq")?,
                    object_id: row.try_get("object_id")?,
                    object_type: row.try_get("object_type")?,
                    version: row.try_get("version")?,
                    date_added: row.try_get("date_added")?,
                    tlp: row.try_get("tlp")?,
                    body: row.try_get("body")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((objects, more))
    }

    /// Every indicator of known intel seen in members' mail, with how often and when.
    pub async fn indicator_sightings(&self) -> Result<Vec<IndicatorSighting>> {
        let rows = sqlx::query(
            "SELECT kind, value, count, first_seen, last_seen FROM indicator_sightings \
             ORDER BY kind, value",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(IndicatorSighting {
                    kind: row.try_get("kind")?,
                    value: row.try_get("value")?,
                    count: row.try_get("count")?,
                    first_seen: row.try_get("first_seen")?,
                    last_seen: row.try_get("last_seen")?,
                })
            })
            .collect()
    }
}

enum Bind {
    Text(String),
    Int(i64),
}

/// Whether objects marked `tlp` may be shared at all: TLP:RED never is.
fn shareable(tlp: &str) -> bool {
    matches!(tlp, "clear" | "green" | "amber" | "amber+strict")
}

/// Counts the indicators of known intel in newly recorded messages' findings, once per message,
/// at the message's time (Unix seconds).
pub(crate) async fn count_sightings(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    messages: &[(&serde_json::Value, i64)],
) -> Result<()> {
    let mut seen: HashMap<(String, String), (i64, i64, i64)> = HashMap::new();
    for (findings, at) in messages {
        let mut once = std::collections::HashSet::new();
        for finding in findings.as_array().into_iter().flatten() {
            let indicator = &finding["indicator"];
            if let (Some(kind), Some(value)) =
                (indicator["kind"].as_str(), indicator["value"].as_str())
            {
                if once.insert((kind, value)) {
                    let entry = seen
                        .entry((kind.to_owned(), value.to_owned()))
                        .or_insert((0, *at, *at));
                    entry.0 += 1;
                    entry.1 = entry.1.min(*at);
                    entry.2 = entry.2.max(*at);
                }
            }
        }
    }
    for ((kind, value), (count, first, last)) in seen {
        sqlx::query(
            "INSERT INTO indicator_sightings (kind, value, count, first_seen, last_seen) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, value) DO UPDATE SET \
             count = indicator_sightings.count + excluded.count, \
             first_seen = CASE WHEN excluded.first_seen < indicator_sightings.first_seen \
             THEN excluded.first_seen ELSE indicator_sightings.first_seen END, \
             last_seen = CASE WHEN excluded.last_seen > indicator_sightings.last_seen \
             THEN excluded.last_seen ELSE indicator_sightings.last_seen END",
        )
        .bind(kind)
        .bind(value)
        .bind(count)
        .bind(first)
        .bind(last)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

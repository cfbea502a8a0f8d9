//! forewarn-store keeps forewarn's state: programs, organizations and their verified domains,
//! security contacts, the people who use forewarn and the mailboxes they opted in, credentials,
//! one-time confirmations and the audit log.
//!
//! In a message's path (docs/ARCHITECTURE.md) it comes after ingest: each analysed message is
//! stored with its findings and, when suspicious, joins or opens an incident
//! ([`IncidentDraft::from_verdict`], then correlation); the notifier (forewarn-alerts) reads the
//! incidents due and keeps its outbox here.
//!
//! One [`Store`] serves both backends: SQLite in a data directory (the embedded default, no
//! other service needed) and PostgreSQL when a URL is configured. Each backend has its own
//! migrations; the same conformance suite (`tests/conformance.rs`) runs against both.
//!
//! Every change a person makes is written to the audit log in the same transaction as the
//! change itself, so the log cannot miss one.
//!
//! ```no_run
//! # async fn run() -> Result<(), forewarn_store::Error> {
//! let store = forewarn_store::Store::connect("sqlite:///var/lib/forewarn/forewarn.db").await?;
//! let programs = store.programs().await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod accounts;
mod audit;
mod campaigns;
mod correlation;
mod coverage;
mod credentials;
mod domains;
mod draft;
mod feeds;
#[cfg(feature = "fixtures")]
pub mod fixtures;
mod incidents;
mod ingest;
mod notifications;
mod organizations;
mod outgoing;
mod overview;
mod programs;
pub mod seal;
mod second_factors;
mod sharing;
mod users;
mod webhooks;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Row};

pub use accounts::{Account, AccountKind, AccountStatus};
pub use audit::AuditEvent;
pub use campaigns::{Campaign, CampaignSignal, NewCampaign, WarningAudience, WarningDue};
pub use correlation::{IncidentSignals, CORRELATION_WINDOW_SECS};
pub use credentials::{ApiToken, Confirmation, ConfirmationKind, Session};
pub use domains::{Domain, DomainStatus, VerificationMethod};
pub use feeds::{Feed, FeedKind, FeedOutcome, FeedRead, NewFeed, MAX_REJECTED};
pub use incidents::{
    Evidence, Incident, IncidentDraft, IncidentEdit, IncidentKind, IncidentStatus, NotifyAt,
    Severity, EVIDENCE_ACCOUNTS,
};
pub use ingest::{
    Analysis, DeadLetter, Envelope, NewSpoolEntry, Recipient, Recorded, Source, SpoolEntry,
    StoredMessage,
};
pub use notifications::{Attempt, NewNotification, Notification};
pub use organizations::{Contact, NewContact, NewOrganization, OrgStatus, Organization};
pub use outgoing::{destination, MailBudget, MailPermit, Suppression};
pub use overview::Overview;
pub use programs::{EarlyWarning, NewProgram, Program, ProgramPatch, WarnScope};
pub use seal::Keyring;
pub use second_factors::{FactorKind, FactorSecret, FactorStanding, SecondFactor};
pub use sharing::{
    IndicatorSighting, NewShared, Published, SharedObject, SharedQuery, Versions, MAX_FILTER_VALUES,
};
pub use users::{NewUser, Role, User, UserStatus};
pub use webhooks::{EndpointStatus, WebhookEndpoint};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database could not be reached.
    #[error("connecting to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL names neither SQLite nor PostgreSQL.
    #[error("unsupported database URL {0:?}: use sqlite:// or postgres://")]
    UnsupportedUrl(String),
    /// A uniqueness rule would be broken (a name or address already taken).
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The change refers to something that does not exist.
    #[error("the change refers to a {0} that does not exist")]
    Dangling(&'static str),
    /// The object is not in a state that allows the change.
    #[error("{0}")]
    State(&'static str),
    /// Any other database failure.
    #[error("reading or writing the database: {0}")]
    Database(#[source] sqlx::Error),
    /// A stored value does not read as its type (what it was, and why).
    #[error("a stored {0} is not valid: {1}")]
    Corrupt(&'static str, String),
    /// The keys for personal data are missing, unreadable, or not the ones it was sealed with.
    #[error("personal data keys: {0}")]
    Keys(String),
}

impl Error {
    fn from_sqlx(error: sqlx::Error, what: &'static str) -> Error {
        if let sqlx::Error::Database(db) = &error {
            if db.is_unique_violation() {
                return Error::Conflict(what);
            }
            if db.is_foreign_key_violation() {
                return Error::Dangling(what);
            }
        }
        Error::Database(error)
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        Error::Database(error)
    }
}

/// The store's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which engine holds the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: one machine, no other service.
    Sqlite,
    /// PostgreSQL, shared by several forewarn processes.
    Postgres,
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String)]
        pub struct $name(#[doc = "The id as stored."] pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name(s.to_owned())
            }
        }
    )*};
}

id_type!(
    /// A program's id.
    ProgramId,
    /// An organization's id: the tenant.
    OrgId,
    /// A mail domain's id.
    DomainId,
    /// A notification contact's id.
    ContactId,
    /// A person's id.
    UserId,
    /// A watched mailbox's id.
    AccountId,
    /// An API token's id.
    TokenId,
    /// An entry in the spool.
    SpoolId,
    /// An analysed message.
    MessageId,
    /// A message that could not be analysed.
    DeadLetterId,
    /// An incident's id.
    IncidentId,
    /// A webhook endpoint.
    WebhookId,
    /// A threat-intel feed.
    FeedId,
    /// A campaign that reached several organizations.
    CampaignId,
);

/// A new id: 12 hex digits of milliseconds since the epoch, then 16 random ones, so ids sort
/// by creation and pages can be read with `id > cursor`.
pub fn new_id() -> String {
    let millis = Utc::now().timestamp_millis().max(0) as u64 & 0xffff_ffff_ffff;
    format!("{millis:012x}{}", random_hex(8))
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the operating system provides randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who made a change, for the audit log. `None` is someone not signed in (an applicant, a
/// person following a confirmation link) or forewarn itself.
#[derive(Clone, Debug, Default)]
pub struct Actor(pub Option<UserId>);

/// One page of a listing: items whose id is greater than `after`, at most `limit` of them.
#[derive(Clone, Debug)]
pub struct Page {
    /// The id of the last item of the page before.
    pub after: Option<String>,
    /// Items on the page, at most.
    pub limit: u32,
}

impl Page {
    /// The first `limit` rows.
    pub fn first(limit: u32) -> Page {
        Page { after: None, limit }
    }
}

impl Default for Page {
    fn default() -> Page {
        Page::first(50)
    }
}

impl Page {
    fn after(&self) -> &str {
        self.after.as_deref().unwrap_or("")
    }

    fn limit(&self) -> i64 {
        i64::from(self.limit.clamp(1, 500))
    }
}

/// The state, in SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// What writes go through. On SQLite, one connection: writers queue here, in order and
    /// without sleeping, rather than in SQLite's busy handler, which backs off for up to 100 ms
    /// at a time. On PostgreSQL, the same pool as reads.
    writer: AnyPool,
    backend: Backend,
    /// Where the database is, for what the pool cannot do (listening for notifications).
    postgres_url: Option<DatabaseUrl>,
    /// What personal data is sealed with; stored as it is without.
    keys: Option<Keyring>,
}

/// A database URL, which may hold a password: never printed.
#[derive(Clone)]
struct DatabaseUrl(std::sync::Arc<str>);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrl(..)")
    }
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating a SQLite file if it is
    /// missing, and brings the schema up to date. Personal data is stored as it is: see
    /// [`Store::connect_sealed`].
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, None).await
    }

    /// [`Store::connect`] with people's names and addresses sealed by `keys` (see [`seal`]):
    /// whatever the current key did not seal is resealed now. Refused when the database holds
    /// values sealed with a key `keys` lacks.
    pub async fn connect_sealed(url: &str, keys: Keyring) -> Result<Store> {
        Store::connect_with(url, Some(keys)).await
    }

    /// [`Store::connect_sealed`] with the keys of the key file at `key_file`, made (readable by
    /// its owner only) when it is missing, unless the database already holds data sealed with
    /// another key: a new key would leave that data unreadable, so the made file is removed
    /// and the error asks for the right one.
    pub async fn connect_with_key_file(url: &str, key_file: &std::path::Path) -> Result<Store> {
        let (keys, made) = Keyring::load_or_create(key_file)?;
        match Store::connect_sealed(url, keys).await {
            Ok(store) => {
                if made {
                    tracing::warn!(path = %key_file.display(), "made a new key file for personal data: keep a copy apart from the database's backups");
                }
                Ok(store)
            }
            Err(error) => {
                if made {
                    let _ = std::fs::remove_file(key_file);
                }
                Err(error)
            }
        }
    }

    async fn connect_with(url: &str, keys: Option<Keyring>) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::UnsupportedUrl(url.to_owned()));
        };
        let sqlite = |connections: u32, url: &str| {
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            AnyPoolOptions::new()
                .acquire_timeout(Duration::from_secs(if connections == 1 { 60 } else { 10 }))
                .max_connections(connections)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL lets readers go on while one writer commits; the busy timeout
                        // makes writers wait for each other instead of failing. FULL syncs
                        // every commit: a spooled message is acknowledged to its sender only
                        // after it is on disk, so a power cut must not take it back.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                        Ok(())
                    })
                })
                .connect_lazy(&url)
        };
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                // The writer connects first, so the file and its WAL mode exist before readers.
                let writer = sqlite(1, url).map_err(Error::Connect)?;
                drop(writer.acquire().await.map_err(Error::Connect)?);
                (sqlite(8, url).map_err(Error::Connect)?, writer)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .acquire_timeout(Duration::from_secs(10))
                    .max_connections(16)
                    .connect(url)
                    .await
                    .map_err(Error::Connect)?;
                (pool.clone(), pool)
            }
        };
        let store = Store {
            pool,
            writer,
            backend,
            postgres_url: (backend == Backend::Postgres).then(|| DatabaseUrl(url.into())),
            keys,
        };
        store.migrate().await?;
        store.reseal().await?;
        Ok(store)
    }

    /// Runs `work` on the writer with SQLite's commits not synced to disk at once, for writes
    /// that are redone by themselves when a power cut takes them back; a later synced commit
    /// makes them durable too, as the log is written in order. A crash of the process loses
    /// none of them. On PostgreSQL it is `work` as it is.
    async fn unsynced<T>(
        &self,
        work: impl AsyncFnOnce(&mut PoolConnection<Any>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.writer.acquire().await?;
        if self.backend != Backend::Sqlite {
            return work(&mut conn).await;
        }
        let mut relaxed = Unsynced(Some(conn));
        let conn = relaxed.0.as_mut().expect("just put there");
        sqlx::query("PRAGMA synchronous = NORMAL")
            .execute(&mut **conn)
            .await?;
        let result = work(conn).await;
        match sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut **conn)
            .await
        {
            Ok(_) => drop(relaxed.0.take()),
            Err(error) => {
                tracing::warn!(%error, "restoring synced commits failed; the connection is replaced")
            }
        }
        result
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("migrations/sqlite")
                    .run(&self.writer)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Which engine holds the state.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.writer).await?;
        Ok(())
    }

    /// Closes the connections once every query under way has finished.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// A row type stored in one table under a text `id`.
trait Record: Sized {
    const TABLE: &'static str;
    fn from_row(row: &AnyRow) -> Result<Self>;
}

impl Store {
    async fn find_record<T: Record>(&self, id: &str) -> Result<Option<T>> {
        sqlx::query(&format!("SELECT * FROM {} WHERE id = $1", T::TABLE))
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }

    /// The record just written and committed.
    async fn written<T: Record>(&self, id: &str) -> Result<T> {
        self.find_record(id)
            .await?
            .ok_or(Error::State("a record vanished after it was written"))
    }
}

/// `$first, $first+1, …` for `count` values of an `IN (…)` list.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The writer connection while its commits are not synced: closed instead of going back to the
/// pool unless syncing was restored, so no later write (a `250`'s) is left unsynced, even when
/// the future using it was dropped halfway.
struct Unsynced(Option<PoolConnection<Any>>);

impl Drop for Unsynced {
    fn drop(&mut self) {
        if let Some(conn) = self.0.as_mut() {
            conn.close_on_drop();
        }
    }
}

/// `($1, $2), ($3, $4), …`: `rows` rows of `columns` values each, for a multi-row `VALUES`.
fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(row * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn now() -> i64 {
    Utc::now().timestamp()
}

fn time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>> {
    let secs: i64 = row.try_get(column)?;
    Utc.timestamp_opt(secs, 0)
        .single()
        .ok_or_else(|| Error::Corrupt("time", secs.to_string()))
}

fn optional_time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    let secs: Option<i64> = row.try_get(column)?;
    Ok(secs.and_then(|s| Utc.timestamp_opt(s, 0).single()))
}

fn json_list(row: &AnyRow, column: &'static str) -> Result<Vec<String>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| Error::Corrupt(column, e.to_string()))
}

fn to_json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("a list of strings serializes")
}

/// A closed set of words stored as text (`status`, `role`, `kind`).
trait Word: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const WHAT: &'static str;
    fn as_str(self) -> &'static str;

    fn parse_word(s: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|w| w.as_str() == s)
            .ok_or_else(|| Error::Corrupt(Self::WHAT, s.to_owned()))
    }
}

macro_rules! words {
    ($ty:ident, $what:literal, { $($variant:ident => $text:literal),* $(,)? }) => {
        impl crate::Word for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),*];
            const WHAT: &'static str = $what;
            fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
        }

        impl $ty {
            /// The word the value is stored and shown as.
            pub fn as_str(self) -> &'static str {
                crate::Word::as_str(self)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<$ty> {
                <$ty as crate::Word>::parse_word(s)
            }
        }
    };
}
pub(crate) use words;

fn word<W: Word>(row: &AnyRow, column: &str) -> Result<W> {
    let text: String = row.try_get(column)?;
    W::parse_word(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn synchronous(store: &Store) -> i64 {
        sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&store.writer)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn writes_after_unsynced_ones_are_synced_again() {
        let dir = forewarn_test_support::TempDir::new("forewarn-unsynced");
        let url = format!("sqlite://{}/forewarn.db", dir.path().display());
        let store = Store::connect(&url).await.unwrap();
        const FULL: i64 = 2;
        assert_eq!(synchronous(&store).await, FULL);

        let failed: Result<()> = store
            .unsynced(async |_| Err(Error::State("the work failed")))
            .await;
        assert!(failed.is_err());
        assert_eq!(synchronous(&store).await, FULL, "after a failure");

        // Work dropped halfway (its future cancelled) leaves no unsynced connection behind.
        let cancelled = tokio::time::timeout(
            Duration::from_millis(50),
            store.unsynced(async |_| -> Result<()> {
                std::future::pending::<()>().await;
                Ok(())
            }),
        )
        .await;
        assert!(cancelled.is_err());
        assert_eq!(synchronous(&store).await, FULL, "after a cancellation");
        store.close().await;
    }
}

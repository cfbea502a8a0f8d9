//! The durable spool between the sources and the analysis workers.
//!
//! A source hands a message to [`Spool::put`] and acknowledges it to its sender (SMTP 250, an
//! HTTP 202, an IMAP position moved on) only when `put` returns: by then the message is on disk.
//! A worker takes a [`Delivery`] with [`Spool::next`], and [`Spool::finish`] stores the result
//! and removes the message — in one transaction for the SQL spool, and as "commit, then ack"
//! for JetStream, where a crash in between redelivers a message whose result is already stored
//! and so stores nothing new.

mod group;
mod nats;
mod sql;

use forewarn_store::{Analysis, DeadLetterId, Envelope, NewSpoolEntry, OrgId, SpoolId, Store};

pub use nats::{NatsSpool, ACK_WAIT};
pub use sql::SqlSpool;

use crate::Result;

/// One message handed to a worker.
#[derive(Debug)]
pub struct Delivery {
    pub org_id: OrgId,
    pub digest: String,
    pub envelope: Envelope,
    pub raw: Vec<u8>,
    /// Deliveries so far, this one included. A message that keeps coming back has crashed or
    /// stalled its workers; after [`Spool::max_attempts`] it goes to the dead-letter list.
    pub attempts: i64,
    handle: Handle,
}

#[derive(Debug)]
enum Handle {
    Sql(SpoolId),
    Nats(Box<async_nats::jetstream::Message>),
}

impl Delivery {
    /// Stores the result; `spool` is the entry to remove in the same transaction, if the spool
    /// is a table in that database.
    async fn record(
        &self,
        store: &Store,
        analysis: &Analysis,
        spool: Option<&SpoolId>,
    ) -> Result<bool> {
        Ok(store
            .record_analysis(
                &self.org_id,
                &self.digest,
                &self.envelope,
                analysis,
                &self.raw,
                spool,
            )
            .await?)
    }

    fn entry(&self) -> NewSpoolEntry {
        NewSpoolEntry {
            org_id: self.org_id.clone(),
            digest: self.digest.clone(),
            envelope: self.envelope.clone(),
            raw: self.raw.clone(),
        }
    }
}

/// Where accepted messages wait: the database (the embedded default) or NATS JetStream.
pub enum Spool {
    Sql(SqlSpool),
    Nats(Box<NatsSpool>),
}

impl Spool {
    /// The spool an instance is set up with: NATS JetStream at `nats_url` when there is one
    /// (several processes share the work), a table in the database otherwise.
    pub async fn open(
        nats_url: Option<&str>,
        settings: &crate::settings::IngestSettings,
        store: Store,
    ) -> Result<Spool> {
        Ok(match nats_url {
            Some(url) => Spool::Nats(Box::new(
                NatsSpool::connect(
                    url,
                    &settings.nats_name,
                    std::time::Duration::from_secs(settings.nats_ack_wait_secs),
                    store,
                )
                .await?,
            )),
            None => Spool::Sql(SqlSpool::open(store).await?),
        })
    }

    /// How many deliveries a message gets before it is dead-lettered.
    pub fn max_attempts(&self) -> i64 {
        5
    }

    /// The database results and dead letters go to.
    pub fn store(&self) -> &Store {
        match self {
            Spool::Sql(spool) => spool.store(),
            Spool::Nats(spool) => spool.store(),
        }
    }

    /// The largest raw message this spool carries, in bytes.
    pub fn max_message_bytes(&self) -> usize {
        match self {
            Spool::Sql(_) => usize::MAX,
            Spool::Nats(spool) => spool.max_message_bytes(),
        }
    }

    /// Stores `entries` durably: when this returns `Ok`, every one of them will be analysed.
    pub async fn put(&self, entries: &[NewSpoolEntry]) -> Result<()> {
        match self {
            Spool::Sql(spool) => spool.put(entries).await,
            Spool::Nats(spool) => spool.put(entries).await,
        }
    }

    /// The next message to analyse; waits until there is one.
    pub async fn next(&self) -> Result<Delivery> {
        match self {
            Spool::Sql(spool) => spool.next().await,
            Spool::Nats(spool) => spool.next().await,
        }
    }

    /// Stores the result and lets the message go. `false` when this message's result was
    /// already stored (a redelivery).
    pub async fn finish(&self, delivery: Delivery, analysis: &Analysis) -> Result<bool> {
        match self {
            Spool::Sql(spool) => spool.finish(delivery, analysis).await,
            Spool::Nats(spool) => spool.finish(delivery, analysis).await,
        }
    }

    /// Moves the message to the dead-letter list with `reason`.
    pub async fn dead(&self, delivery: Delivery, reason: &str) -> Result<()> {
        match self {
            Spool::Sql(spool) => spool.dead(delivery, reason).await,
            Spool::Nats(spool) => spool.dead(delivery, reason).await,
        }
    }

    /// Puts a dead letter back for another try; `false` when there is no such dead letter.
    pub async fn retry(&self, id: &DeadLetterId) -> Result<bool> {
        match self {
            Spool::Sql(spool) => spool.retry(id).await,
            Spool::Nats(spool) => spool.retry(id).await,
        }
    }

    /// Messages waiting or in progress.
    pub async fn pending(&self) -> Result<u64> {
        match self {
            Spool::Sql(spool) => spool.pending().await,
            Spool::Nats(spool) => spool.pending().await,
        }
    }
}

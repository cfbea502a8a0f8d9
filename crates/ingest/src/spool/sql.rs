//! The spool as a table in forewarn's own database: the embedded default, needing no other
//! service. Workers lease entries; a lease that runs out (its worker died) hands the entry to
//! another worker.

use std::time::Duration;

use forewarn_store::{Analysis, DeadLetterId, NewSpoolEntry, Store};
use tokio::sync::Notify;

use super::{Delivery, Handle};
use crate::Result;

/// How long a worker may hold a message before another takes it.
const LEASE_SECS: i64 = 120;
/// How often idle workers look for entries another process put.
const POLL: Duration = Duration::from_millis(500);

pub struct SqlSpool {
    store: Store,
    arrived: Notify,
}

impl SqlSpool {
    /// A spool in `store`. With SQLite only this process uses the database, so leases left
    /// by an earlier run (which died) are given back at once instead of running out.
    pub async fn open(store: Store) -> Result<SqlSpool> {
        if store.backend() == forewarn_store::Backend::Sqlite {
            let released = store.spool_release_leases().await?;
            if released > 0 {
                tracing::info!(
                    released,
                    "messages an earlier run was analysing are taken up again"
                );
            }
        }
        Ok(SqlSpool {
            store,
            arrived: Notify::new(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn put(&self, entries: &[NewSpoolEntry]) -> Result<()> {
        self.store.spool_insert(entries).await?;
        self.arrived.notify_waiters();
        Ok(())
    }

    pub async fn next(&self) -> Result<Delivery> {
        loop {
            // Registered before looking, so a put between the look and the wait is not missed.
            let arrived = self.arrived.notified();
            if let Some(entry) = self.store.spool_claim(LEASE_SECS).await? {
                return Ok(Delivery {
                    org_id: entry.org_id,
                    digest: entry.digest,
                    envelope: entry.envelope,
                    raw: entry.raw,
                    attempts: entry.attempts,
                    handle: Handle::Sql(entry.id),
                });
            }
            let _ = tokio::time::timeout(POLL, arrived).await;
        }
    }

    pub async fn finish(&self, delivery: Delivery, analysis: &Analysis) -> Result<bool> {
        let Handle::Sql(id) = &delivery.handle else {
            unreachable!("a SQL spool hands out SQL deliveries");
        };
        delivery.record(&self.store, analysis, Some(id)).await
    }

    pub async fn dead(&self, delivery: Delivery, reason: &str) -> Result<()> {
        let Handle::Sql(id) = &delivery.handle else {
            unreachable!("a SQL spool hands out SQL deliveries");
        };
        self.store.spool_to_dead_letter(id, reason).await?;
        Ok(())
    }

    pub async fn retry(&self, id: &DeadLetterId) -> Result<bool> {
        let requeued = self.store.requeue_dead_letter(id).await?.is_some();
        self.arrived.notify_waiters();
        Ok(requeued)
    }

    pub async fn pending(&self) -> Result<u64> {
        Ok(self.store.spool_len().await?.max(0) as u64)
    }
}

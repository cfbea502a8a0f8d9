//! The spool as a table in forewarn's own database: the embedded default, needing no other
//! service. Workers lease entries; a lease that runs out (its worker died) hands the entry to
//! another worker.

use std::time::Duration;

use forewarn_store::{Analysis, DeadLetterId, NewSpoolEntry, Recorded, SpoolEntry, SpoolId, Store};
use tokio::sync::Notify;

use super::group::Group;
use super::{Delivery, Handle};
use crate::{Error, Result};

/// How long a worker may hold a message before another takes it.
const LEASE_SECS: i64 = 120;
/// How often idle workers look for entries another process put.
const POLL: Duration = Duration::from_millis(500);

pub struct SqlSpool {
    store: Store,
    arrived: Notify,
    /// Messages accepted meanwhile go to disk together.
    puts: Group<Vec<NewSpoolEntry>, ()>,
    /// Results finished meanwhile are stored together.
    results: Group<(Delivery, Analysis), bool>,
    /// Workers that look for a message at the same moment are served by one statement.
    claims: Group<(), Option<SpoolEntry>>,
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
            puts: Group::start({
                let store = store.clone();
                move |puts| insert(store.clone(), puts)
            }),
            results: Group::start({
                let store = store.clone();
                move |results| record(store.clone(), results)
            }),
            claims: Group::start({
                let store = store.clone();
                move |workers: Vec<()>| claim(store.clone(), workers.len())
            }),
            store,
            arrived: Notify::new(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn put(&self, entries: &[NewSpoolEntry]) -> Result<()> {
        self.puts.write(entries.to_vec()).await?;
        self.arrived.notify_waiters();
        Ok(())
    }

    pub async fn next(&self) -> Result<Delivery> {
        loop {
            // Registered before looking, so a put between the look and the wait is not missed.
            let arrived = self.arrived.notified();
            if let Some(entry) = self.claims.write(()).await? {
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
        self.results.write((delivery, analysis.clone())).await
    }

    pub async fn dead(&self, delivery: Delivery, reason: &str) -> Result<()> {
        self.store
            .spool_to_dead_letter(spool_id(&delivery), reason)
            .await?;
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

/// Leases one entry for each of `workers` waiting workers, as far as there are entries.
async fn claim(store: Store, workers: usize) -> Vec<Result<Option<SpoolEntry>>> {
    match store.spool_claim_many(LEASE_SECS, workers).await {
        Ok(entries) => {
            let mut entries = entries.into_iter();
            (0..workers).map(|_| Ok(entries.next())).collect()
        }
        Err(error) => {
            let error = error.to_string();
            (0..workers)
                .map(|_| Err(Error::Claim(error.clone())))
                .collect()
        }
    }
}

/// Writes the entries of several puts in one transaction; when that fails, each put alone, so
/// one that cannot be written fails no other.
async fn insert(store: Store, puts: Vec<Vec<NewSpoolEntry>>) -> Vec<Result<()>> {
    let sizes: Vec<usize> = puts.iter().map(Vec::len).collect();
    let entries: Vec<NewSpoolEntry> = puts.into_iter().flatten().collect();
    match store.spool_insert(&entries).await {
        Ok(_) => return sizes.iter().map(|_| Ok(())).collect(),
        Err(error) if sizes.len() == 1 => return vec![Err(error.into())],
        Err(_) => {}
    }
    let mut results = Vec::with_capacity(sizes.len());
    let mut rest = entries.as_slice();
    for size in sizes {
        let (put, after) = rest.split_at(size);
        results.push(store.spool_insert(put).await.map(drop).map_err(Into::into));
        rest = after;
    }
    results
}

/// Stores several results, and removes their entries, in one transaction; when that fails,
/// each alone. They are written in the order of organization and digest, so two processes
/// sharing a PostgreSQL spool take the organizations' locks in the same order and never wait
/// on each other in a circle.
async fn record(store: Store, results: Vec<(Delivery, Analysis)>) -> Vec<Result<bool>> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&results[a].0, &results[b].0);
        (&a.org_id.0, &a.digest).cmp(&(&b.org_id.0, &b.digest))
    });
    let recorded: Vec<Recorded<'_>> = order
        .iter()
        .map(|&i| {
            let (delivery, analysis) = &results[i];
            Recorded {
                org: &delivery.org_id,
                digest: &delivery.digest,
                envelope: &delivery.envelope,
                analysis,
                raw: &delivery.raw,
                spool: Some(spool_id(delivery)),
            }
        })
        .collect();
    let mut stored: Vec<Result<bool>> = match store.record_analyses(&recorded).await {
        Ok(stored) => stored.into_iter().map(Ok).collect(),
        Err(error) if recorded.len() == 1 => vec![Err(error.into())],
        Err(_) => {
            let mut each = Vec::with_capacity(recorded.len());
            for one in &recorded {
                each.push(
                    store
                        .record_analyses(std::slice::from_ref(one))
                        .await
                        .map(|stored| stored[0])
                        .map_err(Into::into),
                );
            }
            each
        }
    };
    // Back into the order they were handed over in.
    let mut answers: Vec<Option<Result<bool>>> = (0..results.len()).map(|_| None).collect();
    for (&i, result) in order.iter().zip(stored.drain(..)) {
        answers[i] = Some(result);
    }
    answers.into_iter().flatten().collect()
}

fn spool_id(delivery: &Delivery) -> &SpoolId {
    let Handle::Sql(id) = &delivery.handle else {
        unreachable!("a SQL spool hands out SQL deliveries");
    };
    id
}

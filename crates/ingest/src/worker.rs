//! Analysis workers: take a message from the spool, analyse it, store the verdict and findings,
//! and only then let the message go.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::analyze::Analyzer;
use crate::spool::{Delivery, Spool};

/// Workers sharing one spool and one analyzer.
#[derive(Clone)]
pub struct Workers {
    spool: Arc<Spool>,
    analyzer: Arc<Analyzer>,
    /// How long raw messages are kept after analysis; `None` keeps none.
    retention: Option<Duration>,
    /// Woken when a stored message opened or joined an incident.
    incidents: Option<Arc<tokio::sync::Notify>>,
    /// Analyses running at once: one per core. The tasks outnumber the cores because most of
    /// a message's time goes to waiting for the database, not to the analysis.
    analysing: Arc<tokio::sync::Semaphore>,
}

impl Workers {
    pub fn new(spool: Arc<Spool>, analyzer: Arc<Analyzer>, retention: Option<Duration>) -> Workers {
        Workers {
            spool,
            analyzer,
            retention,
            incidents: None,
            analysing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
        }
    }

    /// Wakes `notify` whenever a stored message may have opened or joined an incident, so a
    /// notifier in the same process need not wait for its next look.
    pub fn waking(mut self, notify: Arc<tokio::sync::Notify>) -> Workers {
        self.incidents = Some(notify);
        self
    }

    /// Runs `count` workers until `shutdown` completes; a worker busy with a message finishes
    /// it first.
    pub async fn run(self, count: usize, shutdown: impl Future<Output = ()> + Send + 'static) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..count.max(1) {
            let workers = self.clone();
            let mut stopped = stopped.clone();
            tasks.spawn(async move {
                loop {
                    tokio::select! {
                        biased;
                        _ = stopped.changed() => break,
                        next = workers.spool.next() => match next {
                            Ok(delivery) => workers.process(delivery).await,
                            Err(error) => {
                                tracing::warn!(%error, "taking a message from the spool failed");
                                tokio::time::sleep(Duration::from_secs(1)).await;
                            }
                        },
                    }
                }
            });
        }
        shutdown.await;
        let _ = stop.send(true);
        while tasks.join_next().await.is_some() {}
    }

    /// Analyses one message and stores the result. A failure to store leaves the message in
    /// the spool, to be delivered again.
    pub async fn process(&self, delivery: Delivery) {
        let max = self.spool.max_attempts();
        if delivery.attempts > max {
            let reason = format!("analysis did not finish in {max} attempts");
            self.dead(delivery, &reason).await;
            return;
        }
        let store = self.spool.store();
        let domains = match store.verified_domain_names(&delivery.org_id).await {
            Ok(domains) => domains,
            Err(error) => {
                tracing::warn!(%error, "reading the organization's domains failed; the message stays in the spool");
                return;
            }
        };
        let analyzer = self.analyzer.clone();
        let raw = delivery.raw.clone();
        let outcome = {
            let _turn = self.analysing.acquire().await;
            tokio::task::spawn_blocking(move || analyzer.analyze(&domains, &raw)).await
        };
        let analysis = match outcome {
            Ok(Ok(analysis)) => analysis,
            Ok(Err(reason)) => {
                self.dead(delivery, &reason).await;
                return;
            }
            Err(panic) => {
                let reason = format!("analysis failed: {panic}");
                self.dead(delivery, &reason).await;
                return;
            }
        };
        let analysis = forewarn_store::Analysis {
            keep_raw_until: self
                .retention
                .map(|keep| Utc::now().timestamp() + keep.as_secs() as i64),
            ..analysis
        };
        let org = delivery.org_id.clone();
        let digest = delivery.digest.clone();
        let source = delivery.envelope.source;
        match self.spool.finish(delivery, &analysis).await {
            Ok(stored) => {
                if let (true, Some(_), Some(notify)) = (stored, &analysis.incident, &self.incidents)
                {
                    notify.notify_one();
                }
                metrics::counter!("forewarn_messages_analysed_total", "verdict" => analysis.verdict.clone())
                    .increment(u64::from(stored));
                tracing::info!(
                    org = %org,
                    digest = %&digest[..12.min(digest.len())],
                    source = source.as_str(),
                    verdict = %analysis.verdict,
                    score = analysis.score,
                    findings = analysis.findings.as_array().map_or(0, Vec::len),
                    duplicate = !stored,
                    "message analysed"
                );
            }
            Err(error) => {
                tracing::warn!(%error, "storing a result failed; the message stays in the spool")
            }
        }
    }

    async fn dead(&self, delivery: Delivery, reason: &str) {
        let org = delivery.org_id.clone();
        match self.spool.dead(delivery, reason).await {
            Ok(()) => {
                metrics::counter!("forewarn_messages_dead_lettered_total").increment(1);
                tracing::warn!(org = %org, %reason, "message dead-lettered");
            }
            Err(error) => {
                tracing::warn!(%error, "dead-lettering a message failed; it stays in the spool")
            }
        }
    }
}

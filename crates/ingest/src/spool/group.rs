//! Group commit for the SQL spool: writes that arrive while a transaction is being committed
//! wait for it to end and then go together in the next one. Under load one commit (one sync
//! of the database file) carries many messages; when it is quiet a write goes alone, at once.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

use crate::{Error, Result};

/// Writes handed over at most per transaction.
const MOST: usize = 128;

type Reply<R> = oneshot::Sender<Result<R>>;

/// The sending side of one group committer; dropping it ends the committer's task.
pub(super) struct Group<T, R> {
    queue: mpsc::UnboundedSender<(T, Reply<R>)>,
}

impl<T: Send + 'static, R: Send + 'static> Group<T, R> {
    /// Starts the task that commits. `write` gets the items gathered for one transaction and
    /// answers with one result per item, in order; it decides what a failure costs the others
    /// (the spool writes them again one by one, so one bad item fails alone).
    pub(super) fn start<F, Fut>(mut write: F) -> Group<T, R>
    where
        F: FnMut(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<Result<R>>> + Send + 'static,
    {
        let (queue, mut waiting) = mpsc::unbounded_channel::<(T, Reply<R>)>();
        tokio::spawn(async move {
            let mut items = Vec::new();
            let mut replies = Vec::new();
            while let Some((item, reply)) = waiting.recv().await {
                items.push(item);
                replies.push(reply);
                while items.len() < MOST {
                    match waiting.try_recv() {
                        Ok((item, reply)) => {
                            items.push(item);
                            replies.push(reply);
                        }
                        Err(_) => break,
                    }
                }
                let results = write(std::mem::take(&mut items)).await;
                debug_assert_eq!(results.len(), replies.len());
                // A writer who has gone meanwhile (its connection closed) is not told; what
                // was written stays written. One left without a result is told the writer
                // stopped, as its reply is dropped.
                for (reply, result) in replies.drain(..).zip(results) {
                    let _ = reply.send(result);
                }
            }
        });
        Group { queue }
    }

    /// Hands `item` over and waits for its transaction to commit.
    pub(super) async fn write(&self, item: T) -> Result<R> {
        let (reply, result) = oneshot::channel();
        self.queue
            .send((item, reply))
            .map_err(|_| Error::WriterStopped)?;
        result.await.map_err(|_| Error::WriterStopped)?
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn writes_that_wait_together_commit_together_and_fail_alone() {
        let transactions = Arc::new(AtomicUsize::new(0));
        let counted = transactions.clone();
        let group: Group<u32, u32> = Group::start(move |items: Vec<u32>| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move {
                // A slow commit, so the writers behind it pile up.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                items
                    .into_iter()
                    .map(|n| {
                        if n == 13 {
                            Err(Error::Nats("thirteen".into()))
                        } else {
                            Ok(n * 2)
                        }
                    })
                    .collect()
            }
        });
        let group = Arc::new(group);
        let mut writers = tokio::task::JoinSet::new();
        for n in 0..40u32 {
            let group = group.clone();
            writers.spawn(async move { (n, group.write(n).await) });
        }
        let mut answered = 0;
        while let Some(joined) = writers.join_next().await {
            let (n, result) = joined.unwrap();
            match result {
                Ok(doubled) => assert_eq!(doubled, n * 2),
                Err(error) => {
                    assert_eq!(n, 13);
                    assert!(error.to_string().contains("thirteen"));
                }
            }
            answered += 1;
        }
        assert_eq!(answered, 40);
        let used = transactions.load(Ordering::SeqCst);
        assert!(
            (1..=5).contains(&used),
            "40 writes arriving together took {used} transactions"
        );
    }
}

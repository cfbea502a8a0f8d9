//! The spool as a NATS JetStream work-queue stream, for forewarn beyond one machine: any number
//! of ingest and worker processes share it, and PostgreSQL holds the results.
//!
//! Each message is published with `Nats-Msg-Id` set to its organization and digest, so a source
//! that sends the same message again within the stream's duplicate window adds nothing; the
//! server's publish acknowledgement is what makes a put durable. Workers pull with explicit
//! acks: a worker that dies leaves its message unacknowledged, and JetStream redelivers it after
//! the ack wait.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use async_nats::HeaderMap;
use bytes::Bytes;
use forewarn_store::{Analysis, DeadLetterId, Envelope, NewSpoolEntry, OrgId, Store};
use futures_util::StreamExt;
use tokio::sync::Mutex;

use super::{Delivery, Handle};
use crate::{Error, Result};

/// How long a worker may hold a message before JetStream hands it to another, unless
/// configured otherwise.
pub const ACK_WAIT: Duration = Duration::from_secs(120);
/// Room left in the server's largest payload for the headers.
const HEADER_ROOM: usize = 4096;

const ORG: &str = "Forewarn-Org";
const DIGEST: &str = "Forewarn-Digest";
const ENVELOPE: &str = "Forewarn-Envelope";

pub struct NatsSpool {
    store: Store,
    jetstream: jetstream::Context,
    subject_prefix: String,
    stream_name: String,
    consumer: consumer::PullConsumer,
    messages: Mutex<Option<consumer::pull::Stream>>,
    max_payload: usize,
}

impl NatsSpool {
    /// Connects to the NATS server at `url` and makes sure the stream and the workers'
    /// consumer exist. `name` keeps instances apart on one server: the stream is
    /// `<name>-spool` on subjects `<name>.spool.>`. A message a worker holds longer than
    /// `ack_wait` (because it died) goes to another worker.
    pub async fn connect(
        url: &str,
        name: &str,
        ack_wait: Duration,
        store: Store,
    ) -> Result<NatsSpool> {
        let client = async_nats::ConnectOptions::new()
            .name("forewarn")
            .connection_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| Error::Nats(format!("connecting to {url}: {e}")))?;
        let max_payload = client.server_info().max_payload;
        let jetstream = jetstream::new(client);
        let stream_name = format!("{name}-spool");
        let subject_prefix = format!("{name}.spool");
        let stream = jetstream
            .get_or_create_stream(stream::Config {
                name: stream_name.clone(),
                subjects: vec![format!("{subject_prefix}.>")],
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(600),
                ..Default::default()
            })
            .await
            .map_err(|e| Error::Nats(format!("creating the stream {stream_name}: {e}")))?;
        let consumer = stream
            .get_or_create_consumer(
                "workers",
                consumer::pull::Config {
                    durable_name: Some("workers".into()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait,
                    max_ack_pending: 1024,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| Error::Nats(format!("creating the workers' consumer: {e}")))?;
        Ok(NatsSpool {
            store,
            jetstream,
            subject_prefix,
            stream_name,
            consumer,
            messages: Mutex::new(None),
            max_payload,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The server's largest payload, less room for headers. nats-server's `max_payload`
    /// setting (1 MiB unless raised) bounds the messages this spool carries.
    pub fn max_message_bytes(&self) -> usize {
        self.max_payload.saturating_sub(HEADER_ROOM)
    }

    async fn publish(
        &self,
        entry: &NewSpoolEntry,
        msg_id: &str,
    ) -> Result<jetstream::context::PublishAckFuture> {
        if entry.raw.len() > self.max_message_bytes() {
            return Err(Error::TooLarge {
                size: entry.raw.len(),
                limit: self.max_message_bytes(),
            });
        }
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", msg_id);
        headers.insert(ORG, entry.org_id.as_str());
        headers.insert(DIGEST, entry.digest.as_str());
        headers.insert(
            ENVELOPE,
            serde_json::to_string(&entry.envelope)
                .expect("an envelope serializes")
                .as_str(),
        );
        self.jetstream
            .publish_with_headers(
                format!("{}.{}", self.subject_prefix, entry.org_id),
                headers,
                Bytes::from(entry.raw.clone()),
            )
            .await
            .map_err(|e| Error::Nats(format!("publishing to the spool: {e}")))
    }

    pub async fn put(&self, entries: &[NewSpoolEntry]) -> Result<()> {
        // Published together, then every acknowledgement awaited: the server has stored them
        // all before the source acknowledges anything.
        let mut acks = Vec::with_capacity(entries.len());
        for entry in entries {
            let msg_id = format!("{}:{}", entry.org_id, entry.digest);
            acks.push(self.publish(entry, &msg_id).await?);
        }
        for ack in acks {
            ack.await
                .map_err(|e| Error::Nats(format!("the spool did not confirm a message: {e}")))?;
        }
        Ok(())
    }

    pub async fn next(&self) -> Result<Delivery> {
        let mut messages = self.messages.lock().await;
        loop {
            if messages.is_none() {
                *messages = Some(
                    self.consumer
                        .messages()
                        .await
                        .map_err(|e| Error::Nats(format!("pulling from the spool: {e}")))?,
                );
            }
            let next = messages.as_mut().expect("just set").next().await;
            let message = match next {
                Some(Ok(message)) => message,
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "pulling from the spool failed; pulling again");
                    *messages = None;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
                None => {
                    *messages = None;
                    continue;
                }
            };
            match decode(&message) {
                Ok((org_id, digest, envelope)) => {
                    let attempts = message.info().map(|i| i.delivered).unwrap_or(1);
                    return Ok(Delivery {
                        org_id,
                        digest,
                        envelope,
                        raw: message.payload.to_vec(),
                        attempts,
                        handle: Handle::Nats(Box::new(message)),
                    });
                }
                Err(reason) => {
                    // Not something forewarn published: it cannot be attributed to an
                    // organization, so it cannot be dead-lettered either. Drop it, loudly.
                    tracing::error!(%reason, subject = %message.subject, "a message in the spool is not forewarn's; it was removed");
                    let _ = message.ack_with(jetstream::AckKind::Term).await;
                }
            }
        }
    }

    pub async fn finish(&self, delivery: Delivery, analysis: &Analysis) -> Result<bool> {
        let stored = delivery.record(&self.store, analysis, None).await?;
        ack(&delivery).await?;
        Ok(stored)
    }

    pub async fn dead(&self, delivery: Delivery, reason: &str) -> Result<()> {
        self.store
            .insert_dead_letter(&delivery.entry(), delivery.attempts, reason)
            .await?;
        ack(&delivery).await
    }

    pub async fn retry(&self, id: &DeadLetterId) -> Result<bool> {
        let Some(dead) = self.store.find_dead_letter_by_id(id).await? else {
            return Ok(false);
        };
        let entry = NewSpoolEntry {
            org_id: dead.org_id.clone(),
            digest: dead.digest.clone(),
            envelope: dead
                .envelope
                .clone()
                .ok_or(Error::Nats("the dead letter has no envelope".into()))?,
            raw: dead.raw,
        };
        // A retry is a new publication, not a duplicate of the first one.
        let msg_id = format!("{}:{}:retry:{}", entry.org_id, entry.digest, id);
        self.publish(&entry, &msg_id)
            .await?
            .await
            .map_err(|e| Error::Nats(format!("the spool did not confirm a message: {e}")))?;
        self.store.delete_dead_letter(id).await?;
        Ok(true)
    }

    pub async fn pending(&self) -> Result<u64> {
        let stream = self
            .jetstream
            .get_stream(&self.stream_name)
            .await
            .map_err(|e| Error::Nats(format!("reading the spool stream: {e}")))?;
        let info = stream
            .get_info()
            .await
            .map_err(|e| Error::Nats(format!("reading the spool stream: {e}")))?;
        Ok(info.state.messages)
    }
}

async fn ack(delivery: &Delivery) -> Result<()> {
    let Handle::Nats(message) = &delivery.handle else {
        unreachable!("a NATS spool hands out NATS deliveries");
    };
    message
        .double_ack()
        .await
        .map_err(|e| Error::Nats(format!("acknowledging a spooled message: {e}")))
}

fn decode(message: &jetstream::Message) -> Result<(OrgId, String, Envelope), String> {
    let headers = message.headers.as_ref().ok_or("no headers")?;
    let org = headers.get(ORG).ok_or("no organization")?.as_str();
    let digest = headers.get(DIGEST).ok_or("no digest")?.as_str();
    let envelope = headers.get(ENVELOPE).ok_or("no envelope")?.as_str();
    let envelope: Envelope =
        serde_json::from_str(envelope).map_err(|e| format!("the envelope is not valid: {e}"))?;
    Ok((OrgId(org.to_owned()), digest.to_owned(), envelope))
}

//! The JetStream spool against a real nats-server (FOREWARN_TEST_NATS_URL) with PostgreSQL (or
//! SQLite) for the results: durable puts, de-duplication by organization and digest,
//! redelivery of what a dead worker held, dead letters and their retry.

use std::sync::Arc;
use std::time::Duration;

use forewarn_ingest::spool::{NatsSpool, Spool};
use forewarn_ingest::{Analyzer, Intake, Workers, Wrapping};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Page, Recipient, Source, Store};
use forewarn_test_support::{nats_url, unique_name, TestDatabase};

async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited too long for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn jetstream_carries_the_spool_without_loss_or_doubles() {
    let Some(url) = nats_url() else { return };
    let db = match TestDatabase::postgres().await {
        Some(db) => db,
        None => TestDatabase::sqlite(),
    };
    let store = Store::connect(db.url()).await.unwrap();
    let clinic = enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let name = unique_name("forewarn-test");
    let spool = Arc::new(Spool::Nats(Box::new(
        NatsSpool::connect(&url, &name, Duration::from_secs(2), store.clone())
            .await
            .unwrap(),
    )));
    assert!(spool.max_message_bytes() > 512 * 1024);
    let intake = Intake::new(spool.clone());
    let to_ada = [Recipient {
        org_id: clinic.org_id.clone(),
        account_id: Some(clinic.accounts[0].clone()),
    }];
    for n in 0..20 {
        let raw = format!("From: it@clinic-support.example\r\nSubject: message {n}\r\nMessage-ID: <{n}@x.example>\r\n\r\nhello\r\n");
        intake
            .accept(Source::Upload, raw.into_bytes(), &to_ada, Wrapping::None)
            .await
            .unwrap();
    }
    // The same message again within the duplicate window adds nothing to the stream.
    intake
        .accept(
            Source::Upload,
            b"From: it@clinic-support.example\r\nSubject: message 0\r\nMessage-ID: <0@x.example>\r\n\r\nhello\r\n".to_vec(),
            &to_ada,
            Wrapping::None,
        )
        .await
        .unwrap();
    // Nothing the parser can read: dead-lettered with the reason, not dropped.
    intake
        .accept(Source::Upload, b"   \r\n".to_vec(), &to_ada, Wrapping::None)
        .await
        .unwrap();
    assert_eq!(
        spool.pending().await.unwrap(),
        21,
        "20 messages and the unreadable one, not the duplicate"
    );

    // A worker takes one and dies without acknowledging it: JetStream hands it out again.
    let held = spool.next().await.unwrap();
    assert_eq!(held.attempts, 1);
    drop(held);

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let workers = tokio::spawn(
        Workers::new(spool.clone(), Arc::new(Analyzer::builtin()), None).run(2, async {
            let _ = stopped.await;
        }),
    );
    until("every message analysed", async || {
        store.message_count().await.unwrap() == 20 && spool.pending().await.unwrap() == 0
    })
    .await;
    let messages = store
        .messages(
            Some(&clinic.org_id),
            &Page {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(messages.len(), 20);
    assert!(messages.iter().all(|m| m.accounts == clinic.accounts));
    let dead = store.dead_letters(&Page::default()).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0].reason.contains("empty"), "{}", dead[0].reason);

    // Retried, it fails the same way and comes back to the list, once.
    let first = dead[0].id.clone();
    assert!(spool.retry(&first).await.unwrap());
    assert!(
        !spool.retry(&first).await.unwrap(),
        "a retried dead letter is gone"
    );
    until("the retried message dead-lettered again", async || {
        let dead = store.dead_letters(&Page::default()).await.unwrap();
        dead.len() == 1 && dead[0].id != first && spool.pending().await.unwrap() == 0
    })
    .await;
    let _ = stop.send(());
    workers.await.unwrap();
    let client = async_nats::connect(&url).await.unwrap();
    async_nats::jetstream::new(client)
        .delete_stream(format!("{name}-spool"))
        .await
        .unwrap();
}

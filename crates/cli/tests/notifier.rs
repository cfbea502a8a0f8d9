//! The notifier as a process of its own: `forewarn notifier` on PostgreSQL tells an incident
//! that another process stored, by a webhook signed per Standard Webhooks to a receiver on
//! loopback, and stops cleanly on SIGTERM. On the embedded SQLite database it refuses to start
//! and says why: `forewarn serve` tells incidents there.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::fixtures::{critical_message, enrolled_org};
use forewarn_store::{Actor, Store};
use forewarn_test_support::{TempDir, TestDatabase, WebhookReceiver};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notifier_process_tells_what_another_process_stored() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let dir = TempDir::new("forewarn-notifier");
    // Opened with the key file the notifier finds in its data directory.
    let store = Store::connect_with_key_file(
        db.url(),
        &dir.path().join("data").join("personal-data.keys"),
    )
    .await
    .unwrap();
    let clinic = enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let hooks = WebhookReceiver::start().await;
    let secret = WebhookSecret::generate();
    store
        .insert_webhook(
            &Actor(None),
            &clinic.org_id,
            &hooks.url,
            "SOC",
            &secret.expose(),
        )
        .await
        .unwrap();
    // What a `forewarn worker` elsewhere would have stored.
    critical_message(
        &store,
        &clinic,
        "digest-notifier-process",
        "it@mailbox-quota.example",
        "Your mailbox is full",
    )
    .await
    .unwrap();

    let log = dir.path().join("notifier.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["notifier", "--database-url", db.url()])
        .current_dir(dir.path())
        .env("FOREWARN_WEBHOOKS__ALLOW_PRIVATE", "true")
        .env("FOREWARN_DATA_DIR", dir.path().join("data"))
        .env_remove("FOREWARN_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();

    let requests = hooks.wait_for(1, Duration::from_secs(30)).await;
    let request = &requests[0];
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("\"type\":\"incident.notified\"") && body.contains("mailbox-quota[.]example"),
        "{body}"
    );
    let id = request.header("webhook-id").unwrap();
    let timestamp: i64 = request
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let expected = secret.sign(id, timestamp, &request.body);
    assert!(
        request
            .header("webhook-signature")
            .unwrap()
            .split(' ')
            .any(|s| s == expected),
        "signed with the endpoint's secret"
    );

    // SIGTERM stops it cleanly, after it recorded what it sent.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sent = store
            .incidents(Some(&clinic.org_id), &forewarn_store::Page::default())
            .await
            .unwrap()
            .iter()
            .any(|i| i.status == forewarn_store::IncidentStatus::Notified);
        if sent {
            break;
        }
        assert!(Instant::now() < deadline, "the delivery was never recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "forewarn notifier did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("forewarn notifier stopped"), "{log}");
    assert_eq!(hooks.requests().len(), 1, "told once");
    store.close().await;
}

#[test]
fn the_notifier_process_needs_postgresql() {
    let dir = TempDir::new("forewarn-notifier-sqlite");
    let output = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["notifier"])
        .current_dir(dir.path())
        .env_remove("FOREWARN_DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("`forewarn serve` tells incidents itself"),
        "{said}"
    );
}

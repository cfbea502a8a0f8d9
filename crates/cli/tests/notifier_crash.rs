//! The notifier's crash test: `forewarn serve` is telling an organization about many critical
//! incidents, by e-mail (to aiosmtpd) and by webhook, when it is killed with SIGKILL many times,
//! each time while a webhook it sent has arrived and before it could record that, and started
//! again. Afterwards every incident was told to every recipient, and whatever a recipient
//! received more than once was the very same message: same id, same words.
//!
//! Run on SQLite (one process) and on PostgreSQL, where a killed process's leases run out
//! instead of being released at start.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Actor, Analysis, Envelope, IncidentDraft, Source, Store};
use forewarn_test_support::{
    free_tcp_port, Rng, SmtpReceiver, TempDir, TestDatabase, WebhookReceiver,
};

const INCIDENTS: usize = 40;

fn start(config: &Path, data: &Path, log: &Path, database_url: Option<&str>) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_forewarn"));
    command
        .args(["serve", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{}", free_tcp_port())])
        .env("FOREWARN_LOG", "warn,forewarn_server=info")
        .env_remove("FOREWARN_DATABASE_URL")
        .env_remove("FOREWARN_NATS_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    command.spawn().unwrap()
}

async fn crash_and_recover(db: &TestDatabase, smtp: &SmtpReceiver, kills: usize) {
    let dir = TempDir::new("notifier-crash");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let sqlite = format!("sqlite://{}", data.join("forewarn.db").display());
    let postgres = db
        .url()
        .starts_with("postgres")
        .then(|| db.url().to_owned());
    let url = postgres.clone().unwrap_or(sqlite);
    let store = Store::connect_with_key_file(&url, &data.join("personal-data.keys"))
        .await
        .unwrap();
    let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
    let clinic = enrolled_org(&store, &domain, &[&format!("ada@{domain}")])
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
    for n in 0..INCIDENTS {
        store
            .record_analysis(
                &clinic.org_id,
                &format!("digest-{n}"),
                &Envelope::new(Source::Smtp, clinic.accounts.clone()),
                &Analysis {
                    header_message_id: None,
                    sender: Some(format!("it@lure-{n}.example")),
                    subject: Some(format!("Lure {n}")),
                    verdict: "malicious".into(),
                    score: 90,
                    findings: serde_json::json!([]),
                    keep_raw_until: None,
                    incident: Some(IncidentDraft {
                        kind: forewarn_store::IncidentKind::CredentialPhishing,
                        severity: forewarn_store::Severity::Critical,
                        actor: None,
                        title: format!("Lure {n}"),
                        keys: vec![format!("sender:it@lure-{n}.example")],
                    }),
                },
                b"",
                None,
            )
            .await
            .unwrap();
    }
    let config = dir.path().join("forewarn.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nfrom = \"alerts@cert.example\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"none\"\n\n[ingest]\nworkers = 0\n\n[webhooks]\nallow_private = true\ntimeout_secs = 2\nconcurrency = 4\n",
            smtp.addr.port(),
        ),
    )
    .unwrap();

    // The receiver kills forewarn when a webhook has arrived and before it is answered: the
    // send happened, the record cannot.
    let mut rng = Rng::from_clock(&format!("notifier crash test ({})", db.label()));
    let mut at = 0;
    let kill_at: BTreeSet<usize> = (0..kills)
        .map(|_| {
            at += 1 + rng.next(5) as usize;
            at
        })
        .collect();
    let pid = Arc::new(AtomicU32::new(0));
    let seen = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(Mutex::new(0usize));
    {
        let (pid, seen, killed) = (pid.clone(), seen.clone(), killed.clone());
        hooks.on_request(move |_| {
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            if kill_at.contains(&n) {
                let target = pid.load(Ordering::SeqCst);
                let _ = Command::new("kill")
                    .args(["-9", &target.to_string()])
                    .status();
                *killed.lock().unwrap() += 1;
            }
        });
    }
    let log = dir.path().join("serve.log");
    let mut child = start(&config, &data, &log, postgres.as_deref());
    pid.store(child.id(), Ordering::SeqCst);
    let mut restarts = 0;
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if child.try_wait().unwrap().is_some() {
            restarts += 1;
            child = start(&config, &data, &log, postgres.as_deref());
            pid.store(child.id(), Ordering::SeqCst);
        }
        let mut sent = 0;
        let mut all = 0;
        let mut notified = 0;
        for incident in store
            .incidents(
                Some(&clinic.org_id),
                &forewarn_store::Page {
                    after: None,
                    limit: 500,
                },
            )
            .await
            .unwrap()
        {
            notified += usize::from(incident.status == forewarn_store::IncidentStatus::Notified);
            for n in store.notifications(&incident.id).await.unwrap() {
                all += 1;
                sent += usize::from(n.status == "sent");
            }
        }
        if all == 2 * INCIDENTS && sent == all && notified == INCIDENTS {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{sent} of {all} notifications sent after {restarts} restarts; forewarn said:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        *killed.lock().unwrap() >= kills,
        "killed {} times, meant {kills}",
        killed.lock().unwrap()
    );

    // Every incident reached the webhook; each webhook-id always carried the same body.
    let mut bodies: BTreeMap<String, BTreeSet<Vec<u8>>> = BTreeMap::new();
    for request in hooks.requests() {
        let ts = request.header("webhook-timestamp").unwrap();
        let id = request.header("webhook-id").unwrap();
        secret
            .verify(
                id,
                ts,
                request.header("webhook-signature").unwrap(),
                &request.body,
                chrono::Utc::now().timestamp(),
            )
            .unwrap();
        bodies
            .entry(id.to_owned())
            .or_default()
            .insert(request.body.clone());
    }
    assert_eq!(bodies.len(), INCIDENTS, "one webhook message per incident");
    let mut incidents = BTreeSet::new();
    for (id, versions) in &bodies {
        assert_eq!(versions.len(), 1, "{id} was sent with different bodies");
        let payload: serde_json::Value =
            serde_json::from_slice(versions.iter().next().unwrap()).unwrap();
        incidents.insert(
            payload["data"]["incident"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(incidents.len(), INCIDENTS, "every incident, by webhook");

    // Every incident reached the security contact; each Message-ID always carried the same
    // words.
    let contact = format!("security@{domain}");
    let mut mails: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for raw in smtp.messages().iter().filter(|m| m.contains(&contact)) {
        let parsed = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        mails
            .entry(parsed.message_id().unwrap().to_owned())
            .or_default()
            .insert(parsed.body_text(0).unwrap().into_owned());
    }
    assert_eq!(mails.len(), INCIDENTS, "one e-mail per incident");
    for (id, versions) in &mails {
        assert_eq!(versions.len(), 1, "{id} was sent with different words");
    }
    eprintln!(
        "notifier crash test ({}): {} kills, {restarts} restarts, {} webhook requests and {} e-mails for {INCIDENTS} incidents",
        db.label(),
        killed.lock().unwrap(),
        hooks.requests().len(),
        mails.values().map(BTreeSet::len).sum::<usize>(),
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_notifier_between_send_and_record_never_loses_or_changes_a_notification() {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    crash_and_recover(&TestDatabase::sqlite(), &smtp, 12).await;
    if let Some(postgres) = TestDatabase::postgres().await {
        // A killed process's leases run out (the webhook timeout and a few seconds) rather
        // than being released, so fewer kills keep the test short.
        crash_and_recover(&postgres, &smtp, 4).await;
    }
}

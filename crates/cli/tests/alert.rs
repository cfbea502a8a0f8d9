//! From the wire to the people who must act: a message carrying a known actor's indicator
//! arrives over SMTP at `forewarn serve`, is analysed, opens a critical incident, and the
//! organization is told in its language (Spanish here) both ways it asked: its security
//! contact receives the alert at a real SMTP receiver (aiosmtpd), and its webhook endpoint,
//! added through the API, receives the incident signed per Standard Webhooks — who is behind
//! it, the evidence defanged, and the steps to take. The organization then marks the incident a
//! false positive through the API, and the next such message tells nobody.

mod common;

use std::time::Duration;

use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::fixtures::enrolled_org_speaking;
use forewarn_store::Store;
use forewarn_test_support::{SmtpReceiver, TempDir, WebhookReceiver};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};

const BUNDLE: &str = r#"{
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1", "name": "Example Bear", "aliases": ["EXAMPLE-7"]},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'health-ministry-portal.example']", "valid_from": "2024-01-01T00:00:00Z", "confidence": 85},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "indicates",
     "source_ref": "indicator--1", "target_ref": "intrusion-set--1"}
  ]
}"#;

/// An API token for the organization's administrator, made straight in the store.
async fn send(smtp: u16, raw: &str) {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp)
        .build()
        .send_raw(
            &Envelope::new(
                Some("journal@clinic.example".parse().unwrap()),
                vec!["ada@clinic.example".parse().unwrap()],
            )
            .unwrap(),
            raw.as_bytes(),
        )
        .await
        .unwrap();
}

fn phish(n: u32) -> String {
    format!(
        "From: \"Ministerio de Salud\" <aviso@health-ministry-portal.example>\r\nTo: ada@clinic.example\r\nSubject: Nuevo calendario de vacunas {n}\r\nMessage-ID: <schedule-{n}@health-ministry-portal.example>\r\nContent-Type: text/html\r\n\r\n<p>Revise el nuevo calendario: <a href=\"https://health-ministry-portal.example/login?n={n}\">acceder</a></p>\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_actors_mail_reaches_the_organization_by_mail_and_signed_webhook() {
    let Some(receiver) = SmtpReceiver::start() else {
        return;
    };
    let hooks = WebhookReceiver::start().await;
    let dir = TempDir::new("alert-e2e");
    let data = dir.path().join("data");
    std::fs::create_dir_all(dir.path().join("intel")).unwrap();
    std::fs::write(dir.path().join("intel/example-bear.json"), BUNDLE).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    // Opened with the key file `forewarn serve` finds in the same data directory.
    let store = Store::connect_with_key_file(
        &format!("sqlite://{}", data.join("forewarn.db").display()),
        &data.join("personal-data.keys"),
    )
    .await
    .unwrap();
    let clinic = enrolled_org_speaking(&store, "clinic.example", &["ada@clinic.example"], "es")
        .await
        .unwrap();
    let token = common::token_for(&store, &clinic.admin).await;
    store.close().await;
    let config = dir.path().join("forewarn.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nfrom = \"alerts@cert.example\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"none\"\n\n[ingest]\nintel = [\"{}\"]\n\n[webhooks]\nallow_private = true\n",
            receiver.addr.port(),
            dir.path().join("intel").display()
        ),
    )
    .unwrap();
    let serve = common::Serve::start(dir.path(), &config, &data);
    let (http, smtp) = (serve.http, serve.smtp);
    let said = || serve.said();
    let api = format!("http://127.0.0.1:{http}/api/v1/orgs/{}", clinic.org_id);
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut request = client
            .request(method, format!("{api}{path}"))
            .bearer_auth(&token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        }
    };
    let (status, created) = call(
        reqwest::Method::POST,
        "/webhooks",
        Some(json!({ "url": hooks.url, "description": "SOC" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let secret = WebhookSecret::parse(created["secret"].as_str().unwrap()).unwrap();

    send(smtp, &phish(1)).await;
    let alert = tokio::time::timeout(
        Duration::from_secs(60),
        receiver.wait_for("security@clinic.example"),
    )
    .await
    .unwrap_or_else(|_| panic!("no alert; forewarn said:\n{}", said()));
    let parsed = mail_parser::MessageParser::default()
        .parse(alert.as_bytes())
        .unwrap();
    assert_eq!(
        parsed.subject().unwrap(),
        "[forewarn] Alerta crítica para Organization of clinic.example: robo de credenciales",
        "in the organization's language"
    );
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("Example Bear"), "{text}");
    assert!(
        text.contains("aviso@health-ministry-portal[.]example"),
        "{text}"
    );
    assert!(!text.contains("health-ministry-portal.example"), "{text}");
    assert!(text.contains("1. "), "{text}");
    assert!(parsed.body_html(0).is_some(), "an HTML alternative too");

    let delivered = hooks.wait_for(1, Duration::from_secs(30)).await;
    let hook = &delivered[0];
    let now = chrono::Utc::now().timestamp();
    secret
        .verify(
            hook.header("webhook-id").unwrap(),
            hook.header("webhook-timestamp").unwrap(),
            hook.header("webhook-signature").unwrap(),
            &hook.body,
            now,
        )
        .expect("signed with the endpoint's secret");
    let payload: Value = serde_json::from_slice(&hook.body).unwrap();
    let data = &payload["data"];
    assert_eq!(payload["type"], "incident.notified");
    assert_eq!(data["incident"]["severity"], "critical");
    assert_eq!(data["incident"]["actor"], "Example Bear");
    assert_eq!(data["language"], "es");
    assert_eq!(
        data["message"]["sender"],
        "aviso@health-ministry-portal[.]example"
    );
    assert_eq!(data["accounts"][0]["address"], "ada@clinic.example");
    let steps = data["steps"].as_array().unwrap();
    assert!((3..=5).contains(&steps.len()), "{steps:?}");
    assert!(
        steps[0].as_str().unwrap().contains("contraseña"),
        "the steps in Spanish: {steps:?}"
    );
    assert!(!hook
        .body
        .windows(30)
        .any(|w| w == b"health-ministry-portal.example"));

    // The organization judges it harmless, through the API.
    let incident = data["incident"]["id"].as_str().unwrap().to_owned();
    let (status, marked) = call(
        reqwest::Method::POST,
        &format!("/incidents/{incident}/status"),
        Some(json!({ "status": "false_positive" })),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    assert_eq!(marked["status"], "false_positive");

    // The next such message is analysed, and tells nobody.
    send(smtp, &phish(2)).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (_, messages) = call(reqwest::Method::GET, "/messages", None).await;
        if messages["items"].as_array().map_or(0, Vec::len) == 2 {
            assert_eq!(messages["items"][1]["verdict"], "malicious", "{messages}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the second message was not analysed; forewarn said:\n{}",
            said()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (_, incidents) = call(reqwest::Method::GET, "/incidents", None).await;
    assert_eq!(
        incidents["items"].as_array().unwrap().len(),
        1,
        "no new incident: {incidents}"
    );
    assert_eq!(hooks.requests().len(), 1, "no second webhook");
    assert_eq!(
        receiver
            .messages()
            .iter()
            .filter(|m| m.contains("security@clinic.example"))
            .count(),
        1,
        "no second e-mail"
    );
    drop(serve);
}

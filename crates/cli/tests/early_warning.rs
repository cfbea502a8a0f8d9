//! Early warning across member organizations (issue 20): the same campaign reaches three
//! clinics over SMTP; the operator's analysts see one campaign across the three, and the fourth
//! clinic of the same sector, which it has not reached yet, is warned in its language by mail
//! (at a real SMTP receiver, aiosmtpd) and by a signed `campaign.warning` webhook: what to
//! block and what to do, with the count of organizations hit (three, the programs' k) and none
//! of them named — not in the warning, the log or the metrics.

mod common;

use std::time::Duration;

use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::fixtures::enrolled_org_speaking;
use forewarn_store::{Actor, NewUser, Role, Store};
use forewarn_test_support::{SmtpReceiver, TempDir, WebhookReceiver};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};

const BUNDLE: &str = r#"{
  "type": "bundle",
  "id": "bundle--7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
  "objects": [
    {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1", "name": "Example Bear"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'health-ministry-portal.example']", "valid_from": "2024-01-01T00:00:00Z", "confidence": 85},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "indicates",
     "source_ref": "indicator--1", "target_ref": "intrusion-set--1"}
  ]
}"#;

/// An API token for an invited `user`, who accepts the invitation first.
/// The campaign's lure, journaled for `to`.
async fn send(smtp: u16, to: &str, n: u32) {
    let raw = format!(
        "From: \"Ministry of Health\" <notice@health-ministry-portal.example>\r\nTo: {to}\r\n\
         Subject: New vaccination schedule {n}\r\nMessage-ID: <schedule-{n}@health-ministry-portal.example>\r\n\
         Content-Type: text/html\r\n\r\n<p>See the new schedule: \
         <a href=\"https://health-ministry-portal.example/login?n={n}\">sign in</a></p>\r\n"
    );
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp)
        .build()
        .send_raw(
            &Envelope::new(
                Some("journal@relay.example".parse().unwrap()),
                vec![to.parse().unwrap()],
            )
            .unwrap(),
            raw.as_bytes(),
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_a_campaign_across_three_clinics_warns_the_fourth_without_naming_them() {
    let Some(receiver) = SmtpReceiver::start() else {
        return;
    };
    let hooks = WebhookReceiver::start().await;
    let dir = TempDir::new("early-warning-e2e");
    let data = dir.path().join("data");
    std::fs::create_dir_all(dir.path().join("intel")).unwrap();
    std::fs::write(dir.path().join("intel/example-bear.json"), BUNDLE).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let store = Store::connect_with_key_file(
        &format!("sqlite://{}", data.join("forewarn.db").display()),
        &data.join("personal-data.keys"),
    )
    .await
    .unwrap();
    let mut hit = Vec::new();
    for name in ["clinic-alpha", "clinic-bravo", "clinic-charlie"] {
        let domain = format!("{name}.example");
        let org = enrolled_org_speaking(&store, &domain, &[&format!("ada@{domain}")], "en")
            .await
            .unwrap();
        hit.push((name, domain, org));
    }
    let warned = enrolled_org_speaking(
        &store,
        "clinique-delta.example",
        &["ada@clinique-delta.example"],
        "fr",
    )
    .await
    .unwrap();
    let warned_admin = common::token_for(&store, &warned.admin).await;
    let operator = store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: None,
                role: Role::Analyst,
                name: "Ana".into(),
                email: "ana@cert.example".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();
    let analyst = common::token_for(&store, &operator.id).await;
    store.close().await;

    let config = dir.path().join("forewarn.toml");
    std::fs::write(
        &config,
        format!(
            "early_warning_secs = 1\n\n[mail]\nfrom = \"alerts@cert.example\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"none\"\n\n[ingest]\nintel = [\"{}\"]\n\n[webhooks]\nallow_private = true\n",
            receiver.addr.port(),
            dir.path().join("intel").display()
        ),
    )
    .unwrap();
    let serve = common::Serve::start(dir.path(), &config, &data);
    let (http, smtp) = (serve.http, serve.smtp);
    let said = || serve.said();
    let base = format!("http://127.0.0.1:{http}");
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{base}/api/v1/orgs/{}/webhooks", warned.org_id))
        .bearer_auth(&warned_admin)
        .json(&json!({ "url": hooks.url, "description": "SOC" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = WebhookSecret::parse(created["secret"].as_str().unwrap()).unwrap();

    for (n, (_, domain, _)) in hit.iter().enumerate() {
        send(smtp, &format!("ada@{domain}"), n as u32 + 1).await;
    }

    // The analysts see one campaign across the three.
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    let campaign = loop {
        let listed: Value = client
            .get(format!("{base}/api/v1/campaigns"))
            .bearer_auth(&analyst)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = listed["items"].as_array().cloned().unwrap_or_default();
        if items.len() == 1 && items[0]["orgs_hit"] == 3 {
            break items[0].clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no campaign across three organizations ({listed}); forewarn said:\n{}",
            said()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let mut reached: Vec<&str> = campaign["org_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    reached.sort();
    let mut expected: Vec<&str> = hit.iter().map(|(_, _, o)| o.org_id.as_str()).collect();
    expected.sort();
    assert_eq!(reached, expected);
    assert_eq!(campaign["name"], "Example Bear");

    // What would name a hit organization.
    let mut secrets: Vec<String> = Vec::new();
    for (name, domain, org) in &hit {
        secrets.extend([
            (*name).to_owned(),
            domain.clone(),
            org.org_id.0.clone(),
            format!("Organization of {domain}"),
        ]);
    }
    let names_none = |text: &str, what: &str| {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{what} names {secret}:\n{text}"
            );
        }
    };

    // The fourth clinic is warned by mail, in French, with the count and what to block.
    let mail = tokio::time::timeout(
        Duration::from_secs(60),
        receiver.wait_for("security@clinique-delta.example"),
    )
    .await
    .unwrap_or_else(|_| panic!("no warning; forewarn said:\n{}", said()));
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.as_bytes())
        .unwrap();
    let subject = parsed.subject().unwrap().to_owned();
    assert!(
        subject.starts_with("[forewarn] Alerte précoce : Example Bear"),
        "{subject}"
    );
    let text = parsed.body_text(0).unwrap().to_string();
    assert!(text.contains("3 organisations membres"), "{text}");
    assert!(text.contains("health-ministry-portal[.]example"), "{text}");
    assert!(
        text.contains("notice@health-ministry-portal[.]example"),
        "{text}"
    );
    assert!(text.contains("1. "), "the steps: {text}");
    names_none(&subject, "the warning's subject");
    names_none(&text, "the warning");

    // And by a signed webhook of its own type.
    let delivered = hooks.wait_for(1, Duration::from_secs(30)).await;
    let hook = &delivered[0];
    secret
        .verify(
            hook.header("webhook-id").unwrap(),
            hook.header("webhook-timestamp").unwrap(),
            hook.header("webhook-signature").unwrap(),
            &hook.body,
            chrono::Utc::now().timestamp(),
        )
        .expect("signed with the endpoint's secret");
    let payload: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(payload["type"], "campaign.warning");
    assert_eq!(payload["data"]["campaign"]["organizations_hit"], 3);
    assert_eq!(
        payload["data"]["organization"]["id"],
        warned.org_id.as_str()
    );
    assert_eq!(payload["data"]["language"], "fr");
    let indicators = payload["data"]["indicators"].to_string();
    assert!(
        indicators.contains("health-ministry-portal.example"),
        "{indicators}"
    );
    names_none(&String::from_utf8_lossy(&hook.body), "the warning webhook");

    // The clinics that were hit are not warned of their own campaign, the warned clinic only
    // once; the analysts see it was warned.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let warnings: Vec<String> = receiver
        .messages()
        .into_iter()
        .filter(|m| {
            let subject = mail_parser::MessageParser::default()
                .parse(m.as_bytes())
                .and_then(|p| p.subject().map(str::to_owned))
                .unwrap_or_default();
            subject.contains("Alerte précoce") || subject.contains("Early warning")
        })
        .collect();
    // Its security contact and its admin, once each; nobody at the clinics that were hit.
    assert_eq!(
        warnings.len(),
        2,
        "one warning per person of the fourth clinic"
    );
    for (_, domain, _) in &hit {
        assert!(!warnings.iter().any(|m| m.contains(&format!("@{domain}"))));
    }
    assert_eq!(hooks.requests().len(), 1, "one webhook");
    let listed: Value = client
        .get(format!("{base}/api/v1/campaigns"))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["warned"], 1, "{listed}");

    // Nothing the process logged about campaigns or warnings, and no metric, names them.
    let log = said();
    for line in log
        .lines()
        .filter(|l| l.contains("campaign") || l.contains("warning"))
    {
        names_none(line, "a log line");
    }
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    names_none(&metrics, "the metrics");
    drop(serve);
}

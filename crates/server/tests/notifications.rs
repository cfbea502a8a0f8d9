//! Webhook deliveries by the running service's notifier to a real HTTP receiver on loopback:
//! a failed delivery is tried again with the same webhook-id and body, a rotated secret signs
//! alongside the previous one, and 410 Gone disables the endpoint. The notification policy
//! decides what is told at once and what waits for an analyst, who can edit, approve or
//! dismiss it.

mod common;

use std::time::Duration;

use common::{spawn_app, Auth, Peers, TestApp};
use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::fixtures::{enrolled_org, Enrolled};
use forewarn_store::{Analysis, Envelope, IncidentDraft, IncidentId, Page, Severity, Source};
use forewarn_test_support::{TestDatabase, WebhookReceiver, WebhookRequest};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn suspicious(app: &TestApp, org: &Enrolled, key: &str, severity: Severity) -> IncidentId {
    let store = &app.state.store;
    store
        .record_analysis(
            &org.org_id,
            &format!("digest-{key}"),
            &Envelope::new(Source::Smtp, org.accounts.clone()),
            &Analysis {
                header_message_id: None,
                sender: Some(format!("it@{key}.example")),
                subject: Some("Your mailbox is full".into()),
                verdict: "malicious".into(),
                score: 80,
                findings: json!([]),
                keep_raw_until: None,
                incident: Some(IncidentDraft {
                    kind: forewarn_store::IncidentKind::CredentialPhishing,
                    severity,
                    actor: None,
                    title: format!("Mailbox full from {key}"),
                    keys: vec![format!("sender:it@{key}.example")],
                }),
            },
            b"",
            None,
        )
        .await
        .unwrap();
    store
        .incidents(Some(&org.org_id), &Page::default())
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.title.ends_with(key))
        .unwrap()
        .id
}

async fn setup(db: &TestDatabase) -> (TestApp, Auth, Enrolled, WebhookReceiver) {
    let app = spawn_app(
        db,
        Peers {
            dns: None,
            smtp: None,
        },
    )
    .await;
    let operator = app
        .token_for(&app.operator_email, &app.operator_password)
        .await;
    let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
    let clinic = enrolled_org(&app.state.store, &domain, &[&format!("ada@{domain}")])
        .await
        .unwrap();
    let hooks = WebhookReceiver::start().await;
    (app, operator, clinic, hooks)
}

async fn webhook_notifications(
    app: &TestApp,
    incident: &IncidentId,
) -> Vec<forewarn_store::Notification> {
    app.state
        .store
        .notifications(incident)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.channel == "webhook")
        .collect()
}

fn verify(secret: &WebhookSecret, request: &WebhookRequest) -> bool {
    secret
        .verify(
            request.header("webhook-id").unwrap(),
            request.header("webhook-timestamp").unwrap(),
            request.header("webhook-signature").unwrap(),
            &request.body,
            chrono::Utc::now().timestamp(),
        )
        .is_ok()
}

async fn quiet(hooks: &WebhookReceiver, count: usize) {
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(hooks.requests().len(), count, "nothing more was posted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_retried_rotated_and_disabled_when_gone() {
    for db in TestDatabase::all().await {
        let (app, operator, clinic, hooks) = setup(&db).await;
        let org = &clinic.org_id;
        let created = app
            .post(
                &format!("/orgs/{org}/webhooks"),
                &operator,
                json!({ "url": hooks.url }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let endpoint = created.body["id"].as_str().unwrap().to_owned();
        let first_secret = WebhookSecret::parse(created.body["secret"].as_str().unwrap()).unwrap();
        let listed = app.get(&format!("/orgs/{org}/webhooks"), &operator).await;
        assert!(
            listed.body[0].get("secret").is_none(),
            "the secret is shown only when made: {}",
            listed.body
        );

        // The receiver is down: the delivery fails and is tried again on the schedule.
        hooks.answer_with(503);
        let incident = suspicious(&app, &clinic, "first", Severity::High).await;
        let failed = hooks.wait_for(1, Duration::from_secs(10)).await;
        assert!(verify(&first_secret, &failed[0]), "{}", db.label());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let notification = loop {
            let n = webhook_notifications(&app, &incident).await;
            if n.first().is_some_and(|n| n.status == "failed") {
                break n[0].clone();
            }
            assert!(std::time::Instant::now() < deadline, "{n:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(notification.next_attempt_at > chrono::Utc::now());
        assert!(notification.last_error.as_deref().unwrap().contains("503"));

        // Meanwhile the secret is rotated; the retry is signed with both.
        let rotated = app
            .post(
                &format!("/orgs/{org}/webhooks/{endpoint}/rotate"),
                &operator,
                json!({}),
            )
            .await;
        assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
        let second_secret = WebhookSecret::parse(rotated.body["secret"].as_str().unwrap()).unwrap();
        assert_ne!(first_secret, second_secret);
        hooks.answer_with(204);
        let retried = hooks.wait_for(2, Duration::from_secs(15)).await;
        assert_eq!(
            retried[0].header("webhook-id"),
            retried[1].header("webhook-id"),
            "the same id on every attempt, so the receiver can drop duplicates"
        );
        assert_eq!(retried[0].body, retried[1].body, "the same words");
        assert!(verify(&first_secret, &retried[1]) && verify(&second_secret, &retried[1]));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let n = webhook_notifications(&app, &incident).await;
            let told = app
                .state
                .store
                .find_incident_by_id(&incident)
                .await
                .unwrap()
                .unwrap();
            if n[0].status == "sent" && told.status == forewarn_store::IncidentStatus::Notified {
                assert_eq!(n[0].attempts, 2);
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{n:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // The receiver says the endpoint is gone: it is disabled, not tried again.
        hooks.answer_with(410);
        suspicious(&app, &clinic, "second", Severity::Critical).await;
        hooks.wait_for(3, Duration::from_secs(10)).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let listed = app.get(&format!("/orgs/{org}/webhooks"), &operator).await;
            if listed.body[0]["status"] == "disabled" {
                assert!(listed.body[0]["disabled_reason"]
                    .as_str()
                    .unwrap()
                    .contains("410"));
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{}", listed.body);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        suspicious(&app, &clinic, "third", Severity::Critical).await;
        quiet(&hooks, 3).await;

        // Turned on again by its owner, it receives the next incident.
        let enabled = app
            .post(
                &format!("/orgs/{org}/webhooks/{endpoint}/status"),
                &operator,
                json!({ "status": "enabled" }),
            )
            .await;
        assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
        hooks.answer_with(204);
        suspicious(&app, &clinic, "fourth", Severity::Critical).await;
        let all = hooks.wait_for(4, Duration::from_secs(10)).await;
        let payload: Value = serde_json::from_slice(&all[3].body).unwrap();
        assert_eq!(
            payload["data"]["incident"]["title"],
            "Mailbox full from fourth"
        );
        assert!(verify(&second_secret, &all[3]));

        let deleted = app
            .call(
                Method::DELETE,
                &format!("/orgs/{org}/webhooks/{endpoint}"),
                &operator,
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_decides_what_waits_for_an_analyst() {
    for db in TestDatabase::all().await {
        let (app, operator, clinic, hooks) = setup(&db).await;
        let org = &clinic.org_id;
        let created = app
            .post(
                &format!("/orgs/{org}/webhooks"),
                &operator,
                json!({ "url": hooks.url }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let told = |n: usize| {
            let hooks = &hooks;
            async move {
                hooks
                    .wait_for(n, Duration::from_secs(10))
                    .await
                    .iter()
                    .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
                    .collect::<Vec<_>>()
            }
        };

        // The program's default: high and critical are told at once, medium waits.
        let medium = suspicious(&app, &clinic, "medium", Severity::Medium).await;
        quiet(&hooks, 0).await;
        let waiting = app.get("/incidents?status=new", &operator).await;
        assert!(waiting.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == medium.0.as_str()));

        // The organization asks for medium ones too: the waiting one goes out.
        let policy = app
            .call(
                Method::PUT,
                &format!("/orgs/{org}/notification-policy"),
                &operator,
                Some(json!({ "notify_at": "medium" })),
            )
            .await;
        assert_eq!(policy.status, StatusCode::OK, "{}", policy.body);
        assert_eq!(policy.body["notify_at"], "medium");
        let payloads = told(1).await;
        assert_eq!(payloads[0]["data"]["incident"]["id"], medium.0.as_str());

        // Everything to the analysts: even a critical incident waits, until one edits and
        // approves it; another is dismissed and never told.
        let policy = app
            .call(
                Method::PUT,
                &format!("/orgs/{org}/notification-policy"),
                &operator,
                Some(json!({ "notify_at": "never" })),
            )
            .await;
        assert_eq!(policy.status, StatusCode::OK, "{}", policy.body);
        let critical = suspicious(&app, &clinic, "critical", Severity::Critical).await;
        let noise = suspicious(&app, &clinic, "noise", Severity::High).await;
        quiet(&hooks, 1).await;
        let evidence = app.get(&format!("/incidents/{critical}"), &operator).await;
        assert_eq!(evidence.status, StatusCode::OK, "{}", evidence.body);
        assert_eq!(
            evidence.body["messages"][0]["sender"],
            "it@critical.example"
        );
        let bad_edit = app
            .call(
                Method::PATCH,
                &format!("/incidents/{critical}"),
                &operator,
                Some(json!({ "severity": "apocalyptic" })),
            )
            .await;
        assert_eq!(bad_edit.status, StatusCode::UNPROCESSABLE_ENTITY);
        let edited = app
            .call(
                Method::PATCH,
                &format!("/incidents/{critical}"),
                &operator,
                Some(json!({
                    "title": "Mailbox-full lure sent to three clinics",
                    "analyst_note": "The same lure reached two other clinics this week."
                })),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        let approved = app
            .post(
                &format!("/incidents/{critical}/approve"),
                &operator,
                json!({}),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        let payloads = told(2).await;
        let data = &payloads[1]["data"];
        assert_eq!(data["incident"]["id"], critical.0.as_str());
        assert_eq!(
            data["incident"]["title"],
            "Mailbox-full lure sent to three clinics"
        );
        assert_eq!(
            data["incident"]["analyst_note"],
            "The same lure reached two other clinics this week."
        );
        let dismissed = app
            .post(&format!("/incidents/{noise}/dismiss"), &operator, json!({}))
            .await;
        assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.body);
        assert_eq!(dismissed.body["status"], "resolved");
        let again = app
            .post(&format!("/incidents/{noise}/approve"), &operator, json!({}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        quiet(&hooks, 2).await;
        let audit = app
            .get(&format!("/orgs/{org}/audit?limit=500"), &operator)
            .await;
        let actions: Vec<&str> = audit.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for action in [
            "incident.approved",
            "incident.edited",
            "incident.dismissed",
            "organization.notify_at",
            "webhook.created",
        ] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
}

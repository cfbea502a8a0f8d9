//! forewarn cannot be made to mail without limit (issue 24): mail sent on request is held to a
//! budget per organization and per destination, and an address that bounced or complained is
//! on a suppression list that every sender honours, incident notifications included. On
//! SQLite and PostgreSQL, through a real SMTP receiver that refuses unknown mailboxes.

mod common;

use common::{spawn_app_with, Auth, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Actor, Analysis, Envelope, IncidentDraft, NewContact, Page, Source};
use forewarn_test_support::{SmtpReceiver, TestDatabase};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_requested_mail_is_budgeted_and_bounces_are_suppressed() {
    let Some(relay) = SmtpReceiver::start_refusing("gone") else {
        return;
    };
    for db in TestDatabase::all().await {
        let app = spawn_app_with(
            &db,
            Peers {
                dns: None,
                smtp: Some(relay.addr),
            },
            |settings| {
                settings.limits.mail_per_destination_per_day = 3;
                settings.limits.mail_per_org_per_hour = 5;
            },
        )
        .await;
        let store = &app.state.store;
        let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
        let clinic = enrolled_org(store, &domain, &[]).await.unwrap();
        let operator = app
            .token_for(&app.operator_email, &app.operator_password)
            .await;
        let org = |path: &str| format!("/orgs/{}{path}", clinic.org_id);

        // Postmaster mail for one pending domain: three a day, then refused with a wait.
        let domains = org("/domains");
        let pending = |name: String| app.post(&domains, &operator, json!({ "name": name }));
        let first = pending(format!("lab-{domain}")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let verify = |id: &Value| {
            let path = org(&format!("/domains/{}/verify", id.as_str().unwrap()));
            verify_by_mail(&app, &operator, path)
        };
        for _ in 0..3 {
            let sent = verify(&first.body["id"]).await;
            assert!(sent.status.is_success(), "{}: {}", db.label(), sent.body);
        }
        let refused = verify(&first.body["id"]).await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: the fourth postmaster mail to one address in a day",
            db.label()
        );
        assert!(refused.headers.contains_key("retry-after"));

        // The organization's hour: two more to another postmaster, then refused even there.
        let second = pending(format!("ward-{domain}")).await;
        for _ in 0..2 {
            let sent = verify(&second.body["id"]).await;
            assert!(sent.status.is_success(), "{}: {}", db.label(), sent.body);
        }
        let spent = verify(&second.body["id"]).await;
        assert_eq!(
            spent.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: the organization's sixth requested mail in an hour",
            db.label()
        );
        let to_postmaster = relay
            .messages()
            .iter()
            .filter(|m| m.contains(&format!("postmaster@lab-{domain}")))
            .count();
        assert_eq!(to_postmaster, 3, "{}", db.label());

        // A contact the relay refuses for good goes on the suppression list by itself; the
        // list holds a digest, never the address.
        let gone = format!("gone-soc@{domain}");
        let contacts = app
            .call(
                Method::PUT,
                &org("/contacts"),
                &operator,
                Some(json!([{ "name": "SOC", "email": gone, "language": "en", "channels": ["email"] }])),
            )
            .await;
        assert_eq!(contacts.status, StatusCode::OK, "{}", contacts.body);
        let test_of =
            |org_id: &forewarn_store::OrgId| test_notification(&app, &operator, org_id.to_string());
        // The clinic has spent its hour: its test notification waits too.
        let waits = test_of(&clinic.org_id).await;
        assert_eq!(
            waits.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            waits.body
        );
        assert!(!store.is_suppressed(&gone).await.unwrap());
        let theirs = enrolled_org(store, &format!("third-{domain}"), &[])
            .await
            .unwrap();
        let put = app
            .call(
                Method::PUT,
                &format!("/orgs/{}/contacts", theirs.org_id),
                &operator,
                Some(json!([{ "name": "SOC", "email": gone, "language": "en", "channels": ["email"] }])),
            )
            .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        let bounced = test_of(&theirs.org_id).await;
        assert_eq!(bounced.status, StatusCode::OK, "{}", bounced.body);
        assert_eq!(bounced.body[0]["delivered"], false, "{}", bounced.body);
        assert!(store.is_suppressed(&gone).await.unwrap(), "{}", db.label());
        let listed = app.get("/suppressions", &operator).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert!(!listed.body.to_string().contains(&gone), "{}", listed.body);
        let digest = forewarn_store::destination(&gone);
        assert!(listed.body.to_string().contains(&digest), "{}", listed.body);

        // Once suppressed it is not tried again: nothing reaches the relay.
        let before = relay.messages().len();
        let again = test_of(&theirs.org_id).await;
        let error = again.body[0]["error"].as_str().unwrap_or_default();
        assert!(error.contains("suppression list"), "{}", again.body);
        assert_eq!(relay.messages().len(), before);

        // The operator adds a complaint by hand, and takes an address off the list.
        let complained = format!("complainer@{domain}");
        let added = app
            .post(
                "/suppressions",
                &operator,
                json!({ "address": complained, "reason": "complaint through the feedback loop" }),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        assert!(store.is_suppressed(&complained).await.unwrap());
        let lifted = app
            .call(
                Method::DELETE,
                &format!("/suppressions/{digest}"),
                &operator,
                None,
            )
            .await;
        assert_eq!(lifted.status, StatusCode::NO_CONTENT);
        assert!(!store.is_suppressed(&gone).await.unwrap());
        // Only the operator keeps the list.
        let anonymous = app.get("/suppressions", &Auth::Anonymous).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
}

async fn verify_by_mail(app: &common::TestApp, auth: &Auth, path: String) -> common::Reply {
    app.post(&path, auth, json!({ "method": "email" })).await
}

async fn test_notification(app: &common::TestApp, auth: &Auth, org: String) -> common::Reply {
    app.post(&format!("/orgs/{org}/test-notification"), auth, json!({}))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_incident_notifications_honour_the_suppression_list() {
    let Some(relay) = SmtpReceiver::start_refusing("gone") else {
        return;
    };
    for db in TestDatabase::all().await {
        let app = spawn_app_with(
            &db,
            Peers {
                dns: None,
                smtp: Some(relay.addr),
            },
            |_| {},
        )
        .await;
        let store = &app.state.store;
        let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
        let clinic = enrolled_org(store, &domain, &[&format!("ada@{domain}")])
            .await
            .unwrap();
        let (gone, complained, kept) = (
            format!("gone-soc@{domain}"),
            format!("complained@{domain}"),
            format!("it@{domain}"),
        );
        let contact = |email: &str| NewContact {
            name: "SOC".into(),
            email: email.to_owned(),
            language: "en".into(),
            channels: vec!["email".into()],
        };
        store
            .replace_contacts(
                &Actor(None),
                &clinic.org_id,
                &[contact(&gone), contact(&complained), contact(&kept)],
            )
            .await
            .unwrap();
        store
            .suppress(&Actor(None), &complained, "complaint")
            .await
            .unwrap();
        let analysis = Analysis {
            header_message_id: Some("lure@ministry.example".into()),
            sender: Some("notice@ministry-portal.example".into()),
            subject: Some("Vaccination schedule".into()),
            verdict: "malicious".into(),
            score: 95,
            findings: json!([]),
            keep_raw_until: None,
            incident: Some(IncidentDraft {
                kind: forewarn_store::IncidentKind::CredentialPhishing,
                severity: forewarn_store::Severity::Critical,
                actor: None,
                title: "Vaccination schedule".into(),
                keys: vec!["sender:notice@ministry-portal.example".into()],
            }),
        };
        store
            .record_analysis(
                &clinic.org_id,
                "digest-1",
                &Envelope::new(Source::Smtp, clinic.accounts.clone()),
                &analysis,
                b"",
                None,
            )
            .await
            .unwrap();

        // The contact that takes mail gets it; the suppressed one is not tried; the one the
        // relay refuses for good is abandoned and suppressed for the next incident.
        relay.wait_for(&kept).await;
        let incident = store
            .incidents(Some(&clinic.org_id), &Page::default())
            .await
            .unwrap()
            .remove(0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let settled = loop {
            let notifications = store.notifications(&incident.id).await.unwrap();
            if notifications.len() == 3
                && notifications
                    .iter()
                    .all(|n| n.status == "sent" || n.status == "abandoned")
            {
                break notifications;
            }
            assert!(std::time::Instant::now() < deadline, "{notifications:?}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let abandoned: Vec<&str> = settled
            .iter()
            .filter(|n| n.status == "abandoned")
            .filter_map(|n| n.last_error.as_deref())
            .collect();
        assert_eq!(abandoned.len(), 2, "{}: {settled:?}", db.label());
        assert!(
            abandoned.iter().any(|e| e.contains("suppression list")),
            "{abandoned:?}"
        );
        assert!(
            abandoned.iter().any(|e| e.contains("refused for good")),
            "{abandoned:?}"
        );
        assert!(store.is_suppressed(&gone).await.unwrap(), "{}", db.label());
        assert!(!relay.messages().iter().any(|m| m.contains(&complained)));
    }
}

//! Managed feeds through the API: an operator adds a TAXII collection (medallion on loopback)
//! and a document at a URL, they are read on their own, analysts see how each stands, the
//! credentials are never shown again, and a feed that starts failing says why and keeps what
//! it held.

mod common;

use std::time::Duration;

use common::{spawn_app_with, Auth, Peers, TestApp};
use forewarn_feeds::taxii::MEDIA_TYPE;
use forewarn_store::{Actor, NewUser, Role};
use forewarn_test_support::{Medallion, TestDatabase};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const COLLECTION: &str = "0f1a7a39-7e4b-4e57-8f1e-6a1b4d0c9d11";

fn indicator(n: u32, domain: &str) -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1",
        "id": format!("indicator--6b0e3f4e-0000-4000-8000-{n:012x}"),
        "created": "2026-12-01T00:00:00.000Z", "modified": "2026-12-01T00:00:00.000Z",
        "pattern": format!("[domain-name:value = '{domain}']"), "pattern_type": "stix",
        "valid_from": "2026-12-01T00:00:00Z",
    })
}

async fn add_to(server: &Medallion, objects: Vec<Value>) {
    let response = reqwest::Client::new()
        .post(format!(
            "{}collections/{COLLECTION}/objects/",
            server.api_root
        ))
        .basic_auth(server.user, Some(server.password))
        .header("accept", MEDIA_TYPE)
        .header("content-type", MEDIA_TYPE)
        .body(json!({ "objects": objects }).to_string())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}

/// Waits until the feed, as the API shows it, is `settled`.
async fn read_feed(
    app: &TestApp,
    auth: &Auth,
    id: &str,
    settled: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let feed = app.get(&format!("/feeds/{id}"), auth).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
        if settled(&feed.body) {
            return feed.body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the feed was not read: {}",
            feed.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_feeds_are_managed_through_the_api_and_read_on_their_own() {
    for db in TestDatabase::all().await {
        let Some(server) = Medallion::start(&[(COLLECTION, "Lures")], 100) else {
            return;
        };
        managed_feeds(&db, server).await;
    }
}

async fn managed_feeds(db: &TestDatabase, server: Medallion) {
    add_to(
        &server,
        (0..3)
            .map(|n| indicator(n, &format!("vaccine-portal-{n}.example")))
            .collect(),
    )
    .await;
    let app = spawn_app_with(
        db,
        Peers {
            dns: None,
            smtp: None,
        },
        |settings| settings.feeds.allow_private = true,
    )
    .await;
    let operator = app
        .sign_in(&app.operator_email, &app.operator_password)
        .await;

    // Invalid feeds are refused with every reason.
    let refused = app
        .post(
            "/feeds",
            &operator,
            json!({ "name": " ", "kind": "taxii", "location": "file:///etc/passwd",
                    "every_minutes": 1, "tlp": "purple", "confidence": 101,
                    "credentials": { "user": "a" } }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reasons = refused.body["error"]["details"].to_string();
    for field in [
        "name",
        "location",
        "every_minutes",
        "tlp",
        "confidence",
        "credentials",
    ] {
        assert!(reasons.contains(field), "{field} in {reasons}");
    }

    // A TAXII collection with credentials: read at once, the credentials never shown.
    let added = app
        .post(
            "/feeds",
            &operator,
            json!({
                "name": "Partner CERT", "kind": "taxii",
                "location": format!("{}collections/{COLLECTION}/", server.api_root),
                "credentials": { "user": server.user, "password": server.password },
                "every_minutes": 5, "tlp": "green",
            }),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert!(!added.body.to_string().contains(server.password));
    assert_eq!(added.body["has_credentials"], true);
    let id = added.body["id"].as_str().unwrap().to_owned();
    let feed = read_feed(&app, &operator, &id, |f| !f["last_success_at"].is_null()).await;
    assert_eq!(feed["indicators"]["domain"], 3, "{feed}");
    assert_eq!(feed["objects_read"], 3);
    assert!(feed["last_error"].is_null());
    assert!(!feed.to_string().contains(server.password));

    // Analysts read feeds; only operators change them.
    let hash = forewarn_server::auth::hash_password("the analyst's long passphrase".into())
        .await
        .unwrap();
    let ana = app
        .state
        .store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: None,
                role: Role::Analyst,
                name: "Ana".into(),
                email: "ana@cert.example".into(),
                password_hash: Some(hash.clone()),
            },
        )
        .await
        .unwrap();
    // A password of their own, not a one-time one.
    app.state.store.set_password(&ana.id, &hash).await.unwrap();
    let analyst = app
        .sign_in("ana@cert.example", "the analyst's long passphrase")
        .await;
    let listed = app.get("/feeds", &analyst).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    let denied = app
        .call(Method::DELETE, &format!("/feeds/{id}"), &analyst, None)
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // New objects in the collection are read from where the last read stopped.
    add_to(&server, vec![indicator(10, "donor-report.example")]).await;
    let edited = app
        .call(
            Method::PUT,
            &format!("/feeds/{id}"),
            &operator,
            Some(json!({
                "name": "Partner CERT", "kind": "taxii",
                "location": format!("{}collections/{COLLECTION}/", server.api_root),
                "every_minutes": 5, "tlp": "green",
            })),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["has_credentials"], true, "absent keeps them");
    let feed = read_feed(&app, &operator, &id, |f| f["objects_read"] == 4).await;
    assert_eq!(feed["indicators"]["domain"], 4, "{feed}");

    // The server goes away: the read fails, says why, and the feed keeps what it held.
    drop(server);
    app.call(
        Method::PUT,
        &format!("/feeds/{id}"),
        &operator,
        Some(json!({
            "name": "Partner CERT", "kind": "taxii",
            "location": edited.body["location"],
            "every_minutes": 5, "tlp": "green",
        })),
    )
    .await;
    let feed = read_feed(&app, &operator, &id, |f| !f["last_error"].is_null()).await;
    assert_eq!(feed["objects_read"], 4, "{feed}");
    assert_eq!(feed["indicators"]["domain"], 4);
    assert!(
        feed["last_error"]
            .as_str()
            .unwrap()
            .contains("request failed"),
        "{feed}"
    );

    // Loopback is refused unless the operator allows private ranges; deleting is audited.
    let deleted = app
        .call(Method::DELETE, &format!("/feeds/{id}"), &operator, None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&format!("/feeds/{id}"), &operator).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let audit = app.get("/audit", &operator).await;
    let actions = audit.body.to_string();
    for action in ["feed.created", "feed.updated", "feed.deleted"] {
        assert!(actions.contains(action), "{action} audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_feed_urls_go_through_the_ssrf_guard() {
    let db = TestDatabase::sqlite();
    let app = spawn_app_with(
        &db,
        Peers {
            dns: None,
            smtp: None,
        },
        |_| {},
    )
    .await;
    let operator = app
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    for location in [
        "http://127.0.0.1:9/feed.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://user:pw@feeds.example/x",
        "ftp://feeds.example/x",
    ] {
        let refused = app
            .post(
                "/feeds",
                &operator,
                json!({ "name": "x", "kind": "url", "location": location }),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{location}: {}",
            refused.body
        );
    }
}

/// A document server on loopback: a STIX bundle, a MISP feed directory, and a document that
/// holds nothing forewarn can read.
async fn documents() -> String {
    use axum::routing::get;
    let event = |uuid: &str, domain: &str| {
        json!({"Event": {"uuid": uuid, "info": "Donor portal lures", "Attribute": [
            {"uuid": format!("{uuid}-1"), "type": "domain", "value": domain, "to_ids": true}
        ]}})
        .to_string()
    };
    let first = event(
        "5f1c7a3e-0000-4000-8000-000000000001",
        "donor-portal.example",
    );
    let second = event(
        "5f1c7a3e-0000-4000-8000-000000000002",
        "grant-review.example",
    );
    let bundle = json!({"type": "bundle", "id": "bundle--1", "objects": [
        indicator(1, "clinic-payroll.example"), indicator(2, "clinic-hr.example")
    ]})
    .to_string();
    let app = axum::Router::new()
        .route("/bundle.json", get(move || async move { bundle }))
        .route(
            "/misp/manifest.json",
            get(|| async {
                json!({
                    "5f1c7a3e-0000-4000-8000-000000000001": {"info": "Donor portal lures"},
                    "5f1c7a3e-0000-4000-8000-000000000002": {"info": "Grant review lures"},
                    "5f1c7a3e-0000-4000-8000-000000000003": {"info": "gone"}
                })
                .to_string()
            }),
        )
        .route(
            "/misp/5f1c7a3e-0000-4000-8000-000000000001.json",
            get(move || async move { first }),
        )
        .route(
            "/misp/5f1c7a3e-0000-4000-8000-000000000002.json",
            get(move || async move { second }),
        )
        .route(
            "/garbage.txt",
            get(|| async { "<html><body>Not a feed</body></html>" }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_document_and_misp_feeds_are_read_and_bad_documents_refused() {
    let base = documents().await;
    let db = TestDatabase::sqlite();
    let app = spawn_app_with(
        &db,
        Peers {
            dns: None,
            smtp: None,
        },
        |settings| settings.feeds.allow_private = true,
    )
    .await;
    let operator = app
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    let add = |kind: &str, location: String| json!({ "name": format!("{kind} feed"), "kind": kind, "location": location });

    let bundle = app
        .post(
            "/feeds",
            &operator,
            add("url", format!("{base}/bundle.json")),
        )
        .await;
    assert_eq!(bundle.status, StatusCode::CREATED, "{}", bundle.body);
    let id = bundle.body["id"].as_str().unwrap();
    let feed = read_feed(&app, &operator, id, |f| !f["last_success_at"].is_null()).await;
    assert_eq!(feed["indicators"]["domain"], 2, "{feed}");
    assert_eq!(feed["objects_read"], 1, "one document");

    let misp = app
        .post(
            "/feeds",
            &operator,
            add("misp-feed", format!("{base}/misp/")),
        )
        .await;
    assert_eq!(misp.status, StatusCode::CREATED, "{}", misp.body);
    let id = misp.body["id"].as_str().unwrap();
    let feed = read_feed(&app, &operator, id, |f| !f["last_success_at"].is_null()).await;
    assert_eq!(feed["indicators"]["domain"], 2, "{feed}");
    assert_eq!(feed["objects_read"], 2, "two events");
    let rejected = feed["rejected"].to_string();
    assert!(
        rejected.contains("5f1c7a3e-0000-4000-8000-000000000003.json"),
        "the event that could not be read is listed: {rejected}"
    );

    let garbage = app
        .post(
            "/feeds",
            &operator,
            add("url", format!("{base}/garbage.txt")),
        )
        .await;
    let id = garbage.body["id"].as_str().unwrap();
    let feed = read_feed(&app, &operator, id, |f| !f["last_error"].is_null()).await;
    assert!(
        feed["last_error"]
            .as_str()
            .unwrap()
            .contains("no indicator forewarn can read"),
        "{feed}"
    );
    assert_eq!(feed["objects_read"], 0);
    // Read hourly, it is tried again in half an hour.
    let at = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(feed[field].as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    let wait = at("due_at") - at("last_attempt_at");
    assert!((1790..=1810).contains(&wait), "retried after {wait} s");
}

/// Stores a malicious message whose intel finding matched `domain`, opening an incident.
async fn matched(
    store: &forewarn_store::Store,
    org: &forewarn_store::fixtures::Enrolled,
    n: u32,
    domain: &str,
) -> String {
    let sender = format!("notice{n}@{domain}");
    let analysis = forewarn_store::Analysis {
        header_message_id: Some(format!("{n}@{domain}")),
        sender: Some(sender.clone()),
        subject: Some(format!("Notice {n}")),
        verdict: "malicious".into(),
        score: 90,
        findings: json!([{
            "detector": "intel", "severity": "high", "confidence": 90,
            "indicator": { "kind": "domain", "value": domain, "source": "feed:Partner CERT" },
        }]),
        keep_raw_until: None,
        incident: Some(forewarn_store::IncidentDraft {
            kind: forewarn_store::IncidentKind::CredentialPhishing,
            severity: forewarn_store::Severity::High,
            actor: None,
            title: format!("Notice {n}"),
            keys: vec![format!("sender:{sender}")],
        }),
    };
    let envelope =
        forewarn_store::Envelope::new(forewarn_store::Source::Smtp, org.accounts.clone());
    store
        .record_analysis(
            &org.org_id,
            &format!("digest-{n}"),
            &envelope,
            &analysis,
            b"",
            None,
        )
        .await
        .unwrap();
    store
        .incidents(Some(&org.org_id), &forewarn_store::Page::default())
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.title == format!("Notice {n}"))
        .unwrap()
        .id
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_an_analysts_false_positive_revokes_the_indicators_behind_it() {
    for db in TestDatabase::all().await {
        let app = spawn_app_with(
            &db,
            Peers {
                dns: None,
                smtp: None,
            },
            |_| {},
        )
        .await;
        let store = &app.state.store;
        let clinic = forewarn_store::fixtures::enrolled_org(
            store,
            "clinic.example",
            &["ada@clinic.example"],
        )
        .await
        .unwrap();
        let password = "the admin's long passphrase";
        let hash = forewarn_server::auth::hash_password(password.into())
            .await
            .unwrap();
        store.accept_invitation(&clinic.admin, &hash).await.unwrap();
        let admin = app.sign_in("admin@clinic.example", password).await;
        let operator = app
            .sign_in(&app.operator_email, &app.operator_password)
            .await;
        let before = store.feeds_generation().await.unwrap();
        assert!(before.starts_with("0:"), "{before}");

        // The organization's own false positive closes its incident and revokes nothing.
        let own = matched(store, &clinic, 1, "newsletter-partner.example").await;
        let path = |id: &str| format!("/orgs/{}/incidents/{id}/status", clinic.org_id.0);
        let reply = app
            .post(&path(&own), &admin, json!({ "status": "false_positive" }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(store.indicator_revocations().await.unwrap().is_empty());

        // An analyst's (the operator's here) revokes the indicator for everyone, audited.
        let staff = matched(store, &clinic, 2, "shared-drive-notice.example").await;
        let reply = app
            .post(
                &path(&staff),
                &operator,
                json!({ "status": "false_positive" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            store.indicator_revocations().await.unwrap(),
            vec![(
                "domain".to_owned(),
                "shared-drive-notice.example".to_owned()
            )]
        );
        assert_ne!(
            store.feeds_generation().await.unwrap(),
            before,
            "matchers rebuild"
        );
        let audit = app.get("/audit", &operator).await;
        assert!(
            audit.body.to_string().contains("indicator.revoked"),
            "{}",
            audit.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_file_feeds_read_a_file_or_a_directory_under_the_feeds_directory() {
    let files = forewarn_test_support::TempDir::new("feed-files");
    let lures = files.path().join("lures");
    std::fs::create_dir_all(&lures).unwrap();
    std::fs::write(
        lures.join("list.txt"),
        "vaccine-lure-1.example\nvaccine-lure-2.example\n",
    )
    .unwrap();
    std::fs::write(
        lures.join("event.csv"),
        "uuid,event_id,category,type,value,comment,to_ids,date\n\
         u1,1,Network activity,domain,csv-lure.example,,1,20260101\n",
    )
    .unwrap();
    std::fs::write(lures.join("scan.bin"), [0xff, 0xfe, 0x00, 0x81]).unwrap();
    std::os::unix::fs::symlink("/etc", files.path().join("escape")).unwrap();
    let root = files.path().to_owned();
    // Kept to the end: dropping it removes the database under the running service.
    let db = TestDatabase::sqlite();
    let app = spawn_app_with(&db, Peers::NONE, move |settings| {
        settings.feeds.files_dir = Some(root);
    })
    .await;
    let operator = app
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    let add = |location: &str| {
        app.post(
            "/feeds",
            &operator,
            json!({ "name": format!("Folder {location}"), "kind": "file", "location": location,
                    "tlp": "green", "confidence": 70 }),
        )
    };

    // Paths that would leave the directory are refused.
    for location in ["../etc", "/etc/passwd", "lures/../../etc", ""] {
        let refused = add(location).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{location}"
        );
        assert!(
            refused.body.to_string().contains("location"),
            "{}",
            refused.body
        );
    }

    // A directory: every file in it, the unreadable one listed with its reason.
    let added = add("lures").await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let id = added.body["id"].as_str().unwrap().to_owned();
    let feed = read_feed(&app, &operator, &id, |f| !f["last_success_at"].is_null()).await;
    assert_eq!(feed["indicators"]["domain"], 3, "{feed}");
    assert!(
        feed["rejected"]
            .to_string()
            .contains("scan.bin: not UTF-8 text"),
        "{feed}"
    );

    // A symbolic link out of the directory is followed nowhere: the feed says why.
    let escaping = add("escape").await;
    assert_eq!(escaping.status, StatusCode::CREATED, "{}", escaping.body);
    let id = escaping.body["id"].as_str().unwrap().to_owned();
    let feed = read_feed(&app, &operator, &id, |f| !f["last_error"].is_null()).await;
    assert!(
        feed["last_error"]
            .as_str()
            .unwrap()
            .contains("leads out of feeds.files_dir"),
        "{feed}"
    );
    assert!(
        feed["indicators"].as_object().is_none_or(|i| i.is_empty()),
        "{feed}"
    );
}

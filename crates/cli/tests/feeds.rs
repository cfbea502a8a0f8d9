//! A feed added through the API is matched against the next message, without a restart: the
//! operator adds a TAXII collection (medallion on loopback) to a running `forewarn serve`, the
//! feed is read, the analysis workers swap to a matcher that holds its indicators, and the next
//! message from the collection's domain is matched against it. When the feed's server goes
//! away the feed says why and its indicators keep matching.

mod common;

use std::time::Duration;

use forewarn_feeds::taxii::MEDIA_TYPE;
use forewarn_store::fixtures::enrolled_org_speaking;
use forewarn_store::{Actor, NewUser, Role, Store};
use forewarn_test_support::{Medallion, TempDir};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};

const COLLECTION: &str = "5e0f3b7c-1d2a-4c8e-9f60-2b7d8e1a4c33";
const DOMAIN: &str = "vaccine-survey-portal.example";

/// An API token for an invited `user`, who accepts the invitation first.
async fn send(smtp: u16, n: u32) {
    let raw = format!(
        "From: \"Vaccination survey\" <survey@{DOMAIN}>\r\nTo: ada@clinic.example\r\n\
         Subject: Staff vaccination survey {n}\r\nMessage-ID: <survey-{n}@{DOMAIN}>\r\n\
         Content-Type: text/plain\r\n\r\nPlease answer our short survey today.\r\n"
    );
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

struct Api {
    base: String,
    client: reqwest::Client,
}

impl Api {
    async fn call(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The intel findings of message `n` once it is analysed.
    async fn intel_findings(
        &self,
        token: &str,
        org: &str,
        n: u32,
        said: &dyn Fn() -> String,
    ) -> Vec<Value> {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let (status, messages) = self
                .call(
                    token,
                    reqwest::Method::GET,
                    &format!("/orgs/{org}/messages?limit=100"),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{messages}");
            let id = format!("survey-{n}@{DOMAIN}");
            let found = messages["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|m| m["header_message_id"] == id.as_str());
            if let Some(message) = found {
                return message["findings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|f| f["detector"] == "intel")
                    .cloned()
                    .collect();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "message {n} was not analysed ({messages}); forewarn said:\n{}",
                said()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn feed_until(&self, token: &str, id: &str, settled: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let (status, feed) = self
                .call(token, reqwest::Method::GET, &format!("/feeds/{id}"), None)
                .await;
            assert_eq!(status, 200, "{feed}");
            if settled(&feed) {
                return feed;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the feed was not read: {feed}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_a_feed_added_through_the_api_is_matched_against_the_next_message() {
    let Some(taxii) = Medallion::start(&[(COLLECTION, "Vaccination lures")], 100) else {
        return;
    };
    let indicator = json!({
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--8f2c1a4e-3b6d-4e7f-9a0b-1c2d3e4f5a6b",
        "created": "2026-12-01T00:00:00.000Z", "modified": "2026-12-01T00:00:00.000Z",
        "name": "Vaccination survey lure",
        "pattern": format!("[domain-name:value = '{DOMAIN}']"), "pattern_type": "stix",
        "valid_from": "2026-12-01T00:00:00Z", "confidence": 90,
    });
    let added = reqwest::Client::new()
        .post(format!(
            "{}collections/{COLLECTION}/objects/",
            taxii.api_root
        ))
        .basic_auth(taxii.user, Some(taxii.password))
        .header("accept", MEDIA_TYPE)
        .header("content-type", MEDIA_TYPE)
        .body(json!({ "objects": [indicator] }).to_string())
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success());

    let dir = TempDir::new("feeds-e2e");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = Store::connect_with_key_file(
        &format!("sqlite://{}", data.join("forewarn.db").display()),
        &data.join("personal-data.keys"),
    )
    .await
    .unwrap();
    let clinic = enrolled_org_speaking(&store, "clinic.example", &["ada@clinic.example"], "en")
        .await
        .unwrap();
    let admin = common::token_for(&store, &clinic.admin).await;
    let operator = store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: None,
                role: Role::Operator,
                name: "Op".into(),
                email: "op@cert.example".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();
    let operator = common::token_for(&store, &operator.id).await;
    store.close().await;

    let config = dir.path().join("forewarn.toml");
    std::fs::write(
        &config,
        "[mail]\nfrom = \"alerts@cert.example\"\n\n[feeds]\nallow_private = true\nreload_secs = 1\n",
    )
    .unwrap();
    let serve = common::Serve::start(dir.path(), &config, &data);
    let (http, smtp) = (serve.http, serve.smtp);
    let said = || serve.said();
    let api = Api {
        base: format!("http://127.0.0.1:{http}/api/v1"),
        client: reqwest::Client::new(),
    };
    let org = clinic.org_id.0.clone();

    // Before the feed: nothing known about the domain.
    send(smtp, 1).await;
    assert!(api.intel_findings(&admin, &org, 1, &said).await.is_empty());

    // The operator adds the collection; once read, the next message is matched against it.
    let (status, feed) = api
        .call(
            &operator,
            reqwest::Method::POST,
            "/feeds",
            Some(json!({
                "name": "Partner CERT", "kind": "taxii", "tlp": "amber",
                "location": format!("{}collections/{COLLECTION}/", taxii.api_root),
                "credentials": { "user": taxii.user, "password": taxii.password },
            })),
        )
        .await;
    assert_eq!(status, 201, "{feed}");
    let id = feed["id"].as_str().unwrap().to_owned();
    api.feed_until(&operator, &id, |f| f["indicators"]["domain"] == 1)
        .await;
    // The workers look for changed feeds every second; on a busy machine the first message
    // after the read may still meet the old matcher, so messages are sent until one is matched.
    let mut n = 2;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let matched = loop {
        send(smtp, n).await;
        let found = api.intel_findings(&admin, &org, n, &said).await;
        if !found.is_empty() || std::time::Instant::now() > deadline {
            break found;
        }
        n += 1;
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(
        !matched.is_empty(),
        "the feed's indicator matches; forewarn said:\n{}",
        said()
    );
    assert!(
        matched[0].to_string().contains("feed:Partner CERT"),
        "the match names the feed: {}",
        matched[0]
    );

    // The feed's server goes away: the feed says why, and its indicator keeps matching.
    drop(taxii);
    let (status, _) = api
        .call(
            &operator,
            reqwest::Method::PUT,
            &format!("/feeds/{id}"),
            Some(json!({
                "name": "Partner CERT", "kind": "taxii", "tlp": "amber",
                "location": feed["location"],
            })),
        )
        .await;
    assert_eq!(status, 200);
    let failed = api
        .feed_until(&operator, &id, |f| !f["last_error"].is_null())
        .await;
    assert_eq!(failed["indicators"]["domain"], 1, "{failed}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    n += 1;
    send(smtp, n).await;
    assert!(
        !api.intel_findings(&admin, &org, n, &said).await.is_empty(),
        "a failing feed keeps its indicators"
    );

    drop(serve);
}

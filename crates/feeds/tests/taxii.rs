//! The TAXII 2.1 client against real servers on loopback: medallion, the reference server
//! (PyPI), and servers that page the wrong ways real peers do.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use forewarn_feeds::taxii::{Client, Position, PullOptions, MEDIA_TYPE};
use forewarn_feeds::{Credentials, FetchError, Fetcher, Limits};
use forewarn_notify::destination::Policy;
use forewarn_test_support::Medallion;
use serde_json::{json, Value};
use url::Url;

const COLLECTION: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";

fn loopback() -> Fetcher {
    Fetcher::new(
        Policy {
            allow_private: true,
        },
        Limits::default(),
    )
}

fn indicator(batch: u32, n: u32) -> Value {
    json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": format!("indicator--{batch:08x}-0000-4000-8000-{n:012x}"),
        "created": "2026-12-01T00:00:00.000Z",
        "modified": "2026-12-01T00:00:00.000Z",
        "name": format!("Phishing domain {batch}.{n}"),
        "pattern": format!("[domain-name:value = 'login-{batch}-{n}.example']"),
        "pattern_type": "stix",
        "valid_from": "2026-12-01T00:00:00Z",
    })
}

/// Adds objects to medallion's collection in one request, so they share one `date_added`.
async fn add(server: &Medallion, objects: Vec<Value>) {
    let url = format!("{}collections/{COLLECTION}/objects/", server.api_root);
    let response = reqwest::Client::new()
        .post(url)
        .basic_auth(server.user, Some(server.password))
        .header("accept", MEDIA_TYPE)
        .header("content-type", MEDIA_TYPE)
        .body(json!({ "objects": objects }).to_string())
        .send()
        .await
        .expect("medallion answers");
    assert!(
        response.status().is_success(),
        "medallion stores the objects: {}",
        response.text().await.unwrap_or_default()
    );
    // Each request gets a later date_added than the one before.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
}

/// What a feed keeps between reads: the objects, and the position stored after them.
struct Kept {
    position: String,
    objects: BTreeMap<String, Value>,
    /// Objects handed over by the client, counting any handed over twice.
    handed_over: usize,
}

impl Kept {
    fn new() -> Kept {
        Kept {
            position: serde_json::to_string(&Position::default()).unwrap(),
            objects: BTreeMap::new(),
            handed_over: 0,
        }
    }

    /// Reads pages until the pull ends or `pages` were read, storing the position after each
    /// page's objects, as a feed does.
    async fn read(
        &mut self,
        client: &Client,
        collection: &Url,
        pages: Option<usize>,
        options: PullOptions,
    ) -> Result<(), FetchError> {
        let position: Position = serde_json::from_str(&self.position).unwrap();
        let mut pull = client.pull(collection, position, options)?;
        let mut read = 0;
        while let Some(page) = pull.next_page().await? {
            for object in page.objects {
                self.handed_over += 1;
                let id = object["id"].as_str().unwrap().to_owned();
                self.objects.insert(id, object);
            }
            self.position = serde_json::to_string(&page.position).unwrap();
            read += 1;
            if pages.is_some_and(|p| read >= p) {
                break;
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn issue_20_the_client_reads_medallion_page_by_page_and_resumes_after_a_restart() {
    let Some(server) = Medallion::start(&[(COLLECTION, "Phishing infrastructure")], 100) else {
        return;
    };
    add(&server, (0..120).map(|n| indicator(1, n)).collect()).await;
    add(&server, (0..45).map(|n| indicator(2, n)).collect()).await;

    let credentials = Credentials::Basic {
        user: server.user.into(),
        password: server.password.into(),
    };
    let client = Client::new(loopback(), credentials.clone());
    let discovery = client
        .discovery(&Url::parse(&server.discovery).unwrap())
        .await
        .expect("discovery");
    assert_eq!(discovery.api_roots, vec![server.api_root.clone()]);
    let api_root = Url::parse(&discovery.api_roots[0]).unwrap();
    let root = client.api_root(&api_root).await.expect("API root");
    assert!(root.versions.iter().any(|v| v == MEDIA_TYPE));
    let collections = client.collections(&api_root).await.expect("collections");
    let listed = collections
        .iter()
        .find(|c| c.id == COLLECTION)
        .expect("the collection is listed");
    assert!(listed.can_read);
    let collection = api_root
        .join(&format!("collections/{}/", listed.id))
        .unwrap();

    // Two pages of 50, then the process "stops": only what was stored remains.
    let options = PullOptions {
        limit: 50,
        ..PullOptions::default()
    };
    let mut kept = Kept::new();
    kept.read(&client, &collection, Some(2), options)
        .await
        .expect("the first pages");
    assert_eq!(kept.objects.len(), 100);
    drop(client);

    // A new client from the stored position reads the rest, nothing twice.
    let client = Client::new(loopback(), credentials.clone());
    kept.read(&client, &collection, None, options)
        .await
        .expect("the rest");
    assert_eq!(kept.objects.len(), 165, "every object is read");
    assert_eq!(kept.handed_over, 165, "no object is handed over twice");

    // Later additions are all that the next pull brings.
    add(&server, (0..30).map(|n| indicator(3, n)).collect()).await;
    let before = kept.handed_over;
    kept.read(&client, &collection, None, options)
        .await
        .expect("the additions");
    assert_eq!(kept.handed_over - before, 30);
    assert_eq!(kept.objects.len(), 195);

    // Nothing new: an empty pull.
    let before = kept.handed_over;
    kept.read(&client, &collection, None, options)
        .await
        .expect("an empty pull");
    assert_eq!(kept.handed_over, before);

    // A wrong password is the server's refusal, said plainly.
    let wrong = Client::new(
        loopback(),
        Credentials::Basic {
            user: server.user.into(),
            password: "wrong".into(),
        },
    );
    match wrong.collections(&api_root).await {
        Err(FetchError::Status { status: 401, .. }) => {}
        other => panic!("expected a 401, got {other:?}"),
    }

    // Without the operator's leave, loopback is not fetched at all.
    let guarded = Client::new(Fetcher::default(), credentials);
    match guarded.collections(&api_root).await {
        Err(FetchError::Refused(_)) => {}
        other => panic!("expected the SSRF guard to refuse, got {other:?}"),
    }
}

/// How a misbehaving server answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quirk {
    /// `added_after` read as inclusive, `more` without `next`, and a bearer token required.
    InclusiveWithoutNext,
    /// `more` and the same `next` forever.
    EndlessMore,
    /// `application/json` instead of TAXII's media type.
    WrongMediaType,
    /// One page larger than the client reads.
    HugePage,
}

struct Peer {
    quirk: Quirk,
    /// (date_added, object), in order.
    objects: Vec<(String, Value)>,
    requests: Mutex<usize>,
}

async fn objects(
    State(peer): State<Arc<Peer>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    *peer.requests.lock().unwrap() += 1;
    let taxii = [("content-type", MEDIA_TYPE)];
    match peer.quirk {
        Quirk::InclusiveWithoutNext => {
            if headers.get("authorization").and_then(|v| v.to_str().ok())
                != Some("Bearer feed-token")
            {
                return StatusCode::UNAUTHORIZED.into_response();
            }
            let after = query.get("added_after").cloned().unwrap_or_default();
            let limit: usize = query["limit"].parse().unwrap();
            let matching: Vec<&(String, Value)> = peer
                .objects
                .iter()
                .filter(|(added, _)| after.is_empty() || *added >= after)
                .collect();
            let page: Vec<&(String, Value)> = matching.iter().take(limit).copied().collect();
            let more = matching.len() > page.len();
            let last = page
                .last()
                .map(|(added, _)| added.clone())
                .unwrap_or_default();
            let body = json!({
                "more": more,
                "objects": page.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
            });
            (
                taxii,
                [("x-taxii-date-added-last", last.as_str())],
                body.to_string(),
            )
                .into_response()
        }
        Quirk::EndlessMore => {
            let body = json!({"more": true, "next": "again", "objects": [indicator(9, 1)]});
            (
                taxii,
                [("x-taxii-date-added-last", "2026-12-01T00:00:00.000000Z")],
                body.to_string(),
            )
                .into_response()
        }
        Quirk::WrongMediaType => (
            [("content-type", "application/json")],
            json!({"objects": []}).to_string(),
        )
            .into_response(),
        Quirk::HugePage => {
            let objects: Vec<Value> = (0..20_000).map(|n| indicator(8, n)).collect();
            (taxii, json!({"objects": objects}).to_string()).into_response()
        }
    }
}

async fn start(peer: Peer) -> (Url, Arc<Peer>) {
    let peer = Arc::new(peer);
    let app = axum::Router::new()
        .route("/api/collections/c1/objects/", axum::routing::get(objects))
        .with_state(peer.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (
        Url::parse(&format!("http://{addr}/api/collections/c1/")).unwrap(),
        peer,
    )
}

#[tokio::test]
async fn issue_20_a_server_that_pages_inclusively_without_next_loses_and_repeats_nothing() {
    // 30 objects share one time, 25 the next, 7 a third: more than a page each.
    let mut objects = Vec::new();
    for (time, count) in [
        ("2026-12-01T10:00:00.000000Z", 30),
        ("2026-12-01T10:00:00.000001Z", 25),
        ("2026-12-01T11:00:00.000000Z", 7),
    ] {
        let batch = objects.len() as u32;
        for n in 0..count {
            objects.push((time.to_owned(), indicator(100 + batch, n)));
        }
    }
    let total = objects.len();
    let (collection, peer) = start(Peer {
        quirk: Quirk::InclusiveWithoutNext,
        objects,
        requests: Mutex::new(0),
    })
    .await;
    let client = Client::new(loopback(), Credentials::Bearer("feed-token".into()));
    let options = PullOptions {
        limit: 10,
        max_limit: 100,
        max_pages: 100,
    };
    let mut kept = Kept::new();
    kept.read(&client, &collection, None, options)
        .await
        .expect("the pull ends");
    assert_eq!(kept.objects.len(), total, "every object is read");
    assert_eq!(kept.handed_over, total, "none twice");

    // Read again from the stored position: the inclusive server repeats the last time's
    // objects, and none of them is handed over again.
    kept.read(&client, &collection, None, options)
        .await
        .expect("the second pull ends");
    assert_eq!(kept.handed_over, total);
    assert!(
        *peer.requests.lock().unwrap() < 40,
        "a bounded number of requests"
    );

    // The wrong token is refused by the server and said so.
    let wrong = Client::new(loopback(), Credentials::Bearer("stale".into()));
    let mut pull = wrong
        .pull(&collection, Position::default(), options)
        .unwrap();
    match pull.next_page().await {
        Err(FetchError::Status { status: 401, .. }) => {}
        other => panic!("expected a 401, got {other:?}"),
    }
}

#[tokio::test]
async fn issue_20_malformed_taxii_answers_end_the_pull_with_a_clear_error() {
    let options = PullOptions {
        limit: 10,
        max_limit: 100,
        max_pages: 50,
    };
    // Endless `more` with the same `next`: stopped, not followed forever.
    let (collection, peer) = start(Peer {
        quirk: Quirk::EndlessMore,
        objects: Vec::new(),
        requests: Mutex::new(0),
    })
    .await;
    let client = Client::new(loopback(), Credentials::None);
    let mut pull = client
        .pull(&collection, Position::default(), options)
        .unwrap();
    let mut error = None;
    for _ in 0..100 {
        match pull.next_page().await {
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert!(
        matches!(error, Some(FetchError::Paging(_))),
        "endless more is an error: {error:?}"
    );
    assert!(*peer.requests.lock().unwrap() <= 3);
    assert!(
        pull.next_page().await.unwrap().is_none(),
        "and the pull ends"
    );

    // The wrong media type.
    let (collection, _) = start(Peer {
        quirk: Quirk::WrongMediaType,
        objects: Vec::new(),
        requests: Mutex::new(0),
    })
    .await;
    let mut pull = client
        .pull(&collection, Position::default(), options)
        .unwrap();
    let error = pull.next_page().await.unwrap_err();
    assert!(
        matches!(error, FetchError::MediaType { .. }),
        "wrong media type: {error:?}"
    );
    assert!(error.to_string().contains("application/json"), "{error}");

    // A page larger than the bound is refused, not read into memory.
    let (collection, _) = start(Peer {
        quirk: Quirk::HugePage,
        objects: Vec::new(),
        requests: Mutex::new(0),
    })
    .await;
    let small = Client::new(
        Fetcher::new(
            Policy {
                allow_private: true,
            },
            Limits {
                max_body_bytes: 1024 * 1024,
                ..Limits::default()
            },
        ),
        Credentials::None,
    );
    let mut pull = small
        .pull(&collection, Position::default(), options)
        .unwrap();
    let error = pull.next_page().await.unwrap_err();
    assert!(
        matches!(error, FetchError::TooLarge(1_048_576)),
        "huge page: {error:?}"
    );
}

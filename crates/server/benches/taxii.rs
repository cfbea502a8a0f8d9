//! forewarn's TAXII 2.1 server with 100,000 indicators shared, on the embedded default
//! (SQLite), through the whole router (token check, query, page assembly): a whole
//! collection read page by page as a partner's client reads it, and one page. The publication
//! of the 100,000 indicators (building the STIX objects, comparing, storing) is timed once and
//! printed.
//!
//! Run: `cargo bench -p forewarn-server --bench taxii`

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use divan::Bencher;
use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_intel::{Catalog, IndicatorKind, Matcher, NewIndicator, Tlp};
use forewarn_server::{Parts, Service, Settings};
use tower::ServiceExt;

const INDICATORS: usize = 100_000;

fn main() {
    divan::main();
}

struct World {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    objects: String,
    _data: forewarn_test_support::TempDir,
}

fn world() -> &'static World {
    static WORLD: std::sync::OnceLock<World> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let data = forewarn_test_support::TempDir::new("forewarn-bench-taxii");
        let (router, token, objects) = runtime.block_on(seed(&data));
        World {
            runtime,
            router,
            token,
            objects,
            _data: data,
        }
    })
}

async fn seed(data: &forewarn_test_support::TempDir) -> (axum::Router, String, String) {
    let store = forewarn_store::Store::connect(&format!(
        "sqlite://{}",
        data.path().join("forewarn.db").display()
    ))
    .await
    .unwrap();
    let outbox = forewarn_notify::MailConfig::Outbox {
        dir: data.path().join("outbox"),
    };
    let parts = Parts {
        spool: Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()),
        store,
        mailer: Arc::new(forewarn_notify::Mailer::new(&outbox, "forewarn@cert.example").unwrap()),
        webhooks: Arc::new(forewarn_notify::WebhookSettings::default().sender()),
        incidents_due: Default::default(),
    };
    let service = Service::start(Settings::default(), parts).await.unwrap();
    let state = service.state.clone();

    let mut catalog = Catalog::new();
    let source = catalog.add_source("bench");
    for n in 0..INDICATORS {
        let mut indicator = NewIndicator::exact(
            IndicatorKind::Domain,
            format!("lure-{n}.example"),
            70,
            Vec::new(),
        );
        indicator.tlp = Some(Tlp::Green);
        catalog.add_indicator(source, indicator);
    }
    let matcher = Arc::new(Matcher::new(catalog, chrono::Utc::now().timestamp()));
    state
        .intel
        .set(forewarn_server::intel::IntelView::new(matcher, &[]));
    let started = std::time::Instant::now();
    let (published, _) = forewarn_server::sharing::publish(&state, &mut None)
        .await
        .unwrap();
    eprintln!(
        "published {published} objects in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let (operator, _) = state
        .store
        .find_credentials_by_email(&state.config.operator_email)
        .await
        .unwrap()
        .expect("the first operator");
    let id = forewarn_store::TokenId(forewarn_store::random_hex(8));
    let token = forewarn_server::auth::new_api_token(&id);
    let hash = forewarn_server::auth::hash_password(token.clone())
        .await
        .unwrap();
    state
        .store
        .insert_api_token_with_id(&operator, &id, "bench", &hash)
        .await
        .unwrap();
    let router = forewarn_server::app(state);
    let collections = get(&router, &token, "/taxii2/api/collections/").await;
    let id = collections["collections"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (
        router,
        token,
        format!("/taxii2/api/collections/{id}/objects/"),
    )
}

async fn get(router: &axum::Router, token: &str, path: &str) -> serde_json::Value {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "application/taxii+json;version=2.1")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// The whole collection, 10,000 objects a page: objects per second is 100,000 over the time.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn whole_collection(bencher: Bencher) {
    let world = world();
    bencher.bench_local(|| {
        world.runtime.block_on(async {
            let mut read = 0;
            let mut next: Option<String> = None;
            loop {
                let path = match &next {
                    None => format!("{}?limit=10000", world.objects),
                    Some(next) => format!("{}?limit=10000&next={next}", world.objects),
                };
                let page = get(&world.router, &world.token, &path).await;
                read += page["objects"].as_array().map_or(0, Vec::len);
                match page["next"].as_str() {
                    Some(token) if page["more"] == true => next = Some(token.to_owned()),
                    _ => break,
                }
            }
            assert!(read >= INDICATORS, "{read}");
        })
    });
}

/// One page of 1,000 objects from the middle of the collection.
#[divan::bench(sample_count = 20)]
fn one_page(bencher: Bencher) {
    let world = world();
    let path = format!(
        "{}?limit=1000&added_after=1970-01-01T00:00:00Z&next=50000",
        world.objects
    );
    bencher.bench_local(|| {
        world.runtime.block_on(async {
            let page = get(&world.router, &world.token, &path).await;
            assert_eq!(page["objects"].as_array().map_or(0, Vec::len), 1000);
        })
    });
}

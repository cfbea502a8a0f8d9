//! `/metrics` can be closed to all but the scraper: with `metrics_token` set, it answers only
//! requests that show the token (issue 24). Open by default, as Prometheus expects.

mod common;

use common::{spawn_app_with, Auth, Peers};
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_metrics_answer_only_the_token_when_one_is_set() {
    let db = TestDatabase::sqlite();
    let app = spawn_app_with(&db, Peers::NONE, |settings| {
        settings.metrics_token = Some(forewarn_notify::Secret("scrape-4f1c9a".into()));
    })
    .await;
    let anonymous = app.get("/metrics", &Auth::Anonymous).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .get("/metrics", &Auth::Bearer("scrape-0000".into()))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let scraper = app
        .get("/metrics", &Auth::Bearer("scrape-4f1c9a".into()))
        .await;
    assert_eq!(scraper.status, StatusCode::OK);
    assert!(
        scraper
            .body
            .as_str()
            .unwrap()
            .contains("forewarn_http_requests_total"),
        "{:?}",
        scraper.body
    );
}

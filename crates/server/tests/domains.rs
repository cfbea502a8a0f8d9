//! Domain verification cannot be turned into a mail cannon: a domain another organization has
//! verified gets no postmaster mail and no second owner (issue 24). On SQLite and PostgreSQL.

mod common;

use common::{spawn_app, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_a_domain_verified_elsewhere_gets_no_postmaster_mail() {
    for db in TestDatabase::all().await {
        let app = spawn_app(&db, Peers::NONE).await;
        let store = &app.state.store;
        let owner = format!("hospital-{}.example", forewarn_store::random_hex(4));
        enrolled_org(store, &owner, &[]).await.unwrap();
        let other = enrolled_org(store, &format!("other-{owner}"), &[])
            .await
            .unwrap();
        let operator = app
            .token_for(&app.operator_email, &app.operator_password)
            .await;
        let claimed = app
            .post(
                &format!("/orgs/{}/domains", other.org_id),
                &operator,
                json!({ "name": owner }),
            )
            .await;
        assert_eq!(claimed.status, StatusCode::CREATED, "{:?}", claimed.body);
        let outbox = || std::fs::read_dir(app.data.path().join("outbox")).map_or(0, |d| d.count());
        let before = outbox();
        for method in ["email", "email", "dns"] {
            let asked = app
                .post(
                    &format!(
                        "/orgs/{}/domains/{}/verify",
                        other.org_id,
                        claimed.body["id"].as_str().unwrap()
                    ),
                    &operator,
                    json!({ "method": method }),
                )
                .await;
            assert_eq!(
                asked.status,
                StatusCode::CONFLICT,
                "{}: {method}: {:?}",
                db.label(),
                asked.body
            );
        }
        assert_eq!(
            outbox(),
            before,
            "{}: no postmaster mail went out",
            db.label()
        );
    }
}

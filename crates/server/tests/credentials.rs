//! Credentials after a password change: every session and every API token of the person ends
//! with the old password, so a stolen session cannot mint a token that outlives the victim's
//! reset (issue 24). On SQLite and PostgreSQL.

mod common;

use common::{first_start, spawn_app, Auth, Peers};
use forewarn_test_support::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_a_password_change_ends_the_persons_api_tokens() {
    for db in TestDatabase::all().await {
        let app = spawn_app(&db, Peers::NONE).await;
        let (email, old) = (app.operator_email.clone(), app.operator_password.clone());
        // What an attacker holding a session would mint.
        let token = app.token_for(&email, &old).await;
        assert_eq!(app.get("/me", &token).await.status, StatusCode::OK);

        let session = app.sign_in(&email, &old).await;
        let new = "a new and long operator password";
        let changed = app
            .call(
                Method::PUT,
                "/me/password",
                &session,
                Some(json!({ "current": old, "new": new })),
            )
            .await;
        assert_eq!(changed.status, StatusCode::NO_CONTENT, "{:?}", changed.body);

        let refused = app.get("/me", &token).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{}: the token made before the change still works",
            db.label()
        );
        assert_eq!(
            app.get("/me", &session).await.status,
            StatusCode::UNAUTHORIZED
        );
        // A token made with the new password works.
        let fresh = app.token_for(&email, new).await;
        assert_eq!(app.get("/me", &fresh).await.status, StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_the_one_time_password_only_lets_its_holder_replace_it() {
    for db in TestDatabase::all().await {
        let app = first_start(&db, Peers::NONE).await;
        let (email, one_time) = (app.operator_email.clone(), app.operator_password.clone());
        let session = app.sign_in(&email, &one_time).await;
        let me = app.get("/me", &session).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.body["password_change_due"], true, "{}", me.body);
        // Nothing else: not reading, not minting a token that would outlive the change.
        for (method, path) in [(Method::GET, "/orgs"), (Method::POST, "/tokens")] {
            let refused = app
                .call(method, path, &session, Some(json!({ "name": "x" })))
                .await;
            assert_eq!(
                refused.status,
                StatusCode::FORBIDDEN,
                "{}: {path}",
                db.label()
            );
            assert_eq!(refused.body["error"]["code"], "password_change_due");
        }
        let change = |new: &str| {
            app.call(
                Method::PUT,
                "/me/password",
                &session,
                Some(json!({ "current": one_time, "new": new })),
            )
        };
        // A password from the breach lists, or the one-time password again, is refused.
        let breached = change("Password1234!").await;
        assert_eq!(breached.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            breached.body.to_string().contains("breaches"),
            "{}",
            breached.body
        );
        assert_eq!(
            change(&one_time).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let chosen = "quiet harbour lantern seventeen";
        assert_eq!(change(chosen).await.status, StatusCode::NO_CONTENT);

        // The one-time password is gone; the chosen one opens everything the role allows.
        let again = app
            .post(
                "/session",
                &Auth::Anonymous,
                json!({ "email": email, "password": one_time }),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        let session = app.sign_in(&email, chosen).await;
        let me = app.get("/me", &session).await;
        assert_eq!(me.body["password_change_due"], false, "{}", me.body);
        assert_eq!(app.get("/orgs", &session).await.status, StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_is_mailed_and_a_wrong_password_is_audited() {
    for db in TestDatabase::all().await {
        // The harness has replaced the one-time password, as a newcomer does.
        let app = spawn_app(&db, Peers::NONE).await;
        let outbox = app.data.path().join("outbox");
        let told = std::fs::read_dir(&outbox)
            .map(|d| {
                d.flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .any(|m| {
                        m.contains(&app.operator_email)
                            && m.contains("Subject: Your forewarn password was changed")
                    })
            })
            .unwrap_or(false);
        assert!(told, "{}: the operator is told of the change", db.label());

        let wrong = app
            .post(
                "/session",
                &Auth::Anonymous,
                json!({ "email": app.operator_email, "password": "not the password at all" }),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let session = app
            .sign_in(&app.operator_email, &app.operator_password)
            .await;
        let me = app.get("/me", &session).await.body;
        let audit = app.get("/audit?limit=500", &session).await;
        let failed: Vec<&serde_json::Value> = audit.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "user.sign_in_failed")
            .collect();
        assert_eq!(failed.len(), 1, "{}: {}", db.label(), audit.body);
        assert_eq!(failed[0]["object_id"], me["id"]);
        assert!(!audit.body.to_string().contains("not the password at all"));
    }
}

//! Credentials after a password change: every session and every API token of the person ends
//! with the old password, so a stolen session cannot mint a token that outlives the victim's
//! reset (issue 24). On SQLite and PostgreSQL.

mod common;

use common::{spawn_app, Peers};
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

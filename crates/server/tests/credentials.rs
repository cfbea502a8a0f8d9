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

/// The code an authenticator app shows now for a base32 secret (RFC 6238: HMAC-SHA-1, 30 s).
fn app_code(secret: &str) -> String {
    use hmac::Mac;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut key, mut buffer, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in secret.bytes() {
        let value = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((buffer >> bits) as u8);
        }
    }
    let step = chrono::Utc::now().timestamp() / 30;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bits = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", bits % 1_000_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_staff_need_a_second_factor_and_each_proof_counts_once() {
    for db in TestDatabase::all().await {
        let app = spawn_app(&db, Peers::NONE).await;
        let store = &app.state.store;
        let label = db.label();

        // The operator registered a passkey at the first sign-in: the password alone opens
        // nothing but the second step.
        let (email, password) = (app.operator_email.clone(), app.operator_password.clone());
        let (session, step) = app.sign_in_with_password(&email, &password).await;
        assert_eq!(step, "due", "{label}");
        let blocked = app.get("/orgs", &session).await;
        assert_eq!(blocked.status, StatusCode::FORBIDDEN);
        assert_eq!(blocked.body["error"]["code"], "second_factor_due");
        let wrong = app
            .post(
                "/session/second-factor",
                &session,
                json!({ "totp": "123456" }),
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            wrong.body
        );
        let both = app
            .post(
                "/session/second-factor",
                &session,
                json!({ "totp": "123456", "recovery_code": "abcd" }),
            )
            .await;
        assert_eq!(both.status, StatusCode::BAD_REQUEST);
        // A signature over a challenge that was already used is refused.
        let options = app
            .post("/session/second-factor/options", &session, json!({}))
            .await;
        let answer = {
            let mut keys = app.passkeys.lock().unwrap();
            keys.get_mut(&email)
                .unwrap()
                .sign(&options.body, &app.origin())
        };
        let given = app
            .post(
                "/session/second-factor",
                &session,
                json!({ "passkey": answer }),
            )
            .await;
        assert_eq!(given.status, StatusCode::NO_CONTENT, "{:?}", given.body);
        assert_eq!(app.get("/orgs", &session).await.status, StatusCode::OK);
        let (second, _) = app.sign_in_with_password(&email, &password).await;
        app.post("/session/second-factor/options", &second, json!({}))
            .await;
        let replayed = app
            .post(
                "/session/second-factor",
                &second,
                json!({ "passkey": answer }),
            )
            .await;
        assert_eq!(replayed.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        let failures = app.get("/audit", &session).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "user.sign_in_failed")
            .count();
        assert!(failures >= 2, "{label}: wrong second factors are audited");

        // A new analyst must add a factor before anything else: an authenticator app here.
        let hash = forewarn_server::auth::hash_password("the analyst's long passphrase".into())
            .await
            .unwrap();
        let analyst = store
            .insert_user(
                &forewarn_store::Actor(None),
                &forewarn_store::NewUser {
                    org_id: None,
                    role: forewarn_store::Role::Analyst,
                    name: "Ana".into(),
                    email: "ana@cert.example".into(),
                    password_hash: Some(hash.clone()),
                },
            )
            .await
            .unwrap();
        store.set_password(&analyst.id, &hash).await.unwrap();
        let (session, step) = app
            .sign_in_with_password("ana@cert.example", "the analyst's long passphrase")
            .await;
        assert_eq!(step, "enrolment_due", "{label}");
        for (method, path) in [(Method::GET, "/orgs"), (Method::POST, "/tokens")] {
            let refused = app
                .call(method, path, &session, Some(json!({ "name": "x" })))
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(refused.body["error"]["code"], "second_factor_enrolment_due");
        }
        let setup = app
            .post(
                "/me/second-factors/totp",
                &session,
                json!({ "label": "phone" }),
            )
            .await;
        assert_eq!(setup.status, StatusCode::CREATED, "{:?}", setup.body);
        assert!(setup.body["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"));
        let secret = setup.body["secret"].as_str().unwrap().to_owned();
        let id = setup.body["factor"]["id"].as_str().unwrap().to_owned();
        // Not counted until a code from the app is entered.
        assert_eq!(
            app.get("/orgs", &session).await.status,
            StatusCode::FORBIDDEN
        );
        let confirm = format!("/me/second-factors/{id}/confirm");
        let bad = app
            .post(&confirm, &session, json!({ "code": "000000" }))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let code = app_code(&secret);
        let confirmed = app.post(&confirm, &session, json!({ "code": code })).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
        let codes: Vec<String> =
            serde_json::from_value(confirmed.body["recovery_codes"].clone()).unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(app.get("/orgs", &session).await.status, StatusCode::OK);
        let factors = app.get("/me/second-factors", &session).await.body;
        assert_eq!(factors[0]["kind"], "totp");
        assert!(
            !factors.to_string().contains(&secret),
            "the secret is never shown again"
        );

        // Next sign-in: the code just used is refused, a recovery code works once.
        let (next, step) = app
            .sign_in_with_password("ana@cert.example", "the analyst's long passphrase")
            .await;
        assert_eq!(step, "due");
        let again = app
            .post("/session/second-factor", &next, json!({ "totp": code }))
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: a code works once"
        );
        let recovered = app
            .post(
                "/session/second-factor",
                &next,
                json!({ "recovery_code": codes[0].to_uppercase() }),
            )
            .await;
        assert_eq!(
            recovered.status,
            StatusCode::NO_CONTENT,
            "{:?}",
            recovered.body
        );
        let (last, _) = app
            .sign_in_with_password("ana@cert.example", "the analyst's long passphrase")
            .await;
        let spent = app
            .post(
                "/session/second-factor",
                &last,
                json!({ "recovery_code": codes[0] }),
            )
            .await;
        assert_eq!(spent.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");

        // A program that requires a second factor holds its organizations' people to it.
        let clinic = forewarn_store::fixtures::enrolled_org(store, "mfa-clinic.example", &[])
            .await
            .unwrap();
        assert!(store.accept_invitation(&clinic.admin, &hash).await.unwrap());
        let secret = forewarn_server::auth::new_secret();
        store
            .insert_session(
                &forewarn_server::auth::digest(&secret),
                &clinic.admin,
                "csrf",
                chrono::Duration::hours(1),
                true,
            )
            .await
            .unwrap();
        let admin = Auth::Session {
            cookie: format!("forewarn_session={secret}"),
            csrf: "csrf".into(),
        };
        let org_path = format!("/orgs/{}", clinic.org_id);
        assert_eq!(app.get(&org_path, &admin).await.status, StatusCode::OK);
        let program = store
            .find_org_by_id(&clinic.org_id)
            .await
            .unwrap()
            .unwrap()
            .program_id;
        let operator = app.token_for(&email, &password).await;
        let strict = app
            .call(
                Method::PATCH,
                &format!("/programs/{program}"),
                &operator,
                Some(json!({ "second_factor_required": true })),
            )
            .await;
        assert_eq!(strict.status, StatusCode::OK, "{:?}", strict.body);
        assert_eq!(strict.body["second_factor_required"], true);
        let held = app.get(&org_path, &admin).await;
        assert_eq!(held.status, StatusCode::FORBIDDEN, "{label}");
        assert_eq!(held.body["error"]["code"], "second_factor_enrolment_due");
    }
}

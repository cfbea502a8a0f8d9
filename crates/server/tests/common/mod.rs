//! spawn_app(): the whole service on a random loopback port with a fresh database, and the
//! helpers the API tests share.

#![allow(dead_code)]

pub mod passkey;
pub mod world;

use std::net::SocketAddr;

use std::sync::Arc;

use forewarn_alerts::{Instance, Notifier};
use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_notify::{MailSettings, Mailer, WebhookSettings};
use forewarn_server::config::{DnsSettings, Limits};
use forewarn_server::{AppState, Parts, Service, Settings};
use forewarn_store::Store;
use forewarn_test_support::{TempDir, TestDatabase};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// The notifier running beside the service, as `forewarn serve` runs it.
    pub notifier: forewarn_alerts::Notifier,
    pub operator_email: String,
    pub operator_password: String,
    pub http: reqwest::Client,
    /// The data directory: the mail outbox is in `outbox/` when no relay is set.
    pub data: TempDir,
    /// The passkey each person signed in by [`TestApp::sign_in`] registered, by address.
    pub passkeys: std::sync::Mutex<std::collections::HashMap<String, passkey::SoftPasskey>>,
    /// The recovery codes given with those passkeys, by address.
    pub recovery_codes: std::sync::Mutex<std::collections::HashMap<String, Vec<String>>>,
    _server: tokio::task::JoinHandle<()>,
}

pub struct Peers {
    pub dns: Option<SocketAddr>,
    pub smtp: Option<SocketAddr>,
}

impl Peers {
    /// No DNS server and no mail server: the service alone.
    pub const NONE: Peers = Peers {
        dns: None,
        smtp: None,
    };
}

pub async fn spawn_app(db: &TestDatabase, peers: Peers) -> TestApp {
    spawn_app_with(db, peers, |_| {}).await
}

/// [`spawn_app`] with the service's settings changed by `adjust` first.
pub async fn spawn_app_with(
    db: &TestDatabase,
    peers: Peers,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut app = first_start_with(db, peers, adjust).await;
    // As a newcomer does at first sign-in: the one-time password only lets one replace it.
    let (session, _) = app
        .sign_in_with_password(&app.operator_email, &app.operator_password)
        .await;
    let chosen = "the operator's own long passphrase";
    let reply = app
        .call(
            Method::PUT,
            "/me/password",
            &session,
            Some(serde_json::json!({ "current": app.operator_password, "new": chosen })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    app.operator_password = chosen.to_owned();
    // Then, as the service asks of its staff, a second factor: a passkey.
    app.sign_in(&app.operator_email, &app.operator_password)
        .await;
    app
}

/// A service on its first start: `operator_password` is still the one-time password it printed.
pub async fn first_start(db: &TestDatabase, peers: Peers) -> TestApp {
    first_start_with(db, peers, |_| {}).await
}

async fn first_start_with(
    db: &TestDatabase,
    peers: Peers,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let data = TempDir::new("forewarn-serve");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings {
        listen: addr,
        public_url: format!("http://{addr}"),
        dns: DnsSettings {
            resolver: peers.dns,
            timeout_secs: 2,
            ..DnsSettings::default()
        },
        max_upload_bytes: 256 * 1024,
        // The tests' webhook receivers listen on loopback.
        webhooks: WebhookSettings {
            allow_private: true,
            ..Default::default()
        },
        limits: Limits {
            login_per_minute: 100_000,
            enroll_per_minute: 100_000,
            ..Limits::default()
        },
        ..Settings::default()
    };
    let mail = MailSettings {
        from: "forewarn@cert.example".to_owned(),
        smtp_host: peers.smtp.map(|a| a.ip().to_string()),
        smtp_port: peers.smtp.map_or(25, |a| a.port()),
        smtp_security: forewarn_notify::Security::None,
        ..MailSettings::default()
    };
    // The test's own database on either backend, set up as `forewarn serve` sets it up.
    // Personal data sealed at rest, as `forewarn serve` keeps it.
    let keys = forewarn_store::Keyring::parse(&forewarn_store::Keyring::generate()).unwrap();
    let store = Store::connect_sealed(db.url(), keys)
        .await
        .expect("the database opens");
    let mailer = Arc::new(Mailer::new(&mail.mail_config(data.path()), &mail.from).unwrap());
    let webhooks = Arc::new(settings.webhooks.sender());
    let notifier = Notifier::new(
        store.clone(),
        mailer.clone(),
        webhooks.clone(),
        forewarn_alerts::Settings::default(),
    )
    .for_instance(Instance {
        public_url: settings.public_url.clone(),
        operator: mail.from.clone(),
    });
    let parts = Parts {
        spool: Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()),
        store,
        mailer,
        webhooks,
        incidents_due: notifier.waker(),
    };
    adjust(&mut settings);
    let service = Service::start(settings, parts)
        .await
        .expect("the service starts");
    let first = service
        .first_operator
        .as_ref()
        .expect("a fresh instance creates its operator");
    let (operator_email, operator_password) = (first.email.clone(), first.password.clone());
    let state = service.state.clone();
    tokio::spawn(notifier.clone().run(std::future::pending()));
    let server = tokio::spawn(async move {
        service.serve(listener, std::future::pending()).await;
    });
    TestApp {
        base: format!("http://{addr}"),
        state,
        notifier,
        operator_email,
        operator_password,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        data,
        passkeys: Default::default(),
        recovery_codes: Default::default(),
        _server: server,
    }
}

/// How a request authenticates.
#[derive(Clone, Debug, Default)]
pub enum Auth {
    #[default]
    Anonymous,
    Bearer(String),
    Session {
        cookie: String,
        csrf: String,
    },
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApp {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Value>,
    ) -> Reply {
        // API paths are written as the OpenAPI document writes them, without /api/v1.
        let outside_api = ["/api/", "/healthz", "/metrics", "/confirm/", "/invite/"];
        let url = if outside_api.iter().any(|p| path.starts_with(p)) {
            format!("{}{path}", self.base)
        } else {
            format!("{}/api/v1{path}", self.base)
        };
        let mut request = self.http.request(method, url);
        match auth {
            Auth::Anonymous => {}
            Auth::Bearer(token) => request = request.bearer_auth(token),
            Auth::Session { cookie, csrf } => {
                request = request
                    .header("cookie", cookie.as_str())
                    .header("x-csrf-token", csrf.as_str());
            }
        }
        if let Some(body) = body {
            match world::as_raw_message(&body) {
                Some(raw) => {
                    request = request
                        .header("content-type", "message/rfc822")
                        .body(raw.to_owned())
                }
                None => request = request.json(&body),
            }
        }
        let response = request.send().await.expect("the service answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Reply {
        self.call(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: &Auth, body: Value) -> Reply {
        self.call(Method::POST, path, auth, Some(body)).await
    }

    /// Signs in with a password, and with a passkey where a second factor is asked for (one
    /// is registered for the person at their first sign-in where their role requires it);
    /// returns the session.
    pub async fn sign_in(&self, email: &str, password: &str) -> Auth {
        let (session, step) = self.sign_in_with_password(email, password).await;
        let me = self.get("/me", &session).await;
        if me.body["password_change_due"] == true {
            // A one-time password lets its holder do nothing but replace it.
            return session;
        }
        match step.as_str() {
            "passed" => {}
            "enrolment_due" => {
                let mut key = passkey::SoftPasskey::new();
                let options = self
                    .post(
                        "/me/second-factors/passkey/options",
                        &session,
                        serde_json::json!({}),
                    )
                    .await;
                assert_eq!(options.status, StatusCode::OK, "{:?}", options.body);
                let credential = key.register(&options.body, &self.origin());
                let added = self
                    .post(
                        "/me/second-factors/passkey",
                        &session,
                        serde_json::json!({ "label": "test key", "credential": credential }),
                    )
                    .await;
                assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
                self.passkeys.lock().unwrap().insert(email.to_owned(), key);
                let codes = serde_json::from_value(added.body["recovery_codes"].clone())
                    .expect("the first factor comes with recovery codes");
                self.recovery_codes
                    .lock()
                    .unwrap()
                    .insert(email.to_owned(), codes);
            }
            "due" => self.give_passkey(email, &session).await,
            other => panic!("signing in as {email}: second factor {other:?}"),
        }
        session
    }

    /// The origin browsers see forewarn's pages at: that of its public address.
    pub fn origin(&self) -> String {
        reqwest::Url::parse(&self.state.config.public_url)
            .unwrap()
            .origin()
            .ascii_serialization()
    }

    /// Signs the session's challenge with the passkey `email` registered.
    pub async fn give_passkey(&self, email: &str, session: &Auth) {
        let options = self
            .post(
                "/session/second-factor/options",
                session,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(options.status, StatusCode::OK, "{:?}", options.body);
        let answer = {
            let mut keys = self.passkeys.lock().unwrap();
            let key = keys
                .get_mut(email)
                .unwrap_or_else(|| panic!("{email} has no passkey in this test"));
            key.sign(&options.body, &self.origin())
        };
        let given = self
            .post(
                "/session/second-factor",
                session,
                serde_json::json!({ "passkey": answer }),
            )
            .await;
        assert_eq!(given.status, StatusCode::NO_CONTENT, "{:?}", given.body);
    }

    /// Signs in with a password only: the session and what it says about the second factor
    /// (`passed`, `due`, `enrolment_due`).
    pub async fn sign_in_with_password(&self, email: &str, password: &str) -> (Auth, String) {
        let reply = self
            .post(
                "/session",
                &Auth::Anonymous,
                serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "signing in as {email}: {:?}",
            reply.body
        );
        let cookie = reply
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let step = reply.body["second_factor"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        (
            Auth::Session {
                cookie,
                csrf: reply.body["csrf_token"].as_str().unwrap().to_owned(),
            },
            step,
        )
    }

    /// Signs in and makes an API token, as a script would.
    pub async fn token_for(&self, email: &str, password: &str) -> Auth {
        let session = self.sign_in(email, password).await;
        let reply = self
            .post("/tokens", &session, serde_json::json!({ "name": "test" }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        Auth::Bearer(reply.body["secret"].as_str().unwrap().to_owned())
    }
}

/// The secret of the first `/invite/…` or `/confirm/…` link in a raw message.
pub fn link_secret(raw: &str, kind: &str) -> String {
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a message");
    let body = message.body_text(0).expect("a text body").into_owned();
    let marker = format!("/{kind}/");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} link in {body}"))
        + marker.len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// Runs one of the interop scripts in `tests/interop` (the reference tools from PyPI read what
/// forewarn wrote) and answers the JSON line it prints, after showing what it said; `None`
/// when the tools (`what`) are not installed, which fails in CI.
pub fn interop(script: &str, args: &[&std::ffi::OsStr], what: &str) -> Option<Value> {
    let path = format!("{}/tests/interop/{script}", env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new("python3")
        .arg(path)
        .args(args)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() && stderr.contains("ModuleNotFoundError") {
        forewarn_test_support::skip(&format!(
            "{what} is not installed ({})",
            stderr.lines().last().unwrap_or_default()
        ));
        return None;
    }
    assert!(
        output.status.success(),
        "{}\n{stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    for said in read["said"].as_array().into_iter().flatten() {
        eprintln!("{}", said.as_str().unwrap_or_default());
    }
    Some(read)
}

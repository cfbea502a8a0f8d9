//! forewarn-server is the HTTP service: the REST API under /api/v1 with its OpenAPI document
//! at /api/v1/openapi.json, /healthz, Prometheus metrics at /metrics, the web UI under /ui,
//! and the pages mailed links open. It is where people meet a message's path: they enroll
//! organizations and accounts before it, upload mail into ingest's spool, and read and triage
//! the incidents the store holds after it. Telling organizations is the notifier's
//! (`forewarn-alerts`); setting up the process is the `forewarn` binary's.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use forewarn_ingest::spool::{Spool, SqlSpool};
//! use forewarn_notify::{Mailer, MailConfig, WebhookSettings};
//! use forewarn_server::{Parts, Service, Settings};
//!
//! let store = forewarn_store::Store::connect("sqlite://forewarn.db").await?;
//! let mailer = Mailer::new(&MailConfig::Outbox { dir: "outbox".into() }, "cert@cert.example")?;
//! let parts = Parts {
//!     spool: Spool::Sql(SqlSpool::open(store.clone()).await?),
//!     store,
//!     mailer: Arc::new(mailer),
//!     webhooks: Arc::new(WebhookSettings::default().sender()),
//!     incidents_due: Arc::default(),
//! };
//! let service = Service::start(Settings::default(), parts).await?;
//! if let Some(first) = &service.first_operator {
//!     println!("sign in as {} with {}", first.email, first.password);
//! }
//! let listener = tokio::net::TcpListener::bind(service.state.config.listen).await?;
//! service.serve(listener, std::future::pending()).await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub(crate) mod api;
pub mod auth;
pub mod config;
pub mod dns;
pub(crate) mod error;
mod export;
pub(crate) mod extract;
pub mod feeds;
pub mod intel;
pub(crate) mod limits;
mod listen;
mod mail;
pub(crate) mod metrics;
mod pages;
pub mod recheck;
mod second_factor;
pub(crate) mod service;
pub mod sharing;
pub mod taxii;
pub(crate) mod ui;
pub(crate) mod validate;

use std::future::Future;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use forewarn_ingest::spool::Spool;
use forewarn_ingest::Intake;
use forewarn_notify::Mailer;
use forewarn_store::{Actor, NewUser, Role, Store};
use utoipa::OpenApi;

pub use config::Settings;

use crate::error::ApiError;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The settings break the listed rules.
    #[error("the configuration is not valid:\n  {}", .0.join("\n  "))]
    Config(Vec<String>),
    /// The store could not be read.
    #[error("reading the database: {0}")]
    Store(#[from] forewarn_store::Error),
    /// The DNS resolver for domain verification could not be set up.
    #[error("setting up DNS: {0}")]
    Dns(String),
    /// The operator account could not be made on first start.
    #[error("creating the first operator: {0}")]
    Bootstrap(String),
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Where organizations, accounts, incidents and the audit log are kept.
    pub store: Store,
    /// The settings the service started with.
    pub config: Arc<Settings>,
    /// Sends the service's own mail (confirmations, invitations, password resets).
    pub mailer: Arc<Mailer>,
    /// Answers domain verification's TXT lookups.
    pub dns: Arc<dns::DnsChecker>,
    /// Counts sign-ins and enrollments per client address.
    pub limiter: Arc<limits::RateLimiter>,
    /// API tokens already verified, so a token is not hashed again on every request.
    pub tokens: Arc<auth::TokenCache>,
    /// Where uploads are spooled; the SMTP listener and IMAP poller share it.
    pub intake: Intake,
    /// Posts signed webhooks to organizations' endpoints.
    pub webhooks: Arc<forewarn_notify::webhook::WebhookSender>,
    /// Notified when an analyst approves an incident; the notifier of this process (see
    /// `forewarn_alerts::Notifier::woken_by`) then tells it at once instead of at its next look.
    pub incidents_due: Arc<tokio::sync::Notify>,
    /// The threat intel this process analyses mail with, for the analysts' browser; set once
    /// it is loaded.
    pub intel: intel::IntelSlot,
    /// Notified when a feed is added or changed, so it is read at once.
    pub feeds_due: Arc<tokio::sync::Notify>,
}

/// What the service runs on, set up by the process and shared with its other tasks (the
/// notifier sends with the same mailer and webhook sender, the workers read the same spool).
pub struct Parts {
    /// Where organizations, accounts, incidents and the audit log are kept.
    pub store: Store,
    /// Sends the service's own mail.
    pub mailer: Arc<Mailer>,
    /// Posts signed webhooks (the service sends test deliveries).
    pub webhooks: Arc<forewarn_notify::webhook::WebhookSender>,
    /// Where uploads are spooled.
    pub spool: Spool,
    /// Notified when an analyst approves an incident: hand the notifier's waker here.
    pub incidents_due: Arc<tokio::sync::Notify>,
}

/// The operator account made on first start, with its one-time password.
pub struct FirstOperator {
    /// The account's sign-in address (`operator_email`).
    pub email: String,
    /// The generated password, shown once at start; the operator signs in with it and then sets their own.
    pub password: String,
}

/// The HTTP service, ready to serve.
pub struct Service {
    /// What every handler shares.
    pub state: AppState,
    /// Set when this start created the operator account.
    pub first_operator: Option<FirstOperator>,
}

impl Service {
    /// Checks the settings, makes the operator account when there is none, and readies the
    /// service over `parts`, which the process sets up and may share with its other tasks.
    pub async fn start(settings: Settings, parts: Parts) -> Result<Service, Error> {
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(Error::Config(problems));
        }
        let Parts {
            store,
            mailer,
            webhooks,
            spool,
            incidents_due,
        } = parts;
        let dns = dns::DnsChecker::new(&settings.dns).map_err(Error::Dns)?;
        let first_operator = ensure_operator(&store, &settings.operator_email).await?;
        let state = AppState {
            intake: Intake::new(Arc::new(spool)),
            webhooks,
            incidents_due,
            intel: intel::IntelSlot::default(),
            feeds_due: Arc::default(),
            store,
            config: Arc::new(settings),
            mailer,
            dns: Arc::new(dns),
            limiter: Arc::default(),
            tokens: Arc::default(),
        };
        Ok(Service {
            state,
            first_operator,
        })
    }

    /// The routes: the API, the web UI, the pages mailed links open, health and metrics.
    pub fn router(&self) -> Router {
        app(self.state.clone())
    }

    /// Serves until `shutdown` completes, then finishes the requests under way. The store
    /// stays open for whatever else the process still runs (the notifier, the workers); close
    /// it when they are done.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) {
        let config = &self.state.config;
        let limits = listen::ConnectionLimits {
            total: config.limits.max_connections,
            per_client: (!config.trust_proxy_headers)
                .then_some(config.limits.max_connections_per_client),
            header_read: std::time::Duration::from_secs(config.limits.header_read_secs),
        };
        let rechecks = tokio::spawn(recheck::run(self.state.clone()));
        let feeds = tokio::spawn(feeds::run(self.state.clone()));
        let sharing = tokio::spawn(sharing::run(self.state.clone()));
        listen::serve(listener, self.router(), limits, shutdown).await;
        rechecks.abort();
        feeds.abort();
        sharing.abort();
    }
}

async fn ensure_operator(store: &Store, email: &str) -> Result<Option<FirstOperator>, Error> {
    if store.count_users_with_role(Role::Operator).await? > 0 {
        return Ok(None);
    }
    let password = format!(
        "{}-{}",
        forewarn_store::random_hex(6),
        forewarn_store::random_hex(6)
    );
    let hash = auth::hash_password(password.clone())
        .await
        .map_err(|e| Error::Bootstrap(e.to_string()))?;
    store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: None,
                role: Role::Operator,
                name: "Operator".to_owned(),
                email: email.to_owned(),
                password_hash: Some(hash),
            },
        )
        .await?;
    Ok(Some(FirstOperator {
        email: email.to_owned(),
        password,
    }))
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let limit = state.config.limits.max_body_bytes;
    let metrics = metrics::handle();
    Router::new()
        .nest("/api/v1", api::routes().fallback(api_not_found))
        .nest("/ui", ui::routes())
        .merge(taxii::routes())
        .route("/", get(|| async { axum::response::Redirect::to("/ui") }))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route(
            "/metrics",
            get(
                move |State(state): State<AppState>, headers: header::HeaderMap| {
                    std::future::ready(scrape(&state, &headers, &metrics))
                },
            ),
        )
        .route(
            "/confirm/{token}",
            get(pages::confirm_page).post(pages::confirm_submit),
        )
        .route(
            "/invite/{token}",
            get(pages::invite_page).post(pages::invite_submit),
        )
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(limit))
        .layer(Extension(extract::BodyLimit(limit)))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response_with_state(
            state.config.public_url.starts_with("https://"),
            strict_transport,
        ))
        .with_state(state)
}

/// Under an https `public_url`, browsers are told to come back over https only for a year
/// (HSTS), so a network attacker cannot strip TLS from a later visit; a plain http
/// deployment (a test bed, loopback) says nothing.
async fn strict_transport(State(https): State<bool>, mut response: Response) -> Response {
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// The Prometheus metrics, for whoever shows the token when one is configured.
fn scrape(
    state: &AppState,
    headers: &header::HeaderMap,
    metrics: &metrics_exporter_prometheus::PrometheusHandle,
) -> Response {
    if let Some(token) = &state.config.metrics_token {
        let shown = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Compared as digests, so the time taken says nothing about the token.
        if auth::digest(shown) != auth::digest(&token.0) {
            return ApiError::Unauthorized.into_response();
        }
    }
    metrics.render().into_response()
}

/// The OpenAPI document, with each operation's roles under `x-forewarn-roles`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api::ApiDoc::openapi()
}

/// Built once: the document does not change while the process runs.
async fn openapi() -> Response {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let json = DOCUMENT.get_or_init(|| {
        openapi_document()
            .to_json()
            .expect("the OpenAPI document serializes")
    });
    ([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response()
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ok" })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "database unavailable" })),
            )
                .into_response()
        }
    }
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(header::HeaderValue::from_static("no-store"));
    response
}

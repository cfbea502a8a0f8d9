//! forewarn-server is the HTTP service: the REST API under /api/v1 with its OpenAPI document
//! at /api/v1/openapi.json, /healthz, Prometheus metrics at /metrics, and the pages mailed
//! links open.
//!
//! ```no_run
//! # async fn run() -> Result<(), forewarn_server::Error> {
//! let config = forewarn_server::Config::default();
//! let service = forewarn_server::Service::start(config).await?;
//! if let Some(first) = &service.first_operator {
//!     println!("sign in as {} with {}", first.email, first.password);
//! }
//! let listener = tokio::net::TcpListener::bind(service.state.config.listen).await.unwrap();
//! service.serve(listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod auth;
pub mod config;
pub mod dns;
pub mod error;
pub mod extract;
pub mod intel;
pub mod limits;
mod mail;
pub mod metrics;
mod pages;
pub mod ui;
pub mod validate;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use forewarn_ingest::spool::{NatsSpool, Spool, SqlSpool};
use forewarn_ingest::Intake;
use forewarn_notify::Mailer;
use forewarn_store::{Actor, NewUser, Role, Store};
use utoipa::OpenApi;

pub use config::Config;

use crate::error::ApiError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the configuration is not valid:\n  {}", .0.join("\n  "))]
    Config(Vec<String>),
    #[error("creating the data directory {0}: {1}")]
    DataDir(std::path::PathBuf, std::io::Error),
    #[error("opening the database: {0}")]
    Store(#[from] forewarn_store::Error),
    #[error("setting up mail: {0}")]
    Mail(#[from] forewarn_notify::Error),
    #[error("opening the spool: {0}")]
    Spool(#[from] forewarn_ingest::Error),
    #[error("setting up DNS: {0}")]
    Dns(String),
    #[error("creating the first operator: {0}")]
    Bootstrap(String),
    #[error("serving HTTP: {0}")]
    Serve(std::io::Error),
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub mailer: Arc<Mailer>,
    pub dns: Arc<dns::DnsChecker>,
    pub limiter: Arc<limits::RateLimiter>,
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
    pub intel: Arc<std::sync::OnceLock<intel::IntelView>>,
}

/// The operator account made on first start, with its one-time password.
pub struct FirstOperator {
    pub email: String,
    pub password: String,
}

pub struct Service {
    pub state: AppState,
    /// Set when this start created the operator account.
    pub first_operator: Option<FirstOperator>,
}

impl Service {
    /// Checks the configuration, opens (and migrates) the database, and creates the operator
    /// account when there is none.
    pub async fn start(config: Config) -> Result<Service, Error> {
        let problems = config.problems();
        if !problems.is_empty() {
            return Err(Error::Config(problems));
        }
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| Error::DataDir(config.data_dir.clone(), e))?;
        let store = Store::connect(&config.database_url()).await?;
        let mailer = Mailer::new(&config.mail_config(), &config.mail.from)?;
        let dns = dns::DnsChecker::new(&config.dns).map_err(Error::Dns)?;
        let first_operator = ensure_operator(&store, &config.operator_email).await?;
        let spool = open_spool(&config, store.clone()).await?;
        let webhooks = config.webhook_sender();
        let state = AppState {
            intake: Intake::new(Arc::new(spool)),
            webhooks: Arc::new(webhooks),
            incidents_due: Arc::default(),
            intel: Arc::default(),
            store,
            config: Arc::new(config),
            mailer: Arc::new(mailer),
            dns: Arc::new(dns),
            limiter: Arc::default(),
            tokens: Arc::default(),
        };
        Ok(Service {
            state,
            first_operator,
        })
    }

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
    ) -> Result<(), Error> {
        let app = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(Error::Serve)
    }
}

/// The spool the configuration asks for: NATS JetStream when `nats_url` is set, the database
/// otherwise.
pub async fn open_spool(config: &Config, store: Store) -> Result<Spool, Error> {
    Ok(match &config.nats_url {
        Some(url) => Spool::Nats(Box::new(
            NatsSpool::connect(
                &url.0,
                &config.ingest.nats_name,
                std::time::Duration::from_secs(config.ingest.nats_ack_wait_secs),
                store,
            )
            .await?,
        )),
        None => Spool::Sql(SqlSpool::open(store).await?),
    })
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
        .route("/", get(|| async { axum::response::Redirect::to("/ui") }))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route(
            "/metrics",
            get(move || std::future::ready(metrics.render())),
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
        .with_state(state)
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

//! `forewarn serve` and `forewarn config check`: the configuration is layered (defaults, then
//! forewarn.toml, then FOREWARN_* variables with `__` between nested keys, then the command
//! line), checked, and handed to the service.
//!
//! Run: `forewarn serve` (SQLite in ./forewarn-data, listening on 127.0.0.1:8080).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use forewarn_ingest::Workers;
use forewarn_notify::Mailer;
use forewarn_server::intel::IntelView;
use forewarn_server::{Parts, Service};
use std::sync::Arc;

use crate::config::Config;

/// The top-level keys FOREWARN_* variables may set; other FOREWARN_ variables (FOREWARN_LOG,
/// FOREWARN_CORPORA …) belong to other parts of the program.
const KEYS: &[&str] = &[
    "data_dir",
    "listen",
    "database_url",
    "public_url",
    "trust_proxy_headers",
    "terms_version",
    "operator_email",
    "coverage_notice_days",
    "smtp_listen",
    "nats_url",
    "metrics_token",
    "mail",
    "dns",
    "limits",
    "smtp",
    "ingest",
    "webhooks",
];

#[derive(clap::Args)]
pub struct ConfigArgs {
    /// The configuration file; ./forewarn.toml when it exists.
    #[arg(long, env = "FOREWARN_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArgs,
    /// Where the SQLite database and the mail outbox live (FOREWARN_DATA_DIR).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The address to listen on, such as 127.0.0.1:8080 (FOREWARN_LISTEN).
    #[arg(long)]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    shared: Shared,
    /// Accept journal and BCC copies of mail over SMTP on this address, such as
    /// 127.0.0.1:2525 (FOREWARN_SMTP_LISTEN).
    #[arg(long)]
    smtp_listen: Option<SocketAddr>,
}

/// Where the state and the spool are, for every command that uses them.
#[derive(clap::Args)]
pub struct Shared {
    /// postgres://… to keep the state in PostgreSQL (FOREWARN_DATABASE_URL).
    #[arg(long)]
    database_url: Option<String>,
    /// nats://… to carry the spool in NATS JetStream, shared by several processes
    /// (FOREWARN_NATS_URL).
    #[arg(long)]
    nats_url: Option<String>,
}

impl Shared {
    pub fn overrides(&self) -> Vec<(&'static str, figment::value::Value)> {
        let mut overrides = Vec::new();
        if let Some(url) = &self.database_url {
            overrides.push(("database_url", url.clone().into()));
        }
        if let Some(url) = &self.nats_url {
            overrides.push(("nats_url", url.clone().into()));
        }
        overrides
    }
}

pub fn load(
    config: &ConfigArgs,
    overrides: Vec<(&str, figment::value::Value)>,
) -> anyhow::Result<Config> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    let file = config.config.clone().or_else(|| {
        let default = PathBuf::from("forewarn.toml");
        default.exists().then_some(default)
    });
    if let Some(file) = &file {
        anyhow::ensure!(
            file.exists(),
            "the configuration file {} does not exist",
            file.display()
        );
        figment = figment.merge(Toml::file(file));
    }
    // Keys arrive here before figment lowercases them.
    figment = figment.merge(Env::prefixed("FOREWARN_").split("__").filter(|key| {
        let top = key.as_str().split('.').next().unwrap_or_default();
        KEYS.iter().any(|k| k.eq_ignore_ascii_case(top))
    }));
    for (key, value) in overrides {
        figment = figment.merge(Serialized::default(key, value));
    }
    let config: Config = figment.extract().context("reading the configuration")?;
    let problems = config.problems();
    anyhow::ensure!(
        problems.is_empty(),
        "the configuration is not valid:\n  {}",
        problems.join("\n  ")
    );
    Ok(config)
}

pub fn check(args: ConfigArgs) -> anyhow::Result<ExitCode> {
    let config = load(&args, Vec::new())?;
    println!("{config:#?}");
    for warning in config.warnings() {
        eprintln!("forewarn: warning: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut overrides = Vec::new();
    if let Some(dir) = &args.data_dir {
        overrides.push(("data_dir", dir.display().to_string().into()));
    }
    if let Some(listen) = args.listen {
        overrides.push(("listen", listen.to_string().into()));
    }
    if let Some(listen) = args.smtp_listen {
        overrides.push(("smtp_listen", listen.to_string().into()));
    }
    overrides.extend(args.shared.overrides());
    let config = load(&args.config, overrides)?;
    for warning in config.warnings() {
        tracing::warn!("{warning}");
    }
    let runtime = crate::serve::runtime()?;
    runtime.block_on(serve(config))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    let backend = if config.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let data_dir = config.data_dir.clone();
    let problems = config.problems();
    anyhow::ensure!(
        problems.is_empty(),
        "the configuration is not valid:\n  {}",
        problems.join("\n  ")
    );
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
    let store = config.open_store().await?;
    let mailer = Mailer::new(
        &config.mail.mail_config(&config.data_dir),
        &config.mail.from,
    )
    .context("setting up mail")?;
    let (mailer, webhooks) = (Arc::new(mailer), Arc::new(config.webhooks.sender()));
    let spool = config.open_spool(store.clone()).await?;
    let notifier = crate::notifier::with(&config, store.clone(), mailer.clone(), webhooks.clone());
    let parts = Parts {
        store: store.clone(),
        mailer,
        webhooks,
        spool,
        incidents_due: notifier.waker(),
    };
    let service = Service::start(config.server(), parts)
        .await
        .context("starting the service")?;
    if let Some(first) = &service.first_operator {
        // Shown once, on the terminal that started forewarn, never written to the log.
        eprintln!(
            "\nforewarn: first start. Sign in as {} with the one-time password\n\n    {}\n\nand change it at once (PUT /api/v1/me/password).\n",
            first.email, first.password
        );
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let intake = service.state.intake.clone();
    let stopping = Stopping::on_signal();
    let mut tasks = tokio::task::JoinSet::new();
    if let Some(smtp_listen) = config.smtp_listen {
        let smtp = config.smtp.listener()?;
        let listener = tokio::net::TcpListener::bind(smtp_listen)
            .await
            .with_context(|| format!("listening for SMTP on {smtp_listen}"))?;
        tracing::info!(%smtp_listen, tls = smtp.tls.is_some(), "accepting mail over SMTP");
        tasks.spawn(forewarn_ingest::smtp::serve(
            listener,
            intake.clone(),
            smtp,
            stopping.wait(),
        ));
    }
    if config.ingest.workers > 0 {
        let (analyzer, reports) = crate::engine::analyzer(&config)?;
        if !config.ingest.intel.is_empty() {
            let _ = service
                .state
                .intel
                .set(IntelView::new(analyzer.catalog(), &reports));
        }
        let analyzer = Arc::new(analyzer);
        let workers = Workers::new(intake.spool().clone(), analyzer, config.ingest.retention())
            .waking(notifier.waker());
        tasks.spawn(workers.run(config.ingest.workers, stopping.wait()));
    }
    if config.ingest.workers == 0 && !config.ingest.intel.is_empty() {
        // No analysis here, but the analysts' intel browser shows what the workers load.
        let (catalog, reports) = crate::intel::load(&config.ingest.intel)?;
        let catalog: &'static forewarn_intel::Catalog = Box::leak(Box::new(catalog));
        let _ = service.state.intel.set(IntelView::new(catalog, &reports));
    }
    for mailbox in &config.ingest.imap {
        let (every, mailbox) = mailbox.poller(config.smtp.max_message_bytes);
        tracing::info!(mailbox = %mailbox.name, "reading an IMAP mailbox");
        tasks.spawn(forewarn_ingest::imap::run(
            mailbox,
            intake.clone(),
            every,
            stopping.wait(),
        ));
    }
    tasks.spawn(purge_expired_raw(store.clone(), stopping.wait()));
    tasks.spawn(notifier.run(stopping.wait()));
    tracing::info!(%listen, backend, data_dir = %data_dir.display(), "forewarn is serving");
    service.serve(listener, stopping.wait()).await?;
    while tasks.join_next().await.is_some() {}
    store.close().await;
    tracing::info!("forewarn stopped");
    Ok(())
}

/// The runtime the service commands run on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
}

/// Drops raw messages whose retention window has passed, hourly.
async fn purge_expired_raw(
    store: forewarn_store::Store,
    stopped: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stopped);
    loop {
        match store.purge_expired_raw().await {
            Ok(0) => {}
            Ok(purged) => {
                tracing::info!(purged, "raw messages past their retention window dropped")
            }
            Err(error) => tracing::warn!(%error, "dropping expired raw messages failed"),
        }
        tokio::select! {
            _ = &mut stopped => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
        }
    }
}

/// Tells every part of the process that it is time to stop, once SIGTERM or Ctrl-C arrives.
#[derive(Clone)]
pub struct Stopping(tokio::sync::watch::Receiver<bool>);

impl Stopping {
    pub fn on_signal() -> Stopping {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown().await;
            tracing::info!("stopping");
            let _ = stop.send(true);
        });
        Stopping(stopped)
    }

    pub fn wait(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut stopped = self.0.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    }
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_top_level_key_can_be_set_from_the_environment() {
        let config = serde_json::to_value(crate::config::Config::default()).unwrap();
        for key in config.as_object().unwrap().keys() {
            assert!(
                super::KEYS.contains(&key.as_str()),
                "FOREWARN_{} cannot be set: add {key:?} to KEYS",
                key.to_uppercase()
            );
        }
    }
}

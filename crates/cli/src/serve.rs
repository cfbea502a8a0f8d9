//! `forewarn serve`: the HTTP service, the SMTP listener, the workers and the notifier in one
//! process, on the configuration [`crate::process::load`] layers.
//!
//! Built with the `server` feature (on by default); without it, `forewarn` has the worker, the
//! notifier and the offline commands but not the HTTP service.
//!
//! Run: `forewarn serve` (SQLite in ./forewarn-data, listening on 127.0.0.1:8080).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use forewarn_ingest::Workers;
use forewarn_notify::Mailer;
use forewarn_server::intel::IntelView;
use forewarn_server::{Parts, Service};
use std::sync::Arc;

use crate::config::Config;
use crate::process::{load, runtime, ConfigArgs, Shared, Stopping};

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
            "\nforewarn: first start. Sign in as {} with the one-time password\n\n    {}\n\nIt lets you do nothing but choose your own password (in the web UI, or PUT /api/v1/me/password).\n",
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
            service
                .state
                .intel
                .set(IntelView::new(analyzer.matcher(), &reports));
        }
        let analyzer = Arc::new(analyzer);
        let slot = service.state.intel.clone();
        let (feed_config, feed_store, feed_analyzer, stopped) = (
            config.clone(),
            store.clone(),
            analyzer.clone(),
            stopping.wait(),
        );
        tasks.spawn(async move {
            crate::engine::follow_feeds(
                &feed_config,
                feed_store,
                feed_analyzer,
                move |matcher, reports| slot.set(IntelView::new(matcher, reports)),
                stopped,
            )
            .await
        });
        let workers = Workers::new(intake.spool().clone(), analyzer, config.ingest.retention())
            .waking(notifier.waker());
        tasks.spawn(workers.run(config.ingest.workers, stopping.wait()));
    }
    if config.ingest.workers == 0 {
        // No analysis here, but the analysts' intel browser shows what the workers load.
        if !config.ingest.intel.is_empty() {
            let (catalog, reports) = crate::intel::load(&config.ingest.intel)?;
            let matcher = Arc::new(crate::intel::compile(catalog));
            service.state.intel.set(IntelView::new(matcher, &reports));
        }
        let slot = service.state.intel.clone();
        tasks.spawn(forewarn_ingest::intel::watch(
            store.clone(),
            crate::engine::base_intel(config.ingest.intel.clone()),
            move |matcher, reports| slot.set(IntelView::new(matcher, reports)),
            std::time::Duration::from_secs(config.feeds.reload_secs.max(1)),
            stopping.wait(),
        ));
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
    service.serve(listener, stopping.wait()).await;
    while tasks.join_next().await.is_some() {}
    store.close().await;
    tracing::info!("forewarn stopped");
    Ok(())
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

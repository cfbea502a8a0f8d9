//! `forewarn worker`: analysis without the HTTP service, for instances beyond one machine.
//! Any number of worker processes share the spool (NATS JetStream, or the PostgreSQL spool
//! table) and store results in the shared PostgreSQL database.
//!
//! Run: `forewarn worker --database-url postgres://… --nats-url nats://127.0.0.1:4222`; add
//! `--notify` to tell incidents from this process too.

use std::process::ExitCode;
use std::sync::Arc;

use forewarn_ingest::Workers;

use crate::process::{load, ConfigArgs, Shared, Stopping};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    shared: Shared,
    /// Messages analysed at once (ingest.workers when absent).
    #[arg(long)]
    workers: Option<usize>,
    /// Also run a notifier here: tell the incidents these workers (and any other process)
    /// open, by mail and webhooks. Notifiers in several processes share the work.
    #[arg(long)]
    notify: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = load(&args.config, args.shared.overrides())?;
    config.require_shared_database("worker", "analyses mail")?;
    let count = args.workers.unwrap_or(config.ingest.workers).max(1);
    let runtime = crate::process::runtime()?;
    runtime.block_on(async move {
        let store = config.open_store().await?;
        let spool = config.open_spool(store.clone()).await?;
        let analyzer = Arc::new(crate::engine::analyzer(&config)?.0);
        let stopping = Stopping::on_signal();
        let feeds = tokio::spawn({
            let (config, store, analyzer, stopped) = (
                config.clone(),
                store.clone(),
                analyzer.clone(),
                stopping.wait(),
            );
            async move {
                crate::engine::follow_feeds(&config, store, analyzer, |_, _| {}, stopped).await
            }
        });
        let mut workers = Workers::new(Arc::new(spool), analyzer, config.ingest.retention());
        let mut notifier = None;
        if args.notify {
            let notify = crate::notifier::build(&config, store.clone())?;
            workers = workers.waking(notify.waker());
            notifier = Some(tokio::spawn(notify.run(stopping.wait())));
        }
        tracing::info!(
            workers = count,
            nats = config.nats_url.is_some(),
            notify = args.notify,
            "forewarn worker is analysing"
        );
        workers.run(count, stopping.wait()).await;
        if let Some(notifier) = notifier {
            let _ = notifier.await;
        }
        let _ = feeds.await;
        store.close().await;
        tracing::info!("forewarn worker stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

//! `forewarn notifier`: the notifier as a process of its own, for an instance on PostgreSQL
//! whose `forewarn serve` and `forewarn worker` processes leave the telling to it (or share it:
//! notifiers in several processes never send one notification twice).
//!
//! Run: `forewarn notifier --database-url postgres://…`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use forewarn_alerts::Notifier;
use forewarn_notify::webhook::WebhookSender;
use forewarn_notify::Mailer;
use forewarn_store::Store;

use crate::config::Config;
use crate::process::{load, ConfigArgs, Shared, Stopping};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    shared: Shared,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = load(&args.config, args.shared.overrides())?;
    config.require_shared_database("notifier", "tells incidents")?;
    let runtime = crate::process::runtime()?;
    runtime.block_on(async move {
        let store = config.open_store().await?;
        let notifier = build(&config, store.clone())?;
        tracing::info!("forewarn notifier is telling incidents");
        notifier.run(Stopping::on_signal().wait()).await;
        store.close().await;
        tracing::info!("forewarn notifier stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A notifier with its own mailer and webhook sender, as the configuration describes them.
pub fn build(config: &Config, store: Store) -> anyhow::Result<Notifier> {
    let mailer = Mailer::new(
        &config.mail.mail_config(&config.data_dir),
        &config.mail.from,
    )
    .context("setting up mail")?;
    Ok(with(
        config,
        store,
        Arc::new(mailer),
        Arc::new(config.webhooks.sender()),
    ))
}

/// The notifier the configuration describes, sending with `mailer` and `webhooks`.
pub fn with(
    config: &Config,
    store: Store,
    mailer: Arc<Mailer>,
    webhooks: Arc<WebhookSender>,
) -> Notifier {
    let (settings, instance) = config.notifier();
    Notifier::new(store, mailer, webhooks, settings).for_instance(instance)
}

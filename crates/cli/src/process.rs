//! What every long-running command shares: the layered configuration (defaults, then
//! forewarn.toml, then FOREWARN_* variables with `__` between nested keys, then the command
//! line), `forewarn config check`, the runtime and the stop signal.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;

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
    "early_warning_secs",
    "smtp_listen",
    "nats_url",
    "metrics_token",
    "personal_data_keys",
    "mail",
    "dns",
    "limits",
    "smtp",
    "ingest",
    "webhooks",
    "feeds",
];

#[derive(clap::Args)]
pub struct ConfigArgs {
    /// The configuration file; ./forewarn.toml when it exists.
    #[arg(long, env = "FOREWARN_CONFIG")]
    config: Option<PathBuf>,
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

/// The runtime the service commands run on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
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

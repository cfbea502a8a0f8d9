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
use forewarn_server::{Config, Service};

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
    "mail",
    "dns",
    "limits",
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
    /// postgres://… to keep the state in PostgreSQL (FOREWARN_DATABASE_URL).
    #[arg(long)]
    database_url: Option<String>,
}

fn load(
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
    if let Some(url) = &args.database_url {
        overrides.push(("database_url", url.clone().into()));
    }
    let config = load(&args.config, overrides)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
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
    let service = Service::start(config)
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
    tracing::info!(%listen, backend, data_dir = %data_dir.display(), "forewarn is serving");
    service.serve(listener, shutdown()).await?;
    tracing::info!("forewarn stopped");
    Ok(())
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

//! The `forewarn` command.
//!
//! ```text
//! forewarn scan [--intel PATH]... [--format text|jsonl] [--explain] PATH...
//! forewarn intel check [--format text|json] PATH...
//! forewarn serve [--smtp-listen ADDR:PORT] [--database-url URL] [--nats-url URL]
//! forewarn worker --database-url URL [--nats-url URL] [--notify]
//! forewarn notifier --database-url URL
//! forewarn ingest --org ORG_ID PATH...
//! forewarn rules fit|validate [--inputs FILE] --corpora DIR
//! ```
//!
//! Run `cargo run --release -- scan --intel ../shared/corpora/threat-intel mail/` to scan a
//! folder of messages against every intel file in a folder.

mod config;
mod engine;
mod ingest;
mod inputs;
mod intel;
mod notifier;
mod process;
mod rules;
mod scan;
#[cfg(feature = "server")]
mod serve;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// forewarn: warns organizations that attackers single out about the mail aimed at them.
#[derive(Parser)]
#[command(name = "forewarn", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan messages (files, directories, mbox files) against threat intel, offline.
    Scan(scan::Args),
    /// Print what forewarn reads from one message (header facts, observables, attachments) as
    /// JSON.
    Inspect {
        /// A message file.
        path: std::path::PathBuf,
    },
    /// Work with threat-intel files.
    #[command(subcommand)]
    Intel(IntelCommand),
    /// Run the service: the REST API, health and metrics, the SMTP listener (--smtp-listen)
    /// and the analysis workers, on SQLite in the data directory by default or on PostgreSQL
    /// with --database-url.
    #[cfg(feature = "server")]
    Serve(serve::Args),
    /// Not in this build: it was made without the HTTP service.
    #[cfg(not(feature = "server"))]
    #[command(hide = true)]
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Analyse spooled mail for an instance on PostgreSQL, beside `forewarn serve`.
    Worker(worker::Args),
    /// Tell incidents and coverage notices for an instance on PostgreSQL, as a process of
    /// its own.
    Notifier(notifier::Args),
    /// Spool message files, directories or mbox files for one organization's analysis.
    Ingest(ingest::Args),
    /// Work with the service's configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Fit and validate the cue weights on labelled mail.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Fit the cue weights and calibrate the thresholds on the labelled inputs, and write
    /// the weights file.
    Fit(rules::FitArgs),
    /// Measure the weights on mail the fit did not see: grouped cross-validation, leave one
    /// corpus out, leave one batch out, and each detector's part.
    Validate(rules::ValidateArgs),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check a configuration (defaults < forewarn.toml < FOREWARN_* variables) and print the
    /// result, secrets redacted.
    Check(process::ConfigArgs),
}

#[derive(Subcommand)]
enum IntelCommand {
    /// Import intel files and report what each holds and what was rejected, and why.
    Check(intel::CheckArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

fn init_logging(default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("FOREWARN_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if std::env::var("FOREWARN_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn inspect(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let message =
        forewarn_mail::parse(&raw).with_context(|| format!("reading {}", path.display()))?;
    println!("{}", serde_json::to_string_pretty(&message)?);
    Ok(ExitCode::SUCCESS)
}

impl Command {
    /// Whether the command runs until it is stopped, as a service does.
    fn is_service(&self) -> bool {
        match self {
            #[cfg(feature = "server")]
            Command::Serve(_) => true,
            #[cfg(not(feature = "server"))]
            Command::Serve { .. } => false,
            Command::Worker(_) | Command::Notifier(_) => true,
            _ => false,
        }
    }
}

/// Exit status: 0 nothing suspicious, 1 something suspicious or malicious, 2 the run failed.
fn main() -> ExitCode {
    let cli = Cli::parse();
    // The service reports what it does; one-shot commands speak only when something is wrong.
    init_logging(if cli.command.is_service() {
        "info"
    } else {
        "warn"
    });
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Intel(IntelCommand::Check(args)) => intel::check(args),
        Command::Inspect { path } => inspect(&path),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
        #[cfg(not(feature = "server"))]
        Command::Serve { .. } => Err(anyhow::anyhow!(
            "this forewarn was built without the HTTP service (cargo feature `server`); `forewarn worker` and `forewarn notifier` run here, `forewarn serve` needs a build with default features"
        )),
        Command::Worker(args) => worker::run(args),
        Command::Notifier(args) => notifier::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Config(ConfigCommand::Check(args)) => process::check(args),
        Command::Rules(RulesCommand::Fit(args)) => rules::fit_command(args),
        Command::Rules(RulesCommand::Validate(args)) => rules::validate_command(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("forewarn: {error:#}");
            ExitCode::from(2)
        }
    }
}

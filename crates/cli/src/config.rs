//! The whole configuration of a forewarn process, composed of the settings each component
//! owns: the HTTP service's (`forewarn_server::config`), ingestion's (`[smtp]`, `[ingest]`),
//! mail and webhooks (`[mail]`, `[webhooks]`), and the notifier's. The binary layers it:
//! these defaults, then `forewarn.toml`, then `FOREWARN_*` environment variables (`__` between
//! nested keys), then the command line. Every key is listed in `forewarn.example.toml`.

use std::net::SocketAddr;
use std::path::PathBuf;

use forewarn_ingest::{IngestSettings, SmtpSettings};
use forewarn_notify::{MailSettings, Secret, WebhookSettings};
#[cfg(feature = "server")]
use forewarn_server::config::{DnsSettings, Limits};
use serde::{Deserialize, Serialize};

/// The HTTP service's `[dns]` and `[limits]` sections, in a build without the service
/// (`--no-default-features`): read so that one configuration file serves every process, and
/// otherwise left alone.
#[cfg(not(feature = "server"))]
type DnsSettings = serde_json::Map<String, serde_json::Value>;
#[cfg(not(feature = "server"))]
type Limits = serde_json::Map<String, serde_json::Value>;

/// The defaults of the HTTP service's top-level keys, for a build without the service; the
/// build with it takes them from `forewarn_server::config::Settings`, and a test holds the two
/// equal.
#[cfg_attr(feature = "server", allow(dead_code))]
struct ServiceDefaults {
    listen: SocketAddr,
    trust_proxy_headers: bool,
    terms_version: String,
    operator_email: String,
    dns: DnsSettings,
    limits: Limits,
}

#[cfg(feature = "server")]
fn service_defaults() -> ServiceDefaults {
    let server = forewarn_server::config::Settings::default();
    ServiceDefaults {
        listen: server.listen,
        trust_proxy_headers: server.trust_proxy_headers,
        terms_version: server.terms_version,
        operator_email: server.operator_email,
        dns: server.dns,
        limits: server.limits,
    }
}

/// What a build without the service shows for its keys: the service's defaults.
#[cfg_attr(feature = "server", allow(dead_code))]
mod without_service {
    pub const LISTEN: ([u8; 4], u16) = ([127, 0, 0, 1], 8080);
    pub const TERMS_VERSION: &str = "2026-11";
    pub const OPERATOR_EMAIL: &str = "operator@forewarn.invalid";
}

#[cfg(not(feature = "server"))]
fn service_defaults() -> ServiceDefaults {
    ServiceDefaults {
        listen: SocketAddr::from(without_service::LISTEN),
        trust_proxy_headers: false,
        terms_version: without_service::TERMS_VERSION.to_owned(),
        operator_email: without_service::OPERATOR_EMAIL.to_owned(),
        dns: DnsSettings::new(),
        limits: Limits::new(),
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database and the mail outbox live.
    pub data_dir: PathBuf,
    /// The address the HTTP service listens on.
    pub listen: SocketAddr,
    /// `postgres://…` to keep the state in PostgreSQL instead of SQLite in `data_dir`.
    pub database_url: Option<Secret>,
    /// The address people reach this instance at; links in mail start with it. When absent,
    /// `http://` and the listening address.
    pub public_url: Option<String>,
    /// Honour X-Forwarded-For from a reverse proxy in front of forewarn (for rate limits).
    pub trust_proxy_headers: bool,
    /// The version of the terms people consent to when they opt a personal account in.
    pub terms_version: String,
    /// The sign-in address of the operator account created on first start.
    pub operator_email: String,
    /// How many days before a program's last day its organizations are told coverage ends.
    pub coverage_notice_days: u32,
    /// How often, in seconds, incidents are linked across organizations into campaigns and
    /// early warnings sent (each program says whether its organizations take part).
    pub early_warning_secs: u64,
    /// The SMTP journaling listener's address (`ADDR:PORT`); no listener when absent.
    pub smtp_listen: Option<SocketAddr>,
    /// `nats://…` to carry the spool in NATS JetStream, so several processes share the work;
    /// the spool is a table in the database when absent.
    pub nats_url: Option<Secret>,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
    /// The key file people's names and addresses are sealed with at rest; when absent,
    /// `personal-data.keys` in `data_dir`, made on the first start.
    pub personal_data_keys: Option<PathBuf>,
    pub mail: MailSettings,
    pub dns: DnsSettings,
    pub limits: Limits,
    pub smtp: SmtpSettings,
    pub ingest: IngestSettings,
    pub webhooks: WebhookSettings,
    pub feeds: forewarn_feeds::FeedSettings,
}

impl Default for Config {
    fn default() -> Config {
        let server = service_defaults();
        Config {
            data_dir: PathBuf::from("forewarn-data"),
            listen: server.listen,
            database_url: None,
            public_url: None,
            trust_proxy_headers: server.trust_proxy_headers,
            terms_version: server.terms_version,
            operator_email: server.operator_email,
            coverage_notice_days: forewarn_alerts::Settings::default().coverage_notice_days,
            early_warning_secs: forewarn_alerts::Settings::default().early_warning_secs,
            smtp_listen: None,
            nats_url: None,
            metrics_token: None,
            personal_data_keys: None,
            mail: MailSettings::default(),
            dns: server.dns,
            limits: server.limits,
            smtp: SmtpSettings::default(),
            ingest: IngestSettings::default(),
            webhooks: WebhookSettings::default(),
            feeds: forewarn_feeds::FeedSettings::default(),
        }
    }
}

impl Config {
    /// The database URL: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.0.clone(),
            None => format!("sqlite://{}", self.data_dir.join("forewarn.db").display()),
        }
    }

    /// The address links in mail start with, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The key file for personal data at rest.
    pub fn personal_data_keys(&self) -> PathBuf {
        self.personal_data_keys
            .clone()
            .unwrap_or_else(|| self.data_dir.join("personal-data.keys"))
    }

    /// Opens (and migrates) the database, with personal data sealed by the key file's keys.
    /// A missing key file is made, readable by its owner only, unless the database already
    /// holds data sealed with another key: then the file that holds it is asked for, since a
    /// new key would leave that data unreadable.
    pub async fn open_store(&self) -> anyhow::Result<forewarn_store::Store> {
        use anyhow::Context;
        forewarn_store::Store::connect_with_key_file(
            &self.database_url(),
            &self.personal_data_keys(),
        )
        .await
        .context("opening the database")
    }

    /// Opens the spool: NATS JetStream when `nats_url` is set, the database otherwise.
    pub async fn open_spool(
        &self,
        store: forewarn_store::Store,
    ) -> anyhow::Result<forewarn_ingest::Spool> {
        use anyhow::Context;
        let nats_url = self.nats_url.as_ref().map(|url| url.0.as_str());
        forewarn_ingest::Spool::open(nats_url, &self.ingest, store)
            .await
            .context("opening the spool")
    }

    /// Refuses to run `command` on the embedded SQLite database: it shares the work of an
    /// instance on PostgreSQL, and on SQLite `forewarn serve` does that work itself.
    pub fn require_shared_database(&self, command: &str, serve_does: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.database_url.is_some(),
            "forewarn {command} shares the work of an instance on PostgreSQL; with the embedded SQLite database, `forewarn serve` {serve_does} itself"
        );
        Ok(())
    }

    /// The HTTP service's part.
    #[cfg(feature = "server")]
    pub fn server(&self) -> forewarn_server::config::Settings {
        forewarn_server::config::Settings {
            listen: self.listen,
            public_url: self.public_url(),
            trust_proxy_headers: self.trust_proxy_headers,
            terms_version: self.terms_version.clone(),
            operator_email: self.operator_email.clone(),
            dns: self.dns.clone(),
            limits: self.limits.clone(),
            max_upload_bytes: self.smtp.max_message_bytes,
            webhooks: self.webhooks.clone(),
            feeds: self.feeds.clone(),
            metrics_token: self.metrics_token.clone(),
        }
    }

    /// The notifier's part.
    pub fn notifier(&self) -> (forewarn_alerts::Settings, forewarn_alerts::Instance) {
        (
            forewarn_alerts::Settings {
                concurrency: self.webhooks.concurrency,
                coverage_notice_days: self.coverage_notice_days,
                early_warning_secs: self.early_warning_secs,
            },
            forewarn_alerts::Instance {
                public_url: self.public_url(),
                operator: self.mail.from.clone(),
            },
        )
    }

    /// What a person should know about this configuration although forewarn can run with it.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.public_url().starts_with("http://") && !self.listen.ip().is_loopback() {
            warnings.push(format!(
                "public_url {} is plain http while forewarn listens on {}, beyond this machine: \
                 session cookies are sent without Secure and passwords cross the network in the clear; \
                 put forewarn behind a TLS reverse proxy and set public_url to its https address",
                self.public_url(),
                self.listen
            ));
        }
        warnings
    }

    /// Problems a person must fix before forewarn can start, from every component.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        #[cfg(feature = "server")]
        problems.extend(self.server().problems());
        problems.extend(self.mail.problems());
        problems.extend(self.webhooks.problems());
        problems.extend(self.smtp.problems());
        problems.extend(self.ingest.problems());
        if let Some(url) = &self.database_url {
            if !(url.0.starts_with("postgres://")
                || url.0.starts_with("postgresql://")
                || url.0.starts_with("sqlite:"))
            {
                problems.push("database_url must start with postgres:// or sqlite:".to_owned());
            }
        }
        if let Some(url) = &self.nats_url {
            if !(url.0.starts_with("nats://") || url.0.starts_with("tls://")) {
                problems.push("nats_url must start with nats:// or tls://".to_owned());
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use figment::providers::{Format, Serialized, Toml};
    use figment::Figment;
    use serde_json::Value;

    use super::Config;

    /// `forewarn.example.toml` with its `#key = value` lines and `#[[table]]` headers
    /// uncommented: every key as the example shows it.
    fn example_uncommented() -> String {
        let example = include_str!("../../../forewarn.example.toml");
        let mut text = String::new();
        for line in example.lines() {
            let line = line.trim_start();
            let uncommented = match line.strip_prefix('#') {
                Some(rest) if rest.starts_with("[[") => rest,
                Some(rest) => match rest.split_once(" = ") {
                    Some((key, _))
                        if !key.is_empty()
                            && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
                    {
                        rest
                    }
                    _ => continue,
                },
                None if line.starts_with('[') => line,
                None => continue,
            };
            text.push_str(uncommented);
            text.push('\n');
        }
        text
    }

    /// Every leaf of `defaults` is in `listed`, at the same value unless the default is unset
    /// (then the example shows what a value looks like).
    fn check(path: &str, defaults: &Value, listed: Option<&Value>, problems: &mut Vec<String>) {
        let Some(listed) = listed else {
            problems.push(format!("{path} is not listed"));
            return;
        };
        match defaults {
            Value::Object(keys) => {
                for (key, value) in keys {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    check(&path, value, listed.get(key), problems);
                }
            }
            Value::Null => {}
            Value::Array(items) if items.is_empty() => {}
            value if value != listed => problems.push(format!(
                "{path} is listed as {listed}, its default is {value}"
            )),
            _ => {}
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_build_without_the_service_shows_its_defaults() {
        let server = forewarn_server::config::Settings::default();
        assert_eq!(
            server.listen,
            std::net::SocketAddr::from(super::without_service::LISTEN)
        );
        assert!(!server.trust_proxy_headers);
        assert_eq!(server.terms_version, super::without_service::TERMS_VERSION);
        assert_eq!(
            server.operator_email,
            super::without_service::OPERATOR_EMAIL
        );
    }

    #[test]
    fn issue_24_plain_http_beyond_loopback_is_warned_about() {
        let mut config = Config::default();
        assert!(
            config.warnings().is_empty(),
            "the default listens on loopback"
        );
        config.listen = "0.0.0.0:8080".parse().unwrap();
        assert!(config.warnings()[0].contains("without Secure"));
        config.public_url = Some("https://forewarn.cert.example".into());
        assert!(config.warnings().is_empty(), "https behind a proxy is fine");
    }

    #[test]
    fn the_example_configuration_lists_every_key_at_its_default() {
        let text = example_uncommented();
        let listed: Value = Figment::from(Toml::string(&text)).extract().unwrap();
        // Every key the example shows is one forewarn reads (unknown keys are refused).
        let read: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(&text))
            .extract()
            .expect("the example's keys are forewarn's");
        let mut problems = Vec::new();
        let defaults = serde_json::to_value(Config::default()).unwrap();
        check("", &defaults, Some(&listed), &mut problems);
        // The IMAP mailbox has no default: the example's must show each of its keys.
        let mailbox = serde_json::to_value(&read.ingest.imap[0]).unwrap();
        let shown = &listed["ingest"]["imap"][0];
        for key in mailbox.as_object().unwrap().keys() {
            if shown.get(key).is_none() {
                problems.push(format!("ingest.imap.{key} is not listed"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

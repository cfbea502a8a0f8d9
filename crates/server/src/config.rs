//! The service's configuration. The binary layers it: these defaults, then `forewarn.toml`,
//! then `FOREWARN_*` environment variables (`__` between nested keys). Every key is listed in
//! `forewarn.example.toml`.

use std::net::SocketAddr;
use std::path::PathBuf;

use forewarn_notify::{Secret, Security};
use serde::{Deserialize, Serialize};

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
    pub mail: MailSettings,
    pub dns: DnsSettings,
    pub limits: Limits,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// The sender of confirmation links, invitations and notifications.
    pub from: String,
    /// The SMTP relay; without one, mail is written to `DATA_DIR/outbox` as `.eml` files.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_security: Security,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Secret>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DnsSettings {
    /// The DNS server domain verification asks (`IP:PORT`); the system's resolvers when
    /// absent.
    pub resolver: Option<SocketAddr>,
    pub timeout_secs: u64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Sign-in attempts per client address per minute.
    pub login_per_minute: u32,
    /// Applications, confirmations and invitation acceptances per client address per minute.
    pub enroll_per_minute: u32,
    /// How long a web session lasts, in hours.
    pub session_hours: u32,
    /// How long confirmation links and invitations stay valid, in hours.
    pub link_hours: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("forewarn-data"),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            public_url: None,
            trust_proxy_headers: false,
            terms_version: "2026-11".to_owned(),
            operator_email: "operator@forewarn.invalid".to_owned(),
            coverage_notice_days: 30,
            mail: MailSettings::default(),
            dns: DnsSettings::default(),
            limits: Limits::default(),
        }
    }
}

impl Default for MailSettings {
    fn default() -> MailSettings {
        MailSettings {
            from: "forewarn@localhost.localdomain".to_owned(),
            smtp_host: None,
            smtp_port: 587,
            smtp_security: Security::Starttls,
            smtp_username: None,
            smtp_password: None,
        }
    }
}

impl Default for DnsSettings {
    fn default() -> DnsSettings {
        DnsSettings {
            resolver: None,
            timeout_secs: 5,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 64 * 1024,
            login_per_minute: 10,
            enroll_per_minute: 10,
            session_hours: 12,
            link_hours: 72,
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

    pub fn mail_config(&self) -> forewarn_notify::MailConfig {
        match &self.mail.smtp_host {
            Some(host) => forewarn_notify::MailConfig::Smtp {
                host: host.clone(),
                port: self.mail.smtp_port,
                security: self.mail.smtp_security,
                username: self.mail.smtp_username.clone(),
                password: self.mail.smtp_password.clone(),
            },
            None => forewarn_notify::MailConfig::Outbox {
                dir: self.data_dir.join("outbox"),
            },
        }
    }

    /// The address links in mail start with, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Problems a person must fix before the service can start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let public_url = self.public_url();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            problems.push(format!(
                "public_url {public_url:?} must start with http:// or https://"
            ));
        }
        if crate::validate::email(&self.operator_email).is_err() {
            problems.push(format!(
                "operator_email {:?} is not a mail address",
                self.operator_email
            ));
        }
        if crate::validate::email(&self.mail.from).is_err() {
            problems.push(format!(
                "mail.from {:?} is not a mail address",
                self.mail.from
            ));
        }
        if let Some(url) = &self.database_url {
            if !(url.0.starts_with("postgres://")
                || url.0.starts_with("postgresql://")
                || url.0.starts_with("sqlite:"))
            {
                problems.push("database_url must start with postgres:// or sqlite:".to_owned());
            }
        }
        if self.limits.max_body_bytes < 1024 {
            problems.push("limits.max_body_bytes must be at least 1024".to_owned());
        }
        if self.limits.login_per_minute == 0 || self.limits.enroll_per_minute == 0 {
            problems.push(
                "limits.login_per_minute and limits.enroll_per_minute must be at least 1"
                    .to_owned(),
            );
        }
        problems
    }
}

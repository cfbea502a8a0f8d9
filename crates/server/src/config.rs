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
    /// The SMTP journaling listener's address (`ADDR:PORT`); no listener when absent.
    pub smtp_listen: Option<SocketAddr>,
    /// `nats://…` to carry the spool in NATS JetStream, so several processes share the work;
    /// the spool is a table in the database when absent.
    pub nats_url: Option<Secret>,
    pub mail: MailSettings,
    pub dns: DnsSettings,
    pub limits: Limits,
    pub smtp: SmtpSettings,
    pub ingest: IngestSettings,
    pub webhooks: WebhookSettings,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookSettings {
    /// Let organizations' webhooks reach loopback and private addresses: only for an instance
    /// whose receivers sit on its own network (and for tests). Off, such URLs are refused.
    pub allow_private: bool,
    /// How long a receiver has to answer, in seconds.
    pub timeout_secs: u64,
    /// After a secret is rotated, how long the previous one keeps signing, in hours.
    pub rotation_overlap_hours: u32,
    /// Deliveries under way at once.
    pub concurrency: usize,
}

impl Default for WebhookSettings {
    fn default() -> WebhookSettings {
        WebhookSettings {
            allow_private: false,
            timeout_secs: 15,
            rotation_overlap_hours: 24,
            concurrency: 32,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// The name in the listener's greeting.
    pub hostname: String,
    /// The largest message accepted, in bytes; also the largest upload.
    pub max_message_bytes: usize,
    pub max_recipients: usize,
    /// SMTP connections served at once.
    pub max_connections: usize,
    /// PEM certificate chain and private key: STARTTLS is offered when both are set.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSettings {
    /// Messages in hand at once in this process (analysed one per core at a time); 0 leaves
    /// analysis to `forewarn worker` processes. Each message spends more of its time waiting
    /// for the database than on the CPU, so many per core keep both busy.
    pub workers: usize,
    /// Hours raw messages are kept after analysis; 0 keeps none.
    pub retain_raw_hours: u32,
    /// Keeps instances apart on one NATS server: the stream is `<name>-spool`.
    pub nats_name: String,
    /// Seconds a worker may hold a message before NATS hands it to another.
    pub nats_ack_wait_secs: u64,
    /// Threat-intel files or directories (STIX 2, MISP, CSV, lists) loaded at start.
    pub intel: Vec<PathBuf>,
    /// Local rules (watch-pack.txt, lures.txt, *.yar) added to the shipped ones.
    pub rules: PathBuf,
    /// IMAP mailboxes to poll.
    pub imap: Vec<ImapMailbox>,
}

/// One IMAP mailbox forewarn reads: a reported-phish mailbox, or a person's opted-in account.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImapMailbox {
    /// Unique: where the mailbox was read up to is kept under this name.
    pub name: String,
    pub host: String,
    #[serde(default = "default_imap_port")]
    pub port: u16,
    /// `tls` (port 993), `starttls` (port 143) or `none` (loopback only).
    #[serde(default = "default_imap_security")]
    pub security: Security,
    pub username: String,
    /// The password, app password or (with `auth = "xoauth2"`) OAuth access token.
    pub password: Secret,
    /// `password` (LOGIN) or `xoauth2` (for providers that require OAuth).
    #[serde(default)]
    pub auth: ImapAuth,
    #[serde(default = "default_imap_folder")]
    pub folder: String,
    /// `reports`: people forward suspicious mail here as attachments; `account`: a person's
    /// own mailbox, watched with their consent.
    pub kind: ImapKind,
    pub org_id: String,
    /// The opted-in account, for `kind = "account"`.
    pub account_id: Option<String>,
    #[serde(default = "default_poll_secs")]
    pub poll_secs: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImapAuth {
    #[default]
    Password,
    Xoauth2,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImapKind {
    Reports,
    Account,
}

fn default_imap_port() -> u16 {
    993
}

fn default_imap_security() -> Security {
    Security::Tls
}

fn default_imap_folder() -> String {
    "INBOX".to_owned()
}

fn default_poll_secs() -> u64 {
    60
}

impl Default for SmtpSettings {
    fn default() -> SmtpSettings {
        SmtpSettings {
            hostname: "localhost".to_owned(),
            max_message_bytes: 25 * 1024 * 1024,
            max_recipients: 100,
            max_connections: 256,
            tls_cert: None,
            tls_key: None,
        }
    }
}

impl Default for IngestSettings {
    fn default() -> IngestSettings {
        IngestSettings {
            workers: 32,
            retain_raw_hours: 0,
            nats_name: "forewarn".to_owned(),
            nats_ack_wait_secs: 120,
            intel: Vec::new(),
            rules: PathBuf::from("rules/local"),
            imap: Vec::new(),
        }
    }
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
            smtp_listen: None,
            nats_url: None,
            mail: MailSettings::default(),
            dns: DnsSettings::default(),
            limits: Limits::default(),
            smtp: SmtpSettings::default(),
            ingest: IngestSettings::default(),
            webhooks: WebhookSettings::default(),
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

    /// What posts organizations' webhooks: private addresses refused unless allowed, each
    /// receiver given `webhooks.timeout_secs` to answer.
    pub fn webhook_sender(&self) -> forewarn_notify::webhook::WebhookSender {
        let mut webhooks =
            forewarn_notify::webhook::WebhookSender::new(forewarn_notify::destination::Policy {
                allow_private: self.webhooks.allow_private,
            });
        webhooks.timeout = std::time::Duration::from_secs(self.webhooks.timeout_secs);
        webhooks
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
        if !(1..=300).contains(&self.webhooks.timeout_secs) {
            problems.push("webhooks.timeout_secs must be between 1 and 300".to_owned());
        }
        if !(1..=1024).contains(&self.webhooks.concurrency) {
            problems.push("webhooks.concurrency must be between 1 and 1024".to_owned());
        }
        if self.smtp.tls_cert.is_some() != self.smtp.tls_key.is_some() {
            problems
                .push("smtp.tls_cert and smtp.tls_key go together: set both or neither".to_owned());
        }
        if self.smtp.max_message_bytes < 1024
            || self.smtp.max_recipients == 0
            || self.smtp.max_connections == 0
        {
            problems.push("smtp.max_message_bytes must be at least 1024, and smtp.max_recipients and smtp.max_connections at least 1".to_owned());
        }
        if let Some(url) = &self.nats_url {
            if !(url.0.starts_with("nats://") || url.0.starts_with("tls://")) {
                problems.push("nats_url must start with nats:// or tls://".to_owned());
            }
        }
        let name = &self.ingest.nats_name;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            problems.push(format!(
                "ingest.nats_name {name:?} may hold only letters, digits, - and _"
            ));
        }
        if self.ingest.nats_ack_wait_secs < 5 {
            problems.push("ingest.nats_ack_wait_secs must be at least 5".to_owned());
        }
        let mut names = std::collections::HashSet::new();
        for mailbox in &self.ingest.imap {
            if !names.insert(&mailbox.name) {
                problems.push(format!(
                    "ingest.imap: the name {:?} is used twice",
                    mailbox.name
                ));
            }
            if mailbox.kind == ImapKind::Account && mailbox.account_id.is_none() {
                problems.push(format!(
                    "ingest.imap {:?}: kind = \"account\" needs account_id",
                    mailbox.name
                ));
            }
            if mailbox.poll_secs == 0 {
                problems.push(format!(
                    "ingest.imap {:?}: poll_secs must be at least 1",
                    mailbox.name
                ));
            }
        }
        problems
    }
}

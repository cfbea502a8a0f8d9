//! How the operator sets up ingestion: the `[smtp]` listener, the `[ingest]` workers and
//! spool, and the `[[ingest.imap]]` mailboxes of `forewarn.toml`.

use std::path::PathBuf;
use std::time::Duration;

use forewarn_notify::Secret;
use serde::{Deserialize, Serialize};

use crate::imap::{self, Security};

/// The `[smtp]` section: the journaling listener (its address is the top-level
/// `smtp_listen`).
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
    /// SMTP connections served at once from one client address.
    pub max_connections_per_client: usize,
    /// PEM certificate chain and private key: STARTTLS is offered when both are set.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl Default for SmtpSettings {
    fn default() -> SmtpSettings {
        SmtpSettings {
            hostname: "localhost".to_owned(),
            max_message_bytes: 25 * 1024 * 1024,
            max_recipients: 100,
            max_connections: 256,
            max_connections_per_client: 16,
            tls_cert: None,
            tls_key: None,
        }
    }
}

impl SmtpSettings {
    /// The listener's configuration, with the certificate and key read when set.
    pub fn listener(&self) -> crate::Result<crate::smtp::SmtpConfig> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(crate::smtp::tls_config(cert, key)?),
            _ => None,
        };
        Ok(crate::smtp::SmtpConfig {
            hostname: self.hostname.clone(),
            max_message_bytes: self.max_message_bytes,
            max_recipients: self.max_recipients,
            max_connections: self.max_connections,
            max_connections_per_client: self.max_connections_per_client,
            tls,
        })
    }

    /// Problems a person must fix before the listener can start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            problems
                .push("smtp.tls_cert and smtp.tls_key go together: set both or neither".to_owned());
        }
        if self.max_message_bytes < 1024 || self.max_recipients == 0 || self.max_connections == 0 {
            problems.push("smtp.max_message_bytes must be at least 1024, and smtp.max_recipients, smtp.max_connections and smtp.max_connections_per_client at least 1".to_owned());
        }
        problems
    }
}

/// The `[ingest]` section: analysis, the spool and the mailboxes read.
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

impl IngestSettings {
    /// How long raw messages are kept after analysis, if at all.
    pub fn retention(&self) -> Option<Duration> {
        (self.retain_raw_hours > 0)
            .then(|| Duration::from_secs(u64::from(self.retain_raw_hours) * 3600))
    }

    /// Problems a person must fix before ingestion can start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let name = &self.nats_name;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            problems.push(format!(
                "ingest.nats_name {name:?} may hold only letters, digits, - and _"
            ));
        }
        if self.nats_ack_wait_secs < 5 {
            problems.push("ingest.nats_ack_wait_secs must be at least 5".to_owned());
        }
        let mut names = std::collections::HashSet::new();
        for mailbox in &self.imap {
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

impl ImapMailbox {
    /// What the poller reads, taking messages up to `max_message_bytes`, and how often.
    pub fn poller(&self, max_message_bytes: usize) -> (Duration, imap::Mailbox) {
        let password = self.password.0.clone();
        let mailbox = imap::Mailbox {
            name: self.name.clone(),
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone(),
            auth: match self.auth {
                ImapAuth::Password => imap::Auth::Password(password),
                ImapAuth::Xoauth2 => imap::Auth::XOAuth2(password),
            },
            folder: self.folder.clone(),
            org_id: forewarn_store::OrgId(self.org_id.clone()),
            kind: match (&self.kind, &self.account_id) {
                (ImapKind::Account, Some(account)) => {
                    imap::Kind::Account(forewarn_store::AccountId(account.clone()))
                }
                // `IngestSettings::problems` refuses an account mailbox without an account.
                _ => imap::Kind::Reports,
            },
            max_message_bytes,
        };
        (Duration::from_secs(self.poll_secs), mailbox)
    }
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

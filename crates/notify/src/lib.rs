//! forewarn-notify reaches people. It sends mail: confirmation links, invitations and incident
//! notifications, over SMTP to the relay the operator configured, or, when
//! none is configured, into an outbox directory of `.eml` files the operator can read, so a
//! fresh instance works without a mail server. And it sends webhooks signed per the Standard
//! Webhooks specification ([`webhook`]) to destinations checked so that a webhook URL cannot
//! reach forewarn's own machine or private networks ([`destination`]).
//!
//! In a message's path (docs/ARCHITECTURE.md) it is the last hop: the notifier
//! (forewarn-alerts) sends incidents through it, and the server its enrollment mail.
//!
//! ```no_run
//! # async fn run() -> Result<(), forewarn_notify::Error> {
//! use forewarn_notify::{Mailer, MailConfig};
//! let mailer = Mailer::new(&MailConfig::Outbox { dir: "/var/lib/forewarn/outbox".into() }, "forewarn@cert.example")?;
//! mailer.send("admin@clinic.example", "Confirm your domain", "Follow this link …").await?;
//! # Ok(()) }
//! ```

pub mod destination;
pub mod settings;
pub mod webhook;

pub use settings::{MailSettings, WebhookSettings};

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the sender address {0:?} is not a mail address")]
    Sender(String),
    #[error("the recipient address {0:?} is not a mail address")]
    Recipient(String),
    #[error("composing the message: {0}")]
    Compose(String),
    #[error("setting up TLS for {0}: {1}")]
    Tls(String, String),
    #[error("handing the message to {0}: {1}")]
    Send(String, String),
    /// The relay refused the message for good (a 5xx reply, such as an unknown recipient):
    /// trying again will not help, and the address belongs on the suppression list.
    #[error("{0} refused the message for good: {1}")]
    Rejected(String, String),
    #[error("writing the message to the outbox {0}: {1}")]
    Outbox(PathBuf, String),
}

/// How the relay is reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    Starttls,
    /// No encryption: only for a relay on loopback or a trusted network.
    None,
}

/// A password whose `Debug` output is redacted.
#[derive(Clone, Default, Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum MailConfig {
    Smtp {
        host: String,
        port: u16,
        security: Security,
        username: Option<String>,
        password: Option<Secret>,
    },
    /// Written as files into a directory; nothing leaves the machine.
    Outbox { dir: PathBuf },
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>, String),
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig, from: &str) -> Result<Mailer, Error> {
        let from: Mailbox = from.parse().map_err(|_| Error::Sender(from.to_owned()))?;
        let transport = match config {
            MailConfig::Smtp {
                host,
                port,
                security,
                username,
                password,
            } => {
                let tls = match security {
                    Security::None => Tls::None,
                    Security::Tls | Security::Starttls => {
                        let parameters = TlsParameters::new(host.clone())
                            .map_err(|e| Error::Tls(host.clone(), e.to_string()))?;
                        if *security == Security::Tls {
                            Tls::Wrapper(parameters)
                        } else {
                            Tls::Required(parameters)
                        }
                    }
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
                        .port(*port)
                        .tls(tls)
                        .timeout(Some(Duration::from_secs(30)));
                if let (Some(username), Some(password)) = (username, password) {
                    builder =
                        builder.credentials(Credentials::new(username.clone(), password.0.clone()));
                }
                Transport::Smtp(builder.build(), format!("{host}:{port}"))
            }
            MailConfig::Outbox { dir } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Outbox(dir.clone(), e.to_string()))?;
                Transport::Outbox(AsyncFileTransport::new(dir), dir.clone())
            }
        };
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), Error> {
        let to: Mailbox = to.parse().map_err(|_| Error::Recipient(to.to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| Error::Compose(e.to_string()))?;
        self.deliver(message).await
    }

    /// Sends an alert as text and HTML alternatives under a Message-ID fixed by the caller, so
    /// that a retry of the same notification is the same message to the recipient's mail
    /// system (which drops duplicates) and to the recipient.
    pub async fn send_alert(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: &str,
        message_id: &str,
    ) -> Result<(), Error> {
        let to: Mailbox = to.parse().map_err(|_| Error::Recipient(to.to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_owned()))
            .multipart(lettre::message::MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            ))
            .map_err(|e| Error::Compose(e.to_string()))?;
        self.deliver(message).await
    }

    async fn deliver(&self, message: Message) -> Result<(), Error> {
        match &self.transport {
            Transport::Smtp(smtp, relay) => {
                smtp.send(message).await.map_err(|e| {
                    if e.is_permanent() {
                        Error::Rejected(relay.clone(), e.to_string())
                    } else {
                        Error::Send(relay.clone(), e.to_string())
                    }
                })?;
            }
            Transport::Outbox(files, dir) => {
                files
                    .send(message)
                    .await
                    .map_err(|e| Error::Outbox(dir.clone(), e.to_string()))?;
            }
        }
        Ok(())
    }
}

//! How the operator sets up mail and webhooks: the `[mail]` and `[webhooks]` sections of
//! `forewarn.toml`.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::webhook::WebhookSender;
use crate::{MailConfig, Secret, Security};

/// The `[mail]` section: who forewarn's mail comes from and the relay it goes through.
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

impl MailSettings {
    /// Where mail goes: the relay, or the outbox under `data_dir` when there is none.
    pub fn mail_config(&self, data_dir: &Path) -> MailConfig {
        match &self.smtp_host {
            Some(host) => MailConfig::Smtp {
                host: host.clone(),
                port: self.smtp_port,
                security: self.smtp_security,
                username: self.smtp_username.clone(),
                password: self.smtp_password.clone(),
            },
            None => MailConfig::Outbox {
                dir: data_dir.join("outbox"),
            },
        }
    }

    /// Problems a person must fix before mail can be sent.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.from.parse::<lettre::Address>().is_err() || !self.from.contains('.') {
            problems.push(format!("mail.from {:?} is not a mail address", self.from));
        }
        problems
    }
}

/// The `[webhooks]` section: how organizations' webhooks are called.
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

impl WebhookSettings {
    /// What posts the webhooks: private addresses refused unless allowed, each receiver given
    /// `timeout_secs` to answer.
    pub fn sender(&self) -> WebhookSender {
        let mut webhooks = WebhookSender::new(crate::destination::Policy {
            allow_private: self.allow_private,
        });
        webhooks.timeout = Duration::from_secs(self.timeout_secs);
        webhooks
    }

    /// Problems a person must fix before webhooks can be sent.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=300).contains(&self.timeout_secs) {
            problems.push("webhooks.timeout_secs must be between 1 and 300".to_owned());
        }
        if !(1..=1024).contains(&self.concurrency) {
            problems.push("webhooks.concurrency must be between 1 and 1024".to_owned());
        }
        problems
    }
}

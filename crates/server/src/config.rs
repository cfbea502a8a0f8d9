//! What the HTTP service is set up with: its own keys (the address, the public URL, the
//! terms version, the `[dns]` and `[limits]` sections) and the few of other components' it
//! must know. The `forewarn` binary composes the whole configuration and hands this part over.

use std::net::SocketAddr;

use forewarn_notify::WebhookSettings;
use serde::{Deserialize, Serialize};

/// The HTTP service's settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The address the service listens on.
    pub listen: SocketAddr,
    /// The address people reach this instance at, without a trailing slash; links in mail
    /// start with it.
    pub public_url: String,
    /// Honour X-Forwarded-For from a reverse proxy in front of forewarn (for rate limits).
    pub trust_proxy_headers: bool,
    /// The version of the terms people consent to when they opt a personal account in.
    pub terms_version: String,
    /// The sign-in address of the operator account created on first start.
    pub operator_email: String,
    /// How domain verification looks up TXT records.
    pub dns: DnsSettings,
    /// Request sizes, rate limits and connection caps.
    pub limits: Limits,
    /// The largest message an upload may carry, in bytes (`smtp.max_message_bytes`).
    pub max_upload_bytes: usize,
    /// How webhooks are checked and their secrets rotated.
    pub webhooks: WebhookSettings,
    /// How managed threat-intel feeds are fetched.
    pub feeds: forewarn_feeds::FeedSettings,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    pub metrics_token: Option<forewarn_notify::Secret>,
}

impl Default for Settings {
    fn default() -> Settings {
        let listen = SocketAddr::from(([127, 0, 0, 1], 8080));
        Settings {
            listen,
            public_url: format!("http://{listen}"),
            trust_proxy_headers: false,
            terms_version: "2026-11".to_owned(),
            operator_email: "operator@forewarn.invalid".to_owned(),
            dns: DnsSettings::default(),
            limits: Limits::default(),
            max_upload_bytes: 25 * 1024 * 1024,
            webhooks: WebhookSettings::default(),
            feeds: forewarn_feeds::FeedSettings::default(),
            metrics_token: None,
        }
    }
}

impl Settings {
    /// Problems a person must fix before the service can start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let public_url = &self.public_url;
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
        problems.extend(self.limits.problems());
        problems
    }
}

/// How domain verification asks DNS (`[dns]`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DnsSettings {
    /// The DNS server domain verification asks (`IP:PORT`); the system's resolvers when
    /// absent.
    pub resolver: Option<SocketAddr>,
    /// How long one lookup may take, in seconds (at least one).
    pub timeout_secs: u64,
    /// A verified domain is proved again after this many days: its TXT record looked up, or
    /// its postmaster mailed a fresh link. One that fails lapses and its mail is refused.
    pub recheck_days: u32,
    /// How many days a postmaster has to follow the link mailed to prove a domain again.
    pub postmaster_grace_days: u32,
}

/// Request sizes, rate limits and connection caps (`[limits]`).
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
    /// HTTP connections open at once, from everyone.
    pub max_connections: usize,
    /// HTTP connections open at once from one client address (not applied behind a reverse
    /// proxy, `trust_proxy_headers`, where every connection comes from the proxy).
    pub max_connections_per_client: usize,
    /// Seconds a client has to send a request's whole header; a connection that sends none
    /// in time is closed.
    pub header_read_secs: u64,
    /// Mail one organization may make forewarn send in an hour on request (confirmation links,
    /// invitations, postmaster mail, test notifications); incident notifications are not
    /// counted.
    pub mail_per_org_per_hour: u32,
    /// Such mail one address may receive in a day, whoever asks for it.
    pub mail_per_destination_per_day: u32,
}

impl Default for DnsSettings {
    fn default() -> DnsSettings {
        DnsSettings {
            resolver: None,
            timeout_secs: 5,
            recheck_days: 30,
            postmaster_grace_days: 7,
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
            max_connections: 1024,
            max_connections_per_client: 64,
            header_read_secs: 10,
            mail_per_org_per_hour: 30,
            mail_per_destination_per_day: 5,
        }
    }
}

impl Limits {
    /// The budget for mail sent on request.
    pub fn mail_budget(&self) -> forewarn_store::MailBudget {
        forewarn_store::MailBudget {
            per_org_per_hour: self.mail_per_org_per_hour,
            per_destination_per_day: self.mail_per_destination_per_day,
        }
    }

    /// Problems a person must fix before the service can start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.max_body_bytes < 1024 {
            problems.push("limits.max_body_bytes must be at least 1024".to_owned());
        }
        if self.max_connections == 0 || self.max_connections_per_client == 0 {
            problems.push(
                "limits.max_connections and limits.max_connections_per_client must be at least 1"
                    .to_owned(),
            );
        }
        if self.header_read_secs == 0 {
            problems.push("limits.header_read_secs must be at least 1".to_owned());
        }
        if self.mail_per_org_per_hour == 0 || self.mail_per_destination_per_day == 0 {
            problems.push(
                "limits.mail_per_org_per_hour and limits.mail_per_destination_per_day must be at least 1"
                    .to_owned(),
            );
        }
        if self.login_per_minute == 0 || self.enroll_per_minute == 0 {
            problems.push(
                "limits.login_per_minute and limits.enroll_per_minute must be at least 1"
                    .to_owned(),
            );
        }
        problems
    }
}

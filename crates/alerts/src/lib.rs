//! forewarn-alerts is the notifier: the last step of a message's path. Ingest stores a
//! message and the incident it opened or grew; the notifier tells the organization, and
//! nothing else in forewarn sends an alert.
//!
//! It works in two steps, both on the store, so any number of notifiers (in `forewarn
//! serve`, in `forewarn worker --notify`, or in `forewarn notifier` processes on PostgreSQL)
//! share the work without sending anything twice:
//!
//! - **Planning**: an incident the policy lets be told at once (as severe as the
//!   organization's or its program's threshold, or approved by an analyst) gets one stored
//!   notification per recipient: each security contact that asked for e-mail, in the
//!   contact's language; the owner of each targeted personal account; and each enabled
//!   webhook endpoint. The words are fixed then.
//! - **Delivery**: due notifications are sent, several at once, each under a lease. A failure
//!   is tried again on the back-off schedule of [`forewarn_notify::webhook::retry_after`]; a
//!   recipient that can never be reached (a webhook answering 410 Gone, a removed contact) is
//!   abandoned. Every attempt of one notification carries the same Message-ID or webhook-id
//!   and the same words, so a crash between sending and recording makes the next run send the
//!   very same message again, never a second, different one.
//!
//! Beside them, [`coverage`] tells organizations, once per end date, that their program ends.
//!
//! ```no_run
//! # async fn run(store: forewarn_store::Store) -> Result<(), forewarn_notify::Error> {
//! use std::sync::Arc;
//! use forewarn_notify::{webhook::WebhookSender, destination::Policy, MailConfig, Mailer};
//!
//! let mailer = Mailer::new(&MailConfig::Outbox { dir: "outbox".into() }, "cert@cert.example")?;
//! let webhooks = WebhookSender::new(Policy { allow_private: false });
//! let notifier = forewarn_alerts::Notifier::new(
//!     store,
//!     Arc::new(mailer),
//!     Arc::new(webhooks),
//!     forewarn_alerts::Settings::default(),
//! );
//! // Runs until Ctrl-C, then lets the deliveries under way finish and records them.
//! notifier.run(async { let _ = tokio::signal::ctrl_c().await; }).await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod coverage;
mod deliver;
pub mod early_warning;
mod plan;
mod words;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use forewarn_l10n::Catalogs;
use forewarn_notify::webhook::WebhookSender;
use forewarn_notify::Mailer;
use forewarn_store::Store;
use tokio::sync::{watch, Notify};

pub use deliver::target;
pub use words::defang;

/// How often the notifier looks for work when nothing wakes it.
const EVERY: Duration = Duration::from_secs(1);

/// How long the notifier waits, once woken, for more work to handle in the same pass.
const GATHER: Duration = Duration::from_millis(20);

/// How the notifier works. The configuration keys are `webhooks.concurrency` and
/// `coverage_notice_days`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Deliveries under way at once, each on its own, so a slow receiver holds up no other.
    pub concurrency: usize,
    /// How many days before a program's last day its organizations are told coverage ends.
    pub coverage_notice_days: u32,
    /// How often, in seconds, incidents are linked across organizations and warnings sent.
    pub early_warning_secs: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            concurrency: 32,
            coverage_notice_days: 30,
            early_warning_secs: 60,
        }
    }
}

/// The instance the notifier speaks for: where its pages are, and who runs it.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The address people reach the instance at, without a trailing slash: acknowledgement
    /// links start with it.
    pub public_url: String,
    /// Who signs the notifications: the operator's mail address.
    pub operator: String,
}

/// What can stop the notifier's work for a while (it tries again).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store could not be read or written.
    #[error("reading or writing the notifier's state: {0}")]
    Store(#[from] forewarn_store::Error),
}

/// Plans and delivers incident notifications, and tells organizations when coverage ends.
/// Cheap to clone: every clone is the same notifier.
#[derive(Clone)]
pub struct Notifier {
    store: Store,
    mailer: Arc<Mailer>,
    webhooks: Arc<WebhookSender>,
    catalogs: &'static Catalogs,
    settings: Arc<Settings>,
    instance: Arc<Instance>,
    due: Arc<Notify>,
}

impl Notifier {
    /// A notifier over `store` that sends mail with `mailer` and webhooks with `webhooks`, in
    /// the shipped catalogs' words, for an instance at `http://localhost` run by the mailer's
    /// sender (see [`Notifier::for_instance`]).
    pub fn new(
        store: Store,
        mailer: Arc<Mailer>,
        webhooks: Arc<WebhookSender>,
        settings: Settings,
    ) -> Notifier {
        Notifier {
            store,
            mailer,
            webhooks,
            catalogs: Catalogs::shared(),
            settings: Arc::new(settings),
            instance: Arc::new(Instance {
                public_url: "http://localhost".to_owned(),
                operator: "forewarn@localhost.localdomain".to_owned(),
            }),
            due: Arc::default(),
        }
    }

    /// The instance the notifications link to and are signed by.
    pub fn for_instance(mut self, instance: Instance) -> Notifier {
        self.instance = Arc::new(instance);
        self
    }

    /// Words from `catalogs` instead of the shipped ones.
    pub fn with_catalogs(mut self, catalogs: &'static Catalogs) -> Notifier {
        self.catalogs = catalogs;
        self
    }

    /// Looks for work at once whenever `due` is notified: hand the same `Notify` to the
    /// workers of this process and to whatever approves incidents, so they are told without
    /// waiting for the next look.
    pub fn woken_by(mut self, due: Arc<Notify>) -> Notifier {
        self.due = due;
        self
    }

    /// What wakes this notifier: notify it when an incident may be due.
    pub fn waker(&self) -> Arc<Notify> {
        self.due.clone()
    }

    /// Tells incidents and coverage notices until `stopped` completes. Then it starts nothing
    /// new, lets the deliveries under way finish (for as long as one attempt may take),
    /// records their results and returns. A delivery still unfinished then is sent again
    /// after the restart, with the same words and id.
    pub async fn run(self, stopped: impl Future<Output = ()>) {
        let (stop, stopping) = watch::channel(false);
        let signal = async move {
            stopped.await;
            tracing::info!("the notifier is stopping");
            let _ = stop.send(true);
        };
        tokio::join!(
            deliver::watch(self.clone(), Stop(stopping.clone())),
            coverage::watch(self.clone(), Stop(stopping.clone())),
            early_warning::watch(self, Stop(stopping)),
            signal,
        );
    }

    /// How long one delivery may take: the webhook timeout, or the mail relay's 30 seconds,
    /// whichever is longer, and a little more.
    fn attempt_time(&self) -> Duration {
        self.webhooks.timeout.max(Duration::from_secs(30)) + Duration::from_secs(5)
    }
}

/// Set once the notifier is to stop.
#[derive(Clone)]
struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Completes when it is time to stop.
    async fn wait(&mut self) {
        // A dropped sender means nobody can stop the notifier any more: stopping then is safe.
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

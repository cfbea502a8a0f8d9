//! forewarn-ingest brings mail in and gets it analysed: sources (the SMTP journaling listener,
//! the IMAP poller, files), the durable [`Spool`] they write to first, and the [`Workers`] that
//! take messages from it, run the detectors and store the results.
//!
//! In a message's path (docs/ARCHITECTURE.md) it is the way in: it takes mail off the wire,
//! holds it until forewarn-mail and forewarn-detect have judged it, and hands the result to
//! the store, whose incidents the notifier (forewarn-alerts) then tells.
//!
//! A source acknowledges a message only after the spool holds it; a message leaves the spool
//! only after its result is committed; and one organization never gets two results for the
//! same raw message. Killing the process at any point loses nothing and doubles nothing.
//!
//! ```no_run
//! # async fn run() -> Result<(), forewarn_ingest::Error> {
//! use std::sync::Arc;
//! use forewarn_ingest::{spool::{Spool, SqlSpool}, Intake};
//!
//! let store = forewarn_store::Store::connect("sqlite:///var/lib/forewarn/forewarn.db").await?;
//! let spool = Arc::new(Spool::Sql(SqlSpool::open(store).await?));
//! let intake = Intake::new(spool.clone());
//! # Ok(()) }
//! ```

pub mod analyze;
pub mod clients;
pub mod imap;
pub mod intake;
pub mod intel;
pub mod journal;
pub mod settings;
pub mod smtp;
pub mod spool;
pub mod worker;

pub use analyze::Analyzer;
pub use intake::{Intake, Wrapping};
pub use settings::{ImapMailbox, IngestSettings, SmtpSettings};
pub use spool::Spool;
pub use worker::Workers;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Store(#[from] forewarn_store::Error),
    #[error("spool: {0}")]
    Nats(String),
    #[error("the message is {size} bytes, over the spool's limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("IMAP: {0}")]
    Imap(String),
    #[error("the spool's writer has stopped")]
    WriterStopped,
    #[error("taking messages from the spool: {0}")]
    Claim(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The IMAP poller: reads new mail from a reported-phish mailbox (people forward suspicious
//! mail there as attachments) or from a person's own opted-in mailbox, and spools it.
//!
//! Only mail that arrives after a mailbox is first read is taken: forewarn does not read a
//! person's history. Where the mailbox was read up to (UIDVALIDITY and the last UID) is kept
//! in the database, so a restart neither skips nor repeats mail; a message spooled just before
//! a crash and read again after it is the same digest, and stores no second result. Messages are
//! fetched with BODY.PEEK, so nothing in the mailbox changes (not even the \Seen flag).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Client;
use forewarn_store::{AccountId, AccountStatus, OrgId, OrgStatus, Recipient, Source};
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use crate::intake::{Intake, Wrapping};
use crate::{Error, Result};

/// Messages taken from one mailbox per poll; the rest wait for the next.
const BATCH: usize = 500;
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (port 993).
    Tls,
    /// Plain, then STARTTLS, which is required (port 143).
    StartTls,
    /// No encryption: for a server on loopback or a trusted network only.
    None,
}

#[derive(Clone, Debug)]
pub enum Auth {
    /// LOGIN with a password or app password.
    Password(String),
    /// SASL XOAUTH2 with an OAuth access token, for providers that allow nothing else.
    XOAuth2(String),
}

/// What a mailbox holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Reports: each message is a forwarded suspicious message, targeting its sender.
    Reports,
    /// A person's own mailbox, read only while their consent stands.
    Account(AccountId),
}

#[derive(Clone, Debug)]
pub struct Mailbox {
    /// Unique per instance: the read position is kept under this name.
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub auth: Auth,
    pub folder: String,
    pub org_id: OrgId,
    pub kind: Kind,
    pub max_message_bytes: usize,
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Stream for T {}

fn tls_connector() -> tokio_rustls::TlsConnector {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("the ring provider supports the default versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

async fn tls(host: &str, stream: TcpStream) -> Result<Box<dyn Stream>> {
    let name = rustls_pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| Error::Tls(format!("{host:?} is not a server name: {e}")))?;
    let stream = tls_connector()
        .connect(name, stream)
        .await
        .map_err(|e| Error::Tls(format!("TLS with {host}: {e}")))?;
    Ok(Box::new(stream))
}

fn imap_error(what: &str, error: impl std::fmt::Display) -> Error {
    Error::Imap(format!("{what}: {error}"))
}

struct XOAuth2<'a> {
    user: &'a str,
    token: &'a str,
}

impl async_imap::Authenticator for &XOAuth2<'_> {
    type Response = String;

    fn process(&mut self, _challenge: &[u8]) -> String {
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

async fn connect(mailbox: &Mailbox) -> Result<async_imap::Session<Box<dyn Stream>>> {
    let address = (mailbox.host.as_str(), mailbox.port);
    let tcp = tokio::time::timeout(TIMEOUT, TcpStream::connect(address))
        .await
        .map_err(|_| imap_error("connecting", "timed out"))?
        .map_err(|e| imap_error("connecting", e))?;
    let stream: Box<dyn Stream> = match mailbox.security {
        Security::Tls => tls(&mailbox.host, tcp).await?,
        Security::None => Box::new(tcp),
        Security::StartTls => {
            let mut client = Client::new(tcp);
            client
                .read_response()
                .await
                .map_err(|e| imap_error("reading the greeting", e))?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| imap_error("STARTTLS", e))?;
            tls(&mailbox.host, client.into_inner()).await?
        }
    };
    let mut client = Client::new(stream);
    if mailbox.security != Security::StartTls {
        client
            .read_response()
            .await
            .map_err(|e| imap_error("reading the greeting", e))?;
    }
    let session = match &mailbox.auth {
        Auth::Password(password) => client.login(&mailbox.username, password).await,
        Auth::XOAuth2(token) => {
            let auth = XOAuth2 {
                user: &mailbox.username,
                token,
            };
            client.authenticate("XOAUTH2", &auth).await
        }
    };
    session.map_err(|(e, _)| imap_error("signing in", e))
}

/// Reads what arrived since the last poll and spools it; returns how many messages were
/// spooled. The first poll of a mailbox only notes where it ends.
pub async fn poll_once(mailbox: &Mailbox, intake: &Intake) -> Result<usize> {
    let store = intake.spool().store();
    let Some(org) = store.find_org_by_id(&mailbox.org_id).await? else {
        return Err(Error::Imap(format!(
            "the organization {} does not exist",
            mailbox.org_id
        )));
    };
    if org.status != OrgStatus::Active {
        return Ok(0);
    }
    let account = match &mailbox.kind {
        Kind::Reports => None,
        Kind::Account(id) => {
            let account = store.find_account_by_id(id).await?;
            match account {
                Some(a) if a.status == AccountStatus::Confirmed && a.org_id == org.id => Some(a.id),
                // Consent withdrawn, or never given: the mailbox is not read.
                _ => return Ok(0),
            }
        }
    };
    let mut session = tokio::time::timeout(TIMEOUT, connect(mailbox))
        .await
        .map_err(|_| imap_error("signing in", "timed out"))??;
    let selected = session
        .select(&mailbox.folder)
        .await
        .map_err(|e| imap_error(&format!("opening {}", mailbox.folder), e))?;
    let validity = i64::from(selected.uid_validity.unwrap_or(0));
    let position = store.imap_position(&mailbox.name).await?;
    let last = match position {
        Some((known, last)) if known == validity => last,
        _ => {
            // First contact, or the server renumbered the mailbox: start at its end.
            let end = i64::from(selected.uid_next.unwrap_or(1)).saturating_sub(1);
            store
                .set_imap_position(&mailbox.name, validity, end)
                .await?;
            let _ = session.logout().await;
            return Ok(0);
        }
    };
    let mut uids: Vec<u32> = session
        .uid_search(format!("UID {}:*", last + 1))
        .await
        .map_err(|e| imap_error("searching for new mail", e))?
        .into_iter()
        .filter(|&uid| i64::from(uid) > last)
        .collect();
    uids.sort_unstable();
    uids.truncate(BATCH);
    let recipients = [Recipient {
        org_id: org.id.clone(),
        account_id: account,
    }];
    let wrapping = match mailbox.kind {
        Kind::Reports => Wrapping::Report,
        Kind::Account(_) => Wrapping::None,
    };
    let mut spooled = 0;
    for uid in uids {
        let fetched: Vec<_> = session
            .uid_fetch(uid.to_string(), "(UID RFC822.SIZE BODY.PEEK[])")
            .await
            .map_err(|e| imap_error("fetching a message", e))?
            .try_collect()
            .await
            .map_err(|e| imap_error("fetching a message", e))?;
        let body = fetched.iter().find_map(|f| f.body());
        match body {
            Some(raw) if raw.len() <= mailbox.max_message_bytes => {
                intake
                    .accept(Source::Imap, raw.to_vec(), &recipients, wrapping)
                    .await?;
                spooled += 1;
            }
            Some(raw) => tracing::warn!(
                mailbox = %mailbox.name,
                uid,
                size = raw.len(),
                "a message over smtp.max_message_bytes was left unread"
            ),
            // Expunged between the search and the fetch.
            None => {}
        }
        store
            .set_imap_position(&mailbox.name, validity, i64::from(uid))
            .await?;
    }
    let _ = session.logout().await;
    Ok(spooled)
}

/// Polls `mailbox` every `every` until `shutdown` completes; failures are logged and tried
/// again at the next poll.
pub async fn run(
    mailbox: Mailbox,
    intake: Intake,
    every: Duration,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        match poll_once(&mailbox, &intake).await {
            Ok(0) => {}
            Ok(spooled) => {
                tracing::info!(mailbox = %mailbox.name, spooled, "new mail read over IMAP")
            }
            Err(error) => {
                tracing::warn!(mailbox = %mailbox.name, %error, "reading the mailbox failed; trying again at the next poll")
            }
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

//! The SMTP journaling listener: mail systems send forewarn a journal or BCC copy of what
//! reaches the organization. Recipients forewarn does not watch are refused at RCPT; a message
//! is answered 250 only once the spool holds it, so the sender keeps it (and retries) on any
//! failure.
//!
//! Supported: EHLO/HELO, MAIL (with SIZE), RCPT, DATA, RSET, NOOP, VRFY (252), HELP, QUIT,
//! STARTTLS when a certificate is configured, PIPELINING, 8BITMIME and SMTPUTF8. Lines are
//! bounded, messages are bounded, and an idle or endless client is cut off.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use forewarn_store::{Recipient, Source};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::rustls;

use crate::intake::{Intake, Wrapping};
use crate::{Error, Result};

/// RFC 5321 allows 512-byte command lines and 1000-byte text lines; some senders write longer
/// ones, so text lines get more room, but never without bound.
const MAX_COMMAND_LINE: usize = 4096;
const MAX_TEXT_LINE: usize = 64 * 1024;
/// RFC 5321 section 4.5.3.2's timeouts, shortened where they only keep idle clients around.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);
const DATA_LINE_TIMEOUT: Duration = Duration::from_secs(180);
/// Commands that fail in a row before the client is dropped.
const MAX_ERRORS: usize = 20;

#[derive(Clone)]
pub struct SmtpConfig {
    /// The name in the greeting and the EHLO answer.
    pub hostname: String,
    /// The largest message accepted, in bytes (announced as SIZE).
    pub max_message_bytes: usize,
    pub max_recipients: usize,
    /// Connections served at once; more are told to come back later.
    pub max_connections: usize,
    /// Connections served at once from one client address, so that one client cannot take
    /// every slot and lock the others out.
    pub max_connections_per_client: usize,
    /// Offered as STARTTLS when set.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for SmtpConfig {
    fn default() -> SmtpConfig {
        SmtpConfig {
            hostname: "localhost".into(),
            max_message_bytes: 25 * 1024 * 1024,
            max_recipients: 100,
            max_connections: 256,
            max_connections_per_client: 16,
            tls: None,
        }
    }
}

/// A rustls server configuration from PEM files: the certificate chain and its private key.
pub fn tls_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| Error::Tls(format!("reading the certificate {}: {e}", cert.display())))?;
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| Error::Tls(format!("reading the private key {}: {e}", key.display())))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::Tls(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| Error::Tls(format!("the certificate and key do not go together: {e}")))?;
    Ok(Arc::new(config))
}

/// Serves SMTP on `listener` until `shutdown` completes. Sessions in progress are cut off at
/// shutdown; a message not yet answered 250 stays with its sender, who sends it again.
pub async fn serve(
    listener: TcpListener,
    intake: Intake,
    config: SmtpConfig,
    shutdown: impl Future<Output = ()>,
) {
    let config = Arc::new(config);
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let clients = crate::clients::Clients::default();
    let mut sessions = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(%error, "accepting an SMTP connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let intake = intake.clone();
                let config = config.clone();
                let client = clients.take(peer.ip(), config.max_connections_per_client);
                let slot = slots.clone().try_acquire_owned();
                sessions.spawn(async move {
                    let mut stream = stream;
                    let Some(_client) = client else {
                        let _ = stream
                            .write_all(b"421 4.7.0 too many connections from your address, try again later\r\n")
                            .await;
                        return;
                    };
                    let Ok(_slot) = slot else {
                        let _ = stream.write_all(b"421 4.3.2 too busy, try again later\r\n").await;
                        return;
                    };
                    if let Err(error) = connection(stream, peer, &intake, &config).await {
                        tracing::debug!(%error, "SMTP session ended with an error");
                    }
                });
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    sessions.abort_all();
}

async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    intake: &Intake,
    config: &SmtpConfig,
) -> std::io::Result<()> {
    let mut session = Session::new(intake, config, peer);
    let mut stream = BufReader::new(stream);
    let greeting = format!("220 {} ESMTP forewarn\r\n", config.hostname);
    stream.get_mut().write_all(greeting.as_bytes()).await?;
    match session.run(&mut stream).await? {
        Ending::Closed => Ok(()),
        Ending::StartTls(tls) => {
            // Whatever the client sent after STARTTLS, before the handshake, is dropped with
            // the buffer: it was not protected (RFC 3207 section 6).
            let plain = stream.into_inner();
            let tls = tokio_rustls::TlsAcceptor::from(tls).accept(plain).await?;
            let mut session = Session::new(intake, config, peer);
            session.tls = true;
            let mut stream = BufReader::new(tls);
            session.run(&mut stream).await.map(|_| ())
        }
    }
}

enum Ending {
    Closed,
    StartTls(Arc<rustls::ServerConfig>),
}

enum Line {
    Text(Vec<u8>),
    TooLong,
    Eof,
}

/// Reads one line (without its line ending) of at most `max` bytes; a longer line is read to
/// its end and reported as too long.
async fn read_line<S: AsyncRead + Unpin>(
    reader: &mut BufReader<S>,
    max: usize,
    timeout: Duration,
) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = tokio::time::timeout(timeout, reader.fill_buf())
            .await
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::TimedOut, "the client went quiet")
            })??;
        if available.is_empty() {
            return Ok(if line.is_empty() && !too_long {
                Line::Eof
            } else if too_long {
                Line::TooLong
            } else {
                Line::Text(line)
            });
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long {
            if line.len() + chunk.len() > max + 2 {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        reader.consume(used);
        if done {
            if too_long {
                return Ok(Line::TooLong);
            }
            while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                line.pop();
            }
            return Ok(Line::Text(line));
        }
    }
}

struct Session<'a> {
    intake: &'a Intake,
    config: &'a SmtpConfig,
    peer: SocketAddr,
    greeted: bool,
    tls: bool,
    mail_from: Option<String>,
    recipients: Vec<Recipient>,
    errors: usize,
}

impl<'a> Session<'a> {
    fn new(intake: &'a Intake, config: &'a SmtpConfig, peer: SocketAddr) -> Session<'a> {
        Session {
            intake,
            config,
            peer,
            greeted: false,
            tls: false,
            mail_from: None,
            recipients: Vec::new(),
            errors: 0,
        }
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.recipients.clear();
    }

    async fn run<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        stream: &mut BufReader<S>,
    ) -> std::io::Result<Ending> {
        loop {
            let line = match read_line(stream, MAX_COMMAND_LINE, COMMAND_TIMEOUT).await {
                Ok(Line::Text(line)) => line,
                Ok(Line::TooLong) => {
                    self.reply(stream, "500 5.5.6 line too long").await?;
                    continue;
                }
                Ok(Line::Eof) => return Ok(Ending::Closed),
                Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                    let _ = self.reply(stream, "421 4.4.2 idle too long, closing").await;
                    return Ok(Ending::Closed);
                }
                Err(error) => return Err(error),
            };
            let line = String::from_utf8_lossy(&line).into_owned();
            let (verb, rest) = match line.split_once(' ') {
                Some((verb, rest)) => (verb.to_ascii_uppercase(), rest.trim()),
                None => (line.trim().to_ascii_uppercase(), ""),
            };
            let ok = match verb.as_str() {
                "EHLO" | "HELO" if rest.is_empty() => {
                    self.reply(stream, "501 5.5.4 say who you are").await?;
                    false
                }
                "EHLO" => {
                    self.greeted = true;
                    self.reset();
                    // The client's name is echoed only as far as it is printable text.
                    let client: String = rest
                        .chars()
                        .filter(|c| c.is_ascii_graphic())
                        .take(255)
                        .collect();
                    let mut answer = format!(
                        "250-{} greets {}\r\n250-SIZE {}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n",
                        self.config.hostname,
                        if client.is_empty() { "you" } else { &client },
                        self.config.max_message_bytes
                    );
                    if self.config.tls.is_some() && !self.tls {
                        answer.push_str("250-STARTTLS\r\n");
                    }
                    answer.push_str("250 HELP");
                    self.reply(stream, &answer).await?;
                    true
                }
                "HELO" => {
                    self.greeted = true;
                    self.reset();
                    let answer = format!("250 {}", self.config.hostname);
                    self.reply(stream, &answer).await?;
                    true
                }
                "STARTTLS" => match (&self.config.tls, self.tls) {
                    (Some(tls), false) if rest.is_empty() => {
                        self.reply(stream, "220 2.0.0 ready to start TLS").await?;
                        return Ok(Ending::StartTls(tls.clone()));
                    }
                    (Some(_), false) => {
                        self.reply(stream, "501 5.5.4 STARTTLS takes no parameters")
                            .await?;
                        false
                    }
                    (Some(_), true) => {
                        self.reply(stream, "503 5.5.1 TLS is already on").await?;
                        false
                    }
                    (None, _) => {
                        self.reply(stream, "502 5.5.1 no TLS configured").await?;
                        false
                    }
                },
                "MAIL" => self.mail(stream, rest).await?,
                "RCPT" => self.rcpt(stream, rest).await?,
                "DATA" => self.data(stream).await?,
                "RSET" => {
                    self.reset();
                    self.reply(stream, "250 2.0.0 reset").await?;
                    true
                }
                "NOOP" => {
                    self.reply(stream, "250 2.0.0 ok").await?;
                    true
                }
                "VRFY" => {
                    self.reply(stream, "252 2.1.5 send some mail and see")
                        .await?;
                    true
                }
                "HELP" => {
                    self.reply(stream, "214 2.0.0 forewarn accepts journal and BCC copies of mail for the organizations it watches").await?;
                    true
                }
                "QUIT" => {
                    let _ = self.reply(stream, "221 2.0.0 bye").await;
                    return Ok(Ending::Closed);
                }
                _ => {
                    self.reply(stream, "500 5.5.2 command not recognized")
                        .await?;
                    false
                }
            };
            if ok {
                self.errors = 0;
            } else {
                self.errors += 1;
                if self.errors >= MAX_ERRORS {
                    let _ = self
                        .reply(stream, "421 4.7.0 too many errors, closing")
                        .await;
                    return Ok(Ending::Closed);
                }
            }
        }
    }

    async fn reply<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        stream: &mut BufReader<S>,
        text: &str,
    ) -> std::io::Result<()> {
        let stream = stream.get_mut();
        let mut line = Vec::with_capacity(text.len() + 2);
        line.extend_from_slice(text.as_bytes());
        line.extend_from_slice(b"\r\n");
        stream.write_all(&line).await?;
        stream.flush().await
    }

    async fn mail<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        stream: &mut BufReader<S>,
        rest: &str,
    ) -> std::io::Result<bool> {
        if !self.greeted {
            self.reply(stream, "503 5.5.1 say EHLO first").await?;
            return Ok(false);
        }
        if self.mail_from.is_some() {
            self.reply(stream, "503 5.5.1 a transaction is already open")
                .await?;
            return Ok(false);
        }
        let Some((path, params)) = path_after(rest, "FROM:") else {
            self.reply(stream, "501 5.5.4 use MAIL FROM:<address>")
                .await?;
            return Ok(false);
        };
        for param in params.split_whitespace() {
            if let Some(size) = param.to_ascii_uppercase().strip_prefix("SIZE=") {
                match size.parse::<usize>() {
                    Ok(size) if size > self.config.max_message_bytes => {
                        let answer = format!(
                            "552 5.3.4 the message is larger than {} bytes",
                            self.config.max_message_bytes
                        );
                        self.reply(stream, &answer).await?;
                        return Ok(false);
                    }
                    Ok(_) => {}
                    Err(_) => {
                        self.reply(stream, "501 5.5.4 SIZE must be a number")
                            .await?;
                        return Ok(false);
                    }
                }
            }
        }
        self.mail_from = Some(path);
        self.reply(stream, "250 2.1.0 sender ok").await?;
        Ok(true)
    }

    async fn rcpt<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        stream: &mut BufReader<S>,
        rest: &str,
    ) -> std::io::Result<bool> {
        if self.mail_from.is_none() {
            self.reply(stream, "503 5.5.1 say MAIL first").await?;
            return Ok(false);
        }
        let Some((address, _)) = path_after(rest, "TO:") else {
            self.reply(stream, "501 5.5.4 use RCPT TO:<address>")
                .await?;
            return Ok(false);
        };
        if self.recipients.len() >= self.config.max_recipients {
            self.reply(stream, "452 4.5.3 too many recipients").await?;
            return Ok(false);
        }
        match self.intake.recipient(&address).await {
            Ok(Some(recipient)) => {
                self.recipients.push(recipient);
                self.reply(stream, "250 2.1.5 recipient ok").await?;
                Ok(true)
            }
            Ok(None) => {
                self.reply(stream, "550 5.1.1 forewarn does not watch this mailbox")
                    .await?;
                Ok(false)
            }
            Err(error) => {
                tracing::warn!(%error, "looking up a recipient failed");
                self.reply(
                    stream,
                    "451 4.3.0 cannot check recipients now, try again later",
                )
                .await?;
                Ok(false)
            }
        }
    }

    async fn data<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        stream: &mut BufReader<S>,
    ) -> std::io::Result<bool> {
        if self.mail_from.is_none() {
            self.reply(stream, "503 5.5.1 say MAIL first").await?;
            return Ok(false);
        }
        if self.recipients.is_empty() {
            self.reply(stream, "554 5.5.1 no valid recipients").await?;
            return Ok(false);
        }
        self.reply(stream, "354 end with <CRLF>.<CRLF>").await?;
        let max = self.config.max_message_bytes;
        let mut message = Vec::new();
        let mut too_large = false;
        loop {
            let line = match read_line(stream, MAX_TEXT_LINE, DATA_LINE_TIMEOUT).await? {
                Line::Text(line) => line,
                Line::TooLong => {
                    too_large = true;
                    continue;
                }
                // The client went away in the middle: nothing was accepted.
                Line::Eof => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            };
            if line == b"." {
                break;
            }
            if too_large {
                continue;
            }
            let line = line.strip_prefix(b".").unwrap_or(&line);
            if message.len() + line.len() + 2 > max {
                too_large = true;
                message = Vec::new();
                continue;
            }
            message.extend_from_slice(line);
            message.extend_from_slice(b"\r\n");
        }
        let recipients = std::mem::take(&mut self.recipients);
        self.reset();
        if too_large {
            let answer =
                format!("552 5.3.4 the message is larger than {max} bytes or has a line too long");
            self.reply(stream, &answer).await?;
            return Ok(false);
        }
        match self
            .intake
            .accept(Source::Smtp, message, &recipients, Wrapping::Journal)
            .await
        {
            Ok(_) => {
                self.reply(stream, "250 2.0.0 queued for analysis").await?;
                Ok(true)
            }
            Err(Error::TooLarge { limit, .. }) => {
                let answer =
                    format!("552 5.3.4 the message is larger than the spool's {limit} bytes");
                self.reply(stream, &answer).await?;
                Ok(false)
            }
            Err(error) => {
                tracing::warn!(%error, peer = %self.peer, "spooling a message failed");
                self.reply(
                    stream,
                    "451 4.3.0 cannot store the message now, try again later",
                )
                .await?;
                Ok(false)
            }
        }
    }
}

/// The path in `FROM:<path> params` / `TO:<path> params` (case-insensitive keyword, optional
/// space after the colon) and the parameters after it.
fn path_after(rest: &str, keyword: &str) -> Option<(String, String)> {
    let head = rest.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let after = rest[keyword.len()..].trim_start();
    if let Some(inner) = after.strip_prefix('<') {
        let close = inner.find('>')?;
        Some((
            inner[..close].to_owned(),
            inner[close + 1..].trim().to_owned(),
        ))
    } else {
        // Some clients leave the brackets out.
        let mut parts = after.splitn(2, ' ');
        let path = parts.next()?.to_owned();
        Some((path, parts.next().unwrap_or("").trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_with_and_without_brackets() {
        assert_eq!(
            path_after("FROM:<a@b.example> SIZE=10", "FROM:"),
            Some(("a@b.example".into(), "SIZE=10".into()))
        );
        assert_eq!(
            path_after("from: <>", "FROM:"),
            Some((String::new(), String::new()))
        );
        assert_eq!(
            path_after("To:c@d.example", "TO:"),
            Some(("c@d.example".into(), String::new()))
        );
        assert_eq!(path_after("TO:<unclosed", "TO:"), None);
        assert_eq!(path_after("", "TO:"), None);
        assert_eq!(path_after("Ü", "TO:"), None);
    }

    #[tokio::test]
    async fn lines_are_bounded_and_read_to_their_end() {
        let input: &[u8] = b"short\r\nxxxxxxxxxxxxxxxxxxxxxxxx\r\nnext\nlast";
        let mut reader = BufReader::with_capacity(4, input);
        let t = Duration::from_secs(1);
        assert!(
            matches!(read_line(&mut reader, 8, t).await.unwrap(), Line::Text(l) if l == b"short")
        );
        assert!(matches!(
            read_line(&mut reader, 8, t).await.unwrap(),
            Line::TooLong
        ));
        assert!(
            matches!(read_line(&mut reader, 8, t).await.unwrap(), Line::Text(l) if l == b"next")
        );
        assert!(
            matches!(read_line(&mut reader, 8, t).await.unwrap(), Line::Text(l) if l == b"last")
        );
        assert!(matches!(
            read_line(&mut reader, 8, t).await.unwrap(),
            Line::Eof
        ));
    }
}

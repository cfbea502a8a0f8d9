//! forewarn-verify checks SPF, DKIM and DMARC for real, with mail-auth, against a DNS resolver
//! the operator configured. Nothing here runs unless a resolver is given: by default forewarn
//! makes no network calls and reads the receiving server's Authentication-Results instead.
//!
//! The results are written as Authentication-Results facts (authserv-id `forewarn`) that replace
//! what the message's own headers claim, so the detectors judge verified results.

#![warn(missing_docs)]

use std::net::{IpAddr, SocketAddr};

use forewarn_mail::auth::{parse_authentication_results, AuthResult};
use forewarn_mail::Message;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{AuthenticatedMessage, AuthenticationResults, MessageAuthenticator};

/// The authserv-id of the results forewarn writes.
pub const AUTHSERV_ID: &str = "forewarn";

/// Why a verifier could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The resolver at this address could not be set up.
    #[error("starting the DNS resolver for {0}: {1}")]
    Resolver(SocketAddr, String),
    /// The runtime the lookups run on could not be started.
    #[error("starting the runtime for DNS lookups: {0}")]
    Runtime(std::io::Error),
}

/// Checks SPF, DKIM and DMARC for messages against live DNS, on its own runtime.
pub struct Verifier {
    authenticator: MessageAuthenticator,
    runtime: tokio::runtime::Runtime,
}

impl Verifier {
    /// A verifier that asks the DNS server at `resolver` (UDP, falling back to TCP).
    pub fn new(resolver: SocketAddr) -> Result<Verifier, Error> {
        let mut server = NameServerConfig::udp_and_tcp(resolver.ip());
        for connection in &mut server.connections {
            connection.port = resolver.port();
        }
        let mut options = ResolverOpts::default();
        options.timeout = std::time::Duration::from_secs(3);
        options.attempts = 2;
        // One worker: scans call in from many threads, and the lookups are few and short.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        let authenticator = {
            let _guard = runtime.enter();
            MessageAuthenticator::new(ResolverConfig::from_name_servers(vec![server]), options)
                .map_err(|e| Error::Resolver(resolver, e.to_string()))?
        };
        Ok(Verifier {
            authenticator,
            runtime,
        })
    }

    /// Verifies one message: DKIM signatures, SPF for the envelope sender from the host that
    /// handed the message to the first receiving server (the topmost Received hop), and DMARC.
    pub fn verify(&self, raw: &[u8], message: &Message) -> Vec<AuthResult> {
        let Some(authenticated) = AuthenticatedMessage::parse(raw) else {
            return Vec::new();
        };
        let hop = message.headers.received.first();
        let client_ip: Option<IpAddr> = hop.and_then(|h| h.from_ip);
        let helo = hop.and_then(|h| h.from.clone()).unwrap_or_default();
        let mail_from = message.headers.return_path.clone().unwrap_or_default();
        let mail_from_domain = mail_from
            .rsplit_once('@')
            .map(|(_, d)| d.to_owned())
            .unwrap_or_else(|| helo.clone());
        let header_from = message
            .headers
            .from
            .as_ref()
            .map(|f| f.address.clone())
            .unwrap_or_default();
        self.runtime.block_on(async {
            let dkim = self.authenticator.verify_dkim(&authenticated).await;
            let mut results =
                AuthenticationResults::new(AUTHSERV_ID).with_dkim_results(&dkim, &header_from);
            let spf = match client_ip {
                Some(ip) => {
                    let spf = self
                        .authenticator
                        .verify_spf(SpfParameters::verify_mail_from(
                            ip,
                            &helo,
                            AUTHSERV_ID,
                            &mail_from,
                        ))
                        .await;
                    results = results.with_spf_mailfrom_result(&spf, ip, &mail_from, &helo);
                    spf
                }
                None => mail_auth::SpfOutput::new(mail_from_domain.clone()),
            };
            let dmarc = self
                .authenticator
                .verify_dmarc(DmarcParameters::new(
                    &authenticated,
                    &dkim,
                    &mail_from_domain,
                    &spf,
                ))
                .await;
            results = results.with_dmarc_result(&dmarc);
            let mut parsed = parse_authentication_results(&results.to_string());
            if dkim.is_empty() {
                parsed.insert(
                    0,
                    AuthResult {
                        authserv_id: AUTHSERV_ID.to_owned(),
                        method: "dkim".to_owned(),
                        result: "none".to_owned(),
                        domain: None,
                    },
                );
            }
            parsed
        })
    }

    /// Verifies a message and puts the verified results in place of what its headers claim.
    pub fn apply(&self, raw: &[u8], message: &mut Message) {
        let verified = self.verify(raw, message);
        if !verified.is_empty() {
            message.headers.authentication_results = verified;
        }
    }
}

//! Webhook signatures per the Standard Webhooks specification: the signed content is
//! `{webhook-id}.{webhook-timestamp}.{body}`, signed with HMAC-SHA256 under each of the
//! endpoint's secrets, and sent as `webhook-signature: v1,<base64> [v1,<base64> …]`. Several
//! signatures let an endpoint rotate its secret: during the rotation both are sent, and the
//! receiver accepts either.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";
/// Receivers refuse signatures older or newer than this, so a captured request cannot be
/// replayed later.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// An endpoint's signing secret, written `whsec_<base64>`. Its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    #[error("the webhook secret is not whsec_ followed by base64 of 24 to 64 bytes")]
    Secret,
    #[error("the webhook-{0} header is missing or not text")]
    Header(&'static str),
    #[error("the webhook-timestamp is not a number of seconds")]
    Timestamp,
    #[error("the webhook-timestamp is more than five minutes away from now")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

impl WebhookSecret {
    /// Reads `whsec_<base64>` (or the bare base64).
    pub fn parse(text: &str) -> Result<WebhookSecret, SignatureError> {
        let encoded = text.trim().strip_prefix(PREFIX).unwrap_or(text.trim());
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| SignatureError::Secret)?;
        if !(24..=64).contains(&key.len()) {
            return Err(SignatureError::Secret);
        }
        Ok(WebhookSecret(key))
    }

    /// A new random secret of 32 bytes.
    pub fn generate() -> WebhookSecret {
        let mut key = vec![0u8; 32];
        getrandom::getrandom(&mut key).expect("the operating system provides randomness");
        WebhookSecret(key)
    }

    /// The secret as the endpoint's owner writes it: `whsec_<base64>`.
    pub fn expose(&self) -> String {
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(&self.0)
        )
    }

    /// `v1,<base64>` for one message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any size");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        )
    }

    /// Checks a received message: the timestamp within [`TOLERANCE_SECS`] of `now`, and one of
    /// the space-separated `v1` signatures made with this secret.
    pub fn verify(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
        now: i64,
    ) -> Result<(), SignatureError> {
        let timestamp: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| SignatureError::Timestamp)?;
        if (now - timestamp).abs() > TOLERANCE_SECS {
            return Err(SignatureError::Stale);
        }
        let expected = self.sign(id, timestamp, body);
        let expected = expected.as_bytes();
        let found = signatures.split(' ').any(|candidate| {
            candidate.len() == expected.len()
                && candidate
                    .bytes()
                    .zip(expected)
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        });
        if found {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

/// The `webhook-signature` header for `secrets` (the current one and, while rotating, the
/// previous): one `v1,…` per secret, space-separated.
pub fn signature_header(
    secrets: &[WebhookSecret],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> String {
    secrets
        .iter()
        .map(|s| s.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One webhook endpoint: where, and the secrets to sign with (the current one first; the
/// previous one too while a rotation lasts).
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub url: String,
    pub secrets: Vec<WebhookSecret>,
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered(u16),
    /// The receiver answered 410 Gone: the endpoint is to be disabled, not retried.
    Gone,
    /// Anything else (another status, a redirect, a timeout, a refused connection): try again
    /// later, per [`retry_after`].
    Failed(String),
    /// The destination is not one forewarn calls (see [`crate::destination`]); nothing was sent.
    Refused(crate::destination::Refusal),
}

/// Sends signed webhooks: no redirects followed, no proxy, a bounded wait, and connections
/// only to the destination's checked addresses.
#[derive(Clone, Debug)]
pub struct WebhookSender {
    pub policy: crate::destination::Policy,
    pub timeout: std::time::Duration,
    /// HTTP clients by host and the addresses it was checked to have, so connections (and TLS
    /// sessions) are reused while the name keeps resolving to the same addresses.
    clients: std::sync::Arc<std::sync::Mutex<ClientCache>>,
}

type ClientCache = std::collections::HashMap<(String, Vec<std::net::SocketAddr>), reqwest::Client>;

/// Clients kept at most; past that the cache starts over.
const CLIENTS: usize = 256;

impl WebhookSender {
    pub fn new(policy: crate::destination::Policy) -> WebhookSender {
        WebhookSender {
            policy,
            timeout: std::time::Duration::from_secs(15),
            clients: Default::default(),
        }
    }

    fn client(
        &self,
        host: String,
        addresses: Vec<std::net::SocketAddr>,
    ) -> Result<reqwest::Client, reqwest::Error> {
        let key = (host, addresses);
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .user_agent("forewarn-webhooks")
            .resolve_to_addrs(&key.0, &key.1)
            .build()?;
        if clients.len() >= CLIENTS {
            clients.clear();
        }
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// Delivers `body` (JSON) as message `id`, signed at `timestamp` with every secret of the
    /// endpoint. The same `id` on every retry lets the receiver drop duplicates.
    pub async fn send(
        &self,
        endpoint: &Endpoint,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Outcome {
        use crate::destination::Destination;
        let destination = match Destination::parse(&endpoint.url, self.policy) {
            Ok(d) => d,
            Err(refusal) => return Outcome::Refused(refusal),
        };
        let addresses = match destination.resolve(self.policy).await {
            Ok(a) => a,
            Err(refusal) => return Outcome::Refused(refusal),
        };
        let client = match self.client(destination.host_name(), addresses) {
            Ok(c) => c,
            Err(e) => return Outcome::Failed(format!("setting up the HTTP client: {e}")),
        };
        let response = client
            .post(destination.url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature_header(&endpoint.secrets, id, timestamp, body),
            )
            .body(body.to_vec())
            .send()
            .await;
        match response {
            Ok(r) if r.status().is_success() => Outcome::Delivered(r.status().as_u16()),
            Ok(r) if r.status() == reqwest::StatusCode::GONE => Outcome::Gone,
            Ok(r) if r.status().is_redirection() => Outcome::Failed(format!(
                "the endpoint answered {} (a redirect, which is not followed)",
                r.status()
            )),
            Ok(r) => Outcome::Failed(format!("the endpoint answered {}", r.status())),
            Err(e) if e.is_timeout() => {
                Outcome::Failed("the endpoint did not answer in time".into())
            }
            Err(e) => Outcome::Failed(format!("the endpoint could not be reached: {e}")),
        }
    }
}

/// How long to wait before attempt `attempt` (1 is the first retry): 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 10 h; `None` after that, when the delivery has failed for good (about a day
/// and a half after the first try).
pub fn retry_after(attempt: u32) -> Option<std::time::Duration> {
    const SCHEDULE: [u64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
    SCHEDULE
        .get(attempt.checked_sub(1)? as usize)
        .map(|s| std::time::Duration::from_secs(*s))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Standard Webhooks reference vector.
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TIMESTAMP: i64 = 1649367553;
    const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
    const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    #[test]
    fn signs_the_reference_vector() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(secret.sign(ID, TIMESTAMP, BODY), SIGNATURE);
        assert_eq!(secret.expose(), SECRET);
    }

    #[test]
    fn verifies_within_the_tolerance_and_among_several_signatures() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        let ts = TIMESTAMP.to_string();
        assert_eq!(secret.verify(ID, &ts, SIGNATURE, BODY, TIMESTAMP), Ok(()));
        assert_eq!(
            secret.verify(ID, &ts, SIGNATURE, BODY, TIMESTAMP + 299),
            Ok(())
        );
        let rotated = format!("v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q= {SIGNATURE}");
        assert_eq!(secret.verify(ID, &ts, &rotated, BODY, TIMESTAMP), Ok(()));
        for now in [
            TIMESTAMP + TOLERANCE_SECS + 1,
            TIMESTAMP - TOLERANCE_SECS - 1,
        ] {
            assert_eq!(
                secret.verify(ID, &ts, SIGNATURE, BODY, now),
                Err(SignatureError::Stale)
            );
        }
        assert_eq!(
            secret.verify(ID, "soon", SIGNATURE, BODY, TIMESTAMP),
            Err(SignatureError::Timestamp)
        );
        let wrong = "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=";
        assert_eq!(
            secret.verify(ID, &ts, wrong, BODY, TIMESTAMP),
            Err(SignatureError::Mismatch)
        );
        let tampered = br#"{"email":"test@example.com","username":"other"}"#;
        assert_eq!(
            secret.verify(ID, &ts, SIGNATURE, tampered, TIMESTAMP),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            secret.verify("msg_other", &ts, SIGNATURE, BODY, TIMESTAMP),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn rotation_sends_a_signature_per_secret() {
        let old = WebhookSecret::parse(SECRET).unwrap();
        let new = WebhookSecret::generate();
        let header = signature_header(&[new.clone(), old.clone()], ID, TIMESTAMP, BODY);
        let ts = TIMESTAMP.to_string();
        assert!(header.ends_with(SIGNATURE));
        assert_eq!(new.verify(ID, &ts, &header, BODY, TIMESTAMP), Ok(()));
        assert_eq!(old.verify(ID, &ts, &header, BODY, TIMESTAMP), Ok(()));
    }

    #[test]
    fn retries_back_off_and_end() {
        assert_eq!(retry_after(0), None);
        assert_eq!(retry_after(1), Some(std::time::Duration::from_secs(5)));
        let waits: Vec<_> = (1..=7).map(|a| retry_after(a).unwrap()).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(retry_after(8), None);
    }

    #[test]
    fn bad_secrets_are_refused_and_never_printed() {
        for bad in [
            "",
            "whsec_",
            "whsec_!!!",
            "whsec_c2hvcnQ=",
            "not base64 at all",
        ] {
            assert_eq!(
                WebhookSecret::parse(bad),
                Err(SignatureError::Secret),
                "{bad}"
            );
        }
        let secret = WebhookSecret::generate();
        assert_eq!(format!("{secret:?}"), "WebhookSecret(…)");
        assert_ne!(secret, WebhookSecret::generate());
        assert_eq!(WebhookSecret::parse(&secret.expose()), Ok(secret));
    }
}

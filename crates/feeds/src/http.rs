//! One GET to a feed's server: the URL checked against SSRF and pinned to the checked
//! addresses, no redirects followed, credentials sent only to the URL they were given for, and
//! the answer read up to a bound.

use std::time::Duration;

use base64::Engine;
use forewarn_notify::destination::{Destination, Policy, Refusal};
use reqwest::header::HeaderMap;
use url::Url;

/// How a feed's server knows forewarn. Never printed: `Debug` shows only the kind.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    #[default]
    None,
    /// HTTP Basic authentication.
    Basic { user: String, password: String },
    /// A bearer token (`Authorization: Bearer …`).
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::None => "None",
            Credentials::Basic { .. } => "Basic(…)",
            Credentials::Bearer(_) => "Bearer(…)",
        })
    }
}

impl Credentials {
    fn header(&self) -> Option<String> {
        match self {
            Credentials::None => None,
            Credentials::Basic { user, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )),
            Credentials::Bearer(token) => Some(format!("Bearer {token}")),
        }
    }
}

/// Bounds on one request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest answer read; a longer one is an error, read no further.
    pub max_body_bytes: usize,
    /// How long one request may take, connecting and reading included.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 32 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Why a fetch gave nothing usable. The text is what the feed's status shows an operator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("the feed's address is refused: {0}")]
    Refused(#[from] Refusal),
    #[error("the request failed: {0}")]
    Request(String),
    #[error("the server answered {status}: {excerpt}")]
    Status { status: u16, excerpt: String },
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the answer is {found:?}, not {expected}")]
    MediaType { expected: String, found: String },
    #[error("the answer is not what {what} should be: {why}")]
    Malformed { what: &'static str, why: String },
    #[error("{0}")]
    Paging(String),
}

/// A successful answer, read whole.
#[derive(Debug)]
pub struct Fetched {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Fetched {
    /// The Content-Type header, or "" when there is none.
    pub fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Makes the requests of feeds, each to a checked address.
#[derive(Clone, Debug, Default)]
pub struct Fetcher {
    pub policy: Policy,
    pub limits: Limits,
}

impl Fetcher {
    pub fn new(policy: Policy, limits: Limits) -> Fetcher {
        Fetcher { policy, limits }
    }

    /// GETs `url` with `accept`, authenticated with `credentials`; a status other than 2xx is an
    /// error carrying the start of the answer.
    pub async fn get(
        &self,
        url: &Url,
        accept: &str,
        credentials: &Credentials,
    ) -> Result<Fetched, FetchError> {
        let destination = Destination::parse(url.as_str(), self.policy)?;
        let addresses = destination.resolve(self.policy).await?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.limits.timeout)
            .user_agent(concat!("forewarn-feeds/", env!("CARGO_PKG_VERSION")))
            .resolve_to_addrs(&destination.host_name(), &addresses)
            .build()
            .map_err(|e| FetchError::Request(e.to_string()))?;
        let mut request = client.get(destination.url.clone()).header("accept", accept);
        if let Some(value) = credentials.header() {
            request = request.header("authorization", value);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| FetchError::Request(without_url(e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = if status.is_success() {
            self.limits.max_body_bytes
        } else {
            4096
        };
        if response
            .content_length()
            .is_some_and(|n| n > limit as u64 && status.is_success())
        {
            return Err(FetchError::TooLarge(limit));
        }
        let mut body = Vec::new();
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| FetchError::Request(without_url(e)))?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > limit {
                if status.is_success() {
                    return Err(FetchError::TooLarge(limit));
                }
                body.extend_from_slice(&chunk[..limit - body.len()]);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            let excerpt: String = String::from_utf8_lossy(&body).chars().take(200).collect();
            return Err(FetchError::Status {
                status: status.as_u16(),
                excerpt: excerpt.trim().to_owned(),
            });
        }
        Ok(Fetched { headers, body })
    }
}

/// reqwest's message, without the URL it adds (a URL may carry a feed's query secrets).
fn without_url(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

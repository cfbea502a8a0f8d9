//! The `[feeds]` section: how managed feeds are fetched.

use std::time::Duration;

use forewarn_notify::destination::Policy;
use serde::{Deserialize, Serialize};

use crate::http::{Fetcher, Limits};

/// How feeds are fetched.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedSettings {
    /// Let feeds be read from loopback and private addresses (a MISP or TAXII server on the
    /// operator's own network). Off, such URLs are refused like webhooks'.
    pub allow_private: bool,
    /// How long one request to a feed's server may take, in seconds.
    pub timeout_secs: u64,
    /// The largest answer read from a feed's server, in megabytes.
    pub max_answer_mb: usize,
    /// How often analysis looks for changed feeds to rebuild its matcher, in seconds.
    pub reload_secs: u64,
    /// The directory file feeds are read from (their location is a path under it, such as an
    /// investigation's folder); file feeds are refused when it is not set.
    pub files_dir: Option<std::path::PathBuf>,
}

impl Default for FeedSettings {
    fn default() -> FeedSettings {
        FeedSettings {
            allow_private: false,
            timeout_secs: 60,
            max_answer_mb: 32,
            reload_secs: 10,
            files_dir: None,
        }
    }
}

impl FeedSettings {
    /// The destination policy feed URLs are checked with.
    pub fn policy(&self) -> Policy {
        Policy {
            allow_private: self.allow_private,
        }
    }

    /// What fetches the feeds.
    pub fn fetcher(&self) -> Fetcher {
        Fetcher::new(
            self.policy(),
            Limits {
                max_body_bytes: self.max_answer_mb.max(1) * 1024 * 1024,
                timeout: Duration::from_secs(self.timeout_secs.max(1)),
            },
        )
    }
}

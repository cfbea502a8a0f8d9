//! Rate limits on sign-in and enrollment, per client address, in fixed one-minute windows.
//! One process's memory holds them: each instance limits what reaches it.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::error::ApiError;

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many tracked clients, finished windows are dropped.
const MAX_TRACKED: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    Login,
    Enroll,
}

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(Bucket, IpAddr), (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one attempt; refuses it when the client has used up `per_minute`.
    pub fn check(&self, bucket: Bucket, client: IpAddr, per_minute: u32) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_TRACKED {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry((bucket, client)).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= per_minute {
            let wait = WINDOW
                .saturating_sub(now.duration_since(entry.0))
                .as_secs()
                .max(1);
            return Err(ApiError::TooManyRequests(wait));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// The client's address: the connection's peer, or the address a trusted reverse proxy
/// appended last to X-Forwarded-For.
pub fn client_address(parts: &Parts, trust_proxy_headers: bool) -> IpAddr {
    if trust_proxy_headers {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_client_and_bucket() {
        let limiter = RateLimiter::default();
        let a = IpAddr::from([192, 0, 2, 1]);
        let b = IpAddr::from([192, 0, 2, 2]);
        for _ in 0..3 {
            limiter.check(Bucket::Login, a, 3).unwrap();
        }
        assert!(
            matches!(limiter.check(Bucket::Login, a, 3), Err(ApiError::TooManyRequests(s)) if (1..=60).contains(&s))
        );
        limiter.check(Bucket::Login, b, 3).unwrap();
        limiter.check(Bucket::Enroll, a, 3).unwrap();
    }
}

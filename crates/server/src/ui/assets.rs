//! The one style sheet and the one script (for passkeys), compiled into the binary: no page
//! loads anything from elsewhere.

use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("forewarn.css");
const PASSKEY_SCRIPT: &str = include_str!("passkey.js");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

pub async fn passkey_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        PASSKEY_SCRIPT,
    )
}

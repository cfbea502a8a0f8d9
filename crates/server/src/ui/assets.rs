//! The one style sheet, compiled into the binary: no page loads anything from elsewhere.

use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("forewarn.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

//! The two pages mailed links open. Following a link changes nothing by itself: the page asks
//! for a click (or a password), so a mail scanner that fetches links confirms nothing. Plain
//! HTML, no script, nothing from elsewhere.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::api::applications::Client;
use crate::api::confirmations;
use crate::error::ApiError;
use crate::extract::Path;
use crate::limits::Bucket;
use crate::AppState;

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{title} · forewarn</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}}button{{font:inherit;padding:.4rem 1rem}}</style>\
         </head><body><h1>{title}</h1>{body}</body></html>"
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        ),
    );
    response
}

fn failure(error: &ApiError) -> Response {
    let text = match error {
        ApiError::NotFound => {
            "This link is unknown, already used or expired. Ask for a new one.".to_owned()
        }
        ApiError::Unprocessable(message, details) => format!("{message}: {}", details.join("; ")),
        ApiError::TooManyRequests(_) => {
            "Too many attempts; wait a minute and try again.".to_owned()
        }
        _ => "Something went wrong; try again later.".to_owned(),
    };
    page(
        error.status(),
        "Not done",
        &format!("<p>{}</p>", escape(&text)),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub async fn confirm_page() -> Response {
    page(
        StatusCode::OK,
        "Confirm",
        "<p>Confirm that forewarn may go ahead with what the mail you received described.</p>\
         <form method=\"post\"><button type=\"submit\">Confirm</button></form>",
    )
}

pub async fn confirm_submit(
    State(state): State<AppState>,
    Client(client): Client,
    Path(secret): Path<String>,
) -> Response {
    if let Err(e) = state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    ) {
        return failure(&e);
    }
    match confirmations::confirm_link(&state, &secret).await {
        Ok("account") => page(StatusCode::OK, "Confirmed", "<p>Thank you. forewarn now watches this mailbox for attacks; you can withdraw at any time.</p>"),
        Ok(_) => page(StatusCode::OK, "Confirmed", "<p>Thank you. The domain is verified.</p>"),
        Err(e) => failure(&e),
    }
}

pub async fn invite_page() -> Response {
    page(
        StatusCode::OK,
        "Join forewarn",
        "<form method=\"post\"><p><label>Choose a password (at least 12 characters)<br>\
         <input type=\"password\" name=\"password\" minlength=\"12\" required autocomplete=\"new-password\"></label></p>\
         <button type=\"submit\">Join</button></form>",
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

pub async fn invite_submit(
    State(state): State<AppState>,
    Client(client): Client,
    Path(secret): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    if let Err(e) = state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    ) {
        return failure(&e);
    }
    match confirmations::accept(&state, &secret, form.password).await {
        Ok(_) => page(
            StatusCode::OK,
            "Welcome",
            "<p>You have joined. Sign in with your address and the password you chose.</p>",
        ),
        Err(e) => failure(&e),
    }
}

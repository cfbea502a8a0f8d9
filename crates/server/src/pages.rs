//! The two pages mailed links open. Following a link changes nothing by itself: the page asks
//! for a click (or a password), so a mail scanner that fetches links confirms nothing. They
//! are written like the rest of the web pages, in the organization's language when the link
//! belongs to one, and say what the person agrees to before they confirm a mailbox.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use forewarn_store::{ConfirmationKind, Organization};
use maud::html;
use serde::Deserialize;

use crate::api::applications::Client;
use crate::auth;
use crate::error::ApiError;
use crate::extract::Path;
use crate::limits::Bucket;
use crate::ui::{catalogs, page, Failure, Visitor, Words};
use crate::AppState;

/// The link's organization, when it has one and the link is still good.
async fn link_org(
    state: &AppState,
    secret: &str,
) -> Option<(ConfirmationKind, Option<Organization>)> {
    if secret.len() > 128 {
        return None;
    }
    let confirmation = state
        .store
        .find_confirmation(&auth::digest(secret))
        .await
        .ok()??;
    let org = match &confirmation.org_id {
        Some(id) => state.store.find_org_by_id(id).await.ok().flatten(),
        None => None,
    };
    Some((confirmation.kind, org))
}

/// The organization's language unless the reader chose one.
fn words_for(visitor: &Visitor, chosen: bool, org: Option<&Organization>) -> Words {
    match org {
        Some(org) if !chosen => Words {
            language: catalogs().language(&org.language),
        },
        _ => visitor.words,
    }
}

fn unknown(words: Words) -> Response {
    let body = html! { div.notice.error role="alert" { p { (words.t("ui-link-unknown")) } } };
    let mut response = page(words, None, &words.t("ui-error-not-found"), body);
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

fn done(words: Words, title: &str, text: &str) -> Response {
    let body = html! {
        div.notice.ok role="status" { p { (text) } }
        p { a href="/ui/login" { (words.t("ui-sign-in")) } }
    };
    page(words, None, title, body)
}

/// Whether the reader picked a language themself (the language cookie).
fn chose_language(headers: &axum::http::HeaderMap) -> bool {
    auth::cookie(headers, crate::ui::LANGUAGE_COOKIE).is_some()
}

pub async fn confirm_page(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let Some((kind, org)) = link_org(&state, &secret).await else {
        return unknown(visitor.words);
    };
    let w = words_for(&visitor, chose_language(&headers), org.as_ref());
    let org_name = org.as_ref().map_or_else(String::new, |o| o.name.clone());
    let body = match kind {
        ConfirmationKind::Account => html! {
            p { (w.with("ui-confirm-account-intro", &[("org", org_name.clone().into())])) }
            section.card aria-labelledby="consent" {
                h2 #consent { (w.with("ui-consent-title", &[("version", state.config.terms_version.clone().into())])) }
                p { (w.with("ui-consent-1", &[("org", org_name.clone().into())])) }
                p { (w.t("ui-consent-2")) }
                p { (w.t("ui-consent-3")) }
            }
            form method="post" { button type="submit" { (w.t("ui-confirm")) } }
        },
        ConfirmationKind::Domain => html! {
            p { (w.with("ui-confirm-domain", &[("org", org_name.clone().into())])) }
            form method="post" { button type="submit" { (w.t("ui-confirm")) } }
        },
        ConfirmationKind::Invitation => return unknown(w),
    };
    page(w, None, &w.t("ui-confirm-title"), body)
}

pub async fn confirm_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Client(client): Client,
    Path(secret): Path<String>,
) -> Response {
    let org = link_org(&state, &secret).await.and_then(|(_, org)| org);
    let w = words_for(&visitor, chose_language(&headers), org.as_ref());
    if let Err(e) = state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    ) {
        return Failure::from((w, e)).into_response();
    }
    match crate::service::confirmations::confirm_link(&state, &secret).await {
        Ok("account") => done(w, &w.t("ui-confirmed-title"), &w.t("ui-confirmed-account")),
        Ok(_) => done(w, &w.t("ui-confirmed-title"), &w.t("ui-confirmed-domain")),
        Err(ApiError::NotFound) => unknown(w),
        Err(e) => Failure::from((w, e)).into_response(),
    }
}

pub async fn invite_page(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let Some((ConfirmationKind::Invitation, org)) = link_org(&state, &secret).await else {
        return unknown(visitor.words);
    };
    let w = words_for(&visitor, chose_language(&headers), org.as_ref());
    let body = html! {
        p { @match &org {
            Some(org) => (w.with("ui-join-intro-org", &[("org", org.name.clone().into())])),
            None => (w.t("ui-join-intro")),
        } }
        form.stack method="post" {
            label { (w.t("ui-join-password"))
                input type="password" name="password" minlength="12" required autocomplete="new-password";
            }
            button type="submit" { (w.t("ui-join")) }
        }
    };
    page(w, None, &w.t("ui-join-title"), body)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

pub async fn invite_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Client(client): Client,
    Path(secret): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let org = link_org(&state, &secret).await.and_then(|(_, org)| org);
    let w = words_for(&visitor, chose_language(&headers), org.as_ref());
    if let Err(e) = state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    ) {
        return Failure::from((w, e)).into_response();
    }
    match crate::service::confirmations::accept(&state, &secret, form.password).await {
        Ok(_) => done(w, &w.t("ui-joined-title"), &w.t("ui-joined-text")),
        Err(ApiError::NotFound) => unknown(w),
        Err(e) => Failure::from((w, e)).into_response(),
    }
}

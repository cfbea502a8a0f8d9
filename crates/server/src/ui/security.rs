//! Sign-in security: the second factor asked for after the password, and the page where a
//! person adds passkeys and authenticator apps, removes them and makes new recovery codes.
//! Passkeys need the browser's WebAuthn API, so these two pages run forewarn's one script;
//! apps and recovery codes work without it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use forewarn_store::{FactorKind, SecondFactor};
use maud::html;
use serde::Deserialize;

use super::{
    back_to, button, csrf_field, page, page_with_script, when, Answer, Nothing, OrFail, Posted,
    Viewer,
};
use crate::api::applications::Client;
use crate::error::ApiError;
use crate::extract::Path;
use crate::service::second_factor::{self as service, Added, Proof};
use crate::AppState;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ProofForm {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    totp: String,
    #[serde(default)]
    recovery_code: String,
    #[serde(default)]
    passkey: String,
}

/// After the password: a passkey, an app's code or a recovery code.
pub async fn second_factor_page(
    State(state): State<AppState>,
    axum::extract::Query(next): axum::extract::Query<Next>,
    viewer: Viewer,
) -> Answer {
    second_factor_form(&state, &viewer, next.next.as_deref(), false).await
}

async fn second_factor_form(
    state: &AppState,
    viewer: &Viewer,
    next: Option<&str>,
    refused: bool,
) -> Answer {
    let w = viewer.words;
    let next = super::safe_next(next);
    let factors = state
        .store
        .second_factors(&viewer.user.id)
        .await
        .or_fail(viewer)?;
    let has = |kind| factors.iter().any(|f| f.kind == kind && f.confirmed);
    let options = if has(FactorKind::Passkey) {
        Some(
            service::sign_in_options(state, &viewer.caller())
                .await
                .or_fail(viewer)?
                .to_string(),
        )
    } else {
        None
    };
    let body = html! {
        @if refused { div.notice.error role="alert" { p { (w.t("ui-second-factor-refused")) } } }
        p { (w.t("ui-second-factor-intro")) }
        @if let Some(options) = &options {
            form.stack #passkey-sign-in method="post" action="/ui/second-factor" data-options=(options) {
                (csrf_field(viewer))
                input type="hidden" name="next" value=(next);
                input type="hidden" name="passkey" data-passkey-answer;
                button type="button" data-passkey="get" hidden { (w.t("ui-use-passkey")) }
                p.muted data-passkey-status data-failed=(w.t("ui-passkey-failed")) role="status" {}
            }
        }
        @if has(FactorKind::Totp) {
            form.stack method="post" action="/ui/second-factor" {
                (csrf_field(viewer))
                input type="hidden" name="next" value=(next);
                label { (w.t("ui-totp-code")) input name="totp" required inputmode="numeric" pattern="[0-9 ]{6,7}" autocomplete="one-time-code" maxlength="7"; }
                button type="submit" { (w.t("ui-verify")) }
            }
        }
        details {
            summary { (w.t("ui-use-recovery-code")) }
            form.stack method="post" action="/ui/second-factor" {
                (csrf_field(viewer))
                input type="hidden" name="next" value=(next);
                label { (w.t("ui-recovery-code")) input name="recovery_code" required autocomplete="off" maxlength="64"; }
                button type="submit" { (w.t("ui-verify")) }
            }
        }
    };
    let mut response = page_with_script(
        w,
        Some(viewer),
        &w.t("ui-second-factor"),
        html! {
            (body)
            script src="/ui/assets/passkey.js" {}
        },
    );
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

fn given(field: String) -> Option<String> {
    let field = field.trim().to_owned();
    (!field.is_empty()).then_some(field)
}

pub async fn second_factor_submit(
    State(state): State<AppState>,
    Client(client): Client,
    posted: Posted<ProofForm>,
) -> Answer {
    let viewer = posted.viewer;
    let form = posted.form;
    let next = form.next.clone();
    let passkey = match given(form.passkey) {
        Some(json) => match serde_json::from_str(&json) {
            Ok(assertion) => Some(assertion),
            Err(_) => return second_factor_form(&state, &viewer, form.next.as_deref(), true).await,
        },
        None => None,
    };
    let proof = Proof {
        totp: given(form.totp),
        recovery_code: given(form.recovery_code),
        passkey,
    };
    match service::prove(&state, client, &viewer.caller(), proof).await {
        Ok(()) => Ok(back_to(super::safe_next(next.as_deref()))),
        Err(ApiError::Unprocessable(..) | ApiError::BadRequest(_)) => {
            second_factor_form(&state, &viewer, next.as_deref(), true).await
        }
        Err(error) => Err(viewer.fail(error)),
    }
}

/// The person's second factors and recovery codes, and the forms that add one.
pub async fn security(State(state): State<AppState>, viewer: Viewer) -> Answer {
    security_page(&state, &viewer, None).await
}

async fn security_page(state: &AppState, viewer: &Viewer, refused: Option<ApiError>) -> Answer {
    let w = viewer.words;
    let caller = viewer.caller();
    let factors = service::list(state, &caller).await.or_fail(viewer)?;
    let standing = state
        .store
        .factor_standing(&viewer.user)
        .await
        .or_fail(viewer)?;
    let codes_left = state
        .store
        .recovery_codes_left(&viewer.user.id)
        .await
        .or_fail(viewer)?;
    let options = service::passkey_options(state, &caller)
        .await
        .or_fail(viewer)?
        .to_string();
    let confirmed: Vec<&SecondFactor> = factors.iter().filter(|f| f.confirmed).collect();
    let body = html! {
        @if standing.required && !standing.enrolled {
            div.notice role="status" { p { (w.t("ui-second-factor-required")) } }
        }
        @if let Some(ApiError::Unprocessable(message, details)) = &refused {
            div.notice.error role="alert" { p { (message) } ul { @for d in details { li { (d) } } } }
        }
        h2 { (w.t("ui-second-factors")) }
        @if confirmed.is_empty() {
            p { (w.t("ui-no-second-factors")) }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { (w.t("ui-name")) } th { (w.t("ui-kind")) } th { (w.t("ui-added-at")) } th { (w.t("ui-last-used")) } th {} } }
                    tbody {
                        @for f in &confirmed {
                            tr {
                                td { (f.label) }
                                td { (kind_name(viewer, f.kind)) }
                                td { (when(&f.created_at)) }
                                td { @match &f.last_used_at { Some(at) => (when(at)), None => (w.t("ui-never")) } }
                                td { (button(viewer, &format!("/ui/security/{}/remove", f.id), &w.t("ui-remove"), "secondary")) }
                            }
                        }
                    }
                }
            }
        }
        h2 { (w.t("ui-add-passkey")) }
        form.stack #add-passkey method="post" action="/ui/security/passkey" data-options=(options) {
            (csrf_field(viewer))
            label { (w.t("ui-name")) input name="label" required maxlength="100" aria-describedby="passkey-label-hint"; }
            p #passkey-label-hint .hint { (w.t("ui-factor-label-hint")) }
            input type="hidden" name="credential" data-passkey-answer;
            button type="button" data-passkey="create" hidden { (w.t("ui-add-passkey")) }
            p.muted data-passkey-status data-failed=(w.t("ui-passkey-failed")) role="status" {}
        }
        h2 { (w.t("ui-add-totp")) }
        form.stack method="post" action="/ui/security/totp" {
            (csrf_field(viewer))
            label { (w.t("ui-name")) input name="label" required maxlength="100"; }
            button type="submit" { (w.t("ui-add-totp")) }
        }
        h2 { (w.t("ui-recovery-codes")) }
        p { (w.with("ui-recovery-codes-left", &[("count", codes_left.into())])) }
        (button(viewer, "/ui/security/recovery-codes", &w.t("ui-new-recovery-codes"), "secondary"))
        script src="/ui/assets/passkey.js" {}
    };
    let mut response = page_with_script(w, Some(viewer), &w.t("ui-security"), body);
    if refused.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

fn kind_name(viewer: &Viewer, kind: FactorKind) -> String {
    viewer.words.t(match kind {
        FactorKind::Passkey => "ui-factor-passkey",
        FactorKind::Totp => "ui-factor-totp",
    })
}

/// Recovery codes just made, shown this once.
fn codes_page(viewer: &Viewer, codes: &[String]) -> Response {
    let w = viewer.words;
    let body = html! {
        div.notice role="status" { p { (w.t("ui-recovery-codes-shown-once")) } }
        ul.mono #recovery-codes { @for code in codes { li { (code) } } }
        p { a href="/ui" { (w.t("ui-back-home")) } }
    };
    page(w, Some(viewer), &w.t("ui-recovery-codes"), body)
}

fn after_adding(viewer: &Viewer, added: Added) -> Response {
    match added.recovery_codes {
        Some(codes) => codes_page(viewer, &codes),
        None => back_to("/ui/security"),
    }
}

#[derive(Deserialize)]
pub struct PasskeyForm {
    label: String,
    #[serde(default)]
    credential: String,
}

pub async fn add_passkey(State(state): State<AppState>, posted: Posted<PasskeyForm>) -> Answer {
    let viewer = posted.viewer;
    let refusal = |why: &str| ApiError::invalid("the passkey was not added", vec![why.to_owned()]);
    let credential = match serde_json::from_str(&posted.form.credential) {
        Ok(credential) => credential,
        Err(_) => {
            return security_page(
                &state,
                &viewer,
                Some(refusal("the browser gave no passkey")),
            )
            .await
        }
    };
    let new = service::NewPasskey {
        label: posted.form.label,
        credential,
    };
    match service::add_passkey(&state, &viewer.caller(), new).await {
        Ok(added) => Ok(after_adding(&viewer, added)),
        Err(refused @ ApiError::Unprocessable(..)) => {
            security_page(&state, &viewer, Some(refused)).await
        }
        Err(error) => Err(viewer.fail(error)),
    }
}

#[derive(Deserialize)]
pub struct LabelForm {
    label: String,
}

pub async fn add_totp(State(state): State<AppState>, posted: Posted<LabelForm>) -> Answer {
    let viewer = posted.viewer;
    let setup = service::add_totp(
        &state,
        &viewer.caller(),
        service::NewTotp {
            label: posted.form.label,
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(totp_page(
        &viewer,
        &setup.factor.id,
        &setup.secret,
        &setup.uri,
        false,
    ))
}

/// The app's key and link, and the field for its first code.
fn totp_page(viewer: &Viewer, id: &str, secret: &str, uri: &str, refused: bool) -> Response {
    let w = viewer.words;
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let body = html! {
        @if refused { div.notice.error role="alert" { p { (w.t("ui-second-factor-refused")) } } }
        p { (w.t("ui-totp-setup")) }
        dl {
            dt { (w.t("ui-totp-key")) } dd.mono #totp-key { (grouped.join(" ")) }
            dt { (w.t("ui-totp-link")) } dd { a.mono href=(uri) { (uri) } }
        }
        form.stack method="post" action={ "/ui/security/totp/" (id) } {
            (csrf_field(viewer))
            label { (w.t("ui-totp-code")) input name="code" required inputmode="numeric" autocomplete="one-time-code" maxlength="7"; }
            button type="submit" { (w.t("ui-confirm")) }
        }
    };
    let mut response = page(w, Some(viewer), &w.t("ui-add-totp"), body);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn confirm_totp(
    State(state): State<AppState>,
    Client(client): Client,
    Path(id): Path<String>,
    posted: Posted<CodeForm>,
) -> Answer {
    let viewer = posted.viewer;
    match service::confirm_totp(&state, client, &viewer.caller(), &id, &posted.form.code).await {
        Ok(added) => Ok(after_adding(&viewer, added)),
        Err(ApiError::Unprocessable(..)) => {
            let setup = service::pending_totp(&state, &viewer.caller(), &id)
                .await
                .or_fail(&viewer)?;
            Ok(totp_page(&viewer, &id, &setup.secret, &setup.uri, true))
        }
        Err(error) => Err(viewer.fail(error)),
    }
}

pub async fn new_recovery_codes(State(state): State<AppState>, posted: Posted<Nothing>) -> Answer {
    let viewer = posted.viewer;
    let codes = service::new_recovery_codes(&state, &viewer.caller())
        .await
        .or_fail(&viewer)?;
    Ok(codes_page(&viewer, &codes))
}

pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    service::remove(&state, &viewer.caller(), &id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to("/ui/security"))
}

//! The web interface under /ui: pages rendered on the server in the reader's language, plain
//! HTML forms (no script), one style sheet and SVG charts served by forewarn itself.
//!
//! A page reads through the same store calls as the API, and every change goes through the
//! API's own handler, so roles, tenant isolation, validation and the audit log are the API's.
//! Forms carry the session's CSRF token in a hidden field, and the session cookie is
//! SameSite=Strict.

mod assets;
mod charts;
mod dashboard;
mod feeds;
mod guidance;
mod incidents;
mod intel;
mod onboarding;
mod people;
mod programs;
mod security;
mod triage;

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use forewarn_l10n::{Arg, Catalogs, Language};
use forewarn_store::{OrgId, Role, User};
use maud::{html, Markup, DOCTYPE};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::applications::Client;
use crate::auth::{self, Caller, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;

pub(crate) const LANGUAGE_COOKIE: &str = "forewarn_lang";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/assets/forewarn.css", get(assets::stylesheet))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/password", get(password_page).post(password_submit))
        .route("/assets/passkey.js", get(assets::passkey_script))
        .route(
            "/second-factor",
            get(security::second_factor_page).post(security::second_factor_submit),
        )
        .route("/security", get(security::security))
        .route("/security/passkey", post(security::add_passkey))
        .route("/security/totp", post(security::add_totp))
        .route("/security/totp/{factor_id}", post(security::confirm_totp))
        .route(
            "/security/recovery-codes",
            post(security::new_recovery_codes),
        )
        .route("/security/{factor_id}/remove", post(security::remove))
        .route("/language", get(choose_language))
        .route(
            "/apply",
            get(onboarding::apply_page).post(onboarding::apply_submit),
        )
        .route(
            "/programs",
            get(programs::programs_page).post(programs::create),
        )
        .route("/programs/{program_id}", post(programs::update))
        .route("/orgs", get(dashboard::organizations))
        .route("/orgs/{org_id}", get(onboarding::org_page))
        .route("/orgs/{org_id}/domains", post(onboarding::add_domain))
        .route(
            "/orgs/{org_id}/domains/{domain_id}/verify",
            post(onboarding::verify_domain),
        )
        .route("/orgs/{org_id}/contacts", post(onboarding::save_contacts))
        .route("/orgs/{org_id}/webhooks", post(onboarding::add_webhook))
        .route(
            "/orgs/{org_id}/test-notification",
            post(onboarding::test_notification),
        )
        .route("/orgs/{org_id}/status", post(dashboard::set_org_status))
        .route(
            "/orgs/{org_id}/people",
            get(people::people_page).post(people::invite),
        )
        .route(
            "/orgs/{org_id}/accounts",
            get(people::accounts_page).post(people::opt_in),
        )
        .route(
            "/orgs/{org_id}/accounts/{account_id}/revoke",
            post(people::revoke),
        )
        .route("/orgs/{org_id}/incidents", get(incidents::list))
        .route(
            "/orgs/{org_id}/incidents/{incident_id}",
            get(incidents::show),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/status",
            post(incidents::set_status),
        )
        .route("/triage", get(triage::queue))
        .route("/triage/{incident_id}", get(triage::show))
        .route("/triage/{incident_id}/approve", post(triage::approve))
        .route("/triage/{incident_id}/dismiss", post(triage::dismiss))
        .route("/triage/{incident_id}/edit", post(triage::edit))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/dead-letters", get(dashboard::dead_letters))
        .route(
            "/dead-letters/{dead_letter_id}/retry",
            post(dashboard::retry_dead_letter),
        )
        .route("/intel", get(intel::index))
        .route("/feeds", get(feeds::feeds_page).post(feeds::add))
        .route("/feeds/{feed_id}/pause", post(feeds::pause))
        .route("/feeds/{feed_id}/delete", post(feeds::delete))
        .route("/intel/indicators", get(intel::indicators))
        .route("/intel/entities/{entity_id}", get(intel::entity))
        .route("/guidance", get(guidance::index))
        .route("/guidance/{topic}", get(guidance::topic))
}

pub(crate) fn catalogs() -> &'static Catalogs {
    Catalogs::shared()
}

/// The language a page is written in, and its words.
#[derive(Clone, Copy)]
pub struct Words {
    pub language: Language,
}

impl Words {
    pub fn t(&self, id: &str) -> String {
        catalogs().text(self.language.code, id, &[])
    }

    pub fn with(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        catalogs().text(self.language.code, id, args)
    }

    /// `ui-<prefix>-<value>`, e.g. the name of a status or role.
    pub fn word(&self, prefix: &str, value: &str) -> String {
        self.t(&format!("{prefix}-{}", value.replace('_', "-")))
    }
}

/// The language asked for: the `forewarn_lang` cookie, then the organization's language (for
/// its people), then the browser's first choice.
fn language_of(parts: &Parts, org_language: Option<&str>) -> Language {
    let catalogs = catalogs();
    if let Some(chosen) = auth::cookie(&parts.headers, LANGUAGE_COOKIE) {
        return catalogs.language(&chosen);
    }
    if let Some(language) = org_language {
        return catalogs.language(language);
    }
    let browser = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_owned())
        .unwrap_or_default();
    catalogs.language(&browser)
}

/// Someone not signed in, with the language to answer in.
pub struct Visitor {
    pub words: Words,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &AppState,
    ) -> Result<Visitor, std::convert::Infallible> {
        Ok(Visitor {
            words: Words {
                language: language_of(parts, None),
            },
        })
    }
}

/// The signed-in person a page is for. Without a session, the browser is sent to sign in.
#[derive(Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub words: Words,
    /// The session's key in the store.
    session: String,
}

impl Viewer {
    /// The same caller the API would see, for calling its handlers.
    pub fn caller(&self) -> Caller {
        Caller {
            user: self.user.clone(),
            session: Some(self.session.clone()),
        }
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn fail(&self, error: ApiError) -> Failure {
        Failure {
            words: self.words,
            viewer: Some(Box::new(self.clone())),
            error,
        }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        let sign_in = || {
            // Inside the nested router the URI has lost its /ui prefix; the original has it.
            let uri = parts
                .extensions
                .get::<axum::extract::OriginalUri>()
                .map_or(&parts.uri, |o| &o.0);
            let here = uri
                .path_and_query()
                .map_or("/ui", |p| p.as_str())
                .to_owned();
            let next: String = url_encode(&here);
            Redirect::to(&format!("/ui/login?next={next}")).into_response()
        };
        let Some(secret) = auth::cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(sign_in());
        };
        let digest = auth::digest(&secret);
        let found = state.store.find_session(&digest).await;
        let (session, user) = match found {
            Ok(Some(found)) => found,
            Ok(None) => return Err(sign_in()),
            Err(e) => {
                let words = Words {
                    language: language_of(parts, None),
                };
                return Err(Failure {
                    words,
                    viewer: None,
                    error: e.into(),
                }
                .into_response());
            }
        };
        let org_language = match (&user.org_id, auth::cookie(&parts.headers, LANGUAGE_COOKIE)) {
            (Some(org), None) => state
                .store
                .find_org_by_id(org)
                .await
                .ok()
                .flatten()
                .map(|o| o.language),
            _ => None,
        };
        // Whoever signed in with a password someone else chose replaces it before anything else.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(&parts.uri, |o| &o.0)
            .path();
        if user.password_change_due && !matches!(path, "/ui/password" | "/ui/logout") {
            return Err(Redirect::to("/ui/password").into_response());
        }
        // Then the second factor: given before anything else, and added first where the
        // person's role or program requires one.
        if !session.second_factor_passed {
            if !matches!(path, "/ui/second-factor" | "/ui/logout") {
                return Err(Redirect::to("/ui/second-factor").into_response());
            }
        } else if !(path == "/ui/security"
            || path.starts_with("/ui/security/")
            || matches!(path, "/ui/password" | "/ui/logout"))
        {
            match state.store.factor_standing(&user).await {
                Ok(standing) if standing.required && !standing.enrolled => {
                    return Err(Redirect::to("/ui/security").into_response());
                }
                Ok(_) => {}
                Err(e) => {
                    let words = Words {
                        language: language_of(parts, None),
                    };
                    return Err(Failure {
                        words,
                        viewer: None,
                        error: e.into(),
                    }
                    .into_response());
                }
            }
        }
        Ok(Viewer {
            words: Words {
                language: language_of(parts, org_language.as_deref()),
            },
            user,
            csrf: session.csrf,
            session: digest,
        })
    }
}

/// A submitted form from a signed-in person: refused unless it carries the session's CSRF
/// token and comes from forewarn's own pages.
pub struct Posted<T> {
    pub viewer: Viewer,
    pub form: T,
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Posted<T>, Response> {
        let (mut parts, body) = request.into_parts();
        let limit = parts
            .extensions
            .get::<crate::extract::BodyLimit>()
            .map_or(0, |l| l.0);
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let cross_site = cross_site(&parts.headers);
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| viewer.fail(ApiError::TooLarge(limit)).into_response())?;
        let token: Token = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            viewer
                .fail(ApiError::BadRequest(e.to_string()))
                .into_response()
        })?;
        if cross_site || !auth::constant_time_eq(token.csrf.as_bytes(), viewer.csrf.as_bytes()) {
            return Err(viewer.fail(ApiError::Csrf).into_response());
        }
        match serde_urlencoded::from_bytes(&bytes) {
            Ok(form) => Ok(Posted { viewer, form }),
            Err(e) => Err(viewer
                .fail(ApiError::invalid(
                    "the form is not complete",
                    vec![e.to_string()],
                ))
                .into_response()),
        }
    }
}

/// Whether the browser says the request comes from another site's page.
fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
}

/// A form with nothing in it but its CSRF token.
#[derive(Deserialize)]
pub struct Nothing {}

/// Why a page could not be shown or a change not made, answered as a page.
pub struct Failure {
    pub words: Words,
    /// Who was signed in, for the page's header.
    pub viewer: Option<Box<Viewer>>,
    pub error: ApiError,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let w = self.words;
        if let Some(cause) = self.error.cause() {
            tracing::error!(error = cause, "a page failed");
        }
        let (title, text, details): (String, String, Vec<String>) = match &self.error {
            ApiError::NotFound => (w.t("ui-error-not-found"), String::new(), vec![]),
            ApiError::Forbidden
            | ApiError::PasswordChangeDue
            | ApiError::SecondFactorDue
            | ApiError::SecondFactorEnrolmentDue => {
                (w.t("ui-error-forbidden"), String::new(), vec![])
            }
            ApiError::Csrf => (w.t("ui-error-csrf"), String::new(), vec![]),
            ApiError::Unauthorized => (w.t("ui-error-sign-in"), String::new(), vec![]),
            ApiError::TooManyRequests(_) => (w.t("ui-error-too-many"), String::new(), vec![]),
            ApiError::Unprocessable(message, details) => {
                (w.t("ui-error-not-done"), message.clone(), details.clone())
            }
            ApiError::Conflict(message) | ApiError::BadRequest(message) => {
                (w.t("ui-error-not-done"), message.clone(), vec![])
            }
            ApiError::TooLarge(_) => (w.t("ui-error-not-done"), self.error.to_string(), vec![]),
            ApiError::Upstream(message) => (w.t("ui-error-upstream"), message.clone(), vec![]),
            _ => (w.t("ui-error-internal"), String::new(), vec![]),
        };
        let body = html! {
            div.notice.error role="alert" {
                @if !text.is_empty() { p { (text) } }
                @if !details.is_empty() { ul { @for d in &details { li { (d) } } } }
            }
            p { a href="/ui" { (w.t("ui-back-home")) } }
        };
        let mut response = page(w, self.viewer.as_deref(), &title, body);
        *response.status_mut() = self.error.status();
        response
    }
}

impl From<(Words, ApiError)> for Failure {
    fn from((words, error): (Words, ApiError)) -> Failure {
        Failure {
            words,
            viewer: None,
            error,
        }
    }
}

pub type Answer = Result<Response, Failure>;

/// Maps an API result into a page's, in the viewer's words.
pub trait OrFail<T> {
    fn or_fail(self, viewer: &Viewer) -> Result<T, Failure>;
}

impl<T, E: Into<ApiError>> OrFail<T> for Result<T, E> {
    fn or_fail(self, viewer: &Viewer) -> Result<T, Failure> {
        self.map_err(|e| viewer.fail(e.into()))
    }
}

/// After a change, back to a page (303, so a reload does not post again).
pub fn back_to(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// Percent-encodes a value for a query string.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The hidden field every form of a signed-in person carries.
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(viewer.csrf); }
}

/// A one-button form that posts to `action`.
pub fn button(viewer: &Viewer, action: &str, label: &str, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(viewer))
            button type="submit" class=(class) { (label) }
        }
    }
}

/// The links in the header for a role.
fn navigation(viewer: &Viewer) -> Vec<(String, String)> {
    let w = viewer.words;
    let mut links = Vec::new();
    match (viewer.role(), &viewer.user.org_id) {
        (Role::Operator, _) => {
            links.push(("/ui/dashboard".to_owned(), w.t("ui-nav-dashboard")));
            links.push(("/ui/orgs".to_owned(), w.t("ui-nav-organizations")));
            links.push(("/ui/programs".to_owned(), w.t("ui-programs")));
            links.push(("/ui/triage".to_owned(), w.t("ui-nav-triage")));
            links.push(("/ui/intel".to_owned(), w.t("ui-nav-intel")));
            links.push(("/ui/dead-letters".to_owned(), w.t("ui-nav-dead-letters")));
        }
        (Role::Analyst, _) => {
            links.push(("/ui/triage".to_owned(), w.t("ui-nav-triage")));
            links.push(("/ui/orgs".to_owned(), w.t("ui-nav-organizations")));
            links.push(("/ui/intel".to_owned(), w.t("ui-nav-intel")));
        }
        (Role::OrgAdmin, Some(org)) => {
            links.push((format!("/ui/orgs/{org}"), w.t("ui-nav-organization")));
            links.push((format!("/ui/orgs/{org}/incidents"), w.t("ui-nav-incidents")));
            links.push((format!("/ui/orgs/{org}/people"), w.t("ui-nav-people")));
            links.push((format!("/ui/orgs/{org}/accounts"), w.t("ui-nav-accounts")));
        }
        (Role::Member, Some(org)) => {
            links.push((format!("/ui/orgs/{org}/accounts"), w.t("ui-nav-accounts")));
        }
        _ => {}
    }
    links.push(("/ui/guidance".to_owned(), w.t("ui-nav-guidance")));
    links.push(("/ui/security".to_owned(), w.t("ui-security")));
    links.push(("/ui/password".to_owned(), w.t("ui-change-password")));
    links
}

/// A whole page: the header (navigation, languages, signing out), `body`, and the headers
/// every page carries.
pub fn page(words: Words, viewer: Option<&Viewer>, title: &str, body: Markup) -> Response {
    let language = words.language;
    let markup = html! {
        (DOCTYPE)
        html lang=(language.code) dir=(if language.right_to_left { "rtl" } else { "ltr" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · forewarn" }
                link rel="stylesheet" href="/ui/assets/forewarn.css";
            }
            body {
                a.skip href="#main" { (words.t("ui-skip")) }
                header.top {
                    a.brand href="/ui" { "forewarn" }
                    @if let Some(viewer) = viewer {
                        nav aria-label=(words.t("ui-nav-label")) {
                            ul { @for (href, label) in navigation(viewer) { li { a href=(href) { (label) } } } }
                        }
                        form.inline.signout method="post" action="/ui/logout" {
                            (csrf_field(viewer))
                            button.link type="submit" { (words.t("ui-sign-out")) }
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
                footer {
                    nav aria-label=(words.t("ui-language")) {
                        ul.languages {
                            @for l in forewarn_l10n::LANGUAGES {
                                li { a href={ "/ui/language?lang=" (l.code) } lang=(l.code) aria-current=[(l.code == language.code).then_some("true")] { (l.name) } }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut response = markup.into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    response
}

/// A [`page`] that runs forewarn's one script (passkeys need the browser's WebAuthn API):
/// its own file only, nothing inline.
pub fn page_with_script(
    words: Words,
    viewer: Option<&Viewer>,
    title: &str,
    body: Markup,
) -> Response {
    let mut response = page(words, viewer, title, body);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    response
}

/// A date and time as the pages show it: UTC, to the minute.
pub fn when(at: &chrono::DateTime<chrono::Utc>) -> Markup {
    html! { time datetime=(at.to_rfc3339()) { (at.format("%Y-%m-%d %H:%M UTC")) } }
}

/// Where a person starts: the page their role works on most.
async fn home(viewer: Viewer) -> Response {
    let path = match (viewer.role(), &viewer.user.org_id) {
        (Role::Operator, _) => "/ui/dashboard".to_owned(),
        (Role::Analyst, _) => "/ui/triage".to_owned(),
        (Role::OrgAdmin, Some(org)) => format!("/ui/orgs/{org}"),
        (Role::Member, Some(org)) => format!("/ui/orgs/{org}/accounts"),
        _ => "/ui/guidance".to_owned(),
    };
    back_to(&path)
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
    /// Set after a password change, which ended the session.
    changed: Option<String>,
}

/// Only paths inside the UI are followed after signing in, never another site.
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with("/ui") && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/ui")
}

async fn login_page(
    visitor: Visitor,
    axum::extract::Query(next): axum::extract::Query<Next>,
) -> Response {
    let changed = next.changed.is_some();
    login_form(visitor.words, next.next.as_deref(), None, changed)
}

fn login_form(
    words: Words,
    next: Option<&str>,
    failed: Option<String>,
    password_changed: bool,
) -> Response {
    let w = words;
    let body = html! {
        @if password_changed { div.notice role="status" { p { (w.t("ui-password-changed")) } } }
        @if let Some(failed) = failed { div.notice.error role="alert" { p { (failed) } } }
        form.stack method="post" action="/ui/login" {
            input type="hidden" name="next" value=(safe_next(next));
            label { (w.t("ui-email")) input type="email" name="email" required autocomplete="username"; }
            label { (w.t("ui-password")) input type="password" name="password" required autocomplete="current-password"; }
            button type="submit" { (w.t("ui-sign-in")) }
        }
        p { (w.t("ui-login-apply")) " " a href="/ui/apply" { (w.t("ui-apply-link")) } }
    };
    page(w, None, &w.t("ui-sign-in"), body)
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(client): Client,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let w = visitor.words;
    // Another site may not sign a browser in to an account of its choosing.
    if cross_site(&headers) {
        return Failure::from((w, ApiError::Csrf)).into_response();
    }
    let credentials = crate::service::session::Credentials {
        email: form.email,
        password: form.password,
    };
    match crate::service::session::start(&state, client, &credentials).await {
        Ok(started) => {
            use crate::service::second_factor::SecondFactorStep;
            let mut response = match started.second_factor {
                SecondFactorStep::Due => back_to(&format!(
                    "/ui/second-factor?next={}",
                    url_encode(safe_next(form.next.as_deref()))
                )),
                SecondFactorStep::EnrolmentDue => back_to("/ui/security"),
                SecondFactorStep::Passed => back_to(safe_next(form.next.as_deref())),
            };
            response
                .headers_mut()
                .insert(header::SET_COOKIE, started.cookie);
            response
        }
        Err(ApiError::Unauthorized) => {
            let mut response =
                login_form(w, form.next.as_deref(), Some(w.t("ui-login-failed")), false);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(error) => Failure::from((w, error)).into_response(),
    }
}

async fn logout(State(state): State<AppState>, posted: Posted<Nothing>) -> Answer {
    let viewer = posted.viewer;
    state
        .store
        .delete_session(&viewer.session)
        .await
        .or_fail(&viewer)?;
    let mut response = back_to("/ui/login");
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(crate::service::session::ENDED),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

/// The form a person changes their password with; the only page for someone still holding a
/// one-time password.
async fn password_page(viewer: Viewer) -> Response {
    password_form(&viewer, None)
}

fn password_form(viewer: &Viewer, refused: Option<&ApiError>) -> Response {
    let w = viewer.words;
    let body = html! {
        @if viewer.user.password_change_due { div.notice role="status" { p { (w.t("ui-password-change-due")) } } }
        @if let Some(ApiError::Unprocessable(message, details)) = refused {
            div.notice.error role="alert" { p { (message) } ul { @for d in details { li { (d) } } } }
        }
        form.stack method="post" action="/ui/password" {
            (csrf_field(viewer))
            label { (w.t("ui-current-password")) input type="password" name="current" required autocomplete="current-password"; }
            label { (w.t("ui-new-password")) input type="password" name="new" required minlength="12" autocomplete="new-password" aria-describedby="new-password-hint"; }
            p #new-password-hint .hint { (w.t("ui-new-password-hint")) }
            button type="submit" { (w.t("ui-change-password")) }
        }
    };
    page(w, Some(viewer), &w.t("ui-change-password"), body)
}

/// Changes the password; every session ends, this one too, so the person signs in again.
async fn password_submit(
    State(state): State<AppState>,
    Client(client): Client,
    posted: Posted<PasswordForm>,
) -> Answer {
    let viewer = posted.viewer;
    let change = crate::service::session::PasswordChange {
        current: posted.form.current,
        new: posted.form.new,
    };
    match crate::service::session::change_password(&state, client, &viewer.caller(), change).await {
        Ok(()) => {
            let mut response = back_to("/ui/login?changed=1");
            response.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_static(crate::service::session::ENDED),
            );
            Ok(response)
        }
        Err(refused @ ApiError::Unprocessable(..)) => {
            let mut response = password_form(&viewer, Some(&refused));
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(error) => Err(viewer.fail(error)),
    }
}

#[derive(Deserialize)]
struct LanguageChoice {
    lang: String,
}

/// Remembers a language for this browser, then shows the home page in it.
async fn choose_language(
    axum::extract::Query(choice): axum::extract::Query<LanguageChoice>,
) -> Response {
    let language = catalogs().language(&choice.lang);
    let mut response = back_to("/ui");
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000",
        language.code
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Whether the viewer may see this organization's pages at all; another organization's are
/// answered as not found, as the API does.
pub async fn visible_org(
    state: &AppState,
    viewer: &Viewer,
    org: &str,
) -> Result<forewarn_store::Organization, Failure> {
    crate::service::visible_org(state, &viewer.caller(), &OrgId(org.to_owned()))
        .await
        .or_fail(viewer)
}

//! Managed feeds in the web UI: analysts see how each stands (last read, error, indicators by
//! kind, rejections); operators add, pause, resume and delete them. Every change goes through
//! the service, with its validation and audit log.

use axum::extract::State;
use forewarn_store::{Feed, FeedKind, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::{back_to, csrf_field, page, when, Answer, OrFail, Posted, Viewer, Words};
use crate::extract::Path;
use crate::service::feeds::{self, FeedCredentials, FeedInput};
use crate::AppState;

const KINDS: [FeedKind; 4] = [
    FeedKind::Taxii,
    FeedKind::Url,
    FeedKind::MispFeed,
    FeedKind::File,
];

pub async fn feeds_page(State(state): State<AppState>, viewer: Viewer) -> Answer {
    let feeds = feeds::list_feeds(&state, &viewer.caller())
        .await
        .or_fail(&viewer)?;
    let w = viewer.words;
    let manages = viewer.role() == Role::Operator;
    let body = html! {
        p.muted { (w.t("ui-feeds-intro")) }
        @if feeds.is_empty() { p { (w.t("ui-feeds-none")) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (w.t("ui-name")) } th { (w.t("ui-kind")) } th { (w.t("ui-status")) }
                    th { (w.t("ui-feed-last-read")) } th { (w.t("ui-indicators")) }
                    @if manages { th {} }
                } }
                tbody { @for feed in &feeds { (row(&viewer, w, feed, manages)) } }
            } }
        }
        @if manages {
            h2 { (w.t("ui-feed-new")) }
            (new_feed_form(&viewer))
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-managed-feeds"), body))
}

fn row(viewer: &Viewer, w: Words, feed: &Feed, manages: bool) -> Markup {
    let indicators: Vec<String> = feed
        .indicators
        .iter()
        .map(|(kind, count)| format!("{kind}: {count}"))
        .collect();
    html! {
        tr id={ "feed-" (feed.id.0) } {
            td { (feed.name) br; span.mono.muted { (feed.location) } }
            td { (feed.kind.as_str()) }
            td {
                @if feed.paused { (w.t("ui-feed-paused")) } @else { (w.t("ui-feed-active")) }
                @if let Some(error) = &feed.last_error { br; span.error { (w.t("ui-feed-error")) ": " (error) } }
            }
            td { @match &feed.last_success_at { Some(at) => (when(at)), None => (w.t("ui-never")) } }
            td {
                @if indicators.is_empty() { "—" } @else { (indicators.join(", ")) }
                @if !feed.rejected.is_empty() {
                    details { summary { (w.t("ui-rejected")) " (" (feed.rejected.len()) ")" }
                        ul { @for reason in &feed.rejected { li.mono { (reason) } } } }
                }
            }
            @if manages { td {
                form.inline method="post" action={ "/ui/feeds/" (feed.id.0) "/pause" } {
                    (csrf_field(viewer))
                    input type="hidden" name="paused" value=(if feed.paused { "false" } else { "true" });
                    button type="submit" { (if feed.paused { w.t("ui-feed-resume") } else { w.t("ui-feed-pause") }) }
                }
                form.inline method="post" action={ "/ui/feeds/" (feed.id.0) "/delete" } {
                    (csrf_field(viewer))
                    button.danger type="submit" { (w.t("ui-remove")) }
                }
            } }
        }
    }
}

fn new_feed_form(viewer: &Viewer) -> Markup {
    let w = viewer.words;
    html! {
        form.stack method="post" action="/ui/feeds" {
            (csrf_field(viewer))
            label for="feed-name" { (w.t("ui-name")) }
            input #feed-name name="name" required maxlength="200";
            label for="feed-kind" { (w.t("ui-kind")) }
            select #feed-kind name="kind" { @for kind in KINDS { option value=(kind.as_str()) { (kind.as_str()) } } }
            label for="feed-location" { (w.t("ui-feed-location")) }
            input #feed-location name="location" type="url" required maxlength="2000" placeholder="https://";
            label for="feed-every" { (w.t("ui-feed-every")) }
            input #feed-every name="every_minutes" type="number" min="5" max="10080" value="60";
            label for="feed-tlp" { "TLP" }
            select #feed-tlp name="tlp" {
                @for tlp in ["clear", "green", "amber", "amber+strict", "red"] {
                    option value=(tlp) selected[tlp == "amber"] { (tlp.to_uppercase()) }
                }
            }
            label for="feed-confidence" { (w.t("ui-confidence")) }
            input #feed-confidence name="confidence" type="number" min="0" max="100" value="50";
            p.muted { (w.t("ui-feed-credentials-note")) }
            label for="feed-user" { (w.t("ui-feed-user")) }
            input #feed-user name="user" autocomplete="off" maxlength="4096";
            label for="feed-password" { (w.t("ui-password")) }
            input #feed-password name="password" type="password" autocomplete="new-password" maxlength="4096";
            label for="feed-token" { (w.t("ui-feed-token")) }
            input #feed-token name="token" type="password" autocomplete="off" maxlength="4096";
            button type="submit" { (w.t("ui-add")) }
        }
    }
}

#[derive(Deserialize)]
pub struct NewFeedForm {
    name: String,
    kind: FeedKind,
    location: String,
    every_minutes: i64,
    tlp: String,
    confidence: i64,
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
}

pub async fn add(State(state): State<AppState>, posted: Posted<NewFeedForm>) -> Answer {
    let viewer = posted.viewer;
    let form = posted.form;
    let some = |text: String| Some(text).filter(|t| !t.is_empty());
    let credentials = match (some(form.user), some(form.password), some(form.token)) {
        (None, None, None) => None,
        (user, password, token) => Some(Some(FeedCredentials {
            user,
            password,
            token,
        })),
    };
    let input = FeedInput {
        name: form.name,
        kind: form.kind,
        location: form.location,
        credentials,
        every_minutes: Some(form.every_minutes),
        tlp: Some(form.tlp),
        confidence: Some(form.confidence),
        paused: false,
    };
    let feed = feeds::add_feed(&state, &viewer.caller(), input)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&format!("/ui/feeds#feed-{}", feed.id.0)))
}

#[derive(Deserialize)]
pub struct PauseForm {
    paused: bool,
}

pub async fn pause(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<PauseForm>,
) -> Answer {
    let viewer = posted.viewer;
    let feed = feeds::set_paused(&state, &viewer.caller(), id, posted.form.paused)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&format!("/ui/feeds#feed-{}", feed.id.0)))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    feeds::delete_feed(&state, &viewer.caller(), id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to("/ui/feeds"))
}

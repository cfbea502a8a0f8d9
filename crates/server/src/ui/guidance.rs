//! Guidance anyone can read, signed in or not: the playbook for each kind of threat (the same
//! steps the alerts give) and advice on multi-factor sign-in, recognizing phishing and
//! reporting suspicious mail.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use forewarn_l10n::PLAYBOOKS;
use maud::html;

use super::{catalogs, page, Answer, Failure, Viewer, Visitor, Words};
use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;

/// The advice pages, each `advice-<topic>-title` and paragraphs `advice-<topic>-1`, `-2`, ….
pub const ADVICE: &[&str] = &["mfa-passkeys", "recognizing-phishing", "reporting-mail"];

/// A reader who may or may not be signed in.
pub struct Reader {
    viewer: Option<Viewer>,
    words: Words,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Reader, std::convert::Infallible> {
        match Viewer::from_request_parts(parts, state).await {
            Ok(viewer) => Ok(Reader {
                words: viewer.words,
                viewer: Some(viewer),
            }),
            Err(_) => {
                let Ok(visitor) = Visitor::from_request_parts(parts, state).await;
                Ok(Reader {
                    words: visitor.words,
                    viewer: None,
                })
            }
        }
    }
}

pub async fn index(reader: Reader) -> Answer {
    let w = reader.words;
    let body = html! {
        p { (w.t("ui-guidance-intro")) }
        h2 { (w.t("ui-guidance-playbooks")) }
        ul { @for kind in PLAYBOOKS { li { a href={ "/ui/guidance/" (kind) } { (capitalized(&w.word("kind", kind))) } } } }
        h2 { (w.t("ui-guidance-advice")) }
        ul { @for topic in ADVICE { li { a href={ "/ui/guidance/" (topic) } { (w.t(&format!("advice-{topic}-title"))) } } } }
    };
    Ok(page(
        w,
        reader.viewer.as_ref(),
        &w.t("ui-nav-guidance"),
        body,
    ))
}

pub async fn topic(_: State<AppState>, reader: Reader, Path(topic): Path<String>) -> Answer {
    let w = reader.words;
    let code = w.language.code;
    let (title, body) = if PLAYBOOKS.contains(&topic.as_str()) {
        let steps = catalogs().playbook(code, &topic);
        (
            capitalized(&w.word("kind", &topic)),
            html! {
                p { (w.t("ui-guidance-playbook-intro")) }
                ol.steps { @for step in &steps { li { (step) } } }
            },
        )
    } else if ADVICE.contains(&topic.as_str()) {
        let paragraphs: Vec<String> = (1..)
            .map(|n| format!("advice-{topic}-{n}"))
            .take_while(|id| catalogs().has("en", id))
            .map(|id| w.t(&id))
            .collect();
        (
            w.t(&format!("advice-{topic}-title")),
            html! { @for p in &paragraphs { p { (p) } } },
        )
    } else {
        return Err(Failure {
            words: w,
            viewer: reader.viewer.map(Box::new),
            error: ApiError::NotFound,
        });
    };
    let body = html! {
        (body)
        p { a href="/ui/guidance" { (w.t("ui-nav-guidance")) } }
    };
    Ok(page(w, reader.viewer.as_ref(), &title, body))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

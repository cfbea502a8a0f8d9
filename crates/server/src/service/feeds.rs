//! Threat-intel feeds the operator manages: TAXII 2.1 collections and documents at a URL
//! (STIX bundles, MISP events, CSV and plain lists), each read on its schedule. Operators add,
//! edit, pause and delete them; analysts read them. Credentials are taken, sealed and never
//! shown again; every URL is checked by the same guard as webhooks (`[feeds] allow_private`).

use forewarn_intel::Tlp;
use forewarn_notify::destination::Destination;
use forewarn_store::{Feed, FeedId, FeedKind, NewFeed, Role};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

const READERS: &[Role] = &[Role::Operator, Role::Analyst];
const MANAGERS: &[Role] = &[Role::Operator];

/// How forewarn signs in to a feed's server: a user and password (HTTP Basic), or a bearer
/// token. Taken once, stored sealed, never shown again.
#[derive(Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedCredentials {
    /// With `password`: HTTP Basic.
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Alone: `Authorization: Bearer <token>`.
    #[serde(default)]
    pub token: Option<String>,
}

impl std::fmt::Debug for FeedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedCredentials(…)")
    }
}

impl FeedCredentials {
    /// Reads stored credentials back for a fetch; stored credentials that cannot be read are
    /// the feed's error, never a read without them.
    pub fn read(stored: &str) -> Result<forewarn_feeds::Credentials, String> {
        let credentials: FeedCredentials = serde_json::from_str(stored)
            .map_err(|_| "the stored credentials cannot be read; set them again".to_owned())?;
        Ok(match credentials {
            FeedCredentials {
                token: Some(token), ..
            } => forewarn_feeds::Credentials::Bearer(token),
            FeedCredentials {
                user: Some(user),
                password,
                ..
            } => forewarn_feeds::Credentials::Basic {
                user,
                password: password.unwrap_or_default(),
            },
            _ => forewarn_feeds::Credentials::None,
        })
    }

    fn check(&self) -> Result<String, String> {
        let field = |name: &str, value: &str| {
            if value.is_empty() || value.len() > 4096 || value.chars().any(char::is_control) {
                Err(format!(
                    "credentials.{name} must be 1 to 4096 characters without control characters"
                ))
            } else {
                Ok(())
            }
        };
        match (&self.user, &self.password, &self.token) {
            (None, None, Some(token)) => field("token", token)?,
            (Some(user), Some(password), None) => {
                field("user", user)?;
                field("password", password)?;
                if user.contains(':') {
                    return Err("credentials.user cannot contain ':'".into());
                }
            }
            _ => {
                return Err(
                    "credentials take either user and password, or token, and nothing else".into(),
                )
            }
        }
        serde_json::to_string(self).map_err(|e| e.to_string())
    }
}

/// A feed as the operator describes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedInput {
    /// What the feed is called; matches name it as their source.
    pub name: String,
    /// `taxii` (a TAXII 2.1 collection), `url` (a STIX bundle, MISP event, CSV or list) or
    /// `misp-feed` (a MISP feed directory: `manifest.json` and its events).
    pub kind: FeedKind,
    /// The collection's URL (`https://…/api-root/collections/<id>/`), the document's, or the
    /// MISP feed's directory (`https://…/feed/`).
    pub location: String,
    /// Taken once and stored sealed; on an edit, absent keeps what is stored and `null`
    /// removes it.
    #[serde(default, deserialize_with = "present")]
    pub credentials: Option<Option<FeedCredentials>>,
    /// How often it is read, in minutes (5 to 10,080, a week); 60 by default.
    #[serde(default)]
    pub every_minutes: Option<i64>,
    /// The TLP its indicators get when they carry none: `clear`, `green`, `amber`,
    /// `amber+strict` or `red` (TLP 1.0's `white` reads as `clear`); `amber` by default.
    #[serde(default)]
    pub tlp: Option<String>,
    /// The confidence (0–100) its indicators get when they state none; 50 by default.
    #[serde(default)]
    pub confidence: Option<i64>,
    /// A paused feed is not read and keeps its indicators.
    #[serde(default)]
    pub paused: bool,
}

/// `Some(None)` for an explicit `null`, so an edit can remove credentials.
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<FeedCredentials>>, D::Error> {
    Option::<FeedCredentials>::deserialize(deserializer).map(Some)
}

/// A file feed's location: a path relative to `feeds.files_dir`, which must be set, that
/// stays under it (no `..`, not absolute).
fn file_location(state: &AppState, location: &str) -> Result<String, String> {
    if state.config.feeds.files_dir.is_none() {
        return Err(
            "location: file feeds are read from feeds.files_dir, which the configuration does not set"
                .to_owned(),
        );
    }
    let path = std::path::Path::new(location.trim());
    let plain = path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if location.trim().is_empty() || !plain || location.chars().any(char::is_control) {
        return Err(
            "location must be a path under feeds.files_dir, without .. and not absolute".to_owned(),
        );
    }
    Ok(location.trim().to_owned())
}

fn check(state: &AppState, input: FeedInput) -> Result<NewFeed, ApiError> {
    let mut reasons = Reasons::default();
    let name = reasons.check(validate::text("name", &input.name, 200));
    let location = reasons.check(if input.location.len() > 2000 {
        Err("location is longer than 2000 characters".to_owned())
    } else if input.kind == forewarn_store::FeedKind::File {
        file_location(state, &input.location)
    } else {
        Destination::parse(&input.location, state.config.feeds.policy())
            .map(|d| d.url.to_string())
            .map_err(|refusal| format!("location: {refusal}"))
    });
    let credentials = match &input.credentials {
        None => None,
        Some(None) => Some(String::new()),
        Some(Some(credentials)) => reasons.check(credentials.check()),
    };
    let every_minutes = input.every_minutes.unwrap_or(60);
    if !(5..=10_080).contains(&every_minutes) {
        reasons
            .0
            .push("every_minutes must be between 5 and 10080 (a week)".into());
    }
    let tlp = input.tlp.as_deref().unwrap_or("amber");
    let tlp = reasons.check(
        Tlp::parse(tlp)
            .map(Tlp::label)
            .ok_or_else(|| "tlp must be clear, green, amber, amber+strict or red".to_owned()),
    );
    let confidence = input.confidence.unwrap_or(50);
    if !(0..=100).contains(&confidence) {
        reasons
            .0
            .push("confidence must be between 0 and 100".into());
    }
    reasons.into_result("the feed is not valid")?;
    let (Some(name), Some(location), Some(tlp)) = (name, location, tlp) else {
        unreachable!("checked above");
    };
    Ok(NewFeed {
        name,
        kind: input.kind,
        location,
        credentials,
        every_minutes,
        tlp: tlp.to_owned(),
        confidence,
        paused: input.paused,
    })
}

pub async fn list_feeds(state: &AppState, caller: &Caller) -> Result<Vec<Feed>, ApiError> {
    caller.require(READERS)?;
    Ok(state.store.feeds().await?)
}

/// The feed, if there is one: a missing one is answered as missing whoever asks, as
/// everywhere else.
async fn existing(state: &AppState, id: String) -> Result<Feed, ApiError> {
    state
        .store
        .find_feed(&FeedId(id))
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn get_feed(state: &AppState, caller: &Caller, id: String) -> Result<Feed, ApiError> {
    let feed = existing(state, id).await?;
    caller.require(READERS)?;
    Ok(feed)
}

pub async fn add_feed(
    state: &AppState,
    caller: &Caller,
    input: FeedInput,
) -> Result<Feed, ApiError> {
    caller.require(MANAGERS)?;
    let new = check(state, input)?;
    let feed = state.store.insert_feed(&caller.actor(), &new).await?;
    state.feeds_due.notify_one();
    Ok(feed)
}

pub async fn update_feed(
    state: &AppState,
    caller: &Caller,
    id: String,
    input: FeedInput,
) -> Result<Feed, ApiError> {
    let feed = existing(state, id).await?;
    caller.require(MANAGERS)?;
    let new = check(state, input)?;
    let feed = state
        .store
        .update_feed(&caller.actor(), &feed.id, &new)
        .await?
        .ok_or(ApiError::NotFound)?;
    state.feeds_due.notify_one();
    Ok(feed)
}

pub async fn delete_feed(state: &AppState, caller: &Caller, id: String) -> Result<(), ApiError> {
    let feed = existing(state, id).await?;
    caller.require(MANAGERS)?;
    if state.store.delete_feed(&caller.actor(), &feed.id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Pauses or resumes a feed, keeping everything else; a resumed feed is read at once.
pub async fn set_paused(
    state: &AppState,
    caller: &Caller,
    id: String,
    paused: bool,
) -> Result<Feed, ApiError> {
    let feed = existing(state, id).await?;
    caller.require(MANAGERS)?;
    let same = NewFeed {
        name: feed.name.clone(),
        kind: feed.kind,
        location: feed.location.clone(),
        credentials: None,
        every_minutes: feed.every_minutes,
        tlp: feed.tlp.clone(),
        confidence: feed.confidence,
        paused,
    };
    let feed = state
        .store
        .update_feed(&caller.actor(), &feed.id, &same)
        .await?
        .ok_or(ApiError::NotFound)?;
    state.feeds_due.notify_one();
    Ok(feed)
}

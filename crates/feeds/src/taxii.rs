//! A TAXII 2.1 client: discovery, API roots, collections, and a collection's objects read page
//! by page.
//!
//! A pull asks for the objects added after the stored [`Position`] and follows the server's
//! pages. Each [`Page`] carries the position to store *after* its objects are stored; a pull
//! that stops anywhere (a crash, a restart) resumes from the last stored position without
//! losing an object or handing one over twice.
//!
//! Servers page in ways that differ from the specification, and the pull survives them:
//! - `next` is followed with the original query (the same `added_after` and `limit`), as
//!   servers that compare the query with the one that began the paging require;
//! - when `more` is true and there is no `next`, the pull continues from the page's
//!   `X-TAXII-Date-Added-Last`;
//! - the pull always asks for what was added from the stored time on (`added_after` one
//!   microsecond earlier) and drops what it already handed over at that time, so a server
//!   that reads `added_after` as inclusive, or a page that ended in the middle of many objects
//!   sharing one timestamp, neither repeats nor loses objects;
//! - a server that keeps answering with nothing new (the same objects, the same `next`, or
//!   more objects at one timestamp than it will put on a page) ends the pull with a
//!   [`FetchError::Paging`] after a bounded number of pages, never an endless loop.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::http::{Credentials, FetchError, Fetched, Fetcher};

/// The media type of every TAXII 2.1 answer, and what forewarn accepts.
pub const MEDIA_TYPE: &str = "application/taxii+json;version=2.1";

/// Objects remembered as handed over at the stored timestamp, at most. More objects than this
/// sharing one `date_added` end the pull with an error rather than memory without bound.
const MAX_SEEN: usize = 100_000;

/// A server's discovery resource.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Discovery {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub api_roots: Vec<String>,
}

/// An API root's information.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct ApiRoot {
    pub title: String,
    #[serde(default)]
    pub versions: Vec<String>,
    #[serde(default)]
    pub max_content_length: Option<u64>,
}

/// One collection as its API root lists it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Collection {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub can_read: bool,
    pub can_write: bool,
    #[serde(default)]
    pub media_types: Vec<String>,
}

#[derive(Deserialize)]
struct Collections {
    #[serde(default)]
    collections: Vec<Collection>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    more: bool,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    objects: Vec<Value>,
}

/// How far a collection has been read: the last `X-TAXII-Date-Added-Last` a stored page
/// carried, and the objects already handed over at or around that time. Stored as JSON by the
/// caller, next to the objects.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Position {
    /// The server's `date_added` of the last object read, as the server wrote it.
    #[serde(default)]
    pub added_after: Option<String>,
    /// `id|version` of the objects read since that timestamp was first seen.
    #[serde(default)]
    pub seen: BTreeSet<String>,
}

impl Position {
    /// The `added_after` to ask for: one microsecond before the stored time, so that objects
    /// sharing it that were not read yet are not skipped by a server that reads the parameter
    /// as it should (strictly after).
    fn query_after(&self) -> Option<String> {
        let stored = self.added_after.as_deref()?;
        let time = DateTime::parse_from_rfc3339(stored)
            .ok()?
            .with_timezone(&Utc);
        Some((time - Duration::microseconds(1)).to_rfc3339_opts(SecondsFormat::Micros, true))
    }
}

/// One page of a pull: the objects not handed over before, and the position to store once
/// they are stored.
#[derive(Debug)]
pub struct Page {
    pub objects: Vec<Value>,
    pub position: Position,
    /// Whether the server said there is more after this page.
    pub more: bool,
}

/// How a pull asks for pages.
#[derive(Clone, Copy, Debug)]
pub struct PullOptions {
    /// The `limit` asked for on each page.
    pub limit: usize,
    /// The largest `limit` the pull raises it to when a server without `next` keeps answering
    /// with objects already read.
    pub max_limit: usize,
    /// Pages read in one pull, at most.
    pub max_pages: usize,
}

impl Default for PullOptions {
    fn default() -> PullOptions {
        PullOptions {
            limit: 500,
            max_limit: 10_000,
            max_pages: 10_000,
        }
    }
}

/// A TAXII 2.1 server as one set of credentials sees it.
#[derive(Clone, Debug)]
pub struct Client {
    fetcher: Fetcher,
    credentials: Credentials,
}

impl Client {
    pub fn new(fetcher: Fetcher, credentials: Credentials) -> Client {
        Client {
            fetcher,
            credentials,
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &Url,
        what: &'static str,
    ) -> Result<(T, Fetched), FetchError> {
        let fetched = self.fetcher.get(url, MEDIA_TYPE, &self.credentials).await?;
        check_media_type(fetched.content_type())?;
        let value = serde_json::from_slice(&fetched.body).map_err(|e| FetchError::Malformed {
            what,
            why: e.to_string(),
        })?;
        Ok((value, fetched))
    }

    /// Reads the discovery resource at `url` (`https://…/taxii2/`); its API roots are made
    /// absolute.
    pub async fn discovery(&self, url: &Url) -> Result<Discovery, FetchError> {
        let (mut discovery, _): (Discovery, _) = self.get_json(url, "a discovery resource").await?;
        let absolute = |root: &str| {
            url.join(root)
                .map(|u| with_slash(u).to_string())
                .map_err(|e| FetchError::Malformed {
                    what: "a discovery resource",
                    why: format!("API root {root:?}: {e}"),
                })
        };
        discovery.api_roots = discovery
            .api_roots
            .iter()
            .map(|root| absolute(root))
            .collect::<Result<_, _>>()?;
        discovery.default = discovery.default.as_deref().map(absolute).transpose()?;
        Ok(discovery)
    }

    /// Reads an API root's information.
    pub async fn api_root(&self, api_root: &Url) -> Result<ApiRoot, FetchError> {
        let url = with_slash(api_root.clone());
        Ok(self.get_json(&url, "an API root").await?.0)
    }

    /// Lists an API root's collections.
    pub async fn collections(&self, api_root: &Url) -> Result<Vec<Collection>, FetchError> {
        let url = join(api_root, "collections/")?;
        let (list, _): (Collections, _) = self.get_json(&url, "a list of collections").await?;
        Ok(list.collections)
    }

    /// Starts reading the objects of the collection at `collection` (`…/collections/<id>/`)
    /// added after `position`.
    pub fn pull(
        &self,
        collection: &Url,
        position: Position,
        options: PullOptions,
    ) -> Result<Pull<'_>, FetchError> {
        Ok(Pull {
            client: self,
            objects: join(collection, "objects/")?,
            position,
            options,
            limit: options.limit.max(1),
            cursor: None,
            last_page: None,
            pages: 0,
            done: false,
        })
    }
}

/// A pull in progress; [`Pull::next_page`] until it gives `None`.
pub struct Pull<'a> {
    client: &'a Client,
    objects: Url,
    position: Position,
    options: PullOptions,
    limit: usize,
    /// The server's `next`, and the `added_after` of the query it belongs to.
    cursor: Option<(String, Option<String>)>,
    /// A digest of the last page's objects, to tell a server that repeats itself.
    last_page: Option<u64>,
    pages: usize,
    done: bool,
}

impl Pull<'_> {
    /// The next page, or `None` when the server has no more.
    pub async fn next_page(&mut self) -> Result<Option<Page>, FetchError> {
        if self.done {
            return Ok(None);
        }
        if self.pages >= self.options.max_pages {
            self.done = true;
            return Err(FetchError::Paging(format!(
                "the server still says there is more after {} pages; the pull stops here and \
                 goes on from the stored position next time",
                self.pages
            )));
        }
        self.pages += 1;
        let after = match &self.cursor {
            Some((_, after)) => after.clone(),
            None => self.position.query_after(),
        };
        let mut url = self.objects.clone();
        {
            let mut query = url.query_pairs_mut();
            if let Some(after) = &after {
                query.append_pair("added_after", after);
            }
            query.append_pair("limit", &self.limit.to_string());
            if let Some((next, _)) = &self.cursor {
                query.append_pair("next", next);
            }
        }
        let result = self
            .client
            .get_json::<Envelope>(&url, "an envelope of objects")
            .await;
        let (envelope, fetched) = match result {
            Ok(answer) => answer,
            Err(e) => {
                self.done = true;
                return Err(e);
            }
        };
        let last = fetched
            .header("x-taxii-date-added-last")
            .filter(|t| DateTime::parse_from_rfc3339(t).is_ok())
            .map(str::to_owned);

        let mut fresh = Vec::new();
        let mut keys = Vec::with_capacity(envelope.objects.len());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for object in envelope.objects {
            let key = object_key(&object);
            key.hash(&mut hasher);
            if let Some(key) = &key {
                if self.position.seen.contains(key) {
                    continue;
                }
            }
            keys.extend(key);
            fresh.push(object);
        }
        match last {
            Some(last) if self.position.added_after.as_deref() != Some(last.as_str()) => {
                if is_later(&last, self.position.added_after.as_deref()) {
                    // The objects read at the old time are asked for again only when it is
                    // the microsecond before the new one (and the server is inclusive).
                    if !adjacent(self.position.added_after.as_deref(), &last) {
                        self.position.seen.clear();
                    }
                    self.position.added_after = Some(last);
                }
                self.position.seen.extend(keys);
            }
            _ => self.position.seen.extend(keys),
        }
        if self.position.seen.len() > MAX_SEEN {
            self.done = true;
            return Err(FetchError::Paging(format!(
                "more than {MAX_SEEN} objects were added at {}; the pull cannot tell them apart",
                self.position
                    .added_after
                    .as_deref()
                    .unwrap_or("an unknown time")
            )));
        }

        let page_digest = hasher.finish();
        if !envelope.more {
            self.done = true;
        } else if let Some(next) = envelope.next.filter(|n| !n.is_empty()) {
            // Some servers keep one `next` for the whole paging, so the token alone says
            // nothing; the same page again does.
            if fresh.is_empty() && self.last_page == Some(page_digest) {
                self.done = true;
                return Err(FetchError::Paging(
                    "the server answers `next` with the same page again".into(),
                ));
            }
            self.cursor = Some((next, after));
        } else {
            // `more` without `next`: go on from the stored time; a page with nothing new
            // means more objects share that time than the server puts on a page.
            self.cursor = None;
            if fresh.is_empty() {
                if self.limit >= self.options.max_limit {
                    self.done = true;
                    return Err(FetchError::Paging(format!(
                        "the server says there is more but gives no `next`, and a page of {} \
                         objects holds nothing new",
                        self.limit
                    )));
                }
                self.limit = (self.limit * 2).min(self.options.max_limit);
            }
        }
        self.last_page = Some(page_digest);
        Ok(Some(Page {
            objects: fresh,
            position: self.position.clone(),
            more: !self.done,
        }))
    }
}

/// Whether timestamp `a` is after `b` (or `b` is unknown).
fn is_later(a: &str, b: Option<&str>) -> bool {
    let Some(b) = b else { return true };
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => false,
    }
}

/// Whether `later` is at most one microsecond after `earlier`.
fn adjacent(earlier: Option<&str>, later: &str) -> bool {
    let Some(earlier) = earlier else { return false };
    match (
        DateTime::parse_from_rfc3339(earlier),
        DateTime::parse_from_rfc3339(later),
    ) {
        (Ok(a), Ok(b)) => b - a <= Duration::microseconds(1),
        _ => false,
    }
}

/// An object's identity and version: `id|modified` (or `created`, for objects that are not
/// versioned by `modified`).
fn object_key(object: &Value) -> Option<String> {
    let id = object.get("id")?.as_str()?;
    let version = object
        .get("modified")
        .or_else(|| object.get("created"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(format!("{id}|{version}"))
}

/// Accepts `application/taxii+json`, with `version=2.1` or no version.
fn check_media_type(found: &str) -> Result<(), FetchError> {
    let mut parts = found.split(';').map(str::trim);
    let essence = parts.next().unwrap_or("").to_ascii_lowercase();
    let version_ok = parts
        .filter_map(|p| p.split_once('='))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("version"))
        .all(|(_, v)| v.trim().trim_matches('"') == "2.1");
    if essence == "application/taxii+json" && version_ok {
        Ok(())
    } else {
        Err(FetchError::MediaType {
            expected: MEDIA_TYPE.into(),
            found: found.into(),
        })
    }
}

fn with_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

fn join(base: &Url, path: &str) -> Result<Url, FetchError> {
    with_slash(base.clone())
        .join(path)
        .map_err(|e| FetchError::Malformed {
            what: "a TAXII address",
            why: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(check_media_type("application/taxii+json;version=2.1").is_ok());
        assert!(check_media_type("application/taxii+json; version=\"2.1\"").is_ok());
        assert!(check_media_type("application/taxii+json").is_ok());
        assert!(check_media_type("application/taxii+json;version=2.0").is_err());
        assert!(check_media_type("application/json").is_err());
        assert!(check_media_type("text/html; charset=utf-8").is_err());
        assert!(check_media_type("").is_err());
    }

    #[test]
    fn the_query_asks_from_just_before_the_stored_time() {
        let position = Position {
            added_after: Some("2026-12-06T10:00:00.000000Z".into()),
            seen: BTreeSet::new(),
        };
        assert_eq!(
            position.query_after().as_deref(),
            Some("2026-12-06T09:59:59.999999Z")
        );
        assert_eq!(Position::default().query_after(), None);
    }

    #[test]
    fn objects_are_known_by_id_and_version() {
        let object = serde_json::json!({"id": "indicator--1", "modified": "2026-01-01T00:00:00Z"});
        assert_eq!(
            object_key(&object).as_deref(),
            Some("indicator--1|2026-01-01T00:00:00Z")
        );
        assert_eq!(object_key(&serde_json::json!({"type": "x"})), None);
    }
}

//! A TAXII 2.1 server under `/taxii2/`: discovery, one API root, and forewarn's two collections
//! (see [`crate::sharing`]) with their objects, manifests and versions, read-only; and the same
//! indicators as a MISP feed under `/misp-feed/` (`manifest.json` and one file per event), for
//! MISP instances and other feed readers.
//!
//! Readers authenticate with forewarn's API tokens, as a bearer token or as the password of
//! HTTP Basic authentication (for clients that only know Basic). What each reader sees is
//! decided by their role: the operator's staff read TLP:CLEAR, GREEN, AMBER and AMBER+STRICT,
//! members' organizations CLEAR and GREEN; nothing marked RED is ever served.
//!
//! Pages are in the order objects were added; `next` continues a page with the same filters,
//! and `added_after` with the last page's `X-TAXII-Date-Added-Last` resumes a later read.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use forewarn_store::{Role, SharedObject, SharedQuery, Versions, MAX_FILTER_VALUES};
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

use crate::sharing::{readable, INDICATORS, SIGHTINGS};
use crate::AppState;

/// The media type of every TAXII 2.1 answer.
pub const TAXII: &str = "application/taxii+json;version=2.1";
/// The media type of the STIX objects served.
const STIX: &str = "application/stix+json;version=2.1";
/// Objects per page unless the reader asks for fewer.
const DEFAULT_LIMIT: usize = 1_000;
/// Objects per page, at most.
const MAX_LIMIT: usize = 10_000;

/// The TAXII routes, merged into the application at `/taxii2/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/taxii2/api/", get(api_root))
        .route("/taxii2/api/collections/", get(collections))
        .route("/taxii2/api/collections/{collection}/", get(collection))
        .route(
            "/taxii2/api/collections/{collection}/objects/",
            get(objects).post(read_only),
        )
        .route(
            "/taxii2/api/collections/{collection}/objects/{object_id}/",
            get(object).delete(read_only),
        )
        .route(
            "/taxii2/api/collections/{collection}/objects/{object_id}/versions/",
            get(versions),
        )
        .route(
            "/taxii2/api/collections/{collection}/manifest/",
            get(manifest),
        )
        .route("/taxii2/api/status/{status_id}/", get(no_status))
        .route("/misp-feed/manifest.json", get(misp_manifest))
        .route("/misp-feed/{file}", get(misp_event))
}

/// The MISP feed's manifest: the events a reader may see, without their attributes.
async fn misp_manifest(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    let role = token_role(&state, &headers).await?;
    let events = crate::sharing::misp_feed(&state, role).await?;
    Ok(axum::Json(crate::sharing::misp_manifest(&events)).into_response())
}

/// One event of the MISP feed, `{uuid}.json`.
async fn misp_event(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, TaxiiError> {
    let role = token_role(&state, &headers).await?;
    let missing = || TaxiiError(StatusCode::NOT_FOUND, "no such event".to_owned());
    let uuid = file.strip_suffix(".json").ok_or_else(missing)?;
    let events = crate::sharing::misp_feed(&state, role).await?;
    let event = events
        .into_iter()
        .find(|e| e["Event"]["uuid"] == uuid)
        .ok_or_else(missing)?;
    Ok(axum::Json(event).into_response())
}

/// A TAXII error message.
struct TaxiiError(StatusCode, String);

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        let TaxiiError(status, description) = self;
        let body = json!({
            "title": status.canonical_reason().unwrap_or("Error"),
            "description": description,
            "http_status": status.as_u16().to_string(),
        });
        let mut response = (status, taxii_json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"forewarn\", Basic realm=\"forewarn\""),
            );
        }
        response
    }
}

impl From<forewarn_store::Error> for TaxiiError {
    fn from(error: forewarn_store::Error) -> TaxiiError {
        tracing::warn!(%error, "a TAXII request failed");
        TaxiiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the collection could not be read".to_owned(),
        )
    }
}

fn taxii_json(body: Value) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(TAXII))],
        body.to_string(),
    )
}

/// The reader's role, from an API token given as a bearer token or a Basic password; and the
/// `Accept` header checked.
async fn reader(state: &AppState, headers: &HeaderMap) -> Result<Role, TaxiiError> {
    let role = token_role(state, headers).await?;
    if let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        let accepted = accept.split(',').any(|part| {
            let part = part.trim().to_ascii_lowercase().replace(' ', "");
            part.starts_with("application/taxii+json")
                && (!part.contains("version=") || part.contains("version=2.1"))
                || part.starts_with("*/*")
                || part.starts_with("application/*")
        });
        if !accepted {
            return Err(TaxiiError(
                StatusCode::NOT_ACCEPTABLE,
                format!("answers are {TAXII}"),
            ));
        }
    }
    Ok(role)
}

/// The role of the API token given as a bearer token or as a Basic password.
async fn token_role(state: &AppState, headers: &HeaderMap) -> Result<Role, TaxiiError> {
    let unauthorized = || {
        TaxiiError(
            StatusCode::UNAUTHORIZED,
            "an API token is needed, as a bearer token or a Basic password".to_owned(),
        )
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(unauthorized)?;
    let token = if let Some(token) = value.strip_prefix("Bearer ") {
        token.trim().to_owned()
    } else if let Some(basic) = value.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()
            .and_then(|d| String::from_utf8(d).ok())
            .ok_or_else(unauthorized)?;
        decoded
            .split_once(':')
            .map(|(_, password)| password.to_owned())
            .ok_or_else(unauthorized)?
    } else {
        return Err(unauthorized());
    };
    let user = state
        .tokens
        .authenticate(state, &token)
        .await
        .map_err(|_| unauthorized())?;
    Ok(user.role)
}

fn base(state: &AppState) -> String {
    format!("{}/taxii2/", state.config.public_url.trim_end_matches('/'))
}

async fn discovery(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    let root = format!("{}api/", base(&state));
    Ok(taxii_json(json!({
        "title": "forewarn",
        "description": "Indicators of the threats forewarn's operator tracks, and their sightings in members' mail.",
        "default": root,
        "api_roots": [root],
    }))
    .into_response())
}

async fn api_root(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    Ok(taxii_json(json!({
        "title": "forewarn",
        "versions": [TAXII],
        "max_content_length": state.config.limits.max_body_bytes,
    }))
    .into_response())
}

/// A collection's id, derived from the instance so it stays the same.
fn collection_id(state: &AppState, name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, state.config.public_url.as_bytes());
    Uuid::new_v5(&namespace, format!("taxii-collection:{name}").as_bytes()).to_string()
}

fn describe(state: &AppState, name: &str) -> Value {
    let (title, description) = match name {
        INDICATORS => (
            "Indicators",
            "The operator's indicators of known threats, with the actors, campaigns and malware they point to.",
        ),
        _ => (
            "Sightings",
            "How often each indicator was seen in member organizations' mail, and when; no organization is named.",
        ),
    };
    json!({
        "id": collection_id(state, name),
        "title": title,
        "description": description,
        "can_read": true,
        "can_write": false,
        "media_types": [STIX],
    })
}

/// The collection an id names.
fn named(state: &AppState, id: &str) -> Result<&'static str, TaxiiError> {
    [INDICATORS, SIGHTINGS]
        .into_iter()
        .find(|name| collection_id(state, name) == id)
        .ok_or_else(|| TaxiiError(StatusCode::NOT_FOUND, "no such collection".to_owned()))
}

async fn collections(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    let collections: Vec<Value> = [INDICATORS, SIGHTINGS]
        .into_iter()
        .map(|name| describe(&state, name))
        .collect();
    Ok(taxii_json(json!({ "collections": collections })).into_response())
}

async fn collection(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    let name = named(&state, &id)?;
    Ok(taxii_json(describe(&state, name)).into_response())
}

/// The filters a request may give, as they came.
fn filters(
    name: &str,
    role: Role,
    params: &HashMap<String, String>,
    object_id: Option<String>,
) -> Result<SharedQuery, TaxiiError> {
    let bad = |what: String| TaxiiError(StatusCode::BAD_REQUEST, what);
    let list = |key: &str| -> Result<Vec<String>, TaxiiError> {
        let values: Vec<String> = params
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if values.len() > MAX_FILTER_VALUES || values.iter().any(|v| v.len() > 200) {
            return Err(bad(format!(
                "{key} takes at most {MAX_FILTER_VALUES} values of at most 200 characters"
            )));
        }
        Ok(values)
    };
    let limit = match params.get("limit") {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad(format!("limit must be a positive number, not {text:?}")))?
            .min(MAX_LIMIT),
    };
    let added_after = match params.get("added_after") {
        None => None,
        Some(text) => Some(
            DateTime::parse_from_rfc3339(text)
                .map_err(|_| bad(format!("added_after is not an RFC 3339 time: {text:?}")))?
                .with_timezone(&Utc)
                .timestamp_micros(),
        ),
    };
    let after_seq = match params.get("next") {
        None => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| bad("next is not a token this server gave".to_owned()))?,
        ),
    };
    let versions = {
        let asked = list("match[version]")?;
        if asked.is_empty() || asked.iter().any(|v| v == "last") && asked.len() == 1 {
            Versions::Last
        } else if asked.iter().any(|v| v == "all") {
            Versions::All
        } else if asked.len() == 1 && asked[0] == "first" {
            Versions::First
        } else {
            for version in &asked {
                if DateTime::parse_from_rfc3339(version).is_err() {
                    return Err(bad(format!(
                        "match[version] takes last, first, all or times, not {version:?}"
                    )));
                }
            }
            Versions::Exactly(asked)
        }
    };
    let mut ids = list("match[id]")?;
    if let Some(id) = object_id {
        ids = vec![id];
    }
    let mut tlps: Vec<String> = readable(role)
        .iter()
        .map(|t| t.label().to_owned())
        .collect();
    // Every object served is STIX 2.1.
    let specs = list("match[spec_version]")?;
    if !specs.is_empty() && !specs.iter().any(|s| s == "2.1") {
        tlps.clear();
    }
    Ok(SharedQuery {
        collection: name.to_owned(),
        tlps,
        added_after,
        after_seq,
        types: list("match[type]")?,
        ids,
        versions,
        limit,
    })
}

fn stamp(micros: i64) -> String {
    Utc.timestamp_micros(micros)
        .single()
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A page with its `more`, `next` and the date-added headers.
fn page(field: &str, items: Vec<Value>, found: &[SharedObject], more: bool) -> Response {
    let mut body = serde_json::Map::new();
    if !items.is_empty() {
        body.insert("more".to_owned(), json!(more));
        if more {
            if let Some(last) = found.last() {
                body.insert("next".to_owned(), json!(last.seq.to_string()));
            }
        }
        body.insert(field.to_owned(), Value::Array(items));
    }
    let mut response = taxii_json(Value::Object(body)).into_response();
    if let (Some(first), Some(last)) = (found.first(), found.last()) {
        for (name, at) in [
            ("x-taxii-date-added-first", first.date_added),
            ("x-taxii-date-added-last", last.date_added),
        ] {
            if let Ok(value) = HeaderValue::from_str(&stamp(at)) {
                response.headers_mut().insert(name, value);
            }
        }
    }
    response
}

async fn read(
    state: &AppState,
    headers: &HeaderMap,
    collection: &str,
    params: &HashMap<String, String>,
    object_id: Option<String>,
) -> Result<(Vec<SharedObject>, bool), TaxiiError> {
    let role = reader(state, headers).await?;
    let name = named(state, collection)?;
    let query = filters(name, role, params, object_id)?;
    Ok(state.store.shared_objects(&query).await?)
}

fn bodies(found: &[SharedObject]) -> Vec<Value> {
    found
        .iter()
        .filter_map(|o| serde_json::from_str(&o.body).ok())
        .collect()
}

async fn objects(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(collection): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, TaxiiError> {
    let (found, more) = read(&state, &headers, &collection, &params, None).await?;
    Ok(page("objects", bodies(&found), &found, more))
}

async fn object(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((collection, object_id)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, TaxiiError> {
    let (found, more) = read(&state, &headers, &collection, &params, Some(object_id)).await?;
    if found.is_empty() && !params.contains_key("next") {
        return Err(TaxiiError(
            StatusCode::NOT_FOUND,
            "no such object".to_owned(),
        ));
    }
    Ok(page("objects", bodies(&found), &found, more))
}

async fn versions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((collection, object_id)): Path<(String, String)>,
    Query(mut params): Query<HashMap<String, String>>,
) -> Result<Response, TaxiiError> {
    params
        .entry("match[version]".to_owned())
        .or_insert_with(|| "all".to_owned());
    let (found, more) = read(&state, &headers, &collection, &params, Some(object_id)).await?;
    if found.is_empty() && !params.contains_key("next") {
        return Err(TaxiiError(
            StatusCode::NOT_FOUND,
            "no such object".to_owned(),
        ));
    }
    let versions = found.iter().map(|o| json!(o.version)).collect();
    Ok(page("versions", versions, &found, more))
}

async fn manifest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(collection): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, TaxiiError> {
    let (found, more) = read(&state, &headers, &collection, &params, None).await?;
    let records = found
        .iter()
        .map(|o| {
            json!({
                "id": o.object_id,
                "date_added": stamp(o.date_added),
                "version": o.version,
                "media_type": STIX,
            })
        })
        .collect();
    Ok(page("objects", records, &found, more))
}

async fn read_only(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    Err(TaxiiError(
        StatusCode::FORBIDDEN,
        "forewarn's collections are read-only".to_owned(),
    ))
}

async fn no_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, TaxiiError> {
    reader(&state, &headers).await?;
    Err(TaxiiError(
        StatusCode::NOT_FOUND,
        "nothing is added to forewarn's collections, so there is no status".to_owned(),
    ))
}

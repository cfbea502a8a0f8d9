//! Bad input to every operation the OpenAPI document lists: malformed JSON, oversized bodies,
//! the wrong content type, wrong types and unknown fields (among them injected tenant ids),
//! empty and oversized raw messages, bad paging parameters and garbage path ids. Each gets a
//! clear 4xx answer in the one error shape, and nothing changes: the audit log (every change
//! writes to it in the change's own transaction), the mail outbox and the spool stay as they
//! were.

mod common;

use common::world::{
    as_raw_message, fill, filled_body, operations, world, Caller, Operation, Target, World,
    PASSWORD,
};
use common::{spawn_app, Auth, Peers, TestApp};
use forewarn_server::auth::hash_password;
use forewarn_store::{Page, Role};
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Who may call the operation: the first role the document names.
fn caller_for(operation: &Operation) -> Caller {
    match operation.roles[0].as_str() {
        "public" => Caller::Anonymous,
        "operator" => Caller::Role(Role::Operator),
        "analyst" => Caller::Role(Role::Analyst),
        "org_admin" => Caller::Role(Role::OrgAdmin),
        "member" => Caller::Role(Role::Member),
        other => panic!("unknown role {other}"),
    }
}

/// Every way to get one field's type wrong, for each field of an object body.
fn wrong_types(body: &Value) -> Vec<Value> {
    let object = match body {
        Value::Object(o) => o.clone(),
        Value::Array(items) => {
            return wrong_types(&items[0])
                .into_iter()
                .map(|v| json!([v]))
                .collect()
        }
        _ => return Vec::new(),
    };
    let mut bodies = Vec::new();
    for (key, value) in &object {
        let wrong = match value {
            Value::String(_) => json!(12345),
            Value::Number(_) | Value::Bool(_) => json!("not a number"),
            Value::Array(_) => json!("not a list"),
            Value::Object(_) => json!(["not", "an", "object"]),
            Value::Null => continue,
        };
        let mut changed = object.clone();
        changed.insert(key.clone(), wrong);
        bodies.push(Value::Object(changed));
    }
    bodies.push(json!("a string, not an object"));
    bodies.push(json!(null));
    bodies
}

/// The body with a field that is not in the schema: an injected tenant id, or any other.
fn with_unknown_fields(body: &Value, world: &World) -> Vec<Value> {
    let mut bodies = Vec::new();
    for (key, value) in [
        ("org_id", json!(world.b.org)),
        ("tenant_id", json!(world.b.org)),
        ("role", json!("operator")),
        ("is_admin", json!(true)),
    ] {
        let injected = match body {
            Value::Object(o) if !o.contains_key(key) => {
                let mut o = o.clone();
                o.insert(key.to_owned(), value);
                Value::Object(o)
            }
            Value::Array(items) => {
                let mut first = items[0].as_object().unwrap().clone();
                first.insert(key.to_owned(), value);
                json!([first])
            }
            _ => continue,
        };
        bodies.push(injected);
    }
    bodies
}

async fn snapshot(app: &TestApp) -> (usize, usize, i64) {
    let events = app
        .state
        .store
        .audit_events(
            None,
            &Page {
                after: None,
                limit: 500,
            },
        )
        .await
        .unwrap()
        .len();
    let outbox = std::fs::read_dir(app.data.path().join("outbox")).map_or(0, |d| d.count());
    let spooled = app.state.store.spool_len().await.unwrap();
    (events, outbox, spooled)
}

struct Case {
    what: String,
    want: StatusCode,
    reply: common::Reply,
}

async fn send_raw(
    app: &TestApp,
    operation: &Operation,
    path: &str,
    auth: &Auth,
    content_type: &str,
    body: Vec<u8>,
) -> common::Reply {
    if body.len() > 256 * 1024 {
        return announce_oversized(app, operation, path, auth, content_type, body.len()).await;
    }
    let mut request = app
        .http
        .request(
            operation.method.clone(),
            format!("{}/api/v1{path}", app.base),
        )
        .header("content-type", content_type)
        .body(body);
    if let Auth::Session { cookie, csrf } = auth {
        request = request
            .header("cookie", cookie.as_str())
            .header("x-csrf-token", csrf.as_str());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    common::Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    }
}

/// Announces a body of `length` bytes and sends none of it: the service must refuse it from
/// the Content-Length alone. (Sending it all races the refusal: the service may answer and
/// close while the client is still writing, and the client sees a broken pipe.)
async fn announce_oversized(
    app: &TestApp,
    operation: &Operation,
    path: &str,
    auth: &Auth,
    content_type: &str,
    length: usize,
) -> common::Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authority = app.base.trim_start_matches("http://");
    let mut head = format!(
        "{} /api/v1{path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n",
        operation.method
    );
    match auth {
        Auth::Session { cookie, csrf } => {
            head.push_str(&format!("Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"))
        }
        Auth::Bearer(token) => head.push_str(&format!("Authorization: Bearer {token}\r\n")),
        Auth::Anonymous => {}
    }
    head.push_str("\r\n");
    let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .unwrap_or_else(|_| {
        panic!(
            "{} {path} waited for a body it should have refused",
            operation.method
        )
    })
    .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let mut headers = reqwest::header::HeaderMap::new();
    for line in head.lines().skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            if let (Ok(name), Ok(value)) = (
                reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()),
                reqwest::header::HeaderValue::from_str(value.trim()),
            ) {
                headers.append(name, value);
            }
        }
    }
    common::Reply {
        status: StatusCode::from_u16(status).unwrap(),
        body: serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())),
        headers,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let document = app.get("/api/v1/openapi.json", &Auth::Anonymous).await.body;
    let hash = hash_password(PASSWORD.to_owned()).await.unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for operation in operations(&document) {
        let caller = caller_for(&operation);
        let world = world(&app, caller, &hash).await;
        let auth = world
            .caller
            .as_ref()
            .map_or(Auth::Anonymous, |c| c.1.clone());
        let path = fill(&operation.path, Target::Own, &world, caller).unwrap();
        let before = snapshot(&app).await;
        let mut cases = Vec::new();

        let good = filled_body(&app, &operation, &path, &world);
        if let Some(message) = good.as_ref().and_then(as_raw_message) {
            // Raw messages: the wrong type, nothing, and too much.
            for (what, content_type, body, want) in [
                (
                    "a message sent as JSON",
                    "application/json",
                    message.as_bytes().to_vec(),
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ),
                (
                    "an empty message",
                    "message/rfc822",
                    b"\r\n \r\n".to_vec(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "a message over smtp.max_message_bytes",
                    "message/rfc822",
                    vec![b'a'; 300 * 1024],
                    StatusCode::PAYLOAD_TOO_LARGE,
                ),
            ] {
                let reply = send_raw(&app, &operation, &path, &auth, content_type, body).await;
                cases.push(Case {
                    what: what.into(),
                    want,
                    reply,
                });
            }
        } else if let Some(good) = good {
            let malformed = send_raw(
                &app,
                &operation,
                &path,
                &auth,
                "application/json",
                br#"{"name": "#.to_vec(),
            )
            .await;
            cases.push(Case {
                what: "malformed JSON".into(),
                want: StatusCode::BAD_REQUEST,
                reply: malformed,
            });
            let mut huge = br#"{"name": ""#.to_vec();
            huge.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
            huge.extend(br#""}"#);
            let oversized =
                send_raw(&app, &operation, &path, &auth, "application/json", huge).await;
            cases.push(Case {
                what: "a 2 MiB body".into(),
                want: StatusCode::PAYLOAD_TOO_LARGE,
                reply: oversized,
            });
            let plain = send_raw(
                &app,
                &operation,
                &path,
                &auth,
                "text/plain",
                good.to_string().into_bytes(),
            )
            .await;
            cases.push(Case {
                what: "text/plain".into(),
                want: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                reply: plain,
            });
            for wrong in wrong_types(&good) {
                let reply = app
                    .call(operation.method.clone(), &path, &auth, Some(wrong.clone()))
                    .await;
                cases.push(Case {
                    what: format!("wrong types {wrong}"),
                    want: StatusCode::UNPROCESSABLE_ENTITY,
                    reply,
                });
            }
            for injected in with_unknown_fields(&good, &world) {
                let reply = app
                    .call(
                        operation.method.clone(),
                        &path,
                        &auth,
                        Some(injected.clone()),
                    )
                    .await;
                cases.push(Case {
                    what: format!("unknown field {injected}"),
                    want: StatusCode::UNPROCESSABLE_ENTITY,
                    reply,
                });
            }
        }
        if operation.method == reqwest::Method::GET
            && document["paths"][&operation.path]["get"]["parameters"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["name"] == "limit"))
        {
            for query in [
                "limit=abc",
                "limit=0",
                "limit=100000",
                "cursor=../../etc",
                "cursor=%27%20OR%201%3D1",
            ] {
                let reply = app.get(&format!("{path}?{query}"), &auth).await;
                cases.push(Case {
                    what: format!("?{query}"),
                    want: StatusCode::BAD_REQUEST,
                    reply,
                });
            }
        }
        if operation.path.contains('{') && !operation.path.contains("{token}") {
            for garbage in ["%27%20OR%201%3D1--", "..%2F..%2Fetc", &"f".repeat(3000)] {
                let mangled = operation
                    .path
                    .split('/')
                    .map(|s| if s.starts_with('{') { garbage } else { s })
                    .collect::<Vec<_>>()
                    .join("/");
                let body = filled_body(&app, &operation, &path, &world);
                let reply = app
                    .call(operation.method.clone(), &mangled, &auth, body)
                    .await;
                cases.push(Case {
                    what: format!("path ids {garbage:.20}"),
                    want: StatusCode::NOT_FOUND,
                    reply,
                });
            }
        }

        for case in &cases {
            count += 1;
            let shaped = case.reply.body["error"]["code"].is_string()
                && case.reply.body["error"]["message"].is_string();
            if case.reply.status != case.want || !shaped {
                failures.push(format!(
                    "{} {} ({}): want {}, got {} {}",
                    operation.method,
                    operation.path,
                    case.what,
                    case.want,
                    case.reply.status,
                    case.reply.body
                ));
            }
        }
        let after = snapshot(&app).await;
        if before != after {
            failures.push(format!(
                "{} {}: bad input changed something (audit events, outbox) {before:?} → {after:?}",
                operation.method, operation.path
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} bad requests answered clearly, nothing changed");
}

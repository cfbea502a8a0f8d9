//! Signed webhooks to a real HTTP receiver on loopback: the receiver verifies the Standard
//! Webhooks signature; 410 disables, redirects are not followed, failures are reported for a
//! retry, and a destination that is not the public internet is not called at all unless the
//! operator allows it.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use forewarn_notify::destination::Policy;
use forewarn_notify::webhook::{Endpoint, Outcome, WebhookSecret, WebhookSender};

/// One request the receiver saw: its path, headers and body.
type Request = (String, HeaderMap, Vec<u8>);

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Request>>>);

async fn receive(
    State(received): State<Received>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    received
        .0
        .lock()
        .unwrap()
        .push((uri.path().to_owned(), headers, body.to_vec()));
    match uri.path() {
        "/ok" => StatusCode::NO_CONTENT.into_response(),
        "/gone" => StatusCode::GONE.into_response(),
        "/redirect" => (StatusCode::FOUND, [("location", "/ok")]).into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[tokio::test]
async fn webhooks_are_signed_and_sent_only_where_allowed() {
    let received = Received::default();
    let app = axum::Router::new()
        .fallback(receive)
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let secret = WebhookSecret::generate();
    let previous = WebhookSecret::generate();
    let endpoint = |path: &str| Endpoint {
        url: format!("{base}{path}"),
        secrets: vec![secret.clone(), previous.clone()],
    };
    let body = br#"{"type":"incident.created","data":{"severity":"critical"}}"#;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let open = WebhookSender::new(Policy {
        allow_private: true,
    });

    assert_eq!(
        open.send(&endpoint("/ok"), "msg_1", now, body).await,
        Outcome::Delivered(204)
    );
    {
        let received = received.0.lock().unwrap();
        let (_, headers, got) = &received[0];
        let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
        assert_eq!(got, body);
        assert_eq!(header("webhook-id"), "msg_1");
        assert_eq!(header("content-type"), "application/json");
        for key in [&secret, &previous] {
            key.verify(
                "msg_1",
                &header("webhook-timestamp"),
                &header("webhook-signature"),
                got,
                now,
            )
            .unwrap();
        }
        let stranger = WebhookSecret::generate();
        assert!(stranger
            .verify(
                "msg_1",
                &header("webhook-timestamp"),
                &header("webhook-signature"),
                got,
                now
            )
            .is_err());
    }

    assert_eq!(
        open.send(&endpoint("/gone"), "msg_2", now, body).await,
        Outcome::Gone
    );
    let redirect = open.send(&endpoint("/redirect"), "msg_3", now, body).await;
    assert!(
        matches!(redirect, Outcome::Failed(ref why) if why.contains("redirect")),
        "{redirect:?}"
    );
    let failed = open.send(&endpoint("/broken"), "msg_4", now, body).await;
    assert!(
        matches!(failed, Outcome::Failed(ref why) if why.contains("500")),
        "{failed:?}"
    );
    let paths: Vec<String> = received
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.0.clone())
        .collect();
    assert_eq!(
        paths,
        ["/ok", "/gone", "/redirect", "/broken"],
        "the redirect was not followed"
    );

    // The same receiver is loopback: with the default policy nothing reaches it.
    let closed = WebhookSender::new(Policy::default());
    let refused = closed.send(&endpoint("/ok"), "msg_5", now, body).await;
    assert!(matches!(refused, Outcome::Refused(_)), "{refused:?}");
    assert_eq!(received.0.lock().unwrap().len(), 4);

    // Nobody listening: a failure to retry, not a panic.
    let port = forewarn_test_support::free_tcp_port();
    let nobody = Endpoint {
        url: format!("http://127.0.0.1:{port}/"),
        secrets: vec![secret.clone()],
    };
    assert!(matches!(
        open.send(&nobody, "msg_6", now, body).await,
        Outcome::Failed(_)
    ));
}

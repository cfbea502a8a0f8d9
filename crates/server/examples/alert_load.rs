//! A load generator for the whole path from the wire to the organization: it enrolls an
//! organization whose webhook points at a receiver in this process, sends suspicious messages
//! over SMTP at a fixed rate (each from its own sender, so each opens its own incident), and
//! measures, per message, the time from the SMTP 250 to the signed webhook arriving.
//!
//! `benches/alert-load/run.sh` starts forewarn and runs this against it. By hand, with
//! `forewarn serve --smtp-listen 127.0.0.1:2525` running with `webhooks.allow_private = true`:
//!
//! ```text
//! cargo run --release -p forewarn-server --example alert_load -- DATABASE_URL 127.0.0.1:2525 RATE SECONDS CONNECTIONS
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use forewarn_notify::webhook::WebhookSecret;
use forewarn_store::{Actor, NotifyAt, Store};

fn usage() -> ! {
    eprintln!("usage: alert_load DATABASE_URL SMTP_ADDR RATE SECONDS CONNECTIONS [LURE_EVERY]");
    std::process::exit(2)
}

/// When each message's webhook arrived, by message number.
type Arrivals = Arc<Mutex<HashMap<usize, Instant>>>;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !(5..=6).contains(&args.len()) {
        usage();
    }
    // One message in this many is a lure; the rest are ordinary mail that opens no incident.
    let every: usize = match args.get(5) {
        Some(every) => every.parse::<usize>().unwrap_or_else(|_| usage()).max(1),
        None => 1,
    };
    let rate: f64 = args[2].parse().unwrap_or_else(|_| usage());
    let seconds: f64 = args[3].parse().unwrap_or_else(|_| usage());
    let connections: usize = args[4].parse().unwrap_or_else(|_| usage());

    let arrivals: Arrivals = Arc::default();
    let secret = WebhookSecret::generate();
    let receiver = {
        let (arrivals, secret) = (arrivals.clone(), secret.clone());
        axum::Router::new().fallback(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let (arrivals, secret) = (arrivals.clone(), secret.clone());
                async move {
                    let at = Instant::now();
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                    };
                    let now = chrono::Utc::now().timestamp();
                    if secret
                        .verify(
                            header("webhook-id"),
                            header("webhook-timestamp"),
                            header("webhook-signature"),
                            &body,
                            now,
                        )
                        .is_err()
                    {
                        return axum::http::StatusCode::UNAUTHORIZED;
                    }
                    let payload: serde_json::Value =
                        serde_json::from_slice(&body).unwrap_or_default();
                    let n = payload["data"]["message"]["subject"]
                        .as_str()
                        .and_then(|s| s.strip_prefix("Mailbox full "))
                        .and_then(|n| n.parse().ok());
                    if let Some(n) = n {
                        arrivals.lock().unwrap().entry(n).or_insert(at);
                    }
                    axum::http::StatusCode::NO_CONTENT
                }
            },
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let store = Store::connect(&args[0]).await.expect("the database opens");
    let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
    let recipient = format!("ada@{domain}");
    let clinic = forewarn_store::fixtures::enrolled_org(&store, &domain, &[&recipient])
        .await
        .expect("the organization is enrolled");
    store
        .insert_webhook(&Actor(None), &clinic.org_id, &url, "load", &secret.expose())
        .await
        .unwrap();
    // This organization asked to hear about medium incidents and worse at once.
    store
        .set_org_notify_at(&Actor(None), &clinic.org_id, Some(NotifyAt::Medium))
        .await
        .unwrap();

    let sent = forewarn_test_support::smtp_load::send_at_rate(
        &args[1],
        &recipient,
        rate,
        (rate * seconds) as usize,
        connections,
        move |n, recipient: &str| lure(n, recipient, every),
    )
    .await;
    let (start, sending) = (sent.started, sent.took);
    let accepted: HashMap<usize, Instant> = sent
        .accepted
        .into_iter()
        .filter(|(n, _)| n % every == 0)
        .collect();
    let deadline = Instant::now() + Duration::from_secs(300);
    while arrivals.lock().unwrap().len() < accepted.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained = start.elapsed();
    let arrivals = arrivals.lock().unwrap().clone();
    let mut delays: Vec<u128> = accepted
        .iter()
        .filter_map(|(n, at)| Some(arrivals.get(n)?.saturating_duration_since(*at).as_millis()))
        .collect();
    delays.sort_unstable();
    let at = |q: f64| {
        delays
            .get(((delays.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "offered {rate}/s for {seconds}s over {connections} connections, one in {every} a lure: {} lures answered 250, {} messages refused; sent in {:.1}s ({:.0} lures/s); {} webhooks arrived, the last after {:.1}s",
        accepted.len(),
        sent.refused,
        sending.as_secs_f64(),
        accepted.len() as f64 / sending.as_secs_f64(),
        delays.len(),
        drained.as_secs_f64(),
    );
    println!(
        "250 -> signed webhook delivered over {} incidents: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms",
        delays.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        delays.last().copied().unwrap_or(0)
    );
    store.close().await;
}

/// A lure (a sender calling itself "Microsoft 365" from another domain, "mailbox is full", a
/// bare-IP login link) from its own sender, so each opens its own incident; the others, all
/// but one in `every`, are ordinary mail.
fn lure(n: usize, recipient: &str, every: usize) -> String {
    if !n.is_multiple_of(every) {
        return format!(
            "From: Rota <rota@partner.example>\r\nTo: {recipient}\r\nSubject: Rota {n}\r\nMessage-ID: <alert-load-{n}@partner.example>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nThe rota for next week is on the intranet page. Thanks to everyone who swapped shifts.\r\n"
        );
    }
    format!(
        "From: Microsoft 365 <it@helpdesk-{n}.example>\r\nTo: {recipient}\r\nSubject: Mailbox full {n}\r\nMessage-ID: <alert-load-{n}@helpdesk.example>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nContent-Type: text/html\r\n\r\n<p>Your mailbox is full. <a href=\"http://203.0.{}.{}/owa/login\">Log in to keep it</a></p>\r\n",
        n / 250 % 250,
        n % 250 + 1
    )
}

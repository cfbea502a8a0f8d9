//! A load generator for the SMTP journaling listener: sends messages at a fixed rate over
//! several connections, then waits for every verdict and reports the sustained rate and the
//! time from acceptance (the 250) to the stored verdict, read from the database
//! (`messages.delay_ms`).
//!
//! `benches/smtp-load/run.sh` starts forewarn and runs this against it. By hand:
//!
//! ```text
//! cargo run --release -p forewarn-ingest --example smtp_load -- setup DATABASE_URL
//! cargo run --release -p forewarn-ingest --example smtp_load -- load DATABASE_URL 127.0.0.1:2525 RATE SECONDS CONNECTIONS
//! ```

use std::time::{Duration, Instant};

use forewarn_store::{Page, Store};

const RECIPIENT: &str = "ada@clinic.example";

fn usage() -> ! {
    eprintln!("usage: smtp_load setup DATABASE_URL | smtp_load load DATABASE_URL ADDR RATE SECONDS CONNECTIONS");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("setup") if args.len() == 2 => {
            let store = Store::connect(&args[1]).await.expect("the database opens");
            forewarn_store::fixtures::enrolled_org(&store, "clinic.example", &[RECIPIENT])
                .await
                .expect("the organization is enrolled");
            store.close().await;
        }
        Some("load") if args.len() == 6 => {
            let rate: f64 = args[3].parse().unwrap_or_else(|_| usage());
            let seconds: f64 = args[4].parse().unwrap_or_else(|_| usage());
            let connections: usize = args[5].parse().unwrap_or_else(|_| usage());
            load(&args[1], &args[2], rate, seconds, connections).await;
        }
        _ => usage(),
    }
}

/// One message in five is a suspicious lure, the rest ordinary mail.
fn message(n: usize, recipient: &str) -> String {
    let body = if n.is_multiple_of(5) {
        "Content-Type: text/html\r\n\r\n<p>Your mailbox is full. <a href=\"http://203.0.113.9/owa/login\">Log in to keep it</a></p>\r\n"
    } else {
        "Content-Type: text/plain\r\n\r\nThe rota for next week is on the intranet page. Thanks to everyone who swapped shifts.\r\n"
    };
    format!(
        "From: Sender {n} <s{n}@partner.example>\r\nTo: {recipient}\r\nSubject: Load {n}\r\nMessage-ID: <load-{n}@partner.example>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n{body}"
    )
}

async fn load(database: &str, addr: &str, rate: f64, seconds: f64, connections: usize) {
    let store = Store::connect(database).await.expect("the database opens");
    let before = store.message_count().await.unwrap();
    let total = (rate * seconds) as usize;
    let sent = forewarn_test_support::smtp_load::send_at_rate(
        addr,
        RECIPIENT,
        rate,
        total,
        connections,
        message,
    )
    .await;
    let (start, sending) = (sent.started, sent.took);
    let accepted = sent.accepted.len();
    let expected = before + accepted as i64;
    let deadline = Instant::now() + Duration::from_secs(600);
    while store.message_count().await.unwrap() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained = start.elapsed();
    let mut delays = Vec::new();
    let mut page = Page {
        after: None,
        limit: 500,
    };
    loop {
        let batch = store.messages(None, &page).await.unwrap();
        let Some(last) = batch.last().map(|m| m.id.0.clone()) else {
            break;
        };
        delays.extend(
            batch
                .iter()
                .filter(|m| {
                    m.header_message_id
                        .as_deref()
                        .is_some_and(|id| id.starts_with("load-"))
                })
                .map(|m| m.delay_ms),
        );
        page.after = Some(last);
    }
    delays.sort_unstable();
    let at = |q: f64| {
        delays
            .get(((delays.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "offered {rate}/s for {seconds}s over {connections} connections: {accepted} answered 250, {} refused; sent in {:.1}s ({:.0}/s); all verdicts stored after {:.1}s ({:.0}/s sustained)",
        sent.refused,
        sending.as_secs_f64(),
        accepted as f64 / sending.as_secs_f64(),
        drained.as_secs_f64(),
        accepted as f64 / drained.as_secs_f64(),
    );
    println!(
        "250 -> stored verdict over {} messages: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms",
        delays.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        delays.last().copied().unwrap_or(0)
    );
}

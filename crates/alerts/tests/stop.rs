//! The notifier stops gracefully: asked to stop while a webhook receiver is still answering,
//! it starts nothing new, lets that delivery finish, records it as sent and returns, so the
//! next start sends nothing twice. On SQLite and PostgreSQL, with a real receiver on loopback.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use forewarn_alerts::{Instance, Notifier, Settings};
use forewarn_notify::destination::Policy;
use forewarn_notify::webhook::{WebhookSecret, WebhookSender};
use forewarn_notify::{MailConfig, Mailer};
use forewarn_store::fixtures::{critical_message, enrolled_org};
use forewarn_store::{Actor, Page, Store};
use forewarn_test_support::{TempDir, TestDatabase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How long the receiver takes to answer: long enough for the stop to come in the middle.
const SLOW: Duration = Duration::from_millis(1500);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_under_way_at_the_stop_finishes_and_is_recorded() {
    for db in TestDatabase::all().await {
        let store = Store::connect(db.url()).await.unwrap();
        let outbox = TempDir::new("forewarn-alerts-outbox");
        let domain = format!("clinic-{}.example", forewarn_store::random_hex(4));
        let clinic = enrolled_org(&store, &domain, &[&format!("ada@{domain}")])
            .await
            .unwrap();
        let receiver = SlowReceiver::start().await;
        store
            .insert_webhook(
                &Actor(None),
                &clinic.org_id,
                &receiver.url,
                "SOC",
                &WebhookSecret::generate().expose(),
            )
            .await
            .unwrap();
        critical_message(
            &store,
            &clinic,
            "digest-stop",
            "notice@lure.example",
            "Your mailbox is full",
        )
        .await
        .unwrap();

        let mailer = Mailer::new(
            &MailConfig::Outbox {
                dir: outbox.path().to_path_buf(),
            },
            "cert@cert.example",
        )
        .unwrap();
        let mut webhooks = WebhookSender::new(Policy {
            allow_private: true,
        });
        webhooks.timeout = Duration::from_secs(10);
        let notifier = Notifier::new(
            store.clone(),
            Arc::new(mailer),
            Arc::new(webhooks),
            Settings::default(),
        )
        .for_instance(Instance {
            public_url: "https://forewarn.example".into(),
            operator: "cert@cert.example".into(),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(notifier.run(async {
            let _ = stopped.await;
        }));

        // The webhook has arrived: stop now, while the receiver is still answering.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while receiver.requests.load(Ordering::SeqCst) == 0 {
            assert!(std::time::Instant::now() < deadline, "no webhook arrived");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let asked = std::time::Instant::now();
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(30), running)
            .await
            .expect("the notifier stops within one attempt's time")
            .expect("the notifier does not panic");
        assert!(
            asked.elapsed() < Duration::from_secs(15),
            "{}: stopping took {:?}",
            db.label(),
            asked.elapsed()
        );

        // The delivery under way was let finish and recorded, not cut off and left to be
        // sent again.
        let incident = store
            .incidents(Some(&clinic.org_id), &Page::default())
            .await
            .unwrap()
            .remove(0);
        let notifications = store.notifications(&incident.id).await.unwrap();
        let webhook = notifications
            .iter()
            .find(|n| n.channel == "webhook")
            .expect("a webhook notification was planned");
        assert_eq!(webhook.status, "sent", "{}: {webhook:?}", db.label());
        assert_eq!(webhook.attempts, 1, "{}", db.label());
        assert_eq!(
            receiver.requests.load(Ordering::SeqCst),
            1,
            "{}",
            db.label()
        );
        store.close().await;
    }
}

/// A webhook receiver on loopback that counts each request as it arrives and answers 204 only
/// after [`SLOW`], without holding up anything else in the process.
struct SlowReceiver {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl SlowReceiver {
    async fn start() -> SlowReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counted = counted.clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 4096];
                    // The whole request: its head, then as many bytes as Content-Length says.
                    while !complete(&request) {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    counted.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(SLOW).await;
                    let _ = stream
                        .write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .await;
                });
            }
        });
        SlowReceiver { url, requests }
    }
}

fn complete(request: &[u8]) -> bool {
    let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    request.len() >= end + 4 + length
}

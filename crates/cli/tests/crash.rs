//! The crash test: thousands of messages go in over SMTP while forewarn's processes are killed
//! with SIGKILL at random moments, several times, and started again. Afterwards every message
//! that was answered 250 has been analysed exactly once, and nothing was stored that was not
//! sent. The client behaves like a real mail server: a message not answered 250 is sent again
//! later.
//!
//! Run on SQLite (one `forewarn serve` process) and on PostgreSQL + NATS JetStream (one
//! `forewarn serve` taking mail and two `forewarn worker` processes analysing it).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Page, Store};
use forewarn_test_support::{free_tcp_port, nats_url, unique_name, Rng, TempDir, TestDatabase};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const MESSAGES: usize = 2000;
const CONNECTIONS: usize = 4;
const KILLS: usize = 6;

/// One forewarn process the test starts, kills and starts again.
struct Process {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    log: PathBuf,
    child: Option<Child>,
}

impl Process {
    fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_forewarn"))
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("FOREWARN_LOG", "warn,forewarn_ingest=info")
            .env_remove("FOREWARN_DATABASE_URL")
            .env_remove("FOREWARN_NATS_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", self.name));
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A plain SMTP client session with timeouts, so a killed server fails it instead of hanging it.
struct Smtp {
    read: BufReader<tokio::net::tcp::OwnedReadHalf>,
    write: tokio::net::tcp::OwnedWriteHalf,
}

impl Smtp {
    async fn connect(addr: SocketAddr) -> std::io::Result<Smtp> {
        let stream = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr))
            .await
            .map_err(|_| std::io::ErrorKind::TimedOut)??;
        let (read, write) = stream.into_split();
        let mut smtp = Smtp {
            read: BufReader::new(read),
            write,
        };
        smtp.expect(220).await?;
        smtp.command("EHLO crash-test.example\r\n", 250).await?;
        Ok(smtp)
    }

    async fn reply(&mut self) -> std::io::Result<u16> {
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(Duration::from_secs(30), self.read.read_line(&mut line))
                .await
                .map_err(|_| std::io::ErrorKind::TimedOut)??;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return line
                    .get(..3)
                    .and_then(|c| c.parse().ok())
                    .ok_or_else(|| std::io::ErrorKind::InvalidData.into());
            }
        }
    }

    async fn expect(&mut self, code: u16) -> std::io::Result<()> {
        let got = self.reply().await?;
        if got == code {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("expected {code}, got {got}")))
        }
    }

    async fn command(&mut self, line: &str, code: u16) -> std::io::Result<()> {
        self.write.write_all(line.as_bytes()).await?;
        self.expect(code).await
    }

    /// Sends one message; `Ok(true)` only when it was answered 250.
    async fn send(&mut self, to: &str, message: &str) -> std::io::Result<bool> {
        self.command("MAIL FROM:<journal@exchange.clinic.example>\r\n", 250)
            .await?;
        self.command(&format!("RCPT TO:<{to}>\r\n"), 250).await?;
        self.command("DATA\r\n", 354).await?;
        self.write.write_all(message.as_bytes()).await?;
        self.write.write_all(b".\r\n").await?;
        Ok(self.reply().await? == 250)
    }
}

fn message(n: usize) -> String {
    // Every fifth message has a phishing shape, so analysis has real work to do: a brand's
    // name over a partner's address, an account pretext, a login page on a bare IP address.
    let (name, body) = if n.is_multiple_of(5) {
        ("Microsoft Outlook", "Content-Type: text/html\r\n\r\n<p>Your mailbox is full. <a href=\"http://203.0.113.9/owa/login\">Log in to keep it</a></p>\r\n")
    } else {
        ("Sender", "Content-Type: text/plain\r\n\r\nThe rota for next week is attached to the intranet page.\r\n")
    };
    format!(
        "From: {name} {n} <s{n}@partner.example>\r\nTo: ada@clinic.example\r\nSubject: Message {n}\r\nMessage-ID: <crash-{n}@partner.example>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n{body}"
    )
}

struct Tally {
    acked: Vec<AtomicUsize>,
    unanswered: AtomicU64,
}

/// Sends every message until it is answered 250, over `CONNECTIONS` sessions.
async fn send_all(addr: SocketAddr, tally: Arc<Tally>) {
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..CONNECTIONS {
        let tally = tally.clone();
        tasks.spawn(async move {
            let mut session: Option<Smtp> = None;
            let mut n = lane;
            while n < MESSAGES {
                if session.is_none() {
                    match Smtp::connect(addr).await {
                        Ok(s) => session = Some(s),
                        Err(_) => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    }
                }
                let smtp = session.as_mut().unwrap();
                match smtp.send("ada@clinic.example", &message(n)).await {
                    Ok(true) => {
                        tally.acked[n].fetch_add(1, Ordering::SeqCst);
                        n += CONNECTIONS;
                    }
                    Ok(false) | Err(_) => {
                        // Not answered 250: the message is ours to send again, as any MTA would.
                        tally.unanswered.fetch_add(1, Ordering::SeqCst);
                        session = None;
                    }
                }
            }
            if let Some(mut smtp) = session {
                let _ = smtp.command("QUIT\r\n", 221).await;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}

async fn wait_for_port(addr: SocketAddr, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(addr).await.is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Kills a random process at random moments while mail flows, then lets everything finish,
/// and checks the results.
async fn crash_run(label: &str, store: &Store, processes: Vec<Process>, smtp: SocketAddr) {
    let mut rng = Rng::from_clock(&format!("{label}: crash test"));
    let processes = Arc::new(Mutex::new(processes));
    for p in processes.lock().unwrap().iter_mut() {
        p.start();
    }
    wait_for_port(smtp, "the SMTP listener").await;

    let tally = Arc::new(Tally {
        acked: (0..MESSAGES).map(|_| AtomicUsize::new(0)).collect(),
        unanswered: AtomicU64::new(0),
    });
    let sender = tokio::spawn(send_all(smtp, tally.clone()));
    let mut kills = Vec::new();
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(150 + rng.next(900))).await;
        let count = processes.lock().unwrap().len();
        let victim = rng.next(count as u64) as usize;
        let acked_so_far: usize = tally.acked.iter().map(|a| a.load(Ordering::SeqCst)).sum();
        {
            let mut processes = processes.lock().unwrap();
            kills.push(format!(
                "{} after {acked_so_far} answered 250",
                processes[victim].name
            ));
            processes[victim].kill();
        }
        tokio::time::sleep(Duration::from_millis(100 + rng.next(400))).await;
        processes.lock().unwrap()[victim].start();
    }
    eprintln!("{label}: killed {}", kills.join("; "));
    tokio::time::timeout(Duration::from_secs(600), sender)
        .await
        .expect("every message is answered 250 in the end")
        .unwrap();

    // Everything answered 250 is analysed once the processes catch up.
    let deadline = Instant::now() + Duration::from_secs(600);
    let stored = loop {
        let mut all = Vec::new();
        let mut page = Page {
            after: None,
            limit: 500,
        };
        loop {
            let batch = store.messages(None, &page).await.unwrap();
            let last = batch.last().map(|m| m.id.0.clone());
            all.extend(batch);
            match last {
                Some(last) => page.after = Some(last),
                None => break,
            }
        }
        if all.len() >= MESSAGES || Instant::now() > deadline {
            break all;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for message in &stored {
        *seen
            .entry(message.header_message_id.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let doubled: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "{label}: analysed more than once: {doubled:?}"
    );
    let mut missing = Vec::new();
    for n in 0..MESSAGES {
        assert!(tally.acked[n].load(Ordering::SeqCst) >= 1);
        if !seen.contains_key(&format!("crash-{n}@partner.example")) {
            missing.push(n);
        }
    }
    assert!(
        missing.is_empty(),
        "{label}: {} messages answered 250 were never analysed: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
    assert_eq!(
        stored.len(),
        MESSAGES,
        "{label}: a result for a message that was never sent"
    );
    let phishing = stored.iter().filter(|m| m.verdict != "clean").count();
    assert!(
        phishing >= MESSAGES / 5,
        "{label}: analysis found only {phishing} phishing messages"
    );
    let spool_left = store.spool_len().await.unwrap();
    assert_eq!(spool_left, 0, "{label}: messages left in the spool table");
    let dead = store.dead_letters(&Page::default()).await.unwrap();
    assert!(
        dead.is_empty(),
        "{label}: dead letters: {:?}",
        dead.iter().map(|d| &d.reason).collect::<Vec<_>>()
    );
    eprintln!(
        "{label}: {MESSAGES} messages, each analysed once, through {KILLS} kills; {} sends were not answered 250 and sent again",
        tally.unanswered.load(Ordering::SeqCst)
    );
}

fn serve_args(data: &Path, http: u16, smtp: u16) -> Vec<String> {
    vec![
        "serve".into(),
        "--data-dir".into(),
        data.display().to_string(),
        "--listen".into(),
        format!("127.0.0.1:{http}"),
        "--smtp-listen".into(),
        format!("127.0.0.1:{smtp}"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_smtp_ingest_loses_and_doubles_nothing_on_sqlite() {
    let dir = TempDir::new("crash-sqlite");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let url = format!("sqlite://{}", data.join("forewarn.db").display());
    // Opened with the key file the processes find in the same data directory.
    let store = Store::connect_with_key_file(&url, &data.join("personal-data.keys"))
        .await
        .unwrap();
    enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let (http, smtp) = (free_tcp_port(), free_tcp_port());
    let server = Process {
        name: "serve",
        args: serve_args(&data, http, smtp),
        env: vec![("FOREWARN_INGEST__WORKERS".into(), "2".into())],
        log: dir.path().join("serve.log"),
        child: None,
    };
    crash_run(
        "SQLite",
        &store,
        vec![server],
        SocketAddr::from(([127, 0, 0, 1], smtp)),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_smtp_ingest_loses_and_doubles_nothing_on_postgres_and_nats() {
    let Some(nats) = nats_url() else { return };
    let Some(db) = TestDatabase::postgres().await else {
        forewarn_test_support::skip("FOREWARN_TEST_DATABASE_URL is not set");
        return;
    };
    let dir = TempDir::new("crash-postgres");
    let data = dir.path().join("data");
    let store = Store::connect_with_key_file(db.url(), &data.join("personal-data.keys"))
        .await
        .unwrap();
    enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let name = unique_name("forewarn-crash");
    let shared = vec![
        ("FOREWARN_INGEST__NATS_NAME".to_owned(), name.clone()),
        (
            "FOREWARN_INGEST__NATS_ACK_WAIT_SECS".to_owned(),
            "5".to_owned(),
        ),
    ];
    let (http, smtp) = (free_tcp_port(), free_tcp_port());
    let mut serve = serve_args(&data, http, smtp);
    serve.extend([
        "--database-url".into(),
        db.url().into(),
        "--nats-url".into(),
        nats.clone(),
    ]);
    let mut env = shared.clone();
    env.push(("FOREWARN_INGEST__WORKERS".into(), "0".into()));
    let mut processes = vec![Process {
        name: "serve",
        args: serve,
        env,
        log: dir.path().join("serve.log"),
        child: None,
    }];
    for (n, name) in ["worker 1", "worker 2"].into_iter().enumerate() {
        processes.push(Process {
            name,
            args: vec![
                "worker".into(),
                "--database-url".into(),
                db.url().into(),
                "--nats-url".into(),
                nats.clone(),
                "--workers".into(),
                "2".into(),
            ],
            // The same key file as `forewarn serve`: personal data is sealed with it.
            env: shared
                .iter()
                .cloned()
                .chain([("FOREWARN_DATA_DIR".to_owned(), data.display().to_string())])
                .collect(),
            log: dir.path().join(format!("worker-{n}.log")),
            child: None,
        });
    }
    crash_run(
        "PostgreSQL + NATS",
        &store,
        processes,
        SocketAddr::from(([127, 0, 0, 1], smtp)),
    )
    .await;
    let client = async_nats::connect(&nats).await.unwrap();
    let _ = async_nats::jetstream::new(client)
        .delete_stream(format!("{name}-spool"))
        .await;
}

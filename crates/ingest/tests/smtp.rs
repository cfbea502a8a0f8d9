//! The SMTP journaling listener against real clients on loopback (lettre, and raw SMTP for the
//! protocol's corners), on SQLite and on PostgreSQL: what gets 250 is analysed once, what
//! forewarn does not watch is refused, and hostile sessions change nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use forewarn_ingest::smtp::{self, SmtpConfig};
use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_ingest::{Analyzer, Intake, Workers};
use forewarn_store::fixtures::{enrolled_org, Enrolled};
use forewarn_store::{Page, Store};
use forewarn_test_support::TestDatabase;
use lettre::address::Envelope;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::oneshot;

struct Running {
    store: Store,
    addr: SocketAddr,
    clinic: Enrolled,
    _stop: (oneshot::Sender<()>, oneshot::Sender<()>),
}

async fn start(db: &TestDatabase, config: SmtpConfig) -> Running {
    let store = Store::connect(db.url()).await.unwrap();
    let clinic = enrolled_org(
        &store,
        "clinic.example",
        &["ada@clinic.example", "bob@clinic.example"],
    )
    .await
    .unwrap();
    let spool = Arc::new(Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_smtp, smtp_stopped) = oneshot::channel::<()>();
    let (stop_workers, workers_stopped) = oneshot::channel::<()>();
    tokio::spawn(smtp::serve(
        listener,
        Intake::new(spool.clone()),
        config,
        async {
            let _ = smtp_stopped.await;
        },
    ));
    tokio::spawn(
        Workers::new(spool, Arc::new(Analyzer::builtin()), None).run(2, async {
            let _ = workers_stopped.await;
        }),
    );
    Running {
        store,
        addr,
        clinic,
        _stop: (stop_smtp, stop_workers),
    }
}

async fn analysed(store: &Store, count: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let stored = store.message_count().await.unwrap();
        let waiting = store.spool_len().await.unwrap();
        if stored >= count && waiting == 0 {
            assert_eq!(stored, count, "more results than messages");
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{stored} of {count} messages analysed, {waiting} waiting"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn mailer(addr: SocketAddr) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
        .port(addr.port())
        .timeout(Some(Duration::from_secs(20)))
        .build()
}

fn envelope(to: &[&str]) -> Envelope {
    Envelope::new(
        Some("journal@exchange.clinic.example".parse().unwrap()),
        to.iter().map(|a| a.parse().unwrap()).collect(),
    )
    .unwrap()
}

const PHISH: &str = "From: \"Ministry of Health\" <notice@health-gov-portal.example>\r\nTo: ada@clinic.example\r\nSubject: Urgent: vaccine stock audit\r\nMessage-ID: <audit-1@health-gov-portal.example>\r\nContent-Type: text/html\r\n\r\n<p>Your account will be suspended. <a href=\"http://198.51.100.7/login\">Verify now</a></p>\r\n.hidden dot line\r\n";

#[tokio::test]
async fn mail_from_a_real_client_is_analysed_once_on_every_backend() {
    for db in TestDatabase::all().await {
        let app = start(&db, SmtpConfig::default()).await;
        let mailer = mailer(app.addr);

        let reply = mailer
            .send_raw(&envelope(&["Ada@clinic.example"]), PHISH.as_bytes())
            .await
            .unwrap();
        assert_eq!(reply.code().to_string(), "250", "{}", db.label());
        // The same message again (a sender's retry) stores no second result.
        mailer
            .send_raw(&envelope(&["ada@clinic.example"]), PHISH.as_bytes())
            .await
            .unwrap();
        // An address on the verified domain without an account still belongs to the clinic.
        mailer
            .send_raw(
                &envelope(&["reception@clinic.example"]),
                b"From: a@b.example\r\nSubject: hello\r\n\r\nhi\r\n",
            )
            .await
            .unwrap();
        let refused = mailer
            .send_raw(&envelope(&["ada@elsewhere.example"]), PHISH.as_bytes())
            .await
            .unwrap_err();
        assert!(refused.is_permanent(), "{refused}");

        analysed(&app.store, 2).await;
        let messages = app
            .store
            .messages(Some(&app.clinic.org_id), &Page::default())
            .await
            .unwrap();
        let phish = messages
            .iter()
            .find(|m| m.subject.as_deref() == Some("Urgent: vaccine stock audit"))
            .unwrap();
        assert_eq!(phish.accounts, [app.clinic.accounts[0].clone()]);
        assert_ne!(phish.verdict, "clean", "{:?}", phish.findings);
        assert_eq!(
            phish.sender.as_deref(),
            Some("notice@health-gov-portal.example")
        );
        assert!(!phish.raw_kept, "no body is kept by default");
        let hello = messages.iter().find(|m| m.verdict == "clean").unwrap();
        assert!(hello.accounts.is_empty());
        assert_eq!(
            (hello.sender.as_deref(), hello.subject.as_deref()),
            (None, None),
            "a clean message's sender and subject are not kept"
        );
    }
}

#[tokio::test]
async fn a_journal_report_is_unwrapped_and_linked_to_the_envelope_recipients() {
    let db = TestDatabase::sqlite();
    let app = start(&db, SmtpConfig::default()).await;
    let report = format!(
        "From: Journal <journal@exchange.clinic.example>\r\nTo: forewarn-journal@clinic.example\r\nSubject: {subject}\r\nX-MS-Journal-Report:\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"j\"\r\n\r\n--j\r\nContent-Type: text/plain\r\n\r\nSender: notice@health-gov-portal.example\r\nSubject: {subject}\r\nMessage-Id: <audit-1@health-gov-portal.example>\r\nTo: ada@clinic.example\r\nCc: bob@clinic.example, Expanded: staff@clinic.example\r\n\r\n--j\r\nContent-Type: message/rfc822\r\n\r\n{PHISH}\r\n--j--\r\n",
        subject = "Urgent: vaccine stock audit"
    );
    mailer(app.addr)
        .send_raw(
            &envelope(&["forewarn-journal@clinic.example"]),
            report.as_bytes(),
        )
        .await
        .unwrap();
    analysed(&app.store, 1).await;
    let message = app
        .store
        .messages(None, &Page::default())
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        message.sender.as_deref(),
        Some("notice@health-gov-portal.example")
    );
    let mut expected = app.clinic.accounts.clone();
    expected.sort();
    assert_eq!(message.accounts, expected);
}

#[tokio::test]
async fn starttls_protects_the_session_when_a_certificate_is_configured() {
    let dir = forewarn_test_support::TempDir::new("smtp-tls");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let tls = smtp::tls_config(&cert_path, &key_path).unwrap();
    assert!(smtp::tls_config(&key_path, &cert_path).is_err());

    let db = TestDatabase::sqlite();
    let app = start(
        &db,
        SmtpConfig {
            tls: Some(tls),
            ..SmtpConfig::default()
        },
    )
    .await;
    let parameters = TlsParameters::builder("localhost".into())
        .add_root_certificate(Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("localhost")
        .port(app.addr.port())
        .tls(Tls::Required(parameters))
        .timeout(Some(Duration::from_secs(20)))
        .build();
    mailer
        .send_raw(&envelope(&["bob@clinic.example"]), PHISH.as_bytes())
        .await
        .unwrap();
    analysed(&app.store, 1).await;
}

/// A raw SMTP conversation: sends each line, returns the replies' first lines.
async fn converse(addr: SocketAddr, script: &[&[u8]]) -> Vec<String> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut replies = Vec::new();
    let mut line = String::new();
    read.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("220 "), "{line}");
    for step in script {
        write.write_all(step).await.unwrap();
        loop {
            line.clear();
            if read.read_line(&mut line).await.unwrap() == 0 {
                return replies;
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
        replies.push(line.trim_end().to_owned());
    }
    replies
}

fn codes(replies: &[String]) -> Vec<&str> {
    replies.iter().map(|r| &r[..3]).collect()
}

#[tokio::test]
async fn hostile_and_broken_sessions_are_answered_and_store_nothing() {
    let db = TestDatabase::sqlite();
    let app = start(
        &db,
        SmtpConfig {
            max_message_bytes: 64 * 1024,
            ..SmtpConfig::default()
        },
    )
    .await;
    let long_command = format!("NOOP {}\r\n", "x".repeat(10_000));
    let huge = format!("Subject: big\r\n\r\n{}\r\n.\r\n", "y".repeat(99_900));
    let replies = converse(
        app.addr,
        &[
            b"MAIL FROM:<a@b.example>\r\n",
            b"EHLO\r\n",
            b"EHLO client.example\r\n",
            b"RCPT TO:<ada@clinic.example>\r\n",
            b"DATA\r\n",
            long_command.as_bytes(),
            b"MAIL FROM:<a@b.example> SIZE=999999999\r\n",
            b"MAIL FROM:<a@b.example> SIZE=ten\r\n",
            b"MAIL FROM:<a@b.example>\r\n",
            b"RCPT TO:<nobody@elsewhere.example>\r\n",
            b"DATA\r\n",
            b"RCPT TO:<ada@clinic.example>\r\n",
            b"DATA\r\n",
            huge.as_bytes(),
            b"STARTTLS\r\n",
            b"BDAT 10 LAST\r\n",
            b"VRFY ada\r\n",
            b"QUIT\r\n",
        ],
    )
    .await;
    assert_eq!(
        codes(&replies),
        [
            "503", "501", "250", "503", "503", "500", "552", "501", "250", "550", "554", "250",
            "354", "552", "502", "500", "252", "221"
        ],
        "{replies:#?}"
    );

    // Pipelined commands are answered in order; a client that vanishes in the middle of DATA
    // has nothing stored.
    let stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let (read, mut write) = stream.into_split();
    write
        .write_all(b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@clinic.example>\r\nDATA\r\nSubject: cut\r\n\r\nhalf a mess")
        .await
        .unwrap();
    let mut read = BufReader::new(read);
    let mut seen = String::new();
    while !seen.contains("354") {
        let mut line = String::new();
        assert!(read.read_line(&mut line).await.unwrap() > 0, "{seen}");
        seen.push_str(&line);
    }
    drop(write);
    drop(read);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.store.spool_len().await.unwrap(), 0);
    assert_eq!(app.store.message_count().await.unwrap(), 0);
}

/// Issue 24: the EHLO answer echoed the client's name byte for byte, NUL and 0xFF included;
/// it now says only the printable part of it.
#[tokio::test]
async fn issue_24_ehlo_echoes_no_control_or_invalid_bytes() {
    use tokio::io::AsyncReadExt;
    let db = TestDatabase::sqlite();
    let app = start(&db, SmtpConfig::default()).await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    while !answer.ends_with(b"\r\n") {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the listener hung up before its greeting");
        answer.extend_from_slice(&buffer[..n]);
    }
    stream
        .write_all(b"EHLO evil\x00\xff\x1b[2Jname.example\r\n")
        .await
        .unwrap();
    answer.clear();
    while !answer.ends_with(b"250 HELP\r\n") {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the listener hung up: {answer:?}");
        answer.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8(answer.clone()).expect("the answer is ASCII");
    assert!(
        text.bytes()
            .all(|b| b == b'\r' || b == b'\n' || (0x20..0x7f).contains(&b)),
        "{answer:?}"
    );
    assert!(text.contains("greets evil[2Jname.example"), "{text}");
}

/// Issue 24: one client could hold every SMTP slot with idle connections and lock everyone
/// out. Past its own cap a client is told to come back later; others still get in.
#[tokio::test]
async fn issue_24_one_client_cannot_take_every_connection() {
    use tokio::io::AsyncReadExt;
    let db = TestDatabase::sqlite();
    let app = start(
        &db,
        SmtpConfig {
            max_connections: 64,
            max_connections_per_client: 3,
            ..SmtpConfig::default()
        },
    )
    .await;
    async fn greeting(stream: &mut tokio::net::TcpStream) -> String {
        let mut answer = Vec::new();
        let mut buffer = [0u8; 256];
        while !answer.ends_with(b"\r\n") {
            let n = stream.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
        }
        String::from_utf8_lossy(&answer).into_owned()
    }
    let mut idle = Vec::new();
    for _ in 0..3 {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        assert!(greeting(&mut stream).await.starts_with("220 "));
        idle.push(stream);
    }
    let mut fourth = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let said = greeting(&mut fourth).await;
    assert!(said.starts_with("421 "), "{said}");
    // Another address is still served (127.0.0.2 is loopback too on Linux).
    let other = tokio::net::TcpSocket::new_v4().unwrap();
    other.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let mut other = other.connect(app.addr).await.unwrap();
    assert!(greeting(&mut other).await.starts_with("220 "));
    // A connection that ends gives its slot back.
    drop(idle.pop());
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut again = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let said = greeting(&mut again).await;
        if said.starts_with("220 ") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{said}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

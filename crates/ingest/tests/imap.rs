//! The IMAP poller against a real Dovecot on loopback: only mail that arrives after the first
//! poll is read, forwarded reports are unwrapped to the original and linked to the person who
//! reported it, the read position survives a restart, and a person's mailbox is no longer read
//! once their consent is withdrawn.

use std::sync::Arc;
use std::time::Duration;

use forewarn_ingest::imap::{poll_once, Auth, Kind, Mailbox, Security};
use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_ingest::{Analyzer, Intake, Workers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Actor, Page, Store};
use forewarn_test_support::{Dovecot, TestDatabase};

async fn deliver(dovecot: &Dovecot, user: &str, password: &str, messages: &[String]) {
    let tcp = tokio::net::TcpStream::connect(dovecot.addr).await.unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    let mut session = client
        .login(user, password)
        .await
        .map_err(|(e, _)| e)
        .unwrap();
    for message in messages {
        session
            .append("INBOX", None, None, message.as_bytes())
            .await
            .unwrap();
    }
    session.logout().await.unwrap();
}

fn report(n: usize) -> String {
    format!(
        "From: Ada <ada@clinic.example>\r\nTo: phish@clinic.example\r\nSubject: Fwd: strange invoice {n}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"r\"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nThis looks wrong.\r\n--r\r\nContent-Type: message/rfc822\r\n\r\nFrom: Billing <billing@med-supplies-invoices.example>\r\nTo: ada@clinic.example\r\nSubject: Invoice {n} overdue\r\nMessage-ID: <invoice-{n}@med-supplies-invoices.example>\r\n\r\nPay today.\r\n--r--\r\n"
    )
}

fn plain(n: usize) -> String {
    format!("From: someone@partner.example\r\nTo: ada@clinic.example\r\nSubject: Personal {n}\r\nMessage-ID: <personal-{n}@partner.example>\r\n\r\nhello\r\n")
}

async fn analysed(store: &Store, count: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while store.message_count().await.unwrap() < count || store.spool_len().await.unwrap() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited too long for {count} results"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(store.message_count().await.unwrap(), count);
}

#[tokio::test]
async fn reports_and_personal_mailboxes_are_read_once_and_only_with_consent() {
    let Some(dovecot) = Dovecot::start(&[("phish", "report-pw"), ("ada", "ada-pw")]) else {
        return;
    };
    let db = TestDatabase::sqlite();
    let store = Store::connect(db.url()).await.unwrap();
    let clinic = enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let spool = Arc::new(Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()));
    let intake = Intake::new(spool.clone());
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(
        Workers::new(spool, Arc::new(Analyzer::builtin()), None).run(2, async {
            let _ = stopped.await;
        }),
    );
    let mailbox = |name: &str, user: &str, password: &str, kind: Kind| Mailbox {
        name: name.into(),
        host: dovecot.addr.ip().to_string(),
        port: dovecot.addr.port(),
        security: Security::None,
        username: user.into(),
        auth: Auth::Password(password.into()),
        folder: "INBOX".into(),
        org_id: clinic.org_id.clone(),
        kind,
        max_message_bytes: 1024 * 1024,
    };
    let reports = mailbox("reports", "phish", "report-pw", Kind::Reports);

    // What was there before forewarn first looked is not read.
    deliver(&dovecot, "phish", "report-pw", &[report(0)]).await;
    assert_eq!(poll_once(&reports, &intake).await.unwrap(), 0);
    deliver(
        &dovecot,
        "phish",
        "report-pw",
        &[report(1), report(2), report(3)],
    )
    .await;
    assert_eq!(poll_once(&reports, &intake).await.unwrap(), 3);
    assert_eq!(poll_once(&reports, &intake).await.unwrap(), 0, "read once");
    // A restarted poller (a new intake on the same database) goes on where the last stopped.
    let restarted = Intake::new(intake.spool().clone());
    deliver(&dovecot, "phish", "report-pw", &[report(4)]).await;
    assert_eq!(poll_once(&reports, &restarted).await.unwrap(), 1);
    analysed(&store, 4).await;
    let messages = store.messages(None, &Page::default()).await.unwrap();
    for message in &messages {
        let id = message.header_message_id.as_deref().unwrap_or_default();
        assert!(
            id.starts_with("invoice-") && id.ends_with("@med-supplies-invoices.example"),
            "the original, not the report: {id:?}"
        );
        assert_eq!(
            message.accounts, clinic.accounts,
            "the reporter was the one targeted"
        );
    }

    // A person's own mailbox: read while consent stands, not after.
    let personal = mailbox(
        "ada",
        "ada",
        "ada-pw",
        Kind::Account(clinic.accounts[0].clone()),
    );
    assert_eq!(poll_once(&personal, &intake).await.unwrap(), 0);
    deliver(&dovecot, "ada", "ada-pw", &[plain(1)]).await;
    assert_eq!(poll_once(&personal, &intake).await.unwrap(), 1);
    analysed(&store, 5).await;
    store
        .revoke_account(&Actor(None), &clinic.accounts[0])
        .await
        .unwrap();
    deliver(&dovecot, "ada", "ada-pw", &[plain(2)]).await;
    assert_eq!(poll_once(&personal, &intake).await.unwrap(), 0);

    // A wrong password is an error to log, not a crash.
    let wrong = mailbox("wrong", "phish", "nope", Kind::Reports);
    let error = poll_once(&wrong, &intake).await.unwrap_err();
    assert!(error.to_string().contains("signing in"), "{error}");
}

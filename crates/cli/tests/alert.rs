//! From the wire to the people who must act: a message carrying a known actor's indicator
//! arrives over SMTP at `forewarn serve`, is analysed, opens a critical incident, and the
//! organization's security contact receives the alert at a real SMTP receiver (aiosmtpd) —
//! who is behind it, the evidence defanged, and the steps to take.

use std::process::{Command, Stdio};
use std::time::Duration;

use forewarn_store::fixtures::enrolled_org;
use forewarn_store::Store;
use forewarn_test_support::{free_tcp_port, SmtpReceiver, TempDir};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

const BUNDLE: &str = r#"{
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--1", "name": "Example Bear", "aliases": ["EXAMPLE-7"]},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'health-ministry-portal.example']", "valid_from": "2024-01-01T00:00:00Z", "confidence": 85},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "indicates",
     "source_ref": "indicator--1", "target_ref": "intrusion-set--1"}
  ]
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_actors_mail_reaches_the_security_contact_as_an_alert() {
    let Some(receiver) = SmtpReceiver::start() else {
        return;
    };
    let dir = TempDir::new("alert-e2e");
    let data = dir.path().join("data");
    std::fs::create_dir_all(dir.path().join("intel")).unwrap();
    std::fs::write(dir.path().join("intel/example-bear.json"), BUNDLE).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let store = Store::connect(&format!("sqlite://{}", data.join("forewarn.db").display()))
        .await
        .unwrap();
    enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    let (http, smtp) = (free_tcp_port(), free_tcp_port());
    let config = dir.path().join("forewarn.toml");
    std::fs::write(
        &config,
        format!(
            "[mail]\nfrom = \"alerts@cert.example\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\nsmtp_security = \"none\"\n\n[ingest]\nintel = [\"{}\"]\n",
            receiver.addr.port(),
            dir.path().join("intel").display()
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["serve", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", &format!("127.0.0.1:{http}")])
        .args(["--smtp-listen", &format!("127.0.0.1:{smtp}")])
        .current_dir(dir.path())
        .env_remove("FOREWARN_DATABASE_URL")
        .env_remove("FOREWARN_NATS_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", smtp)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the SMTP listener did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let phish = "From: \"Ministry of Health\" <notice@health-ministry-portal.example>\r\nTo: ada@clinic.example\r\nSubject: Updated vaccination schedule\r\nMessage-ID: <schedule-1@health-ministry-portal.example>\r\nContent-Type: text/html\r\n\r\n<p>Please review the new schedule: <a href=\"https://health-ministry-portal.example/login\">sign in</a></p>\r\n";
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(smtp)
        .build()
        .send_raw(
            &Envelope::new(
                Some("journal@clinic.example".parse().unwrap()),
                vec!["ada@clinic.example".parse().unwrap()],
            )
            .unwrap(),
            phish.as_bytes(),
        )
        .await
        .unwrap();

    let alert = tokio::time::timeout(
        Duration::from_secs(60),
        receiver.wait_for("security@clinic.example"),
    )
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no alert; forewarn said:\n{}",
            std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default()
        )
    });
    let _ = serve.kill();
    let _ = serve.wait();
    let parsed = mail_parser::MessageParser::default()
        .parse(alert.as_bytes())
        .unwrap();
    assert_eq!(
        parsed.subject().unwrap(),
        "[forewarn] critical alert for Organization of clinic.example: credential phishing"
    );
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("It matches Example Bear"), "{text}");
    assert!(
        text.contains("notice@health-ministry-portal[.]example"),
        "{text}"
    );
    assert!(!text.contains("health-ministry-portal.example"), "{text}");
    assert!(
        text.contains("one account at Organization of clinic.example"),
        "{text}"
    );
    assert!(text.contains("1. Reset the password"), "{text}");
    assert!(parsed.body_html(0).is_some(), "an HTML alternative too");
}

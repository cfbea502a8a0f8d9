//! `forewarn serve` as the README starts it: on a fresh data directory it creates the
//! database, prints the operator's one-time password, answers /healthz and stops cleanly on
//! SIGTERM; `forewarn config check` layers the configuration.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("forewarn-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

#[test]
fn serve_starts_on_a_fresh_data_directory() {
    let dir = temp_dir("fresh");
    let port = forewarn_test_support::free_tcp_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["serve", "--data-dir"])
        .arg(dir.join("data"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .current_dir(&dir)
        .env_remove("FOREWARN_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("forewarn serve starts");
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let health = loop {
        if let Some(answer) = http_get(port, "/healthz") {
            break answer;
        }
        assert!(
            Instant::now() < deadline,
            "forewarn serve did not answer within a minute"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let document = http_get(port, "/api/v1/openapi.json").unwrap();
    assert!(
        document.contains("x-forewarn-roles"),
        "the OpenAPI document is served"
    );
    let printed: Vec<String> = lines_rx.try_iter().collect();
    let password_line = printed
        .iter()
        .position(|l| l.contains("one-time password"))
        .expect("the first start prints the password");
    assert!(
        printed[password_line..]
            .iter()
            .any(|l| l.trim().len() >= 12 && !l.trim().contains(' ')),
        "{printed:?}"
    );
    assert!(
        dir.join("data/forewarn.db").exists(),
        "SQLite in the data directory"
    );

    // SIGTERM stops it cleanly.
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "forewarn serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");

    // A missing configuration file is an error, not a silent default.
    let second = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["config", "check", "--config"])
        .arg(dir.join("missing.toml"))
        .output()
        .unwrap();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("does not exist"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn configuration_layers_file_then_environment() {
    let dir = temp_dir("layers");
    let file = dir.join("forewarn.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:9001\"\npublic_url = \"https://forewarn.cert.example\"\n[mail]\nsmtp_host = \"relay.cert.example\"\nsmtp_password = \"hunter2-secret\"\n[limits]\nlogin_per_minute = 3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["config", "check", "--config"])
        .arg(&file)
        .env("FOREWARN_LIMITS__LOGIN_PER_MINUTE", "7")
        .env("FOREWARN_DATA_DIR", dir.join("state"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("127.0.0.1:9001") && text.contains("relay.cert.example"),
        "the file is read: {text}"
    );
    assert!(
        text.contains("login_per_minute: 7"),
        "the environment wins over the file: {text}"
    );
    assert!(text.contains("state"), "{text}");
    assert!(!text.contains("hunter2"), "secrets are redacted: {text}");

    std::fs::write(&file, "listen = \"not an address\"\n").unwrap();
    let bad = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("listen"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    std::fs::write(&file, "lisen = \"127.0.0.1:1\"\n").unwrap();
    let typo = Command::new(env!("CARGO_BIN_EXE_forewarn"))
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!typo.status.success(), "unknown keys are refused");
    let _ = std::fs::remove_dir_all(&dir);
}

//! One outsider cannot take `forewarn serve` down with half-sent requests (issue 24, item 1):
//! with the process held to 1,024 file descriptors, as many systems start services, 2,000
//! connections from one address that each send part of a request header and then nothing
//! leave `/healthz` and the SMTP listener answering within a second, and a connection that
//! sends no whole header is closed once `limits.header_read_secs` have passed.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// The address the attack comes from: loopback, but not the one the checks come from.
const ATTACKER: [u8; 4] = [127, 0, 0, 2];
const HALF_OPEN: usize = 2000;
const HEADER_READ_SECS: u64 = 3;

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn healthz(http: SocketAddr) -> Option<String> {
    let mut stream = TcpStream::connect(http).await.ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    Some(String::from_utf8_lossy(&answer).into_owned())
}

async fn smtp_greeting(smtp: SocketAddr) -> Option<String> {
    let mut stream = TcpStream::connect(smtp).await.ok()?;
    let mut greeting = [0u8; 64];
    let n = stream.read(&mut greeting).await.ok()?;
    Some(String::from_utf8_lossy(&greeting[..n]).into_owned())
}

/// A connection from the attacker's address that sends the start of a request and stops;
/// `None` when the server does not take it within 2 s.
async fn half_open(http: SocketAddr) -> Option<TcpStream> {
    // This process must be able to hold them all: that is the test's own set-up, not the
    // server's answer.
    let socket =
        TcpSocket::new_v4().expect("the test opens 2,000 sockets: raise its limit (ulimit -n)");
    socket
        .bind(SocketAddr::from((ATTACKER, 0)))
        .expect("127.0.0.2 is on loopback");
    let connect = tokio::time::timeout(Duration::from_secs(2), socket.connect(http));
    let mut stream = connect.await.ok()?.ok()?;
    let _ = stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await;
    Some(stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_half_sent_requests_from_one_address_take_nothing_down() {
    let dir = forewarn_test_support::TempDir::new("forewarn-slowloris");
    let http = SocketAddr::from(([127, 0, 0, 1], forewarn_test_support::free_tcp_port()));
    let smtp = SocketAddr::from(([127, 0, 0, 1], forewarn_test_support::free_tcp_port()));
    // `ulimit -n 1024` first: the limit many systems start services with.
    let _served = Served(
        Command::new("sh")
            .args(["-c", "ulimit -n 1024 && exec \"$0\" \"$@\""])
            .arg(env!("CARGO_BIN_EXE_forewarn"))
            .args(["serve", "--data-dir"])
            .arg(dir.path().join("data"))
            .args([
                "--listen",
                &http.to_string(),
                "--smtp-listen",
                &smtp.to_string(),
            ])
            .current_dir(dir.path())
            .env_remove("FOREWARN_DATABASE_URL")
            .env(
                "FOREWARN_LIMITS__HEADER_READ_SECS",
                HEADER_READ_SECS.to_string(),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("forewarn serve starts"),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while healthz(http).await.is_none() {
        assert!(Instant::now() < deadline, "forewarn serve did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut held = Vec::with_capacity(HALF_OPEN);
    for _ in 0..HALF_OPEN {
        // A connection that is not even accepted within 2 s means the server has stopped
        // taking any: what follows shows it.
        match half_open(http).await {
            Some(stream) => held.push(stream),
            None => break,
        }
    }
    let opened = held.len();

    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(1), healthz(http)).await;
    assert!(
        matches!(&answer, Ok(Some(a)) if a.starts_with("HTTP/1.1 200")),
        "/healthz did not answer within 1 s with {opened} half-sent requests held: {answer:?}"
    );
    let greeting = tokio::time::timeout(Duration::from_secs(1), smtp_greeting(smtp)).await;
    assert!(
        matches!(&greeting, Ok(Some(g)) if g.starts_with("220")),
        "the SMTP listener did not greet within 1 s: {greeting:?}"
    );
    eprintln!(
        "{opened} half-sent requests held; /healthz and SMTP answered in {:?}",
        started.elapsed()
    );

    // The first connections were let in; the header deadline closes them.
    let first = &mut held[0];
    let mut rest = Vec::new();
    let read = tokio::time::timeout(
        Duration::from_secs(HEADER_READ_SECS + 5),
        first.read_to_end(&mut rest),
    )
    .await;
    assert!(
        read.is_ok(),
        "a connection that sent no whole header was still open {}s later",
        HEADER_READ_SECS + 5
    );
}

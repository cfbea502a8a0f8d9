//! Real peers on loopback for forewarn's tests: a fresh database on each backend, dnsmasq as
//! the DNS server, aiosmtpd as the SMTP receiver and medallion as a TAXII 2.1 server.
//! `.ci/run` installs them; where one is missing outside CI, the test that needs it says it
//! was skipped and why. In CI (`CI` set) a missing peer fails the test instead.

use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Says a test part was skipped, or fails when running in CI, where nothing may be skipped.
pub fn skip(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "in CI nothing may be skipped: {why}"
    );
    eprintln!("skipped: {why}");
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A directory under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", random_hex(8)));
        std::fs::create_dir_all(&path).expect("temporary directory");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty database: a SQLite file in a temporary directory, or a new PostgreSQL
/// database on the server `FOREWARN_TEST_DATABASE_URL` names, dropped afterwards.
pub enum TestDatabase {
    Sqlite {
        url: String,
        _dir: TempDir,
    },
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

impl TestDatabase {
    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            TestDatabase::Sqlite { .. } => "sqlite",
            TestDatabase::Postgres { .. } => "postgres",
        }
    }

    pub fn sqlite() -> TestDatabase {
        let dir = TempDir::new("forewarn-db");
        let url = format!("sqlite://{}", dir.path().join("forewarn.db").display());
        TestDatabase::Sqlite { url, _dir: dir }
    }

    /// A fresh PostgreSQL database, or `None` (said as skipped) when
    /// `FOREWARN_TEST_DATABASE_URL` is not set.
    pub async fn postgres() -> Option<TestDatabase> {
        use sqlx::Connection;
        let Ok(admin_url) = std::env::var("FOREWARN_TEST_DATABASE_URL") else {
            skip("the PostgreSQL half: FOREWARN_TEST_DATABASE_URL is not set (.ci/run sets it)");
            return None;
        };
        let name = format!("forewarn_test_{}", random_hex(6));
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at FOREWARN_TEST_DATABASE_URL answers: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("a test database can be created");
        let _ = conn.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((server, rest)) => {
                let query = rest
                    .split_once('?')
                    .map(|(_, q)| format!("?{q}"))
                    .unwrap_or_default();
                format!("{server}/{name}{query}")
            }
            None => panic!("FOREWARN_TEST_DATABASE_URL has no database part: {admin_url}"),
        };
        Some(TestDatabase::Postgres {
            url,
            admin_url,
            name,
        })
    }

    /// SQLite, and PostgreSQL when configured.
    pub async fn all() -> Vec<TestDatabase> {
        let mut all = vec![TestDatabase::sqlite()];
        all.extend(TestDatabase::postgres().await);
        all
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres {
            admin_url, name, ..
        } = self
        {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a thread of its own may block.
            let _ = std::thread::spawn(move || {
                use sqlx::Connection;
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
                Ok::<_, std::io::Error>(())
            })
            .join();
        }
    }
}

/// A child process killed on drop.
pub struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A TCP port nothing listens on right now, on loopback.
pub fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// dnsmasq (Debian's dnsmasq-base) on a free loopback port, authoritative for every name:
/// names without records are NXDOMAIN. `txt` holds `(name, value)` records.
pub struct Dnsmasq {
    _peer: Peer,
    pub addr: SocketAddr,
}

impl Dnsmasq {
    pub fn start(txt: &[(&str, &str)]) -> Option<Dnsmasq> {
        // Another test may take the port between choosing it and dnsmasq binding it; then
        // dnsmasq exits at once and another port is tried.
        let mut failures = Vec::new();
        for _ in 0..5 {
            match Dnsmasq::launch(free_dns_port(), txt)? {
                Ok(dnsmasq) => return Some(dnsmasq),
                Err(failure) => failures.push(failure),
            }
        }
        panic!("dnsmasq did not start: {failures:?}");
    }

    /// Like [`Dnsmasq::start`], on a port chosen beforehand.
    pub fn start_on(port: u16, txt: &[(&str, &str)]) -> Option<Dnsmasq> {
        Some(Dnsmasq::launch(port, txt)?.unwrap_or_else(|failure| panic!("{failure}")))
    }

    /// `None` when dnsmasq is not installed; an error when it exited instead of listening.
    fn launch(port: u16, txt: &[(&str, &str)]) -> Option<Result<Dnsmasq, String>> {
        let Some(binary) = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            skip("dnsmasq is not installed (apt-get install dnsmasq-base)");
            return None;
        };
        let mut args = vec![
            "--keep-in-foreground".to_owned(),
            "--no-resolv".to_owned(),
            "--no-hosts".to_owned(),
            "--no-poll".to_owned(),
            "--bind-interfaces".to_owned(),
            "--listen-address=127.0.0.1".to_owned(),
            "--pid-file=".to_owned(),
            "--local=/#/".to_owned(),
            format!("--port={port}"),
        ];
        for (name, value) in txt {
            args.push(format!("--txt-record={name},{value}"));
        }
        // Its errors (a port already taken) come on stderr and end it; it logs nothing else
        // there, so the pipe never fills.
        let mut child = Command::new(binary)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dnsmasq starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        // dnsmasq answers TCP on the same port once it is up.
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Some(status) = child.try_wait().expect("dnsmasq can be waited for") {
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                return Some(Err(format!(
                    "dnsmasq on port {port} exited ({status}): {}",
                    stderr.trim()
                )));
            }
            assert!(
                Instant::now() < deadline,
                "dnsmasq did not start listening on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Ok(Dnsmasq {
            _peer: Peer(child),
            addr,
        }))
    }
}

/// A port free for both UDP and TCP on loopback, as a DNS server needs: for a test that must
/// name its DNS server before starting it ([`Dnsmasq::start_on`]). It is taken below
/// Linux's ephemeral range (32768 and up), where the ports of every other test's listeners
/// (bound to port 0) and outgoing connections come from, so none of them can take it between
/// the choice and dnsmasq binding it.
pub fn free_dns_port() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let port = 20_000 + (hasher.finish() % 12_000) as u16;
        if UdpSocket::bind(("127.0.0.1", port)).is_ok()
            && TcpListener::bind(("127.0.0.1", port)).is_ok()
        {
            return port;
        }
    }
}

fn wait_for_tcp(addr: SocketAddr, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start listening on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// medallion (PyPI), the TAXII 2.1 reference server, on a free loopback port with its memory
/// backend: one API root, `api1`, holding the collections asked for, readable and writable by
/// one user (HTTP Basic).
pub struct Medallion {
    _peer: Peer,
    _dir: TempDir,
    /// The discovery URL, `http://127.0.0.1:<port>/taxii2/`.
    pub discovery: String,
    /// The API root's URL.
    pub api_root: String,
    pub user: &'static str,
    pub password: &'static str,
}

impl Medallion {
    /// Starts medallion with empty collections of these ids and titles; `max_page_size` caps
    /// the `limit` a client may ask for.
    pub fn start(collections: &[(&str, &str)], max_page_size: usize) -> Option<Medallion> {
        let installed = Command::new("python3")
            .args(["-c", "import medallion"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            skip("medallion is not installed (python3 -m pip install medallion)");
            return None;
        }
        let port = free_tcp_port();
        let dir = TempDir::new("forewarn-medallion");
        let base = format!("http://127.0.0.1:{port}");
        let api_root = format!("{base}/api1/");
        let collections: Vec<String> = collections
            .iter()
            .map(|(id, title)| {
                format!(
                    r#"{{"id": "{id}", "title": "{title}", "can_read": true, "can_write": true,
                        "media_types": ["application/stix+json;version=2.1"],
                        "objects": [], "manifest": []}}"#
                )
            })
            .collect();
        let data = format!(
            r#"{{"/discovery": {{"title": "forewarn test TAXII server", "default": "{api_root}",
                 "api_roots": ["{api_root}"]}},
               "api1": {{"information": {{"title": "Test API root",
                   "versions": ["application/taxii+json;version=2.1"],
                   "max_content_length": 104857600}},
                 "status": [], "collections": [{}]}}}}"#,
            collections.join(",")
        );
        std::fs::write(dir.path().join("data.json"), data).expect("medallion's data is written");
        let config = format!(
            r#"{{"backend": {{"module": "medallion.backends.memory_backend",
                 "module_class": "MemoryBackend", "filename": "{}"}},
               "users": {{"reader": "s3cret-for-tests"}},
               "taxii": {{"max_page_size": {max_page_size}}}}}"#,
            dir.path().join("data.json").display()
        );
        std::fs::write(dir.path().join("config.json"), config)
            .expect("medallion's configuration is written");
        let child = Command::new("python3")
            .args([
                "-m",
                "medallion.scripts.run",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .arg(dir.path().join("config.json"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("medallion starts");
        let peer = Peer(child);
        wait_for_tcp(SocketAddr::from(([127, 0, 0, 1], port)), "medallion");
        Some(Medallion {
            _peer: peer,
            _dir: dir,
            discovery: format!("{base}/taxii2/"),
            api_root,
            user: "reader",
            password: "s3cret-for-tests",
        })
    }
}

/// aiosmtpd (PyPI) on a free loopback port, delivering every message into a Maildir.
pub struct SmtpReceiver {
    _peer: Peer,
    pub addr: SocketAddr,
    maildir: TempDir,
}

impl SmtpReceiver {
    pub fn start() -> Option<SmtpReceiver> {
        SmtpReceiver::spawn(None)
    }

    /// Like [`SmtpReceiver::start`], but recipients whose address starts with `refused`
    /// are refused for good at RCPT (550 5.1.1), as a relay answers for a mailbox that does
    /// not exist.
    pub fn start_refusing(refused: &str) -> Option<SmtpReceiver> {
        SmtpReceiver::spawn(Some(refused))
    }

    fn spawn(refused: Option<&str>) -> Option<SmtpReceiver> {
        let installed = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            skip("aiosmtpd is not installed (python3 -m pip install aiosmtpd)");
            return None;
        }
        let port = free_tcp_port();
        let maildir = TempDir::new("forewarn-maildir");
        let handler = match refused {
            None => "aiosmtpd.handlers.Mailbox",
            Some(prefix) => {
                std::fs::write(
                    maildir.path().join("refusing.py"),
                    format!(
                        "from aiosmtpd.handlers import Mailbox\n\
                         class Refusing(Mailbox):\n\
                         \x20   async def handle_RCPT(self, server, session, envelope, address, rcpt_options):\n\
                         \x20       if address.lower().startswith({prefix:?}):\n\
                         \x20           return f'550 5.1.1 <{{address}}>: no such mailbox here'\n\
                         \x20       envelope.rcpt_tos.append(address)\n\
                         \x20       return '250 OK'\n"
                    ),
                )
                .expect("the handler is written");
                "refusing.Refusing"
            }
        };
        let child = Command::new("python3")
            .env("PYTHONPATH", maildir.path())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                handler,
            ])
            // aiosmtpd creates the Maildir's folders only when the path does not exist yet.
            .arg(maildir.path().join("mail"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_for_tcp(addr, "aiosmtpd");
        Some(SmtpReceiver {
            _peer: Peer(child),
            addr,
            maildir,
        })
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut paths: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(self.maildir.path().join("mail").join(d)).ok())
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }

    /// Waits until a message to `recipient` arrives and returns it.
    pub async fn wait_for(&self, recipient: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| {
                m.lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(recipient))
            }) {
                return m;
            }
            assert!(Instant::now() < deadline, "no mail to {recipient} arrived");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// ChromeDriver (Debian's chromium-driver) on a free loopback port, for the web UI's tests,
/// driving Debian's headless Chromium.
pub struct ChromeDriver {
    _peer: Peer,
    /// Where the WebDriver protocol is spoken.
    pub url: String,
}

impl ChromeDriver {
    pub const CHROMIUM: &'static str = "/usr/bin/chromium";

    pub fn start() -> Option<ChromeDriver> {
        let Some(binary) = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            skip("chromedriver is not installed (apt-get install chromium chromium-driver)");
            return None;
        };
        if !Path::new(Self::CHROMIUM).exists() {
            skip("chromium is not installed (apt-get install chromium chromium-driver)");
            return None;
        }
        let port = free_tcp_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_for_tcp(addr, "chromedriver");
        Some(ChromeDriver {
            _peer: Peer(child),
            url: format!("http://{addr}"),
        })
    }
}

/// The NATS server (with JetStream) tests may use, from `FOREWARN_TEST_NATS_URL`; `None`, said
/// aloud, when it is not set (and a failure in CI).
pub fn nats_url() -> Option<String> {
    match std::env::var("FOREWARN_TEST_NATS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            skip("FOREWARN_TEST_NATS_URL is not set, so nothing runs against NATS JetStream");
            None
        }
    }
}

/// A name no other test run uses, for streams and buckets on a shared server.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix}-{}", random_hex(6))
}

/// Dovecot (Debian's dovecot-imapd) on a free loopback port, plain IMAP, with one mailbox per
/// `(user, password)`. Run as root, it drops to the `dovecot` system user for mail; otherwise
/// everything runs as the current user.
pub struct Dovecot {
    _peer: Peer,
    _dir: TempDir,
    pub addr: SocketAddr,
}

impl Dovecot {
    pub fn start(users: &[(&str, &str)]) -> Option<Dovecot> {
        let binary = Path::new("/usr/sbin/dovecot");
        if !binary.exists() {
            skip("Dovecot is not installed (apt-get install dovecot-imapd)");
            return None;
        }
        let dir = TempDir::new("dovecot");
        let root = dir.path();
        let port = free_tcp_port();
        let id = |flag: &str, user: Option<&str>| -> String {
            let output = Command::new("id")
                .arg(flag)
                .args(user)
                .output()
                .expect("id runs");
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        };
        let is_root = id("-u", None) == "0";
        let (internal, login, mail_user) = if is_root {
            ("dovecot".to_owned(), "dovenull".to_owned(), "dovecot")
        } else {
            let me = id("-un", None);
            (me.clone(), me, "")
        };
        let mail_user = (!mail_user.is_empty()).then_some(mail_user);
        let (uid, gid) = (id("-u", mail_user), id("-g", mail_user));
        for sub in ["run", "state", "mail"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        if is_root {
            let (uid, gid): (u32, u32) = (uid.parse().unwrap(), gid.parse().unwrap());
            std::os::unix::fs::chown(root.join("mail"), Some(uid), Some(gid)).unwrap();
            std::os::unix::fs::chown(root, Some(uid), Some(gid)).unwrap();
        }
        let users_file: String = users
            .iter()
            .map(|(user, password)| format!("{user}:{{PLAIN}}{password}\n"))
            .collect();
        std::fs::write(root.join("users"), users_file).unwrap();
        let r = root.display();
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {r}/run\nstate_dir = {r}/state\nlog_path = {r}/dovecot.log\n\
             ssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\nfirst_valid_uid = 1\n\
             default_internal_user = {internal}\ndefault_login_user = {login}\nmail_location = maildir:{r}/mail/%u\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}/mail/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n"
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        // Dovecot keeps stderr open after it starts: its output goes to a file, never a pipe.
        let log = std::fs::File::create(root.join("stderr.log")).unwrap();
        let child = Command::new(binary)
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("dovecot starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_for_tcp(addr, "dovecot");
        Some(Dovecot {
            _peer: Peer(child),
            _dir: dir,
            addr,
        })
    }
}

/// One request a [`WebhookReceiver`] took: its headers (names in lower case), body, and when
/// it arrived.
#[derive(Clone, Debug)]
pub struct WebhookRequest {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: std::time::Instant,
}

impl WebhookRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Hook = Box<dyn Fn(&WebhookRequest) + Send + Sync>;

#[derive(Clone)]
struct Receiving {
    requests: std::sync::Arc<std::sync::Mutex<Vec<WebhookRequest>>>,
    answer: std::sync::Arc<std::sync::atomic::AtomicU16>,
    hook: std::sync::Arc<std::sync::Mutex<Option<Hook>>>,
}

/// An HTTP server on loopback that takes webhooks: it keeps every request and answers with
/// the status set by [`WebhookReceiver::answer_with`] (204 at first). Runs on the caller's
/// Tokio runtime.
pub struct WebhookReceiver {
    pub url: String,
    receiving: Receiving,
}

impl WebhookReceiver {
    pub async fn start() -> WebhookReceiver {
        let receiving = Receiving {
            requests: Default::default(),
            answer: std::sync::Arc::new(std::sync::atomic::AtomicU16::new(204)),
            hook: Default::default(),
        };
        let state = receiving.clone();
        let app = axum::Router::new().fallback(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let state = state.clone();
                async move {
                    let request = WebhookRequest {
                        headers: headers
                            .iter()
                            .map(|(n, v)| {
                                (
                                    n.as_str().to_owned(),
                                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                                )
                            })
                            .collect(),
                        body: body.to_vec(),
                        at: std::time::Instant::now(),
                    };
                    if let Some(hook) = state.hook.lock().unwrap().as_ref() {
                        hook(&request);
                    }
                    state.requests.lock().unwrap().push(request);
                    let status = state.answer.load(std::sync::atomic::Ordering::SeqCst);
                    axum::http::StatusCode::from_u16(status)
                        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/forewarn", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        WebhookReceiver { url, receiving }
    }

    /// Answers every later request with `status`.
    pub fn answer_with(&self, status: u16) {
        self.receiving
            .answer
            .store(status, std::sync::atomic::Ordering::SeqCst);
    }

    /// Calls `hook` with every request before it is answered.
    pub fn on_request(&self, hook: impl Fn(&WebhookRequest) + Send + Sync + 'static) {
        *self.receiving.hook.lock().unwrap() = Some(Box::new(hook));
    }

    pub fn requests(&self) -> Vec<WebhookRequest> {
        self.receiving.requests.lock().unwrap().clone()
    }

    /// The requests once there are at least `count`; panics after `within`.
    pub async fn wait_for(&self, count: usize, within: std::time::Duration) -> Vec<WebhookRequest> {
        let deadline = std::time::Instant::now() + within;
        loop {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} webhook requests arrived, not {count}",
                requests.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// A small, seeded source of randomness (xorshift) for tests that print their seed, so a
/// failing run can be replayed.
pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock; the seed is printed with `what`.
    pub fn from_clock(what: &str) -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("{what}: seed {seed}");
        Rng(seed)
    }

    /// A number below `below`.
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// Sends mail to an SMTP listener at a fixed rate, as the load generators do.
pub mod smtp_load {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpStream;

    /// What became of the messages sent.
    pub struct Sent {
        /// When each message answered 250 came back, by message number.
        pub accepted: Vec<(usize, Instant)>,
        pub refused: usize,
        pub started: Instant,
        pub took: Duration,
    }

    async fn reply(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> u16 {
        loop {
            let mut line = String::new();
            if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                return 0;
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            }
        }
    }

    /// Sends `total` messages to `recipient` at `addr`, message `n` due at `n / rate` seconds
    /// (an open loop: lateness does not slow the schedule down), over `connections`
    /// connections with the envelope pipelined. `message(n)` is the message's text, without
    /// the final dot.
    pub async fn send_at_rate(
        addr: &str,
        recipient: &str,
        rate: f64,
        total: usize,
        connections: usize,
        message: impl Fn(usize, &str) -> String + Send + Sync + 'static,
    ) -> Sent {
        let message = Arc::new(message);
        let next = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let refused = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..connections {
            let (next, accepted, refused) = (next.clone(), accepted.clone(), refused.clone());
            let message = message.clone();
            let (addr, recipient) = (addr.to_owned(), recipient.to_owned());
            tasks.spawn(async move {
                let stream = TcpStream::connect(&addr).await.expect("the listener answers");
                // Like a mail server, write without waiting for the last segment's ACK.
                stream.set_nodelay(true).unwrap();
                let (read, mut write) = stream.into_split();
                let mut read = BufReader::new(read);
                reply(&mut read).await;
                write.write_all(b"EHLO load.example\r\n").await.unwrap();
                reply(&mut read).await;
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= total {
                        break;
                    }
                    let due = started + Duration::from_secs_f64(n as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                    let envelope = format!(
                        "MAIL FROM:<journal@exchange.load.example>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n"
                    );
                    write.write_all(envelope.as_bytes()).await.unwrap();
                    let codes = [
                        reply(&mut read).await,
                        reply(&mut read).await,
                        reply(&mut read).await,
                    ];
                    if codes != [250, 250, 354] {
                        refused.fetch_add(1, Ordering::SeqCst);
                        write.write_all(b"RSET\r\n").await.unwrap();
                        reply(&mut read).await;
                        continue;
                    }
                    let mut data = message(n, &recipient).into_bytes();
                    data.extend_from_slice(b".\r\n");
                    write.write_all(&data).await.unwrap();
                    if reply(&mut read).await == 250 {
                        accepted.lock().unwrap().push((n, Instant::now()));
                    } else {
                        refused.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let _ = write.write_all(b"QUIT\r\n").await;
            });
        }
        while tasks.join_next().await.is_some() {}
        let accepted = std::mem::take(&mut *accepted.lock().unwrap());
        Sent {
            accepted,
            refused: refused.load(Ordering::SeqCst),
            started,
            took: started.elapsed(),
        }
    }
}

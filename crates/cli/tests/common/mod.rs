//! `forewarn serve` as the end-to-end tests run it: SQLite in a data directory, the HTTP and
//! SMTP listeners on loopback, its log kept to show when a test fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `forewarn serve`, stopped on drop.
pub struct Serve {
    child: Child,
    log: PathBuf,
    /// The HTTP listener's port.
    pub http: u16,
    /// The SMTP listener's port.
    pub smtp: u16,
}

impl Serve {
    /// Starts `forewarn serve` with the configuration file `config` and the data directory
    /// `data`, in `dir`, on free ports, and waits until its SMTP listener accepts connections.
    pub fn start(dir: &Path, config: &Path, data: &Path) -> Serve {
        let (http, smtp) = (
            forewarn_test_support::free_tcp_port(),
            forewarn_test_support::free_tcp_port(),
        );
        let log = dir.join("serve.log");
        let child = Command::new(env!("CARGO_BIN_EXE_forewarn"))
            .args(["serve", "--config"])
            .arg(config)
            .arg("--data-dir")
            .arg(data)
            .args(["--listen", &format!("127.0.0.1:{http}")])
            .args(["--smtp-listen", &format!("127.0.0.1:{smtp}")])
            .current_dir(dir)
            .env_remove("FOREWARN_DATABASE_URL")
            .env_remove("FOREWARN_NATS_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let serve = Serve {
            child,
            log,
            http,
            smtp,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", smtp)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the SMTP listener did not start; forewarn said:\n{}",
                serve.said()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        serve
    }

    /// What the process has logged so far.
    pub fn said(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An API token for an invited `user`, who accepts the invitation first, made straight in the
/// store `forewarn serve` will open.
#[allow(dead_code)] // not every test binary makes tokens
pub async fn token_for(store: &forewarn_store::Store, user: &forewarn_store::UserId) -> String {
    let password = forewarn_server::auth::hash_password("a long test password".into())
        .await
        .unwrap();
    store.accept_invitation(user, &password).await.unwrap();
    let user = store.find_user_by_id(user).await.unwrap().unwrap();
    let id = forewarn_store::TokenId(forewarn_store::new_id());
    let token = forewarn_server::auth::new_api_token(&id);
    let hash = forewarn_server::auth::hash_password(token.clone())
        .await
        .unwrap();
    store
        .insert_api_token_with_id(&user, &id, "e2e", &hash)
        .await
        .unwrap();
    token
}

//! Personal data sealed at rest: people's names and mail addresses and the addresses of the
//! mailboxes they opted in are stored encrypted (XChaCha20-Poly1305, a fresh random nonce per
//! value), so a copy of the database alone does not say who opted in. Lookups by address go
//! through a keyed hash of the address (HMAC-SHA-256), the blind index, never the value.
//!
//! The keys come from a key file: one key per line, 64 hex digits, the first one current. A
//! value is written `sealed:v1:<key id>:<base64 of nonce and ciphertext>`; any key in the file
//! opens what it sealed, and on every start the store reseals whatever the current key did not
//! seal (values written before the file existed, or under an older key) and recomputes the
//! indexes. Rotating is prepending a new key, restarting every process, then dropping the old
//! key once a start has resealed everything.
//!
//! Without a key file (tests, tools that never see personal data) values are stored as they
//! are and the index is an unkeyed SHA-256, so lookups still work.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

const PREFIX: &str = "sealed:v1:";

/// One key: what it seals with and what it indexes with, both derived from the key file's line.
#[derive(Clone)]
struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
    index: [u8; 32],
}

impl Key {
    fn from_secret(secret: &[u8; 32]) -> Key {
        let derive = |purpose: &[u8]| -> [u8; 32] {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
            mac.update(purpose);
            mac.finalize().into_bytes().into()
        };
        let id: String = Sha256::digest(derive(b"forewarn key id"))
            .iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect();
        Key {
            id,
            cipher: XChaCha20Poly1305::new(&derive(b"forewarn seal").into()),
            index: derive(b"forewarn blind index"),
        }
    }
}

/// The keys personal data is sealed with; the first is current.
#[derive(Clone)]
pub struct Keyring {
    keys: Arc<Vec<Key>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        write!(f, "Keyring({ids:?})")
    }
}

/// Keys every store of this process holds, by id, so that a row read anywhere can be opened.
fn openers() -> &'static RwLock<HashMap<String, XChaCha20Poly1305>> {
    static OPENERS: OnceLock<RwLock<HashMap<String, XChaCha20Poly1305>>> = OnceLock::new();
    OPENERS.get_or_init(Default::default)
}

impl Keyring {
    /// Reads a key file's text: one key per line as 64 hex digits, `#` comments and blank
    /// lines ignored, the first key current.
    pub fn parse(text: &str) -> Result<Keyring> {
        let mut keys = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bytes: Option<Vec<u8>> = (line.len() == 64)
                .then(|| {
                    (0..64)
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&line[i..i + 2], 16).ok())
                        .collect()
                })
                .flatten();
            let secret: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
                Error::Keys(format!("line {} is not a key of 64 hex digits", n + 1))
            })?;
            keys.push(Key::from_secret(&secret));
        }
        if keys.is_empty() {
            return Err(Error::Keys("the key file holds no key".to_owned()));
        }
        let mut known = openers().write().unwrap_or_else(|e| e.into_inner());
        for key in &keys {
            known.insert(key.id.clone(), key.cipher.clone());
        }
        Ok(Keyring {
            keys: Arc::new(keys),
        })
    }

    /// The text of a new key file with one fresh key.
    pub fn generate() -> String {
        format!(
            "# forewarn's keys for personal data at rest: the first seals, every one opens.\n\
             # Keep a copy apart from the database's backups; without it the names and\n\
             # addresses in the database cannot be read.\n{}\n",
            crate::random_hex(32)
        )
    }

    /// Reads the key file at `path`, or makes one with a fresh key, readable and writable by
    /// its owner only, when there is none; says whether it was made.
    pub fn load_or_create(path: &std::path::Path) -> Result<(Keyring, bool)> {
        let failed = |e: std::io::Error| Error::Keys(format!("{}: {e}", path.display()));
        let made = match std::fs::metadata(path) {
            Ok(_) => false,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_private(path, &Keyring::generate()).map_err(failed)?;
                true
            }
            Err(e) => return Err(failed(e)),
        };
        let text = std::fs::read_to_string(path).map_err(failed)?;
        let keys =
            Keyring::parse(&text).map_err(|e| Error::Keys(format!("{}: {e}", path.display())))?;
        Ok((keys, made))
    }

    /// The current key's id, as sealed values name it.
    pub fn current(&self) -> &str {
        &self.keys[0].id
    }

    /// The ids of every key held.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.id.clone()).collect()
    }

    fn seal(&self, plain: &str) -> String {
        let key = &self.keys[0];
        let mut nonce = [0u8; 24];
        getrandom::getrandom(&mut nonce).expect("the operating system provides randomness");
        let sealed = key
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .expect("sealing a short value cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}:{}", key.id, STANDARD_NO_PAD.encode(bytes))
    }
}

/// Writes a new file readable and writable by its owner only, synced to disk.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Seals `plain` with the current key, or leaves it as it is without keys.
pub(crate) fn seal(keys: Option<&Keyring>, plain: &str) -> String {
    match keys {
        Some(keys) if !plain.is_empty() => keys.seal(plain),
        _ => plain.to_owned(),
    }
}

/// The blind index of an address: a keyed hash of its lower-case form (unkeyed without keys).
pub(crate) fn index(keys: Option<&Keyring>, address: &str) -> String {
    let normal = address.trim().to_lowercase();
    let bytes: Vec<u8> = match keys {
        Some(keys) => {
            let mut mac =
                <Hmac<Sha256> as Mac>::new_from_slice(&keys.keys[0].index).expect("any key length");
            mac.update(normal.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        None => Sha256::digest(normal.as_bytes()).to_vec(),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The id of the key a stored value was sealed with; none for a value stored as it is.
pub(crate) fn sealed_with(stored: &str) -> Option<&str> {
    stored.strip_prefix(PREFIX)?.split(':').next()
}

/// Opens a stored value: a sealed one with the key that sealed it, any other as it is.
pub(crate) fn open(stored: String) -> Result<String> {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        return Ok(stored);
    };
    let (id, body) = rest
        .split_once(':')
        .ok_or(Error::Corrupt("sealed value", String::new()))?;
    let cipher = openers()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(id)
        .cloned()
        .ok_or_else(|| {
            Error::Keys(format!(
                "personal data is sealed with key {id}, which the key file does not hold"
            ))
        })?;
    let bytes = STANDARD_NO_PAD
        .decode(body)
        .map_err(|_| Error::Corrupt("sealed value", id.to_owned()))?;
    if bytes.len() < 24 {
        return Err(Error::Corrupt("sealed value", id.to_owned()));
    }
    let (nonce, sealed) = bytes.split_at(24);
    let plain = cipher
        .decrypt(XNonce::from_slice(nonce), sealed)
        .map_err(|_| Error::Corrupt("sealed value (wrong key or altered)", id.to_owned()))?;
    String::from_utf8(plain).map_err(|_| Error::Corrupt("sealed value", id.to_owned()))
}

/// [`open`] for a column that may be empty.
pub(crate) fn open_optional(stored: Option<String>) -> Result<Option<String>> {
    stored.map(open).transpose()
}

impl crate::Store {
    /// Seals with the current key whatever it did not seal (values written before there were
    /// keys, or under an older key) and fills in missing indexes. Refused when a value is
    /// sealed with a key this store does not hold, or sealed at all when it holds none: such
    /// data would otherwise become unreadable, or be mixed with values stored as they are.
    pub(crate) async fn reseal(&self) -> Result<()> {
        use sqlx::Row;
        let keys = self.keys.as_ref();
        let held = keys.map(Keyring::ids).unwrap_or_default();
        let current = keys.map(|k| k.current().to_owned());
        let stale = |value: &str| -> Result<bool> {
            match sealed_with(value) {
                Some(id) if !held.iter().any(|h| h == id) => Err(Error::Keys(format!(
                    "the database holds personal data sealed with key {id}; start with the key file that holds it"
                ))),
                Some(id) => Ok(current.as_deref() != Some(id)),
                None => Ok(current.is_some() && !value.is_empty()),
            }
        };
        let users = sqlx::query("SELECT id, name, email, email_index FROM users")
            .fetch_all(&self.writer)
            .await?;
        let mut resealed = 0usize;
        for row in users {
            let id: String = row.try_get("id")?;
            let name: String = row.try_get("name")?;
            let email: Option<String> = row.try_get("email")?;
            let indexed: Option<String> = row.try_get("email_index")?;
            let email_stale = match &email {
                Some(e) => stale(e)? || indexed.is_none(),
                None => false,
            };
            if !stale(&name)? && !email_stale {
                continue;
            }
            let name = open(name)?;
            let email = open_optional(email)?;
            sqlx::query("UPDATE users SET name = $2, email = $3, email_index = $4 WHERE id = $1")
                .bind(id)
                .bind(seal(keys, &name))
                .bind(email.as_deref().map(|e| seal(keys, e)))
                .bind(email.as_deref().map(|e| index(keys, e)))
                .execute(&self.writer)
                .await?;
            resealed += 1;
        }
        let accounts = sqlx::query(
            "SELECT id, address, address_index FROM accounts WHERE address IS NOT NULL",
        )
        .fetch_all(&self.writer)
        .await?;
        for row in accounts {
            let id: String = row.try_get("id")?;
            let address: String = row.try_get("address")?;
            let indexed: Option<String> = row.try_get("address_index")?;
            if !stale(&address)? && indexed.is_some() {
                continue;
            }
            let address = open(address)?;
            sqlx::query("UPDATE accounts SET address = $2, address_index = $3 WHERE id = $1")
                .bind(id)
                .bind(seal(keys, &address))
                .bind(index(keys, &address))
                .execute(&self.writer)
                .await?;
            resealed += 1;
        }
        let feeds = sqlx::query("SELECT id, credentials FROM feeds WHERE credentials IS NOT NULL")
            .fetch_all(&self.writer)
            .await?;
        for row in feeds {
            let id: String = row.try_get("id")?;
            let credentials: String = row.try_get("credentials")?;
            if !stale(&credentials)? {
                continue;
            }
            let credentials = open(credentials)?;
            sqlx::query("UPDATE feeds SET credentials = $2 WHERE id = $1")
                .bind(id)
                .bind(seal(keys, &credentials))
                .execute(&self.writer)
                .await?;
            resealed += 1;
        }
        if resealed > 0 {
            tracing::info!(
                resealed,
                key = current.as_deref().unwrap_or("none"),
                "personal data resealed"
            );
        }
        Ok(())
    }

    /// The keys personal data is sealed with, if any.
    pub(crate) fn keys(&self) -> Option<&Keyring> {
        self.keys.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_any_key_held_and_say_nothing() {
        let old = Keyring::parse(&Keyring::generate()).unwrap();
        let text = format!("{}\n{}", crate::random_hex(32), crate::random_hex(32));
        let both = Keyring::parse(&text).unwrap();
        let sealed = seal(Some(&old), "amina@mailbox.example");
        assert!(!sealed.contains("amina"));
        assert_ne!(
            sealed,
            seal(Some(&old), "amina@mailbox.example"),
            "a fresh nonce each time"
        );
        assert_eq!(sealed_with(&sealed), Some(old.current()));
        assert_eq!(open(sealed.clone()).unwrap(), "amina@mailbox.example");
        assert_eq!(open("plain".into()).unwrap(), "plain");
        assert_ne!(both.current(), old.current());
        // The index depends on the key and not on the case.
        assert_eq!(
            index(Some(&old), "Amina@Mailbox.example"),
            index(Some(&old), "amina@mailbox.example")
        );
        assert_ne!(
            index(Some(&old), "a@b.example"),
            index(Some(&both), "a@b.example")
        );
        // An altered value and an unknown key are errors, not garbage.
        let mut altered = sealed.clone();
        altered.replace_range(altered.len() - 4.., "AAAA");
        assert!(open(altered).is_err());
        assert!(matches!(
            open("sealed:v1:00000000:AAAA".into()),
            Err(Error::Keys(_))
        ));
        assert!(Keyring::parse("# nothing\n").is_err());
        assert!(Keyring::parse("abc\n").is_err());
    }
}

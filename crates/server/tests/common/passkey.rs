//! A passkey held in software, for the API tests: it answers WebAuthn's registration and
//! sign-in as an authenticator does (packed CBOR, ES256, a signature counter), so the tests
//! exercise the server's checks the way a browser's passkey would. The browser test uses
//! Chromium's virtual authenticator instead.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct SoftPasskey {
    key: SigningKey,
    pub id: Vec<u8>,
    counter: u32,
}

/// A CBOR head: major type and argument.
fn head(major: u8, n: usize, out: &mut Vec<u8>) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=255 => out.extend([major | 24, n as u8]),
        _ => {
            out.push(major | 25);
            out.extend((n as u16).to_be_bytes());
        }
    }
}

fn int(value: i64, out: &mut Vec<u8>) {
    if value >= 0 {
        head(0, value as usize, out);
    } else {
        head(1, (-1 - value) as usize, out);
    }
}

fn bytes(value: &[u8], out: &mut Vec<u8>) {
    head(2, value.len(), out);
    out.extend_from_slice(value);
}

fn text(value: &str, out: &mut Vec<u8>) {
    head(3, value.len(), out);
    out.extend_from_slice(value.as_bytes());
}

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

impl SoftPasskey {
    pub fn new() -> SoftPasskey {
        let random = |n| {
            let hex = forewarn_store::random_hex(n);
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect::<Vec<u8>>()
        };
        SoftPasskey {
            key: SigningKey::from_slice(&random(32)).expect("a scalar"),
            id: random(16),
            counter: 0,
        }
    }

    fn client_data(kind: &str, options: &Value, origin: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind,
            "challenge": options["challenge"],
            "origin": origin,
            "crossOrigin": false,
        }))
        .unwrap()
    }

    /// The COSE form of the public key: EC2, ES256, P-256, x, y.
    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_bytes();
        assert_eq!(point.len(), 65, "an uncompressed point");
        let mut out = Vec::new();
        head(5, 5, &mut out);
        int(1, &mut out);
        int(2, &mut out);
        int(3, &mut out);
        int(-7, &mut out);
        int(-1, &mut out);
        int(1, &mut out);
        int(-2, &mut out);
        bytes(&point[1..33], &mut out);
        int(-3, &mut out);
        bytes(&point[33..], &mut out);
        out
    }

    /// The answer to `navigator.credentials.create` with these options.
    pub fn register(&mut self, options: &Value, origin: &str) -> Value {
        let rp = options["rp"]["id"].as_str().unwrap();
        let mut auth_data = Sha256::digest(rp.as_bytes()).to_vec();
        auth_data.push(0x45); // user present, user verified, credential attested
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.id.len() as u16).to_be_bytes());
        auth_data.extend(&self.id);
        auth_data.extend(self.cose_key());
        let mut attestation = Vec::new();
        head(5, 3, &mut attestation);
        text("fmt", &mut attestation);
        text("none", &mut attestation);
        text("attStmt", &mut attestation);
        head(5, 0, &mut attestation);
        text("authData", &mut attestation);
        bytes(&auth_data, &mut attestation);
        json!({
            "id": b64(&self.id),
            "response": {
                "clientDataJSON": b64(&Self::client_data("webauthn.create", options, origin)),
                "attestationObject": b64(&attestation),
            },
        })
    }

    /// The answer to `navigator.credentials.get` with these options; the counter moves on.
    pub fn sign(&mut self, options: &Value, origin: &str) -> Value {
        self.counter += 1;
        let rp = options["rpId"].as_str().unwrap();
        let mut auth_data = Sha256::digest(rp.as_bytes()).to_vec();
        auth_data.push(0x05);
        auth_data.extend(self.counter.to_be_bytes());
        let client_data = Self::client_data("webauthn.get", options, origin);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.id),
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
            },
        })
    }
}

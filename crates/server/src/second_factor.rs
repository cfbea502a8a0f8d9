//! Checking second factors: authenticator-app codes (TOTP, RFC 6238), passkeys (WebAuthn
//! Level 2 registrations and assertions with ES256 keys) and recovery codes. Nothing here
//! touches the store; the service layer keeps what these checks return and makes each use
//! count once.
//!
//! Passkeys are registered without attestation (`attestation: "none"`): forewarn does not
//! need to know the make of a person's authenticator, only that the same key signs later.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Verifier;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use argon2::password_hash::rand_core::{OsRng, RngCore};

/// `n` random bytes from the operating system.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Authenticator-app codes: six digits from HMAC-SHA-1 over 30-second steps.
pub mod totp {
    use super::*;

    /// Seconds per step.
    pub const STEP: i64 = 30;

    /// A new shared secret of 160 bits, in base32 as apps take it.
    pub fn new_secret() -> String {
        base32::encode(&super::random_bytes(20))
    }

    /// The code for `step` (RFC 4226's HOTP with the step as counter).
    pub fn code(secret: &[u8], step: i64) -> u32 {
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret)
            .expect("HMAC takes a key of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let bits = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        bits % 1_000_000
    }

    /// The step a code entered at `unix_time` belongs to, if it is right for the current step
    /// or one on either side (clocks drift, people type slowly). The caller must refuse a step
    /// at or below the last one used.
    pub fn check(secret_base32: &str, entered: &str, unix_time: i64) -> Option<i64> {
        let entered: String = entered.chars().filter(|c| !c.is_whitespace()).collect();
        if entered.len() != 6 || !entered.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let entered: u32 = entered.parse().ok()?;
        let secret = base32::decode(secret_base32)?;
        let now = unix_time.div_euclid(STEP);
        (now - 1..=now + 1).find(|step| code(&secret, *step) == entered)
    }

    /// The `otpauth://` address apps read (from a QR code or pasted), naming forewarn and the
    /// person.
    pub fn uri(issuer: &str, account: &str, secret_base32: &str) -> String {
        let issuer = crate::ui::url_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={secret_base32}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
            crate::ui::url_encode(account)
        )
    }
}

/// RFC 4648 base32 without padding, as authenticator apps write secrets.
mod base32 {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for &b in bytes {
            buffer = (buffer << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
            }
        }
        if bits > 0 {
            out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.bytes().filter(|c| *c != b'=' && *c != b' ') {
            let value = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())?;
            buffer = (buffer << 5) | value as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
            }
        }
        Some(out)
    }
}

/// One-time recovery codes for a person who lost their factors: ten codes of 120 bits each,
/// kept as SHA-256 digests.
pub mod recovery {

    /// How many codes a person gets at a time.
    pub const COUNT: usize = 10;

    /// New codes as the person reads them: `abcd-efgh-…`, 24 base32 letters in groups of four.
    pub fn new_codes() -> Vec<String> {
        (0..COUNT)
            .map(|_| {
                let letters = super::base32::encode(&super::random_bytes(15)).to_lowercase();
                letters
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect()
    }

    /// The digest a code is kept and looked up by; spaces, dashes and case do not matter.
    pub fn digest(code: &str) -> String {
        let normal: String = code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        crate::auth::digest(&normal)
    }
}

/// Why a passkey's answer was not accepted; said to the person as it is.
pub type Refusal = &'static str;

/// Who passkeys are made for: the relying party, taken from forewarn's public address.
#[derive(Clone, Debug)]
pub struct RelyingParty {
    /// The host name passkeys are bound to.
    pub id: String,
    /// The origin pages are served from (`https://forewarn.example`).
    pub origin: String,
}

impl RelyingParty {
    /// The relying party for a public address such as `https://forewarn.example:8443/`.
    pub fn of(public_url: &str) -> Option<RelyingParty> {
        let uri: axum::http::Uri = public_url.parse().ok()?;
        let scheme = uri.scheme_str()?;
        let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
        let origin = match uri.port_u16() {
            Some(port) => format!("{scheme}://{}:{port}", uri.host()?),
            None => format!("{scheme}://{}", uri.host()?),
        };
        Some(RelyingParty {
            id: host.to_ascii_lowercase(),
            origin: origin.to_ascii_lowercase(),
        })
    }
}

/// A new challenge for a passkey to sign, base64url.
pub fn new_challenge() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(32))
}

/// The options `navigator.credentials.create` takes, with binary values in base64url for the
/// page's script to decode. `exclude` holds the person's passkeys already registered.
pub fn creation_options(
    rp: &RelyingParty,
    user_id: &str,
    name: &str,
    display_name: &str,
    challenge: &str,
    exclude: &[String],
) -> Value {
    json!({
        "challenge": challenge,
        "rp": { "id": rp.id, "name": "forewarn" },
        "user": {
            "id": URL_SAFE_NO_PAD.encode(user_id.as_bytes()),
            "name": name,
            "displayName": display_name,
        },
        "pubKeyCredParams": [{ "type": "public-key", "alg": -7 }],
        "timeout": 120_000,
        "attestation": "none",
        "authenticatorSelection": { "residentKey": "preferred", "userVerification": "preferred" },
        "excludeCredentials": exclude.iter().map(|id| json!({ "type": "public-key", "id": id })).collect::<Vec<_>>(),
    })
}

/// The options `navigator.credentials.get` takes for a person with these passkeys.
pub fn request_options(rp: &RelyingParty, challenge: &str, allow: &[String]) -> Value {
    json!({
        "challenge": challenge,
        "rpId": rp.id,
        "timeout": 120_000,
        "userVerification": "preferred",
        "allowCredentials": allow.iter().map(|id| json!({ "type": "public-key", "id": id })).collect::<Vec<_>>(),
    })
}

/// What a browser returns from `navigator.credentials.create`, binary values in base64url.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Registration {
    /// The credential id, base64url.
    pub id: String,
    /// The authenticator's answer.
    pub response: RegistrationResponse,
}

/// The authenticator's answer to a registration.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct RegistrationResponse {
    /// The client data the browser wrote, base64url.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// The CBOR attestation object, base64url.
    #[serde(rename = "attestationObject")]
    pub attestation_object: String,
}

/// What a browser returns from `navigator.credentials.get`, binary values in base64url.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Assertion {
    /// The credential id, base64url.
    pub id: String,
    /// The authenticator's answer.
    pub response: AssertionResponse,
}

/// The authenticator's answer to a sign-in.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct AssertionResponse {
    /// The client data the browser wrote, base64url.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    /// The authenticator data, base64url.
    #[serde(rename = "authenticatorData")]
    pub authenticator_data: String,
    /// The ECDSA signature (DER), base64url.
    pub signature: String,
}

/// A registered passkey: its id, public key (SEC1, uncompressed) and signature counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPasskey {
    /// The credential id, base64url.
    pub credential_id: String,
    /// The public key, SEC1 uncompressed (65 bytes).
    pub public_key: Vec<u8>,
    /// The signature counter at registration.
    pub counter: u32,
}

/// Checks a registration against the challenge this session was given.
pub fn register(
    rp: &RelyingParty,
    challenge: &str,
    registration: &Registration,
) -> Result<NewPasskey, Refusal> {
    let client_data = decode(&registration.response.client_data_json)?;
    check_client_data(&client_data, "webauthn.create", challenge, rp)?;
    let attestation = decode(&registration.response.attestation_object)?;
    let (object, _) = cbor::read(&attestation)?;
    let auth_data = object
        .get_text("authData")
        .and_then(cbor::Value::bytes)
        .ok_or("the attestation carries no authenticator data")?;
    let data = AuthenticatorData::read(auth_data, rp)?;
    if data.flags & ATTESTED == 0 {
        return Err("the authenticator data carries no new credential");
    }
    let rest = &auth_data[37..];
    if rest.len() < 18 {
        return Err("the authenticator data ends inside the credential");
    }
    let id_length = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
    let rest = &rest[18..];
    if rest.len() < id_length || id_length == 0 || id_length > 1023 {
        return Err("the credential id is missing or too long");
    }
    let (credential_id, key) = rest.split_at(id_length);
    if decode(&registration.id)? != credential_id {
        return Err("the credential id differs from the one the authenticator signed");
    }
    let (cose, _) = cbor::read(key)?;
    let public_key = es256_key(&cose)?;
    Ok(NewPasskey {
        credential_id: URL_SAFE_NO_PAD.encode(credential_id),
        public_key,
        counter: data.counter,
    })
}

/// Checks a sign-in against the challenge and the passkey's public key; answers the new
/// signature counter, which the caller must find above the stored one (or both zero).
pub fn verify(
    rp: &RelyingParty,
    challenge: &str,
    public_key: &[u8],
    assertion: &Assertion,
) -> Result<u32, Refusal> {
    let client_data = decode(&assertion.response.client_data_json)?;
    check_client_data(&client_data, "webauthn.get", challenge, rp)?;
    let auth_data = decode(&assertion.response.authenticator_data)?;
    let data = AuthenticatorData::read(&auth_data, rp)?;
    let signature = decode(&assertion.response.signature)?;
    let signature =
        p256::ecdsa::Signature::from_der(&signature).map_err(|_| "the signature cannot be read")?;
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
        .map_err(|_| "the stored key cannot be read")?;
    let mut signed = auth_data.clone();
    signed.extend_from_slice(&Sha256::digest(&client_data));
    key.verify(&signed, &signature)
        .map_err(|_| "the signature does not match the passkey")?;
    Ok(data.counter)
}

const USER_PRESENT: u8 = 0x01;
const ATTESTED: u8 = 0x40;

struct AuthenticatorData {
    flags: u8,
    counter: u32,
}

impl AuthenticatorData {
    fn read(bytes: &[u8], rp: &RelyingParty) -> Result<AuthenticatorData, Refusal> {
        if bytes.len() < 37 {
            return Err("the authenticator data is too short");
        }
        if bytes[..32] != Sha256::digest(rp.id.as_bytes())[..] {
            return Err("the passkey is for another site");
        }
        let flags = bytes[32];
        if flags & USER_PRESENT == 0 {
            return Err("the authenticator did not see the person");
        }
        Ok(AuthenticatorData {
            flags,
            counter: u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]),
        })
    }
}

fn decode(text: &str) -> Result<Vec<u8>, Refusal> {
    if text.len() > 64 * 1024 {
        return Err("a value is too long");
    }
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| "a value is not base64url")
}

fn check_client_data(
    bytes: &[u8],
    kind: &str,
    challenge: &str,
    rp: &RelyingParty,
) -> Result<(), Refusal> {
    #[derive(Deserialize)]
    struct ClientData {
        #[serde(rename = "type")]
        kind: String,
        challenge: String,
        origin: String,
        #[serde(rename = "crossOrigin", default)]
        cross_origin: bool,
    }
    let data: ClientData =
        serde_json::from_slice(bytes).map_err(|_| "the client data cannot be read")?;
    if data.kind != kind {
        return Err("the client data is for another ceremony");
    }
    if !crate::auth::constant_time_eq(data.challenge.as_bytes(), challenge.as_bytes()) {
        return Err("the challenge is not the one given");
    }
    if !data.origin.eq_ignore_ascii_case(&rp.origin) || data.cross_origin {
        return Err("the request came from another site");
    }
    Ok(())
}

/// The SEC1 form of an ES256 COSE key (RFC 9053: kty 2, alg -7, crv 1, x, y).
fn es256_key(cose: &cbor::Value) -> Result<Vec<u8>, Refusal> {
    let int = |label: i64| cose.get_int(label).and_then(cbor::Value::int);
    if int(1) != Some(2) || int(3) != Some(-7) || int(-1) != Some(1) {
        return Err("only ES256 (P-256) passkeys are accepted");
    }
    let x = cose.get_int(-2).and_then(cbor::Value::bytes);
    let y = cose.get_int(-3).and_then(cbor::Value::bytes);
    let (Some(x), Some(y)) = (x, y) else {
        return Err("the public key lacks a coordinate");
    };
    if x.len() != 32 || y.len() != 32 {
        return Err("the public key's coordinates are not 32 bytes");
    }
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(x);
    sec1.extend_from_slice(y);
    p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
        .map_err(|_| "the public key is not a point on P-256")?;
    Ok(sec1)
}

/// A CBOR reader (RFC 8949) for the small, definite-length structures WebAuthn sends. It
/// reads no deeper than 16 levels, and no length beyond what the input holds.
pub mod cbor {
    use super::Refusal;

    /// A CBOR value.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Value {
        /// An integer (major types 0 and 1).
        Int(i128),
        /// A byte string.
        Bytes(Vec<u8>),
        /// A text string.
        Text(String),
        /// An array.
        Array(Vec<Value>),
        /// A map, in the order written.
        Map(Vec<(Value, Value)>),
        /// A tagged value.
        Tag(u64, Box<Value>),
        /// false, true, null, undefined and floats: kept only as their kind.
        Simple(u64),
    }

    impl Value {
        /// The value under a text key of a map.
        pub fn get_text(&self, key: &str) -> Option<&Value> {
            self.get(&Value::Text(key.to_owned()))
        }

        /// The value under an integer key of a map.
        pub fn get_int(&self, key: i64) -> Option<&Value> {
            self.get(&Value::Int(i128::from(key)))
        }

        fn get(&self, key: &Value) -> Option<&Value> {
            match self {
                Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        /// The bytes of a byte string.
        pub fn bytes(&self) -> Option<&[u8]> {
            match self {
                Value::Bytes(b) => Some(b),
                _ => None,
            }
        }

        /// An integer that fits in 64 bits.
        pub fn int(&self) -> Option<i64> {
            match self {
                Value::Int(i) => i64::try_from(*i).ok(),
                _ => None,
            }
        }
    }

    /// Reads one value from the start of `input`; answers it and the bytes it took.
    pub fn read(input: &[u8]) -> Result<(Value, usize), Refusal> {
        let mut at = 0;
        let value = item(input, &mut at, 0)?;
        Ok((value, at))
    }

    fn take<'a>(input: &'a [u8], at: &mut usize, n: u64) -> Result<&'a [u8], Refusal> {
        let n = usize::try_from(n).map_err(|_| "CBOR: a length is too large")?;
        let end = at.checked_add(n).ok_or("CBOR: a length is too large")?;
        let bytes = input.get(*at..end).ok_or("CBOR: the input ends early")?;
        *at = end;
        Ok(bytes)
    }

    fn item(input: &[u8], at: &mut usize, depth: usize) -> Result<Value, Refusal> {
        if depth > 16 {
            return Err("CBOR: nested too deep");
        }
        let head = *take(input, at, 1)?
            .first()
            .ok_or("CBOR: the input ends early")?;
        let (major, info) = (head >> 5, head & 0x1f);
        let argument = match info {
            0..=23 => u64::from(info),
            24 => u64::from(take(input, at, 1)?[0]),
            25 => u64::from(u16::from_be_bytes(
                take(input, at, 2)?.try_into().map_err(|_| "CBOR")?,
            )),
            26 => u64::from(u32::from_be_bytes(
                take(input, at, 4)?.try_into().map_err(|_| "CBOR")?,
            )),
            27 => u64::from_be_bytes(take(input, at, 8)?.try_into().map_err(|_| "CBOR")?),
            _ => return Err("CBOR: indefinite or reserved lengths are not accepted"),
        };
        // Every element takes at least one byte: a count beyond what is left is a lie.
        let left = (input.len() - *at) as u64;
        Ok(match major {
            0 => Value::Int(i128::from(argument)),
            1 => Value::Int(-1 - i128::from(argument)),
            2 => Value::Bytes(take(input, at, argument)?.to_vec()),
            3 => Value::Text(
                String::from_utf8(take(input, at, argument)?.to_vec())
                    .map_err(|_| "CBOR: a text is not UTF-8")?,
            ),
            4 => {
                if argument > left {
                    return Err("CBOR: the input ends early");
                }
                let mut items = Vec::with_capacity(argument as usize);
                for _ in 0..argument {
                    items.push(item(input, at, depth + 1)?);
                }
                Value::Array(items)
            }
            5 => {
                if argument.saturating_mul(2) > left {
                    return Err("CBOR: the input ends early");
                }
                let mut entries = Vec::with_capacity(argument as usize);
                for _ in 0..argument {
                    let key = item(input, at, depth + 1)?;
                    let value = item(input, at, depth + 1)?;
                    entries.push((key, value));
                }
                Value::Map(entries)
            }
            6 => Value::Tag(argument, Box::new(item(input, at, depth + 1)?)),
            _ => Value::Simple(argument),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_the_rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B: the 8-digit codes' last six digits.
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(totp::code(secret, time / totp::STEP), expected, "at {time}");
        }
        let encoded = base32::encode(secret);
        assert_eq!(encoded, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(totp::check(&encoded, "287 082", 59), Some(1));
        assert_eq!(
            totp::check(&encoded, "287082", 59 + 30),
            Some(1),
            "a step late"
        );
        assert_eq!(totp::check(&encoded, "287082", 59 + 90), None);
        assert_eq!(totp::check(&encoded, "28708", 59), None);
        assert_eq!(totp::check("not base32!", "287082", 59), None);
    }

    #[test]
    fn recovery_codes_are_long_and_forgiving_to_type() {
        let codes = recovery::new_codes();
        assert_eq!(codes.len(), recovery::COUNT);
        assert_eq!(codes[0].len(), 29);
        assert_ne!(codes[0], codes[1]);
        assert_eq!(
            recovery::digest(&codes[0]),
            recovery::digest(&codes[0].to_uppercase().replace('-', " "))
        );
    }

    #[test]
    fn the_relying_party_is_the_public_host() {
        let rp = RelyingParty::of("https://Forewarn.Example:8443/").unwrap();
        assert_eq!(rp.id, "forewarn.example");
        assert_eq!(rp.origin, "https://forewarn.example:8443");
        assert_eq!(
            RelyingParty::of("http://localhost:3000").unwrap().origin,
            "http://localhost:3000"
        );
    }

    #[test]
    fn hostile_cbor_is_refused_without_reading_past_its_end() {
        // An array claiming 2^32 items in five bytes, a map claiming more, a string longer
        // than the input, indefinite lengths, and deep nesting.
        for bad in [
            &[0x9a, 0xff, 0xff, 0xff, 0xff][..],
            &[0xba, 0x00, 0x01, 0x00, 0x00, 0x01][..],
            &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
            &[0x9f, 0x01, 0xff][..],
            &[0x81; 40][..],
            &[][..],
        ] {
            assert!(cbor::read(bad).is_err(), "{bad:02x?}");
        }
        let (value, used) = cbor::read(&[0xa1, 0x01, 0x42, 0xab, 0xcd, 0x00]).unwrap();
        assert_eq!(used, 5);
        assert_eq!(
            value.get_int(1).and_then(cbor::Value::bytes),
            Some(&[0xab, 0xcd][..])
        );
    }
}

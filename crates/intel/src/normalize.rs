//! Normalizing indicator values so they compare equal to what `forewarn-mail` extracts, and
//! recognizing the kind of a bare value in a plain list.

use std::net::IpAddr;

use forewarn_mail::domain::normalize_domain;
use forewarn_mail::link::normalize_url;

use crate::model::IndicatorKind;

/// Undoes common defanging: `hxxp://`, `evil[.]example`, `evil(.)example`, `a[@]b`, `[:]`.
pub fn refang(value: &str) -> String {
    let mut v = value.trim().to_owned();
    for (from, to) in [
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("[@]", "@"),
        ("[at]", "@"),
        ("[:]", ":"),
        ("[://]", "://"),
    ] {
        if v.contains(from) {
            v = v.replace(from, to);
        }
    }
    for (from, to) in [
        ("hxxps://", "https://"),
        ("hxxp://", "http://"),
        ("hXXps://", "https://"),
        ("hXXp://", "http://"),
    ] {
        if let Some(rest) = v.strip_prefix(from) {
            v = format!("{to}{rest}");
        }
    }
    v
}

/// Normalizes a value of a known kind, like [`normalize`], but reads an IP address given as a
/// domain (a common producer mistake in STIX and MISP) as the IP it is.
pub fn normalize_lenient(
    kind: IndicatorKind,
    raw: &str,
) -> Result<(IndicatorKind, String), String> {
    if kind == IndicatorKind::Domain {
        if let Ok(ip) = refang(raw).parse::<IpAddr>() {
            return Ok((IndicatorKind::Ip, ip.to_string()));
        }
    }
    normalize(kind, raw).map(|v| (kind, v))
}

/// Normalizes a value of a known kind, or says why it is not one.
pub fn normalize(kind: IndicatorKind, raw: &str) -> Result<String, String> {
    let value = refang(raw);
    let bad = || format!("{value:?} is not a valid {kind}");
    match kind {
        IndicatorKind::Domain => {
            let host = value.strip_prefix("*.").unwrap_or(&value);
            normalize_domain(host).ok_or_else(bad)
        }
        IndicatorKind::Url => normalize_url(&value)
            .filter(|u| u.host.is_some())
            .map(|u| u.key)
            .ok_or_else(bad),
        IndicatorKind::Email => {
            let (local, domain) = value.rsplit_once('@').ok_or_else(bad)?;
            let domain = normalize_domain(domain).ok_or_else(bad)?;
            if local.is_empty() || local.contains(char::is_whitespace) {
                return Err(bad());
            }
            Ok(format!("{}@{domain}", local.to_lowercase()))
        }
        IndicatorKind::Ip => value
            .parse::<IpAddr>()
            .map(|ip| ip.to_string())
            .map_err(|_| bad()),
        IndicatorKind::Cidr => normalize_cidr(&value).ok_or_else(bad),
        IndicatorKind::Md5 => normalize_hash(&value, 32).ok_or_else(bad),
        IndicatorKind::Sha1 => normalize_hash(&value, 40).ok_or_else(bad),
        IndicatorKind::Sha256 => normalize_hash(&value, 64).ok_or_else(bad),
        IndicatorKind::FileName | IndicatorKind::Subject => {
            let v = value.trim().to_lowercase();
            if v.is_empty() {
                Err(format!("empty {kind}"))
            } else {
                Ok(v)
            }
        }
    }
}

fn normalize_hash(value: &str, len: usize) -> Option<String> {
    let v = value.trim();
    (v.len() == len && v.bytes().all(|b| b.is_ascii_hexdigit())).then(|| v.to_ascii_lowercase())
}

/// A network in canonical form: the address masked to its prefix, `198.51.100.0/24`.
/// A full-length prefix (`/32`, `/128`) is not a network; callers treat it as an IP.
pub fn normalize_cidr(value: &str) -> Option<String> {
    let (addr, len) = value.trim().split_once('/')?;
    let ip: IpAddr = addr.parse().ok()?;
    let len: u8 = len.parse().ok()?;
    Some(format!("{}/{len}", mask(ip, len)?))
}

/// Masks an address to a prefix length; `None` when the length is too long for the family.
pub fn mask(ip: IpAddr, len: u8) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v4) if len <= 32 => {
            let bits = u32::from(v4);
            let masked = if len == 0 {
                0
            } else {
                bits & (u32::MAX << (32 - u32::from(len)))
            };
            Some(IpAddr::V4(masked.into()))
        }
        IpAddr::V6(v6) if len <= 128 => {
            let bits = u128::from(v6);
            let masked = if len == 0 {
                0
            } else {
                bits & (u128::MAX << (128 - u32::from(len)))
            };
            Some(IpAddr::V6(masked.into()))
        }
        _ => None,
    }
}

/// Recognizes the kind of a bare value from a plain list and normalizes it. `None` when the
/// value is none of the kinds forewarn matches.
pub fn detect(raw: &str) -> Option<(IndicatorKind, String)> {
    let value = refang(raw);
    let value = value.trim();
    if value.is_empty() || value.len() > 4096 {
        return None;
    }
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some((IndicatorKind::Ip, ip.to_string()));
    }
    if let Some((addr, len)) = value.split_once('/') {
        if let (Ok(ip), Ok(len)) = (addr.parse::<IpAddr>(), len.parse::<u8>()) {
            let full = if ip.is_ipv4() { 32 } else { 128 };
            return if len == full {
                Some((IndicatorKind::Ip, ip.to_string()))
            } else {
                normalize_cidr(value).map(|c| (IndicatorKind::Cidr, c))
            };
        }
    }
    if value.bytes().all(|b| b.is_ascii_hexdigit()) {
        let kind = match value.len() {
            32 => IndicatorKind::Md5,
            40 => IndicatorKind::Sha1,
            64 => IndicatorKind::Sha256,
            _ => return None,
        };
        return Some((kind, value.to_ascii_lowercase()));
    }
    if value.contains("://") || value.contains('/') {
        let url = normalize_url(value)?;
        url.host.as_ref()?;
        return Some((IndicatorKind::Url, url.key));
    }
    if value.contains('@') {
        return normalize(IndicatorKind::Email, value)
            .ok()
            .map(|v| (IndicatorKind::Email, v));
    }
    // host:port, as maltrail writes some entries.
    let host = match value.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !host.contains(':') => {
            host
        }
        _ => value,
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some((IndicatorKind::Ip, ip.to_string()));
    }
    normalize_domain(host.strip_prefix("*.").unwrap_or(host)).map(|d| (IndicatorKind::Domain, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_kinds() {
        let cases = [
            ("Evil[.]Example", IndicatorKind::Domain, "evil.example"),
            (
                "hxxp://evil.example/Login",
                IndicatorKind::Url,
                "evil.example/Login",
            ),
            ("evil.example/path", IndicatorKind::Url, "evil.example/path"),
            (
                "Someone@Mail.Example",
                IndicatorKind::Email,
                "someone@mail.example",
            ),
            ("192.0.2.1", IndicatorKind::Ip, "192.0.2.1"),
            ("192.0.2.1:8080", IndicatorKind::Ip, "192.0.2.1"),
            ("198.51.100.7/24", IndicatorKind::Cidr, "198.51.100.0/24"),
            ("2001:DB8::1", IndicatorKind::Ip, "2001:db8::1"),
            (
                "D41D8CD98F00B204E9800998ECF8427E",
                IndicatorKind::Md5,
                "d41d8cd98f00b204e9800998ecf8427e",
            ),
            ("*.wild.example", IndicatorKind::Domain, "wild.example"),
        ];
        for (raw, kind, value) in cases {
            assert_eq!(detect(raw), Some((kind, value.to_owned())), "{raw}");
        }
        for junk in [
            "",
            "hello world",
            "Linux FinSpy sample",
            "1234",
            "/data/local/tmp/x",
        ] {
            assert_eq!(detect(junk), None, "{junk}");
        }
    }

    #[test]
    fn normalize_says_why() {
        assert!(normalize(IndicatorKind::Sha256, "abc")
            .unwrap_err()
            .contains("not a valid sha256"));
        assert_eq!(
            normalize(IndicatorKind::Cidr, "10.1.2.3/8").unwrap(),
            "10.0.0.0/8"
        );
        assert!(normalize(IndicatorKind::Cidr, "10.1.2.3/33").is_err());
        assert_eq!(
            normalize_lenient(IndicatorKind::Domain, "192.0.2.1"),
            Ok((IndicatorKind::Ip, "192.0.2.1".into()))
        );
    }
}

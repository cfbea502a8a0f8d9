//! URLs as forewarn compares them.

use std::net::IpAddr;

use crate::domain::Domain;

/// Longest URL kept; longer ones are cut before parsing (browsers cap near 2 MB, phishing
/// links are far shorter, and a hostile message must not make us allocate without bound).
pub const MAX_URL_LEN: usize = 8 * 1024;

/// The host of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlHost {
    Domain(Domain),
    Ip(IpAddr),
}

/// A parsed, normalized URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizedUrl {
    /// The whole URL after normalization: scheme and host lowercase, default port and fragment
    /// dropped, punycode host.
    pub url: String,
    /// The comparison key: host, port, path and query, without scheme, user info or fragment,
    /// so that an indicator `evil.example/login` matches `https://evil.example/login#x`.
    pub key: String,
    pub host: Option<UrlHost>,
}

/// Parses an untrusted URL. A value without a scheme (`evil.example/path`, as threat feeds
/// often write them) is read as `http://`.
pub fn normalize_url(input: &str) -> Option<NormalizedUrl> {
    let input = input.trim();
    if input.is_empty() || input.len() > MAX_URL_LEN {
        return None;
    }
    let has_scheme = input.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            && !scheme.contains('.')
    });
    let parsed = if has_scheme {
        url::Url::parse(input).ok()?
    } else {
        url::Url::parse(&format!("http://{input}")).ok()?
    };
    let host = match parsed.host() {
        Some(url::Host::Domain(name)) => Some(UrlHost::Domain(Domain::parse(name)?)),
        Some(url::Host::Ipv4(ip)) => Some(UrlHost::Ip(IpAddr::V4(ip))),
        Some(url::Host::Ipv6(ip)) => Some(UrlHost::Ip(IpAddr::V6(ip))),
        None => None,
    };
    let mut without_fragment = parsed.clone();
    without_fragment.set_fragment(None);
    let key = match (&host, parsed.host_str()) {
        (Some(_), Some(host_str)) => {
            let mut key = host_str.to_owned();
            if let Some(port) = parsed.port() {
                key.push(':');
                key.push_str(&port.to_string());
            }
            key.push_str(parsed.path());
            if let Some(query) = parsed.query() {
                key.push('?');
                key.push_str(query);
            }
            key
        }
        _ => without_fragment.as_str().to_owned(),
    };
    Some(NormalizedUrl {
        url: without_fragment.into(),
        key,
        host,
    })
}

/// The comparison key with the query removed, so that an indicator for a path also matches the
/// same path with tracking parameters added.
pub fn key_without_query(key: &str) -> Option<&str> {
    key.split_once('?').map(|(before, _)| before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_scheme_case_port_and_fragment() {
        let u = normalize_url("HTTPS://Login.Example.ORG:443/a/b?x=1#frag").unwrap();
        assert_eq!(u.url, "https://login.example.org/a/b?x=1");
        assert_eq!(u.key, "login.example.org/a/b?x=1");
        assert_eq!(key_without_query(&u.key), Some("login.example.org/a/b"));
    }

    #[test]
    fn schemeless_values_read_as_http() {
        let u = normalize_url("evil.example/login").unwrap();
        assert_eq!(u.key, "evil.example/login");
        let u = normalize_url("evil.example").unwrap();
        assert_eq!(u.key, "evil.example/");
        assert_eq!(
            normalize_url("evil.example:8080/x").unwrap().key,
            "evil.example:8080/x"
        );
    }

    #[test]
    fn ip_literal_and_idn_hosts() {
        let u = normalize_url("http://192.0.2.7/x").unwrap();
        assert_eq!(u.host, Some(UrlHost::Ip("192.0.2.7".parse().unwrap())));
        let u = normalize_url("http://[2001:db8::1]/").unwrap();
        assert!(matches!(u.host, Some(UrlHost::Ip(IpAddr::V6(_)))));
        let u = normalize_url("https://bücher.example/").unwrap();
        assert_eq!(u.key, "xn--bcher-kva.example/");
    }

    #[test]
    fn data_and_javascript_urls_have_no_host() {
        let u = normalize_url("javascript:alert(1)").unwrap();
        assert_eq!(u.host, None);
        assert_eq!(u.key, "javascript:alert(1)");
        assert!(normalize_url("").is_none());
        assert!(normalize_url(&"a".repeat(MAX_URL_LEN + 1)).is_none());
    }
}

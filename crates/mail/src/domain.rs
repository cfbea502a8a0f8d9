//! Domain names as forewarn compares them: lowercase ASCII (punycode), no trailing dot,
//! with the registrable domain taken from the Public Suffix List.

use serde::Serialize;

/// Longest name RFC 1035 allows in presentation form.
const MAX_DOMAIN_LEN: usize = 253;

/// A syntactically valid domain name, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Domain {
    /// Lowercase ASCII form; internationalized labels are punycode (`xn--`).
    pub ascii: String,
    /// The Unicode form, present only when it differs from `ascii`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unicode: Option<String>,
    /// The registrable domain (public suffix plus one label), when the name has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrable: Option<String>,
}

impl Domain {
    /// Parses an untrusted host name (Unicode or ASCII, any case, optional trailing dot).
    /// Returns `None` for anything that is not a plausible DNS name with at least two labels.
    pub fn parse(input: &str) -> Option<Domain> {
        let ascii = normalize_domain(input)?;
        let unicode = if ascii.split('.').any(|label| label.starts_with("xn--")) {
            let (unicode, result) = idna::domain_to_unicode(&ascii);
            (result.is_ok() && unicode != ascii).then_some(unicode)
        } else {
            None
        };
        let registrable = psl::domain_str(&ascii).map(str::to_owned);
        Some(Domain {
            ascii,
            unicode,
            registrable,
        })
    }
}

/// Normalizes a host name to lowercase ASCII without a trailing dot, or `None` when it is not a
/// plausible DNS name: empty labels, characters outside LDH after IDNA, a single label, or a
/// name that is an IP address.
pub fn normalize_domain(input: &str) -> Option<String> {
    let trimmed = input.trim().trim_end_matches('.');
    if trimmed.is_empty() || trimmed.len() > MAX_DOMAIN_LEN * 4 {
        return None;
    }
    let ascii = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(trimmed).ok()?
    };
    if ascii.len() > MAX_DOMAIN_LEN || !ascii.contains('.') {
        return None;
    }
    let labels_ok = ascii.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    // The last label of a real name is never all digits; such names are IPv4 addresses.
    let tld_ok = ascii
        .rsplit('.')
        .next()
        .is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()));
    (labels_ok && tld_ok).then_some(ascii)
}

/// The name itself and each parent, longest first: `a.b.example` yields `a.b.example`,
/// `b.example` and `example`.
pub fn self_and_parents(ascii: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(ascii), |name| {
        name.split_once('.').map(|(_, parent)| parent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_dot_and_idn() {
        assert_eq!(
            normalize_domain("WWW.Example.ORG.").as_deref(),
            Some("www.example.org")
        );
        let d = Domain::parse("bücher.example").unwrap();
        assert_eq!(d.ascii, "xn--bcher-kva.example");
        assert_eq!(d.unicode.as_deref(), Some("bücher.example"));
        let d = Domain::parse("xn--bcher-kva.example").unwrap();
        assert_eq!(d.unicode.as_deref(), Some("bücher.example"));
    }

    #[test]
    fn registrable_domain_follows_the_public_suffix_list() {
        let d = Domain::parse("login.portal.nhs.uk").unwrap();
        assert_eq!(d.registrable.as_deref(), Some("portal.nhs.uk"));
        let d = Domain::parse("a.b.example.co.uk").unwrap();
        assert_eq!(d.registrable.as_deref(), Some("example.co.uk"));
    }

    #[test]
    fn rejects_non_names() {
        for bad in [
            "",
            ".",
            "localhost",
            "a..b",
            "1.2.3.4",
            "exa mple.org",
            "-",
            "a.b/c",
        ] {
            assert_eq!(normalize_domain(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parents_walk_up_to_the_last_label() {
        let all: Vec<_> = self_and_parents("login.evil.example").collect();
        assert_eq!(all, ["login.evil.example", "evil.example", "example"]);
    }
}

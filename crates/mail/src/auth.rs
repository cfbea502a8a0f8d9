//! Authentication-Results (RFC 8601): the SPF, DKIM, DMARC and ARC verdicts a receiving server
//! recorded, and the domains they were for.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthResult {
    /// Who wrote the header (the authserv-id).
    pub authserv_id: String,
    /// `spf`, `dkim`, `dmarc`, `arc`, …
    pub method: String,
    /// `pass`, `fail`, `softfail`, `none`, `neutral`, `temperror`, `permerror`, …
    pub result: String,
    /// The domain the result is about: `smtp.mailfrom`/`smtp.helo` for SPF, `header.d`/`header.i`
    /// for DKIM, `header.from` for DMARC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Removes RFC 5322 comments, which may nest and may hold quoted parentheses.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth = depth.saturating_add(1),
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The signing domain (`d=` tag) of a DKIM-Signature header value.
pub fn signing_domain(value: &str) -> Option<String> {
    value.split(';').find_map(|tag| {
        let (name, domain) = tag.split_once('=')?;
        let domain: String = domain.split_whitespace().collect();
        (name.trim() == "d" && !domain.is_empty() && domain.len() <= 253)
            .then(|| domain.to_ascii_lowercase())
    })
}

/// Parses one Authentication-Results header value. Unreadable pieces are skipped.
pub fn parse_authentication_results(value: &str) -> Vec<AuthResult> {
    let cleaned = strip_comments(value);
    let mut pieces = cleaned.split(';').map(str::trim).peekable();
    // The authserv-id comes first. Some servers (Exchange Online among them) leave it out
    // and start with a result: then the first piece is a result, not a name.
    let starts_with_result = pieces
        .peek()
        .and_then(|first| first.split_whitespace().next())
        .is_some_and(|token| token.contains('='));
    let authserv_id = if starts_with_result {
        String::new()
    } else {
        pieces
            .next()
            .and_then(|id| id.split_whitespace().next())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let mut results = Vec::new();
    for piece in pieces.take(64) {
        let mut tokens = piece.split_whitespace();
        let Some((method, result)) = tokens.next().and_then(|t| t.split_once('=')) else {
            continue;
        };
        let method = method.to_ascii_lowercase();
        if method.is_empty() || method == "none" {
            continue;
        }
        let props: Vec<(String, &str)> = tokens
            .filter_map(|t| t.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim_matches('"')))
            .collect();
        let prop = |keys: &[&str]| {
            keys.iter()
                .find_map(|key| props.iter().find(|(k, _)| k == key).map(|(_, v)| *v))
        };
        let domain = match method.as_str() {
            "spf" => prop(&["smtp.mailfrom", "smtp.helo"]),
            "dkim" | "domainkeys" => prop(&["header.d", "header.i"]),
            "dmarc" => prop(&["header.from"]),
            _ => None,
        }
        .map(|v| {
            v.rsplit('@')
                .next()
                .unwrap_or(v)
                .trim_end_matches('.')
                .to_ascii_lowercase()
        })
        .filter(|v| !v.is_empty());
        results.push(AuthResult {
            authserv_id: authserv_id.clone(),
            method,
            result: result.to_ascii_lowercase(),
            domain,
        });
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_methods_results_and_domains() {
        let value = "mx.example.net;\r\n dkim=pass (2048-bit key; unprotected) header.d=Example.org header.s=s1;\r\n \
                     spf=softfail (domain of x@y does not designate) smtp.mailfrom=bounce@mailer.example.com;\r\n \
                     dmarc=fail (p=REJECT) header.from=example.org; arc=none";
        let r = parse_authentication_results(value);
        assert_eq!(r.len(), 4);
        assert_eq!(
            (
                r[0].method.as_str(),
                r[0].result.as_str(),
                r[0].domain.as_deref()
            ),
            ("dkim", "pass", Some("example.org"))
        );
        assert_eq!(r[1].domain.as_deref(), Some("mailer.example.com"));
        assert_eq!(
            (r[2].method.as_str(), r[2].result.as_str()),
            ("dmarc", "fail")
        );
        assert_eq!(r[0].authserv_id, "mx.example.net");
    }

    #[test]
    fn a_missing_authserv_id_loses_no_result() {
        let r = parse_authentication_results(
            "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=a.example; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=a.example;compauth=fail reason=451",
        );
        let methods: Vec<(&str, &str)> = r
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [
                ("spf", "pass"),
                ("dkim", "none"),
                ("dmarc", "none"),
                ("compauth", "fail")
            ]
        );
        assert!(r.iter().all(|r| r.authserv_id.is_empty()));
        assert_eq!(r[0].domain.as_deref(), Some("a.example"));
    }

    #[test]
    fn tolerates_garbage() {
        for v in [
            "",
            ";;;",
            "(((",
            "x; =; a=; =b",
            "mx; spf=pass smtp.mailfrom=\"@\"",
        ] {
            let _ = parse_authentication_results(v);
        }
    }
}

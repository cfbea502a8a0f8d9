//! Finding URLs and e-mail addresses in running text.

use crate::link::MAX_URL_LEN;

const URL_PREFIXES: [&str; 4] = ["https://", "http://", "ftp://", "www."];

/// URLs written out in text, in order of appearance. `www.` links are given an `http://` scheme.
pub fn find_urls(text: &str) -> impl Iterator<Item = String> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            let start = pos;
            pos += 1;
            let b = bytes[start];
            if !matches!(b, b'h' | b'H' | b'f' | b'F' | b'w' | b'W') {
                continue;
            }
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'.') {
                continue;
            }
            let Some(prefix) = URL_PREFIXES.iter().find(|p| {
                bytes.len() >= start + p.len()
                    && bytes[start..start + p.len()].eq_ignore_ascii_case(p.as_bytes())
            }) else {
                continue;
            };
            let end = url_end(text, start + prefix.len());
            pos = end.max(pos);
            if end <= start + prefix.len() {
                continue;
            }
            let found = &text[start..end];
            if prefix.starts_with('w') {
                return Some(format!("http://{found}"));
            }
            return Some(found.to_owned());
        }
        None
    })
}

/// Web addresses written without a scheme but with a path ("pay-now.example/claim?id=7"), as
/// `http://` URLs: lures write them so to slip past link scanners. The name must end in a known
/// public suffix; addresses with a scheme or `www.` are left to [`find_urls`].
pub fn find_bare_urls(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '(' | '[' | '|'))
        .filter_map(|token| {
            let token = token.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
            let (host, _) = token.split_once('/')?;
            if token.contains("://")
                || host.contains(['@', ':'])
                || host.len() < 4
                || host.to_ascii_lowercase().starts_with("www.")
                || !host.contains('.')
                || !host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                || host.split('.').any(str::is_empty)
            {
                return None;
            }
            let lower = host.to_ascii_lowercase();
            let suffix = psl::suffix(lower.as_bytes())?;
            let is_name = suffix.is_known()
                && suffix.as_bytes().len() < host.len()
                && suffix.as_bytes().iter().any(u8::is_ascii_alphabetic);
            let path_len = url_end(token, host.len() + 1) - host.len() - 1;
            (is_name && path_len > 0)
                .then(|| format!("http://{}", &token[..host.len() + 1 + path_len]))
        })
}

/// Where a URL that starts at `start` ends: at whitespace, a delimiter, or the length cap, with
/// trailing punctuation that belongs to the sentence removed.
fn url_end(text: &str, body_start: usize) -> usize {
    let mut end = body_start;
    for (offset, c) in text[body_start..].char_indices() {
        if c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '<' | '>' | '"' | '\'' | '`' | '{' | '}' | '|' | '\\' | '^' | '[' | ']'
            )
        {
            break;
        }
        if offset > MAX_URL_LEN {
            break;
        }
        end = body_start + offset + c.len_utf8();
    }
    let mut slice = &text[body_start..end];
    loop {
        let trimmed = slice.trim_end_matches(['.', ',', ';', ':', '!', '?', '*']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == slice.len() {
            break;
        }
        slice = trimmed;
    }
    body_start + slice.len()
}

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-=".contains(&b)
}

fn is_domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// Whether `c` is a styled form of a letter or digit (mathematical bold or script, circled,
/// squared, fullwidth, letterlike symbols, superscripts) that compatibility mapping turns into
/// the plain one: text written with them reads like a name it is not.
pub fn is_styled_letter(c: char) -> bool {
    matches!(c,
        '\u{1d400}'..='\u{1d7ff}' // mathematical alphanumeric symbols
        | '\u{2460}'..='\u{24ff}' // enclosed alphanumerics
        | '\u{1f100}'..='\u{1f1ff}' // enclosed alphanumeric supplement
        | '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' // fullwidth
        | '\u{2100}'..='\u{214f}' // letterlike symbols
        | '\u{2070}'..='\u{209f}' // superscripts and subscripts
    )
}

/// E-mail addresses written out in text (ASCII local parts; the domain is normalized).
pub fn find_email_addresses(text: &str) -> impl Iterator<Item = String> + '_ {
    let bytes = text.as_bytes();
    let mut search_from = 0;
    std::iter::from_fn(move || {
        while let Some(rel) = bytes
            .get(search_from..)
            .and_then(|rest| rest.iter().position(|&b| b == b'@'))
        {
            let at = search_from + rel;
            search_from = at + 1;
            let mut left = at;
            while left > 0 && at - left < 64 && is_local_char(bytes[left - 1]) {
                left -= 1;
            }
            let mut right = at + 1;
            while right < bytes.len() && right - at < 254 && is_domain_char(bytes[right]) {
                right += 1;
            }
            let local = text[left..at].trim_matches('.');
            let domain = text[at + 1..right].trim_end_matches(['.', '-']);
            // `a@b@c.example` is no address, and `b@c.example` is only a piece of it.
            let glued = (left > 0 && bytes[left - 1] == b'@') || bytes.get(right) == Some(&b'@');
            if local.is_empty() || domain.is_empty() || glued {
                continue;
            }
            if let Some(domain) = crate::domain::normalize_domain(domain) {
                search_from = right.max(search_from);
                return Some(format!("{}@{domain}", local.to_ascii_lowercase()));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_written_without_a_scheme() {
        let found: Vec<String> = find_bare_urls(
            "order the withdrawal -> transfer705.pages.dev/claim?x=1, or see www.a.example/b, \
             https://c.example/d, e.g. v1.2/3, and/or file.txt, user@mail.example/x, ok.",
        )
        .collect();
        assert_eq!(found, ["http://transfer705.pages.dev/claim?x=1"]);
    }

    #[test]
    fn finds_urls_and_trims_sentence_punctuation() {
        let text = "Log in at https://evil.example/login. Or (see http://a.example/x_(y)) \
                    and www.b.example, not xhttp://c.example nor http://";
        let urls: Vec<_> = find_urls(text).collect();
        assert_eq!(
            urls,
            [
                "https://evil.example/login",
                "http://a.example/x_(y)",
                "http://www.b.example"
            ]
        );
    }

    #[test]
    fn url_stops_at_markup_and_respects_char_boundaries() {
        let urls: Vec<_> = find_urls("<https://é.example/ä>x HTTP://UP.EXAMPLE/\u{2028}").collect();
        assert_eq!(urls, ["https://é.example/ä", "HTTP://UP.EXAMPLE/"]);
    }

    #[test]
    fn finds_addresses() {
        let text = "Write to Billing.Dept@Pay-Portal.Example. or x@y, or @nothing, a@b.example";
        let found: Vec<_> = find_email_addresses(text).collect();
        assert_eq!(found, ["billing.dept@pay-portal.example", "a@b.example"]);
        let glued: Vec<_> = find_email_addresses("me@home@mail.example, c@d.example").collect();
        assert_eq!(glued, ["c@d.example"]);
    }
}

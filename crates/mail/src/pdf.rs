//! What a PDF does when it is opened or clicked: the addresses its link actions lead to and
//! whether it runs script or launches a program. A PDF attachment that is one page with a
//! button is how many credential lures travel past link scanners; the addresses are read here
//! so that the link cues can judge them like any other link.
//!
//! This is not a PDF parser. It looks for the `/URI`, `/JavaScript`, `/JS` and `/Launch`
//! names in the file and in its Flate-compressed streams (object streams hide them there),
//! with a bound on every step: hostile files cost at most [`MAX_INFLATED`] bytes of memory.

use std::io::Read;

use serde::Serialize;

/// Link addresses kept per document.
pub const MAX_LINKS: usize = 32;
/// Longest address kept.
const MAX_URI: usize = 2_048;
/// Bytes inflated per document, over all its streams.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Compressed streams opened per document.
const MAX_STREAMS: usize = 256;

/// What a PDF would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PdfFacts {
    /// Addresses of its link actions, in the order they appear, without repeats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// It carries JavaScript.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub script: bool,
    /// It asks the reader's program to start another program.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub launch: bool,
    /// It is encrypted (its trailer names an `/Encrypt` dictionary): its streams cannot be
    /// read here, and it may open only with a password.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted: bool,
    /// Pages counted from its page objects (0 when they sit in streams not read).
    pub pages: usize,
    /// Some streams were not inflated because a bound was reached.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Reads what `bytes`, a PDF, would do.
pub fn read(bytes: &[u8]) -> PdfFacts {
    let mut facts = PdfFacts::default();
    scan(bytes, &mut facts);
    let mut budget = MAX_INFLATED;
    let mut streams = 0;
    let mut at = 0;
    while let Some(start) = find(&bytes[at..], b"stream").map(|i| at + i) {
        at = start + b"stream".len();
        // `endstream` contains `stream`; only a keyword that starts a stream counts.
        if bytes[..start].ends_with(b"end") {
            continue;
        }
        let body = match bytes.get(at..) {
            Some(rest) if rest.starts_with(b"\r\n") => at + 2,
            Some(rest) if rest.starts_with(b"\n") || rest.starts_with(b"\r") => at + 1,
            _ => continue,
        };
        let dictionary = &bytes[start.saturating_sub(512)..start];
        if find(dictionary, b"FlateDecode").is_none() {
            continue;
        }
        let end = find(&bytes[body..], b"endstream").map_or(bytes.len(), |i| body + i);
        at = end;
        if streams == MAX_STREAMS || budget == 0 {
            facts.truncated = true;
            break;
        }
        streams += 1;
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[body..end]).take(budget as u64);
        // A damaged stream still yields what came before the damage.
        let _ = decoder.read_to_end(&mut inflated);
        budget -= inflated.len();
        scan(&inflated, &mut facts);
    }
    facts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The names that follow a `/` end at a delimiter or white space.
fn name_ends(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at)
        .is_none_or(|b| b.is_ascii_whitespace() || b"/<>[]()%{}".contains(b))
}

fn scan(bytes: &[u8], facts: &mut PdfFacts) {
    let mut i = 0;
    while let Some(slash) = bytes[i..].iter().position(|&b| b == b'/').map(|p| i + p) {
        i = slash + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"URI") && name_ends(bytes, i + 3) {
            if let Some(uri) = string_after(&bytes[i + 3..]) {
                let uri = uri.trim().to_owned();
                if !uri.is_empty() && facts.links.len() < MAX_LINKS && !facts.links.contains(&uri) {
                    facts.links.push(uri);
                }
            }
        } else if (rest.starts_with(b"JavaScript") && name_ends(bytes, i + 10))
            || (rest.starts_with(b"JS") && name_ends(bytes, i + 2))
        {
            facts.script = true;
        } else if rest.starts_with(b"Launch") && name_ends(bytes, i + 6) {
            facts.launch = true;
        } else if rest.starts_with(b"Encrypt") && name_ends(bytes, i + 7) {
            facts.encrypted = true;
        } else if rest.starts_with(b"Type") {
            let value = rest[4..].trim_ascii_start();
            if value.starts_with(b"/Page") && name_ends(value, 5) {
                facts.pages += 1;
            }
        }
    }
}

/// The PDF string that follows (after white space): a literal `( … )` string with its escapes
/// and nested parentheses, or a `< … >` hex string.
fn string_after(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.trim_ascii_start();
    let mut out = Vec::new();
    match bytes.first()? {
        b'(' => {
            let mut depth = 1usize;
            let mut i = 1;
            while i < bytes.len() && out.len() < MAX_URI {
                let b = bytes[i];
                match b {
                    b'\\' => {
                        i += 1;
                        match bytes.get(i) {
                            Some(b'n') => out.push(b'\n'),
                            Some(b'r') => out.push(b'\r'),
                            Some(b't') => out.push(b'\t'),
                            Some(d @ b'0'..=b'7') => {
                                let mut value = u32::from(d - b'0');
                                let mut digits = 1;
                                while digits < 3 {
                                    match bytes.get(i + 1) {
                                        Some(d @ b'0'..=b'7') => {
                                            value = value * 8 + u32::from(d - b'0');
                                            i += 1;
                                            digits += 1;
                                        }
                                        _ => break,
                                    }
                                }
                                out.push(value as u8);
                            }
                            // A backslash before a line end continues the string.
                            Some(b'\r' | b'\n') => {}
                            Some(&other) => out.push(other),
                            None => break,
                        }
                    }
                    b'(' => {
                        depth += 1;
                        out.push(b);
                    }
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                        out.push(b);
                    }
                    _ => out.push(b),
                }
                i += 1;
            }
        }
        b'<' => {
            let digits: Vec<u8> = bytes[1..]
                .iter()
                .take_while(|&&b| b != b'>')
                .filter(|b| b.is_ascii_hexdigit())
                .take(2 * MAX_URI)
                .copied()
                .collect();
            for pair in digits.chunks(2) {
                let text = std::str::from_utf8(pair).ok()?;
                let byte = u8::from_str_radix(&format!("{text:0<2}"), 16).ok()?;
                out.push(byte);
            }
        }
        _ => return None,
    }
    // A UTF-16 string (with its byte-order mark) is how some producers write addresses.
    if out.starts_with(&[0xfe, 0xff]) {
        let units: Vec<u16> = out[2..]
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn link_actions_in_plain_objects() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Page /Annots [2 0 R] >> endobj\n2 0 obj << /Type /Annot /Subtype /Link /A << /S /URI /URI (https://login.example.net/a\\(1\\)) >> >> endobj\n3 0 obj << /S /URI /URI <68747470733A2F2F782E6578616D706C65> >> endobj\n%%EOF";
        let facts = read(pdf);
        assert_eq!(
            facts.links,
            ["https://login.example.net/a(1)", "https://x.example"]
        );
        assert_eq!(facts.pages, 1);
        assert!(!facts.script && !facts.launch);
    }

    #[test]
    fn link_actions_inside_compressed_object_streams() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(
            b"<< /S /URI /URI (http://203.0.113.9/pay) >> << /S /JavaScript /JS (app.alert(1)) >>",
        )
        .unwrap();
        let compressed = z.finish().unwrap();
        let mut pdf =
            b"%PDF-1.7\n4 0 obj << /Type /ObjStm /Filter /FlateDecode /Length 99 >>\nstream\r\n"
                .to_vec();
        pdf.extend_from_slice(&compressed);
        pdf.extend_from_slice(b"\r\nendstream endobj\n%%EOF");
        let facts = read(&pdf);
        assert_eq!(facts.links, ["http://203.0.113.9/pay"]);
        assert!(facts.script);
    }

    #[test]
    fn hostile_documents_are_bounded() {
        // A stream that inflates to far more than the budget, and a string that never ends.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; MAX_INFLATED + 1]).unwrap();
        let compressed = z.finish().unwrap();
        let mut pdf = b"%PDF-1.7\n<< /Filter /FlateDecode >>\nstream\n".to_vec();
        for _ in 0..2 {
            pdf.extend_from_slice(&compressed);
            pdf.extend_from_slice(b"\nendstream\n<< /Filter /FlateDecode >>\nstream\n");
        }
        pdf.extend_from_slice(b"/URI (");
        pdf.extend(std::iter::repeat_n(b'a', 10 * MAX_URI));
        let facts = read(&pdf);
        assert!(facts.truncated);
        assert!(facts.links.iter().all(|l| l.len() <= MAX_URI));
        assert_eq!(read(b"/URI").links.len(), 0);
        assert_eq!(read(b"/URI <4").links, ["@"]);
    }
}

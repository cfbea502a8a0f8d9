//! Messages that arrive wrapped: Exchange-style envelope journal reports, and suspicious mail a
//! person forwarded as an attachment to a reported-phish mailbox. Analysis must see the
//! original message, and the targeted accounts are the ones the wrapper names.

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// The message inside a wrapper, and the addresses the wrapper says it was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped {
    pub raw: Vec<u8>,
    /// Lowercase addresses, each once.
    pub recipients: Vec<String>,
}

/// The original message of an envelope journal report (a message with an
/// `X-MS-Journal-Report` header whose first text part lists the envelope and whose attachment
/// is the original), or `None` when `raw` is not one.
pub fn journal_report(raw: &[u8]) -> Option<Unwrapped> {
    let message = MessageParser::default().parse_headers(raw)?;
    message.header("X-MS-Journal-Report")?;
    let message = MessageParser::default().parse(raw)?;
    let inner = attached_message(&message)?;
    let mut recipients = Vec::new();
    if let Some(text) = message.body_text(0) {
        for line in text.lines() {
            let Some((field, value)) = line.split_once(':') else {
                continue;
            };
            if !["to", "cc", "bcc", "recipient", "on-behalf-of"]
                .iter()
                .any(|f| field.trim().eq_ignore_ascii_case(f))
            {
                continue;
            }
            // "To: a@clinic.example, Forwarded: b@clinic.example" names a; the expansion
            // details after the comma are about how it got there.
            let address = value.split(',').next().unwrap_or_default();
            if let Some(address) = address_in(address) {
                if !recipients.contains(&address) {
                    recipients.push(address);
                }
            }
        }
    }
    Some(Unwrapped {
        raw: inner,
        recipients,
    })
}

/// The message a person forwarded as an attachment, with the person (the report's sender) as
/// its recipient; `None` when no message is attached (the report is then analysed as it is).
pub fn forwarded_report(raw: &[u8]) -> Option<Unwrapped> {
    let message = MessageParser::default().parse(raw)?;
    let inner = attached_message(&message)?;
    let reporter = message
        .from()
        .and_then(|from| from.first())
        .and_then(|a| a.address())
        .and_then(address_in);
    Some(Unwrapped {
        raw: inner,
        recipients: reporter.into_iter().collect(),
    })
}

/// Most addresses read from one message's To and Cc.
const MAX_ADDRESSED: usize = 100;

/// The addresses in a message's To and Cc header fields, lowercase, each once, at most
/// 100.
pub fn addressed_to(raw: &[u8]) -> Vec<String> {
    let Some(message) = MessageParser::default().parse_headers(raw) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for field in [message.to(), message.cc()].into_iter().flatten() {
        for address in field.iter().filter_map(|a| a.address()) {
            if found.len() >= MAX_ADDRESSED {
                return found;
            }
            if let Some(address) = address_in(address) {
                if !found.contains(&address) {
                    found.push(address);
                }
            }
        }
    }
    found
}

fn attached_message(message: &mail_parser::Message<'_>) -> Option<Vec<u8>> {
    message.parts.iter().find_map(|part| match &part.body {
        PartType::Message(inner)
            if part
                .content_type()
                .is_none_or(|ct| ct.ctype().eq_ignore_ascii_case("message")) =>
        {
            Some(inner.raw_message().to_vec())
        }
        _ => None,
    })
}

/// The address in `text` (`Name <a@b>` or a bare `a@b`), lowercase.
fn address_in(text: &str) -> Option<String> {
    let text = text.trim();
    let inner = match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => &text[open + 1..close],
        _ => text,
    };
    let inner = inner.trim();
    let (local, domain) = inner.rsplit_once('@')?;
    if local.is_empty()
        || domain.is_empty()
        || inner.len() > 254
        || inner.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    Some(inner.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = "From: Ministry <notice@health-ministry.example>\r\nTo: ada@clinic.example\r\nSubject: Vaccine schedule\r\nMessage-ID: <orig@health-ministry.example>\r\n\r\nPlease log in.\r\n";

    fn journal(envelope: &str) -> String {
        format!(
            "From: Journal <journal@exchange.clinic.example>\r\nTo: forewarn@clinic.example\r\nSubject: Vaccine schedule\r\nX-MS-Journal-Report:\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n{envelope}\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n{ORIGINAL}\r\n--b--\r\n"
        )
    }

    #[test]
    fn a_journal_report_gives_the_original_and_its_envelope_recipients() {
        let report = journal("Sender: notice@health-ministry.example\r\nSubject: Vaccine schedule\r\nMessage-Id: <orig@health-ministry.example>\r\nTo: Ada@Clinic.example\r\nCc: bob@clinic.example, Expanded: staff@clinic.example\r\nBcc: ada@clinic.example");
        let unwrapped = journal_report(report.as_bytes()).unwrap();
        assert!(unwrapped.raw.starts_with(b"From: Ministry"));
        assert!(String::from_utf8_lossy(&unwrapped.raw).contains("Please log in."));
        assert_eq!(
            unwrapped.recipients,
            ["ada@clinic.example", "bob@clinic.example"]
        );
    }

    #[test]
    fn ordinary_mail_is_not_a_journal_report() {
        assert_eq!(journal_report(ORIGINAL.as_bytes()), None);
        assert_eq!(journal_report(b""), None);
        assert_eq!(journal_report(b"\xff\xfe garbage"), None);
    }

    #[test]
    fn a_forwarded_report_names_the_reporter() {
        let report = format!(
            "From: Ada <ADA@clinic.example>\r\nTo: phish@clinic.example\r\nSubject: Fwd: Vaccine schedule\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThis looks wrong.\r\n--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"orig.eml\"\r\n\r\n{ORIGINAL}\r\n--b--\r\n"
        );
        let unwrapped = forwarded_report(report.as_bytes()).unwrap();
        assert!(unwrapped.raw.starts_with(b"From: Ministry"));
        assert_eq!(unwrapped.recipients, ["ada@clinic.example"]);
        assert_eq!(forwarded_report(ORIGINAL.as_bytes()), None);
    }

    #[test]
    fn to_and_cc_are_read_bounded() {
        let many: Vec<String> = (0..300).map(|n| format!("p{n}@clinic.example")).collect();
        let raw = format!(
            "To: Ada <ADA@clinic.example>, bob@clinic.example\r\nCc: {}\r\n\r\nhi\r\n",
            many.join(", ")
        );
        let found = addressed_to(raw.as_bytes());
        assert_eq!(found.len(), MAX_ADDRESSED);
        assert_eq!(&found[..2], ["ada@clinic.example", "bob@clinic.example"]);
        assert!(addressed_to(b"Subject: none\r\n\r\n").is_empty());
    }

    #[test]
    fn addresses_are_read_leniently_and_refused_when_not_addresses() {
        assert_eq!(
            address_in(" Ada <a@b.example> "),
            Some("a@b.example".into())
        );
        assert_eq!(address_in("a@b.example"), Some("a@b.example".into()));
        assert_eq!(address_in("nobody"), None);
        assert_eq!(address_in("@b.example"), None);
        assert_eq!(address_in("a b@c.example"), None);
    }
}

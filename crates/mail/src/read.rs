//! The walk from raw bytes to a [`Message`].

use std::collections::HashSet;
use std::net::IpAddr;

use mail_parser::{Address, HeaderValue, Host, MessageParser, MimeHeaders, PartType};
use sha1::Digest as _;

use crate::domain::Domain;
use crate::link::{normalize_url, UrlHost};
use crate::{
    archive, auth, hex, html, pdf, sniff, text, Attachment, Error, Form, Headers, Hop, Limits,
    Link, Location, Mailbox, Message, Observable, ObservableKind,
};

/// Parses a message with the default [`Limits`].
pub fn parse(raw: &[u8]) -> Result<Message, Error> {
    parse_with(raw, &Limits::default())
}

/// Parses a message within `limits`.
pub fn parse_with(raw: &[u8], limits: &Limits) -> Result<Message, Error> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    if raw.len() > limits.max_message_bytes {
        return Err(Error::TooLarge {
            size: raw.len(),
            limit: limits.max_message_bytes,
        });
    }
    // mail-parser allocates a part for every boundary it meets; bound that before it runs. A
    // message padded with more parts than that is read up to where the limit falls, as far as
    // a reader could check it, and marked: padding past what filters read hides what follows.
    let (readable, padded) = match raw
        .windows(3)
        .enumerate()
        .filter(|(_, w)| w[0] == b'\n' && w[1] == b'-' && w[2] == b'-')
        .nth(limits.max_parts * 2)
    {
        Some((at, _)) => (&raw[..at + 1], true),
        None => (raw, false),
    };
    let parsed = MessageParser::default()
        .parse(readable)
        .ok_or(Error::NoHeaders)?;
    if parsed.headers().is_empty() {
        return Err(Error::NoHeaders);
    }
    let mut message = Walker::new(limits).walk(&parsed, 0);
    if padded {
        message.past_limits = true;
        message.truncated.push(format!(
            "more than {} parts: what comes after them was not read",
            limits.max_parts
        ));
    }
    message.size = raw.len();
    message.sha256 = hex(&sha2::Sha256::digest(raw));
    Ok(message)
}

struct Walker<'l> {
    limits: &'l Limits,
    message: Message,
    seen: HashSet<(ObservableKind, String, Location)>,
    dropped_observables: usize,
}

impl<'l> Walker<'l> {
    fn new(limits: &'l Limits) -> Self {
        Walker {
            limits,
            message: Message::default(),
            seen: HashSet::new(),
            dropped_observables: 0,
        }
    }

    fn walk(mut self, parsed: &mail_parser::Message<'_>, depth: usize) -> Message {
        self.message.size = parsed.raw_message().len();
        self.headers(parsed);
        self.parts(parsed, depth);
        self.message.forwarded_from = forwarded_from(&self.message.body_text);
        if self.dropped_observables > 0 {
            let note = format!(
                "{} observables over the limit of {} were not kept",
                self.dropped_observables, self.limits.max_observables
            );
            self.message.truncated.push(note);
        }
        self.message
    }

    fn headers(&mut self, parsed: &mail_parser::Message<'_>) {
        let from = mailboxes(parsed.from());
        let sender = mailboxes(parsed.sender());
        let reply_to = mailboxes(parsed.reply_to());
        let to = mailboxes(parsed.to());
        let cc = mailboxes(parsed.cc());
        // Only the Return-Path header itself: mail-parser's return_address() falls back to From.
        let return_path = match parsed.return_path() {
            HeaderValue::Text(text) => Some(text.as_ref()),
            HeaderValue::TextList(list) => list.last().map(|t| t.as_ref()),
            _ => None,
        }
        .map(|a| normalize_address(a.trim().trim_matches(['<', '>'])));
        for (boxes, location) in [
            (&from, Location::From),
            (&sender, Location::Sender),
            (&reply_to, Location::ReplyTo),
            (&to, Location::To),
            (&cc, Location::Cc),
        ] {
            for mailbox in boxes {
                self.address(&mailbox.address, &location);
            }
        }
        if let Some(rp) = return_path.as_deref().filter(|rp| !rp.is_empty()) {
            self.address(rp, &Location::ReturnPath);
        }
        let message_id = parsed.message_id().map(str::to_owned);
        if let Some(domain) = message_id
            .as_deref()
            .and_then(|id| id.rsplit_once('@'))
            .map(|(_, d)| d)
        {
            self.domain(domain, &Location::MessageId);
        }
        let received: Vec<Hop> = parsed
            .received_all()
            .map(|r| Hop {
                from: r
                    .from()
                    .or(r.helo())
                    .and_then(host_name)
                    .or_else(|| r.from_iprev().map(str::to_ascii_lowercase)),
                from_ip: r
                    .from_ip()
                    .or_else(|| r.from().or(r.helo()).and_then(host_ip)),
                by: r.by().and_then(host_name),
                date: r.date().map(|d| d.to_rfc3339()),
            })
            .collect();
        for (n, hop) in received.iter().enumerate() {
            if let Some(name) = &hop.from {
                self.domain(name, &Location::Received(n));
            }
            if let Some(ip) = hop.from_ip {
                self.ip(ip, &Location::Received(n));
            }
        }
        let authentication_results = parsed
            .header_values("Authentication-Results")
            .filter_map(|v| v.as_text())
            .flat_map(auth::parse_authentication_results)
            .collect();
        let dkim_signers = parsed
            .header_values("DKIM-Signature")
            .filter_map(|v| v.as_text())
            .filter_map(auth::signing_domain)
            .take(16)
            .collect();
        self.message.headers = Headers {
            from: from.into_iter().next(),
            sender: sender.into_iter().next(),
            reply_to,
            return_path,
            to,
            cc,
            message_id,
            date: parsed.date().map(|d| d.to_rfc3339()),
            subject: parsed.subject().map(html::collapse_whitespace),
            list_id: match parsed.list_id() {
                HeaderValue::Text(t) => Some(t.to_string()),
                HeaderValue::TextList(list) => list.first().map(|t| t.to_string()),
                _ => None,
            },
            received,
            authentication_results,
            dkim_signers,
        };
    }

    fn parts(&mut self, parsed: &mail_parser::Message<'_>, depth: usize) {
        for part in parsed.parts.iter().take(self.limits.max_parts) {
            let is_attachment = part.attachment_name().is_some()
                || part
                    .content_disposition()
                    .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"));
            match &part.body {
                PartType::Multipart(_) => {}
                // An HTML document declared as plain text (or left with no type after a broken
                // header block) is read as the page it is, the way mail programs that sniff
                // the content show it: links with their text, hidden text, forms.
                PartType::Text(body) if !is_attachment && is_html_document(body) => {
                    self.scan_html(body, &Location::HtmlLink, true)
                }
                // A body that opens with a part's own headers ("Content-Type: text/html" after
                // a stray blank line ended the header block early) is read as the part it
                // declares: the content is hidden from filters that take the text as written,
                // not from the reader whose mail program reads past the blank line.
                PartType::Text(body)
                    if !is_attachment
                        && depth < self.limits.max_depth
                        && opens_with_part_headers(body) =>
                {
                    match MessageParser::default().parse(body.trim_start().as_bytes()) {
                        Some(inner) if !inner.parts.is_empty() => self.parts(&inner, depth + 1),
                        _ => {
                            self.push_body_text(body);
                            self.scan_text(body, &Location::Text);
                        }
                    }
                }
                PartType::Text(body) if !is_attachment => {
                    self.push_body_text(body);
                    self.scan_text(body, &Location::Text);
                }
                PartType::Html(body) if !is_attachment => {
                    self.scan_html(body, &Location::HtmlLink, true)
                }
                PartType::Message(inner) => {
                    let mut attachment = describe(
                        part.attachment_name(),
                        declared_type(part),
                        inner.raw_message(),
                        self.limits,
                    );
                    attachment
                        .declared_type
                        .get_or_insert_with(|| "message/rfc822".to_owned());
                    if depth < self.limits.max_depth {
                        let nested = Walker::new(self.limits).walk(inner, depth + 1);
                        // Built past the limits inside is built past them.
                        self.message.past_limits |= nested.past_limits;
                        attachment.message = Some(Box::new(nested));
                    } else {
                        self.message.past_limits = true;
                        self.message.truncated.push(format!(
                            "attached message deeper than {} levels not analysed",
                            self.limits.max_depth
                        ));
                    }
                    self.push_attachment(attachment);
                }
                PartType::Text(_)
                | PartType::Html(_)
                | PartType::Binary(_)
                | PartType::InlineBinary(_) => {
                    // Base64 that a strict decoder refused (a stray character inside it) is
                    // left encoded by the parser; mail programs skip what is not base64, as
                    // RFC 2045 says, and open the file. So do we.
                    let repaired = part
                        .content_transfer_encoding()
                        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"))
                        .then(|| base64_skipping_strays(part.contents()))
                        .flatten();
                    let bytes = repaired.as_deref().unwrap_or(part.contents());
                    let attachment = describe(
                        part.attachment_name(),
                        declared_type(part),
                        bytes,
                        self.limits,
                    );
                    let index = self.message.attachments.len();
                    let content = match &part.body {
                        PartType::Text(t) | PartType::Html(t) => Some(t.as_ref()),
                        _ if attachment.sniffed_type.as_deref() == Some("text/html") => {
                            std::str::from_utf8(bytes).ok()
                        }
                        _ => None,
                    };
                    let is_html = matches!(part.body, PartType::Html(_))
                        || attachment.sniffed_type.as_deref() == Some("text/html");
                    let pdf_links = attachment.pdf.as_ref().map(|p| p.links.clone());
                    if self.push_attachment(attachment) {
                        for link in pdf_links.iter().flatten() {
                            self.url(link, &Location::Attachment(index));
                        }
                        match content {
                            Some(html) if is_html => {
                                self.scan_html(html, &Location::Attachment(index), false)
                            }
                            Some(text) => self.scan_text(text, &Location::Attachment(index)),
                            None => {}
                        }
                    }
                }
            }
        }
        if parsed.parts.len() > self.limits.max_parts {
            self.message.past_limits = true;
            self.message.truncated.push(format!(
                "parts after the first {} were not read",
                self.limits.max_parts
            ));
        }
    }

    fn push_attachment(&mut self, attachment: Attachment) -> bool {
        if self.message.attachments.len() >= self.limits.max_attachments {
            if self.message.attachments.len() == self.limits.max_attachments {
                self.message.past_limits = true;
                self.message.truncated.push(format!(
                    "attachments after the first {} were not described",
                    self.limits.max_attachments
                ));
            }
            return false;
        }
        self.message.attachments.push(attachment);
        true
    }

    fn push_body_text(&mut self, body: &str) {
        let room = self
            .limits
            .max_body_text
            .saturating_sub(self.message.body_text.len());
        if room == 0 {
            return;
        }
        let mut end = body.len().min(room);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        if !self.message.body_text.is_empty() {
            self.message.body_text.push('\n');
        }
        self.message.body_text.push_str(&body[..end]);
    }

    fn scan_text(&mut self, body: &str, location: &Location) {
        for url in text::find_urls(body).chain(text::find_bare_urls(body)) {
            self.url(&url, location);
        }
        for address in text::find_email_addresses(body) {
            self.address(&address, location);
        }
    }

    /// `in_body` is true for the message's own HTML body, false for an HTML attachment (whose
    /// observables are all located at the attachment).
    fn scan_html(&mut self, body: &str, attachment_location: &Location, in_body: bool) {
        let facts = html::scan(body);
        let at = |body_location: Location| {
            if in_body {
                body_location
            } else {
                attachment_location.clone()
            }
        };
        for (href, text) in &facts.links {
            if let Some(address) = href
                .strip_prefix("mailto:")
                .or_else(|| href.strip_prefix("MAILTO:"))
            {
                let address = address.split('?').next().unwrap_or_default();
                self.address(&percent_decode(address), &at(Location::HtmlLink));
                if in_body {
                    self.message.mail_links.push(Link {
                        href: href.chars().take(crate::link::MAX_URL_LEN).collect(),
                        text: text.clone(),
                    });
                }
                continue;
            }
            if let Some(url) = absolute_url(href) {
                if in_body {
                    let href = match normalize_url(&url) {
                        _ if is_data_url(&url) => data_url_media(&url),
                        Some(normalized) => normalized.url,
                        None => url.chars().take(crate::link::MAX_URL_LEN).collect(),
                    };
                    self.message.links.push(Link {
                        href,
                        text: text.clone(),
                    });
                }
                self.url(&url, &at(Location::HtmlLink));
            }
        }
        for source in &facts.sources {
            if let Some(url) = absolute_url(source) {
                self.url(&url, &at(Location::HtmlSource));
            }
        }
        for action in &facts.form_actions {
            if let Some(url) = absolute_url(action) {
                self.url(&url, &at(Location::HtmlFormAction));
            }
            self.message.forms.push(Form {
                action: action.clone(),
                has_password: facts.has_password_input,
                location: at(Location::HtmlFormAction),
            });
        }
        for refresh in &facts.refreshes {
            if let Some(url) = absolute_url(refresh) {
                self.url(&url, &at(Location::HtmlRefresh));
            }
        }
        if in_body {
            self.push_body_text(&facts.visible_text);
            self.message.hidden_text += facts.hidden_chars;
            self.message.pushed_away |= facts.pushed_away;
            self.message.picture_only |= facts.picture_only();
        }
        self.scan_text(&facts.visible_text, &at(Location::HtmlText));
    }

    fn push(
        &mut self,
        kind: ObservableKind,
        value: String,
        location: &Location,
        domain: Option<&Domain>,
    ) {
        if self.message.observables.len() >= self.limits.max_observables {
            self.dropped_observables += 1;
            return;
        }
        if !self.seen.insert((kind, value.clone(), location.clone())) {
            return;
        }
        self.message.observables.push(Observable {
            kind,
            value,
            location: location.clone(),
            unicode: domain.and_then(|d| d.unicode.clone()),
            registrable: domain.and_then(|d| d.registrable.clone()),
        });
    }

    fn domain(&mut self, name: &str, location: &Location) {
        if let Ok(ip) = name.trim_matches(['[', ']']).parse::<IpAddr>() {
            self.ip(ip, location);
        } else if let Some(domain) = Domain::parse(name) {
            self.push(
                ObservableKind::Domain,
                domain.ascii.clone(),
                location,
                Some(&domain),
            );
        }
    }

    fn ip(&mut self, ip: IpAddr, location: &Location) {
        self.push(ObservableKind::Ip, ip.to_string(), location, None);
    }

    fn address(&mut self, address: &str, location: &Location) {
        let address = normalize_address(address);
        let Some((local, domain)) = address.rsplit_once('@') else {
            return;
        };
        if local.is_empty() {
            return;
        }
        if let Some(d) = Domain::parse(domain) {
            self.push(
                ObservableKind::Email,
                format!("{local}@{}", d.ascii),
                location,
                None,
            );
            self.push(ObservableKind::Domain, d.ascii.clone(), location, Some(&d));
        } else if let Some(ip) = domain
            .strip_prefix('[')
            .and_then(|d| d.strip_suffix(']'))
            .and_then(|d| d.parse().ok())
        {
            self.ip(ip, location);
        }
    }

    fn url(&mut self, raw: &str, location: &Location) {
        if is_data_url(raw) {
            // Keep the media type, not the payload.
            self.push(ObservableKind::Url, data_url_media(raw), location, None);
            return;
        }
        let Some(url) = normalize_url(raw) else {
            return;
        };
        let host = url.host.clone();
        self.push(ObservableKind::Url, url.url, location, None);
        match host {
            Some(UrlHost::Domain(domain)) => self.push(
                ObservableKind::Domain,
                domain.ascii.clone(),
                location,
                Some(&domain),
            ),
            Some(UrlHost::Ip(ip)) => self.ip(ip, location),
            None => {}
        }
    }
}

fn is_data_url(url: &str) -> bool {
    url.len() > 5 && url.as_bytes()[..5].eq_ignore_ascii_case(b"data:")
}

/// A data: URL without its payload: `data:text/html`.
fn data_url_media(url: &str) -> String {
    let media = url[5..].split([',', ';']).next().unwrap_or_default();
    format!(
        "data:{}",
        media
            .chars()
            .take(100)
            .collect::<String>()
            .to_ascii_lowercase()
    )
}

/// Describes an attachment's bytes: size, hashes, sniffed type and, for zip files, the listing.
fn describe(
    name: Option<&str>,
    declared_type: Option<String>,
    bytes: &[u8],
    limits: &Limits,
) -> Attachment {
    let sniffed_type = sniff::sniff(bytes).map(str::to_owned);
    let archive = match sniffed_type.as_deref() {
        Some(t)
            if t == "application/zip"
                || t.starts_with("application/vnd.")
                || t == "application/java-archive" =>
        {
            archive::list_zip(bytes)
        }
        _ => None,
    };
    let pdf = (sniffed_type.as_deref() == Some("application/pdf")).then(|| pdf::read(bytes));
    Attachment {
        name: name.map(|n| n.chars().take(1024).collect()),
        declared_type,
        sniffed_type,
        size: bytes.len(),
        sha256: hex(&sha2::Sha256::digest(bytes)),
        sha1: hex(&sha1::Sha1::digest(bytes)),
        md5: hex(&md5::Md5::digest(bytes)),
        archive,
        pdf,
        message: None,
        content: (bytes.len() <= limits.max_attachment_content)
            .then(|| std::sync::Arc::from(bytes)),
    }
}

fn declared_type(part: &mail_parser::MessagePart<'_>) -> Option<String> {
    part.content_type().map(|ct| match ct.subtype() {
        Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
        None => ct.ctype().to_ascii_lowercase(),
    })
}

fn mailboxes(address: Option<&Address<'_>>) -> Vec<Mailbox> {
    let Some(address) = address else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Names written before an address with a comma (`Name,<addr>`, a common malformation)
    // belong to the address that follows.
    let mut pending_name: Vec<String> = Vec::new();
    for addr in address.iter().take(1_000) {
        let name = addr
            .name
            .as_deref()
            .map(html::collapse_whitespace)
            .filter(|n| !n.is_empty());
        let Some(raw) = addr
            .address
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        else {
            pending_name.extend(name);
            continue;
        };
        let name = match (pending_name.is_empty(), name) {
            (true, name) => name,
            (false, name) => {
                pending_name.extend(name);
                Some(pending_name.join(", "))
            }
        };
        pending_name.clear();
        // Syntax only: a single-label name (`user@localhost`) is odd but well-formed.
        let domain_ok = raw.rsplit_once('@').is_some_and(|(local, domain)| {
            let domain = domain.trim_start_matches('[').trim_end_matches(']');
            !local.is_empty()
                && !domain.is_empty()
                && !domain.ends_with('.')
                && !domain.starts_with('.')
                && !domain.contains("..")
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
        });
        out.push(Mailbox {
            name,
            address: normalize_address(raw),
            malformed: !domain_ok,
            disguised: raw.chars().any(crate::text::is_styled_letter),
            local_as_written: crate::local_part(raw),
        });
    }
    // A name with no address at all (`"Facebook" <>`) is still what the reader sees.
    if out.is_empty() && !pending_name.is_empty() {
        out.push(Mailbox {
            name: Some(pending_name.join(", ")),
            address: String::new(),
            malformed: true,
            disguised: false,
            local_as_written: String::new(),
        });
    }
    out
}

/// Labels of the sender and subject lines mail programs write above an inline-forwarded
/// message, in the languages of the lure list and a few more.
const FORWARD_FROM: [&str; 6] = ["from:", "de:", "von:", "da:", "van:", "od:"];
const FORWARD_SUBJECT: [&str; 8] = [
    "subject:",
    "assunto:",
    "asunto:",
    "objet:",
    "betreff:",
    "oggetto:",
    "onderwerp:",
    "temat:",
];

/// The sender of the first message forwarded inline in `text`: a From line followed within a
/// few lines by a Subject line. Reads `Name <addr>`, `Name [mailto:addr]`, `Name<mailto:addr>`,
/// a bare address or a name alone.
fn forwarded_from(text: &str) -> Option<Mailbox> {
    let lines: Vec<&str> = text.lines().take(2_000).collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim().trim_start_matches(['*', '>', ' ']);
        let lower = line.to_lowercase();
        let Some(label) = FORWARD_FROM.iter().find(|l| lower.starts_with(**l)) else {
            continue;
        };
        let subject_follows = lines[i + 1..].iter().take(6).any(|l| {
            let l = l.trim().trim_start_matches(['*', '>', ' ']).to_lowercase();
            FORWARD_SUBJECT.iter().any(|s| l.starts_with(s))
        });
        if !subject_follows {
            continue;
        }
        let Some(value) = line.get(label.len()..).map(str::trim) else {
            continue;
        };
        let open = value
            .find("<mailto:")
            .or_else(|| value.find("[mailto:"))
            .or_else(|| value.rfind('<'))
            .or_else(|| value.find('['));
        let (name, address) = match open {
            Some(at) => {
                let inner = value[at + 1..]
                    .trim_end_matches(['>', ']', ' '])
                    .trim_start_matches("mailto:");
                let inner = inner.split(['>', ']']).next().unwrap_or_default();
                (value[..at].trim(), inner.trim())
            }
            None if value.contains('@') => ("", value),
            None => (value, ""),
        };
        let name = name.trim_matches(['*', '"', ' ']);
        let name = (!name.is_empty()).then(|| html::collapse_whitespace(name));
        let well_formed = address.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && crate::domain::normalize_domain(domain).is_some()
        });
        if name.is_none() && address.is_empty() {
            return None;
        }
        return Some(Mailbox {
            name,
            address: if well_formed {
                normalize_address(address)
            } else {
                String::new()
            },
            malformed: !well_formed,
            disguised: address.chars().any(crate::text::is_styled_letter),
            local_as_written: if well_formed {
                crate::local_part(address)
            } else {
                String::new()
            },
        });
    }
    None
}

/// Lowercases an address and puts its domain in ASCII form.
fn normalize_address(address: &str) -> String {
    let address = address.trim();
    match address.rsplit_once('@') {
        Some((local, domain)) => match crate::domain::normalize_domain(domain) {
            Some(domain) => format!("{}@{domain}", local.to_lowercase()),
            None => address.to_lowercase(),
        },
        None => address.to_lowercase(),
    }
}

fn host_name(host: &Host<'_>) -> Option<String> {
    match host {
        Host::Name(name) => {
            let name = name.trim_matches(['[', ']']);
            match name.parse::<IpAddr>() {
                Ok(_) => None,
                Err(_) => Some(name.to_ascii_lowercase()),
            }
        }
        Host::IpAddr(_) => None,
    }
}

fn host_ip(host: &Host<'_>) -> Option<IpAddr> {
    match host {
        Host::IpAddr(ip) => Some(*ip),
        Host::Name(name) => name
            .trim_matches(['[', ']'])
            .trim_start_matches("IPv6:")
            .parse()
            .ok(),
    }
}

/// An absolute URL from an attribute value: with a scheme, protocol-relative (`//host`), or
/// starting with `www.`. Relative paths, fragments and `cid:` references are not observables.
/// Decodes base64 text that holds characters outside the alphabet, skipping them as RFC 2045
/// says to. `None` when the bytes are not such text: already decoded, or mostly not base64.
fn base64_skipping_strays(encoded: &[u8]) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let (mut alphabet, mut strays) = (0usize, 0usize);
    for &b in encoded {
        if value(b).is_some() || b == b'=' {
            alphabet += 1;
        } else if !b.is_ascii_whitespace() {
            if !b.is_ascii_graphic() {
                return None;
            }
            strays += 1;
        }
    }
    // Text the parser would have decoded has no strays; text with many is no base64.
    if strays == 0 || alphabet < 16 || strays * 20 > alphabet {
        return None;
    }
    let mut out = Vec::with_capacity(alphabet / 4 * 3);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in encoded {
        if b == b'=' {
            break;
        }
        let Some(v) = value(b) else { continue };
        buffer = (buffer << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Whether a body begins with MIME part headers.
fn opens_with_part_headers(body: &str) -> bool {
    let start = body.trim_start_matches(['\r', '\n']).as_bytes();
    [&b"content-type:"[..], b"content-transfer-encoding:"]
        .iter()
        .any(|h| start.len() > h.len() && start[..h.len()].eq_ignore_ascii_case(h))
}

/// Whether a body is an HTML document: it begins with a doctype or an `<html>` tag.
fn is_html_document(body: &str) -> bool {
    let start = body.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head = start.as_bytes().get(..14).unwrap_or(start.as_bytes());
    head.len() >= 5
        && (head.eq_ignore_ascii_case(b"<!doctype html")
            || head[..5].eq_ignore_ascii_case(b"<html")
                && head
                    .get(5)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>'))
}

fn absolute_url(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix("//") {
        return Some(format!("http://{rest}"));
    }
    if value.len() > 4 && value.as_bytes()[..4].eq_ignore_ascii_case(b"www.") {
        return Some(format!("http://{value}"));
    }
    let (scheme, _) = value.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    (scheme_ok && !matches!(scheme.as_str(), "cid" | "mailto" | "tel" | "sms" | "about"))
        .then(|| value.to_owned())
}

fn percent_decode(s: &str) -> String {
    fn hex_digit(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_forwarded_senders() {
        let found = |text: &str| forwarded_from(text).map(|m| (m.name, m.address));
        assert_eq!(
            found("hi\n\n________\nDe: *FedEx* <services@ship.example>\nEnviado: hoje\nAssunto: Your parcel\n\nbody"),
            Some((Some("FedEx".to_owned()), "services@ship.example".to_owned()))
        );
        assert_eq!(
            found("From: Bank [mailto:a@b.example]\nSent: Monday\nTo: me\nSubject: x"),
            Some((Some("Bank".to_owned()), "a@b.example".to_owned()))
        );
        assert_eq!(
            found("De: Lender\nEnviado: x\nAssunto: y"),
            Some((Some("Lender".to_owned()), String::new()))
        );
        assert_eq!(
            found("De: Bank-Cashback [6575]<mailto:x@mail.example>\nEnviado: x\nAssunto: y"),
            Some((
                Some("Bank-Cashback [6575]".to_owned()),
                "x@mail.example".to_owned()
            ))
        );
        assert_eq!(
            found("From: a friend, who wrote:\nthe rest of the letter"),
            None
        );
    }

    fn observed(message: &Message, kind: ObservableKind, location: &str) -> Vec<String> {
        message
            .observables
            .iter()
            .filter(|o| o.kind == kind && o.location.to_string() == location)
            .map(|o| o.value.clone())
            .collect()
    }

    #[test]
    fn header_facts_and_sender_observables() {
        let raw = b"Return-Path: <Bounce@Mailer.Example.COM>\r\n\
Received: from smtp.evil.example (smtp.evil.example [192.0.2.10]) by mx.example.org with ESMTPS id 1; Mon, 1 Jan 2024 10:00:00 +0000\r\n\
Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=mailer.example.com; dkim=none; dmarc=fail header.from=who.int\r\n\
From: \"World Health Organization\" <alerts@who-int.example>\r\n\
Reply-To: Collect <collect@gmail.example>\r\n\
To: staff@clinic.example\r\n\
Subject: =?utf-8?q?Urgent=3A_vaccine?= notice\r\n\
Message-ID: <abc@who-int.example>\r\n\
Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nbody\r\n";
        let m = parse(raw).unwrap();
        let from = m.headers.from.as_ref().unwrap();
        assert_eq!(from.name.as_deref(), Some("World Health Organization"));
        assert_eq!(from.address, "alerts@who-int.example");
        assert_eq!(
            m.headers.return_path.as_deref(),
            Some("bounce@mailer.example.com")
        );
        assert_eq!(m.headers.subject.as_deref(), Some("Urgent: vaccine notice"));
        assert_eq!(
            m.headers.received[0].from_ip,
            Some("192.0.2.10".parse().unwrap())
        );
        assert_eq!(
            m.headers.received[0].from.as_deref(),
            Some("smtp.evil.example")
        );
        assert_eq!(m.headers.authentication_results.len(), 3);
        assert_eq!(
            observed(&m, ObservableKind::Email, "reply-to"),
            ["collect@gmail.example"]
        );
        assert_eq!(
            observed(&m, ObservableKind::Ip, "received[0]"),
            ["192.0.2.10"]
        );
        assert_eq!(
            observed(&m, ObservableKind::Domain, "received[0]"),
            ["smtp.evil.example"]
        );
        assert_eq!(
            observed(&m, ObservableKind::Domain, "message-id"),
            ["who-int.example"]
        );
        assert_eq!(m.sha256.len(), 64);
    }

    #[test]
    fn html_links_forms_and_attachments() {
        let raw = b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=BOUNDARY42\r\n\r\n--BOUNDARY42\r\n\
Content-Type: text/html\r\n\r\n<a href=\"https://xn--bcher-kva.example/login\">https://bank.example</a>\
<form action=\"http://198.51.100.4/p\"><input type=password></form><a href=\"mailto:x@drop.example?subject=hi\">mail</a>\r\n\
--BOUNDARY42\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"invoice.pdf.exe\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--BOUNDARY42--\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(
            m.links,
            [Link {
                href: "https://xn--bcher-kva.example/login".into(),
                text: "https://bank.example".into()
            }]
        );
        let unicode: Vec<_> = m
            .observables
            .iter()
            .filter_map(|o| o.unicode.as_deref())
            .collect();
        assert!(unicode.contains(&"bücher.example"));
        assert_eq!(
            observed(&m, ObservableKind::Ip, "html-form-action"),
            ["198.51.100.4"]
        );
        assert_eq!(
            observed(&m, ObservableKind::Email, "html-link"),
            ["x@drop.example"]
        );
        assert_eq!(
            m.forms,
            [Form {
                action: "http://198.51.100.4/p".into(),
                has_password: true,
                location: Location::HtmlFormAction,
            }]
        );
        let a = &m.attachments[0];
        assert_eq!(a.name.as_deref(), Some("invoice.pdf.exe"));
        assert_eq!(a.sniffed_type.as_deref(), Some("application/x-msdownload"));
        assert_eq!(a.size, 12);
        assert_eq!(a.md5.len(), 32);
    }

    #[test]
    fn an_html_document_sent_as_plain_text_is_read_as_html() {
        let raw = b"From: a@example.org\r\nContent-Type: text/plain\r\n\r\n\r\n<!DOCTYPE html>\r\n<html><body><p style=\"font-size:0\">filler</p>\
<a href=\"https://evil.example/login\">https://bank.example</a></body></html>";
        let m = parse(raw).unwrap();
        assert_eq!(m.links.len(), 1, "{m:#?}");
        assert_eq!(m.links[0].text, "https://bank.example");
        assert!(
            !m.body_text.contains("<a") && !m.body_text.contains("filler"),
            "{}",
            m.body_text
        );
        // Plain text that quotes a tag is still plain text.
        let m = parse(b"From: a@example.org\r\n\r\nUse <html> and <a href=\"x\"> in the template.")
            .unwrap();
        assert!(m.links.is_empty() && m.body_text.contains("<html>"));
        assert!(is_html_document("\u{feff} <html lang=en>") && !is_html_document("<htmlx>"));
    }

    #[test]
    fn base64_with_stray_characters_is_decoded_as_mail_programs_do() {
        assert_eq!(
            base64_skipping_strays(b"JVBERi0xLjQK@JdPr6eEK\r\nMSAwIG9iago8PC9DcmVh").as_deref(),
            Some(&b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n1 0 obj\n<</Crea"[..])
        );
        assert_eq!(base64_skipping_strays(b"%PDF-1.4 binary \x00\x01"), None);
        assert_eq!(
            base64_skipping_strays(b"JVBERi0xLjQK"),
            None,
            "clean base64 was decoded already"
        );
        let raw = b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=x.pdf\r\n\r\n\
JVBERi0xLjQKJdPr6eEKMSAwIG9iago8PC9DcmVh@dG9yIChQZGZjcm93ZC5jb20pPj4KZW5kb2JqCg==\r\n--b--\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(
            m.attachments[0].sniffed_type.as_deref(),
            Some("application/pdf"),
            "{m:#?}"
        );
    }

    #[test]
    fn a_part_after_a_stray_blank_line_is_read_as_the_part() {
        let raw = b"From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n\r\nContent-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\r\nPGEgaHJlZj0iaHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4iPlZlcmlmeSB5b3VyIGFjY291bnQ8L2E+\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.links.len(), 1, "{m:#?}");
        assert_eq!(m.links[0].text, "Verify your account");
        // Nested without end, it stops at the depth limit.
        let mut deep = b"From: a@example.org\r\n\r\n".to_vec();
        for _ in 0..200 {
            deep.extend_from_slice(b"Content-Type: text/plain\r\n\r\n");
        }
        deep.extend_from_slice(b"https://deep.example/x");
        assert!(parse(&deep).is_ok());
    }

    #[test]
    fn attached_messages_are_analysed_within_the_depth_limit() {
        let inner =
            b"From: spy@inner.example\r\nSubject: inner\r\n\r\nhttp://inner-link.example/x\r\n";
        let mut raw = b"From: outer@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n".to_vec();
        raw.extend_from_slice(inner);
        raw.extend_from_slice(b"\r\n--b--\r\n");
        let m = parse(&raw).unwrap();
        let nested = m.attachments[0].message.as_ref().unwrap();
        assert_eq!(
            nested.headers.from.as_ref().unwrap().address,
            "spy@inner.example"
        );
        let mut all = Vec::new();
        m.for_each_observable(&mut |o, loc| all.push(format!("{} {}", loc, o.value)));
        assert!(
            all.contains(&"attachment[0]/text http://inner-link.example/x".to_owned()),
            "{all:?}"
        );
        let shallow = parse_with(
            &raw,
            &Limits {
                max_depth: 0,
                ..Limits::default()
            },
        )
        .unwrap();
        assert!(shallow.attachments[0].message.is_none());
        assert!(!shallow.truncated.is_empty());
    }

    #[test]
    fn bad_input_is_an_error_that_says_why() {
        assert_eq!(parse(b"").unwrap_err(), Error::Empty);
        assert_eq!(parse(b" \r\n").unwrap_err(), Error::Empty);
        let limits = Limits {
            max_message_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            parse_with(b"Subject: too long for ten", &limits),
            Err(Error::TooLarge { .. })
        ));
        // Padded past the part limit: read as far as the limit, and marked.
        let many = format!(
            "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\r\n--b\r\n\r\nsee http://first.example/\r\n{}\r\n--b\r\n\r\nhttp://hidden.example/\r\n--b--\r\n",
            "\r\n--b\r\n\r\nx".repeat(10_000)
        );
        let padded = parse(many.as_bytes()).unwrap();
        assert!(padded.past_limits);
        assert_eq!(padded.size, many.len());
        let hosts: Vec<&str> = padded
            .observables
            .iter()
            .map(|o| o.value.as_str())
            .collect();
        assert!(
            hosts.iter().any(|h| h.contains("first.example")),
            "{hosts:?}"
        );
        assert!(
            !hosts.iter().any(|h| h.contains("hidden.example")),
            "{hosts:?}"
        );
        assert!(!parse(b"Subject: plain\r\n\r\nhello").unwrap().past_limits);
    }

    #[test]
    fn observables_are_capped() {
        let body: String = (0..50).map(|i| format!("http://h{i}.example/ ")).collect();
        let raw = format!("From: a@example.org\r\n\r\n{body}");
        let m = parse_with(
            raw.as_bytes(),
            &Limits {
                max_observables: 10,
                ..Limits::default()
            },
        )
        .unwrap();
        assert_eq!(m.observables.len(), 10);
        assert!(m.truncated[0].contains("observables"));
    }

    #[test]
    fn multibyte_characters_at_prefix_boundaries_do_not_panic() {
        for href in ["abcdé", "wwwé", "dataé:x", "ééé"] {
            let raw = format!("From: a@example.org\r\nContent-Type: text/html\r\n\r\n<a href=\"{href}\">x</a> {href}");
            parse(raw.as_bytes()).unwrap();
            let _ = absolute_url(href);
        }
    }

    #[test]
    fn percent_decoding_is_safe_at_the_end() {
        assert_eq!(percent_decode("a%40b.example"), "a@b.example");
        assert_eq!(percent_decode("a%4"), "a%4");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%aé"), "%aé");
        assert_eq!(percent_decode("x%41"), "xA");
    }
}

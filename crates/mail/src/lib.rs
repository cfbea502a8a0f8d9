//! forewarn-mail turns the raw bytes of one e-mail into a [`Message`]: the header facts, every
//! observable (domain, URL, address, IP) with where it was found, and the attachments with their
//! hashes. It does no I/O and never panics on hostile input; every size it reads is capped by
//! [`Limits`].
//!
//! In a message's path (docs/ARCHITECTURE.md) it is the first step: ingest's workers and
//! `forewarn scan` call it on raw bytes, and every detector reads the `Message` it makes.
//!
//! ```
//! let raw = b"From: \"IT Desk\" <it@help-desk.example>\r\nSubject: Password expiry\r\n\r\n\
//!             Renew at https://login.help-desk.example/renew today.\r\n";
//! let message = forewarn_mail::parse(raw).unwrap();
//! assert_eq!(message.headers.from.as_ref().unwrap().address, "it@help-desk.example");
//! assert!(message.observables.iter().any(|o| o.value == "https://login.help-desk.example/renew"));
//! ```

pub mod archive;
pub mod auth;
pub mod domain;
pub mod html;
pub mod link;
pub mod mbox;
pub mod pdf;
mod read;
pub mod sniff;
pub mod text;

use std::fmt;
use std::net::IpAddr;

use serde::{Serialize, Serializer};

pub use archive::{ArchiveEntry, ArchiveListing};
pub use auth::AuthResult;
pub use domain::Domain;
pub use read::{parse, parse_with};

/// Caps on what one message may make us read and allocate.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest raw message accepted.
    pub max_message_bytes: usize,
    /// Most MIME parts in one message (counted from boundary lines before parsing).
    pub max_parts: usize,
    /// How deep attached messages (message/rfc822) are analysed.
    pub max_depth: usize,
    /// Most observables kept per message; the rest are counted in `truncated`.
    pub max_observables: usize,
    /// Most attachments described per message.
    pub max_attachments: usize,
    /// Body text kept in memory for detectors (never serialized).
    pub max_body_text: usize,
    /// Largest attachment whose decoded bytes are kept in memory for content scanners (YARA);
    /// never serialized, and dropped with the message.
    pub max_attachment_content: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 * 1024 * 1024,
            max_parts: 4_096,
            max_depth: 3,
            max_observables: 10_000,
            max_attachments: 512,
            max_body_text: 256 * 1024,
            max_attachment_content: 16 * 1024 * 1024,
        }
    }
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("reading message: it is empty")]
    Empty,
    #[error("reading message: {size} bytes is over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("reading message: no header fields found, so this is not an RFC 5322 message")]
    NoHeaders,
}

/// What one parsed message showed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Message {
    /// SHA-256 of the raw bytes, hex.
    pub sha256: String,
    pub size: usize,
    pub headers: Headers,
    pub observables: Vec<Observable>,
    /// HTML links with the text a reader sees for them.
    pub links: Vec<Link>,
    /// HTML `mailto:` links with the text a reader sees for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mail_links: Vec<Link>,
    pub attachments: Vec<Attachment>,
    /// HTML forms: where they post and whether they ask for a password.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<Form>,
    /// Characters of HTML body text styled to be invisible.
    #[serde(skip_serializing_if = "is_zero")]
    pub hidden_text: usize,
    /// Some HTML body styles content to sit thousands of screens below what a reader sees.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pushed_away: bool,
    /// An HTML body shows next to no text, only a picture that links away.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub picture_only: bool,
    /// Limits that were reached while reading, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<String>,
    /// The message is built past the structural limits forewarn reads (parts, attachments,
    /// nesting): it was analysed as far as they go, and what lies beyond was not read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub past_limits: bool,
    /// Plain text of the bodies (HTML reduced to its visible text), for detectors only: it is
    /// never serialized, stored or logged.
    #[serde(skip)]
    pub body_text: String,
    /// The sender of a message forwarded inline (the "From:/De:/Von: … Subject:" block a mail
    /// program writes above it), as the forwarding person's program showed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<Mailbox>,
}

/// The header facts of a message.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Headers {
    pub from: Option<Mailbox>,
    pub sender: Option<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    /// The envelope sender (Return-Path), lowercase.
    pub return_path: Option<String>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub message_id: Option<String>,
    /// RFC 3339.
    pub date: Option<String>,
    pub subject: Option<String>,
    pub list_id: Option<String>,
    /// Received hops as they appear in the header, most recent (nearest the recipient) first.
    pub received: Vec<Hop>,
    pub authentication_results: Vec<AuthResult>,
    /// The `d=` domains of the message's DKIM signatures, lowercase (whether they verify is
    /// the receiver's to say, in its results).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dkim_signers: Vec<String>,
}

impl Headers {
    /// The From display name, or "" when there is none.
    pub fn from_name(&self) -> &str {
        self.from
            .as_ref()
            .and_then(|f| f.name.as_deref())
            .unwrap_or_default()
    }

    /// The From address, or "" when there is none.
    pub fn from_address(&self) -> &str {
        self.from
            .as_ref()
            .map(|f| f.address.as_str())
            .unwrap_or_default()
    }
}

/// A display name and an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mailbox {
    pub name: Option<String>,
    /// Lowercase; the domain in ASCII (punycode).
    pub address: String,
    /// The address as written is not a valid address (no domain, a domain that is no DNS
    /// name, a trailing dot).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub malformed: bool,
    /// The address is written in styled letters (mathematical bold, circled, fullwidth) that
    /// read as an ordinary name but are none: no mail system issues such an address, so the
    /// domain it seems to show is not where the message came from.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disguised: bool,
    /// The part before the `@` as written, before lowercasing: a local part made by a
    /// machine (`fdDcYbGtHMjwnIr`) shows in its case.
    #[serde(skip)]
    pub local_as_written: String,
}

/// The part of an address before its last `@`, trimmed.
pub(crate) fn local_part(address: &str) -> String {
    address
        .trim()
        .rsplit_once('@')
        .map_or("", |(local, _)| local)
        .to_owned()
}

impl Mailbox {
    /// The domain part of the address.
    pub fn domain(&self) -> Option<&str> {
        self.address.rsplit_once('@').map(|(_, d)| d)
    }
}

/// One Received header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The name the sending host gave (HELO/EHLO or its reverse DNS).
    pub from: Option<String>,
    pub from_ip: Option<IpAddr>,
    pub by: Option<String>,
    pub date: Option<String>,
}

/// A link in HTML and the text shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// An HTML form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    pub action: String,
    pub has_password: bool,
    /// The HTML body (`html-form-action`) or the attachment that holds the form.
    #[serde(rename = "where")]
    pub location: Location,
}

/// What kind of thing an observable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservableKind {
    Domain,
    Url,
    Email,
    Ip,
}

impl ObservableKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::Email => "email",
            ObservableKind::Ip => "ip",
        }
    }
}

/// Where in a message an observable was seen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    From,
    Sender,
    ReplyTo,
    ReturnPath,
    To,
    Cc,
    MessageId,
    Subject,
    /// The n-th Received header, 0 being the topmost.
    Received(usize),
    /// A plain-text body part.
    Text,
    /// An `<a href>` or `<area href>`.
    HtmlLink,
    /// A URL written in the visible text of an HTML part.
    HtmlText,
    /// An image, script, frame or style source.
    HtmlSource,
    HtmlFormAction,
    HtmlRefresh,
    /// Inside the n-th attachment (an HTML or text attachment's content).
    Attachment(usize),
    /// Inside the message attached as the n-th attachment.
    Attached(usize, Box<Location>),
}

impl Location {
    /// Whether the location is a header the sender controls directly (From, Sender, Reply-To,
    /// Return-Path), as opposed to the body or the relays.
    pub fn is_sender(&self) -> bool {
        matches!(
            self,
            Location::From | Location::Sender | Location::ReplyTo | Location::ReturnPath
        )
    }

    /// Whether the location is a link or resource a reader can follow or load.
    pub fn is_link(&self) -> bool {
        match self {
            Location::Text
            | Location::HtmlLink
            | Location::HtmlText
            | Location::HtmlSource
            | Location::HtmlFormAction
            | Location::HtmlRefresh
            | Location::Attachment(_) => true,
            Location::Attached(_, inner) => inner.is_link(),
            _ => false,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::From => f.write_str("from"),
            Location::Sender => f.write_str("sender"),
            Location::ReplyTo => f.write_str("reply-to"),
            Location::ReturnPath => f.write_str("return-path"),
            Location::To => f.write_str("to"),
            Location::Cc => f.write_str("cc"),
            Location::MessageId => f.write_str("message-id"),
            Location::Subject => f.write_str("subject"),
            Location::Received(n) => write!(f, "received[{n}]"),
            Location::Text => f.write_str("text"),
            Location::HtmlLink => f.write_str("html-link"),
            Location::HtmlText => f.write_str("html-text"),
            Location::HtmlSource => f.write_str("html-source"),
            Location::HtmlFormAction => f.write_str("html-form-action"),
            Location::HtmlRefresh => f.write_str("html-refresh"),
            Location::Attachment(n) => write!(f, "attachment[{n}]"),
            Location::Attached(n, inner) => write!(f, "attachment[{n}]/{inner}"),
        }
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One domain, URL, address or IP seen in a message, with where it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observable {
    pub kind: ObservableKind,
    /// Normalized: domains lowercase punycode, URLs as [`link::normalize_url`] gives them,
    /// addresses lowercase.
    pub value: String,
    #[serde(rename = "where")]
    pub location: Location,
    /// For domains: the Unicode form, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unicode: Option<String>,
    /// For domains: the registrable domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrable: Option<String>,
}

/// One attachment (any non-body part).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub declared_type: Option<String>,
    /// The type the bytes show, whatever the name and declared type say.
    pub sniffed_type: Option<String>,
    pub size: usize,
    pub sha256: String,
    pub sha1: String,
    pub md5: String,
    /// A zip archive's entries, one level deep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveListing>,
    /// A PDF's link addresses and actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<pdf::PdfFacts>,
    /// An attached message (message/rfc822), analysed in turn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Box<Message>>,
    /// The decoded bytes, for content scanners only (see `Limits::max_attachment_content`):
    /// never serialized, stored or logged.
    #[serde(skip)]
    pub content: Option<std::sync::Arc<[u8]>>,
}

impl Message {
    /// Visits every observable of this message and of attached messages, with the location
    /// made absolute (`attachment[1]/from`).
    pub fn for_each_observable(&self, visit: &mut dyn FnMut(&Observable, &Location)) {
        for observable in &self.observables {
            visit(observable, &observable.location);
        }
        for (n, attachment) in self.attachments.iter().enumerate() {
            if let Some(inner) = &attachment.message {
                inner.for_each_observable(&mut |o, loc| {
                    visit(o, &Location::Attached(n, Box::new(loc.clone())))
                });
            }
        }
    }

    /// Visits every attachment of this message and of attached messages, with its location.
    pub fn for_each_attachment(&self, visit: &mut dyn FnMut(&Attachment, &Location)) {
        for (n, attachment) in self.attachments.iter().enumerate() {
            visit(attachment, &Location::Attachment(n));
            if let Some(inner) = &attachment.message {
                inner.for_each_attachment(&mut |a, loc| {
                    visit(a, &Location::Attached(n, Box::new(loc.clone())))
                });
            }
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

//! Links: cues of credential harvesting and of hiding where a link goes. Each kind of cue is
//! reported once per message, at its first occurrence.

use std::collections::HashSet;

use forewarn_mail::{Location, Message, ObservableKind};

use crate::hosts::{abused_tld, app_hosting, form_builder, is_shortener, site_builder};
use crate::lookalike::LookalikeIndex;
use crate::{Detector, Finding, Severity};

pub struct Links {
    protected: std::sync::Arc<LookalikeIndex>,
}

impl Links {
    pub fn new(protected: std::sync::Arc<LookalikeIndex>) -> Self {
        Links { protected }
    }
}

impl Detector for Links {
    fn name(&self) -> &'static str {
        "links"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        let mut seen: HashSet<&'static str> = HashSet::new();
        let mut push = |findings: &mut Vec<Finding>,
                        cue: &'static str,
                        severity,
                        confidence,
                        summary: String,
                        location: &Location,
                        observed: &str| {
            if seen.insert(cue) {
                findings.push(Finding::new(
                    cue,
                    severity,
                    confidence,
                    summary,
                    location.clone(),
                    observed,
                    &["T1566.002"],
                ));
            }
        };
        message.for_each_observable(&mut |o, location| {
            if !location.is_link() || matches!(location, Location::HtmlSource) {
                return;
            }
            match o.kind {
                ObservableKind::Ip => {
                    // Private and loopback addresses host no attacker page a victim can reach.
                    let global = o.value.parse::<std::net::IpAddr>().is_ok_and(|ip| match ip {
                        std::net::IpAddr::V4(v4) => !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified()),
                        std::net::IpAddr::V6(v6) => !(v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00),
                    });
                    if global {
                        push(findings, "links.ip-host", Severity::Medium, 70, format!("a link goes to the bare IP address {}", o.value), location, &o.value);
                    }
                }
                ObservableKind::Url => {
                    let lower = o.value.to_ascii_lowercase();
                    if lower.starts_with("javascript:") {
                        // Old newsletters used these for pop-ups; most mail readers refuse them.
                        push(
                            findings,
                            "links.javascript-url",
                            Severity::Low,
                            50,
                            "a link runs a script (javascript: URL)".to_owned(),
                            location,
                            &o.value,
                        );
                    }
                    if lower.starts_with("data:text/html") {
                        push(findings, "links.data-url", Severity::High, 75, "a link opens a web page carried inside the message (data: URL)".to_owned(), location, &o.value);
                    }
                    let authority = lower.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default()).unwrap_or_default();
                    if authority.contains('@') {
                        push(findings, "links.userinfo", Severity::High, 80, format!("a link hides its host behind a user name: {}", crate::intel::defang(&o.value)), location, &o.value);
                    }
                    if let Some(service) = form_builder(&lower) {
                        push(findings, "links.form-builder", Severity::Medium, 50, format!("a link goes to a form anyone can make on {service}, where passwords and personal details are collected under a trusted name: {}", crate::intel::defang(&o.value)), location, &o.value);
                    }
                    if carries_encoded_url(&o.value) {
                        push(findings, "links.encoded-target", Severity::Medium, 60, format!("a link carries another address encoded in base64, hiding where it really goes: {}", crate::intel::defang(&o.value)), location, &o.value);
                    }
                    if let Some(name) = script_as_file(&lower) {
                        push(findings, "links.script-as-file", Severity::Medium, 60, format!("a link runs a script dressed as a file ({name}), as on a hijacked site: {}", crate::intel::defang(&o.value)), location, &o.value);
                    }
                    if redirects_elsewhere(&lower) {
                        push(findings, "links.redirect", Severity::Low, 50, format!("a link passes through a redirector: {}", crate::intel::defang(&o.value)), location, &o.value);
                    }
                }
                ObservableKind::Domain => {
                    // Hosting first: pages on a large provider's own domain are still anyone's.
                    if let Some(service) = app_hosting(&o.value) {
                        push(findings, "links.app-hosting", Severity::Medium, 60, format!("a link goes to a page anyone can put up on {service}: {}", crate::intel::defang(&o.value)), location, &o.value);
                        return;
                    }
                    if let Some(service) = site_builder(&o.value) {
                        push(findings, "links.site-builder", Severity::Low, 50, format!("a link goes to a site built on {service}: {}", crate::intel::defang(&o.value)), location, &o.value);
                        return;
                    }
                    if self.protected.is_owned(&o.value) {
                        return;
                    }
                    if let Some(tld) = abused_tld(&o.value) {
                        push(findings, "links.abused-tld", Severity::Low, 60, format!("a link goes to {}, under .{tld}, a top-level domain mostly used for abuse", crate::intel::defang(&o.value)), location, &o.value);
                    }
                    if is_shortener(&o.value) {
                        push(findings, "links.shortener", Severity::Low, 60, format!("a shortened link hides where it goes ({})", o.value), location, &o.value);
                    }
                    if o.value.split('.').any(|l| l.starts_with("xn--")) {
                        let shown = o.unicode.as_deref().unwrap_or(&o.value);
                        push(findings, "links.punycode", Severity::Low, 50, format!("a link goes to an internationalized name {shown} ({})", o.value), location, &o.value);
                    }
                }
                ObservableKind::Email => {}
            }
        });
        // Organizations link to their own sites; mail whose every link leads elsewhere did not
        // come from where it says.
        if let Some(sender) = message
            .headers
            .from
            .as_ref()
            .filter(|f| !f.malformed)
            .and_then(|f| f.domain())
            .and_then(psl::domain_str)
        {
            let targets: Vec<&str> = message
                .links
                .iter()
                .filter_map(|l| {
                    l.href.split_once("://").map(|(_, rest)| {
                        rest.split(['/', '?', '#', ':']).next().unwrap_or_default()
                    })
                })
                .collect();
            // The domains that vouch for the message: the sender's, and those whose DKIM
            // signature the receiving server verified (a sender's mail service signs and
            // tracks its links under its own name).
            let signed: Vec<&str> = message
                .headers
                .authentication_results
                .iter()
                .filter(|r| r.method == "dkim" && r.result == "pass")
                .filter_map(|r| r.domain.as_deref())
                .filter_map(psl::domain_str)
                .collect();
            if targets.len() >= 2
                && !targets.iter().any(|t| {
                    psl::domain_str(t).is_some_and(|t| {
                        same_owner(t, sender) || signed.iter().any(|d| same_owner(t, d))
                    }) || self.protected.is_owned(t) && self.protected.is_owned(sender)
                })
            {
                push(
                    findings,
                    "links.elsewhere",
                    Severity::Low,
                    60,
                    format!(
                        "none of the message's {} links leads to the sender's own {sender}",
                        targets.len()
                    ),
                    &Location::HtmlLink,
                    sender,
                );
            }
        }
        // A link no browser can read as an address: characters a host name cannot hold, or
        // spaces and control characters inside it. Link scanners drop such a link; some mail
        // programs repair it, and the reader never sees the address at all.
        if let Some(link) = message.links.iter().find(|l| unreadable(&l.href)) {
            let shown: String = link
                .href
                .chars()
                .take(120)
                .filter(|c| !c.is_control())
                .collect();
            push(
                findings,
                "links.unreadable",
                Severity::Low,
                50,
                format!(
                    "a link's address is garbled so that it cannot be read as one: {}",
                    crate::intel::defang(&shown)
                ),
                &Location::HtmlLink,
                &shown,
            );
        }
        for form in message
            .forms
            .iter()
            .filter(|f| f.location == Location::HtmlFormAction)
        {
            if form.has_password {
                push(
                    findings,
                    "links.password-form",
                    Severity::High,
                    80,
                    "the message itself asks for a password in a form".to_owned(),
                    &Location::HtmlFormAction,
                    &form.action,
                );
            } else if form.action.contains("://") {
                push(
                    findings,
                    "links.form",
                    Severity::Low,
                    50,
                    format!(
                        "the message holds a form that sends what is typed to {}",
                        crate::intel::defang(&form.action)
                    ),
                    &Location::HtmlFormAction,
                    &form.action,
                );
            }
        }
        // The sender's own domain: app hosting, or an abused top-level domain.
        for mailbox in message.headers.from.iter().chain(&message.headers.reply_to) {
            let Some(domain) = mailbox.domain() else {
                continue;
            };
            if let Some(service) = app_hosting(domain) {
                push(
                    findings,
                    "links.sender-app-hosting",
                    Severity::Medium,
                    60,
                    format!("the sender writes from a name anyone can create on {service}"),
                    &Location::From,
                    &mailbox.address,
                );
            } else if let Some(tld) = abused_tld(domain) {
                push(findings, "links.sender-abused-tld", Severity::Medium, 50, format!("the sender writes from {domain}, under .{tld}, a top-level domain mostly used for abuse"), &Location::From, &mailbox.address);
            }
        }
    }
}

/// Whether a web link's address could not be parsed: the message's links are kept normalized
/// (ASCII, no spaces) when they parse, and as written when they do not.
fn unreadable(href: &str) -> bool {
    let web = href.len() > 7
        && (href.as_bytes()[..7].eq_ignore_ascii_case(b"http://")
            || href.len() > 8 && href.as_bytes()[..8].eq_ignore_ascii_case(b"https://"));
    web && href
        .bytes()
        .any(|b| !b.is_ascii() || b.is_ascii_control() || b == b' ')
}

/// Whether a URL's query or path carries a base64-encoded web address ("aHR0cHM6Ly…" is
/// "https://"), a way to hide the destination from scanners.
fn carries_encoded_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    rest.split(['/', '?', '&', '=', '#'])
        .skip(1)
        .any(|part| part.starts_with("aHR0cDovL") || part.starts_with("aHR0cHM6Ly"))
}

/// A path segment that dresses a server script as a document or picture ("goto.jpg.php",
/// "invoice.pdf.aspx"), and the segment.
fn script_as_file(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let path = rest.split(['?', '#']).next()?;
    path.split('/').skip(1).find(|segment| {
        let parts: Vec<&str> = segment.split('.').collect();
        parts.windows(2).any(|w| {
            matches!(
                w[0],
                "jpg" | "jpeg" | "png" | "gif" | "pdf" | "doc" | "docx" | "xls" | "xlsx" | "zip"
            ) && ["php", "asp", "aspx", "jsp", "cgi"].iter().any(|s| {
                w[1].strip_prefix(s)
                    .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit()))
            })
        })
    })
}

/// Whether two registrable domains belong to one owner: the same, or the same name under
/// another suffix (`example.com` and `example.net`), as organizations register theirs.
pub fn same_owner(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let name = |d: &str| {
        let suffix = psl::suffix_str(d)?;
        let name = d.strip_suffix(suffix)?.strip_suffix('.')?;
        Some(name.to_ascii_lowercase())
    };
    // Short names are shared by unrelated owners across suffixes.
    matches!((name(a), name(b)), (Some(x), Some(y)) if x == y && x.len() >= 5)
}

/// Whether a URL carries another URL in its query (open redirectors, tracking hops).
fn redirects_elsewhere(url: &str) -> bool {
    let Some((_, query)) = url.split_once('?') else {
        return false;
    };
    query.split('&').any(|pair| {
        let value = pair.split_once('=').map_or("", |(_, v)| v);
        value.starts_with("http%3a")
            || value.starts_with("https%3a")
            || value.starts_with("http://")
            || value.starts_with("https://")
            || value.starts_with("%2f%2f")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    #[test]
    fn one_owner_under_several_suffixes() {
        assert!(same_owner("imakenews.net", "imakenews.com"));
        assert!(same_owner("example.co.uk", "example.org"));
        assert!(!same_owner("bank.com", "bank.xyz"));
        assert!(!same_owner("paypal.com", "paypal-login.com"));
    }

    #[test]
    fn hidden_destinations() {
        assert!(carries_encoded_url(
            "https://site.example/goto?t=aHR0cHM6Ly9ldmlsLmV4YW1wbGU="
        ));
        assert!(!carries_encoded_url("https://aHR0cHM6Ly.example/"));
        assert_eq!(
            script_as_file("https://site.example/uploads/goto.jpg.php56?x=1"),
            Some("goto.jpg.php56")
        );
        assert_eq!(script_as_file("https://site.example/a.php?f=b.jpg"), None);
        assert_eq!(script_as_file("https://site.example/pic.jpg"), None);
    }

    #[test]
    fn each_cue_once() {
        let index = std::sync::Arc::new(LookalikeIndex::new(&Rules::shipped().brands, &[]));
        let raw = "From: x@proj-1.firebaseapp.com\r\nContent-Type: text/html\r\n\r\n\
<a href=\"http://192.0.2.1/a\">a</a><a href=\"http://192.0.2.2/b\">b</a><a href=\"https://bit.ly/x\">c</a>\
<a href=\"data:text/html;base64,AAAA\">d</a><a href=\"https://www.paypal.com@evil.example/\">e</a>\
<a href=\"https://r.example/?u=https%3A%2F%2Fevil.example\">f</a><a href=\"https://x.pages.dev/\">g</a>\
<a href=\"http://127.0.0.1:8080/\">local</a><a href=\"http://10.1.2.3/\">lan</a><a href=\"https://promo.example.top/\">h</a>\
<form action=\"https://c.example/p\"><input type=password></form>";
        let mut f = Vec::new();
        Links::new(index.clone()).detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        let cues: Vec<&str> = f.iter().map(|f| f.summary.as_str()).collect();
        assert_eq!(f.len(), 10, "{cues:#?}");
        assert!(
            !cues
                .iter()
                .any(|c| c.contains("127.0.0.1") || c.contains("10.1.2.3")),
            "{cues:#?}"
        );
    }

    #[test]
    fn owned_domains_are_no_cue() {
        let index = std::sync::Arc::new(LookalikeIndex::new(&Rules::shipped().brands, &[]));
        let mut f = Vec::new();
        Links::new(index.clone()).detect(&forewarn_mail::parse(b"From: a@b.example\r\n\r\nhttps://www.google.com/maps https://xn--mnchen-3ya.google.com/").unwrap(), &mut f);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn garbled_link_addresses() {
        let index = std::sync::Arc::new(LookalikeIndex::new(&Rules::shipped().brands, &[]));
        let mut f = Vec::new();
        let raw = "From: a@b.example\r\nContent-Type: text/html\r\n\r\n<a href=\"  http://x&#159;y&#156;.evil.example/a.php\">\
<img src=\"https://cdn.example/p.png\"></a>";
        Links::new(index.clone()).detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        assert!(f.iter().any(|f| f.cue == "links.unreadable"), "{f:#?}");
        assert!(unreadable("https://ex ample.com/") && !unreadable("https://example.com/a%20b"));
        assert!(!unreadable("mailto:ä@b.example"));
    }
}

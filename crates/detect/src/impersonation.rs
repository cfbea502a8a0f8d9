//! Impersonation: a display name that claims an organization the address does not belong to,
//! a reply address elsewhere than the sender, and links whose visible text names one domain
//! while they lead to another.

use forewarn_mail::{Location, Message};

use crate::hosts::is_freemail;
use crate::rules::Brand;
use crate::{Detector, Finding, Severity};

pub struct Impersonation {
    brands: Vec<Brand>,
    /// Lowercase names with the brand they belong to.
    names: Vec<(String, usize)>,
}

impl Impersonation {
    pub fn new(brands: &[Brand]) -> Impersonation {
        let names = brands
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.names.iter().map(move |n| (n.clone(), i)))
            .collect();
        Impersonation {
            brands: brands.to_vec(),
            names,
        }
    }

    /// The brand a display name claims, if any: whole words, short acronyms only in capitals,
    /// and the name must be what the display name is about (it starts with it, or the name is
    /// at least a third of its letters), not a word in a longer title ("… Apple Core" news).
    fn claimed(&self, display: &str) -> Option<&Brand> {
        let display = unspace(display);
        let lower = display.to_lowercase();
        let letters = display
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
            .max(1);
        self.names.iter().find_map(|(name, i)| {
            let found = if name.chars().count() <= 3 {
                contains_word(&display, name)
            } else {
                contains_word(&lower, &name.to_lowercase())
            };
            let name_letters = name.chars().filter(|c| c.is_alphanumeric()).count();
            let leading = lower
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(&name.to_lowercase());
            (found && (leading || name_letters * 3 >= letters)).then(|| &self.brands[*i])
        })
    }
}

/// Joins letters written apart to dodge filters ("C o i n b a s e", "N.E.T.F.L.I.X") and reads
/// look-alike characters inside words as the letters they imitate ("Trust WaIIet", "C0INBASE").
fn unspace(display: &str) -> String {
    let display: String = display
        .chars()
        .filter(|c| !crate::obfuscation::is_invisible(*c))
        .collect();
    let display = crate::obfuscation::read_lookalike_letters(&display);
    let tokens: Vec<&str> = display
        .split([' ', '.', '-', '_', '*', '/', '|'])
        .filter(|t| !t.is_empty())
        .collect();
    let single = |t: &&str| t.chars().count() == 1;
    let longest_run = tokens
        .split(|t| !single(t))
        .map(<[&str]>::len)
        .max()
        .unwrap_or(0);
    if longest_run < 3 {
        return display;
    }
    // Runs of three or more single letters are one word ("D/H/L-Express" → "DHL Express").
    let mut words: Vec<String> = Vec::new();
    let mut run = String::new();
    for token in tokens {
        if single(&token) {
            run.push_str(token);
            continue;
        }
        if !run.is_empty() {
            words.push(std::mem::take(&mut run));
        }
        words.push(token.to_owned());
    }
    if !run.is_empty() {
        words.push(run);
    }
    words.join(" ")
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn registrable(domain: &str) -> &str {
    psl::domain_str(domain).unwrap_or(domain)
}

/// The first domain written in a link's visible text, if the text reads as an address.
fn domain_in_text(text: &str) -> Option<String> {
    let token = text.split_whitespace().find(|t| t.contains('.'))?;
    let token = token.trim_matches(|c: char| !c.is_alphanumeric());
    let host = token.split_once("://").map_or(token, |(_, rest)| rest);
    let host = host.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let domain = forewarn_mail::domain::normalize_domain(host)?;
    // Only names with a real public suffix: "e.g." or "v1.2" are not domains.
    psl::suffix_str(&domain)
        .filter(|s| psl::domain_str(&domain).is_some() && s.len() < domain.len())?;
    Some(domain)
}

/// Whether an address's local part, as written, was made by a machine rather than a person or
/// a brand: letters only, in both cases, that do not split into words. Split where the case
/// turns (`JohnSmith` → John, Smith; `FOXSportsFLASH` → FOX, Sports, FLASH), a person's or a
/// brand's words have vowels and no stray capitals; random ones (`fdDcYbGtHMjwnIr`,
/// `ONSILBcq`) do not. Throwaway bulk senders make one per message so that no reputation
/// sticks to them.
pub(crate) fn machine_made(local: &str) -> bool {
    if !(7..=24).contains(&local.len())
        || !local.bytes().all(|b| b.is_ascii_alphabetic())
        || !local.bytes().any(|b| b.is_ascii_uppercase())
        || !local.bytes().any(|b| b.is_ascii_lowercase())
    {
        return false;
    }
    let bytes = local.as_bytes();
    let mut words: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    for i in 1..bytes.len() {
        let (before, here) = (bytes[i - 1], bytes[i]);
        let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if (before.is_ascii_lowercase() && here.is_ascii_uppercase())
            || (before.is_ascii_uppercase() && here.is_ascii_uppercase() && next_lower)
        {
            words.push(&bytes[start..i]);
            start = i;
        }
    }
    words.push(&bytes[start..]);
    let voiceless = |w: &&[u8]| {
        !w.iter()
            .any(|b| matches!(b.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'))
    };
    let odd = words
        .iter()
        .filter(|w| w.len() >= 2 && voiceless(w))
        .count()
        + words.iter().skip(1).filter(|w| w.len() == 1).count();
    odd >= 2 || words.iter().any(|w| w.len() >= 3 && voiceless(w))
}

impl Detector for Impersonation {
    fn name(&self) -> &'static str {
        "impersonation"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        let from = message.headers.from.as_ref();
        if from.is_none() {
            // Every message must say who wrote it (RFC 5322); one that does not hides it.
            findings.push(Finding::new(
                "impersonation.no-from",
                Severity::Medium,
                60,
                "the message does not say who sent it (no From)".to_owned(),
                Location::From,
                "",
                &["T1566"],
            ));
        }
        if let Some(f) = from.filter(|f| machine_made(&f.local_as_written)) {
            findings.push(Finding::new(
                "impersonation.random-local-part",
                Severity::Medium,
                60,
                format!(
                    "the sender's address {:?} starts with a random string, as throwaway senders make one for each message",
                    f.address
                ),
                Location::From,
                &f.address,
                &["T1566"],
            ));
        }
        if let Some(f) = from.filter(|f| f.malformed) {
            findings.push(Finding::new(
                "impersonation.invalid-address",
                Severity::Medium,
                60,
                format!(
                    "the sender's address {:?} is not a valid address",
                    f.address
                ),
                Location::From,
                &f.address,
                &["T1566"],
            ));
            // A trusted name over no usable address at all.
            if let Some(brand) = f.name.as_deref().and_then(|n| self.claimed(n)) {
                findings.push(Finding::new(
                    "impersonation.brand-name-no-address",
                    Severity::High,
                    70,
                    format!(
                        "the sender calls itself by the name of {} but gives no valid address",
                        brand.name
                    ),
                    Location::From,
                    &f.address,
                    &["T1566", "T1656"],
                ));
            }
        }
        if let Some(f) = from.filter(|f| f.disguised) {
            findings.push(Finding::new(
                "impersonation.styled-address",
                Severity::High,
                80,
                format!(
                    "the sender's address is written in styled letters that read as {:?}; no mail system gives out such an address, so the real sender is hidden",
                    f.address
                ),
                Location::From,
                &f.address,
                &["T1566", "T1656"],
            ));
        }
        // A disguised address shows a domain the message did not come from.
        let from_domain = from
            .filter(|f| !f.malformed && !f.disguised)
            .and_then(|f| f.domain())
            .map(registrable);
        if let (Some(from), Some(from_domain)) = (from, from_domain) {
            if let Some(name) = &from.name {
                if let Some(brand) = self.claimed(name) {
                    if !brand.owns(from_domain) {
                        let official = matches!(
                            brand.category.as_str(),
                            "health-authority"
                                | "ministry"
                                | "un-agency"
                                | "humanitarian"
                                | "donor"
                        );
                        findings.push(Finding::new(
                            "impersonation.brand-display-name",
                            Severity::High,
                            if official { 80 } else { 70 },
                            format!("the sender calls itself {name:?}, which names {}, but writes from {from_domain}", brand.name),
                            Location::From,
                            &from.address,
                            &["T1566", "T1656"],
                        ));
                    }
                }
                // A display name that shows an address at another domain.
                let shown = forewarn_mail::text::find_email_addresses(name).next();
                if let Some(shown) = shown {
                    let shown_domain = shown
                        .rsplit_once('@')
                        .map(|(_, d)| registrable(d).to_owned())
                        .unwrap_or_default();
                    if shown_domain != from_domain {
                        findings.push(Finding::new(
                            "impersonation.address-in-name",
                            Severity::Medium,
                            70,
                            format!("the sender's name shows the address {shown} but the message comes from {from_domain}"),
                            Location::From,
                            &from.address,
                            &["T1566", "T1656"],
                        ));
                    }
                }
            }
            for reply_to in &message.headers.reply_to {
                let Some(reply_domain) = reply_to.domain().map(registrable) else {
                    continue;
                };
                if reply_domain == from_domain {
                    // Anyone can open a second account at a free mail service: replies that
                    // go to another account there go to someone the sender's name does not
                    // vouch for.
                    if is_freemail(reply_domain) && !same_account(&reply_to.address, &from.address)
                    {
                        findings.push(Finding::new(
                            "impersonation.reply-to-other-account",
                            Severity::Medium,
                            60,
                            format!("the sender writes from one {from_domain} account and wants replies at another"),
                            Location::ReplyTo,
                            &reply_to.address,
                            &["T1566", "T1598"],
                        ));
                        break;
                    }
                    continue;
                }
                // A list that rewrites From sends replies to the person who wrote: same name.
                let same_person = match (&reply_to.name, &from.name) {
                    (Some(reply_name), Some(from_name)) => {
                        reply_name.len() >= 3
                            && from_name
                                .to_lowercase()
                                .contains(&reply_name.to_lowercase())
                    }
                    _ => false,
                };
                if same_person {
                    continue;
                }
                let to_freemail = is_freemail(reply_domain) && !is_freemail(from_domain);
                findings.push(Finding::new(
                    "impersonation.reply-to-elsewhere",
                    if to_freemail {
                        Severity::Medium
                    } else {
                        Severity::Low
                    },
                    if to_freemail { 60 } else { 40 },
                    format!("replies go to {reply_domain}, not to the sender's {from_domain}"),
                    Location::ReplyTo,
                    &reply_to.address,
                    &["T1566", "T1598"],
                ));
                break;
            }
        }
        // The sender of a message forwarded inline, as the forwarding program showed it.
        if let Some(forwarded) = &message.forwarded_from {
            let claim = forwarded
                .name
                .as_deref()
                .and_then(|n| Some((n, self.claimed(n)?)));
            let domain = forwarded
                .domain()
                .filter(|_| !forwarded.malformed)
                .map(registrable);
            if let (Some((name, brand)), Some(domain)) = (claim, domain) {
                if !brand.owns(domain) {
                    findings.push(Finding::new(
                        "impersonation.forwarded-brand-name",
                        Severity::High,
                        70,
                        format!("the forwarded message's sender calls itself {name:?}, which names {}, but wrote from {domain}", brand.name),
                        Location::Text,
                        &forwarded.address,
                        &["T1566", "T1656"],
                    ));
                }
            }
        }
        // Whose words the message's links are: the sender of a message forwarded inline, else
        // the sender's; an organization's only under a registrable domain.
        let writer_domain = message
            .forwarded_from
            .as_ref()
            .filter(|f| !f.malformed && f.domain().is_some())
            .or(from.filter(|f| !f.malformed && !f.disguised))
            .and_then(|f| f.domain())
            .and_then(psl::domain_str);
        // A link that shows one address and writes to another: replies meant for the shown
        // account go to the attacker's.
        for link in &message.mail_links {
            let Some(target) = link
                .href
                .get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
                .and_then(|_| forewarn_mail::text::find_email_addresses(&link.href).next())
            else {
                continue;
            };
            let Some(shown) = forewarn_mail::text::find_email_addresses(&link.text).next() else {
                // A call to action ("Report the user", "Yes, I want it") that prepares a message
                // to a free mail account, in mail from an organization: the answers go to
                // whoever holds that account. (A name linked to its address, as in quoted
                // headers, prepares nothing.)
                let target_domain = target.rsplit_once('@').map_or("", |(_, d)| d);
                let query = link
                    .href
                    .split_once('?')
                    .map(|(_, q)| q.to_ascii_lowercase());
                let prepared = query.is_some_and(|q| {
                    q.split('&')
                        .any(|p| p.starts_with("subject=") || p.starts_with("body="))
                });
                if let Some(from_domain) = writer_domain.filter(|d| {
                    prepared
                        && is_freemail(target_domain)
                        && !is_freemail(d)
                        && *d != registrable(target_domain)
                }) {
                    findings.push(Finding::new(
                        "impersonation.mailto-freemail",
                        Severity::Medium,
                        60,
                        format!("a link asks the reader to write to {target}, a free mail account, not to the sender's {from_domain}"),
                        Location::HtmlLink,
                        &target,
                        &["T1566", "T1598"],
                    ));
                    break;
                }
                continue;
            };
            if shown != target {
                findings.push(Finding::new(
                    "impersonation.mailto-mismatch",
                    Severity::Medium,
                    70,
                    format!("a link shows the address {shown} but writes to {target}"),
                    Location::HtmlLink,
                    &target,
                    &["T1566", "T1598"],
                ));
                break;
            }
        }
        let mut reported = 0;
        for link in &message.links {
            let Some(shown) = domain_in_text(&link.text) else {
                continue;
            };
            let Some(target) =
                forewarn_mail::link::normalize_url(&link.href).and_then(|u| match u.host {
                    Some(forewarn_mail::link::UrlHost::Domain(d)) => Some(d.ascii),
                    Some(forewarn_mail::link::UrlHost::Ip(ip)) => Some(ip.to_string()),
                    None => None,
                })
            else {
                continue;
            };
            let (shown_reg, target_reg) = (registrable(&shown), registrable(&target));
            if shown_reg == target_reg || crate::hosts::is_link_rewriter(&target) {
                continue;
            }
            let brand = self.brands.iter().find(|b| b.owns(shown_reg));
            if brand.is_some_and(|b| b.owns(target_reg)) {
                continue;
            }
            findings.push(Finding::new(
                "impersonation.link-text-mismatch",
                // Newsletters route every link through a click counter; only a trusted name shown
                // over a link to somewhere else is a strong sign.
                if brand.is_some() {
                    Severity::High
                } else {
                    Severity::Low
                },
                if brand.is_some() { 75 } else { 40 },
                format!("a link shows {shown} but leads to {target}"),
                Location::HtmlLink,
                &link.href,
                &["T1566.002"],
            ));
            reported += 1;
            if reported == 1 {
                break;
            }
        }
    }
}

/// Whether two addresses reach one free mail account: services ignore case, dots in the
/// local part (Gmail) and a `+tag`.
fn same_account(a: &str, b: &str) -> bool {
    let account = |address: &str| {
        let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
        let local = local.split('+').next().unwrap_or_default();
        (local.replace('.', "").to_lowercase(), domain.to_lowercase())
    };
    account(a) == account(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    #[test]
    fn random_local_parts_are_told_from_names_and_brands() {
        for random in [
            "fdDcYbGtHMjwnIr",
            "ONSILBcq",
            "qvawNnvX",
            "kmJBRCKHz",
            "vXSKroA",
            "newslettersNNLXR",
        ] {
            assert!(machine_made(random), "{random}");
        }
        for written in [
            "JohnSmith",
            "FOXSportsFLASH",
            "McDonald",
            "DJones",
            "jSmith",
            "newsletter",
            "NoReply",
            "MAILER-DAEMON",
            "info",
            "Service",
            "JeanPierreDupont",
            "abc123XYZ",
        ] {
            assert!(!machine_made(written), "{written}");
        }
        let found = findings(
            "From: Home Warranty <qvawNnvX@trunk.warranty-offers.example>\r\nSubject: Hi\r\n\r\nHello\r\n",
        );
        assert!(
            found.iter().any(|f| f.summary.contains("random string")),
            "{found:?}"
        );
    }

    fn findings(raw: &str) -> Vec<Finding> {
        let detector = Impersonation::new(&Rules::shipped().brands);
        let mut out = Vec::new();
        detector.detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut out);
        out
    }

    #[test]
    fn display_name_claims_and_reply_to() {
        assert_eq!(
            findings("From: C o i n b a s e <x@evil.example>\r\n\r\nhi").len(),
            1
        );
        assert!(
            findings("From: Lockergnome Windows Daily <news@lockergnome.example>\r\n\r\nhi")
                .is_empty()
        );
        assert_eq!(
            findings("From: Microsoft account team ,_<x@evil.example>\r\n\r\nhi").len(),
            1
        );
        assert_eq!(
            findings("From: news <noreply@theskimm,com>\r\n\r\nhi").len(),
            1
        );
        assert_eq!(findings("From: \"Facebook\" <>\r\n\r\nhi").len(), 2);
        assert_eq!(
            findings("From: \"D/H/L-Express\" <x@evil.example>\r\n\r\nhi").len(),
            1
        );
        assert_eq!(
            findings("From: Trust WaIIet <x@evil.example>\r\n\r\nhi").len(),
            1
        );
        assert!(findings("From: \"Ann via List\" <list@lists.example.org>\r\nReply-To: Ann <ann@gmail.com>\r\n\r\nhi").is_empty());
        let f = findings("From: \"World Health Organization\" <alerts@who-int.example>\r\nReply-To: x@gmail.com\r\n\r\nhi");
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].confidence, 80);
        assert_eq!(f[1].severity, Severity::Medium);
        assert!(findings("From: WHO Newsletter <news@who.int>\r\n\r\nhi").is_empty());
        let other = findings(
            "From: Jean <jean.smith2028@gmail.com>\r\nReply-To: jeansmith2059@gmail.com\r\n\r\nhi",
        );
        assert_eq!(other.len(), 1, "{other:#?}");
        assert_eq!(other[0].cue, "impersonation.reply-to-other-account");
        assert!(findings(
            "From: Jean <jean.smith@gmail.com>\r\nReply-To: JeanSmith+lists@gmail.com\r\n\r\nhi"
        )
        .is_empty());
        assert!(
            findings("From: \"Who is there\" <a@b.example>\r\n\r\nhi").is_empty(),
            "WHO is matched in capitals only"
        );
        assert!(findings(
            "From: Microsoft <account-security-noreply@accountprotection.microsoft.com>\r\n\r\nhi"
        )
        .is_empty());
        assert_eq!(
            findings("From: \"support@paypal.com\" <x@random.example>\r\n\r\nhi").len(),
            2
        );
    }

    #[test]
    fn mail_links_that_write_elsewhere() {
        let f = findings("From: a@b.example\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:thief@mail.example?cc=x\">you@your.example</a> <a href=\"mailto:you@your.example\">you@your.example</a>");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].summary.ends_with("writes to thief@mail.example"));
        let f = findings("From: Account team <no-reply@bank.example>\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:helpdesk2@gmail.com?subject=Report\">Report the user</a>");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].summary.contains("free mail account"), "{f:#?}");
        // The sender's own free mail address, or an organization's, is where replies belong.
        assert!(findings("From: Ann <ann@gmail.com>\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:ann@gmail.com?subject=Hi\">Write to me</a>").is_empty());
        assert!(findings("From: Bo <bo@b.example>\r\nContent-Type: text/html\r\n\r\nTo: <a href=\"mailto:ann@gmail.com\">Ann Lee</a>").is_empty());
        // A forwarded message's call to action is its own sender's.
        let forwarded = "From: Ann <ann@gmail.com>\r\nSubject: Fwd: sign-in\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n---------- Forwarded message ---------\r\nFrom: Account team <no-reply@bank.example>\r\nSubject: Unusual sign-in\r\n\r\nReport the user\r\n--b\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:x1@gmail.com?subject=Report\">Report the user</a>\r\n--b--\r\n";
        let f = findings(forwarded);
        assert!(
            f.iter()
                .any(|f| f.summary.contains("not to the sender's bank.example")),
            "{f:#?}"
        );
        // A sender with no organization's domain (one label) is nobody's organization.
        assert!(findings("From: x@localhost\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:x1@gmail.com?subject=Report\">Report</a>").is_empty());
        assert!(findings("From: Ann <ann@b.example>\r\nContent-Type: text/html\r\n\r\n<a href=\"mailto:help@b.example?subject=Help\">Help desk</a>").is_empty());
    }

    #[test]
    fn addresses_in_styled_letters() {
        let f = findings(
            "From: \"Gamma\" <\u{1d600}\u{1d602}\u{1d5fd}@\u{1d5da}\u{1d5ee}.nl>\r\n\r\nhi",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].summary.contains("styled letters"), "{f:#?}");
        // Internationalized names in their own script are addresses like any other.
        assert!(findings("From: Post <info@b\u{fc}cher.de>\r\n\r\nhi").is_empty());
    }

    #[test]
    fn links_that_show_another_domain() {
        let f = findings("From: a@b.example\r\nContent-Type: text/html\r\n\r\n<a href=\"http://198.51.100.7/x\">https://www.paypal.com/signin</a><a href=\"https://t.example/c\">Read more</a>");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::High);
        let same = findings("From: a@b.example\r\nContent-Type: text/html\r\n\r\n<a href=\"https://accounts.google.com/x\">www.google.com</a>");
        assert!(same.is_empty(), "{same:#?}");
    }
}

//! Text obfuscation: words broken up with invisible characters, spelled with letters of several
//! scripts or with digits for letters, written letter by letter, hidden from the reader or
//! pushed out of sight, shown only as a picture; random tokens and tags that make each copy
//! of a mass mailing differ. All of it is written for filters, not for people.

use forewarn_mail::{Location, Message};

use crate::{Detector, Finding, Severity};

/// Characters that show nothing (or a dot over a letter) but break a word for a filter: zero-width
/// characters, variation selectors and tags, fillers, and combining marks of other scripts.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{034f}' | '\u{180b}'..='\u{180e}'
        | '\u{2028}' | '\u{2029}' | '\u{fe00}'..='\u{fe0e}' | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}'
        | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{17b4}' | '\u{17b5}'
        | '\u{0591}'..='\u{05c7}' | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0711}' | '\u{0730}'..='\u{074a}')
}

/// Reads look-alike characters inside words as the letters they imitate: a capital I between
/// lower-case letters as l ("WaIIet"), 0 between letters as o and 1 as l ("C0NSUMER").
pub fn read_lookalike_letters(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        let letters_around =
            before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic);
        let lower_around = (before.is_some_and(char::is_lowercase)
            && after.is_some_and(|a| a.is_lowercase() || a == 'I'))
            || (before == Some('I') && after.is_some_and(char::is_lowercase));
        out.push(match c {
            'I' if lower_around => 'l',
            '0' if letters_around => 'o',
            '1' if letters_around => 'l',
            other => other,
        });
    }
    out
}

/// Whether a text spells words with look-alike characters: a 0 or 1 between letters
/// ("C0NSUMER", "Paypa1l"), or II between lower-case letters ("waIIet"). (A single capital I
/// between lower-case letters is too often CamelCase to count on its own.)
fn spells_with_lookalikes(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars.iter().filter(|c| c.is_alphabetic()).count() >= 3
            && chars
                .windows(3)
                .any(|w| matches!(w[1], '0' | '1') && w[0].is_alphabetic() && w[2].is_alphabetic())
            || chars
                .windows(4)
                .any(|w| w[0].is_lowercase() && w[1] == 'I' && w[2] == 'I' && w[3].is_lowercase())
    })
}

fn script(c: char) -> Option<u8> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00c0}'..='\u{024f}' => Some(0),
        '\u{0370}'..='\u{03ff}' => Some(1),
        '\u{0400}'..='\u{04ff}' => Some(2),
        _ => None,
    }
}

/// Counts invisible characters between letters, and words that mix Latin with Greek or Cyrillic.
fn obfuscation(text: &str) -> (usize, Option<String>) {
    let chars: Vec<char> = text.chars().collect();
    let hidden = chars
        .windows(3)
        .filter(|w| {
            is_invisible(w[1])
                && w[0].is_alphanumeric()
                && (w[2].is_alphanumeric() || is_invisible(w[2]))
        })
        .count();
    let mixed = text.split(|c: char| !c.is_alphabetic()).find(|word| {
        let mut scripts = word.chars().filter_map(script);
        let first = scripts.next();
        word.chars().count() >= 3 && scripts.any(|s| Some(s) != first)
    });
    (hidden, mixed.map(str::to_owned))
}

/// The longest run of letters written one by one with spaces between ("T h e I d e n t i t y").
/// A heading spaced out for looks ("A N N I H I L A T I O N") is one word; whole sentences
/// written apart are meant for filters, not readers.
fn spaced_letters(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for token in text.split_whitespace() {
        let mut chars = token.chars();
        if chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none() {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// The tag a bulk sender appends, set off by a dot or `#`, to the end of both the subject
/// and the sender's name (`…cadeaukaart t.w.v. €250!.OEEJLHXXXS`), so that every copy of a
/// mailing differs and filters that recognize repeated mail miss it. A word the text already
/// uses, a number, or the end of a domain or version is not such a tag.
fn repeated_tag(subject: &str, name: &str) -> Option<String> {
    fn tag(text: &str) -> Option<(&str, &str)> {
        let text = text.trim_end();
        let start = text
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric())
            .last()?
            .0;
        let (before, token) = text.split_at(start);
        // Set off from the text (`!.TAG`, ` .TAG`, `...TAG`), not a domain's or a version's
        // last part (`example.org`).
        let unmarked = before.trim_end_matches(['.', '#']);
        let separator = before.len() - unmarked.len();
        let marked = separator >= 2
            || (separator == 1
                && !unmarked
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric));
        (marked && (3..=12).contains(&token.len())).then_some((before, token))
    }
    let (subject_rest, token) = tag(subject)?;
    let (name_rest, name_token) = tag(name)?;
    let fresh = |rest: &str| !rest.to_lowercase().contains(&token.to_lowercase());
    (token == name_token
        && !token.bytes().all(|b| b.is_ascii_digit())
        && fresh(subject_rest)
        && fresh(name_rest))
    .then(|| token.to_owned())
}

/// A token no person writes: at least 12 letters and digits with three or more capitals and
/// three or more small letters, and digits among them or no words inside (`hSCXPVFj7yxfmvG`,
/// not `MacBookProMax`).
fn random_token(token: &str) -> bool {
    let count = |f: fn(&u8) -> bool| token.as_bytes().iter().filter(|b| f(b)).count();
    (12..=64).contains(&token.len())
        && count(u8::is_ascii_uppercase) >= 3
        && count(u8::is_ascii_lowercase) >= 3
        && (count(u8::is_ascii_digit) > 0 || crate::impersonation::machine_made(token))
}

pub struct Obfuscation;

impl Detector for Obfuscation {
    fn name(&self) -> &'static str {
        "obfuscation"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        // Thousands of empty parts, or messages attached inside messages again and again: no
        // mail program writes such a message; it is built so that filters give up before
        // they reach what it carries.
        if message.past_limits {
            findings.push(Finding::new(
                "obfuscation.past-limits",
                Severity::High,
                70,
                "the message is built past the limits a filter reads (thousands of parts or attached messages nested deep), as if to hide what comes after; it was checked as far as those limits go".to_owned(),
                Location::Text,
                "",
                &["T1027", "T1566"],
            ));
        }
        let subject = message.headers.subject.as_deref().unwrap_or_default();
        let name = message.headers.from_name();
        // A string made for this one message, in the subject or the sender's name: each copy of
        // a mass mailing then differs from the others, and filters that count copies miss it.
        for (text, location) in [(subject, Location::Subject), (name, Location::From)] {
            if let Some(token) = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .find(|t| random_token(t))
            {
                findings.push(Finding::new(
                    "obfuscation.random-token",
                    Severity::Medium,
                    60,
                    format!("the {location} carries the random string {token:?}, which makes each copy of a mass mailing differ so that filters miss it"),
                    location,
                    token,
                    &["T1027", "T1566"],
                ));
            }
        }
        // A long serial number in the sender's name ("Protocolo 186553793753752"): no person or
        // organization goes by one, and a mass mailing gets a new one for each copy.
        if let Some(run) = name
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() >= 9)
        {
            findings.push(Finding::new(
                "obfuscation.number-in-name",
                Severity::Medium,
                60,
                format!("the sender's name carries the serial number {run}, new for each copy of a mass mailing"),
                Location::From,
                run,
                &["T1027", "T1566"],
            ));
        }
        // Text shrunk to nothing: words for filters to read and people not to. (A hidden
        // preview line is common and short.)
        if message.hidden_text >= 200 {
            findings.push(Finding::new(
                "obfuscation.hidden-text",
                Severity::Medium,
                60,
                format!("the message hides {} characters of text from the reader with zero-size styling", message.hidden_text),
                Location::Text,
                "",
                &["T1027", "T1566"],
            ));
        }
        if message.picture_only {
            findings.push(Finding::new(
                "obfuscation.picture-only",
                Severity::Medium,
                50,
                "the message shows next to no text, only a picture that links away: its words are in the image, where filters cannot read them".to_owned(),
                Location::Text,
                "",
                &["T1027", "T1566"],
            ));
        }
        if message.pushed_away {
            findings.push(Finding::new(
                "obfuscation.offscreen",
                Severity::Medium,
                60,
                "the message's styles push part of it thousands of screens down, out of the reader's sight".to_owned(),
                Location::Text,
                "",
                &["T1027", "T1566"],
            ));
        }
        if let Some(tag) = repeated_tag(subject, name) {
            findings.push(Finding::new(
                "obfuscation.mass-mail-tag",
                Severity::Medium,
                80,
                format!("the subject and the sender's name both end in the tag {tag:?}, which makes each copy of a mass mailing differ so that filters miss it"),
                Location::Subject,
                &tag,
                &["T1027", "T1566"],
            ));
        }
        let spaced = spaced_letters(&message.body_text);
        if spaced >= 24 {
            findings.push(Finding::new(
                "obfuscation.spaced-letters",
                Severity::Medium,
                60,
                format!("the text spells {spaced} letters in a row apart (\"y o u r w a l l e t\"), so filters do not read the words"),
                Location::Text,
                "",
                &["T1027", "T1566"],
            ));
        }
        // A subject or a name is short: two hidden characters in it are already deliberate.
        for (text, location, at_least) in [
            (subject, Location::Subject, 2),
            (name, Location::From, 2),
            (message.body_text.as_str(), Location::Text, 3),
        ] {
            let (hidden, mixed) = obfuscation(text);
            if hidden >= at_least {
                let severity = if hidden >= 10 {
                    Severity::High
                } else {
                    Severity::Medium
                };
                findings.push(Finding::new(
                    "obfuscation.invisible-characters",
                    severity,
                    70,
                    format!(
                        "words in the {location} are broken up with {hidden} invisible characters"
                    ),
                    location.clone(),
                    "",
                    &["T1027", "T1566"],
                ));
            }
            if location != Location::Text && spells_with_lookalikes(text) {
                findings.push(Finding::new(
                    "obfuscation.confusables",
                    Severity::Medium,
                    60,
                    format!("the {location} spells words with look-alike characters: {text:?}"),
                    location.clone(),
                    text,
                    &["T1027", "T1566"],
                ));
            }
            if let Some(word) = mixed {
                findings.push(Finding::new("obfuscation.mixed-scripts", Severity::Medium, 70, format!("the word {word:?} in the {location} mixes letters from different alphabets"), location, &word, &["T1027", "T1566"]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_strings_are_told_from_words_and_names() {
        for token in [
            "nhgU4juhRVAtbXFHKb7C",
            "hSCXPVFj7yxfmvG",
            "fdDcYbGtHMjwnIrQ",
        ] {
            assert!(random_token(token), "{token}");
        }
        for token in [
            "MacBookProMax",
            "a1b2c3d4e5f6a7b8",
            "CONFIDENTIAL2024",
            "PowerShellGallery",
            "Short7Aa",
        ] {
            assert!(!random_token(token), "{token}");
        }
    }

    #[test]
    fn a_serial_number_in_the_senders_name_is_counted_once() {
        let mut f = Vec::new();
        let raw = "From: \"Caixa - Protocolo 186553793753752\" <a@b.example>\r\nSubject: Notificacao - hSCXPVFj7yxfmvG\r\n\r\nhi";
        Obfuscation.detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        let cues: Vec<&str> = f.iter().map(|f| &*f.cue).collect();
        assert_eq!(
            cues,
            ["obfuscation.random-token", "obfuscation.number-in-name"]
        );
        let mut f = Vec::new();
        let raw =
            "From: \"Support +49 170 1234567\" <a@b.example>\r\nSubject: Order 12345678\r\n\r\nhi";
        Obfuscation.detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn a_tag_on_both_subject_and_name_is_a_filter_buster() {
        assert_eq!(
            repeated_tag(
                "Win een cadeaukaart t.w.v. €250!.OEEJLHXXXS\t",
                "-Actie Team .OEEJLHXXXS"
            ),
            Some("OEEJLHXXXS".to_owned())
        );
        assert_eq!(
            repeated_tag(
                "Eindelijk verlost van je voetpijn?..bxIA",
                "Specialisten...bxIA"
            ),
            Some("bxIA".to_owned())
        );
        // Ordinary names and subjects: no separator, a word already used, a number.
        for (subject, name) in [
            ("Verify your Wallet", "Trust Wallet"),
            ("Hiba from Ledger", "Hiba from Ledger"),
            ("Release notes for v.2024", "Builds v.2024"),
            ("Minutes of the meeting #12", "Board #12"),
            ("News from example.org", "Team at example.org"),
            ("Meet.AI", "Meet.AI"),
        ] {
            assert_eq!(repeated_tag(subject, name), None, "{subject} / {name}");
        }
    }

    #[test]
    fn invisible_characters_and_mixed_scripts() {
        assert_eq!(obfuscation("Y\u{200c}o\u{200c}u\u{200c}r account").0, 3);
        assert_eq!(obfuscation("Ap\u{073f}pl\u{073f}e ID").0, 2);
        assert_eq!(obfuscation("Se\u{e0139}r\u{e0139}vice").0, 2);
        assert_eq!(obfuscation("P\u{0430}yPal").1.as_deref(), Some("PаyPal"));
        assert_eq!(obfuscation("Привет, hello"), (0, None));
        assert_eq!(
            read_lookalike_letters("Trust WaIIet C0NSUMER Iog 2024 iPhone"),
            "Trust Wallet CoNSUMER Iog 2024 iPhone"
        );
        assert!(
            spells_with_lookalikes("Verify your waIIet")
                && spells_with_lookalikes("C0NSUMER REWARDS")
        );
        for fine in [
            "Windows 10 and COVID-19 in 2020",
            "Joseph S. Barrera III",
            "Ditching WordInfo",
            "KeepOneInN",
        ] {
            assert!(!spells_with_lookalikes(fine), "{fine}");
        }
    }
}

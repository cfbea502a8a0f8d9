//! Lure language: the pretexts phishing uses (a health authority's notice, a suspended account,
//! a prize, a held parcel, an invoice, crypto-assets, pressure to act now) in the subject and the
//! visible text, in the languages of the phrase list. And text obfuscation: words broken up with
//! invisible characters, or spelled with letters from several scripts, to slip past filters.

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;
use forewarn_mail::{Location, Message};

use crate::rules::Lure;
use crate::{Detector, Finding, Severity};

pub struct Lures {
    lures: Vec<Lure>,
    automaton: AhoCorasick,
}

impl Lures {
    pub fn new(lures: &[Lure]) -> Lures {
        let automaton = AhoCorasick::new(lures.iter().map(|l| l.phrase.as_str()))
            .expect("lure phrases are plain strings");
        Lures {
            lures: lures.to_vec(),
            automaton,
        }
    }

    /// The lures found in `text` (already lowercase), as indexes into the phrase list.
    fn find(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let lure = &self.lures[m.pattern().as_usize()];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(char::is_alphanumeric)
                || (!lure.prefix && after.is_some_and(char::is_alphanumeric))
            {
                continue;
            }
            found.push(m.pattern().as_usize());
        }
        found
    }
}

impl Detector for Lures {
    fn name(&self) -> &'static str {
        "lure"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        // The sender's display name is read with the subject: both are what a reader sees first.
        let name = message.headers.from_name();
        let subject = format!(
            "{} \n {}",
            message.headers.subject.as_deref().unwrap_or_default(),
            name
        )
        .to_lowercase();
        let body = message.body_text.to_lowercase();
        // theme → (phrases, seen in the subject)
        let mut themes: BTreeMap<&str, (Vec<&str>, bool)> = BTreeMap::new();
        for (text, in_subject) in [(&subject, true), (&body, false)] {
            for i in self.find(text) {
                let lure = &self.lures[i];
                let entry = themes.entry(lure.theme.as_str()).or_default();
                if !entry.0.contains(&lure.phrase.as_str()) {
                    entry.0.push(&lure.phrase);
                }
                entry.1 |= in_subject;
            }
        }
        for (theme, (phrases, in_subject)) in themes {
            let severity = if theme == "urgency" {
                Severity::Low
            } else {
                Severity::Medium
            };
            // One phrase in a long body is weak; the subject and the sender's name are the
            // pretext itself.
            let confidence =
                (20 + 10 * (phrases.len() as u8 - 1).min(3) + if in_subject { 30 } else { 0 })
                    .min(70);
            let quoted: Vec<String> = phrases.iter().take(3).map(|p| format!("{p:?}")).collect();
            findings.push(Finding::new(
                "lure",
                severity,
                confidence,
                format!(
                    "{} lure{}: {}",
                    theme,
                    if in_subject { " in the subject" } else { "" },
                    quoted.join(", ")
                ),
                if in_subject {
                    Location::Subject
                } else {
                    Location::Text
                },
                phrases[0],
                &["T1566", "T1598"],
            ));
        }
    }
}

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

pub struct Obfuscation;

impl Detector for Obfuscation {
    fn name(&self) -> &'static str {
        "obfuscation"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        let subject = message.headers.subject.as_deref().unwrap_or_default();
        let name = message.headers.from_name();
        // Text shrunk to nothing: words for filters to read and people not to. (A hidden
        // preview line is common and short.)
        if message.hidden_text >= 200 {
            findings.push(Finding::new(
                "obfuscation",
                Severity::Medium,
                60,
                format!("the message hides {} characters of text from the reader with zero-size styling", message.hidden_text),
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
                    "obfuscation",
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
                    "obfuscation",
                    Severity::Medium,
                    60,
                    format!("the {location} spells words with look-alike characters: {text:?}"),
                    location.clone(),
                    text,
                    &["T1027", "T1566"],
                ));
            }
            if let Some(word) = mixed {
                findings.push(Finding::new("obfuscation", Severity::Medium, 70, format!("the word {word:?} in the {location} mixes letters from different alphabets"), location, &word, &["T1027", "T1566"]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn lure_findings(raw: &str) -> Vec<Finding> {
        let mut f = Vec::new();
        Lures::new(&Rules::shipped().lures)
            .detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        f
    }

    #[test]
    fn themes_in_five_languages() {
        for (raw, theme) in [
            (
                "Subject: Your account has been suspended\r\n\r\nx",
                "account",
            ),
            (
                "Subject: Hola\r\n\r\nSu paquete está en espera. Entrega pendiente.",
                "delivery",
            ),
            ("Subject: Bonjour\r\n\r\nVous avez gagné un prix !", "prize"),
            (
                "Subject: Hallo\r\n\r\nIhr Konto wurde gesperrt. Bestätigen Sie Ihre Daten sofort.",
                "account",
            ),
            (
                "Subject: Olá\r\n\r\nResultado do exame disponível, Ministério da Saúde",
                "health",
            ),
        ] {
            let f = lure_findings(raw);
            assert!(
                f.iter().any(|f| f.summary.starts_with(theme)),
                "{theme}: {f:#?}"
            );
        }
    }

    #[test]
    fn whole_words_only() {
        assert!(lure_findings("Subject: rewardsless\r\n\r\nthe winnerish invoiced").is_empty());
        let f = lure_findings(
            "Subject: URGENT overdue invoice\r\n\r\nPlease pay the overdue invoice immediately",
        );
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().all(|f| f.location == Location::Subject));
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

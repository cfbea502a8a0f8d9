//! Lure language: the pretexts phishing uses (a health authority's notice, a suspended account,
//! a prize, a held parcel, an invoice, crypto-assets, pressure to act now) in the subject, the
//! sender's name, attachment names and the visible text, in the languages of the phrase list;
//! a wallet's secret asked for; answers asked at another free mail account. What the sums and
//! telephone numbers amount to is in [`crate::money`]; text written to slip past filters in
//! [`crate::obfuscation`].

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
        // Attachment names are read like a subject: "Your_account_will_be_closed.pdf" is the
        // pretext written where the reader looks first.
        let mut names = String::new();
        let mut first_named = None;
        message.for_each_attachment(&mut |attachment, location| {
            if let Some(name) = &attachment.name {
                first_named.get_or_insert_with(|| location.clone());
                names.extend(name.chars().take(256).map(|c| match c {
                    '_' | '.' | '-' | '+' => ' ',
                    c => c,
                }));
                names.push_str(" \n ");
            }
        });
        let names = names.to_lowercase();
        // theme → (phrases, where it was seen first if in the subject or a name)
        let mut themes: BTreeMap<&str, (Vec<&str>, Option<Location>)> = BTreeMap::new();
        let sources = [
            (&subject, Some(Location::Subject)),
            (&names, first_named),
            (&body, None),
        ];
        for (text, headline) in &sources {
            for i in self.find(text) {
                let lure = &self.lures[i];
                let entry = themes.entry(lure.theme.as_str()).or_default();
                if !entry.0.contains(&lure.phrase.as_str()) {
                    entry.0.push(&lure.phrase);
                }
                if entry.1.is_none() {
                    entry.1 = headline.clone();
                }
            }
        }
        if let Some(secret) = wallet_secret(&subject).or_else(|| wallet_secret(&body)) {
            findings.push(Finding::new(
                "lure.wallet-secret",
                Severity::Medium,
                70,
                format!("the message brings up a crypto wallet's {secret:?} other than to warn about it: that secret hands the wallet over, and no real service asks for it"),
                Location::Text,
                secret,
                &["T1566", "T1598"],
            ));
        }
        crate::money::callback(message, &subject, &body, &themes, findings);
        if let Some(address) = write_elsewhere(message, &body) {
            findings.push(Finding::new(
                "lure.write-elsewhere",
                Severity::Medium,
                60,
                format!("the text asks for answers at the free mail address {address}, not at the sender's: the conversation is moved where no one can vouch for who answers"),
                Location::Text,
                &address,
                &["T1566", "T1598"],
            ));
        }
        let sum = crate::money::large_sum(&subject)
            .or_else(|| crate::money::large_sum(&names))
            .or_else(|| crate::money::large_sum(&body));
        if let Some(sum) = &sum {
            crate::money::advance_fee(message, sum, &themes, findings);
        }
        // A pretext in the subject backed by another kind in the text (a prize, then a blocked
        // account) makes a lure more than any one of them does.
        let kinds = themes.keys().filter(|t| **t != "urgency").count();
        let headline = themes
            .iter()
            .any(|(t, (_, s))| *t != "urgency" && s.is_some());
        let together = if kinds >= 2 && headline { 10 } else { 0 };
        // A free mail account that goes by a pretext ("Tax Refund Office") instead of a name,
        // as the sender or as the sender of a message forwarded inline.
        let senders = message.headers.from.iter().chain(&message.forwarded_from);
        let pretext = senders
            .filter(|f| f.domain().is_some_and(crate::hosts::is_freemail))
            .filter_map(|f| Some((f, f.name.as_deref()?)))
            .find_map(|(f, name)| {
                let lure = self
                    .find(&name.to_lowercase())
                    .into_iter()
                    .map(|i| &self.lures[i])
                    .find(|l| l.theme != "urgency")?;
                Some((f, name, lure))
            });
        if let Some((from, name, lure)) = pretext {
            findings.push(Finding::new(
                "lure.freemail-pretext",
                Severity::Medium,
                60,
                format!(
                    "the sender goes by a {} pretext, {name:?}, from a free mail account",
                    lure.theme
                ),
                Location::From,
                &from.address,
                &["T1566", "T1656"],
            ));
        }
        for (theme, (phrases, headline)) in themes {
            let in_subject = headline.is_some();
            let severity = if theme == "urgency" {
                Severity::Low
            } else {
                Severity::Medium
            };
            // One phrase in a long body is weak; the subject and the sender's name are the
            // pretext itself.
            let confidence = (20
                + 10 * (phrases.len() as u8 - 1).min(3)
                + if in_subject { 30 } else { 0 }
                + if theme == "urgency" { 0 } else { together })
            .min(70);
            let quoted: Vec<String> = phrases.iter().take(3).map(|p| format!("{p:?}")).collect();
            findings.push(
                Finding::new(
                    "lure.theme",
                    severity,
                    confidence,
                    format!(
                        "{} lure{}: {}",
                        theme,
                        match &headline {
                            Some(Location::Subject) => " in the subject",
                            Some(_) => " in an attachment's name",
                            None => "",
                        },
                        quoted.join(", ")
                    ),
                    headline.clone().unwrap_or(Location::Text),
                    phrases[0],
                    &["T1566", "T1598"],
                )
                .with_cue(format!("lure.{theme}")),
            );
        }
    }
}

/// Words that ask for an answer by mail, as they stand right before the address to write to.
const WRITE_WORDS: &[&str] = &[
    "reply to",
    "reply me",
    "reply at",
    "respond to",
    "response to",
    "answer me",
    "write to",
    "write me",
    "write back to",
    "e-mail me",
    "email me",
    "mail me",
    "contact me",
    "reach me",
    "get back to me",
    "my private email",
    "my personal email",
    "my private e-mail",
    "my personal e-mail",
    "responde a",
    "respóndeme",
    "escríbeme",
    "escribe a",
    "contáctame",
    "répondez à",
    "répondez-moi",
    "écrivez-moi",
    "écrivez à",
    "contactez-moi",
    "antworten sie an",
    "schreiben sie an",
    "schreib mir",
    "kontaktieren sie mich",
    "responda para",
    "responda-me",
    "escreva para",
    "escreva-me",
    "entre em contato comigo",
    "antwoord naar",
    "schrijf naar",
    "schrijf me",
    "mail me op",
    "rispondi a",
    "rispondimi",
    "scrivi a",
    "scrivimi",
    "contattami",
];

/// A free mail address the text asks the reader to write to, other than the sender's own (or
/// the forwarded sender's): "reply to my private email: ann1990@outlook.com". Romance and
/// advance-fee scams and payroll fraud move the conversation to an account that nothing ties
/// to the name they use.
fn write_elsewhere(message: &Message, body: &str) -> Option<String> {
    let own: Vec<&str> = message
        .headers
        .from
        .iter()
        .chain(&message.forwarded_from)
        .map(|m| m.address.as_str())
        .collect();
    forewarn_mail::text::find_email_addresses(body)
        .take(50)
        .filter(|a| {
            a.rsplit_once('@')
                .is_some_and(|(_, d)| crate::hosts::is_freemail(d))
                && !own.iter().any(|o| o.eq_ignore_ascii_case(a))
        })
        .find(|address| {
            body.match_indices(address.as_str()).take(5).any(|(at, _)| {
                let mut start = at.saturating_sub(48);
                while !body.is_char_boundary(start) {
                    start += 1;
                }
                let before = &body[start..at];
                WRITE_WORDS.iter().any(|w| {
                    before.match_indices(w).any(|(i, _)| {
                        !before[..i].ends_with(char::is_alphanumeric)
                            // the words ask for this address, not for one further on
                            && !before[i + w.len()..].contains('@')
                    })
                })
            })
        })
}

/// The words for what unlocks a crypto-asset wallet: its recovery phrase (by any of its names)
/// or its private key, which a thief needs and no service ever asks for.
const WALLET_SECRETS: &[&str] = &[
    "seed phrase",
    "recovery phrase",
    "secret phrase",
    "mnemonic phrase",
    "backup phrase",
    "wallet phrase",
    "keystore phrase",
    "keystore file",
    "12-word phrase",
    "24-word phrase",
    "frase semilla",
    "frase de recuperación",
    "frase secreta",
    "phrase de récupération",
    "phrase secrète",
    "phrase mnémonique",
    "wiederherstellungsphrase",
    "seed-phrase",
    "geheime phrase",
    "frase de recuperação",
    "frase semente",
];

/// "Private key" is also a PGP or TLS key; it is a wallet's only where the text says wallet.
const PRIVATE_KEYS: &[&str] = &[
    "private key",
    "clave privada",
    "clé privée",
    "privater schlüssel",
    "privaten schlüssel",
    "chave privada",
];
const WALLETS: &[&str] = &["wallet", "billetera", "cartera", "portefeuille", "carteira"];

/// Words that turn a mention into a warning: "never share your recovery phrase".
const NEGATIONS: &[&str] = &[
    "never", "do not", "don't", "not ", "nunca", "no ", "jamais", "ne ", "niemals", "nie ",
    "keine", "nicht", "não",
];

/// The wallet secret `text` (lowercase) asks for, if any: one named outside a warning (no
/// "never" or "do not" earlier in its sentence, read back at most 200 bytes so that a long text
/// costs no more than a short one per mention). One pass finds every mention.
fn wallet_secret(text: &str) -> Option<&'static str> {
    static SECRETS: std::sync::OnceLock<(AhoCorasick, Vec<&'static str>)> =
        std::sync::OnceLock::new();
    let (automaton, names) = SECRETS.get_or_init(|| {
        let names: Vec<&'static str> = WALLET_SECRETS.iter().chain(PRIVATE_KEYS).copied().collect();
        let automaton = AhoCorasick::new(&names).expect("wallet secrets are plain strings");
        (automaton, names)
    });
    let mut wallet = None;
    automaton.find_iter(text).find_map(|m| {
        let secret = names[m.pattern().as_usize()];
        if PRIVATE_KEYS.contains(&secret)
            && !*wallet.get_or_insert_with(|| WALLETS.iter().any(|w| text.contains(w)))
        {
            return None;
        }
        let at = m.start();
        let mut from = at.saturating_sub(200);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = &text[from..at];
        let sentence = &before[before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1)..];
        let warned = NEGATIONS.iter().any(|n| {
            sentence
                .match_indices(n)
                .any(|(i, _)| !sentence[..i].ends_with(char::is_alphanumeric))
        });
        (!warned).then_some(secret)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rules::Rules;

    /// What the lure detector finds in a raw message.
    pub(crate) fn lure_findings(raw: &str) -> Vec<Finding> {
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
            (
                "Subject: Intimação judicial - confira seus dados\r\n\r\nx",
                "legal",
            ),
            (
                "Subject: Notice\r\n\r\nA court summons was issued in your name.",
                "legal",
            ),
            ("Subject: Maria shared a file with you\r\n\r\nx", "document"),
            (
                "Subject: Hallo\r\n\r\nIhre Gehaltsabrechnung liegt bereit.",
                "staff",
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
    fn wallet_secrets_asked_for_not_warned_about() {
        assert_eq!(
            wallet_secret("to keep access, confirm your recovery phrase below."),
            Some("recovery phrase")
        );
        assert_eq!(
            wallet_secret("we will never ask for your seed phrase. stay safe."),
            None
        );
        assert_eq!(
            wallet_secret("do not share it: your wallet's private key is yours alone"),
            None
        );
        assert_eq!(
            wallet_secret("validate your wallet. enter your private key to continue"),
            Some("private key")
        );
        let long = format!("{} enter your seed phrase", "é".repeat(5_000));
        assert_eq!(wallet_secret(&long), Some("seed phrase"));
        assert_eq!(
            wallet_secret("sign the release with your gpg private key"),
            None,
            "a private key with no wallet in sight is a PGP or TLS key"
        );
    }

    #[test]
    fn answers_asked_at_another_free_mail_account() {
        let f = lure_findings("From: Anna <94899041@shop.example>\r\nSubject: hi\r\n\r\nI am waiting for a kind man. Response to me at: Anna1990@outlook.com ;) I will send my photo.");
        let w: Vec<&Finding> = f
            .iter()
            .filter(|f| f.cue == "lure.write-elsewhere")
            .collect();
        assert_eq!(w.len(), 1, "{f:#?}");
        assert!(
            w[0].summary.contains("anna1990@outlook.com"),
            "{}",
            w[0].summary
        );
        // Writing from the account one asks answers at, or naming an address without asking
        // for mail there, is no cue.
        for fine in [
            "From: Ann <ann@gmail.com>\r\nSubject: hi\r\n\r\nPlease reply to ann@gmail.com with the slides.",
            "From: Ann <ann@lab.example>\r\nSubject: patch\r\n\r\nReported-by: bob@gmail.com\r\nReviewed-by: carl@gmail.com",
        ] {
            let f = lure_findings(fine);
            assert!(f.iter().all(|f| f.cue != "lure.write-elsewhere"), "{f:#?}");
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
}

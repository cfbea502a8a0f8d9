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
        callback(message, &subject, &body, &themes, findings);
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
        let sum = large_sum(&subject)
            .or_else(|| large_sum(&names))
            .or_else(|| large_sum(&body));
        if let Some(sum) = &sum {
            advance_fee(message, sum, &themes, findings);
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

/// Words that ask the reader to telephone, in the languages of the lure list.
const CALL_WORDS: &[&str] = &[
    "call",
    "helpline",
    "hotline",
    "toll free",
    "toll-free",
    "phone",
    "dial",
    "customer care",
    "customer support",
    "support team at",
    "reach us",
    "contact us",
    "contact our",
    "llame",
    "llámenos",
    "teléfono",
    "appelez",
    "téléphone",
    "rufen sie",
    "anrufen",
    "telefon",
    "ligue",
    "telefone",
    "bel ",
    "telefoon",
    "chiami",
    "telefono",
];

/// A telephone number within a few words after a word that asks for a call: `call 1-844-584-4936`.
pub fn number_to_call(text: &str) -> Option<String> {
    for word in CALL_WORDS {
        for (at, _) in text.match_indices(word).take(20) {
            if text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let after = &text[at + word.len()..];
            let window: String = after.chars().take(48).collect();
            let Some(start) = window.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(')
            else {
                continue;
            };
            let number: String = window[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || " +-.()".contains(*c))
                .collect();
            let digits = number.chars().filter(char::is_ascii_digit).count();
            // Ten or more digits: a full number, not a date, a time or an order number's tail.
            let groups = number
                .split([' ', '-', '.', '(', ')'])
                .filter(|g| !g.is_empty())
                .count();
            if (10..=15).contains(&digits) && groups <= 5 {
                return Some(number.trim().trim_end_matches(['.', '-']).to_owned());
            }
        }
    }
    None
}

/// Words that say money was or will be taken: a price alone is an offer, not a charge.
const CHARGED: &[&str] = &[
    "charged",
    "renewed",
    "renewal",
    "auto-renew",
    "debited",
    "deducted",
    "cobrado",
    "cobrança",
    "renovação",
    "renovado",
    "renovación",
    "prélevé",
    "renouvellement",
    "abgebucht",
    "verlängert",
    "afgeschreven",
    "addebitato",
    "rinnovo",
];

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

/// Words that tell the reader a purchase or a renewal may not have been theirs, and to act if
/// so: the hook of a fake order confirmation.
const DISOWNED: &[&str] = &[
    "did not order",
    "didn't order",
    "not ordered this",
    "did not make this purchase",
    "didn't make this purchase",
    "did not authorize",
    "didn't authorize",
    "not authorized by you",
    "do not recognize this",
    "don't recognize this",
    "if this wasn't you",
    "if this was not you",
    "cancel this order",
    "cancel the order",
    "no reconoce",
    "no autorizó",
    "cancelar este pedido",
    "pas autorisé",
    "ne reconnaissez pas",
    "annuler cette commande",
    "nicht autorisiert",
    "nicht erkennen",
    "bestellung stornieren",
    "não reconhece",
    "não autorizou",
    "cancelar este pedido",
    "niet herkent",
    "bestelling annuleren",
    "non riconosci",
    "annullare l'ordine",
];

/// An amount of money with its currency: `$348.80`, `€ 99,90`, `499 USD`.
fn charged_amount(text: &str) -> Option<&str> {
    const SYMBOLS: &[&str] = &["$", "€", "£", "usd", "eur", "gbp", "r$"];
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        if !c.is_ascii_digit() || at > 0 && bytes[at - 1].is_ascii_digit() {
            continue;
        }
        let end = text[at..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .map_or(text.len(), |e| at + e);
        let before = text[..at].trim_end();
        let after = text[end..].trim_start();
        if SYMBOLS
            .iter()
            .any(|s| before.ends_with(s) || after.starts_with(s))
        {
            return Some(&text[at..end]);
        }
    }
    None
}

/// Callback phishing: a charge, a renewal or a problem with an account, and a number to call
/// about it instead of a link. The caller is talked into paying or into letting the
/// "support agent" take over the computer; no link scanner sees it.
fn callback(
    message: &Message,
    subject: &str,
    body: &str,
    themes: &BTreeMap<&str, (Vec<&str>, Option<Location>)>,
    findings: &mut Vec<Finding>,
) {
    let Some(number) = number_to_call(body).or_else(|| number_to_call(subject)) else {
        return;
    };
    let reason = if themes.contains_key("payment") {
        "a payment"
    } else if themes.contains_key("account") {
        "an account problem"
    } else if CHARGED
        .iter()
        .any(|w| subject.contains(w) || body.contains(w))
        && charged_amount(subject)
            .or_else(|| charged_amount(body))
            .is_some()
    {
        "a charge"
    } else if DISOWNED
        .iter()
        .any(|w| subject.contains(w) || body.contains(w))
    {
        "a purchase the reader is told to cancel if it was not theirs"
    } else {
        return;
    };
    let from = message.headers.from_address();
    findings.push(Finding::new(
        "lure.callback",
        Severity::Medium,
        60,
        format!("the message tells of {reason} and gives a number to call about it ({number}): the shape of callback phishing, where the caller is talked into paying or into handing over the computer"),
        Location::Text,
        from,
        &["T1566", "T1598.004"],
    ));
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

/// A fortune offered by a stranger who wants a reply: a sum in the hundreds of thousands or
/// more, sent from (or asking for replies at) a free mail account, with the words of a prize, a
/// payment or an inheritance. Each alone is common; together they are advance-fee fraud.
fn advance_fee(
    message: &Message,
    sum: &str,
    themes: &BTreeMap<&str, (Vec<&str>, Option<Location>)>,
    findings: &mut Vec<Finding>,
) {
    let headers = &message.headers;
    let from = headers.from.as_ref().map(|f| f.address.as_str());
    let freemail = |address: &str| {
        address
            .rsplit_once('@')
            .is_some_and(|(_, d)| crate::hosts::is_freemail(d))
    };
    let private_address = from.filter(|a| freemail(a)).map(str::to_owned).or_else(|| {
        headers
            .reply_to
            .iter()
            .map(|r| r.address.clone())
            .chain(forewarn_mail::text::find_email_addresses(&message.body_text).take(50))
            .find(|a| freemail(a) && Some(a.as_str()) != from)
    });
    let pretext = ["advance-fee", "prize", "payment"]
        .iter()
        .any(|t| themes.contains_key(t));
    if let (Some(address), true) = (private_address, pretext) {
        findings.push(Finding::new(
            "lure.advance-fee",
            Severity::Medium,
            70,
            format!("the message offers {sum} and wants answers at the free mail address {address}: the shape of advance-fee fraud"),
            Location::Text,
            sum,
            &["T1566", "T1598"],
        ));
    }
}

/// Words for a million and a billion in the lure languages.
const MILLIONS: &[(&str, f64)] = &[
    ("million", 1e6),
    ("millions", 1e6),
    ("millionen", 1e6),
    ("millones", 1e6),
    ("millón", 1e6),
    ("milhões", 1e6),
    ("milhão", 1e6),
    ("mio", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("milliards", 1e9),
    ("milliarden", 1e9),
    ("bilhões", 1e9),
];

/// Currency signs and words that may stand right before or after an amount.
const CURRENCIES: &[&str] = &[
    "us$", "usd", "$", "€", "£", "eur", "euro", "euros", "gbp", "r$", "brl", "dollars", "dollar",
    "dólares", "pounds", "reais", "usdt", "usdc",
];

/// The first sum of money of 100,000 or more written in `text` (lowercase), as written:
/// "us$ 9.5 million", "usd1,759,910.00", "€520,000", "hundred million united state dollars".
pub fn large_sum(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || matches!(bytes[i], b'.' | b',')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
        }
        let Some(value) = amount(&text[start..i]) else {
            continue;
        };
        let after = &text[i..];
        let rest = after.trim_start();
        let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        let scale = MILLIONS
            .iter()
            .find(|(w, _)| *w == word)
            .map_or(1.0, |(_, s)| *s);
        let value = value * scale;
        let before = text[..start].trim_end();
        let currency_before = CURRENCIES
            .iter()
            .filter(|c| {
                before.strip_suffix(**c).is_some_and(|rest| {
                    // "usd" and "us$" as words of their own, signs anywhere ("+$284").
                    !c.starts_with(char::is_alphabetic) || !rest.ends_with(char::is_alphanumeric)
                })
            })
            .map(|c| before.len() - c.len())
            .min();
        // After the number (and its "million"), within a few words: "9.5 million united state dollars".
        let tail = if scale > 1.0 {
            &rest[word.len()..]
        } else {
            after
        };
        let tail: String = tail.chars().take(32).collect();
        let currency_after = tail
            .split(|c: char| !(c.is_alphanumeric() || c == '$' || c == '€' || c == '£'))
            .filter(|w| !w.is_empty())
            .take(4)
            .any(|w| CURRENCIES.contains(&w));
        if value >= 100_000.0 && (currency_before.is_some() || currency_after) {
            let end = i + (after.len() - rest.len()) + if scale > 1.0 { word.len() } else { 0 };
            let shown = match currency_before {
                Some(from) => &text[from..end],
                None => &text[start..end],
            };
            return Some(shown.trim().to_owned());
        }
    }
    // Written out: "hundred million united state dollars".
    for (word, _) in MILLIONS {
        for (at, _) in text.match_indices(word) {
            let before = text[..at].chars().next_back();
            let after = &text[at + word.len()..];
            if before.is_some_and(char::is_alphanumeric)
                || after.chars().next().is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let preceding = text[..at].trim_end();
            let counted = [
                "hundred", "ten", "five", "two", "one", "several", "cem", "cien", "cent", "dix",
                "zehn",
            ]
            .iter()
            .any(|n| preceding.ends_with(n));
            let tail: String = after.chars().take(32).collect();
            let currency = tail
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(4)
                .any(|w| CURRENCIES.contains(&w));
            if counted && currency {
                let from = preceding.rfind(' ').map_or(0, |p| p + 1);
                return Some(text[from..at + word.len()].to_owned());
            }
        }
    }
    None
}

/// The value of a written amount: "1,759,910.00", "9.5", "520.000", "1.000.000,00".
fn amount(written: &str) -> Option<f64> {
    let groups: Vec<&str> = written.split(['.', ',']).collect();
    let mut groups = groups.as_slice();
    // Cents at the end.
    if groups.len() > 1 && groups[groups.len() - 1].len() == 2 {
        groups = &groups[..groups.len() - 1];
    }
    if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3 {
        return groups.concat().parse().ok();
    }
    match groups {
        [whole] => whole.parse().ok(),
        [whole, fraction] if fraction.len() <= 2 => format!("{whole}.{fraction}").parse().ok(),
        _ => None,
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
    use crate::rules::Rules;

    fn lure_findings(raw: &str) -> Vec<Finding> {
        let mut f = Vec::new();
        Lures::new(&Rules::shipped().lures)
            .detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        f
    }

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
    fn large_sums_of_money() {
        for (text, sum) in [
            (
                "we have us$ 9.5 million united state dollars for you",
                "us$ 9.5 million",
            ),
            (
                "an amount of usd1,759,910.00 as restitution",
                "usd1,759,910.00",
            ),
            ("you have received a €520,000 from", "€520,000"),
            (
                "a proposal worth hundred million united state dollars",
                "hundred million",
            ),
            ("r$ 1.000.000,00 liberados", "r$ 1.000.000,00"),
        ] {
            assert_eq!(large_sum(text).as_deref(), Some(sum), "{text}");
        }
        for text in [
            "$200 in free bitcoins every hour",
            "accounts with a balance of 22.921$ will be blocked",
            "date 2024.01.15 time 16:57",
            "we have 3 million users",
            "call +1 800 555 1234",
            "order 7zut11291ap4m2143",
        ] {
            assert_eq!(large_sum(text), None, "{text}");
        }
    }

    #[test]
    fn advance_fee_needs_a_sum_a_pretext_and_a_private_address() {
        let fee = |raw: &str| {
            lure_findings(raw)
                .into_iter()
                .any(|f| f.summary.contains("advance-fee fraud"))
        };
        let body =
            "I am a bank director with US$ 9.5 million in a dormant fund. Send your full names.";
        assert!(fee(&format!(
            "From: Omar <omar@gmail.com>\r\nSubject: Regards\r\n\r\n{body}"
        )));
        assert!(fee(&format!(
            "From: Omar <omar@bank.example>\r\nSubject: Regards\r\n\r\n{body} Write to omar.private@yahoo.com"
        )));
        assert!(!fee(&format!(
            "From: Omar <omar@bank.example>\r\nSubject: Regards\r\n\r\n{body}"
        )));
        assert!(!fee(
            "From: Ann <ann@gmail.com>\r\nSubject: news\r\n\r\nThe city spent $5 million on roads."
        ));
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
    fn callback_needs_a_reason_and_a_number_to_call() {
        let f = lure_findings("From: a@b.example\r\nSubject: Your order for $348.80 is processed\r\n\r\nYour membership was renewed. To cancel, call our helpline: +1 (844) 584-4936.");
        let callback: Vec<&Finding> = f.iter().filter(|f| f.cue == "lure.callback").collect();
        assert_eq!(callback.len(), 1, "{f:#?}");
        assert!(
            callback[0].summary.contains("(844) 584-4936"),
            "{}",
            callback[0].summary
        );
        // A signature's number is not a request to call about a charge.
        let f = lure_findings("From: a@b.example\r\nSubject: meeting notes\r\n\r\nSee you Tuesday.\r\nPhone: +49 30 1234 5678");
        assert!(f.iter().all(|f| f.cue != "lure.callback"), "{f:#?}");
        assert_eq!(number_to_call("call me at 10:30 on 2024-05-01"), None);
        assert_eq!(
            number_to_call("you can reach us on +1 (888) 683-1189").as_deref(),
            Some("+1 (888) 683-1189")
        );
        let f = lure_findings("From: a@b.example\r\nSubject: Order confirmed\r\n\r\nIf you did not authorize this order, contact us at 1-808-555-0199 today.");
        assert!(f.iter().any(|f| f.cue == "lure.callback"), "{f:#?}");
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

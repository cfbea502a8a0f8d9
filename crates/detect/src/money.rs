//! Money in lures: sums in the hundreds of thousands offered by strangers (advance-fee fraud),
//! charges and renewals with a number to call about them (callback phishing). The lure
//! detector reads the text; these say what its sums and numbers amount to.

use std::collections::BTreeMap;

use forewarn_mail::{Location, Message};

use crate::{Finding, Severity};

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
    static CALLS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(CALL_WORDS).expect("call words are plain strings")
    });
    for found in CALLS.find_overlapping_iter(text).take(200) {
        let at = found.start();
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let after = &text[found.end()..];
        let window: String = after.chars().take(48).collect();
        let Some(start) = window.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(') else {
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
pub(crate) fn callback(
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

/// A fortune offered by a stranger who wants a reply: a sum in the hundreds of thousands or
/// more, sent from (or asking for replies at) a free mail account, with the words of a prize, a
/// payment or an inheritance. Each alone is common; together they are advance-fee fraud.
pub(crate) fn advance_fee(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lures::tests::lure_findings;

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
}

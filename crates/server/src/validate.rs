//! Checks on what people send. Each returns the normalized value or a reason a person can act
//! on; callers gather the reasons and answer 422 with all of them.

/// ISO 3166-1 alpha-2 codes currently assigned.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Collects reasons while checking several fields.
#[derive(Default)]
pub struct Reasons(pub Vec<String>);

impl Reasons {
    pub fn check<T>(&mut self, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(reason) => {
                self.0.push(reason);
                None
            }
        }
    }

    pub fn into_result(self, message: &str) -> Result<(), crate::error::ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::error::ApiError::invalid(message, self.0))
        }
    }
}

/// Free text such as a name: trimmed, not empty, at most `max` characters, no control
/// characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{field} contains control characters"));
    }
    Ok(value.to_owned())
}

/// Longer free text, such as a note: trimmed, not empty, at most `max` characters, line
/// breaks and tabs allowed but no other control characters.
pub fn note(field: &str, value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("{field} contains control characters"));
    }
    Ok(value.to_owned())
}

pub fn country(value: &str) -> Result<String, String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        Err(format!(
            "{value:?} is not an ISO 3166-1 alpha-2 country code"
        ))
    }
}

/// A sector word such as `healthcare` or `human_rights`.
pub fn sector(value: &str) -> Result<String, String> {
    let word = value.trim().to_ascii_lowercase();
    let ok = !word.is_empty()
        && word.len() <= 64
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(word)
    } else {
        Err(format!(
            "{value:?} is not a sector (letters, digits, `_` and `-`)"
        ))
    }
}

/// A BCP 47 language tag such as `fr` or `pt-BR`.
pub fn language(value: &str) -> Result<String, String> {
    let mut parts = value.trim().split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok && value.len() <= 35 {
        Ok(value.trim().to_owned())
    } else {
        Err(format!(
            "{value:?} is not a language tag such as `fr` or `pt-BR`"
        ))
    }
}

/// A mail domain, returned in lowercase ASCII (IDNA applied).
pub fn domain(value: &str) -> Result<String, String> {
    let trimmed = value.trim().trim_end_matches('.');
    let ascii = idna::domain_to_ascii_strict(trimmed)
        .map_err(|_| format!("{value:?} is not a domain name"))?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let ok = labels.len() >= 2
        && ascii.len() <= 253
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()));
    if ok {
        Ok(ascii)
    } else {
        Err(format!("{value:?} is not a domain name"))
    }
}

/// A mail address in lowercase, its domain in ASCII (IDNA applied), so that one mailbox is
/// always written and compared the same way.
pub fn email(value: &str) -> Result<String, String> {
    let value = value.trim();
    let invalid = || format!("{value:?} is not a mail address");
    let (local, host) = value.rsplit_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    if !local_ok {
        return Err(invalid());
    }
    let host = domain(host).map_err(|_| invalid())?;
    Ok(format!("{}@{host}", local.to_lowercase()))
}

pub fn channels(values: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for value in values {
        match value.as_str() {
            "email" | "webhook" => {
                if !out.contains(value) {
                    out.push(value.clone());
                }
            }
            other => return Err(format!("{other:?} is not a channel (email, webhook)")),
        }
    }
    if out.is_empty() {
        return Err("a contact needs at least one channel".to_owned());
    }
    Ok(out)
}

/// Whether `value` may be a password: 12 to 1,024 characters, not a pattern guessers try
/// first, and not guessable in fewer than 10⁸ tries by zxcvbn, which knows the 30,000
/// passwords most common in breach corpora, dictionary words, names, dates, keyboard walks
/// and their l33t spellings, and the person's own details given in `about` (their address,
/// their name) (OWASP ASVS 5.0, V6.2).
pub fn password(value: &str, about: &[&str]) -> Result<(), String> {
    let count = value.chars().count();
    if count < 12 {
        return Err("the password is shorter than 12 characters".to_owned());
    }
    if count > 1024 {
        return Err("the password is longer than 1024 characters".to_owned());
    }
    if trivial(value) {
        return Err("the password is a pattern a guesser tries first (one character repeated, a run such as 123456789abc or qwertyuiop, or a short piece repeated); choose a phrase of several words".to_owned());
    }
    // The details as typed and in pieces: an address's local part and its words, a name's words.
    let mut pieces: Vec<String> = Vec::new();
    for detail in about.iter().map(|d| d.to_lowercase()) {
        let local = detail.split('@').next().unwrap_or_default().to_owned();
        pieces.extend(
            detail
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 3)
                .map(str::to_owned),
        );
        pieces.push(local);
        pieces.push(detail);
    }
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).take(64).collect();
    let strength = zxcvbn::zxcvbn(value, &pieces);
    if strength.score() < zxcvbn::Score::Three {
        let why = strength
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(format!("the password is among those guessed first: leaked in breaches, a common word or name with digits, or built from your own details{why}; choose a phrase of several unrelated words"));
    }
    Ok(())
}

/// Whether a password is one of the patterns guessers try first, whatever its length: few
/// distinct characters, a short piece repeated, or a run along the alphabet, the digits or
/// the keyboard (OWASP ASVS 5.0, V6.2).
fn trivial(value: &str) -> bool {
    let chars: Vec<char> = value.to_lowercase().chars().collect();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 3 {
        return true;
    }
    // A piece of up to four characters, repeated to the full length ("abcabcabcabc").
    let repeated = (1..=4).any(|period| {
        chars.len() >= 2 * period && (period..chars.len()).all(|i| chars[i] == chars[i - period])
    });
    if repeated {
        return true;
    }
    // Mostly steps of one along a sequence people type: "123456789abc", "qwertyuiopas".
    const RUNS: [&str; 4] = [
        "abcdefghijklmnopqrstuvwxyz",
        "01234567890",
        "qwertyuiopasdfghjklzxcvbnm",
        "azertyuiopqsdfghjklmwxcvbn",
    ];
    let runs: Vec<Vec<char>> = RUNS.iter().map(|run| run.chars().collect()).collect();
    let stepping = chars
        .windows(2)
        .filter(|pair| {
            runs.iter().any(|run| {
                run.windows(2)
                    .any(|step| step == *pair || (step[1] == pair[0] && step[0] == pair[1]))
            })
        })
        .count();
    stepping * 4 >= (chars.len() - 1) * 3
}

/// A list with at most `max` entries.
pub fn bounded<T>(field: &str, values: &[T], max: usize) -> Result<(), String> {
    if values.len() > max {
        Err(format!("{field} has more than {max} entries"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_24_trivial_passwords_are_refused() {
        for weak in [
            "aaaaaaaaaaaa",
            "abababababab",
            "abcabcabcabc",
            "123456789012",
            "qwertyuiopas",
            "abcdefghijkl",
            "azertyuiopqs",
            "111111222222",
        ] {
            assert!(password(weak, &[]).is_err(), "{weak} was accepted");
        }
        for strong in [
            "correct horse battery staple",
            "a long test password",
            "a new and long operator password",
            "Tr0ub4dor&3xyz",
        ] {
            assert!(password(strong, &[]).is_ok(), "{strong} was refused");
        }
    }

    #[test]
    fn issue_24_breached_and_personal_passwords_are_refused() {
        // Passwords of breach corpora, with the digits and capitals people add to pass a rule.
        for breached in [
            "password1234",
            "1qaz2wsx3edc",
            "iloveyou1234",
            "Password123!",
            "welcome12345",
            "liverpool1234",
            "football2023",
        ] {
            let refused = password(breached, &[]).expect_err(breached);
            assert!(refused.contains("breaches"), "{refused}");
        }
        // The person's own address or name, with a year.
        let about = ["kwabena.oduya@clinique.example", "Kwabena Oduya"];
        assert!(password("kwabena.oduya1987", &about).is_err());
        assert!(password("kwabena.oduya1987", &[]).is_ok());
    }

    #[test]
    fn normalizes_what_people_type() {
        assert_eq!(country(" fr ").unwrap(), "FR");
        assert!(country("XX").is_err());
        assert_eq!(domain("Clinique.Example.").unwrap(), "clinique.example");
        assert_eq!(domain("hôpital.example").unwrap(), "xn--hpital-ixa.example");
        assert!(domain("localhost").is_err());
        assert!(domain("a..example").is_err());
        assert_eq!(
            email("Aline@Clinique.EXAMPLE").unwrap(),
            "aline@clinique.example"
        );
        assert!(email("no at sign").is_err());
        assert!(email("a b@example.org").is_err());
        assert_eq!(language("pt-BR").unwrap(), "pt-BR");
        assert!(language("french!").is_err());
        assert!(text("name", "  ", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
        assert!(channels(&["sms".into()]).is_err());
    }
}

//! The rule files: the watch pack of organizations attackers imitate, and lure phrases. The
//! shipped ones (`rules/default/`) are compiled in; local ones (`rules/local/`) are read by the
//! caller and added.

/// The shipped watch pack.
pub const SHIPPED_WATCH_PACK: &str = include_str!("../../../rules/default/watch-pack.txt");
/// The shipped lure phrases.
pub const SHIPPED_LURES: &str = include_str!("../../../rules/default/lures.txt");

/// Lure phrases are matched with one automaton; these bounds keep its size sane whatever a
/// local file holds.
const MAX_PHRASE_BYTES: usize = 200;
const MAX_LURES: usize = 50_000;

/// An organization attackers imitate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub name: String,
    pub category: String,
    /// Registrable domains it owns, lowercase ASCII.
    pub domains: Vec<String>,
    /// The domains people see and attackers imitate (a subset of `domains`).
    pub protected: Vec<String>,
    /// Labels it owns under every public suffix (`google` for `google.*`).
    pub labels_everywhere: Vec<String>,
    /// Names a sender may use for it.
    pub names: Vec<String>,
}

impl Brand {
    /// Whether a registrable domain (`label.suffix`) belongs to this organization.
    pub fn owns(&self, registrable: &str) -> bool {
        self.domains.iter().any(|d| d == registrable)
            || registrable
                .split_once('.')
                .is_some_and(|(label, _)| self.labels_everywhere.iter().any(|l| l == label))
    }
}

/// A lure phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lure {
    pub theme: String,
    pub language: String,
    /// Lowercase; a trailing `*` was removed and `prefix` set.
    pub phrase: String,
    pub prefix: bool,
}

/// Rules read from files, with the lines that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub brands: Vec<Brand>,
    pub lures: Vec<Lure>,
    /// `file:line: why` for every line skipped.
    pub errors: Vec<String>,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

impl Rules {
    /// The shipped rules.
    pub fn shipped() -> Rules {
        let mut rules = Rules::default();
        rules.add_watch_pack("rules/default/watch-pack.txt", SHIPPED_WATCH_PACK);
        rules.add_lures("rules/default/lures.txt", SHIPPED_LURES);
        rules
    }

    /// Adds a watch pack (`name | category | domains | names`).
    pub fn add_watch_pack(&mut self, file: &str, text: &str) {
        for (n, line) in data_lines(text) {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            let [name, category, domains, names] = fields[..] else {
                self.errors.push(format!(
                    "{file}:{n}: expected 4 fields separated by |, found {}",
                    fields.len()
                ));
                continue;
            };
            let mut brand = Brand {
                name: name.to_owned(),
                category: category.to_owned(),
                domains: Vec::new(),
                protected: Vec::new(),
                labels_everywhere: Vec::new(),
                names: Vec::new(),
            };
            let (imitated, owned_only) = domains.split_once(';').unwrap_or((domains, ""));
            for (domain, is_protected) in imitated
                .split_whitespace()
                .map(|d| (d, true))
                .chain(owned_only.split_whitespace().map(|d| (d, false)))
            {
                match domain.strip_suffix(".*") {
                    Some(label) if !label.is_empty() && !label.contains('.') => {
                        brand.labels_everywhere.push(label.to_ascii_lowercase())
                    }
                    _ => match forewarn_mail::domain::normalize_domain(domain) {
                        Some(d) => {
                            if is_protected {
                                brand.protected.push(d.clone());
                            }
                            brand.domains.push(d);
                        }
                        None => self
                            .errors
                            .push(format!("{file}:{n}: {domain:?} is not a domain")),
                    },
                }
            }
            brand.names = names
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if brand.domains.is_empty() && brand.labels_everywhere.is_empty() {
                self.errors
                    .push(format!("{file}:{n}: {name} owns no domain"));
                continue;
            }
            self.brands.push(brand);
        }
    }

    /// Adds lure phrases (`theme | language | phrase`).
    pub fn add_lures(&mut self, file: &str, text: &str) {
        for (n, line) in data_lines(text) {
            let fields: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
            let [theme, language, phrase] = fields[..] else {
                self.errors
                    .push(format!("{file}:{n}: expected theme | language | phrase"));
                continue;
            };
            let phrase = phrase.to_lowercase();
            let (phrase, prefix) = match phrase.strip_suffix('*') {
                Some(p) => (p.trim_end().to_owned(), true),
                None => (phrase, false),
            };
            if phrase.chars().count() < 3 {
                self.errors.push(format!(
                    "{file}:{n}: phrase {phrase:?} is too short to match safely"
                ));
                continue;
            }
            if phrase.len() > MAX_PHRASE_BYTES {
                self.errors.push(format!(
                    "{file}:{n}: phrase is longer than {MAX_PHRASE_BYTES} bytes"
                ));
                continue;
            }
            if self.lures.len() >= MAX_LURES {
                self.errors.push(format!(
                    "{file}:{n}: more than {MAX_LURES} lure phrases; the rest are not read"
                ));
                break;
            }
            self.lures.push(Lure {
                theme: theme.to_owned(),
                language: language.to_owned(),
                phrase,
                prefix,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_read_without_errors() {
        let rules = Rules::shipped();
        assert!(rules.errors.is_empty(), "{:#?}", rules.errors);
        assert!(rules.brands.len() > 80);
        assert!(rules.lures.len() > 250);
        let google = rules.brands.iter().find(|b| b.name == "Google").unwrap();
        assert!(google.owns("google.de") && google.owns("gmail.com") && !google.owns("googie.com"));
        for language in ["en", "es", "fr", "de", "pt", "nl", "it"] {
            assert!(
                rules.lures.iter().any(|l| l.language == language),
                "{language}"
            );
        }
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let mut rules = Rules::default();
        rules.add_watch_pack(
            "w",
            "A | login | a.example | A\nbroken line\nB | x | not_a_domain | B\n",
        );
        rules.add_lures("l", "x | en | ok phrase\nno pipes here\nx | en | ab\n");
        assert_eq!(rules.brands.len(), 1);
        assert_eq!(rules.lures.len(), 1);
        assert_eq!(rules.errors.len(), 5, "{:?}", rules.errors);
        let mut rules = Rules::default();
        rules.add_lures("l", &format!("x | en | {}\n", "a".repeat(500)));
        assert!(rules.lures.is_empty() && rules.errors[0].contains("longer than"));
    }
}

//! Lookalike domains: names that imitate a protected domain by Unicode confusables and mixed
//! scripts, by the typo families dnstwist generates (addition, bitsquatting, homoglyph,
//! hyphenation, insertion, omission, repetition, replacement, subdomain, transposition, vowel
//! swap, plural), by a swapped public suffix, or by wrapping the protected name in other words
//! (`paypal-secure-login`, `paypal.com.verify.example`).
//!
//! Protected names are indexed by their skeleton (every character mapped to a representative of
//! the characters it can be mistaken for) and by every one-character deletion (so a name at edit
//! distance one is found with a handful of hash lookups, however many names are protected).

use std::collections::{HashMap, HashSet};

use crate::rules::Brand;

/// Characters that read as the ASCII letter or digit they are listed under: accented Latin,
/// Cyrillic, Greek and other look-alikes (Unicode confusables, as UTS #39 lists them).
const CONFUSABLES: &[(char, &str)] = &[
    ('a', "àáâãäåāăąǎȧạảấầẩẫậắằẳẵặɑαаәəⱥａ"),
    ('b', "ḃḅḇƀɓƅʙьвβｂ"),
    ('c', "çćĉċčƈᴄсϲｃ"),
    ('d', "ďđḋḍḏḑḓɖɗԁｄ"),
    ('e', "èéêëēĕėęěȩẹẻẽếềểễệḛɇеёєεｅ"),
    ('f', "ḟƒｆ"),
    ('g', "ĝğġģǥǧǵɡɢԍｇ"),
    ('h', "ĥħȟḣḥḧḩḫẖɦһⱨｈ"),
    ('i', "ìíîïĩīĭįıǐȉȋỉịɨɩɪіїιｉ"),
    ('j', "ĵǰɉʝјｊ"),
    ('k', "ķĸǩḱḳḵⱪᴋкκｋ"),
    ('l', "ĺļľŀłɫӏⅼｌ"),
    ('m', "ḿṁṃɱᴍмｍ"),
    ('n', "ñńņňŉŋǹṅṇṉꞑпηｎ"),
    ('o', "òóôõöøōŏőơǒȯọỏốồổỗộớờởỡợᴏоοσｏ"),
    ('p', "ṕṗƥƿрρｐ"),
    ('q', "ʠԛｑ"),
    ('r', "ŕŗřȑȓɍɼɽɾʀṙṛṟｒ"),
    ('s', "śŝşšșṡṣʂꜱѕｓ"),
    ('t', "ţťŧƫțṫṭтτｔ"),
    ('u', "ùúûüũūŭůűųưǔȕȗụủʉᴜυսｕ"),
    ('v', "ṽṿᶌᴠⱱⱴѵνｖ"),
    ('w', "ŵẁẃẅẇẉẘᴡⱳԝωｗ"),
    ('x', "ẋẍхχｘ"),
    ('y', "ýÿŷȳẏỳỵỷỹỿɏƴʏуγｙ"),
    ('z', "źżžƶẓẕʐⱬᴢｚ"),
    ('2', "ƻ"),
    ('3', "ʒзэ"),
    ('5', "ƽ"),
];

/// Confusable ASCII characters share one representative.
fn class(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'i' => 'l',
        '3' => '8',
        '6' => '9',
        'd' => 'b',
        'e' => 'c',
        'q' => 'g',
        'v' => 'u',
        'n' | 'r' => 'm',
        other => other,
    }
}

/// Pairs of letters that read as one letter, by class: rn, nn and rr as m, vv as w, cl and
/// dl as d, lb as b, lh as h, lc as k (so c1 reads as cl, and cl as d).
const DIGRAPHS: [((char, char), char); 7] = [
    (('m', 'm'), 'm'),
    (('u', 'u'), 'w'),
    (('c', 'l'), 'b'),
    (('b', 'l'), 'b'),
    (('l', 'b'), 'b'),
    (('l', 'h'), 'h'),
    (('l', 'c'), 'k'),
];

fn reduce_pair(first: char, second: char) -> Option<char> {
    DIGRAPHS
        .iter()
        .find(|((a, b), _)| *a == first && *b == second)
        .map(|(_, one)| *one)
}

/// Whether the characters read as the single character `one`, applying digraphs to their own
/// results (d → dl → cll still reads as d).
fn reads_as(run: &[char], one: char) -> bool {
    match run {
        [a, b] => reduce_pair(*a, *b) == Some(one),
        [a, b, c] => {
            reduce_pair(*a, *b).and_then(|x| reduce_pair(x, *c)) == Some(one)
                || reduce_pair(*b, *c).and_then(|y| reduce_pair(*a, y)) == Some(one)
        }
        _ => false,
    }
}

/// A label with each character replaced by what it looks like in ASCII (confusables mapped,
/// then classes applied).
pub fn skeleton(label: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(label.len());
    for c in label.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.extend(['a', 'c']),
            'œ' => out.extend(['o', 'c']),
            c if c.is_ascii() => out.push(class(c)),
            c => out.push(class(
                CONFUSABLES
                    .iter()
                    .find(|(_, set)| set.contains(c))
                    .map_or(c, |(a, _)| *a),
            )),
        }
    }
    out
}

/// The characters no other character can stand for: a pure homoglyph keeps them, in order.
fn stable_key(skeleton: &[char]) -> String {
    skeleton
        .iter()
        .filter(|c| {
            matches!(
                c,
                'a' | 'f' | 'j' | 'p' | 's' | 't' | 'x' | 'y' | 'z' | '2' | '4' | '5' | '7' | '-'
            )
        })
        .collect()
}

/// How many edits apart two skeletons are when confusable characters and look-alike digraphs
/// cost nothing: 0 means they look the same.
fn glyph_distance(a: &[char], b: &[char]) -> usize {
    const FAR: usize = usize::MAX / 4;
    let mut d = vec![vec![FAR; b.len() + 1]; a.len() + 1];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if i == 0 && j == 0 {
                d[i][j] = 0;
                continue;
            }
            let mut best = FAR;
            if i > 0 {
                best = best.min(d[i - 1][j] + 1);
            }
            if j > 0 {
                best = best.min(d[i][j - 1] + 1);
            }
            if i > 0 && j > 0 {
                best = best.min(d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]));
            }
            for k in 2..=3 {
                if i >= k && j > 0 && reads_as(&a[i - k..i], b[j - 1]) {
                    best = best.min(d[i - k][j - 1]);
                }
                if j >= k && i > 0 && reads_as(&b[j - k..j], a[i - 1]) {
                    best = best.min(d[i - 1][j - k]);
                }
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Damerau-Levenshtein distance (optimal string alignment), stopping early above 2.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// Words phishing domains add to an imitated name.
const COMBO_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "sign-in",
    "secure",
    "security",
    "account",
    "accounts",
    "verify",
    "verification",
    "update",
    "support",
    "service",
    "services",
    "help",
    "helpdesk",
    "online",
    "portal",
    "auth",
    "sso",
    "id",
    "pay",
    "payment",
    "billing",
    "invoice",
    "mail",
    "webmail",
    "email",
    "web",
    "app",
    "alert",
    "alerts",
    "notice",
    "confirm",
    "access",
    "my",
    "official",
    "team",
    "desk",
    "admin",
    "user",
    "client",
    "customer",
    "cloud",
    "docs",
    "drive",
    "file",
    "files",
    "share",
    "doc",
    "office",
    "outlook",
    "center",
    "centre",
    "info",
    "net",
    "com",
    "org",
    "int",
    "gov",
    "global",
    "group",
    "intl",
    "recovery",
    "reset",
    "unlock",
    "wallet",
    "refund",
    "claim",
    "bonus",
    "reward",
    "rewards",
    "gift",
    "delivery",
    "tracking",
    "track",
    "parcel",
    "package",
    "post",
    "covid",
    "vaccine",
    "health",
    "care",
    "medical",
    "grant",
    "grants",
    "donation",
    "donate",
    "fund",
    "relief",
    "aid",
    "news",
    "update",
    "updates",
];

/// Below these label lengths a family matches too many real names to be worth a warning.
const MIN_EDIT_LABEL: usize = 6;
const MIN_SKELETON_ASCII_LABEL: usize = 6;
const MIN_WRAP_LABEL: usize = 5;

/// How a lookalike imitates its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Unicode confusables or mixed scripts (`pаypal` with a Cyrillic а).
    Homoglyph,
    /// The same name under another public suffix.
    TldSwap,
    /// One character added, left out, replaced, doubled or two swapped.
    Typo,
    Hyphenation,
    Plural,
    /// The name split by a dot (`pay.pal.com`).
    Subdomain,
    /// The whole protected domain used as a subdomain (`paypal.com.verify.example`).
    Embedded,
    /// The name joined with other words (`paypal-secure.example`, `paypalcom.example`).
    Combo,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Homoglyph => "homoglyph",
            Family::TldSwap => "tld-swap",
            Family::Typo => "typo",
            Family::Hyphenation => "hyphenation",
            Family::Plural => "plural",
            Family::Subdomain => "subdomain",
            Family::Embedded => "embedded",
            Family::Combo => "combo",
        }
    }
}

/// A protected domain.
#[derive(Debug, Clone)]
struct Protected {
    domain: String,
    label: String,
    /// Index into the brands, or `None` for the organization's own domains.
    brand: Option<usize>,
}

/// What a lookalike imitates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookalike {
    pub imitates: String,
    /// The organization, when it is one from the watch pack (not the organization's own).
    pub brand: Option<String>,
    pub family: Family,
}

/// Splits a registrable domain into its label and public suffix.
fn split_registrable(registrable: &str) -> Option<(&str, &str)> {
    let suffix = psl::suffix_str(registrable)?;
    let label = registrable.strip_suffix(suffix)?.strip_suffix('.')?;
    (!label.is_empty() && !label.contains('.')).then_some((label, suffix))
}

pub struct LookalikeIndex {
    brands: Vec<Brand>,
    protected: Vec<Protected>,
    /// Registrable domains that belong to a protected organization.
    owned: HashSet<String>,
    owned_labels: HashSet<String>,
    by_label: HashMap<String, Vec<u32>>,
    by_domain: HashMap<String, u32>,
    by_stable_key: HashMap<String, Vec<u32>>,
    skeletons: Vec<Vec<char>>,
    deletions: HashMap<String, Vec<u32>>,
}

impl LookalikeIndex {
    /// Indexes the brands of a watch pack and the organization's own domains.
    pub fn new(brands: &[Brand], own_domains: &[String]) -> LookalikeIndex {
        let mut index = LookalikeIndex {
            brands: brands.to_vec(),
            protected: Vec::new(),
            owned: HashSet::new(),
            owned_labels: HashSet::new(),
            by_label: HashMap::new(),
            by_domain: HashMap::new(),
            by_stable_key: HashMap::new(),
            skeletons: Vec::new(),
            deletions: HashMap::new(),
        };
        for (b, brand) in brands.iter().enumerate() {
            index.owned.extend(brand.domains.iter().cloned());
            index
                .owned_labels
                .extend(brand.labels_everywhere.iter().cloned());
            for domain in &brand.protected {
                index.protect(domain, Some(b));
            }
        }
        for domain in own_domains {
            if let Some(d) = forewarn_mail::domain::normalize_domain(domain) {
                index.owned.insert(d.clone());
                index.protect(&d, None);
            }
        }
        index
    }

    fn protect(&mut self, domain: &str, brand: Option<usize>) {
        let Some(registrable) = psl::domain_str(domain) else {
            return;
        };
        let Some((label, _)) = split_registrable(registrable) else {
            return;
        };
        if self.by_domain.contains_key(registrable) {
            return;
        }
        let id = self.protected.len() as u32;
        self.by_domain.insert(registrable.to_owned(), id);
        self.protected.push(Protected {
            domain: registrable.to_owned(),
            label: label.to_owned(),
            brand,
        });
        self.by_label.entry(label.to_owned()).or_default().push(id);
        let shape = skeleton(label);
        self.by_stable_key
            .entry(stable_key(&shape))
            .or_default()
            .push(id);
        self.skeletons.push(shape);
        if label.chars().count() >= MIN_EDIT_LABEL {
            for deleted in deletions(label) {
                self.deletions.entry(deleted).or_default().push(id);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.protected.len()
    }

    pub fn is_empty(&self) -> bool {
        self.protected.is_empty()
    }

    fn found(&self, id: u32, family: Family) -> Lookalike {
        let p = &self.protected[id as usize];
        Lookalike {
            imitates: p.domain.clone(),
            brand: p.brand.map(|b| self.brands[b].name.clone()),
            family,
        }
    }

    /// Whether a domain (lowercase ASCII, punycode) belongs to a protected organization.
    pub fn is_owned(&self, domain: &str) -> bool {
        psl::domain_str(domain).is_some_and(|r| {
            self.owned.contains(r)
                || split_registrable(r).is_some_and(|(label, _)| self.owned_labels.contains(label))
        })
    }

    /// Says what a domain imitates, if anything. The domain is lowercase ASCII (punycode).
    pub fn check(&self, domain: &str) -> Option<Lookalike> {
        let registrable = psl::domain_str(domain)?;
        if self.is_owned(domain) {
            return None;
        }
        let (label, suffix) = split_registrable(registrable)?;
        // Embedded: a protected domain in front of another (`paypal.com.verify.example`).
        let before = &domain[..domain.len() - registrable.len()];
        if !before.is_empty() {
            let labels: Vec<&str> = before.trim_end_matches('.').split('.').collect();
            for start in 0..labels.len() {
                for end in (start + 2)..=(start + 3).min(labels.len()) {
                    let candidate = labels[start..end].join(".");
                    if let Some(&id) = self.by_domain.get(&candidate) {
                        if self.protected[id as usize].label.len() >= 3 {
                            return Some(self.found(id, Family::Embedded));
                        }
                    }
                }
            }
        }
        let unicode = if label.starts_with("xn--") {
            let (decoded, result) = idna::domain_to_unicode(label);
            result.ok().map(|_| decoded)
        } else {
            None
        };
        let shown = unicode.as_deref().unwrap_or(label);
        let non_ascii = !shown.is_ascii();
        // The same label under another suffix. Only for the organization's own domains: the
        // large brands hold their names under many suffixes, which no list can keep up with.
        if let Some(&id) = self.by_label.get(label).and_then(|ids| {
            ids.iter()
                .find(|&&id| self.protected[id as usize].brand.is_none())
        }) {
            if label.len() >= MIN_WRAP_LABEL
                && psl::suffix_str(&self.protected[id as usize].domain) != Some(suffix)
            {
                return Some(self.found(id, Family::TldSwap));
            }
        }
        // Confusables: mixed scripts or look-alike ASCII.
        let shape = skeleton(shown);
        for &id in self
            .by_stable_key
            .get(&stable_key(&shape))
            .into_iter()
            .flatten()
        {
            let p = &self.protected[id as usize];
            if p.label != shown
                && (non_ascii || p.label.len() >= MIN_SKELETON_ASCII_LABEL)
                && glyph_distance(&shape, &self.skeletons[id as usize]) == 0
            {
                return Some(self.found(id, Family::Homoglyph));
            }
        }
        if non_ascii {
            return None;
        }
        if label.contains('-') {
            let joined = label.replace('-', "");
            if let Some(&id) = self.by_label.get(&joined).and_then(|ids| ids.first()) {
                if joined.len() >= MIN_WRAP_LABEL {
                    return Some(self.found(id, Family::Hyphenation));
                }
            }
        }
        // One edit away.
        // An insertion shows as one of our deletions equal to a protected label; an omission as
        // the label equal to a protected deletion; a replacement or swap as shared deletions.
        let mut candidates: Vec<u32> = Vec::new();
        for deleted in deletions(label) {
            candidates.extend(self.deletions.get(&deleted).into_iter().flatten());
            candidates.extend(
                self.by_label
                    .get(&deleted)
                    .into_iter()
                    .flatten()
                    .filter(|&&id| self.protected[id as usize].label.len() >= MIN_EDIT_LABEL),
            );
        }
        candidates.extend(self.deletions.get(label).into_iter().flatten());
        candidates.sort_unstable();
        candidates.dedup();
        for id in candidates {
            let p = &self.protected[id as usize];
            if p.label != label && edit_distance(&p.label, label) == 1 {
                return Some(self.found(id, Family::Typo));
            }
        }
        // Plural with "es".
        for (i, _) in label.match_indices("es") {
            let without = format!("{}{}", &label[..i], &label[i + 2..]);
            if let Some(&id) = self.by_label.get(&without).and_then(|ids| ids.first()) {
                if without.len() >= MIN_EDIT_LABEL {
                    return Some(self.found(id, Family::Plural));
                }
            }
        }
        // Split by a dot: `pay.pal.com`.
        if !before.is_empty() {
            let last_sub = before
                .trim_end_matches('.')
                .rsplit('.')
                .next()
                .unwrap_or_default();
            let joined = format!("{last_sub}{label}");
            if let Some(&id) = self.by_label.get(&joined).and_then(|ids| ids.first()) {
                if joined.len() >= MIN_EDIT_LABEL {
                    return Some(self.found(id, Family::Subdomain));
                }
            }
        }
        // Joined with other words.
        let parts: Vec<&str> = label.split('-').collect();
        for (i, part) in parts.iter().enumerate() {
            if let Some(&id) = self.by_label.get(*part).and_then(|ids| ids.first()) {
                let others = parts
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .all(|(_, w)| COMBO_WORDS.contains(w) || w.bytes().all(|b| b.is_ascii_digit()));
                if parts.len() > 1 && part.len() >= MIN_WRAP_LABEL && others {
                    return Some(self.found(id, Family::Combo));
                }
            }
        }
        for word in COMBO_WORDS.iter().filter(|w| !w.contains('-')) {
            let rest = label
                .strip_prefix(word)
                .or_else(|| label.strip_suffix(word));
            if let Some(&id) = rest
                .and_then(|r| self.by_label.get(r))
                .and_then(|ids| ids.first())
            {
                if self.protected[id as usize].label.len() >= MIN_EDIT_LABEL
                    && rest.is_some_and(|r| r.len() >= MIN_EDIT_LABEL)
                {
                    return Some(self.found(id, Family::Combo));
                }
            }
        }
        None
    }
}

/// The label with each one character left out.
fn deletions(label: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = label.chars().collect();
    (0..chars.len()).map(move |i| {
        chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect()
    })
}

/// The detector: sender and link domains that imitate a protected domain.
pub struct Lookalikes {
    index: std::sync::Arc<LookalikeIndex>,
}

impl Lookalikes {
    pub fn new(index: std::sync::Arc<LookalikeIndex>) -> Self {
        Lookalikes { index }
    }
}

impl crate::Detector for Lookalikes {
    fn name(&self) -> &'static str {
        "lookalike"
    }

    fn detect(&self, message: &forewarn_mail::Message, findings: &mut Vec<crate::Finding>) {
        let mut seen = HashSet::new();
        message.for_each_observable(&mut |o, location| {
            if o.kind != forewarn_mail::ObservableKind::Domain
                || !(location.is_sender() || location.is_link())
                || !seen.insert(o.value.clone())
            {
                return;
            }
            let Some(found) = self.index.check(&o.value) else {
                return;
            };
            let whose = match &found.brand {
                Some(brand) => format!("{} ({brand})", found.imitates),
                None => format!("{}, one of the organization's own domains", found.imitates),
            };
            let shown = o.unicode.as_deref().unwrap_or(&o.value);
            let attack: &[&'static str] = if location.is_sender() {
                &["T1566", "T1656", "T1583.001"]
            } else {
                &["T1566.002", "T1583.001"]
            };
            findings.push(crate::Finding::new(
                "lookalike.domain",
                if found.brand.is_none() {
                    crate::Severity::Critical
                } else {
                    crate::Severity::High
                },
                80,
                format!(
                    "{} imitates {whose}: {}",
                    crate::intel::defang(shown),
                    found.family.as_str()
                ),
                location.clone(),
                &o.value,
                attack,
            ));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn index() -> LookalikeIndex {
        LookalikeIndex::new(
            &Rules::shipped().brands,
            &["st-mary-clinic.example".to_owned()],
        )
    }

    #[test]
    fn finds_each_family() {
        let index = index();
        let cases = [
            ("xn--pypal-4ve.com", Family::Homoglyph), // pаypal with a Cyrillic а
            ("rnicrosoft.com", Family::Homoglyph),    // rn for m
            ("paypa1.com", Family::Homoglyph),        // 1 for l
            ("st-mary-clinic.org", Family::TldSwap),
            ("paypall.com", Family::Typo),
            ("paypl.com", Family::Typo),
            ("papyal.com", Family::Typo),
            ("pay-pal.com", Family::Hyphenation),
            ("pay.pal.com", Family::Subdomain),
            ("paypal.com.account-verify.example", Family::Embedded),
            ("paypal-secure-login.example", Family::Combo),
            ("securepaypal.com", Family::Combo),
            ("st-mary-clinlc.example", Family::Homoglyph),
            ("st-mary-cllnic.example", Family::Homoglyph),
            ("stmary-clinic.example", Family::Typo),
        ];
        for (domain, family) in cases {
            let found = index
                .check(domain)
                .unwrap_or_else(|| panic!("{domain} not found"));
            assert_eq!(found.family, family, "{domain}: {found:?}");
        }
        assert_eq!(index.check("st-mary-clinlc.example").unwrap().brand, None);
    }

    #[test]
    fn owned_and_unrelated_domains_are_not_lookalikes() {
        let index = index();
        for domain in [
            "paypal.com",
            "www.paypal.com",
            "google.de",
            "mail.google.co.uk",
            "login.microsoftonline.com",
            "example.org",
            "wikipedia.org",
            "st-mary-clinic.example",
            "amazonaws.com",
        ] {
            assert_eq!(index.check(domain), None, "{domain}");
        }
    }

    #[test]
    fn skeletons_and_distances() {
        let same = |a: &str, b: &str| glyph_distance(&skeleton(a), &skeleton(b)) == 0;
        assert!(
            same("rnicrosoft", "microsoft")
                && same("mierosoft", "microsoft")
                && same("gооgle", "google")
        );
        assert!(
            same("cllropbox", "dropbox") && same("linkeclin", "linkedin") && same("c1oud", "cloud")
        );
        assert!(
            !same("paypal", "paypals") && !same("unicef", "unice") && !same("docusign", "docusing")
        );
        assert_eq!(edit_distance("paypal", "papyal"), 1);
        assert_eq!(edit_distance("paypal", "paypal"), 0);
        assert_eq!(edit_distance("paypal", "pal"), 3);
    }
}

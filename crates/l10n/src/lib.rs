//! forewarn-l10n holds forewarn's words in every language it speaks: the notification
//! templates and the playbooks (the concrete steps for each kind of threat), as Fluent
//! catalogs in `locales/<language>/forewarn.ftl`. Mail, webhooks and the web UI take their text
//! from here, in the organization's language; English is the reference catalog and the fallback.
//!
//! Variables are inserted without Unicode isolation marks: the text goes into plain-text mail,
//! where the marks would show up as stray characters. Right-to-left languages are flagged so
//! HTML can set `dir="rtl"`.
//!
//! ```
//! use forewarn_l10n::{Catalogs, Arg};
//! let catalogs = Catalogs::shipped();
//! let subject = catalogs.text("fr-CA", "notification-subject", &[
//!     ("severity", Arg::from("critique")),
//!     ("org", Arg::from("Clinique du Lac")),
//!     ("kind", Arg::from("hameçonnage d'identifiants")),
//! ]);
//! assert_eq!(subject, "[forewarn] Alerte critique pour Clinique du Lac : hameçonnage d'identifiants");
//! ```

#![warn(missing_docs)]

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language forewarn speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 code: `en`, `es`, `fr`, `de`, `pt`, `ar`.
    pub code: &'static str,
    /// Its name in itself, for a language menu.
    pub name: &'static str,
    /// Written right to left (Arabic): pages and HTML mail set `dir="rtl"`.
    pub right_to_left: bool,
}

/// Every language forewarn speaks, English first.
pub const LANGUAGES: &[Language] = &[
    Language {
        code: "en",
        name: "English",
        right_to_left: false,
    },
    Language {
        code: "es",
        name: "Español",
        right_to_left: false,
    },
    Language {
        code: "fr",
        name: "Français",
        right_to_left: false,
    },
    Language {
        code: "de",
        name: "Deutsch",
        right_to_left: false,
    },
    Language {
        code: "pt",
        name: "Português",
        right_to_left: false,
    },
    Language {
        code: "ar",
        name: "العربية",
        right_to_left: true,
    },
];

const SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en/forewarn.ftl")),
    ("es", include_str!("../locales/es/forewarn.ftl")),
    ("fr", include_str!("../locales/fr/forewarn.ftl")),
    ("de", include_str!("../locales/de/forewarn.ftl")),
    ("pt", include_str!("../locales/pt/forewarn.ftl")),
    ("ar", include_str!("../locales/ar/forewarn.ftl")),
];

const FALLBACK: &str = "en";

/// A value for a message's variable.
pub type Arg<'a> = FluentValue<'a>;

/// What can go wrong reading a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A catalog is not valid Fluent.
    #[error("the {language} catalog does not parse: {detail}")]
    Parse {
        /// The catalog's language code.
        language: String,
        /// What the Fluent parser reported.
        detail: String,
    },
}

/// Every shipped catalog, ready to format.
pub struct Catalogs {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl Catalogs {
    /// The shipped catalogs. They are part of the program and tested, so one that does not
    /// parse is a bug, not an input error.
    pub fn shipped() -> Catalogs {
        Catalogs::from_sources(SOURCES).expect("the shipped catalogs parse")
    }

    /// The shipped catalogs, parsed once for the whole process and shared by whoever writes
    /// words: the web UI, enrollment mail and the notifier.
    pub fn shared() -> &'static Catalogs {
        static SHARED: std::sync::OnceLock<Catalogs> = std::sync::OnceLock::new();
        SHARED.get_or_init(Catalogs::shipped)
    }

    fn from_sources(sources: &[(&'static str, &str)]) -> Result<Catalogs, Error> {
        let mut bundles = HashMap::new();
        for (code, source) in sources {
            let language: LanguageIdentifier = code.parse().expect("shipped codes are valid");
            let resource =
                FluentResource::try_new((*source).to_owned()).map_err(|(_, errors)| {
                    Error::Parse {
                        language: (*code).to_owned(),
                        detail: format!("{errors:?}"),
                    }
                })?;
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| Error::Parse {
                    language: (*code).to_owned(),
                    detail: format!("{errors:?}"),
                })?;
            bundles.insert(*code, bundle);
        }
        Ok(Catalogs { bundles })
    }

    /// The language to use for `requested` (`pt-BR` → `pt`, `AR` → `ar`); English when forewarn
    /// does not speak it.
    pub fn language(&self, requested: &str) -> Language {
        let primary = requested
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        LANGUAGES
            .iter()
            .copied()
            .find(|l| l.code == primary)
            .unwrap_or(LANGUAGES[0])
    }

    /// Message `id` in `language` with `args`; the English text when the language lacks it,
    /// and the id itself when no catalog has it (so a missing text shows, and is not silent).
    pub fn text(&self, language: &str, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let language = self.language(language).code;
        self.format(language, id, args)
            .or_else(|| self.format(FALLBACK, id, args))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether `language`'s catalog has message `id`.
    pub fn has(&self, language: &str, id: &str) -> bool {
        self.bundles
            .get(language)
            .is_some_and(|b| b.get_message(id).and_then(|m| m.value()).is_some())
    }

    fn format(&self, language: &str, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let bundle = self.bundles.get(language)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }

    /// The steps of the playbook for a kind of threat (`credential-phishing`,
    /// `malicious-document`, `lookalike-domain`, `account-compromise`), in order.
    pub fn playbook(&self, language: &str, kind: &str) -> Vec<String> {
        let code = self.language(language).code;
        let catalog = if self.has(code, &format!("playbook-{kind}-1")) {
            code
        } else {
            FALLBACK
        };
        (1..)
            .map(|n| format!("playbook-{kind}-{n}"))
            .take_while(|id| self.has(catalog, id))
            .map(|id| self.text(catalog, &id, &[]))
            .collect()
    }

    /// The message ids of a language's catalog.
    pub fn ids(&self, language: &str) -> Vec<String> {
        let source = SOURCES
            .iter()
            .find(|(code, _)| *code == language)
            .map_or("", |(_, source)| source);
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }
}

/// The kinds of threat there is a playbook for.
pub const PLAYBOOKS: &[&str] = &[
    "credential-phishing",
    "malicious-document",
    "lookalike-domain",
    "account-compromise",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message_and_every_message_formats() {
        let catalogs = Catalogs::shipped();
        let reference = catalogs.ids("en");
        assert!(reference.len() > 30);
        let args: Vec<(&str, Arg)> = vec![
            ("severity", "high".into()),
            ("org", "Clinic".into()),
            ("kind", "phishing".into()),
            ("time", "2026-11-22 03:12 UTC".into()),
            ("count", 3.into()),
            ("sender", "it@clinic-support.example".into()),
            ("subject", "Password expiry".into()),
            ("links", "hxxps://clinic-support[.]example/login".into()),
            ("actor", "Example Bear".into()),
            ("aliases", "APT-X".into()),
            ("confidence", "80 %".into()),
            ("link", "https://forewarn.example/ack/1".into()),
            ("operator", "CERT".into()),
            ("address", "amina@mailbox.example".into()),
            ("note", "Seen at two other clinics.".into()),
            ("domain", "clinique.example".into()),
            ("n", 2.into()),
            ("version", "2026-01".into()),
            ("hours", 72.into()),
            ("campaign", "Example Bear".into()),
            ("reach", "3 member organizations".into()),
        ];
        for language in LANGUAGES {
            let ids = catalogs.ids(language.code);
            for id in &reference {
                assert!(ids.contains(id), "{}: {id} is missing", language.code);
                let text = catalogs.text(language.code, id, &args);
                assert!(
                    !text.contains('{') && !text.contains("unknown"),
                    "{}: {id}: {text}",
                    language.code
                );
                assert!(
                    !text.contains('\u{2068}') && !text.contains('\u{2069}'),
                    "{}: {id} has isolation marks",
                    language.code
                );
            }
            for id in &ids {
                assert!(
                    reference.contains(id),
                    "{}: {id} is not in the English catalog",
                    language.code
                );
            }
            for kind in PLAYBOOKS {
                let steps = catalogs.playbook(language.code, kind);
                assert!(
                    (3..=5).contains(&steps.len()),
                    "{}: {kind}: {steps:?}",
                    language.code
                );
            }
        }
    }

    #[test]
    fn mail_bodies_keep_their_paragraphs() {
        let catalogs = Catalogs::shipped();
        let body = catalogs.text(
            "fr",
            "mail-account-body",
            &[
                ("org", "Clinique du Lac".into()),
                ("hours", 72.into()),
                ("link", "https://forewarn.example/confirm/abc".into()),
            ],
        );
        assert!(body.starts_with("Quelqu'un chez Clinique du Lac"), "{body}");
        assert!(
            body.contains("pendant 72 heures) :\n\nhttps://forewarn.example/confirm/abc\n\nRien"),
            "{body}"
        );
    }

    #[test]
    fn plurals_follow_each_language() {
        let catalogs = Catalogs::shipped();
        let what = |language: &str, count: i64| {
            catalogs.text(
                language,
                "notification-what",
                &[
                    ("time", "today".into()),
                    ("count", count.into()),
                    ("org", "Clinic".into()),
                    ("sender", "a@b.example".into()),
                    ("subject", "Hi".into()),
                ],
            )
        };
        assert!(what("en", 1).contains("one account at"));
        assert!(what("en", 4).contains("4 accounts at"));
        assert!(what("de", 1).contains("hat ein Konto"));
        assert!(what("ar", 2).contains("حسابان"));
        assert!(what("ar", 7).contains("7 من الحسابات"));
    }

    #[test]
    fn languages_resolve_and_fall_back_to_english() {
        let catalogs = Catalogs::shipped();
        assert_eq!(catalogs.language("pt-BR").code, "pt");
        assert_eq!(catalogs.language("AR").code, "ar");
        assert!(catalogs.language("ar").right_to_left);
        assert_eq!(catalogs.language("sw").code, "en");
        assert_eq!(catalogs.language("").code, "en");
        assert_eq!(
            catalogs.text("sw", "notification-what-title", &[]),
            "What happened"
        );
        assert_eq!(
            catalogs.text("fr", "no-such-message", &[]),
            "no-such-message"
        );
        assert_eq!(
            catalogs.playbook("es", "no-such-kind"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_catalog_that_does_not_parse_is_reported() {
        let broken = Catalogs::from_sources(&[("en", "good = fine\nbad = { $\n")]);
        assert!(matches!(broken, Err(Error::Parse { .. })));
    }
}

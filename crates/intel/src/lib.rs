//! forewarn-intel holds what is known about attackers: actors, campaigns, malware and tools,
//! and the indicators that point to them. Importers read STIX 2, MISP and plain lists into a
//! [`Catalog`]; a [`Matcher`] compiled from it finds every indicator a [`forewarn_mail::Message`]
//! shows. No I/O: callers hand in bytes.
//!
//! In a message's path (docs/ARCHITECTURE.md) it is what forewarn-detect's intel detector
//! matches each message against; the binary loads the catalog at start.
//!
//! ```
//! use forewarn_intel::{feeds, Catalog, Matcher};
//!
//! let mut catalog = Catalog::new();
//! let report = feeds::import(&mut catalog, "apt_example.txt", b"# Aliases: Example Bear\nevil.example\n");
//! assert_eq!(report.indicator_count(), 1);
//! let matcher = Matcher::new(catalog, 0);
//! let message = forewarn_mail::parse(b"From: a@login.evil.example\r\n\r\nhi\r\n").unwrap();
//! assert!(!matcher.match_message(&message).is_empty());
//! ```

pub mod feeds;
pub mod matcher;
pub mod model;
pub mod normalize;

pub use feeds::{import, Format, ImportReport, Rejection};
pub use matcher::{Hit, MatchHow, Matcher};
pub use model::{
    AttributionId, Catalog, Comparison, Entity, EntityId, EntityKind, Indicator, IndicatorId,
    IndicatorKind, NewIndicator, SourceId, Tlp, TLP2_EXTENSION,
};

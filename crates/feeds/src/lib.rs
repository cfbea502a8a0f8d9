//! forewarn-feeds fetches threat intel from where others publish it. [`taxii`] reads TAXII 2.1
//! servers: discovery, API roots, collections, and a collection's objects page by page from a
//! [`taxii::Position`] the caller stores once it has stored the objects, so a pull that is
//! interrupted resumes where it stopped without losing or repeating objects.
//!
//! Every request goes to an address checked by the same guard as webhooks
//! ([`forewarn_notify::destination`]): a feed URL typed into forewarn cannot reach forewarn's
//! own machine or private networks unless the operator allows private ranges. Every answer is
//! read with a size bound and its media type checked, so a hostile or broken server gives a
//! clear feed error, never unbounded memory or an endless loop.
//!
//! In a message's path (docs/ARCHITECTURE.md) it is beside the core: what it fetches is
//! imported by forewarn-intel into the catalog the matcher is built from.

pub mod http;
pub mod settings;
pub mod taxii;

pub use http::{Credentials, FetchError, Fetcher, Limits};
pub use settings::FeedSettings;

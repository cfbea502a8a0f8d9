//! Domain verification by DNS: the organization publishes its domain's token in a TXT record
//! at `_forewarn.<domain>`, and forewarn asks the resolver the operator configured (the
//! system's resolvers when none is).

use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::TokioResolver;

use crate::config::DnsSettings;

/// The TXT record's name for `domain`.
pub fn record_name(domain: &str) -> String {
    format!("_forewarn.{domain}")
}

/// The TXT record's value for a domain's token.
pub fn record_value(token: &str) -> String {
    format!("forewarn-verification={token}")
}

/// Looks up the TXT records that prove an organization holds a domain.
pub struct DnsChecker {
    resolver: TokioResolver,
}

/// What the lookup found.
pub enum Lookup {
    /// The name has TXT records; their texts, each joined from its strings.
    Found(Vec<String>),
    /// The name does not exist or has no TXT records.
    NoRecords,
}

impl DnsChecker {
    /// A checker asking the resolver `settings` names (the system's when none), without a cache, so a record published a minute ago is seen.
    pub fn new(settings: &DnsSettings) -> Result<DnsChecker, String> {
        let mut options = ResolverOpts::default();
        options.timeout = Duration::from_secs(settings.timeout_secs.max(1));
        options.attempts = 2;
        // A record published a minute ago must be seen now: no remembered "no such name".
        options.cache_size = 0;
        let builder = match settings.resolver {
            Some(addr) => {
                let mut server = NameServerConfig::udp_and_tcp(addr.ip());
                for connection in &mut server.connections {
                    connection.port = addr.port();
                }
                TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![server]),
                    TokioRuntimeProvider::default(),
                )
            }
            None => TokioResolver::builder_tokio()
                .map_err(|e| format!("reading the system's DNS configuration: {e}"))?,
        };
        let resolver = builder
            .with_options(options)
            .build()
            .map_err(|e| format!("starting the DNS resolver: {e}"))?;
        Ok(DnsChecker { resolver })
    }

    /// The TXT strings at `name` (each record's strings joined, as RFC 7208 reads them).
    pub async fn txt(&self, name: &str) -> Result<Lookup, String> {
        match self.resolver.txt_lookup(format!("{name}.")).await {
            Ok(lookup) => Ok(Lookup::Found(
                lookup
                    .answers()
                    .iter()
                    .filter_map(|record| match &record.data {
                        RData::TXT(txt) => Some(
                            txt.txt_data
                                .iter()
                                .map(|s| String::from_utf8_lossy(s))
                                .collect::<String>(),
                        ),
                        _ => None,
                    })
                    .collect(),
            )),
            Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Lookup::NoRecords),
            Err(e) => Err(format!("the DNS lookup of {name} failed: {e}")),
        }
    }
}

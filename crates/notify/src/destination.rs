//! Where a webhook may be sent. A webhook URL is typed in by someone outside the operator's
//! control, so it must not become a way to reach what only forewarn's host can reach: loopback,
//! private networks, link-local cloud metadata services, or anything else that is not the public
//! internet. URLs are read the way browsers read them (so `http://2130706433/` and
//! `http://0x7f.1/` are 127.0.0.1), names are resolved and every address they give is checked,
//! and delivery connects to the checked addresses only, so a name that changes its answer in
//! between (DNS rebinding) gains nothing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// The operator's choice for destinations on loopback and private networks (on by default
/// only in tests and for an instance whose receivers sit on its own network).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub allow_private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    #[error("not a URL: {0}")]
    NotUrl(String),
    #[error("only http and https URLs are called, not {0}:")]
    Scheme(String),
    #[error("URLs with a user name or password are not called")]
    Credentials,
    #[error("the URL has no host")]
    NoHost,
    #[error("{0} is a name for this machine")]
    LocalName(String),
    #[error("{address} is {why}, not the public internet")]
    Address { address: IpAddr, why: &'static str },
    #[error("{0} does not resolve: {1}")]
    Resolve(String, String),
}

/// A checked webhook URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub url: Url,
    host: Host<String>,
    port: u16,
}

impl Destination {
    /// Reads and checks a URL: http or https, no credentials, and a host that is not this
    /// machine or a private address (unless `policy` allows them). Names are checked again, with
    /// what they resolve to, by [`Destination::resolve`].
    pub fn parse(text: &str, policy: Policy) -> Result<Destination, Refusal> {
        let url = Url::parse(text.trim()).map_err(|e| Refusal::NotUrl(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme(url.scheme().to_owned()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::Credentials);
        }
        let host = url.host().ok_or(Refusal::NoHost)?.to_owned();
        let port = url.port_or_known_default().ok_or(Refusal::NoHost)?;
        if !policy.allow_private {
            match &host {
                Host::Domain(name) => {
                    let name = name.trim_end_matches('.').to_ascii_lowercase();
                    if name == "localhost" || name.ends_with(".localhost") || name.is_empty() {
                        return Err(Refusal::LocalName(name));
                    }
                }
                Host::Ipv4(ip) => check(IpAddr::V4(*ip))?,
                Host::Ipv6(ip) => check(IpAddr::V6(*ip))?,
            }
        }
        Ok(Destination { url, host, port })
    }

    /// The addresses to connect to, every one checked.
    pub async fn resolve(&self, policy: Policy) -> Result<Vec<SocketAddr>, Refusal> {
        let addresses: Vec<SocketAddr> = match &self.host {
            Host::Ipv4(ip) => vec![SocketAddr::new(IpAddr::V4(*ip), self.port)],
            Host::Ipv6(ip) => vec![SocketAddr::new(IpAddr::V6(*ip), self.port)],
            Host::Domain(name) => tokio::net::lookup_host((name.as_str(), self.port))
                .await
                .map_err(|e| Refusal::Resolve(name.clone(), e.to_string()))?
                .collect(),
        };
        if addresses.is_empty() {
            return Err(Refusal::Resolve(
                self.host.to_string(),
                "no addresses".into(),
            ));
        }
        if !policy.allow_private {
            for address in &addresses {
                check(address.ip())?;
            }
        }
        Ok(addresses)
    }

    /// The host name as written in the URL, for TLS and the Host header.
    pub fn host_name(&self) -> String {
        match &self.host {
            Host::Domain(name) => name.clone(),
            Host::Ipv4(ip) => ip.to_string(),
            Host::Ipv6(ip) => ip.to_string(),
        }
    }
}

fn check(address: IpAddr) -> Result<(), Refusal> {
    match forbidden(address) {
        Some(why) => Err(Refusal::Address { address, why }),
        None => Ok(()),
    }
}

/// Why an address is not on the public internet, or `None` when it is.
pub fn forbidden(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(ip) => forbidden_v4(ip),
        IpAddr::V6(ip) => forbidden_v6(ip),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "\"this network\" (0.0.0.0/8)",
        (127, _, _) => "loopback",
        (10, _, _) | (192, 168, _) => "a private network",
        (172, b, _) if (16..32).contains(&b) => "a private network",
        (169, 254, _) => "link-local (cloud metadata lives here)",
        (100, b, _) if (64..128).contains(&b) => "carrier-grade NAT space",
        (192, 0, 0) => "reserved for IETF protocols",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "reserved for documentation",
        (198, 18 | 19, _) => "reserved for benchmarking",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved (or broadcast)",
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    let s = ip.segments();
    // IPv4 carried inside IPv6: judged as the IPv4 address it carries.
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4).or(None);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        // IPv4-compatible (::a.b.c.d, deprecated).
        return forbidden_v4(embedded(s[6], s[7])).or(Some("an IPv4-compatible address"));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return forbidden_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return forbidden_v4(embedded(s[1], s[2]));
    }
    Some(match s[0] {
        0x2001 if s[1] == 0 => "a Teredo tunnel",
        0x2001 if s[1] == 0x0db8 => "reserved for documentation",
        0x0100 if s[1..4] == [0, 0, 0] => "a discard prefix",
        x if x & 0xfe00 == 0xfc00 => "a private network (unique local)",
        x if x & 0xffc0 == 0xfe80 => "link-local",
        x if x & 0xffc0 == 0xfec0 => "site-local",
        x if x & 0xff00 == 0xff00 => "multicast",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOSED: Policy = Policy {
        allow_private: false,
    };

    /// URLs that must never be called: at least thirty forms of "this machine" and "a network
    /// that is not the internet", and URLs that are not web addresses at all.
    const REFUSED: &[&str] = &[
        "http://127.0.0.1/",
        "http://127.0.0.1:8080/hook",
        "http://127.1/",
        "http://127.000.000.001/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0x7f.0x0.0x0.0x1/",
        "http://0177.0.0.1/",
        "http://017700000001/",
        "http://0/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "http://[2002:a9fe:a9fe::]/",
        "http://10.0.0.1/",
        "http://10.255.255.255/",
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0xa9fea9fe/",
        "http://100.64.0.1/",
        "http://192.0.0.170/",
        "http://198.18.0.1/",
        "http://192.0.2.10/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fc00:1::1]/",
        "http://[fec0::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
        "http://[2001:0:4136:e378::1]/",
        "http://user:pass@hooks.example.org/",
        "http://user@hooks.example.org/",
        "ftp://hooks.example.org/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "hooks.example.org/no-scheme",
        "http://",
        "",
    ];

    #[test]
    fn every_form_of_a_private_destination_is_refused() {
        assert!(REFUSED.len() >= 30);
        for url in REFUSED {
            assert!(
                Destination::parse(url, CLOSED).is_err(),
                "{url} must not be called"
            );
        }
    }

    #[test]
    fn public_destinations_are_accepted() {
        for url in [
            "https://hooks.example.org/forewarn",
            "https://hooks.example.org:8443/x?y=1",
            "http://93.184.215.14/hook",
            "https://[2606:4700::1111]/",
            "https://172.32.0.1/",
            "https://100.128.0.1/",
            "https://[::ffff:8.8.8.8]/",
        ] {
            let destination =
                Destination::parse(url, CLOSED).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!destination.host_name().is_empty());
        }
    }

    #[test]
    fn the_operator_may_allow_private_destinations() {
        let open = Policy {
            allow_private: true,
        };
        assert!(Destination::parse("http://127.0.0.1:9000/hook", open).is_ok());
        // Still never other schemes or credentials.
        assert!(Destination::parse("file:///etc/passwd", open).is_err());
        assert!(Destination::parse("http://a:b@127.0.0.1/", open).is_err());
    }

    #[tokio::test]
    async fn names_are_judged_by_what_they_resolve_to() {
        // Names in /etc/hosts that lead to this machine pass the URL check (they are not
        // "localhost") and must be refused once resolved.
        let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
        let local_names: Vec<&str> = hosts
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('#').next()?.split_whitespace();
                let address: IpAddr = fields.next()?.parse().ok()?;
                forbidden(address).map(|_| fields)
            })
            .flatten()
            .filter(|name| !name.eq_ignore_ascii_case("localhost") && !name.ends_with(".localhost"))
            .collect();
        if local_names.is_empty() {
            forewarn_test_support::skip("/etc/hosts names no loopback address but localhost");
        }
        for name in local_names {
            let destination = Destination::parse(&format!("http://{name}:8080/"), CLOSED).unwrap();
            let refused = destination.resolve(CLOSED).await.unwrap_err();
            assert!(
                matches!(refused, Refusal::Address { .. }),
                "{name}: {refused}"
            );
        }
        let loopback = Destination::parse(
            "http://127.0.0.1:1/",
            Policy {
                allow_private: true,
            },
        )
        .unwrap();
        assert!(loopback.resolve(CLOSED).await.is_err());
        assert_eq!(
            loopback
                .resolve(Policy {
                    allow_private: true
                })
                .await
                .unwrap(),
            [SocketAddr::from(([127, 0, 0, 1], 1))]
        );
    }
}

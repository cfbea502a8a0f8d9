//! The matcher: every valid indicator of a catalog compiled into structures that stay compact
//! and fast with millions of indicators.
//!
//! Exact values (domains, URLs, addresses, IPs, hashes, file names, subjects) sit in one array
//! of 64-bit hashes sorted ascending, with a parallel array of indicator ids (12 bytes per
//! indicator) and a directory of bucket offsets indexed by the top bits of the hash, so a lookup
//! costs one or two cache misses and a comparison against the catalog's value. Networks are
//! looked up once per prefix length present. Regular expressions (STIX `MATCHES`) are few and
//! run against the observables of their kind.

use std::net::IpAddr;

use forewarn_mail::domain::self_and_parents;
use forewarn_mail::link::{key_without_query, normalize_url};
use forewarn_mail::{Location, Message, Observable, ObservableKind};
use regex::{Regex, RegexBuilder};
use serde::Serialize;

use crate::model::{Catalog, Comparison, IndicatorId, IndicatorKind};
use crate::normalize::mask;

/// How an observable met an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchHow {
    Exact,
    /// The observable is a subdomain of the indicator's domain.
    ParentDomain,
    /// The observable IP lies in the indicator's network.
    Network,
    /// The observable URL equals the indicator's once its query is removed.
    UrlWithoutQuery,
    /// The indicator's pattern matched.
    Pattern,
}

/// One indicator seen in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub indicator: IndicatorId,
    /// What the message showed (the observable's value, an attachment hash, a subject).
    pub observed: String,
    pub location: Location,
    pub how: MatchHow,
}

pub struct Matcher {
    catalog: Catalog,
    hashes: Vec<u64>,
    ids: Vec<u32>,
    directory: Vec<u32>,
    directory_bits: u32,
    networks: Vec<(bool, u8)>,
    patterns: Vec<(IndicatorKind, Regex, IndicatorId)>,
    expired: usize,
    not_yet_valid: usize,
}

fn key_hash(kind: IndicatorKind, value: &str) -> u64 {
    // FxHash-style mixing over 8-byte words; collisions are resolved by comparing values.
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (kind as u64 + 1).wrapping_mul(K);
    let bytes = value.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks_exact gives 8 bytes"));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail) ^ bytes.len() as u64).wrapping_mul(K);
    // Final avalanche so the top bits (the directory index) depend on every byte.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

impl Matcher {
    /// Compiles a catalog. Indicators whose validity window does not contain `now` (Unix
    /// seconds) are left out.
    pub fn new(catalog: Catalog, now: i64) -> Matcher {
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(catalog.indicators().len());
        let mut networks = Vec::new();
        let mut patterns = Vec::new();
        let (mut expired, mut not_yet_valid) = (0, 0);
        for (i, indicator) in catalog.indicators().iter().enumerate() {
            if indicator.valid_until.is_some_and(|until| until < now) {
                expired += 1;
                continue;
            }
            if indicator.valid_from.is_some_and(|from| from > now) {
                not_yet_valid += 1;
                continue;
            }
            let id = IndicatorId(i as u32);
            match indicator.comparison {
                Comparison::Regex => {
                    let compiled = RegexBuilder::new(&indicator.value)
                        .case_insensitive(true)
                        .size_limit(256 * 1024)
                        .build();
                    if let Ok(regex) = compiled {
                        patterns.push((indicator.kind, regex, id));
                    }
                }
                Comparison::Exact => {
                    if indicator.kind == IndicatorKind::Cidr {
                        if let Some((addr, len)) = indicator.value.split_once('/') {
                            if let (Ok(ip), Ok(len)) = (addr.parse::<IpAddr>(), len.parse::<u8>()) {
                                networks.push((ip.is_ipv6(), len));
                            }
                        }
                    }
                    pairs.push((key_hash(indicator.kind, &indicator.value), i as u32));
                }
            }
        }
        pairs.sort_unstable();
        networks.sort_unstable();
        networks.dedup();
        // About four entries per bucket.
        let directory_bits = (usize::BITS - (pairs.len() / 4).leading_zeros()).min(24);
        let buckets = 1usize << directory_bits;
        let mut directory = Vec::with_capacity(buckets + 1);
        let mut at = 0usize;
        for bucket in 0..buckets {
            while at < pairs.len() && Self::bucket_of(pairs[at].0, directory_bits) < bucket {
                at += 1;
            }
            directory.push(at as u32);
        }
        directory.push(pairs.len() as u32);
        let (hashes, ids) = pairs.into_iter().unzip();
        Matcher {
            catalog,
            hashes,
            ids,
            directory,
            directory_bits,
            networks,
            patterns,
            expired,
            not_yet_valid,
        }
    }

    fn bucket_of(hash: u64, bits: u32) -> usize {
        if bits == 0 {
            0
        } else {
            (hash >> (64 - bits)) as usize
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Indicators that can match.
    pub fn len(&self) -> usize {
        self.hashes.len() + self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Indicators left out because their `valid_until` has passed.
    pub fn expired(&self) -> usize {
        self.expired
    }

    /// Indicators left out because their `valid_from` is still to come.
    pub fn not_yet_valid(&self) -> usize {
        self.not_yet_valid
    }

    /// The indicators whose normalized value equals `value`.
    pub fn lookup<'a>(
        &'a self,
        kind: IndicatorKind,
        value: &'a str,
    ) -> impl Iterator<Item = IndicatorId> + 'a {
        let hash = key_hash(kind, value);
        let bucket = Self::bucket_of(hash, self.directory_bits);
        let (start, end) = (
            self.directory[bucket] as usize,
            self.directory[bucket + 1] as usize,
        );
        let slice = &self.hashes[start..end];
        let first = start + slice.partition_point(|&h| h < hash);
        self.hashes[first..end]
            .iter()
            .take_while(move |&&h| h == hash)
            .zip(&self.ids[first..end])
            .map(|(_, &id)| IndicatorId(id))
            .filter(move |&id| {
                let indicator = self.catalog.indicator(id);
                indicator.kind == kind && &*indicator.value == value
            })
    }

    /// Every indicator the message (and messages attached to it) shows.
    pub fn match_message(&self, message: &Message) -> Vec<Hit> {
        let mut hits = Vec::new();
        message.for_each_observable(&mut |observable, location| {
            self.match_observable(observable, location, &mut hits)
        });
        message.for_each_attachment(&mut |attachment, location| {
            for (kind, hash) in [
                (IndicatorKind::Sha256, &attachment.sha256),
                (IndicatorKind::Sha1, &attachment.sha1),
                (IndicatorKind::Md5, &attachment.md5),
            ] {
                self.exact(kind, hash, hash, location, MatchHow::Exact, &mut hits);
            }
            let names = attachment.name.iter().chain(
                attachment
                    .archive
                    .iter()
                    .flat_map(|a| a.entries.iter().map(|e| &e.name)),
            );
            for name in names {
                let lower = name.to_lowercase();
                self.exact(
                    IndicatorKind::FileName,
                    &lower,
                    name,
                    location,
                    MatchHow::Exact,
                    &mut hits,
                );
                self.patterns(IndicatorKind::FileName, name, location, &mut hits);
            }
        });
        self.match_subjects(message, &Location::Subject, &mut hits);
        hits.sort_by(|a, b| (a.indicator, &a.location).cmp(&(b.indicator, &b.location)));
        hits.dedup_by(|a, b| a.indicator == b.indicator && a.location == b.location);
        hits
    }

    fn match_subjects(&self, message: &Message, location: &Location, hits: &mut Vec<Hit>) {
        if let Some(subject) = &message.headers.subject {
            let lower = subject.to_lowercase();
            self.exact(
                IndicatorKind::Subject,
                lower.trim(),
                subject,
                location,
                MatchHow::Exact,
                hits,
            );
            self.patterns(IndicatorKind::Subject, subject, location, hits);
        }
        for (n, attachment) in message.attachments.iter().enumerate() {
            if let Some(inner) = &attachment.message {
                let inner_location = Location::Attached(n, Box::new(Location::Subject));
                let nested = match location {
                    Location::Attached(outer, _) => {
                        Location::Attached(*outer, Box::new(inner_location))
                    }
                    _ => inner_location,
                };
                self.match_subjects(inner, &nested, hits);
            }
        }
    }

    fn exact(
        &self,
        kind: IndicatorKind,
        key: &str,
        observed: &str,
        location: &Location,
        how: MatchHow,
        hits: &mut Vec<Hit>,
    ) {
        for indicator in self.lookup(kind, key) {
            hits.push(Hit {
                indicator,
                observed: observed.to_owned(),
                location: location.clone(),
                how,
            });
        }
    }

    fn patterns(&self, kind: IndicatorKind, value: &str, location: &Location, hits: &mut Vec<Hit>) {
        for (_, regex, id) in self.patterns.iter().filter(|(k, _, _)| *k == kind) {
            if regex.is_match(value) {
                hits.push(Hit {
                    indicator: *id,
                    observed: value.to_owned(),
                    location: location.clone(),
                    how: MatchHow::Pattern,
                });
            }
        }
    }

    fn match_observable(&self, observable: &Observable, location: &Location, hits: &mut Vec<Hit>) {
        let value = observable.value.as_str();
        match observable.kind {
            ObservableKind::Domain => {
                for name in self_and_parents(value) {
                    let how = if name.len() == value.len() {
                        MatchHow::Exact
                    } else {
                        MatchHow::ParentDomain
                    };
                    self.exact(IndicatorKind::Domain, name, value, location, how, hits);
                }
                self.patterns(IndicatorKind::Domain, value, location, hits);
            }
            ObservableKind::Url => {
                if let Some(url) = normalize_url(value) {
                    self.exact(
                        IndicatorKind::Url,
                        &url.key,
                        value,
                        location,
                        MatchHow::Exact,
                        hits,
                    );
                    if let Some(bare) = key_without_query(&url.key) {
                        self.exact(
                            IndicatorKind::Url,
                            bare,
                            value,
                            location,
                            MatchHow::UrlWithoutQuery,
                            hits,
                        );
                    }
                }
                self.patterns(IndicatorKind::Url, value, location, hits);
            }
            ObservableKind::Email => {
                self.exact(
                    IndicatorKind::Email,
                    value,
                    value,
                    location,
                    MatchHow::Exact,
                    hits,
                );
                self.patterns(IndicatorKind::Email, value, location, hits);
            }
            ObservableKind::Ip => {
                self.exact(
                    IndicatorKind::Ip,
                    value,
                    value,
                    location,
                    MatchHow::Exact,
                    hits,
                );
                let Ok(ip) = value.parse::<IpAddr>() else {
                    return;
                };
                for &(v6, len) in &self.networks {
                    if v6 != ip.is_ipv6() {
                        continue;
                    }
                    if let Some(network) = mask(ip, len) {
                        self.exact(
                            IndicatorKind::Cidr,
                            &format!("{network}/{len}"),
                            value,
                            location,
                            MatchHow::Network,
                            hits,
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewIndicator;

    fn catalog(entries: &[(IndicatorKind, &str)]) -> Catalog {
        let mut c = Catalog::new();
        let s = c.add_source("test");
        for &(kind, value) in entries {
            c.add_indicator(s, NewIndicator::exact(kind, value.into(), 80, Vec::new()));
        }
        c
    }

    #[test]
    fn every_position_and_how() {
        let m = Matcher::new(
            catalog(&[
                (IndicatorKind::Domain, "evil.example"),
                (IndicatorKind::Email, "collect@drop.example"),
                (IndicatorKind::Ip, "192.0.2.10"),
                (IndicatorKind::Cidr, "198.51.100.0/24"),
                (IndicatorKind::Url, "phish.example/login"),
                (IndicatorKind::Md5, "0cc175b9c0f1b6a831c399e269772661"),
                (IndicatorKind::Subject, "your mailbox is full"),
            ]),
            0,
        );
        let raw = b"Received: from relay.example ([192.0.2.10]) by mx.example.org; Mon, 1 Jan 2024 10:00:00 +0000\r\n\
From: Desk <desk@login.evil.example>\r\nReply-To: collect@drop.example\r\nSubject: Your  Mailbox is FULL\r\n\
Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\n\
https://phish.example/login?u=1 http://198.51.100.77/x\r\n--XYZ\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=a.bin\r\n\r\na\r\n--XYZ--\r\n";
        let message = forewarn_mail::parse(raw).unwrap();
        let hits = m.match_message(&message);
        let seen: Vec<String> = hits
            .iter()
            .map(|h| format!("{} {:?} {}", h.location, h.how, h.observed))
            .collect();
        for expected in [
            "from ParentDomain login.evil.example",
            "reply-to Exact collect@drop.example",
            "received[0] Exact 192.0.2.10",
            "text UrlWithoutQuery https://phish.example/login?u=1",
            "text Network 198.51.100.77",
            "attachment[0] Exact 0cc175b9c0f1b6a831c399e269772661",
            "subject Exact Your Mailbox is FULL",
        ] {
            assert!(
                seen.iter().any(|s| s == expected),
                "missing {expected:?} in {seen:#?}"
            );
        }
    }

    #[test]
    fn expired_and_future_indicators_do_not_match() {
        let mut c = catalog(&[]);
        let s = c.add_source("t");
        let mut new = NewIndicator {
            kind: IndicatorKind::Domain,
            comparison: Comparison::Exact,
            value: "old.example".into(),
            confidence: 80,
            tlp: None,
            valid_from: None,
            valid_until: Some(100),
            attribution: Vec::new(),
        };
        c.add_indicator(s, new.clone());
        new.value = "future.example".into();
        new.valid_until = None;
        new.valid_from = Some(10_000);
        c.add_indicator(s, new);
        let m = Matcher::new(c, 1_000);
        assert_eq!((m.expired(), m.not_yet_valid(), m.len()), (1, 1, 0));
        assert_eq!(m.lookup(IndicatorKind::Domain, "old.example").count(), 0);
    }

    #[test]
    fn lookups_find_all_duplicates_and_nothing_else() {
        let values: Vec<String> = (0..5_000).map(|i| format!("host{i}.example")).collect();
        let mut entries: Vec<(IndicatorKind, &str)> = values
            .iter()
            .map(|v| (IndicatorKind::Domain, v.as_str()))
            .collect();
        entries.push((IndicatorKind::Domain, "host7.example"));
        entries.push((IndicatorKind::Url, "host8.example"));
        let m = Matcher::new(catalog(&entries), 0);
        assert_eq!(m.lookup(IndicatorKind::Domain, "host7.example").count(), 2);
        assert_eq!(m.lookup(IndicatorKind::Domain, "host8.example").count(), 1);
        assert_eq!(
            m.lookup(IndicatorKind::Domain, "host5000.example").count(),
            0
        );
        for v in &values {
            assert!(m.lookup(IndicatorKind::Domain, v).count() >= 1);
        }
        let empty = Matcher::new(catalog(&[]), 0);
        assert_eq!(empty.lookup(IndicatorKind::Domain, "x.example").count(), 0);
    }
}

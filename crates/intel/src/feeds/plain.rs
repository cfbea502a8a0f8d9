//! Plain lists: one value per line, its kind recognized from its form, `#` comments ignored.
//! Maltrail's lists also name an actor (from the file name) and its aliases (`# Aliases:`).

use super::{not_applicable_hint, Format, ImportReport};
use crate::model::{Catalog, EntityKind, IndicatorKind, NewIndicator, SourceId};
use crate::normalize::{detect, normalize};

const CONFIDENCE_LIST: u8 = 70;
const CONFIDENCE_ACTOR_LIST: u8 = 80;
/// Maltrail's `suspicious/` lists (dynamic DNS, parking) name infrastructure anyone can use.
const CONFIDENCE_SUSPICIOUS: u8 = 30;

/// The display name of a maltrail list: `apt_gamaredon.txt` → `Gamaredon`.
fn list_name(path: &str) -> String {
    let file = super::file_name(path);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let stem = stem.strip_prefix("apt_").unwrap_or(stem);
    stem.split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn import(
    catalog: &mut Catalog,
    source: SourceId,
    path: &str,
    bytes: &[u8],
    format: Format,
) -> ImportReport {
    let mut report = ImportReport::new(path, format);
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let file = super::file_name(path).to_ascii_lowercase();
    let normalized_path = path.replace('\\', "/");
    let mut confidence = CONFIDENCE_LIST;
    let mut attribution = Vec::new();
    if format == Format::MaltrailList {
        let aliases: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# Aliases:"))
            .flat_map(|a| a.split(','))
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        let kind = if file.starts_with("apt_") {
            Some(EntityKind::Actor)
        } else if normalized_path.contains("/suspicious/") {
            None
        } else if normalized_path.contains("/malicious/") {
            Some(EntityKind::Tool)
        } else {
            Some(EntityKind::Malware)
        };
        confidence = match kind {
            Some(EntityKind::Actor) => CONFIDENCE_ACTOR_LIST,
            None => CONFIDENCE_SUSPICIOUS,
            _ => CONFIDENCE_LIST,
        };
        if let Some(kind) = kind {
            report.named(kind);
            attribution.push(catalog.add_entity(kind, &list_name(path), &aliases, None));
        }
    }
    let not_applicable = not_applicable_hint(&file);
    let file_names = file.contains("file_name") || file.contains("filename");
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("//")
            || line.starts_with(';')
        {
            continue;
        }
        report.objects += 1;
        if let Some(what) = not_applicable {
            report.not_applicable(what);
            continue;
        }
        let value = if file_names {
            line
        } else {
            line.split_whitespace().next().unwrap_or(line)
        };
        let found = if file_names {
            normalize(IndicatorKind::FileName, value)
                .ok()
                .map(|v| (IndicatorKind::FileName, v))
        } else {
            detect(value)
        };
        match found {
            Some((kind, value)) => report.add(
                catalog,
                source,
                NewIndicator::exact(kind, value, confidence, attribution.clone()),
            ),
            None => report.reject(
                format!("line {}", n + 1),
                format!(
                    "{:?} is not a domain, URL, address, IP, network or hash",
                    truncate(value)
                ),
            ),
        }
    }
    report
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;

    #[test]
    fn maltrail_lists_name_the_actor_and_aliases() {
        let list = b"# Copyright (c) Maltrail developers\n\n# Aliases: primitive bear, shuckworm\n\n# Reference: x\n\nadmin-ru.example\n198.51.100.9:8080\nevil.example/gate.php\n\xff\xfe junk line\n";
        let mut catalog = Catalog::new();
        let s = catalog.add_source("maltrail/malware/apt_example_bear.txt");
        let r = import(
            &mut catalog,
            s,
            "maltrail/malware/apt_example_bear.txt",
            list,
            Format::MaltrailList,
        );
        assert_eq!(r.indicator_count(), 3);
        assert_eq!(r.rejected_count, 1);
        let actor = catalog.find_entity(EntityKind::Actor, "shuckworm").unwrap();
        assert_eq!(catalog.entity(actor).name, "Example Bear");
        assert_eq!(catalog.indicators()[0].confidence, CONFIDENCE_ACTOR_LIST);
    }

    #[test]
    fn file_name_hints() {
        let mut catalog = Catalog::new();
        let s = catalog.add_source("x");
        let r = import(
            &mut catalog,
            s,
            "package_names.txt",
            b"com.example.spy\n",
            Format::PlainList,
        );
        assert_eq!(r.not_applicable.get("android package"), Some(&1));
        assert_eq!(r.indicator_count(), 0);
        let r = import(
            &mut catalog,
            s,
            "file_names.txt",
            b"Invoice 2024.pdf.exe\n",
            Format::PlainList,
        );
        assert_eq!(r.indicators.get(&IndicatorKind::FileName), Some(&1));
        assert_eq!(&*catalog.indicators()[0].value, "invoice 2024.pdf.exe");
    }
}

//! Importers: each reads one file's bytes (the caller does the I/O) into a [`Catalog`] and
//! returns an [`ImportReport`]. A bad object is skipped with its reason; it never stops the rest.

pub mod misp;
pub mod plain;
pub mod stix2;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Catalog, EntityKind, IndicatorKind, NewIndicator, SourceId};

/// Rejections listed one by one in a report; the rest are only counted.
const MAX_LISTED_REJECTIONS: usize = 50;

/// The formats forewarn reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Stix2,
    MispEvent,
    MispManifest,
    MispGalaxy,
    MispCsv,
    Csv,
    PlainList,
    MaltrailList,
    /// An index of remote IOC files (mvt-indicators' `indicators.yaml`).
    MvtIndex,
    /// A README, licence or manifest of files: nothing to import.
    Documentation,
    Unknown,
}

/// One object that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Which object: a STIX id, a MISP attribute uuid, `line 12`.
    pub object: String,
    pub reason: String,
}

/// What importing one file did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub source: String,
    pub format: Format,
    /// Objects, attributes, rows or lines read.
    pub objects: usize,
    /// Indicators added, by kind.
    pub indicators: BTreeMap<IndicatorKind, usize>,
    /// Entities named (added or merged), by kind.
    pub entities: BTreeMap<EntityKind, usize>,
    /// Values of kinds that cannot appear in mail (Android packages, file paths, registry
    /// keys …), counted by kind; they are read but not imported.
    pub not_applicable: BTreeMap<String, usize>,
    pub rejected_count: usize,
    pub rejected: Vec<Rejection>,
    /// Other things worth saying about the file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Files this one refers to that the caller should import too (a MISP feed's events).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referenced_files: Vec<String>,
}

impl ImportReport {
    pub fn new(source: &str, format: Format) -> ImportReport {
        ImportReport {
            source: source.to_owned(),
            format,
            objects: 0,
            indicators: BTreeMap::new(),
            entities: BTreeMap::new(),
            not_applicable: BTreeMap::new(),
            rejected_count: 0,
            rejected: Vec::new(),
            notes: Vec::new(),
            referenced_files: Vec::new(),
        }
    }

    pub fn reject(&mut self, object: impl Into<String>, reason: impl Into<String>) {
        self.rejected_count += 1;
        if self.rejected.len() < MAX_LISTED_REJECTIONS {
            self.rejected.push(Rejection {
                object: object.into(),
                reason: reason.into(),
            });
        }
    }

    pub fn not_applicable(&mut self, what: &str) {
        *self.not_applicable.entry(what.to_owned()).or_default() += 1;
    }

    pub fn indicator_count(&self) -> usize {
        self.indicators.values().sum()
    }

    pub(crate) fn add(&mut self, catalog: &mut Catalog, source: SourceId, new: NewIndicator) {
        *self.indicators.entry(new.kind).or_default() += 1;
        catalog.add_indicator(source, new);
    }

    pub(crate) fn named(&mut self, kind: EntityKind) {
        *self.entities.entry(kind).or_default() += 1;
    }
}

/// Imports one file. `path` names the source and hints at the format (extension, file name);
/// `now` (Unix seconds) is only used for reporting expired indicators.
pub fn import(catalog: &mut Catalog, path: &str, bytes: &[u8]) -> ImportReport {
    let format = detect_format(path, bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let mut report = ImportReport::new(path, format);
        report
            .notes
            .push("empty file: nothing to import".to_owned());
        return report;
    }
    let source = catalog.add_source(path);
    match format {
        Format::Documentation => {
            let mut report = ImportReport::new(path, format);
            report
                .notes
                .push("documentation, not intel: nothing to import".to_owned());
            report
        }
        Format::MvtIndex => {
            let mut report = ImportReport::new(path, format);
            let text = String::from_utf8_lossy(bytes);
            report.objects = text
                .lines()
                .filter(|l| l.trim_start().starts_with("path:"))
                .count();
            report.notes.push(format!(
                "index of {} remote STIX2 files; fetch them and import the .stix2 files themselves",
                report.objects
            ));
            report
        }
        Format::Stix2 | Format::MispEvent | Format::MispManifest | Format::MispGalaxy => {
            let json: serde_json::Value = match serde_json::from_slice(bytes) {
                Ok(json) => json,
                Err(e) => {
                    let mut report = ImportReport::new(path, format);
                    report.reject("file", format!("not valid JSON: {e}"));
                    return report;
                }
            };
            match format {
                Format::Stix2 => stix2::import(catalog, source, path, &json),
                Format::MispEvent => misp::import_events(catalog, source, path, &json),
                Format::MispManifest => misp::import_manifest(path, &json),
                _ => misp::import_galaxy(catalog, path, &json),
            }
        }
        Format::MispCsv | Format::Csv => misp::import_csv(catalog, source, path, bytes, format),
        Format::PlainList | Format::MaltrailList => {
            plain::import(catalog, source, path, bytes, format)
        }
        Format::Unknown => {
            let mut report = ImportReport::new(path, format);
            report.reject(
                "file",
                "not a format forewarn reads (STIX 2, MISP JSON or CSV, or a plain list)",
            );
            report
        }
    }
}

/// Like [`import`], for a file that is part of a report (an investigation's folder): the
/// indicators it names no actor, campaign, malware or tool for are attributed to the report,
/// as a campaign named `report`, so that a match says where the indicator comes from.
/// Maltrail lists keep their own convention (the file names the threat), and MISP events
/// already name theirs (the event's info).
pub fn import_from_report(
    catalog: &mut Catalog,
    path: &str,
    bytes: &[u8],
    report: &str,
) -> ImportReport {
    let before = catalog.indicators().len();
    let mut imported = import(catalog, path, bytes);
    let report = report.trim();
    if report.is_empty() || imported.format == Format::MaltrailList {
        return imported;
    }
    let attributed = catalog.attribute_unattributed(before, EntityKind::Campaign, report);
    if attributed > 0 {
        imported.named(EntityKind::Campaign);
        imported.notes.push(format!(
            "{attributed} indicators that name no actor, campaign or malware are attributed to the report {report:?}"
        ));
    }
    imported
}

/// The name of the report a folder of intel files holds: the first heading (or first line)
/// of its README, else the folder's name with `_` and `-` read as spaces after a leading
/// date (`2019-08-16_evolving_phishing` → `2019-08-16 evolving phishing`).
pub fn report_name(folder: &str, readme: Option<&str>) -> String {
    let from_readme = readme.and_then(|text| {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let heading = text.lines().map(str::trim).find(|l| l.starts_with('#'));
        heading
            .map(|l| l.trim_start_matches('#').trim())
            .or_else(|| lines.next())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    });
    let name = from_readme.unwrap_or_else(|| {
        let (date, rest) = match folder.get(..10) {
            Some(d) if d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-' => {
                (Some(d), &folder[10..])
            }
            _ => (None, folder),
        };
        let rest = rest.trim_start_matches(['_', '-']).replace(['_', '-'], " ");
        match date {
            Some(date) if !rest.is_empty() => format!("{date} {rest}"),
            Some(date) => date.to_owned(),
            None => rest,
        }
    });
    name.chars().take(200).collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Decides a file's format from its name and first bytes.
pub fn detect_format(path: &str, bytes: &[u8]) -> Format {
    let name = file_name(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if name.starts_with("readme")
        || name.starts_with("upstream-")
        || name.starts_with("license")
        || name.starts_with("licence")
        || name == "manifest.tsv"
        || ext == "md"
    {
        return Format::Documentation;
    }
    if bytes.contains(&0) {
        return Format::Unknown;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if matches!(ext, "yaml" | "yml") {
        return if head.contains("indicators:") {
            Format::MvtIndex
        } else {
            Format::Unknown
        };
    }
    let first = head.trim_start().chars().next();
    if matches!(first, Some('{') | Some('[')) && !matches!(ext, "txt" | "csv") {
        return json_format(&name, bytes);
    }
    let header = head.lines().next().unwrap_or_default().to_ascii_lowercase();
    let columns: Vec<&str> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let misp_columns = columns.contains(&"type") && columns.contains(&"value");
    if ext == "csv" {
        return if misp_columns {
            Format::MispCsv
        } else {
            Format::Csv
        };
    }
    // A MISP CSV export served or saved without its extension still says what it is.
    if misp_columns && columns.len() >= 3 {
        return Format::MispCsv;
    }
    if head.contains("Maltrail") || head.lines().any(|l| l.starts_with("# Aliases:")) {
        return Format::MaltrailList;
    }
    Format::PlainList
}

/// Tells the JSON formats apart by their top-level keys, without parsing the whole document
/// twice: the first 64 KiB decide.
fn json_format(name: &str, bytes: &[u8]) -> Format {
    if name == "manifest.json" {
        return Format::MispManifest;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("\"type\":\"bundle\"")
        || compact.contains("\"objects\":[")
        || compact.contains("\"spec_version\":\"2.")
    {
        Format::Stix2
    } else if compact.contains("\"Event\":{")
        || compact.contains("\"Attribute\":[")
        || compact.starts_with("{\"response\":")
    {
        Format::MispEvent
    } else if compact.contains("\"values\":[") && compact.contains("\"uuid\":") {
        Format::MispGalaxy
    } else {
        Format::Unknown
    }
}

/// Kinds a plain list or CSV column may name by its file or header name that cannot appear in
/// mail. The value is the name used in reports.
pub(crate) fn not_applicable_hint(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    [
        ("package_cert", "android package certificate"),
        ("cert_hash", "certificate hash"),
        ("package", "android package"),
        ("file_path", "file path"),
        ("process", "process name"),
        ("config_profile", "configuration profile"),
        ("tlv", "protocol value"),
    ]
    .into_iter()
    .find(|(hint, _)| name.contains(hint))
    .map(|(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_content() {
        assert_eq!(detect_format("x/README.md", b"# hi"), Format::Documentation);
        assert_eq!(
            detect_format("UPSTREAM-LICENSE", b"MIT"),
            Format::Documentation
        );
        assert_eq!(
            detect_format("a.stix2", br#"{"type": "bundle", "objects": []}"#),
            Format::Stix2
        );
        assert_eq!(
            detect_format("misp.json", br#"{"response":[{"Event":{}}]}"#),
            Format::MispEvent
        );
        assert_eq!(
            detect_format("e.json", br#"{"Event": {"info": "x"}}"#),
            Format::MispEvent
        );
        assert_eq!(
            detect_format(
                "threat-actor.json",
                br#"{"name":"x","uuid":"u","values":[]}"#
            ),
            Format::MispGalaxy
        );
        assert_eq!(
            detect_format("feed/manifest.json", b"{}"),
            Format::MispManifest
        );
        assert_eq!(
            detect_format("iocs.csv", b"uuid,event_id,category,type,value\n"),
            Format::MispCsv
        );
        assert_eq!(
            detect_format("domains.csv", b"Domain,Relevant resolution\n"),
            Format::Csv
        );
        assert_eq!(
            detect_format("apt_x.txt", b"# Aliases: a, b\nevil.example\n"),
            Format::MaltrailList
        );
        assert_eq!(
            detect_format("domains.txt", b"evil.example\n"),
            Format::PlainList
        );
        assert_eq!(detect_format("x.bin", b"\0\x01"), Format::Unknown);
    }
}

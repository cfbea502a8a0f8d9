//! Each importer on real files from `../shared/corpora/threat-intel` (FOREWARN_CORPORA), and
//! the MISP feed layout on a fixture. Without the corpora, the corpus tests say they were
//! skipped and why.

use std::fs;
use std::path::{Path, PathBuf};

use forewarn_intel::{
    feeds, Catalog, EntityKind, Format, ImportReport, IndicatorKind, Matcher, Tlp,
};

fn threat_intel() -> Option<PathBuf> {
    match std::env::var_os("FOREWARN_CORPORA") {
        None => {
            eprintln!("skipped: FOREWARN_CORPORA is not set, so the importers cannot be tested on the real intel files");
            None
        }
        Some(path) => Some(PathBuf::from(path).join("threat-intel")),
    }
}

fn import(catalog: &mut Catalog, path: &Path) -> ImportReport {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    feeds::import(catalog, &path.display().to_string(), &bytes)
}

fn count(report: &ImportReport, kind: IndicatorKind) -> usize {
    report.indicators.get(&kind).copied().unwrap_or(0)
}

#[test]
fn stix_2_0_attack_groups_with_aliases_and_ids() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let report = import(
        &mut catalog,
        &ti.join("mitre-attack/enterprise-attack-groups-subset.json"),
    );
    assert_eq!(report.format, Format::Stix2);
    assert!(
        report.entities[&EntityKind::Actor] >= 100,
        "{:?}",
        report.entities
    );
    assert!(report.entities[&EntityKind::Campaign] >= 30);
    let apt29 = catalog
        .find_entity(EntityKind::Actor, "Cozy Bear")
        .expect("APT29 is known by its alias");
    assert_eq!(catalog.entity(apt29).name, "APT29");
    assert_eq!(catalog.entity(apt29).external_id.as_deref(), Some("G0016"));
    assert_eq!(report.rejected_count, 0, "{:?}", report.rejected);
}

#[test]
fn stix_2_1_bundles_resolve_indicators_to_malware() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let report = import(
        &mut catalog,
        &ti.join("amnesty-investigations/2021-12-16_cytrox/cytrox.stix2"),
    );
    assert!(count(&report, IndicatorKind::Domain) > 300, "{report:?}");
    let matcher = Matcher::new(catalog, 0);
    let indicator = &matcher.catalog().indicators()[0];
    let names: Vec<_> = matcher
        .catalog()
        .attribution(indicator.attribution)
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(names, ["Predator"]);
    let mobile = import(
        &mut Catalog::new(),
        &ti.join("mitre-attack/mobile-attack-17.1.json"),
    );
    assert!(mobile.entities[&EntityKind::Malware] > 100);
}

#[test]
fn stix_or_combinations_networks_and_email_message_patterns() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let poison = import(
        &mut catalog,
        &ti.join("oasis-stix2-examples/threat-reports/poisonivy.json"),
    );
    // Each OR'd comparison becomes an indicator: more indicators than indicator objects.
    assert!(poison.indicator_count() > 25, "{poison:?}");
    assert!(count(&poison, IndicatorKind::Ip) > 0 && count(&poison, IndicatorKind::Domain) > 0);
    let apt1 = import(
        &mut catalog,
        &ti.join("oasis-stix2-examples/threat-reports/apt1.json"),
    );
    assert!(count(&apt1, IndicatorKind::Cidr) >= 4, "{apt1:?}");
    assert!(count(&apt1, IndicatorKind::Md5) > 0);
    let email = import(
        &mut catalog,
        &ti.join("oasis-stix2-examples/malicious-email-indicator-with-attachment.json"),
    );
    assert_eq!(count(&email, IndicatorKind::Subject), 1);
    assert_eq!(count(&email, IndicatorKind::FileName), 1);
    // `^[IMPORTANT] Please Review Before` is a regex: the brackets are a character class.
    let matcher = Matcher::new(catalog, chrono_now());
    let raw = b"From: a@example.org\r\nSubject: I Please Review Before Friday\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"Final Report 2024.exe\"\r\n\r\nMZ\r\n--XX--\r\n";
    let message = forewarn_mail::parse(raw).unwrap();
    let hits = matcher.match_message(&message);
    let kinds: Vec<_> = hits
        .iter()
        .map(|h| matcher.catalog().indicator(h.indicator).kind)
        .collect();
    assert!(
        kinds.contains(&IndicatorKind::Subject) && kinds.contains(&IndicatorKind::FileName),
        "{hits:?}"
    );
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn misp_events_bare_and_in_rest_responses() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let nile = import(
        &mut catalog,
        &ti.join("citizenlab-malware-indicators/201702_NilePhish/misp.json"),
    );
    assert_eq!(nile.format, Format::MispEvent);
    assert!(count(&nile, IndicatorKind::Domain) > 10, "{nile:?}");
    assert!(catalog
        .find_entity(
            EntityKind::Campaign,
            "Nile Phish - attacks again Egyptian civil society"
        )
        .is_some());
    let bare = import(
        &mut catalog,
        &ti.join("pymisp-events/reportlab_testfiles/galaxy_1.json"),
    );
    assert_eq!(bare.format, Format::MispEvent);
    assert!(
        catalog.find_entity(EntityKind::Actor, "APT1").is_some(),
        "galaxy clusters on the event name actors"
    );
    let tlp_white = catalog
        .indicators()
        .iter()
        .any(|i| i.tlp == Some(Tlp::Clear));
    assert!(tlp_white || bare.indicator_count() == 0);
    for file in fs::read_dir(ti.join("pymisp-events/reportlab_testfiles")).unwrap() {
        let report = import(&mut catalog, &file.unwrap().path());
        assert_eq!(report.format, Format::MispEvent);
    }
}

#[test]
fn misp_galaxy_clusters_give_actor_aliases() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let report = import(
        &mut catalog,
        &ti.join("misp-galaxy/clusters/threat-actor.json"),
    );
    assert!(report.entities[&EntityKind::Actor] > 500);
    let id = catalog
        .find_entity(EntityKind::Actor, "Sofacy")
        .expect("APT28's synonym");
    assert!(
        catalog.entity(id).name.contains("APT28")
            || catalog.entity(id).aliases.iter().any(|a| a == "APT28")
    );
    let vocabulary = import(&mut catalog, &ti.join("misp-galaxy/clusters/country.json"));
    assert!(vocabulary.notes[0].contains("reference vocabulary"));
}

#[test]
fn misp_csv_and_other_csv() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let iocs = import(
        &mut catalog,
        &ti.join("citizenlab-malware-indicators/201605_Stealth_Falcon/iocs.csv"),
    );
    assert_eq!(iocs.format, Format::MispCsv);
    assert!(iocs.indicator_count() > 0, "{iocs:?}");
    let c2 = import(
        &mut catalog,
        &ti.join("citizenlab-malware-indicators/201512_PackRAT/md5-c2.csv"),
    );
    assert_eq!(c2.format, Format::Csv);
    assert!(count(&c2, IndicatorKind::Md5) > 0 && count(&c2, IndicatorKind::Domain) > 0);
    assert!(catalog
        .find_entity(EntityKind::Malware, "CyberGate")
        .is_some());
    let tlv = import(
        &mut catalog,
        &ti.join("amnesty-investigations/2020-09-25_finfisher/android_tlv_list.csv"),
    );
    assert_eq!(tlv.indicator_count(), 0);
    assert!(!tlv.not_applicable.is_empty());
}

#[test]
fn plain_and_maltrail_lists() {
    let Some(ti) = threat_intel() else { return };
    let mut catalog = Catalog::new();
    let gamaredon = import(&mut catalog, &ti.join("maltrail/malware/apt_gamaredon.txt"));
    assert_eq!(gamaredon.format, Format::MaltrailList);
    assert!(
        count(&gamaredon, IndicatorKind::Domain) > 10_000,
        "{:?}",
        gamaredon.indicators
    );
    let actor = catalog
        .find_entity(EntityKind::Actor, "shuckworm")
        .expect("alias from # Aliases:");
    assert_eq!(catalog.entity(actor).name, "Gamaredon");
    let emails = import(
        &mut catalog,
        &ti.join("amnesty-investigations/2020-06-15_india/emails.txt"),
    );
    assert_eq!(emails.format, Format::PlainList);
    assert!(count(&emails, IndicatorKind::Email) > 0);
    let hashes = import(
        &mut catalog,
        &ti.join("amnesty-investigations/2020-06-15_india/sha256.txt"),
    );
    assert!(count(&hashes, IndicatorKind::Sha256) > 0);
    let packages = import(
        &mut catalog,
        &ti.join("mvt-indicators/2022-06-23_rcs_lab/package_names.txt"),
    );
    assert_eq!(packages.indicator_count(), 0);
    assert!(packages.not_applicable.contains_key("android package"));
    let index = import(&mut catalog, &ti.join("mvt-indicators/indicators.yaml"));
    assert_eq!(index.format, Format::MvtIndex);
    assert!(index.objects > 5);
}

#[test]
fn misp_feed_directory_manifest_and_events() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/intel/misp-feed");
    let mut catalog = Catalog::new();
    let manifest = import(&mut catalog, &dir.join("manifest.json"));
    assert_eq!(manifest.format, Format::MispManifest);
    assert_eq!(manifest.referenced_files.len(), 2);
    let event = import(
        &mut catalog,
        &dir.join("5f0c2a4e-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"),
    );
    assert_eq!(event.indicator_count(), 3);
    let matcher = Matcher::new(catalog, 0);
    let message =
        forewarn_mail::parse(b"From: Minister <minister.office@moh-portal.example>\r\n\r\nhi")
            .unwrap();
    let hit = &matcher.match_message(&message)[0];
    let indicator = matcher.catalog().indicator(hit.indicator);
    assert_eq!(indicator.tlp, Some(Tlp::Green));
    let names: Vec<_> = matcher
        .catalog()
        .attribution(indicator.attribution)
        .map(|e| e.name.clone())
        .collect();
    assert!(
        names.contains(&"Example Panda".to_owned())
            && names.contains(&"Fake ministry of health lures".to_owned())
    );
}

#[test]
fn indicators_naming_nobody_are_attributed_to_their_report() {
    // A plain list and a CSV from an investigation's folder name no actor: a match must still
    // say which report they come from. A list that names its actor keeps it, and a maltrail
    // list keeps its own convention.
    let mut catalog = Catalog::new();
    let report = feeds::import_from_report(
        &mut catalog,
        "investigations/2019-08-16_evolving_phishing/domains.txt",
        b"login-secure-mail.example\nverify-account.example\n",
        &feeds::report_name("2019-08-16_evolving_phishing", None),
    );
    assert_eq!(report.indicator_count(), 2);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("2019-08-16 evolving phishing")),
        "{:?}",
        report.notes
    );
    let named = feeds::import_from_report(
        &mut catalog,
        "investigations/x/apt_example.txt",
        b"# Aliases: Example Bear\nevil.example\n",
        "Some report",
    );
    assert_eq!(named.format, Format::MaltrailList);
    let matcher = Matcher::new(catalog, 0);
    let catalog = matcher.catalog();
    let of = |value: &str| -> Vec<(EntityKind, String)> {
        let indicator = catalog
            .indicators()
            .iter()
            .find(|i| &*i.value == value)
            .unwrap_or_else(|| panic!("{value} was not imported"));
        catalog
            .attribution(indicator.attribution)
            .map(|e| (e.kind, e.name.clone()))
            .collect()
    };
    assert_eq!(
        of("verify-account.example"),
        [(
            EntityKind::Campaign,
            "2019-08-16 evolving phishing".to_owned()
        )]
    );
    let actor = of("evil.example");
    assert!(
        actor.len() == 1 && actor[0].0 == EntityKind::Actor,
        "the list's own actor, not the report: {actor:?}"
    );
    assert_eq!(
        feeds::report_name(
            "2020-06-15_india",
            Some("\n# India: Human Rights Defenders Targeted\n\nIndicators of …")
        ),
        "India: Human Rights Defenders Targeted"
    );
    assert_eq!(
        feeds::report_name("plain", Some("First line\nsecond")),
        "First line"
    );
}

#[test]
fn an_investigation_folder_names_its_report() {
    let Some(ti) = threat_intel() else { return };
    let folder = ti.join("amnesty-investigations/2020-06-15_india");
    let readme = fs::read_to_string(folder.join("README.md")).ok();
    let name = feeds::report_name("2020-06-15_india", readme.as_deref());
    assert!(name.starts_with("India"), "{name}");
    let mut catalog = Catalog::new();
    let path = folder.join("domains.txt");
    let bytes = fs::read(&path).unwrap();
    let report =
        feeds::import_from_report(&mut catalog, &path.display().to_string(), &bytes, &name);
    assert!(report.indicator_count() > 0);
    let campaign = catalog
        .find_entity(EntityKind::Campaign, &name)
        .expect("the report is an entity");
    assert!(catalog.indicators().iter().all(|i| catalog
        .attribution_ids(i.attribution)
        .any(|e| *e == campaign)));
}

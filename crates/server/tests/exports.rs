//! An incident exported as a STIX 2.1 bundle and as a MISP event, read by the reference tools
//! (stix2-validator, stix2 and pymisp, installed by `.ci/run`): valid, marked with TLP 2.0, the
//! indicators, actor and techniques of its findings kept, and no organization named (issue 20).

mod common;

use common::{spawn_app, Auth, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Analysis, Envelope, IncidentDraft, IncidentKind, Severity, Source};
use forewarn_test_support::{TempDir, TestDatabase};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A lure with a known actor's domain in it, as a worker stores it.
async fn plant_incident(app: &common::TestApp) -> (forewarn_store::fixtures::Enrolled, String) {
    let store = &app.state.store;
    let clinic = enrolled_org(
        store,
        "export-clinic.example",
        &["ada@export-clinic.example"],
    )
    .await
    .unwrap();
    let findings = json!([
        {
            "detector": "intel", "cue": "intel.domain", "severity": "critical", "confidence": 90,
            "summary": "a link to a domain of a known actor",
            "indicator": { "kind": "domain", "value": "ministry-health-portal.example", "source": "example-bear.json" },
            "attribution": [{ "kind": "actor", "name": "Example Bear", "aliases": ["APT-X"] },
                            { "kind": "campaign", "name": "Vaccine survey lure", "aliases": [] }],
            "attack": ["T1566.002"], "where": "link",
            "observed": "https://ministry-health-portal.example/survey", "score": 60
        },
        {
            "detector": "intel", "cue": "intel.url", "severity": "high", "confidence": 80,
            "summary": "a known credential-harvesting page",
            "indicator": { "kind": "url", "value": "https://ministry-health-portal.example/survey?id='1'", "source": "example-bear.json" },
            "attribution": [], "attack": ["T1598.003"], "where": "link",
            "observed": "https://ministry-health-portal.example/survey", "score": 20
        }
    ]);
    let analysis = Analysis {
        header_message_id: Some("lure-1@ministry-health-portal.example".into()),
        sender: Some("Survey@Ministry-Health-Portal.example".into()),
        subject: Some("Vaccination survey for export-clinic.example staff".into()),
        verdict: "malicious".into(),
        score: 100,
        findings,
        keep_raw_until: None,
        incident: Some(IncidentDraft {
            kind: IncidentKind::CredentialPhishing,
            severity: Severity::Critical,
            actor: Some("Example Bear".into()),
            title: "Example Bear: vaccination survey lure".into(),
            keys: vec!["actor:example bear".into()],
        }),
    };
    let envelope = Envelope::new(Source::Smtp, clinic.accounts.clone());
    assert!(store
        .record_analysis(
            &clinic.org_id,
            "export-digest",
            &envelope,
            &analysis,
            b"",
            None
        )
        .await
        .unwrap());
    let incident = store
        .incidents(Some(&clinic.org_id), &forewarn_store::Page::first(10))
        .await
        .unwrap()
        .remove(0);
    (clinic, incident.id.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_an_incident_exports_as_stix_and_misp_that_the_reference_tools_read() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let (clinic, incident) = plant_incident(&app).await;
    let operator = app
        .token_for(&app.operator_email, &app.operator_password)
        .await;
    let path = format!("/orgs/{}/incidents/{incident}/export", clinic.org_id);

    let stix = app.get(&path, &operator).await;
    assert_eq!(stix.status, StatusCode::OK, "{:?}", stix.body);
    assert_eq!(
        stix.headers["content-type"],
        "application/stix+json;version=2.1"
    );
    let misp = app.get(&format!("{path}?format=misp"), &operator).await;
    assert_eq!(misp.status, StatusCode::OK, "{:?}", misp.body);
    // The same objects when exported again: consumers can de-duplicate.
    let again = app.get(&path, &operator).await;
    assert_eq!(ids(&again.body), ids(&stix.body));

    // No organization is named: not its id, its name, its domain or its people.
    let org = app
        .state
        .store
        .find_org_by_id(&clinic.org_id)
        .await
        .unwrap()
        .unwrap();
    for text in [stix.body.to_string(), misp.body.to_string()] {
        for secret in [
            clinic.org_id.as_str(),
            org.name.as_str(),
            "ada@export-clinic.example",
            "admin@export-clinic.example",
        ] {
            assert!(!text.contains(secret), "the export names {secret:?}");
        }
    }

    let dir = TempDir::new("exports");
    let bundle = dir.path().join("bundle.json");
    let event = dir.path().join("event.json");
    std::fs::write(&bundle, stix.body.to_string()).unwrap();
    std::fs::write(&event, misp.body.to_string()).unwrap();
    let Some(read) = common::interop(
        "check_exports.py",
        &[bundle.as_os_str(), event.as_os_str()],
        "stix2, stix2-validator or pymisp",
    ) else {
        return;
    };
    for kind in [
        "attack-pattern",
        "campaign",
        "email-addr",
        "email-message",
        "identity",
        "indicator",
        "intrusion-set",
        "marking-definition",
        "observed-data",
        "relationship",
        "sighting",
    ] {
        assert!(
            read["stix_types"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == kind),
            "no {kind} in {read}"
        );
    }
    assert_eq!(read["tlp"], json!(["amber+strict"]));
    let attributes = read["misp_attributes"].to_string();
    for expected in [
        r#"["domain","ministry-health-portal.example",true]"#,
        r#"["email-src","survey@ministry-health-portal.example",true]"#,
    ] {
        assert!(attributes.contains(expected), "{attributes}");
    }
    let tags = read["misp_tags"].to_string();
    assert!(
        tags.contains("tlp:amber+strict") && tags.contains("T1566.002"),
        "{tags}"
    );

    // The organization's admin may export its own incident, under another marking; nobody
    // else's, and no made-up marking.
    let green = app.get(&format!("{path}?tlp=green"), &operator).await;
    assert!(green
        .body
        .to_string()
        .contains("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"));
    let wrong = app.get(&format!("{path}?tlp=purple"), &operator).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let anonymous = app.get(&path, &Auth::Anonymous).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

fn ids(bundle: &Value) -> Vec<String> {
    let mut ids: Vec<String> = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

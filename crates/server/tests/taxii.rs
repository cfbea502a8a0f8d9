//! forewarn's TAXII 2.1 server (issue 20): the operator's indicators and their sightings in
//! members' mail, read by forewarn's own TAXII client and by the reference client
//! (taxii2-client, with stix2-validator and stix2 checking what it read, installed by
//! `.ci/run`); each reader sees what TLP 2.0 lets their role see, nothing marked RED is served,
//! sightings name no organization, and revocations go out as new versions.

mod common;

use std::sync::Arc;

use common::{spawn_app, Auth, TestApp};
use forewarn_feeds::settings::FeedSettings;
use forewarn_feeds::taxii::{Client, Position, PullOptions};
use forewarn_feeds::Credentials;
use forewarn_intel::{Catalog, Comparison, EntityKind, IndicatorKind, Matcher, NewIndicator, Tlp};
use forewarn_server::intel::IntelView;
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Actor, Analysis, Envelope, IncidentId, Source};
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};
use url::Url;

const BULK: usize = 40;

fn indicator(kind: IndicatorKind, value: &str, tlp: Option<Tlp>) -> NewIndicator {
    NewIndicator {
        kind,
        comparison: Comparison::Exact,
        value: value.to_owned(),
        confidence: 70,
        tlp,
        valid_from: Some(1_780_000_000),
        valid_until: None,
        attribution: Vec::new(),
    }
}

/// The operator's intel: a known actor's lure domain (GREEN from one source, AMBER from
/// another), a partner's AMBER domain, a RED one, an unmarked one, a CLEAR address, and
/// `bulk` GREEN domains, less those `without`.
fn catalog(without: &[&str]) -> Catalog {
    let mut catalog = Catalog::new();
    let source = catalog.add_source("partner.json");
    let bear = catalog.add_entity(EntityKind::Actor, "Example Bear", &[], Some("G9999"));
    let lure = catalog.add_entity(EntityKind::Campaign, "Vaccine survey lure", &[], None);
    let mut lure_domain = indicator(
        IndicatorKind::Domain,
        "ministry-health-portal.example",
        Some(Tlp::Green),
    );
    lure_domain.attribution = vec![bear, lure];
    catalog.add_indicator(source, lure_domain.clone());
    let other = catalog.add_source("isac.json");
    lure_domain.tlp = Some(Tlp::Amber);
    catalog.add_indicator(other, lure_domain);
    for (kind, value, tlp) in [
        (
            IndicatorKind::Domain,
            "amber-partner.example",
            Some(Tlp::Amber),
        ),
        (IndicatorKind::Domain, "red-only.example", Some(Tlp::Red)),
        (IndicatorKind::Domain, "unmarked.example", None),
        (IndicatorKind::Email, "lure@clear.example", Some(Tlp::Clear)),
    ] {
        catalog.add_indicator(source, indicator(kind, value, tlp));
    }
    for n in 0..BULK {
        let value = format!("bulk-{n}.example");
        if !without.contains(&value.as_str()) {
            catalog.add_indicator(
                source,
                indicator(IndicatorKind::Domain, &value, Some(Tlp::Green)),
            );
        }
    }
    catalog
}

async fn publish(app: &TestApp, catalog: Catalog) -> (usize, usize) {
    let matcher = Arc::new(Matcher::new(catalog, chrono::Utc::now().timestamp()));
    app.state.intel.set(IntelView::new(matcher, &[]));
    forewarn_server::sharing::publish(&app.state, &mut None)
        .await
        .unwrap()
}

/// A message in which `domains` of known intel were found, as a worker stores it.
async fn sighted(app: &TestApp, org: &forewarn_store::OrgId, digest: &str, domains: &[&str]) {
    let findings: Vec<Value> = domains
        .iter()
        .map(|domain| {
            json!({
                "detector": "intel", "cue": "intel.domain", "severity": "high", "confidence": 80,
                "summary": "a link to a domain of a known actor",
                "indicator": { "kind": "domain", "value": domain, "source": "partner.json" },
                "attribution": [], "attack": [], "where": "link", "observed": domain, "score": 40
            })
        })
        .collect();
    let analysis = Analysis {
        header_message_id: None,
        sender: Some("survey@ministry-health-portal.example".into()),
        subject: Some("Vaccination survey".into()),
        verdict: "malicious".into(),
        score: 90,
        findings: json!(findings),
        keep_raw_until: None,
        incident: None,
    };
    let envelope = Envelope::new(Source::Smtp, Vec::new());
    app.state
        .store
        .record_analysis(org, digest, &envelope, &analysis, b"", None)
        .await
        .unwrap();
}

fn bearer(auth: &Auth) -> String {
    match auth {
        Auth::Bearer(token) => token.clone(),
        _ => panic!("an API token"),
    }
}

/// Every object of every collection, by collection title, read with forewarn's own client
/// page by page from `positions` (updated as a feed reader stores them).
async fn pull_all(
    app: &TestApp,
    token: &str,
    positions: &mut std::collections::BTreeMap<String, Position>,
) -> std::collections::BTreeMap<String, Vec<Value>> {
    let fetcher = FeedSettings {
        allow_private: true,
        ..FeedSettings::default()
    }
    .fetcher();
    let client = Client::new(fetcher, Credentials::Bearer(token.to_owned()));
    let discovery = client
        .discovery(&Url::parse(&format!("{}/taxii2/", app.base)).unwrap())
        .await
        .unwrap();
    assert_eq!(discovery.api_roots.len(), 1);
    let root = Url::parse(&discovery.api_roots[0]).unwrap();
    let collections = client.collections(&root).await.unwrap();
    assert_eq!(collections.len(), 2);
    let mut read = std::collections::BTreeMap::new();
    for collection in collections {
        let url = root
            .join(&format!("collections/{}/", collection.id))
            .unwrap();
        let position = positions.remove(&collection.title).unwrap_or_default();
        let options = PullOptions {
            limit: 10,
            ..PullOptions::default()
        };
        let mut pull = client.pull(&url, position.clone(), options).unwrap();
        let mut objects = Vec::new();
        let mut last = position;
        while let Some(page) = pull.next_page().await.unwrap() {
            objects.extend(page.objects);
            last = page.position;
        }
        positions.insert(collection.title.clone(), last);
        read.insert(collection.title, objects);
    }
    read
}

/// A JSON document outside the API, with the token as a bearer token.
async fn http_get(app: &TestApp, path: &str, auth: &Auth) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .bearer_auth(bearer(auth))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn ids_of(objects: &[Value], kind: &str) -> Vec<String> {
    objects
        .iter()
        .filter(|o| o["type"] == kind)
        .map(|o| o["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_the_taxii_server_shares_indicators_and_sightings_as_tlp_allows() {
    for db in TestDatabase::all().await {
        taxii_server(&db).await;
    }
}

async fn taxii_server(db: &TestDatabase) {
    let app = spawn_app(db, common::Peers::NONE).await;
    let store = &app.state.store;
    let clinic = enrolled_org(store, "taxii-clinic.example", &["ada@taxii-clinic.example"])
        .await
        .unwrap();
    let hash = forewarn_server::auth::hash_password("the admin's long passphrase".into())
        .await
        .unwrap();
    assert!(store.accept_invitation(&clinic.admin, &hash).await.unwrap());
    let operator = app
        .token_for(&app.operator_email, &app.operator_password)
        .await;
    let admin = app
        .token_for("admin@taxii-clinic.example", "the admin's long passphrase")
        .await;

    let (indicators, sightings) = publish(&app, catalog(&[])).await;
    assert!(indicators > BULK, "{indicators}");
    assert_eq!(sightings, 0);
    // Nothing changed, nothing new.
    assert_eq!(publish(&app, catalog(&[])).await, (0, 0));
    sighted(
        &app,
        &clinic.org_id,
        "m1",
        &["ministry-health-portal.example", "red-only.example"],
    )
    .await;
    sighted(
        &app,
        &clinic.org_id,
        "m2",
        &["ministry-health-portal.example"],
    )
    .await;
    sighted(&app, &clinic.org_id, "m3", &["amber-partner.example"]).await;
    assert_eq!(
        publish(&app, catalog(&[])).await.1,
        2,
        "two sightings: GREEN and AMBER"
    );

    // The operator's staff read CLEAR, GREEN and AMBER; RED never.
    let mut staff_positions = Default::default();
    let staff = pull_all(&app, &bearer(&operator), &mut staff_positions).await;
    let shared = ids_of(&staff["Indicators"], "indicator");
    assert_eq!(shared.len(), BULK + 4, "{shared:?}");
    for name in [
        "ministry-health-portal[.]example",
        "amber-partner[.]example",
        "unmarked[.]example",
        "lure@clear[.]example",
    ] {
        assert!(shared.iter().any(|s| s == name), "{name} in {shared:?}");
    }
    let everything = serde_json::to_string(&staff).unwrap();
    assert!(!everything.contains("red-only"), "RED is never shared");
    assert!(!everything.contains(Tlp::Red.marking_id()));
    // The lure domain is shared once, as GREEN (one source allowed that much), with its actor.
    let lure = staff["Indicators"]
        .iter()
        .find(|o| o["name"] == "ministry-health-portal[.]example")
        .unwrap();
    assert_eq!(
        lure["object_marking_refs"],
        json!([Tlp::Green.marking_id()])
    );
    assert_eq!(
        lure["pattern"],
        "[domain-name:value = 'ministry-health-portal.example']"
    );
    assert_eq!(
        ids_of(&staff["Indicators"], "intrusion-set"),
        ["Example Bear"]
    );
    assert!(staff["Indicators"]
        .iter()
        .any(|o| o["type"] == "relationship" && o["source_ref"] == lure["id"]));

    // Sightings count messages, are time-bounded, and name no organization.
    let seen: Vec<&Value> = staff["Sightings"]
        .iter()
        .filter(|o| o["type"] == "sighting")
        .collect();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let of_lure = seen
        .iter()
        .find(|s| s["sighting_of_ref"] == lure["id"])
        .unwrap();
    assert_eq!(of_lure["count"], 2);
    assert!(of_lure["first_seen"].is_string() && of_lure["last_seen"].is_string());
    let class = staff["Sightings"]
        .iter()
        .find(|o| o["id"] == of_lure["where_sighted_refs"][0])
        .unwrap();
    assert_eq!(class["identity_class"], "class");
    let sightings_text = serde_json::to_string(&staff["Sightings"]).unwrap();
    for secret in [
        clinic.org_id.as_str(),
        "taxii-clinic",
        "ada@",
        "admin@",
        clinic.accounts[0].as_str(),
    ] {
        assert!(
            !sightings_text.contains(secret),
            "{secret} in the sightings"
        );
    }

    // A member organization reads CLEAR and GREEN only.
    let member = pull_all(&app, &bearer(&admin), &mut Default::default()).await;
    let theirs = ids_of(&member["Indicators"], "indicator");
    assert_eq!(theirs.len(), BULK + 2, "{theirs:?}");
    assert!(!theirs
        .iter()
        .any(|s| s.contains("amber") || s.contains("unmarked")));
    let their_sightings: Vec<&Value> = member["Sightings"]
        .iter()
        .filter(|o| o["type"] == "sighting")
        .collect();
    assert_eq!(
        their_sightings.len(),
        1,
        "the AMBER indicator's sighting stays with the staff"
    );

    // An analyst's revocation and a feed dropping an indicator go out as new versions; a
    // reader resuming from where it stopped gets just those.
    store
        .revoke_indicators(
            &Actor(None),
            &IncidentId("incident-1".into()),
            &[("domain".into(), "bulk-3.example".into())],
            "a newsletter, not a lure",
        )
        .await
        .unwrap();
    let (changed, _) = publish(&app, catalog(&["bulk-3.example", "bulk-4.example"])).await;
    assert_eq!(changed, 2);
    let later = pull_all(&app, &bearer(&operator), &mut staff_positions).await;
    assert_eq!(later["Indicators"].len(), 2, "{:?}", later["Indicators"]);
    let revoked = later["Indicators"]
        .iter()
        .find(|o| o["name"] == "bulk-3[.]example")
        .unwrap();
    assert_eq!(revoked["revoked"], true);
    assert!(revoked["modified"].as_str() > revoked["created"].as_str());
    let dropped = later["Indicators"]
        .iter()
        .find(|o| o["name"] == "bulk-4[.]example")
        .unwrap();
    assert!(dropped["valid_until"].is_string());
    assert!(later["Sightings"].is_empty());

    let http = reqwest::Client::new();
    // The same sightings as MISP reads them, with no organization; a member organization
    // gets the GREEN one only.
    let misp = app.get("/sightings", &operator).await;
    assert_eq!(misp.status, StatusCode::OK, "{}", misp.body);
    assert_eq!(misp.body.as_array().unwrap().len(), 2, "{}", misp.body);
    let text = misp.body.to_string();
    assert!(!text.contains("org_id") && !text.contains("Organisation"));
    assert!(!text.contains(clinic.org_id.as_str()) && !text.contains("red-only"));
    let lure_sighting = misp
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sighting"]["value"] == "ministry-health-portal.example")
        .unwrap();
    assert_eq!(lure_sighting["Sighting"]["count"], 2);
    assert_eq!(
        format!(
            "indicator--{}",
            lure_sighting["Sighting"]["attribute_uuid"]
                .as_str()
                .unwrap()
        ),
        lure["id"].as_str().unwrap()
    );
    let theirs = app.get("/sightings", &admin).await;
    assert_eq!(theirs.body.as_array().unwrap().len(), 1, "{}", theirs.body);
    assert_eq!(
        app.get("/sightings?limit=0", &admin).await.status,
        StatusCode::BAD_REQUEST
    );
    let dir = forewarn_test_support::TempDir::new("forewarn-taxii-misp");
    std::fs::write(dir.path().join("sightings.json"), misp.body.to_string()).unwrap();

    // The indicators as one STIX bundle: the collection's latest versions, by role.
    let bundle = app.get("/indicators", &operator).await;
    assert_eq!(bundle.status, StatusCode::OK, "{}", bundle.body);
    assert_eq!(
        bundle.headers["content-type"],
        "application/stix+json;version=2.1"
    );
    let bundled = bundle.body["objects"].as_array().unwrap();
    assert_eq!(bundled.len(), staff["Indicators"].len());
    assert!(bundled
        .iter()
        .any(|o| o["name"] == "bulk-3[.]example" && o["revoked"] == true));
    std::fs::write(dir.path().join("bundle.json"), bundle.body.to_string()).unwrap();
    let their_bundle = app.get("/indicators", &admin).await;
    assert!(!their_bundle.body.to_string().contains("amber-partner"));

    // And as a MISP feed, which forewarn's own MISP feed reader reads back: what a member
    // organization may see, without the revoked and the expired, the actor kept.
    let manifest = http_get(&app, "/misp-feed/manifest.json", &admin).await;
    let listed = forewarn_intel::feeds::misp::import_manifest("manifest.json", &manifest);
    assert!(listed.rejected.is_empty(), "{:?}", listed.rejected);
    std::fs::create_dir(dir.path().join("events")).unwrap();
    let mut read_back = Catalog::new();
    for file in &listed.referenced_files {
        let event = http_get(&app, &format!("/misp-feed/{file}"), &admin).await;
        assert!(!event.to_string().contains("amber") && !event.to_string().contains("red-only"));
        std::fs::write(dir.path().join("events").join(file), event.to_string()).unwrap();
        let report =
            forewarn_intel::feeds::import(&mut read_back, file, event.to_string().as_bytes());
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    }
    let values: Vec<String> = read_back
        .indicators()
        .iter()
        .map(|i| i.value.to_string())
        .collect();
    assert_eq!(values.len(), BULK + 2 - 2, "{values:?}");
    assert!(!values
        .iter()
        .any(|v| v == "bulk-3.example" || v == "bulk-4.example"));
    let lure_read = read_back
        .indicators()
        .iter()
        .find(|i| &*i.value == "ministry-health-portal.example")
        .unwrap();
    assert!(read_back
        .attribution(lure_read.attribution)
        .any(|e| e.name == "Example Bear"));
    assert_eq!(
        http.get(format!("{}/misp-feed/manifest.json", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // The reference client reads both collections page by page, the manifest and the revoked
    // indicator's versions; stix2-validator and stix2 accept everything it read.
    let discovery = format!("{}/taxii2/", app.base);
    let token = bearer(&operator);
    let Some(read) = common::interop(
        "read_taxii.py",
        &[
            discovery.as_ref(),
            token.as_ref(),
            "10".as_ref(),
            dir.path().as_os_str(),
        ],
        "taxii2-client, stix2, stix2-validator or pymisp",
    ) else {
        return;
    };
    assert_eq!(read["api_roots"], 1);
    let indicators = &read["collections"]["Indicators"];
    assert_eq!(indicators["can_write"], false);
    assert!(indicators["pages"].as_u64().unwrap() > 1, "{indicators}");
    assert_eq!(
        indicators["objects"].as_array().unwrap().len(),
        staff["Indicators"].len(),
        "the latest version of each object"
    );
    assert_eq!(
        indicators["manifest"],
        indicators["objects"].as_array().unwrap().len()
    );
    assert_eq!(
        indicators["revoked_versions"][revoked["id"].as_str().unwrap()]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let sightings = &read["collections"]["Sightings"]["sightings"];
    assert_eq!(sightings.as_array().unwrap().len(), 2, "{sightings}");
    let events = read["misp_events"].as_array().unwrap();
    assert_eq!(
        events.len(),
        listed.referenced_files.len(),
        "pymisp loads every event"
    );
    assert!(
        events.iter().any(|e| e["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "misp-galaxy:threat-actor=\"Example Bear\"")),
        "{events:?}"
    );
    let loaded = read["misp_sightings"].as_array().unwrap();
    assert_eq!(
        loaded.len(),
        2,
        "pymisp loads every MISP sighting: {loaded:?}"
    );
    assert!(loaded
        .iter()
        .all(|s| !s["fields"].to_string().contains("org")));

    // Refusals say why, as TAXII error messages.
    let root = format!("{}/taxii2/api/", app.base);
    let collection = read["collections"]["Indicators"]["id"].as_str().unwrap();
    let objects = format!("{root}collections/{collection}/objects/");
    for (request, status) in [
        (http.get(&root), StatusCode::UNAUTHORIZED),
        (
            http.get(&root).bearer_auth("fw_0123_not-a-token"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            http.get(&root)
                .bearer_auth(bearer(&operator))
                .header("accept", "text/html"),
            StatusCode::NOT_ACCEPTABLE,
        ),
        (
            http.get(format!("{objects}?limit=many"))
                .bearer_auth(bearer(&operator)),
            StatusCode::BAD_REQUEST,
        ),
        (
            http.get(format!("{objects}?added_after=yesterday"))
                .bearer_auth(bearer(&operator)),
            StatusCode::BAD_REQUEST,
        ),
        (
            http.post(&objects)
                .bearer_auth(bearer(&operator))
                .body("{}"),
            StatusCode::FORBIDDEN,
        ),
        (
            http.get(format!("{root}collections/not-a-collection/objects/"))
                .bearer_auth(bearer(&operator)),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/taxii+json"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["http_status"], status.as_u16().to_string());
        assert!(body["description"].is_string());
    }
    // Basic authentication with the token as the password, for clients that only know Basic.
    let basic = http
        .get(format!("{objects}?match[type]=intrusion-set"))
        .basic_auth("anyone", Some(bearer(&admin)))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    let body: Value = basic.json().await.unwrap();
    assert_eq!(body["objects"].as_array().unwrap().len(), 1);
}

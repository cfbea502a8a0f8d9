//! The web pages people wait on, measured server-side through the whole router (session
//! lookup, queries, rendering) on the embedded default, SQLite, with 10,000 incidents stored:
//! an organization's incident timeline, an incident, the analysts' queue and the operator's
//! dashboard. The aim is under 200 ms each.
//!
//! Run: `cargo bench -p forewarn-server --bench pages`

use axum::body::Body;
use axum::http::Request;
use divan::Bencher;
use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_server::{AppState, Parts, Service, Settings};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{
    Analysis, Envelope, IncidentDraft, IncidentStatus, NewNotification, OrgId, Page, Recorded,
    Source,
};
use tower::ServiceExt;

const INCIDENTS: usize = 10_000;
const ORGS: usize = 20;

fn main() {
    divan::main();
}

struct World {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    operator: String,
    admin: String,
    /// The organization with the most incidents, and one of its incidents.
    org: OrgId,
    incident: String,
    _data: forewarn_test_support::TempDir,
}

fn world() -> &'static World {
    static WORLD: std::sync::OnceLock<World> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let data = forewarn_test_support::TempDir::new("forewarn-bench-pages");
        let (state, operator, admin, org, incident) = runtime.block_on(seed(&data));
        World {
            router: forewarn_server::app(state),
            runtime,
            operator,
            admin,
            org,
            incident,
            _data: data,
        }
    })
}

/// A fresh instance with 20 organizations and 10,000 incidents, half of them in one
/// organization, most of them told; returns session cookies for the operator and that
/// organization's admin.
async fn seed(data: &forewarn_test_support::TempDir) -> (AppState, String, String, OrgId, String) {
    let store = forewarn_store::Store::connect(&format!(
        "sqlite://{}",
        data.path().join("forewarn.db").display()
    ))
    .await
    .unwrap();
    let outbox = forewarn_notify::MailConfig::Outbox {
        dir: data.path().join("outbox"),
    };
    let parts = Parts {
        spool: Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()),
        store,
        mailer: std::sync::Arc::new(
            forewarn_notify::Mailer::new(&outbox, "forewarn@cert.example").unwrap(),
        ),
        webhooks: std::sync::Arc::new(forewarn_notify::WebhookSettings::default().sender()),
        incidents_due: Default::default(),
    };
    let service = Service::start(Settings::default(), parts).await.unwrap();
    let state = service.state.clone();
    let store = &state.store;
    let mut orgs = Vec::new();
    for i in 0..ORGS {
        let domain = format!("clinic-{i}.example");
        orgs.push(
            enrolled_org(store, &domain, &[&format!("staff@{domain}")])
                .await
                .unwrap(),
        );
    }
    let envelopes: Vec<Envelope> = orgs
        .iter()
        .map(|o| Envelope::new(Source::Smtp, o.accounts.clone()))
        .collect();
    let analyses: Vec<(usize, String, Analysis)> = (0..INCIDENTS)
        .map(|n| {
            // Half the incidents belong to the first organization.
            let org = if n % 2 == 0 { 0 } else { n % ORGS };
            let analysis = Analysis {
                header_message_id: Some(format!("{n}@lure.example")),
                sender: Some(format!("notice-{n}@ministry-{}.example", n % 97)),
                subject: Some(format!("Vaccination schedule update {n}")),
                verdict: "malicious".into(),
                score: 90,
                findings: serde_json::json!([
                    { "detector": "lookalike", "summary": "the sender's domain imitates a health ministry", "observed": format!("ministry-{}.example", n % 97),
                      "where": "from", "confidence": 85, "attack": ["T1566.002"], "attribution": [], "score": 45 },
                    { "detector": "links", "summary": "a link leads to a login form on another domain", "observed": format!("https://login-{n}.example/owa"),
                      "where": "html-link", "confidence": 80, "attack": ["T1598.003"], "attribution": [], "score": 45 }
                ]),
                keep_raw_until: None,
                incident: Some(IncidentDraft {
                    kind: forewarn_store::IncidentKind::ALL[n % forewarn_store::IncidentKind::ALL.len()],
                    severity: forewarn_store::Severity::ALL[n % forewarn_store::Severity::ALL.len()],
                    actor: (n % 3 == 0).then(|| format!("Actor {}", n % 12)),
                    title: format!("Vaccination schedule update {n}"),
                    keys: vec![format!("sender:notice-{n}")],
                }),
            };
            (org, format!("{n:064x}"), analysis)
        })
        .collect();
    for chunk in analyses.chunks(500) {
        let recorded: Vec<Recorded> = chunk
            .iter()
            .map(|(org, digest, analysis)| Recorded {
                org: &orgs[*org].org_id,
                digest,
                envelope: &envelopes[*org],
                analysis,
                raw: b"",
                spool: None,
            })
            .collect();
        store.record_analyses(&recorded).await.unwrap();
    }
    // Nine in ten were told, one notification each.
    let mut after = None;
    let mut total = 0;
    loop {
        let page = store
            .incidents(
                None,
                &Page {
                    after: after.clone(),
                    limit: 500,
                },
            )
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        total += page.len();
        after = page.last().map(|i| i.id.0.clone());
        let told: Vec<_> = page
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 10 != 0)
            .map(|(_, i)| i)
            .collect();
        let notifications: Vec<NewNotification> = told
            .iter()
            .map(|i| NewNotification {
                incident_id: i.id.clone(),
                org_id: i.org_id.clone(),
                channel: "email".into(),
                recipient: format!("contact-{}", i.org_id),
                idem_key: format!("{}:email", i.id),
                subject: i.title.clone(),
                body_text: String::new(),
                body_html: String::new(),
            })
            .collect();
        let ids: Vec<_> = told.iter().map(|i| i.id.clone()).collect();
        store
            .plan_notifications(&notifications, &ids)
            .await
            .unwrap();
    }
    assert_eq!(total, INCIDENTS);
    let (operator, _) = store
        .find_credentials_by_email(&state.config.operator_email)
        .await
        .unwrap()
        .expect("the first operator");
    // Staff sign in with a second factor; this one counts as given in the session.
    let app = store
        .insert_totp(&operator, "phone", "JBSWY3DPEHPK3PXP")
        .await
        .unwrap();
    assert!(store.confirm_totp(&operator, &app.id, 1).await.unwrap());
    let operator = session(&state, &operator.id).await;
    let clinic = &orgs[0];
    // The admin accepts the invitation, as they would from the mailed link.
    let hash = forewarn_server::auth::hash_password("bench-password-123".into())
        .await
        .unwrap();
    store.accept_invitation(&clinic.admin, &hash).await.unwrap();
    let admin = session(&state, &clinic.admin).await;
    let incident = store
        .recent_incidents(&clinic.org_id, None, 1)
        .await
        .unwrap()
        .remove(0)
        .id
        .0;
    let waiting = store
        .incidents_in_state(Some(IncidentStatus::New), &Page::default())
        .await
        .unwrap();
    assert!(!waiting.is_empty());
    (state, operator, admin, clinic.org_id.clone(), incident)
}

/// A session cookie for this person, as signing in would set.
async fn session(state: &AppState, user: &forewarn_store::UserId) -> String {
    let secret = forewarn_server::auth::new_secret();
    state
        .store
        .insert_session(
            &forewarn_server::auth::digest(&secret),
            user,
            "csrf",
            chrono::Duration::hours(1),
            true,
        )
        .await
        .unwrap();
    format!("forewarn_session={secret}")
}

/// One whole request, answered and read to the end.
fn get(world: &World, path: &str, cookie: &str) -> usize {
    world.runtime.block_on(async {
        let request = Request::get(path)
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        let response = world.router.clone().oneshot(request).await.unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .len()
    })
}

#[divan::bench]
fn incident_timeline(bencher: Bencher) {
    let world = world();
    let path = format!("/ui/orgs/{}/incidents", world.org);
    bencher.bench(|| get(world, &path, &world.admin));
}

#[divan::bench]
fn incident_page(bencher: Bencher) {
    let world = world();
    let path = format!("/ui/orgs/{}/incidents/{}", world.org, world.incident);
    bencher.bench(|| get(world, &path, &world.admin));
}

#[divan::bench]
fn triage_queue(bencher: Bencher) {
    let world = world();
    bencher.bench(|| get(world, "/ui/triage", &world.operator));
}

#[divan::bench]
fn operator_dashboard(bencher: Bencher) {
    let world = world();
    bencher.bench(|| get(world, "/ui/dashboard", &world.operator));
}

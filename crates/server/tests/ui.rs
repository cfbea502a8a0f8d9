//! The web pages over plain HTTP, for what a browser test cannot easily show: forms without
//! the session's CSRF token or from another site change nothing, signing in never sends the
//! browser elsewhere, every page forbids what is not forewarn's own, and the language follows
//! the browser until the reader picks one.

mod common;

use common::{first_start, spawn_app, spawn_app_with, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_sessions_headers_and_languages() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let http = &app.http;
    let url = |path: &str| format!("{}{path}", app.base);

    // Not signed in: sent to sign in, and back to the page afterwards.
    let home = http.get(url("/ui/triage?after=1")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        home.headers()["location"],
        "/ui/login?next=/ui/triage%3Fafter%3D1"
    );

    // The login page speaks the browser's language, and a chosen one wins.
    let french = http
        .get(url("/ui/login"))
        .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let csp = french.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("form-action 'self'"));
    assert!(
        french.headers().get("strict-transport-security").is_none(),
        "no HSTS under a plain http public_url"
    );
    let text = french.text().await.unwrap();
    assert!(text.contains("<html lang=\"fr\" dir=\"ltr\">") && text.contains("Se connecter"));
    let chosen = http
        .get(url("/ui/login"))
        .header("accept-language", "fr")
        .header("cookie", "forewarn_lang=ar")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(chosen.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let css = http
        .get(url("/ui/assets/forewarn.css"))
        .send()
        .await
        .unwrap();
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));

    // A wrong password is told as such; the right one never leads off-site.
    let login = |next: &'static str, password: String| {
        http.post(url("/ui/login")).form(&[
            ("email", app.operator_email.clone()),
            ("password", password),
            ("next", next.to_owned()),
        ])
    };
    let wrong = login("/ui", "not the password".into())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    for next in [
        "https://evil.example/",
        "//evil.example/ui",
        "/ui\\@evil.example",
    ] {
        let signed_in = login(next, app.operator_password.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{next}");
        // The operator's second factor comes first, then forewarn's own home page.
        assert_eq!(
            signed_in.headers()["location"],
            "/ui/second-factor?next=/ui",
            "{next}"
        );
    }
    let cross_site = login("/ui", app.operator_password.clone())
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert!(cross_site.headers().get("set-cookie").is_none());

    // A change needs the session's token, from forewarn's own pages.
    let (cookie, token) = operator_session(&app).await;
    let store = &app.state.store;
    let clinic = enrolled_org(store, "ui-clinic.example", &[]).await.unwrap();
    let suspend = |csrf: Option<&str>, site: &str| {
        let mut form = vec![("status", "suspended".to_owned())];
        if let Some(csrf) = csrf {
            form.push(("csrf", csrf.to_owned()));
        }
        http.post(url(&format!("/ui/orgs/{}/status", clinic.org_id)))
            .header("cookie", &cookie)
            .header("sec-fetch-site", site)
            .form(&form)
    };
    for (csrf, site) in [
        (None, "same-origin"),
        (Some("0000"), "same-origin"),
        (Some(token.as_str()), "cross-site"),
    ] {
        let refused = suspend(csrf, site).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{csrf:?} {site}");
    }
    let org = store.find_org_by_id(&clinic.org_id).await.unwrap().unwrap();
    assert_eq!(
        org.status,
        forewarn_store::OrgStatus::Active,
        "nothing changed"
    );
    // A body over the limit is refused with a page that says so, and changes nothing.
    let huge = http
        .post(url(&format!("/ui/orgs/{}/status", clinic.org_id)))
        .header("cookie", &cookie)
        .form(&[
            ("status", "suspended".to_owned()),
            ("csrf", token.clone()),
            (
                "padding",
                "x".repeat(app.state.config.limits.max_body_bytes + 1),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huge.text().await.unwrap().contains("larger than"));
    let org = store.find_org_by_id(&clinic.org_id).await.unwrap().unwrap();
    assert_eq!(org.status, forewarn_store::OrgStatus::Active);
    let done = suspend(Some(&token), "same-origin").send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/ui/dashboard#pending");
    let org = store.find_org_by_id(&clinic.org_id).await.unwrap().unwrap();
    assert_eq!(org.status, forewarn_store::OrgStatus::Suspended);
    // From the organization's own page, back to it.
    let reinstated = http
        .post(url(&format!("/ui/orgs/{}/status", clinic.org_id)))
        .header("cookie", &cookie)
        .form(&[
            ("status", "active"),
            ("back", "org"),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        reinstated.headers()["location"],
        format!("/ui/orgs/{}", clinic.org_id).as_str()
    );

    // Signing out ends the session.
    let out = http
        .post(url("/ui/logout"))
        .header("cookie", &cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = http
        .get(url("/ui/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
}

/// A page's HTML, for the session of `cookie`.
async fn page_text(app: &common::TestApp, cookie: &str, path: &str) -> String {
    app.http
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Signs in as the operator: the session cookie and the CSRF token of its forms.
async fn operator_session(app: &common::TestApp) -> (String, String) {
    let (cookie, page) = signed_in_page(app, "/ui/programs").await;
    (cookie, csrf_of(&page))
}

/// Signs in as the operator with the password `app` holds, then reads `path`: the session
/// cookie and the page.
async fn signed_in_page(app: &common::TestApp, path: &str) -> (String, String) {
    // Signed in over the API, password and passkey; the session cookie is the same one.
    let common::Auth::Session { cookie, .. } = app
        .sign_in(&app.operator_email, &app.operator_password)
        .await
    else {
        unreachable!("signing in gives a session")
    };
    let page = page_text(app, &cookie, path).await;
    (cookie, page)
}

/// The CSRF token a page's forms carry.
fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every form carries the token")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_create_and_change_programs() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let url = |path: &str| format!("{}{path}", app.base);
    let (cookie, token) = operator_session(&app).await;
    let store = &app.state.store;
    let before = store.programs().await.unwrap().len();

    let post = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, &str)> = fields;
        form.push(("csrf", token.as_str()));
        app.http
            .post(url(&path))
            .header("cookie", &cookie)
            .form(&form)
    };
    // Bad input is told field by field and creates nothing.
    for (fields, told) in [
        (
            vec![("countries", "NE"), ("ends_on", "next spring")],
            "is not a date",
        ),
        (
            vec![("countries", "Mali, NE")],
            "\"Mali\" is not an ISO 3166-1",
        ),
        (
            vec![("countries", "NE"), ("notify_at", "sometimes")],
            "not complete",
        ),
    ] {
        let mut form = vec![
            ("name", "Clinics of the Sahel"),
            ("sectors", "healthcare"),
            ("notify_at", "high"),
        ];
        form.retain(|(name, _)| fields.iter().all(|(f, _)| f != name));
        form.extend(fields);
        let refused = post("/ui/programs".into(), form).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{told}");
        let page = refused.text().await.unwrap().replace("&quot;", "\"");
        assert!(page.contains(told), "{told}: {page}");
    }
    assert_eq!(store.programs().await.unwrap().len(), before);

    let created = post(
        "/ui/programs".into(),
        vec![
            ("name", "Clinics of the Sahel"),
            ("description", "Rural clinics and their partners."),
            ("sectors", "healthcare, ngo"),
            ("countries", "ml ne; BF"),
            ("ends_on", "2031-06-30"),
            ("notify_at", "medium"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let program = store
        .programs()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Clinics of the Sahel")
        .expect("the program was created");
    assert_eq!(program.sectors, ["healthcare", "ngo"]);
    assert_eq!(program.countries, ["BF", "ML", "NE"]);
    assert_eq!(program.ends_on.unwrap().to_string(), "2031-06-30");
    assert_eq!(program.notify_at, forewarn_store::NotifyAt::Medium);
    assert_eq!(
        created.headers()["location"],
        format!("/ui/programs#program-{}", program.id.0).as_str()
    );

    // The page shows it, with its own form; changing it can also take the end date away.
    let page = page_text(&app, &cookie, "/ui/programs").await;
    assert!(page.contains(&format!("id=\"program-{}\"", program.id.0)));
    assert!(page.contains("value=\"2031-06-30\""));
    let changed = post(
        format!("/ui/programs/{}", program.id.0),
        vec![
            ("name", "Clinics of the Sahel and the Lakes"),
            ("description", ""),
            ("sectors", "healthcare"),
            ("countries", "ML, NE, BF, TD"),
            ("ends_on", ""),
            ("notify_at", "never"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let program = store
        .find_program_by_id(&program.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(program.name, "Clinics of the Sahel and the Lakes");
    assert_eq!(program.ends_on, None);
    assert_eq!(program.countries, ["BF", "ML", "NE", "TD"]);
    assert_eq!(program.notify_at, forewarn_store::NotifyAt::Never);

    // Without a session the page asks to sign in; a missing program is not found.
    let anonymous = app.http.get(url("/ui/programs")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let missing = post(
        "/ui/programs/no-such-program".into(),
        vec![
            ("name", "x"),
            ("sectors", "healthcare"),
            ("countries", "FR"),
            ("notify_at", "high"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_the_first_sign_in_leads_to_choosing_a_password() {
    let db = TestDatabase::sqlite();
    let app = first_start(&db, Peers::NONE).await;
    let url = |path: &str| format!("{}{path}", app.base);
    let (cookie, page) = signed_in_page(&app, "/ui/password").await;
    assert!(page.contains("one-time password"), "{page}");
    let token = csrf_of(&page);
    // Every other page sends the operator to the password form.
    for path in ["/ui", "/ui/dashboard", "/ui/orgs", "/ui/programs"] {
        let sent = app
            .http
            .get(url(path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(sent.headers()["location"], "/ui/password", "{path}");
    }
    let submit = |new: &str| {
        app.http
            .post(url("/ui/password"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", token.as_str()),
                ("current", app.operator_password.as_str()),
                ("new", new),
            ])
            .send()
    };
    let weak = submit("welcome12345").await.unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("breaches"));
    let done = submit("quiet harbour lantern seventeen").await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/ui/login?changed=1");
    let notice = page_text(&app, "", "/ui/login?changed=1").await;
    assert!(notice.contains("Sign in with the new password"), "{notice}");
    // The session it was changed in has ended with the old password.
    let ended = app
        .http
        .get(url("/ui/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert!(ended.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/ui/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_https_browsers_are_told_to_stay_on_https() {
    let db = TestDatabase::sqlite();
    let app = spawn_app_with(&db, Peers::NONE, |settings| {
        settings.public_url = "https://forewarn.cert.example".into();
    })
    .await;
    for path in ["/healthz", "/ui/login", "/api/v1/openapi.json"] {
        let answer = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_operators_manage_feeds_in_the_ui() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let url = |path: &str| format!("{}{path}", app.base);
    let (cookie, page) = signed_in_page(&app, "/ui/feeds").await;
    assert!(page.contains("Add a feed"), "{page}");
    let token = csrf_of(&page);
    let post = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, &str)> = fields;
        form.push(("csrf", token.as_str()));
        app.http
            .post(url(&path))
            .header("cookie", &cookie)
            .form(&form)
    };
    // A bad feed is told field by field; loopback is refused by default.
    let refused = post(
        "/ui/feeds".into(),
        vec![
            ("name", "Local"),
            ("kind", "url"),
            ("location", "http://127.0.0.1/feed.json"),
            ("every_minutes", "60"),
            ("tlp", "amber"),
            ("confidence", "50"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("not the public internet"));

    let added = post(
        "/ui/feeds".into(),
        vec![
            ("name", "Partner MISP"),
            ("kind", "misp-feed"),
            ("location", "https://misp.partner.example/feed/"),
            ("every_minutes", "120"),
            ("tlp", "green"),
            ("confidence", "70"),
            ("user", "forewarn"),
            ("password", "feed-password-never-shown"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let feeds = app.state.store.feeds().await.unwrap();
    let feed = feeds.iter().find(|f| f.name == "Partner MISP").unwrap();
    assert!(feed.has_credentials);
    let page = page_text(&app, &cookie, "/ui/feeds").await;
    assert!(page.contains("Partner MISP") && page.contains("misp.partner.example"));
    assert!(!page.contains("feed-password-never-shown"));

    let paused = post(
        format!("/ui/feeds/{}/pause", feed.id.0),
        vec![("paused", "true")],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(paused.status(), StatusCode::SEE_OTHER);
    let feed = app.state.store.find_feed(&feed.id).await.unwrap().unwrap();
    assert!(feed.paused);
    assert!(feed.has_credentials, "pausing keeps the credentials");
    assert!(page_text(&app, &cookie, "/ui/feeds")
        .await
        .contains("Resume"));

    let deleted = post(format!("/ui/feeds/{}/delete", feed.id.0), vec![])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert!(app.state.store.find_feed(&feed.id).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_analysts_see_campaigns_across_organizations_on_the_intel_page() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let store = &app.state.store;
    let (_, page) = signed_in_page(&app, "/ui/intel").await;
    assert!(
        page.contains("No campaign has reached more than one member organization"),
        "{page}"
    );
    let mut orgs = Vec::new();
    for domain in ["ui-clinic-one.example", "ui-clinic-two.example"] {
        orgs.push(
            forewarn_store::fixtures::enrolled_org(store, domain, &[])
                .await
                .unwrap()
                .org_id,
        );
    }
    store
        .record_campaign(&forewarn_store::NewCampaign {
            key: "indicator:domain:lure-portal.example".into(),
            name: "Example Bear".into(),
            kind: forewarn_store::IncidentKind::CredentialPhishing,
            actor: Some("Example Bear".into()),
            indicators: vec!["domain:lure-portal.example".into()],
            orgs,
            first_seen: 1_780_000_000,
            last_seen: 1_780_000_600,
        })
        .await
        .unwrap();
    let (_, page) = signed_in_page(&app, "/ui/intel").await;
    assert!(
        page.contains("Campaigns across member organizations"),
        "{page}"
    );
    assert!(page.contains("Example Bear"), "{page}");
    assert!(
        page.contains("Organization of ui-clinic-one.example"),
        "{page}"
    );
    assert!(
        page.contains("Organization of ui-clinic-two.example"),
        "{page}"
    );
    assert!(page.contains("lure-portal[.]example"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_20_operators_set_a_programs_early_warning_in_the_ui() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(&db, Peers::NONE).await;
    let (cookie, token) = operator_session(&app).await;
    let (_, page) = signed_in_page(&app, "/ui/programs").await;
    assert!(
        page.contains("Early warning across organizations"),
        "{page}"
    );
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, &str)> = fields;
        form.push(("csrf", token.as_str()));
        app.http
            .post(format!("{}/ui/programs", app.base))
            .header("cookie", &cookie)
            .form(&form)
    };
    let base = vec![
        ("name", "Clinics of the Delta"),
        ("sectors", "healthcare"),
        ("countries", "EG"),
        ("notify_at", "high"),
        ("warn_window_hours", "48"),
        ("warn_scope", "country"),
    ];
    // A count told from one organization hit would name it: refused, field by field.
    let mut bad = base.clone();
    bad.push(("warn_k", "1"));
    let refused = post(bad).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("early_warning.k"));

    let mut good = base;
    good.push(("warn_k", "4"));
    let created = post(good).send().await.unwrap();
    assert!(created.status().is_redirection() || created.status().is_success());
    let program = app
        .state
        .store
        .programs()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Clinics of the Delta")
        .expect("created");
    assert_eq!(
        program.early_warning,
        forewarn_store::EarlyWarning {
            enabled: false,
            k: 4,
            window_hours: 48,
            scope: forewarn_store::WarnScope::Country,
        },
        "the box left unticked turns it off"
    );
}

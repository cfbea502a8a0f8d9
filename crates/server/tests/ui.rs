//! The web pages over plain HTTP, for what a browser test cannot easily show: forms without
//! the session's CSRF token or from another site change nothing, signing in never sends the
//! browser elsewhere, every page forbids what is not forewarn's own, and the language follows
//! the browser until the reader picks one.

mod common;

use common::{spawn_app, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_sessions_headers_and_languages() {
    let db = TestDatabase::sqlite();
    let app = spawn_app(
        &db,
        Peers {
            dns: None,
            smtp: None,
        },
    )
    .await;
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
        assert_eq!(signed_in.headers()["location"], "/ui", "{next}");
    }
    let cross_site = login("/ui", app.operator_password.clone())
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert!(cross_site.headers().get("set-cookie").is_none());

    // A change needs the session's token, from forewarn's own pages.
    let signed_in = login("/ui", app.operator_password.clone())
        .send()
        .await
        .unwrap();
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let dashboard = http
        .get(url("/ui/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = dashboard
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every form carries the token")
        .to_owned();
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

//! End to end, over HTTP, on SQLite and on PostgreSQL: apply → approve → verify a domain
//! (TXT record on a real DNS server, dnsmasq) and another by the postmaster's link → invite →
//! personal opt-in confirmed by the link mailed to it (caught by a real SMTP receiver,
//! aiosmtpd) → revoke → the person leaves and is erased.

mod common;

use common::{link_secret, spawn_app, Auth, Peers};
use forewarn_test_support::{Dnsmasq, SmtpReceiver, TestDatabase};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_walk_on_every_backend() {
    for db in TestDatabase::all().await {
        enrollment_walk(&db).await;
    }
}

async fn enrollment_walk(db: &TestDatabase) {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    // The TXT record's value is known only after applying: the DNS server starts then, on a
    // port the service was told about now.
    let dns_addr =
        std::net::SocketAddr::from(([127, 0, 0, 1], forewarn_test_support::free_dns_port()));
    let app = spawn_app(
        db,
        Peers {
            dns: Some(dns_addr),
            smtp: Some(smtp.addr),
        },
    )
    .await;
    let anonymous = Auth::Anonymous;

    assert_eq!(app.get("/healthz", &anonymous).await.status, StatusCode::OK);
    let operator = app
        .token_for(&app.operator_email, &app.operator_password)
        .await;

    // The operator opens a program.
    let program = app
        .post("/programs", &operator, json!({ "name": "Healthcare", "sectors": ["healthcare"], "countries": ["FR", "SN"], "ends_on": "2030-12-31" }))
        .await;
    assert_eq!(program.status, StatusCode::CREATED, "{:?}", program.body);
    let program_id = program.body["id"].as_str().unwrap().to_owned();

    // An ineligible application is told why, and leaves nothing behind.
    let mut application = json!({
        "name": "Clinique du Lac", "sector": "healthcare", "country": "DE", "program_id": program_id,
        "domains": ["clinique.example", "labo-lac.example"], "language": "fr",
        "contacts": [{ "name": "SOC", "email": "soc@clinique.example", "language": "fr", "channels": ["email"] }],
        "admin": { "name": "Aline Diop", "email": "aline@clinique.example" }
    });
    let refused = app
        .post("/applications", &anonymous, application.clone())
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body["error"]["details"][0]
            .as_str()
            .unwrap()
            .contains("FR, SN"),
        "{:?}",
        refused.body
    );

    application["country"] = json!("SN");
    let applied = app.post("/applications", &anonymous, application).await;
    assert_eq!(applied.status, StatusCode::CREATED, "{:?}", applied.body);
    assert_eq!(applied.body["organization"]["status"], "pending");
    let org = applied.body["organization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Approval invites the applicant, who chooses a password on the mailed page.
    let approved = app
        .post(
            &format!("/orgs/{org}/status"),
            &operator,
            json!({ "status": "active" }),
        )
        .await;
    assert_eq!(
        (approved.status, approved.body["status"].as_str()),
        (StatusCode::OK, Some("active")),
        "{:?}",
        approved.body
    );
    let invitation = link_secret(&smtp.wait_for("aline@clinique.example").await, "invite");
    let page = app.get(&format!("/invite/{invitation}"), &anonymous).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "opening the page uses nothing up"
    );
    let joined = app
        .http
        .post(format!("{}/invite/{invitation}", app.base))
        .form(&[("password", "lac-et-montagne-2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), StatusCode::OK);
    // The page speaks the organization's language, French here.
    assert!(joined.text().await.unwrap().contains("Vous êtes inscrit"));
    let admin = app
        .token_for("aline@clinique.example", "lac-et-montagne-2026")
        .await;

    // DNS verification against dnsmasq.
    let domains = app.get(&format!("/orgs/{org}/domains"), &admin).await;
    let domain = domains
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "clinique.example")
        .unwrap()
        .clone();
    let domain_id = domain["id"].as_str().unwrap();
    let verify = format!("/orgs/{org}/domains/{domain_id}/verify");
    let early = app.post(&verify, &admin, json!({ "method": "dns" })).await;
    assert!(
        matches!(
            early.status,
            StatusCode::BAD_GATEWAY | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "no DNS server yet: {:?}",
        early.body
    );
    let Some(_dns) = Dnsmasq::start_on(
        dns_addr.port(),
        &[
            (
                domain["txt_name"].as_str().unwrap(),
                domain["txt_value"].as_str().unwrap(),
            ),
            ("_forewarn.labo-lac.example", "forewarn-verification=wrong"),
        ],
    ) else {
        return;
    };
    let verified = app.post(&verify, &admin, json!({ "method": "dns" })).await;
    assert_eq!(verified.status, StatusCode::OK, "{:?}", verified.body);
    assert_eq!(
        (
            verified.body["status"].as_str(),
            verified.body["method"].as_str()
        ),
        (Some("verified"), Some("dns"))
    );

    // The second domain's TXT record is wrong: the answer says what was found.
    let lab = domains
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "labo-lac.example")
        .unwrap()
        .clone();
    let lab_verify = format!("/orgs/{org}/domains/{}/verify", lab["id"].as_str().unwrap());
    let wrong = app
        .post(&lab_verify, &admin, json!({ "method": "dns" }))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body["error"]["details"][0]
            .as_str()
            .unwrap()
            .contains("forewarn-verification=wrong"),
        "{:?}",
        wrong.body
    );
    // … so it is verified by the postmaster's link instead.
    let mailed = app
        .post(&lab_verify, &admin, json!({ "method": "email" }))
        .await;
    assert_eq!(mailed.status, StatusCode::ACCEPTED, "{:?}", mailed.body);
    let postmaster_link = link_secret(
        &smtp.wait_for("postmaster@labo-lac.example").await,
        "confirm",
    );
    let confirmed = app
        .http
        .post(format!("{}/confirm/{postmaster_link}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    let domains = app.get(&format!("/orgs/{org}/domains"), &admin).await;
    assert!(
        domains
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "verified"),
        "{:?}",
        domains.body
    );

    // Invitations go only to verified domains.
    let outside = app
        .post(
            &format!("/orgs/{org}/members"),
            &admin,
            json!({ "name": "X", "email": "x@elsewhere.example" }),
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    let invited = app
        .post(
            &format!("/orgs/{org}/members"),
            &admin,
            json!({ "name": "Bakary Sow", "email": "bakary@clinique.example" }),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{:?}", invited.body);
    let member_id = invited.body["id"].as_str().unwrap().to_owned();
    let first_invitation = link_secret(&smtp.wait_for("bakary@clinique.example").await, "invite");
    // A lost invitation can be sent again; the new link works as well as the first.
    let resent = app
        .post(
            &format!("/orgs/{org}/members/{member_id}/invitation"),
            &admin,
            json!(null),
        )
        .await;
    assert_eq!(resent.status, StatusCode::ACCEPTED, "{:?}", resent.body);
    let member_invitation = loop {
        let links: Vec<String> = smtp
            .messages()
            .iter()
            .filter(|m| m.contains("bakary@clinique.example") && m.contains("/invite/"))
            .map(|m| link_secret(m, "invite"))
            .collect();
        if let Some(new) = links.into_iter().find(|l| *l != first_invitation) {
            break new;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let short = app
        .post(
            &format!("/invitations/{member_invitation}"),
            &anonymous,
            json!({ "password": "short" }),
        )
        .await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a weak password does not use the link up"
    );
    let accepted = app
        .post(
            &format!("/invitations/{member_invitation}"),
            &anonymous,
            json!({ "password": "baobab-a-dakar-99" }),
        )
        .await;
    assert_eq!(
        (accepted.status, accepted.body["status"].as_str()),
        (StatusCode::OK, Some("active")),
        "{:?}",
        accepted.body
    );
    let again = app
        .post(
            &format!("/invitations/{member_invitation}"),
            &anonymous,
            json!({ "password": "baobab-a-dakar-99" }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::NOT_FOUND,
        "an invitation works once"
    );
    let member = app
        .token_for("bakary@clinique.example", "baobab-a-dakar-99")
        .await;

    // Personal opt-in: consent to the current terms, then the double opt-in by mail.
    let accounts = format!("/orgs/{org}/accounts");
    let no_consent = app
        .post(
            &accounts,
            &member,
            json!({ "kind": "personal", "address": "bakary.home@mail.example" }),
        )
        .await;
    assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pending = app
        .post(&accounts, &member, json!({ "kind": "personal", "address": "bakary.home@mail.example", "accept_terms": "2026-11" }))
        .await;
    assert_eq!(
        (pending.status, pending.body["status"].as_str()),
        (StatusCode::CREATED, Some("pending")),
        "{:?}",
        pending.body
    );
    let account_id = pending.body["id"].as_str().unwrap().to_owned();
    let opt_in = link_secret(&smtp.wait_for("bakary.home@mail.example").await, "confirm");
    let confirmed = app
        .post(&format!("/confirmations/{opt_in}"), &anonymous, json!(null))
        .await;
    assert_eq!(
        (confirmed.status, confirmed.body["confirmed"].as_str()),
        (StatusCode::OK, Some("account")),
        "{:?}",
        confirmed.body
    );
    let listed = app.get(&accounts, &member).await;
    let account = &listed.body["items"][0];
    assert_eq!(
        (
            account["status"].as_str(),
            account["terms_version"].as_str()
        ),
        (Some("confirmed"), Some("2026-11"))
    );
    assert!(account["consented_at"].is_string());

    // Revoking erases the address and keeps the consent record.
    let revoked = app
        .post(
            &format!("{accounts}/{account_id}/revoke"),
            &member,
            json!(null),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert_eq!(
        (revoked.body["status"].as_str(), &revoked.body["address"]),
        (Some("revoked"), &json!(null))
    );
    assert!(revoked.body["consented_at"].is_string() && revoked.body["revoked_at"].is_string());

    // The member leaves: erased, and their credentials stop working.
    let erased = app
        .call(
            Method::DELETE,
            &format!("/orgs/{org}/members/{member_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(erased.status, StatusCode::NO_CONTENT, "{:?}", erased.body);
    assert_eq!(
        app.get("/me", &member).await.status,
        StatusCode::UNAUTHORIZED
    );
    let people = app.get(&format!("/orgs/{org}/members"), &admin).await;
    let gone = people.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == member_id.as_str())
        .unwrap();
    assert_eq!(
        (
            gone["status"].as_str(),
            &gone["email"],
            gone["name"].as_str()
        ),
        (Some("left"), &json!(null), Some(""))
    );

    // Every step is in the audit log, which names no address.
    let audit = app.get(&format!("/orgs/{org}/audit"), &admin).await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for expected in [
        "organization.applied",
        "organization.active",
        "domain.verified",
        "user.invited",
        "user.joined",
        "account.added",
        "account.consented",
        "account.revoked",
        "user.erased",
    ] {
        assert!(
            actions.contains(&expected),
            "{}: {expected} missing from {actions:?}",
            db.label()
        );
    }
    assert!(
        !audit.body.to_string().contains("bakary"),
        "the audit log keeps no personal address"
    );
    let metrics = app.get("/metrics", &anonymous).await;
    let text = metrics.body.as_str().unwrap();
    assert!(text.contains("forewarn_http_requests_total"), "{text}");
    assert!(
        !text.contains("clinique") && !text.contains(&org),
        "metric labels carry no personal data or ids"
    );
}

//! Members are told when coverage ends: once a program's last day is within
//! `coverage_notice_days`, each active organization's contacts and admins get one mail per end
//! date (caught by aiosmtpd), however often the check runs; organizations in open-ended
//! programs get none. On SQLite and PostgreSQL.

mod common;

use common::{spawn_app, Auth, Peers};
use forewarn_alerts::coverage::tell_coverage_ending;
use forewarn_test_support::{SmtpReceiver, TestDatabase};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_hear_once_that_coverage_ends() {
    for db in TestDatabase::all().await {
        let Some(smtp) = SmtpReceiver::start() else {
            return;
        };
        let app = spawn_app(
            &db,
            Peers {
                dns: None,
                smtp: Some(smtp.addr),
            },
        )
        .await;
        let operator = app
            .token_for(&app.operator_email, &app.operator_password)
            .await;
        let last_day = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
        let mut orgs = Vec::new();
        for (program, ends_on, domain) in [
            ("Elections 2026", json!(last_day), "ending.example"),
            ("Healthcare", json!(null), "open.example"),
        ] {
            let created = app.post("/programs", &operator, json!({ "name": program, "sectors": ["healthcare"], "countries": ["FR"], "ends_on": ends_on })).await;
            assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
            let applied = app
                .post(
                    "/applications",
                    &Auth::Anonymous,
                    json!({
                        "name": format!("Org at {domain}"), "sector": "healthcare", "country": "FR", "program_id": created.body["id"],
                        "domains": [domain], "language": "en",
                        "contacts": [{ "name": "SOC", "email": format!("soc@{domain}"), "language": "en", "channels": ["email"] }],
                        "admin": { "name": "Admin", "email": format!("admin@{domain}") }
                    }),
                )
                .await;
            assert_eq!(applied.status, StatusCode::CREATED, "{:?}", applied.body);
            let org = applied.body["organization"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let approved = app
                .post(
                    &format!("/orgs/{org}/status"),
                    &operator,
                    json!({ "status": "active" }),
                )
                .await;
            assert_eq!(approved.status, StatusCode::OK);
            orgs.push(org);
        }

        assert_eq!(
            tell_coverage_ending(&app.notifier).await.unwrap(),
            1,
            "{}: only the ending program's organization",
            db.label()
        );
        let notice = smtp.wait_for("soc@ending.example").await;
        assert!(notice.contains(&last_day), "{notice}");
        assert_eq!(
            tell_coverage_ending(&app.notifier).await.unwrap(),
            0,
            "told once per end date"
        );
        let to_contacts = smtp
            .messages()
            .iter()
            .filter(|m| m.contains("soc@"))
            .count();
        assert_eq!(
            to_contacts, 1,
            "no notice to the open-ended program's organization, none twice"
        );

        // A new end date is news again.
        let later = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
        let programs = app.get("/programs", &Auth::Anonymous).await;
        let ending = programs.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Elections 2026")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let moved = app
            .call(
                reqwest::Method::PATCH,
                &format!("/programs/{ending}"),
                &operator,
                Some(json!({ "ends_on": later })),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
        assert_eq!(tell_coverage_ending(&app.notifier).await.unwrap(), 1);
    }
}

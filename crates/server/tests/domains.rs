//! Domain verification cannot be turned into a mail cannon: a domain another organization has
//! verified gets no postmaster mail and no second owner; and a verified domain is proved again
//! now and then, through a real DNS server (dnsmasq) and mail receiver (aiosmtpd), lapsing when
//! it fails (issue 24). On SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{spawn_app, spawn_app_with, Peers};
use forewarn_server::dns::{record_name, record_value};
use forewarn_server::recheck::recheck_domains;
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Actor, DomainStatus, VerificationMethod};
use forewarn_test_support::{Dnsmasq, SmtpReceiver, TestDatabase};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_a_domain_verified_elsewhere_gets_no_postmaster_mail() {
    for db in TestDatabase::all().await {
        let app = spawn_app(&db, Peers::NONE).await;
        let store = &app.state.store;
        let owner = format!("hospital-{}.example", forewarn_store::random_hex(4));
        enrolled_org(store, &owner, &[]).await.unwrap();
        let other = enrolled_org(store, &format!("other-{owner}"), &[])
            .await
            .unwrap();
        let operator = app
            .token_for(&app.operator_email, &app.operator_password)
            .await;
        let claimed = app
            .post(
                &format!("/orgs/{}/domains", other.org_id),
                &operator,
                json!({ "name": owner }),
            )
            .await;
        assert_eq!(claimed.status, StatusCode::CREATED, "{:?}", claimed.body);
        let outbox = || std::fs::read_dir(app.data.path().join("outbox")).map_or(0, |d| d.count());
        let before = outbox();
        for method in ["email", "email", "dns"] {
            let asked = app
                .post(
                    &format!(
                        "/orgs/{}/domains/{}/verify",
                        other.org_id,
                        claimed.body["id"].as_str().unwrap()
                    ),
                    &operator,
                    json!({ "method": method }),
                )
                .await;
            assert_eq!(
                asked.status,
                StatusCode::CONFLICT,
                "{}: {method}: {:?}",
                db.label(),
                asked.body
            );
        }
        assert_eq!(
            outbox(),
            before,
            "{}: no postmaster mail went out",
            db.label()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_24_domains_are_proved_again_and_mail_for_a_lapsed_one_is_refused() {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    for db in TestDatabase::all().await {
        let label = db.label();
        let dns_port = forewarn_test_support::free_dns_port();
        // Checked again at every round, and a postmaster given no time: the rounds below are
        // what months would be.
        let app = spawn_app_with(
            &db,
            Peers {
                dns: Some(([127, 0, 0, 1], dns_port).into()),
                smtp: Some(smtp.addr),
            },
            |settings| {
                settings.dns.recheck_days = 0;
                settings.dns.postmaster_grace_days = 0;
            },
        )
        .await;
        let store = &app.state.store;
        let tag = forewarn_store::random_hex(4);
        let by_dns = format!("recheck-{tag}.example");
        let clinic = enrolled_org(store, &by_dns, &[&format!("ada@{by_dns}")])
            .await
            .unwrap();
        let record = store.domains(&clinic.org_id).await.unwrap()[0].clone();
        let txt = (record_name(&record.name), record_value(&record.token));
        // Another organization verified its domain by its postmaster, and has no TXT record.
        let by_mail = format!("postmaster-{tag}.example");
        let lab = enrolled_org(store, &by_mail, &[&format!("bo@{by_mail}")])
            .await
            .unwrap();
        let lab_domain = store.domains(&lab.org_id).await.unwrap()[0].id.clone();
        store
            .delete_domain(&Actor(None), &lab_domain)
            .await
            .unwrap();
        let lab_domain = store
            .insert_domain(&Actor(None), &lab.org_id, &by_mail)
            .await
            .unwrap();
        store
            .mark_domain_verified(&Actor(None), &lab_domain.id, VerificationMethod::Email)
            .await
            .unwrap();

        // The record is there: the clinic's domain stays; the lab's postmaster gets a link.
        let dns = Dnsmasq::start_on(dns_port, &[(&txt.0, &txt.1)]).expect("dnsmasq");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let first = recheck_domains(&app.state).await;
        assert_eq!(
            (first.confirmed, first.links_sent, first.lapsed),
            (1, 1, 0),
            "{label}: {first:?}"
        );
        let link = wait_for_mail(&smtp, &format!("postmaster@{by_mail}"), "/confirm/").await;
        assert!(store
            .find_recipient(&format!("ada@{by_dns}"))
            .await
            .unwrap()
            .is_some());

        // The record is taken down and the postmaster does nothing: both lapse, their
        // security contacts are told, and mail for them is refused.
        drop(dns);
        let dns = Dnsmasq::start_on(dns_port, &[]).expect("dnsmasq");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let second = recheck_domains(&app.state).await;
        assert_eq!(second.lapsed, 2, "{label}: {second:?}");
        for (domain, org) in [(&by_dns, &clinic.org_id), (&by_mail, &lab.org_id)] {
            let shown = store.domains(org).await.unwrap()[0].status;
            assert_eq!(shown, DomainStatus::Lapsed, "{label}: {domain}");
            let told = wait_for_mail(
                &smtp,
                &format!("security@{domain}"),
                "is no longer verified",
            )
            .await;
            assert!(told.contains(&format!("/ui/orgs/{org}")), "{told}");
            assert!(
                store
                    .find_recipient(&format!("someone@{domain}"))
                    .await
                    .unwrap()
                    .is_none(),
                "{label}: mail for {domain} is refused"
            );
        }
        assert!(
            store
                .find_recipient(&format!("ada@{by_dns}"))
                .await
                .unwrap()
                .is_none(),
            "{label}: the account on the lapsed domain takes no mail either"
        );

        // The record comes back: the next round verifies the domain again. The lab's
        // postmaster follows the link after all: verified again too.
        drop(dns);
        let _dns = Dnsmasq::start_on(dns_port, &[(&txt.0, &txt.1)]).expect("dnsmasq");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let third = recheck_domains(&app.state).await;
        assert_eq!(third.confirmed, 1, "{label}: {third:?}");
        assert!(store
            .find_recipient(&format!("ada@{by_dns}"))
            .await
            .unwrap()
            .is_some());
        let secret = common::link_secret(&link, "confirm");
        let confirmed = app
            .post(
                &format!("/confirmations/{secret}"),
                &common::Auth::Anonymous,
                json!({}),
            )
            .await;
        assert!(
            confirmed.status.is_success(),
            "{label}: {:?}",
            confirmed.body
        );
        assert_eq!(
            store.domains(&lab.org_id).await.unwrap()[0].status,
            DomainStatus::Verified,
            "{label}"
        );
    }
}

/// The first message to `recipient` whose raw text contains `needle`.
async fn wait_for_mail(smtp: &SmtpReceiver, recipient: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(m) = smtp
            .messages()
            .into_iter()
            .find(|m| m.contains(&format!("To: {recipient}")) && decoded(m).contains(needle))
        {
            return m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no mail to {recipient} saying {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The subject and text of a raw message, decoded.
fn decoded(raw: &str) -> String {
    let Some(message) = mail_parser::MessageParser::default().parse(raw.as_bytes()) else {
        return String::new();
    };
    format!(
        "{}\n{}",
        message.subject().unwrap_or_default(),
        message.body_text(0).unwrap_or_default()
    )
}

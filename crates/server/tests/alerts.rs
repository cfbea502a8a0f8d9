//! Incident notifications by e-mail to a real SMTP receiver (aiosmtpd) on loopback, sent by the
//! running service's notifier: a critical incident reaches the organization's security contact
//! within seconds, in the contact's language, with defanged evidence and the playbook's steps;
//! it is sent once, and a retry after a crash between sending and recording sends the very same
//! message, never a different one.

mod common;

use common::{spawn_app, Peers};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{
    Analysis, Envelope, IncidentDraft, IncidentStatus, NewContact, NewNotification, Page, Source,
};
use forewarn_test_support::{SmtpReceiver, TestDatabase};

fn header<'a>(message: &'a str, name: &str) -> &'a str {
    message
        .lines()
        .find_map(|l| {
            l.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(": "))
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_critical_incident_is_mailed_once_in_the_contacts_language() {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    for db in TestDatabase::all().await {
        let app = spawn_app(
            &db,
            Peers {
                dns: None,
                smtp: Some(smtp.addr),
            },
        )
        .await;
        let store = &app.state.store;
        let domain = format!("clinique-{}.example", forewarn_store::random_hex(4));
        let clinic = enrolled_org(store, &domain, &[&format!("ada@{domain}")])
            .await
            .unwrap();
        let soc = format!("soc@{domain}");
        store
            .replace_contacts(
                &forewarn_store::Actor(None),
                &clinic.org_id,
                &[NewContact {
                    name: "SOC".into(),
                    email: soc.clone(),
                    language: "fr".into(),
                    channels: vec!["email".into()],
                }],
            )
            .await
            .unwrap();
        let analysis = Analysis {
            header_message_id: Some("vaccins-1@ministere-sante.example".into()),
            sender: Some("notice@ministere-sante-gouv.example".into()),
            subject: Some("Calendrier de vaccination".into()),
            verdict: "malicious".into(),
            score: 95,
            findings: serde_json::json!([{ "attribution": [{ "kind": "actor", "name": "Example Bear" }], "confidence": 80 }]),
            keep_raw_until: None,
            incident: Some(IncidentDraft {
                kind: forewarn_store::IncidentKind::CredentialPhishing,
                severity: forewarn_store::Severity::Critical,
                actor: Some("Example Bear".into()),
                title: "Example Bear: Calendrier de vaccination".into(),
                keys: vec!["actor:example bear".into()],
            }),
        };
        store
            .record_analysis(
                &clinic.org_id,
                "digest-1",
                &Envelope::new(Source::Smtp, clinic.accounts.clone()),
                &analysis,
                b"",
                None,
            )
            .await
            .unwrap();

        // The service's notifier finds it within a few seconds.
        let mail = smtp.wait_for(&soc).await;
        let parsed = mail_parser::MessageParser::default()
            .parse(mail.as_bytes())
            .unwrap();
        assert_eq!(
            parsed.subject().unwrap(),
            format!("[forewarn] Alerte critique pour Organization of {domain} : hameçonnage d'identifiants"),
            "{}",
            db.label()
        );
        let text = decoded_text(&mail);
        assert!(
            text.contains("notice@ministere-sante-gouv[.]example"),
            "{text}"
        );
        assert!(
            !text.contains("ministere-sante-gouv.example"),
            "defanged everywhere: {text}"
        );
        assert!(
            text.contains("Example Bear") && text.contains("80 %"),
            "{text}"
        );
        assert!(text.contains("1. Changez le mot de passe"), "{text}");
        assert!(
            !text.contains('\u{2068}'),
            "no isolation marks in plain text"
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let incident = store
                .incidents(Some(&clinic.org_id), &Page::default())
                .await
                .unwrap()
                .remove(0);
            if incident.status == IncidentStatus::Notified {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{incident:?}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        // A crash between sending and recording: the notification was claimed (its words fixed)
        // and handed to the relay, but never recorded as sent. The next run sends it again —
        // the same Message-ID, the same words.
        let second = store
            .record_analysis(
                &clinic.org_id,
                "digest-2",
                &Envelope::new(Source::Smtp, clinic.accounts.clone()),
                &Analysis {
                    incident: Some(IncidentDraft {
                        keys: vec!["sender:other@lookalike.example".into()],
                        actor: None,
                        // Not notified on its own, so the notifier leaves it alone until the
                        // crash below has been staged.
                        severity: forewarn_store::Severity::Medium,
                        ..analysis.incident.clone().unwrap()
                    }),
                    ..analysis.clone()
                },
                b"",
                None,
            )
            .await
            .unwrap();
        assert!(second);
        let incidents = store
            .incidents(Some(&clinic.org_id), &Page::default())
            .await
            .unwrap();
        let fresh = incidents
            .iter()
            .find(|i| i.status == IncidentStatus::New)
            .unwrap();
        let contact = store.contacts(&clinic.org_id).await.unwrap().remove(0);
        let claimed = store
            .claim_notification(&NewNotification {
                incident_id: fresh.id.clone(),
                org_id: clinic.org_id.clone(),
                channel: "email".into(),
                recipient: contact.id.0.clone(),
                idem_key: format!("{}:email:{}", fresh.id, contact.id),
                subject: "first words".into(),
                body_text: "the words fixed before the crash".into(),
                body_html: "<p>the words fixed before the crash</p>".into(),
            })
            .await
            .unwrap();
        let message_id = format!("<{}.{}@forewarn.invalid>", fresh.id, contact.id);
        app.state
            .mailer
            .send_alert(
                &soc,
                &claimed.subject,
                &claimed.body_text,
                &claimed.body_html,
                &message_id,
            )
            .await
            .unwrap();
        // A further message of the same campaign makes the incident critical; the notifier
        // sends the stored notification again — then it is recorded, and nothing more goes out.
        store
            .record_analysis(
                &clinic.org_id,
                "digest-3",
                &Envelope::new(Source::Smtp, clinic.accounts.clone()),
                &Analysis {
                    incident: Some(IncidentDraft {
                        keys: vec!["sender:other@lookalike.example".into()],
                        actor: None,
                        ..analysis.incident.clone().unwrap()
                    }),
                    ..analysis.clone()
                },
                b"",
                None,
            )
            .await
            .unwrap();
        let copies = |smtp: &SmtpReceiver| -> Vec<String> {
            smtp.messages()
                .into_iter()
                .filter(|m| m.contains(&message_id))
                .collect()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while copies(&smtp).len() < 2 {
            assert!(std::time::Instant::now() < deadline, "not sent again");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        let copies = copies(&smtp);
        assert_eq!(copies.len(), 2, "sent again after the crash, once");
        assert_eq!(
            decoded_text(&copies[0]),
            decoded_text(&copies[1]),
            "the same words both times"
        );
        assert_eq!(header(&copies[1], "Subject"), "first words");
        let notifications = store.notifications(&fresh.id).await.unwrap();
        assert_eq!(notifications.len(), 1);
        assert_eq!(notifications[0].status, "sent");
        // Every e-mail this organization got is one of the two incidents' notifications.
        let ours = smtp
            .messages()
            .into_iter()
            .filter(|m| m.contains(&soc))
            .count();
        assert_eq!(ours, 3, "{}", db.label());
    }
}

/// The text/plain part of a message, decoded.
fn decoded_text(raw: &str) -> String {
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap();
    message.body_text(0).unwrap_or_default().into_owned()
}

/// The owner of a targeted personal mailbox is told directly, at that mailbox; the
/// organization's webhook payload names the account but not its address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_of_a_targeted_personal_mailbox_is_told_directly() {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    let db = TestDatabase::sqlite();
    let app = spawn_app(
        &db,
        Peers {
            dns: None,
            smtp: Some(smtp.addr),
        },
    )
    .await;
    let store = &app.state.store;
    let domain = format!("ngo-{}.example", forewarn_store::random_hex(4));
    let ngo = enrolled_org(store, &domain, &[&format!("desk@{domain}")])
        .await
        .unwrap();
    let home = format!("amina.{}@mailbox.example", forewarn_store::random_hex(4));
    let account = store
        .insert_account(
            &forewarn_store::Actor(None),
            &ngo.org_id,
            &ngo.admin,
            forewarn_store::AccountKind::Personal,
            &home,
            Some("2026-11"),
        )
        .await
        .unwrap();
    store.confirm_account(&account.id).await.unwrap();
    store
        .record_analysis(
            &ngo.org_id,
            "digest-personal",
            &Envelope::new(Source::Imap, vec![account.id.clone()]),
            &Analysis {
                header_message_id: None,
                sender: Some("support@account-verify.example".into()),
                subject: Some("Verify your account".into()),
                verdict: "malicious".into(),
                score: 90,
                findings: serde_json::json!([]),
                keep_raw_until: None,
                incident: Some(IncidentDraft {
                    kind: forewarn_store::IncidentKind::CredentialPhishing,
                    severity: forewarn_store::Severity::High,
                    actor: None,
                    title: "Verify your account".into(),
                    keys: vec!["sender:support@account-verify.example".into()],
                }),
            },
            b"",
            None,
        )
        .await
        .unwrap();
    let to_owner = smtp.wait_for(&home).await;
    let text = decoded_text(&to_owner);
    assert!(
        text.starts_with(&format!("Hello, you opted your mailbox {home} in")),
        "{text}"
    );
    assert!(text.contains("support@account-verify[.]example"), "{text}");
    assert!(text.contains("1. Reset the password"), "{text}");
    let to_team = smtp.wait_for(&format!("security@{domain}")).await;
    assert!(
        !to_team.contains(&home),
        "the team's alert does not carry the personal address"
    );
}

//! Telling organizations about their incidents. High and critical incidents are mailed at once
//! to every security contact that asked for e-mail, in the contact's language: what happened
//! (defanged), who is likely behind it, and the playbook's steps. The rest wait for an analyst.
//!
//! Each delivery is one stored notification keyed by incident, channel and contact. Its words
//! are fixed when it is first claimed and it is sent under a Message-ID made from that key, so
//! a crash between sending and recording makes the next run send the very same message again,
//! never a second, different one.

use std::time::Duration;

use forewarn_l10n::{Arg, Catalogs};
use forewarn_store::{
    Actor, Contact, Incident, IncidentStatus, NewNotification, Organization, StoredMessage,
};

use crate::AppState;

/// How often the notifier looks for incidents to tell.
const EVERY: Duration = Duration::from_secs(2);

fn catalogs() -> &'static Catalogs {
    static CATALOGS: std::sync::OnceLock<Catalogs> = std::sync::OnceLock::new();
    CATALOGS.get_or_init(Catalogs::shipped)
}

/// Runs [`notify_pending`] every few seconds, for as long as the service runs.
pub async fn watch(state: AppState) {
    loop {
        match notify_pending(&state).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "incident notifications sent"),
            Err(error) => tracing::warn!(%error, "notifying incidents failed; trying again"),
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// Sends what is due; returns how many messages went out. An incident is marked notified
/// once every one of its notifications is sent.
pub async fn notify_pending(state: &AppState) -> Result<usize, forewarn_store::Error> {
    let store = &state.store;
    let mut sent = 0;
    for incident in store.incidents_to_notify().await? {
        let Some(org) = store.find_org_by_id(&incident.org_id).await? else {
            continue;
        };
        let contacts: Vec<Contact> = store
            .contacts(&org.id)
            .await?
            .into_iter()
            .filter(|c| c.channels.iter().any(|ch| ch == "email"))
            .collect();
        if contacts.is_empty() {
            // Nobody to mail: it stays new, in the analysts' view.
            continue;
        }
        let first = match store.incident_messages(&incident.id).await?.first() {
            Some(id) => store.find_message(&org.id, id).await?,
            None => None,
        };
        let accounts = store.incident_accounts(&incident.id).await?.len();
        let mut all_sent = true;
        for contact in &contacts {
            let key = format!("{}:email:{}", incident.id, contact.id);
            let (subject, text, html) = compose(
                state,
                &contact.language,
                &org,
                &incident,
                first.as_ref(),
                accounts,
            );
            let notification = store
                .claim_notification(&NewNotification {
                    incident_id: incident.id.clone(),
                    org_id: org.id.clone(),
                    channel: "email".into(),
                    recipient: contact.id.0.clone(),
                    idem_key: key.clone(),
                    subject,
                    body_text: text,
                    body_html: html,
                })
                .await?;
            if notification.status == "sent" {
                continue;
            }
            if !store.take_notification(&notification.id, 60).await? {
                // Another process is sending it right now.
                all_sent = false;
                continue;
            }
            let message_id = format!("<{}.{}@forewarn.invalid>", incident.id, contact.id);
            let outcome = state
                .mailer
                .send_alert(
                    &contact.email,
                    &notification.subject,
                    &notification.body_text,
                    &notification.body_html,
                    &message_id,
                )
                .await;
            match outcome {
                Ok(()) => {
                    store
                        .record_notification_attempt(&notification.id, None)
                        .await?;
                    sent += 1;
                }
                Err(error) => {
                    all_sent = false;
                    // The relay's answer may echo the address: it is kept with the notification
                    // for the operator, not logged.
                    store
                        .record_notification_attempt(&notification.id, Some(&error.to_string()))
                        .await?;
                    tracing::warn!(incident = %incident.id, "an incident e-mail could not be handed to the relay");
                }
            }
        }
        if all_sent {
            store
                .set_incident_status(&Actor(None), &incident.id, IncidentStatus::Notified)
                .await?;
        }
    }
    Ok(sent)
}

/// `evil.example` → `evil[.]example`, so no mail program makes it a link.
pub fn defang(text: &str) -> String {
    text.replace('.', "[.]")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The subject, text and HTML of one incident e-mail in `language`.
fn compose(
    state: &AppState,
    language: &str,
    org: &Organization,
    incident: &Incident,
    first: Option<&StoredMessage>,
    accounts: usize,
) -> (String, String, String) {
    let l10n = catalogs();
    let lang = l10n.language(language);
    let t = |id: &str, args: &[(&str, Arg<'_>)]| l10n.text(lang.code, id, args);
    let severity = t(&format!("severity-{}", incident.severity), &[]);
    let kind = t(&format!("kind-{}", incident.kind), &[]);
    let org_name = Arg::from(org.name.clone());
    let subject = t(
        "notification-subject",
        &[
            ("severity", severity.into()),
            ("org", org_name.clone()),
            ("kind", kind.into()),
        ],
    );
    let sender = first
        .and_then(|m| m.sender.clone())
        .map(|s| defang(&s))
        .unwrap_or_else(|| "?".into());
    let message_subject = first.and_then(|m| m.subject.clone()).unwrap_or_default();
    let what = t(
        "notification-what",
        &[
            (
                "time",
                incident
                    .first_seen
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()
                    .into(),
            ),
            ("count", (accounts.max(1) as i64).into()),
            ("org", org_name.clone()),
            ("sender", sender.into()),
            ("subject", message_subject.into()),
        ],
    );
    let who = match &incident.actor {
        Some(actor) => {
            let confidence = first
                .and_then(|m| m.findings.as_array())
                .into_iter()
                .flatten()
                .filter(|f| f["attribution"].as_array().is_some_and(|a| !a.is_empty()))
                .filter_map(|f| f["confidence"].as_u64())
                .max()
                .unwrap_or(50);
            t(
                "notification-who-known",
                &[
                    ("actor", actor.clone().into()),
                    ("aliases", actor.clone().into()),
                    ("confidence", format!("{confidence} %").into()),
                ],
            )
        }
        None => t("notification-who-unknown", &[]),
    };
    let steps = l10n.playbook(lang.code, &incident.kind);
    let link = format!(
        "{}/api/v1/orgs/{}/incidents/{}",
        state.config.public_url(),
        org.id,
        incident.id
    );
    let acknowledge = t("notification-acknowledge", &[("link", link.clone().into())]);
    let footer = t(
        "notification-footer",
        &[("operator", state.config.mail.from.clone().into())],
    );
    let greeting = t("notification-greeting", &[("org", org_name)]);
    let mut text = format!(
        "{greeting}\n\n{}\n{what}\n\n{}\n{who}\n\n{}\n",
        t("notification-what-title", &[]),
        t("notification-who-title", &[]),
        t("notification-steps-title", &[]),
    );
    for (n, step) in steps.iter().enumerate() {
        text.push_str(&format!("{}. {step}\n", n + 1));
    }
    text.push_str(&format!("\n{acknowledge}\n\n-- \n{footer}\n"));
    let dir = if lang.right_to_left { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body><p>{}</p><h2>{}</h2><p>{}</p><h2>{}</h2><p>{}</p><h2>{}</h2><ol>",
        lang.code,
        escape(&greeting),
        escape(&t("notification-what-title", &[])),
        escape(&what),
        escape(&t("notification-who-title", &[])),
        escape(&who),
        escape(&t("notification-steps-title", &[])),
    );
    for step in &steps {
        html.push_str(&format!("<li>{}</li>", escape(step)));
    }
    html.push_str(&format!(
        "</ol><p>{}</p><p><small>{}</small></p></body></html>",
        escape(&acknowledge),
        escape(&footer)
    ));
    (subject, text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defanging_and_escaping() {
        assert_eq!(
            defang("it@clinic-support.example"),
            "it@clinic-support[.]example"
        );
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}

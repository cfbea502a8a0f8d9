//! The words of a notification: the e-mail to a security team or to the owner of a targeted
//! mailbox, in their language, and a webhook's JSON body. Addresses of the attacker's are
//! defanged, so no mail program turns them into links.

use chrono::Utc;
use forewarn_l10n::Arg;
use forewarn_store::{Account, AccountKind, Incident, Organization, StoredMessage};

use crate::Notifier;

/// What a notification is made from.
pub(crate) struct Facts<'a> {
    pub org: &'a Organization,
    pub incident: &'a Incident,
    pub first: Option<&'a StoredMessage>,
    pub accounts: &'a [Account],
}

impl Facts<'_> {
    /// How sure the attribution is, in percent, when there is one.
    fn confidence(&self) -> Option<u64> {
        self.incident.actor.as_ref()?;
        Some(
            self.first
                .and_then(|m| m.findings.as_array())
                .into_iter()
                .flatten()
                .filter(|f| f["attribution"].as_array().is_some_and(|a| !a.is_empty()))
                .filter_map(|f| f["confidence"].as_u64())
                .max()
                .unwrap_or(50),
        )
    }

    fn sender(&self) -> String {
        self.first
            .and_then(|m| m.sender.clone())
            .map(|s| defang(&s))
            .unwrap_or_else(|| "?".into())
    }

    fn acknowledge_link(&self, notifier: &Notifier) -> String {
        format!(
            "{}/ui/orgs/{}/incidents/{}",
            notifier.instance.public_url, self.org.id, self.incident.id
        )
    }
}

/// A webhook's JSON body: the incident as data, and the same words the e-mail has in the
/// organization's language.
pub(crate) fn payload(notifier: &Notifier, facts: &Facts<'_>) -> String {
    let incident = facts.incident;
    let l10n = notifier.catalogs;
    let lang = l10n.language(&facts.org.language);
    let (subject, _, _) = compose(notifier, &facts.org.language, facts, None);
    let accounts: Vec<serde_json::Value> = facts
        .accounts
        .iter()
        .map(|a| {
            // A personal mailbox's address is its owner's, not the organization's to hold.
            let address = (a.kind == AccountKind::Enterprise)
                .then(|| a.address.clone())
                .flatten();
            serde_json::json!({ "id": a.id, "kind": a.kind, "address": address })
        })
        .collect();
    serde_json::json!({
        "type": "incident.notified",
        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "incident": {
                "id": incident.id,
                "org_id": incident.org_id,
                "kind": incident.kind,
                "severity": incident.severity,
                "actor": incident.actor,
                "confidence": facts.confidence(),
                "title": incident.title,
                "first_seen": incident.first_seen,
                "last_seen": incident.last_seen,
                "message_count": incident.message_count,
                "analyst_note": incident.analyst_note,
            },
            "organization": { "id": facts.org.id, "name": facts.org.name },
            "message": {
                "sender": facts.first.and_then(|m| m.sender.as_deref()).map(defang),
                "subject": facts.first.and_then(|m| m.subject.clone()),
            },
            "accounts": accounts,
            "language": lang.code,
            "summary": subject,
            "steps": l10n.playbook(lang.code, incident.kind.as_str()),
            "acknowledge_url": facts.acknowledge_link(notifier),
        }
    })
    .to_string()
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

/// The subject, text and HTML of one incident e-mail in `language`: to the security team, or,
/// with `owner`, to the owner of that targeted personal mailbox.
pub(crate) fn compose(
    notifier: &Notifier,
    language: &str,
    facts: &Facts<'_>,
    owner: Option<&str>,
) -> (String, String, String) {
    let Facts {
        org,
        incident,
        first,
        accounts,
    } = facts;
    let l10n = notifier.catalogs;
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
            ("count", (accounts.len().max(1) as i64).into()),
            ("org", org_name.clone()),
            ("sender", facts.sender().into()),
            ("subject", message_subject.into()),
        ],
    );
    let who = match (&incident.actor, facts.confidence()) {
        (Some(actor), Some(confidence)) => t(
            "notification-who-known",
            &[
                ("actor", actor.clone().into()),
                ("aliases", actor.clone().into()),
                ("confidence", format!("{confidence} %").into()),
            ],
        ),
        _ => t("notification-who-unknown", &[]),
    };
    let note = incident.analyst_note.as_ref().map(|note| {
        t(
            "notification-analyst-note",
            &[("note", note.clone().into())],
        )
    });
    let steps = l10n.playbook(lang.code, incident.kind.as_str());
    let acknowledge = t(
        "notification-acknowledge",
        &[("link", facts.acknowledge_link(notifier).into())],
    );
    let footer = t(
        "notification-footer",
        &[("operator", notifier.instance.operator.clone().into())],
    );
    let greeting = match owner {
        Some(address) => t(
            "notification-owner-greeting",
            &[("address", address.to_owned().into()), ("org", org_name)],
        ),
        None => t("notification-greeting", &[("org", org_name)]),
    };
    let mut text = format!(
        "{greeting}\n\n{}\n{what}\n\n{}\n{who}\n",
        t("notification-what-title", &[]),
        t("notification-who-title", &[]),
    );
    if let Some(note) = &note {
        text.push_str(&format!("\n{note}\n"));
    }
    text.push_str(&format!("\n{}\n", t("notification-steps-title", &[])));
    for (n, step) in steps.iter().enumerate() {
        text.push_str(&format!("{}. {step}\n", n + 1));
    }
    text.push_str(&format!("\n{acknowledge}\n\n-- \n{footer}\n"));
    let dir = if lang.right_to_left { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body><p>{}</p><h2>{}</h2><p>{}</p><h2>{}</h2><p>{}</p>",
        lang.code,
        escape(&greeting),
        escape(&t("notification-what-title", &[])),
        escape(&what),
        escape(&t("notification-who-title", &[])),
        escape(&who),
    );
    if let Some(note) = &note {
        html.push_str(&format!("<p>{}</p>", escape(note)));
    }
    html.push_str(&format!(
        "<h2>{}</h2><ol>",
        escape(&t("notification-steps-title", &[]))
    ));
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
    fn every_incident_kind_has_a_name_and_a_playbook_in_every_language() {
        let catalogs = forewarn_l10n::Catalogs::shared();
        for kind in forewarn_store::IncidentKind::ALL {
            for language in forewarn_l10n::LANGUAGES {
                let code = language.code;
                assert!(
                    catalogs.has(code, &format!("kind-{kind}")),
                    "{code} has no name for {kind}"
                );
                assert!(
                    !catalogs.playbook(code, kind.as_str()).is_empty(),
                    "{code} has no playbook for {kind}"
                );
            }
        }
    }

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

//! Planning: one stored notification per recipient of each incident the policy lets be told,
//! its words fixed when it is written down.

use std::collections::HashMap;

use forewarn_store::{
    AccountKind, AccountStatus, Contact, EndpointStatus, Evidence, Incident, NewNotification,
    OrgId, Organization, WebhookEndpoint,
};

use crate::words::{compose, payload, Facts};
use crate::Notifier;

/// Writes down the notifications of every incident due to be told, a batch per transaction.
pub(crate) async fn plan(notifier: &Notifier) -> Result<(), forewarn_store::Error> {
    let store = &notifier.store;
    loop {
        let incidents = store.incidents_to_notify().await?;
        if incidents.is_empty() {
            return Ok(());
        }
        let count = incidents.len();
        let mut orgs: HashMap<OrgId, Option<Recipients>> = HashMap::new();
        for incident in &incidents {
            if !orgs.contains_key(&incident.org_id) {
                let recipients = match store.find_org_by_id(&incident.org_id).await? {
                    Some(org) => Some(Recipients {
                        contacts: store.contacts(&org.id).await?,
                        endpoints: store.webhooks(&org.id).await?,
                        org,
                    }),
                    None => None,
                };
                orgs.insert(incident.org_id.clone(), recipients);
            }
        }
        let evidence = store.incident_evidence(&incidents).await?;
        let mut planned = Vec::new();
        for (incident, evidence) in incidents.iter().zip(&evidence) {
            if let Some(recipients) = &orgs[&incident.org_id] {
                planned.extend(plan_incident(notifier, recipients, incident, evidence));
            }
        }
        // With nobody to tell, an incident stays new, in the analysts' view.
        let ids: Vec<_> = incidents.into_iter().map(|i| i.id).collect();
        store.plan_notifications(&planned, &ids).await?;
        if count < 100 {
            return Ok(());
        }
    }
}

/// Whom an organization's incidents are told to.
struct Recipients {
    org: Organization,
    contacts: Vec<Contact>,
    endpoints: Vec<WebhookEndpoint>,
}

/// One notification per recipient of one incident, its words fixed now.
fn plan_incident(
    notifier: &Notifier,
    recipients: &Recipients,
    incident: &Incident,
    evidence: &Evidence,
) -> Vec<NewNotification> {
    let org = &recipients.org;
    let accounts = &evidence.accounts;
    let facts = Facts {
        org,
        incident,
        first: evidence.first.as_ref(),
        accounts,
    };
    let mut planned = Vec::new();
    let mut add = |channel: &str, recipient: &str, (subject, body_text, body_html)| {
        planned.push(NewNotification {
            incident_id: incident.id.clone(),
            org_id: org.id.clone(),
            channel: channel.to_owned(),
            idem_key: format!("{}:{channel}:{recipient}", incident.id),
            recipient: recipient.to_owned(),
            subject,
            body_text,
            body_html,
        })
    };
    for contact in &recipients.contacts {
        if contact.channels.iter().any(|c| c == "email") {
            add(
                "email",
                &contact.id.0,
                compose(notifier, &contact.language, &facts, None),
            );
        }
    }
    for account in accounts {
        if let (AccountKind::Personal, AccountStatus::Confirmed, Some(address)) =
            (account.kind, account.status, &account.address)
        {
            add(
                "owner",
                &account.id.0,
                compose(notifier, &org.language, &facts, Some(address.as_str())),
            );
        }
    }
    for endpoint in &recipients.endpoints {
        if endpoint.status == EndpointStatus::Enabled {
            let subject = format!("incident.{}", incident.severity);
            add(
                "webhook",
                &endpoint.id.0,
                (subject, payload(notifier, &facts), String::new()),
            );
        }
    }
    planned
}

//! Security contacts: who receives an organization's notifications, in which language, over
//! which channels.

use forewarn_store::{Contact, NewContact, OrgId, Role};

use super::applications::check_contact;
use super::visible_org;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

pub async fn get_contacts(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
) -> Result<Vec<Contact>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    Ok(state.store.contacts(&org.id).await?)
}

pub async fn put_contacts(
    state: &AppState,
    caller: &Caller,
    org: &OrgId,
    contacts: Vec<NewContact>,
) -> Result<Vec<Contact>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    let mut reasons = Reasons::default();
    reasons.check(validate::bounded("contacts", &contacts, 20));
    let checked: Vec<NewContact> = contacts
        .iter()
        .filter_map(|c| check_contact(&mut reasons, c))
        .collect();
    reasons.into_result("the contacts are not valid")?;
    Ok(state
        .store
        .replace_contacts(&caller.actor(), &org.id, &checked)
        .await?)
}

/// How one test notification went.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TestDelivery {
    /// `email` or `webhook`.
    pub channel: String,
    /// The contact's address or the endpoint's URL.
    pub recipient: String,
    pub delivered: bool,
    /// Why it was not delivered.
    pub error: Option<String>,
}

pub async fn send_test_notification(
    state: &AppState,
    client: std::net::IpAddr,
    caller: &Caller,
    org: &OrgId,
) -> Result<Vec<TestDelivery>, ApiError> {
    let org = visible_org(state, caller, org).await?;
    caller.require(&[Role::Operator, Role::OrgAdmin])?;
    // Each test sends mail and calls endpoints: limited like enrollment.
    state.limiter.check(
        crate::limits::Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    )?;
    let l10n = crate::ui::catalogs();
    let mut results = Vec::new();
    for contact in state.store.contacts(&org.id).await? {
        if !contact.channels.iter().any(|c| c == "email") {
            continue;
        }
        let language = l10n.language(&contact.language).code;
        let args = [("org", forewarn_l10n::Arg::from(org.name.clone()))];
        let subject = l10n.text(language, "test-notification-subject", &args);
        let body = l10n.text(language, "test-notification-body", &args);
        let sent = crate::mail::send_requested(
            state,
            Some(&org.id),
            &contact.email,
            "test-notification",
            &subject,
            &body,
        )
        .await;
        if let Err(ApiError::TooManyRequests(wait)) = sent {
            return Err(ApiError::TooManyRequests(wait));
        }
        results.push(TestDelivery {
            channel: "email".to_owned(),
            recipient: contact.email,
            delivered: sent.is_ok(),
            error: sent.err().map(|e| match e {
                ApiError::Unprocessable(message, details) => {
                    format!("{message}: {}", details.join("; "))
                }
                other => other.to_string(),
            }),
        });
    }
    let now = chrono::Utc::now();
    for endpoint in state.store.webhooks(&org.id).await? {
        if endpoint.status != forewarn_store::EndpointStatus::Enabled {
            continue;
        }
        let target = forewarn_alerts::target(&endpoint, now)?;
        let payload = serde_json::json!({
            "type": "test",
            "organization": { "id": org.id, "name": org.name },
            "sent_at": now.to_rfc3339(),
        });
        let outcome = state
            .webhooks
            .send(
                &target,
                &format!("msg_test_{}", forewarn_store::random_hex(8)),
                now.timestamp(),
                payload.to_string().as_bytes(),
            )
            .await;
        let error = delivery_error(outcome);
        results.push(TestDelivery {
            channel: "webhook".to_owned(),
            recipient: endpoint.url,
            delivered: error.is_none(),
            error,
        });
    }
    Ok(results)
}

/// What a tenant is told of a test webhook that was not delivered: how the receiver answered,
/// but never what its name resolved to or which kind of address was refused, which would map
/// the operator's network for whoever asks (issue 24).
fn delivery_error(outcome: forewarn_notify::webhook::Outcome) -> Option<String> {
    use forewarn_notify::destination::Refusal;
    use forewarn_notify::webhook::Outcome;
    let said = match outcome {
        Outcome::Delivered(_) => return None,
        Outcome::Gone => "the endpoint answered 410 Gone".to_owned(),
        Outcome::Failed(answer)
            if answer.starts_with("the endpoint answered")
                || answer.starts_with("the endpoint did not answer") =>
        {
            answer
        }
        Outcome::Failed(_) | Outcome::Refused(Refusal::Resolve(..)) => "unreachable".to_owned(),
        Outcome::Refused(Refusal::Address { .. } | Refusal::LocalName(_)) => {
            "not allowed: webhooks go to the public internet only".to_owned()
        }
        // What is wrong with the URL as written: the tenant's own words.
        Outcome::Refused(refusal) => refusal.to_string(),
    };
    Some(said)
}

#[cfg(test)]
mod tests {
    use forewarn_notify::destination::Refusal;
    use forewarn_notify::webhook::Outcome;

    use super::delivery_error;

    #[test]
    fn issue_24_a_refused_webhook_does_not_say_where_its_name_led() {
        let said = delivery_error(Outcome::Refused(Refusal::Address {
            address: "10.1.2.3".parse().unwrap(),
            why: "a private address",
        }))
        .unwrap();
        assert!(
            !said.contains("10.1.2.3") && !said.contains("private"),
            "{said}"
        );
        let said = delivery_error(Outcome::Refused(Refusal::Resolve(
            "hooks.clinic.example".into(),
            "no record for 10.9.9.9".into(),
        )))
        .unwrap();
        assert_eq!(said, "unreachable");
        let said = delivery_error(Outcome::Failed(
            "the endpoint could not be reached: tcp connect error 10.0.0.7:443".into(),
        ))
        .unwrap();
        assert_eq!(said, "unreachable");
        assert_eq!(
            delivery_error(Outcome::Failed("the endpoint answered 500".into())).unwrap(),
            "the endpoint answered 500"
        );
    }
}

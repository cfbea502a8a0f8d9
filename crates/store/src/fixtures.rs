//! Test fixtures (feature `fixtures`): an enrolled organization in one call, for the tests of
//! the crates above the store. Production code never builds state this way; it goes through
//! the service's application, approval and verification steps, each audited.

use crate::{
    AccountId, AccountKind, Actor, DomainStatus, NewContact, NewOrganization, NewProgram, OrgId,
    OrgStatus, Result, Store, UserId, VerificationMethod,
};

/// An active organization with one verified domain and a confirmed enterprise account for
/// each of `addresses`.
#[derive(Clone, Debug)]
pub struct Enrolled {
    /// The organization.
    pub org_id: OrgId,
    /// Its accounts, in the order of the addresses given.
    pub accounts: Vec<AccountId>,
    /// The organization's administrator, invited (no password yet).
    pub admin: UserId,
}

/// An active organization on `domain`, speaking English, with an account for each of
/// `addresses`.
pub async fn enrolled_org(store: &Store, domain: &str, addresses: &[&str]) -> Result<Enrolled> {
    enrolled_org_speaking(store, domain, addresses, "en").await
}

/// Like [`enrolled_org`], for an organization (and security contact) speaking `language`.
pub async fn enrolled_org_speaking(
    store: &Store,
    domain: &str,
    addresses: &[&str],
    language: &str,
) -> Result<Enrolled> {
    let actor = Actor(None);
    let program = store
        .insert_program(
            &actor,
            &NewProgram {
                notify_at: None,
                second_factor_required: false,
                early_warning: None,
                name: format!("Program for {domain}"),
                description: String::new(),
                sectors: vec!["healthcare".into()],
                countries: vec!["FR".into()],
                ends_on: None,
            },
        )
        .await?;
    let (org, admin) = store
        .insert_application(&NewOrganization {
            name: format!("Organization of {domain}"),
            sector: "healthcare".into(),
            country: "FR".into(),
            program_id: program.id,
            language: language.into(),
            domains: vec![domain.to_owned()],
            contacts: vec![NewContact {
                name: "Security".into(),
                email: format!("security@{domain}"),
                language: language.into(),
                channels: vec!["email".into()],
            }],
            admin_name: "Admin".into(),
            admin_email: format!("admin@{domain}"),
        })
        .await?;
    store
        .set_org_status(&actor, &org.id, OrgStatus::Active)
        .await?;
    for d in store.domains(&org.id).await? {
        if d.status != DomainStatus::Verified {
            store
                .mark_domain_verified(&actor, &d.id, VerificationMethod::Dns)
                .await?;
        }
    }
    let mut accounts = Vec::new();
    for address in addresses {
        let account = store
            .insert_account(
                &actor,
                &org.id,
                &admin,
                AccountKind::Enterprise,
                address,
                None,
            )
            .await?;
        accounts.push(account.id);
    }
    Ok(Enrolled {
        org_id: org.id,
        accounts,
        admin,
    })
}

/// Stores what a worker stores for a malicious message from `sender` with `subject` to every
/// account of `org`: it opens a critical credential-phishing incident, which the notifier tells
/// at once. `digest` names the raw message (one result per digest and organization).
pub async fn critical_message(
    store: &Store,
    org: &Enrolled,
    digest: &str,
    sender: &str,
    subject: &str,
) -> Result<bool> {
    let analysis = crate::Analysis {
        header_message_id: Some(format!(
            "{digest}@{}",
            sender.rsplit('@').next().unwrap_or("")
        )),
        sender: Some(sender.to_owned()),
        subject: Some(subject.to_owned()),
        verdict: "malicious".to_owned(),
        score: 90,
        findings: serde_json::json!([]),
        keep_raw_until: None,
        incident: Some(crate::IncidentDraft {
            kind: crate::IncidentKind::CredentialPhishing,
            severity: crate::Severity::Critical,
            actor: None,
            title: subject.to_owned(),
            keys: vec![format!("sender:{sender}")],
        }),
    };
    let envelope = crate::Envelope::new(crate::Source::Smtp, org.accounts.clone());
    store
        .record_analysis(&org.org_id, digest, &envelope, &analysis, b"", None)
        .await
}

//! The world the API tests act in, built straight through the store: two active
//! organizations with verified domains, people, accounts and tokens, a program, and a caller
//! of a chosen role with a live session. Also what the OpenAPI document lists and a valid
//! body for every operation.

#![allow(dead_code)]

use std::collections::BTreeMap;

use forewarn_server::auth::{digest, new_secret};
use forewarn_store::{
    AccountKind, Actor, NewOrganization, NewProgram, NewUser, OrgStatus, Role, TokenId, UserId,
    VerificationMethod,
};
use reqwest::Method;
use serde_json::{json, Value};

use super::{Auth, TestApp};

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Missing,
    Crossed,
    Foreign,
    Own,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Role(Role),
}

pub struct Operation {
    pub method: Method,
    pub path: String,
    pub id: String,
    pub roles: Vec<String>,
    pub has_body: bool,
}

pub fn operations(document: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .expect("every operation has an id")
                .to_owned();
            let roles: Vec<String> = operation["x-forewarn-roles"]
                .as_array()
                .unwrap_or_else(|| {
                    panic!("{id} does not say which roles may call it (x-forewarn-roles)")
                })
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            operations.push(Operation {
                method: method.to_uppercase().parse().unwrap(),
                path: path.clone(),
                id,
                roles,
                has_body: operation.get("requestBody").is_some(),
            });
        }
    }
    operations
}

/// A valid body for each operation that takes one. `{rand}` is replaced by a fresh word and
/// `{domain}` by a verified domain of the organization in the path.
/// Operations whose example body is refused by the check it is meant for (a signature or a
/// one-time code that cannot be written down in advance): 422 counts as reaching them.
pub const CEREMONIES: [&str; 4] = [
    "add_passkey",
    "confirm_totp",
    "give_second_factor",
    "sign_in_options",
];

pub fn body(operation: &str) -> Value {
    match operation {
        "create_program" => {
            json!({ "name": "Program {rand}", "sectors": ["healthcare"], "countries": ["FR"] })
        }
        "update_program" => json!({ "description": "updated" }),
        "apply" => json!({
            "name": "Applicant {rand}", "sector": "healthcare", "country": "FR", "program_id": "{program}",
            "domains": ["{rand}.example"], "language": "en", "contacts": [],
            "admin": { "name": "Admin", "email": "admin@{rand}.example" }
        }),
        "create_session" => {
            json!({ "email": "{operator_email}", "password": "{operator_password}" })
        }
        "change_password" => json!({ "current": PASSWORD, "new": "another long password" }),
        "create_token" => json!({ "name": "script" }),
        "set_org_status" => json!({ "status": "active" }),
        "add_domain" => json!({ "name": "{rand}.example" }),
        "verify_domain" => json!({ "method": "email" }),
        "put_contacts" => {
            json!([{ "name": "SOC", "email": "soc@{domain}", "language": "en", "channels": ["email"] }])
        }
        "invite_member" => json!({ "name": "New Person", "email": "p{rand}@{domain}" }),
        "add_account" => json!({ "kind": "enterprise", "address": "box{rand}@{domain}" }),
        "invite_staff" => {
            json!({ "name": "Analyst", "email": "analyst{rand}@cert.example", "role": "analyst" })
        }
        "accept_invitation" => json!({ "password": "a long enough password" }),
        "set_incident_status" => json!({ "status": "acknowledged" }),
        "edit_incident" => json!({ "analyst_note": "Seen at two other clinics this week." }),
        "set_notification_policy" => json!({ "notify_at": "medium" }),
        "add_webhook" => json!({ "url": "https://hooks.{domain}/forewarn", "description": "SIEM" }),
        "set_webhook_status" => json!({ "status": "disabled" }),
        "add_feed" | "update_feed" => json!({
            "name": "Partner feed {rand}", "kind": "url", "paused": true,
            "location": "https://feeds.example/{rand}.json", "tlp": "green"
        }),
        "add_suppression" => {
            json!({ "address": "bounced{rand}@elsewhere.example", "reason": "550 no such user" })
        }
        // The ceremonies below check a signature or a code made for this moment: a fixed
        // example reaches the check and is refused there (422), which the suites accept.
        "add_passkey" => json!({
            "label": "office key",
            "credential": { "id": "AAAA", "response": { "clientDataJSON": "e30", "attestationObject": "oA" } }
        }),
        "add_totp" => json!({ "label": "phone" }),
        "confirm_totp" => json!({ "code": "000000" }),
        "give_second_factor" => json!({ "totp": "000000" }),
        "upload_message" => raw_message(
            "From: Billing <billing@supplier-{rand}.example>\r\nTo: member@{domain}\r\nSubject: Invoice {rand}\r\nMessage-ID: <{rand}@supplier.example>\r\n\r\nPlease pay.\r\n",
        ),
        other => panic!("{other} takes a body: give it an example here"),
    }
}

/// A body that `TestApp::call` sends as a raw message (message/rfc822), not as JSON.
pub fn raw_message(text: &str) -> Value {
    json!({ RAW_MESSAGE: text })
}

pub const RAW_MESSAGE: &str = "message/rfc822";

/// The raw message in a body made by [`raw_message`].
pub fn as_raw_message(body: &Value) -> Option<&str> {
    let object = body.as_object()?;
    (object.len() == 1).then(|| object.get(RAW_MESSAGE)?.as_str())?
}

pub fn rand() -> String {
    forewarn_store::random_hex(6)
}

pub struct Tenant {
    pub org: String,
    pub domain: String,
    pub pending_domain: String,
    pub admin: String,
    pub member: String,
    pub account: String,
    /// The address of the member's confirmed personal mailbox: only its owner may see it.
    pub personal_address: String,
    pub token: String,
    pub dead_letter: String,
    pub incident: String,
    pub webhook: String,
    /// A feed (the operator's, like the suppression list).
    pub feed: String,
    /// The digest of an address on the suppression list (the list is the operator's, not a
    /// tenant's: each tenant has one only so every target has its own).
    pub suppression: String,
}

pub struct World {
    pub program: String,
    pub a: Tenant,
    pub b: Tenant,
    pub caller: Option<(String, Auth)>,
    pub caller_account: Option<String>,
    pub caller_token: Option<String>,
    /// An authenticator app the caller has set up and not confirmed yet.
    pub caller_factor: Option<String>,
    /// An authenticator app of organization B's admin.
    pub foreign_factor: String,
}

pub async fn tenant(app: &TestApp, program: &str, hash: &str) -> Tenant {
    let store = &app.state.store;
    let name = rand();
    let domain = format!("{name}.example");
    let (org, admin) = store
        .insert_application(&NewOrganization {
            name: format!("Org {name}"),
            sector: "healthcare".into(),
            country: "FR".into(),
            program_id: program.into(),
            language: "en".into(),
            domains: vec![domain.clone(), format!("pending-{name}.example")],
            contacts: vec![],
            admin_name: "Admin".into(),
            admin_email: format!("admin@{domain}"),
        })
        .await
        .unwrap();
    store
        .set_org_status(&Actor(None), &org.id, OrgStatus::Active)
        .await
        .unwrap();
    let domains = store.domains(&org.id).await.unwrap();
    let verified = domains.iter().find(|d| d.name == domain).unwrap();
    store
        .mark_domain_verified(&Actor(None), &verified.id, VerificationMethod::Dns)
        .await
        .unwrap();
    let pending = domains.iter().find(|d| d.name != domain).unwrap();
    store.accept_invitation(&admin, hash).await.unwrap();
    let member = store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: Some(org.id.clone()),
                role: Role::Member,
                name: "Member".into(),
                email: format!("member@{domain}"),
                password_hash: Some(hash.into()),
            },
        )
        .await
        .unwrap();
    // As if they had replaced the password they were given with their own.
    store.set_password(&member.id, hash).await.unwrap();
    let account = store
        .insert_account(
            &Actor(None),
            &org.id,
            &member.id,
            AccountKind::Enterprise,
            &format!("member@{domain}"),
            None,
        )
        .await
        .unwrap();
    let personal_address = format!("{name}.private@personal-mail.example");
    let personal = store
        .insert_account(
            &Actor(None),
            &org.id,
            &member.id,
            AccountKind::Personal,
            &personal_address,
            Some("2026-11"),
        )
        .await
        .unwrap();
    store.confirm_account(&personal.id).await.unwrap().unwrap();
    let token = TokenId(forewarn_store::new_id());
    store
        .insert_api_token_with_id(&member, &token, "t", hash)
        .await
        .unwrap();
    let suppression = store
        .suppress(
            &Actor(None),
            &format!("bounced{}@{domain}", rand()),
            "bounced",
        )
        .await
        .unwrap()
        .destination;
    let dead_letter = store
        .insert_dead_letter(
            &forewarn_store::NewSpoolEntry {
                org_id: org.id.clone(),
                digest: rand(),
                envelope: forewarn_store::Envelope::new(forewarn_store::Source::Upload, vec![]),
                raw: b"\r\n".to_vec(),
            },
            1,
            "reading message: it is empty",
        )
        .await
        .unwrap();
    let digest = rand();
    let envelope =
        forewarn_store::Envelope::new(forewarn_store::Source::Upload, vec![account.id.clone()]);
    store
        .record_analysis(
            &org.id,
            &digest,
            &envelope,
            &forewarn_store::Analysis {
                header_message_id: None,
                sender: Some(format!("it@{name}-support.example")),
                subject: Some("Password expiry".into()),
                verdict: "malicious".into(),
                score: 90,
                findings: json!([]),
                keep_raw_until: None,
                incident: Some(forewarn_store::IncidentDraft {
                    kind: forewarn_store::IncidentKind::CredentialPhishing,
                    severity: forewarn_store::Severity::High,
                    actor: None,
                    title: "Password expiry".into(),
                    keys: vec![format!("sender:it@{name}-support.example")],
                }),
            },
            b"",
            None,
        )
        .await
        .unwrap();
    let incident = store
        .incidents(Some(&org.id), &forewarn_store::Page::default())
        .await
        .unwrap()
        .remove(0)
        .id
        .0;
    let webhook = store
        .insert_webhook(
            &Actor(None),
            &org.id,
            &format!("https://hooks.{domain}/forewarn"),
            "",
            &forewarn_notify::webhook::WebhookSecret::generate().expose(),
        )
        .await
        .unwrap()
        .id
        .0;
    // Feeds are the operator's, not a tenant's: each tenant has one only so every target has
    // its own. Paused, so nothing reads it.
    let feed = store
        .insert_feed(
            &Actor(None),
            &forewarn_store::NewFeed {
                name: format!("Feed of {name}"),
                kind: forewarn_store::FeedKind::Url,
                location: format!("https://feeds.{domain}/indicators.json"),
                credentials: None,
                every_minutes: 60,
                tlp: "amber".into(),
                confidence: 50,
                paused: true,
            },
        )
        .await
        .unwrap()
        .id
        .0;
    Tenant {
        webhook,
        feed,
        org: org.id.0,
        domain,
        pending_domain: pending.id.0.clone(),
        admin: admin.0,
        member: member.id.0,
        account: account.id.0,
        personal_address,
        token: token.0,
        dead_letter: dead_letter.0,
        incident,
        suppression,
    }
}

pub async fn world(app: &TestApp, caller: Caller, hash: &str) -> World {
    let store = &app.state.store;
    let program = store
        .insert_program(
            &Actor(None),
            &NewProgram {
                notify_at: None,
                second_factor_required: false,
                early_warning: None,
                name: format!("P {}", rand()),
                description: String::new(),
                sectors: vec!["healthcare".into()],
                countries: vec!["FR".into()],
                ends_on: None,
            },
        )
        .await
        .unwrap()
        .id
        .0;
    let a = tenant(app, &program, hash).await;
    let b = tenant(app, &program, hash).await;
    let b_admin = store
        .find_user_by_id(&UserId(b.admin.clone()))
        .await
        .unwrap()
        .unwrap();
    let foreign_factor = store
        .insert_totp(&b_admin, "phone", "JBSWY3DPEHPK3PXP")
        .await
        .unwrap()
        .id;
    let mut world = World {
        program,
        a,
        b,
        caller: None,
        caller_account: None,
        caller_token: None,
        caller_factor: None,
        foreign_factor,
    };
    let Caller::Role(role) = caller else {
        return world;
    };
    let user = match role {
        Role::Operator | Role::Analyst => {
            let staff = store
                .insert_user(
                    &Actor(None),
                    &NewUser {
                        org_id: None,
                        role,
                        name: "Staff".into(),
                        email: format!("staff{}@cert.example", rand()),
                        password_hash: Some(hash.into()),
                    },
                )
                .await
                .unwrap();
            store.set_password(&staff.id, hash).await.unwrap();
            staff.id
        }
        Role::OrgAdmin => UserId(world.a.admin.clone()),
        Role::Member => {
            let user = store
                .insert_user(
                    &Actor(None),
                    &NewUser {
                        org_id: Some(world.a.org.as_str().into()),
                        role,
                        name: "Caller".into(),
                        email: format!("caller@{}", world.a.domain),
                        password_hash: Some(hash.into()),
                    },
                )
                .await
                .unwrap();
            store.set_password(&user.id, hash).await.unwrap();
            let account = store
                .insert_account(
                    &Actor(None),
                    &user.org_id.clone().unwrap(),
                    &user.id,
                    AccountKind::Enterprise,
                    &format!("caller@{}", world.a.domain),
                    None,
                )
                .await
                .unwrap();
            world.caller_account = Some(account.id.0);
            user.id
        }
    };
    let user_record = store.find_user_by_id(&user).await.unwrap().unwrap();
    if matches!(role, Role::Operator | Role::Analyst) {
        // Staff must have a second factor; this one is given when the session starts.
        let app = store
            .insert_totp(&user_record, "phone", "JBSWY3DPEHPK3PXP")
            .await
            .unwrap();
        assert!(store.confirm_totp(&user_record, &app.id, 1).await.unwrap());
    }
    let pending = store
        .insert_totp(&user_record, "new phone", "JBSWY3DPEHPK3PXP")
        .await
        .unwrap();
    world.caller_factor = Some(pending.id);
    let token = TokenId(forewarn_store::new_id());
    store
        .insert_api_token_with_id(&user_record, &token, "own", hash)
        .await
        .unwrap();
    world.caller_token = Some(token.0);
    let secret = new_secret();
    let csrf = new_secret();
    store
        .insert_session(
            &digest(&secret),
            &user,
            &csrf,
            chrono::Duration::hours(1),
            true,
        )
        .await
        .unwrap();
    world.caller = Some((
        user.0,
        Auth::Session {
            cookie: format!("forewarn_session={secret}"),
            csrf,
        },
    ));
    world
}

/// The path with its parameters filled for `target`, or `None` when the target does not
/// apply (crossed needs an object id besides the organization's).
pub fn fill(path: &str, target: Target, world: &World, caller: Caller) -> Option<String> {
    let params: Vec<&str> = path.split('/').filter(|s| s.starts_with('{')).collect();
    let object_params: Vec<&&str> = params
        .iter()
        .filter(|p| !matches!(**p, "{org_id}" | "{program_id}" | "{token}"))
        .collect();
    let crossable = params.contains(&"{org_id}") && !object_params.is_empty();
    if target == Target::Crossed && !crossable {
        return None;
    }
    if matches!(target, Target::Foreign | Target::Crossed)
        && params
            .iter()
            .all(|p| matches!(*p, "{program_id}" | "{token}"))
    {
        return None;
    }
    if target != Target::Own && params.is_empty() {
        return None;
    }
    let is_member = caller == Caller::Role(Role::Member);
    let own_user = if is_member {
        world.caller.as_ref().map(|c| c.0.clone()).unwrap()
    } else {
        world.a.member.clone()
    };
    let own_account = if is_member {
        world.caller_account.clone().unwrap()
    } else {
        world.a.account.clone()
    };
    let own_token = world.caller_token.clone().unwrap_or_else(rand);
    let missing = || format!("{:0>28}", rand());
    let mut filled = path.to_owned();
    for param in params {
        let value = match (param, target) {
            ("{program_id}", Target::Missing) => missing(),
            ("{program_id}", _) => world.program.clone(),
            ("{token}", _) => new_secret(),
            (_, Target::Missing) => missing(),
            ("{org_id}", Target::Own | Target::Crossed) => world.a.org.clone(),
            ("{org_id}", Target::Foreign) => world.b.org.clone(),
            ("{domain_id}", Target::Own) => world.a.pending_domain.clone(),
            ("{domain_id}", _) => world.b.pending_domain.clone(),
            ("{user_id}", Target::Own) => own_user.clone(),
            ("{user_id}", _) => world.b.member.clone(),
            ("{account_id}", Target::Own) => own_account.clone(),
            ("{account_id}", _) => world.b.account.clone(),
            ("{token_id}", Target::Own) => own_token.clone(),
            ("{token_id}", _) => world.b.token.clone(),
            ("{incident_id}", Target::Own) => world.a.incident.clone(),
            ("{incident_id}", _) => world.b.incident.clone(),
            ("{feed_id}", Target::Own) => world.a.feed.clone(),
            ("{feed_id}", _) => world.b.feed.clone(),
            ("{webhook_id}", Target::Own) => world.a.webhook.clone(),
            ("{webhook_id}", _) => world.b.webhook.clone(),
            ("{dead_letter_id}", Target::Own) => world.a.dead_letter.clone(),
            ("{dead_letter_id}", _) => world.b.dead_letter.clone(),
            ("{factor_id}", Target::Own) => world.caller_factor.clone().unwrap_or_else(rand),
            ("{factor_id}", _) => world.foreign_factor.clone(),
            ("{destination}", Target::Own) => world.a.suppression.clone(),
            ("{destination}", _) => world.b.suppression.clone(),
            (other, _) => {
                panic!("the isolation test does not know the path parameter {other}: teach it")
            }
        };
        filled = filled.replace(param, &value);
    }
    Some(filled)
}

pub fn substitute(value: &Value, replacements: &BTreeMap<&str, String>) -> Value {
    let mut text = value.to_string();
    for (key, with) in replacements {
        text = text.replace(&format!("{{{key}}}"), with);
    }
    serde_json::from_str(&text).unwrap()
}

/// The operation's example body with its placeholders filled for `path`.
pub fn filled_body(
    app: &TestApp,
    operation: &Operation,
    path: &str,
    world: &World,
) -> Option<Value> {
    let org_domain = if path.contains(&world.b.org) {
        &world.b.domain
    } else {
        &world.a.domain
    };
    let replacements = BTreeMap::from([
        ("rand", rand()),
        ("domain", org_domain.clone()),
        ("program", world.program.clone()),
        ("operator_email", app.operator_email.clone()),
        ("operator_password", app.operator_password.clone()),
    ]);
    operation
        .has_body
        .then(|| substitute(&body(&operation.id), &replacements))
}

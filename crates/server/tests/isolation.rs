//! Tenant isolation, generated from the OpenAPI document: every operation × every role ×
//! {own, foreign, missing, crossed} object, every cell asserted against the roles the
//! document gives the operation (`x-forewarn-roles`).
//!
//! - own: the caller's organization and objects in it;
//! - foreign: another organization and its objects;
//! - missing: ids that exist nowhere;
//! - crossed: the caller's organization with another organization's object id in the path
//!   (a tenant id injected into a path).
//!
//! Tenant roles must get for foreign objects exactly the answer they get for missing ones,
//! and no response to them may name the other organization's objects. No response to anyone
//! but its owner shows a personal mailbox's address.

mod common;

use std::collections::BTreeMap;

use common::world::{
    fill, filled_body, operations, world, Caller, Operation, Target, CEREMONIES, PASSWORD,
};
use common::{spawn_app, Auth, Peers};
use forewarn_server::auth::hash_password;
use forewarn_store::Role;
use forewarn_test_support::TestDatabase;
use reqwest::StatusCode;

#[derive(Debug, PartialEq, Eq)]
enum Expect {
    /// Allowed: a success, or 409 when the object's state forbids the change.
    Allowed,
    Status(StatusCode),
}

fn expected(operation: &Operation, caller: Caller, target: Target) -> Expect {
    let public = operation.roles == ["public"];
    if public {
        if operation.path.contains("{token}") || target == Target::Missing {
            return Expect::Status(StatusCode::NOT_FOUND);
        }
        return Expect::Allowed;
    }
    let Caller::Role(role) = caller else {
        return Expect::Status(StatusCode::UNAUTHORIZED);
    };
    let org_scoped = operation.path.contains("{org_id}");
    let not_found = Expect::Status(StatusCode::NOT_FOUND);
    match target {
        Target::Missing | Target::Crossed => return not_found,
        Target::Foreign if role.is_tenant() && org_scoped => return not_found,
        Target::Foreign
            if operation.path.contains("{token_id}") || operation.path.contains("{factor_id}") =>
        {
            return not_found
        }
        _ => {}
    }
    let role_name = serde_json::to_value(role).unwrap();
    if operation.roles.iter().any(|r| role_name == r.as_str()) {
        Expect::Allowed
    } else {
        Expect::Status(StatusCode::FORBIDDEN)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_every_role_every_object() {
    for db in TestDatabase::all().await {
        check_isolation(&db).await;
    }
}

async fn check_isolation(db: &TestDatabase) {
    let app = spawn_app(
        db,
        Peers {
            dns: None,
            smtp: None,
        },
    )
    .await;
    let document = app.get("/api/v1/openapi.json", &Auth::Anonymous).await.body;
    let operations = operations(&document);
    assert!(
        operations.len() >= 30,
        "the document lists {} operations",
        operations.len()
    );
    let hash = hash_password(PASSWORD.to_owned()).await.unwrap();
    let callers = [
        Caller::Anonymous,
        Caller::Role(Role::Operator),
        Caller::Role(Role::Analyst),
        Caller::Role(Role::OrgAdmin),
        Caller::Role(Role::Member),
    ];
    let mut cells = 0;
    let mut failures = Vec::new();
    for operation in &operations {
        for caller in callers {
            let world = world(&app, caller, &hash).await;
            let auth = world
                .caller
                .as_ref()
                .map_or(Auth::Anonymous, |c| c.1.clone());
            let mut answers = BTreeMap::new();
            for target in [
                Target::Missing,
                Target::Crossed,
                Target::Foreign,
                Target::Own,
            ] {
                let Some(path) = fill(&operation.path, target, &world, caller) else {
                    continue;
                };
                let request_body = filled_body(&app, operation, &path, &world);
                let reply = app
                    .call(operation.method.clone(), &path, &auth, request_body)
                    .await;
                cells += 1;
                let want = expected(operation, caller, target);
                let ok = match &want {
                    Expect::Allowed => {
                        reply.status.is_success()
                            || reply.status == StatusCode::CONFLICT
                            || (reply.status == StatusCode::UNPROCESSABLE_ENTITY
                                && CEREMONIES.contains(&operation.id.as_str()))
                    }
                    Expect::Status(status) => reply.status == *status,
                };
                if !ok {
                    failures.push(format!(
                        "{} {} as {caller:?} on {target:?}: want {want:?}, got {} {}",
                        operation.method, operation.path, reply.status, reply.body
                    ));
                }
                if matches!(caller, Caller::Role(r) if r.is_tenant()) {
                    let text = reply.body.to_string();
                    for foreign in [
                        &world.b.org,
                        &world.b.member,
                        &world.b.account,
                        &world.b.domain,
                    ] {
                        if text.contains(foreign.as_str()) {
                            failures.push(format!("{} {} as {caller:?} on {target:?}: the answer names another organization's {foreign}", operation.method, operation.path));
                        }
                    }
                }
                // A personal mailbox's address is its owner's alone: not the organization's
                // admin's, nor the operator's or an analyst's (issue 24).
                for tenant in [&world.a, &world.b] {
                    if reply.body.to_string().contains(&tenant.personal_address) {
                        failures.push(format!(
                            "{} {} as {caller:?} on {target:?}: the answer shows a personal mailbox's address to someone other than its owner",
                            operation.method, operation.path
                        ));
                    }
                }
                answers.insert(format!("{target:?}"), (reply.status, reply.body));
            }
            if let (Caller::Role(role), Some(foreign), Some(missing)) =
                (caller, answers.get("Foreign"), answers.get("Missing"))
            {
                if role.is_tenant() && operation.path.contains("{org_id}") && foreign != missing {
                    failures.push(format!(
                        "{} {} as {role:?}: foreign {foreign:?} differs from missing {missing:?}",
                        operation.method, operation.path
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}: {} of {cells} cells failed:\n{}",
        db.label(),
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{}: {cells} cells over {} operations held",
        db.label(),
        operations.len()
    );
}

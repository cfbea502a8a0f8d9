//! People and their mailboxes: the org admin invites staff; each person opts their own
//! mailboxes in (a personal one only with consent to the terms shown, confirmed from the
//! mailbox itself) and can withdraw at any time.

use axum::extract::State;
use forewarn_store::{AccountKind, AccountStatus, Page, Role};
use maud::html;
use serde::Deserialize;

use super::{back_to, button, csrf_field, page, visible_org, when, Answer, OrFail, Posted, Viewer};
use crate::extract::Path;
use crate::AppState;
use forewarn_store::OrgId;

pub async fn people_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
) -> Answer {
    let org = visible_org(&state, &viewer, &org).await?;
    viewer
        .caller()
        .require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])
        .or_fail(&viewer)?;
    let people = state
        .store
        .users_of_org(&org.id, &Page::first(500))
        .await
        .or_fail(&viewer)?;
    let accounts = state
        .store
        .accounts(&org.id, None, &Page::first(500))
        .await
        .or_fail(&viewer)?;
    let w = viewer.words;
    let manages = matches!(viewer.role(), Role::Operator | Role::OrgAdmin);
    let base = format!("/ui/orgs/{}", org.id);
    let body = html! {
        h2 { (w.t("ui-members")) }
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-name")) } th { (w.t("ui-email")) } th { (w.t("ui-role")) } th { (w.t("ui-status")) } th { (w.t("ui-accounts")) } } }
            tbody { @for p in &people { tr {
                td { (p.name) }
                td.mono { (p.email.as_deref().unwrap_or("—")) }
                td { (w.word("ui-role", p.role.as_str())) }
                td { (w.word("ui-user-status", p.status.as_str())) }
                td { (accounts.iter().filter(|a| a.user_id == p.id && a.status == AccountStatus::Confirmed).count()) }
            } } }
        } }
        @if manages {
            h2 #invite { (w.t("ui-invite-title")) }
            p.muted { (w.t("ui-invite-intro")) }
            form.stack method="post" action={ (base) "/people" } {
                (csrf_field(&viewer))
                label { (w.t("ui-name")) input name="name" required maxlength="200"; }
                label { (w.t("ui-email")) input type="email" name="email" required; }
                label { (w.t("ui-role"))
                    select name="role" {
                        option value="member" selected { (w.word("ui-role", "member")) }
                        option value="org_admin" { (w.word("ui-role", "org_admin")) }
                    }
                }
                button type="submit" { (w.t("ui-invite")) }
            }
        }
        h2 { (w.t("ui-accounts-watched")) }
        p.muted { (w.t("ui-accounts-privacy")) }
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-account")) } th { (w.t("ui-kind")) } th { (w.t("ui-status")) } th { span.muted { (w.t("ui-decision")) } } } }
            tbody { @for a in &accounts { tr {
                td.mono { @match (a.kind, &a.address) {
                    (AccountKind::Enterprise, Some(address)) => (address),
                    (_, None) => "—",
                    _ => (w.t("ui-personal-account")),
                } }
                td { (w.word("ui-account", a.kind.as_str())) }
                td { (w.word("ui-account-status", a.status.as_str())) }
                td { @if manages && a.status != AccountStatus::Revoked {
                    (button(&viewer, &format!("{base}/accounts/{}/revoke", a.id), &w.t("ui-revoke"), "secondary"))
                } }
            } } }
        } }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-nav-people"), body))
}

#[derive(Deserialize)]
pub struct InviteForm {
    name: String,
    email: String,
    role: Role,
}

pub async fn invite(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<InviteForm>,
) -> Answer {
    let viewer = posted.viewer;
    let target = format!("/ui/orgs/{org}/people");
    crate::service::members::invite_member(
        &state,
        &viewer.caller(),
        &OrgId(org),
        crate::service::members::Invitation {
            name: posted.form.name,
            email: posted.form.email,
            role: posted.form.role,
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(back_to(&target))
}

/// The signed-in person's own mailboxes, and the opt-in with its consent text.
pub async fn accounts_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
) -> Answer {
    let org = visible_org(&state, &viewer, &org).await?;
    let mine = state
        .store
        .accounts(&org.id, Some(&viewer.user.id), &Page::first(500))
        .await
        .or_fail(&viewer)?;
    let w = viewer.words;
    let base = format!("/ui/orgs/{}", org.id);
    let terms = state.config.terms_version.clone();
    let tenant = viewer.role().is_tenant();
    let body = html! {
        p.muted { (w.with("ui-accounts-intro", &[("org", org.name.clone().into())])) }
        @if mine.is_empty() { p { (w.t("ui-accounts-none")) } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-account")) } th { (w.t("ui-kind")) } th { (w.t("ui-status")) } th { (w.t("ui-consented")) } th { span.muted { (w.t("ui-decision")) } } } }
                tbody { @for a in &mine { tr {
                    td.mono { (a.address.as_deref().unwrap_or("—")) }
                    td { (w.word("ui-account", a.kind.as_str())) }
                    td { (w.word("ui-account-status", a.status.as_str())) }
                    td { @if let Some(at) = &a.consented_at { (when(at)) } @else { "—" } }
                    td { @if a.status != AccountStatus::Revoked {
                        (button(&viewer, &format!("{base}/accounts/{}/revoke", a.id), &w.t("ui-withdraw"), "secondary"))
                    } }
                } } }
            } }
        }
        @if tenant {
            h2 #opt-in { (w.t("ui-opt-in-title")) }
            section.card aria-labelledby="consent" {
                h3 #consent { (w.with("ui-consent-title", &[("version", terms.clone().into())])) }
                p { (w.with("ui-consent-1", &[("org", org.name.clone().into())])) }
                p { (w.t("ui-consent-2")) }
                p { (w.t("ui-consent-3")) }
            }
            form.stack method="post" action={ (base) "/accounts" } {
                (csrf_field(&viewer))
                label { (w.t("ui-mailbox")) input type="email" name="address" required autocomplete="email"; }
                label { (w.t("ui-kind"))
                    select name="kind" {
                        option value="personal" selected { (w.word("ui-account", "personal")) }
                        option value="enterprise" { (w.word("ui-account", "enterprise")) }
                    }
                }
                label.check { input type="checkbox" name="accept_terms" value=(terms); (w.t("ui-consent-accept")) }
                button type="submit" { (w.t("ui-opt-in")) }
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-nav-accounts"), body))
}

#[derive(Deserialize)]
pub struct OptInForm {
    address: String,
    kind: AccountKind,
    accept_terms: Option<String>,
}

pub async fn opt_in(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<OptInForm>,
) -> Answer {
    let viewer = posted.viewer;
    let w = viewer.words;
    let form = posted.form;
    let account = crate::service::accounts::add_account(
        &state,
        &viewer.caller(),
        &OrgId(org.clone()),
        crate::service::accounts::NewAccount {
            kind: form.kind,
            address: form.address,
            accept_terms: form.accept_terms,
        },
    )
    .await
    .or_fail(&viewer)?;
    let text = if account.status == AccountStatus::Pending {
        w.t("ui-opt-in-pending")
    } else {
        w.t("ui-opt-in-done")
    };
    let body = html! {
        div.notice.ok role="status" { p { (text) } }
        p { a href={ "/ui/orgs/" (org) "/accounts" } { (w.t("ui-back")) } }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-opt-in-title"), body))
}

pub async fn revoke(
    State(state): State<AppState>,
    Path((org, id)): Path<(String, String)>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    let own = state
        .store
        .find_account_by_id(&forewarn_store::AccountId(id.clone()))
        .await
        .or_fail(&viewer)?
        .is_some_and(|a| a.user_id == viewer.user.id);
    let target = if own {
        format!("/ui/orgs/{org}/accounts")
    } else {
        format!("/ui/orgs/{org}/people")
    };
    crate::service::accounts::revoke_account(&state, &viewer.caller(), &OrgId(org), id)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&target))
}

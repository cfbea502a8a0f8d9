//! Joining forewarn, step by step: applying to a program (told every reason when not
//! eligible), then, once the operator approved, the organization's page: verifying each
//! domain with the exact DNS record to publish, the security contacts and webhooks that
//! receive alerts with a test notification, and inviting staff.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use forewarn_store::{
    DomainId, DomainStatus, NewContact, OrgId, OrgStatus, Role, VerificationMethod,
};
use maud::html;
use serde::Deserialize;

use super::dashboard::org_status_form;
use super::{
    back_to, button, csrf_field, page, visible_org, when, Answer, Failure, OrFail, Posted, Viewer,
    Visitor,
};
use crate::api::applications::{Applicant, Application, Client};
use crate::extract::Path;
use crate::service::domains;
use crate::AppState;

/// Contacts the form offers rows for.
const CONTACT_ROWS: usize = 3;

pub async fn apply_page(State(state): State<AppState>, visitor: Visitor) -> Response {
    let w = visitor.words;
    let today = chrono::Utc::now().date_naive();
    let programs: Vec<_> = match state.store.programs().await {
        Ok(programs) => programs.into_iter().filter(|p| p.is_open(today)).collect(),
        Err(e) => return Failure::from((w, e.into())).into_response(),
    };
    let body = html! {
        p { (w.t("ui-apply-intro")) }
        @if programs.is_empty() {
            div.notice { p { (w.t("ui-apply-no-programs")) } }
        } @else {
            h2 { (w.t("ui-programs")) }
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-program")) } th { (w.t("ui-sectors")) } th { (w.t("ui-countries")) } th { (w.t("ui-ends-on")) } } }
                tbody { @for p in &programs { tr {
                    td { strong { (p.name) } br; span.muted { (p.description) } }
                    td { (p.sectors.join(", ")) }
                    td { (p.countries.join(", ")) }
                    td { (p.ends_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                } } }
            } }
            form.stack method="post" action="/ui/apply" {
                label { (w.t("ui-program"))
                    select name="program_id" required { @for p in &programs { option value=(p.id) { (p.name) } } }
                }
                label { (w.t("ui-org-name")) input name="name" required maxlength="200" autocomplete="organization"; }
                label { (w.t("ui-sector"))
                    input name="sector" required maxlength="64" list="sectors";
                    datalist #sectors { @for s in sectors(&programs) { option value=(s) {} } }
                }
                label { (w.t("ui-country-code")) input name="country" required maxlength="2" minlength="2" pattern="[A-Za-z]{2}" autocomplete="country"; }
                label { (w.t("ui-language"))
                    select name="language" { @for l in forewarn_l10n::LANGUAGES { option value=(l.code) selected[l.code == w.language.code] { (l.name) } } }
                }
                label { (w.t("ui-domains-field")) textarea name="domains" required rows="3" {} }
                fieldset {
                    legend { (w.t("ui-admin")) }
                    label { (w.t("ui-name")) input name="admin_name" required maxlength="200" autocomplete="name"; }
                    label { (w.t("ui-email")) input type="email" name="admin_email" required autocomplete="email"; }
                }
                p.muted { (w.t("ui-apply-contact-note")) }
                button type="submit" { (w.t("ui-apply-submit")) }
            }
        }
    };
    page(w, None, &w.t("ui-apply-title"), body)
}

fn sectors(programs: &[forewarn_store::Program]) -> Vec<String> {
    let mut all: Vec<String> = programs.iter().flat_map(|p| p.sectors.clone()).collect();
    all.sort();
    all.dedup();
    all
}

#[derive(Deserialize)]
pub struct ApplyForm {
    program_id: String,
    name: String,
    sector: String,
    country: String,
    language: String,
    domains: String,
    admin_name: String,
    admin_email: String,
}

pub async fn apply_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    client: Client,
    axum::Form(form): axum::Form<ApplyForm>,
) -> Response {
    let w = visitor.words;
    let domains: Vec<String> = form
        .domains
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|d| !d.is_empty())
        .take(51)
        .map(str::to_owned)
        .collect();
    let application = Application {
        // The first admin is the first security contact; more are added after approval.
        contacts: vec![NewContact {
            name: form.admin_name.clone(),
            email: form.admin_email.clone(),
            language: form.language.clone(),
            channels: vec!["email".to_owned()],
        }],
        name: form.name,
        sector: form.sector,
        country: form.country.trim().to_ascii_uppercase(),
        program_id: form.program_id,
        domains,
        language: form.language,
        admin: Applicant {
            name: form.admin_name,
            email: form.admin_email,
        },
    };
    match crate::service::applications::apply(&state, client.0, application).await {
        Ok(applied) => {
            let body = html! {
                div.notice.ok role="status" {
                    p { (w.with("ui-applied-text", &[("org", applied.organization.name.clone().into())])) }
                }
                p { a href="/ui/login" { (w.t("ui-sign-in")) } }
            };
            let mut response = page(w, None, &w.t("ui-applied-title"), body);
            *response.status_mut() = StatusCode::CREATED;
            response
        }
        Err(error) => Failure::from((w, error)).into_response(),
    }
}

/// The organization's page: its state, the setup still to do, domains, contacts, webhooks.
pub async fn org_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
) -> Answer {
    let org = visible_org(&state, &viewer, &org).await?;
    viewer
        .caller()
        .require(&[Role::Operator, Role::Analyst, Role::OrgAdmin])
        .or_fail(&viewer)?;
    let domains = state.store.domains(&org.id).await.or_fail(&viewer)?;
    let contacts = state.store.contacts(&org.id).await.or_fail(&viewer)?;
    let webhooks = state.store.webhooks(&org.id).await.or_fail(&viewer)?;
    let people = state
        .store
        .users_of_org(&org.id, &forewarn_store::Page::default())
        .await
        .or_fail(&viewer)?;
    let manages = matches!(viewer.role(), Role::Operator | Role::OrgAdmin);
    let w = viewer.words;
    let base = format!("/ui/orgs/{}", org.id);
    let verified = domains
        .iter()
        .filter(|d| d.status == DomainStatus::Verified)
        .count();
    let steps = [
        (org.status == OrgStatus::Active, w.t("ui-step-approved")),
        (verified > 0, w.t("ui-step-domain")),
        (!contacts.is_empty(), w.t("ui-step-contacts")),
        (!webhooks.is_empty(), w.t("ui-step-webhook")),
        (people.len() > 1, w.t("ui-step-invite")),
    ];
    let body = html! {
        p { (w.t("ui-status")) ": " strong { (w.word("ui-org-status", org.status.as_str())) } " · " (org.sector) " · " (org.country) }
        @if viewer.role() == Role::Operator {
            div.actions {
                @if org.status == OrgStatus::Pending { (org_status_form(&viewer, &org, OrgStatus::Active, "ui-approve-org", "", true)) }
                @if org.status == OrgStatus::Active { (org_status_form(&viewer, &org, OrgStatus::Suspended, "ui-suspend-org", "secondary", true)) }
                @if org.status == OrgStatus::Suspended { (org_status_form(&viewer, &org, OrgStatus::Active, "ui-reinstate-org", "", true)) }
            }
        }
        h2 { (w.t("ui-setup")) }
        ul.checklist {
            @for (done, label) in &steps {
                li {
                    @if *done { span.done aria-hidden="true" { "✓ " } span.sr { (w.t("ui-done")) ": " } }
                    @else { span.todo aria-hidden="true" { "○ " } span.sr { (w.t("ui-to-do")) ": " } }
                    (label)
                }
            }
        }
        p { a href={ (base) "/incidents" } { (w.t("ui-nav-incidents")) } " · " a href={ (base) "/people" } { (w.t("ui-nav-people")) } }

        h2 #domains { (w.t("ui-domains")) }
        p.muted { (w.t("ui-domains-intro")) }
        div.table-wrap { table {
            thead { tr { th { (w.t("ui-domain")) } th { (w.t("ui-status")) } th { (w.t("ui-dns-record")) } th { span.muted { (w.t("ui-decision")) } } } }
            tbody { @for d in &domains { tr {
                td.mono { (d.name) }
                td { (w.word("ui-domain-status", d.status.as_str())) @if let Some(at) = &d.verified_at { br; span.muted { (when(at)) } } }
                td {
                    @if d.status != DomainStatus::Verified {
                        dl.facts {
                            dt { (w.t("ui-record-type")) } dd.mono { "TXT" }
                            dt { (w.t("ui-record-name")) } dd.mono { (crate::dns::record_name(&d.name)) }
                            dt { (w.t("ui-record-value")) } dd.mono { (crate::dns::record_value(&d.token)) }
                        }
                    } @else { "—" }
                }
                td {
                    @if manages && d.status != DomainStatus::Verified && org.status == OrgStatus::Active {
                        (verify_form(&viewer, &base, d, "dns", &w.t("ui-check-now"), ""))
                        " "
                        (verify_form(&viewer, &base, d, "email", &w.t("ui-mail-postmaster"), "secondary"))
                    }
                }
            } } }
        } }
        @if manages {
            form.row method="post" action={ (base) "/domains" } {
                (csrf_field(&viewer))
                label { (w.t("ui-add-domain")) input name="name" required maxlength="253"; }
                button type="submit" { (w.t("ui-add")) }
            }
        }

        h2 #contacts { (w.t("ui-contacts")) }
        p.muted { (w.t("ui-contacts-intro")) }
        @if manages {
            form.stack method="post" action={ (base) "/contacts" } {
                (csrf_field(&viewer))
                @for i in 0..CONTACT_ROWS {
                    @let c = contacts.get(i);
                    fieldset {
                        legend { (w.with("ui-contact-n", &[("n", (i as i64 + 1).into())])) }
                        label { (w.t("ui-name")) input name={ "name_" (i) } value=[c.map(|c| c.name.as_str())] maxlength="200"; }
                        label { (w.t("ui-email")) input type="email" name={ "email_" (i) } value=[c.map(|c| c.email.as_str())]; }
                        label { (w.t("ui-language"))
                            select name={ "language_" (i) } { @for l in forewarn_l10n::LANGUAGES { option value=(l.code) selected[c.map_or(l.code == org.language.as_str(), |c| c.language == l.code)] { (l.name) } } }
                        }
                        label.check { input type="checkbox" name={ "by_email_" (i) } checked[c.is_none_or(|c| c.channels.iter().any(|x| x == "email"))]; (w.t("ui-channel-email")) }
                        label.check { input type="checkbox" name={ "by_webhook_" (i) } checked[c.is_some_and(|c| c.channels.iter().any(|x| x == "webhook"))]; (w.t("ui-channel-webhook")) }
                    }
                }
                button type="submit" { (w.t("ui-save-contacts")) }
            }
        } @else {
            ul { @for c in &contacts { li { (c.name) " · " span.mono { (c.email) } } } }
        }

        h2 #webhooks { (w.t("ui-webhooks")) }
        p.muted { (w.t("ui-webhooks-intro")) }
        @if !webhooks.is_empty() {
            div.table-wrap { table {
                thead { tr { th { "URL" } th { (w.t("ui-description")) } th { (w.t("ui-status")) } } }
                tbody { @for h in &webhooks { tr { td.mono { (h.url) } td { (h.description) } td { (w.word("ui-endpoint-status", h.status.as_str())) } } } }
            } }
        }
        @if manages {
            form.row method="post" action={ (base) "/webhooks" } {
                (csrf_field(&viewer))
                label { "URL" input type="url" name="url" required placeholder="https://"; }
                label { (w.t("ui-description")) input name="description" maxlength="200"; }
                button type="submit" { (w.t("ui-add")) }
            }
            h2 { (w.t("ui-test-title")) }
            p.muted { (w.t("ui-test-intro")) }
            (button(&viewer, &format!("{base}/test-notification"), &w.t("ui-test-send"), "secondary"))
        }
    };
    Ok(page(w, Some(&viewer), &org.name, body))
}

fn verify_form(
    viewer: &Viewer,
    base: &str,
    domain: &forewarn_store::Domain,
    method: &str,
    label: &str,
    class: &str,
) -> maud::Markup {
    html! {
        form.inline method="post" action={ (base) "/domains/" (domain.id) "/verify" } {
            (csrf_field(viewer))
            input type="hidden" name="method" value=(method);
            button type="submit" class=(class) aria-label={ (label) " " (domain.name) } { (label) }
        }
    }
}

#[derive(Deserialize)]
pub struct DomainForm {
    name: String,
}

pub async fn add_domain(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<DomainForm>,
) -> Answer {
    let viewer = posted.viewer;
    let target = format!("/ui/orgs/{org}#domains");
    domains::add_domain(
        &state,
        &viewer.caller(),
        &OrgId(org),
        domains::NewDomain {
            name: posted.form.name,
        },
    )
    .await
    .or_fail(&viewer)?;
    Ok(back_to(&target))
}

#[derive(Deserialize)]
pub struct VerifyForm {
    method: VerificationMethod,
}

pub async fn verify_domain(
    State(state): State<AppState>,
    Path((org, id)): Path<(String, String)>,
    posted: Posted<VerifyForm>,
) -> Answer {
    let viewer = posted.viewer;
    let w = viewer.words;
    let method = posted.form.method;
    let verified = domains::verify_domain(
        &state,
        &viewer.caller(),
        &OrgId(org.clone()),
        &DomainId(id),
        domains::Verification { method },
    )
    .await
    .or_fail(&viewer)?;
    let (view, said) = match verified {
        domains::Verified::LinkSent(view) => (view, "ui-postmaster-sent"),
        domains::Verified::Now(view) => (view, "ui-domain-verified"),
    };
    let text = w.with(said, &[("domain", view.domain.name.clone().into())]);
    let body = html! {
        div.notice.ok role="status" { p { (text) } }
        p { a href={ "/ui/orgs/" (org) "#domains" } { (w.t("ui-back")) } }
    };
    Ok(page(w, Some(&viewer), &view.domain.name, body))
}

pub async fn save_contacts(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<HashMap<String, String>>,
) -> Answer {
    // Up to CONTACT_ROWS rows of fields `name_0`, `email_0`, …; a row without an address is
    // left out.
    let viewer = posted.viewer;
    let fields = posted.form;
    let field = |name: &str, i: usize| fields.get(&format!("{name}_{i}")).cloned();
    let contacts: Vec<NewContact> = (0..CONTACT_ROWS)
        .filter_map(|i| {
            let email = field("email", i).filter(|e| !e.trim().is_empty())?;
            let mut channels = Vec::new();
            if field("by_email", i).is_some() {
                channels.push("email".to_owned());
            }
            if field("by_webhook", i).is_some() {
                channels.push("webhook".to_owned());
            }
            Some(NewContact {
                name: field("name", i).unwrap_or_default(),
                email,
                language: field("language", i).unwrap_or_else(|| "en".to_owned()),
                channels,
            })
        })
        .collect();
    let target = format!("/ui/orgs/{org}#contacts");
    crate::service::contacts::put_contacts(&state, &viewer.caller(), &OrgId(org), contacts)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&target))
}

#[derive(Deserialize)]
pub struct WebhookForm {
    url: String,
    #[serde(default)]
    description: String,
}

/// Adds an endpoint and shows its signing secret, the one time it is shown.
pub async fn add_webhook(
    State(state): State<AppState>,
    Path(org): Path<String>,
    posted: Posted<WebhookForm>,
) -> Answer {
    let viewer = posted.viewer;
    let w = viewer.words;
    let added = crate::service::webhooks::add_webhook(
        &state,
        &viewer.caller(),
        &OrgId(org.clone()),
        crate::service::webhooks::NewWebhook {
            url: posted.form.url,
            description: posted.form.description,
        },
    )
    .await
    .or_fail(&viewer)?;
    let body = html! {
        div.notice.ok role="status" {
            p { (w.t("ui-webhook-secret-intro")) }
            p { code #secret { (added.secret) } }
        }
        p.muted { (w.t("ui-webhook-secret-note")) }
        p { a href={ "/ui/orgs/" (org) "#webhooks" } { (w.t("ui-back")) } }
    };
    Ok(page(w, Some(&viewer), &added.endpoint.url, body))
}

pub async fn test_notification(
    State(state): State<AppState>,
    client: Client,
    Path(org): Path<String>,
    posted: Posted<super::Nothing>,
) -> Answer {
    let viewer = posted.viewer;
    let w = viewer.words;
    let results = crate::service::contacts::send_test_notification(
        &state,
        client.0,
        &viewer.caller(),
        &OrgId(org.clone()),
    )
    .await
    .or_fail(&viewer)?;
    let body = html! {
        @if results.is_empty() { div.notice.error role="alert" { p { (w.t("ui-test-nobody")) } } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-channel")) } th { (w.t("ui-recipient")) } th { (w.t("ui-result")) } } }
                tbody { @for r in &results { tr {
                    td { (w.word("ui-channel", &r.channel)) }
                    td.mono { (r.recipient) }
                    td { @if r.delivered { span.badge.ok { (w.t("ui-delivered")) } } @else { (w.t("ui-not-delivered")) ": " (r.error.clone().unwrap_or_default()) } }
                } } }
            } }
        }
        p { a href={ "/ui/orgs/" (org) } { (w.t("ui-back")) } }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-test-title"), body))
}

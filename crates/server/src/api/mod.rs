//! The REST API under /api/v1. Each module is one noun; every operation states in the OpenAPI
//! document which roles may call it (`x-forewarn-roles`, `public` for anyone), and the
//! tenant-isolation test holds the handlers to it.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod campaigns;
pub mod confirmations;
pub mod contacts;
pub mod dead_letters;
pub mod domains;
pub mod feeds;
pub mod incidents;
pub mod indicators;
pub mod members;
pub mod messages;
pub mod orgs;
pub mod programs;
pub mod second_factors;
pub mod session;
pub mod sightings;
pub mod staff;
pub mod suppressions;
pub mod tokens;
pub mod webhooks;

use axum::routing::{delete, get, post};
use axum::Router;
use forewarn_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::error::{ApiError, ErrorBody};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/programs",
            get(programs::list_programs).post(programs::create_program),
        )
        .route(
            "/programs/{program_id}",
            get(programs::get_program).patch(programs::update_program),
        )
        .route("/applications", post(applications::apply))
        .route(
            "/session",
            post(session::create_session).delete(session::delete_session),
        )
        .route("/me", get(session::me))
        .route("/me/password", axum::routing::put(session::change_password))
        .route(
            "/me/second-factors",
            get(second_factors::list_second_factors),
        )
        .route(
            "/me/second-factors/passkey/options",
            post(second_factors::passkey_options),
        )
        .route(
            "/me/second-factors/passkey",
            post(second_factors::add_passkey),
        )
        .route("/me/second-factors/totp", post(second_factors::add_totp))
        .route(
            "/me/second-factors/{factor_id}/confirm",
            post(second_factors::confirm_totp),
        )
        .route(
            "/me/second-factors/{factor_id}",
            delete(second_factors::delete_second_factor),
        )
        .route(
            "/me/recovery-codes",
            post(second_factors::new_recovery_codes),
        )
        .route(
            "/session/second-factor",
            post(second_factors::give_second_factor),
        )
        .route(
            "/session/second-factor/options",
            post(second_factors::sign_in_options),
        )
        .route(
            "/tokens",
            get(tokens::list_tokens).post(tokens::create_token),
        )
        .route("/tokens/{token_id}", delete(tokens::delete_token))
        .route("/staff", get(staff::list_staff).post(staff::invite_staff))
        .route("/feeds", get(feeds::list_feeds).post(feeds::add_feed))
        .route("/sightings", get(sightings::list_sightings))
        .route("/campaigns", get(campaigns::list_campaigns))
        .route("/indicators", get(indicators::export_indicators))
        .route(
            "/feeds/{feed_id}",
            get(feeds::get_feed)
                .put(feeds::update_feed)
                .delete(feeds::delete_feed),
        )
        .route("/orgs", get(orgs::list_orgs))
        .route("/orgs/{org_id}", get(orgs::get_org))
        .route("/orgs/{org_id}/status", post(orgs::set_org_status))
        .route(
            "/orgs/{org_id}/notification-policy",
            axum::routing::put(orgs::set_notification_policy),
        )
        .route(
            "/orgs/{org_id}/webhooks",
            get(webhooks::list_webhooks).post(webhooks::add_webhook),
        )
        .route(
            "/orgs/{org_id}/webhooks/{webhook_id}",
            delete(webhooks::delete_webhook),
        )
        .route(
            "/orgs/{org_id}/webhooks/{webhook_id}/rotate",
            post(webhooks::rotate_webhook),
        )
        .route(
            "/orgs/{org_id}/webhooks/{webhook_id}/status",
            post(webhooks::set_webhook_status),
        )
        .route(
            "/orgs/{org_id}/domains",
            get(domains::list_domains).post(domains::add_domain),
        )
        .route(
            "/orgs/{org_id}/domains/{domain_id}",
            delete(domains::delete_domain),
        )
        .route(
            "/orgs/{org_id}/domains/{domain_id}/verify",
            post(domains::verify_domain),
        )
        .route(
            "/orgs/{org_id}/contacts",
            get(contacts::get_contacts).put(contacts::put_contacts),
        )
        .route(
            "/orgs/{org_id}/test-notification",
            post(contacts::send_test_notification),
        )
        .route(
            "/orgs/{org_id}/members",
            get(members::list_members).post(members::invite_member),
        )
        .route(
            "/orgs/{org_id}/members/{user_id}",
            delete(members::erase_member),
        )
        .route(
            "/orgs/{org_id}/members/{user_id}/invitation",
            post(members::resend_invitation),
        )
        .route(
            "/orgs/{org_id}/accounts",
            get(accounts::list_accounts).post(accounts::add_account),
        )
        .route(
            "/orgs/{org_id}/accounts/{account_id}/revoke",
            post(accounts::revoke_account),
        )
        .route(
            "/orgs/{org_id}/messages",
            get(messages::list_messages)
                .post(messages::upload_message)
                // Messages are larger than API bodies; the handler applies smtp.max_message_bytes.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/incidents", get(incidents::triage_incidents))
        .route(
            "/incidents/{incident_id}",
            get(incidents::triage_incident).patch(incidents::edit_incident),
        )
        .route(
            "/incidents/{incident_id}/approve",
            post(incidents::approve_incident),
        )
        .route(
            "/incidents/{incident_id}/dismiss",
            post(incidents::dismiss_incident),
        )
        .route("/orgs/{org_id}/incidents", get(incidents::list_incidents))
        .route(
            "/orgs/{org_id}/incidents/{incident_id}",
            get(incidents::get_incident),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/export",
            get(incidents::export_incident),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/status",
            post(incidents::set_incident_status),
        )
        .route("/dead-letters", get(dead_letters::list_dead_letters))
        .route(
            "/dead-letters/{dead_letter_id}/retry",
            post(dead_letters::retry_dead_letter),
        )
        .route(
            "/suppressions",
            get(suppressions::list_suppressions).post(suppressions::add_suppression),
        )
        .route(
            "/suppressions/{destination}",
            delete(suppressions::delete_suppression),
        )
        .route("/orgs/{org_id}/audit", get(audit::list_org_audit))
        .route("/audit", get(audit::list_audit))
        .route("/confirmations/{token}", post(confirmations::confirm))
        .route(
            "/invitations/{token}",
            post(confirmations::accept_invitation),
        )
}

#[derive(OpenApi)]
#[openapi(
    info(title = "forewarn", description = "A forewarn instance: programs, organizations, verified domains, people, consenting accounts, and the mail analysed for them."),
    paths(
        programs::list_programs, programs::get_program, programs::create_program, programs::update_program,
        applications::apply,
        session::create_session, session::delete_session, session::me, session::change_password,
        second_factors::list_second_factors, second_factors::passkey_options, second_factors::add_passkey,
        second_factors::add_totp, second_factors::confirm_totp, second_factors::delete_second_factor,
        second_factors::new_recovery_codes, second_factors::sign_in_options, second_factors::give_second_factor,
        tokens::list_tokens, tokens::create_token, tokens::delete_token,
        staff::list_staff, staff::invite_staff,
        feeds::list_feeds, feeds::add_feed, feeds::get_feed, feeds::update_feed, feeds::delete_feed,
        sightings::list_sightings, indicators::export_indicators, campaigns::list_campaigns,
        orgs::list_orgs, orgs::get_org, orgs::set_org_status, orgs::set_notification_policy,
        webhooks::list_webhooks, webhooks::add_webhook, webhooks::delete_webhook, webhooks::rotate_webhook, webhooks::set_webhook_status,
        domains::list_domains, domains::add_domain, domains::delete_domain, domains::verify_domain,
        contacts::get_contacts, contacts::put_contacts, contacts::send_test_notification,
        members::list_members, members::invite_member, members::erase_member, members::resend_invitation,
        accounts::list_accounts, accounts::add_account, accounts::revoke_account,
        messages::upload_message, messages::list_messages,
        incidents::triage_incidents, incidents::triage_incident, incidents::edit_incident, incidents::approve_incident, incidents::dismiss_incident,
        incidents::list_incidents, incidents::get_incident, incidents::export_incident, incidents::set_incident_status,
        dead_letters::list_dead_letters, dead_letters::retry_dead_letter,
        suppressions::list_suppressions, suppressions::add_suppression, suppressions::delete_suppression,
        audit::list_audit, audit::list_org_audit,
        confirmations::confirm, confirmations::accept_invitation,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security),
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        openapi.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    }
}

/// `?cursor=…&limit=…`: read a listing page by page, passing the previous page's
/// `next_cursor`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Where the previous page ended.
    pub cursor: Option<String>,
    /// At most this many items (1–500, 50 when absent).
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn page(&self) -> Result<Page, ApiError> {
        if let Some(cursor) = &self.cursor {
            if cursor.len() > 64 || !cursor.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ApiError::BadRequest(
                    "cursor is not one this API gave out".to_owned(),
                ));
            }
        }
        let limit = self.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            return Err(ApiError::BadRequest(
                "limit must be between 1 and 500".to_owned(),
            ));
        }
        Ok(Page {
            after: self.cursor.clone(),
            limit,
        })
    }
}

/// One page of a listing.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to read the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Listing<T> {
    pub fn new(items: Vec<T>, page: &Page, id: impl Fn(&T) -> String) -> Listing<T> {
        let next_cursor = if items.len() == page.limit as usize {
            items.last().map(id)
        } else {
            None
        };
        Listing { items, next_cursor }
    }
}

pub use crate::service::visible_org;

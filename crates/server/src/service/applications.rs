//! Applying to a program. The application is checked against the program's rules, and the
//! applicant sees every reason it is not eligible; an eligible one waits for the operator.

use forewarn_store::{NewContact, NewOrganization, Organization, ProgramId};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::limits::Bucket;
use crate::validate::{self, Reasons};
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub name: String,
    pub sector: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub program_id: String,
    /// The organization's mail domains; each is verified after approval.
    pub domains: Vec<String>,
    /// The language notifications are written in (BCP 47).
    pub language: String,
    pub contacts: Vec<NewContact>,
    /// The person applying, who becomes the organization's first admin.
    pub admin: Applicant,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub name: String,
    /// An address on one of the application's domains.
    pub email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Applied {
    pub organization: Organization,
    /// What happens next.
    pub next: String,
}

pub async fn apply(
    state: &AppState,
    client: std::net::IpAddr,
    application: Application,
) -> Result<Applied, ApiError> {
    state.limiter.check(
        Bucket::Enroll,
        client,
        state.config.limits.enroll_per_minute,
    )?;
    let mut reasons = Reasons::default();
    let name = reasons.check(validate::text("name", &application.name, 200));
    let sector = reasons.check(validate::sector(&application.sector));
    let country = reasons.check(validate::country(&application.country));
    let language = reasons.check(validate::language(&application.language));
    let mut domains = Vec::new();
    if reasons
        .check(validate::bounded("domains", &application.domains, 50))
        .is_some()
    {
        for domain in &application.domains {
            if let Some(d) = reasons.check(validate::domain(domain)) {
                if !domains.contains(&d) {
                    domains.push(d);
                }
            }
        }
    }
    if application.domains.is_empty() {
        reasons
            .0
            .push("list at least one of the organization's mail domains".to_owned());
    }
    let mut contacts = Vec::new();
    if reasons
        .check(validate::bounded("contacts", &application.contacts, 20))
        .is_some()
    {
        for contact in &application.contacts {
            if let Some(c) = check_contact(&mut reasons, contact) {
                contacts.push(c);
            }
        }
    }
    let admin_name = reasons.check(validate::text("admin.name", &application.admin.name, 200));
    let admin_email = reasons.check(validate::email(&application.admin.email));
    if let Some(email) = &admin_email {
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        if !domains.iter().any(|d| d == domain) {
            reasons
                .0
                .push("admin.email must be on one of the organization's domains".to_owned());
        }
    }
    reasons.into_result("the application is not valid")?;

    let program = state
        .store
        .find_program_by_id(&ProgramId(application.program_id.clone()))
        .await?
        .ok_or_else(|| {
            ApiError::invalid(
                "the application is not eligible",
                vec!["there is no such program".to_owned()],
            )
        })?;
    let (sector, country) = (sector.unwrap_or_default(), country.unwrap_or_default());
    let mut ineligible = Vec::new();
    if !program.sectors.contains(&sector) {
        ineligible.push(format!(
            "the {} program takes the sectors {}, not {sector}",
            program.name,
            program.sectors.join(", ")
        ));
    }
    if !program.countries.contains(&country) {
        ineligible.push(format!(
            "the {} program takes organizations in {}, not {country}",
            program.name,
            program.countries.join(", ")
        ));
    }
    if !program.is_open(chrono::Utc::now().date_naive()) {
        ineligible.push(format!(
            "the {} program ended on {}; it takes no new enrollments",
            program.name,
            program.ends_on.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    if !ineligible.is_empty() {
        return Err(ApiError::invalid(
            "the application is not eligible",
            ineligible,
        ));
    }

    let new = NewOrganization {
        name: name.unwrap_or_default(),
        sector,
        country,
        program_id: program.id.clone(),
        language: language.unwrap_or_default(),
        domains,
        contacts,
        admin_name: admin_name.unwrap_or_default(),
        admin_email: admin_email.unwrap_or_default(),
    };
    let (organization, _) = state.store.insert_application(&new).await?;
    let next = "The operator reviews the application. Once it is approved, the admin receives an invitation by mail; then verify the domains.".to_owned();
    Ok(Applied { organization, next })
}

pub fn check_contact(reasons: &mut Reasons, contact: &NewContact) -> Option<NewContact> {
    Some(NewContact {
        name: reasons.check(validate::text("contact name", &contact.name, 200))?,
        email: reasons.check(validate::email(&contact.email))?,
        language: reasons.check(validate::language(&contact.language))?,
        channels: reasons.check(validate::channels(&contact.channels))?,
    })
}

//! Programs: what the operator offers, to whom, until when. Anyone may read them, so an
//! applicant can see the rules before applying.

use forewarn_store::{NewProgram, Program, ProgramId, ProgramPatch, Role};

use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::validate::{self, Reasons};
use crate::AppState;

pub async fn list_programs(
    state: &AppState,
    query: PageQuery,
) -> Result<Listing<Program>, ApiError> {
    let page = query.page()?;
    let items = state.store.programs_page(&page).await?;
    Ok(Listing::new(items, &page, |p| p.id.0.clone()))
}

pub async fn get_program(state: &AppState, id: String) -> Result<Program, ApiError> {
    state
        .store
        .find_program_by_id(&ProgramId(id))
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn create_program(
    state: &AppState,
    caller: &Caller,
    mut new: NewProgram,
) -> Result<Program, ApiError> {
    caller.require(&[Role::Operator])?;
    let mut reasons = Reasons::default();
    new.name = reasons
        .check(validate::text("name", &new.name, 200))
        .unwrap_or_default();
    if !new.description.is_empty() {
        new.description = reasons
            .check(validate::text("description", &new.description, 2000))
            .unwrap_or_default();
    }
    new.sectors = check_sectors(&mut reasons, &new.sectors);
    new.countries = check_countries(&mut reasons, &new.countries);
    if let Some(warning) = &new.early_warning {
        check_warning(&mut reasons, warning);
    }
    reasons.into_result("the program is not valid")?;
    let program = state.store.insert_program(&caller.actor(), &new).await?;
    Ok(program)
}

pub async fn update_program(
    state: &AppState,
    caller: &Caller,
    id: String,
    mut patch: ProgramPatch,
) -> Result<Program, ApiError> {
    // Programs are public: a missing one is answered as missing to every role.
    let id = ProgramId(id);
    if state.store.find_program_by_id(&id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    caller.require(&[Role::Operator])?;
    let mut reasons = Reasons::default();
    if let Some(name) = &patch.name {
        patch.name = reasons.check(validate::text("name", name, 200));
    }
    if let Some(description) = &patch.description {
        patch.description = Some(if description.is_empty() {
            String::new()
        } else {
            reasons
                .check(validate::text("description", description, 2000))
                .unwrap_or_default()
        });
    }
    if let Some(sectors) = &patch.sectors {
        patch.sectors = Some(check_sectors(&mut reasons, sectors));
    }
    if let Some(countries) = &patch.countries {
        patch.countries = Some(check_countries(&mut reasons, countries));
    }
    if let Some(warning) = &patch.early_warning {
        check_warning(&mut reasons, warning);
    }
    reasons.into_result("the change is not valid")?;
    state
        .store
        .update_program(&caller.actor(), &id, &patch)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A count told from fewer than two organizations hit would name the one; links older than
/// 30 days are not a campaign under way.
fn check_warning(reasons: &mut Reasons, warning: &forewarn_store::EarlyWarning) {
    if !(2..=100).contains(&warning.k) {
        reasons
            .0
            .push("early_warning.k must be from 2 to 100".to_owned());
    }
    if !(1..=720).contains(&warning.window_hours) {
        reasons
            .0
            .push("early_warning.window_hours must be from 1 to 720".to_owned());
    }
}

fn check_sectors(reasons: &mut Reasons, sectors: &[String]) -> Vec<String> {
    if reasons
        .check(validate::bounded("sectors", sectors, 100))
        .is_none()
    {
        return Vec::new();
    }
    if sectors.is_empty() {
        reasons
            .0
            .push("a program needs at least one sector".to_owned());
    }
    sectors
        .iter()
        .filter_map(|s| reasons.check(validate::sector(s)))
        .collect()
}

fn check_countries(reasons: &mut Reasons, countries: &[String]) -> Vec<String> {
    if reasons
        .check(validate::bounded("countries", countries, 300))
        .is_none()
    {
        return Vec::new();
    }
    if countries.is_empty() {
        reasons
            .0
            .push("a program needs at least one country".to_owned());
    }
    let mut codes: Vec<String> = countries
        .iter()
        .filter_map(|c| reasons.check(validate::country(c)))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

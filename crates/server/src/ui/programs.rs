//! The operator's programs: who may apply (sectors, countries), until when, and from which
//! severity their organizations are told at once. Creating and changing one goes through the
//! API's handlers, with their validation and audit log.

use axum::extract::State;
use chrono::NaiveDate;
use forewarn_store::{EarlyWarning, NewProgram, NotifyAt, Program, ProgramPatch, Role, WarnScope};
use maud::{html, Markup};
use serde::Deserialize;

use super::{back_to, csrf_field, page, Answer, OrFail, Posted, Viewer, Words};
use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;

const THRESHOLDS: [NotifyAt; 5] = [
    NotifyAt::Critical,
    NotifyAt::High,
    NotifyAt::Medium,
    NotifyAt::Low,
    NotifyAt::Never,
];

fn threshold_name(w: Words, at: NotifyAt) -> String {
    match at {
        NotifyAt::Never => w.t("ui-notify-at-never"),
        other => w.t(&format!("severity-{}", other.as_str())),
    }
}

pub async fn programs_page(State(state): State<AppState>, viewer: Viewer) -> Answer {
    viewer
        .caller()
        .require(&[Role::Operator])
        .or_fail(&viewer)?;
    let programs = state.store.programs().await.or_fail(&viewer)?;
    let w = viewer.words;
    let body = html! {
        p.muted { (w.t("ui-programs-intro")) }
        @if programs.is_empty() { p { (w.t("ui-programs-none")) } } @else {
            div.table-wrap { table {
                thead { tr { th { (w.t("ui-program")) } th { (w.t("ui-sectors")) } th { (w.t("ui-countries")) } th { (w.t("ui-ends-on")) } th { (w.t("ui-program-notify-at")) } } }
                tbody { @for p in &programs { tr {
                    td { a href={ "#program-" (p.id.0) } { (p.name) } }
                    td { (p.sectors.join(", ")) }
                    td { (p.countries.join(", ")) }
                    td { (p.ends_on.map(|d| d.to_string()).unwrap_or_else(|| w.t("ui-program-no-end"))) }
                    td { (threshold_name(w, p.notify_at)) }
                } } }
            } }
        }
        h2 { (w.t("ui-program-new")) }
        (program_form(&viewer, None))
        @for p in &programs {
            section id={ "program-" (p.id.0) } {
                h2 { (p.name) }
                (program_form(&viewer, Some(p)))
            }
        }
    };
    Ok(page(w, Some(&viewer), &w.t("ui-programs"), body))
}

/// The form that creates a program (`None`) or changes one.
fn program_form(viewer: &Viewer, program: Option<&Program>) -> Markup {
    let w = viewer.words;
    let key = program.map_or("new".to_owned(), |p| p.id.0.clone());
    let field = |name: &str| format!("{name}-{key}");
    let action = program.map_or("/ui/programs".to_owned(), |p| {
        format!("/ui/programs/{}", p.id.0)
    });
    let notify_at = program.map_or(NotifyAt::default(), |p| p.notify_at);
    let warning = program.map_or(EarlyWarning::default(), |p| p.early_warning);
    html! {
        form.stack method="post" action=(action) {
            (csrf_field(viewer))
            label for=(field("name")) { (w.t("ui-program-name")) }
            input id=(field("name")) name="name" required maxlength="200" value=(program.map_or("", |p| p.name.as_str()));
            label for=(field("description")) { (w.t("ui-description")) }
            textarea id=(field("description")) name="description" maxlength="2000" rows="3" { (program.map_or("", |p| p.description.as_str())) }
            label for=(field("sectors")) { (w.t("ui-program-sectors-field")) }
            input id=(field("sectors")) name="sectors" required value=(program.map(|p| p.sectors.join(", ")).unwrap_or_default());
            label for=(field("countries")) { (w.t("ui-program-countries-field")) }
            input id=(field("countries")) name="countries" required value=(program.map(|p| p.countries.join(", ")).unwrap_or_default());
            label for=(field("ends_on")) { (w.t("ui-ends-on")) " " span.muted { (w.t("ui-program-ends-on-hint")) } }
            input id=(field("ends_on")) name="ends_on" type="date" value=(program.and_then(|p| p.ends_on).map(|d| d.to_string()).unwrap_or_default());
            label for=(field("notify_at")) { (w.t("ui-program-notify-at")) }
            select id=(field("notify_at")) name="notify_at" {
                @for at in THRESHOLDS {
                    option value=(at.as_str()) selected[at == notify_at] { (threshold_name(w, at)) }
                }
            }
            label.check {
                input id=(field("second_factor")) name="second_factor_required" type="checkbox" value="on" checked[program.is_some_and(|p| p.second_factor_required)];
                " " (w.t("ui-program-second-factor"))
            }
            fieldset {
                legend { (w.t("ui-program-early-warning")) }
                label.check {
                    input id=(field("warn_enabled")) name="warn_enabled" type="checkbox" value="on" checked[warning.enabled];
                    " " (w.t("ui-program-warn-enabled"))
                }
                label for=(field("warn_k")) { (w.t("ui-program-warn-k")) }
                input id=(field("warn_k")) name="warn_k" type="number" min="2" max="100" required value=(warning.k);
                label for=(field("warn_window_hours")) { (w.t("ui-program-warn-window")) }
                input id=(field("warn_window_hours")) name="warn_window_hours" type="number" min="1" max="720" required value=(warning.window_hours);
                label for=(field("warn_scope")) { (w.t("ui-program-warn-scope")) }
                select id=(field("warn_scope")) name="warn_scope" {
                    @for scope in [WarnScope::Sector, WarnScope::Country, WarnScope::Program] {
                        option value=(scope.as_str()) selected[scope == warning.scope] { (w.t(&format!("ui-warn-scope-{}", scope.as_str()))) }
                    }
                }
            }
            button type="submit" { (w.t(if program.is_some() { "ui-save" } else { "ui-program-create" })) }
        }
    }
}

#[derive(Deserialize)]
pub struct ProgramForm {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sectors: String,
    #[serde(default)]
    countries: String,
    #[serde(default)]
    ends_on: String,
    notify_at: NotifyAt,
    /// A checkbox: present ("on") when ticked, absent otherwise.
    #[serde(default)]
    second_factor_required: Option<String>,
    /// Early warning: a checkbox, and the rest as typed; absent from a form without them.
    #[serde(default)]
    warn_enabled: Option<String>,
    #[serde(default)]
    warn_k: Option<String>,
    #[serde(default)]
    warn_window_hours: Option<String>,
    #[serde(default)]
    warn_scope: Option<String>,
}

impl ProgramForm {
    /// The early-warning settings the form gives, if it has them; what does not read as a
    /// number is 0, which validation refuses with the field's name.
    fn early_warning(&self) -> Option<EarlyWarning> {
        let k = self.warn_k.as_deref()?;
        let number = |text: Option<&str>| text.and_then(|t| t.trim().parse().ok()).unwrap_or(0);
        Some(EarlyWarning {
            enabled: self.warn_enabled.is_some(),
            k: number(Some(k)),
            window_hours: number(self.warn_window_hours.as_deref()),
            scope: match self.warn_scope.as_deref() {
                Some("country") => WarnScope::Country,
                Some("program") => WarnScope::Program,
                _ => WarnScope::Sector,
            },
        })
    }
}

/// A list typed into one field: separated by commas, semicolons or lines, and for codes that
/// hold no spaces (countries) by spaces too. A sector typed with a space ("human rights") stays
/// whole, for validation to refuse it rather than to become two sectors.
fn list(field: &str, by_spaces: bool) -> Vec<String> {
    field
        .split(|c: char| matches!(c, ',' | ';' | '\n' | '\r') || (by_spaces && c.is_whitespace()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The end date as typed: empty for none.
fn end_date(viewer: &Viewer, field: &str) -> Result<Option<NaiveDate>, super::Failure> {
    let field = field.trim();
    if field.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(field, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            viewer.fail(ApiError::invalid(
                "the program is not valid",
                vec![format!("{field:?} is not a date (YYYY-MM-DD)")],
            ))
        })
}

pub async fn create(State(state): State<AppState>, posted: Posted<ProgramForm>) -> Answer {
    let viewer = posted.viewer;
    let form = posted.form;
    let warning = form.early_warning();
    let new = NewProgram {
        name: form.name,
        description: form.description,
        sectors: list(&form.sectors, false),
        countries: list(&form.countries, true),
        ends_on: end_date(&viewer, &form.ends_on)?,
        notify_at: Some(form.notify_at),
        second_factor_required: form.second_factor_required.is_some(),
        early_warning: warning,
    };
    let program = crate::service::programs::create_program(&state, &viewer.caller(), new)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&format!("/ui/programs#program-{}", program.id.0)))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ProgramForm>,
) -> Answer {
    let viewer = posted.viewer;
    let form = posted.form;
    let warning = form.early_warning();
    let patch = ProgramPatch {
        name: Some(form.name),
        description: Some(form.description),
        sectors: Some(list(&form.sectors, false)),
        countries: Some(list(&form.countries, true)),
        ends_on: Some(end_date(&viewer, &form.ends_on)?),
        notify_at: Some(form.notify_at),
        second_factor_required: Some(form.second_factor_required.is_some()),
        early_warning: warning,
    };
    let program = crate::service::programs::update_program(&state, &viewer.caller(), id, patch)
        .await
        .or_fail(&viewer)?;
    Ok(back_to(&format!("/ui/programs#program-{}", program.id.0)))
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn lists_typed_in_one_field() {
        assert_eq!(
            list("healthcare, ngo;lab\nclinic", false),
            ["healthcare", "ngo", "lab", "clinic"]
        );
        assert_eq!(list("human rights, ngo", false), ["human rights", "ngo"]);
        assert_eq!(list("fr sn,\tKE", true), ["fr", "sn", "KE"]);
        assert!(list(" , ", true).is_empty());
    }
}

//! Programs: what an operator offers, to which sectors and countries, until when.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::Record;
use crate::{
    json_list, new_id, now, time, to_json_list, word, Actor, Error, NotifyAt, Page, ProgramId,
    Result, Store,
};

/// Who is warned when a campaign reaches other member organizations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarnScope {
    /// Organizations of the same sector as one that was hit.
    Sector,
    /// Organizations of the same country.
    Country,
    /// Organizations of the same program.
    Program,
}

crate::words!(WarnScope, "warning scope", {
    Sector => "sector", Country => "country", Program => "program",
});

/// Early warning across a program's organizations: when the same campaign reaches two or
/// more member organizations within `window_hours`, the others in `scope` that it has not
/// reached are warned; how many were hit is told only from `k` on, so that no victim can be
/// inferred.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlyWarning {
    /// Whether the program's organizations are warned and their incidents linked to others'.
    pub enabled: bool,
    /// From how many organizations hit the count is told (at least 2).
    pub k: u32,
    /// How far back incidents are linked, in hours (1 to 720).
    pub window_hours: u32,
    /// Who is warned.
    pub scope: WarnScope,
}

impl Default for EarlyWarning {
    fn default() -> EarlyWarning {
        EarlyWarning {
            enabled: true,
            k: 3,
            window_hours: 72,
            scope: WarnScope::Sector,
        }
    }
}

/// A program organizations enroll in: whom it covers, until when, and what is told at once.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Program {
    /// The program's id.
    pub id: ProgramId,
    /// Its name, shown to applicants.
    pub name: String,
    /// What it offers and to whom, shown to applicants.
    pub description: String,
    /// Sectors whose organizations may enroll, such as `healthcare`.
    pub sectors: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries whose organizations may enroll.
    pub countries: Vec<String>,
    /// The last day of coverage: no enrollment is taken after it.
    pub ends_on: Option<NaiveDate>,
    /// The least severe incident its organizations are told about at once; the rest wait for
    /// an analyst. An organization may set its own.
    pub notify_at: NotifyAt,
    /// Whether its organizations' admins and members must sign in with a second factor too
    /// (the operator's staff always must).
    pub second_factor_required: bool,
    /// Early warning across its organizations.
    pub early_warning: EarlyWarning,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A program to make.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgram {
    /// Its name, shown to applicants.
    pub name: String,
    /// What it offers and to whom.
    #[serde(default)]
    pub description: String,
    /// Sectors whose organizations may enroll.
    pub sectors: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries whose organizations may enroll.
    pub countries: Vec<String>,
    /// The last day of coverage; none for an open-ended program.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// `high` when absent.
    #[serde(default)]
    pub notify_at: Option<NotifyAt>,
    /// Whether its organizations' people must sign in with a second factor; false when absent.
    #[serde(default)]
    pub second_factor_required: bool,
    /// Early warning across its organizations; on, k 3, 72 hours, the same sector when absent.
    #[serde(default)]
    pub early_warning: Option<EarlyWarning>,
}

/// A change to a program; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// The sectors, replacing the old list.
    pub sectors: Option<Vec<String>>,
    /// The countries, replacing the old list.
    pub countries: Option<Vec<String>>,
    /// `null` removes the end date.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// A new threshold for telling at once.
    pub notify_at: Option<NotifyAt>,
    /// Whether its organizations' people must sign in with a second factor.
    pub second_factor_required: Option<bool>,
    /// Early warning, replacing the old settings.
    pub early_warning: Option<EarlyWarning>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

impl Record for Program {
    const TABLE: &'static str = "programs";

    fn from_row(row: &AnyRow) -> Result<Program> {
        let ends_on: Option<String> = row.try_get("ends_on")?;
        Ok(Program {
            id: ProgramId(row.try_get("id")?),
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            sectors: json_list(row, "sectors")?,
            countries: json_list(row, "countries")?,
            ends_on: ends_on
                .map(|d| d.parse().map_err(|_| Error::Corrupt("end date", d)))
                .transpose()?,
            notify_at: word(row, "notify_at")?,
            second_factor_required: row.try_get::<i64, _>("second_factor_required")? != 0,
            early_warning: EarlyWarning {
                enabled: row.try_get::<i64, _>("warn_enabled")? != 0,
                k: u32::try_from(row.try_get::<i64, _>("warn_k")?).unwrap_or(3),
                window_hours: u32::try_from(row.try_get::<i64, _>("warn_window_hours")?)
                    .unwrap_or(72),
                scope: word(row, "warn_scope")?,
            },
            created_at: time(row, "created_at")?,
        })
    }
}

impl Program {
    /// Whether the program still takes enrollments on `today`.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.ends_on.is_none_or(|end| today <= end)
    }
}

impl Store {
    /// Makes a program and records who made it.
    pub async fn insert_program(&self, actor: &Actor, new: &NewProgram) -> Result<Program> {
        let id = ProgramId(new_id());
        let warning = new.early_warning.unwrap_or_default();
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO programs (id, name, description, sectors, countries, ends_on, notify_at, created_at, second_factor_required, \
             warn_enabled, warn_k, warn_window_hours, warn_scope) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id.0.clone())
        .bind(new.name.clone())
        .bind(new.description.clone())
        .bind(to_json_list(&new.sectors))
        .bind(to_json_list(&new.countries))
        .bind(new.ends_on.map(|d| d.to_string()))
        .bind(new.notify_at.unwrap_or_default().as_str())
        .bind(now())
        .bind(i64::from(new.second_factor_required))
        .bind(i64::from(warning.enabled))
        .bind(i64::from(warning.k))
        .bind(i64::from(warning.window_hours))
        .bind(warning.scope.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "a program with this name"))?;
        record(
            &mut tx,
            actor,
            None,
            "program.created",
            ("program", &id.0),
            serde_json::json!({ "name": new.name }),
        )
        .await?;
        tx.commit().await?;
        self.written(&id.0).await
    }

    /// The program with this id, if any.
    pub async fn find_program_by_id(&self, id: &ProgramId) -> Result<Option<Program>> {
        self.find_record(&id.0).await
    }

    /// The first 500 programs, by id (an operator runs a handful).
    pub async fn programs(&self) -> Result<Vec<Program>> {
        self.programs_page(&Page::first(500)).await
    }

    /// One page of programs, by id.
    pub async fn programs_page(&self, page: &Page) -> Result<Vec<Program>> {
        sqlx::query("SELECT * FROM programs WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(page.after().to_owned())
            .bind(page.limit())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Program::from_row)
            .collect()
    }

    /// Applies `patch`; `None` when there is no such program.
    pub async fn update_program(
        &self,
        actor: &Actor,
        id: &ProgramId,
        patch: &ProgramPatch,
    ) -> Result<Option<Program>> {
        let Some(mut program) = self.find_program_by_id(id).await? else {
            return Ok(None);
        };
        if let Some(name) = &patch.name {
            program.name = name.clone();
        }
        if let Some(description) = &patch.description {
            program.description = description.clone();
        }
        if let Some(sectors) = &patch.sectors {
            program.sectors = sectors.clone();
        }
        if let Some(countries) = &patch.countries {
            program.countries = countries.clone();
        }
        if let Some(ends_on) = patch.ends_on {
            program.ends_on = ends_on;
        }
        if let Some(notify_at) = patch.notify_at {
            program.notify_at = notify_at;
        }
        if let Some(required) = patch.second_factor_required {
            program.second_factor_required = required;
        }
        if let Some(warning) = patch.early_warning {
            program.early_warning = warning;
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE programs SET name = $2, description = $3, sectors = $4, countries = $5, ends_on = $6, notify_at = $7, \
             second_factor_required = $8, warn_enabled = $9, warn_k = $10, warn_window_hours = $11, \
             warn_scope = $12 WHERE id = $1",
        )
        .bind(id.0.clone())
        .bind(program.name.clone())
        .bind(program.description.clone())
        .bind(to_json_list(&program.sectors))
        .bind(to_json_list(&program.countries))
        .bind(program.ends_on.map(|d| d.to_string()))
        .bind(program.notify_at.as_str())
        .bind(i64::from(program.second_factor_required))
        .bind(i64::from(program.early_warning.enabled))
        .bind(i64::from(program.early_warning.k))
        .bind(i64::from(program.early_warning.window_hours))
        .bind(program.early_warning.scope.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "a program with this name"))?;
        if patch.notify_at.is_some() {
            sqlx::query(
                "UPDATE incidents SET held = 0 WHERE status = 'new' \
                 AND org_id IN (SELECT id FROM organizations WHERE program_id = $1)",
            )
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            actor,
            None,
            "program.updated",
            ("program", &id.0),
            serde_json::json!({
                "second_factor_required": program.second_factor_required,
                "early_warning": program.early_warning,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(program))
    }
}

//! What the operator's dashboard counts: organizations by program, sector, country and status,
//! enrolled accounts, notifications per day, incidents by actor and by kind. Each figure is
//! one grouped query, so the dashboard costs the same few statements however much is stored.

use chrono::Utc;
use sqlx::Row;

use crate::{Result, Store};

/// Counts for the operator's dashboard. Each list is (label, count), largest first.
#[derive(Clone, Debug, Default)]
pub struct Overview {
    /// Organizations by status.
    pub orgs_by_status: Vec<(String, i64)>,
    /// Active organizations only, by their program's name.
    pub orgs_by_program: Vec<(String, i64)>,
    /// Active organizations by sector.
    pub orgs_by_sector: Vec<(String, i64)>,
    /// Active organizations by country.
    pub orgs_by_country: Vec<(String, i64)>,
    /// Accounts watched now (confirmed), by kind.
    pub accounts_by_kind: Vec<(String, i64)>,
    /// Notifications created on each of the last `days` days (UTC), oldest first, days
    /// without any included.
    pub notifications_by_day: Vec<(chrono::NaiveDate, i64)>,
    /// The ten actors with the most incidents.
    pub incidents_by_actor: Vec<(String, i64)>,
    /// Incidents by kind.
    pub incidents_by_kind: Vec<(String, i64)>,
    /// Incidents by status.
    pub incidents_by_status: Vec<(String, i64)>,
    /// Messages that could not be analysed and wait for the operator.
    pub dead_letters: i64,
}

const DAY: i64 = 86_400;

impl Store {
    /// The dashboard's counts, with notifications over the last `days` days.
    pub async fn overview(&self, days: u32) -> Result<Overview> {
        let today = Utc::now().timestamp().div_euclid(DAY);
        let first = today - i64::from(days.clamp(1, 366)) + 1;
        let per_day = self
            .counts(
                "SELECT CAST(created_at / 86400 AS TEXT) AS label, COUNT(*) AS n FROM notifications \
                 WHERE created_at >= $1 GROUP BY created_at / 86400",
                Some(first * DAY),
            )
            .await?;
        let notifications_by_day = (first..=today)
            .map(|day| {
                let date = chrono::DateTime::from_timestamp(day * DAY, 0)
                    .unwrap_or_default()
                    .date_naive();
                let count = per_day
                    .iter()
                    .find(|(label, _)| label.parse::<i64>().ok() == Some(day))
                    .map_or(0, |(_, n)| *n);
                (date, count)
            })
            .collect();
        Ok(Overview {
            orgs_by_status: self
                .counts("SELECT status AS label, COUNT(*) AS n FROM organizations GROUP BY status", None)
                .await?,
            orgs_by_program: self
                .counts(
                    "SELECT p.name AS label, COUNT(*) AS n FROM organizations o JOIN programs p ON p.id = o.program_id \
                     WHERE o.status = 'active' GROUP BY p.name",
                    None,
                )
                .await?,
            orgs_by_sector: self
                .counts(
                    "SELECT sector AS label, COUNT(*) AS n FROM organizations WHERE status = 'active' GROUP BY sector",
                    None,
                )
                .await?,
            orgs_by_country: self
                .counts(
                    "SELECT country AS label, COUNT(*) AS n FROM organizations WHERE status = 'active' GROUP BY country",
                    None,
                )
                .await?,
            accounts_by_kind: self
                .counts(
                    "SELECT kind AS label, COUNT(*) AS n FROM accounts WHERE status = 'confirmed' GROUP BY kind",
                    None,
                )
                .await?,
            notifications_by_day,
            incidents_by_actor: {
                let mut actors = self
                    .counts(
                        "SELECT actor AS label, COUNT(*) AS n FROM incidents WHERE actor IS NOT NULL AND actor <> '' GROUP BY actor",
                        None,
                    )
                    .await?;
                actors.truncate(10);
                actors
            },
            incidents_by_kind: self
                .counts("SELECT kind AS label, COUNT(*) AS n FROM incidents GROUP BY kind", None)
                .await?,
            incidents_by_status: self
                .counts("SELECT status AS label, COUNT(*) AS n FROM incidents GROUP BY status", None)
                .await?,
            dead_letters: sqlx::query("SELECT COUNT(*) AS n FROM dead_letters")
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?,
        })
    }

    /// Runs a `label, n` grouping, largest first (then by label, so the order is stable).
    async fn counts(&self, sql: &str, since: Option<i64>) -> Result<Vec<(String, i64)>> {
        let mut query = sqlx::query(sql);
        if let Some(since) = since {
            query = query.bind(since);
        }
        let mut rows = query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get::<String, _>("label")?,
                    row.try_get::<i64, _>("n")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(rows)
    }
}

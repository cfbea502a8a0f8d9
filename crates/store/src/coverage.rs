//! Telling organizations that their program's coverage ends: which ones are due, and a claim
//! per organization and end date so each is told once.

use chrono::NaiveDate;
use sqlx::Row;

use crate::{now, OrgId, Organization, Program, ProgramId, Result, Store};

impl Store {
    /// Active organizations whose program ends between `today` and `until` (inclusive) and
    /// that have not been told about that end date yet, with their program.
    pub async fn coverage_ending(
        &self,
        today: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<(Organization, Program)>> {
        let rows = sqlx::query(
            "SELECT o.id AS org_id, p.id AS program_id FROM organizations o JOIN programs p ON p.id = o.program_id \
             WHERE o.status = 'active' AND p.ends_on IS NOT NULL AND p.ends_on >= $1 AND p.ends_on <= $2 \
             AND NOT EXISTS (SELECT 1 FROM coverage_notices n WHERE n.org_id = o.id AND n.ends_on = p.ends_on) \
             ORDER BY o.id",
        )
        .bind(today.to_string())
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::new();
        for row in rows {
            let org = self.find_org_by_id(&OrgId(row.try_get("org_id")?)).await?;
            let program = self
                .find_program_by_id(&ProgramId(row.try_get("program_id")?))
                .await?;
            if let (Some(org), Some(program)) = (org, program) {
                due.push((org, program));
            }
        }
        Ok(due)
    }

    /// Claims the notice for one organization and end date; `false` when it was already
    /// claimed (by this process or another).
    pub async fn claim_coverage_notice(&self, org: &OrgId, ends_on: NaiveDate) -> Result<bool> {
        let inserted = sqlx::query("INSERT INTO coverage_notices (org_id, ends_on, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(org.0.clone())
            .bind(ends_on.to_string())
            .bind(now())
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(inserted == 1)
    }

    /// Gives a claim back when the notice could not be sent, so that a later run tries again.
    pub async fn release_coverage_notice(&self, org: &OrgId, ends_on: NaiveDate) -> Result<()> {
        sqlx::query("DELETE FROM coverage_notices WHERE org_id = $1 AND ends_on = $2")
            .bind(org.0.clone())
            .bind(ends_on.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

//! Campaigns that reach several member organizations, and the warnings sent to the others.
//!
//! The facts come from what correlation already keeps: each incident's keys (the indicators,
//! senders and attachments it is recognized by) and its messages' findings. A campaign is
//! recorded under the key its organizations share; the analysts see which organizations it
//! reached (`campaign_orgs`), the warned organizations only ever get a count. Warnings are
//! claimed with a lease like coverage notices, so that several notifiers send each once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{
    new_id, now, time, word, CampaignId, IncidentId, IncidentKind, OrgId, Page, ProgramId, Result,
    Store, WarnScope,
};

/// An incident as early warning links it to others: its organization, what it is recognized
/// by, and its program's settings.
#[derive(Clone, Debug)]
pub struct CampaignSignal {
    /// The incident.
    pub incident_id: IncidentId,
    /// Its organization.
    pub org_id: OrgId,
    /// What kind of attack it is.
    pub kind: IncidentKind,
    /// The actor it was attributed to, if any.
    pub actor: Option<String>,
    /// Unix seconds.
    pub first_seen: i64,
    /// Unix seconds.
    pub last_seen: i64,
    /// Its correlation keys (`indicator:…`, `sender:…`, `attachment:…`; not `actor:…`).
    pub keys: Vec<String>,
    /// Its messages' findings, as stored (JSON arrays).
    pub findings: Vec<String>,
    /// How far back its program links incidents, in hours.
    pub window_hours: u32,
}

/// A campaign to record: the key its organizations share, and what the warnings say.
#[derive(Clone, Debug)]
pub struct NewCampaign {
    /// The key it is recorded under (the smallest shared key).
    pub key: String,
    /// A name that names no organization: the actor, or what it uses.
    pub name: String,
    /// The kind of attack, for the steps to take.
    pub kind: IncidentKind,
    /// The actor, if attributed.
    pub actor: Option<String>,
    /// What to block, as `kind:value`.
    pub indicators: Vec<String>,
    /// The organizations it reached.
    pub orgs: Vec<OrgId>,
    /// Unix seconds.
    pub first_seen: i64,
    /// Unix seconds.
    pub last_seen: i64,
}

/// A campaign as the analysts see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Campaign {
    /// The campaign's id.
    pub id: CampaignId,
    /// Its name: the actor, or what it uses; never an organization.
    pub name: String,
    /// The kind of attack.
    pub kind: IncidentKind,
    /// The actor, if attributed.
    pub actor: Option<String>,
    /// What to block, as `kind:value`.
    pub indicators: Vec<String>,
    /// How many member organizations it reached.
    pub orgs_hit: i64,
    /// Which: for the operator's staff only.
    pub org_ids: Vec<OrgId>,
    /// How many organizations were warned so far.
    pub warned: i64,
    /// When it was first seen.
    pub first_seen: DateTime<Utc>,
    /// When it was last seen.
    pub last_seen: DateTime<Utc>,
    /// When it was recognized as reaching several organizations.
    pub created_at: DateTime<Utc>,
}

/// An organization that may be warned, with what decides whether it is.
#[derive(Clone, Debug)]
pub struct WarningAudience {
    /// The organization.
    pub org_id: OrgId,
    /// Its sector.
    pub sector: String,
    /// Its country.
    pub country: String,
    /// Its program.
    pub program_id: ProgramId,
    /// Whether its program takes part in early warning.
    pub enabled: bool,
    /// Its program's scope, used when one of its organizations is hit.
    pub scope: WarnScope,
}

/// A warning claimed for sending.
#[derive(Clone, Debug)]
pub struct WarningDue {
    /// The campaign.
    pub campaign: Campaign,
    /// The organization to warn.
    pub org_id: OrgId,
    /// From how many organizations hit its program tells the count.
    pub k: u32,
}

impl Store {
    /// The open incidents of organizations taking part in early warning, last seen at or after
    /// `since` (Unix seconds), with their keys and findings.
    pub async fn campaign_signals(&self, since: i64) -> Result<Vec<CampaignSignal>> {
        let rows = sqlx::query(
            "SELECT i.id, i.org_id, i.kind, i.actor, i.first_seen, i.last_seen, p.warn_window_hours \
             FROM incidents i JOIN organizations o ON o.id = i.org_id \
             JOIN programs p ON p.id = o.program_id \
             WHERE i.last_seen >= $1 AND i.status <> 'false_positive' AND o.status = 'active' \
             AND p.warn_enabled = 1 ORDER BY i.id LIMIT 20000",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        let mut signals = Vec::with_capacity(rows.len());
        let mut index = std::collections::HashMap::new();
        for row in &rows {
            let id: String = row.try_get("id")?;
            index.insert(id.clone(), signals.len());
            signals.push(CampaignSignal {
                incident_id: IncidentId(id),
                org_id: OrgId(row.try_get("org_id")?),
                kind: word(row, "kind")?,
                actor: row.try_get("actor")?,
                first_seen: row.try_get("first_seen")?,
                last_seen: row.try_get("last_seen")?,
                keys: Vec::new(),
                findings: Vec::new(),
                window_hours: u32::try_from(row.try_get::<i64, _>("warn_window_hours")?)
                    .unwrap_or(72),
            });
        }
        let keys = sqlx::query(
            "SELECT k.incident_id, k.key FROM incident_keys k JOIN incidents i ON i.id = k.incident_id \
             WHERE i.last_seen >= $1 AND k.key NOT LIKE 'actor:%'",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        for row in &keys {
            let id: String = row.try_get("incident_id")?;
            if let Some(&n) = index.get(&id) {
                signals[n].keys.push(row.try_get("key")?);
            }
        }
        let findings = sqlx::query(
            "SELECT im.incident_id, m.findings FROM incident_messages im \
             JOIN incidents i ON i.id = im.incident_id JOIN messages m ON m.id = im.message_id \
             WHERE i.last_seen >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        for row in &findings {
            let id: String = row.try_get("incident_id")?;
            if let Some(&n) = index.get(&id) {
                if signals[n].findings.len() < 50 {
                    signals[n].findings.push(row.try_get("findings")?);
                }
            }
        }
        Ok(signals)
    }

    /// Records a campaign under its key, or brings the one recorded up to date; answers it and
    /// whether it is new.
    pub async fn record_campaign(&self, new: &NewCampaign) -> Result<(Campaign, bool)> {
        let at = now();
        let indicators = serde_json::to_string(&new.indicators)
            .map_err(|e| crate::Error::Corrupt("campaign indicators", e.to_string()))?;
        let mut tx = self.writer.begin().await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT id FROM campaigns WHERE key = $1")
                .bind(new.key.clone())
                .fetch_optional(&mut *tx)
                .await?;
        let created = existing.is_none();
        let id = existing.unwrap_or_else(new_id);
        if created {
            sqlx::query(
                "INSERT INTO campaigns (id, key, name, kind, actor, indicators, orgs_hit, first_seen, \
                 last_seen, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $9)",
            )
            .bind(id.clone())
            .bind(new.key.clone())
            .bind(new.name.clone())
            .bind(new.kind.as_str())
            .bind(new.actor.clone())
            .bind(indicators)
            .bind(new.first_seen)
            .bind(new.last_seen)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE campaigns SET name = $2, kind = $3, actor = $4, indicators = $5, \
                 first_seen = CASE WHEN $6 < first_seen THEN $6 ELSE first_seen END, \
                 last_seen = CASE WHEN $7 > last_seen THEN $7 ELSE last_seen END, updated_at = $8 \
                 WHERE id = $1",
            )
            .bind(id.clone())
            .bind(new.name.clone())
            .bind(new.kind.as_str())
            .bind(new.actor.clone())
            .bind(indicators)
            .bind(new.first_seen)
            .bind(new.last_seen)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        for org in &new.orgs {
            sqlx::query(
                "INSERT INTO campaign_orgs (campaign_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(id.clone())
            .bind(org.0.clone())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE campaigns SET orgs_hit = (SELECT COUNT(*) FROM campaign_orgs WHERE campaign_id = $1) \
             WHERE id = $1",
        )
        .bind(id.clone())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let campaign = self
            .find_campaign(&CampaignId(id))
            .await?
            .ok_or_else(|| crate::Error::Corrupt("campaign", new.key.clone()))?;
        Ok((campaign, created))
    }

    /// The campaign with this id, if any.
    pub async fn find_campaign(&self, id: &CampaignId) -> Result<Option<Campaign>> {
        let row = sqlx::query("SELECT * FROM campaigns WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.campaign_from(&row).await?)),
            None => Ok(None),
        }
    }

    /// One page of campaigns, newest first by id order.
    pub async fn campaigns(&self, page: &Page) -> Result<Vec<Campaign>> {
        let rows = sqlx::query("SELECT * FROM campaigns WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(page.after().to_owned())
            .bind(page.limit())
            .fetch_all(&self.pool)
            .await?;
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in &rows {
            campaigns.push(self.campaign_from(row).await?);
        }
        Ok(campaigns)
    }

    /// The `limit` campaigns recognized last, newest first.
    pub async fn recent_campaigns(&self, limit: u32) -> Result<Vec<Campaign>> {
        let rows = sqlx::query("SELECT * FROM campaigns ORDER BY id DESC LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in &rows {
            campaigns.push(self.campaign_from(row).await?);
        }
        Ok(campaigns)
    }

    async fn campaign_from(&self, row: &AnyRow) -> Result<Campaign> {
        let id: String = row.try_get("id")?;
        let org_ids: Vec<String> = sqlx::query_scalar(
            "SELECT org_id FROM campaign_orgs WHERE campaign_id = $1 ORDER BY org_id",
        )
        .bind(id.clone())
        .fetch_all(&self.pool)
        .await?;
        let warned: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM campaign_warnings WHERE campaign_id = $1 AND sent_at IS NOT NULL",
        )
        .bind(id.clone())
        .fetch_one(&self.pool)
        .await?;
        let indicators: String = row.try_get("indicators")?;
        Ok(Campaign {
            id: CampaignId(id),
            name: row.try_get("name")?,
            kind: word(row, "kind")?,
            actor: row.try_get("actor")?,
            indicators: serde_json::from_str(&indicators)
                .map_err(|e| crate::Error::Corrupt("campaign indicators", e.to_string()))?,
            orgs_hit: row.try_get("orgs_hit")?,
            org_ids: org_ids.into_iter().map(OrgId).collect(),
            warned,
            first_seen: time(row, "first_seen")?,
            last_seen: time(row, "last_seen")?,
            created_at: time(row, "created_at")?,
        })
    }

    /// The active organizations, with what decides whether each is warned.
    pub async fn warning_audience(&self) -> Result<Vec<WarningAudience>> {
        let rows = sqlx::query(
            "SELECT o.id, o.sector, o.country, o.program_id, p.warn_enabled, p.warn_scope \
             FROM organizations o JOIN programs p ON p.id = o.program_id WHERE o.status = 'active'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WarningAudience {
                    org_id: OrgId(row.try_get("id")?),
                    sector: row.try_get("sector")?,
                    country: row.try_get("country")?,
                    program_id: ProgramId(row.try_get("program_id")?),
                    enabled: row.try_get::<i64, _>("warn_enabled")? != 0,
                    scope: word(row, "warn_scope")?,
                })
            })
            .collect()
    }

    /// Plans a warning of `campaign` for each of `orgs` not planned yet; answers how many.
    pub async fn plan_warnings(&self, campaign: &CampaignId, orgs: &[OrgId]) -> Result<usize> {
        let at = now();
        let mut planned = 0;
        let mut tx = self.writer.begin().await?;
        for org in orgs {
            planned += sqlx::query(
                "INSERT INTO campaign_warnings (campaign_id, org_id, due_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(campaign.0.clone())
            .bind(org.0.clone())
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(planned)
    }

    /// Claims up to `limit` warnings due at `at`, pushing their due time to `lease_until`.
    pub async fn claim_warnings(
        &self,
        at: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WarningDue>> {
        let rows = sqlx::query(
            "SELECT w.campaign_id, w.org_id, p.warn_k FROM campaign_warnings w \
             JOIN organizations o ON o.id = w.org_id JOIN programs p ON p.id = o.program_id \
             WHERE w.sent_at IS NULL AND w.due_at <= $1 ORDER BY w.due_at LIMIT $2",
        )
        .bind(at.timestamp())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in &rows {
            let campaign: String = row.try_get("campaign_id")?;
            let org: String = row.try_get("org_id")?;
            let taken = sqlx::query(
                "UPDATE campaign_warnings SET due_at = $3 WHERE campaign_id = $1 AND org_id = $2 \
                 AND sent_at IS NULL AND due_at <= $4",
            )
            .bind(campaign.clone())
            .bind(org.clone())
            .bind(lease_until.timestamp())
            .bind(at.timestamp())
            .execute(&self.writer)
            .await?
            .rows_affected();
            if taken == 1 {
                if let Some(found) = self.find_campaign(&CampaignId(campaign)).await? {
                    claimed.push(WarningDue {
                        campaign: found,
                        org_id: OrgId(org),
                        k: u32::try_from(row.try_get::<i64, _>("warn_k")?).unwrap_or(3),
                    });
                }
            }
        }
        Ok(claimed)
    }

    /// Records that a claimed warning was sent.
    pub async fn warning_sent(&self, campaign: &CampaignId, org: &OrgId) -> Result<()> {
        sqlx::query(
            "UPDATE campaign_warnings SET sent_at = $3 WHERE campaign_id = $1 AND org_id = $2",
        )
        .bind(campaign.0.clone())
        .bind(org.0.clone())
        .bind(now())
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}

//! Incidents: an organization's suspicious messages that share an actor, a sender, an
//! indicator or an attachment within a week, correlated into one thing to act on
//! ([`crate::correlation`]), with a lifecycle (new → notified → acknowledged → resolved, or
//! false positive) and an analyst's approval and edits. Telling the organization is
//! [`crate::notifications`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::{
    now, time, word, words, Account, AccountId, Actor, Error, IncidentId, MessageId, OrgId, Page,
    Result, Store, StoredMessage,
};

/// Where an incident is in its lifecycle; it only moves forward (see `may_become`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Opened, not yet told.
    New,
    /// The organization was told.
    Notified,
    /// Someone at the organization (or an analyst) saw it.
    Acknowledged,
    /// Dealt with.
    Resolved,
    /// Not an attack after all.
    FalsePositive,
}

words!(IncidentStatus, "incident status", {
    New => "new", Notified => "notified", Acknowledged => "acknowledged",
    Resolved => "resolved", FalsePositive => "false_positive"
});

impl IncidentStatus {
    /// Whether the incident still needs someone's attention (new, notified or acknowledged).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            IncidentStatus::New | IncidentStatus::Notified | IncidentStatus::Acknowledged
        )
    }

    /// Whether an incident in this state may move to `next`: forward through the lifecycle, or
    /// to false positive while open. Resolved and false-positive incidents stay closed.
    pub fn may_become(self, next: IncidentStatus) -> bool {
        use IncidentStatus::*;
        matches!(
            (self, next),
            (New, Notified | Acknowledged | Resolved | FalsePositive)
                | (Notified, Acknowledged | Resolved | FalsePositive)
                | (Acknowledged, Resolved | FalsePositive)
        )
    }
}

/// How grave an incident is; the strongest evidence among its messages decides. Ordered from
/// least to most severe.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Only weak evidence.
    Low,
    /// Medium evidence at most, or a verdict without any one strong cue.
    Medium,
    /// Strong evidence, such as a credential lure or a weaponized file.
    High,
    /// An indicator of a known actor, or evidence a detector ranks critical.
    Critical,
}

words!(Severity, "severity", {
    Critical => "critical", High => "high", Medium => "medium", Low => "low"
});

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The least severe incident told at once, without waiting for an analyst's approval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotifyAt {
    /// Only critical incidents.
    Critical,
    /// High and critical incidents (the default).
    #[default]
    High,
    /// Medium incidents and above.
    Medium,
    /// Every incident.
    Low,
    /// Every incident waits for an analyst.
    Never,
}

words!(NotifyAt, "notification threshold", {
    Critical => "critical", High => "high", Medium => "medium", Low => "low", Never => "never"
});

/// The SQL rank of a severity (or threshold) column: higher is more severe; `never` is above
/// all.
pub(crate) fn rank_sql(column: &str) -> String {
    format!(
        "(CASE {column} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 \
         WHEN 'low' THEN 1 WHEN 'never' THEN 9 ELSE 0 END)"
    )
}

/// What kind of attack an incident is: which playbook answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentKind {
    /// A link or form that asks for a password.
    CredentialPhishing,
    /// An attachment that runs code or carries an exploit.
    MaliciousDocument,
    /// A domain made to pass for the organization's own or a trusted sender's.
    LookalikeDomain,
    /// An account of the organization appears taken over; set by an analyst, never drafted from one message.
    AccountCompromise,
}

words!(IncidentKind, "incident kind", {
    CredentialPhishing => "credential-phishing",
    MaliciousDocument => "malicious-document",
    LookalikeDomain => "lookalike-domain",
    AccountCompromise => "account-compromise",
});

impl IncidentKind {
    /// Every kind, in the order people are shown them.
    pub const ALL: [IncidentKind; 4] = [
        IncidentKind::CredentialPhishing,
        IncidentKind::MaliciousDocument,
        IncidentKind::LookalikeDomain,
        IncidentKind::AccountCompromise,
    ];
}

impl std::fmt::Display for IncidentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a suspicious message's analysis proposes for correlation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentDraft {
    /// What kind of attack the message is.
    pub kind: IncidentKind,
    /// How grave the message's evidence is.
    pub severity: Severity,
    /// The actor the evidence points to, when it does.
    pub actor: Option<String>,
    /// A short line saying what happened, for the incident list.
    pub title: String,
    /// What the incident is recognized by (`actor:…`, `sender:…`, `indicator:…`).
    pub keys: Vec<String>,
}

/// Messages of one attack on one organization, grouped, and what was done about them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Incident {
    /// The incident's id.
    pub id: IncidentId,
    /// The organization attacked.
    pub org_id: OrgId,
    /// What kind of attack it is.
    pub kind: IncidentKind,
    /// How grave it is: the strongest evidence among its messages.
    pub severity: Severity,
    /// Where it is in its lifecycle.
    pub status: IncidentStatus,
    /// The actor the evidence points to, when it does.
    pub actor: Option<String>,
    /// A short line saying what happened.
    pub title: String,
    /// When its first message arrived.
    pub first_seen: DateTime<Utc>,
    /// When its latest message arrived.
    pub last_seen: DateTime<Utc>,
    /// How many messages it groups.
    pub message_count: i64,
    /// An analyst approved telling the organization, whatever the policy says.
    pub approved: bool,
    /// What the analyst added for the organization, sent with the notification.
    pub analyst_note: Option<String>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// An analyst's correction of an incident before it is told; absent fields stay.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentEdit {
    /// A new title.
    pub title: Option<String>,
    /// `critical`, `high`, `medium` or `low`.
    pub severity: Option<String>,
    /// `credential-phishing`, `malicious-document`, `lookalike-domain` or
    /// `account-compromise`.
    pub kind: Option<String>,
    /// The actor the analyst attributes it to.
    pub actor: Option<String>,
    /// A note for the organization, sent with the notification.
    pub analyst_note: Option<String>,
}

impl Incident {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Incident> {
        Ok(Incident {
            id: IncidentId(row.try_get("id")?),
            org_id: OrgId(row.try_get("org_id")?),
            kind: word(row, "kind")?,
            severity: word(row, "severity")?,
            status: word(row, "status")?,
            actor: row.try_get("actor")?,
            title: row.try_get("title")?,
            first_seen: time(row, "first_seen")?,
            last_seen: time(row, "last_seen")?,
            message_count: row.try_get("message_count")?,
            approved: row.try_get::<i64, _>("approved")? != 0,
            analyst_note: row.try_get("analyst_note")?,
            updated_at: time(row, "updated_at")?,
        })
    }
}

/// Accounts named in one notification, at most.
pub const EVIDENCE_ACCOUNTS: usize = 100;

/// What a notification tells about an incident, read by [`Store::incident_evidence`].
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The incident's first message.
    pub first: Option<StoredMessage>,
    /// The accounts targeted, at most [`EVIDENCE_ACCOUNTS`].
    pub accounts: Vec<Account>,
}

impl Store {
    /// Incidents, oldest first, page by page: of one organization, or (for staff) of all.
    pub async fn incidents(&self, org: Option<&OrgId>, page: &Page) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE ($1 = '' OR org_id = $1) AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(org.map(|o| o.0.clone()).unwrap_or_default())
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    /// An organization's incidents, newest first: the page before `before` (an incident id),
    /// or the newest when it is absent.
    pub async fn recent_incidents(
        &self,
        org: &OrgId,
        before: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE org_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(org.0.clone())
        .bind(before.unwrap_or("").to_owned())
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    /// Every organization's incidents, oldest first, only those in `status` when given.
    pub async fn incidents_in_state(
        &self,
        status: Option<IncidentStatus>,
        page: &Page,
    ) -> Result<Vec<Incident>> {
        sqlx::query(
            "SELECT * FROM incidents WHERE ($1 = '' OR status = $1) AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(status.map(|s| s.as_str().to_owned()).unwrap_or_default())
        .bind(page.after().to_owned())
        .bind(page.limit())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Incident::from_row)
        .collect()
    }

    /// The incident with this id, if any.
    pub async fn find_incident_by_id(&self, id: &IncidentId) -> Result<Option<Incident>> {
        sqlx::query("SELECT * FROM incidents WHERE id = $1")
            .bind(id.0.clone())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(Incident::from_row)
            .transpose()
    }

    /// The messages of an incident, by id.
    pub async fn incident_messages(&self, id: &IncidentId) -> Result<Vec<MessageId>> {
        Ok(sqlx::query_scalar(
            "SELECT message_id FROM incident_messages WHERE incident_id = $1 ORDER BY message_id",
        )
        .bind(id.0.clone())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(MessageId)
        .collect())
    }

    /// What the notifier tells about each of `incidents`, in their order: the first message
    /// and up to [`EVIDENCE_ACCOUNTS`] accounts targeted. A few statements for all of them,
    /// however many there are, instead of a few each.
    pub async fn incident_evidence(&self, incidents: &[Incident]) -> Result<Vec<Evidence>> {
        let mut firsts: HashMap<String, MessageId> = HashMap::new();
        let mut accounts: HashMap<String, Vec<Account>> = HashMap::new();
        for some in incidents.chunks(500) {
            let in_ids = crate::placeholders(1, some.len());
            let sql = format!(
                "SELECT incident_id, MIN(message_id) FROM incident_messages \
                 WHERE incident_id IN ({in_ids}) GROUP BY incident_id"
            );
            let mut query = sqlx::query_as::<_, (String, String)>(&sql);
            for incident in some {
                query = query.bind(incident.id.0.clone());
            }
            for (incident, message) in query.fetch_all(&self.pool).await? {
                firsts.insert(incident, MessageId(message));
            }
            let sql = format!(
                "SELECT t.incident_id AS targeted_in, a.* FROM accounts a JOIN \
                 (SELECT DISTINCT m.incident_id, ma.account_id FROM incident_messages m \
                  JOIN message_accounts ma ON ma.message_id = m.message_id WHERE m.incident_id IN ({in_ids})) t \
                 ON t.account_id = a.id ORDER BY t.incident_id, a.id"
            );
            let mut query = sqlx::query(&sql);
            for incident in some {
                query = query.bind(incident.id.0.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                let incident: String = row.try_get("targeted_in")?;
                let targeted = accounts.entry(incident).or_default();
                if targeted.len() < EVIDENCE_ACCOUNTS {
                    targeted.push(<Account as crate::Record>::from_row(&row)?);
                }
            }
        }
        let ids: Vec<&MessageId> = firsts.values().collect();
        let mut messages = self.messages_by_ids(&ids).await?;
        Ok(incidents
            .iter()
            .map(|incident| Evidence {
                // Only a message of the incident's own organization is ever told.
                first: firsts
                    .get(&incident.id.0)
                    .and_then(|id| messages.remove(id))
                    .filter(|message| message.org_id == incident.org_id),
                accounts: accounts
                    .remove(&incident.id.0)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|account| account.org_id == incident.org_id)
                    .collect(),
            })
            .collect())
    }

    /// Every account the incident's messages were addressed to.
    pub async fn incident_accounts(&self, id: &IncidentId) -> Result<Vec<AccountId>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT a.account_id FROM incident_messages m JOIN message_accounts a ON a.message_id = m.message_id \
             WHERE m.incident_id = $1 ORDER BY a.account_id",
        )
        .bind(id.0.clone())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AccountId)
        .collect())
    }

    /// Moves an incident along its lifecycle, audited. [`Error::State`] when the move is not
    /// allowed from where it is.
    pub async fn set_incident_status(
        &self,
        actor: &Actor,
        id: &IncidentId,
        status: IncidentStatus,
    ) -> Result<Option<Incident>> {
        self.move_incident(actor, id, status, &format!("incident.{}", status.as_str()))
            .await
    }

    /// An analyst's decision that a new incident is not worth telling: resolved, untold,
    /// recorded as dismissed. Later messages like it open new incidents (unlike a false
    /// positive).
    pub async fn dismiss_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
    ) -> Result<Option<Incident>> {
        if let Some(incident) = self.find_incident_by_id(id).await? {
            if incident.status != IncidentStatus::New {
                return Err(Error::State("only a new incident can be dismissed"));
            }
        }
        self.move_incident(actor, id, IncidentStatus::Resolved, "incident.dismissed")
            .await
    }

    async fn move_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
        status: IncidentStatus,
        action: &str,
    ) -> Result<Option<Incident>> {
        let Some(incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if incident.status == status {
            return Ok(Some(incident));
        }
        if !incident.status.may_become(status) {
            return Err(Error::State(
                "the incident is closed or already past that state",
            ));
        }
        let mut tx = self.writer.begin().await?;
        let moved = sqlx::query(
            "UPDATE incidents SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(status.as_str())
        .bind(now())
        .bind(id.0.clone())
        .bind(incident.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(Error::State("the incident changed meanwhile; try again"));
        }
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            action,
            ("incident", &id.0),
            serde_json::json!({ "from": incident.status.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }
}

impl Store {
    /// An analyst's approval to tell the organization about a new incident, whatever its
    /// severity and the policy; the notifier picks it up at once.
    pub async fn approve_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
    ) -> Result<Option<Incident>> {
        let Some(incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if incident.status != IncidentStatus::New {
            return Err(Error::State("only a new incident waits for approval"));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE incidents SET approved = 1, planned_at = NULL, held = 0, updated_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            "incident.approved",
            ("incident", &id.0),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }

    /// An analyst's correction of an open incident. [`Error::State`] for a closed one; the
    /// caller checks the words (a known severity, lengths).
    pub async fn edit_incident(
        &self,
        actor: &Actor,
        id: &IncidentId,
        edit: &IncidentEdit,
    ) -> Result<Option<Incident>> {
        let Some(mut incident) = self.find_incident_by_id(id).await? else {
            return Ok(None);
        };
        if !incident.status.is_open() {
            return Err(Error::State("a closed incident cannot be edited"));
        }
        if let Some(title) = &edit.title {
            incident.title = title.clone();
        }
        if let Some(severity) = &edit.severity {
            incident.severity = severity.parse()?;
        }
        if let Some(kind) = &edit.kind {
            incident.kind = kind.parse()?;
        }
        if let Some(actor_name) = &edit.actor {
            incident.actor = Some(actor_name.clone()).filter(|a| !a.is_empty());
        }
        if let Some(note) = &edit.analyst_note {
            incident.analyst_note = Some(note.clone()).filter(|n| !n.is_empty());
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE incidents SET title = $1, severity = $2, kind = $3, actor = $4, analyst_note = $5, \
             updated_at = $6, held = 0 WHERE id = $7",
        )
        .bind(incident.title.clone())
        .bind(incident.severity.as_str())
        .bind(incident.kind.as_str())
        .bind(incident.actor.clone())
        .bind(incident.analyst_note.clone())
        .bind(now())
        .bind(id.0.clone())
        .execute(&mut *tx)
        .await?;
        let changed: Vec<&str> = [
            ("title", edit.title.is_some()),
            ("severity", edit.severity.is_some()),
            ("kind", edit.kind.is_some()),
            ("actor", edit.actor.is_some()),
            ("analyst_note", edit.analyst_note.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect();
        record(
            &mut tx,
            actor,
            Some(&incident.org_id),
            "incident.edited",
            ("incident", &id.0),
            serde_json::json!({ "fields": changed }),
        )
        .await?;
        tx.commit().await?;
        self.find_incident_by_id(id).await
    }
}

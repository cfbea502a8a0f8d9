//! Organizations (the tenants) and their security contacts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::record;
use crate::Record;
use crate::{
    json_list, new_id, now, random_hex, time, to_json_list, word, words, Actor, ContactId, Error,
    NotifyAt, OrgId, Page, ProgramId, Result, Store, UserId,
};

/// Where an organization is in its membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgStatus {
    /// Applied, waiting for the operator.
    Pending,
    /// Approved: mail to its accounts and domains is watched.
    Active,
    /// Paused by the operator: mail to it is not watched until it is active again.
    Suspended,
    /// Removed or gone: its people's personal data has been erased.
    Left,
}

words!(OrgStatus, "organization status", {
    Pending => "pending", Active => "active", Suspended => "suspended", Left => "left",
});

impl OrgStatus {
    /// Whether the operator may move an organization from `self` to `to`.
    pub fn may_become(self, to: OrgStatus) -> bool {
        use OrgStatus::*;
        matches!(
            (self, to),
            (Pending, Active)
                | (Active, Suspended)
                | (Suspended, Active)
                | (Pending | Active | Suspended, Left)
        )
    }
}

/// A member organization of a program.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Organization {
    /// The organization's id.
    pub id: OrgId,
    /// Its name, as it applied.
    pub name: String,
    /// Its sector, one of its program's.
    pub sector: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The program it enrolled in.
    pub program_id: ProgramId,
    /// The language notifications and guidance are written in (BCP 47, such as `fr`).
    pub language: String,
    /// Where it is in its membership.
    pub status: OrgStatus,
    /// The least severe incident told at once, when the organization chose; its program's
    /// setting otherwise.
    pub notify_at: Option<NotifyAt>,
    /// When it applied.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Organization {
    const TABLE: &'static str = "organizations";

    fn from_row(row: &AnyRow) -> Result<Organization> {
        Ok(Organization {
            id: OrgId(row.try_get("id")?),
            name: row.try_get("name")?,
            sector: row.try_get("sector")?,
            country: row.try_get("country")?,
            program_id: ProgramId(row.try_get("program_id")?),
            language: row.try_get("language")?,
            status: word(row, "status")?,
            notify_at: row
                .try_get::<Option<String>, _>("notify_at")?
                .map(|w| w.parse())
                .transpose()?,
            created_at: time(row, "created_at")?,
            updated_at: time(row, "updated_at")?,
        })
    }
}

/// An application, already checked against the program's rules.
#[derive(Clone, Debug)]
pub struct NewOrganization {
    /// The organization's name.
    pub name: String,
    /// Its sector, one of the program's.
    pub sector: String,
    /// Its country, ISO 3166-1 alpha-2.
    pub country: String,
    /// The program applied to.
    pub program_id: ProgramId,
    /// The language it is written to in (BCP 47).
    pub language: String,
    /// The mail domains it holds, to be verified once it is approved.
    pub domains: Vec<String>,
    /// Who receives its notifications.
    pub contacts: Vec<NewContact>,
    /// The person applying, who becomes the organization's first admin once it is approved.
    pub admin_name: String,
    /// The applicant's sign-in address.
    pub admin_email: String,
}

/// Who receives notifications, in which language, over which channels.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Contact {
    /// The contact's id.
    pub id: ContactId,
    /// The contact's name, or a role such as "IT security".
    pub name: String,
    /// Where notifications are mailed.
    pub email: String,
    /// The language they are written in (BCP 47).
    pub language: String,
    /// `email`, `webhook`.
    pub channels: Vec<String>,
}

/// A contact to add, as an application or an admin gives it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    /// The contact's name, or a role.
    pub name: String,
    /// Where notifications are mailed.
    pub email: String,
    /// The language they are written in (BCP 47).
    pub language: String,
    /// `email`, `webhook`.
    pub channels: Vec<String>,
}

impl Contact {
    fn from_row(row: &AnyRow) -> Result<Contact> {
        Ok(Contact {
            id: ContactId(row.try_get("id")?),
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            language: row.try_get("language")?,
            channels: json_list(row, "channels")?,
        })
    }
}

impl Store {
    /// Records an application: the organization (pending), its domains (unverified), its
    /// contacts and its first admin (invited once the operator approves). Returns the
    /// organization and the admin's user id.
    pub async fn insert_application(
        &self,
        new: &NewOrganization,
    ) -> Result<(Organization, UserId)> {
        let id = OrgId(new_id());
        let admin = UserId(new_id());
        let at = now();
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO organizations (id, name, sector, country, program_id, language, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)",
        )
        .bind(id.0.clone())
        .bind(new.name.clone())
        .bind(new.sector.clone())
        .bind(new.country.clone())
        .bind(new.program_id.0.clone())
        .bind(new.language.clone())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "program"))?;
        for domain in &new.domains {
            sqlx::query(
                "INSERT INTO domains (id, org_id, name, token, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
            )
            .bind(new_id())
            .bind(id.0.clone())
            .bind(domain.clone())
            .bind(random_hex(16))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::from_sqlx(e, "this domain in the application"))?;
        }
        insert_contacts(&mut tx, &id, &new.contacts).await?;
        sqlx::query(
            "INSERT INTO users (id, org_id, role, name, email, status, created_at, email_index) VALUES ($1, $2, 'org_admin', $3, $4, 'invited', $5, $6)",
        )
        .bind(admin.0.clone())
        .bind(id.0.clone())
        .bind(crate::seal::seal(self.keys(), &new.admin_name))
        .bind(crate::seal::seal(self.keys(), &new.admin_email))
        .bind(at)
        .bind(crate::seal::index(self.keys(), &new.admin_email))
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::from_sqlx(e, "a person with this address"))?;
        record(
            &mut tx,
            &Actor(None),
            Some(&id),
            "organization.applied",
            ("organization", &id.0),
            serde_json::json!({ "name": new.name, "program_id": new.program_id, "domains": new.domains.len() }),
        )
        .await?;
        tx.commit().await?;
        let org = self.written(&id.0).await?;
        Ok((org, admin))
    }

    /// The organization with this id, if any.
    pub async fn find_org_by_id(&self, id: &OrgId) -> Result<Option<Organization>> {
        self.find_record(&id.0).await
    }

    /// Organizations in one state, oldest application first, at most `limit`.
    pub async fn orgs_in_status(&self, status: OrgStatus, limit: u32) -> Result<Vec<Organization>> {
        sqlx::query(
            "SELECT * FROM organizations WHERE status = $1 ORDER BY created_at, id LIMIT $2",
        )
        .bind(status.as_str().to_owned())
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(Organization::from_row)
        .collect()
    }

    /// All organizations, or only `only` when the caller belongs to one; one page, by id.
    pub async fn orgs(&self, only: Option<&OrgId>, page: &Page) -> Result<Vec<Organization>> {
        let rows =
            match only {
                Some(org) => sqlx::query(
                    "SELECT * FROM organizations WHERE id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(org.0.clone())
                .bind(page.after().to_owned())
                .bind(page.limit())
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query("SELECT * FROM organizations WHERE id > $1 ORDER BY id LIMIT $2")
                        .bind(page.after().to_owned())
                        .bind(page.limit())
                        .fetch_all(&self.pool)
                        .await?
                }
            };
        rows.iter().map(Organization::from_row).collect()
    }

    /// Moves an organization to `status`. Leaving erases the personal data of all its people.
    /// Fails with [`Error::State`] when the move is not allowed from the current status.
    pub async fn set_org_status(
        &self,
        actor: &Actor,
        id: &OrgId,
        status: OrgStatus,
    ) -> Result<Option<Organization>> {
        let Some(org) = self.find_org_by_id(id).await? else {
            return Ok(None);
        };
        if !org.status.may_become(status) {
            return Err(Error::State(
                "the organization cannot move to that status from its current one",
            ));
        }
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query(
            "UPDATE organizations SET status = $2, updated_at = $3 WHERE id = $1 AND status = $4",
        )
        .bind(id.0.clone())
        .bind(status.as_str())
        .bind(now())
        .bind(org.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(Error::State(
                "the organization changed status meanwhile; try again",
            ));
        }
        if status == OrgStatus::Left {
            let users: Vec<String> =
                sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 AND status <> 'left'")
                    .bind(id.0.clone())
                    .fetch_all(&mut *tx)
                    .await?;
            for user in users {
                crate::users::erase_user(&mut tx, &UserId(user)).await?;
            }
            sqlx::query("DELETE FROM contacts WHERE org_id = $1")
                .bind(id.0.clone())
                .execute(&mut *tx)
                .await?;
        }
        record(
            &mut tx,
            actor,
            Some(id),
            &format!("organization.{}", status.as_str()),
            ("organization", &id.0),
            serde_json::json!({ "from": org.status.as_str() }),
        )
        .await?;
        tx.commit().await?;
        self.find_org_by_id(id).await
    }

    /// Sets (or, with `None`, clears) the organization's own notification threshold.
    pub async fn set_org_notify_at(
        &self,
        actor: &Actor,
        id: &OrgId,
        notify_at: Option<NotifyAt>,
    ) -> Result<Option<Organization>> {
        let mut tx = self.writer.begin().await?;
        let changed =
            sqlx::query("UPDATE organizations SET notify_at = $2, updated_at = $3 WHERE id = $1")
                .bind(id.0.clone())
                .bind(notify_at.map(NotifyAt::as_str))
                .bind(now())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        // Incidents held under the old policy are looked at again under the new one.
        sqlx::query("UPDATE incidents SET held = 0 WHERE org_id = $1 AND status = 'new'")
            .bind(id.0.clone())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Some(id),
            "organization.notify_at",
            ("organization", &id.0),
            serde_json::json!({ "notify_at": notify_at.map(NotifyAt::as_str) }),
        )
        .await?;
        tx.commit().await?;
        self.find_org_by_id(id).await
    }

    /// An organization's contacts, in the order they were added.
    pub async fn contacts(&self, org: &OrgId) -> Result<Vec<Contact>> {
        sqlx::query("SELECT * FROM contacts WHERE org_id = $1 ORDER BY id")
            .bind(org.0.clone())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Contact::from_row)
            .collect()
    }

    /// Replaces an organization's security contacts.
    pub async fn replace_contacts(
        &self,
        actor: &Actor,
        org: &OrgId,
        contacts: &[NewContact],
    ) -> Result<Vec<Contact>> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM contacts WHERE org_id = $1")
            .bind(org.0.clone())
            .execute(&mut *tx)
            .await?;
        insert_contacts(&mut tx, org, contacts).await?;
        record(
            &mut tx,
            actor,
            Some(org),
            "contacts.replaced",
            ("organization", &org.0),
            serde_json::json!({ "count": contacts.len() }),
        )
        .await?;
        tx.commit().await?;
        self.contacts(org).await
    }
}

async fn insert_contacts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org: &OrgId,
    contacts: &[NewContact],
) -> Result<()> {
    for contact in contacts {
        sqlx::query(
            "INSERT INTO contacts (id, org_id, name, email, language, channels, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(org.0.clone())
        .bind(contact.name.clone())
        .bind(contact.email.clone())
        .bind(contact.language.clone())
        .bind(to_json_list(&contact.channels))
        .bind(now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

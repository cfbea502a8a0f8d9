//! Turning a received message into spool entries: unwrap it when it arrived wrapped, work out
//! which organizations and accounts it was for, and put one entry per organization.

use std::sync::Arc;

use forewarn_store::{AccountId, Envelope, NewSpoolEntry, OrgId, Recipient, Source};
use sha2::{Digest, Sha256};

use crate::journal;
use crate::spool::Spool;
use crate::Result;

/// How a source's messages may arrive wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapping {
    /// As they are.
    None,
    /// Envelope journal reports (SMTP journaling): unwrapped when they carry the
    /// `X-MS-Journal-Report` header, taken as they are otherwise.
    Journal,
    /// Forwarded as an attachment to a reported-phish mailbox: the attached message is the one
    /// to analyse, and the person who forwarded it is the one it targeted.
    Report,
}

/// Where sources hand over messages.
#[derive(Clone)]
pub struct Intake {
    spool: Arc<Spool>,
}

impl Intake {
    pub fn new(spool: Arc<Spool>) -> Intake {
        Intake { spool }
    }

    pub fn spool(&self) -> &Arc<Spool> {
        &self.spool
    }

    /// Where mail to `address` goes, or `None` when forewarn does not watch it.
    pub async fn recipient(&self, address: &str) -> Result<Option<Recipient>> {
        Ok(self.spool.store().find_recipient(address).await?)
    }

    /// Spools `raw`, received for `recipients`, durably. Returns how many organizations it
    /// was spooled for; when this returns `Ok` the source may acknowledge the message.
    pub async fn accept(
        &self,
        source: Source,
        raw: Vec<u8>,
        recipients: &[Recipient],
        wrapping: Wrapping,
    ) -> Result<usize> {
        let unwrapped = match wrapping {
            Wrapping::None => None,
            Wrapping::Journal => journal::journal_report(&raw),
            Wrapping::Report => journal::forwarded_report(&raw),
        };
        let (raw, mut named) = match unwrapped {
            Some(u) => (u.raw, u.recipients),
            None => (raw, Vec::new()),
        };
        // Whom the message itself addresses counts too: a copy that reached forewarn through a
        // journal or an upload was still aimed at the accounts in its To and Cc.
        for address in journal::addressed_to(&raw) {
            if !named.contains(&address) {
                named.push(address);
            }
        }
        let digest = hex(&Sha256::digest(&raw));
        let mut by_org: Vec<(OrgId, Vec<AccountId>)> = Vec::new();
        for recipient in recipients {
            let slot = match by_org.iter().position(|(org, _)| *org == recipient.org_id) {
                Some(i) => i,
                None => {
                    by_org.push((recipient.org_id.clone(), Vec::new()));
                    by_org.len() - 1
                }
            };
            if let Some(account) = &recipient.account_id {
                if !by_org[slot].1.contains(account) {
                    by_org[slot].1.push(account.clone());
                }
            }
        }
        let store = self.spool.store();
        let mut entries = Vec::with_capacity(by_org.len());
        for (org, mut accounts) in by_org {
            if !named.is_empty() {
                for account in store.accounts_with_addresses(&org, &named).await? {
                    if !accounts.contains(&account) {
                        accounts.push(account);
                    }
                }
            }
            entries.push(NewSpoolEntry {
                org_id: org,
                digest: digest.clone(),
                envelope: Envelope::new(source, accounts),
                raw: raw.clone(),
            });
        }
        if entries.is_empty() {
            return Ok(0);
        }
        self.spool.put(&entries).await?;
        metrics::counter!("forewarn_messages_accepted_total", "source" => source.as_str())
            .increment(entries.len() as u64);
        Ok(entries.len())
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

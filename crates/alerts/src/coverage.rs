//! Telling organizations that their coverage ends: when a program's last day comes within
//! `coverage_notice_days`, each active organization in it hears it once per end date, by mail
//! to its security contacts and admins. The check runs at start and then hourly.

use std::time::Duration;

use chrono::Utc;
use forewarn_store::{Page, Role, UserStatus};

use crate::{Error, Notifier, Stop};

/// Sends the notices that are due; returns how many organizations were told.
pub async fn tell_coverage_ending(notifier: &Notifier) -> Result<usize, Error> {
    let store = &notifier.store;
    let today = Utc::now().date_naive();
    let until = today + chrono::Days::new(u64::from(notifier.settings.coverage_notice_days));
    let mut told = 0;
    for (org, program) in store.coverage_ending(today, until).await? {
        let Some(ends_on) = program.ends_on else {
            continue;
        };
        if !store.claim_coverage_notice(&org.id, ends_on).await? {
            continue;
        }
        let mut recipients: Vec<String> = store
            .contacts(&org.id)
            .await?
            .into_iter()
            .filter(|c| c.channels.iter().any(|ch| ch == "email"))
            .map(|c| c.email)
            .collect();
        for admin in store.users_of_org(&org.id, &Page::first(500)).await? {
            if admin.role == Role::OrgAdmin && admin.status == UserStatus::Active {
                recipients.extend(admin.email);
            }
        }
        recipients.sort();
        recipients.dedup();
        let subject = format!("forewarn coverage of {} ends on {ends_on}", org.name);
        let body = format!(
            "The {program} program, under which forewarn watches {org}'s mail for attacks, ends on {ends_on}.\n\n\
             After that day forewarn no longer reads your mail or sends you warnings, and the mailboxes \
             your people opted in are no longer watched. If you need coverage to continue, ask the operator \
             of this forewarn instance.\n",
            program = program.name,
            org = org.name,
        );
        let mut sent = true;
        for to in &recipients {
            if let Err(e) = notifier.mailer.send(to, &subject, &body).await {
                // The relay's answer may echo the address; it stays out of the log.
                let _ = e;
                tracing::warn!(org = %org.id, "a coverage notice could not be sent; it is tried again later");
                sent = false;
                break;
            }
        }
        if sent {
            told += 1;
        } else {
            store.release_coverage_notice(&org.id, ends_on).await?;
        }
    }
    Ok(told)
}

/// Runs the check now and then every hour, until `stop`.
pub(crate) async fn watch(notifier: Notifier, mut stop: Stop) {
    loop {
        match tell_coverage_ending(&notifier).await {
            Ok(0) => {}
            Ok(told) => tracing::info!(told, "organizations told that their coverage ends"),
            Err(error) => tracing::warn!(%error, "checking for coverage that ends failed"),
        }
        tokio::select! {
            _ = stop.wait() => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

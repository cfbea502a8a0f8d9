//! Early warning across member organizations: the campaign that reached one clinic this
//! morning is on its way to the next.
//!
//! Every round links the open incidents of the organizations taking part (their programs'
//! setting) by what they are recognized by: an indicator of known intel, a sender, an
//! attachment, a link destination the detectors flagged. Incidents of two or more
//! organizations that share such a key within their programs' windows are one campaign: the
//! operator's analysts see it, with the organizations it reached. The other organizations in
//! the same sector (or country, or program, as the hit organization's program says) that it
//! has not reached are warned by mail and by a `campaign.warning` webhook: what it is, what to
//! block, the steps to take. A warning never names an organization that was hit; it says how
//! many only once that is at least the program's `k`, so that one victim cannot be inferred;
//! indicators that carry a hit organization's name or domain are left out of it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::Utc;
use forewarn_l10n::Arg;
use forewarn_store::{
    CampaignSignal, EndpointStatus, IncidentKind, NewCampaign, OrgId, Page, Role, UserStatus,
    WarnScope, WarningDue,
};

use crate::words::defang;
use crate::{Error, Notifier, Stop};

/// The longest window a program may set: incidents older than this are never linked.
const LONGEST_WINDOW_HOURS: i64 = 720;
/// How long a claimed warning is left to its sender before another may take it up.
const LEASE: chrono::Duration = chrono::Duration::minutes(10);
/// Indicators a warning lists, at most.
const MAX_INDICATORS: usize = 50;

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Campaigns recognized for the first time.
    pub campaigns: usize,
    /// Warnings planned.
    pub planned: usize,
    /// Warnings sent.
    pub sent: usize,
}

/// Links incidents into campaigns, plans the warnings and sends those due, once.
pub async fn look(notifier: &Notifier) -> Result<Round, Error> {
    let mut round = Round::default();
    let store = &notifier.store;
    let now = Utc::now().timestamp();
    let signals = store
        .campaign_signals(now - LONGEST_WINDOW_HOURS * 3600)
        .await?;
    let audience = store.warning_audience().await?;
    for campaign in campaigns(&signals, now) {
        let hidden = hit_names(notifier, &campaign.orgs).await?;
        let mut campaign = campaign;
        campaign.indicators.retain(|i| {
            let lower = i.to_lowercase();
            !hidden.iter().any(|h| lower.contains(h.as_str()))
        });
        if campaign.indicators.is_empty() {
            continue;
        }
        let (recorded, created) = store.record_campaign(&campaign).await?;
        if created {
            round.campaigns += 1;
            tracing::info!(campaign = %recorded.id, orgs = recorded.orgs_hit, "a campaign reached several member organizations");
        }
        let hit: BTreeSet<&OrgId> = campaign.orgs.iter().collect();
        let warned: Vec<OrgId> = audience
            .iter()
            .filter(|o| o.enabled && !hit.contains(&o.org_id))
            .filter(|o| {
                audience
                    .iter()
                    .filter(|h| hit.contains(&h.org_id))
                    .any(|h| match h.scope {
                        WarnScope::Sector => h.sector == o.sector,
                        WarnScope::Country => h.country == o.country,
                        WarnScope::Program => h.program_id == o.program_id,
                    })
            })
            .map(|o| o.org_id.clone())
            .collect();
        round.planned += store.plan_warnings(&recorded.id, &warned).await?;
    }
    let at = Utc::now();
    for due in store.claim_warnings(at, at + LEASE, 50).await? {
        match warn(notifier, &due).await {
            Ok(()) => {
                store.warning_sent(&due.campaign.id, &due.org_id).await?;
                round.sent += 1;
            }
            Err(why) => {
                tracing::warn!(campaign = %due.campaign.id, org = %due.org_id, %why, "a warning could not be sent; it is tried again later");
            }
        }
    }
    Ok(round)
}

/// What a signal is recognized by across organizations: its correlation keys, and the link
/// destinations its findings flagged.
fn keys_of(signal: &CampaignSignal) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = signal.keys.iter().cloned().collect();
    for findings in &signal.findings {
        let Ok(serde_json::Value::Array(findings)) = serde_json::from_str(findings) else {
            continue;
        };
        for finding in findings {
            let observed = finding["observed"].as_str().unwrap_or_default();
            if !finding["where"]
                .as_str()
                .unwrap_or_default()
                .contains("link")
            {
                continue;
            }
            if let Some(host) = url::Url::parse(observed)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .and_then(|u| u.host_str().map(str::to_lowercase))
            {
                keys.insert(format!("link:{host}"));
            }
        }
    }
    keys
}

/// The campaigns among the signals: incidents of two or more organizations linked by keys
/// they share, each within its program's window.
fn campaigns(signals: &[CampaignSignal], now: i64) -> Vec<NewCampaign> {
    let live: Vec<&CampaignSignal> = signals
        .iter()
        .filter(|s| s.last_seen >= now - i64::from(s.window_hours) * 3600)
        .collect();
    let keys: Vec<BTreeSet<String>> = live.iter().map(|s| keys_of(s)).collect();
    let mut holders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, keys) in keys.iter().enumerate() {
        for key in keys {
            holders.entry(key.as_str()).or_default().push(n);
        }
    }
    // Keys that two or more organizations share.
    let shared: BTreeMap<&str, Vec<usize>> = holders
        .into_iter()
        .filter(|(_, held)| {
            held.iter()
                .map(|n| &live[*n].org_id)
                .collect::<BTreeSet<_>>()
                .len()
                >= 2
        })
        .collect();
    let mut parent: Vec<usize> = (0..live.len()).collect();
    fn root(parent: &mut [usize], mut n: usize) -> usize {
        while parent[n] != n {
            parent[n] = parent[parent[n]];
            n = parent[n];
        }
        n
    }
    for held in shared.values() {
        for pair in held.windows(2) {
            let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
            parent[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for n in 0..live.len() {
        let r = root(&mut parent, n);
        groups.entry(r).or_default().push(n);
    }
    let mut found = Vec::new();
    for members in groups.values() {
        let orgs: BTreeSet<&OrgId> = members.iter().map(|n| &live[*n].org_id).collect();
        if orgs.len() < 2 {
            continue;
        }
        let group_keys: Vec<&str> = shared
            .iter()
            .filter(|(_, held)| held.iter().any(|n| members.contains(n)))
            .map(|(key, _)| *key)
            .collect();
        let Some(first_key) = group_keys.first() else {
            continue;
        };
        let mut actors: BTreeMap<&str, usize> = BTreeMap::new();
        let mut kinds: BTreeMap<&'static str, (IncidentKind, usize)> = BTreeMap::new();
        for n in members {
            if let Some(actor) = &live[*n].actor {
                *actors.entry(actor.as_str()).or_default() += 1;
            }
            kinds
                .entry(live[*n].kind.as_str())
                .or_insert((live[*n].kind, 0))
                .1 += 1;
        }
        let actor = actors
            .iter()
            .max_by_key(|(_, count)| **count)
            .map(|(a, _)| (*a).to_owned());
        let kind = kinds
            .values()
            .max_by_key(|(_, count)| *count)
            .map_or(IncidentKind::CredentialPhishing, |(k, _)| *k);
        let indicators: Vec<String> = group_keys
            .iter()
            .filter_map(|key| blockable(key))
            .take(MAX_INDICATORS)
            .collect();
        let name = actor.clone().unwrap_or_else(|| {
            blockable(first_key)
                .and_then(|i| i.split_once(':').map(|(_, v)| defang(v)))
                .unwrap_or_else(|| "a phishing campaign".to_owned())
        });
        found.push(NewCampaign {
            key: (*first_key).to_owned(),
            name,
            kind,
            actor,
            indicators,
            orgs: orgs.into_iter().cloned().collect(),
            first_seen: members
                .iter()
                .map(|n| live[*n].first_seen)
                .min()
                .unwrap_or(now),
            last_seen: members
                .iter()
                .map(|n| live[*n].last_seen)
                .max()
                .unwrap_or(now),
        });
    }
    found
}

/// A shared key as something to block, `kind:value`.
fn blockable(key: &str) -> Option<String> {
    let (kind, value) = key.split_once(':')?;
    Some(match kind {
        "indicator" => value.to_owned(),
        "sender" => format!("email:{value}"),
        "attachment" => format!("sha256:{value}"),
        "link" => format!("domain:{value}"),
        _ => return None,
    })
}

/// What would tell a hit organization apart in a warning: its name and the first labels of
/// its verified domains (at least four characters), lower-cased.
async fn hit_names(notifier: &Notifier, orgs: &[OrgId]) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for org in orgs {
        if let Some(found) = notifier.store.find_org_by_id(org).await? {
            names.push(found.name.to_lowercase());
        }
        for domain in notifier.store.verified_domain_names(org).await? {
            names.push(domain.to_lowercase());
            if let Some(label) = domain.split('.').next() {
                names.push(label.to_lowercase());
            }
        }
    }
    names.retain(|n| n.chars().count() >= 4);
    Ok(names)
}

/// Sends one warning: mail to the organization's contacts and admins, and the webhook.
async fn warn(notifier: &Notifier, due: &WarningDue) -> Result<(), String> {
    let store = &notifier.store;
    let failed = |e: forewarn_store::Error| e.to_string();
    let Some(org) = store.find_org_by_id(&due.org_id).await.map_err(failed)? else {
        return Ok(());
    };
    let campaign = &due.campaign;
    let l10n = notifier.catalogs;
    let lang = l10n.language(&org.language);
    let t = |id: &str, args: &[(&str, Arg<'_>)]| l10n.text(lang.code, id, args);
    let hours = ((campaign.last_seen - campaign.first_seen).num_hours() + 1).max(1);
    let told = u32::try_from(campaign.orgs_hit)
        .ok()
        .filter(|n| *n >= due.k.max(2));
    let reach = match told {
        Some(count) => t("warning-reach-count", &[("count", Arg::from(count))]),
        None => t("warning-reach-some", &[]),
    };
    let subject = t(
        "warning-subject",
        &[("campaign", Arg::from(campaign.name.clone()))],
    );
    let steps = l10n.playbook(lang.code, campaign.kind.as_str());
    let mut body = t(
        "warning-intro",
        &[("reach", Arg::from(reach)), ("hours", Arg::from(hours))],
    );
    body.push_str("\n\n");
    body.push_str(&t("warning-block-title", &[]));
    body.push('\n');
    for indicator in &campaign.indicators {
        body.push_str(&format!("  - {}\n", defang(indicator)));
    }
    body.push('\n');
    body.push_str(&t("warning-steps-title", &[]));
    body.push('\n');
    for (n, step) in steps.iter().enumerate() {
        body.push_str(&format!("  {}. {step}\n", n + 1));
    }
    body.push('\n');
    body.push_str(&t(
        "warning-footer",
        &[("operator", Arg::from(notifier.instance.operator.clone()))],
    ));
    body.push('\n');

    let mut recipients: Vec<String> = store
        .contacts(&org.id)
        .await
        .map_err(failed)?
        .into_iter()
        .filter(|c| c.channels.iter().any(|ch| ch == "email"))
        .map(|c| c.email)
        .collect();
    for admin in store
        .users_of_org(&org.id, &Page::first(500))
        .await
        .map_err(failed)?
    {
        if admin.role == Role::OrgAdmin && admin.status == UserStatus::Active {
            recipients.extend(admin.email);
        }
    }
    recipients.sort();
    recipients.dedup();
    for to in &recipients {
        // The relay's answer may echo the address: it is not passed on.
        notifier
            .mailer
            .send(to, &subject, &body)
            .await
            .map_err(|_| "the mail relay refused the warning".to_owned())?;
    }

    let event = serde_json::json!({
        "type": "campaign.warning",
        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "campaign": {
                "id": campaign.id,
                "name": campaign.name,
                "kind": campaign.kind,
                "actor": campaign.actor,
                "first_seen": campaign.first_seen,
                "last_seen": campaign.last_seen,
                "organizations_hit": told,
            },
            "organization": { "id": org.id, "name": org.name },
            "indicators": campaign.indicators.iter().map(|i| {
                let (kind, value) = i.split_once(':').unwrap_or(("", i));
                serde_json::json!({ "kind": kind, "value": value })
            }).collect::<Vec<_>>(),
            "language": lang.code,
            "summary": subject,
            "steps": steps,
        }
    })
    .to_string();
    let id = format!("msg_warning_{}_{}", campaign.id, org.id);
    let now = Utc::now();
    for endpoint in store.webhooks(&org.id).await.map_err(failed)? {
        if endpoint.status != EndpointStatus::Enabled {
            continue;
        }
        let target = crate::deliver::target(&endpoint, now).map_err(failed)?;
        match notifier
            .webhooks
            .send(&target, &id, now.timestamp(), event.as_bytes())
            .await
        {
            forewarn_notify::webhook::Outcome::Delivered(_)
            | forewarn_notify::webhook::Outcome::Gone
            | forewarn_notify::webhook::Outcome::Refused(_) => {}
            forewarn_notify::webhook::Outcome::Failed(why) => {
                return Err(format!("webhook {}: {why}", endpoint.id))
            }
        }
    }
    Ok(())
}

/// Looks every `every` until `stop`.
pub(crate) async fn watch(notifier: Notifier, mut stop: Stop) {
    let every = Duration::from_secs(notifier.settings.early_warning_secs.max(1));
    loop {
        match look(&notifier).await {
            Ok(round) if round == Round::default() => {}
            Ok(round) => tracing::info!(?round, "early warning"),
            Err(error) => tracing::warn!(%error, "early warning failed"),
        }
        tokio::select! {
            _ = stop.wait() => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(org: &str, keys: &[&str], findings: &str) -> CampaignSignal {
        CampaignSignal {
            incident_id: forewarn_store::IncidentId(format!("i-{org}-{}", keys.len())),
            org_id: OrgId(org.to_owned()),
            kind: IncidentKind::CredentialPhishing,
            actor: None,
            first_seen: 1_000,
            last_seen: 2_000,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            findings: vec![findings.to_owned()],
            window_hours: 72,
        }
    }

    #[test]
    fn incidents_of_several_organizations_sharing_a_key_are_one_campaign() {
        let link = r#"[{"where":"link","observed":"https://Portal.Lure.example/login"}]"#;
        let signals = vec![
            signal("a", &["sender:x@lure.example"], "[]"),
            signal("b", &["sender:other@elsewhere.example"], link),
            signal("c", &["sender:x@lure.example"], link),
            signal("d", &["sender:alone@nowhere.example"], "[]"),
            // Two incidents of one organization are not a campaign across organizations.
            signal("e", &["indicator:domain:one-org.example"], "[]"),
            signal("e", &["indicator:domain:one-org.example", "x"], "[]"),
        ];
        let found = campaigns(&signals, 2_000);
        assert_eq!(found.len(), 1, "{found:?}");
        let campaign = &found[0];
        let orgs: Vec<&str> = campaign.orgs.iter().map(|o| o.as_str()).collect();
        assert_eq!(orgs, ["a", "b", "c"]);
        assert_eq!(
            campaign.indicators,
            ["domain:portal.lure.example", "email:x@lure.example"]
        );
        assert_eq!(campaign.name, "portal[.]lure[.]example");
        // Out of the window, nothing is linked.
        assert!(campaigns(&signals, 2_000 + 73 * 3600).is_empty());
    }
}

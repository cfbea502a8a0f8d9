//! `forewarn ingest`: hand message files, directories (Maildir included), and mbox files to a
//! running instance's spool for one organization. The instance's workers analyse them; results
//! appear under `/api/v1/orgs/{org_id}/messages`.
//!
//! Run: `forewarn ingest --org 01a2… ~/Maildir/.Junk` (with the instance's configuration).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use forewarn_ingest::{Intake, Wrapping};
use forewarn_store::{OrgId, OrgStatus, Recipient, Source};

use crate::process::{load, ConfigArgs, Shared};

/// Largest file read; single messages are bounded by smtp.max_message_bytes.
const MAX_FILE: u64 = 4 * 1024 * 1024 * 1024;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    shared: Shared,
    /// Where the SQLite database lives, when the instance uses it (FOREWARN_DATA_DIR).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The organization the messages were sent to.
    #[arg(long, value_name = "ORG_ID")]
    org: String,
    /// The messages were forwarded as attachments (a reported-phish mailbox): analyse the
    /// attached message, as targeting the person who forwarded it.
    #[arg(long)]
    reports: bool,
    /// Message files, directories (read recursively; Maildir's tmp/ is left alone) or mbox files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut overrides = args.shared.overrides();
    if let Some(dir) = &args.data_dir {
        overrides.push(("data_dir", dir.display().to_string().into()));
    }
    let config = load(&args.config, overrides)?;
    let files: Vec<PathBuf> = crate::scan::collect(&args.paths)?
        .into_iter()
        .filter(|f| !in_maildir_tmp(f))
        .collect();
    let runtime = crate::process::runtime()?;
    runtime.block_on(async move {
        let store = config.open_store().await?;
        let org = store
            .find_org_by_id(&OrgId(args.org.clone()))
            .await?
            .with_context(|| format!("there is no organization {}", args.org))?;
        if org.status != OrgStatus::Active {
            bail!(
                "the organization {} is {:?}, not active: its mail is not analysed",
                org.id,
                org.status
            );
        }
        let spool = config.open_spool(store.clone()).await?;
        let intake = Intake::new(Arc::new(spool));
        let recipient = [Recipient {
            org_id: org.id.clone(),
            account_id: None,
        }];
        let wrapping = if args.reports {
            Wrapping::Report
        } else {
            Wrapping::None
        };
        let max = config.smtp.max_message_bytes;
        let (mut spooled, mut failed) = (0usize, 0usize);
        for file in &files {
            let messages = match read_messages(file) {
                Ok(messages) => messages,
                Err(error) => {
                    eprintln!("forewarn: {error:#}");
                    failed += 1;
                    continue;
                }
            };
            for (n, raw) in messages.into_iter().enumerate() {
                let what = format!("{} (message {})", file.display(), n + 1);
                if raw.len() > max {
                    eprintln!(
                        "forewarn: {what}: {} bytes is over smtp.max_message_bytes ({max})",
                        raw.len()
                    );
                    failed += 1;
                    continue;
                }
                match intake.accept(Source::File, raw, &recipient, wrapping).await {
                    Ok(_) => spooled += 1,
                    Err(error) => {
                        eprintln!("forewarn: {what}: {error}");
                        failed += 1;
                    }
                }
            }
        }
        store.close().await;
        println!("{spooled} messages spooled for analysis, {failed} could not be");
        anyhow::Ok(if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// A Maildir's tmp/ holds messages still being written.
fn in_maildir_tmp(path: &Path) -> bool {
    path.parent().is_some_and(|dir| {
        dir.file_name().is_some_and(|n| n == "tmp")
            && dir
                .parent()
                .is_some_and(|maildir| maildir.join("cur").is_dir())
    })
}

/// The messages in one file: one, or all of an mbox.
fn read_messages(file: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    if size > MAX_FILE {
        bail!(
            "{}: {size} bytes is more than forewarn reads from one file",
            file.display()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(if forewarn_mail::mbox::is_mbox(&bytes) {
        forewarn_mail::mbox::split_mbox(&bytes)
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect()
    } else {
        vec![bytes]
    })
}

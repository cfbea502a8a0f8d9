//! `forewarn ingest` spools message files, Maildir folders and mbox files for one organization,
//! leaving Maildir's tmp/ alone, refusing what is not an active organization, and saying what
//! could not be spooled.

use std::process::Command;

use forewarn_store::fixtures::enrolled_org;
use forewarn_store::Store;
use forewarn_test_support::TempDir;

fn message(n: usize) -> String {
    format!("From: a{n}@partner.example\r\nTo: ada@clinic.example\r\nSubject: m{n}\r\n\r\nhello {n}\r\n")
}

#[tokio::test]
async fn files_maildir_and_mbox_are_spooled_for_one_organization() {
    let dir = TempDir::new("ingest-cli");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let url = format!("sqlite://{}", data.join("forewarn.db").display());
    let store = Store::connect_with_key_file(&url, &data.join("personal-data.keys"))
        .await
        .unwrap();
    let clinic = enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();

    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(maildir.join("cur/1.host:2,S"), message(1)).unwrap();
    std::fs::write(maildir.join("new/2.host"), message(2)).unwrap();
    std::fs::write(maildir.join("tmp/3.host"), message(3)).unwrap();
    let mbox = dir.path().join("archive.mbox");
    std::fs::write(
        &mbox,
        format!(
            "From a@b Sat Jan  1 00:00:00 2026\n{}\nFrom a@b Sat Jan  1 00:00:00 2026\n{}\n",
            message(4).replace("\r\n", "\n"),
            message(5).replace("\r\n", "\n")
        ),
    )
    .unwrap();
    let single = dir.path().join("one.eml");
    std::fs::write(&single, message(6)).unwrap();

    let run = |org: &str, extra: &[&std::path::Path]| {
        Command::new(env!("CARGO_BIN_EXE_forewarn"))
            .args(["ingest", "--data-dir"])
            .arg(&data)
            .args(["--org", org])
            .args(extra)
            .current_dir(dir.path())
            .env_remove("FOREWARN_DATABASE_URL")
            .env_remove("FOREWARN_NATS_URL")
            .output()
            .unwrap()
    };
    let output = run(clinic.org_id.as_str(), &[&maildir, &mbox, &single]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("5 messages spooled"), "{stdout}");
    assert_eq!(store.spool_len().await.unwrap(), 5);

    let missing = run("0000000000000000000000000000", &[&single]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no organization"));
    assert_eq!(
        store.spool_len().await.unwrap(),
        5,
        "nothing spooled for a missing organization"
    );
}

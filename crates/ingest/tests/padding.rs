//! A lure padded past the parser's limits is judged, not dead-lettered (issue 24, item 2): the
//! same lure, once plain and once followed by thousands of empty parts, is analysed as far as
//! the limits go; both open the one incident, and the padded copy carries an evasion finding.

use std::sync::Arc;
use std::time::Duration;

use forewarn_ingest::spool::{Spool, SqlSpool};
use forewarn_ingest::{Analyzer, Intake, Workers, Wrapping};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Page, Source, Store};
use forewarn_test_support::TestDatabase;

/// The lure, its parts, then `padding` empty parts after them.
fn lure(id: &str, padding: usize) -> Vec<u8> {
    let mut raw = format!(
        "From: \"Ministry of Health\" <notice@health-gov-portal.example>\r\n\
         To: ada@clinic.example\r\n\
         Subject: Urgent: vaccine stock audit\r\n\
         Message-ID: <{id}@health-gov-portal.example>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\n\
         Content-Type: text/html\r\n\r\n\
         <p>Your account will be suspended. <a href=\"http://198.51.100.7/login\">Verify now</a></p>\r\n"
    );
    for _ in 0..padding {
        raw.push_str("--b\r\nContent-Type: text/plain\r\n\r\n\r\n");
    }
    raw.push_str("--b--\r\n");
    raw.into_bytes()
}

#[tokio::test]
async fn issue_24_a_padded_lure_opens_the_same_incident_as_the_plain_one() {
    for db in TestDatabase::all().await {
        let store = Store::connect(db.url()).await.unwrap();
        let clinic = enrolled_org(&store, "clinic.example", &["ada@clinic.example"])
            .await
            .unwrap();
        let spool = Arc::new(Spool::Sql(SqlSpool::open(store.clone()).await.unwrap()));
        let intake = Intake::new(spool.clone());
        let ada = intake
            .recipient("ada@clinic.example")
            .await
            .unwrap()
            .unwrap();
        let padded = lure("audit-2", 9_000);
        assert!(padded.len() > 300_000, "padded well past 4,096 parts");
        for raw in [lure("audit-1", 0), padded] {
            intake
                .accept(
                    Source::Upload,
                    raw,
                    std::slice::from_ref(&ada),
                    Wrapping::None,
                )
                .await
                .unwrap();
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let workers = tokio::spawn(
            Workers::new(spool, Arc::new(Analyzer::builtin()), None).run(2, async {
                let _ = stopped.await;
            }),
        );
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while store.message_count().await.unwrap() < 2 || store.spool_len().await.unwrap() > 0 {
            if tokio::time::Instant::now() > deadline {
                let dead = store.dead_letters(&Page::default()).await.unwrap();
                panic!("both copies were not analysed; dead-lettered: {dead:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = stop.send(());
        let _ = workers.await;

        let messages = store
            .messages(Some(&clinic.org_id), &Page::default())
            .await
            .unwrap();
        assert_eq!(messages.len(), 2, "both judged, none dead-lettered");
        let cues = |m: &forewarn_store::StoredMessage| m.findings.to_string();
        let (plain, padded): (Vec<_>, Vec<_>) = messages
            .iter()
            .partition(|m| !cues(m).contains("obfuscation.past-limits"));
        assert_eq!(
            (plain.len(), padded.len()),
            (1, 1),
            "only the padded copy is marked"
        );
        assert_ne!(padded[0].verdict, "clean");
        assert!(
            padded[0].score >= plain[0].score,
            "padding lowered the score: {} against {}",
            padded[0].score,
            plain[0].score
        );
        let incidents = store
            .incidents(Some(&clinic.org_id), &Page::default())
            .await
            .unwrap();
        assert_eq!(incidents.len(), 1, "{incidents:?}");
        let gathered = store.incident_messages(&incidents[0].id).await.unwrap();
        assert_eq!(gathered.len(), 2, "both copies in the one incident");
    }
}

//! One storage story, run against SQLite every time and against PostgreSQL when
//! `FOREWARN_TEST_DATABASE_URL` names a server (`.ci/run` sets it). Both backends must tell
//! the same story.

use chrono::NaiveDate;
use forewarn_store::{
    AccountKind, AccountStatus, Actor, ConfirmationKind, DomainStatus, Error, Keyring, NewContact,
    NewOrganization, NewProgram, NewUser, OrgStatus, Page, ProgramPatch, Role, Store, UserStatus,
    VerificationMethod,
};
use forewarn_test_support::TestDatabase;

async fn enrollment_story(store: &Store) {
    let operator = store
        .insert_user(
            &Actor(None),
            &NewUser {
                org_id: None,
                role: Role::Operator,
                name: "Operator".into(),
                email: "operator@cert.example".into(),
                password_hash: Some("$argon2id$stand-in".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(operator.status, UserStatus::Active);
    // A password given at creation is someone else's choice: replaced first, then done with.
    assert!(operator.password_change_due);
    assert!(store
        .set_password(&operator.id, "$argon2id$own-stand-in")
        .await
        .unwrap());
    let operator = store.find_user_by_id(&operator.id).await.unwrap().unwrap();
    assert!(!operator.password_change_due);
    let by_operator = Actor(Some(operator.id.clone()));

    let program = store
        .insert_program(
            &by_operator,
            &NewProgram {
                notify_at: None,
                second_factor_required: false,
                early_warning: None,
                name: "Healthcare".into(),
                description: "Hospitals and clinics".into(),
                sectors: vec!["healthcare".into()],
                countries: vec!["FR".into(), "SN".into()],
                ends_on: NaiveDate::from_ymd_opt(2030, 12, 31),
            },
        )
        .await
        .unwrap();
    assert_eq!(program.countries, ["FR", "SN"]);
    let duplicate = NewProgram {
        notify_at: None,
        second_factor_required: false,
        early_warning: None,
        name: "Healthcare".into(),
        description: String::new(),
        sectors: vec![],
        countries: vec![],
        ends_on: None,
    };
    assert!(matches!(
        store.insert_program(&by_operator, &duplicate).await,
        Err(Error::Conflict(_))
    ));
    let patched = store
        .update_program(
            &by_operator,
            &program.id,
            &ProgramPatch {
                ends_on: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(patched.ends_on, None);
    assert_eq!(patched.countries, ["FR", "SN"]);

    let application = NewOrganization {
        name: "Clinique du Lac".into(),
        sector: "healthcare".into(),
        country: "FR".into(),
        program_id: program.id.clone(),
        language: "fr".into(),
        domains: vec!["clinique.example".into()],
        contacts: vec![NewContact {
            name: "SOC".into(),
            email: "soc@clinique.example".into(),
            language: "fr".into(),
            channels: vec!["email".into()],
        }],
        admin_name: "Aline".into(),
        admin_email: "aline@clinique.example".into(),
    };
    let (org, admin) = store.insert_application(&application).await.unwrap();
    assert_eq!(org.status, OrgStatus::Pending);
    let mut bad = application.clone();
    bad.program_id = "missing".into();
    bad.admin_email = "other@clinique.example".into();
    assert!(matches!(
        store.insert_application(&bad).await,
        Err(Error::Dangling(_))
    ));
    assert_eq!(
        store.orgs(None, &Page::default()).await.unwrap().len(),
        1,
        "a failed application leaves nothing"
    );

    assert!(matches!(
        store
            .set_org_status(&by_operator, &org.id, OrgStatus::Suspended)
            .await,
        Err(Error::State(_))
    ));
    let active = store
        .set_org_status(&by_operator, &org.id, OrgStatus::Active)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(active.status, OrgStatus::Active);

    // Domains: one org's verified name cannot be verified by another.
    let domains = store.domains(&org.id).await.unwrap();
    assert_eq!(domains.len(), 1);
    assert_eq!(domains[0].status, DomainStatus::Pending);
    assert_eq!(domains[0].token.len(), 32);
    let verified = store
        .mark_domain_verified(&by_operator, &domains[0].id, VerificationMethod::Dns)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(verified.status, DomainStatus::Verified);
    assert!(store
        .is_verified_domain(&org.id, "clinique.example")
        .await
        .unwrap());

    let mut rival_application = application.clone();
    rival_application.name = "Rival".into();
    rival_application.admin_email = "rival@rival.example".into();
    let (rival, _) = store.insert_application(&rival_application).await.unwrap();
    let rival_domain = &store.domains(&rival.id).await.unwrap()[0];
    assert!(matches!(
        store
            .mark_domain_verified(&Actor(None), &rival_domain.id, VerificationMethod::Email)
            .await,
        Err(Error::Conflict(_))
    ));

    // People and accounts.
    assert!(store
        .accept_invitation(&admin, "$argon2id$admin")
        .await
        .unwrap());
    assert!(
        !store
            .accept_invitation(&admin, "$argon2id$again")
            .await
            .unwrap(),
        "an invitation is accepted once"
    );
    let (found, hash) = store
        .find_credentials_by_email("aline@clinique.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.role, hash.as_str()),
        (Role::OrgAdmin, "$argon2id$admin")
    );
    let member = store
        .insert_user(
            &Actor(Some(admin.clone())),
            &NewUser {
                org_id: Some(org.id.clone()),
                role: Role::Member,
                name: "Bakary".into(),
                email: "bakary@clinique.example".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(member.status, UserStatus::Invited);
    let personal = store
        .insert_account(
            &Actor(Some(member.id.clone())),
            &org.id,
            &member.id,
            AccountKind::Personal,
            "bakary.home@mail.example",
            Some("2026-1"),
        )
        .await
        .unwrap();
    assert_eq!(personal.status, AccountStatus::Pending);

    store
        .insert_confirmation(
            "digest-1",
            ConfirmationKind::Account,
            personal.id.as_str(),
            Some(&org.id),
            chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    // Looking at a link (the page that asks for the click) does not use it up.
    for _ in 0..2 {
        let seen = store.find_confirmation("digest-1").await.unwrap().unwrap();
        assert_eq!(
            (seen.kind, seen.org_id.as_ref()),
            (ConfirmationKind::Account, Some(&org.id))
        );
    }
    let taken = store
        .take_confirmation("digest-1", ConfirmationKind::Account)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (taken.kind, taken.object_id.as_str()),
        (ConfirmationKind::Account, personal.id.as_str())
    );
    assert!(
        store
            .take_confirmation("digest-1", ConfirmationKind::Account)
            .await
            .unwrap()
            .is_none(),
        "a confirmation is used once"
    );
    store
        .insert_confirmation(
            "digest-2",
            ConfirmationKind::Account,
            personal.id.as_str(),
            Some(&org.id),
            chrono::Duration::seconds(-5),
        )
        .await
        .unwrap();
    assert!(
        store
            .take_confirmation("digest-2", ConfirmationKind::Domain)
            .await
            .unwrap()
            .is_none(),
        "another kind's link is not taken"
    );
    assert!(
        store
            .take_confirmation("digest-2", ConfirmationKind::Account)
            .await
            .unwrap()
            .is_none(),
        "an expired confirmation is not honoured"
    );
    assert!(store.find_confirmation("digest-2").await.unwrap().is_none());
    assert!(store.find_confirmation("digest-1").await.unwrap().is_none());

    let confirmed = store.confirm_account(&personal.id).await.unwrap().unwrap();
    assert_eq!(confirmed.status, AccountStatus::Confirmed);
    assert!(confirmed.consented_at.is_some());
    assert_eq!(confirmed.terms_version.as_deref(), Some("2026-1"));

    let revoked = store
        .revoke_account(&Actor(Some(member.id.clone())), &personal.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (revoked.status, revoked.address.as_deref()),
        (AccountStatus::Revoked, None)
    );
    assert!(
        revoked.consented_at.is_some(),
        "the consent record outlives the address"
    );

    // Credentials.
    let admin_user = store.find_user_by_id(&admin).await.unwrap().unwrap();
    let token = store
        .insert_api_token(&admin_user, "ci", "$argon2id$token")
        .await
        .unwrap();
    assert_eq!(
        store.find_api_token(&token.id).await.unwrap().unwrap().0,
        "$argon2id$token"
    );
    store
        .insert_session(
            "session-digest",
            &admin,
            "csrf",
            chrono::Duration::hours(8),
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .find_session("session-digest")
            .await
            .unwrap()
            .unwrap()
            .1
            .id,
        admin
    );

    // Second factors: a passkey counts at once, an app once its first code is in; each use
    // must move its counter on, a recovery code works once, a challenge is taken once.
    let admin_user = store.find_user_by_id(&admin).await.unwrap().unwrap();
    let standing = store.factor_standing(&admin_user).await.unwrap();
    assert_eq!((standing.enrolled, standing.required), (false, false));
    let app = store
        .insert_totp(&admin_user, "phone", "SECRET")
        .await
        .unwrap();
    assert!(!app.confirmed);
    assert!(!store.factor_standing(&admin_user).await.unwrap().enrolled);
    assert!(store.confirm_totp(&admin_user, &app.id, 100).await.unwrap());
    assert!(!store.confirm_totp(&admin_user, &app.id, 101).await.unwrap());
    assert!(store.factor_standing(&admin_user).await.unwrap().enrolled);
    assert!(
        !store.use_factor(&app.id, 100).await.unwrap(),
        "a time step is used once"
    );
    assert!(store.use_factor(&app.id, 101).await.unwrap());
    let key = store
        .insert_passkey(&admin_user, "key", "Y3JlZA", "04ab", 0)
        .await
        .unwrap();
    assert!(matches!(
        store
            .insert_passkey(&admin_user, "again", "Y3JlZA", "04ab", 0)
            .await,
        Err(Error::Conflict(_))
    ));
    assert!(
        store.use_factor(&key.id, 0).await.unwrap(),
        "a key without a counter"
    );
    assert!(store.use_factor(&key.id, 5).await.unwrap());
    assert!(
        !store.use_factor(&key.id, 5).await.unwrap(),
        "a counter that did not move on"
    );
    let secrets = store.factor_secrets(&admin).await.unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[1].credential_id.as_deref(), Some("Y3JlZA"));
    store
        .replace_recovery_codes(&admin_user, &["d1".to_owned(), "d2".to_owned()])
        .await
        .unwrap();
    assert!(store.use_recovery_code(&admin_user, "d1").await.unwrap());
    assert!(!store.use_recovery_code(&admin_user, "d1").await.unwrap());
    assert_eq!(store.recovery_codes_left(&admin).await.unwrap(), 1);
    store
        .set_session_challenge("session-digest", "c1")
        .await
        .unwrap();
    assert_eq!(
        store
            .take_session_challenge("session-digest")
            .await
            .unwrap()
            .as_deref(),
        Some("c1")
    );
    assert_eq!(
        store
            .take_session_challenge("session-digest")
            .await
            .unwrap(),
        None
    );
    assert!(
        !store
            .find_session("session-digest")
            .await
            .unwrap()
            .unwrap()
            .0
            .second_factor_passed
    );
    store.pass_second_factor("session-digest").await.unwrap();
    assert!(
        store
            .find_session("session-digest")
            .await
            .unwrap()
            .unwrap()
            .0
            .second_factor_passed
    );
    assert!(store
        .delete_second_factor(&admin_user, &key.id)
        .await
        .unwrap());
    assert!(!store
        .delete_second_factor(&admin_user, &key.id)
        .await
        .unwrap());
    let strict = store
        .update_program(
            &by_operator,
            &program.id,
            &ProgramPatch {
                second_factor_required: Some(true),
                early_warning: None,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert!(strict.second_factor_required);
    assert!(store.factor_standing(&admin_user).await.unwrap().required);

    // Leaving erases the person's data everywhere.
    assert!(store
        .erase_user(&Actor(Some(admin.clone())), &admin)
        .await
        .unwrap());
    let gone = store.find_user_by_id(&admin).await.unwrap().unwrap();
    assert_eq!(
        (gone.status, gone.email.as_deref(), gone.name.as_str()),
        (UserStatus::Left, None, "")
    );
    assert!(store.find_api_token(&token.id).await.unwrap().is_none());
    assert!(store.second_factors(&admin).await.unwrap().is_empty());
    assert_eq!(store.recovery_codes_left(&admin).await.unwrap(), 0);
    assert!(store
        .find_session("session-digest")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .find_credentials_by_email("aline@clinique.example")
        .await
        .unwrap()
        .is_none());

    // The organization leaves: everyone's personal data goes.
    store
        .set_org_status(&by_operator, &org.id, OrgStatus::Left)
        .await
        .unwrap();
    let people = store.users_of_org(&org.id, &Page::default()).await.unwrap();
    assert!(people
        .iter()
        .all(|u| u.email.is_none() && u.status == UserStatus::Left));
    assert!(store.contacts(&org.id).await.unwrap().is_empty());

    // The audit log saw every change, scoped per organization, with no addresses in it.
    let events = store
        .audit_events(Some(&org.id), &Page::default())
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "organization.applied",
        "organization.active",
        "domain.verified",
        "user.joined",
        "account.consented",
        "account.revoked",
        "user.erased",
        "organization.left",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let all = store.audit_events(None, &Page::default()).await.unwrap();
    assert!(all.len() > events.len());
    assert!(
        all.iter().all(|e| !e.detail.to_string().contains('@')),
        "the audit log names no address"
    );

    // Pages follow each other without overlap.
    let first = store
        .audit_events(
            None,
            &Page {
                after: None,
                limit: 3,
            },
        )
        .await
        .unwrap();
    let second = store
        .audit_events(
            None,
            &Page {
                after: Some(first[2].id.clone()),
                limit: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!(first.len(), 3);
    assert!(second[0].id > first[2].id);
}

#[tokio::test]
async fn enrollment_story_on_every_backend() {
    for db in TestDatabase::all().await {
        // The story runs with personal data sealed, as `forewarn serve` runs it.
        let keys = Keyring::parse(&Keyring::generate()).unwrap();
        let store = Store::connect_sealed(db.url(), keys.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.label()));
        enrollment_story(&store).await;
        // Migrations are idempotent: connecting again finds the schema current.
        store.close().await;
        Store::connect_sealed(db.url(), keys)
            .await
            .unwrap()
            .close()
            .await;
    }
}

/// The columns holding personal data, as a copy of the database shows them.
async fn raw_personal_data(url: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let mut values: Vec<String> = Vec::new();
    for sql in [
        "SELECT name AS v FROM users WHERE name <> ''",
        "SELECT email AS v FROM users WHERE email IS NOT NULL",
        "SELECT address AS v FROM accounts WHERE address IS NOT NULL",
    ] {
        for row in sqlx::query(sql).fetch_all(&pool).await.unwrap() {
            values.push(sqlx::Row::try_get(&row, "v").unwrap());
        }
    }
    pool.close().await;
    values
}

#[tokio::test]
async fn personal_data_is_sealed_on_every_backend() {
    for db in TestDatabase::all().await {
        let label = db.label();
        // Written before there were keys: stored as it is.
        let plain = Store::connect(db.url()).await.unwrap();
        let clinic = forewarn_store::fixtures::enrolled_org(
            &plain,
            "sealed-clinic.example",
            &["amina@sealed-clinic.example"],
        )
        .await
        .unwrap();
        plain.close().await;
        let before = raw_personal_data(db.url()).await;
        assert!(
            before.iter().any(|v| v == "amina@sealed-clinic.example"),
            "{label}: {before:?}"
        );

        // The first start with keys seals it all; lookups by address still work.
        let first_secret = forewarn_store::random_hex(32);
        let first = Keyring::parse(&first_secret).unwrap();
        let store = Store::connect_sealed(db.url(), first.clone())
            .await
            .unwrap();
        let sealed = raw_personal_data(db.url()).await;
        assert_eq!(sealed.len(), before.len());
        for value in &sealed {
            assert!(
                value.starts_with(&format!("sealed:v1:{}:", first.current()))
                    && !value.contains('@'),
                "{label}: {value}"
            );
        }
        let recipient = store
            .find_recipient("Amina@Sealed-Clinic.example")
            .await
            .unwrap()
            .expect("the account is found by its address");
        assert_eq!(recipient.account_id.as_ref(), Some(&clinic.accounts[0]));
        let account = store
            .find_account_by_id(&clinic.accounts[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            account.address.as_deref(),
            Some("amina@sealed-clinic.example")
        );
        let admin = store.find_user_by_id(&clinic.admin).await.unwrap().unwrap();
        assert!(
            admin
                .email
                .as_deref()
                .unwrap()
                .ends_with("@sealed-clinic.example"),
            "{label}"
        );
        store.close().await;

        // Without its key the database is refused, not read as garbage.
        assert!(
            matches!(Store::connect(db.url()).await, Err(Error::Keys(_))),
            "{label}"
        );
        let stranger = Keyring::parse(&Keyring::generate()).unwrap();
        assert!(matches!(
            Store::connect_sealed(db.url(), stranger).await,
            Err(Error::Keys(_))
        ));

        // Rotation: a new key first, the old one kept; a start reseals everything with the
        // new one, after which the old one can go.
        let next_secret = forewarn_store::random_hex(32);
        let rotated = Keyring::parse(&format!("{next_secret}\n{first_secret}")).unwrap();
        Store::connect_sealed(db.url(), rotated.clone())
            .await
            .unwrap()
            .close()
            .await;
        for value in raw_personal_data(db.url()).await {
            assert!(
                value.starts_with(&format!("sealed:v1:{}:", rotated.current())),
                "{label}"
            );
        }
        let only_new = Keyring::parse(&next_secret).unwrap();
        let store = Store::connect_sealed(db.url(), only_new).await.unwrap();
        assert!(store
            .find_recipient("amina@sealed-clinic.example")
            .await
            .unwrap()
            .is_some());
        store.close().await;
    }
}

#[tokio::test]
async fn unsupported_urls_are_refused_clearly() {
    let error = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(
        error.to_string().contains("sqlite:// or postgres://"),
        "{error}"
    );
}

/// The spool, results and dead letters: leases, one result per organization and digest, the
/// entry gone with its result, dead letters requeued.
async fn ingest_story(store: &Store) {
    use forewarn_store::fixtures::enrolled_org;
    use forewarn_store::{Analysis, Envelope, NewSpoolEntry, Recipient, Recorded, Source};

    let clinic = enrolled_org(store, "clinic.example", &["ada@clinic.example"])
        .await
        .unwrap();
    assert_eq!(
        store.find_recipient("ADA@clinic.example ").await.unwrap(),
        Some(Recipient {
            org_id: clinic.org_id.clone(),
            account_id: Some(clinic.accounts[0].clone())
        })
    );
    assert_eq!(
        store
            .find_recipient("journal@clinic.example")
            .await
            .unwrap()
            .unwrap()
            .account_id,
        None
    );
    assert_eq!(
        store.find_recipient("ada@other.example").await.unwrap(),
        None
    );
    assert_eq!(store.find_recipient("no-at-sign").await.unwrap(), None);

    let entry = |digest: &str| NewSpoolEntry {
        org_id: clinic.org_id.clone(),
        digest: digest.into(),
        envelope: Envelope::new(Source::Smtp, clinic.accounts.clone()),
        raw: b"Subject: hello\r\n\r\nbody\r\n".to_vec(),
    };
    let ids = store
        .spool_insert(&[entry("d1"), entry("d1"), entry("d2")])
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(store.spool_len().await.unwrap(), 3);

    let first = store.spool_claim(60).await.unwrap().unwrap();
    let second = store.spool_claim(60).await.unwrap().unwrap();
    let third = store.spool_claim(60).await.unwrap().unwrap();
    let mut claimed = vec![first.id.clone(), second.id.clone(), third.id.clone()];
    claimed.sort();
    let mut spooled = ids.clone();
    spooled.sort();
    assert_eq!(claimed, spooled);
    // Ids made in the same millisecond sort at random: which of the two copies of d1 came
    // first does not matter, only that d2's entry is the one dead-lettered below.
    let mut entries = vec![first, second, third];
    entries.sort_by_key(|e| e.digest.clone());
    let [first, second, third] = <[_; 3]>::try_from(entries).unwrap();
    assert!(
        store.spool_claim(60).await.unwrap().is_none(),
        "leased entries are not handed out twice"
    );
    assert_eq!(first.raw, entry("d1").raw);
    assert_eq!(first.attempts, 1);

    let analysis = Analysis {
        header_message_id: Some("<1@x.example>".into()),
        sender: Some("it@clinic-login.example".into()),
        subject: Some("hello".into()),
        verdict: "suspicious".into(),
        score: 42,
        findings: serde_json::json!([{"detector": "lookalike"}]),
        keep_raw_until: None,
        incident: None,
    };
    let stored = async |e: &forewarn_store::SpoolEntry| {
        store
            .record_analysis(
                &e.org_id,
                &e.digest,
                &e.envelope,
                &analysis,
                &e.raw,
                Some(&e.id),
            )
            .await
    };
    assert!(stored(&first).await.unwrap());
    assert!(
        !stored(&second).await.unwrap(),
        "the same message twice stores one result"
    );
    assert_eq!(store.spool_len().await.unwrap(), 1);
    assert_eq!(store.message_count().await.unwrap(), 1);
    let messages = store
        .messages(Some(&clinic.org_id), &Page::default())
        .await
        .unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].accounts, clinic.accounts);
    assert_eq!(messages[0].score, 42);
    assert!(!messages[0].raw_kept);

    assert!(store
        .spool_to_dead_letter(&third.id, "the message is empty")
        .await
        .unwrap());
    assert_eq!(store.spool_len().await.unwrap(), 0);
    let dead = store.dead_letters(&Page::default()).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].reason, "the message is empty");
    assert_eq!(dead[0].size, entry("d2").raw.len() as i64);
    let full = store
        .find_dead_letter_by_id(&dead[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(full.raw, entry("d2").raw);
    store
        .requeue_dead_letter(&dead[0].id)
        .await
        .unwrap()
        .unwrap();
    assert!(store
        .dead_letters(&Page::default())
        .await
        .unwrap()
        .is_empty());
    let again = store.spool_claim(60).await.unwrap().unwrap();
    assert_eq!(again.digest, "d2");

    let kept = Analysis {
        keep_raw_until: Some(0),
        ..analysis.clone()
    };
    assert!(store
        .record_analysis(
            &again.org_id,
            &again.digest,
            &again.envelope,
            &kept,
            &again.raw,
            Some(&again.id)
        )
        .await
        .unwrap());
    assert_eq!(store.purge_expired_raw().await.unwrap(), 1);

    // Several workers served at once: one statement leases what there is, oldest first, and
    // one transaction stores the results, a copy of the same message once.
    store
        .spool_insert(&[entry("d3"), entry("d3"), entry("d4")])
        .await
        .unwrap();
    let leased = store.spool_claim_many(60, 10).await.unwrap();
    assert_eq!(leased.len(), 3);
    assert!(leased.windows(2).all(|w| w[0].id < w[1].id));
    assert!(leased.iter().all(|e| e.attempts == 1));
    assert!(store.spool_claim_many(60, 10).await.unwrap().is_empty());
    let results: Vec<Recorded<'_>> = leased
        .iter()
        .map(|e| Recorded {
            org: &e.org_id,
            digest: &e.digest,
            envelope: &e.envelope,
            analysis: &analysis,
            raw: &e.raw,
            spool: Some(&e.id),
        })
        .collect();
    let stored = store.record_analyses(&results).await.unwrap();
    let mut by_digest: Vec<(&str, bool)> = leased
        .iter()
        .map(|e| e.digest.as_str())
        .zip(stored)
        .collect();
    by_digest.sort();
    assert_eq!(
        by_digest
            .iter()
            .filter(|(d, new)| *d == "d3" && *new)
            .count(),
        1,
        "{by_digest:?}"
    );
    assert!(by_digest.contains(&("d4", true)));
    assert_eq!(store.spool_len().await.unwrap(), 0);
    assert_eq!(store.message_count().await.unwrap(), 4);
    let messages = store
        .messages(Some(&clinic.org_id), &Page::default())
        .await
        .unwrap();
    assert!(messages.iter().all(|m| m.accounts == clinic.accounts));

    assert_eq!(store.imap_position("reports").await.unwrap(), None);
    store.set_imap_position("reports", 7, 10).await.unwrap();
    store.set_imap_position("reports", 7, 12).await.unwrap();
    assert_eq!(store.imap_position("reports").await.unwrap(), Some((7, 12)));
}

#[tokio::test]
async fn ingest_story_on_every_backend() {
    for db in TestDatabase::all().await {
        let store = Store::connect(db.url())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.label()));
        ingest_story(&store).await;
        store.close().await;
    }
}

/// Correlation: suspicious messages sharing a key join one open incident, a closed one is not
/// reopened, another organization's keys are never matched, and the lifecycle only moves forward.
async fn incident_story(store: &Store) {
    use forewarn_store::fixtures::enrolled_org;
    use forewarn_store::{
        Analysis, Envelope, IncidentDraft, IncidentStatus, NewSpoolEntry, Severity, Source,
    };

    let clinic = enrolled_org(
        store,
        "clinic-i.example",
        &["ada@clinic-i.example", "bob@clinic-i.example"],
    )
    .await
    .unwrap();
    let other = enrolled_org(store, "other-i.example", &["eve@other-i.example"])
        .await
        .unwrap();
    let mut n = 0;
    let mut deliver = async |org: &forewarn_store::fixtures::Enrolled,
                             account: usize,
                             keys: &[&str],
                             severity: Severity| {
        n += 1;
        let entry = NewSpoolEntry {
            org_id: org.org_id.clone(),
            digest: format!("incident-{n}"),
            envelope: Envelope::new(Source::Smtp, vec![org.accounts[account].clone()]),
            raw: b"Subject: x\r\n\r\nx\r\n".to_vec(),
        };
        let analysis = Analysis {
            header_message_id: None,
            sender: Some("it@clinic-support.example".into()),
            subject: Some("Password expiry".into()),
            verdict: "malicious".into(),
            score: 90,
            findings: serde_json::json!([]),
            keep_raw_until: None,
            incident: Some(IncidentDraft {
                kind: forewarn_store::IncidentKind::CredentialPhishing,
                severity,
                actor: None,
                title: "Password expiry".into(),
                keys: keys.iter().map(|k| k.to_string()).collect(),
            }),
        };
        assert!(store
            .record_analysis(
                &entry.org_id,
                &entry.digest,
                &entry.envelope,
                &analysis,
                &entry.raw,
                None
            )
            .await
            .unwrap());
    };
    // On PostgreSQL, notifiers in other processes hear of each incident as it is committed.
    let mut signals = store.incident_signals().await.unwrap();
    assert_eq!(
        signals.is_some(),
        store.backend() == forewarn_store::Backend::Postgres
    );
    deliver(
        &clinic,
        0,
        &["sender:it@clinic-support.example"],
        Severity::Medium,
    )
    .await;
    if let Some(signals) = &mut signals {
        tokio::time::timeout(std::time::Duration::from_secs(10), signals.next())
            .await
            .expect("the incident is announced")
            .unwrap();
    }
    deliver(
        &clinic,
        1,
        &[
            "indicator:domain:clinic-support.example",
            "sender:it@clinic-support.example",
        ],
        Severity::Critical,
    )
    .await;
    deliver(&clinic, 0, &["sender:someone@else.example"], Severity::Low).await;
    deliver(
        &other,
        0,
        &["sender:it@clinic-support.example"],
        Severity::High,
    )
    .await;

    let incidents = store
        .incidents(Some(&clinic.org_id), &Page::default())
        .await
        .unwrap();
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let campaign = incidents.iter().find(|i| i.message_count == 2).unwrap();
    assert_eq!(
        campaign.severity,
        Severity::Critical,
        "the strongest evidence decides"
    );
    assert_eq!(campaign.status, IncidentStatus::New);
    let mut accounts = clinic.accounts.clone();
    accounts.sort();
    assert_eq!(
        store.incident_accounts(&campaign.id).await.unwrap(),
        accounts
    );
    assert_eq!(
        store.incident_messages(&campaign.id).await.unwrap().len(),
        2
    );
    let evidence = store
        .incident_evidence(std::slice::from_ref(campaign))
        .await
        .unwrap();
    assert_eq!(evidence.len(), 1);
    let first = evidence[0].first.as_ref().expect("the first message");
    assert_eq!(first.org_id, clinic.org_id);
    assert_eq!(
        first.id,
        store.incident_messages(&campaign.id).await.unwrap()[0]
    );
    let named: Vec<_> = evidence[0].accounts.iter().map(|a| a.id.clone()).collect();
    assert_eq!(named, accounts);
    assert_eq!(
        store
            .incidents(Some(&other.org_id), &Page::default())
            .await
            .unwrap()
            .len(),
        1
    );

    let waiting = store
        .incidents_in_state(Some(IncidentStatus::New), &Page::default())
        .await
        .unwrap();
    assert!(waiting.iter().any(|i| i.id == campaign.id));
    assert!(waiting.iter().all(|i| i.status == IncidentStatus::New));
    let by = Actor(None);
    let acknowledged = store
        .set_incident_status(&by, &campaign.id, IncidentStatus::Acknowledged)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acknowledged.status, IncidentStatus::Acknowledged);
    assert!(matches!(
        store
            .set_incident_status(&by, &campaign.id, IncidentStatus::Notified)
            .await,
        Err(Error::State(_))
    ));
    store
        .set_incident_status(&by, &campaign.id, IncidentStatus::FalsePositive)
        .await
        .unwrap();
    // The organization judged that sender harmless: its next message opens no incident, here
    // only; a resolved incident's sender opens a new one.
    deliver(
        &clinic,
        0,
        &["sender:it@clinic-support.example"],
        Severity::Medium,
    )
    .await;
    let count = async |org: &forewarn_store::OrgId| {
        store
            .incidents(Some(org), &Page::default())
            .await
            .unwrap()
            .len()
    };
    assert_eq!(count(&clinic.org_id).await, 2);
    let other_incident = store
        .incidents(Some(&other.org_id), &Page::default())
        .await
        .unwrap()
        .remove(0);
    store
        .set_incident_status(&by, &other_incident.id, IncidentStatus::Resolved)
        .await
        .unwrap();
    deliver(
        &other,
        0,
        &["sender:it@clinic-support.example"],
        Severity::High,
    )
    .await;
    assert_eq!(count(&other.org_id).await, 2);
    // The timeline reads newest first, a page at a time.
    let newest = store
        .recent_incidents(&other.org_id, None, 1)
        .await
        .unwrap();
    assert_eq!(newest.len(), 1);
    assert_ne!(newest[0].id, other_incident.id);
    let older = store
        .recent_incidents(&other.org_id, Some(&newest[0].id.0), 10)
        .await
        .unwrap();
    assert_eq!(
        older.iter().map(|i| &i.id).collect::<Vec<_>>(),
        vec![&other_incident.id]
    );
    // The dashboard's counts.
    let overview = store.overview(30).await.unwrap();
    let count_of = |rows: &[(String, i64)], label: &str| {
        rows.iter().find(|(l, _)| l == label).map_or(0, |(_, n)| *n)
    };
    assert!(count_of(&overview.incidents_by_status, "false_positive") >= 1);
    assert!(count_of(&overview.incidents_by_status, "resolved") >= 1);
    assert!(count_of(&overview.incidents_by_kind, "credential-phishing") >= 4);
    assert!(count_of(&overview.orgs_by_status, "active") >= 2);
    assert!(count_of(&overview.orgs_by_sector, "healthcare") >= 2);
    assert!(count_of(&overview.accounts_by_kind, "enterprise") >= 3);
    assert_eq!(overview.notifications_by_day.len(), 30);
    assert_eq!(
        overview.notifications_by_day.last().unwrap().0,
        chrono::Utc::now().date_naive()
    );
    assert!(store
        .orgs_in_status(OrgStatus::Active, 500)
        .await
        .unwrap()
        .iter()
        .any(|o| o.id == clinic.org_id));
    assert!(!store
        .incidents_in_state(Some(IncidentStatus::New), &Page::default())
        .await
        .unwrap()
        .iter()
        .any(|i| i.id == campaign.id));
    let events = store
        .audit_events(
            Some(&clinic.org_id),
            &Page {
                after: None,
                limit: 500,
            },
        )
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.action == "incident.false_positive"));

    // A medium incident waits for the analysts under the program's policy (high at once), and
    // stays held; an approval that comes while a notifier is deciding to hold it back, from
    // what it read before, is not lost: the hold is decided again as it is written.
    deliver(
        &clinic,
        1,
        &["sender:late@approval.example"],
        Severity::Medium,
    )
    .await;
    let late = store
        .recent_incidents(&clinic.org_id, None, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(late.severity, Severity::Medium);
    let due = |late: forewarn_store::IncidentId| async move {
        store
            .incidents_to_notify()
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == late)
    };
    assert!(!due(late.id.clone()).await, "medium waits");
    assert!(!due(late.id.clone()).await, "and stays held");
    store.approve_incident(&by, &late.id).await.unwrap();
    store
        .hold_incidents(std::slice::from_ref(&late.id))
        .await
        .unwrap();
    assert!(due(late.id.clone()).await, "the approval stands");
}

#[tokio::test]
async fn incident_story_on_every_backend() {
    for db in TestDatabase::all().await {
        let store = Store::connect(db.url())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.label()));
        incident_story(&store).await;
        store.close().await;
    }
}

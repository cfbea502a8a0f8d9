//! The web interface in a real browser (Debian's headless Chromium, driven over WebDriver by
//! chromedriver), against the whole service on loopback with a real SMTP receiver (aiosmtpd)
//! and DNS server (dnsmasq):
//!
//! a newcomer applies (and is first told why it is not eligible), the operator approves it
//! on the dashboard, the admin joins from the mailed invitation, verifies a domain by its TXT
//! record, invites a member, who opts a personal mailbox in and confirms it from that mailbox;
//! a planted attack becomes an incident the admin reads and acknowledges; an analyst approves
//! a queued one. Every page is also checked for another organization's data and for form
//! fields without a label. Screenshots of each main page go to `target/ui-screenshots/`.

mod common;

use std::time::{Duration, Instant};

use common::{link_secret, spawn_app_with, Peers, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use forewarn_store::fixtures::enrolled_org;
use forewarn_store::{Analysis, Envelope, IncidentDraft, OrgId, Source};
use forewarn_test_support::{ChromeDriver, Dnsmasq, SmtpReceiver, TestDatabase};
use serde_json::json;

struct Browser {
    client: Client,
    base: String,
    shots: std::path::PathBuf,
}

impl Browser {
    async fn start(driver: &ChromeDriver, base: &str) -> Browser {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({
                "binary": ChromeDriver::CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1200,1000", "--lang=en-US"],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("chromedriver opens a session");
        let shots =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/ui-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            client,
            base: base.to_owned(),
            shots,
        }
    }

    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("opening {path}: {e}"));
    }

    async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("no field {name}: {e}"));
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    async fn choose(&self, name: &str, value: &str) {
        self.client
            .find(Locator::Css(&format!("select[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("no list {name}: {e}"))
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn tick(&self, name: &str) {
        self.client
            .find(Locator::Css(&format!("input[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("no box {name}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Presses the button with this text (or accessible name), and waits for the next page.
    async fn press(&self, label: &str) {
        let xpath = format!("//button[normalize-space(.)=\"{label}\" or @aria-label=\"{label}\"]");
        let before = self.client.find(Locator::Css("html")).await.unwrap();
        let here = self.here().await;
        let source = self.client.source().await.unwrap_or_default();
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {label:?} on {here}: {e}\n{source}"))
            .click()
            .await
            .unwrap();
        // The old page's root goes stale once the next page has loaded.
        let deadline = Instant::now() + Duration::from_secs(15);
        while before.tag_name().await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "pressing {label:?} loaded no page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn here(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// The text of the first element `css` selects.
    async fn text_of(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing is {css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn text(&self) -> String {
        self.text_of("body").await
    }

    async fn heading(&self) -> String {
        self.text_of("h1").await
    }

    /// Follows the link with this text.
    async fn follow(&self, text: &str) {
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn expect(&self, needle: &str) {
        let text = self.text().await;
        assert!(
            text.contains(needle),
            "{} does not say {needle:?}:\n{text}",
            self.here().await
        );
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// Each of `paths` is answered "Not found" or "not allowed", and no page's source holds
    /// any of `secrets`.
    async fn sees_nothing_of(&self, paths: &[String], secrets: &[&str]) {
        for path in paths {
            self.open(path).await;
            let heading = self.heading().await;
            assert!(
                heading == "Not found" || heading == "Your role does not allow this",
                "{path}: {heading}"
            );
            let source = self.client.source().await.unwrap();
            for secret in secrets {
                assert!(!source.contains(secret), "{path} shows {secret:?}");
            }
        }
    }

    /// Every visible form field has a label (an accessibility check run on each main page).
    async fn labelled(&self) {
        let unlabelled = self
            .client
            .execute(
                "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]\
                 .filter(e => !e.labels || e.labels.length === 0).map(e => e.name);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            unlabelled,
            json!([]),
            "fields without a label on {}",
            self.here().await
        );
    }

    /// The page is no wider than the window (tables scroll inside their own box).
    async fn fits(&self) {
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            widths[0].as_u64() <= widths[1].as_u64(),
            "{} is wider than the window: {widths}",
            self.here().await
        );
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.open("/ui/login").await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.press("Sign in").await;
    }

    /// Opens the `<details>` whose summary has this text.
    async fn reveal(&self, summary: &str) {
        self.client
            .find(Locator::XPath(&format!(
                "//summary[normalize-space(.)=\"{summary}\"]"
            )))
            .await
            .unwrap_or_else(|e| panic!("no summary {summary:?}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Gives the browser an authenticator as a platform's built-in one is (Chromium's
    /// virtual authenticator, through WebDriver's WebAuthn extension): it holds passkeys,
    /// verifies the user and answers at once.
    async fn add_authenticator(&self) {
        #[derive(Debug)]
        struct AddVirtualAuthenticator;
        impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
            fn endpoint(
                &self,
                base: &reqwest::Url,
                session: Option<&str>,
            ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
                base.join(&format!(
                    "session/{}/webauthn/authenticator",
                    session.unwrap_or_default()
                ))
            }

            fn method_and_body(&self, _: &reqwest::Url) -> (axum::http::Method, Option<String>) {
                let options = json!({
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": true,
                    "hasUserVerification": true,
                    "isUserVerified": true,
                    "automaticPresenceSimulation": true,
                });
                (axum::http::Method::POST, Some(options.to_string()))
            }
        }
        self.client
            .issue_cmd(AddVirtualAuthenticator)
            .await
            .expect("chromedriver adds a virtual authenticator");
    }

    async fn sign_out(&self) {
        self.press("Sign out").await;
    }

    /// Follows the invitation mailed to `address`, chooses a password there, and signs in.
    async fn join(&self, smtp: &SmtpReceiver, address: &str, password: &str) {
        let invitation = link_secret(&mail_with(smtp, address, "/invite/").await, "invite");
        self.open(&format!("/invite/{invitation}")).await;
        self.fill("password", password).await;
        self.press("Join").await;
        self.expect("You have joined").await;
        self.sign_in(address, password).await;
    }
}

/// The subject and decoded text of a raw message.
fn readable(raw: &str) -> String {
    let Some(message) = mail_parser::MessageParser::default().parse(raw.as_bytes()) else {
        return String::new();
    };
    format!(
        "{}\n{}",
        message.subject().unwrap_or_default(),
        message.body_text(0).unwrap_or_default()
    )
}

/// The first message to `recipient` whose subject or text contains `needle`, raw.
async fn mail_with(smtp: &SmtpReceiver, recipient: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(m) = smtp.messages().into_iter().find(|m| {
            m.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(recipient))
                && readable(m).contains(needle)
        }) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {recipient} with {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until an e-mail notification of the incident is sent; says what became of the
/// incident and its notifications when none is.
async fn told_within(app: &TestApp, incident: &str, within: Duration) {
    let id = forewarn_store::IncidentId(incident.to_owned());
    let deadline = Instant::now() + within;
    loop {
        let notifications = app.state.store.notifications(&id).await.unwrap();
        if notifications
            .iter()
            .any(|n| n.channel == "email" && n.status == "sent")
        {
            return;
        }
        if Instant::now() > deadline {
            let found = app.state.store.find_incident_by_id(&id).await.unwrap();
            panic!(
                "no e-mail about {incident} was sent: the incident is {:?}, approved {:?}; its notifications: {:?}",
                found.as_ref().map(|i| i.status),
                found.as_ref().map(|i| i.approved),
                notifications
                    .iter()
                    .map(|n| (&n.channel, &n.status, n.attempts, &n.last_error))
                    .collect::<Vec<_>>()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Stores an analysed message as the workers would, opening an incident of `severity`.
async fn plant(
    app: &TestApp,
    org: &OrgId,
    accounts: Vec<forewarn_store::AccountId>,
    severity: forewarn_store::Severity,
    title: &str,
) {
    let analysis = Analysis {
        header_message_id: Some(format!("{}@lure.example", forewarn_store::random_hex(6))),
        sender: Some("it-support@clinique-du-lac-login.example".into()),
        subject: Some(format!("{title}: password expiry")),
        verdict: "malicious".into(),
        score: 90,
        findings: json!([
            { "detector": "lookalike", "summary": "the sender's domain imitates clinique.example", "observed": "clinique-du-lac-login.example",
              "where": "from", "confidence": 85, "attack": ["T1566.002"], "attribution": [], "score": 40 },
            { "detector": "links", "summary": "a link leads to a login form on another domain", "observed": "https://clinique-du-lac-login.example/owa",
              "where": "html-link", "confidence": 80, "attack": ["T1598.003"], "attribution": [], "score": 50 }
        ]),
        keep_raw_until: None,
        incident: Some(IncidentDraft {
            kind: forewarn_store::IncidentKind::CredentialPhishing,
            severity,
            actor: None,
            title: title.into(),
            keys: vec![format!("sender:{title}")],
        }),
    };
    app.state
        .store
        .record_analysis(
            org,
            &forewarn_store::random_hex(16),
            &Envelope::new(Source::Smtp, accounts),
            &analysis,
            b"",
            None,
        )
        .await
        .unwrap();
    app.state.incidents_due.notify_one();
}

/// A feed naming one actor, one of its campaigns and a lure domain.
fn intel() -> forewarn_server::intel::IntelView {
    use forewarn_intel::{Catalog, EntityKind, Format, ImportReport, IndicatorKind, NewIndicator};
    let label = "feeds/example-bear.json";
    let mut catalog = Catalog::new();
    let source = catalog.add_source(label);
    let bear = catalog.add_entity(
        EntityKind::Actor,
        "Example Bear",
        &["APT-X".into()],
        Some("G9999"),
    );
    let lures = catalog.add_entity(EntityKind::Campaign, "Vaccine survey lures", &[], None);
    catalog.add_indicator(
        source,
        NewIndicator::exact(
            IndicatorKind::Domain,
            "ministere-sante-survey.example".into(),
            80,
            vec![bear, lures],
        ),
    );
    let mut report = ImportReport::new(label, Format::Stix2);
    report.indicators.insert(IndicatorKind::Domain, 1);
    forewarn_server::intel::IntelView::new(
        std::sync::Arc::new(forewarn_intel::Matcher::new(catalog, 0)),
        &[report],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_incidents_and_triage_in_a_browser() {
    let Some(smtp) = SmtpReceiver::start() else {
        return;
    };
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let db = TestDatabase::sqlite();
    // Chosen now, started later, by a port no other test is handed meanwhile.
    let dns_port = forewarn_test_support::free_dns_port();
    // Passkeys are bound to a host name, never to an address: the pages are served as
    // localhost.
    let app = spawn_app_with(
        &db,
        Peers {
            dns: Some(([127, 0, 0, 1], dns_port).into()),
            smtp: Some(smtp.addr),
        },
        |settings| settings.public_url = format!("http://localhost:{}", settings.listen.port()),
    )
    .await;
    let operator = app
        .token_for(&app.operator_email, &app.operator_password)
        .await;
    let program = app
        .post(
            "/programs",
            &operator,
            json!({ "name": "Healthcare West Africa", "description": "Hospitals, clinics and labs", "sectors": ["healthcare"], "countries": ["FR", "SN"] }),
        )
        .await;
    assert_eq!(program.status, reqwest::StatusCode::CREATED);
    // Another organization, with an incident of its own, that nobody at the clinic may see.
    let other = enrolled_org(
        &app.state.store,
        "other-clinic.example",
        &["staff@other-clinic.example"],
    )
    .await
    .unwrap();
    plant(
        &app,
        &other.org_id,
        other.accounts.clone(),
        forewarn_store::Severity::Critical,
        "Secret other incident",
    )
    .await;
    let other_incident = app
        .state
        .store
        .recent_incidents(&other.org_id, None, 1)
        .await
        .unwrap()
        .remove(0);

    app.state.intel.set(intel());
    let browser = Browser::start(&driver, &app.state.config.public_url).await;
    browser.add_authenticator().await;

    // A newcomer applies; first from a country the program does not take.
    browser.open("/ui/apply").await;
    browser.labelled().await;
    browser.shot("01-apply").await;
    browser.fill("name", "Clinique du Lac").await;
    browser.fill("sector", "healthcare").await;
    browser.fill("country", "DE").await;
    browser.choose("language", "en").await;
    browser
        .fill("domains", "clinique.example\nlabo-lac.example")
        .await;
    browser.fill("admin_name", "Aline Diop").await;
    browser.fill("admin_email", "aline@clinique.example").await;
    browser.press("Send the application").await;
    browser
        .expect("takes organizations in FR, SN, not DE")
        .await;
    browser.shot("02-not-eligible").await;
    browser.open("/ui/apply").await;
    browser.fill("name", "Clinique du Lac").await;
    browser.fill("sector", "healthcare").await;
    browser.fill("country", "SN").await;
    browser
        .fill("domains", "clinique.example\nlabo-lac.example")
        .await;
    browser.fill("admin_name", "Aline Diop").await;
    browser.fill("admin_email", "aline@clinique.example").await;
    browser.press("Send the application").await;
    assert_eq!(browser.heading().await, "Application received");

    // The operator signs in: the password, then the second factor. The passkey the operator
    // registered is not in this browser, so a recovery code lets them in, once.
    browser
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    assert_eq!(browser.heading().await, "Confirm it is you");
    browser.labelled().await;
    let code = app.recovery_codes.lock().unwrap()[&app.operator_email][0].clone();
    browser
        .reveal("Lost your second factor? Use a recovery code")
        .await;
    browser.fill("recovery_code", &code).await;
    browser.press("Verify").await;
    assert_eq!(browser.heading().await, "Dashboard");
    // This browser's authenticator becomes a second passkey, and signs the next sign-in.
    browser.open("/ui/security").await;
    browser.labelled().await;
    browser.fill("label", "Operator laptop").await;
    browser.press("Add a passkey").await;
    assert_eq!(browser.heading().await, "Sign-in security");
    browser.expect("Operator laptop").await;
    browser.shot("03-operator-security").await;
    browser.sign_out().await;
    browser
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    assert_eq!(browser.heading().await, "Confirm it is you");
    browser.press("Use a passkey").await;
    assert_eq!(browser.heading().await, "Dashboard");
    // A recovery code works once.
    browser.sign_out().await;
    browser
        .sign_in(&app.operator_email, &app.operator_password)
        .await;
    browser
        .reveal("Lost your second factor? Use a recovery code")
        .await;
    browser.fill("recovery_code", &code).await;
    browser.press("Verify").await;
    browser.expect("That was not accepted").await;
    browser.press("Use a passkey").await;

    // The operator approves it on the dashboard.
    assert_eq!(browser.heading().await, "Dashboard");
    browser.expect("Clinique du Lac").await;
    browser.labelled().await;
    browser.shot("03-operator-dashboard").await;
    // Its programs, each with its own form.
    browser.open("/ui/programs").await;
    browser.expect("Healthcare West Africa").await;
    browser.labelled().await;
    browser.shot("03-operator-programs").await;
    browser.open("/ui/dashboard").await;
    browser.press("Approve Clinique du Lac").await;
    browser.expect("No application is waiting.").await;
    browser.open("/ui/orgs").await;
    browser.expect("Clinique du Lac").await;
    browser.expect("Organization of other-clinic.example").await;
    browser.sign_out().await;

    // The admin joins from the invitation and verifies a domain by its TXT record.
    browser
        .join(&smtp, "aline@clinique.example", "lac-et-montagne-2026")
        .await;
    assert_eq!(browser.heading().await, "Clinique du Lac");
    let org = browser.here().await.rsplit('/').next().unwrap().to_owned();
    let record: Vec<String> = {
        let mut texts = Vec::new();
        for cell in browser
            .client
            .find_all(Locator::XPath(
                "//tr[td[normalize-space(.)='clinique.example']]//dd",
            ))
            .await
            .unwrap()
        {
            texts.push(cell.text().await.unwrap());
        }
        texts
    };
    let token = app
        .state
        .store
        .domains(&OrgId(org.clone()))
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name == "clinique.example")
        .unwrap()
        .token;
    assert_eq!(
        record,
        vec![
            "TXT".to_owned(),
            forewarn_server::dns::record_name("clinique.example"),
            forewarn_server::dns::record_value(&token)
        ],
        "the page shows the exact record to publish"
    );
    browser.labelled().await;
    browser.shot("04-organization-setup").await;
    let Some(_dns) = Dnsmasq::start_on(dns_port, &[(&record[1], &record[2])]) else {
        return;
    };
    browser.press("Check now clinique.example").await;
    browser.expect("clinique.example is verified.").await;

    // Contacts, and a test notification that reaches them.
    browser.open(&format!("/ui/orgs/{org}")).await;
    browser.fill("name_1", "Security desk").await;
    browser.fill("email_1", "soc@clinique.example").await;
    browser.press("Save the contacts").await;
    browser.press("Send a test notification").await;
    browser.expect("soc@clinique.example").await;
    browser.expect("delivered").await;
    mail_with(&smtp, "soc@clinique.example", "test from forewarn").await;

    // The admin invites a member, who joins and opts a personal mailbox in.
    browser.open(&format!("/ui/orgs/{org}/people")).await;
    browser.labelled().await;
    browser.fill("name", "Moussa Ba").await;
    browser.fill("email", "moussa@clinique.example").await;
    browser.press("Send the invitation").await;
    browser.expect("moussa@clinique.example").await;
    browser.shot("05-people").await;
    browser.sign_out().await;
    browser
        .join(&smtp, "moussa@clinique.example", "moussa-du-lac-2026")
        .await;
    assert_eq!(browser.heading().await, "My accounts");
    browser.labelled().await;
    browser.fill("address", "moussa.ba@mailbox.example").await;
    browser.press("Opt in").await;
    browser.expect("consent is missing").await;
    browser.open(&format!("/ui/orgs/{org}/accounts")).await;
    browser.fill("address", "moussa.ba@mailbox.example").await;
    browser.tick("accept_terms").await;
    browser.press("Opt in").await;
    browser.expect("we sent a confirmation link").await;
    let confirmation = link_secret(
        &mail_with(&smtp, "moussa.ba@mailbox.example", "/confirm/").await,
        "confirm",
    );
    browser.open(&format!("/confirm/{confirmation}")).await;
    browser
        .expect("Your personal address is not shown to your organization.")
        .await;
    browser.press("Confirm").await;
    browser.expect("Thank you").await;
    browser.open(&format!("/ui/orgs/{org}/accounts")).await;
    browser.expect("watched").await;
    browser.shot("06-member-accounts").await;
    // A member reads no incidents and manages nobody, and sees nothing of another
    // organization either.
    for path in [
        format!("/ui/orgs/{org}/incidents"),
        format!("/ui/orgs/{org}/people"),
    ] {
        browser.open(&path).await;
        assert_eq!(
            browser.heading().await,
            "Your role does not allow this",
            "{path}"
        );
    }
    let other_org = other.org_id.0.clone();
    let other_id = other_incident.id.0.clone();
    let foreign = [
        format!("/ui/orgs/{other_org}"),
        format!("/ui/orgs/{other_org}/incidents"),
        format!("/ui/orgs/{other_org}/incidents/{other_id}"),
        format!("/ui/orgs/{org}/incidents/{other_id}"),
        format!("/ui/orgs/{other_org}/people"),
        format!("/ui/orgs/{other_org}/accounts"),
        format!("/ui/triage/{other_id}"),
        "/ui/triage".to_owned(),
        "/ui/dashboard".to_owned(),
        "/ui/dead-letters".to_owned(),
        "/ui/orgs".to_owned(),
        "/ui/intel".to_owned(),
    ];
    browser
        .sees_nothing_of(&foreign, &["Secret other incident", "other-clinic.example"])
        .await;
    browser.sign_out().await;

    // An attack on the clinic: the admin reads the incident and acknowledges it.
    let accounts: Vec<_> = app
        .state
        .store
        .accounts(&OrgId(org.clone()), None, &forewarn_store::Page::default())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    plant(
        &app,
        &OrgId(org.clone()),
        accounts.clone(),
        forewarn_store::Severity::Critical,
        "Fake password expiry notice",
    )
    .await;
    plant(
        &app,
        &OrgId(org.clone()),
        accounts,
        forewarn_store::Severity::Medium,
        "Survey from a lookalike ministry",
    )
    .await;
    mail_with(&smtp, "soc@clinique.example", "Fake password expiry notice").await;
    browser
        .sign_in("aline@clinique.example", "lac-et-montagne-2026")
        .await;
    browser.open(&format!("/ui/orgs/{org}/incidents")).await;
    browser.expect("Fake password expiry notice").await;
    browser.shot("07-incidents").await;
    browser.follow("Fake password expiry notice").await;
    browser.expect("What we saw").await;
    browser
        .expect("https://clinique-du-lac-login[.]example/owa")
        .await;
    browser.expect("T1566.002").await;
    browser.expect("Reset the password").await;
    browser.expect("a personal account").await;
    assert!(
        !browser.text().await.contains("moussa.ba@mailbox.example"),
        "a personal address is its owner's"
    );
    browser.shot("08-incident").await;
    // On a phone the page narrows to one column: nothing wider than the screen.
    browser.client.set_window_size(390, 844).await.unwrap();
    for path in [
        browser.here().await,
        format!("{}/ui/orgs/{org}/incidents", app.base),
        format!("{}/ui/orgs/{org}", app.base),
    ] {
        browser.client.goto(&path).await.unwrap();
        browser.fits().await;
    }
    browser.client.back().await.unwrap();
    browser.client.back().await.unwrap();
    browser.shot("08-incident-phone").await;
    browser.client.set_window_size(1200, 1000).await.unwrap();
    browser.press("Acknowledge").await;
    browser.expect("acknowledged").await;

    // The clinic's admin sees nothing of the other organization, whatever the address says.
    browser
        .sees_nothing_of(&foreign, &["Secret other incident", "other-clinic.example"])
        .await;
    browser.sign_out().await;

    // An analyst approves the incident waiting for review, and the clinic is told.
    let staff = app
        .post(
            "/staff",
            &operator,
            json!({ "name": "Ana Lyst", "email": "ana@cert.example", "role": "analyst" }),
        )
        .await;
    assert_eq!(
        staff.status,
        reqwest::StatusCode::CREATED,
        "{:?}",
        staff.body
    );
    browser
        .join(&smtp, "ana@cert.example", "analyst-at-the-cert-2026")
        .await;
    // Staff add a second factor before anything else: a passkey, with recovery codes.
    assert_eq!(browser.heading().await, "Sign-in security");
    browser
        .expect("Your role or your program requires a second factor")
        .await;
    browser.fill("label", "Analyst laptop").await;
    browser.press("Add a passkey").await;
    assert_eq!(browser.heading().await, "Recovery codes");
    assert_eq!(browser.text_of("#recovery-codes").await.lines().count(), 10);
    browser.open("/ui").await;
    assert_eq!(browser.heading().await, "Triage");
    browser.expect("Survey from a lookalike ministry").await;
    browser.shot("09-triage-queue").await;
    browser.follow("Survey from a lookalike ministry").await;
    browser
        .expect("a link leads to a login form on another domain")
        .await;
    browser.expect("+50").await;
    browser.labelled().await;
    browser
        .fill("analyst_note", "Seen at two other clinics this week.")
        .await;
    browser.press("Save").await;
    browser.shot("10-triage-incident").await;
    browser.press("Approve and notify").await;
    let queued = browser.here().await.rsplit('/').next().unwrap().to_owned();
    told_within(&app, &queued, Duration::from_secs(30)).await;
    let told = mail_with(
        &smtp,
        "soc@clinique.example",
        "Survey from a lookalike ministry",
    )
    .await;
    assert!(
        readable(&told).contains("Seen at two other clinics"),
        "{told}"
    );

    // The intel the workers match against, as the analyst browses it.
    browser.open("/ui/intel").await;
    browser.expect("Example Bear").await;
    browser.expect("APT-X").await;
    browser.expect("feeds/example-bear.json").await;
    browser.labelled().await;
    browser.shot("11-intel").await;
    browser.follow("Example Bear").await;
    browser.expect("ministere-sante-survey[.]example").await;
    browser.expect("Vaccine survey lures").await;
    browser.open("/ui/intel/indicators?q=SURVEY").await;
    browser.expect("ministere-sante-survey[.]example").await;
    browser.open("/ui/intel/indicators?q=apt-x").await;
    browser.expect("ministere-sante-survey[.]example").await;
    browser.open("/ui/intel/entities/not-a-number").await;
    assert_eq!(browser.heading().await, "Not found");

    // Guidance, and the pages in Arabic, right to left.
    browser.open("/ui/guidance/mfa-passkeys").await;
    browser.expect("Passkeys").await;
    browser.shot("12-guidance").await;
    browser.open("/ui/language?lang=ar").await;
    browser.open("/ui/triage").await;
    let direction = browser
        .client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("dir")
        .await
        .unwrap();
    assert_eq!(direction.as_deref(), Some("rtl"));
    browser.shot("13-triage-arabic").await;

    browser.client.close().await.unwrap();
}

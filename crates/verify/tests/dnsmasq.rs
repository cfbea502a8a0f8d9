//! Verification against a real DNS server on loopback: dnsmasq (Debian's dnsmasq-base) serving
//! SPF and DMARC records for example.org. `.ci/run` installs it; elsewhere the test says it was
//! skipped when dnsmasq is missing.

use std::time::{Duration, Instant};

use forewarn_test_support::Dnsmasq;
use forewarn_verify::Verifier;

fn message(client_ip: &str) -> Vec<u8> {
    format!(
        "Received: from mail.example.org (mail.example.org [{client_ip}]) by mx.clinic.example with ESMTPS id 1; Mon, 1 Jan 2024 10:00:00 +0000\r\n\
         Return-Path: <bounce@example.org>\r\nFrom: Example <news@example.org>\r\nTo: staff@clinic.example\r\nSubject: hello\r\n\
         Message-ID: <1@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nhello\r\n"
    )
    .into_bytes()
}

fn verified(verifier: &Verifier, raw: &[u8]) -> Vec<(String, String)> {
    let parsed = forewarn_mail::parse(raw).unwrap();
    verifier
        .verify(raw, &parsed)
        .into_iter()
        .map(|r| (r.method, r.result))
        .collect()
}

#[test]
fn spf_and_dmarc_are_checked_against_a_real_dns_server() {
    let Some(server) = Dnsmasq::start(&[
        ("example.org", "v=spf1 ip4:192.0.2.10 -all"),
        ("_dmarc.example.org", "v=DMARC1; p=reject"),
    ]) else {
        return;
    };
    let verifier = Verifier::new(server.addr).unwrap();
    // dnsmasq needs a moment to bind; ask until it answers.
    let started = Instant::now();
    let good = loop {
        let results = verified(&verifier, &message("192.0.2.10"));
        if results.iter().any(|(m, r)| m == "spf" && r != "temperror")
            || started.elapsed() > Duration::from_secs(10)
        {
            break results;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        good.contains(&("spf".to_owned(), "pass".to_owned())),
        "{good:?}"
    );
    assert!(
        good.contains(&("dmarc".to_owned(), "pass".to_owned())),
        "{good:?}"
    );
    assert!(
        good.contains(&("dkim".to_owned(), "none".to_owned())),
        "{good:?}"
    );
    let forged = verified(&verifier, &message("198.51.100.99"));
    assert!(
        forged.contains(&("spf".to_owned(), "fail".to_owned())),
        "{forged:?}"
    );
    assert!(
        forged.contains(&("dmarc".to_owned(), "fail".to_owned())),
        "{forged:?}"
    );
    // The detectors then judge the verified results, not what the headers claimed.
    let mut parsed = forewarn_mail::parse(&message("198.51.100.99")).unwrap();
    verifier.apply(&message("198.51.100.99"), &mut parsed);
    assert!(parsed
        .headers
        .authentication_results
        .iter()
        .all(|r| r.authserv_id == forewarn_verify::AUTHSERV_ID));
}

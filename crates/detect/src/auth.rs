//! Authentication: the SPF, DKIM and DMARC verdicts the receiving server recorded.

use forewarn_mail::{Location, Message};

use crate::{Detector, Finding, Severity};

pub struct Authentication;

impl Detector for Authentication {
    fn name(&self) -> &'static str {
        "auth"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        // Results are about the message as the server that wrote them saw it. A server that
        // judged DMARC for another From domain saw the author's message before a list or a
        // forwarder rewrote the From: its results say nothing about this sender.
        let from_domain = message
            .headers
            .from
            .as_ref()
            .and_then(|f| f.domain())
            .map(|d| d.to_ascii_lowercase());
        let registrable = |d: &str| psl::domain_str(d).unwrap_or(d).to_owned();
        let all = &message.headers.authentication_results;
        let other_message = |id: &str| {
            all.iter().any(|r| {
                r.authserv_id == id
                    && r.method == "dmarc"
                    && match (&r.domain, &from_domain) {
                        (Some(claimed), Some(from)) => {
                            registrable(&claimed.to_ascii_lowercase()) != registrable(from)
                        }
                        _ => false,
                    }
            })
        };
        let results: Vec<&forewarn_mail::AuthResult> = all
            .iter()
            .filter(|r| !other_message(&r.authserv_id))
            .collect();
        let has = |method: &str, result: &str| {
            results
                .iter()
                .any(|r| r.method == method && r.result == result)
        };
        let domain_of = |method: &str| {
            results
                .iter()
                .find(|r| r.method == method)
                .and_then(|r| r.domain.clone())
                .unwrap_or_default()
        };
        let from = message.headers.from_address();
        if has("dmarc", "fail") {
            findings.push(Finding::new(
                "auth.dmarc-fail",
                Severity::Medium,
                70,
                format!(
                    "DMARC failed for {}: the sender's domain did not authorize this message",
                    domain_of("dmarc")
                ),
                Location::From,
                from,
                &["T1566", "T1656"],
            ));
        }
        if has("spf", "fail") {
            findings.push(Finding::new(
                "auth.spf-fail",
                Severity::Medium,
                50,
                format!("SPF failed for {}", domain_of("spf")),
                Location::ReturnPath,
                from,
                &["T1566"],
            ));
        } else if has("spf", "softfail") {
            findings.push(Finding::new(
                "auth.spf-softfail",
                Severity::Low,
                60,
                format!("SPF soft-failed for {}", domain_of("spf")),
                Location::ReturnPath,
                from,
                &["T1566"],
            ));
        }
        // Legitimate senders sign their mail (large receivers require it of bulk senders); the
        // receiving server found no signature at all.
        // A result of "none" next to a signature the message carries was written before the
        // message was signed (on its way out of its author's systems), not by its receiver.
        let unsigned = has("dkim", "none")
            && !has("dkim", "pass")
            && !has("dmarc", "pass")
            && message.headers.dkim_signers.is_empty();
        if unsigned {
            findings.push(Finding::new(
                "auth.no-dkim",
                Severity::Medium,
                60,
                "the message carries no DKIM signature, so nothing vouches for its sender"
                    .to_owned(),
                Location::From,
                from,
                &["T1566"],
            ));
        }
        // Senders of legitimate bulk mail must publish a DMARC policy now; none, or one that
        // cannot be read, leaves the From domain open to anyone.
        // (Unsigned mail without DMARC is one fact, not two.)
        if !unsigned
            && !has("dmarc", "pass")
            && !has("dmarc", "fail")
            && ["none", "bestguesspass", "permerror"]
                .iter()
                .any(|r| has("dmarc", r))
        {
            findings.push(Finding::new(
                "auth.no-dmarc-policy",
                Severity::Low,
                60,
                format!("{} publishes no usable DMARC policy", domain_of("dmarc")),
                Location::From,
                from,
                &["T1566"],
            ));
        }
        if has("dkim", "fail") && !has("dkim", "pass") {
            findings.push(Finding::new(
                "auth.dkim-fail",
                Severity::Low,
                40,
                format!("the DKIM signature of {} did not verify", domain_of("dkim")),
                Location::From,
                from,
                &["T1566"],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_about_another_from_domain_are_not_this_senders() {
        let relayed = b"Authentication-Results: mx.example.edu; dkim=none header.d=none; dmarc=none header.from=example.edu\r\nFrom: \"A via List\" <list@lists.example.org>\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(relayed).unwrap(), &mut f);
        assert!(f.is_empty(), "{f:#?}");
        let own = b"Authentication-Results: mx.example.edu; dkim=none header.d=none; dmarc=none header.from=mail.example.org\r\nFrom: <a@example.org>\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(own).unwrap(), &mut f);
        assert_eq!(f.len(), 1, "{f:#?}");
    }

    #[test]
    fn failures_become_findings() {
        let raw = b"Authentication-Results: mx.example.org; spf=softfail smtp.mailfrom=a.example; dkim=fail header.d=a.example; dmarc=fail header.from=a.example\r\nFrom: x@a.example\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(raw).unwrap(), &mut f);
        assert_eq!(f.len(), 3);
        let unsigned = b"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a.example; dkim=none; dmarc=none\r\nFrom: x@a.example\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(unsigned).unwrap(), &mut f);
        assert_eq!(f.len(), 1);
        let signed_later = b"Authentication-Results: mx.example.org; dkim=none (message not signed); dmarc=none header.from=a.example\r\nDKIM-Signature: v=1; a=rsa-sha256; d=a.example; s=s1; b=x\r\nFrom: x@a.example\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(signed_later).unwrap(), &mut f);
        assert!(f.iter().all(|f| f.cue != "auth.no-dkim"), "{f:#?}");
        let passing = b"Authentication-Results: mx; spf=pass; dkim=pass; dkim=fail; dmarc=pass\r\nFrom: x@a.example\r\n\r\nhi";
        let mut f = Vec::new();
        Authentication.detect(&forewarn_mail::parse(passing).unwrap(), &mut f);
        assert!(f.is_empty(), "{f:#?}");
    }
}

//! Attachments that run code or harvest credentials: executables and scripts, disk images and
//! shortcuts, macro-enabled Office files, HTML files, archives holding any of these or locked
//! with a password, and names that lie about their type.

use forewarn_mail::{Attachment, Location, Message};

use crate::{Detector, Finding, Severity};

/// Extensions of files that run when opened on Windows (or mount and then run).
const EXECUTABLE: &[&str] = &[
    "exe",
    "scr",
    "com",
    "pif",
    "bat",
    "cmd",
    "js",
    "jse",
    "vbs",
    "vbe",
    "wsf",
    "wsh",
    "hta",
    "ps1",
    "psm1",
    "lnk",
    "msi",
    "msix",
    "jar",
    "cpl",
    "reg",
    "chm",
    "xll",
    "iso",
    "img",
    "vhd",
    "vhdx",
    "one",
    "appx",
    "appinstaller",
    "url",
    "library-ms",
    "search-ms",
    "application",
    "msc",
    "gadget",
    "inf",
    "scf",
    "apk",
    "dmg",
    "pkg",
];
const MACRO_OFFICE: &[&str] = &[
    "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm",
];
const OLD_OFFICE: &[&str] = &["doc", "dot", "xls", "xlt", "ppt", "pps", "rtf"];
const HTML: &[&str] = &["htm", "html", "shtml", "xhtml", "svg", "mht", "mhtml"];
const ARCHIVE: &[&str] = &[
    "zip", "rar", "7z", "gz", "tgz", "tar", "cab", "ace", "arj", "lzh", "xz", "bz2", "z",
];
const DOCUMENT: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt", "rtf", "ppt", "pptx", "csv",
    "odt", "mp3", "mp4", "wav",
];

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether a file name holds characters that show nothing. Joiners and direction marks have
/// uses in some scripts, and so do the vowel marks of Hebrew and Arabic; the rest have none in
/// a name.
fn hides_characters(name: &str) -> bool {
    name.chars().any(|c| {
        crate::obfuscation::is_invisible(c)
            && !matches!(c, '\u{200c}'..='\u{200f}' | '\u{0591}'..='\u{074a}')
    })
}

/// What is wrong with one file name and type, as (severity, confidence, why).
fn judge_file(name: &str, sniffed: Option<&str>) -> Option<(Severity, u8, String)> {
    let ext = extension(name);
    if name
        .chars()
        .any(|c| matches!(c, '\u{202e}' | '\u{202d}' | '\u{2066}'..='\u{2069}'))
    {
        return Some((
            Severity::High,
            90,
            format!("{name:?} uses a right-to-left override to disguise its real extension"),
        ));
    }
    let stem_ext = name
        .rsplit_once('.')
        .map(|(stem, _)| extension(stem))
        .unwrap_or_default();
    if EXECUTABLE.contains(&ext.as_str()) && DOCUMENT.contains(&stem_ext.as_str()) {
        return Some((
            Severity::High,
            90,
            format!("{name:?} poses as a .{stem_ext} but is a .{ext} that runs code"),
        ));
    }
    if EXECUTABLE.contains(&ext.as_str())
        || matches!(
            sniffed,
            Some(
                "application/x-msdownload"
                    | "application/x-elf"
                    | "application/x-ms-shortcut"
                    | "application/x-iso9660-image"
                    | "application/x-vhd"
                    | "application/x-vhdx"
            )
        )
    {
        return Some((
            Severity::High,
            80,
            format!("{name:?} is a file that runs code or mounts as a disk"),
        ));
    }
    if MACRO_OFFICE.contains(&ext.as_str())
        || sniffed == Some("application/vnd.ms-office.macroEnabled")
    {
        return Some((
            Severity::High,
            75,
            format!("{name:?} is an Office document with macros"),
        ));
    }
    None
}

/// Words for a password, in the languages of the lure list.
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passcode",
    "passwort",
    "kennwort",
    "senha",
    "contraseña",
    "contrasena",
    "mot de passe",
    "wachtwoord",
];

pub struct Attachments;

impl Attachments {
    /// `sender` is the registrable domain of the message's From.
    fn judge(
        attachment: &Attachment,
        location: &Location,
        sender: Option<&str>,
        findings: &mut Vec<Finding>,
    ) {
        let name = attachment.name.as_deref().unwrap_or("(unnamed)");
        let ext = extension(name);
        let sniffed = attachment.sniffed_type.as_deref();
        let technique: &[&'static str] = &["T1566.001", "T1204.002"];
        if let Some((severity, confidence, why)) = judge_file(name, sniffed) {
            findings.push(Finding::new(
                "attachment.risky-file",
                severity,
                confidence,
                why,
                location.clone(),
                name,
                technique,
            ));
        } else if HTML.contains(&ext.as_str()) || sniffed == Some("text/html") {
            findings.push(Finding::new("attachment.html-file", Severity::Medium, 60, format!("{name:?} is a web page sent as a file, a common way to deliver a fake login page"), location.clone(), name, &["T1566.001"]));
        } else if OLD_OFFICE.contains(&ext.as_str()) && sniffed == Some("application/x-ole-storage")
        {
            findings.push(Finding::new(
                "attachment.old-office",
                Severity::Low,
                40,
                format!("{name:?} is an old-format Office file, which can carry macros"),
                location.clone(),
                name,
                technique,
            ));
        }
        if hides_characters(name) {
            findings.push(Finding::new(
                "attachment.invisible-name",
                Severity::Medium,
                60,
                format!("the name {name:?} holds characters that show nothing, which no file needs, to slip past filters on names and extensions"),
                location.clone(),
                name,
                &["T1566.001", "T1036"],
            ));
        }
        if let (Some(declared), Some(sniffed)) = (attachment.declared_type.as_deref(), sniffed) {
            let runs = matches!(sniffed, "application/x-msdownload" | "application/x-elf");
            if runs
                && !declared.contains("octet-stream")
                && !declared.contains("msdownload")
                && !declared.contains("executable")
            {
                findings.push(Finding::new(
                    "attachment.disguised-program",
                    Severity::High,
                    85,
                    format!("{name:?} is declared as {declared} but is a program"),
                    location.clone(),
                    name,
                    technique,
                ));
            }
        }
        if let Some(pdf) = &attachment.pdf {
            Attachments::judge_pdf(pdf, name, location, sender, findings);
        }
        if let Some(archive) = &attachment.archive {
            let encrypted = archive.entries.iter().any(|e| e.encrypted);
            let inner = archive
                .entries
                .iter()
                .find_map(|e| judge_file(&e.name, None).map(|j| (e, j)));
            if let Some((entry, (severity, confidence, why))) = inner {
                findings.push(Finding::new(
                    "attachment.archive-risky-file",
                    severity,
                    confidence,
                    format!("the archive {name:?} holds {why}"),
                    location.clone(),
                    &entry.name,
                    technique,
                ));
            }
            if encrypted && ARCHIVE.contains(&ext.as_str()) {
                findings.push(Finding::new(
                    "attachment.encrypted-archive",
                    Severity::Medium,
                    70,
                    format!(
                        "the archive {name:?} is locked with a password, which keeps scanners out"
                    ),
                    location.clone(),
                    name,
                    technique,
                ));
            }
        }
    }
}

impl Attachments {
    fn judge_pdf(
        pdf: &forewarn_mail::pdf::PdfFacts,
        name: &str,
        location: &Location,
        sender: Option<&str>,
        findings: &mut Vec<Finding>,
    ) {
        if pdf.launch {
            findings.push(Finding::new(
                "attachment.pdf-launch",
                Severity::High,
                80,
                format!("the PDF {name:?} asks the reader's program to start another program"),
                location.clone(),
                name,
                &["T1566.001", "T1204.002"],
            ));
        }
        if pdf.script {
            findings.push(Finding::new(
                "attachment.pdf-script",
                Severity::Medium,
                60,
                format!("the PDF {name:?} carries JavaScript, which documents rarely need and exploits often do"),
                location.clone(),
                name,
                &["T1566.001", "T1204.002"],
            ));
        }
        // A page or two whose point is a link away from the sender: the document is the
        // button, sent as a file so that link scanners of the message do not see it. Long
        // documents cite their sources; the sender's own site is its own business.
        if pdf.pages > 2 {
            return;
        }
        let away = pdf.links.iter().find(|link| {
            let host = match forewarn_mail::link::normalize_url(link).and_then(|u| u.host) {
                Some(forewarn_mail::link::UrlHost::Domain(d)) => d.registrable.unwrap_or(d.ascii),
                Some(forewarn_mail::link::UrlHost::Ip(ip)) => ip.to_string(),
                None => return false,
            };
            sender != Some(host.as_str())
        });
        if let Some(link) = away {
            findings.push(Finding::new(
                "attachment.pdf-link",
                Severity::Medium,
                60,
                format!(
                    "the PDF {name:?} is a short document that sends the reader to {}",
                    crate::intel::defang(link)
                ),
                location.clone(),
                link,
                &["T1566.001", "T1204.001"],
            ));
        }
    }
}

impl Detector for Attachments {
    fn name(&self) -> &'static str {
        "attachment"
    }

    fn detect(&self, message: &Message, findings: &mut Vec<Finding>) {
        let sender = message
            .headers
            .from
            .as_ref()
            .and_then(|f| f.domain())
            .map(|d| d.to_ascii_lowercase());
        let sender = sender.as_deref().map(|d| psl::domain_str(d).unwrap_or(d));
        message.for_each_attachment(&mut |attachment, location| {
            if attachment.message.is_none() {
                Attachments::judge(attachment, location, sender, findings);
            }
        });
        // A locked document whose password the message gives: the lock keeps scanners out,
        // not the reader.
        let mut locked = None;
        message.for_each_attachment(&mut |attachment, location| {
            if locked.is_none() && attachment.pdf.as_ref().is_some_and(|p| p.encrypted) {
                locked = Some((
                    attachment.name.clone().unwrap_or_default(),
                    location.clone(),
                ));
            }
        });
        if let Some((name, location)) = locked {
            let subject = message.headers.subject.as_deref().unwrap_or_default();
            let gives_password = [subject, message.body_text.as_str()].iter().any(|text| {
                let text = text.to_lowercase();
                PASSWORD_WORDS.iter().any(|w| text.contains(w))
            });
            if gives_password {
                findings.push(Finding::new(
                    "attachment.locked-pdf",
                    Severity::Medium,
                    60,
                    format!("the PDF {name:?} is locked with a password the message gives, which keeps scanners out but not the reader"),
                    location,
                    &name,
                    &["T1566.001", "T1027.013"],
                ));
            }
        }
        // Web pages sent as files that ask for a password.
        for form in message
            .forms
            .iter()
            .filter(|f| f.has_password && matches!(f.location, Location::Attachment(_)))
        {
            findings.push(Finding::new(
                "attachment.password-page",
                Severity::High,
                80,
                "an attached web page asks for a password".to_owned(),
                form.location.clone(),
                &form.action,
                &["T1566.001", "T1598.002"],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attached_login_pages_not_body_forms() {
        let raw = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=QQ\r\n\r\n--QQ\r\nContent-Type: text/html\r\n\r\n\
<form action=\"https://search.example/\"><input name=q></form>\r\n--QQ\r\nContent-Type: text/html; name=\"Secure.html\"\r\n\
Content-Disposition: attachment; filename=\"Secure.html\"\r\n\r\n<html><form action=\"https://collect.example/p\"><input type=password></form></html>\r\n--QQ--\r\n";
        let mut f = Vec::new();
        Attachments.detect(&forewarn_mail::parse(raw.as_bytes()).unwrap(), &mut f);
        let login: Vec<_> = f
            .iter()
            .filter(|f| f.summary == "an attached web page asks for a password")
            .collect();
        assert_eq!(login.len(), 1, "{f:#?}");
        assert_eq!(login[0].location, Location::Attachment(0));
    }

    #[test]
    fn names_types_and_archives() {
        assert!(judge_file("invoice.pdf.exe", None)
            .is_some_and(|(s, c, _)| s == Severity::High && c == 90));
        assert!(judge_file("report\u{202e}fdp.exe", None).is_some());
        assert!(hides_characters("invoice\u{34f}\u{34f}.pdf"));
        assert!(hides_characters("scan\u{200b}.rtf"));
        assert!(!hides_characters(
            "\u{645}\u{644}\u{641}\u{200c}\u{647}\u{627}.pdf"
        ));
        assert!(!hides_characters("report 2024.pdf"));
        assert!(judge_file("Shipment.docm", None).is_some());
        assert!(judge_file("photo.jpg", Some("image/jpeg")).is_none());
        assert!(judge_file("setup.bin", Some("application/x-msdownload")).is_some());
        let raw = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/mail/phishing/002.eml"
        ))
        .unwrap();
        let mut f = Vec::new();
        Attachments.detect(&forewarn_mail::parse(&raw).unwrap(), &mut f);
        let summaries: Vec<&str> = f.iter().map(|f| f.summary.as_str()).collect();
        assert!(
            summaries
                .iter()
                .any(|s| s.contains("archive") && s.contains("Invoice_0311.pdf.exe")),
            "{summaries:#?}"
        );
        assert!(
            summaries.iter().any(|s| s.contains("macros")),
            "{summaries:#?}"
        );
    }

    fn message_with_pdf(from: &str, pdf: &[u8]) -> forewarn_mail::Message {
        message_with_pdf_and_text(from, "see attached", pdf)
    }

    fn message_with_pdf_and_text(from: &str, text: &str, pdf: &[u8]) -> forewarn_mail::Message {
        use base64::Engine as _;
        let mut b64 = Vec::new();
        for chunk in pdf.chunks(57) {
            b64.extend_from_slice(
                base64::engine::general_purpose::STANDARD
                    .encode(chunk)
                    .as_bytes(),
            );
            b64.extend_from_slice(b"\r\n");
        }
        let mut raw = format!("From: <{from}>\r\nSubject: your statement\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n{text}\r\n--b\r\nContent-Type: application/pdf; name=statement.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n").into_bytes();
        raw.extend_from_slice(&b64);
        raw.extend_from_slice(b"--b--\r\n");
        forewarn_mail::parse(&raw).unwrap()
    }

    #[test]
    fn a_short_pdf_that_is_a_link_elsewhere() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /S /URI /URI (https://secure-docs.example.net/view) >> endobj\n%%EOF\n";
        let message = message_with_pdf("billing@bank.example", pdf);
        let mut f = Vec::new();
        Attachments.detect(&message, &mut f);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].cue, "attachment.pdf-link");
        assert!(f[0].summary.contains("secure-docs"), "{}", f[0].summary);
        // The link is also the message's, for the link cues to judge.
        assert!(
            message
                .observables
                .iter()
                .any(|o| o.value == "secure-docs.example.net"
                    && o.location == Location::Attachment(0))
        );
        // The sender's own site is no lure; nor is a script-free long report.
        let own = message_with_pdf("billing@example.net", pdf);
        let mut f = Vec::new();
        Attachments.detect(&own, &mut f);
        assert!(f.is_empty(), "{f:#?}");
        let report = b"%PDF-1.4\n<</Type /Page>> <</Type /Page>> <</Type /Page>> <</S /URI /URI (https://doi.example/10.1)>> /Launch /JS (x)\n";
        let mut f = Vec::new();
        Attachments.detect(&message_with_pdf("a@b.example", report), &mut f);
        let cues: Vec<&str> = f.iter().map(|f| f.cue.as_ref()).collect();
        assert_eq!(cues, ["attachment.pdf-launch", "attachment.pdf-script"]);
    }

    #[test]
    fn a_locked_pdf_with_its_password_in_the_message() {
        let locked = b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF\n";
        let mut f = Vec::new();
        Attachments.detect(
            &message_with_pdf_and_text("a@b.example", "[PDF Password]: 62734", locked),
            &mut f,
        );
        let cues: Vec<&str> = f.iter().map(|f| f.cue.as_ref()).collect();
        assert_eq!(cues, ["attachment.locked-pdf"], "{f:#?}");
        // Locked without a word of a password: a permissions lock most readers open.
        let mut f = Vec::new();
        Attachments.detect(&message_with_pdf("a@b.example", locked), &mut f);
        assert!(f.is_empty(), "{f:#?}");
    }
}

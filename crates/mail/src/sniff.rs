//! The type of a file judged from its first bytes, whatever its name or declared type says.

/// A MIME type for the bytes, or `None` when nothing known matches.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let kind = if starts(b"MZ") {
        "application/x-msdownload"
    } else if starts(b"\x7fELF") {
        "application/x-elf"
    } else if starts(b"%PDF-") {
        "application/pdf"
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        sniff_zip(bytes)
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        "application/x-ole-storage"
    } else if starts(b"Rar!\x1a\x07") {
        "application/vnd.rar"
    } else if starts(b"7z\xBC\xAF\x27\x1C") {
        "application/x-7z-compressed"
    } else if starts(b"\x1f\x8b") {
        "application/gzip"
    } else if starts(b"\x4C\x00\x00\x00\x01\x14\x02\x00") {
        "application/x-ms-shortcut"
    } else if starts(b"{\\rtf") {
        "application/rtf"
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"\xFF\xD8\xFF") {
        "image/jpeg"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if bytes.len() > 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if starts(b"conectix") {
        "application/x-vhd"
    } else if starts(b"vhdxfile") {
        "application/x-vhdx"
    } else if bytes.get(0x8001..0x8006) == Some(b"CD001")
        || bytes.get(0x9001..0x9006) == Some(b"CD001")
    {
        "application/x-iso9660-image"
    } else if starts(b"MSCF") {
        "application/vnd.ms-cab-compressed"
    } else if starts(b"#!") {
        "text/x-shellscript"
    } else {
        return sniff_text(bytes);
    };
    Some(kind)
}

/// OOXML and OpenDocument files are zip archives; their first entry names tell them apart.
fn sniff_zip(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"vbaProject.bin") {
        "application/vnd.ms-office.macroEnabled"
    } else if has(b"word/") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else if has(b"xl/") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else if has(b"ppt/") {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument") {
        "application/vnd.oasis.opendocument"
    } else if has(b"META-INF/MANIFEST.MF") || has(b"AndroidManifest.xml") {
        "application/java-archive"
    } else {
        "application/zip"
    }
}

fn sniff_text(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start();
    if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<body")
        || text.contains("<script")
    {
        Some("text/html")
    } else if text.starts_with("<?xml") || text.starts_with("<svg") {
        Some(if text.contains("<svg") {
            "image/svg+xml"
        } else {
            "application/xml"
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn recognizes_executables_documents_and_html() {
        assert_eq!(sniff(b"MZ\x90\x00"), Some("application/x-msdownload"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  <!DOCTYPE html><html>"),
            Some("text/html")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(sniff(b"plain words"), None);
        assert_eq!(sniff(b""), None);
    }
}

//! Listing the entries of a zip archive from its central directory, one level deep, without
//! decompressing anything.

use serde::Serialize;

/// Entries listed per archive.
pub const MAX_ARCHIVE_ENTRIES: usize = 1_000;
const MAX_ENTRY_NAME: usize = 1_024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveEntry {
    pub name: String,
    pub size: u64,
    /// The entry is encrypted (password-protected archive).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveListing {
    pub entries: Vec<ArchiveEntry>,
    /// More entries than [`MAX_ARCHIVE_ENTRIES`] were present.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Lists a zip archive, or returns `None` when the bytes hold no readable central directory.
pub fn list_zip(bytes: &[u8]) -> Option<ArchiveListing> {
    // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let total = u16_at(bytes, eocd + 10)? as usize;
    let mut at = u32_at(bytes, eocd + 16)? as usize;
    let mut entries = Vec::with_capacity(total.min(MAX_ARCHIVE_ENTRIES));
    let mut truncated = false;
    for _ in 0..total {
        if entries.len() == MAX_ARCHIVE_ENTRIES {
            truncated = true;
            break;
        }
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            break;
        }
        let flags = u16_at(bytes, at + 8)?;
        let size = u32_at(bytes, at + 24)?;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let name_bytes = bytes.get(at + 46..at + 46 + name_len)?;
        let name =
            String::from_utf8_lossy(&name_bytes[..name_len.min(MAX_ENTRY_NAME)]).into_owned();
        entries.push(ArchiveEntry {
            name,
            size: u64::from(size),
            encrypted: flags & 1 == 1,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(ArchiveListing { entries, truncated })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a stored (uncompressed) zip; `encrypted` sets the flag on every entry.
    pub(crate) fn make_zip(files: &[(&str, &[u8])], encrypted: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        let flags: u16 = u16::from(encrypted);
        for (name, data) in files {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04\x14\x00");
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&[0; 10]);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
            central.extend_from_slice(&flags.to_le_bytes());
            central.extend_from_slice(&[0; 10]);
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn lists_entries_and_encryption() {
        let zip = make_zip(&[("invoice.pdf.exe", b"MZ.."), ("readme.txt", b"hi")], true);
        let listing = list_zip(&zip).unwrap();
        assert_eq!(listing.entries.len(), 2);
        assert_eq!(listing.entries[0].name, "invoice.pdf.exe");
        assert_eq!(listing.entries[0].size, 4);
        assert!(listing.entries[0].encrypted);
    }

    #[test]
    fn truncated_or_lying_archives_do_not_panic() {
        let zip = make_zip(&[("a", b"x")], false);
        for cut in 0..zip.len() {
            let _ = list_zip(&zip[..cut]);
        }
        let mut lying = zip.clone();
        let n = lying.len();
        lying[n - 6..n - 2].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(list_zip(&lying).is_none_or(|l| l.entries.is_empty()));
        lying[n - 12..n - 10].copy_from_slice(&u16::MAX.to_le_bytes());
        lying[n - 6..n - 2].copy_from_slice(&0u32.to_le_bytes());
        assert!(list_zip(&lying).is_some_and(|l| l.entries.len() <= 1));
    }
}

//! Finding the files to read under the paths a user gave.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The files under `paths`: files as given, directories walked recursively in name order.
/// A path that does not exist or cannot be listed fails the run.
pub fn walk(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            walk_dir(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let file_type = entry
            .file_type()
            .with_context(|| format!("reading {}", path.display()))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if file_type.is_dir() {
            walk_dir(&path, files)?;
        } else if file_type.is_file() || (file_type.is_symlink() && path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Whether a file found in a directory walk is mail: it starts with an mbox `From ` line or a
/// header field (`Name: value`). READMEs, licences and data files next to the mail are not.
pub fn looks_like_mail(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(n) = fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        // Unreadable files are reported when they are read.
        return true;
    };
    let head = &head[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let first_line = head[start..]
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    if first_line.starts_with(b"From ") {
        return true;
    }
    // A header field name, allowing the obsolete syntax's spaces before the colon.
    match first_line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => {
            let name = &first_line[..colon];
            name[0].is_ascii_alphabetic()
                && name
                    .iter()
                    .all(|&b| b.is_ascii_graphic() || b == b' ' || b == b'\t')
                && !name.trim_ascii_end().contains(&b' ')
        }
        _ => false,
    }
}

/// Reads a whole file, refusing ones larger than `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.len() > limit {
        bail!(
            "{} is {} bytes, over the limit of {limit}",
            path.display(),
            meta.len()
        );
    }
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

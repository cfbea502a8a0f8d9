//! Splitting an mbox file into its messages.

/// Whether the bytes look like an mbox file (they start with a `From ` envelope line).
pub fn is_mbox(bytes: &[u8]) -> bool {
    without_bom(bytes).starts_with(b"From ")
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The messages of an mbox file, each without its `From ` envelope line. A message starts at
/// every line that begins with `From `; quoted `>From ` lines inside bodies are left as they
/// are, which does not change what analysis sees.
pub fn split_mbox(bytes: &[u8]) -> Vec<&[u8]> {
    let bytes = without_bom(bytes);
    let mut starts = Vec::new();
    if bytes.starts_with(b"From ") {
        starts.push(0);
    }
    let mut i = 0;
    while let Some(nl) = bytes[i..].iter().position(|&b| b == b'\n') {
        let line_start = i + nl + 1;
        if bytes[line_start..].starts_with(b"From ") {
            starts.push(line_start);
        }
        i = line_start;
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(bytes.len());
            let chunk = &bytes[start..end];
            let body_start = chunk
                .iter()
                .position(|&b| b == b'\n')
                .map_or(chunk.len(), |p| p + 1);
            &chunk[body_start..]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_envelope_lines() {
        let mbox = b"From a@example Mon Jan 1 00:00:00 2024\nSubject: one\n\nbody\n\nFrom b@example Tue\r\nSubject: two\r\n\r\n>From quoted\r\n";
        let parts = split_mbox(mbox);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with(b"Subject: one"));
        assert!(parts[1].starts_with(b"Subject: two"));
        assert!(split_mbox(b"Subject: no envelope\n\n").is_empty());
        assert_eq!(split_mbox(b"From x").len(), 1);
        assert!(is_mbox(b"\xEF\xBB\xBFFrom -\nSubject: x\n\n"));
        assert_eq!(split_mbox(b"\xEF\xBB\xBFFrom -\nSubject: x\n\n").len(), 1);
    }
}

//! The part of the STIX 2 patterning language that describes things seen in mail: comparisons
//! joined by `AND`, `OR` and `FOLLOWEDBY`, with qualifiers skipped.

/// One comparison: `object-path operator value(s)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub path: String,
    pub operator: String,
    pub values: Vec<String>,
    /// Comparisons that must hold together with this one share a group number (an `AND` chain
    /// inside one observation); `OR` and `FOLLOWEDBY` start a new group.
    pub group: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open(char),
    Close(char),
    Word(String),
    Str(String),
    Op(String),
    Comma,
}

/// Patterns longer than this are refused.
const MAX_PATTERN: usize = 64 * 1024;

fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    if pattern.len() > MAX_PATTERN {
        return Err(format!("pattern is longer than {MAX_PATTERN} bytes"));
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '[' | '(' => {
                tokens.push(Token::Open(c));
                i += 1;
            }
            ']' | ')' => {
                tokens.push(Token::Close(c));
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string in pattern".to_owned()),
                        Some('\\') => {
                            if let Some(&next) = chars.get(i + 1) {
                                s.push(next);
                            }
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Str(s));
            }
            '=' | '!' | '<' | '>' => {
                let mut op = c.to_string();
                if chars.get(i + 1) == Some(&'=') {
                    op.push('=');
                    i += 1;
                }
                tokens.push(Token::Op(op));
                i += 1;
            }
            c if c.is_alphanumeric() || c == '-' || c == '_' => {
                // An object path may hold `:`, `.`, quoted keys and list indexes: `file:hashes.'SHA-256'`,
                // `email-message:body_multipart[*].body_raw_ref.name`.
                let mut word = String::new();
                while let Some(&ch) = chars.get(i) {
                    if ch.is_alphanumeric() || "-_:.".contains(ch) {
                        word.push(ch);
                        i += 1;
                    } else if ch == '\'' && word.ends_with('.') {
                        let end = chars[i + 1..]
                            .iter()
                            .position(|&x| x == '\'')
                            .ok_or("unterminated quoted key in object path")?;
                        word.extend(&chars[i + 1..i + 1 + end]);
                        i += end + 2;
                    } else if ch == '[' && matches!(chars.get(i + 1), Some('*') | Some('0'..='9')) {
                        let end = chars[i..]
                            .iter()
                            .position(|&x| x == ']')
                            .ok_or("unterminated index in object path")?;
                        word.extend(&chars[i..=i + end]);
                        i += end + 1;
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            other => return Err(format!("unexpected character {other:?} in pattern")),
        }
    }
    Ok(tokens)
}

const OPERATORS: [&str; 6] = ["LIKE", "MATCHES", "IN", "ISSUBSET", "ISSUPERSET", "NOT"];

/// Reads the comparisons of a pattern.
pub fn comparisons(pattern: &str) -> Result<Vec<Comparison>, String> {
    let tokens = tokenize(pattern)?;
    let mut out = Vec::new();
    let mut group = 0;
    let mut i = 0;
    let mut depth_brackets = 0i32;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open('[') => {
                depth_brackets += 1;
                i += 1;
            }
            Token::Close(']') => {
                depth_brackets -= 1;
                i += 1;
            }
            Token::Open(_) | Token::Close(_) | Token::Comma | Token::Str(_) | Token::Op(_) => {
                i += 1
            }
            Token::Word(w) => {
                let upper = w.to_ascii_uppercase();
                match upper.as_str() {
                    "OR" | "FOLLOWEDBY" => {
                        group += 1;
                        i += 1;
                    }
                    "AND" => {
                        // AND between observations means both must be seen; each alone still
                        // indicates the activity, so only AND inside one observation binds.
                        if depth_brackets == 0 {
                            group += 1;
                        }
                        i += 1;
                    }
                    "WITHIN" | "REPEATS" | "START" | "STOP" | "TIMES" | "SECONDS" => i += 1,
                    _ if depth_brackets > 0 && w.contains(':') => {
                        let (comparison, next) = read_comparison(&tokens, i, group)?;
                        out.push(comparison);
                        i = next;
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if depth_brackets != 0 {
        return Err("unbalanced brackets in pattern".to_owned());
    }
    if out.is_empty() {
        return Err("pattern has no comparison".to_owned());
    }
    Ok(out)
}

fn read_comparison(
    tokens: &[Token],
    start: usize,
    group: usize,
) -> Result<(Comparison, usize), String> {
    let Token::Word(path) = &tokens[start] else {
        unreachable!("caller checked")
    };
    let mut i = start + 1;
    let mut operator = String::new();
    loop {
        match tokens.get(i) {
            Some(Token::Op(op)) => {
                operator.push_str(op);
                i += 1;
                break;
            }
            Some(Token::Word(w)) if OPERATORS.contains(&w.to_ascii_uppercase().as_str()) => {
                let upper = w.to_ascii_uppercase();
                operator.push_str(&upper);
                i += 1;
                if upper != "NOT" {
                    break;
                }
                operator.push(' ');
            }
            _ => return Err(format!("no operator after {path}")),
        }
    }
    let mut values = Vec::new();
    match tokens.get(i) {
        Some(Token::Str(s)) => {
            values.push(s.clone());
            i += 1;
        }
        Some(Token::Open('(')) => {
            i += 1;
            while let Some(token) = tokens.get(i) {
                i += 1;
                match token {
                    Token::Str(s) => values.push(s.clone()),
                    Token::Comma => {}
                    Token::Close(')') => break,
                    _ => return Err(format!("unexpected token in value list of {path}")),
                }
            }
        }
        Some(Token::Word(w)) => {
            // Numbers, booleans, h'…'/b'…' literals.
            values.push(w.clone());
            i += 1;
        }
        _ => return Err(format!("no value after {path} {operator}")),
    }
    Ok((
        Comparison {
            path: path.clone(),
            operator,
            values,
            group,
        },
        i,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_or_and_and_groups() {
        let c = comparisons("[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1']")
            .unwrap();
        assert_eq!(c.len(), 2);
        assert_ne!(c[0].group, c[1].group);
        let c = comparisons("[file:name = 'x.exe' AND file:hashes.'SHA-256' = 'ab'] OR [url:value = 'http://u.example/']").unwrap();
        assert_eq!(c[0].group, c[1].group);
        assert_eq!(c[1].path, "file:hashes.SHA-256");
        assert_ne!(c[1].group, c[2].group);
    }

    #[test]
    fn reads_paths_operators_and_lists() {
        let c = comparisons(
            r"[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']",
        )
        .unwrap();
        assert_eq!(
            c[0].path,
            "email-message:body_multipart[*].body_raw_ref.name"
        );
        assert_eq!(c[0].operator, "MATCHES");
        assert_eq!(c[0].values, [r"^Final Report.+\.exe$"]);
        let c = comparisons("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')] WITHIN 300 SECONDS")
            .unwrap();
        assert_eq!(c[0].values.len(), 2);
        let c = comparisons("[domain-name:value NOT = 'a.example']").unwrap();
        assert_eq!(c[0].operator, "NOT =");
    }

    #[test]
    fn bad_patterns_say_why() {
        for bad in [
            "",
            "[",
            "[domain-name:value = 'x",
            "[domain-name:value]",
            "[domain-name:value = ",
            "[a:b = 'x'] $",
        ] {
            assert!(comparisons(bad).is_err(), "{bad}");
        }
    }
}

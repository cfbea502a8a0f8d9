//! A small, bounded scanner for the parts of HTML that matter to phishing analysis: link
//! targets with their visible text, resource sources, form actions, password fields, meta
//! refreshes and the visible text. It never builds a DOM, so hostile markup costs one pass.

use std::borrow::Cow;

/// Visible text kept per link, in characters.
const MAX_LINK_TEXT: usize = 256;
/// Visible text kept per document, in bytes.
const MAX_VISIBLE_TEXT: usize = 1024 * 1024;
/// Tags examined per document.
const MAX_TAGS: usize = 200_000;

/// What one HTML document shows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HtmlFacts {
    /// `<a href>` and `<area href>` with the visible text of the anchor.
    pub links: Vec<(String, String)>,
    /// `src` of images, scripts, frames and media; `<link href>`; `background`.
    pub sources: Vec<String>,
    /// `<form action>`; an empty action (post to the page itself) is kept as "".
    pub form_actions: Vec<String>,
    /// Targets of `<meta http-equiv="refresh" content="0; url=…">`.
    pub refreshes: Vec<String>,
    pub has_password_input: bool,
    pub visible_text: String,
    /// Characters of text shrunk to nothing (zero font size or opacity, zero height with
    /// overflow hidden). Text in those and in `display: none` elements is kept out of
    /// `visible_text`.
    pub hidden_chars: usize,
    /// A style pushes content thousands of screens down (a margin or height of 10,000 pixels
    /// or 1,000 screen heights), where nobody scrolls but filters still read.
    pub pushed_away: bool,
    /// Pictures that are links: `<img src>`, `background` attributes and styles with a
    /// `url(…)` inside an `<a href>`, or an image map's picture.
    pub linked_pictures: usize,
}

impl HtmlFacts {
    /// Text a reader sees is next to none, and what is shown is a picture that links away: the
    /// words are inside the image, where filters do not read them.
    pub fn picture_only(&self) -> bool {
        let letters = self
            .visible_text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(80)
            .count();
        letters < 80 && self.linked_pictures > 0
    }
}

/// Whether CSS (a style sheet or an inline style) pushes content out of any reader's sight:
/// a top margin, top padding or height of at least 10,000px or 1,000vh.
fn pushes_away(css: &str) -> bool {
    let css = css.to_ascii_lowercase();
    css.split([';', '{', '}']).any(|declaration| {
        let Some((property, value)) = declaration.split_once(':') else {
            return false;
        };
        if !matches!(
            property.trim(),
            "margin-top" | "padding-top" | "height" | "min-height" | "margin"
        ) {
            return false;
        }
        let value = value.trim().trim_end_matches("!important").trim();
        let first = value.split_whitespace().next().unwrap_or_default();
        let (number, unit) = first.split_at(
            first
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(first.len()),
        );
        let Ok(number) = number.parse::<f64>() else {
            return false;
        };
        match unit {
            "px" => number >= 10_000.0,
            "vh" => number >= 1_000.0,
            _ => false,
        }
    })
}

/// How an inline style hides an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hiding {
    /// display: none or visibility: hidden (also used for hidden quoted replies).
    Hidden,
    /// Shrunk to nothing: zero font size or opacity, zero height with overflow hidden.
    Shrunk,
}

fn hiding(style: &str) -> Option<Hiding> {
    let style = style.to_ascii_lowercase();
    let mut zero_height = false;
    let mut overflow_hidden = false;
    let mut found = None;
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let (property, value) = (
            property.trim(),
            value.trim().trim_end_matches("!important").trim(),
        );
        let zero = || {
            value
                .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%')
                .parse::<f64>()
                .is_ok_and(|v| v == 0.0)
        };
        match property {
            "font-size" | "opacity" if zero() => return Some(Hiding::Shrunk),
            "display" if value == "none" => found = Some(Hiding::Hidden),
            "visibility" if value == "hidden" => found = Some(Hiding::Hidden),
            "height" | "max-height" if zero() => zero_height = true,
            "overflow" if value == "hidden" => overflow_hidden = true,
            _ => {}
        }
    }
    if zero_height && overflow_hidden {
        Some(Hiding::Shrunk)
    } else {
        found
    }
}

/// Elements that never hold text.
const VOID: [&str; 12] = [
    "br", "img", "input", "meta", "link", "hr", "area", "base", "col", "embed", "source", "wbr",
];

/// Elements whose content is skipped to their end tag, unread as markup.
const RAW_TEXT: [&str; 5] = ["style", "script", "iframe", "textarea", "title"];

/// Scans a document.
pub fn scan(html: &str) -> HtmlFacts {
    let mut facts = HtmlFacts::default();
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut tags = 0;
    let mut open_anchor: Option<(String, String)> = None;
    // The hiding element we are inside, and how many of its name are open within it.
    let mut hidden: Option<(String, usize, Hiding)> = None;
    while pos < bytes.len() {
        let Some(lt) = memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
            push_text(
                &mut facts,
                &mut open_anchor,
                &html[pos..],
                hidden.as_ref().map(|h| h.2),
            );
            break;
        };
        push_text(
            &mut facts,
            &mut open_anchor,
            &html[pos..lt],
            hidden.as_ref().map(|h| h.2),
        );
        tags += 1;
        if tags > MAX_TAGS {
            break;
        }
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            pos = comment.find("-->").map_or(bytes.len(), |i| lt + 4 + i + 3);
            continue;
        }
        let (tag, end) = parse_tag(html, lt);
        pos = end;
        let Some(tag) = tag else {
            // A lone '<' is text.
            push_text(
                &mut facts,
                &mut open_anchor,
                "<",
                hidden.as_ref().map(|h| h.2),
            );
            pos = lt + 1;
            continue;
        };
        if let Some((name, depth, _)) = &mut hidden {
            if *name == tag.name && !tag.self_closing {
                if tag.closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    hidden = None;
                }
            }
        } else if !tag.closing
            && !tag.self_closing
            && !VOID.contains(&tag.name.as_str())
            // Elements read as raw text end where their own end tag is skipped to; a hiding
            // style on one (`<style style="display:none">`, as Outlook writes) hides nothing.
            && !RAW_TEXT.contains(&tag.name.as_str())
        {
            let style = tag.attr("style");
            facts.pushed_away |= style.is_some_and(pushes_away);
            if let Some(how) = style.and_then(hiding) {
                hidden = Some((tag.name.clone(), 1, how));
            }
        }
        if tag.closing {
            if tag.name == "a" {
                if let Some(link) = open_anchor.take() {
                    facts.links.push(finish_link(link));
                }
            }
            continue;
        }
        match tag.name.as_str() {
            "a" | "area" => {
                if let Some(link) = open_anchor.take() {
                    facts.links.push(finish_link(link));
                }
                if let Some(href) = tag.attr("href") {
                    if tag.name == "a" && !tag.self_closing {
                        open_anchor = Some((href.to_owned(), String::new()));
                    } else {
                        facts.links.push((
                            href.to_owned(),
                            tag.attr("alt").unwrap_or_default().to_owned(),
                        ));
                    }
                }
            }
            "img" | "script" | "iframe" | "frame" | "embed" | "source" | "video" | "audio"
            | "input" => {
                if let Some(src) = tag.attr("src") {
                    facts.linked_pictures += usize::from(
                        tag.name == "img"
                            && (open_anchor.is_some() || tag.attr("usemap").is_some()),
                    );
                    facts.sources.push(src.to_owned());
                }
                if tag.name == "input"
                    && tag
                        .attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("password"))
                {
                    facts.has_password_input = true;
                }
                if tag.name == "script" || tag.name == "iframe" {
                    pos = skip_raw_text(html, pos, &tag.name);
                }
            }
            "style" => {
                let end = skip_raw_text(html, pos, &tag.name);
                facts.pushed_away |= pushes_away(&html[pos..end]);
                pos = end;
            }
            "textarea" | "title" => pos = skip_raw_text(html, pos, &tag.name),
            "link" => facts.sources.extend(tag.attr("href").map(str::to_owned)),
            "form" => facts
                .form_actions
                .push(tag.attr("action").unwrap_or_default().to_owned()),
            "meta" => {
                let refresh = tag
                    .attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
                if let (true, Some(content)) = (refresh, tag.attr("content")) {
                    if let Some(idx) = content.to_ascii_lowercase().find("url=") {
                        let target = content[idx + 4..].trim().trim_matches(['\'', '"']);
                        facts.refreshes.push(target.to_owned());
                    }
                }
            }
            _ => {}
        }
        if open_anchor.is_some()
            && tag.attr("style").is_some_and(|style| {
                style
                    .as_bytes()
                    .windows(4)
                    .any(|w| w.eq_ignore_ascii_case(b"url("))
            })
        {
            facts.linked_pictures += 1;
        }
        if let Some(background) = tag.attr("background") {
            facts.linked_pictures += usize::from(open_anchor.is_some());
            facts.sources.push(background.to_owned());
        }
        if matches!(
            tag.name.as_str(),
            "br" | "p" | "div" | "tr" | "li" | "td" | "h1" | "h2" | "h3"
        ) {
            push_text(
                &mut facts,
                &mut open_anchor,
                " ",
                hidden.as_ref().map(|h| h.2),
            );
        }
    }
    if let Some(link) = open_anchor.take() {
        facts.links.push(finish_link(link));
    }
    facts.visible_text = collapse_whitespace(&facts.visible_text);
    facts
}

fn finish_link((href, text): (String, String)) -> (String, String) {
    (href, collapse_whitespace(&text))
}

fn push_text(
    facts: &mut HtmlFacts,
    anchor: &mut Option<(String, String)>,
    raw: &str,
    hidden: Option<Hiding>,
) {
    if raw.is_empty() {
        return;
    }
    let text = decode_entities(raw);
    if let Some(how) = hidden {
        if how == Hiding::Shrunk {
            facts.hidden_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        }
        return;
    }
    if facts.visible_text.len() < MAX_VISIBLE_TEXT {
        let room = MAX_VISIBLE_TEXT - facts.visible_text.len();
        facts
            .visible_text
            .push_str(truncate_chars_bytes(&text, room));
    }
    if let Some((_, link_text)) = anchor {
        let have = link_text.chars().count();
        if have < MAX_LINK_TEXT {
            link_text.extend(text.chars().take(MAX_LINK_TEXT - have));
        }
    }
}

fn truncate_chars_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Skips the raw content of `<script>`, `<style>` and similar, up to their closing tag.
fn skip_raw_text(html: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    let rest = &html.as_bytes()[from..];
    let found = rest
        .windows(closing.len())
        .position(|w| w.eq_ignore_ascii_case(closing.as_bytes()));
    match found {
        Some(i) => {
            let after = from + i + closing.len();
            memchr(b'>', &html.as_bytes()[after..]).map_or(html.len(), |j| after + j + 1)
        }
        None => html.len(),
    }
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the tag that starts at `lt` (which holds '<'). Returns the tag, if it is one, and the
/// offset after it.
fn parse_tag(html: &str, lt: usize) -> (Option<Tag>, usize) {
    let bytes = html.as_bytes();
    let mut i = lt + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if bytes.get(i) == Some(&b'!') || bytes.get(i) == Some(&b'?') {
        // Doctype, CDATA or processing instruction.
        let end = memchr(b'>', &bytes[i..]).map_or(bytes.len(), |j| i + j + 1);
        return (None, end);
    }
    let name_start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':')
    {
        i += 1;
    }
    if i == name_start {
        return (None, lt + 1);
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            self_closing = bytes[i] == b'/';
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        self_closing = false;
        let attr_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let attr_name = html[attr_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = memchr(quote, &bytes[start..]).map_or(bytes.len(), |j| start + j);
                    value = decode_entities(&html[start..end]).trim().to_owned();
                    i = (end + 1).min(bytes.len());
                }
                Some(_) => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[start..i]).into_owned();
                }
                None => {}
            }
        }
        if attrs.len() < 64 && !attr_name.is_empty() {
            attrs.push((attr_name, value));
        }
    }
    (
        Some(Tag {
            name,
            closing,
            self_closing,
            attrs,
        }),
        i,
    )
}

/// Named references beyond the XML ones, as mail in the languages forewarn serves uses them.
const NAMED: [(&str, char); 36] = [
    ("auml", 'ä'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("Auml", 'Ä'),
    ("Ouml", 'Ö'),
    ("Uuml", 'Ü'),
    ("szlig", 'ß'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("ecirc", 'ê'),
    ("Eacute", 'É'),
    ("aacute", 'á'),
    ("agrave", 'à'),
    ("acirc", 'â'),
    ("atilde", 'ã'),
    ("iacute", 'í'),
    ("oacute", 'ó'),
    ("ocirc", 'ô'),
    ("otilde", 'õ'),
    ("uacute", 'ú'),
    ("ccedil", 'ç'),
    ("Ccedil", 'Ç'),
    ("ntilde", 'ñ'),
    ("Ntilde", 'Ñ'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("rsquo", '’'),
    ("lsquo", '‘'),
    ("laquo", '«'),
];

/// Decodes the character references that matter for links and text.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|i| i + 1);
        let (entity, consumed) = match end {
            Some(e) => (
                &rest[1..e],
                if rest.as_bytes().get(e) == Some(&b';') {
                    e + 1
                } else {
                    e
                },
            ),
            None => (&rest[1..], rest.len()),
        };
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            e => NAMED.iter().find(|(name, _)| *name == e).map(|(_, c)| *c),
        };
        match decoded {
            Some(c) if entity.len() <= 10 => {
                out.push(c);
                rest = &rest[consumed..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_visible_text() {
        let facts = scan(
            r#"<p>Hello</p><A HREF="https://evil.example/login?a=1&amp;b=2">https://<b>bank</b>.example</A>
               <a href=http://x.example/>x</a><area href='http://map.example/' alt="Map">"#,
        );
        assert_eq!(
            facts.links,
            [
                (
                    "https://evil.example/login?a=1&b=2".to_owned(),
                    "https://bank.example".to_owned()
                ),
                ("http://x.example/".to_owned(), "x".to_owned()),
                ("http://map.example/".to_owned(), "Map".to_owned()),
            ]
        );
    }

    #[test]
    fn forms_sources_refresh_and_password_fields() {
        let facts = scan(
            r#"<meta http-equiv="Refresh" content="0; URL='https://r.example/'">
               <img src="https://img.example/a.png"><script>var s="<a href='http://no.example'>";</script>
               <form action="https://collect.example/p.php"><input type="password" name="p"></form>
               <!-- <a href="http://comment.example/"> -->"#,
        );
        assert_eq!(facts.refreshes, ["https://r.example/"]);
        assert_eq!(facts.sources, ["https://img.example/a.png"]);
        assert_eq!(facts.form_actions, ["https://collect.example/p.php"]);
        assert!(facts.has_password_input);
        assert!(facts.links.is_empty());
    }

    #[test]
    fn content_pushed_out_of_sight() {
        assert!(
            scan("<style>.x { margin-top: 470500px; }</style><p class=x>poison</p>").pushed_away
        );
        assert!(scan(r#"<div style="height:2000vh">x</div>"#).pushed_away);
        // Outlook writes `<style style="display:none;">`: the style sheet is hidden, not the mail.
        let outlook = scan(
            r#"<style type="text/css" style="display:none;"> P {margin-top:0;} </style><p>According to this, it is a dipole</p>"#,
        );
        assert_eq!(outlook.visible_text, "According to this, it is a dipole");
        assert_eq!(outlook.hidden_chars, 0);
        let picture = scan(
            r#"<a href="https://x.example/"><div style="height:640px; background: URL('https://cdn.example/p.png')"></div></a>"#,
        );
        assert!(picture.picture_only(), "{picture:?}");
        assert!(scan(
            r#"<a href="https://x.example/"><img src="https://cdn.example/p.png"></a> Click"#
        )
        .picture_only());
        let newsletter = scan(
            r#"<img src="https://cdn.example/logo.png"><p>This week: the new release is out, with faster builds, a long list of fixes and notes on upgrading from the last one.</p><a href="https://x.example/">Read more</a>"#,
        );
        assert!(!newsletter.picture_only());
        assert!(!scan(r#"<img src="https://cdn.example/p.png">"#).picture_only());
        // A logo beside a short notice's link is no picture standing in for the text.
        assert!(!scan(r#"<p>Results: <a href="https://x.example/r">open</a> <img src="https://cdn.example/logo.png"></p>"#).picture_only());
        assert!(!scan("<style>.x { margin-top: 20px; height: 100vh }</style>").pushed_away);
        assert!(!scan(r#"<div style="position:absolute; left:-9999px">preview</div>"#).pushed_away);
    }

    #[test]
    fn hidden_text_is_counted_not_shown() {
        let facts = scan(
            r#"<p>Hello <span style="font-size:0px">poison words here</span> there</p>
               <div style="max-height: 0; overflow: hidden"><div>nested</div>still hidden</div>
               <div style="display:none !important">x</div><span style="font-size: 12px">shown</span>"#,
        );
        assert_eq!(facts.visible_text, "Hello there shown");
        assert_eq!(facts.hidden_chars, "poisonwordsherenestedstillhidden".len());
    }

    #[test]
    fn entities_and_hostile_fragments() {
        assert_eq!(decode_entities("a&#x41;&#66;&lt;&bogus;&"), "aAB<&bogus;&");
        assert_eq!(
            decode_entities("&Ouml;ffnen &amp; &eacute;t&eacute;"),
            "Öffnen & été"
        );
        for hostile in [
            "<",
            "<a href=\"",
            "<a href",
            "<!--",
            "<script>",
            "<<<>>>",
            "</",
            "<a/",
            "&#xFFFFFFFFF;",
        ] {
            let _ = scan(hostile);
        }
        assert_eq!(
            scan("<a href=x>unterminated").links,
            [("x".to_owned(), "unterminated".to_owned())]
        );
    }
}

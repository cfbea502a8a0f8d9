//! Charts as inline SVG, drawn on the server: no script, nothing to fetch, readable by a screen
//! reader (each chart has a title, and each bar its label and value as text).

use maud::{html, Markup};

const WIDTH: u32 = 640;
const ROW: u32 = 26;
const LABEL: u32 = 200;

/// One bar per row, longest first as given, each with its label and its value.
pub fn bars(title: &str, rows: &[(String, i64)]) -> Markup {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW * rows.len().max(1) as u32 + 4;
    let room = WIDTH - LABEL - 60;
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
            title { (title) }
            @for (i, (label, value)) in rows.iter().enumerate() {
                @let y = i as u32 * ROW + 2;
                @let length = (*value).max(0) as u64 * u64::from(room) / max as u64;
                text x="0" y=(y + 17) { (shorten(label, 28)) }
                rect.bar x=(LABEL) y=(y + 4) width=(length.max(1)) height=(ROW - 8) {}
                text x=(u64::from(LABEL) + length + 6) y=(y + 17) { (value) }
            }
        }
    }
}

/// Columns over time, one per day, oldest on the left, with the first and last day named
/// under the axis and the highest value beside it.
pub fn columns(title: &str, days: &[(String, i64)]) -> Markup {
    let height: u32 = 180;
    let base: u32 = 150;
    let max = days.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let count = days.len().max(1) as u32;
    let step = (WIDTH - 40) / count;
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
            title { (title) }
            line.axis x1="36" y1=(base) x2=(WIDTH) y2=(base) {}
            text x="0" y="16" { (max) }
            text x="0" y=(base) { "0" }
            @for (i, (day, value)) in days.iter().enumerate() {
                @let tall = (*value).max(0) as u64 * u64::from(base - 20) / max as u64;
                rect.bar x=(40 + i as u32 * step) y=(u64::from(base) - tall) width=(step.saturating_sub(2).max(1)) height=(tall) {
                    title { (day) ": " (value) }
                }
            }
            @if let Some((first, _)) = days.first() { text x="40" y=(base + 20) { (first) } }
            @if let Some((last, _)) = days.last() { text x=(WIDTH - 80) y=(base + 20) { (last) } }
        }
    }
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(most - 1).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_name_every_row() {
        let svg = bars(
            "Incidents by kind",
            &[("phishing".into(), 10), ("<lookalike>".into(), 5)],
        )
        .into_string();
        assert!(svg.contains("width=\"380\""), "{svg}");
        assert!(svg.contains("width=\"190\""), "{svg}");
        assert!(svg.contains("&lt;lookalike&gt;"));
        assert!(svg.contains("<title>Incidents by kind</title>"));
    }

    #[test]
    fn empty_and_zero_data_draw_without_dividing_by_zero() {
        assert!(bars("none", &[]).into_string().contains("<svg"));
        assert!(columns("none", &[("2026-11-01".into(), 0)])
            .into_string()
            .contains("height=\"0\""));
    }
}

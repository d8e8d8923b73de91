//! Escaping catalog text for where it is printed. Every string in a catalog is hostile: a
//! provider named `=HYPERLINK(…)` must not become a spreadsheet formula, a note with
//! `<script>` or `[x](javascript:…)` must not become HTML or a link in markdown, and a name
//! with ESC or BEL must not drive the terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A CSV cell that a spreadsheet will not run as a formula (OWASP's CSV-injection rule): a
/// cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. Numbers such as
/// `-12.50` or `+10%` stay as they are, since a spreadsheet reads them as numbers anyway.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let risky = match cell.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => cell.trim_end_matches('%').parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Catalog text inside markdown: markdown and HTML syntax is backslash-escaped, so it reads
/// as the literal characters (`<script>` stays text, `[x](y)` is no link, `|` does not split
/// a table cell), and line breaks become spaces. Paired backticks stay code spans: their
/// content is inert (no HTML, no links) and would show a backslash escape literally.
pub fn md_text(s: &str) -> String {
    md_text_in(s, true)
}

/// Catalog text for an output that is markdown only sometimes: escaped as [`md_text`] when
/// `md`, as is otherwise (the terminal's control characters are stripped where all output is
/// printed).
pub fn md_text_if(md: bool, s: &str) -> String {
    if md { md_text(s) } else { s.to_owned() }
}

/// [`md_text`] for a table cell, where a leading `#` cannot start a heading and keeps no
/// backslash.
pub fn md_cell(s: &str) -> String {
    md_text_in(s, false)
}

fn md_text_in(s: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // `#` makes a heading only at the start of a line (after up to three spaces); line
    // breaks become spaces, so only a leading one needs its backslash ("PR #2731" reads
    // as written in the raw markdown too).
    let lead = s.len() - s.trim_start_matches(' ').len();
    let mut rest = s;
    if line_start && s[lead..].starts_with('#') {
        out.push_str(&s[..lead]);
        out.push_str("\\#");
        rest = &s[lead + 1..];
    }
    while let Some(tick) = rest.find('`') {
        push_escaped(&mut out, &rest[..tick], false);
        let after = &rest[tick..];
        let run = after.len() - after.trim_start_matches('`').len();
        // Only `code` with single backticks and no backtick inside is kept as a code span (a
        // longer run closes only on a run of the same length, which is easy to get wrong):
        // every other backtick is escaped, so nothing after it can turn into code.
        let body = &after[1..];
        let close = body.find('`');
        let single_close = close.is_some_and(|c| !body[c + 1..].starts_with('`'));
        if run == 1
            && let Some(c) = close.filter(|_| single_close)
        {
            out.push('`');
            push_escaped(&mut out, &body[..c], true);
            out.push('`');
            rest = &body[c + 1..];
        } else {
            for _ in 0..run {
                out.push_str("\\`");
            }
            rest = &after[run..];
        }
    }
    push_escaped(&mut out, rest, false);
    out
}

/// Appends `text` escaped for markdown; inside a code span only what could end the span or
/// the table cell is changed (backslash escapes would show literally there).
fn push_escaped(out: &mut String, text: &str, in_code: bool) {
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe_char(c) => {}
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '!' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// Catalog prose of several lines (a scenario's description) inside markdown: each line
/// escaped as [`md_text`], the line breaks kept so paragraphs stay paragraphs.
pub fn md_block(s: &str) -> String {
    s.lines().map(md_text).collect::<Vec<_>>().join("\n")
}

/// Preformatted text as a fenced markdown code block: the fence is one backtick longer than
/// the longest run of backticks inside, so catalog text can never close it early.
pub fn md_fenced(text: &str) -> String {
    md_fenced_as(text, "text")
}

/// [`md_fenced`] with another info string (`diff` colours `+` and `-` lines on GitHub).
pub fn md_fenced_as(text: &str, info: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let body = text.strip_suffix('\n').unwrap_or(text);
    format!("{fence}{info}\n{body}\n{fence}\n")
}

/// A URL as a markdown link destination: only `http` and `https` URLs, with every byte
/// outside the URL-safe set percent-encoded (so `)` or a space cannot end the link).
/// `None` for any other scheme (`javascript:`, `data:`, …): the caller prints text instead.
pub fn md_url(url: &str) -> Option<String> {
    let lower = url.trim_start().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for b in url.trim_start().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&*+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Some(out)
}

/// A markdown link to an external URL, or the escaped text alone when the URL is not
/// `http(s)`.
pub fn md_link(text: &str, url: &str) -> String {
    match md_url(url) {
        Some(u) => format!("[{}]({u})", md_text(text)),
        None => md_text(text),
    }
}

/// Text for a terminal: control characters (ESC, BEL, CR, DEL, C1) and bidirectional
/// overrides are removed; newlines and tabs stay.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if s.chars()
        .any(|c| c != '\n' && c != '\t' && is_unsafe_char(c))
    {
        Cow::Owned(
            s.chars()
                .filter(|&c| c == '\n' || c == '\t' || !is_unsafe_char(c))
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Control characters, line and paragraph separators, and [`is_invisible`] characters.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Characters that change how the text around them is shown without being seen themselves:
/// bidirectional overrides, isolates and marks ("Trojan Source"), zero-width characters and
/// the byte order mark. A provider named `WorkOS\u{200B}` looks exactly like `WorkOS`.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula() {
        for (cell, out) in [
            ("=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0"),
            ("+SUM(1,1)", "'+SUM(1,1)"),
            ("-2+3+cmd|' /C calc'!E1", "'-2+3+cmd|' /C calc'!E1"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-12.50", "-12.50"),
            ("+10%", "+10%"),
            ("WorkOS", "WorkOS"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), out, "{cell:?}");
        }
    }

    #[test]
    fn markdown_text_is_literal() {
        assert_eq!(
            md_text("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            md_text("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(md_text("a|b\nc"), "a\\|b c");
        assert_eq!(md_text("![img](http://x)"), "\\!\\[img\\](http://x)");
        assert_eq!(md_text("bell\u{7}esc\u{1b}[31m"), "bellesc\\[31m");
        // Code spans stay code; an unpaired backtick is escaped.
        assert_eq!(md_text("see `a_b` and <c>"), "see `a_b` and \\<c\\>");
        assert_eq!(md_text("`x` `y"), "`x` \\`y");
        assert_eq!(md_text("`<img onerror=1>`"), "`<img onerror=1>`");
        // A run of several backticks never opens a code span here: each is escaped, so what
        // follows stays escaped text (a review found `x```<img …>`` passing through).
        assert_eq!(
            md_text("x```<img src=x onerror=alert(1)>`"),
            "x\\`\\`\\`\\<img src=x onerror=alert(1)\\>\\`"
        );
        assert_eq!(
            md_text("x```[a](javascript:alert(1))`"),
            "x\\`\\`\\`\\[a\\](javascript:alert(1))\\`"
        );
        assert_eq!(md_text("`a``b`"), "\\`a\\`\\`b\\`");
        // Only a leading `#` could start a heading.
        assert_eq!(md_text("# Title"), "\\# Title");
        assert_eq!(md_text("  ## x"), "  \\## x");
        assert_eq!(md_text("PR #2731 and C#"), "PR #2731 and C#");
        assert_eq!(md_cell("# <b>"), "# \\<b\\>");
    }

    #[test]
    fn markdown_links_are_http_only_and_cannot_break_out() {
        assert_eq!(md_url("javascript:alert(1)"), None);
        assert_eq!(md_url("data:text/html,<b>"), None);
        assert_eq!(
            md_url("https://example.com/a) [b](x\"y z").as_deref(),
            Some("https://example.com/a%29%20%5Bb%5D%28x%22y%20z")
        );
        assert_eq!(
            md_link("Pricing", "https://workos.com/pricing"),
            "[Pricing](https://workos.com/pricing)"
        );
        assert_eq!(md_link("x", "javascript:1"), "x");
    }

    #[test]
    fn terminal_text_has_no_control_sequences() {
        assert_eq!(terminal("a\u{1b}[2Jb\u{7}c\rd\u{9b}e"), "a[2Jbcde");
        assert_eq!(terminal("safe\n\ttext"), "safe\n\ttext");
        assert_eq!(terminal("x\u{202E}y"), "xy");
        // Marks, zero-width characters, separators and the BOM (found in review, 2026-12-01).
        for c in [
            '\u{200B}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{2029}', '\u{2060}',
            '\u{FEFF}',
        ] {
            assert_eq!(terminal(&format!("Work{c}OS")), "WorkOS", "{c:?}");
        }
        // Letters of other scripts stay.
        assert_eq!(terminal("Zoë · Ωmega · 株式会社"), "Zoë · Ωmega · 株式会社");
    }
}

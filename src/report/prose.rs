//! Fitting a command's terminal text to a width: prose lines wrap at spaces, table lines stay.

/// Wraps every line of `text` longer than `width` characters at its spaces. A continuation
/// row is indented like its line, plus two spaces (four after a `- ` bullet), so a wrapped
/// note still reads as one item. Lines drawn by a table (starting with a box-drawing
/// character) are left alone: the table was fitted already. A word longer than the width stays
/// whole on its own row.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width || is_table_line(body) {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let bullet = body[lead..].starts_with("- ");
        let indent = " ".repeat(lead + if bullet { 4 } else { 2 });
        let mut row = body[..lead].to_owned();
        let mut row_len = lead;
        let mut row_has_word = false;
        for word in body[lead..].split(' ').filter(|w| !w.is_empty()) {
            let len = word.chars().count();
            if row_has_word && row_len + 1 + len > width {
                out.push_str(&row);
                out.push('\n');
                row.clone_from(&indent);
                row_len = indent.len();
                row_has_word = false;
            }
            if row_has_word {
                row.push(' ');
                row_len += 1;
            }
            row.push_str(word);
            row_len += len;
            row_has_word = true;
        }
        out.push_str(&row);
        out.push_str(newline);
    }
    out
}

/// Whether a line belongs to a boxed table.
fn is_table_line(line: &str) -> bool {
    line.trim_start()
        .starts_with(['│', '┌', '├', '└', '╞', '╘', '┆', '╒', '┝'])
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn wraps_prose_at_spaces_and_keeps_tables_and_short_lines() {
        let text = "short\n  - one two three four five six\n│ a table line that is long │\nend";
        // Width 16: "  - one two three" would be 17, so "three" starts a row indented 4
        // past the bullet's lead (2 + 4 = 6 spaces); "      three four" is exactly 16.
        assert_eq!(
            fit(text, 16),
            "short\n  - one two\n      three four\n      five six\n│ a table line that is long │\nend"
        );
    }

    #[test]
    fn a_word_longer_than_the_width_stays_whole() {
        assert_eq!(fit("aa bbbbbbbbbb cc\n", 5), "aa\n  bbbbbbbbbb\n  cc\n");
    }
}

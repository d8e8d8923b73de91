//! The layout of `report.json`: `serde_json`'s pretty printer, except that each element of a
//! `months` array (a month of a provider's projection) is written on one line:
//! `{"month": 1, "customers": 15, "plan": "pro", …}`.
//!
//! A month was 25 indented lines. As one line, a 1,000-provider scenario's file is a third
//! smaller (104 MB → 69 MB) and the whole 1,000 × 10 report about 1.2 s quicker (issue 15),
//! and a diff of the shipped reports shows one changed line per changed month. Everything
//! else keeps the pretty printer's layout, byte for byte.

use serde_json::ser::Formatter;
use std::io::{self, Write};

/// The key whose array elements are written one per line.
pub const ROW_KEY: &str = "months";

/// A [`Formatter`] that indents by two spaces, as `serde_json`'s pretty printer does, and
/// writes each element of a [`ROW_KEY`] array on one line, with `", "` and `": "` between
/// its parts.
#[derive(Debug, Default)]
pub struct RowFormatter {
    /// Open arrays and objects.
    depth: usize,
    /// Whether the innermost open indented container has a value yet (as in `serde_json`'s
    /// pretty printer: a nested container resets it on opening and its parent sets it again
    /// once the nested one is written).
    has_value: bool,
    /// The depth of the open [`ROW_KEY`] array, if any.
    rows: Option<usize>,
    /// The depth of the row being written on one line, if any (one more than `rows`).
    row: Option<usize>,
    /// The last object key written, while it is being written and until its value starts.
    key: String,
    /// Whether a key's string is being written (its fragments go to `key`; the other strings
    /// of the document are not copied).
    in_key: bool,
    /// Whether the next value is an object member's (so `key` names it).
    member: bool,
}

impl RowFormatter {
    /// A formatter at the document's start.
    pub fn new() -> RowFormatter {
        RowFormatter::default()
    }

    /// Whether the innermost open container is written on one line.
    fn inline(&self) -> bool {
        self.row.is_some()
    }

    fn indent<W: ?Sized + Write>(writer: &mut W, levels: usize) -> io::Result<()> {
        for _ in 0..levels {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
        array: bool,
    ) -> io::Result<()> {
        let member_of = std::mem::take(&mut self.member).then_some(self.key.as_str());
        self.depth += 1;
        self.has_value = false;
        if self.row.is_none() {
            if self.rows.is_some_and(|r| r + 1 == self.depth) {
                self.row = Some(self.depth);
            } else if array && member_of == Some(ROW_KEY) && self.rows.is_none() {
                self.rows = Some(self.depth);
            }
        }
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        if !self.inline() && self.has_value {
            writer.write_all(b"\n")?;
            Self::indent(writer, self.depth - 1)?;
        }
        if self.row == Some(self.depth) {
            self.row = None;
        } else if self.rows == Some(self.depth) {
            self.rows = None;
        }
        self.depth -= 1;
        writer.write_all(bracket)
    }

    /// Before a value of an array or a key of an object.
    fn item<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.member = false;
        if self.inline() {
            if !first {
                writer.write_all(b", ")?;
            }
            return Ok(());
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        Self::indent(writer, self.depth)
    }
}

impl Formatter for RowFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[", true)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{", false)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)?;
        self.key.clear();
        self.in_key = true;
        Ok(())
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.in_key = false;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if self.in_key {
            self.key.push_str(fragment);
        }
        writer.write_all(fragment.as_bytes())
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: serde_json::ser::CharEscape,
    ) -> io::Result<()> {
        // A key with an escaped character is never the row key, whatever its other
        // fragments spell (`mon\u0001ths`).
        if self.in_key {
            self.key.push('\\');
        }
        serde_json::ser::CompactFormatter.write_char_escape(writer, char_escape)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.member = true;
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.member = false;
        self.has_value = true;
        Ok(())
    }
}

/// `value` as JSON in this layout.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(1 << 16);
    let mut ser = serde_json::Serializer::with_formatter(&mut bytes, RowFormatter::new());
    value.serialize(&mut ser)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Without a `months` array the layout is `serde_json`'s pretty printer, byte for byte,
    /// however deep.
    #[test]
    fn documents_without_months_are_pretty_printed() {
        let doc = json!({
            "a": [1, 2, {"b": [], "c": {}}],
            "d": {"e": {"f": [true, null, "x", {"g": {"h": {"i": [[1], []]}}}]}},
            "month": [{"x": 1}],
            "monthsx": [{"x": 1}],
            "g": []
        });
        let ours = String::from_utf8(to_vec(&doc).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_string_pretty(&doc).unwrap());
    }

    /// Worked example: each element of a `months` array is one line (nested values and empty
    /// containers included), at any depth; the array itself and everything around it is
    /// indented; a `months` key inside a row, or a string value "months", changes nothing
    /// (`json!` sorts the keys).
    #[test]
    fn each_month_is_one_line() {
        let doc = json!({"p": {"s": [{"id": "months", "months": [
            {"month": 1, "total": {"status": "known", "amount": "1.00"}, "lines": []},
            {"month": 2, "x": {}, "months": [{"a": 1}]},
            []
        ]}], "months": []}, "q": ["months", {"r": 1}]});
        let ours = String::from_utf8(to_vec(&doc).unwrap()).unwrap();
        let expected = r#"{
  "p": {
    "months": [],
    "s": [
      {
        "id": "months",
        "months": [
          {"lines": [], "month": 1, "total": {"amount": "1.00", "status": "known"}},
          {"month": 2, "months": [{"a": 1}], "x": {}},
          []
        ]
      }
    ]
  },
  "q": [
    "months",
    {
      "r": 1
    }
  ]
}"#;
        assert_eq!(ours, expected);
        // The same document either way.
        let back: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(back, doc);
    }

    /// Strings are escaped as by the pretty printer (the formatter only places whitespace),
    /// in a row and in a key.
    #[test]
    fn strings_are_escaped() {
        let doc = json!({"months": [{"f\"": "q\"\n\u{1b}</script>"}], "mon\u{1}ths": [{"a": 1}]});
        let ours = String::from_utf8(to_vec(&doc).unwrap()).unwrap();
        assert!(
            ours.contains(r#"{"f\"": "q\"\n\u001b</script>"}"#),
            "{ours}"
        );
        // A key that spells `months` only without its escapes is not the row key.
        assert!(
            ours.contains("\"mon\\u0001ths\": [\n    {\n      \"a\": 1"),
            "{ours}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&ours).unwrap(),
            doc
        );
    }
}

//! Diagnostics: what went wrong, where (file, line, column, key), what was expected, and a
//! suggestion. Rendered as rustc-style snippets with codespan-reporting.

use super::SourceFile;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input is invalid; nothing is computed or written.
    Error,
    /// Worth attention (for example stale `verified` dates), but the input is usable.
    Warning,
}

/// One problem found in a catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The message, lower-case, values in backticks.
    pub message: String,
    /// The file, as shown to the user; `None` for catalog-wide problems.
    pub file: Option<String>,
    /// The dotted key the problem is about, when there is one.
    pub key: Option<String>,
    /// 1-based line, when the location is known.
    pub line: Option<usize>,
    /// 1-based column (characters), when the location is known.
    pub column: Option<usize>,
    /// What was expected (shown under the caret).
    pub expected: Option<String>,
    /// A suggestion for the fix.
    pub help: Option<String>,
    /// Byte span in the file; not serialized.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// Index of the file in the catalog's file list; not serialized.
    #[serde(skip)]
    pub file_index: Option<usize>,
}

impl Diagnostic {
    /// An error with only a message.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            key: None,
            line: None,
            column: None,
            expected: None,
            help: None,
            span: None,
            file_index: None,
        }
    }

    /// A warning with only a message.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the expectation.
    #[must_use]
    pub fn expected(mut self, expected: impl Into<String>) -> Diagnostic {
        self.expected = Some(expected.into());
        self
    }

    /// Sets the help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Diagnostic {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Attaches a file and a byte span in it; computes line and column.
    #[must_use]
    pub fn at(mut self, files: &[SourceFile], index: usize, span: Range<usize>) -> Diagnostic {
        if let Some(f) = files.get(index) {
            let span = f.clamp(span);
            let (line, col) = f.line_col(span.start);
            self.file = Some(f.name.clone());
            self.line = Some(line);
            self.column = Some(col);
            self.span = Some(span);
            self.file_index = Some(index);
        }
        self
    }

    /// Attaches a file without a location inside it.
    #[must_use]
    pub fn in_file(mut self, name: &str) -> Diagnostic {
        self.file = Some(name.to_owned());
        self
    }

    /// Sets the key path.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Diagnostic {
        self.key = Some(key.into());
        self
    }

    /// Renders the diagnostic as text, with a source snippet and caret when the location is
    /// known. Never panics: a snippet that cannot be rendered falls back to a plain header.
    pub fn render(&self, files: &[SourceFile]) -> String {
        let (simple, ids) = snippet_files(files);
        self.render_with(files, &simple, &ids)
    }

    /// [`Diagnostic::render`] with the snippet sources prepared once for many diagnostics.
    fn render_with(
        &self,
        files: &[SourceFile],
        simple: &SimpleFiles<&str, &str>,
        ids: &[usize],
    ) -> String {
        let mut message = self.message.clone();
        if let Some(key) = &self.key
            && !message.contains(&format!("`{key}`"))
        {
            message = format!("{message} (key `{key}`)");
        }
        if let (Some(index), Some(span)) = (self.file_index, self.span.clone())
            && let Some(file) = files.get(index)
            && let Some(&id) = ids.get(index)
            // A snippet prints whole lines: a huge line (a minified or CR-only file) gets the
            // plain header instead, so output stays proportional to the number of errors.
            && file.line_len(span.start) <= MAX_SNIPPET_LINE
            && file.line_len(span.end) <= MAX_SNIPPET_LINE
        {
            let label =
                Label::primary(id, span).with_message(self.expected.clone().unwrap_or_default());
            let mut d = match self.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&message)
            .with_labels(vec![label]);
            if let Some(h) = &self.help {
                d = d.with_notes(vec![format!("help: {h}")]);
            }
            let config = term::Config::default();
            if let Ok(s) = term::emit_into_string(&config, simple, &d) {
                return s;
            }
        }
        let mut out = format!(
            "{}: {message}\n",
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
        );
        if let Some(file) = &self.file {
            match (self.line, self.column) {
                (Some(l), Some(c)) => out.push_str(&format!("  ┌─ {file}:{l}:{c}\n")),
                _ => out.push_str(&format!("  ┌─ {file}\n")),
            }
        }
        if let Some(e) = &self.expected {
            out.push_str(&format!("  = expected: {e}\n"));
        }
        if let Some(h) = &self.help {
            out.push_str(&format!("  = help: {h}\n"));
        }
        out
    }
}

/// All diagnostics of a run, in a stable order (file order, then position).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// The most diagnostics printed per file; the rest are counted ("… and N more").
pub const MAX_PER_FILE: usize = 50;

/// The longest line (in bytes) shown in a snippet.
const MAX_SNIPPET_LINE: usize = 400;

/// The files as snippet sources, built once (each builds its own line index).
fn snippet_files(files: &[SourceFile]) -> (SimpleFiles<&str, &str>, Vec<usize>) {
    let mut simple = SimpleFiles::new();
    let ids = files
        .iter()
        .map(|f| simple.add(f.name.as_str(), f.text.as_str()))
        .collect();
    (simple, ids)
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when there is at least one error.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorts by file, then position, then message, so output is deterministic.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (
                a.file.as_deref().unwrap_or(""),
                a.span.as_ref().map_or(0, |s| s.start),
                &a.message,
            )
                .cmp(&(
                    b.file.as_deref().unwrap_or(""),
                    b.span.as_ref().map_or(0, |s| s.start),
                    &b.message,
                ))
        });
    }

    /// Renders every diagnostic, separated by blank lines.
    pub fn render(&self, files: &[SourceFile]) -> String {
        let (simple, ids) = snippet_files(files);
        let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
        let mut parts = Vec::new();
        for d in &self.0 {
            let n = shown.entry(d.file.as_deref().unwrap_or("")).or_default();
            *n += 1;
            if *n > MAX_PER_FILE {
                continue;
            }
            // Each diagnostic ends with exactly one newline, so joining with one more leaves
            // exactly one blank line between diagnostics.
            let mut r = d.render_with(files, &simple, &ids);
            while r.ends_with("\n\n") {
                r.pop();
            }
            if !r.ends_with('\n') {
                r.push('\n');
            }
            parts.push(r);
        }
        for (file, n) in shown {
            if n > MAX_PER_FILE {
                let place = if file.is_empty() {
                    String::new()
                } else {
                    format!(" in `{file}`")
                };
                parts.push(format!(
                    "note: … and {} more{place}: fix these first, then run again\n",
                    n - MAX_PER_FILE
                ));
            }
        }
        parts.join("\n")
    }
}

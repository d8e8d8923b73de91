//! The per-file state shared by the validators: where diagnostics go and how key paths are
//! located.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::key_path::KeyPath;
use super::source_file::SourceFile;
use std::cell::OnceCell;
use toml::Spanned;
use toml::de::DeTable;

/// Validation context for one file.
pub(super) struct Ctx<'a> {
    pub files: &'a [SourceFile],
    pub index: usize,
    pub diags: &'a mut Diagnostics,
    /// The file's document with spans, parsed only when a diagnostic needs locating: a valid
    /// file (the usual case) never needs it, and keeping a copy of every document for the
    /// validators was a twentieth of loading a large catalog.
    doc: OnceCell<Spanned<DeTable<'a>>>,
}

impl<'a> Ctx<'a> {
    /// A context for `files[index]`, whose text parsed without syntax errors.
    pub fn new(files: &'a [SourceFile], index: usize, diags: &'a mut Diagnostics) -> Ctx<'a> {
        Ctx {
            files,
            index,
            diags,
            doc: OnceCell::new(),
        }
    }

    /// The file's document (parsed on first use; the same text always gives the same spans).
    fn doc(&self) -> &Spanned<DeTable<'a>> {
        self.doc
            .get_or_init(|| DeTable::parse_recoverable(&self.files[self.index].text).0)
    }

    /// Records a diagnostic about the value at `path`.
    pub fn push(&mut self, path: &KeyPath, d: Diagnostic) {
        let (span, _) = path.locate(self.doc());
        let d = if path.is_root() {
            d
        } else {
            d.key(path.to_string())
        };
        self.diags.push(d.at(self.files, self.index, span));
    }

    /// Warns when a file's id differs from its file name (`providers/<id>.toml`), since ids
    /// are how reports and diffs trace back to files.
    pub fn check_id_matches_file(&mut self, dir: &str, kind: &str, id: &str) {
        let stem = self.files[self.index]
            .name
            .trim_start_matches(dir)
            .trim_start_matches('/')
            .trim_end_matches(".toml")
            .to_owned();
        if stem != id {
            self.push(
                &KeyPath::root().key("id"),
                Diagnostic::warning(format!(
                    "{kind} id `{id}` differs from its file name `{stem}.toml`"
                ))
                .expected(format!("`id = \"{stem}\"`"))
                .help("keep the file name and the id the same so reports are easy to trace back"),
            );
        }
    }

    /// Checks that SDK language names are lower-case words (they are compared as written).
    pub fn check_languages(&mut self, path: &KeyPath, languages: &[String]) {
        for (i, lang) in languages.iter().enumerate() {
            if lang.is_empty() || lang.bytes().any(|b| b.is_ascii_uppercase() || b == b' ') {
                self.push(
                    &path.index(i),
                    Diagnostic::error(format!("SDK language `{lang}` is not a lower-case name"))
                        .expected("for example `node`, `python`, `go`"),
                );
            }
        }
    }

    /// Records a diagnostic about the key at `path` itself (its name, not its value).
    pub fn push_key(&mut self, path: &KeyPath, d: Diagnostic) {
        let span = path
            .locate_key(self.doc())
            .unwrap_or_else(|| path.locate(self.doc()).0);
        self.diags
            .push(d.key(path.to_string()).at(self.files, self.index, span));
    }
}

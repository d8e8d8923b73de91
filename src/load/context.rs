//! The per-file state shared by the validators: where diagnostics go and how key paths are
//! located.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::key_path::KeyPath;
use super::source_file::SourceFile;
use toml::Spanned;
use toml::de::DeTable;

/// Validation context for one file.
pub(super) struct Ctx<'a, 'd> {
    pub files: &'a [SourceFile],
    pub index: usize,
    pub doc: &'a Spanned<DeTable<'d>>,
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_, '_> {
    /// Records a diagnostic about the value at `path`.
    pub fn push(&mut self, path: &KeyPath, d: Diagnostic) {
        let (span, _) = path.locate(self.doc);
        let d = if path.is_root() {
            d
        } else {
            d.key(path.to_string())
        };
        self.diags.push(d.at(self.files, self.index, span));
    }

    /// Records a diagnostic about the key at `path` itself (its name, not its value).
    pub fn push_key(&mut self, path: &KeyPath, d: Diagnostic) {
        let span = path
            .locate_key(self.doc)
            .unwrap_or_else(|| path.locate(self.doc).0);
        self.diags
            .push(d.key(path.to_string()).at(self.files, self.index, span));
    }
}

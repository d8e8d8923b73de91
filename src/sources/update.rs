//! `sources check --update`: record new fingerprints and `retrieved` dates in the provider
//! files, changing nothing else (comments, order and formatting stay as they are).

use crate::model::Date;
use std::path::Path;
use toml_edit::{DocumentMut, Item, value};

/// Why a provider file could not be updated.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The file no longer parses (edited since it was loaded).
    #[error("`{path}` does not parse as TOML any more: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// A source id was not found in the file.
    #[error("`{path}` has no `[[sources]]` entry with id `{id}`")]
    MissingSource {
        /// The file.
        path: String,
        /// The source id.
        id: String,
    },
    /// Reading or writing failed.
    #[error("cannot write `{path}`: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
}

/// Sets `fingerprint` and `retrieved` on the `[[sources]]` entries named in `updates`
/// (source id → fingerprint) and returns the new text. Every other byte stays the same.
pub fn apply(
    path: &str,
    text: &str,
    updates: &[(&str, &str)],
    today: Date,
) -> Result<String, UpdateError> {
    let mut doc: DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| UpdateError::Parse {
                path: path.to_string(),
                message: e.message().to_string(),
            })?;
    let date: toml_edit::Datetime =
        today
            .to_string()
            .parse()
            .map_err(|e: toml_edit::DatetimeParseError| UpdateError::Parse {
                path: path.to_string(),
                message: e.to_string(),
            })?;
    for (id, fingerprint) in updates {
        let entry = doc
            .get_mut("sources")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|arr| {
                arr.iter_mut()
                    .find(|t| t.get("id").and_then(Item::as_str) == Some(*id))
            })
            .ok_or_else(|| UpdateError::MissingSource {
                path: path.to_string(),
                id: (*id).to_string(),
            })?;
        set_keeping_decor(entry, "fingerprint", value(*fingerprint));
        set_keeping_decor(entry, "retrieved", value(date));
    }
    Ok(doc.to_string())
}

/// Replaces a value but keeps its surrounding whitespace and trailing comment.
fn set_keeping_decor(table: &mut toml_edit::Table, key: &str, mut new: Item) {
    if let (Some(old), Some(new_value)) =
        (table.get(key).and_then(Item::as_value), new.as_value_mut())
    {
        *new_value.decor_mut() = old.decor().clone();
    }
    table.insert(key, new);
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same directory, then a
/// rename, so a reader or a kill never sees half a provider file. Refuses anything but a
/// regular file, as the loader does.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), UpdateError> {
    let io = |e: std::io::Error| UpdateError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(UpdateError::Io {
            path: path.display().to_string(),
            message: "not a regular file".into(),
        });
    }
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# A provider.
id = "p"

[[sources]]
id = "docs"   # the docs
url = "https://example.com/docs"
retrieved = 2026-01-01  # first read
note = "[P] docs"

[[sources]]
id = "pricing"
url = "https://example.com/pricing"
retrieved = 2026-01-02
fingerprint = "sha256:old"
"#;

    #[test]
    fn only_the_named_sources_change_and_comments_stay() {
        let today = Date::new(2026, 11, 29).unwrap();
        let out = apply(
            "p.toml",
            FILE,
            &[("docs", "sha256:aa"), ("pricing", "sha256:bb")],
            today,
        )
        .unwrap();
        let expected = FILE
            .replace(
                "retrieved = 2026-01-01  # first read\nnote = \"[P] docs\"\n",
                "retrieved = 2026-11-29  # first read\nnote = \"[P] docs\"\nfingerprint = \"sha256:aa\"\n",
            )
            .replace("retrieved = 2026-01-02", "retrieved = 2026-11-29")
            .replace("sha256:old", "sha256:bb");
        assert_eq!(out, expected);
    }

    #[test]
    fn nothing_to_update_is_byte_identical_and_a_missing_id_is_an_error() {
        let today = Date::new(2026, 11, 29).unwrap();
        assert_eq!(apply("p.toml", FILE, &[], today).unwrap(), FILE);
        assert!(matches!(
            apply("p.toml", FILE, &[("nope", "sha256:x")], today),
            Err(UpdateError::MissingSource { .. })
        ));
    }
}

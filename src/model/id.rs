//! Identifiers that may become file names.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// A provider, scenario, plan, add-on or source id. Ids become file and directory names in
/// `reports/`, so they are restricted to `[a-z0-9][a-z0-9_-]*` (at most 64 bytes): no path
/// separators, no `..`, no upper case (which would collide on case-insensitive disks).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(transparent)]
pub struct Id(#[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$"))] String);

impl Id {
    /// Validates and wraps an id.
    pub fn parse(s: &str) -> Result<Id, String> {
        if s.is_empty() {
            return Err("an id cannot be empty".into());
        }
        if s.len() > MAX_ID_LEN {
            return Err(format!("an id is at most {MAX_ID_LEN} characters long"));
        }
        let first_ok = s.as_bytes()[0].is_ascii_lowercase() || s.as_bytes()[0].is_ascii_digit();
        let rest_ok = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !first_ok || !rest_ok {
            return Err(format!(
                "`{s}` is not a valid id; use lower-case letters, digits, `-` and `_`, starting with a letter or digit"
            ));
        }
        Ok(Id(s.to_owned()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
        let s = String::deserialize(deserializer)?;
        Id::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    #[test]
    fn accepts_safe_ids() {
        for ok in ["workos", "build-in-house", "a", "x_1", "9lives"] {
            assert!(Id::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_unsafe_ids() {
        for bad in [
            "",
            "../x",
            "a/b",
            "Upper",
            "with space",
            "-lead",
            ".hidden",
            "é",
            &"a".repeat(65),
        ] {
            assert!(Id::parse(bad).is_err(), "{bad}");
        }
    }
}

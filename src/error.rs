//! Errors that end a command, each carrying what the user needs to fix it.

use crate::load::{Diagnostics, SourceFile};

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog is invalid; the diagnostics say where and why.
    #[error("the catalog has {} error(s)", .diagnostics.errors())]
    Catalog {
        /// Every problem found.
        diagnostics: Diagnostics,
        /// The file texts the diagnostics point into.
        files: Vec<SourceFile>,
    },
    /// A command-line value is invalid (exit 2).
    #[error("{message}")]
    Usage {
        /// What is wrong, lower-case, values in backticks.
        message: String,
        /// A suggestion.
        help: Option<String>,
    },
    /// A cost exceeded the representable range.
    #[error("{0}")]
    Overflow(#[from] crate::cost::money::Overflow),
    /// Writing output failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file or directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Anything else the user should read (e.g. a git failure), exit 2.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A usage error with a suggestion.
    pub fn usage(message: impl Into<String>, help: Option<String>) -> Error {
        Error::Usage {
            message: message.into(),
            help,
        }
    }
}

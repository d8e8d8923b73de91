//! Reading a catalog directory (or any set of named files) into validated providers and
//! scenarios, with every problem collected.

use super::catalog_dir::{CatalogFiles, read_catalog_dir};
use super::diagnostic::{Diagnostic, Diagnostics, Severity};
use super::key_path::{KeyPath, path_at};
use super::source_file::{SourceFile, line_col};
use super::suggest::did_you_mean;
use super::{validate_provider, validate_scenario};
use crate::model::quote::QuoteFile;
use crate::model::{Date, Provider, Scenario};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use toml::de::DeTable;

use super::options::LoadOptions;

/// A loaded, valid catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Providers, sorted by id.
    pub providers: Vec<Provider>,
    /// Scenarios, sorted by id.
    pub scenarios: Vec<Scenario>,
}

impl Catalog {
    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id() == id)
    }

    /// The provider with this id.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id() == id)
    }

    /// The oldest and newest `verified` dates of the providers.
    pub fn verified_range(&self) -> Option<(Date, Date)> {
        let min = self.providers.iter().map(|p| p.verified).min()?;
        let max = self.providers.iter().map(|p| p.verified).max()?;
        Some((min, max))
    }
}

/// The outcome of a load: the catalog when there were no errors, every diagnostic, and the
/// file texts the diagnostics point into.
#[derive(Debug)]
pub struct Loaded {
    /// The catalog, present only when there were no errors.
    pub catalog: Option<Catalog>,
    /// Errors and warnings, sorted.
    pub diagnostics: Diagnostics,
    /// The files read, for rendering diagnostics.
    pub files: Vec<SourceFile>,
}

/// One file to load: its display name (`providers/x.toml`) and raw bytes.
pub struct RawFile {
    /// Name shown in messages, relative to the catalog root.
    pub name: String,
    /// The bytes, not yet known to be UTF-8.
    pub bytes: Vec<u8>,
    /// Passed with `--quotes`: a quotes file wherever it lives. Catalog files are told apart
    /// by their folder, but a `--quotes` path is the user's spelling (`providers/q.toml`
    /// must not be read as a provider, nor `./providers/p.toml` as quotes).
    pub quotes: bool,
}

/// Loads a catalog directory.
pub fn load_catalog(dir: &Path, options: LoadOptions) -> Loaded {
    load_catalog_with(dir, options, &[])
}

/// Loads a catalog directory plus extra quotes files (`--quotes`).
pub fn load_catalog_with(dir: &Path, options: LoadOptions, quotes: &[PathBuf]) -> Loaded {
    let extra = quotes.iter().map(|path| {
        let name = path.display().to_string();
        if !path.is_file() {
            return Err(Diagnostic::error(format!(
                "quotes file `{name}` does not exist or is not a regular file"
            ))
            .help("pass the path of a TOML file with `[[quotes]]` entries"));
        }
        std::fs::read(path)
            .map(|bytes| RawFile {
                name: name.clone(),
                bytes,
                quotes: true,
            })
            .map_err(|e| Diagnostic::error(format!("cannot read `{name}`: {e}")))
    });
    let extra: Result<Vec<RawFile>, Diagnostic> = extra.collect();
    match (read_catalog_dir(dir), extra) {
        (Ok(read), Ok(extra)) => load_read(read, extra, options),
        (Err(d), _) | (_, Err(d)) => Loaded {
            catalog: None,
            diagnostics: Diagnostics(vec![d]),
            files: Vec::new(),
        },
    }
}

/// Loads what [`read_catalog_dir`] read plus extra files; the problems met while reading
/// (links out of the catalog, unreadable entries, `.TOML` names) join the diagnostics, and
/// any error among them withholds the catalog, as a validation error does.
pub fn load_read(read: CatalogFiles, extra: Vec<RawFile>, options: LoadOptions) -> Loaded {
    let mut raw = read.files;
    raw.extend(extra);
    let mut loaded = load_files(raw, options);
    if read.problems.iter().any(|d| d.severity == Severity::Error) {
        loaded.catalog = None;
    }
    loaded.diagnostics.0.extend(read.problems);
    loaded.diagnostics.sort();
    loaded
}

/// Loads a catalog from named files (from a directory or a git revision).
pub fn load_files(raw: Vec<RawFile>, options: LoadOptions) -> Loaded {
    let mut diags = Diagnostics::default();
    let mut files = Vec::with_capacity(raw.len());
    // Boxed until the end: a provider is about 3 KB, and 100,000 of them moved through a
    // growing vector took a fifth of a second.
    let mut providers: Vec<(usize, Box<Provider>)> = Vec::new();
    let mut scenarios: Vec<(usize, Scenario)> = Vec::new();
    let mut quotes: Vec<(usize, QuoteFile)> = Vec::new();
    let (mut n_providers, mut n_scenarios) = (0, 0);

    // Files are independent until the cross-file checks: parse and validate them on every
    // core (100,000 provider files took 8.8 s on one), then merge in file order, so the
    // result does not depend on scheduling.
    let loaded = crate::parallel::map(raw, |rf| load_one(rf, options));
    for one in loaded {
        let index = files.len();
        match one.kind {
            Kind::Provider => n_providers += 1,
            Kind::Scenario => n_scenarios += 1,
            Kind::Quotes => {}
        }
        for mut d in one.diags.0 {
            // Located against the one-file slice `load_one` had: point at the catalog's index.
            if d.file_index.is_some() {
                d.file_index = Some(index);
            }
            diags.push(d);
        }
        files.push(one.file);
        match one.parsed {
            Parsed::Provider(p) => providers.push((index, p)),
            Parsed::Scenario(s) => scenarios.push((index, *s)),
            Parsed::Quotes(q) => quotes.push((index, q)),
            Parsed::Nothing => {}
        }
    }

    if n_providers == 0 {
        diags.push(
            Diagnostic::error("the catalog has no provider files")
                .help("add `providers/<id>.toml` (try `scimeter new provider ID`)"),
        );
    }
    if n_scenarios == 0 {
        diags.push(
            Diagnostic::error("the catalog has no scenario files")
                .help("add `scenarios/<id>.toml` (see docs/schema.md)"),
        );
    }

    // Reference checks need every provider: when one failed to load, its id is unknown, and
    // "unknown provider" errors would only repeat the real problem.
    let all_providers_loaded = providers.len() == n_providers;
    cross_check(
        &providers,
        &scenarios,
        &files,
        all_providers_loaded,
        &mut diags,
    );
    if all_providers_loaded {
        super::quotes::apply(&quotes, &mut providers, &files, &mut diags);
    }

    diags.sort();
    let catalog = if diags.has_errors() {
        None
    } else {
        let mut providers: Vec<Provider> = providers.into_iter().map(|(_, p)| *p).collect();
        let mut scenarios: Vec<Scenario> = scenarios.into_iter().map(|(_, s)| s).collect();
        providers.sort_by(|a, b| a.id.cmp(&b.id));
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        Some(Catalog {
            providers,
            scenarios,
        })
    };
    Loaded {
        catalog,
        diagnostics: diags,
        files,
    }
}

/// What kind of catalog file a name is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Provider,
    Scenario,
    /// Anything else is a quotes file: the catalog's `quotes/*.toml` or a `--quotes FILE`.
    Quotes,
}

/// A file's typed content, when it parsed.
enum Parsed {
    Provider(Box<Provider>),
    Scenario(Box<Scenario>),
    Quotes(QuoteFile),
    Nothing,
}

/// One file loaded on its own: its text, its diagnostics (located as file 0), its content.
struct OneFile {
    kind: Kind,
    file: SourceFile,
    diags: Diagnostics,
    parsed: Parsed,
}

/// Decodes, parses and validates one file, independently of the others.
fn load_one(rf: RawFile, options: LoadOptions) -> OneFile {
    let kind = if rf.quotes {
        Kind::Quotes
    } else if rf.name.starts_with("providers/") {
        Kind::Provider
    } else if rf.name.starts_with("scenarios/") {
        Kind::Scenario
    } else {
        Kind::Quotes
    };
    let mut diags = Diagnostics::default();
    let text = match String::from_utf8(rf.bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (line, column) = line_col(e.as_bytes(), at);
            let mut d = Diagnostic::error(format!(
                "`{}` is not valid UTF-8 (invalid byte at line {line}, column {column})",
                rf.name
            ))
            .in_file(&rf.name)
            .help("save the file as UTF-8");
            d.line = Some(line);
            d.column = Some(column);
            diags.push(d);
            return OneFile {
                kind,
                file: SourceFile::new(rf.name, String::new()),
                diags,
                parsed: Parsed::Nothing,
            };
        }
    };
    let files = [SourceFile::new(rf.name.clone(), text)];
    let parsed = parse_one(&files, kind, options, &mut diags);
    let [file] = files;
    OneFile {
        kind,
        file,
        diags,
        parsed,
    }
}

fn parse_one(
    files: &[SourceFile; 1],
    kind: Kind,
    options: LoadOptions,
    diags: &mut Diagnostics,
) -> Parsed {
    let (index, name) = (0, files[0].name.as_str());
    let text = files[0].text.as_str();
    if text.trim().is_empty() {
        let what = match kind {
            Kind::Provider => "a provider (see `scimeter new provider ID`)",
            Kind::Scenario => "a scenario (see docs/schema.md)",
            Kind::Quotes => "`[[quotes]]` entries (see docs/schema.md, \"Buyer quotes\")",
        };
        diags.push(
            Diagnostic::error(format!("`{name}` is empty"))
                .in_file(name)
                .help(format!("expected {what}, or delete the file")),
        );
        return Parsed::Nothing;
    }
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in syntax {
            let span = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(format!(
                    "invalid TOML: {}",
                    e.message().trim_end_matches('\n')
                ))
                .at(files, index, span)
                .help("see https://toml.io for the syntax"),
            );
        }
        return Parsed::Nothing;
    }
    let result = match kind {
        Kind::Provider => parse_typed::<Provider>(doc, files, index).map(|p| {
            validate_provider::validate(&p, files, index, options, diags);
            Parsed::Provider(Box::new(p))
        }),
        Kind::Scenario => parse_typed::<Scenario>(doc, files, index).map(|s| {
            validate_scenario::validate(&s, files, index, diags);
            Parsed::Scenario(Box::new(s))
        }),
        Kind::Quotes => parse_typed::<QuoteFile>(doc, files, index).map(Parsed::Quotes),
    };
    result.unwrap_or_else(|ds| {
        for d in ds {
            diags.push(d);
        }
        Parsed::Nothing
    })
}

/// Parses a typed value; on failure, every complaint serde makes, each located. serde stops at
/// the first error, so after each one the offending key is removed from a copy of the
/// document and the parse is tried again, up to [`super::diagnostic::MAX_PER_FILE`] errors.
/// The search stops when removing a key would only make serde miss it (a required key whose
/// value was wrong), so no error is invented.
fn parse_typed<T: DeserializeOwned>(
    doc: toml::Spanned<DeTable<'_>>,
    files: &[SourceFile],
    index: usize,
) -> Result<T, Vec<Diagnostic>> {
    // From the document already parsed for spans (parsing every file twice was the larger
    // half of loading a big catalog), consumed: a valid file needs no copy of it.
    let first = match T::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    // Invalid files are rare: parse the document again to locate their errors.
    let doc = &DeTable::parse_recoverable(&files[index].text).0;
    let located = |e: &toml::de::Error| {
        let span = e.span().unwrap_or(0..0);
        let key = path_at(doc, &span);
        (
            serde_diagnostic(e.message(), &key).at(files, index, span.clone()),
            key,
            span,
        )
    };
    let (d, mut key, mut span) = located(&first);
    let mut out = vec![d];
    let mut work = doc.clone();
    let mut removed: Vec<KeyPath> = Vec::new();
    while out.len() < super::diagnostic::MAX_PER_FILE && key.remove_from(&mut work) {
        removed.push(key.clone());
        let Err(e) = T::deserialize(toml::de::Deserializer::from(work.clone())) else {
            break;
        };
        let (d, next_key, next_span) = located(&e);
        // A key missing from a table this search removed a key from is a consequence of that
        // removal (a wrong value taken out, or `unit_prize` for `unit_price`), not news: stop.
        let follows_removal = e.message().starts_with("missing field")
            && removed
                .iter()
                .any(|r| r.0.get(..r.0.len().saturating_sub(1)) == Some(next_key.0.as_slice()));
        if follows_removal || (next_key == key && next_span == span) {
            break;
        }
        out.push(d);
        (key, span) = (next_key, next_span);
    }
    Err(out)
}

/// Rewrites serde's messages into ours: lower-case, the key named, a suggestion for typos.
fn serde_diagnostic(message: &str, key: &KeyPath) -> Diagnostic {
    let ticks: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let key_str = (!key.is_root()).then(|| key.to_string());
    let with_key = |d: Diagnostic| match &key_str {
        Some(k) => d.key(k.clone()),
        None => d,
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let found = ticks.first().copied().unwrap_or(rest);
        let candidates = &ticks[1.min(ticks.len())..];
        let expected = if candidates.is_empty() {
            "no keys here".to_owned()
        } else {
            format!(
                "one of {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return with_key(Diagnostic::error(format!("unknown key `{found}`")))
            .expected(expected)
            .maybe_help(
                did_you_mean(found, candidates.iter().copied())
                    .map(|s| format!("did you mean `{s}`?")),
            );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let found = ticks.first().copied().unwrap_or(rest);
        let candidates = &ticks[1.min(ticks.len())..];
        return with_key(Diagnostic::error(format!("unknown value `{found}`")))
            .expected(format!(
                "one of {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .maybe_help(
                did_you_mean(found, candidates.iter().copied())
                    .map(|s| format!("did you mean `{s}`?")),
            );
    }
    if message.starts_with("missing field ") {
        let field = ticks.first().copied().unwrap_or("?");
        let table = key_str
            .clone()
            .unwrap_or_else(|| "the top-level table".to_owned());
        return Diagnostic::error(format!(
            "missing required key `{field}` in {}",
            if key.is_root() {
                table
            } else {
                format!("`{table}`")
            }
        ))
        .expected(format!("`{field} = …`"))
        .help("see docs/schema.md for every key, its type and an example");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        return with_key(Diagnostic::error(format!(
            "wrong type: found {}",
            plain_type(found)
        )))
        .expected(plain_type(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another value"));
        return with_key(Diagnostic::error(format!(
            "invalid value: found {}",
            plain_type(found)
        )))
        .expected(plain_type(expected));
    }
    let message = message.trim_end().trim_end_matches('.');
    if let Some((what, expected)) = message.split_once("; expected ") {
        return with_key(Diagnostic::error(plain_type(what))).expected(plain_type(expected));
    }
    with_key(Diagnostic::error(plain_type(message)))
}

/// Replaces Rust type names in serde's messages with what to write in TOML.
fn plain_type(text: &str) -> String {
    let mut t = text.to_owned();
    for (rust, plain) in [
        (" as i128", ""),
        (" as u128", ""),
        (" as i64", ""),
        (" as f64", ""),
        ("usize", "a whole number of 0 or more"),
        ("u64", "a whole number of 0 or more"),
        ("u32", "a whole number of 0 or more"),
        ("u16", "a whole number of 0 or more"),
        ("u8", "a whole number of 0 or more"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
        ("a sequence", "an array"),
        ("a map", "a table"),
    ] {
        t = t.replace(rust, plain);
    }
    if let Some(rest) = t.strip_prefix("struct ") {
        t = format!("a `{rest}` table");
    }
    t
}

/// Checks that span files: duplicate ids, references from scenarios to providers, currencies.
fn cross_check(
    providers: &[(usize, Box<Provider>)],
    scenarios: &[(usize, Scenario)],
    files: &[SourceFile],
    all_providers_loaded: bool,
    diags: &mut Diagnostics,
) {
    let locate = |index: usize, path: &KeyPath| -> std::ops::Range<usize> {
        DeTable::parse(&files[index].text).map_or(0..0, |doc| path.locate(&doc).0)
    };
    let id_path = KeyPath::root().key("id");
    // First file of each id: a map, so 100,000 providers are checked in linear time (the
    // pairwise scan took 28 s).
    let mut first_provider: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(providers.len());
    for (index, p) in providers {
        if let Some(first) = first_provider.get(p.id()).copied() {
            diags.push(
                Diagnostic::error(format!("duplicate provider id `{}`", p.id))
                    .key("id")
                    .expected("an id used by no other provider file")
                    .help(format!("`{}` already uses it", files[first].name))
                    .at(files, *index, locate(*index, &id_path)),
            );
        } else {
            first_provider.insert(p.id(), *index);
        }
    }
    let mut first_scenario: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(scenarios.len());
    for (index, s) in scenarios {
        if let Some(first) = first_scenario.get(s.id()).copied() {
            diags.push(
                Diagnostic::error(format!("duplicate scenario id `{}`", s.id))
                    .key("id")
                    .expected("an id used by no other scenario file")
                    .help(format!("`{}` already uses it", files[first].name))
                    .at(files, *index, locate(*index, &id_path)),
            );
        } else {
            first_scenario.insert(s.id(), *index);
        }
    }
    let ids: Vec<&str> = providers.iter().map(|(_, p)| p.id()).collect();
    let valid_code = |c: &str| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase());
    for (index, s) in scenarios {
        if !all_providers_loaded {
            continue;
        }
        for key in s.billing.discounts.keys() {
            if !first_provider.contains_key(key.as_str()) {
                let path = KeyPath::root().key("billing").key("discounts").key(key);
                diags.push(
                    Diagnostic::error(format!("discount for unknown provider `{key}`"))
                        .key(path.to_string())
                        .expected("a provider id from `providers/`")
                        .help(super::suggest::help_for(key, ids.iter().copied()))
                        .at(
                            files,
                            *index,
                            DeTable::parse(&files[*index].text)
                                .ok()
                                .and_then(|doc| path.locate_key(&doc))
                                .unwrap_or(0..0),
                        ),
                );
            }
        }
        let currency = s.currency();
        if !valid_code(currency) {
            continue;
        }
        // Point at the scenario's `exchange_rates` table, else its `currency`, else its top.
        let doc = DeTable::parse(&files[*index].text).ok();
        let span = doc
            .as_ref()
            .and_then(|d| {
                let rates = KeyPath::root().key("exchange_rates");
                let cur = KeyPath::root().key("currency");
                rates.locate_key(d).or_else(|| cur.locate_key(d))
            })
            .unwrap_or(0..0);
        for (_, p) in providers {
            if valid_code(&p.currency)
                && p.currency != currency
                && !s.exchange_rates.contains_key(&p.currency)
            {
                diags.push(
                    Diagnostic::error(format!(
                        "scenario `{}` reports in `{currency}` but provider `{}` prices in `{}`, and there is no exchange rate",
                        s.id, p.id, p.currency
                    ))
                    .key("exchange_rates")
                    .expected(format!("`exchange_rates.{} = \"<units of {currency} per 1 {}>\"`", p.currency, p.currency))
                    .help("add the rate you want to plan with; scimeter never guesses one")
                    .at(files, *index, span.clone()),
                );
            }
        }
    }
}

//! A stable-toolchain fuzz test of the loader: the commented example provider and scenario
//! (`docs/examples/`), mutated the way people and tools break files — byte flips, deleted,
//! duplicated and swapped lines, truncation, renamed keys, numbers replaced by extremes —
//! must load into a valid catalog or fail with diagnostics that name a file and a line, and
//! must never panic. A catalog that still loads is costed at its milestones too.
//!
//! The coverage-guided fuzzers (cargo-fuzz, nightly flags) live in `fuzz/`; see
//! `docs/robustness.md`.

use super::catalog::{RawFile, load_files};
use super::{LoadOptions, Severity};
use crate::model::Date;
use proptest::prelude::*;

const PROVIDER: &str = include_str!("../../docs/examples/providers/example.toml");
const SCENARIO: &str = include_str!("../../docs/examples/scenarios/example.toml");

/// Extreme replacements for numbers: zero, negatives, overflow of every integer type, float
/// extremes and non-finite values, decimals beyond 28 significant digits.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1e-308",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "9223372036854775807",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "1e9",
    "1000000000",
    "600",
    "601",
];

/// One way to break a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// XOR the byte at (position mod length) with a non-zero mask.
    FlipByte(usize, u8),
    /// Delete line (index mod lines).
    DeleteLine(usize),
    /// Duplicate line (index mod lines).
    DuplicateLine(usize),
    /// Swap two lines.
    SwapLines(usize, usize),
    /// Keep only the first (position mod length) bytes.
    Truncate(usize),
    /// Rename the key of the n-th `key = value` line.
    RenameKey(usize, String),
    /// Replace the n-th number with an extreme.
    ReplaceNumber(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(p, m)| Mutation::FlipByte(p, m)),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), "[a-z_]{1,14}").prop_map(|(i, k)| Mutation::RenameKey(i, k)),
        (any::<usize>(), prop::sample::select(EXTREMES))
            .prop_map(|(i, v)| Mutation::ReplaceNumber(i, v)),
        // Weighted towards numbers: the limits are where arithmetic can go wrong.
        (any::<usize>(), prop::sample::select(EXTREMES))
            .prop_map(|(i, v)| Mutation::ReplaceNumber(i, v)),
    ]
}

/// Byte ranges of the numbers in a text, outside comments (a digit not preceded by a letter,
/// digit, `_` or `.`, extended over digits, letters, `.`, `_`, `+` and `-`: so dates and `1e9`
/// are one token).
fn numbers(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut i, mut in_string, mut in_comment) = (0, false, false);
    while i < text.len() {
        match text[i] {
            b'\n' => (in_string, in_comment) = (false, false),
            b'"' if !in_comment => in_string = !in_string,
            b'#' if !in_string => in_comment = true,
            _ => {}
        }
        let starts = !in_comment
            && text[i].is_ascii_digit()
            && (i == 0
                || !(text[i - 1].is_ascii_alphanumeric()
                    || text[i - 1] == b'_'
                    || text[i - 1] == b'.'));
        if starts {
            let start = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut end = i;
            while end < text.len()
                && (text[end].is_ascii_alphanumeric()
                    || matches!(text[end], b'.' | b'_' | b'+' | b'-'))
            {
                end += 1;
            }
            out.push(start..end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let split =
        |b: &[u8]| -> Vec<Vec<u8>> { b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect() };
    let join = |lines: Vec<Vec<u8>>| lines.join(&b'\n');
    match m {
        Mutation::FlipByte(p, mask) => {
            if !bytes.is_empty() {
                let i = p % bytes.len();
                bytes[i] ^= mask;
            }
        }
        Mutation::DeleteLine(i) => {
            let mut lines = split(bytes);
            let i = i % lines.len();
            lines.remove(i);
            *bytes = join(lines);
        }
        Mutation::DuplicateLine(i) => {
            let mut lines = split(bytes);
            let i = i % lines.len();
            lines.insert(i, lines[i].clone());
            *bytes = join(lines);
        }
        Mutation::SwapLines(a, b) => {
            let mut lines = split(bytes);
            let n = lines.len();
            lines.swap(a % n, b % n);
            *bytes = join(lines);
        }
        Mutation::Truncate(p) => bytes.truncate(p % (bytes.len() + 1)),
        Mutation::RenameKey(i, key) => {
            let mut lines = split(bytes);
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&n| {
                    let l = &lines[n];
                    let t = l.trim_ascii_start();
                    t.first().is_some_and(u8::is_ascii_lowercase) && l.contains(&b'=')
                })
                .collect();
            if let Some(&n) = keyed.get(i % keyed.len().max(1)) {
                let line = &lines[n];
                let eq = line.iter().position(|&c| c == b'=').unwrap_or(0);
                let mut new = key.as_bytes().to_vec();
                new.extend_from_slice(b" ");
                new.extend_from_slice(&line[eq..]);
                lines[n] = new;
            }
            *bytes = join(lines);
        }
        Mutation::ReplaceNumber(i, value) => {
            let spans = numbers(bytes);
            if !spans.is_empty() {
                let r = spans[i % spans.len()].clone();
                bytes.splice(r, value.bytes());
            }
        }
    }
}

fn options() -> LoadOptions {
    LoadOptions {
        as_of: Date {
            year: 2026,
            month: 11,
            day: 28,
        },
        max_age_days: 180,
    }
}

/// Loads the pair and checks the contract; returns whether the catalog was valid.
fn check(provider: Vec<u8>, scenario: Vec<u8>) -> Result<bool, TestCaseError> {
    let files = vec![
        RawFile {
            name: "providers/example.toml".into(),
            bytes: provider,
            quotes: false,
        },
        RawFile {
            name: "scenarios/example.toml".into(),
            bytes: scenario,
            quotes: false,
        },
    ];
    let loaded = load_files(files, options());
    let errors: Vec<_> = loaded
        .diagnostics
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    prop_assert_eq!(loaded.catalog.is_some(), errors.is_empty());
    for d in &errors {
        prop_assert!(d.file.is_some(), "an error without a file: {:?}", d);
        // An empty file has no line to point at; every other error is located.
        prop_assert!(
            d.line.is_some() || d.message.ends_with("is empty"),
            "an error without a line: {:?}",
            d
        );
    }
    let rendered = loaded.diagnostics.render(&loaded.files);
    prop_assert!(errors.is_empty() || rendered.contains("error"));
    if let Some(catalog) = &loaded.catalog {
        let providers: Vec<_> = catalog.providers.iter().collect();
        for s in &catalog.scenarios {
            // Overflow is a clean error; anything else (a panic) fails the test.
            let _ = crate::cost::analysis::milestone_costs(&providers, s, &s.milestones());
        }
    }
    Ok(loaded.catalog.is_some())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_provider_never_panics(ms in prop::collection::vec(mutation(), 1..4)) {
        let mut bytes = PROVIDER.as_bytes().to_vec();
        for m in &ms {
            apply(&mut bytes, m);
        }
        check(bytes, SCENARIO.as_bytes().to_vec())?;
    }

    #[test]
    fn mutated_scenario_never_panics(ms in prop::collection::vec(mutation(), 1..4)) {
        let mut bytes = SCENARIO.as_bytes().to_vec();
        for m in &ms {
            apply(&mut bytes, m);
        }
        check(PROVIDER.as_bytes().to_vec(), bytes)?;
    }
}

#[test]
fn the_unmutated_examples_load() {
    assert_eq!(
        check(PROVIDER.as_bytes().to_vec(), SCENARIO.as_bytes().to_vec()).ok(),
        Some(true)
    );
}

#[test]
fn every_extreme_in_every_number_slot_is_handled() {
    // Exhaustive over number positions (no sampling): the sharpest extremes at each number of
    // each file (the proptests above sample the full list).
    const SHARPEST: &[&str] = &[
        "0",
        "-1",
        "nan",
        "1e308",
        "18446744073709551616",
        "79228162514264337593543950336",
        "0.00000000000000000000000000001",
    ];
    for (which, text) in [(0, PROVIDER), (1, SCENARIO)] {
        let count = numbers(text.as_bytes()).len();
        for i in 0..count {
            for value in SHARPEST {
                let mut bytes = text.as_bytes().to_vec();
                apply(&mut bytes, &Mutation::ReplaceNumber(i, value));
                let result = if which == 0 {
                    check(bytes, SCENARIO.as_bytes().to_vec())
                } else {
                    check(PROVIDER.as_bytes().to_vec(), bytes)
                };
                assert!(
                    result.is_ok(),
                    "number {i} of file {which} replaced by {value}: {result:?}"
                );
            }
        }
    }
}

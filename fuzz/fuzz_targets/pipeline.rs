//! Fuzz target (c): the whole pipeline (load → cost → score → every report file, charts
//! included, in memory) on a synthetic catalog derived from the input.
//!
//! Input layout:
//! - byte 0: providers − 1 (mod 4); byte 1: scenarios − 1 (mod 2);
//! - byte 2: months (1–48; 255 means the 600-month maximum);
//! - byte 3: which file to change: bit 0 = provider (0) or scenario (1), bit 1 = patch (0) or
//!   replace (1), the other bits pick the file;
//! - bytes 4–11: the generator's seed (little-endian);
//! - the rest: a patch of `key = value` lines, each replacing the first line of the chosen
//!   file that sets the same key (or appended when none does), or the file's new content.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

/// Replaces the first line setting each patched key; appends lines that match none.
fn apply_patch(file: &[u8], patch: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(file);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for p in String::from_utf8_lossy(patch).lines() {
        let key = p.split('=').next().unwrap_or("").trim();
        let hit = (!key.is_empty() && p.contains('='))
            .then(|| {
                lines.iter().position(|l| {
                    l.split('=').next().is_some_and(|k| k.trim() == key) && l.contains('=')
                })
            })
            .flatten();
        match hit {
            Some(i) => lines[i] = p.to_owned(),
            None => lines.push(p.to_owned()),
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out.into_bytes()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let providers = 1 + usize::from(data[0] % 4);
    let scenarios = 1 + usize::from(data[1] % 2);
    let months = if data[2] == 255 {
        600
    } else {
        1 + u32::from(data[2] % 48)
    };
    let sel = data[3];
    let seed = u64::from_le_bytes(data[4..12].try_into().unwrap_or_default());
    let patch = &data[12..];
    let mut files = scimeter::synthetic::files(providers, scenarios, months, seed);
    if !patch.is_empty() {
        let pick = usize::from(sel >> 2);
        let index = if sel & 1 == 0 {
            pick % providers
        } else {
            providers + pick % scenarios
        };
        files[index].bytes = if sel & 2 == 0 {
            apply_patch(&files[index].bytes, patch)
        } else {
            patch.to_vec()
        };
    }
    if let Some(catalog) = common::load_and_check(files) {
        let _ = scimeter::cmd::report::build(&catalog);
    }
});

//! `scimeter man`: the manual pages, rendered from the same clap definitions as `--help`, with
//! the exit statuses and the examples added.

use crate::error::Error;
use crate::exit::ExitStatus;
use std::path::Path;

/// The exit statuses, as a roff section (the same wording as [`ExitStatus`]).
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
The command did its job.
.TP
\fB1\fR
A check failed: \fBreport \-\-check\fR found stale or missing reports, \fBdiff \-\-fail\-above\fR
found a cost change above the threshold, or \fBsources check\fR found a changed page.
.TP
\fB2\fR
Invalid input or usage: every problem in the catalog is printed with its file, line, column and
key, and nothing is computed or written.
"#;

/// What `clap_mangen` puts before each section it renders.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// Prints the main page, or with `out` writes `scimeter.1` and one page per command (nested
/// commands as `scimeter-new-provider.1`) into that directory.
pub fn run(out: Option<&Path>) -> Result<(ExitStatus, String), Error> {
    let pages = pages(&command(), "")?;
    let Some(dir) = out else {
        let main = pages
            .into_iter()
            .next()
            .map(|(_, text)| text)
            .unwrap_or_default();
        return Ok((ExitStatus::Success, main));
    };
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let mut names = Vec::with_capacity(pages.len());
    for (name, text) in &pages {
        let path = dir.join(format!("{name}.1"));
        // Written whole beside the target and renamed over it: a reader never sees half a
        // page, and a link at the target is replaced, not written through.
        crate::report::writer::write_one(&path, text.as_bytes(), true).map_err(|source| {
            Error::Write {
                path: path.display().to_string(),
                source,
            }
        })?;
        names.push(format!("{name}.1"));
    }
    Ok((
        ExitStatus::Success,
        format!(
            "wrote {} man pages to `{}`: {}\nread one with `man -l {}`\n",
            names.len(),
            dir.display(),
            names.join(", "),
            dir.join("scimeter-cost.1").display()
        ),
    ))
}

/// The command tree as the pages describe it: built, so each command's options include the
/// global ones (`--catalog`, `--width`, …) that it accepts.
fn command() -> clap::Command {
    let mut root = without_help(<crate::cli::Cli as clap::CommandFactory>::command());
    root.build();
    root
}

/// `cmd` and its subcommands without clap's `help` subcommand, for which no page is written,
/// so no page lists it.
fn without_help(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names
        .iter()
        .fold(cmd.disable_help_subcommand(true), |cmd, name| {
            cmd.mut_subcommand(name, without_help)
        })
}

/// Renders `cmd`'s page and its subcommands' pages, depth first, as `(name, roff)`. The page
/// name joins the command path with `-`, which is how `clap_mangen` cross-references them.
fn pages(cmd: &clap::Command, prefix: &str) -> Result<Vec<(String, String)>, Error> {
    let name = if prefix.is_empty() {
        cmd.get_name().to_owned()
    } else {
        format!("{prefix}-{}", cmd.get_name())
    };
    // A subcommand's page is titled with its full name, so `man scimeter-cost` finds it.
    let titled = cmd
        .clone()
        .name(name.clone())
        .bin_name(name.replace('-', " "))
        .version(env!("CARGO_PKG_VERSION"))
        // The version shows in the page footer; only the main command takes `--version`.
        .disable_version_flag(!prefix.is_empty());
    let man = clap_mangen::Man::new(titled.clone());
    let mut buf = Vec::new();
    let render = |r: std::io::Result<()>| {
        r.map_err(|e| Error::Other(format!("cannot render the man page: {e}")))
    };
    render(man.render_title(&mut buf))?;
    render(man.render_name_section(&mut buf))?;
    render(man.render_synopsis_section(&mut buf))?;
    render(man.render_description_section(&mut buf))?;
    if titled.get_arguments().any(|a| !a.is_hide_set()) {
        render(man.render_options_section(&mut buf))?;
    }
    if titled.has_subcommands() {
        render(man.render_subcommands_section(&mut buf))?;
    }
    // `after_help` holds the examples; clap_mangen calls it the extra section.
    if titled.get_after_help().is_some() {
        buf.extend_from_slice(b".SH EXAMPLES\n");
        let text = titled
            .get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.ends_with(':') {
                continue;
            }
            buf.extend_from_slice(format!(".PP\n\\fB{}\\fR\n", roff_escape(line)).as_bytes());
        }
    }
    buf.extend_from_slice(EXIT_STATUS.as_bytes());
    // Each clap_mangen section repeats roff's quote-string preamble; once is enough.
    let page = String::from_utf8_lossy(&buf).into_owned();
    let page = match page.find(PREAMBLE) {
        Some(at) => {
            let (head, tail) = page.split_at(at + PREAMBLE.len());
            format!("{head}{}", tail.replace(PREAMBLE, ""))
        }
        None => page,
    };
    let mut out = vec![(name.clone(), page)];
    for sub in cmd.get_subcommands() {
        out.extend(pages(sub, &name)?);
    }
    Ok(out)
}

/// Escapes text for a roff line: backslashes and hyphens, and a leading `.` or `'`.
fn roff_escape(text: &str) -> String {
    let s = text.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_with_options_examples_and_exit_status() {
        let pages = pages(&command(), "").unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for expected in [
            "scimeter",
            "scimeter-check",
            "scimeter-cost",
            "scimeter-list",
            "scimeter-new",
            "scimeter-new-provider",
            "scimeter-new-scenario",
            "scimeter-sources-check",
            "scimeter-man",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        // Every page the main page cross-references exists.
        let main = &pages[0].1;
        for (name, _) in &pages[1..] {
            if !name.contains("-new-") && !name.contains("-sources-") {
                assert!(
                    main.contains(&name.replace('-', "\\-")),
                    "{name} not listed"
                );
            }
        }
        let cost = &pages.iter().find(|(n, _)| n == "scimeter-cost").unwrap().1;
        assert!(cost.contains(".TH scimeter-cost 1"), "{cost}");
        assert_eq!(cost.matches(".ds Aq").count(), 2, "one preamble:\n{cost}");
        assert!(cost.contains("\\-\\-scenario"));
        // The global options are on every page, since every command takes them.
        assert!(cost.contains("\\-\\-catalog"), "{cost}");
        assert!(cost.contains("\\-\\-width"), "{cost}");
        assert!(cost.contains(".SH EXAMPLES"));
        assert!(cost.contains(".SH \"EXIT STATUS\""));
    }

    #[test]
    fn roff_escape_neutralises_requests() {
        assert_eq!(roff_escape(".so /etc/passwd"), "\\&.so /etc/passwd");
        assert_eq!(roff_escape("a-b\\c"), "a\\-b\\ec");
    }
}

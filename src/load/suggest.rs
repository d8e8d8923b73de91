//! "Did you mean" suggestions for misspelt keys and ids.

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&input_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        // Highest similarity wins; ties go to the alphabetically first candidate so the
        // suggestion is deterministic.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A help line suggesting the closest candidate, or listing the valid ones when none is close.
pub fn help_for<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    if let Some(s) = did_you_mean(input, candidates.clone()) {
        format!("did you mean `{s}`?")
    } else {
        let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
        if all.is_empty() {
            "there is nothing to refer to here".to_owned()
        } else {
            format!("expected one of {}", all.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_matches_only() {
        assert_eq!(
            did_you_mean("unit_prize", ["up_to", "unit_price", "flat_fee"]),
            Some("unit_price")
        );
        assert_eq!(did_you_mean("grups", ["groups", "scim"]), Some("groups"));
        assert_eq!(did_you_mean("zzzz", ["groups", "scim"]), None);
        assert!(help_for("zzzz", ["a", "b"]).starts_with("expected one of `a`, `b`"));
    }
}

//! The "questions to ask each vendor" table.

use crate::estimate::joint::{Joint, Question};
use crate::report::table::Table;

/// The smallest impact a summary lists (0.1 percentage points).
pub const MATERIAL_IMPACT: f64 = 0.001;

/// One row per question, highest impact first.
pub fn table(questions: &[Question]) -> Table {
    let mut t = Table::new(["#", "Ask", "Question", "Impact"]).right_align(&[0, 3]);
    for (i, q) in questions.iter().enumerate() {
        t.push([
            (i + 1).to_string(),
            q.provider.clone(),
            q.question.clone(),
            format!("{:.1} pp", q.impact * 100.0),
        ]);
    }
    t
}

/// A markdown section: the top `limit` questions and how impact is measured.
pub fn markdown(joint: &Joint, winner: &str, limit: usize) -> String {
    let mut s = format!(
        "Ranked by how much the answer is expected to move {winner}'s probability of ranking first (weights, unknown facts and costs drawn together; {} draws, seed {}). Impact is in percentage points.\n\n",
        joint.settings.draws_text(),
        joint.settings.seed
    );
    // Answers expected to move the winner's chance by less than a tenth of a point are
    // sampling noise at 10,000 draws: `scimeter questions` still lists them.
    let material: Vec<&Question> = joint
        .questions
        .iter()
        .filter(|q| q.impact >= MATERIAL_IMPACT)
        .collect();
    let shown: Vec<Question> = material.iter().take(limit).map(|q| (*q).clone()).collect();
    if shown.is_empty() {
        s.push_str("No unknown is expected to move the winner's chance of ranking first by 0.1 points or more.\n");
    } else {
        s.push_str(&table(&shown).to_markdown());
    }
    let rest = joint.questions.len() - shown.len();
    if rest > 0 {
        s.push_str(&format!(
            "\n{rest} more (smaller or no expected effect) in `scimeter questions`.\n"
        ));
    }
    s
}

/// The headline: how sure the winner is, in words and as a number, from the joint model
/// (weights, unknown facts and costs drawn together), next to the weights-only figure.
pub fn certainty(ranking: &crate::score::Ranking, joint: &Joint) -> String {
    let Some(first) = ranking.ranked.first() else {
        return "No provider meets the scenario's requirements.".into();
    };
    let joint_p = joint.p_first_joint.first().copied().unwrap_or(0.0);
    let weights_p = joint.p_first_weights.first().copied().unwrap_or(0.0);
    let words = match joint_p {
        p if p >= 0.9 => "almost certainly",
        p if p >= 0.7 => "probably",
        p if p >= 0.5 => "more likely than not",
        p if p >= 0.3 => "plausibly, but not likely,",
        _ => "unlikely to be",
    };
    let rival = joint
        .p_first_joint
        .iter()
        .enumerate()
        .skip(1)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .and_then(|(i, p)| ranking.ranked.get(i).map(|r| (r.card.name.clone(), *p)));
    let mut s = format!(
        "{} is {words} the best choice: it ranks first in {:.0} % of {} joint draws (weights, unknown facts and costs varied together; seed {}), {:.0} % when only the weights vary.",
        first.card.name,
        joint_p * 100.0,
        joint.settings.draws_text(),
        joint.settings.seed,
        weights_p * 100.0
    );
    match rival {
        Some((name, p)) if p > joint_p => s.push_str(&format!(
            " {name} ranks first more often once the unknowns are drawn ({:.0} %): learn the answers below before deciding.",
            p * 100.0
        )),
        Some((name, p)) if p > 0.0 => {
            s.push_str(&format!(" Closest rival: {name} ({:.0} %).", p * 100.0));
        }
        _ => {}
    }
    s
}

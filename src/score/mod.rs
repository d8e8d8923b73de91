//! Scoring: five axes from facts, hard requirements, the weighted total, and the robustness of
//! the ranking (stability intervals, SMAA).

pub mod sensitivity;
pub mod smaa;

//! The change workflow: load a base catalog (a git revision or a directory) and a head catalog,
//! then compare facts, prices, costs and rankings.

pub mod fields;
pub mod impact;
pub mod source;
pub mod threshold;

//! Commands too large to sit in `main.rs`, one file each.

pub mod check;
pub mod compare;
pub mod fit;
pub mod plan;
pub mod schedule;
pub mod sweep;

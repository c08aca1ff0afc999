//! Where worlds come from: world files, the seeded generator and the example world.

mod example;
pub mod file;
pub mod generator;

pub use example::{SEED_SESSION_ID, default_world};

//! End-to-end tests over real TLS: the emulator on 127.0.0.1:0, a client that trusts its certificate.

mod admin;
mod architecture;
mod cache;
mod contract;
mod dashboard;
mod dialects;
mod directory;
mod helpers;
mod isolated_worlds;
mod job_actions;
mod log_items;
mod logs;
mod metrics;
mod quirks;
mod readiness;
mod rendering;
mod resources;
mod simulation;
mod startup;
mod token;
mod versions;
mod world_files;

//! End-to-end tests over real TLS: the emulator on 127.0.0.1:0, a client that trusts its certificate.

mod admin;
mod architecture;
mod cache;
mod contract;
mod dashboard;
mod dialects;
mod directory;
mod helpers;
mod infrastructure_config;
mod job_actions;
mod job_config;
mod links;
mod log_items;
mod onedrive;
mod organization_config;
mod quirks;
mod rendering;
mod resources;
mod restore;
mod roles;
mod simulation;
mod startup;
mod token;
mod versions;
mod world_files;

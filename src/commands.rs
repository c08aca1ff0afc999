//! The `world` subcommands: generate a world file, check one.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::GenerateArgs;
use crate::world::{file as world_file, generator};

/// `vb365-mock world generate`: the generated world as a file on stdout.
pub fn generate(args: &GenerateArgs) -> ExitCode {
    let world = generator::generate(&args.options());
    let bytes = world_file::export(&world).to_bytes();
    match std::io::stdout().lock().write_all(&bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vb365-mock: cannot write the world: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `vb365-mock world check FILE`: every problem on its own line, exit 1 if there is one.
pub fn check(path: &Path) -> ExitCode {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: cannot read: {error}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let problems = match world_file::parse(&text) {
        Ok(file) => {
            let problems = world_file::validate(&file);
            if problems.is_empty() {
                let log_items: usize = file
                    .sessions
                    .iter()
                    .map(|session| session.log_items.len())
                    .sum();
                println!(
                    "{}: ok ({} organizations, {} jobs, {} sessions, {log_items} log items)",
                    path.display(),
                    file.organizations.len(),
                    file.jobs.len(),
                    file.sessions.len()
                );
                return ExitCode::SUCCESS;
            }
            problems
        }
        Err(problems) => problems,
    };
    for problem in &problems {
        println!("{problem}");
    }
    ExitCode::FAILURE
}

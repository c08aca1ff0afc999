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
    let problems = match world_file::parse(&text).and_then(world_file::build) {
        Ok(world) => {
            let log_items: usize = world
                .sessions_oldest_first()
                .map(|record| record.log.len())
                .sum();
            println!(
                "{}: ok ({} organizations, {} jobs, {} sessions, {log_items} log items)",
                path.display(),
                world.organizations.len(),
                world.jobs.len(),
                world.sessions_oldest_first().count()
            );
            return ExitCode::SUCCESS;
        }
        Err(problems) => problems,
    };
    for problem in &problems {
        println!("{problem}");
    }
    ExitCode::FAILURE
}

//! The `world` subcommands: generate a world file, check one.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::GenerateArgs;
use crate::world::file::{self as world_file, LoadError};
use crate::world::generator;

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
/// The file is read as a start with `--world` reads it, so what passes here starts there.
pub fn check(path: &Path) -> ExitCode {
    match world_file::load(|| std::fs::File::open(path)) {
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
            ExitCode::SUCCESS
        }
        Err(LoadError::Read(error)) => {
            eprintln!("{}: cannot read: {error}", path.display());
            ExitCode::FAILURE
        }
        Err(LoadError::Invalid(problems)) => {
            for problem in &problems {
                println!("{problem}");
            }
            ExitCode::FAILURE
        }
    }
}

//! The `vb365-mock` binary: parse the command line, set up logging, hand over to the library.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use vb365_mock::commands;
use vb365_mock::config::{Cli, Command, WorldCommand};

/// rustls warns once per connection of every client that sends an IP address as SNI
/// (`curl https://127.0.0.1:4443`), which is most local clients: unless the filter says
/// otherwise about rustls, only its errors are shown.
fn log_directives(filter: &str) -> String {
    if filter.contains("rustls") {
        filter.to_owned()
    } else {
        format!("{filter},rustls=error")
    }
}

/// `--threads 0` leaves half the cores to the clients: a fixture service shares its
/// machine with the tests that drive it, and a worker per core made its tail latency
/// that of a contended scheduler (bench/run.sh: p99 1.7-1.9 × nginx's against 1.0-1.4 ×).
fn worker_threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (cores / 2).max(1)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::World(WorldCommand::Generate(args))) => return commands::generate(args),
        Some(Command::World(WorldCommand::Check { file })) => return commands::check(file),
        None => {}
    }
    let config = cli.serve;
    let filter = match EnvFilter::try_new(log_directives(&config.log)) {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("vb365-mock: invalid --log filter '{}': {error}", config.log);
            return ExitCode::FAILURE;
        }
    };
    tracing_subscriber::fmt().with_env_filter(filter).init();
    let runtime = match worker_threads(config.threads) {
        1 => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        threads => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build(),
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vb365-mock: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(vb365_mock::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vb365-mock: {error}");
            ExitCode::FAILURE
        }
    }
}

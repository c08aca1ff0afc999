//! The `vb365-mock` binary: parse the command line, set up logging, hand over to the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use vb365_mock::commands;
use vb365_mock::config::{Cli, Command, Config, LogFormat, WorldCommand};

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

/// Logs to `writer` in the configured format; colours only for a terminal, so that files
/// and log pipelines get no escape codes.
fn init_logs<W>(config: &Config, filter: EnvFilter, writer: W, terminal: bool)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match config.log_format {
        LogFormat::Text => logs.with_ansi(terminal).init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .init(),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version are not errors.
        Err(error) if !error.use_stderr() => error.exit(),
        // A flag that does not read (a fault rule, a scenario, a port) ends the process as
        // every other start-up problem does: exit code 1 and the reason on stderr.
        Err(error) => {
            let _ = error.print();
            return ExitCode::FAILURE;
        }
    };
    match &cli.command {
        Some(Command::World(WorldCommand::Generate(args))) => return commands::generate(args),
        Some(Command::World(WorldCommand::Check { file })) => return commands::check(file),
        Some(Command::Health(args)) => return commands::health(args),
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
    // With --ready-json, stdout carries the ready line and nothing else, so that a harness
    // reads one line and is done; the logs go to stderr.
    if config.ready_json {
        init_logs(
            &config,
            filter,
            std::io::stderr,
            std::io::stderr().is_terminal(),
        );
    } else {
        init_logs(
            &config,
            filter,
            std::io::stdout,
            std::io::stdout().is_terminal(),
        );
    }
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

//! The `vb365-mock` binary: parse the flags, set up logging, serve.

use clap::Parser;
use tracing_subscriber::EnvFilter;
use vb365_mock::config::Config;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let filter = match EnvFilter::try_new(&config.log) {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("vb365-mock: invalid --log filter '{}': {error}", config.log);
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing_subscriber::fmt().with_env_filter(filter).init();
    match vb365_mock::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vb365-mock: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

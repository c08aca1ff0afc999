//! The subcommands: `world generate` and `world check` for world files, `health` for a
//! running server.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use axum::body::Body;
use axum::http::{StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::config::{self, GenerateArgs, HealthArgs};
use crate::tls;
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

/// `vb365-mock health`: exit 0 when the server's health route answers 200, 1 otherwise,
/// with one line saying why on stderr. For container health checks, which run the binary
/// itself because a small image has no curl.
pub fn health(args: &HealthArgs) -> ExitCode {
    let url = health_url(args);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("vb365-mock: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let timeout = Duration::from_secs(args.timeout);
    match runtime.block_on(async { tokio::time::timeout(timeout, probe(&url)).await }) {
        Ok(Ok(StatusCode::OK)) => {
            println!("{url}: ok");
            ExitCode::SUCCESS
        }
        Ok(Ok(status)) => {
            eprintln!("{url}: answered {status}");
            ExitCode::FAILURE
        }
        Ok(Err(error)) => {
            let mut message = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            eprintln!("{url}: {message}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("{url}: no answer within {} s", args.timeout);
            ExitCode::FAILURE
        }
    }
}

/// The health route of `--url` (a base URL, or the health URL itself), or of `--listen`.
fn health_url(args: &HealthArgs) -> String {
    let base = args
        .url
        .clone()
        .unwrap_or_else(|| config::client_url(args.listen));
    let base = base.trim_end_matches('/');
    if base.ends_with(HEALTH_PATH) {
        base.to_owned()
    } else {
        format!("{base}{HEALTH_PATH}")
    }
}

const HEALTH_PATH: &str = "/__admin/health";

async fn probe(url: &str) -> Result<StatusCode, Box<dyn std::error::Error + Send + Sync>> {
    let uri: Uri = url.parse()?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls::any_server_certificate()?)
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Body> = Client::builder(TokioExecutor::new()).build(connector);
    Ok(client.get(uri).await?.status())
}

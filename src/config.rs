//! Command-line flags; every flag has an environment twin named `VB365_MOCK_*`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::lockout::LockoutPolicy;
use crate::clock::ClockSetting;
pub use crate::model::UserCredential;
use crate::model::{FaultRule, TroubleScenario, built_in_scenario, unknown_scenario};
use crate::wire::Version;
use crate::world::generator::{GeneratorOptions, StatusMix};

/// The command line: serve (the default), check a server's health, or work with world files.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "vb365-mock",
    version,
    about = "An emulator of the Veeam Backup for Microsoft 365 REST API",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Generate or check world files.
    #[command(subcommand)]
    World(WorldCommand),
    /// Ask a running emulator whether it is ready: exit 0 when its health route answers 200,
    /// 1 otherwise. Any certificate is taken, the emulator's self-signed one included.
    Health(HealthArgs),
}

/// Where the `health` subcommand looks.
#[derive(Debug, Clone, Args)]
pub struct HealthArgs {
    /// The server's base URL, e.g. https://127.0.0.1:4443; without it, the address of --listen.
    #[arg(long, env = "VB365_MOCK_HEALTH_URL")]
    pub url: Option<String>,

    /// The address the server listens on (its env twin is the server's own); an unspecified
    /// address (0.0.0.0) is asked on loopback.
    #[arg(long, env = "VB365_MOCK_LISTEN", default_value = "127.0.0.1:4443")]
    pub listen: SocketAddr,

    /// Seconds to wait for the answer.
    #[arg(long, env = "VB365_MOCK_HEALTH_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

#[derive(Debug, Clone, Subcommand)]
pub enum WorldCommand {
    /// Write a generated world file to stdout; the same options give the same bytes.
    Generate(GenerateArgs),
    /// Check a world file and list every problem with its JSON path; exit 1 if there are any.
    Check {
        /// The world file to check.
        file: PathBuf,
    },
}

/// The generator's knobs.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 3)]
    pub organizations: usize,
    #[arg(long = "jobs-per-org", default_value_t = 2)]
    pub jobs_per_organization: usize,
    /// Days of session history.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    #[arg(long, default_value_t = 6)]
    pub mailboxes_per_job: usize,
    /// Relative weights of Success, Warning and Failed sessions.
    #[arg(long, default_value = "85,10,5", value_parser = parse_status_mix)]
    pub status_mix: StatusMix,
    /// The world's present: history ends here and one session is still running.
    #[arg(long, default_value = "2017-04-04T09:00:00Z")]
    pub now: DateTime<Utc>,
    /// Add one more session of the first job with about this many log items (for scale tests).
    #[arg(long, default_value_t = 0)]
    pub big_session_items: usize,
}

impl GenerateArgs {
    pub fn options(&self) -> GeneratorOptions {
        GeneratorOptions {
            seed: self.seed,
            organizations: self.organizations,
            jobs_per_organization: self.jobs_per_organization,
            days: self.days,
            mailboxes_per_job: self.mailboxes_per_job,
            status_mix: self.status_mix,
            now: self.now,
            big_session_items: self.big_session_items,
            ..GeneratorOptions::default()
        }
    }
}

fn parse_status_mix(text: &str) -> Result<StatusMix, String> {
    let weights: Vec<u32> = text
        .split(',')
        .map(|part| part.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| "expected three whole numbers: SUCCESS,WARNING,FAILED".to_owned())?;
    match weights[..] {
        [success, warning, failed] if success + warning + failed > 0 => Ok(StatusMix {
            success,
            warning,
            failed,
        }),
        _ => Err("expected three whole numbers, not all zero: SUCCESS,WARNING,FAILED".to_owned()),
    }
}

/// How the emulator serves. Tests build it with `Config::parse_from` so they go through
/// the same flags a user types.
#[derive(Debug, Clone, Parser)]
#[command(name = "vb365-mock")]
pub struct Config {
    /// Address and port to serve HTTPS on.
    #[arg(long, env = "VB365_MOCK_LISTEN", default_value = "127.0.0.1:4443")]
    pub listen: SocketAddr,

    /// Extra DNS name for the self-signed certificate (repeatable); localhost, 127.0.0.1 and ::1 are always in it.
    #[arg(long = "hostname", env = "VB365_MOCK_HOSTNAME", value_delimiter = ',')]
    pub hostnames: Vec<String>,

    /// Certificate chain (PEM) to serve instead of a self-signed one; needs --tls-key.
    #[arg(long, env = "VB365_MOCK_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// Private key (PEM) for --tls-cert.
    #[arg(long, env = "VB365_MOCK_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Write the served certificate (PEM) to this file so clients can trust it.
    #[arg(long, env = "VB365_MOCK_WRITE_CERT")]
    pub write_cert: Option<PathBuf>,

    /// A user who may log in, as NAME:PASSWORD (repeatable; the env twin takes a comma-separated list).
    #[arg(
        long = "user",
        env = "VB365_MOCK_USER",
        value_delimiter = ',',
        default_value = "admin:admin"
    )]
    pub users: Vec<UserCredential>,

    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "VB365_MOCK_TOKEN_TTL", default_value_t = 3600, value_parser = clap::value_parser!(u32).range(1..))]
    pub token_ttl: u32,

    /// A bearer token that is always accepted, for scripts that skip the login.
    #[arg(long, env = "VB365_MOCK_STATIC_TOKEN")]
    pub static_token: Option<String>,

    /// Serve the world in this file (format: docs/world-format.md) instead of the example world.
    #[arg(long, env = "VB365_MOCK_WORLD", conflicts_with = "seed")]
    pub world: Option<PathBuf>,

    /// Serve the world the generator makes from this seed (default sizes) instead of the example world.
    #[arg(long, env = "VB365_MOCK_SEED")]
    pub seed: Option<u64>,

    /// How many requests the journal (`GET /__admin/requests`) keeps; 0 turns it off.
    #[arg(long, env = "VB365_MOCK_JOURNAL_SIZE", default_value_t = 1000)]
    pub journal_size: usize,

    /// Protect the control API (`/__admin/*` except health) with this bearer token.
    #[arg(long, env = "VB365_MOCK_ADMIN_TOKEN")]
    pub admin_token: Option<String>,

    /// How virtual time runs: real, frozen[:TIME], speed:N, each optionally @TIME to start from.
    #[arg(long, env = "VB365_MOCK_CLOCK", default_value = "real")]
    pub clock: ClockSetting,

    /// The API versions to serve (comma-separated); the others answer 404, so the emulator
    /// can pose as an older server.
    #[arg(
        long,
        env = "VB365_MOCK_VERSIONS",
        value_delimiter = ',',
        default_value = "v3,v4,v5,v6,v7,v8"
    )]
    pub versions: Vec<Version>,

    /// Reproduce a behaviour of real servers (repeatable; env: comma-separated).
    #[arg(
        long = "quirk",
        env = "VB365_MOCK_QUIRK",
        value_delimiter = ',',
        value_enum
    )]
    pub quirks: Vec<Quirk>,

    /// Worker threads serving requests; 1 runs everything on one thread, 0 uses half the
    /// cores (at least one), leaving the rest to the clients on the same machine.
    #[arg(long, env = "VB365_MOCK_THREADS", default_value_t = 0)]
    pub threads: usize,

    /// Log filter in tracing's syntax, e.g. `info` or `vb365_mock=debug`; rustls shows only errors
    /// unless the filter names it.
    #[arg(long, env = "VB365_MOCK_LOG", default_value = "info")]
    pub log: String,

    /// How log lines are written: `text` for people, `json` (one object a line) for log pipelines.
    #[arg(long, env = "VB365_MOCK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Once the world has loaded and connections are answered, print one JSON line on stdout
    /// (url, port, certificate) instead of the banner; logs then go to stderr.
    #[arg(long, env = "VB365_MOCK_READY_JSON", value_parser = clap::builder::BoolishValueParser::new())]
    pub ready_json: bool,

    /// Once ready, write the port served on to this file (replaced whole, never half-written).
    #[arg(long, env = "VB365_MOCK_PORT_FILE")]
    pub port_file: Option<PathBuf>,

    /// Also serve the metrics in Prometheus' text format over plain HTTP at http://ADDR/metrics.
    #[arg(long, env = "VB365_MOCK_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Ports for isolated worlds (`POST /__admin/worlds`), as FIRST-LAST; without it, any free port.
    #[arg(long, env = "VB365_MOCK_WORLD_PORTS")]
    pub world_ports: Option<PortRange>,

    /// Lock an account for MINUTES of virtual time after ATTEMPTS wrong passwords in a row,
    /// as `ATTEMPTS:MINUTES` (e.g. `5:30`); without it, no account is ever locked.
    #[arg(long, env = "VB365_MOCK_LOCKOUT")]
    pub lockout: Option<LockoutPolicy>,

    /// What the antiforgery token issued with v7 and v8 logins guards: `lenient` (the
    /// cookie is set, nothing asks for it) or `strict` (as the vendor documents: a pair
    /// issued with one works, and refreshes, only with it sent back in the `XSRF-TOKEN`
    /// cookie or the `X-XSRF-TOKEN` header; clients opt out with
    /// `disable_antiforgery_token=true`).
    #[arg(long, env = "VB365_MOCK_ANTIFORGERY", value_enum, default_value_t = Antiforgery::Lenient)]
    pub antiforgery: Antiforgery,

    /// A fault rule, `[METHOD] PATH key=value ...` (docs/faults.md), e.g.
    /// `GET /v8/Jobs status=503 retryAfter=5 nth=2` (repeatable; env: separated by `;`).
    #[arg(long = "fault", env = "VB365_MOCK_FAULT", value_delimiter = ';')]
    pub faults: Vec<FaultRule>,

    /// A built-in trouble scenario to start with (docs/faults.md): repository-full,
    /// license-expired, license-grace, proxy-offline, object-storage-unreachable,
    /// job-failing, jobs-stuck, server-busy, certificate-expired (repeatable; env: separated
    /// by `,`).
    #[arg(long = "scenario", env = "VB365_MOCK_SCENARIO", value_delimiter = ',', value_parser = built_in_scenario_named)]
    pub scenarios: Vec<TroubleScenario>,

    /// The most connections open at once (each isolated world has as many of its own); one
    /// more is closed at once and a warning logged, at most once a minute.
    #[arg(long, env = "VB365_MOCK_MAX_CONNECTIONS", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Seconds a request's headers may take to arrive, counted from when the server starts
    /// waiting for them: on a kept-alive connection also how long it may stay idle.
    #[arg(long, env = "VB365_MOCK_HEADER_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub header_timeout: u32,

    /// Seconds a connection may wait with no byte moving either way (a body that stops
    /// coming, an answer nobody reads) before it is closed.
    #[arg(long, env = "VB365_MOCK_STALL_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub stall_timeout: u32,
}

/// How a listener guards itself against clients that open many connections or hold them
/// without sending or reading.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The most connections open at once.
    pub max_connections: usize,
    /// How long a request's headers may take to arrive.
    pub header_timeout: Duration,
    /// How long a connection may wait with no byte moving either way.
    pub stall_timeout: Duration,
}

impl Config {
    /// The guards on every listener this configuration starts.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections as usize,
            header_timeout: Duration::from_secs(u64::from(self.header_timeout)),
            stall_timeout: Duration::from_secs(u64::from(self.stall_timeout)),
        }
    }
}

/// The base URL a client on this machine uses for a server listening on `listen`: loopback
/// when the server listens on every address.
pub fn client_url(listen: SocketAddr) -> String {
    let host = if listen.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), listen.port())
    } else {
        listen
    };
    format!("https://{host}")
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Ports given as `FIRST-LAST` (or one port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRange(pub RangeInclusive<u16>);

impl FromStr for PortRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let port = |part: &str| {
            part.trim()
                .parse::<u16>()
                .ok()
                .filter(|port| *port > 0)
                .ok_or_else(|| format!("'{part}' is not a port (1-65535)"))
        };
        let (first, last) = match text.split_once('-') {
            Some((first, last)) => (port(first)?, port(last)?),
            None => (port(text)?, port(text)?),
        };
        if first > last {
            return Err(format!("the range {first}-{last} is empty"));
        }
        Ok(Self(first..=last))
    }
}

/// Behaviours of real servers that the emulator reproduces on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Quirk {
    /// v3 LogItems answered as a page `{offset, limit, results}`, as a real 3.0 server did.
    #[value(name = "v3-logitems-paged")]
    V3LogitemsPaged,
    /// A v3 session's `_links.log` points at `/log`, which answers 404, as on a real 3.0 server.
    #[value(name = "v3-log-link")]
    V3LogLink,
}

/// How strictly the antiforgery token is asked for (`--antiforgery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Antiforgery {
    Lenient,
    Strict,
}

fn built_in_scenario_named(name: &str) -> Result<TroubleScenario, String> {
    built_in_scenario(name.trim())
        .cloned()
        .ok_or_else(|| unknown_scenario(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_parse_and_empty_ones_are_refused() {
        assert_eq!("4444-4459".parse(), Ok(PortRange(4444..=4459)));
        assert_eq!("4444".parse(), Ok(PortRange(4444..=4444)));
        for bad in ["4459-4444", "0-10", "a-b", "70000"] {
            assert!(bad.parse::<PortRange>().is_err(), "{bad}");
        }
    }
}

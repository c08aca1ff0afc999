//! Command-line flags; every flag has an environment twin named `VB365_MOCK_*`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, ValueEnum};

/// How the emulator is started. Tests build it with `Config::parse_from` so they go
/// through the same flags a user types.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "vb365-mock",
    version,
    about = "An emulator of the Veeam Backup for Microsoft 365 REST API"
)]
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

    /// Reproduce a behaviour of real servers (repeatable; env: comma-separated).
    #[arg(
        long = "quirk",
        env = "VB365_MOCK_QUIRK",
        value_delimiter = ',',
        value_enum
    )]
    pub quirks: Vec<Quirk>,

    /// Log filter in tracing's syntax, e.g. `info` or `vb365_mock=debug`.
    #[arg(long, env = "VB365_MOCK_LOG", default_value = "info")]
    pub log: String,
}

/// One `NAME:PASSWORD` pair from `--user`.
#[derive(Clone, PartialEq, Eq)]
pub struct UserCredential {
    pub name: String,
    pub password: String,
}

impl UserCredential {
    /// True for the `admin:admin` account the emulator starts with, whose password the
    /// banner may print because it is public anyway.
    pub fn is_default(&self) -> bool {
        self.name == "admin" && self.password == "admin"
    }
}

/// Passwords never reach logs, even through `{:?}` of the whole config.
impl std::fmt::Debug for UserCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:<redacted>", self.name)
    }
}

impl FromStr for UserCredential {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.split_once(':') {
            Some((name, password)) if !name.is_empty() => Ok(Self {
                name: name.to_owned(),
                password: password.to_owned(),
            }),
            _ => Err("expected NAME:PASSWORD with a non-empty name".to_owned()),
        }
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

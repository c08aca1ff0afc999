//! Isolated worlds: named worlds served by the same process, each on a port of its own with
//! its own clock, tokens, journal, cache and metrics, so that parallel test workers never
//! see each other's changes and their clients need nothing but a base URL.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum_server::Handle;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::config::{self, Config};
use crate::store::World;
use crate::tls::{self, ServerTls, TlsError};
use crate::world::generator::{self, GeneratorOptions};
use crate::{AppState, Listening};

/// What a new world starts from.
#[derive(Debug)]
pub enum Source {
    /// The world the process started with.
    Default,
    /// The world the generator makes from this seed.
    Seed(u64),
    /// A world read from a file, already validated.
    File(Box<World>),
}

/// Why a world could not be made or found; none of them is the server's fault but `Listen`
/// and `Tls`, which say what the machine lacks.
#[derive(Debug, thiserror::Error)]
pub enum WorldsError {
    #[error("A world named '{0}' exists; DELETE it first or choose another name.")]
    Taken(String),
    #[error("No world named '{0}'.")]
    Unknown(String),
    #[error("No free port for the world: {0}.")]
    Listen(String),
    #[error("No certificate for the world: {0}.")]
    Tls(#[from] TlsError),
}

/// One isolated world as `GET /__admin/worlds` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorldInfo {
    pub name: String,
    pub port: u16,
    #[serde(serialize_with = "rfc3339")]
    pub created_at: DateTime<Utc>,
}

fn rfc3339<S: serde::Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(Debug)]
struct Served {
    info: WorldInfo,
    /// Only the server's handle is kept, not its state: the state refers to this registry,
    /// and keeping it here would make a cycle that outlives the process's worlds.
    handle: Handle,
}

/// The isolated worlds of a process, shared by all its worlds (any of them can make,
/// list and free the others).
#[derive(Debug)]
pub struct Worlds {
    config: Config,
    default_world: Arc<World>,
    tls: OnceLock<ServerTls>,
    served: Mutex<BTreeMap<String, Served>>,
}

impl Worlds {
    /// The registry of a process serving `default_world` with `config`. Without `tls` (an
    /// application used in process, with no listener of its own), the first world makes a
    /// self-signed certificate.
    pub fn new(config: &Config, default_world: Arc<World>, tls: Option<ServerTls>) -> Self {
        Self {
            config: config.clone(),
            default_world,
            tls: tls.map(OnceLock::from).unwrap_or_default(),
            served: Mutex::default(),
        }
    }

    /// The host clients reach the worlds on when they did not say: the address listened
    /// on, loopback when that is every address.
    pub fn host(&self) -> String {
        let url = config::client_url(self.config.listen);
        let authority = url.trim_start_matches("https://");
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host)
            .to_owned()
    }

    /// How many isolated worlds are served.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    pub fn list(&self) -> Vec<WorldInfo> {
        self.lock()
            .values()
            .map(|served| served.info.clone())
            .collect()
    }

    /// Starts serving a new world named `name` from `source` on a port of its own.
    pub fn create(self: &Arc<Self>, name: &str, source: Source) -> Result<WorldInfo, WorldsError> {
        if self.lock().contains_key(name) {
            return Err(WorldsError::Taken(name.to_owned()));
        }
        let startup = match source {
            Source::Default => self.default_world.clone(),
            Source::Seed(seed) => Arc::new(generator::generate(&GeneratorOptions {
                seed,
                ..GeneratorOptions::default()
            })),
            Source::File(world) => Arc::new(*world),
        };
        let tls = self.tls()?;
        let mut served = self.lock();
        if served.contains_key(name) {
            return Err(WorldsError::Taken(name.to_owned()));
        }
        let listening = self.listen(tls)?;
        let mut config = self.config.clone();
        config.listen = listening.addr;
        let server = listening.serve_state(AppState::sharing(&config, startup, self.clone()));
        let info = WorldInfo {
            name: name.to_owned(),
            port: server.addr.port(),
            created_at: Utc::now(),
        };
        served.insert(
            name.to_owned(),
            Served {
                info: info.clone(),
                handle: server.handle(),
            },
        );
        Ok(info)
    }

    /// Stops serving the world named `name`; requests in flight finish, and its memory is
    /// freed once its connections close.
    pub fn delete(&self, name: &str) -> Result<(), WorldsError> {
        let served = self
            .lock()
            .remove(name)
            .ok_or_else(|| WorldsError::Unknown(name.to_owned()))?;
        served.handle.graceful_shutdown(Some(crate::SHUTDOWN_GRACE));
        Ok(())
    }

    /// Stops every isolated world, when the process stops.
    pub fn shutdown_all(&self) {
        for (_, served) in std::mem::take(&mut *self.lock()) {
            served.handle.graceful_shutdown(Some(crate::SHUTDOWN_GRACE));
        }
    }

    /// Binds the first free port of `--world-ports`, or any free port without it, on the
    /// address the process listens on.
    fn listen(&self, tls: ServerTls) -> Result<Listening, WorldsError> {
        let ip = self.config.listen.ip();
        let ports: Vec<u16> = match &self.config.world_ports {
            Some(range) => range.0.clone().collect(),
            None => vec![0],
        };
        let mut last_error = None;
        for port in ports {
            match Listening::on(
                SocketAddr::new(ip, port),
                tls.clone(),
                &self.config.connection_limits(),
            ) {
                Ok(listening) => return Ok(listening),
                Err(error) => last_error = Some(error),
            }
        }
        let range = self
            .config
            .world_ports
            .as_ref()
            .map(|range| format!(" in --world-ports {}-{}", range.0.start(), range.0.end()))
            .unwrap_or_default();
        Err(WorldsError::Listen(format!(
            "cannot listen on {ip}{range}: {}",
            last_error.map_or_else(|| "no port".to_owned(), |error| error.to_string())
        )))
    }

    fn tls(&self) -> Result<ServerTls, WorldsError> {
        if let Some(tls) = self.tls.get() {
            return Ok(tls.clone());
        }
        let made = ServerTls::new(&tls::self_signed(&self.config.hostnames)?)?;
        Ok(self.tls.get_or_init(|| made).clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Served>> {
        self.served.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

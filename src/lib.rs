//! vb365-mock: an emulator of the Veeam Backup for Microsoft 365 REST API.

pub mod admin;
pub mod api;
pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod model;
pub mod server;
pub mod sim;
pub mod store;
pub mod telemetry;
pub mod tls;
pub mod wire;
pub mod world;
pub mod worlds;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use axum::Router;
use axum::middleware;
use axum::response::Response;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsAcceptor;
use hyper_util::rt::TokioTimer;
use serde_json::json;
use tokio::task::JoinHandle;

use crate::auth::TokenStore;
use crate::auth::lockout::Lockouts;
use crate::clock::Clock;
use crate::config::{Antiforgery, Config, ConnectionLimits, Quirk, UserCredential};
use crate::server::cache::ResponseCache;
use crate::server::connections::GuardedAcceptor;
use crate::server::faults::FaultTable;
use crate::server::gate::Gate;
use crate::server::journal::Journal;
use crate::server::request_id::RequestIds;
use crate::server::routes::{self, Access, Templates};
use crate::sim::Engine;
use crate::store::{Store, World};
use crate::telemetry::Metrics;
use crate::tls::{ListenerCertificate, ServerTls, TlsError};
use crate::wire::{Quirks, Version};
use crate::world::file::{self as world_file, LoadError, Problem};
use crate::worlds::Worlds;

/// The largest request body the emulator reads; the token form is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long requests in flight may take to finish when a server stops.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How often recorded latencies are moved into the metrics' histograms.
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

/// The largest world the control API takes whole (`PUT /__admin/world`, `POST
/// /__admin/worlds`): what `GET` exports of a large world must go back in.
pub const MAX_WORLD_BODY_BYTES: usize = 1 << 30;

/// Where the control API exports and replaces the whole world.
pub const WORLD_PATH: &str = "/__admin/world";

/// Everything a handler needs, shared by all requests. One `Arc` rather than a struct of
/// them: every middleware layer clones the state per request, and one reference count to
/// bump instead of nine was measurable on the hot path (`cargo bench --bench hot_paths`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    pub world: Store,
    /// The world as it was at start, which `POST /__admin/reset` returns to; shared with the
    /// isolated worlds made from it.
    pub startup_world: Arc<World>,
    /// The `--user` accounts; they are not part of the world, so they survive its replacement.
    pub config_users: Vec<UserCredential>,
    pub tokens: TokenStore,
    pub clock: Clock,
    /// The engine that moves the world on the clock.
    pub engine: Engine,
    pub journal: Journal,
    pub admin_token: Option<String>,
    pub quirks: Quirks,
    /// The API versions served; the others answer 404, as on an older server.
    pub versions: Vec<Version>,
    pub cache: ResponseCache,
    pub metrics: Metrics,
    pub request_ids: RequestIds,
    /// The isolated worlds of the process, the same registry for all its worlds.
    pub worlds: Arc<Worlds>,
    /// The world's fault rules, armed for the front door.
    pub faults: FaultTable,
    /// Failed logins under `--lockout`.
    pub lockouts: Lockouts,
    /// What the world's listener presents, once it listens (tests in process have none).
    pub certificate: OnceLock<Arc<ListenerCertificate>>,
}

impl AppState {
    /// Arms what `world` asks of the front door and the listener: its fault rules with those
    /// of its trouble scenarios, and the certificate its scenarios want presented.
    pub fn arm(&self, world: &World) {
        self.faults.load(&world.armed_faults(), world.seed);
        if let Some(certificate) = self.certificate.get()
            && let Err(error) = certificate.present_expired(world.has_expired_certificate())
        {
            tracing::error!(%error, "the expired certificate could not be made");
        }
    }

    /// The state for serving `world`; the `--user` accounts may log in besides the world's own.
    pub fn new(config: &Config, world: World) -> Self {
        let startup_world = Arc::new(world);
        let worlds = Arc::new(Worlds::new(config, startup_world.clone(), None));
        Self::sharing(config, startup_world, worlds)
    }

    /// The state of a world of a process whose isolated worlds are `worlds`.
    pub fn sharing(config: &Config, startup_world: Arc<World>, worlds: Arc<Worlds>) -> Self {
        let faults = FaultTable::default();
        faults.load(&startup_world.armed_faults(), startup_world.seed);
        Self(Arc::new(Shared {
            certificate: OnceLock::new(),
            faults,
            lockouts: Lockouts::new(config.lockout),
            world: Store::new(World::clone(&startup_world)),
            startup_world,
            metrics: Metrics::new(),
            request_ids: RequestIds::default(),
            worlds,
            config_users: config.users.clone(),
            journal: Journal::new(config.journal_size),
            admin_token: config.admin_token.clone(),
            tokens: TokenStore::new(config.token_ttl, config.static_token.clone())
                .with_strict_antiforgery(config.antiforgery == Antiforgery::Strict),
            clock: Clock::new(config.clock),
            engine: Engine::default(),
            cache: ResponseCache::default(),
            versions: config.versions.clone(),
            quirks: Quirks {
                logitems_paged: config.quirks.contains(&Quirk::V3LogitemsPaged),
                log_link_to_log: config.quirks.contains(&Quirk::V3LogLink),
            },
        }))
    }
}

/// The whole HTTP application; the binary serves it and tests call it directly.
pub fn app(state: AppState) -> Router {
    let mut routes = Router::new();
    for &version in &state.versions {
        let api_routes = api::routes(version);
        let templates = Templates::new(api_routes.table().iter().map(|route| route.path.as_str()));
        let (protected, open) = api_routes.into_routers(state.clone());
        let mut versioned =
            routes::labelled(protected, state.clone(), templates.clone(), Access::Bearer)
                .merge(routes::labelled(
                    open,
                    state.clone(),
                    templates,
                    Access::Open,
                ))
                .method_not_allowed_fallback(api::method_not_allowed);
        if version.has_own_error_dialect() {
            versioned = versioned.layer(middleware::map_response(move |response: Response| async move {
                wire::errors::in_dialect(version, response)
            }));
        }
        routes = routes.merge(versioned);
    }
    let admin = routes::labelled(
        admin::router(state.clone()),
        state.clone(),
        Templates::default(),
        Access::Open,
    );
    let routes = routes
        .merge(admin.method_not_allowed_fallback(api::method_not_allowed))
        .fallback(api::no_route)
        .with_state(state.clone());
    server::in_front_of(routes, state)
}

/// Why the emulator could not start or stopped abnormally; each is one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr} for metrics (--metrics-listen): {source}")]
    MetricsListen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot write the port to {path}: {source}")]
    WritePortFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the certificate to {path}: {source}")]
    WriteCertificate {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the world file {path}: {source}")]
    ReadWorld {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the world file {path} is not valid:{}", problems.iter().map(|problem| format!("\n  {problem}")).collect::<String>())]
    InvalidWorld {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
}

/// The world to serve at start: `--world FILE`, `--seed N`, or the example world.
pub fn startup_world(config: &Config) -> Result<World, ServerError> {
    let mut world = loaded_world(config)?;
    if !config.faults.is_empty() {
        let mut rules = std::mem::take(&mut world.faults);
        rules.extend(config.faults.iter().cloned());
        world.faults = world_file::numbered_faults(rules);
    }
    for scenario in &config.scenarios {
        world.apply_scenario(scenario.clone());
    }
    Ok(world)
}

/// The world of `--world`, `--seed` or the example world, before `--fault` rules and
/// `--scenario`s join it.
fn loaded_world(config: &Config) -> Result<World, ServerError> {
    if let Some(path) = &config.world {
        return world_file::load(|| std::fs::File::open(path)).map_err(|error| match error {
            LoadError::Read(source) => ServerError::ReadWorld {
                path: path.clone(),
                source,
            },
            LoadError::Invalid(problems) => ServerError::InvalidWorld {
                path: path.clone(),
                problems,
            },
        });
    }
    Ok(match config.seed {
        Some(seed) => world::generator::generate(&world::generator::GeneratorOptions {
            seed,
            ..Default::default()
        }),
        None => world::default_world(),
    })
}

/// A listener accepting connections with its certificate, answering 503 (health:
/// `loading`) until it is given a world to serve.
pub struct Listening {
    pub addr: SocketAddr,
    tls: ServerTls,
    certificate: Arc<ListenerCertificate>,
    gate: Gate,
    handle: Handle,
    task: JoinHandle<std::io::Result<()>>,
    metrics_listener: Option<tokio::net::TcpListener>,
}

/// Sets up TLS (writing the certificate out if asked), binds the listener and the metrics
/// listener, and starts accepting connections; the world comes later, with
/// [`Listening::serve`], so that a large world file loads while the port already answers.
pub async fn bind(config: &Config) -> Result<Listening, ServerError> {
    let certificate = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => {
            let mut certificate = tls::load_pem_files(cert, key)?;
            certificate.names.extend(config.hostnames.iter().cloned());
            certificate
        }
        _ => tls::self_signed(&config.hostnames)?,
    };
    if let Some(path) = &config.write_cert {
        std::fs::write(path, &certificate.pem).map_err(|source| ServerError::WriteCertificate {
            path: path.clone(),
            source,
        })?;
    }
    let tls = ServerTls::new(&certificate)?;
    let metrics_listener = match config.metrics_listen {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::MetricsListen { addr, source })?,
        ),
        None => None,
    };
    let mut listening =
        Listening::on(config.listen, tls, &config.connection_limits()).map_err(|source| {
            ServerError::Listen {
                addr: config.listen,
                source,
            }
        })?;
    listening.metrics_listener = metrics_listener;
    Ok(listening)
}

impl Listening {
    /// Binds `addr` and serves the gate on it, over TLS with `tls`.
    pub fn on(
        addr: SocketAddr,
        tls: ServerTls,
        limits: &ConnectionLimits,
    ) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let gate = Gate::default();
        let handle = Handle::new();
        let certificate = Arc::new(tls.listener_certificate());
        let acceptor = RustlsAcceptor::new(certificate.live.clone()).acceptor(
            GuardedAcceptor::new(limits.max_connections, limits.stall_timeout),
        );
        let mut server = axum_server::from_tcp(listener)
            .acceptor(acceptor)
            .handle(handle.clone());
        server
            .http_builder()
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout);
        let task = tokio::spawn(server.serve(tower::make::Shared::new(gate.clone())));
        Ok(Self {
            addr,
            tls,
            certificate,
            gate,
            handle,
            task,
            metrics_listener: None,
        })
    }

    /// Serves `world` from now on; the isolated worlds of the process share this listener's
    /// certificate.
    pub fn serve(self, config: &Config, world: World) -> RunningServer {
        let startup_world = Arc::new(world);
        let worlds = Arc::new(Worlds::new(
            config,
            startup_world.clone(),
            Some(self.tls.clone()),
        ));
        self.serve_state(AppState::sharing(config, startup_world, worlds))
    }

    /// Serves the application of `state` from now on.
    pub fn serve_state(self, state: AppState) -> RunningServer {
        let _ = state.0.certificate.set(self.certificate.clone());
        state.world.read(|world| state.arm(world));
        self.gate.open(app(state.clone()));
        keep_metrics_up(Arc::downgrade(&state.0));
        keep_world_moving(Arc::downgrade(&state.0));
        let metrics_addr = self
            .metrics_listener
            .as_ref()
            .and_then(|listener| listener.local_addr().ok());
        let metrics_task = self.metrics_listener.map(|listener| {
            let router = admin::metrics_router(state.clone());
            tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, router).await {
                    tracing::error!(%error, "the metrics listener stopped");
                }
            })
        });
        RunningServer {
            addr: self.addr,
            state,
            certificate_pem: self.tls.pem,
            metrics_addr,
            handle: self.handle,
            task: self.task,
            metrics_task,
        }
    }

    /// Stops accepting connections, when the world could not be loaded.
    pub fn shutdown(&self) {
        self.handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
    }
}

/// Moves recorded latencies into the histograms every few seconds, for as long as the
/// world's state lives.
fn keep_metrics_up(state: Weak<Shared>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(METRICS_UPKEEP);
        loop {
            ticks.tick().await;
            match state.upgrade() {
                Some(state) => state.metrics.upkeep(),
                None => return,
            }
        }
    });
}

/// The engine task's longest sleep: a change of the world or of the clock's rate, which
/// may bring the next event closer, is seen within it.
const ENGINE_NAP: Duration = Duration::from_secs(1);

/// Moves the world on its clock for as long as the world's state lives, off the request
/// path: it wakes when the next thing falls due (at the latest after `ENGINE_NAP`) and
/// catches up one increment per hold of the write lock, letting requests in between. A
/// frozen or idle world costs a wake-up a second.
fn keep_world_moving(state: Weak<Shared>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let nap = {
                let Some(state) = state.upgrade() else {
                    return;
                };
                let now = state.clock.now();
                for _ in 0..sim::MOST_INCREMENTS {
                    if !state.engine.catch_up_increment(&state.world, now) {
                        break;
                    }
                    tokio::task::yield_now().await;
                }
                state
                    .world
                    .next_due()
                    .and_then(|at| state.clock.wall_until(at))
                    .map_or(ENGINE_NAP, |wait| wait.min(ENGINE_NAP))
            };
            tokio::time::sleep(nap).await;
        }
    })
}

/// A server accepting connections in the background.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The served certificate, for clients that need to trust it.
    pub certificate_pem: Arc<str>,
    /// Where `--metrics-listen` serves the metrics over plain HTTP.
    pub metrics_addr: Option<SocketAddr>,
    handle: Handle,
    task: JoinHandle<std::io::Result<()>>,
    metrics_task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting connections and lets requests in flight finish (at most 5 s); the
    /// process's isolated worlds stop too.
    pub fn shutdown(&self) {
        self.handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
        if let Some(task) = &self.metrics_task {
            task.abort();
        }
        self.state.worlds.shutdown_all();
    }

    /// What stops the server later, without holding on to its state.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Waits until the server has stopped.
    pub async fn stopped(self) -> Result<(), ServerError> {
        match self.task.await {
            Ok(result) => result.map_err(ServerError::Serve),
            Err(join_error) => Err(ServerError::Serve(std::io::Error::other(join_error))),
        }
    }
}

/// Binds the listener, sets up TLS and starts serving `world` in the background.
pub async fn start(config: &Config, world: World) -> Result<RunningServer, ServerError> {
    Ok(bind(config).await?.serve(config, world))
}

/// Serves until Ctrl-C or SIGTERM, then shuts down gracefully. The port answers from the
/// start; the world loads meanwhile (health answers 503 `loading` until it has), and only
/// then do the ready line, the port file and the banner appear.
pub async fn run(config: Config) -> Result<(), ServerError> {
    let listening = bind(&config).await?;
    let shutdown = shutdown_signal();
    if let Some(path) = &config.world {
        tracing::info!(path = %path.display(), "loading the world");
    }
    let loading = config.clone();
    let world = tokio::task::spawn_blocking(move || startup_world(&loading))
        .await
        .unwrap_or_else(|join_error| Err(ServerError::Serve(std::io::Error::other(join_error))));
    let world = match world {
        Ok(world) => world,
        Err(error) => {
            listening.shutdown();
            return Err(error);
        }
    };
    let server = listening.serve(&config, world);
    announce(&config, &server)?;
    shutdown.await;
    tracing::info!("shutting down");
    server.shutdown();
    server.stopped().await
}

/// Tells the harness or the user where to go, once the server is ready: the port file
/// first, so that it is there when the ready line is read.
fn announce(config: &Config, server: &RunningServer) -> Result<(), ServerError> {
    if let Some(path) = &config.port_file {
        write_port_file(path, server.addr.port()).map_err(|source| ServerError::WritePortFile {
            path: path.clone(),
            source,
        })?;
    }
    if config.ready_json {
        print_ready_line(config, server);
    } else {
        print_banner(config, server.addr);
    }
    Ok(())
}

/// Writes the port beside the file and renames it into place, so a reader polling for the
/// file never sees it half-written.
fn write_port_file(path: &Path, port: u16) -> std::io::Result<()> {
    let mut staging = path.as_os_str().to_owned();
    staging.push(format!(".{}.tmp", std::process::id()));
    std::fs::write(&staging, format!("{port}\n"))?;
    std::fs::rename(&staging, path)
}

/// One JSON line for test harnesses: where to go and what certificate to trust.
fn print_ready_line(config: &Config, server: &RunningServer) {
    let certificate = config.tls_cert.as_ref().or(config.write_cert.as_ref());
    let line = json!({
        "status": "ready",
        "url": config::client_url(server.addr),
        "port": server.addr.port(),
        "certificate": certificate.map(|path| path.display().to_string()),
        "certificatePem": &*server.certificate_pem,
        "metricsUrl": server.metrics_addr.map(|addr| format!("http://{addr}/metrics")),
        "version": env!("CARGO_PKG_VERSION"),
        "pid": std::process::id(),
    });
    write_stdout(&format!("{line}\n"));
}

/// Writes `text` in one go and without panicking when stdout is closed
/// (`vb365-mock | head -1`), so a gone reader never takes the server down.
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Tells the user where to point a client.
fn print_banner(config: &Config, addr: SocketAddr) {
    use std::fmt::Write as _;

    let base = config::client_url(addr);
    let names: Vec<&str> = config.users.iter().map(|user| user.name.as_str()).collect();
    let mut banner = String::new();
    let _ = writeln!(
        banner,
        "vb365-mock {} serving {base}/v3",
        env!("CARGO_PKG_VERSION")
    );
    let _ = match config.users.as_slice() {
        [only] if only.is_default() => writeln!(banner, "  log in as admin / admin"),
        _ => writeln!(banner, "  users: {}", names.join(", ")),
    };
    if config.static_token.is_some() {
        let _ = writeln!(banner, "  a static bearer token is set (--static-token)");
    }
    let _ = match (&config.tls_cert, &config.write_cert) {
        (Some(path), _) => writeln!(banner, "  certificate: {}", path.display()),
        (None, Some(path)) => writeln!(
            banner,
            "  self-signed certificate written to {}",
            path.display()
        ),
        (None, None) => writeln!(
            banner,
            "  self-signed certificate (save it with --write-cert FILE; -k skips the check)"
        ),
    };
    let _ = writeln!(banner, "  try:");
    let _ = writeln!(
        banner,
        "    TOKEN=$(curl -sk {base}/v3/Token -d 'grant_type=password&username={}&password=...' | jq -r .access_token)",
        names.first().copied().unwrap_or("admin")
    );
    let _ = writeln!(
        banner,
        "    curl -sk -H \"Authorization: Bearer $TOKEN\" {base}/v3/JobSessions/{}/LogItems",
        world::SEED_SESSION_ID
    );
    write_stdout(&banner);
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not
/// when it is first awaited, so a signal that arrives right after the banner is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the server");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn the_engine_task_ends_with_its_world() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let config = Config::try_parse_from(["vb365-mock", "--clock", "speed:1000"]).unwrap();
            let state = AppState::new(&config, world::default_world());
            let task = keep_world_moving(Arc::downgrade(&state.0));
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert!(!task.is_finished(), "the task stops while its world lives");
            drop(state);
            let ended = tokio::time::timeout(ENGINE_NAP * 3, task).await;
            assert!(ended.is_ok_and(|joined| joined.is_ok()));
        });
    }
}

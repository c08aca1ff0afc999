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
pub mod tls;
pub mod wire;
pub mod world;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware;
use axum::response::Response;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use tokio::task::JoinHandle;

use crate::auth::TokenStore;
use crate::clock::Clock;
use crate::config::{Config, Quirk, UserCredential};
use crate::server::cache::ResponseCache;
use crate::server::journal::Journal;
use crate::sim::Engine;
use crate::store::{Store, World};
use crate::tls::TlsError;
use crate::wire::{Quirks, Version};
use crate::world::file::{self as world_file, LoadError, Problem};

/// The largest request body the emulator reads; the token form is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The largest world the control API takes whole (`PUT /__admin/world`): what `GET` exports
/// of a large world must go back in.
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
    /// The world as it was at start, which `POST /__admin/reset` returns to.
    pub startup_world: World,
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
}

impl AppState {
    /// The state for serving `world`; the `--user` accounts may log in besides the world's own.
    pub fn new(config: &Config, world: World) -> Self {
        Self(Arc::new(Shared {
            startup_world: world.clone(),
            world: Store::new(world),
            config_users: config.users.clone(),
            journal: Journal::new(config.journal_size),
            admin_token: config.admin_token.clone(),
            tokens: TokenStore::new(config.token_ttl, config.static_token.clone()),
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
        let (protected, open) = api::routes(version).into_routers(state.clone());
        let mut versioned = protected
            .route_layer(middleware::map_response(server::cache::mark_cacheable))
            .route_layer(middleware::from_fn_with_state(
                state.clone(),
                auth::bearer::require_bearer,
            ))
            .merge(open)
            .method_not_allowed_fallback(api::method_not_allowed);
        if version.has_own_error_dialect() {
            versioned = versioned.layer(middleware::map_response(move |response: Response| async move {
                wire::errors::in_dialect(version, response)
            }));
        }
        routes = routes.merge(versioned);
    }
    let routes = routes
        .merge(admin::router(state.clone()).method_not_allowed_fallback(api::method_not_allowed))
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

/// A server accepting connections in the background.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The served certificate, for clients that need to trust it.
    pub certificate_pem: String,
    handle: Handle,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting connections and lets requests in flight finish (at most 5 s).
    pub fn shutdown(&self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(5)));
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
    let certificate = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => tls::load_pem_files(cert, key)?,
        _ => tls::self_signed(&config.hostnames)?,
    };
    if let Some(path) = &config.write_cert {
        std::fs::write(path, &certificate.pem).map_err(|source| ServerError::WriteCertificate {
            path: path.clone(),
            source,
        })?;
    }
    let tls_config = RustlsConfig::from_config(tls::server_config(&certificate)?);
    let listen_error = |source| ServerError::Listen {
        addr: config.listen,
        source,
    };
    let listener = std::net::TcpListener::bind(config.listen).map_err(listen_error)?;
    listener.set_nonblocking(true).map_err(listen_error)?;
    let addr = listener.local_addr().map_err(listen_error)?;

    let state = AppState::new(config, world);
    let handle = Handle::new();
    let server = axum_server::from_tcp_rustls(listener, tls_config).handle(handle.clone());
    let task = tokio::spawn(server.serve(app(state.clone()).into_make_service()));
    Ok(RunningServer {
        addr,
        state,
        certificate_pem: certificate.pem,
        handle,
        task,
    })
}

/// Serves the default world until Ctrl-C or SIGTERM, then shuts down gracefully.
pub async fn run(config: Config) -> Result<(), ServerError> {
    let server = start(&config, startup_world(&config)?).await?;
    let shutdown = shutdown_signal();
    print_banner(&config, server.addr);
    shutdown.await;
    tracing::info!("shutting down");
    server.shutdown();
    server.stopped().await
}

/// Tells the user where to point a client. Written in one go and without panicking when
/// stdout is closed (`vb365-mock | head -1`), so a gone reader never takes the server down.
fn print_banner(config: &Config, addr: SocketAddr) {
    use std::fmt::Write as _;
    use std::io::Write as _;

    let host = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    let base = format!("https://{host}");
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
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush());
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

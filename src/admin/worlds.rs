//! Isolated worlds through the control API: make one (from the start-up world, a seed or a
//! world file), list them, free one. Each answers with the base URL its clients use.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::{delete, get};
use serde::{Deserialize, Serialize};

use super::AdminError;
use super::world::read_streamed;
use crate::api::PathParams;
use crate::wire::json_response;
use crate::world::file::{self as world_file, Problem, WorldFile};
use crate::worlds::{Source, WorldInfo, WorldsError};
use crate::{AppState, MAX_WORLD_BODY_BYTES};

/// The longest world name; names go into URLs and logs.
const LONGEST_NAME: usize = 64;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/__admin/worlds", get(list_worlds).post(create_world))
        .route("/__admin/worlds/{name}", delete(delete_world))
}

/// `{"name": "...", "seed": N}` or `{"name": "...", "world": {world file}}`; with neither,
/// the world the server started with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWorld {
    name: String,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    world: Option<Box<WorldFile>>,
}

/// A world as the control API shows it: its own base URL, on the host the caller used.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServedWorld {
    url: String,
    #[serde(flatten)]
    info: WorldInfo,
}

impl ServedWorld {
    /// On the host of `Host`, or of the URI's authority (HTTP/2 sends no `Host`).
    fn new(info: WorldInfo, headers: &HeaderMap, uri: &Uri, state: &AppState) -> Self {
        let host = headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<Authority>().ok())
            .or_else(|| uri.authority().cloned())
            .map(|authority| authority.host().to_owned())
            .unwrap_or_else(|| state.worlds.host());
        Self {
            url: format!("https://{host}:{}", info.port),
            info,
        }
    }
}

async fn create_world(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Result<Response, AdminError> {
    let (request, built) = read_streamed(body, MAX_WORLD_BODY_BYTES, |reader| {
        let mut request: NewWorld = world_file::parse(reader)?;
        let built = request.world.take().map(|file| world_file::build(*file));
        Ok((request, built))
    })
    .await?;
    let mut problems = Vec::new();
    if !is_name(&request.name) {
        problems.push(Problem {
            path: "name".to_owned(),
            message: format!(
                "must be 1 to {LONGEST_NAME} letters, digits, '-', '_' or '.', not '{}'",
                request.name
            ),
        });
    }
    let source = match (request.seed, built) {
        (Some(_), Some(_)) => {
            problems.push(Problem {
                path: "seed".to_owned(),
                message: "give a seed or a world, not both".to_owned(),
            });
            Source::Default
        }
        (Some(seed), None) => Source::Seed(seed),
        (None, Some(built)) => match built {
            Ok(world) => Source::File(Box::new(world)),
            Err(invalid) => {
                problems.extend(invalid.into_iter().map(|problem| Problem {
                    path: format!("world.{}", problem.path),
                    message: problem.message,
                }));
                Source::Default
            }
        },
        (None, None) => Source::Default,
    };
    if !problems.is_empty() {
        return Err(AdminError::invalid(problems));
    }
    let info = state
        .worlds
        .create(&request.name, source)
        .map_err(admin_error)?;
    Ok(json_response(
        StatusCode::CREATED,
        &ServedWorld::new(info, &headers, &uri, &state),
    ))
}

async fn list_worlds(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    #[derive(Serialize)]
    struct Body {
        worlds: Vec<ServedWorld>,
    }
    let worlds = state
        .worlds
        .list()
        .into_iter()
        .map(|info| ServedWorld::new(info, &headers, &uri, &state))
        .collect();
    json_response(StatusCode::OK, &Body { worlds })
}

async fn delete_world(
    State(state): State<AppState>,
    PathParams(name): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    state.worlds.delete(&name).map_err(admin_error)?;
    Ok(StatusCode::NO_CONTENT)
}

fn admin_error(error: WorldsError) -> AdminError {
    let status = match error {
        WorldsError::Taken(_) => StatusCode::CONFLICT,
        WorldsError::Unknown(_) => StatusCode::NOT_FOUND,
        WorldsError::Listen(_) | WorldsError::Tls(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    AdminError::new(status, error.to_string())
}

fn is_name(name: &str) -> bool {
    (1..=LONGEST_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

//! Trouble scenarios through the control API: list those on and those built in, apply one, remove one or all.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get};
use serde_json::json;

use super::AdminError;
use super::world::read_payload;
use crate::AppState;
use crate::api::PathParams;
use crate::model::{MOST_SCENARIOS, built_in_scenarios};
use crate::wire::json_response;
use crate::world::file::{Problem, ScenarioEntry};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/__admin/scenarios",
            get(list_scenarios)
                .post(apply_scenario)
                .delete(clear_scenarios),
        )
        .route("/__admin/scenarios/{name}", delete(remove_scenario))
}

async fn list_scenarios(State(state): State<AppState>) -> Response {
    let active = state.world.read(|world| world.scenarios.clone());
    json_response(
        StatusCode::OK,
        &json!({ "active": active, "builtIn": built_in_scenarios() }),
    )
}

/// Applies a built-in scenario (`"repository-full"` or `{"name": "repository-full"}`) or
/// a declared one; one of the same name is replaced. 201 with the scenario as applied, 200
/// when it replaced one; 400 with what is wrong, changing nothing.
async fn apply_scenario(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let entry: ScenarioEntry = read_payload(body)?;
    let scenario = entry.resolve().map_err(|problems| {
        AdminError::invalid(
            problems
                .into_iter()
                .map(|(path, message)| Problem { path, message })
                .collect(),
        )
    })?;
    let applied = scenario.clone();
    let added = state.world.write(|world| {
        let known = world
            .scenarios
            .iter()
            .any(|known| known.name == scenario.name);
        if !known && world.scenarios.len() >= MOST_SCENARIOS {
            return Err(AdminError::new(
                StatusCode::BAD_REQUEST,
                format!("A world has at most {MOST_SCENARIOS} scenarios on; remove one first."),
            ));
        }
        let added = world.apply_scenario(scenario);
        state.arm(world);
        Ok(added)
    })?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(status, &applied))
}

async fn remove_scenario(
    State(state): State<AppState>,
    PathParams(name): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    let removed = state.world.write(|world| {
        let removed = world.remove_scenario(&name);
        state.arm(world);
        removed
    });
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AdminError::new(
            StatusCode::NOT_FOUND,
            format!("No scenario named '{name}' is on."),
        ))
    }
}

/// Turns every scenario off: what they changed reads as before.
async fn clear_scenarios(State(state): State<AppState>) -> StatusCode {
    state.world.write(|world| {
        world.scenarios.clear();
        state.arm(world);
    });
    StatusCode::NO_CONTENT
}

//! Fault rules through the control API: list them, add one, remove one or all.

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
use crate::model::FaultRule;
use crate::wire::json_response;
use crate::world::file::{Problem, numbered_faults};

/// The most rules a world holds: each is checked on every request, and each names a series
/// of the faults metric.
pub const MOST_RULES: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/__admin/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/__admin/faults/{id}", delete(delete_fault))
}

async fn list_faults(State(state): State<AppState>) -> Response {
    let rules = state.world.read(|world| world.faults.clone());
    json_response(StatusCode::OK, &json!({ "faults": rules }))
}

/// 201 with the rule as kept (its id given when it had none); 400 with what is wrong.
async fn add_fault(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let rule: FaultRule = read_payload(body)?;
    let mut problems: Vec<Problem> = rule
        .problems()
        .into_iter()
        .map(|(path, message)| Problem {
            path: path.to_owned(),
            message,
        })
        .collect();
    let added = state.world.write(|world| {
        if world.faults.len() >= MOST_RULES {
            problems.push(Problem {
                path: "$".to_owned(),
                message: format!("a world holds at most {MOST_RULES} rules; remove one first"),
            });
        }
        if let Some(id) = &rule.id
            && world
                .faults
                .iter()
                .any(|known| known.id.as_ref() == Some(id))
        {
            problems.push(Problem {
                path: "id".to_owned(),
                message: format!("a rule with id {id} exists"),
            });
        }
        if !problems.is_empty() {
            return None;
        }
        let mut rules = std::mem::take(&mut world.faults);
        rules.push(rule);
        world.faults = numbered_faults(rules);
        state.arm(world);
        world.faults.last().cloned()
    });
    let added = added.ok_or_else(|| AdminError::invalid(problems))?;
    Ok(json_response(StatusCode::CREATED, &added))
}

async fn delete_fault(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    let removed = state.world.write(|world| {
        let before = world.faults.len();
        world
            .faults
            .retain(|rule| rule.id.as_deref() != Some(id.as_str()));
        state.arm(world);
        world.faults.len() < before
    });
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AdminError::new(
            StatusCode::NOT_FOUND,
            format!("No fault rule with id {id}."),
        ))
    }
}

/// Removes every rule: the emulator behaves exactly as before any was set.
async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.world.write(|world| {
        world.faults.clear();
        state.arm(world);
    });
    StatusCode::NO_CONTENT
}

//! The clock through the control API: read it, set it, step it; and start a job with a scenario.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;

use super::AdminError;
use super::world::{install_world, read_payload};
use crate::AppState;
use crate::api::PathParams;
use crate::clock::{self, ClockMode};
use crate::model::{Id, Job, Scenario};
use crate::sim::{self, JobActionError};
use crate::store::World;
use crate::wire::json_response;
use crate::world::file::{self as world_file, Problem, Problems};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/__admin/clock", get(read_clock).put(set_clock))
        .route("/__admin/clock/advance", post(advance_clock))
        .route("/__admin/jobs/{id}/start", post(start_job))
}

fn reading(state: &AppState) -> Response {
    state.engine.catch_up(&state.world, state.clock.now());
    json_response(StatusCode::OK, &state.clock.reading())
}

async fn read_clock(State(state): State<AppState>) -> Response {
    reading(&state)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockChange {
    now: Option<DateTime<Utc>>,
    mode: Option<ClockMode>,
    speed: Option<u32>,
    /// Go back to the start-up world, so the clock may move back too.
    #[serde(default)]
    reset: bool,
}

fn problem(path: &str, message: impl Into<String>) -> AdminError {
    AdminError::invalid(vec![Problem {
        path: path.to_owned(),
        message: message.into(),
    }])
}

/// Time only moves forward while the engine runs sessions, unless the world is reset with it.
async fn set_clock(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let change: ClockChange = read_payload(body)?;
    if change
        .speed
        .is_some_and(|speed| !(1..=clock::FASTEST).contains(&speed))
    {
        return Err(problem(
            "speed",
            format!("must be from 1 to {}", clock::FASTEST),
        ));
    }
    if let Some(now) = change.now.filter(|now| !clock::is_in_range(*now)) {
        return Err(problem(
            "now",
            format!(
                "{now} is outside {} to {}, the times the API can carry",
                clock::earliest(),
                clock::latest()
            ),
        ));
    }
    if change.reset {
        install_world(&state, World::clone(&state.startup_world));
    } else if let Some(now) = change.now {
        let current = state.clock.now();
        if now < current && state.engine.is_busy(&state.world) {
            return Err(problem(
                "now",
                format!(
                    "{now} is before {current}: time only moves forward while sessions run (send \"reset\": true to start over)"
                ),
            ));
        }
    }
    state.clock.set(change.now, change.mode, change.speed);
    Ok(reading(&state))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: f64,
}

async fn advance_clock(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let Advance { seconds } = read_payload(body)?;
    if !(0.0..=315_576_000.0).contains(&seconds) {
        return Err(problem("seconds", "must be from 0 to ten years"));
    }
    let step = TimeDelta::milliseconds((seconds * 1000.0).round() as i64);
    if state
        .clock
        .now()
        .checked_add_signed(step)
        .is_none_or(|then| then > clock::latest())
    {
        return Err(problem(
            "seconds",
            format!("would move the clock past {}", clock::latest()),
        ));
    }
    state.clock.advance(step);
    Ok(reading(&state))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StartRequest {
    scenario: Option<Scenario>,
}

/// Starts a job now, by its own scenario or the one given.
async fn start_job(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let job_id = *Id::<Job>::parse(&id)
        .map_err(|error| AdminError::new(StatusCode::BAD_REQUEST, error.to_string()))?;
    let request: StartRequest = match &body {
        Ok(bytes) if bytes.is_empty() => StartRequest::default(),
        _ => read_payload(body)?,
    };
    if let Some(scenario) = &request.scenario {
        let mut problems = Problems::default();
        world_file::check_scenario(scenario, "scenario", &mut problems);
        if !problems.0.is_empty() {
            return Err(AdminError::invalid(problems.0));
        }
    }
    let now = state.clock.now();
    state.engine.catch_up(&state.world, now);
    let started = state.engine.with_world(&state.world, |world, runs| {
        sim::start_job(world, runs, job_id, now, request.scenario)
    });
    match started {
        Ok(session_id) => Ok(json_response(
            StatusCode::CREATED,
            &json!({ "sessionId": session_id }),
        )),
        Err(JobActionError::UnknownJob(_)) => Err(AdminError::new(
            StatusCode::NOT_FOUND,
            format!("Job with id '{job_id}' was not found."),
        )),
        Err(error) => Err(AdminError::new(StatusCode::BAD_REQUEST, error.to_string())),
    }
}

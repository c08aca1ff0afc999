//! `/Jobs`: backup jobs, their sessions, and the start/stop/enable/disable action.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use uuid::Uuid;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::error::ApiError;
use crate::store::JobActionError;
use crate::{AppState, MAX_BODY_BYTES, wire};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(&format!("{prefix}/jobs"), get(list_jobs))
        .route(&format!("{prefix}/jobs/{{job_id}}"), get(get_job))
        .route(
            &format!("{prefix}/jobs/{{job_id}}/jobsessions"),
            get(list_job_sessions),
        )
        .route(
            &format!("{prefix}/jobs/{{job_id}}/action"),
            post(job_action),
        )
}

async fn list_jobs(State(state): State<AppState>, host: RequestHost) -> Response {
    state.world.read(|world| {
        let jobs = world.jobs.iter().map(|job| (job, world.job_summary(job)));
        wire::v3::jobs(&context(&state, &host), jobs)
    })
}

async fn get_job(
    State(state): State<AppState>,
    host: RequestHost,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    state.world.read(|world| {
        let job = world
            .job(&job_id)
            .ok_or_else(|| not_found("Job", &job_id))?;
        Ok(wire::v3::job(
            &context(&state, &host),
            job,
            world.job_summary(job),
        ))
    })
}

async fn list_job_sessions(
    State(state): State<AppState>,
    host: RequestHost,
    PathParams(job_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    let paging = Paging::from_query(query.as_deref())?;
    state.world.read(|world| {
        world
            .job(&job_id)
            .ok_or_else(|| not_found("Job", &job_id))?;
        let sessions = paging
            .take(world.job_sessions(job_id))
            .map(|record| &record.session);
        Ok(wire::v3::job_sessions(&context(&state, &host), sessions))
    })
}

/// What `POST /Jobs/{id}/Action` asks for: a body like `{"start": null}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobAction {
    Start,
    Stop,
    Enable,
    Disable,
}

impl JobAction {
    /// Exactly one known key, matched without regard to case as ASP.NET binds it.
    fn from_body(body: &[u8]) -> Result<Self, ApiError> {
        let invalid = || {
            ApiError::BadRequest(
                "The request body must be one of {\"start\":null}, {\"stop\":null}, {\"enable\":null}, {\"disable\":null}."
                    .to_owned(),
            )
        };
        let value: Value = serde_json::from_slice(body).map_err(|_| invalid())?;
        let object = value.as_object().ok_or_else(invalid)?;
        let mut keys = object.keys();
        let (Some(key), None) = (keys.next(), keys.next()) else {
            return Err(invalid());
        };
        [
            ("start", Self::Start),
            ("stop", Self::Stop),
            ("enable", Self::Enable),
            ("disable", Self::Disable),
        ]
        .into_iter()
        .find(|(name, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, action)| action)
        .ok_or_else(invalid)
    }
}

async fn job_action(
    State(state): State<AppState>,
    PathParams(job_id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        },
        _ => ApiError::BadRequest("The request body could not be read.".to_owned()),
    })?;
    let action = JobAction::from_body(&body)?;
    let now = state.clock.now();
    state.world.write(|world| {
        world
            .job(&job_id)
            .ok_or_else(|| not_found("Job", &job_id))?;
        apply(world, job_id, action, now).map_err(|error| ApiError::BadRequest(error.to_string()))
    })?;
    Ok(StatusCode::OK.into_response())
}

fn apply(
    world: &mut crate::store::World,
    job_id: Uuid,
    action: JobAction,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), JobActionError> {
    match action {
        JobAction::Start => world.start_job(job_id, now, None).map(drop),
        JobAction::Stop => world.stop_job(job_id, now).map(drop),
        JobAction::Enable => world.set_job_enabled(job_id, true),
        JobAction::Disable => world.set_job_enabled(job_id, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_from_a_single_key_in_any_case() {
        assert_eq!(
            JobAction::from_body(br#"{"start":null}"#).unwrap(),
            JobAction::Start
        );
        assert_eq!(
            JobAction::from_body(br#"{"Stop":null}"#).unwrap(),
            JobAction::Stop
        );
        assert_eq!(
            JobAction::from_body(br#"{"disable":{}}"#).unwrap(),
            JobAction::Disable
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for body in [
            &br#"{"restart":null}"#[..],
            br#"{"start":null,"stop":null}"#,
            b"{}",
            b"[]",
            b"start",
            b"",
        ] {
            assert!(
                JobAction::from_body(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

//! `/Jobs`: backup jobs, their sessions, and the start/stop/enable/disable actions (a body
//! sent to `/Action` up to v5, one path per action from v6).

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;
use uuid::Uuid;

use super::sessions::{extras, render_sessions};
use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::error::ApiError;
use crate::store::{JobActionError, World};
use crate::wire::Version;
use crate::{AppState, MAX_BODY_BYTES, wire};

pub fn router(version: Version) -> Router<AppState> {
    let prefix = version.prefix();
    let mut router = Router::new();
    router = router
        .route(&format!("{prefix}/jobs"), get(list_jobs))
        .route(&format!("{prefix}/jobs/{{job_id}}"), get(get_job));
    if version.has_sessions_of_job() {
        router = router.route(
            &format!("{prefix}/jobs/{{job_id}}/jobsessions"),
            get(list_job_sessions),
        );
    }
    if version.has_job_action_body() {
        router = router.route(
            &format!("{prefix}/jobs/{{job_id}}/action"),
            post(job_action),
        );
    }
    if version.has_job_action_paths() {
        router = router
            .route(&format!("{prefix}/jobs/{{job_id}}/start"), post(start_job))
            .route(&format!("{prefix}/jobs/{{job_id}}/stop"), post(stop_job))
            .route(
                &format!("{prefix}/jobs/{{job_id}}/enable"),
                post(enable_job),
            )
            .route(
                &format!("{prefix}/jobs/{{job_id}}/disable"),
                post(disable_job),
            );
    }
    router
}

async fn list_jobs(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    Ok(state.world.read(|world| {
        let jobs = world.jobs.iter().map(|job| (job, world.job_summary(job)));
        wire::v3::jobs(&context(&state, &host, version), jobs, paging, "/Jobs")
    }))
}

async fn get_job(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    state.world.read(|world| {
        let job = world
            .job(&job_id)
            .ok_or_else(|| not_found("Job", &job_id))?;
        Ok(wire::v3::job(
            &context(&state, &host, version),
            job,
            world.job_summary(job),
        ))
    })
}

async fn list_job_sessions(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(job_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    let paging = Paging::from_query(query.as_deref())?;
    let mut filter = wire::query::session_filter(version, query.as_deref())?;
    filter.job_id = Some(job_id);
    if state.world.read(|world| world.job(&job_id).is_none()) {
        return Err(not_found("Job", &job_id));
    }
    let collection = format!("/Jobs/{job_id}/JobSessions");
    Ok(render_sessions(
        &state,
        version,
        &host,
        paging,
        filter,
        &collection,
    ))
}

/// What a job action asks for: `{"start": null}` up to v5, the path's last segment from v6.
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
    version: Version,
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
    act(&state, job_id, action)?;
    Ok(wire::job_action_done(version))
}

/// Applies an action under the write lock; 404 for an unknown job, 400 when refused.
/// Returns the session a start created.
fn act(state: &AppState, job_id: Uuid, action: JobAction) -> Result<Option<Uuid>, ApiError> {
    let now = state.clock.now();
    state.world.write(|world| {
        world
            .job(&job_id)
            .ok_or_else(|| not_found("Job", &job_id))?;
        apply(world, job_id, action, now).map_err(|error| ApiError::BadRequest(error.to_string()))
    })
}

fn apply(
    world: &mut World,
    job_id: Uuid,
    action: JobAction,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Uuid>, JobActionError> {
    match action {
        JobAction::Start => world.start_job(job_id, now, None).map(Some),
        JobAction::Stop => world.stop_job(job_id, now).map(|_| None),
        JobAction::Enable => world.set_job_enabled(job_id, true).map(|()| None),
        JobAction::Disable => world.set_job_enabled(job_id, false).map(|()| None),
    }
}

async fn start_job(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let job_id = parse_id(&job_id, "job")?;
    let started = act(&state, job_id, JobAction::Start)?;
    Ok(state
        .world
        .read(|world| match started.and_then(|id| world.session(&id)) {
            Some(record) => wire::job_started(
                &context(&state, &host, version),
                &record.session,
                extras(world, record),
            ),
            None => wire::job_action_done(version),
        }))
}

async fn act_by_path(
    state: &AppState,
    version: Version,
    job_id: &str,
    action: JobAction,
) -> Result<Response, ApiError> {
    let job_id = parse_id(job_id, "job")?;
    act(state, job_id, action)?;
    Ok(wire::job_action_done(version))
}

async fn stop_job(
    State(state): State<AppState>,
    version: Version,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    act_by_path(&state, version, &job_id, JobAction::Stop).await
}

async fn enable_job(
    State(state): State<AppState>,
    version: Version,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    act_by_path(&state, version, &job_id, JobAction::Enable).await
}

async fn disable_job(
    State(state): State<AppState>,
    version: Version,
    PathParams(job_id): PathParams<String>,
) -> Result<Response, ApiError> {
    act_by_path(&state, version, &job_id, JobAction::Disable).await
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

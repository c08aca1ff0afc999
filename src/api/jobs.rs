//! `/Jobs`: backup jobs, their sessions, and the start/stop/enable/disable actions (a body
//! sent to `/Action` up to v5, one path per action from v6).

use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::sessions::render_sessions;
use super::{Body, Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, Job, SessionFilter};
use crate::sim::{self, JobActionError, Runs};
use crate::store::World;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/Jobs", list_jobs)
        .get("/Jobs/{jobId}", get_job)
        .when(version.has_sessions_of_job(), |routes| {
            routes.get("/Jobs/{jobId}/JobSessions", list_job_sessions)
        })
        .when(version.has_job_action_body(), |routes| {
            routes.post("/Jobs/{jobId}/Action", job_action)
        })
        .when(version.has_job_action_paths(), |routes| {
            routes
                .post("/Jobs/{jobId}/start", start_job)
                .post("/Jobs/{jobId}/stop", stop_job)
                .post("/Jobs/{jobId}/enable", enable_job)
                .post("/Jobs/{jobId}/disable", disable_job)
        })
}

async fn list_jobs(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| {
        let jobs = world.jobs.iter().map(|job| (job, world.job_summary(job)));
        wire::jobs::jobs(wire, jobs, paging, "/Jobs")
    })
}

async fn get_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let job = world.find(&id)?;
        Ok(wire::jobs::job(wire, job, world.job_summary(job)))
    })
}

async fn list_job_sessions(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<SessionFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| world.find(&id).map(|_| ()))?;
    let filter = SessionFilter {
        job_id: Some(*id),
        ..filter
    };
    let collection = format!("/Jobs/{id}/JobSessions");
    Ok(render_sessions(&cx, paging, filter, &collection))
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

impl From<JobActionError> for ApiError {
    /// An unknown job is a 404; a refused action, the service's 400 with its reason.
    fn from(error: JobActionError) -> Self {
        match error {
            JobActionError::UnknownJob(id) => Id::<Job>::new(id).not_found().into(),
            refused => Self::BadRequest(refused.to_string()),
        }
    }
}

/// `{"start": null}` and its siblings, up to v5.
async fn job_action(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let action = JobAction::from_body(&body)?;
    act(&cx, id, action)?;
    Ok(wire::job_action_done(cx.version))
}

/// Applies an action to the world and the engine's runs together. Returns the session a
/// start created.
fn act(cx: &Ctx, id: Id<Job>, action: JobAction) -> Result<Option<uuid::Uuid>, ApiError> {
    let now = cx.state.clock.now();
    let state = &cx.state;
    Ok(state.engine.with_world(&state.world, |world, runs| {
        apply(world, runs, *id, action, now)
    })?)
}

fn apply(
    world: &mut World,
    runs: &mut Runs,
    job_id: uuid::Uuid,
    action: JobAction,
    now: DateTime<Utc>,
) -> Result<Option<uuid::Uuid>, JobActionError> {
    match action {
        JobAction::Start => sim::start_job(world, runs, job_id, now, None).map(Some),
        JobAction::Stop => sim::stop_job(world, runs, job_id, now).map(|_| None),
        JobAction::Enable | JobAction::Disable => {
            if world.set_job_enabled(job_id, action == JobAction::Enable) {
                Ok(None)
            } else {
                Err(JobActionError::UnknownJob(job_id))
            }
        }
    }
}

/// v8 answers a start with the new session; earlier versions with an empty 204.
async fn start_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    let started = act(&cx, id, JobAction::Start)?;
    Ok(cx.read(
        |world, wire| match started.and_then(|id| world.session(&id)) {
            Some(record) => wire::job_started(wire, &record.session, world.session_extras(record)),
            None => wire::job_action_done(cx.version),
        },
    ))
}

async fn stop_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Stop)?;
    Ok(wire::job_action_done(cx.version))
}

async fn enable_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Enable)?;
    Ok(wire::job_action_done(cx.version))
}

async fn disable_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Disable)?;
    Ok(wire::job_action_done(cx.version))
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

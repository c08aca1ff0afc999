//! `/CopyJobs` (v6 on): backup copy jobs, the backup job each belongs to, and their
//! start/stop/enable/disable actions; `/Jobs/{jobId}/CopyJob` finds a job's copy job.
//! Their sessions are job sessions of `jobType` Copy, which the engine runs like a
//! backup job's.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{CopyJob, CopyJobFilter, Id, Job};
use crate::sim::{self, JobActionError};
use crate::wire::copy_job_requests::CopyJobRequest;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_copy_jobs(), |routes| {
        routes
            .get("/CopyJobs", list_copy_jobs)
            .post("/CopyJobs", create_copy_job)
            .get("/CopyJobs/{id}", get_copy_job)
            .put("/CopyJobs/{id}", edit_copy_job)
            .delete("/CopyJobs/{id}", delete_copy_job)
            .get("/CopyJobs/{id}/BackupJob", get_backup_job)
            .post("/CopyJobs/{id}/start", start_copy_job)
            .post("/CopyJobs/{id}/stop", stop_copy_job)
            .post("/CopyJobs/{id}/enable", enable_copy_job)
            .post("/CopyJobs/{id}/disable", disable_copy_job)
            .get("/Jobs/{jobId}/CopyJob", get_copy_job_of_job)
    })
}

async fn list_copy_jobs(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<CopyJobFilter>,
) -> Response {
    cx.read(|world, wire| {
        let views = world
            .copy_jobs
            .iter()
            .map(|copy_job| world.copy_job_view(copy_job, cx.now()))
            .filter(|view| filter.matches(view.copy_job, view.organization_id.copied()));
        wire::copy_jobs::copy_jobs(wire, views, paging)
    })
}

async fn get_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let copy_job = world.find(&id)?;
        Ok(wire::copy_jobs::copy_job(
            wire,
            world.copy_job_view(copy_job, cx.now()),
        ))
    })
}

/// The copy job of a backup job; a job without one answers 404 in the copy job's words.
async fn get_copy_job_of_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let job = world.find(&id)?;
        let copy_job = world.copy_job_of(job.id).ok_or_else(|| {
            ApiError::NotFound(format!("Job '{}' has no backup copy job.", job.name))
        })?;
        Ok(wire::copy_jobs::copy_job(
            wire,
            world.copy_job_view(copy_job, cx.now()),
        ))
    })
}

async fn get_backup_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let copy_job = world.find(&id)?;
        let job = world.find(&Id::<Job>::new(copy_job.backup_job_id))?;
        Ok(wire::jobs::job(wire, world.job_view(job, cx.now())))
    })
}

/// v6 and v7 answer a create with 200, v8 with 201.
async fn create_copy_job(
    cx: Ctx,
    JsonBody(request): JsonBody<CopyJobRequest>,
) -> Result<Response, ApiError> {
    let id = cx.state.world.write(|world| {
        let change = request.into_change(None)?;
        let id = world.next_id();
        world.create_copy_job(id, change)?;
        Ok::<_, ApiError>(id)
    })?;
    let response = cx.read(|world, wire| {
        let copy_job = world.find(&Id::<CopyJob>::new(id))?;
        Ok::<_, ApiError>(wire::copy_jobs::copy_job(
            wire,
            world.copy_job_view(copy_job, cx.now()),
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

async fn edit_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
    JsonBody(request): JsonBody<CopyJobRequest>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        let current = world.find(&id)?.schedule;
        let change = request.into_change(Some(&current))?;
        world.edit_copy_job(*id, change)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.delete_stopped_copy_job(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Maps an action's refusal: the copy job was looked up first, so what is left is a 400.
fn refused(id: Id<CopyJob>, error: JobActionError) -> ApiError {
    match error {
        JobActionError::UnknownJob(_) => id.not_found().into(),
        refused => ApiError::BadRequest(refused.to_string()),
    }
}

/// Starts a copy job now: a session the engine runs like a backup job's. v8 answers with
/// the new session, earlier versions with 204.
async fn start_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    let now = cx.now();
    let state = &cx.state;
    let started = state.engine.with_world(&state.world, |world, runs| {
        world.find(&id)?;
        sim::start_job(world, runs, *id, now, None).map_err(|error| refused(id, error))
    })?;
    Ok(cx.read(|world, wire| match world.session(&started) {
        Some(record) => wire::job_started(wire, &record.session, world.session_extras(record)),
        None => wire::job_action_done(cx.version),
    }))
}

async fn stop_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    let now = cx.now();
    let state = &cx.state;
    state.engine.with_world(&state.world, |world, runs| {
        world.find(&id)?;
        sim::stop_job(world, runs, *id, now).map_err(|error| refused(id, error))
    })?;
    Ok(wire::job_action_done(cx.version))
}

async fn enable_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    set_enabled(&cx, id, true)
}

async fn disable_copy_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<CopyJob>>,
) -> Result<Response, ApiError> {
    set_enabled(&cx, id, false)
}

/// A disabled copy job runs neither on its schedule nor after its backup job; a running
/// session is left to finish.
fn set_enabled(cx: &Ctx, id: Id<CopyJob>, enabled: bool) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        if world.set_copy_job_enabled(*id, enabled) {
            Ok(())
        } else {
            Err(ApiError::from(id.not_found()))
        }
    })?;
    Ok(wire::job_action_done(cx.version))
}

//! The sessions that work on repositories: `POST /BackupRepositories/{id}/Sync` and
//! `/RepositorySynchronizeSessions` (v6 on), `POST /BackupRepositories/{id}/changeOwner`
//! and `/RepositoryOwnerChangeSessions` (v8). They move on with the clock.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{BackupRepository, Id, OwnerChange, OwnerChangeOptions, RepositorySync};
use crate::sim;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version.has_infrastructure_paths(), |routes| {
            routes
                .post("/BackupRepositories/{repositoryId}/Sync", sync_repository)
                .get("/RepositorySynchronizeSessions", list_syncs)
                .get("/RepositorySynchronizeSessions/{sessionId}", get_sync)
                .post(
                    "/RepositorySynchronizeSessions/{sessionId}/StopSynchronize",
                    stop_sync,
                )
        })
        .when(version.has_proxy_pools(), |routes| {
            routes
                .post(
                    "/BackupRepositories/{repositoryId}/changeOwner",
                    change_owner,
                )
                .get("/RepositoryOwnerChangeSessions", list_owner_changes)
                .get(
                    "/RepositoryOwnerChangeSessions/{sessionId}",
                    get_owner_change,
                )
                .post(
                    "/RepositoryOwnerChangeSessions/{sessionId}/Stop",
                    stop_owner_change,
                )
        })
}

/// Starts synchronizing an object storage repository's cache; 200 with the session.
async fn sync_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let session = cx.state.world.write(|world| {
        let session = world.next_id();
        world.sync_repository(*id, session, now).map(|_| session)
    })?;
    cx.read(|world, wire| {
        let sync = world.find(&Id::<RepositorySync>::new(session))?;
        Ok(wire::repository_sessions::sync(wire, sync, now))
    })
}

async fn list_syncs(cx: Ctx) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        wire::repository_sessions::syncs(wire, world.repository_syncs.iter().rev(), now)
    })
}

async fn get_sync(
    cx: Ctx,
    PathParams(id): PathParams<Id<RepositorySync>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| Ok(wire::repository_sessions::sync(wire, world.find(&id)?, now)))
}

async fn stop_sync(
    cx: Ctx,
    PathParams(id): PathParams<Id<RepositorySync>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.stop_repository_sync(*id, now))?;
    Ok(wire::infrastructure::written(cx.version))
}

/// Moves a repository (with the others of its owner, if asked) to a proxy or a pool: 200
/// with the session. Jobs writing to them are stopped first when the request says so;
/// otherwise they refuse the move.
async fn change_owner(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
    Query(options): Query<OwnerChangeOptions>,
) -> Result<Response, ApiError> {
    let now = cx.now();
    let at = now.fixed_offset();
    let state = &cx.state;
    let session = state.engine.with_world(&state.world, |world, runs| {
        let plan = world.plan_owner_change(*id, &options, &world.running_jobs(), at)?;
        for job in &plan.jobs_to_stop {
            sim::stop_job(world, runs, *job, now)?;
        }
        let session = world.next_id();
        world.start_owner_change(plan, &options, session, at);
        Ok::<_, ApiError>(session)
    })?;
    cx.read(|world, _| {
        let change = world.find(&Id::<OwnerChange>::new(session))?;
        Ok(wire::repository_sessions::owner_change(change, at))
    })
}

async fn list_owner_changes(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        wire::repository_sessions::owner_changes(
            wire,
            world.owner_changes.iter().rev(),
            paging,
            now,
        )
    })
}

async fn get_owner_change(
    cx: Ctx,
    PathParams(id): PathParams<Id<OwnerChange>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.read(|world, _| {
        Ok(wire::repository_sessions::owner_change(
            world.find(&id)?,
            now,
        ))
    })
}

/// Stops a running owner change; its repositories go back to where they were.
async fn stop_owner_change(
    cx: Ctx,
    PathParams(id): PathParams<Id<OwnerChange>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.stop_owner_change(*id, now))?;
    Ok(wire::infrastructure::written(cx.version))
}

//! Restore: restore points, explores that open restore sessions on them, stopping and
//! counting sessions, and browsing the mailboxes of an Exchange session (v6 on).

use axum::response::Response;
use uuid::Uuid;

use super::{Body, Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    BackupRepository, Explore, Id, Job, Organization, OrganizationParameter, RestoreKind,
    RestorePointFilter, RestoreScope, RestoreSession,
};
use crate::wire::restore::ExploreRequest;
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version >= Version::V6, |routes| {
        routes
            .get("/RestorePoints", list_restore_points)
            .get("/RestorePoints/{restorePointId}", get_restore_point)
            .post(
                "/Organizations/{organizationId}/explore",
                explore_organization,
            )
            .post("/Organization/Explore", explore_own_organization)
            .post("/Jobs/{jobId}/explore", explore_job)
            .post("/RestoreSessions/{restoreSessionId}/Stop", stop)
            .when(version >= Version::V7, |routes| {
                routes.post(
                    "/BackupRepositories/{repositoryId}/explore",
                    explore_repository,
                )
            })
            .when(version >= Version::V8, |routes| {
                routes.get(
                    "/RestoreSessions/{restoreSessionId}/Statistics",
                    get_statistics,
                )
            })
    })
}

async fn list_restore_points(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<RestorePointFilter>,
) -> Response {
    cx.read(|world, wire| {
        let mut points: Vec<_> = world
            .restore_points()
            .filter(|point| filter.matches(point))
            .collect();
        points.sort_by_key(|point| point.backup_time);
        if filter.newest_first {
            points.reverse();
        }
        let page = paging.info(points.len(), "/RestorePoints");
        wire::restore::restore_points(wire, &points, page, paging)
    })
}

async fn get_restore_point(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestorePoint>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let point = world
            .restore_points()
            .find(|point| point.id == *id)
            .ok_or_else(|| id.not_found())?;
        Ok(wire::restore::restore_point(wire, point))
    })
}

/// The name restore points go by in messages.
pub struct RestorePoint;

impl crate::model::Named for RestorePoint {
    const NAME: &'static str = "Restore point";
}

/// Opens a restore session and answers it: 200 up to v7, 201 in v8.
fn explore(
    cx: &Ctx,
    organization_id: Uuid,
    scope: RestoreScope,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: ExploreRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ExploreRequest::default()
    } else {
        wire::body::read(body)?
    };
    let now = cx.now().fixed_offset();
    let explore = Explore {
        organization_id,
        scope,
        kind: request.kind.unwrap_or(RestoreKind::Vex),
        point_in_time: request.date_time,
    };
    let id = cx.state.world.write(|world| {
        let id = world.next_id();
        world.explore(id, explore, now, "admin").map(|_| id)
    })?;
    let response = cx.read(|world, wire| {
        let session = world.find(&Id::<RestoreSession>::new(id))?;
        let organization = world.organization_name(&session.organization_id);
        Ok::<_, ApiError>(wire::restore_sessions::restore_session(
            wire,
            session,
            organization,
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

async fn explore_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    explore(&cx, *id, RestoreScope::Organization, &body)
}

/// The signed-in account's organization: the emulator's accounts are the server's
/// administrators, so the first organization, as `GET /Organization` answers.
async fn explore_own_organization(cx: Ctx, Body(body): Body) -> Result<Response, ApiError> {
    let organization = cx
        .read(|world, _| {
            world
                .organizations
                .first()
                .map(|organization| organization.id)
        })
        .ok_or_else(|| {
            ApiError::NotFound("No organization has been added to the server.".to_owned())
        })?;
    explore(&cx, organization, RestoreScope::Organization, &body)
}

async fn explore_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let organization = cx.read(|world, _| world.find(&id).map(|job| job.organization_id))?;
    explore(&cx, organization, RestoreScope::Job(*id), &body)
}

/// A repository holds the backups of several organizations: `organizationId` names the
/// one to explore, or the first the repository holds.
async fn explore_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
    Query(organization): Query<OrganizationParameter>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let organization = cx.read(|world, _| {
        world.find(&id)?;
        organization
            .organization_id
            .or_else(|| {
                world
                    .jobs
                    .iter()
                    .find(|job| job.repository_id == *id)
                    .map(|job| job.organization_id)
            })
            .ok_or_else(|| {
                ApiError::BadRequest("The repository holds no organization's backups.".to_owned())
            })
    })?;
    explore(&cx, organization, RestoreScope::Repository(*id), &body)
}

/// Ends a session: 200 up to v7, 204 in v8.
async fn stop(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.stop_restore_session(*id, now))?;
    Ok(wire::infrastructure::written(cx.version))
}

async fn get_statistics(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::restore::statistics(world.find(&id)?)))
}

//! Restore: restore points, explores (an administrator's, a restore operator's) that open
//! restore sessions on them, stopping and counting sessions (v6 on).

use axum::http::HeaderMap;
use axum::response::Response;
use uuid::Uuid;

use super::logged_in::login;
use super::restore_actions::{optional_body, outside_operator_scope};
use super::{Body, Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    BackupRepository, DirectoryObject, EffectiveScope, Explore, Id, Job, Organization,
    OrganizationParameter, RestoreKind, RestorePointFilter, RestoreScope, RestoreSession,
};
use crate::store::World;
use crate::wire::access_requests::RoleItemRequest;
use crate::wire::restore::{ExploreRequest, OperatorExploreRequest};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version.has_restore_actions(), |routes| {
            routes
                .post(
                    "/Organizations/{organizationId}/Action",
                    organization_action,
                )
                .post("/Organization/Action", own_organization_action)
                .post(
                    "/RestoreSessions/{restoreSessionId}/Action",
                    restore_session_action,
                )
        })
        .when(version.has_restore_paths(), |routes| {
            routes
                .get("/RestorePoints", list_restore_points)
                .get("/RestorePoints/{restorePointId}", get_restore_point)
                .post(
                    "/Organizations/{organizationId}/explore",
                    explore_organization,
                )
                .post("/Organization/Explore", explore_own_organization)
                .post("/Organization/OperatorExplore", operator_explore)
                .post("/Jobs/{jobId}/explore", explore_job)
                .post("/RestoreSessions/{restoreSessionId}/Stop", stop)
                .when(version.has_repository_explore(), |routes| {
                    routes.post(
                        "/BackupRepositories/{repositoryId}/explore",
                        explore_repository,
                    )
                })
                .when(version.has_restore_statistics(), |routes| {
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

/// The explore options a v6+ body holds; none is the newest point, Exchange.
fn explore_options(body: &[u8]) -> Result<ExploreRequest, ApiError> {
    Ok(if body.iter().all(u8::is_ascii_whitespace) {
        ExploreRequest::default()
    } else {
        wire::body::read(body)?
    })
}

/// The explore options of a v3..v5 `{"explore": {...}}` body; `{"explore": null}` takes
/// the defaults.
fn explore_action(body: &[u8]) -> Result<ExploreRequest, ApiError> {
    let (_, options) = wire::body::action(
        body,
        &[("explore", ())],
        r#"{"explore":{"datetime":...,"type":...}}"#,
    )?;
    explore_argument(options)
}

/// The argument of an `explore` action: v3..v5 document the Exchange, OneDrive and
/// SharePoint Explorers for it, Teams (`Vet`) only the v6 explores.
pub(super) fn explore_argument(options: serde_json::Value) -> Result<ExploreRequest, ApiError> {
    if options.is_null() {
        return Ok(ExploreRequest::default());
    }
    let request: ExploreRequest = wire::body::read_value(options)?;
    if request.kind == Some(RestoreKind::Vet) {
        return Err(ApiError::BadRequest(
            "The explore action opens Vex, Veod or Vesp restore sessions.".to_owned(),
        ));
    }
    Ok(request)
}

/// Opens a restore session and answers it.
pub(super) fn explore(
    cx: &Ctx,
    organization_id: Uuid,
    scope: RestoreScope,
    request: ExploreRequest,
) -> Result<Response, ApiError> {
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
    opened(cx, id)
}

/// Answers the session an explore just opened.
fn opened(cx: &Ctx, id: Uuid) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let session = world.find(&Id::<RestoreSession>::new(id))?;
        let organization = world.organization_name(&session.organization_id);
        Ok(wire::restore_sessions::opened(wire, session, organization))
    })
}

async fn explore_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    explore(
        &cx,
        *id,
        RestoreScope::Organization,
        explore_options(&body)?,
    )
}

/// `{"explore": {...}}` on an organization, up to v5.
async fn organization_action(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    explore(&cx, *id, RestoreScope::Organization, explore_action(&body)?)
}

/// The signed-in account's organization: the emulator's accounts are the server's
/// administrators, so the first organization, as `GET /Organization` answers.
fn own_organization(cx: &Ctx) -> Result<Uuid, ApiError> {
    cx.read(|world, _| {
        world
            .organizations
            .first()
            .map(|organization| organization.id)
    })
    .ok_or_else(|| ApiError::NotFound("No organization has been added to the server.".to_owned()))
}

async fn explore_own_organization(cx: Ctx, Body(body): Body) -> Result<Response, ApiError> {
    let organization = own_organization(&cx)?;
    explore(
        &cx,
        organization,
        RestoreScope::Organization,
        explore_options(&body)?,
    )
}

/// `{"explore": {...}}` on the signed-in tenant's organization, up to v5.
async fn own_organization_action(cx: Ctx, Body(body): Body) -> Result<Response, ApiError> {
    let options = explore_action(&body)?;
    let organization = own_organization(&cx)?;
    explore(&cx, organization, RestoreScope::Organization, options)
}

/// A restore operator's explore: a session on their organization's backups that shows only
/// what their roles let them restore, or the one object of it the request names. Someone
/// no role makes an operator is refused.
async fn operator_explore(
    cx: Ctx,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: OperatorExploreRequest = optional_body(&body)?;
    let narrowed_to = request
        .scope
        .map(RoleItemRequest::into_object)
        .transpose()?;
    let login = login(&cx, &headers);
    let now = cx.now().fixed_offset();
    let id = cx.state.world.write(|world| {
        let (organization_id, allowed, operator) = {
            let user = world.logged_in(&login);
            let scope = world.effective_scope(&user);
            let organization_id = *scope.organizations.first().ok_or_else(|| {
                ApiError::Forbidden(format!(
                    "Access denied: '{}' is not a restore operator. Use Organization/Explore to restore as an administrator.",
                    user.name
                ))
            })?;
            let allowed = operator_objects(world, &scope, narrowed_to)?;
            (organization_id, allowed, user.name.to_owned())
        };
        let scope = match request.repository_id {
            Some(repository) => {
                world.find(&Id::<BackupRepository>::new(repository))?;
                RestoreScope::Repository(repository)
            }
            None => RestoreScope::Organization,
        };
        let explore = Explore {
            organization_id,
            scope,
            kind: request.kind.unwrap_or(RestoreKind::Vex),
            point_in_time: request.date_time,
        };
        let id = world.next_id();
        let reason = request.reason.unwrap_or_default();
        world.operator_explore(id, explore, now, (&operator, reason), allowed)?;
        Ok::<_, ApiError>(id)
    })?;
    opened(&cx, id)
}

/// The users, sites and teams an operator's session shows: their whole scope, or the
/// object of it (a group: its members in the scope) the explore names.
fn operator_objects(
    world: &World,
    scope: &EffectiveScope<'_>,
    narrowed_to: Option<DirectoryObject>,
) -> Result<Vec<Uuid>, ApiError> {
    let Some(object) = narrowed_to else {
        return Ok(scope
            .users
            .iter()
            .map(|user| user.id)
            .chain(scope.sites.iter().map(|site| site.id))
            .chain(scope.teams.iter().map(|team| team.id))
            .collect());
    };
    let allowed: Vec<Uuid> = match object {
        DirectoryObject::Group(id) => world
            .groups
            .iter()
            .filter(|group| group.id == id)
            .flat_map(|group| {
                scope
                    .users
                    .iter()
                    .filter(|user| group.has_member(user))
                    .map(|user| user.id)
            })
            .collect(),
        other => Some(other.id())
            .filter(|id| scope.holds(*id))
            .into_iter()
            .collect(),
    };
    if allowed.is_empty() {
        return Err(outside_operator_scope("object", &object.id().to_string()));
    }
    Ok(allowed)
}

async fn explore_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    explore_job_backups(&cx, id, explore_options(&body)?)
}

/// Opens a session on what a job backed up.
pub(super) fn explore_job_backups(
    cx: &Ctx,
    id: Id<Job>,
    options: ExploreRequest,
) -> Result<Response, ApiError> {
    let organization = cx.read(|world, _| world.find(&id).map(|job| job.organization_id))?;
    explore(cx, organization, RestoreScope::Job(*id), options)
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
    explore(
        &cx,
        organization,
        RestoreScope::Repository(*id),
        explore_options(&body)?,
    )
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

/// `{"stop": null}` on a restore session, up to v5: 200 with no body.
async fn restore_session_action(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    wire::body::action(&body, &[("stop", ())], r#"{"stop":null}"#)?;
    stop(cx, PathParams(id)).await
}

async fn get_statistics(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::restore::statistics(world.find(&id)?)))
}

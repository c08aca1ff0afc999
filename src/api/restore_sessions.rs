//! `/RestoreSessions`: Explorer restore sessions and their events, paged, newest first, the
//! organization whose backups a session shows, and the device code a restore signs in with.

use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, Organization, RestoreSession};
use crate::wire::azure::DeviceCodeOptionsRequest;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version.has_azure_service_accounts(), |routes| {
            routes.post(
                "/RestoreSessions/{restoreSessionId}/organization/restoreDeviceCode",
                restore_device_code,
            )
        })
        .get("/RestoreSessions", list_restore_sessions)
        .get("/RestoreSessions/{restoreSessionId}", get_restore_session)
        .get(
            "/RestoreSessions/{restoreSessionId}/Events",
            list_restore_events,
        )
        .when(version.has_backed_up_organization(), |routes| {
            routes.get(
                "/RestoreSessions/{restoreSessionId}/organization",
                get_backup_organization,
            )
        })
}

async fn list_restore_sessions(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| {
        let sessions = paging
            .slice_newest_first(&world.restore_sessions)
            .map(|session| (session, world.organization_name(&session.organization_id)));
        let page = paging.info(world.restore_sessions.len(), "/RestoreSessions");
        wire::restore_sessions::restore_sessions(wire, sessions, page)
    })
}

async fn get_restore_session(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let session = world.find(&id)?;
        let organization = world.organization_name(&session.organization_id);
        Ok(wire::restore_sessions::restore_session(
            wire,
            session,
            organization,
        ))
    })
}

async fn list_restore_events(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/Events");
    cx.read(|world, wire| {
        let session = world.find(&id)?;
        let page = paging.info(session.events.len(), &collection);
        Ok(wire::restore_sessions::restore_events(
            wire,
            session,
            paging.slice(&session.events),
            paging.offset,
            page,
        ))
    })
}

/// A device code to sign in to the session's organization with, for a restore that is
/// not to use the organization's own account.
async fn restore_device_code(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
    JsonBody(request): JsonBody<DeviceCodeOptionsRequest>,
) -> Result<Response, ApiError> {
    request.check()?;
    let now = cx.now().fixed_offset();
    let code = cx.state.world.write(|world| {
        world.find(&id)?;
        Ok::<_, ApiError>(world.issue_device_code(now))
    })?;
    Ok(wire::azure::device_code(&code))
}

/// The organization whose backups a session shows (v6 on).
async fn get_backup_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let session = world.find(&id)?;
        let organization = world.find(&Id::<Organization>::new(session.organization_id))?;
        Ok(wire::restore_sessions::backup_organization(
            wire,
            &id,
            organization,
        ))
    })
}

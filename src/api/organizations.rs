//! `/Organizations`: the tenants the server backs up, their jobs and their licensing.

use axum::response::Response;

use axum::http::StatusCode;

use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, Organization};
use crate::wire::organization_requests::{
    DeviceCodeCheck, OrganizationRequest, SyncRequest, VersionBackupRequest,
};
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/Organizations", list_organizations)
        .get("/Organizations/{organizationId}", get_organization)
        .get(
            "/Organizations/{organizationId}/LicensingInformation",
            get_licensing_information,
        )
        .get(
            "/Organizations/{organizationId}/usedRepositories",
            list_used_repositories,
        )
        .post("/Organizations", add_organization)
        .put("/Organizations/{organizationId}", edit_organization)
        .delete("/Organizations/{organizationId}", remove_organization)
        .when(version >= Version::V6, |routes| {
            routes
                .get("/Organization", get_logged_in_organization)
                .post("/DeviceCode", device_code)
                .post("/DeviceCode/check", check_device_code)
        })
        .when(version >= Version::V7, |routes| {
            routes
                .get("/Organizations/{organizationId}/SyncState", get_sync_state)
                .post("/Organizations/{organizationId}/Sync", sync)
        })
        .when(version >= Version::V8, |routes| {
            routes
                .get("/Organizations/SyncState", list_sync_states)
                .get(
                    "/Organizations/{organizationId}/tenantInformation",
                    get_tenant_information,
                )
                .get(
                    "/Organizations/{organizationId}/versionBackupOptions",
                    get_version_backup_options,
                )
                .put(
                    "/Organizations/{organizationId}/versionBackupOptions",
                    set_version_backup_options,
                )
        })
        .when(version.has_organization_jobs(), |routes| {
            routes.get(
                "/Organizations/{organizationId}/Jobs",
                list_organization_jobs,
            )
        })
}

async fn list_organizations(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| {
        let organizations = world
            .organizations
            .iter()
            .map(|organization| (organization, world.organization_backups(organization.id)));
        wire::organizations::organizations(wire, organizations, paging)
    })
}

async fn get_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let organization = world.find(&id)?;
        let span = world.organization_backups(*id);
        Ok(wire::organizations::organization(wire, organization, span))
    })
}

/// An array in every version that has it; v8 removed the route.
async fn list_organization_jobs(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let jobs = world
            .organization_jobs(*id)
            .map(|job| world.job_view(job, cx.now()));
        let collection = format!("/Organizations/{id}/Jobs");
        Ok(wire::jobs::jobs(wire, jobs, Paging::default(), &collection))
    })
}

async fn get_licensing_information(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        world.find(&id)?;
        Ok(wire::organizations::licensing_information(
            world.licensing(*id),
        ))
    })
}

async fn list_used_repositories(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/Organizations/{id}/usedRepositories");
    cx.read(|world, wire| {
        let usages = world.organization_repository_usage(world.find(&id)?);
        let page = paging.info(usages.len(), &collection);
        Ok(wire::organizations::used_repositories(
            wire, &usages, page, paging,
        ))
    })
}

/// Adds an organization: 200 with it up to v7, 201 in v8. The credentials are taken as
/// given, but a device code (`userCode`) must be one handed out that has not expired; it
/// signs in once. Nothing signs in to Microsoft 365.
async fn add_organization(
    cx: Ctx,
    JsonBody(request): JsonBody<OrganizationRequest>,
) -> Result<Response, ApiError> {
    let user_code = request.user_code();
    let change = request.into_change()?;
    let now = cx.now().fixed_offset();
    let id = cx.state.world.write(|world| {
        if let Some(code) = &user_code {
            world.check_device_code(code, now)?;
        }
        let id = world.next_id();
        world.add_organization(id, change)?;
        if let Some(code) = &user_code {
            world.use_device_code(code);
        }
        Ok::<_, ApiError>(id)
    })?;
    let response = cx.read(|world, wire| {
        let organization = world.find(&Id::<Organization>::new(id))?;
        Ok::<_, ApiError>(wire::organizations::organization(
            wire,
            organization,
            world.organization_backups(id),
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

/// Edits an organization; a device code it signs in with is checked as an add checks it.
async fn edit_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<OrganizationRequest>,
) -> Result<StatusCode, ApiError> {
    let user_code = request.user_code();
    let change = request.into_change()?;
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| {
        if let Some(code) = &user_code {
            world.check_device_code(code, now)?;
        }
        world.edit_organization(*id, change)?;
        if let Some(code) = &user_code {
            world.use_device_code(code);
        }
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_organization(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organization of the signed-in account. The emulator's accounts are the server's
/// administrators, so it answers with the first organization the server backs up.
async fn get_logged_in_organization(cx: Ctx) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let organization = world.organizations.first().ok_or_else(|| {
            ApiError::NotFound("No organization has been added to the server.".to_owned())
        })?;
        Ok(wire::organizations::logged_in(
            wire,
            organization,
            world.organization_backups(organization.id),
        ))
    })
}

async fn get_sync_state(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| Ok(wire::organizations::sync_state(wire, world.find(&id)?, now)))
}

async fn list_sync_states(cx: Ctx) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| wire::organizations::sync_states(wire, world.organizations.iter(), now))
}

/// Starts a synchronization: 200 in v7, 204 in v8; its state follows on the clock.
async fn sync(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let kind = if body.iter().all(u8::is_ascii_whitespace) {
        SyncRequest::default().kind()
    } else {
        wire::body::read::<SyncRequest>(&body)?.kind()
    };
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.sync_organization(*id, kind, now))?;
    Ok(wire::infrastructure::written(cx.version))
}

async fn get_tenant_information(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::organizations::tenant_information(world.find(&id)?)))
}

async fn get_version_backup_options(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        Ok(wire::organizations::version_backup_options(
            world.find(&id)?,
        ))
    })
}

async fn set_version_backup_options(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<VersionBackupRequest>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        world.find(&id)?;
        if let Some(mode) = request.share_point_backup_mode
            && let Some(organization) = world
                .organizations
                .iter_mut()
                .find(|organization| organization.id == *id)
        {
            organization.sharepoint_versions = mode;
        }
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// A device code to sign in to Microsoft 365 with: drawn from the world's generator, so a
/// replay gives the same one, and good until it expires on the clock.
async fn device_code(cx: Ctx) -> Response {
    let now = cx.now().fixed_offset();
    let code = cx.state.world.write(|world| world.issue_device_code(now));
    wire::azure::device_code(&code)
}

/// A code counts as signed in while it is good: there is no Microsoft 365 to finish the
/// sign-in at, so handing it out stands for the user's sign-in.
async fn check_device_code(cx: Ctx, JsonBody(check): JsonBody<DeviceCodeCheck>) -> Response {
    let now = cx.now().fixed_offset();
    let authenticated = cx
        .state
        .world
        .read(|world| world.check_device_code(&check.user_code, now).is_ok());
    wire::organizations::device_code_checked(authenticated)
}

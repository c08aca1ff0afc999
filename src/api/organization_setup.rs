//! What a client configures on one organization (v6 on): its retention exclusions, the users and groups it audits, the accounts and applications backups sign in with, and the applications of its tenant.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    ApplicationFilter, BackupApplicationChange, Id, Organization, RetentionExclusions,
};
use crate::wire::access_requests::{RemoveAuditItemsRequest, RoleItemRequest};
use crate::wire::azure::{BackupAccountRequest, BackupApplicationRequest, NewApplicationRequest};
use crate::wire::body::BodyError;
use crate::wire::infrastructure::{created, written};

use crate::wire::settings::RetentionExclusionsRequest;
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_organization_setup(), |routes| {
        routes
            .get(
                "/Organizations/{organizationId}/RetentionExclusion",
                get_retention_exclusion,
            )
            .put(
                "/Organizations/{organizationId}/RetentionExclusion",
                put_retention_exclusion,
            )
            .delete(
                "/Organizations/{organizationId}/RetentionExclusion",
                delete_retention_exclusion,
            )
            .get(
                "/Organizations/{organizationId}/AuditItems",
                list_audit_items,
            )
            .post(
                "/Organizations/{organizationId}/AuditItems",
                add_audit_items,
            )
            .post(
                "/Organizations/{organizationId}/AuditItems/remove",
                remove_audit_items,
            )
            .get(
                "/Organizations/{organizationId}/BackupAccounts",
                list_backup_accounts,
            )
            .put(
                "/Organizations/{organizationId}/BackupAccounts",
                set_backup_accounts,
            )
            .get(
                "/Organizations/{organizationId}/BackupApplications",
                list_backup_applications,
            )
            .put(
                "/Organizations/{organizationId}/BackupApplications",
                replace_backup_applications,
            )
            .get(
                "/Organizations/{organizationId}/Applications",
                list_applications,
            )
            .post(
                "/Organizations/{organizationId}/Applications",
                create_applications,
            )
            .post("/Organizations/{organizationId}/DeviceCode", device_code)
            .when(version.appends_backup_applications(), |routes| {
                routes
                    .post(
                        "/Organizations/{organizationId}/BackupApplications",
                        append_backup_applications,
                    )
                    .delete(
                        "/Organizations/{organizationId}/BackupApplications",
                        remove_backup_applications,
                    )
            })
    })
}

async fn get_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let setup = world.organization_setup(&id)?;
        Ok(wire::settings::retention_exclusions(
            &setup.retention_exclusion,
        ))
    })
}

async fn put_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<RetentionExclusionsRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        world.edit_organization_setup(*id, |_, setup| {
            setup.retention_exclusion = request.apply(&setup.retention_exclusion);
            Ok(())
        })
    })?;
    Ok(written(cx.version))
}

/// Takes every item off the list: the retention policy removes them all again.
async fn delete_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        world.edit_organization_setup(*id, |_, setup| {
            setup.retention_exclusion = RetentionExclusions::default();
            Ok(())
        })
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_audit_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let setup = world.organization_setup(&id)?;
        let objects: Vec<_> = setup
            .audit_items
            .iter()
            .filter_map(|object| world.directory_object(*object))
            .collect();
        Ok(wire::directory::audit_items(wire, &objects))
    })
}

/// Adds audited users and groups: 201 up to v7, 204 in v8, neither with a body.
async fn add_audit_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(items): JsonBody<Vec<RoleItemRequest>>,
) -> Result<StatusCode, ApiError> {
    let objects = items
        .into_iter()
        .map(RoleItemRequest::into_object)
        .collect::<Result<Vec<_>, _>>()?;
    cx.state
        .world
        .write(|world| world.add_audit_items(*id, objects))?;
    Ok(if cx.version >= Version::V8 {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    })
}

async fn remove_audit_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<RemoveAuditItemsRequest>,
) -> Result<Response, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_audit_items(*id, &request.item_ids))?;
    Ok(written(cx.version))
}

async fn list_backup_accounts(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let setup = world.organization_setup(&id)?;
        let users = setup.backup_accounts.iter().filter_map(|account| {
            world
                .organization_users(*id)
                .find(|user| user.id == account.user_id)
        });
        Ok(wire::azure::backup_accounts(wire, users))
    })
}

/// Replaces the pool of backup accounts: 200 with the pool up to v7, 201 in v8.
async fn set_backup_accounts(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(accounts): JsonBody<Vec<BackupAccountRequest>>,
) -> Result<Response, ApiError> {
    let accounts = accounts
        .into_iter()
        .map(BackupAccountRequest::into_change)
        .collect::<Result<Vec<_>, _>>()?;
    cx.state
        .world
        .write(|world| world.set_backup_accounts(*id, accounts))?;
    Ok(created(
        cx.version,
        wire::azure::account_pool(&cx.wire(), &id),
    ))
}

async fn list_backup_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/Organizations/{id}/BackupApplications");
    cx.read(|world, wire| {
        let applications = &world.organization_setup(&id)?.backup_applications;
        Ok(wire::azure::backup_applications(
            wire,
            paging.slice(applications).iter(),
            paging.info(applications.len(), &collection),
        ))
    })
}

fn backup_application_changes(
    requests: Vec<BackupApplicationRequest>,
) -> Result<Vec<BackupApplicationChange>, BodyError> {
    requests
        .into_iter()
        .map(BackupApplicationRequest::into_change)
        .collect()
}

/// Replaces the backup applications: 200 up to v7, 204 in v8.
async fn replace_backup_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(requests): JsonBody<Vec<BackupApplicationRequest>>,
) -> Result<Response, ApiError> {
    let applications = backup_application_changes(requests)?;
    cx.state
        .world
        .write(|world| world.set_backup_applications(*id, applications, false))?;
    Ok(written(cx.version))
}

/// Adds backup applications (v8): 204.
async fn append_backup_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(requests): JsonBody<Vec<BackupApplicationRequest>>,
) -> Result<StatusCode, ApiError> {
    let applications = backup_application_changes(requests)?;
    cx.state
        .world
        .write(|world| world.set_backup_applications(*id, applications, true))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes backup applications off by their application ids (v8): 204.
async fn remove_backup_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(ids): JsonBody<Vec<String>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_backup_applications(*id, &ids))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<ApplicationFilter>,
) -> Result<Response, ApiError> {
    let collection = format!("/Organizations/{id}/Applications");
    cx.read(|world, wire| {
        let applications: Vec<_> = world
            .find(&id)?
            .tenant_applications()
            .into_iter()
            .filter(|application| filter.matches(application))
            .collect();
        Ok(wire::azure::applications(
            wire,
            paging.slice(&applications).iter(),
            paging.info(applications.len(), &collection),
        ))
    })
}

/// Creates applications in the tenant with a signed-in device code; answers them as a page.
async fn create_applications(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<NewApplicationRequest>,
) -> Result<Response, ApiError> {
    let request = request.into_request()?;
    let now = cx.now().fixed_offset();
    let created = cx
        .state
        .world
        .write(|world| world.create_applications(*id, request, now))?;
    let collection = format!("/Organizations/{id}/Applications");
    let paging = Paging {
        offset: 0,
        limit: created.len(),
    };
    Ok(wire::azure::applications(
        &cx.wire(),
        created.iter(),
        paging.info(created.len(), &collection),
    ))
}

/// A device code to sign in to the organization's tenant with.
async fn device_code(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let code = cx.state.world.write(|world| {
        world.find(&id)?;
        Ok::<_, ApiError>(world.issue_device_code(now))
    })?;
    Ok(wire::azure::device_code(&code))
}

//! What a client configures on one organization (v6 on): its retention exclusions and the users and groups it audits.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Routes};
use crate::error::ApiError;
use crate::model::{Id, Organization, RetentionExclusions};
use crate::wire::access_requests::{RemoveAuditItemsRequest, RoleItemRequest};
use crate::wire::infrastructure::written;
use crate::wire::settings::RetentionExclusionsRequest;
use crate::wire::{self, Version};

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

//! `/RbacRoles` with their operators, selected and excluded items, an organization's roles,
//! and `/RestorePortalSettings`: who may restore what, and where (v6 on).

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, ItemIds, Organization, RbacRole, ResolvedObject, RoleList};
use crate::store::World;
use crate::wire::access_requests::{RoleItemRequest, RoleRequest};
use crate::wire::{self, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_restore_operators(), |routes| {
        let routes = routes
            .get("/RbacRoles", list_roles)
            .get("/RbacRoles/{roleId}", get_role)
            .put("/RbacRoles/{roleId}", edit_role)
            .delete("/RbacRoles/{roleId}", delete_role)
            .get(
                "/Organizations/{organizationId}/RbacRoles",
                list_organization_roles,
            )
            .post("/Organizations/{organizationId}/RbacRoles", create_role)
            .get("/RestorePortalSettings", get_restore_portal);
        RoleList::ALL.into_iter().fold(routes, |routes, list| {
            let path = format!("/RbacRoles/{{roleId}}/{}", list.segment());
            routes
                .get(&path, move |cx, path| list_items(cx, path, list))
                .post(&path, move |cx, path, body| add_items(cx, path, body, list))
                .delete(&path, move |cx, path, ids| {
                    remove_items(cx, path, ids, list)
                })
                .get(&format!("{path}/{{itemId}}"), move |cx, path| {
                    get_item(cx, path, list)
                })
        })
    })
}

/// Creates a role: 200 with it up to v7, 201 in v8.
async fn create_role(
    cx: Ctx,
    PathParams(organization): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<RoleRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change()?;
    let id = cx.state.world.write(|world| {
        let id = world.next_id();
        world.create_role(id, *organization, change).map(|_| id)
    })?;
    let response = cx.read(|world, wire| {
        Ok::<_, ApiError>(wire::access::role(
            wire,
            world.find(&Id::<RbacRole>::new(id))?,
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

async fn edit_role(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
    JsonBody(request): JsonBody<RoleRequest>,
) -> Result<StatusCode, ApiError> {
    let change = request.into_change()?;
    cx.state.world.write(|world| world.edit_role(*id, change))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_role(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| world.delete_role(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
    JsonBody(items): JsonBody<Vec<RoleItemRequest>>,
    list: RoleList,
) -> Result<StatusCode, ApiError> {
    let objects = items
        .into_iter()
        .map(RoleItemRequest::into_object)
        .collect::<Result<Vec<_>, _>>()?;
    cx.state
        .world
        .write(|world| world.add_role_items(*id, list, objects))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
    Query(ids): Query<ItemIds>,
    list: RoleList,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_role_items(*id, list, &ids.ids))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_roles(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::access::roles(wire, world.rbac_roles.iter()))
}

async fn list_organization_roles(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let roles = world
            .rbac_roles
            .iter()
            .filter(|role| role.organization_id == *id);
        Ok(wire::access::roles(wire, roles))
    })
}

async fn get_role(cx: Ctx, PathParams(id): PathParams<Id<RbacRole>>) -> Result<Response, ApiError> {
    cx.read(|world, wire| Ok(wire::access::role(wire, world.find(&id)?)))
}

/// The objects of one of a role's lists that the version can show.
fn resolved<'a>(
    world: &'a World,
    version: Version,
    role: &'a RbacRole,
    list: RoleList,
) -> Vec<ResolvedObject<'a>> {
    role.list(list)
        .iter()
        .filter_map(|object| world.directory_object(*object))
        .filter(|object| wire::access::can_show(version, object))
        .collect()
}

async fn list_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
    list: RoleList,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let role = world.find(&id)?;
        let objects = resolved(world, wire.version, role, list);
        Ok(wire::access::items(wire, role, list, &objects))
    })
}

/// Item ids are strings in the contract: one that names nothing in the list is a 404.
async fn get_item(
    cx: Ctx,
    PathParams((id, item_id)): PathParams<(Id<RbacRole>, String)>,
    list: RoleList,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let role = world.find(&id)?;
        let wanted = uuid::Uuid::parse_str(&item_id).ok();
        let object = resolved(world, wire.version, role, list)
            .into_iter()
            .find(|object| Some(object.id()) == wanted)
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "Role item with id '{item_id}' was not found in the role's {}.",
                    list.segment()
                ))
            })?;
        Ok(wire::access::item(wire, role, list, &object))
    })
}

async fn get_restore_portal(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::access::restore_portal(wire.version, &world.restore_portal))
}

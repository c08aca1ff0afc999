//! `/RbacRoles` with their operators, selected and excluded items, an organization's roles,
//! and `/RestorePortalSettings`: who may restore what, and where (v6 on).

use axum::response::Response;

use super::{Ctx, PathParams, Routes};
use crate::error::ApiError;
use crate::model::{DirectoryObject, Id, Organization, RbacRole, ResolvedObject};
use crate::store::World;
use crate::wire::{self, Version};

/// The lists of a role, by the path segment that names them.
const LISTS: [&str; 3] = ["operators", "selectedItems", "excludedItems"];

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_restore_operators(), |routes| {
        let routes = routes
            .get("/RbacRoles", list_roles)
            .get("/RbacRoles/{roleId}", get_role)
            .get(
                "/Organizations/{organizationId}/RbacRoles",
                list_organization_roles,
            )
            .get("/RestorePortalSettings", get_restore_portal);
        LISTS.into_iter().fold(routes, |routes, list| {
            routes
                .get(&format!("/RbacRoles/{{roleId}}/{list}"), move |cx, path| {
                    list_items(cx, path, list)
                })
                .get(
                    &format!("/RbacRoles/{{roleId}}/{list}/{{itemId}}"),
                    move |cx, path| get_item(cx, path, list),
                )
        })
    })
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
    list: &str,
) -> Vec<ResolvedObject<'a>> {
    let objects: &[DirectoryObject] = match list {
        "operators" => &role.operators,
        "selectedItems" => &role.selected_items,
        _ => &role.excluded_items,
    };
    objects
        .iter()
        .filter_map(|object| world.directory_object(*object))
        .filter(|object| wire::access::can_show(version, object))
        .collect()
}

async fn list_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<RbacRole>>,
    list: &'static str,
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
    list: &'static str,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let role = world.find(&id)?;
        let wanted = uuid::Uuid::parse_str(&item_id).ok();
        let object = resolved(world, wire.version, role, list)
            .into_iter()
            .find(|object| Some(object.id()) == wanted)
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "Role item with id '{item_id}' was not found in the role's {list}."
                ))
            })?;
        Ok(wire::access::item(wire, role, list, &object))
    })
}

async fn get_restore_portal(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::access::restore_portal(wire.version, &world.restore_portal))
}

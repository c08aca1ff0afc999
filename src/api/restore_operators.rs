//! `/RbacRoles` with their operators, selected and excluded items, an organization's roles,
//! and `/RestorePortalSettings`: who may restore what, and where (v6 on).

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::{PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::model::{DirectoryObject, RbacRole};
use crate::store::{ResolvedObject, World};
use crate::wire::{self, Version};

/// The lists of a role, by the path segment that names them (canonical paths are lower-case).
const LISTS: [(&str, &str); 3] = [
    ("operators", "operators"),
    ("selecteditems", "selectedItems"),
    ("excludeditems", "excludedItems"),
];

pub fn router(version: Version) -> Router<AppState> {
    let prefix = version.prefix();
    let mut router = Router::new()
        .route(&format!("{prefix}/rbacroles"), get(list_roles))
        .route(&format!("{prefix}/rbacroles/{{role_id}}"), get(get_role))
        .route(
            &format!("{prefix}/organizations/{{organization_id}}/rbacroles"),
            get(list_organization_roles),
        )
        .route(
            &format!("{prefix}/restoreportalsettings"),
            get(get_restore_portal),
        );
    for (segment, list) in LISTS {
        router = router
            .route(
                &format!("{prefix}/rbacroles/{{role_id}}/{segment}"),
                get(move |state, version, host, path| list_items(state, version, host, path, list)),
            )
            .route(
                &format!("{prefix}/rbacroles/{{role_id}}/{segment}/{{item_id}}"),
                get(move |state, version, host, path| get_item(state, version, host, path, list)),
            );
    }
    router
}

async fn list_roles(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
) -> Response {
    state.world.read(|world| {
        wire::access::roles(&context(&state, &host, version), world.rbac_roles.iter())
    })
}

async fn list_organization_roles(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let organization_id = parse_id(&organization_id, "organization")?;
    state.world.read(|world| {
        world
            .organization(&organization_id)
            .ok_or_else(|| not_found("Organization", &organization_id))?;
        let roles = world
            .rbac_roles
            .iter()
            .filter(|role| role.organization_id == organization_id);
        Ok(wire::access::roles(&context(&state, &host, version), roles))
    })
}

fn find_role<'a>(world: &'a World, raw: &str) -> Result<&'a RbacRole, ApiError> {
    let id = parse_id(raw, "role")?;
    world.rbac_role(&id).ok_or_else(|| not_found("Role", &id))
}

async fn get_role(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(role_id): PathParams<String>,
) -> Result<Response, ApiError> {
    state.world.read(|world| {
        let role = find_role(world, &role_id)?;
        Ok(wire::access::role(&context(&state, &host, version), role))
    })
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
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(role_id): PathParams<String>,
    list: &'static str,
) -> Result<Response, ApiError> {
    state.world.read(|world| {
        let role = find_role(world, &role_id)?;
        let objects = resolved(world, version, role, list);
        Ok(wire::access::items(
            &context(&state, &host, version),
            role,
            list,
            &objects,
        ))
    })
}

/// Item ids are strings in the contract: one that names nothing in the list is a 404.
async fn get_item(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((role_id, item_id)): PathParams<(String, String)>,
    list: &'static str,
) -> Result<Response, ApiError> {
    state.world.read(|world| {
        let role = find_role(world, &role_id)?;
        let wanted = uuid::Uuid::parse_str(&item_id).ok();
        let object = resolved(world, version, role, list)
            .into_iter()
            .find(|object| Some(object.id()) == wanted)
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "Role item with id '{item_id}' was not found in the role's {list}."
                ))
            })?;
        Ok(wire::access::item(
            &context(&state, &host, version),
            role,
            list,
            &object,
        ))
    })
}

async fn get_restore_portal(State(state): State<AppState>, version: Version) -> Response {
    state
        .world
        .read(|world| wire::access::restore_portal(version, &world.restore_portal))
}

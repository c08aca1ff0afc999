//! `/LicensedUsers`: who holds a license, optionally for one organization or by name,
//! paged; from v6 a licensed user is taken off the license by id.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, LicensedUser, LicensedUserFilter, Organization};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/LicensedUsers", list_licensed_users)
        .when(version.has_license_actions(), |routes| {
            routes.delete("/LicensedUsers/{licensedUserId}", remove_licensed_user)
        })
}

/// Takes the user off the license: gone from the listings and the license's use. A user an
/// entire-organization job still backs up is licensed again by the service's next backup;
/// the emulator's jobs back up the licensed users, so it stays off.
async fn remove_licensed_user(
    cx: Ctx,
    PathParams(id): PathParams<Id<LicensedUser>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_licensed_user(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_licensed_users(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<LicensedUserFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        if let Some(id) = filter.organization_id {
            world.find(&Id::<Organization>::new(id))?;
        }
        let matching = || {
            world.licensed_users.iter().filter(|user| {
                filter
                    .organization_id
                    .is_none_or(|id| user.organization_id == id)
                    && filter
                        .name
                        .as_ref()
                        .is_none_or(|pattern| pattern.matches(&user.name))
            })
        };
        let page = paging.info(matching().count(), "/LicensedUsers");
        let users = paging.take(matching()).map(|user| {
            (
                user,
                world.organization_name(&user.organization_id),
                world.organization_backups(user.organization_id).last,
            )
        });
        Ok(wire::licensed_users::licensed_users(wire, users, page))
    })
}

//! `/LicensedUsers`: who holds a license, optionally for one organization or by name, paged.

use axum::response::Response;

use super::{Ctx, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, LicensedUserFilter, Organization};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    routes.get("/LicensedUsers", list_licensed_users)
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
        let users = paging
            .take(matching())
            .map(|user| (user, world.organization_backups(user.organization_id).last));
        Ok(wire::licensed_users::licensed_users(wire, users, page))
    })
}

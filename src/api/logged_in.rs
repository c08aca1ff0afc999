//! `/Organization/LoggedInUser` (v6 on): who the request's token was issued to, whether they
//! are a restore operator, what they may restore and (v7 on) its restore points.

use axum::http::HeaderMap;
use axum::response::Response;
use uuid::Uuid;

use super::{Ctx, Query, Routes};
use crate::auth::bearer::token_user;
use crate::error::ApiError;
use crate::model::{NotFound, OperatorPointFilter};
use crate::wire::{self, CallerSpecific, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_organization_setup(), |routes| {
        routes
            .get("/Organization/LoggedInUser", get_user)
            .get("/Organization/LoggedInUser/OperatorInfo", get_operator_info)
            .get("/Organization/LoggedInUser/EffectiveScope", get_scope)
            .when(version >= Version::V7, |routes| {
                routes.get(
                    "/Organization/LoggedInUser/RestorePoints",
                    list_restore_points,
                )
            })
    })
}

/// The login the token was issued to; the static token stands for the world's first
/// account, as a script that skips the login means the server's administrator.
pub(super) fn login(cx: &Ctx, headers: &HeaderMap) -> String {
    token_user(&cx.state, headers, cx.now()).map_or_else(
        || {
            cx.state.world.read(|world| {
                world
                    .users
                    .first()
                    .map_or_else(|| "admin".to_owned(), |account| account.name.clone())
            })
        },
        |name| name.to_string(),
    )
}

/// An answer for this caller only: never kept for others who ask the same URL.
fn for_caller(mut response: Response) -> Response {
    response.extensions_mut().insert(CallerSpecific);
    response
}

async fn get_user(cx: Ctx, headers: HeaderMap) -> Response {
    let login = login(&cx, &headers);
    for_caller(cx.read(|world, _| wire::access::logged_in_user(&world.logged_in(&login))))
}

async fn get_operator_info(cx: Ctx, headers: HeaderMap) -> Response {
    let login = login(&cx, &headers);
    for_caller(cx.read(|world, wire| {
        let user = world.logged_in(&login);
        wire::access::operator_info(wire, !world.operator_roles(&user).is_empty())
    }))
}

async fn get_scope(cx: Ctx, headers: HeaderMap) -> Response {
    let login = login(&cx, &headers);
    for_caller(cx.read(|world, wire| {
        let user = world.logged_in(&login);
        wire::access::effective_scope(wire, &world.effective_scope(&user))
    }))
}

/// The restore points of the organizations the operator restores from; `rbacItem` must be
/// an object they manage. Backup copies are not kept, so `isCopy=true` lists none.
async fn list_restore_points(
    cx: Ctx,
    headers: HeaderMap,
    Query(filter): Query<OperatorPointFilter>,
) -> Result<Response, ApiError> {
    let login = login(&cx, &headers);
    cx.read(|world, wire| {
        let user = world.logged_in(&login);
        let scope = world.effective_scope(&user);
        if let Some(item) = &filter.rbac_item {
            let managed = Uuid::parse_str(item.trim()).is_ok_and(|id| scope.holds(id));
            if !managed {
                return Err(NotFound {
                    what: "Object to manage",
                    id: item.clone(),
                }
                .into());
            }
        }
        let mut points: Vec<_> = world
            .restore_points()
            .filter(|point| {
                !filter.copies && scope.organizations.contains(&point.job.organization_id)
            })
            .collect();
        points.sort_by_key(|point| point.backup_time);
        Ok(wire::restore::restore_point_array(wire, &points))
    })
    .map(for_caller)
}

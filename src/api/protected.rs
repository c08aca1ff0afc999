//! What backups protect: the objects a job session processed (v7 on) and the protected
//! users, groups, sites and teams of organizations with restore points (v8).

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, JobSession, Key, ProtectedFilter};
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version >= Version::V7, |routes| {
            routes.get(
                "/JobSessions/{sessionId}/ProcessedObjects",
                list_processed_objects,
            )
        })
        .when(version >= Version::V8, |routes| {
            routes
                .get("/ProtectedUsers", list_users)
                .get("/ProtectedUsers/{protectedUserId}", get_user)
                .get("/ProtectedGroups", list_groups)
                .get("/ProtectedGroups/{protectedGroupId}", get_group)
                .get("/ProtectedSites", list_sites)
                .get("/ProtectedSites/{protectedSiteId}", get_site)
                .get("/ProtectedTeams", list_teams)
                .get("/ProtectedTeams/{protectedTeamId}", get_team)
        })
}

async fn list_processed_objects(
    cx: Ctx,
    PathParams(id): PathParams<Id<JobSession>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/JobSessions/{id}/ProcessedObjects");
    cx.read(|world, wire| {
        let objects = world.processed_objects(world.find(&id)?);
        let page = paging.info(objects.len(), &collection);
        Ok(wire::protected::processed_objects(
            wire,
            paging.slice(&objects),
            page,
        ))
    })
}

/// One listing and one lookup per kind: the world answers what is protected, the wire
/// renders it.
macro_rules! protected {
    ($list:ident, $get:ident, $kind:ty, $find:ident, $collection:literal, $page:path, $one:path) => {
        async fn $list(
            cx: Ctx,
            Query(paging): Query<Paging>,
            Query(filter): Query<ProtectedFilter>,
        ) -> Response {
            cx.read(|world, wire| {
                let objects = world.$find(&filter);
                let page = paging.info(objects.len(), $collection);
                $page(wire, paging.slice(&objects), page)
            })
        }

        async fn $get(
            cx: Ctx,
            PathParams(key): PathParams<Key<$kind>>,
        ) -> Result<Response, ApiError> {
            cx.read(|world, _| {
                let found = world
                    .$find(&ProtectedFilter::default())
                    .into_iter()
                    .find(|object| key.names(object.id))
                    .ok_or_else(|| key.not_found())?;
                Ok($one(found))
            })
        }
    };
}

protected!(
    list_users,
    get_user,
    crate::model::DirectoryUser,
    protected_users,
    "/ProtectedUsers",
    wire::protected::users,
    wire::protected::user
);
protected!(
    list_groups,
    get_group,
    crate::model::Group,
    protected_groups,
    "/ProtectedGroups",
    wire::protected::groups,
    wire::protected::group
);
protected!(
    list_sites,
    get_site,
    crate::model::Site,
    protected_sites,
    "/ProtectedSites",
    wire::protected::sites,
    wire::protected::site
);
protected!(
    list_teams,
    get_team,
    crate::model::Team,
    protected_teams,
    "/ProtectedTeams",
    wire::protected::teams,
    wire::protected::team
);

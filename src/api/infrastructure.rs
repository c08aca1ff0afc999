//! `/BackupRepositories`, `/objectstoragerepositories` and `/Proxies`: where backups are
//! kept and the machines that move them.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{BackupRepository, Id, ObjectStorage, ObjectStorageFilter, Proxy, ProxyView};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/BackupRepositories", list_repositories)
        .get("/BackupRepositories/{repositoryId}", get_repository)
        .get("/Proxies", list_proxies)
        .get("/Proxies/{proxyId}", get_proxy)
        .when(version.has_object_storage(), |routes| {
            routes
                .get("/objectstoragerepositories", list_object_storages)
                .get(
                    "/objectstoragerepositories/{repositoryId}",
                    get_object_storage,
                )
        })
}

async fn list_object_storages(cx: Ctx, Query(filter): Query<ObjectStorageFilter>) -> Response {
    cx.read(|world, wire| {
        let storages = world
            .object_storages
            .iter()
            .filter(|storage| !filter.long_term_only || storage.kind.is_long_term())
            .map(|storage| world.storage_use(storage));
        wire::storage::storages(wire, storages)
    })
}

async fn get_object_storage(
    cx: Ctx,
    PathParams(id): PathParams<Id<ObjectStorage>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let storage = world.find(&id)?;
        Ok(wire::storage::storage(wire, world.storage_use(storage)))
    })
}

async fn list_repositories(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| {
        let repositories = world
            .repositories
            .iter()
            .map(|repository| world.repository_view(repository));
        wire::infrastructure::repositories(wire, repositories, paging)
    })
}

async fn get_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let repository = world.find(&id)?;
        Ok(wire::infrastructure::repository(
            wire,
            world.repository_view(repository),
        ))
    })
}

async fn list_proxies(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(view): Query<ProxyView>,
) -> Response {
    cx.read(|world, wire| {
        wire::infrastructure::proxies(wire, world.proxies.iter(), paging, view.extended)
    })
}

async fn get_proxy(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
    Query(view): Query<ProxyView>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        Ok(wire::infrastructure::proxy(
            wire,
            world.find(&id)?,
            view.extended,
        ))
    })
}

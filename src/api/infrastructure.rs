//! `/BackupRepositories` and `/objectstoragerepositories`: where backups are kept. Adding,
//! editing and removing repositories and object storage, and the organizations a repository
//! holds backups of.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{BackupRepository, Id, ObjectStorage, ObjectStorageFilter, RepositoryFilter};
use crate::wire::infrastructure_requests::{ObjectStorageRepositoryRequest, RepositoryRequest};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/BackupRepositories", list_repositories)
        .get("/BackupRepositories/{repositoryId}", get_repository)
        .post("/BackupRepositories", add_repository)
        .put("/BackupRepositories/{repositoryId}", edit_repository)
        .delete("/BackupRepositories/{repositoryId}", remove_repository)
        .when(version.has_infrastructure_paths(), |routes| {
            routes.get(
                "/BackupRepositories/{repositoryId}/backedupOrganizations",
                list_backed_up_organizations,
            )
        })
        .when(version.has_object_storage(), |routes| {
            routes
                .get("/objectstoragerepositories", list_object_storages)
                .get(
                    "/objectstoragerepositories/{repositoryId}",
                    get_object_storage,
                )
                .post("/objectstoragerepositories", add_object_storage)
                .put(
                    "/objectstoragerepositories/{repositoryId}",
                    edit_object_storage,
                )
                .delete(
                    "/objectstoragerepositories/{repositoryId}",
                    remove_object_storage,
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

/// Adds object storage: 200 with it, as v5..v7 answer.
async fn add_object_storage(
    cx: Ctx,
    JsonBody(request): JsonBody<ObjectStorageRepositoryRequest>,
) -> Result<Response, ApiError> {
    let id = cx.state.world.write(|world| {
        let write = request.into_write(None, world.next_id())?;
        Ok::<_, ApiError>(world.add_object_storage(write)?.id)
    })?;
    cx.read(|world, wire| {
        let storage = world.find(&Id::<ObjectStorage>::new(id))?;
        Ok(wire::storage::storage(wire, world.storage_use(storage)))
    })
}

/// Edits what the body names; the type stays what the storage was added with.
async fn edit_object_storage(
    cx: Ctx,
    PathParams(id): PathParams<Id<ObjectStorage>>,
    JsonBody(request): JsonBody<ObjectStorageRepositoryRequest>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        let current = world.find(&id)?.clone();
        let write = request.into_write(Some(&current), *id)?;
        world.edit_object_storage(write)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::OK)
}

/// Removes object storage no backup repository keeps its data in.
async fn remove_object_storage(
    cx: Ctx,
    PathParams(id): PathParams<Id<ObjectStorage>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_object_storage(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_repositories(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<RepositoryFilter>,
) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        let repositories = world
            .repositories
            .iter()
            .filter(|repository| {
                filter
                    .proxy_id
                    .is_none_or(|proxy| repository.proxy_id() == Some(&proxy))
                    && filter
                        .pool_id
                        .is_none_or(|pool| repository.pool_id() == Some(&pool))
                    && filter.organization_id.is_none_or(|organization| {
                        world.serves_organization(repository, organization)
                    })
            })
            .map(|repository| world.repository_view(repository, now))
            .filter(|view| {
                !filter.long_term_only
                    || view
                        .storage
                        .is_some_and(|usage| usage.storage.kind.is_long_term())
            });
        wire::infrastructure::repositories(wire, repositories, paging)
    })
}

async fn get_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        let repository = world.find(&id)?;
        Ok(wire::infrastructure::repository(
            wire,
            world.repository_view(repository, now),
        ))
    })
}

/// Adds a repository: 200 with it up to v7, 201 in v8.
async fn add_repository(
    cx: Ctx,
    JsonBody(request): JsonBody<RepositoryRequest>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let id = cx.state.world.write(|world| {
        let change = request.into_change(None, world.next_id())?;
        let id = world.next_id();
        world.add_repository(id, change)?;
        Ok::<_, ApiError>(id)
    })?;
    let response = cx.read(|world, wire| {
        let repository = world.find(&Id::<BackupRepository>::new(id))?;
        Ok::<_, ApiError>(wire::infrastructure::repository(
            wire,
            world.repository_view(repository, now),
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

/// Edits what the body names: 200 up to v7, 204 in v8.
async fn edit_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
    JsonBody(request): JsonBody<RepositoryRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        let current = world.find(&id)?.clone();
        let change = request.into_change(Some(&current), world.next_id())?;
        world.edit_repository(*id, change)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(wire::infrastructure::written(cx.version))
}

/// Removes a repository no job writes to and no session works on.
async fn remove_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
) -> Result<StatusCode, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.remove_repository(*id, now))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_backed_up_organizations(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/BackupRepositories/{id}/backedupOrganizations");
    cx.read(|world, wire| {
        let usages = world.repository_organizations(world.find(&id)?);
        let page = paging.info(usages.len(), &collection);
        Ok(wire::infrastructure::backed_up_organizations(
            wire, &usages, page, paging,
        ))
    })
}

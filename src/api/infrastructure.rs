//! `/BackupRepositories`, `/objectstoragerepositories` and `/Proxies`: where backups are
//! kept and the machines that move them.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::model::{BackupRepository, ObjectStorage};
use crate::store::World;
use crate::wire::storage::StorageUse;
use crate::wire::v3::RepositoryView;
use crate::wire::{self, Version};

pub fn router(version: Version) -> Router<AppState> {
    let prefix = version.prefix();
    let mut router = Router::new()
        .route(
            &format!("{prefix}/backuprepositories"),
            get(list_repositories),
        )
        .route(
            &format!("{prefix}/backuprepositories/{{repository_id}}"),
            get(get_repository),
        )
        .route(&format!("{prefix}/proxies"), get(list_proxies))
        .route(&format!("{prefix}/proxies/{{proxy_id}}"), get(get_proxy));
    if version.has_object_storage() {
        router = router
            .route(
                &format!("{prefix}/objectstoragerepositories"),
                get(list_object_storages),
            )
            .route(
                &format!("{prefix}/objectstoragerepositories/{{storage_id}}"),
                get(get_object_storage),
            );
    }
    router
}

/// `longTerm=true` lists the archive tiers only; without it every object storage is listed.
async fn list_object_storages(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let long_term_only = wire::query::flag(query.as_deref(), "longTerm")?;
    Ok(state.world.read(|world| {
        let storages = world
            .object_storages
            .iter()
            .filter(|storage| !long_term_only || storage.kind.is_long_term())
            .map(|storage| storage_use(world, storage));
        wire::storage::storages(&context(&state, &host, version), storages)
    }))
}

async fn get_object_storage(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(storage_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let storage_id = parse_id(&storage_id, "object storage repository")?;
    state.world.read(|world| {
        let storage = world
            .object_storage(&storage_id)
            .ok_or_else(|| not_found("Object storage repository", &storage_id))?;
        Ok(wire::storage::storage(
            &context(&state, &host, version),
            storage_use(world, storage),
        ))
    })
}

/// Free space is what is left after what was there before and what the world's sessions
/// wrote; object storage is shown with what all its repositories use.
fn repository_view<'a>(world: &'a World, repository: &'a BackupRepository) -> RepositoryView<'a> {
    RepositoryView {
        repository,
        free_space_bytes: repository
            .capacity_bytes
            .saturating_sub(repository.baseline_used_bytes)
            .saturating_sub(world.repository_written_bytes(repository.id)),
        storage: repository
            .object_storage_id
            .and_then(|id| world.object_storage(&id))
            .map(|storage| storage_use(world, storage)),
    }
}

fn storage_use<'a>(world: &World, storage: &'a ObjectStorage) -> StorageUse<'a> {
    StorageUse {
        storage,
        used_bytes: world.object_storage_used_bytes(storage.id),
    }
}

/// `extendedView` where the version takes it.
fn extended_view(version: Version, query: Option<&str>) -> Result<bool, ApiError> {
    if version.has_proxy_extended_view() {
        wire::query::flag(query, "extendedView")
    } else {
        Ok(false)
    }
}

async fn list_repositories(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    Ok(state.world.read(|world| {
        let repositories = world
            .repositories
            .iter()
            .map(|repository| repository_view(world, repository));
        wire::v3::repositories(&context(&state, &host, version), repositories, paging)
    }))
}

async fn get_repository(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(repository_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let repository_id = parse_id(&repository_id, "backup repository")?;
    state.world.read(|world| {
        let repository = world
            .repository(&repository_id)
            .ok_or_else(|| not_found("Backup repository", &repository_id))?;
        Ok(wire::v3::repository(
            &context(&state, &host, version),
            repository_view(world, repository),
        ))
    })
}

async fn list_proxies(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let extended = extended_view(version, query.as_deref())?;
    Ok(state.world.read(|world| {
        wire::v3::proxies(
            &context(&state, &host, version),
            world.proxies.iter(),
            paging,
            extended,
        )
    }))
}

async fn get_proxy(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(proxy_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let proxy_id = parse_id(&proxy_id, "proxy")?;
    let extended = extended_view(version, query.as_deref())?;
    state.world.read(|world| {
        let proxy = world
            .proxy(&proxy_id)
            .ok_or_else(|| not_found("Proxy", &proxy_id))?;
        Ok(wire::v3::proxy(
            &context(&state, &host, version),
            proxy,
            extended,
        ))
    })
}

//! `/BackupRepositories` and `/Proxies`: where backups are kept and the machines that move them.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::model::BackupRepository;
use crate::store::World;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(
            &format!("{prefix}/backuprepositories"),
            get(list_repositories),
        )
        .route(
            &format!("{prefix}/backuprepositories/{{repository_id}}"),
            get(get_repository),
        )
        .route(&format!("{prefix}/proxies"), get(list_proxies))
        .route(&format!("{prefix}/proxies/{{proxy_id}}"), get(get_proxy))
}

/// Free space is what is left after what was there before and what the world's sessions wrote.
fn free_space(world: &World, repository: &BackupRepository) -> u64 {
    repository
        .capacity_bytes
        .saturating_sub(repository.baseline_used_bytes)
        .saturating_sub(world.repository_written_bytes(repository.id))
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
            .map(|repository| (repository, free_space(world, repository)));
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
            repository,
            free_space(world, repository),
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
    Ok(state.world.read(|world| {
        wire::v3::proxies(
            &context(&state, &host, version),
            world.proxies.iter(),
            paging,
        )
    }))
}

async fn get_proxy(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(proxy_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let proxy_id = parse_id(&proxy_id, "proxy")?;
    state.world.read(|world| {
        let proxy = world
            .proxy(&proxy_id)
            .ok_or_else(|| not_found("Proxy", &proxy_id))?;
        Ok(wire::v3::proxy(&context(&state, &host, version), proxy))
    })
}

//! `/Proxies` and `/ProxyPools`: the machines that move the data, and the pools they share
//! the work in. Adding, editing, rescanning and removing proxies (with a body sent to
//! `/Action` up to v5, one path per action from v6), maintenance mode and pools in v8.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{HostKey, Id, Proxy, ProxyPool, ProxyView};
use crate::wire::infrastructure_requests::{
    ProxyAction, ProxyIdRequest, ProxyPoolRequest, ProxyRequest, RemoveProxyRequest, RescanRequest,
    proxy_ids,
};
use crate::wire::query::SshHost;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/Proxies", list_proxies)
        .get("/Proxies/{proxyId}", get_proxy)
        .post("/Proxies", add_proxy)
        .put("/Proxies/{proxyId}", edit_proxy)
        .when(version.has_proxy_action_body(), |routes| {
            routes.post("/Proxies/{proxyId}/Action", proxy_action)
        })
        .when(version.has_proxies_action(), |routes| {
            routes.post("/Proxies/Action", rescan_every_proxy)
        })
        .when(version.has_infrastructure_paths(), |routes| {
            routes
                .post("/Proxies/{proxyId}/Rescan", rescan_proxy)
                .post("/Proxies/Rescan", rescan_proxies)
                .post("/Proxies/{proxyId}/Remove", remove_proxy)
        })
        .when(version.has_proxy_pools(), |routes| {
            routes
                .post("/Proxies/{proxyId}/maintenance/enable", enable_maintenance)
                .post(
                    "/Proxies/{proxyId}/maintenance/disable",
                    disable_maintenance,
                )
                .post("/Proxies/CheckSshConnectionConfig", check_ssh_connection)
                .get("/ProxyPools", list_pools)
                .post("/ProxyPools", add_pool)
                .get("/ProxyPools/{poolId}", get_pool)
                .put("/ProxyPools/{poolId}", edit_pool)
                .delete("/ProxyPools/{poolId}", remove_pool)
                .get("/ProxyPools/{poolId}/proxies", list_pool_proxies)
                .post("/ProxyPools/{poolId}/proxies", add_pool_proxies)
                .delete("/ProxyPools/{poolId}/proxies", remove_pool_proxies)
        })
}

async fn list_proxies(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(view): Query<ProxyView>,
) -> Response {
    cx.read(|world, wire| {
        let running = world.running_jobs();
        let proxies = world
            .proxies
            .iter()
            .map(|proxy| world.proxy_use(proxy, &running));
        wire::proxies::proxies(wire, proxies, paging, view.extended)
    })
}

async fn get_proxy(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
    Query(view): Query<ProxyView>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let usage = world.proxy_use(world.find(&id)?, &world.running_jobs());
        Ok(wire::proxies::proxy(wire, usage, view.extended))
    })
}

/// Adds a proxy: 200 with it up to v7, 201 in v8. The credentials are taken as given;
/// nothing signs in to the machine.
async fn add_proxy(
    cx: Ctx,
    JsonBody(request): JsonBody<ProxyRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(None)?;
    let id = cx.state.world.write(|world| {
        let id = world.next_id();
        world.add_proxy(id, change).map(|_| id)
    })?;
    let response = cx.read(|world, wire| {
        let usage = world.proxy_use(world.find(&Id::<Proxy>::new(id))?, &[]);
        Ok::<_, ApiError>(wire::proxies::proxy(wire, usage, false))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

async fn edit_proxy(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
    JsonBody(request): JsonBody<ProxyRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        let change = request.into_change(Some(world.find(&id)?))?;
        world.edit_proxy(*id, change)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(wire::infrastructure::written(cx.version))
}

/// Rescanning asks a proxy what it has; the world's proxies have nothing new to tell, so
/// only the ids are checked.
async fn rescan_proxy(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| world.find(&id).map(|_| ()))?;
    Ok(wire::infrastructure::written(cx.version))
}

/// Rescans the proxies the body names, or every proxy.
async fn rescan_proxies(cx: Ctx, Body(body): Body) -> Result<Response, ApiError> {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        RescanRequest::default()
    } else {
        wire::body::read::<RescanRequest>(&body)?
    };
    let ids = request.proxies()?;
    cx.read(|world, _| world.check_proxies_exist(&ids))?;
    Ok(wire::infrastructure::written(cx.version))
}

/// Removes a proxy that keeps no repository.
async fn remove_proxy(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        wire::body::read::<RemoveProxyRequest>(&body)?;
    }
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| world.remove_proxy(*id, now))?;
    Ok(wire::infrastructure::written(cx.version))
}

/// `{"rescan": null}` or `{"remove": {...}}`, up to v5: 200 with an empty body.
async fn proxy_action(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
    Body(body): Body,
) -> Result<StatusCode, ApiError> {
    match ProxyAction::from_body(&body)? {
        ProxyAction::Rescan => cx.read(|world, _| world.find(&id).map(|_| ()))?,
        ProxyAction::Remove => {
            let now = cx.now().fixed_offset();
            cx.state.world.write(|world| world.remove_proxy(*id, now))?;
        }
    }
    Ok(StatusCode::OK)
}

/// `{"rescan": null}` for every proxy (v5).
async fn rescan_every_proxy(Body(body): Body) -> Result<StatusCode, ApiError> {
    match ProxyAction::from_body(&body)? {
        ProxyAction::Rescan => Ok(StatusCode::OK),
        ProxyAction::Remove => Err(ApiError::BadRequest(
            "Proxies are removed one at a time, at /Proxies/{proxyId}/Action.".to_owned(),
        )),
    }
}

/// Maintenance mode: the proxy takes no new work; `maintenanceModeState` shows
/// `Enabling` while sessions it moves data for still run. The credentials are not needed.
async fn enable_maintenance(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.set_proxy_maintenance(*id, true))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn disable_maintenance(
    cx: Ctx,
    PathParams(id): PathParams<Id<Proxy>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.set_proxy_maintenance(*id, false))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every machine answers; the key it presents follows from its name.
async fn check_ssh_connection(Query(SshHost(host)): Query<SshHost>) -> Response {
    let key = HostKey::of(&host);
    wire::proxies::ssh_check(&key.fingerprint, &key.public_key)
}

async fn list_pools(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| wire::proxies::pools(wire, world.proxy_pools.iter(), paging))
}

async fn get_pool(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| Ok(wire::proxies::pool(wire, world.find(&id)?)))
}

/// Adds a pool with its proxies: 201 with it.
async fn add_pool(
    cx: Ctx,
    JsonBody(request): JsonBody<ProxyPoolRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change()?;
    let id = cx.state.world.write(|world| {
        let id = world.next_id();
        world.add_proxy_pool(id, change).map(|_| id)
    })?;
    let response = cx.read(|world, wire| {
        Ok::<_, ApiError>(wire::proxies::pool(
            wire,
            world.find(&Id::<ProxyPool>::new(id))?,
        ))
    })?;
    Ok(wire::infrastructure::created(cx.version, response))
}

/// Edits a pool; `proxyIds` replaces its proxies.
async fn edit_pool(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
    JsonBody(request): JsonBody<ProxyPoolRequest>,
) -> Result<StatusCode, ApiError> {
    let change = request.into_change()?;
    cx.state
        .world
        .write(|world| world.edit_proxy_pool(*id, change))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_pool(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
) -> Result<StatusCode, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.remove_proxy_pool(*id, now))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_pool_proxies(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/ProxyPools/{id}/proxies");
    cx.read(|world, wire| {
        world.find(&id)?;
        let running = world.running_jobs();
        let proxies: Vec<_> = world
            .pool_proxies(*id)
            .map(|proxy| world.proxy_use(proxy, &running))
            .collect();
        let page = paging.info(proxies.len(), &collection);
        Ok(wire::proxies::pool_proxies(wire, &proxies, page, paging))
    })
}

async fn add_pool_proxies(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
    JsonBody(requests): JsonBody<Vec<ProxyIdRequest>>,
) -> Result<StatusCode, ApiError> {
    let proxies = proxy_ids(requests)?;
    cx.state
        .world
        .write(|world| world.add_pool_proxies(*id, &proxies))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_pool_proxies(
    cx: Ctx,
    PathParams(id): PathParams<Id<ProxyPool>>,
    JsonBody(requests): JsonBody<Vec<ProxyIdRequest>>,
) -> Result<StatusCode, ApiError> {
    let proxies = proxy_ids(requests)?;
    cx.state
        .world
        .write(|world| world.remove_pool_proxies(*id, &proxies))?;
    Ok(StatusCode::NO_CONTENT)
}

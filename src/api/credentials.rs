//! `/EncryptionKeys` and `/Accounts` (v6 on): the passwords that encrypt object storage and
//! the cloud accounts the server signs in to it with. Passwords are taken, never shown.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{CloudAccount, CloudAccountFilter, EncryptionKey, EncryptionKeyFilter, Id};
use crate::wire::credentials::{AccountRequest, EncryptionKeyRequest};
use crate::wire::{self, infrastructure::created, infrastructure::written};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version.has_credentials(), |routes| {
            routes
                .get("/EncryptionKeys", list_keys)
                .post("/EncryptionKeys", add_key)
                .get("/EncryptionKeys/{keyId}", get_key)
                .delete("/EncryptionKeys/{keyId}", remove_key)
                .get("/Accounts", list_accounts)
                .post("/Accounts", add_account)
                .get("/Accounts/{accountId}", get_account)
                .put("/Accounts/{accountId}", edit_account)
                .delete("/Accounts/{accountId}", remove_account)
        })
        .when(version.edits_encryption_keys(), |routes| {
            routes.put("/EncryptionKeys/{keyId}", edit_key)
        })
}

async fn list_keys(cx: Ctx, Query(filter): Query<EncryptionKeyFilter>) -> Response {
    cx.read(|world, wire| {
        wire::credentials::encryption_keys(
            wire,
            world
                .encryption_keys
                .iter()
                .filter(|key| filter.matches(key)),
        )
    })
}

async fn get_key(
    cx: Ctx,
    PathParams(id): PathParams<Id<EncryptionKey>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| Ok(wire::credentials::encryption_key(wire, world.find(&id)?)))
}

/// 200 with the key in v6 and v7, 201 in v8.
async fn add_key(
    cx: Ctx,
    JsonBody(request): JsonBody<EncryptionKeyRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(false)?;
    let response = cx.state.world.write(|world| {
        let id = world.next_id();
        let key = world.add_encryption_key(id, change)?;
        Ok::<_, ApiError>(wire::credentials::encryption_key(&cx.wire(), key))
    })?;
    Ok(created(cx.version, response))
}

/// v6: a new hint, and a new password for a client that knows the old one.
async fn edit_key(
    cx: Ctx,
    PathParams(id): PathParams<Id<EncryptionKey>>,
    JsonBody(request): JsonBody<EncryptionKeyRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(true)?;
    cx.state
        .world
        .write(|world| world.edit_encryption_key(*id, change))?;
    Ok(written(cx.version))
}

async fn remove_key(
    cx: Ctx,
    PathParams(id): PathParams<Id<EncryptionKey>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_encryption_key(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_accounts(cx: Ctx, Query(filter): Query<CloudAccountFilter>) -> Response {
    cx.read(|world, wire| {
        wire::credentials::accounts(
            wire,
            world
                .cloud_accounts
                .iter()
                .filter(|account| filter.matches(account)),
        )
    })
}

async fn get_account(
    cx: Ctx,
    PathParams(id): PathParams<Id<CloudAccount>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| Ok(wire::credentials::account(wire, world.find(&id)?)))
}

/// 201 with the account in every version.
async fn add_account(
    cx: Ctx,
    JsonBody(request): JsonBody<AccountRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(false)?;
    let mut response = cx.state.world.write(|world| {
        let id = world.next_id();
        let account = world.add_cloud_account(id, change)?;
        Ok::<_, ApiError>(wire::credentials::account(&cx.wire(), account))
    })?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// 200 in v6 and v7, 204 in v8.
async fn edit_account(
    cx: Ctx,
    PathParams(id): PathParams<Id<CloudAccount>>,
    JsonBody(request): JsonBody<AccountRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(true)?;
    cx.state
        .world
        .write(|world| world.edit_cloud_account(*id, change))?;
    Ok(written(cx.version))
}

async fn remove_account(
    cx: Ctx,
    PathParams(id): PathParams<Id<CloudAccount>>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_cloud_account(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

//! Backup repositories and proxies: arrays up to v7, pages in v8.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{Paging, array_or_page};
use super::storage::StorageBody;
use super::{Context, Version, ok};
use crate::model::{Proxy, RepositoryView, RetentionType};

/// `GET /v3/BackupRepositories`: a plain array; free space is what the world left free.
pub fn repositories<'a>(
    cx: &Context<'a>,
    repositories: impl Iterator<Item = RepositoryView<'a>>,
    paging: Paging,
) -> Response {
    let bodies: Vec<RepositoryBody<'_>> = repositories
        .map(|view| RepositoryBody::new(cx, view))
        .collect();
    array_or_page(cx, bodies, paging, "/BackupRepositories")
}

pub fn repository(cx: &Context<'_>, view: RepositoryView<'_>) -> Response {
    ok(&RepositoryBody::new(cx, view))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RepositoryBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    path: &'a str,
    proxy_id: &'a Uuid,
    retention_type: &'static str,
    capacity_bytes: u64,
    free_space_bytes: u64,
    /// v5..v7 name the object storage; v8 embeds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage_id: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage: Option<StorageBody<'a>>,
    #[serde(rename = "_links")]
    links: RepositoryLinks<'a>,
}

impl<'a> RepositoryBody<'a> {
    fn new(cx: &Context<'a>, view: RepositoryView<'a>) -> Self {
        let repository = view.repository;
        let storage = view.storage.filter(|_| cx.version >= Version::V5);
        Self {
            id: &repository.id,
            name: &repository.name,
            description: &repository.description,
            path: &repository.path,
            proxy_id: &repository.proxy_id,
            retention_type: match repository.retention {
                RetentionType::ItemLevel => "ItemLevel",
                RetentionType::SnapshotBased => "SnapshotBased",
            },
            capacity_bytes: repository.capacity_bytes,
            free_space_bytes: view.free_space_bytes,
            object_storage_id: storage
                .filter(|_| cx.version < Version::V8)
                .map(|usage| &usage.storage.id),
            object_storage: storage
                .filter(|_| cx.version >= Version::V8)
                .map(|usage| StorageBody::new(cx, usage)),
            links: RepositoryLinks {
                this: link(cx, "/BackupRepositories/", &repository.id, ""),
                proxy: link(cx, "/Proxies/", &repository.proxy_id, ""),
            },
        }
    }
}

#[derive(Serialize)]
struct RepositoryLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    proxy: IdLink<'a>,
}

/// `GET /v3/Proxies`: a plain array. v6 and v7 leave out threads and throttling unless
/// the client asks for the `extended` view, which only an online proxy can give.
pub fn proxies<'a>(
    cx: &Context<'a>,
    proxies: impl Iterator<Item = &'a Proxy>,
    paging: Paging,
    extended: bool,
) -> Response {
    let bodies: Vec<ProxyBody<'_>> = proxies
        .map(|proxy| ProxyBody::new(cx, proxy, extended))
        .collect();
    array_or_page(cx, bodies, paging, "/Proxies")
}

pub fn proxy(cx: &Context<'_>, proxy: &Proxy, extended: bool) -> Response {
    ok(&ProxyBody::new(cx, proxy, extended))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProxyBody<'a> {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    settings: Option<ProxySettings>,
    id: &'a Uuid,
    host_name: &'a str,
    description: &'a str,
    port: u16,
    /// Up to v5 always; v6 and v7 in the extended view; v8 no longer reports threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    threads_number: Option<u32>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    throttling: Option<ProxyThrottling>,
    status: &'static str,
    #[serde(rename = "_links")]
    links: ProxyLinks<'a>,
}

/// What the extended view adds ahead of the common fields.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProxySettings {
    #[serde(rename = "type")]
    kind: &'static str,
    use_internet_proxy: bool,
}

/// What the extended view adds after the threads: no proxy of this world is throttled.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProxyThrottling {
    enable_network_throttling: bool,
    throttling_value: u64,
    throttling_unit: &'static str,
}

impl<'a> ProxyBody<'a> {
    fn new(cx: &Context<'a>, proxy: &'a Proxy, extended: bool) -> Self {
        let extended = extended && proxy.is_online && cx.version.has_proxy_extended_view();
        let threads = cx.version <= Version::V5 || extended;
        Self {
            settings: extended.then_some(ProxySettings {
                kind: "Domain",
                use_internet_proxy: false,
            }),
            id: &proxy.id,
            host_name: &proxy.host_name,
            description: &proxy.description,
            port: proxy.port,
            threads_number: threads.then_some(proxy.threads_number),
            throttling: extended.then_some(ProxyThrottling {
                enable_network_throttling: false,
                throttling_value: 0,
                throttling_unit: "Mbps",
            }),
            status: if proxy.is_online { "Online" } else { "Offline" },
            links: ProxyLinks {
                this: link(cx, "/Proxies/", &proxy.id, ""),
            },
        }
    }
}

#[derive(Serialize)]
struct ProxyLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
}

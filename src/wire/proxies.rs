//! Backup proxies (arrays up to v7, pages in v8) and, in v8, their pools and the check of
//! a Linux machine's SSH connection. v3..v5 in the shape their dashboards read; v6 on with
//! every property of the contract.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo, Paging, array_or_page};
use super::{Context, Version, build, ok};
use crate::model::{
    InternetProxyKind, OperatingSystem, ProxyKind, ProxyPool, ProxyUse, ThrottlingUnit,
};

/// `GET /Proxies`. v6 and v7 show throttling only in the `extended` view, which only an
/// online proxy can give.
pub fn proxies<'a>(
    cx: &Context<'a>,
    proxies: impl Iterator<Item = ProxyUse<'a>>,
    paging: Paging,
    extended: bool,
) -> Response {
    let bodies: Vec<ProxyBody<'_>> = proxies
        .map(|usage| ProxyBody::new(cx, usage, extended))
        .collect();
    array_or_page(cx, bodies, paging, "/Proxies")
}

pub fn proxy(cx: &Context<'_>, usage: ProxyUse<'_>, extended: bool) -> Response {
    ok(&ProxyBody::new(cx, usage, extended))
}

/// `GET /ProxyPools/{id}/proxies`: a page of the pool's proxies.
pub fn pool_proxies<'a>(
    cx: &Context<'a>,
    proxies: &[ProxyUse<'a>],
    page: PageInfo<'a>,
    paging: Paging,
) -> Response {
    let bodies: Vec<ProxyBody<'_>> = paging
        .slice(proxies)
        .iter()
        .map(|usage| ProxyBody::new(cx, *usage, false))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

/// A proxy in the version's shape.
#[derive(Serialize)]
#[serde(untagged)]
enum ProxyBody<'a> {
    Early(EarlyProxyBody<'a>),
    Contract(Box<ContractProxyBody<'a>>),
}

impl<'a> ProxyBody<'a> {
    fn new(cx: &Context<'a>, usage: ProxyUse<'a>, extended: bool) -> Self {
        if cx.version <= Version::V5 {
            Self::Early(EarlyProxyBody::new(cx, usage))
        } else {
            Self::Contract(Box::new(ContractProxyBody::new(cx, usage, extended)))
        }
    }
}

fn status(usage: &ProxyUse<'_>) -> &'static str {
    if usage.is_online { "Online" } else { "Offline" }
}

#[derive(Serialize)]
struct ProxyLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    /// v8, for a proxy in a pool.
    #[serde(rename = "proxyPool", skip_serializing_if = "Option::is_none")]
    proxy_pool: Option<IdLink<'a>>,
}

/// A proxy as v3..v5 answer it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyProxyBody<'a> {
    id: &'a Uuid,
    host_name: &'a str,
    description: &'a str,
    port: u16,
    threads_number: u32,
    status: &'static str,
    #[serde(rename = "_links")]
    links: ProxyLinks<'a>,
}

impl<'a> EarlyProxyBody<'a> {
    fn new(cx: &Context<'a>, usage: ProxyUse<'a>) -> Self {
        let proxy = usage.proxy;
        Self {
            id: &proxy.id,
            host_name: &proxy.host_name,
            description: &proxy.description,
            port: proxy.port,
            threads_number: proxy.threads_number,
            status: status(&usage),
            links: ProxyLinks {
                this: link(cx, "/Proxies/", &proxy.id, ""),
                proxy_pool: None,
            },
        }
    }
}

/// `RESTProxy`. The outer `Option` leaves out what a version lacks.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContractProxyBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    use_internet_proxy: Option<bool>,
    internet_proxy_type: Option<&'static str>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    operating_system: Option<&'static str>,
    internet_proxy_settings: Option<InternetProxySettings<'a>>,
    id: &'a Uuid,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_pool_id: Option<Option<&'a Uuid>>,
    host_name: &'a str,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    fqdn: Option<&'a str>,
    description: &'a str,
    port: Option<u16>,
    /// v6, v7; v8 no longer reports threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    threads_number: Option<u32>,
    enable_network_throttling: Option<bool>,
    throttling_value: Option<u64>,
    throttling_unit: Option<&'static str>,
    status: &'static str,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    maintenance_mode_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_usage_percent: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    memory_usage_percent: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<Option<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_account: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static [&'static str]>,
    #[serde(rename = "_links")]
    links: ProxyLinks<'a>,
}

/// `RESTInternetProxySettings`: the proxy's own internet proxy (no password is ever sent).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InternetProxySettings<'a> {
    host_name: &'a str,
    port: Option<u16>,
    use_authentication: Option<bool>,
    username: &'a str,
}

/// How busy a proxy is: a little when idle, more with every session it moves data for.
fn load(idle: f64, per_session: f64, most: f64, sessions: usize) -> f64 {
    let sessions = u32::try_from(sessions).unwrap_or(u32::MAX);
    (idle + per_session * f64::from(sessions)).min(most)
}

impl<'a> ContractProxyBody<'a> {
    fn new(cx: &Context<'a>, usage: ProxyUse<'a>, extended: bool) -> Self {
        let proxy = usage.proxy;
        let v8 = cx.version >= Version::V8;
        let online = usage.is_online;
        // v8 always shows throttling; v6 and v7 only in the extended view of a live proxy.
        let throttling_shown = v8 || (extended && online);
        let throttling = proxy.throttling;
        let internet = proxy.internet_proxy.as_ref();
        Self {
            kind: match proxy.kind {
                ProxyKind::Local => "Local",
                ProxyKind::Domain => "Domain",
                ProxyKind::Workgroup => "Workgroup",
            },
            use_internet_proxy: Some(internet.is_some()),
            internet_proxy_type: internet.map(|internet| match internet.kind {
                InternetProxyKind::FromManagementServer => "FromManagementServer",
                InternetProxyKind::Custom => "Custom",
            }),
            operating_system: v8.then_some(match proxy.operating_system {
                OperatingSystem::Windows => "Windows",
                OperatingSystem::Linux => "Linux",
            }),
            internet_proxy_settings: internet
                .filter(|internet| internet.kind == InternetProxyKind::Custom)
                .map(|internet| InternetProxySettings {
                    host_name: &internet.host_name,
                    port: internet.port,
                    use_authentication: Some(internet.use_authentication),
                    username: &internet.username,
                }),
            id: &proxy.id,
            proxy_pool_id: v8.then_some(proxy.pool_id.as_ref()),
            host_name: &proxy.host_name,
            fqdn: (cx.version >= Version::V7).then_some(proxy.host_name.as_str()),
            description: &proxy.description,
            port: Some(proxy.port),
            threads_number: (!v8).then_some(proxy.threads_number),
            enable_network_throttling: throttling_shown.then_some(throttling.is_some()),
            throttling_value: throttling_shown
                .then_some(throttling.map_or(0, |throttling| throttling.value)),
            throttling_unit: throttling_shown.then_some(
                match throttling.map_or(ThrottlingUnit::Mbps, |throttling| throttling.unit) {
                    ThrottlingUnit::Mbps => "Mbps",
                    ThrottlingUnit::MBs => "MBs",
                    ThrottlingUnit::KBs => "KBs",
                },
            ),
            status: status(&usage),
            maintenance_mode_state: v8.then_some(
                match (proxy.maintenance, usage.running_sessions) {
                    (false, _) => "Disabled",
                    (true, 0) => "Enabled",
                    (true, _) => "Enabling",
                },
            ),
            cpu_usage_percent: v8
                .then(|| online.then(|| load(4.5, 17.0, 96.0, usage.running_sessions))),
            memory_usage_percent: v8
                .then(|| online.then(|| load(31.0, 8.5, 92.0, usage.running_sessions))),
            version: v8.then(|| online.then(|| build(cx.version))),
            service_account: v8.then_some(proxy.service_account.as_deref()),
            role: v8.then_some(match proxy.kind {
                ProxyKind::Local => &["Orchestrator", "Scheduler", "Processor"],
                ProxyKind::Domain | ProxyKind::Workgroup => &["Processor"],
            }),
            links: ProxyLinks {
                this: link(cx, "/Proxies/", &proxy.id, ""),
                proxy_pool: proxy
                    .pool_id
                    .as_ref()
                    .filter(|_| v8)
                    .map(|pool| link(cx, "/ProxyPools/", pool, "")),
            },
        }
    }
}

/// `GET /ProxyPools` (v8): a page.
pub fn pools<'a>(
    cx: &Context<'a>,
    pools: impl Iterator<Item = &'a ProxyPool>,
    paging: Paging,
) -> Response {
    let bodies: Vec<PoolBody<'_>> = pools.map(|pool| PoolBody::new(cx, pool)).collect();
    array_or_page(cx, bodies, paging, "/ProxyPools")
}

pub fn pool(cx: &Context<'_>, pool: &ProxyPool) -> Response {
    ok(&PoolBody::new(cx, pool))
}

#[derive(Serialize)]
struct PoolBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    #[serde(rename = "_links")]
    links: PoolLinks<'a>,
}

#[derive(Serialize)]
struct PoolLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    proxies: IdLink<'a>,
}

impl<'a> PoolBody<'a> {
    fn new(cx: &Context<'a>, pool: &'a ProxyPool) -> Self {
        Self {
            id: &pool.id,
            name: &pool.name,
            description: &pool.description,
            links: PoolLinks {
                this: link(cx, "/ProxyPools/", &pool.id, ""),
                proxies: link(cx, "/ProxyPools/", &pool.id, "/proxies"),
            },
        }
    }
}

/// `POST /Proxies/CheckSshConnectionConfig` (v8): the machine answers, with the key it
/// presents. Its fingerprint and key follow from its name, so a machine keeps its key.
pub fn ssh_check(fingerprint: &str, public_key: &str) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        status: &'static str,
        fingerprint: &'a str,
        public_base64_key: &'a str,
    }
    ok(&Body {
        status: "Success",
        fingerprint,
        public_base64_key: public_key,
    })
}

//! Backup repositories (arrays up to v7, pages in v8), the organizations backed up in one,
//! and how the infrastructure's writes are answered in each version. v3..v5 in the shape
//! their dashboards read; v6 on with every property of the contract.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo, Paging, array_or_page};
use super::storage::StorageBody;
use super::{Context, Version, ok};
use crate::model::{
    CleanupSchedule, DailyKind, DayOfWeek, OrganizationUsage, RepositoryView, RetentionPeriod,
    RetentionType, WeekOfMonth, YearlyRetention,
};

/// A write done: 200 with an empty body up to v7, 204 in v8.
pub fn written(version: Version) -> Response {
    if version >= Version::V8 {
        StatusCode::NO_CONTENT.into_response()
    } else {
        StatusCode::OK.into_response()
    }
}

/// Something added, answered with what was added: 200 up to v7, 201 in v8.
pub fn created(version: Version, mut response: Response) -> Response {
    if version >= Version::V8 && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::CREATED;
    }
    response
}

/// `GET /BackupRepositories`.
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

/// A repository in the version's shape.
#[derive(Serialize)]
#[serde(untagged)]
enum RepositoryBody<'a> {
    Early(Box<EarlyRepositoryBody<'a>>),
    Contract(Box<ContractRepositoryBody<'a>>),
}

impl<'a> RepositoryBody<'a> {
    fn new(cx: &Context<'a>, view: RepositoryView<'a>) -> Self {
        if cx.version <= Version::V5 {
            Self::Early(Box::new(EarlyRepositoryBody::new(cx, view)))
        } else {
            Self::Contract(Box::new(ContractRepositoryBody::new(cx, view)))
        }
    }
}

fn retention_type(retention: RetentionType) -> &'static str {
    match retention {
        RetentionType::ItemLevel => "ItemLevel",
        RetentionType::SnapshotBased => "SnapshotBased",
    }
}

/// A repository as v3..v5 answer it; v5 adds its object storage and whether what goes
/// there is encrypted.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyRepositoryBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    path: &'a str,
    /// Null for a repository a pool keeps: these versions know no pools.
    proxy_id: Option<&'a Uuid>,
    retention_type: &'static str,
    capacity_bytes: u64,
    free_space_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage_id: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage_encryption_enabled: Option<Option<bool>>,
    #[serde(rename = "_links")]
    links: EarlyRepositoryLinks<'a>,
}

#[derive(Serialize)]
struct EarlyRepositoryLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy: Option<IdLink<'a>>,
}

/// Whether what goes to object storage is encrypted (with a key of the world); null where
/// there is no object storage.
fn encrypted(view: &RepositoryView<'_>) -> Option<bool> {
    view.storage
        .map(|_| view.repository.encryption_key_id.is_some())
}

impl<'a> EarlyRepositoryBody<'a> {
    fn new(cx: &Context<'a>, view: RepositoryView<'a>) -> Self {
        let repository = view.repository;
        let v5 = cx.version >= Version::V5;
        Self {
            id: &repository.id,
            name: &repository.name,
            description: &repository.description,
            path: &repository.path,
            proxy_id: repository.proxy_id(),
            retention_type: retention_type(repository.retention),
            capacity_bytes: repository.capacity_bytes,
            free_space_bytes: view.free_space_bytes,
            object_storage_id: view.storage.filter(|_| v5).map(|usage| &usage.storage.id),
            object_storage_encryption_enabled: v5.then(|| encrypted(&view)),
            links: EarlyRepositoryLinks {
                this: link(cx, "/BackupRepositories/", &repository.id, ""),
                proxy: repository
                    .proxy_id()
                    .map(|proxy| link(cx, "/Proxies/", proxy, "")),
            },
        }
    }
}

/// `RESTBackupRepository`. The outer `Option` leaves out what a version lacks.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContractRepositoryBody<'a> {
    /// v6, v7; v8 embeds the object storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage_id: Option<Option<&'a Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage_cache_path: Option<&'a str>,
    object_storage_encryption_enabled: Option<bool>,
    /// The key that encrypts what goes to object storage.
    encryption_key_id: Option<&'a Uuid>,
    capacity_bytes: Option<u64>,
    free_space_bytes: Option<u64>,
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    path: &'a str,
    retention_type: Option<&'static str>,
    retention_period_type: Option<&'static str>,
    daily_retention_period: Option<u32>,
    monthly_retention_period: Option<u32>,
    yearly_retention_period: Option<&'static str>,
    retention_frequency_type: Option<&'static str>,
    daily_time: String,
    daily_type: Option<&'static str>,
    monthly_time: String,
    #[serde(rename = "monthlyDaynumber")]
    monthly_day_number: Option<&'static str>,
    #[serde(rename = "monthlyDayofweek")]
    monthly_day_of_week: Option<&'static str>,
    proxy_id: Option<&'a Uuid>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_pool_id: Option<Option<&'a Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<Option<&'a Uuid>>,
    is_long_term: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_outdated: Option<bool>,
    is_out_of_sync: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_indexed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_migration_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_out_of_order: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out_of_order_reason: Option<Option<&'static str>>,
    #[serde(rename = "_links")]
    links: RepositoryLinks<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object_storage: Option<Option<StorageBody<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RepositoryLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy: Option<IdLink<'a>>,
    /// v8, where pools are served.
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_pool: Option<IdLink<'a>>,
    backedup_organizations: IdLink<'a>,
}

/// The retention period as the contract spreads it over four properties.
struct Period {
    kind: &'static str,
    days: Option<u32>,
    months: Option<u32>,
    years: Option<&'static str>,
}

impl Period {
    fn of(period: RetentionPeriod) -> Self {
        match period {
            RetentionPeriod::Daily { days } => Self {
                kind: "Daily",
                days: Some(days),
                months: None,
                years: None,
            },
            RetentionPeriod::Monthly { months } => Self {
                kind: "Monthly",
                days: None,
                months: Some(months),
                years: None,
            },
            RetentionPeriod::Yearly { years } => Self {
                kind: "Yearly",
                days: None,
                months: None,
                years: Some(yearly(years)),
            },
        }
    }
}

fn yearly(years: YearlyRetention) -> &'static str {
    match years {
        YearlyRetention::Year1 => "Year1",
        YearlyRetention::Years2 => "Years2",
        YearlyRetention::Years3 => "Years3",
        YearlyRetention::Years5 => "Years5",
        YearlyRetention::Years7 => "Years7",
        YearlyRetention::Years10 => "Years10",
        YearlyRetention::Years25 => "Years25",
        YearlyRetention::Keep => "Keep",
    }
}

/// The cleanup schedule as the contract spreads it. Its times are .NET `TimeSpan`s that
/// are never null: the one of the other kind is zero.
struct Cleanup {
    kind: &'static str,
    daily_time: String,
    daily_type: Option<&'static str>,
    monthly_time: String,
    day_number: Option<&'static str>,
    day_of_week: Option<&'static str>,
}

const NO_TIME: &str = "00:00:00";

impl Cleanup {
    fn of(cleanup: CleanupSchedule) -> Self {
        match cleanup {
            CleanupSchedule::Daily { at, days } => Self {
                kind: "Daily",
                daily_time: at.format("%H:%M:%S").to_string(),
                daily_type: Some(daily_kind(days)),
                monthly_time: NO_TIME.to_owned(),
                day_number: None,
                day_of_week: None,
            },
            CleanupSchedule::Monthly { at, week, day } => Self {
                kind: "Monthly",
                daily_time: NO_TIME.to_owned(),
                daily_type: None,
                monthly_time: at.format("%H:%M:%S").to_string(),
                day_number: Some(match week {
                    WeekOfMonth::First => "First",
                    WeekOfMonth::Second => "Second",
                    WeekOfMonth::Third => "Third",
                    WeekOfMonth::Fourth => "Fourth",
                    WeekOfMonth::Last => "Last",
                }),
                day_of_week: Some(day_name(day)),
            },
        }
    }
}

fn daily_kind(days: DailyKind) -> &'static str {
    match days {
        DailyKind::Everyday => "Everyday",
        DailyKind::Workdays => "Workdays",
        DailyKind::Weekends => "Weekends",
        DailyKind::Monday => "Monday",
        DailyKind::Tuesday => "Tuesday",
        DailyKind::Wednesday => "Wednesday",
        DailyKind::Thursday => "Thursday",
        DailyKind::Friday => "Friday",
        DailyKind::Saturday => "Saturday",
        DailyKind::Sunday => "Sunday",
    }
}

fn day_name(day: DayOfWeek) -> &'static str {
    match day {
        DayOfWeek::Sunday => "Sunday",
        DayOfWeek::Monday => "Monday",
        DayOfWeek::Tuesday => "Tuesday",
        DayOfWeek::Wednesday => "Wednesday",
        DayOfWeek::Thursday => "Thursday",
        DayOfWeek::Friday => "Friday",
        DayOfWeek::Saturday => "Saturday",
    }
}

impl<'a> ContractRepositoryBody<'a> {
    fn new(cx: &Context<'a>, view: RepositoryView<'a>) -> Self {
        let repository = view.repository;
        let v8 = cx.version >= Version::V8;
        let on_storage = view.storage.is_some();
        let period = Period::of(repository.retention_period);
        let cleanup = Cleanup::of(repository.cleanup);
        Self {
            object_storage_id: (!v8).then(|| view.storage.map(|usage| &usage.storage.id)),
            object_storage_cache_path: (!v8).then_some(if on_storage {
                &repository.path
            } else {
                ""
            }),
            object_storage_encryption_enabled: encrypted(&view),
            encryption_key_id: repository.encryption_key_id.as_ref(),
            capacity_bytes: Some(repository.capacity_bytes),
            free_space_bytes: Some(view.free_space_bytes),
            id: &repository.id,
            name: &repository.name,
            description: &repository.description,
            path: &repository.path,
            retention_type: Some(retention_type(repository.retention)),
            retention_period_type: Some(period.kind),
            daily_retention_period: period.days,
            monthly_retention_period: period.months,
            yearly_retention_period: period.years,
            retention_frequency_type: Some(cleanup.kind),
            daily_time: cleanup.daily_time,
            daily_type: cleanup.daily_type,
            monthly_time: cleanup.monthly_time,
            monthly_day_number: cleanup.day_number,
            monthly_day_of_week: cleanup.day_of_week,
            proxy_id: repository.proxy_id(),
            proxy_pool_id: v8.then(|| repository.pool_id()),
            organization_id: v8.then_some(repository.organization_id.as_ref()),
            is_long_term: Some(
                view.storage
                    .is_some_and(|usage| usage.storage.kind.is_long_term()),
            ),
            is_outdated: v8.then_some(false),
            is_out_of_sync: view.out_of_sync,
            is_indexed: v8.then_some(true),
            is_migration_locked: v8.then_some(false),
            is_out_of_order: v8.then_some(false),
            out_of_order_reason: v8.then_some(None),
            links: RepositoryLinks {
                this: link(cx, "/BackupRepositories/", &repository.id, ""),
                proxy: repository
                    .proxy_id()
                    .map(|proxy| link(cx, "/Proxies/", proxy, "")),
                proxy_pool: repository
                    .pool_id()
                    .filter(|_| v8)
                    .map(|pool| link(cx, "/ProxyPools/", pool, "")),
                backedup_organizations: link(
                    cx,
                    "/BackupRepositories/",
                    &repository.id,
                    "/backedupOrganizations",
                ),
            },
            object_storage: v8.then(|| view.storage.map(|usage| StorageBody::new(cx, usage))),
        }
    }
}

/// `GET /BackupRepositories/{id}/backedupOrganizations`: a page of the organizations whose
/// backups the repository holds, with the space they take.
pub fn backed_up_organizations<'a>(
    cx: &Context<'a>,
    usages: &[OrganizationUsage<'a>],
    page: PageInfo<'a>,
    paging: Paging,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        name: &'a str,
        id: &'a Uuid,
        used_space_bytes: Option<u64>,
        local_cache_used_space_bytes: Option<u64>,
        object_storage_used_space_bytes: Option<u64>,
    }
    let bodies: Vec<Body<'_>> = paging
        .slice(usages)
        .iter()
        .map(|usage| Body {
            name: &usage.organization.name,
            id: &usage.organization.id,
            used_space_bytes: Some(usage.used_bytes),
            local_cache_used_space_bytes: usage.in_object_storage.then_some(0),
            object_storage_used_space_bytes: usage.in_object_storage.then_some(usage.used_bytes),
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

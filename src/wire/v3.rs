//! The dashboard resources as v3 shaped them, which later versions extend: arrays (pages
//! for restore sessions and licensed users; in v8 for all), links absolute up to v5.

use std::fmt::{self, Display};

use axum::http::StatusCode;
use axum::response::Response;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::page::{PageBody, PageInfo, Paging};
use super::sessions::{IdLink, display, link, session_status};
use super::storage::StorageBody;
use super::time::{DotNetTime, OptionalTime, OwnedTime};
use super::{Context, Version, json_response};
use crate::model::{
    BackupSpan, BackupType, Job, JobSummary, LicenseUse, LicensedUser, Organization,
    OrganizationKind, Proxy, RepositoryView, RestoreAction, RestoreEvent, RestoreKind,
    RestoreResult, RestoreSession, RetentionType, Schedule, Timestamp,
};

fn ok<T: Serialize>(body: &T) -> Response {
    json_response(StatusCode::OK, body)
}

/// Organizations, jobs, repositories and proxies: a whole array up to v7, a page in v8.
fn array_or_page<T: Serialize>(
    cx: &Context<'_>,
    bodies: Vec<T>,
    paging: Paging,
    collection: &str,
) -> Response {
    if cx.version < Version::V8 {
        return ok(&bodies);
    }
    let total = bodies.len();
    let page: Vec<T> = bodies
        .into_iter()
        .skip(paging.offset)
        .take(paging.limit)
        .collect();
    ok(&PageBody::new(cx, paging.info(total, collection), page))
}

// ---------------------------------------------------------------------------------------
// Jobs

/// `GET /v3/Jobs` and `GET /v3/Organizations/{id}/Jobs`: a plain array.
pub fn jobs<'a>(
    cx: &Context<'a>,
    jobs: impl Iterator<Item = (&'a Job, JobSummary)>,
    paging: Paging,
    collection: &str,
) -> Response {
    let bodies: Vec<JobBody<'_>> = jobs
        .map(|(job, summary)| JobBody::new(cx, job, summary))
        .collect();
    array_or_page(cx, bodies, paging, collection)
}

pub fn job(cx: &Context<'_>, job: &Job, summary: JobSummary) -> Response {
    ok(&JobBody::new(cx, job, summary))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    last_run: Option<OwnedTime>,
    next_run: Option<OwnedTime>,
    is_enabled: bool,
    backup_type: &'static str,
    last_status: Option<&'static str>,
    schedule_policy: SchedulePolicyBody,
    #[serde(rename = "_links")]
    links: JobLinks<'a>,
}

impl<'a> JobBody<'a> {
    fn new(cx: &Context<'a>, job: &'a Job, summary: JobSummary) -> Self {
        Self {
            id: &job.id,
            name: &job.name,
            description: &job.description,
            last_run: summary.last_run.map(OwnedTime),
            next_run: summary.next_run.map(OwnedTime),
            is_enabled: job.is_enabled,
            backup_type: match job.backup_type {
                BackupType::EntireOrganization => "EntireOrganization",
                BackupType::SelectedItems => "SelectedItems",
            },
            last_status: summary.last_status.map(session_status),
            schedule_policy: SchedulePolicyBody::new(&job.schedule),
            links: JobLinks {
                this: link(cx, "/Jobs/", &job.id, ""),
                organization: link(cx, "/Organizations/", &job.organization_id, ""),
                backup_repository: link(cx, "/BackupRepositories/", &job.repository_id, ""),
                jobsessions: link(cx, "/Jobs/", &job.id, "/JobSessions"),
                excluded_items: link(cx, "/Jobs/", &job.id, "/ExcludedItems"),
                selected_items: link(cx, "/Jobs/", &job.id, "/SelectedItems"),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SchedulePolicyBody {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    periodically_every: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    daily_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    daily_time: Option<String>,
    retry_enabled: bool,
    retry_number: u32,
    retry_wait_interval: u32,
    backup_window_enabled: bool,
}

impl SchedulePolicyBody {
    fn new(schedule: &Schedule) -> Self {
        let (kind, periodically_every, daily_type, daily_time) = match schedule {
            Schedule::Daily { at } => (
                "Daily",
                None,
                Some("Everyday"),
                Some(at.format("%H:%M:%S").to_string()),
            ),
            Schedule::Periodically { every_minutes } => (
                "Periodically",
                Some(period_name(*every_minutes)),
                None,
                None,
            ),
            Schedule::ManualOnly => ("ManualOnly", None, None, None),
        };
        Self {
            kind,
            periodically_every,
            daily_type,
            daily_time,
            retry_enabled: true,
            retry_number: 3,
            retry_wait_interval: 10,
            backup_window_enabled: false,
        }
    }
}

/// The service offers these periods only; a world's other values round up to the next one.
fn period_name(minutes: u32) -> &'static str {
    match minutes {
        0..=5 => "Minutes5",
        6..=10 => "Minutes10",
        11..=15 => "Minutes15",
        16..=30 => "Minutes30",
        31..=60 => "Hours1",
        61..=120 => "Hours2",
        121..=240 => "Hours4",
        _ => "Hours8",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    organization: IdLink<'a>,
    backup_repository: IdLink<'a>,
    jobsessions: IdLink<'a>,
    excluded_items: IdLink<'a>,
    selected_items: IdLink<'a>,
}

// ---------------------------------------------------------------------------------------
// Organizations

/// `GET /v3/Organizations`: a plain array.
pub fn organizations<'a>(
    cx: &Context<'a>,
    organizations: impl Iterator<Item = (&'a Organization, BackupSpan)>,
    paging: Paging,
) -> Response {
    let bodies: Vec<OrganizationBody<'_>> = organizations
        .map(|(organization, span)| OrganizationBody::new(cx, organization, span))
        .collect();
    array_or_page(cx, bodies, paging, "/Organizations")
}

pub fn organization(cx: &Context<'_>, organization: &Organization, span: BackupSpan) -> Response {
    ok(&OrganizationBody::new(cx, organization, span))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrganizationBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    region: &'a str,
    is_exchange_online: bool,
    #[serde(rename = "isSharePointOnline")]
    is_sharepoint_online: bool,
    id: &'a Uuid,
    name: &'a str,
    office_name: &'a str,
    /// The service spells these three this way.
    #[serde(rename = "isBackedup")]
    is_backed_up: bool,
    #[serde(rename = "firstBackuptime")]
    first_backup_time: Option<OwnedTime>,
    #[serde(rename = "lastBackuptime")]
    last_backup_time: Option<OwnedTime>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
}

impl<'a> OrganizationBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, span: BackupSpan) -> Self {
        let id = &organization.id;
        Self {
            kind: match organization.kind {
                OrganizationKind::Office365 => "Office365",
                OrganizationKind::OnPremises => "OnPremises",
                OrganizationKind::Hybrid => "Hybrid",
            },
            region: &organization.region,
            is_exchange_online: organization.exchange_online,
            is_sharepoint_online: organization.sharepoint_online,
            id,
            name: &organization.name,
            office_name: &organization.office_name,
            is_backed_up: span.first.is_some(),
            first_backup_time: span.first.map(OwnedTime),
            last_backup_time: span.last.map(OwnedTime),
            links: OrganizationLinks {
                this: link(cx, "/Organizations/", id, ""),
                jobs: link(cx, "/Organizations/", id, "/Jobs"),
                groups: link(cx, "/Organizations/", id, "/Groups"),
                users: link(cx, "/Organizations/", id, "/Users"),
                sites: link(cx, "/Organizations/", id, "/Sites"),
                used_repositories: link(cx, "/Organizations/", id, "/UsedRepositories"),
            },
            actions: EmptyObject {},
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrganizationLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    jobs: IdLink<'a>,
    groups: IdLink<'a>,
    users: IdLink<'a>,
    sites: IdLink<'a>,
    used_repositories: IdLink<'a>,
}

#[derive(Serialize)]
struct EmptyObject {}

/// `GET /v3/Organizations/{id}/LicensingInformation`.
pub fn licensing_information(usage: LicenseUse) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        licensed_users: usize,
        new_users: usize,
    }
    ok(&Body {
        licensed_users: usage.used,
        new_users: usage.new,
    })
}

// ---------------------------------------------------------------------------------------
// Backup repositories and proxies

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

// ---------------------------------------------------------------------------------------
// Restore sessions

/// `GET /v3/RestoreSessions`: a page. Each session names its organization.
pub fn restore_sessions<'a>(
    cx: &Context<'a>,
    sessions: impl Iterator<Item = (&'a RestoreSession, &'a str)>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<RestoreSessionBody<'_>> = sessions
        .map(|(session, organization)| RestoreSessionBody::new(cx, session, organization))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn restore_session(cx: &Context<'_>, session: &RestoreSession, organization: &str) -> Response {
    ok(&RestoreSessionBody::new(cx, session, organization))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreSessionBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    organization: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    creation_time: DotNetTime<'a>,
    end_time: OptionalTime<'a>,
    state: &'static str,
    result: &'static str,
    initiated_by: &'a str,
    details: &'a str,
    #[serde(rename = "_links")]
    links: RestoreSessionLinks<'a>,
}

impl<'a> RestoreSessionBody<'a> {
    fn new(cx: &Context<'a>, session: &'a RestoreSession, organization: &'a str) -> Self {
        Self {
            id: &session.id,
            name: &session.name,
            organization,
            kind: match session.kind {
                RestoreKind::Vex => "Vex",
                RestoreKind::Veod => "Veod",
                RestoreKind::Vesp => "Vesp",
            },
            creation_time: DotNetTime(&session.creation_time),
            end_time: OptionalTime(session.end_time.as_ref()),
            state: if session.end_time.is_some() {
                "Stopped"
            } else {
                "Working"
            },
            result: restore_result(session.result),
            initiated_by: &session.initiated_by,
            details: &session.details,
            links: RestoreSessionLinks {
                this: link(cx, "/RestoreSessions/", &session.id, ""),
                events: link(cx, "/RestoreSessions/", &session.id, "/Events"),
                organization: link(cx, "/Organizations/", &session.organization_id, ""),
            },
        }
    }
}

#[derive(Serialize)]
struct RestoreSessionLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    events: IdLink<'a>,
    organization: IdLink<'a>,
}

fn restore_result(result: RestoreResult) -> &'static str {
    match result {
        RestoreResult::Success => "Success",
        RestoreResult::Warning => "Warning",
        RestoreResult::Failed => "Failed",
    }
}

/// `GET /v3/RestoreSessions/{id}/Events`: a page of what the session restored.
pub fn restore_events(
    cx: &Context<'_>,
    session_id: &Uuid,
    events: &[RestoreEvent],
    first_order: usize,
    page: PageInfo<'_>,
) -> Response {
    let bodies: Vec<RestoreEventBody<'_>> = events
        .iter()
        .enumerate()
        .map(|(index, event)| RestoreEventBody::new(cx, session_id, event, first_order + index))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreEventBody<'a> {
    id: &'a Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    item_name: &'a str,
    item_type: &'a str,
    item_size_bytes: u64,
    source: &'a str,
    target: &'a str,
    start_time: DotNetTime<'a>,
    end_time: DotNetTime<'a>,
    #[serde(serialize_with = "display")]
    duration: TimeSpan,
    title: String,
    message: &'a str,
    order: usize,
    #[serde(rename = "_links")]
    links: RestoreEventLinks<'a>,
}

impl<'a> RestoreEventBody<'a> {
    fn new(cx: &Context<'a>, session_id: &'a Uuid, event: &'a RestoreEvent, order: usize) -> Self {
        let status = restore_result(event.result);
        Self {
            id: &event.id,
            kind: match event.action {
                RestoreAction::Restore => "Restore",
                RestoreAction::Save => "Save",
                RestoreAction::Export => "Export",
                RestoreAction::Send => "Send",
            },
            status,
            item_name: &event.item_name,
            item_type: &event.item_type,
            item_size_bytes: event.item_size_bytes,
            source: &event.source,
            target: &event.target,
            start_time: DotNetTime(&event.start_time),
            end_time: DotNetTime(&event.end_time),
            duration: TimeSpan(event.end_time - event.start_time),
            title: format!("[{status}] {}", event.item_name),
            message: &event.message,
            order,
            links: RestoreEventLinks {
                restore_session: link(cx, "/RestoreSessions/", session_id, ""),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreEventLinks<'a> {
    restore_session: IdLink<'a>,
}

/// A .NET `TimeSpan` as Json.NET writes it: `hh:mm:ss` plus seven fractional digits when
/// there is a fraction.
struct TimeSpan(chrono::TimeDelta);

impl Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0.num_seconds().max(0);
        let ticks = self.0.subsec_nanos().max(0) / 100;
        write!(
            f,
            "{:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        )?;
        if ticks > 0 {
            write!(f, ".{ticks:07}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Licensed users

/// `GET /v3/LicensedUsers`: a page; `lastBackupDate` is the user's organization's last backup.
pub fn licensed_users<'a>(
    cx: &Context<'a>,
    users: impl Iterator<Item = (&'a LicensedUser, Option<Timestamp>)>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<LicensedUserBody<'_>> = users
        .map(|(user, last_backup)| LicensedUserBody {
            id: &user.id,
            name: &user.name,
            is_backed_up: last_backup.is_some(),
            last_backup_date: OwnedOptionalTime(last_backup),
            license_state: if user.is_new { "New" } else { "Licensed" },
            backed_up_organization_id: &user.organization_id,
            links: LicensedUserLinks {
                organization: link(cx, "/Organizations/", &user.organization_id, ""),
            },
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LicensedUserBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    is_backed_up: bool,
    last_backup_date: OwnedOptionalTime,
    license_state: &'static str,
    backed_up_organization_id: &'a Uuid,
    #[serde(rename = "_links")]
    links: LicensedUserLinks<'a>,
}

#[derive(Serialize)]
struct LicensedUserLinks<'a> {
    organization: IdLink<'a>,
}

/// A computed time that the contract does not let be null.
struct OwnedOptionalTime(Option<Timestamp>);

impl Serialize for OwnedOptionalTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        OptionalTime(self.0.as_ref()).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_span_is_written_as_dotnet_does() {
        assert_eq!(
            TimeSpan(chrono::TimeDelta::milliseconds(12_345)).to_string(),
            "00:00:12.3450000"
        );
        assert_eq!(
            TimeSpan(chrono::TimeDelta::seconds(3_725)).to_string(),
            "01:02:05"
        );
    }

    #[test]
    fn periods_round_up_to_the_ones_the_service_offers() {
        assert_eq!(period_name(5), "Minutes5");
        assert_eq!(period_name(45), "Hours1");
        assert_eq!(period_name(480), "Hours8");
        assert_eq!(period_name(1_440), "Hours8");
    }
}

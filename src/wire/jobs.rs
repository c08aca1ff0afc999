//! Jobs and their selected and excluded items as every version renders them: arrays up to
//! v7, pages in v8; v3..v5 in the shape the dashboards of those releases read, v6 on every
//! property of the vendor's contract, null where the world has no value.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::directory::{GroupBody, TeamBody, UserBody, in_organization, path_link, site_name};
use super::links::{Href, IdLink, Link, SubPath, link, sub_link};
use super::page::{PageBody, PageInfo, Paging, array_or_page};
use super::sessions::session_status;
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{
    BackupType, DailyKind, JobItemView, JobObject, JobView, ResolvedObject, Schedule, Site,
};

/// `GET /Jobs` and `GET /Organizations/{id}/Jobs`.
pub fn jobs<'a>(
    cx: &Context<'a>,
    jobs: impl Iterator<Item = JobView<'a>>,
    paging: Paging,
    collection: &str,
) -> Response {
    let bodies: Vec<JobBody<'_>> = jobs.map(|view| JobBody::new(cx, view)).collect();
    array_or_page(cx, bodies, paging, collection)
}

pub fn job(cx: &Context<'_>, view: JobView<'_>) -> Response {
    ok(&JobBody::new(cx, view))
}

/// A job in the version's shape.
#[derive(Serialize)]
#[serde(untagged)]
enum JobBody<'a> {
    Early(Box<EarlyJobBody<'a>>),
    Contract(Box<ContractJobBody<'a>>),
}

impl<'a> JobBody<'a> {
    fn new(cx: &Context<'a>, view: JobView<'a>) -> Self {
        if cx.version <= Version::V5 {
            Self::Early(Box::new(EarlyJobBody::new(cx, &view)))
        } else {
            Self::Contract(Box::new(ContractJobBody::new(cx, view)))
        }
    }
}

fn backup_type(kind: BackupType) -> &'static str {
    match kind {
        BackupType::EntireOrganization => "EntireOrganization",
        BackupType::SelectedItems => "SelectedItems",
    }
}

/// A job as v3..v5 answer it (the real 3.0 server's field set).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyJobBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    last_run: Option<OwnedTime>,
    next_run: Option<OwnedTime>,
    is_enabled: bool,
    backup_type: &'static str,
    last_status: Option<&'static str>,
    schedule_policy: EarlySchedulePolicy,
    #[serde(rename = "_links")]
    links: JobLinks<'a>,
}

impl<'a> EarlyJobBody<'a> {
    fn new(cx: &Context<'a>, view: &JobView<'a>) -> Self {
        let job = view.job;
        Self {
            id: &job.id,
            name: &job.name,
            description: &job.description,
            last_run: view.summary.last_run.map(OwnedTime),
            next_run: view.summary.next_run.map(OwnedTime),
            is_enabled: job.is_enabled,
            backup_type: backup_type(job.backup_type),
            last_status: view.summary.last_status.map(session_status),
            schedule_policy: EarlySchedulePolicy::new(view),
            links: JobLinks::new(cx, view),
        }
    }
}

/// `schedulePolicy` up to v5: only what applies to the schedule's type.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlySchedulePolicy {
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

impl EarlySchedulePolicy {
    fn new(view: &JobView<'_>) -> Self {
        let job = view.job;
        let when = When::of(&job.schedule);
        Self {
            kind: when.kind,
            periodically_every: when.periodically_every,
            daily_type: when.daily_type,
            daily_time: when.daily_time,
            retry_enabled: job.retry.enabled,
            retry_number: job.retry.number,
            retry_wait_interval: job.retry.wait_minutes,
            backup_window_enabled: job.backup_window.is_some(),
        }
    }
}

/// The parts of a schedule every version writes alike.
struct When {
    kind: &'static str,
    periodically_every: Option<&'static str>,
    daily_type: Option<&'static str>,
    daily_time: Option<String>,
}

impl When {
    fn of(schedule: &Schedule) -> Self {
        match schedule {
            Schedule::Daily { at, days } => Self {
                kind: "Daily",
                periodically_every: None,
                daily_type: Some(daily_type(*days)),
                daily_time: Some(at.format("%H:%M:%S").to_string()),
            },
            Schedule::Periodically { every_minutes } => Self {
                kind: "Periodically",
                periodically_every: Some(period_name(*every_minutes)),
                daily_type: None,
                daily_time: None,
            },
            Schedule::ManualOnly => Self {
                kind: "ManualOnly",
                periodically_every: None,
                daily_type: None,
                daily_time: None,
            },
        }
    }
}

pub(super) fn daily_type(days: DailyKind) -> &'static str {
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

/// The service offers these periods only; a world's other values round up to the next one.
pub(super) fn period_name(minutes: u32) -> &'static str {
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

/// A job as the v6..v8 contracts give it. Properties a version lacks are left out (the
/// outer `Option`), those it has but the world does not know are null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContractJobBody<'a> {
    description: &'a str,
    backup_type: &'static str,
    /// v6, v7: whether the job was to start once created; not kept, so null.
    #[serde(skip_serializing_if = "Option::is_none")]
    run_now: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    selected_items: Option<Vec<JobItemBody<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excluded_items: Option<Vec<JobItemBody<'a>>>,
    schedule_policy: SchedulePolicyBody,
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<&'a Uuid>,
    repository_id: &'a Uuid,
    name: &'a str,
    last_run: Option<OwnedTime>,
    next_run: Option<OwnedTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_backup: Option<Option<OwnedTime>>,
    is_enabled: bool,
    last_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<u64>,
    #[serde(rename = "_links")]
    links: JobLinks<'a>,
}

impl<'a> ContractJobBody<'a> {
    fn new(cx: &Context<'a>, view: JobView<'a>) -> Self {
        let job = view.job;
        let version = cx.version;
        let items_inline = version <= Version::V7;
        let items = |views: &[JobItemView<'a>], list| {
            items_inline.then(|| {
                views
                    .iter()
                    .map(|item| JobItemBody::new(cx, item, list))
                    .collect()
            })
        };
        Self {
            description: &job.description,
            backup_type: backup_type(job.backup_type),
            run_now: items_inline.then_some(None),
            selected_items: items(&view.selected_items, ItemList::Selected),
            excluded_items: items(&view.excluded_items, ItemList::Excluded),
            schedule_policy: SchedulePolicyBody::new(cx, &view),
            id: &job.id,
            organization_id: (version >= Version::V8).then_some(&job.organization_id),
            repository_id: &job.repository_id,
            name: &job.name,
            last_run: view.summary.last_run.map(OwnedTime),
            next_run: view.summary.next_run.map(OwnedTime),
            last_backup: (version >= Version::V7).then(|| view.last_backup.map(OwnedTime)),
            is_enabled: job.is_enabled,
            last_status: view.summary.last_status.map(session_status),
            e_tag: (version >= Version::V8).then_some(job.revision),
            links: JobLinks::new(cx, &view),
        }
    }
}

/// `schedulePolicy` from v6: every setting, null where it does not apply.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SchedulePolicyBody {
    schedule_enabled: bool,
    backup_window_enabled: bool,
    backup_window_settings: BackupWindowBody,
    /// From v7.
    #[serde(skip_serializing_if = "Option::is_none")]
    periodically_window_enabled: Option<bool>,
    periodically_window_settings: BackupWindowBody,
    periodically_offset_minutes: Option<u32>,
    #[serde(rename = "type")]
    kind: &'static str,
    periodically_every: Option<&'static str>,
    daily_type: Option<&'static str>,
    daily_time: String,
    retry_enabled: bool,
    retry_number: u32,
    retry_wait_interval: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BackupWindowBody {
    backup_window: Vec<bool>,
    minute_offset: Option<i32>,
}

impl BackupWindowBody {
    /// The window's hours; a job without one may run in every hour of the week.
    pub(super) fn of(hours: Option<&[bool]>) -> Self {
        Self {
            backup_window: hours.map_or_else(|| vec![true; 168], <[bool]>::to_vec),
            minute_offset: None,
        }
    }
}

impl SchedulePolicyBody {
    fn new(cx: &Context<'_>, view: &JobView<'_>) -> Self {
        let job = view.job;
        let when = When::of(&job.schedule);
        let periodic = matches!(job.schedule, Schedule::Periodically { .. });
        Self {
            schedule_enabled: !matches!(job.schedule, Schedule::ManualOnly),
            backup_window_enabled: job.backup_window.is_some(),
            backup_window_settings: BackupWindowBody::of(job.backup_window.as_deref()),
            periodically_window_enabled: (cx.version >= Version::V7).then_some(false),
            periodically_window_settings: BackupWindowBody::of(None),
            periodically_offset_minutes: periodic.then_some(0),
            kind: when.kind,
            periodically_every: when.periodically_every,
            daily_type: when.daily_type,
            // Json.NET writes a TimeSpan it was never given as zero.
            daily_time: when.daily_time.unwrap_or_else(|| "00:00:00".to_owned()),
            retry_enabled: job.retry.enabled,
            retry_number: job.retry.number,
            retry_wait_interval: job.retry.wait_minutes,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    organization: IdLink<'a>,
    backup_repository: IdLink<'a>,
    /// Up to v6, where `/Jobs/{id}/JobSessions` exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    jobsessions: Option<IdLink<'a>>,
    excluded_items: IdLink<'a>,
    selected_items: IdLink<'a>,
    /// v6 on: the job's backup copy job, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    copy_job: Option<IdLink<'a>>,
}

impl<'a> JobLinks<'a> {
    fn new(cx: &Context<'a>, view: &JobView<'a>) -> Self {
        let job = view.job;
        Self {
            this: link(cx, "/Jobs/", &job.id, ""),
            organization: link(cx, "/Organizations/", &job.organization_id, ""),
            backup_repository: link(cx, "/BackupRepositories/", &job.repository_id, ""),
            jobsessions: cx
                .version
                .has_sessions_of_job()
                .then(|| link(cx, "/Jobs/", &job.id, "/JobSessions")),
            excluded_items: link(cx, "/Jobs/", &job.id, "/ExcludedItems"),
            selected_items: link(cx, "/Jobs/", &job.id, "/SelectedItems"),
            copy_job: view
                .copy_job_id
                .filter(|_| cx.version.has_copy_jobs())
                .map(|_| link(cx, "/Jobs/", &job.id, "/CopyJob")),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Selected and excluded items

/// Which of a job's lists an item is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemList {
    Selected,
    Excluded,
}

impl ItemList {
    /// The list's path under its job, e.g. `/SelectedItems`.
    pub fn path(self) -> &'static str {
        match self {
            Self::Selected => "/SelectedItems",
            Self::Excluded => "/ExcludedItems",
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Self::Selected => "/SelectedItems/",
            Self::Excluded => "/ExcludedItems/",
        }
    }
}

/// `GET /Jobs/{id}/SelectedItems` (or `ExcludedItems`): an array up to v7, a page in v8.
pub fn job_items<'a>(
    cx: &Context<'a>,
    items: &[JobItemView<'a>],
    list: ItemList,
    page: PageInfo<'a>,
    paging: Paging,
) -> Response {
    if cx.version >= Version::V8 {
        let bodies: Vec<JobItemBody<'_>> = paging
            .slice(items)
            .iter()
            .map(|item| JobItemBody::new(cx, item, list))
            .collect();
        return ok(&PageBody::new(cx, page, bodies));
    }
    let bodies: Vec<JobItemBody<'_>> = items
        .iter()
        .map(|item| JobItemBody::new(cx, item, list))
        .collect();
    ok(&bodies)
}

pub fn job_item(cx: &Context<'_>, item: &JobItemView<'_>, list: ItemList) -> Response {
    ok(&JobItemBody::new(cx, item, list))
}

/// `RESTJobItemComposed`: the item's type, the object it names (one of `user`, `group`,
/// `site`, `team`) and the data flags that apply to that type; the rest null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobItemBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    folders: &'a [String],
    id: &'a Uuid,
    #[serde(rename = "_links")]
    links: ItemLinks<'a>,
    mailbox: Option<bool>,
    one_drive: Option<bool>,
    archive_mailbox: Option<bool>,
    sites: Option<bool>,
    teams: Option<bool>,
    teams_chats: Option<bool>,
    site: Option<JobSiteBody<'a>>,
    team: Option<TeamBody<'a>>,
    /// v6 also sends the flag under this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    chats: Option<Option<bool>>,
    user: Option<UserBody<'a>>,
    personal_site: Option<bool>,
    group: Option<GroupBody<'a>>,
    members: Option<bool>,
    member_mailbox: Option<bool>,
    member_archive_mailbox: Option<bool>,
    member_onedrive: Option<bool>,
    member_site: Option<bool>,
    group_site: Option<bool>,
}

#[derive(Serialize)]
struct ItemLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, SubPath<'a>>>,
    job: IdLink<'a>,
}

impl<'a> JobItemBody<'a> {
    fn new(cx: &Context<'a>, view: &JobItemView<'a>, list: ItemList) -> Self {
        let item = view.item;
        let data = item.data;
        let (user_flags, group_flags, organization_flags) = match item.object {
            JobObject::User(_) => (true, false, false),
            JobObject::Group(_) => (false, true, false),
            JobObject::PartialOrganization => (true, false, true),
            _ => (false, false, false),
        };
        let flag = |applies: bool, value: bool| applies.then_some(value);
        let chats = flag(organization_flags, data.teams_chats);
        let (mut user, mut group, mut site, mut team) = (None, None, None, None);
        match view.object {
            Some(ResolvedObject::User(found)) => user = Some(UserBody::new(cx, found)),
            Some(ResolvedObject::Group(found)) => group = Some(GroupBody::new(cx, found)),
            Some(ResolvedObject::Site(found)) => site = Some(JobSiteBody::new(cx, found)),
            Some(ResolvedObject::Team(found)) => team = Some(TeamBody::new(cx, found)),
            None => {}
        }
        Self {
            kind: match item.object {
                JobObject::User(_) => "User",
                JobObject::Group(_) => "Group",
                JobObject::Site(_) => "Site",
                JobObject::Team(_) => "Team",
                JobObject::PartialOrganization => "PartialOrganization",
                JobObject::PersonalSites => "PersonalSites",
                JobObject::OneDriveFolders(_) => "OneDriveFolders",
            },
            folders: &item.folders,
            id: &item.id,
            links: ItemLinks {
                this: sub_link(cx, "/Jobs/", view.job_id, list.segment(), &item.id),
                job: link(cx, "/Jobs/", view.job_id, ""),
            },
            mailbox: flag(user_flags, data.mailbox),
            one_drive: flag(user_flags, data.one_drive),
            archive_mailbox: flag(user_flags, data.archive_mailbox),
            sites: flag(organization_flags, data.sites),
            teams: flag(organization_flags, data.teams),
            teams_chats: chats,
            site,
            team,
            chats: (cx.version <= Version::V6).then_some(chats),
            user,
            personal_site: flag(user_flags, data.personal_site),
            group,
            members: flag(group_flags, data.members),
            member_mailbox: flag(group_flags, data.member_mailbox),
            member_archive_mailbox: flag(group_flags, data.member_archive_mailbox),
            member_onedrive: flag(group_flags, data.member_onedrive),
            member_site: flag(group_flags, data.member_site),
            group_site: flag(group_flags, data.group_site),
        }
    }
}

/// `RESTJobSite`: a site as a job item names it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobSiteBody<'a> {
    id: &'a Uuid,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<Option<i64>>,
    url: &'a str,
    parent_url: &'a str,
    name: &'a str,
    is_cloud: bool,
    is_personal: bool,
    title: &'a str,
    site_collection_error: &'static str,
    #[serde(rename = "_links")]
    links: SiteLinks<'a>,
}

#[derive(Serialize)]
struct SiteLinks<'a> {
    #[serde(rename = "self")]
    this: super::directory::PathLink<'a>,
}

impl<'a> JobSiteBody<'a> {
    fn new(cx: &Context<'a>, site: &'a Site) -> Self {
        Self {
            id: &site.id,
            e_tag: (cx.version >= Version::V8).then_some(None),
            url: &site.url,
            parent_url: &site.parent_url,
            name: site_name(site),
            is_cloud: site.is_cloud,
            is_personal: site.is_personal,
            title: &site.title,
            site_collection_error: "",
            links: SiteLinks {
                this: path_link(
                    cx,
                    in_organization(cx, &site.organization_id, &format!("/Sites/{}", site.id)),
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_up_to_the_ones_the_service_offers() {
        assert_eq!(period_name(5), "Minutes5");
        assert_eq!(period_name(45), "Hours1");
        assert_eq!(period_name(480), "Hours8");
        assert_eq!(period_name(1_440), "Hours8");
    }
}

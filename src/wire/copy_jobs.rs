//! Backup copy jobs (v6 on) as each version renders them: arrays in v6 and v7, pages in
//! v8; v7 adds `lastBackup`, v8 `organizationId` and `eTag` and the twelve-hour period.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::jobs::{BackupWindowBody, daily_type, period_name};
use super::links::{IdLink, link};
use super::page::{Paging, array_or_page};
use super::sessions::session_status;
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{CopyJobView, CopySchedule};

/// `GET /CopyJobs`.
pub fn copy_jobs<'a>(
    cx: &Context<'a>,
    views: impl Iterator<Item = CopyJobView<'a>>,
    paging: Paging,
) -> Response {
    let bodies: Vec<CopyJobBody<'_>> = views.map(|view| CopyJobBody::new(cx, view)).collect();
    array_or_page(cx, bodies, paging, "/CopyJobs")
}

/// `GET /CopyJobs/{id}`, `GET /Jobs/{jobId}/CopyJob`, and the answer to a create.
pub fn copy_job(cx: &Context<'_>, view: CopyJobView<'_>) -> Response {
    ok(&CopyJobBody::new(cx, view))
}

/// `RESTCopyJob`: the properties a version lacks are left out (the outer `Option`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopyJobBody<'a> {
    backup_job_id: &'a Uuid,
    schedule_policy: CopySchedulePolicyBody,
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<Option<&'a Uuid>>,
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
    links: CopyJobLinks<'a>,
}

impl<'a> CopyJobBody<'a> {
    fn new(cx: &Context<'a>, view: CopyJobView<'a>) -> Self {
        let copy_job = view.copy_job;
        let version = cx.version;
        Self {
            backup_job_id: &copy_job.backup_job_id,
            schedule_policy: CopySchedulePolicyBody::new(
                version,
                &copy_job.schedule,
                copy_job.copy_window.as_deref(),
            ),
            id: &copy_job.id,
            organization_id: (version >= Version::V8).then_some(view.organization_id),
            repository_id: &copy_job.repository_id,
            name: &copy_job.name,
            last_run: view.summary.last_run.map(OwnedTime),
            next_run: view.summary.next_run.map(OwnedTime),
            last_backup: (version >= Version::V7).then(|| view.last_backup.map(OwnedTime)),
            is_enabled: copy_job.is_enabled,
            last_status: view.summary.last_status.map(session_status),
            e_tag: (version >= Version::V8).then_some(copy_job.revision),
            links: CopyJobLinks {
                this: link(cx, "/CopyJobs/", &copy_job.id, ""),
                backup_job: link(cx, "/Jobs/", &copy_job.backup_job_id, ""),
                backup_repository: link(cx, "/BackupRepositories/", &copy_job.repository_id, ""),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopyJobLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    backup_job: IdLink<'a>,
    backup_repository: IdLink<'a>,
}

/// `RESTCopyJobSchedulePolicy`: the type and what applies to it, null where it does not.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopySchedulePolicyBody {
    #[serde(rename = "type")]
    kind: &'static str,
    periodically_every: Option<&'static str>,
    daily_type: Option<&'static str>,
    daily_time: String,
    backup_copy_window_enabled: bool,
    backup_copy_window_settings: BackupWindowBody,
}

impl CopySchedulePolicyBody {
    fn new(version: Version, schedule: &CopySchedule, window: Option<&[bool]>) -> Self {
        let (kind, periodically_every, daily_type, daily_time) = match *schedule {
            CopySchedule::Immediate => ("Immediate", None, None, None),
            CopySchedule::Daily { at, days } => (
                "DailyAtTime",
                None,
                Some(daily_type(days)),
                Some(at.format("%H:%M:%S").to_string()),
            ),
            CopySchedule::Periodically { every_minutes } => (
                "Periodically",
                Some(copy_period_name(version, every_minutes)),
                None,
                None,
            ),
        };
        Self {
            kind,
            periodically_every,
            daily_type,
            // Json.NET writes a TimeSpan it was never given as zero.
            daily_time: daily_time.unwrap_or_else(|| "00:00:00".to_owned()),
            backup_copy_window_enabled: window.is_some(),
            backup_copy_window_settings: BackupWindowBody::of(window),
        }
    }
}

/// The periods of a copy job: a job's, and from v8 twelve hours.
fn copy_period_name(version: Version, minutes: u32) -> &'static str {
    if version >= Version::V8 && minutes > 480 {
        "Hours12"
    } else {
        period_name(minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_hours_is_a_period_from_v8() {
        assert_eq!(copy_period_name(Version::V8, 720), "Hours12");
        assert_eq!(copy_period_name(Version::V7, 720), "Hours8");
        assert_eq!(copy_period_name(Version::V8, 60), "Hours1");
    }
}

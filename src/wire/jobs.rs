//! Jobs as every version renders them: an array up to v7, a page in v8.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{Paging, array_or_page};
use super::sessions::session_status;
use super::time::OwnedTime;
use super::{Context, ok};
use crate::model::{BackupType, Job, JobSummary, Schedule};

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

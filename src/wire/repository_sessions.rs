//! The sessions that work on repositories: synchronizations of a repository's cache with
//! its object storage (v6 on, arrays) and, in v8, moves of repositories to another owner
//! (pages). What they show follows from the clock's now.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{Paging, array_or_page};
use super::time::OwnedTime;
use super::{Context, ok};
use crate::model::{OwnerChange, OwnerChangeStatus, RepositorySync, SyncProgress, Timestamp};

/// `GET /RepositorySynchronizeSessions`: every synchronization, newest first.
pub fn syncs<'a>(
    cx: &Context<'a>,
    syncs: impl Iterator<Item = &'a RepositorySync>,
    now: Timestamp,
) -> Response {
    let bodies: Vec<SyncBody<'_>> = syncs.map(|sync| SyncBody::new(cx, sync, now)).collect();
    ok(&bodies)
}

pub fn sync(cx: &Context<'_>, sync: &RepositorySync, now: Timestamp) -> Response {
    ok(&SyncBody::new(cx, sync, now))
}

/// `RESTRepositorySynchronizeSession`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SyncBody<'a> {
    id: &'a Uuid,
    repository_id: &'a Uuid,
    state: &'static str,
    progress_percent: u8,
    error: &'static str,
    #[serde(rename = "_links")]
    links: SyncLinks<'a>,
}

#[derive(Serialize)]
struct SyncLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    repository: IdLink<'a>,
}

impl<'a> SyncBody<'a> {
    fn new(cx: &Context<'a>, sync: &'a RepositorySync, now: Timestamp) -> Self {
        let (state, progress_percent, error) = match sync.progress(now) {
            SyncProgress::Synchronizing { percent } => ("Synchronizing", percent, ""),
            SyncProgress::Done => ("None", 100, ""),
            SyncProgress::Stopped { percent } => (
                "Failed",
                percent,
                "The synchronization was stopped before it ended.",
            ),
        };
        Self {
            id: &sync.id,
            repository_id: &sync.repository_id,
            state,
            progress_percent,
            error,
            links: SyncLinks {
                this: link(cx, "/RepositorySynchronizeSessions/", &sync.id, ""),
                repository: link(cx, "/BackupRepositories/", &sync.repository_id, ""),
            },
        }
    }
}

/// `GET /RepositoryOwnerChangeSessions` (v8): a page, newest first.
pub fn owner_changes<'a>(
    cx: &Context<'a>,
    changes: impl Iterator<Item = &'a OwnerChange>,
    paging: Paging,
    now: Timestamp,
) -> Response {
    let bodies: Vec<OwnerChangeBody<'_>> = changes
        .map(|change| OwnerChangeBody::new(change, now))
        .collect();
    array_or_page(cx, bodies, paging, "/RepositoryOwnerChangeSessions")
}

pub fn owner_change(change: &OwnerChange, now: Timestamp) -> Response {
    ok(&OwnerChangeBody::new(change, now))
}

/// `RESTBackupRepositoryOwnerChangeSession`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OwnerChangeBody<'a> {
    id: &'a Uuid,
    status: &'static str,
    start_time: OwnedTime,
    end_time: Option<OwnedTime>,
    details: Option<&'static str>,
    wait_for_sessions_timeout: String,
    force_stop_sessions: bool,
    force_stop_sessions_timeout: String,
    from_owner_id: &'a Uuid,
    to_owner_id: &'a Uuid,
    repository_ids: &'a [Uuid],
}

/// Minutes as .NET writes a `TimeSpan`: `01:00:00`, or `1.00:00:00` from a day on.
fn time_span(minutes: u32) -> String {
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    if days > 0 {
        format!("{days}.{hours:02}:{minutes:02}:00")
    } else {
        format!("{hours:02}:{minutes:02}:00")
    }
}

impl<'a> OwnerChangeBody<'a> {
    fn new(change: &'a OwnerChange, now: Timestamp) -> Self {
        let (status, end, details) = match change.status(now) {
            OwnerChangeStatus::Running => ("Running", None, None),
            OwnerChangeStatus::Succeeded { ended } => (
                "Succeeded",
                Some(ended),
                Some("The backup repositories were moved to their new owner."),
            ),
            OwnerChangeStatus::Stopped { ended } => (
                "Failed",
                Some(ended),
                Some("The session was stopped: the backup repositories stay with their owner."),
            ),
        };
        Self {
            id: &change.id,
            status,
            start_time: OwnedTime(change.started),
            end_time: end.map(OwnedTime),
            details,
            wait_for_sessions_timeout: time_span(change.wait_minutes),
            force_stop_sessions: change.force_stop,
            force_stop_sessions_timeout: time_span(change.force_stop_minutes),
            from_owner_id: change.from.id(),
            to_owner_id: change.to.id(),
            repository_ids: &change.repository_ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_written_as_time_spans() {
        assert_eq!(time_span(60), "01:00:00");
        assert_eq!(time_span(10), "00:10:00");
        assert_eq!(time_span(1500), "1.01:00:00");
    }
}

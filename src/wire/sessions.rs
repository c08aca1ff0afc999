//! Job sessions and their log items, in every version's dialect: v3/v4 arrays with
//! absolute links, v5 pages, v6 relative links with `details` and `retryCount`, v7
//! `repositoryId`/`jobType`/nullable `endTime`, v8 `jobId`/`eTag` and log items with
//! `type` and `message` instead of `title`.

use std::fmt::{self, Display};

use axum::http::StatusCode;
use axum::response::Response;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::json::{PlainText, PlainUuid};
use super::links::{IdLink, SharedLink, link};
use super::page::{PageBody, PageInfo};
use super::time::{DotNetTime, OptionalTime, Ticks};
use super::{Context, Version, json_response, json_response_sized};
use crate::model::{
    ChangePage, JobKind, JobSession, LogItem, LogMessage, RepositoryOwner, SessionExtras,
    SessionStatistics, SessionStatus, Severity,
};

/// Rough size of one rendered log item, so the buffer is allocated once for a whole page.
const LOG_ITEM_BYTES: usize = 400;

/// Arrays up to v4; pages from v5 (and in v3 with the `v3-logitems-paged` quirk for log items).
fn list<T: Serialize>(
    cx: &Context<'_>,
    page: PageInfo<'_>,
    bodies: Vec<T>,
    paged: bool,
    capacity: usize,
) -> Response {
    if paged {
        json_response_sized(StatusCode::OK, &PageBody::new(cx, page, bodies), capacity)
    } else {
        json_response_sized(StatusCode::OK, &bodies, capacity)
    }
}

// ---------------------------------------------------------------------------------------
// Log items

/// `GET /vN/JobSessions/{id}/LogItems`.
pub fn log_items<'a>(
    cx: &Context<'a>,
    session_id: &'a Uuid,
    items: impl Iterator<Item = LogItem<'a>>,
    page: PageInfo<'a>,
) -> Response {
    let session_link = session_href(cx, session_id);
    let bodies: Vec<LogItemBody<'_>> = items
        .map(|item| LogItemBody::new(cx, &session_link, item))
        .collect();
    let paged = cx.version >= Version::V5 || cx.quirks.logitems_paged;
    let capacity = 128 + bodies.len() * LOG_ITEM_BYTES;
    list(cx, page, bodies, paged, capacity)
}

/// `GET /vN/JobSessions/{id}/LogItems/{itemId}`.
pub fn log_item(cx: &Context<'_>, session_id: &Uuid, item: LogItem<'_>) -> Response {
    let session_link = session_href(cx, session_id);
    json_response(StatusCode::OK, &LogItemBody::new(cx, &session_link, item))
}

/// The href of the session every log item links, written once per answer.
fn session_href(cx: &Context<'_>, session_id: &Uuid) -> String {
    link(cx, "/JobSessions/", session_id, "").0.to_string()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogItemBody<'a> {
    id: PlainUuid<'a>,
    usn: i64,
    /// Up to v7: `[Severity] message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Title<'a>>,
    /// v8: the severity as its own field.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<PlainText<'static>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_message"
    )]
    message: Option<LogMessage<'a>>,
    creation_time: Ticks,
    end_time: Ticks,
    #[serde(rename = "_links")]
    links: LogItemLinks<'a>,
}

fn optional_message<S: Serializer>(
    message: &Option<LogMessage<'_>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match message {
        Some(message) => super::concatenated(&message.parts(), serializer),
        None => serializer.serialize_none(),
    }
}

fn optional_display<T: Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => super::display(value, serializer),
        None => serializer.serialize_none(),
    }
}

impl<'a> LogItemBody<'a> {
    fn new(cx: &Context<'a>, session_link: &'a str, item: LogItem<'a>) -> Self {
        let v8 = cx.version >= Version::V8;
        Self {
            id: PlainUuid(item.id()),
            usn: item.usn(),
            title: (!v8).then_some(Title(item)),
            kind: v8.then_some(PlainText(match item.severity() {
                Severity::Success => "Success",
                Severity::Warning => "Warning",
                Severity::Failed => "Error",
            })),
            message: v8.then(|| item.message()),
            creation_time: ticks(item.creation_ticks()),
            end_time: ticks(item.end_ticks()),
            links: LogItemLinks {
                jobsessions: SharedLink(session_link),
            },
        }
    }
}

fn ticks((ticks, offset_minutes): (i64, i16)) -> Ticks {
    Ticks {
        ticks,
        offset_minutes,
    }
}

#[derive(Serialize)]
struct LogItemLinks<'a> {
    jobsessions: SharedLink<'a>,
}

/// `[Success] Job started at ...`: up to v7 the severity is folded into the title.
struct Title<'a>(LogItem<'a>);

impl Serialize for Title<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let severity = match self.0.severity() {
            Severity::Success => "Success",
            Severity::Warning => "Warning",
            Severity::Failed => "Failed",
        };
        let [opening, rest] = self.0.message().parts();
        super::concatenated(&["[", severity, "] ", opening, rest], serializer)
    }
}

// ---------------------------------------------------------------------------------------
// Job sessions

/// `GET /vN/JobSessions` and `GET /vN/Jobs/{id}/JobSessions`.
pub fn job_sessions<'a>(
    cx: &Context<'a>,
    sessions: impl Iterator<Item = (&'a JobSession, SessionExtras<'a>)>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<JobSessionBody<'_>> = sessions
        .map(|(session, extras)| JobSessionBody::new(cx, session, extras))
        .collect();
    let capacity = 256 + bodies.len() * 640;
    list(cx, page, bodies, cx.version >= Version::V5, capacity)
}

/// `GET /JobSessions/Changes` (v7): the sessions that changed after a token.
pub fn job_session_changes<'a>(
    cx: &Context<'a>,
    limit: usize,
    page: ChangePage<(&'a JobSession, SessionExtras<'a>)>,
) -> Response {
    let page = page.map(|(session, extras)| JobSessionBody::new(cx, session, extras));
    super::restore_point_contents::changes(cx, "/JobSessions/Changes", limit, page)
}

pub fn job_session(cx: &Context<'_>, session: &JobSession, extras: SessionExtras<'_>) -> Response {
    json_response(StatusCode::OK, &JobSessionBody::new(cx, session, extras))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JobSessionBody<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_id: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository_id: Option<&'a Uuid>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_display"
    )]
    details: Option<Details<'a>>,
    creation_time: DotNetTime<'a>,
    end_time: EndTime<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_will_be_retried: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_session_id: Option<Uuid>,
    progress: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_session_config_type: Option<&'static str>,
    status: &'static str,
    statistics: &'a SessionStatistics,
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_id: Option<Option<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_pool_id: Option<Option<Uuid>>,
    #[serde(rename = "_links")]
    links: JobSessionLinks<'a>,
}

impl<'a> JobSessionBody<'a> {
    fn new(cx: &Context<'a>, session: &'a JobSession, extras: SessionExtras<'a>) -> Self {
        let version = cx.version;
        // The real 3.0 server linked `/log`, which answered 404; v5 fixed it to `/LogItems`.
        // A copy job's session links its copy job (v6 on, where copy jobs exist).
        let copy = extras.kind == JobKind::Copy && version.has_copy_jobs();
        let (segment, log_suffix, job_segment) = if version <= Version::V4 {
            let log = if cx.quirks.log_link_to_log {
                "/log"
            } else {
                "/logitems"
            };
            ("/jobsessions/", log, "/jobs/")
        } else {
            let job_segment = if copy { "/CopyJobs/" } else { "/Jobs/" };
            ("/JobSessions/", "/LogItems", job_segment)
        };
        Self {
            id: &session.id,
            job_id: (version >= Version::V8).then_some(&session.job_id),
            repository_id: extras.repository_id.filter(|_| version >= Version::V7),
            details: (version >= Version::V6).then_some(Details(session)),
            creation_time: DotNetTime(&session.creation_time),
            end_time: EndTime {
                time: session.end_time.as_ref(),
                nullable: version >= Version::V7,
            },
            retry_count: (version >= Version::V6).then_some(session.retry.retry_count),
            job_will_be_retried: (version >= Version::V7).then_some(session.retry.will_be_retried),
            // A main session retries nothing. The contract types the property as a GUID
            // without null (v8 adds that only retry sessions have one), and Json.NET writes
            // a .NET `Guid` never set as zeros, the value the contract's example shows.
            main_session_id: version
                .has_main_session_ids()
                .then(|| session.retry.main_session_id.unwrap_or_default()),
            progress: session.progress,
            job_type: (version >= Version::V7).then_some(if copy { "Copy" } else { "Backup" }),
            job_session_config_type: (version >= Version::V8).then_some("Incremental"),
            status: session_status(session.status),
            statistics: &session.statistics,
            e_tag: (version >= Version::V8).then_some(extras.last_usn),
            proxy_id: (version >= Version::V8).then_some(match extras.owner {
                Some(RepositoryOwner::Proxy(id)) => Some(id),
                _ => None,
            }),
            proxy_pool_id: (version >= Version::V8).then_some(match extras.owner {
                Some(RepositoryOwner::ProxyPool(id)) => Some(id),
                _ => None,
            }),
            links: JobSessionLinks {
                this: link(cx, segment, &session.id, ""),
                log: link(cx, segment, &session.id, log_suffix),
                job: link(cx, job_segment, &session.job_id, ""),
            },
        }
    }
}

/// A running session has no end: v3..v6 cannot say null there, so they show .NET's
/// `DateTime.MinValue` as Json.NET writes it; v7 on say null.
struct EndTime<'a> {
    time: Option<&'a crate::model::Timestamp>,
    nullable: bool,
}

impl Serialize for EndTime<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.time, self.nullable) {
            (None, true) => serializer.serialize_none(),
            (time, _) => OptionalTime(time).serialize(serializer),
        }
    }
}

/// v6 `details`: `Transferred: 46 MB (1482 items) at 1.5 MB/s (48 items/s)`.
struct Details<'a>(&'a JobSession);

impl Display for Details<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stats = &self.0.statistics;
        write!(
            f,
            "Transferred: {} ({} items) at {}/s ({} items/s)",
            Bytes(stats.transferred_data_bytes),
            stats.processed_objects,
            Bytes(stats.processing_rate_bytes_ps),
            stats.processing_rate_items_ps
        )
    }
}

/// A byte count as the service writes it: `0 B`, `12.3 KB`, `46 MB`, `1.2 GB`.
struct Bytes(u64);

impl Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
        let mut value = self.0 as f64;
        let mut unit = 0;
        while value >= 1024.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        if unit == 0 || value >= 100.0 {
            write!(f, "{value:.0} {}", UNITS[unit])
        } else {
            write!(f, "{value:.1} {}", UNITS[unit])
        }
    }
}

#[derive(Serialize)]
struct JobSessionLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    log: IdLink<'a>,
    job: IdLink<'a>,
}

pub(super) fn session_status(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Success => "Success",
        SessionStatus::Warning => "Warning",
        SessionStatus::Failed => "Failed",
        SessionStatus::Running => "Running",
        SessionStatus::Stopped => "Stopped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_like_the_service_writes_them() {
        assert_eq!(Bytes(0).to_string(), "0 B");
        assert_eq!(Bytes(1_536).to_string(), "1.5 KB");
        assert_eq!(Bytes(48_234_112).to_string(), "46.0 MB");
        assert_eq!(Bytes(300 * 1024 * 1024).to_string(), "300 MB");
    }
}

//! Restore sessions and their events: pages in every version.

use std::fmt::{self, Display};

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo};
use super::time::{DotNetTime, OptionalTime};
use super::{Context, Version, display, ok};
use crate::model::{
    Organization, RestoreAction, RestoreEvent, RestoreKind, RestoreResult, RestoreSession,
};

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

/// A session an explore just opened: 201 Created as the v3..v5 `Action` and v8 answer it,
/// 200 in v6 and v7 (their contracts).
pub fn opened(cx: &Context<'_>, session: &RestoreSession, organization: &str) -> Response {
    let mut response = restore_session(cx, session, organization);
    if !(Version::V6..=Version::V7).contains(&cx.version) {
        *response.status_mut() = axum::http::StatusCode::CREATED;
    }
    response
}

/// `GET /RestoreSessions/{id}/organization` (`RESTBackupOrganization`): the organization
/// whose backups the session shows.
pub fn backup_organization(
    cx: &Context<'_>,
    session_id: &Uuid,
    organization: &Organization,
) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        id: &'a Uuid,
        name: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(rename = "_links")]
        links: Links<'a>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Links<'a> {
        #[serde(rename = "self")]
        this: IdLink<'a>,
        restore_session: IdLink<'a>,
        organization: IdLink<'a>,
    }
    ok(&Body {
        id: &organization.id,
        name: &organization.name,
        kind: super::organizations::kind(organization),
        links: Links {
            this: link(cx, "/RestoreSessions/", session_id, "/organization"),
            restore_session: link(cx, "/RestoreSessions/", session_id, ""),
            organization: link(cx, "/Organizations/", &organization.id, ""),
        },
    })
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
    end_time: EndTime<'a>,
    state: &'static str,
    result: &'static str,
    initiated_by: &'a str,
    details: &'a str,
    /// From v6.
    #[serde(skip_serializing_if = "Option::is_none")]
    scope_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_host: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<u64>,
    #[serde(rename = "_links")]
    links: RestoreSessionLinks<'a>,
}

/// A working session has no end: up to v5 .NET's `DateTime.MinValue`, null from v6.
struct EndTime<'a> {
    time: Option<&'a crate::model::Timestamp>,
    nullable: bool,
}

impl Serialize for EndTime<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.time, self.nullable) {
            (None, true) => serializer.serialize_none(),
            (time, _) => OptionalTime(time).serialize(serializer),
        }
    }
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
                RestoreKind::Vet => "Vet",
            },
            creation_time: DotNetTime(&session.creation_time),
            end_time: EndTime {
                time: session.end_time.as_ref(),
                nullable: cx.version >= Version::V6,
            },
            state: if session.end_time.is_some() {
                "Stopped"
            } else {
                "Working"
            },
            result: restore_result(session.result),
            initiated_by: &session.initiated_by,
            details: &session.details,
            scope_name: (cx.version >= Version::V6).then_some(organization),
            client_host: (cx.version >= Version::V6).then_some(""),
            reason: (cx.version >= Version::V6).then_some(&session.reason),
            e_tag: (cx.version >= Version::V8).then_some(session.events.len() as u64),
            links: RestoreSessionLinks {
                this: link(cx, "/RestoreSessions/", &session.id, ""),
                events: link(cx, "/RestoreSessions/", &session.id, "/Events"),
                organization: link(cx, "/Organizations/", &session.organization_id, ""),
                mailboxes: (cx.version.has_restore_browsing()
                    && session.explored.is_some()
                    && session.kind == RestoreKind::Vex)
                    .then(|| {
                        link(
                            cx,
                            "/RestoreSessions/",
                            &session.id,
                            "/organization/mailboxes",
                        )
                    }),
                teams: (cx.version.has_restore_browsing()
                    && session.explored.is_some()
                    && session.kind == RestoreKind::Vet)
                    .then(|| link(cx, "/RestoreSessions/", &session.id, "/organization/teams")),
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
    /// An Exchange session an explore opened, where the version browses it (v6 on).
    #[serde(skip_serializing_if = "Option::is_none")]
    mailboxes: Option<IdLink<'a>>,
    /// A Teams session an explore opened, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    teams: Option<IdLink<'a>>,
}

pub(super) fn restore_result(result: RestoreResult) -> &'static str {
    match result {
        RestoreResult::Success => "Success",
        RestoreResult::Warning => "Warning",
        RestoreResult::Failed => "Failed",
    }
}

/// `GET /v3/RestoreSessions/{id}/Events`: a page of what the session restored. v8 names the
/// organization of each; which of its users, groups, sites or teams an event touched is not
/// kept, and is null.
pub fn restore_events<'a>(
    cx: &Context<'a>,
    session: &'a RestoreSession,
    events: &'a [RestoreEvent],
    first_order: usize,
    page: PageInfo<'_>,
) -> Response {
    let bodies: Vec<RestoreEventBody<'_>> = events
        .iter()
        .enumerate()
        .map(|(index, event)| RestoreEventBody::new(cx, session, event, first_order + index))
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    objects: Option<EventObjects<'a>>,
    #[serde(rename = "_links")]
    links: RestoreEventLinks<'a>,
}

/// v8's ids of what an event restored.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventObjects<'a> {
    organization_id: &'a Uuid,
    backed_up_organization_id: &'a Uuid,
    user_id: Option<&'a str>,
    group_id: Option<&'a str>,
    site_id: Option<&'a str>,
    team_id: Option<&'a str>,
}

impl<'a> RestoreEventBody<'a> {
    fn new(
        cx: &Context<'a>,
        session: &'a RestoreSession,
        event: &'a RestoreEvent,
        order: usize,
    ) -> Self {
        let status = if event.running {
            "Running"
        } else {
            restore_result(event.result)
        };
        let end_time = if event.running {
            &event.start_time
        } else {
            &event.end_time
        };
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
            end_time: DotNetTime(end_time),
            duration: TimeSpan(*end_time - event.start_time),
            title: format!("[{status}] {}", event.item_name),
            message: &event.message,
            order,
            objects: (cx.version >= Version::V8).then_some(EventObjects {
                organization_id: &session.organization_id,
                backed_up_organization_id: &session.organization_id,
                user_id: None,
                group_id: None,
                site_id: None,
                team_id: None,
            }),
            links: RestoreEventLinks {
                restore_session: link(cx, "/RestoreSessions/", &session.id, ""),
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
}

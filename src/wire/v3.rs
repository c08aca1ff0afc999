//! The v3 dialect: plain arrays, absolute links on the client's host, `[Severity] message` titles.

use std::fmt::{self, Display};

use axum::http::StatusCode;
use axum::response::Response;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::links::{Href, Link};
use super::time::DotNetTime;
use super::{json_response, json_response_sized};
use crate::model::{LogItem, Severity};

/// Rough size of one rendered log item, so the buffer is allocated once for a whole page.
const LOG_ITEM_BYTES: usize = 320;

/// `GET /v3/JobSessions/{id}/LogItems`: the items as a plain array, as the v3 help page shows.
pub fn log_items(host: &str, session_id: &Uuid, items: &[LogItem]) -> Response {
    let array = LogItemArray {
        host,
        session_id,
        items,
    };
    json_response_sized(StatusCode::OK, &array, 2 + items.len() * LOG_ITEM_BYTES)
}

/// `GET /v3/JobSessions/{id}/LogItems/{itemId}`: one item.
pub fn log_item(host: &str, session_id: &Uuid, item: &LogItem) -> Response {
    json_response(StatusCode::OK, &LogItemBody::new(host, session_id, item))
}

struct LogItemArray<'a> {
    host: &'a str,
    session_id: &'a Uuid,
    items: &'a [LogItem],
}

impl Serialize for LogItemArray<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.items
                .iter()
                .map(|item| LogItemBody::new(self.host, self.session_id, item)),
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogItemBody<'a> {
    id: &'a Uuid,
    usn: i64,
    #[serde(serialize_with = "display")]
    title: Title<'a>,
    creation_time: DotNetTime<'a>,
    end_time: DotNetTime<'a>,
    #[serde(rename = "_links")]
    links: LogItemLinks<'a>,
}

impl<'a> LogItemBody<'a> {
    fn new(host: &'a str, session_id: &'a Uuid, item: &'a LogItem) -> Self {
        Self {
            id: &item.id,
            usn: item.usn,
            title: Title(item),
            creation_time: DotNetTime(&item.creation_time),
            end_time: DotNetTime(&item.end_time),
            links: LogItemLinks {
                jobsessions: Link(Href {
                    host,
                    path: JobSessionPath(session_id),
                }),
            },
        }
    }
}

#[derive(Serialize)]
struct LogItemLinks<'a> {
    jobsessions: Link<Href<'a, JobSessionPath<'a>>>,
}

/// `[Success] Job started at ...`: v3 folds the severity into the title.
struct Title<'a>(&'a LogItem);

impl Display for Title<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.0.severity {
            Severity::Success => "Success",
            Severity::Warning => "Warning",
            Severity::Failed => "Failed",
        };
        write!(f, "[{severity}] {}", self.0.message)
    }
}

/// The session path as the v3 help page spells it in log item links.
#[derive(Debug, Clone, Copy)]
struct JobSessionPath<'a>(&'a Uuid);

impl Display for JobSessionPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/v3/JobSessions/{}", self.0)
    }
}

fn display<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

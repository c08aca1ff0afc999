//! The request journal: a bounded ring of what clients asked and what they got, secrets redacted.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// What replaces a value the journal does not keep.
pub const REDACTED: &str = "<redacted>";
/// The headers whose values the journal keeps; every other header is kept by name with
/// its value `<redacted>`. An allow-list, so a credential in a header nobody thought of
/// (`X-Api-Key`, a session cookie under another name) is never written down.
const KEPT_HEADER_VALUES: &[&str] = &[
    "accept",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "connection",
    "content-length",
    "content-type",
    "host",
    "if-match",
    "if-none-match",
    "te",
    "transfer-encoding",
    "user-agent",
    "x-request-id",
];
/// Query parameters whose values would be credentials if a client put them in a URL.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "refresh_token",
    "access_token",
    "assertion",
    "client_secret",
    "integration_token",
    "code",
];
/// The path and query are kept up to this many bytes, each header value up to
/// [`HEADER_VALUE_BYTES_KEPT`] and all headers together up to [`HEADER_BYTES_KEPT`]: an
/// entry stays under 8 KiB however large the request, so the journal's memory is bounded by
/// its capacity.
pub const TARGET_BYTES_KEPT: usize = 2048;
pub const HEADER_VALUE_BYTES_KEPT: usize = 256;
pub const HEADER_BYTES_KEPT: usize = 4096;
/// What ends a value the journal cut short.
const CUT: &str = "…";

/// One request as the journal keeps it: secrets already redacted, and in the request's own
/// types, so recording costs little; it becomes [`JournalEntry`] when someone reads it.
#[derive(Debug, Clone)]
struct Recorded {
    time: DateTime<Utc>,
    method: Method,
    path: String,
    request_id: HeaderValue,
    status: u16,
    duration_ms: f64,
    headers: RecordedHeaders,
    body_bytes: Option<u64>,
    fault: Option<Box<str>>,
}

/// A request's headers in one buffer, name and value on lines of their own, secrets
/// already redacted: one allocation per request, and no reference into the connection's
/// read buffer, which a cloned `HeaderMap` kept alive for as long as the entry lived.
#[derive(Debug, Clone)]
struct RecordedHeaders(Box<str>);

impl RecordedHeaders {
    /// Header names and values cannot hold a line break, so lines split them safely.
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut lines = self.0.lines();
        std::iter::from_fn(move || Some((lines.next()?, lines.next()?)))
    }
}

/// One request as `GET /__admin/requests` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    #[serde(serialize_with = "rfc3339")]
    pub time: DateTime<Utc>,
    pub method: String,
    /// The path and query as the client sent them.
    pub path: String,
    /// The API version the path addressed, e.g. `v3`.
    pub version: Option<String>,
    /// The `X-Request-Id` the answer carried: the client's own, or one made for it.
    pub request_id: String,
    pub status: u16,
    pub duration_ms: f64,
    pub headers: BTreeMap<String, String>,
    /// The body's declared length; bodies themselves are never kept, since any of them may
    /// carry a password.
    pub body_bytes: Option<u64>,
    /// The id of the fault rule that answered, if one did.
    pub fault: Option<String>,
}

impl From<&Recorded> for JournalEntry {
    fn from(recorded: &Recorded) -> Self {
        let version = recorded
            .path
            .split('/')
            .nth(1)
            .filter(|segment| segment.len() > 1 && segment.starts_with(['v', 'V']))
            .map(str::to_ascii_lowercase);
        Self {
            time: recorded.time,
            method: recorded.method.to_string(),
            path: recorded.path.clone(),
            version,
            request_id: String::from_utf8_lossy(recorded.request_id.as_bytes()).into_owned(),
            status: recorded.status,
            duration_ms: recorded.duration_ms,
            headers: recorded
                .headers
                .pairs()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            body_bytes: recorded.body_bytes,
            fault: recorded.fault.as_deref().map(str::to_owned),
        }
    }
}

fn rfc3339<S: serde::Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The journal; a `Mutex` because every recorded request writes to it and the critical
/// section is one push onto a ring.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<Recorded>>,
}

/// Which entries `GET /__admin/requests` returns.
#[derive(Debug, Default)]
pub struct JournalFilter {
    pub path: Option<String>,
    pub method: Option<String>,
    pub request_id: Option<String>,
    pub status: Option<u16>,
    pub since: Option<DateTime<Utc>>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    fn push(&self, entry: Recorded) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Matching entries, newest first. `path` matches any part of the path, without regard to case.
    pub fn matching(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let path = filter.path.as_deref().map(str::to_ascii_lowercase);
        entries
            .iter()
            .rev()
            .filter(|entry| {
                path.as_deref()
                    .is_none_or(|path| entry.path.to_ascii_lowercase().contains(path))
            })
            .filter(|entry| {
                filter
                    .method
                    .as_deref()
                    .is_none_or(|method| entry.method.as_str().eq_ignore_ascii_case(method))
            })
            .filter(|entry| {
                filter
                    .request_id
                    .as_deref()
                    .is_none_or(|id| entry.request_id.as_bytes() == id.as_bytes())
            })
            .filter(|entry| filter.status.is_none_or(|status| entry.status == status))
            .filter(|entry| filter.since.is_none_or(|since| entry.time >= since))
            .map(JournalEntry::from)
            .collect()
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// Whether `request` goes into the journal: every API request does when the journal is on;
/// the control API's own requests are left out, however the client spells their path.
pub fn records(journal: &Journal, request: &Request) -> bool {
    journal.is_enabled() && !is_control_api(request.uri().path())
}

pub fn is_control_api(path: &str) -> bool {
    const CONTROL_API: &str = "/__admin";
    path.get(..CONTROL_API.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(CONTROL_API))
}

/// What the journal takes of a request before it is answered: its target and headers,
/// cut to size and with secrets redacted, and its body's declared length.
#[derive(Debug)]
pub struct Capture {
    path: String,
    method: Method,
    headers: RecordedHeaders,
    body_bytes: Option<u64>,
}

impl Capture {
    pub fn take(request: &Request) -> Self {
        let target = request
            .uri()
            .path_and_query()
            .map_or_else(|| request.uri().path(), |path| path.as_str());
        Self {
            path: kept_target(target),
            method: request.method().clone(),
            headers: redacted_headers(request.headers()),
            body_bytes: request
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|length| length.to_str().ok()?.parse().ok()),
        }
    }

    /// Records the request with its answer's status, as of `time` by the emulator's clock.
    pub fn finish(
        self,
        journal: &Journal,
        time: DateTime<Utc>,
        request_id: &HeaderValue,
        status: StatusCode,
        duration: Duration,
        fault: Option<&str>,
    ) {
        journal.push(Recorded {
            time,
            method: self.method,
            path: self.path,
            request_id: request_id.clone(),
            status: status.as_u16(),
            duration_ms: duration.as_secs_f64() * 1000.0,
            headers: self.headers,
            body_bytes: self.body_bytes,
            fault: fault.map(Box::from),
        });
    }
}

/// A request's path and query as the journal and the logs keep it: secrets redacted, cut
/// to [`TARGET_BYTES_KEPT`].
pub fn kept_target(target: &str) -> String {
    cut(&redacted_target(target), TARGET_BYTES_KEPT).into_owned()
}

/// `text` up to `limit` bytes (cut at a character boundary and marked), or all of it.
fn cut(text: &str, limit: usize) -> Cow<'_, str> {
    if text.len() <= limit {
        return Cow::Borrowed(text);
    }
    let mut end = limit - CUT.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}{CUT}", &text[..end]))
}

/// A path and query with the values of secret query parameters (`password=`, `access_token=`,
/// ...) redacted, for the journal and the logs; the path itself is kept as sent.
pub fn redacted_target(target: &str) -> Cow<'_, str> {
    let Some((path, query)) = target.split_once('?') else {
        return Cow::Borrowed(target);
    };
    let is_secret = |name: &str| {
        SECRET_FIELDS
            .iter()
            .any(|secret| secret.eq_ignore_ascii_case(name))
    };
    if !form_urlencoded::parse(query.as_bytes()).any(|(name, _)| is_secret(&name)) {
        return Cow::Borrowed(target);
    }
    let mut redacted = form_urlencoded::Serializer::for_suffix(format!("{path}?"), path.len() + 1);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = if is_secret(&name) {
            REDACTED.into()
        } else {
            value
        };
        redacted.append_pair(&name, &value);
    }
    Cow::Owned(redacted.finish())
}

fn redacted_headers(headers: &HeaderMap) -> RecordedHeaders {
    let mut text = String::new();
    for (name, value) in headers {
        let value = if KEPT_HEADER_VALUES.contains(&name.as_str()) {
            String::from_utf8_lossy(value.as_bytes())
        } else {
            Cow::Borrowed(REDACTED)
        };
        let value = cut(&value, HEADER_VALUE_BYTES_KEPT);
        if text.len() + name.as_str().len() + value.len() + 2 > HEADER_BYTES_KEPT {
            break;
        }
        text.push_str(name.as_str());
        text.push('\n');
        text.push_str(&value);
        text.push('\n');
    }
    RecordedHeaders(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_request_is_cut_to_a_bounded_entry() {
        let mut headers = HeaderMap::new();
        for n in 0..40 {
            headers.insert(
                header::HeaderName::from_bytes(format!("x-filler-{n}").as_bytes()).unwrap(),
                "v".repeat(60_000).parse().unwrap(),
            );
        }
        headers.insert(header::USER_AGENT, "u".repeat(60_000).parse().unwrap());
        let recorded = redacted_headers(&headers);
        assert!(recorded.0.len() <= HEADER_BYTES_KEPT);
        assert!(
            recorded
                .pairs()
                .all(|(_, value)| value.len() <= HEADER_VALUE_BYTES_KEPT)
        );
        let target = format!("/v8/Jobs?name={}", "é".repeat(40_000));
        let kept = cut(&target, TARGET_BYTES_KEPT);
        assert!(kept.len() <= TARGET_BYTES_KEPT && kept.ends_with(CUT));
    }

    #[test]
    fn the_control_api_is_left_out_however_it_is_spelled() {
        assert!(is_control_api("/__admin/world"));
        assert!(is_control_api("/__Admin/World"));
        assert!(is_control_api("/__ADMIN"));
        assert!(!is_control_api("/v8/__admin"));
        assert!(!is_control_api("/"));
    }

    #[test]
    fn secret_query_parameters_are_redacted_and_other_targets_kept() {
        assert_eq!(
            redacted_target("/v3/Token?Password=s3cret&x=1"),
            "/v3/Token?Password=%3Credacted%3E&x=1"
        );
        assert!(matches!(
            redacted_target("/v3/Jobs?offset=30"),
            Cow::Borrowed("/v3/Jobs?offset=30")
        ));
    }

    #[test]
    fn recorded_headers_keep_only_the_values_of_known_harmless_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        headers.insert(header::HOST, "localhost:4443".parse().unwrap());
        headers.insert("x-admin-token", "let-me-in".parse().unwrap());
        headers.insert("x-api-key", "k3y".parse().unwrap());
        let recorded = redacted_headers(&headers);
        let pairs: Vec<(&str, &str)> = recorded.pairs().collect();
        assert_eq!(
            pairs,
            [
                ("authorization", REDACTED),
                ("host", "localhost:4443"),
                ("x-admin-token", REDACTED),
                ("x-api-key", REDACTED)
            ]
        );
    }

    #[test]
    fn the_ring_keeps_the_newest_entries() {
        let journal = Journal::new(2);
        for status in [200, 201, 202] {
            journal.push(Recorded {
                time: Utc::now(),
                method: Method::GET,
                path: "/v3/Jobs".to_owned(),
                request_id: HeaderValue::from_static("id"),
                status,
                duration_ms: 0.0,
                headers: redacted_headers(&HeaderMap::new()),
                body_bytes: None,
                fault: None,
            });
        }
        let statuses: Vec<u16> = journal
            .matching(&JournalFilter::default())
            .iter()
            .map(|entry| entry.status)
            .collect();
        assert_eq!(statuses, [202, 201]);
    }
}

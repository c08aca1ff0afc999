//! The request journal: a bounded ring of what clients asked and what they got, secrets redacted.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::MAX_BODY_BYTES;
use crate::error::ApiError;

/// What replaces a secret in the journal.
pub const REDACTED: &str = "<redacted>";
/// Headers that carry credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-admin-token",
];
/// Form and JSON fields of token requests that carry credentials, and query parameters that
/// would if a client put credentials in a URL.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "refresh_token",
    "access_token",
    "assertion",
    "client_secret",
    "integration_token",
];
/// Bodies are kept up to this many bytes.
const BODY_BYTES_KEPT: usize = 4096;

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
    body: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
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
            body: recorded.body.clone(),
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
/// the control API's own requests are left out.
pub fn records(journal: &Journal, request: &Request) -> bool {
    journal.is_enabled() && !request.uri().path().starts_with("/__admin")
}

/// What the journal takes of a request before it is answered, secrets already redacted.
#[derive(Debug)]
pub struct Capture {
    path: String,
    method: Method,
    headers: RecordedHeaders,
    body: Option<String>,
}

impl Capture {
    /// Takes what the journal keeps of `request`; its body is read and put back for the
    /// handler. A body over the limit is answered 413 here.
    pub async fn take(request: Request) -> Result<(Request, Self), Response> {
        let path = redacted_target(
            request
                .uri()
                .path_and_query()
                .map_or_else(|| request.uri().path(), |path| path.as_str()),
        )
        .into_owned();
        let is_token_request = *request.method() == Method::POST
            && request
                .uri()
                .path()
                .to_ascii_lowercase()
                .trim_end_matches('/')
                .ends_with("/token");
        let method = request.method().clone();
        let headers = redacted_headers(request.headers());
        let (request, body) = capture_body(request).await?;
        let body = body.map(|bytes| redacted_body(is_token_request, &bytes));
        Ok((
            request,
            Self {
                path,
                method,
                headers,
                body,
            },
        ))
    }

    /// Records the request with its answer's status, as of `time` by the emulator's clock.
    pub fn finish(
        self,
        journal: &Journal,
        time: DateTime<Utc>,
        request_id: &HeaderValue,
        status: StatusCode,
        duration: Duration,
    ) {
        journal.push(Recorded {
            time,
            method: self.method,
            path: self.path,
            request_id: request_id.clone(),
            status: status.as_u16(),
            duration_ms: duration.as_secs_f64() * 1000.0,
            headers: self.headers,
            body: self.body,
        });
    }
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
    let is_secret = |name: &header::HeaderName| SECRET_HEADERS.contains(&name.as_str());
    let size = headers
        .iter()
        .map(|(name, value)| {
            let shown = if is_secret(name) {
                REDACTED.len()
            } else {
                value.len()
            };
            name.as_str().len() + shown + 2
        })
        .sum();
    let mut text = String::with_capacity(size);
    for (name, value) in headers {
        text.push_str(name.as_str());
        text.push('\n');
        if is_secret(name) {
            text.push_str(REDACTED);
        } else {
            text.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
        text.push('\n');
    }
    RecordedHeaders(text.into_boxed_str())
}

/// Reads a request body so it can be journaled, and puts it back for the handler.
async fn capture_body(request: Request) -> Result<(Request, Option<Bytes>), Response> {
    let has_body = request.headers().contains_key(header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    if !has_body {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            }
            .into_response()
        })?;
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    Ok((request, Some(bytes)))
}

/// Token requests lose their credentials; other bodies are kept as text, cut at 4 KiB.
fn redacted_body(is_token_request: bool, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_BYTES_KEPT)]).into_owned();
    if !is_token_request {
        return text;
    }
    if let Ok(serde_json::Value::Object(mut fields)) =
        serde_json::from_slice::<serde_json::Value>(bytes)
    {
        for (name, value) in &mut fields {
            if SECRET_FIELDS.contains(&name.as_str()) {
                *value = serde_json::Value::from(REDACTED);
            }
        }
        return serde_json::Value::Object(fields).to_string();
    }
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(bytes) {
        let value = if SECRET_FIELDS.contains(&name.as_ref()) {
            REDACTED.into()
        } else {
            value
        };
        form.append_pair(&name, &value);
    }
    form.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_forms_lose_passwords_and_refresh_tokens() {
        let body = redacted_body(
            true,
            b"grant_type=password&username=admin&password=s3cret&refresh_token=abc",
        );
        assert_eq!(
            body,
            "grant_type=password&username=admin&password=%3Credacted%3E&refresh_token=%3Credacted%3E"
        );
        assert!(!body.contains("s3cret"));
    }

    #[test]
    fn token_json_loses_its_secrets() {
        let body = redacted_body(true, br#"{"grant_type":"password","password":"s3cret"}"#);
        assert!(
            !body.contains("s3cret") && body.contains(REDACTED),
            "{body}"
        );
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
    fn recorded_headers_keep_every_value_but_secrets() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        headers.insert(header::HOST, "localhost:4443".parse().unwrap());
        headers.insert("x-admin-token", "let-me-in".parse().unwrap());
        let recorded = redacted_headers(&headers);
        let pairs: Vec<(&str, &str)> = recorded.pairs().collect();
        assert_eq!(
            pairs,
            [
                ("authorization", REDACTED),
                ("host", "localhost:4443"),
                ("x-admin-token", REDACTED)
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
                body: None,
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

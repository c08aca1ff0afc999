//! The request journal: a bounded ring of what clients asked and what they got, secrets redacted.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
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
/// Form and JSON fields of token requests that carry credentials.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "refresh_token",
    "assertion",
    "client_secret",
    "integration_token",
];
/// JSON fields, in any case and at any depth, that carry a password or a secret in the
/// bodies of API writes (email settings, the internet proxy, proxies, OAuth sign-in).
const SECRET_BODY_FIELDS: &[&str] = &["password", "userpassword", "clientsecret"];
/// Bodies are kept up to this many bytes.
const BODY_BYTES_KEPT: usize = 4096;

/// One request as the journal keeps it: secrets already redacted, and in the request's own
/// types, so recording costs little; it becomes [`JournalEntry`] when someone reads it.
#[derive(Debug, Clone)]
struct Recorded {
    time: DateTime<Utc>,
    method: Method,
    path: String,
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

/// Answers `request` with `answer` and records both, as of `time`.
pub async fn record<Answer>(
    journal: &Journal,
    time: DateTime<Utc>,
    request: Request,
    answer: impl FnOnce(Request) -> Answer,
) -> Response
where
    Answer: Future<Output = Response>,
{
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path(), |path| path.as_str())
        .to_owned();
    let started = Instant::now();
    let method = request.method().clone();
    let headers = redacted_headers(request.headers());
    let (request, body) = match capture_body(request).await {
        Ok(captured) => captured,
        Err(response) => return response,
    };
    let response = answer(request).await;
    let body = body.map(|bytes| redacted_body(&path, &method, &bytes));
    journal.push(Recorded {
        time,
        method,
        path,
        status: response.status().as_u16(),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        headers,
        body,
    });
    response
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

/// Token requests lose their credentials, and JSON bodies their passwords and secrets;
/// other bodies are kept as text, cut at 4 KiB.
fn redacted_body(path: &str, method: &Method, bytes: &[u8]) -> String {
    let is_token_request = *method == Method::POST
        && path
            .to_ascii_lowercase()
            .trim_end_matches('/')
            .ends_with("/token");
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_BYTES_KEPT)]).into_owned();
    if !is_token_request {
        let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return text;
        };
        if !redact_secret_fields(&mut value) {
            return text;
        }
        let mut redacted = value.to_string();
        redacted.truncate(redacted.floor_char_boundary(BODY_BYTES_KEPT));
        return redacted;
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

/// Replaces every secret field of a JSON value; answers whether there was one.
fn redact_secret_fields(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(fields) => {
            let mut found = false;
            for (name, value) in fields.iter_mut() {
                if SECRET_BODY_FIELDS.contains(&name.to_ascii_lowercase().as_str()) {
                    *value = serde_json::Value::from(REDACTED);
                    found = true;
                } else {
                    found |= redact_secret_fields(value);
                }
            }
            found
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |found, item| redact_secret_fields(item) | found),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_forms_lose_passwords_and_refresh_tokens() {
        let body = redacted_body(
            "/v3/Token",
            &Method::POST,
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
        let body = redacted_body(
            "/v6/token",
            &Method::POST,
            br#"{"grant_type":"password","password":"s3cret"}"#,
        );
        assert!(
            !body.contains("s3cret") && body.contains(REDACTED),
            "{body}"
        );
    }

    #[test]
    fn settings_writes_lose_their_passwords_and_secrets() {
        let body = redacted_body(
            "/v8/VboEmailSettings",
            &Method::PUT,
            br#"{"smtpServer":"smtp.example","UserPassword":"s3cret","nested":[{"clientSecret":"abc"}]}"#,
        );
        assert!(
            !body.contains("s3cret") && !body.contains("abc") && body.contains("smtp.example"),
            "{body}"
        );
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

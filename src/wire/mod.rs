//! How each API version renders the model: field sets, array or page, timestamp format, links.

pub mod links;
pub mod page;
pub mod time;
pub mod v3;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Behaviours of real servers that are off by default and switched on with `--quirk`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// v3 LogItems answered as a page `{offset, limit, results}`, as a real 3.0 server did.
    pub logitems_paged: bool,
    /// A v3 session's `_links.log` points at `/log` (which answers 404), as on a real 3.0 server.
    pub log_link_to_log: bool,
}

/// What rendering needs from the request and the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The host the client addressed; absolute links are built on it.
    pub host: &'a str,
    pub quirks: Quirks,
}

/// The content type the service puts on every JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Serializes `body` and wraps it in a response with the service's JSON content type.
pub fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    json_response_sized(status, body, 128)
}

/// Like [`json_response`], writing into one buffer of `capacity` bytes so that a large
/// body is not copied as it grows.
pub fn json_response_sized(status: StatusCode, body: &impl Serialize, capacity: usize) -> Response {
    let mut buffer = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut buffer, body) {
        Ok(()) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            )],
            buffer,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a response body failed to serialize");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

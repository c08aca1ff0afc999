//! How each API version renders the model: field sets, array or page, timestamp format, links.

pub mod links;
pub mod time;
pub mod v3;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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

//! Error bodies per version: `{"message"}` up to v6, `errorCode` from v7 (null there: its
//! only code is ProxyOffline), v8's codes and `stackTrace`; from v6 a rejected token gets
//! an empty body, as a maintained client of those versions reports.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{Version, json_response};

/// What an `ApiError` response carries for the version's dialect to re-render.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionedError<'a> {
    message: &'a str,
    error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack_trace: Option<Option<&'static str>>,
}

fn v8_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "ResourceNotFound",
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => "ResourceAccessDenied",
        StatusCode::CONFLICT => "OperationConflict",
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => "ParameterValidationFailure",
        _ => "HttpError",
    }
}

/// Re-renders an error response in `version`'s shape; other responses pass unchanged.
pub fn in_dialect(version: Version, response: Response) -> Response {
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    if !version.has_own_error_dialect() {
        return response;
    }
    if info.status == StatusCode::UNAUTHORIZED {
        let mut empty = StatusCode::UNAUTHORIZED.into_response();
        empty
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return empty;
    }
    if version == Version::V6 {
        return response;
    }
    let mut rendered = json_response(
        info.status,
        &VersionedError {
            message: &info.message,
            error_code: (version >= Version::V8).then(|| v8_code(info.status)),
            stack_trace: (version >= Version::V8).then_some(None),
        },
    );
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rendered.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rendered
}

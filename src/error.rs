//! `ApiError`: every way a resource request can fail, rendered in the vendor's `{"message": ...}` shape.

use axum::extract::rejection::PathRejection;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::wire;
use crate::wire::errors::ErrorInfo;

/// The message ASP.NET Web API sends with a 401; clients match on the status, some log the text.
pub const UNAUTHORIZED_MESSAGE: &str = "Authorization has been denied for this request.";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{UNAUTHORIZED_MESSAGE}")]
    Unauthorized,
    #[error("{0}")]
    NotFound(String),
    #[error("The requested resource does not support http method '{0}'.")]
    MethodNotAllowed(Method),
    #[error("The request body is larger than the limit of {limit} bytes.")]
    PayloadTooLarge { limit: usize },
}

impl ApiError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let mut response =
            wire::json_response(self.status_code(), &ErrorBody { message: &message });
        response.extensions_mut().insert(ErrorInfo {
            status: self.status_code(),
            message,
        });
        if matches!(self, Self::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A path segment that cannot be decoded (bad percent-encoding, not UTF-8) is the client's fault.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

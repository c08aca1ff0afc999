//! `ApiError`: every way a resource request can fail, rendered in the vendor's `{"message": ...}` shape.

use axum::extract::path::ErrorKind;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::model::{MalformedId, NotFound};
use crate::wire;
use crate::wire::body::BodyError;
use crate::wire::errors::ErrorInfo;
use crate::wire::query::QueryError;

/// The message ASP.NET Web API sends with a 401; clients match on the status, some log the text.
pub const UNAUTHORIZED_MESSAGE: &str = "Authorization has been denied for this request.";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{UNAUTHORIZED_MESSAGE}")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("The requested resource does not support http method '{0}'.")]
    MethodNotAllowed(Method),
    #[error("The request body is larger than the limit of {limit} bytes.")]
    PayloadTooLarge { limit: usize },
    /// A fault rule's answer: the status it names, with the body ASP.NET gives an
    /// unhandled error, naming the rule so a test log says where it came from.
    #[error("An error has occurred. (fault rule '{rule}')")]
    Injected { status: StatusCode, rule: String },
}

impl ApiError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Injected { status, .. } => *status,
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

/// A query value the route does not take.
impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> Self {
        Self::BadRequest(error.0)
    }
}

/// A path parameter that is not what its route takes: a malformed id in the id's own
/// words, a segment that cannot be decoded (bad percent-encoding, not UTF-8) as axum says it.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        if let PathRejection::FailedToDeserializePathParams(error) = &rejection
            && let ErrorKind::Message(message) | ErrorKind::DeserializeError { message, .. } =
                error.kind()
        {
            return Self::BadRequest(message.clone());
        }
        Self::BadRequest(rejection.body_text())
    }
}

/// A body over the limit is a 413; one that cannot be read (a broken chunked encoding, a
/// connection cut short) the client's 400.
impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge {
                limit: crate::MAX_BODY_BYTES,
            }
        } else {
            Self::BadRequest("The request body could not be read.".to_owned())
        }
    }
}

/// A body the route cannot take.
impl From<BodyError> for ApiError {
    fn from(error: BodyError) -> Self {
        Self::BadRequest(error.0)
    }
}

impl From<NotFound> for ApiError {
    fn from(error: NotFound) -> Self {
        Self::NotFound(error.to_string())
    }
}

impl From<MalformedId> for ApiError {
    fn from(error: MalformedId) -> Self {
        Self::BadRequest(error.to_string())
    }
}

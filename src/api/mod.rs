//! HTTP handlers for the API resources, one module and one router per resource.

pub mod cache;
mod directory;
mod infrastructure;
mod jobs;
mod license;
mod licensed_users;
mod log_items;
mod organizations;
mod restore_operators;
mod restore_sessions;
mod service_instance;
mod sessions;

use axum::Router;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::uri::Authority;
use axum::http::{HeaderValue, Method, header};
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;
use crate::wire::{Context, Version};

/// The resource routes of one API version, without the token endpoint: the routes every
/// version has, and those the version's dialect says it has. Full paths rather than a
/// nested router: nesting rewrites every request's URI.
pub fn router(version: Version) -> Router<AppState> {
    let prefix = version.prefix();
    let mut router = Router::new()
        .merge(log_items::router(prefix))
        .merge(sessions::router(prefix))
        .merge(jobs::router(version))
        .merge(organizations::router(version))
        .merge(directory::router(version))
        .merge(infrastructure::router(version))
        .merge(restore_sessions::router(prefix))
        .merge(licensed_users::router(prefix));
    if version.has_license() {
        router = router.merge(license::router(prefix));
    }
    if version.has_restore_operators() {
        router = router.merge(restore_operators::router(version));
    }
    if version.has_service_instance() {
        router = router.merge(service_instance::router(prefix));
    }
    router
}

pub use crate::wire::page::Paging;

/// Path parameters, with a segment that cannot be decoded answered in the vendor's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

/// Parses an id from the path; GUIDs are accepted in any case, with or without braces.
pub fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::BadRequest(format!(
            "The value '{raw}' is not a valid {what} id: expected a GUID."
        ))
    })
}

/// The `Host` the client addressed (or the HTTP/2 authority), which every absolute link is
/// built on. Held as the header value itself, so extracting it copies nothing.
#[derive(Debug, Clone)]
pub struct RequestHost(HeaderValue);

impl RequestHost {
    pub fn as_str(&self) -> &str {
        // Only values that parsed as an authority get here, and those are ASCII.
        self.0.to_str().unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestHost {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = match parts.headers.get(header::HOST) {
            Some(value) => value.clone(),
            None => parts
                .uri
                .authority()
                .and_then(|authority| HeaderValue::from_str(authority.as_str()).ok())
                .ok_or_else(invalid_host)?,
        };
        let is_host = value
            .to_str()
            .ok()
            .filter(|text| !text.contains('@'))
            .is_some_and(|text| text.parse::<Authority>().is_ok());
        if is_host {
            Ok(Self(value))
        } else {
            Err(invalid_host())
        }
    }
}

/// The rendering context of a request: its version, its host and the server's quirks.
pub fn context<'a>(state: &AppState, host: &'a RequestHost, version: Version) -> Context<'a> {
    Context {
        host: host.as_str(),
        quirks: state.quirks,
        version,
    }
}

/// The API version a request addressed, read from its (canonical) path.
impl<S: Send + Sync> FromRequestParts<S> for Version {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Version::of_path(parts.uri.path())
            .ok_or_else(|| ApiError::NotFound("No API version in the request path.".to_owned()))
    }
}

/// The 404 for an id that names nothing, in the service's words.
pub fn not_found(what: &str, id: &Uuid) -> ApiError {
    ApiError::NotFound(format!("{what} with id '{id}' was not found."))
}

/// HTTP.sys answers a bad `Host` with this text.
fn invalid_host() -> ApiError {
    ApiError::BadRequest("Bad Request - Invalid Hostname".to_owned())
}

/// The answer for a path no route matches, in ASP.NET Web API's words.
pub async fn no_route(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!(
        "No HTTP resource was found that matches the request URI '{}'.",
        uri.path()
    ))
}

/// The answer for a known path with a method it does not take; axum adds the `Allow` header.
pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_to_the_first_thirty() {
        assert_eq!(
            Paging::from_query(None).unwrap(),
            Paging {
                offset: 0,
                limit: 30
            }
        );
    }

    #[test]
    fn paging_names_match_without_regard_to_case_and_others_are_ignored() {
        assert_eq!(
            Paging::from_query(Some("Offset=5&LIMIT=10000&foo=bar")).unwrap(),
            Paging {
                offset: 5,
                limit: 10_000
            }
        );
    }

    #[test]
    fn negative_non_numeric_and_too_large_values_are_refused() {
        for query in [
            "offset=-1",
            "limit=abc",
            "limit=10001",
            "offset=",
            "limit=1.5",
        ] {
            assert!(
                matches!(
                    Paging::from_query(Some(query)),
                    Err(ApiError::BadRequest(_))
                ),
                "{query} was accepted"
            );
        }
    }

    #[test]
    fn a_page_past_the_end_is_empty_and_limit_zero_gives_nothing() {
        let items = [1, 2, 3];
        assert_eq!(
            Paging {
                offset: 1,
                limit: 30
            }
            .slice(&items),
            &[2, 3]
        );
        assert!(
            Paging {
                offset: 5,
                limit: 30
            }
            .slice(&items)
            .is_empty()
        );
        assert!(
            Paging {
                offset: 0,
                limit: 0
            }
            .slice(&items)
            .is_empty()
        );
        assert_eq!(
            Paging {
                offset: usize::MAX,
                limit: usize::MAX
            }
            .slice(&items)
            .len(),
            0
        );
    }
}

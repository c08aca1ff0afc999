//! The bearer middleware in front of every resource route.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::AppState;
use crate::error::ApiError;

/// Lets the request through only with `Authorization: Bearer <token>` naming a live token.
/// Missing header, another scheme, an unknown or an expired token all get the same 401.
pub async fn require_bearer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_authorized(&state, request.headers(), state.clock.now()) {
        next.run(request).await
    } else {
        state.metrics.token_rejected("bearer");
        ApiError::Unauthorized.into_response()
    }
}

/// True when the headers carry a bearer token that is live at `now`.
pub fn is_authorized(state: &AppState, headers: &HeaderMap, now: DateTime<Utc>) -> bool {
    bearer_token(headers).is_some_and(|token| state.tokens.is_valid(token, now))
}

/// The user the request's token was issued to, if it was issued to one.
pub fn token_user(state: &AppState, headers: &HeaderMap, now: DateTime<Utc>) -> Option<Arc<str>> {
    bearer_token(headers).and_then(|token| state.tokens.user_of(token, now))
}

/// The token of an `Authorization: Bearer` header, if the request has one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(authorization).unwrap(),
        );
        headers
    }

    #[test]
    fn the_scheme_is_matched_without_regard_to_case() {
        assert_eq!(bearer_token(&headers("bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&headers("Bearer  abc ")), Some("abc"));
    }

    #[test]
    fn other_schemes_and_empty_tokens_give_nothing() {
        assert_eq!(bearer_token(&headers("Basic YWRtaW46YWRtaW4=")), None);
        assert_eq!(bearer_token(&headers("Bearer ")), None);
        assert_eq!(bearer_token(&headers("Bearer")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}

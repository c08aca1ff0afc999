//! The bearer check in front of every resource route.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::tokens::{ANTIFORGERY_COOKIE, ANTIFORGERY_HEADER};
use crate::AppState;
use crate::error::ApiError;

/// The answer to a request that may not reach a resource route, `None` for one with
/// `Authorization: Bearer <token>` naming a live token. Missing header, another scheme, an
/// unknown or an expired token all get the same 401; a live token without the antiforgery
/// token it was issued with (under `--antiforgery strict`) gets 400, as the vendor's
/// antiforgery check answers.
pub fn refusal(state: &AppState, headers: &HeaderMap) -> Option<Response> {
    let Some(token) =
        bearer_token(headers).filter(|token| state.tokens.is_valid(token, state.clock.now()))
    else {
        state.metrics.token_rejected("bearer");
        return Some(ApiError::Unauthorized.into_response());
    };
    if !state
        .tokens
        .antiforgery_passes(token, presented_antiforgery(headers))
    {
        state.metrics.token_rejected("antiforgery");
        return Some(
            ApiError::BadRequest(
                "The required antiforgery header value \"X-XSRF-TOKEN\" is not present or does not match."
                    .to_owned(),
            )
            .into_response(),
        );
    }
    None
}

/// True when the headers carry a bearer token that is live at `now`, with the antiforgery
/// token it asks for: what the response cache may answer without the route.
pub fn is_authorized(state: &AppState, headers: &HeaderMap, now: DateTime<Utc>) -> bool {
    bearer_token(headers).is_some_and(|token| {
        state.tokens.is_valid(token, now)
            && state
                .tokens
                .antiforgery_passes(token, presented_antiforgery(headers))
    })
}

/// The user the request's token was issued to, if it was issued to one.
pub fn token_user(state: &AppState, headers: &HeaderMap, now: DateTime<Utc>) -> Option<Arc<str>> {
    bearer_token(headers).and_then(|token| state.tokens.user_of(token, now))
}

/// The antiforgery token a request carries: in the `X-XSRF-TOKEN` header, or sent back in
/// the `XSRF-TOKEN` cookie.
pub fn presented_antiforgery(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers
        .get(ANTIFORGERY_HEADER)
        .and_then(|value| value.to_str().ok())
    {
        return Some(value.trim());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == ANTIFORGERY_COOKIE)
        .map(|(_, value)| value)
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

//! `POST /v3/Token`: the OAuth 2 resource-owner password and refresh-token grants, as OWIN answers them.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::tokens::{ANTIFORGERY_COOKIE, IssuedToken, RefreshRefused};
use crate::AppState;
use crate::error::ApiError;
use crate::store::credentials_match;
use crate::wire::{Version, token_time};

/// OWIN's JSON content type for token responses, spelled as it sends it.
const OAUTH_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The fields of a token request; anything else in the form is ignored, as the service does.
#[derive(Debug, Default, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    username: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
    /// `true` (a JSON boolean, or the text in a form): issue no antiforgery token.
    disable_antiforgery_token: Option<Flag>,
}

/// A boolean as JSON sends it, or as a form does.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Flag {
    Boolean(bool),
    Text(String),
}

impl TokenRequest {
    /// Whether the pair comes with an antiforgery token: from v7, unless the client says
    /// `disable_antiforgery_token=true`.
    fn wants_antiforgery(&self, version: Version) -> bool {
        let disabled = match &self.disable_antiforgery_token {
            Some(Flag::Boolean(disabled)) => *disabled,
            Some(Flag::Text(text)) => text.trim().eq_ignore_ascii_case("true"),
            None => false,
        };
        version.has_antiforgery() && !disabled
    }
}

#[derive(Serialize)]
struct TokenResponse<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: u32,
    refresh_token: &'a str,
    #[serde(rename = "userName")]
    user_name: &'a str,
    #[serde(rename = ".issued")]
    issued: String,
    #[serde(rename = ".expires")]
    expires: String,
}

/// The OAuth error codes the endpoint answers with.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidGrant,
    UnsupportedGrantType,
}

impl OAuthErrorCode {
    /// The code as OAuth writes it, which is also how the metrics count refusals.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidGrant => "invalid_grant",
            Self::UnsupportedGrantType => "unsupported_grant_type",
        }
    }
}

/// A 400 in the OAuth shape: `{"error": ..., "error_description": ...}`.
#[derive(Debug, Serialize)]
pub struct OAuthError {
    error: OAuthErrorCode,
    error_description: &'static str,
}

impl OAuthError {
    fn new(error: OAuthErrorCode, error_description: &'static str) -> Self {
        Self {
            error,
            error_description,
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        oauth_response(StatusCode::BAD_REQUEST, body)
    }
}

/// `POST /token/logout` (v7 on): the caller's access token and the refresh token issued
/// with it stop working. v7 answers 200 with no body, v8 204, as their contracts say.
pub async fn log_out(
    State(state): State<AppState>,
    version: Version,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = super::bearer::bearer_token(&headers) {
        state.tokens.log_out(token);
    }
    crate::wire::infrastructure::written(version)
}

pub async fn issue_token(
    State(state): State<AppState>,
    version: Version,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return ApiError::PayloadTooLarge {
                limit: crate::MAX_BODY_BYTES,
            }
            .into_response();
        }
        Err(_) => {
            return OAuthError::new(
                OAuthErrorCode::InvalidRequest,
                "The request body could not be read.",
            )
            .into_response();
        }
    };
    let granted = parse_request(version, &headers, &body)
        .and_then(|request| grant(&state, version, &headers, &request));
    match granted {
        Ok(token) => token_response(version, &token),
        Err(error) => {
            state.metrics.token_rejected(error.error.as_str());
            error.into_response()
        }
    }
}

/// A form everywhere; JSON too from v6.
fn parse_request(
    version: Version,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<TokenRequest, OAuthError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if media_type.eq_ignore_ascii_case("application/json") && version.accepts_json_token_requests()
    {
        return serde_json::from_slice(body).map_err(|_| {
            OAuthError::new(
                OAuthErrorCode::InvalidRequest,
                "The request body is not a JSON object of strings.",
            )
        });
    }
    if !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "The request must be sent as application/x-www-form-urlencoded.",
        ));
    }
    let not_form_data = || {
        OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "The request body is not UTF-8 form data.",
        )
    };
    std::str::from_utf8(body).map_err(|_| not_form_data())?;
    // The form decoder replaces percent-encoded bytes that are not UTF-8 with U+FFFD
    // instead of failing, so such input is caught by looking for the replacement character.
    if form_urlencoded::parse(body)
        .any(|(key, value)| key.contains('\u{FFFD}') || value.contains('\u{FFFD}'))
    {
        return Err(not_form_data());
    }
    serde_urlencoded::from_bytes(body).map_err(|_| not_form_data())
}

fn grant(
    state: &AppState,
    version: Version,
    headers: &HeaderMap,
    request: &TokenRequest,
) -> Result<IssuedToken, OAuthError> {
    let now = state.clock.now();
    let antiforgery = request.wants_antiforgery(version);
    match request.grant_type.as_deref() {
        Some("password") => {
            let (Some(user_name), Some(password)) = (&request.username, &request.password) else {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidRequest,
                    "The username and password parameters are required.",
                ));
            };
            if state.lockouts.is_locked(user_name, now) {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidGrant,
                    "The referenced account is currently locked out and may not be logged on to.",
                ));
            }
            let valid = credentials_match(&state.config_users, user_name, password)
                || state
                    .world
                    .read(|world| world.verify_password(user_name, password));
            if valid {
                state.lockouts.succeeded(user_name);
                state.metrics.token_issued("password");
                Ok(state.tokens.issue(user_name, now, antiforgery))
            } else {
                state.lockouts.failed(user_name, now);
                Err(OAuthError::new(
                    OAuthErrorCode::InvalidGrant,
                    "The user name or password is incorrect.",
                ))
            }
        }
        Some("refresh_token") => {
            let Some(refresh_token) = request
                .refresh_token
                .as_deref()
                .filter(|token| !token.is_empty())
            else {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidRequest,
                    "The refresh_token parameter is required.",
                ));
            };
            let presented = super::bearer::presented_antiforgery(headers);
            let token =
                state
                    .tokens
                    .redeem_refresh_token(refresh_token, now, presented, antiforgery);
            if token.is_ok() {
                state.metrics.token_issued("refresh_token");
            }
            token.map_err(|refused| match refused {
                RefreshRefused::Invalid => OAuthError::new(
                    OAuthErrorCode::InvalidGrant,
                    "The refresh token is invalid, expired or already used.",
                ),
                RefreshRefused::Antiforgery => OAuthError::new(
                    OAuthErrorCode::InvalidGrant,
                    "The antiforgery token issued with the refresh token is missing or does not match.",
                ),
            })
        }
        None => Err(OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "The grant_type parameter is required.",
        )),
        Some(_) => Err(OAuthError::new(
            OAuthErrorCode::UnsupportedGrantType,
            "The grant type is not supported by this server.",
        )),
    }
}

fn token_response(version: Version, token: &IssuedToken) -> Response {
    let body = TokenResponse {
        access_token: &token.access_token,
        token_type: "bearer",
        expires_in: token.expires_in,
        refresh_token: &token.refresh_token,
        user_name: &token.user_name,
        issued: token_time(version, token.issued),
        expires: token_time(version, token.expires),
    };
    let mut response = oauth_response(
        StatusCode::OK,
        serde_json::to_vec(&body).unwrap_or_default(),
    );
    if let Some(antiforgery) = &token.antiforgery
        && let Ok(cookie) = HeaderValue::from_str(&format!(
            "{ANTIFORGERY_COOKIE}={antiforgery}; path=/; secure; samesite=strict"
        ))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// OWIN marks token responses, good or bad, as not cacheable.
fn oauth_response(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(OAUTH_CONTENT_TYPE),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
            (header::EXPIRES, HeaderValue::from_static("-1")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a client posts to the token endpoint parses or is the OAuth 400's
        /// reason; nothing panics, whatever the encoding, the media type or the version.
        #[test]
        fn no_token_request_makes_the_parser_panic(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            form in "(grant_type|username|password|refresh_token|x)=([a-z%0-9+&=]|%FF|%C3%28){0,30}",
            json in proptest::prelude::any::<bool>(),
        ) {
            let mut headers = HeaderMap::new();
            let media_type = if json { "application/json" } else { "application/x-www-form-urlencoded" };
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
            for version in Version::ALL {
                let _ = parse_request(version, &headers, &body);
                let _ = parse_request(version, &headers, form.as_bytes());
            }
        }
    }
}

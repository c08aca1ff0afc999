//! Live tokens through the control API: list them, revoke one, a user's or all, so a test can make a session expire in the middle of a walk.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get};
use serde::Deserialize;
use serde_json::json;

use super::AdminError;
use crate::AppState;
use crate::api::PathParams;
use crate::wire::json_response;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/__admin/tokens", get(list_tokens).delete(revoke_tokens))
        .route("/__admin/tokens/{id}", delete(revoke_token))
}

/// Each live token by the first characters of its value, its kind, user and expiry; the
/// static token is not listed, since it never ends.
async fn list_tokens(State(state): State<AppState>) -> Response {
    let tokens = state.tokens.listing(state.clock.now());
    json_response(StatusCode::OK, &json!({ "tokens": tokens }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeFilter {
    user: Option<String>,
}

/// Every token, or every token of `?user=`.
async fn revoke_tokens(
    State(state): State<AppState>,
    filter: Result<Query<RevokeFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, AdminError> {
    let Query(filter) = filter
        .map_err(|rejection| AdminError::new(StatusCode::BAD_REQUEST, rejection.body_text()))?;
    state.tokens.revoke_all(filter.user.as_deref());
    Ok(StatusCode::NO_CONTENT)
}

/// The token the listing names `id`, with the other token of its pair.
async fn revoke_token(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    if state.tokens.revoke(&id) > 0 {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AdminError::new(
            StatusCode::NOT_FOUND,
            format!("No live token is listed as {id}."),
        ))
    }
}

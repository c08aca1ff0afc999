//! The first stop of every request: the size check, the journal, the rendered-response cache,
//! then path canonicalisation and routing for whatever the cache cannot answer.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::cache::CacheKey;
use super::{canonical, journal};
use crate::auth::bearer;
use crate::error::ApiError;
use crate::{AppState, MAX_BODY_BYTES, MAX_WORLD_BODY_BYTES, WORLD_PATH};

/// One middleware rather than one per step: each `from_fn` layer costs a boxed future and
/// a cloned service per request, which was a measurable share of a cached answer.
pub async fn front_door(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(refusal) = refuse_oversized_body(&request) {
        return refusal;
    }
    let now = state.clock.now();
    if journal::records(&state.journal, &request) {
        journal::record(&state.journal, now, request, |request| {
            answer(&state, now, request, next)
        })
        .await
    } else {
        answer(&state, now, request, next).await
    }
}

/// Answers 413 from the declared length alone, so an oversized body is never read. A
/// whole world sent to the control API may be as large as the world it replaces.
fn refuse_oversized_body(request: &Request) -> Option<Response> {
    let limit = if request
        .uri()
        .path()
        .trim_end_matches('/')
        .eq_ignore_ascii_case(WORLD_PATH)
    {
        MAX_WORLD_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared_too_large = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .is_some_and(|length| length > limit as u64);
    declared_too_large.then(|| ApiError::PayloadTooLarge { limit }.into_response())
}

/// The cached bytes for an authorized GET the world has not moved past; otherwise the
/// router's answer, kept for next time when a resource route allows it and the request
/// was seen before. The cache is keyed
/// by the path as sent, so a hit needs neither canonicalisation nor routing.
async fn answer(
    state: &AppState,
    now: DateTime<Utc>,
    mut request: Request,
    next: Next,
) -> Response {
    state.engine.catch_up(&state.world, now);
    let world_version = state.world.version();
    if let Some(cached) = state.cache.lookup(&request, world_version)
        && bearer::is_authorized(state, request.headers(), now)
    {
        return cached;
    }
    let key = if state.cache.seen_before(&request) {
        CacheKey::of(&request)
    } else {
        None
    };
    canonical::canonicalize_path(&mut request);
    let response = next.run(request).await;
    state.cache.keep(key, world_version, response).await
}

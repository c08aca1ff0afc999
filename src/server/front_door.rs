//! The first stop of every request: its id, the size check, the journal, the clock catch-up
//! the engine's task has not done, the rendered-response cache, then path canonicalisation
//! and routing for whatever the cache cannot answer; on the way out, the route's metrics
//! and the request's log line.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::cache::CacheKey;
use super::faults::{self, Fired};
use super::request_id::X_REQUEST_ID;
use super::routes::AnsweredBy;
use super::{canonical, journal};
use crate::auth::bearer;
use crate::error::ApiError;
use crate::telemetry::{RouteMetrics, UNMATCHED};
use crate::{AppState, MAX_BODY_BYTES, MAX_WORLD_BODY_BYTES, WORLD_PATH};

/// Where the line of each answered request is logged (at debug level).
pub const REQUEST_LOG_TARGET: &str = "vb365_mock::request";

/// One middleware rather than one per step: each `from_fn` layer costs a boxed future and
/// a cloned service per request, which was a measurable share of a cached answer.
pub async fn front_door(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = state.request_ids.of(request.headers());
    let method = request.method().clone();
    let logged_target = tracing::enabled!(target: REQUEST_LOG_TARGET, tracing::Level::DEBUG)
        .then(|| journal::kept_target(request.uri().path_and_query().map_or("/", |p| p.as_str())));
    let now = state.clock.now();
    let fired = faults::fired(&state, &request, now);
    let (mut response, route) = if let Some(refusal) = refuse_oversized_body(&request) {
        (refusal, None)
    } else if journal::records(&state.journal, &request) {
        let capture = journal::Capture::take(&request);
        let answered = answer_or_fault(&state, now, request, next, fired.as_ref()).await;
        capture.finish(
            &state.journal,
            now,
            &request_id,
            answered.0.status(),
            started.elapsed(),
            fired.as_ref().map(|fired| fired.rule_id.as_str()),
        );
        answered
    } else {
        answer_or_fault(&state, now, request, next, fired.as_ref()).await
    };
    let status = response.status();
    let route = route.unwrap_or_else(|| state.metrics.route(&method, UNMATCHED));
    state.metrics.record(&route, status, started.elapsed());
    if let Some(target) = logged_target {
        let version = target
            .split('/')
            .nth(1)
            .filter(|segment| segment.len() > 1 && segment.starts_with(['v', 'V']));
        tracing::debug!(
            target: REQUEST_LOG_TARGET,
            method = %method,
            path = %target,
            status = status.as_u16(),
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            version,
            request_id = %String::from_utf8_lossy(request_id.as_bytes()),
            "answered"
        );
    }
    response.headers_mut().insert(X_REQUEST_ID, request_id);
    response
}

/// Answers 413 from the declared length alone, so an oversized body is never read. A
/// whole world sent to the control API (`/__admin/world`, or a new isolated one at
/// `/__admin/worlds`) may be as large as the world it replaces.
fn refuse_oversized_body(request: &Request) -> Option<Response> {
    let limit = if request
        .uri()
        .path()
        .get(..WORLD_PATH.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(WORLD_PATH))
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

/// The route's answer, or what a fired fault rule makes of it: after its delay, a
/// replacement (a status, nothing, a reset) or the answer damaged.
async fn answer_or_fault(
    state: &AppState,
    now: DateTime<Utc>,
    request: Request,
    next: Next,
    fired: Option<&Fired>,
) -> (Response, Option<Arc<RouteMetrics>>) {
    let Some(fired) = fired else {
        return answer(state, now, request, next).await;
    };
    state.metrics.fault_fired(&fired.rule_id);
    if let Some(delay) = fired.delay() {
        tokio::time::sleep(delay).await;
    }
    if let Some(replacement) = fired.replacement() {
        return (replacement, None);
    }
    let (response, route) = answer(state, now, request, next).await;
    (fired.damage(response).await, route)
}

/// How long (in wall time) a read lets the world stay due before it catches up itself: the
/// world's engine task moves it as things fall due, so past this the task has fallen behind
/// (a busy machine) or is not running (the application used in process).
const READ_LAG: Duration = Duration::from_millis(100);

/// A request that may change the world meets it up to the clock, so the change lands after
/// everything due before it; a read catches up only when the engine task lags by `READ_LAG`.
/// A world with nothing due answers after one atomic load.
fn catches_up_itself(state: &AppState, request: &Request, now: DateTime<Utc>) -> bool {
    state.world.is_due(now)
        && (!matches!(*request.method(), Method::GET | Method::HEAD)
            || state.world.is_due(state.clock.showed(READ_LAG)))
}

/// The cached bytes for an authorized GET the world has not moved past; otherwise the
/// router's answer, kept for next time when a resource route allows it and the request
/// was seen before. The cache is keyed by the path as sent, so a hit needs neither
/// canonicalisation nor routing. Either way, the metrics of the route that answered.
async fn answer(
    state: &AppState,
    now: DateTime<Utc>,
    mut request: Request,
    next: Next,
) -> (Response, Option<Arc<RouteMetrics>>) {
    if catches_up_itself(state, &request, now) {
        state.engine.catch_up(&state.world, now);
    }
    let world_version = state.world.version();
    if let Some((cached, route)) = state.cache.lookup(&request, world_version)
        && bearer::is_authorized(state, request.headers(), now)
    {
        return (cached, Some(route));
    }
    let key = if state.cache.seen_before(&request) {
        CacheKey::of(&request)
    } else {
        None
    };
    canonical::canonicalize_path(&mut request);
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<AnsweredBy>()
        .map(|AnsweredBy(route)| route.clone());
    (state.cache.keep(key, world_version, response).await, route)
}

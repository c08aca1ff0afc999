//! The request pipeline before routing: the front door (size check, journal, clock
//! catch-up, response cache, path canonicalisation), tracing and the body limit.

pub mod cache;
mod canonical;
mod front_door;
pub mod journal;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::middleware;
use tower::ServiceBuilder;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;

use crate::{AppState, MAX_BODY_BYTES};

/// Puts the pipeline in front of `routes`. Canonicalisation has to run before routing, so
/// the routes sit behind an outer router whose layers see every request first.
pub fn in_front_of(routes: Router, state: AppState) -> Router {
    Router::new().fallback_service(routes).layer(
        ServiceBuilder::new()
            .layer(SetSensitiveRequestHeadersLayer::new([
                header::AUTHORIZATION,
            ]))
            .layer(TraceLayer::new_for_http())
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(middleware::from_fn_with_state(
                state,
                front_door::front_door,
            )),
    )
}

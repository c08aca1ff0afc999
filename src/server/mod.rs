//! The request pipeline before routing: the gate that waits for the world, the front door
//! (request id, size check, journal, clock catch-up, response cache, path canonicalisation,
//! metrics and the request log), the route labels, the body limit, and the guards on
//! connections.

pub mod cache;
mod canonical;
pub mod connections;
pub mod faults;
mod front_door;
pub mod gate;
pub mod journal;
pub mod request_id;
pub mod routes;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use tower::ServiceBuilder;

pub use front_door::REQUEST_LOG_TARGET;

use crate::{AppState, MAX_BODY_BYTES};

/// Puts the pipeline in front of `routes`. Canonicalisation has to run before routing, so
/// the routes sit behind an outer router whose layers see every request first.
pub fn in_front_of(routes: Router, state: AppState) -> Router {
    Router::new().fallback_service(routes).layer(
        ServiceBuilder::new()
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(middleware::from_fn_with_state(
                state,
                front_door::front_door,
            )),
    )
}

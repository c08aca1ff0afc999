//! `GET /__admin/metrics`: the world's metrics in Prometheus' text format, on the API's port
//! and, with `--metrics-listen`, on a plain-HTTP port of their own.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

use crate::AppState;
use crate::clock::ClockMode;
use crate::telemetry::{ClockState, WorldSize};

/// Prometheus' text exposition format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The plain-HTTP metrics listener's routes: `/metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let size = state.world.read(|world| WorldSize {
        organizations: world.organizations.len(),
        jobs: world.jobs.len(),
        sessions: world.sessions_oldest_first().count(),
        log_items: world
            .sessions_oldest_first()
            .map(|record| record.log.len())
            .sum(),
        restore_sessions: world.restore_sessions.len(),
        licensed_users: world.licensed_users.len(),
    });
    let reading = state.clock.reading();
    let clock = ClockState {
        mode: match reading.mode {
            ClockMode::Real => "real",
            ClockMode::Frozen => "frozen",
            ClockMode::Speed => "speed",
        },
        offset_seconds: (reading.now - Utc::now()).as_seconds_f64(),
        speed: f64::from(reading.speed),
    };
    let text = state.metrics.render(size, clock, state.worlds.count());
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        text,
    )
        .into_response()
}

//! The `/__admin` control API; it answers without a bearer token.

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use crate::AppState;
use crate::wire::json_response;

pub fn router() -> Router<AppState> {
    Router::new().route("/__admin/health", get(health))
}

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

//! `/ServiceInstance` (v6 on): the installation id and build, which clients probe to
//! discover which versions a server speaks.

use axum::Router;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new().route(&format!("{prefix}/serviceinstance"), get(service_instance))
}

async fn service_instance(version: Version) -> Response {
    wire::service_instance(version)
}

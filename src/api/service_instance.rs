//! `/ServiceInstance` (v6 on): the installation id and build, which clients probe to
//! discover which versions a server speaks.

use axum::response::Response;

use super::Routes;
use crate::wire::{self, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_service_instance(), |routes| {
        routes.get("/ServiceInstance", service_instance)
    })
}

async fn service_instance(version: Version) -> Response {
    wire::service_instance(version)
}

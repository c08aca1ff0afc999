//! `/License` (v5 on): the license and how many of its seats the world's users take.

use axum::response::Response;

use super::{Ctx, Routes};
use crate::wire::license::license;

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_license(), |routes| {
        routes.get("/License", get_license)
    })
}

async fn get_license(cx: Ctx) -> Response {
    cx.read(|world, wire| license(wire.version, world.license_use()))
}

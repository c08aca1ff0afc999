//! `/License` (v5 on): the license and how many of its seats the world's users take.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::wire::Version;
use crate::wire::license::{LicenseUse, license};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new().route(&format!("{prefix}/license"), get(get_license))
}

async fn get_license(State(state): State<AppState>, version: Version) -> Response {
    let usage = state.world.read(|world| LicenseUse {
        used: world.licensed_users.len(),
        new: world
            .licensed_users
            .iter()
            .filter(|user| user.is_new)
            .count(),
    });
    license(version, usage)
}

//! `/License` (v5 on): the license and how many of its seats the world's users take; from
//! v6 installing a license file, updating it and its automatic update. `/licensing/statistic`
//! (v7 on): the licensing platform, license use by organization and the monthly report,
//! which the administrator approves.

use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{LicenseUsageFilter, PLATFORM_ID};
use crate::wire::license::{ApproveReportRequest, AutoUpdateRequest, InstallLicenseRequest};
use crate::wire::{self, infrastructure::written};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .when(version.has_license(), |routes| {
            routes.get("/License", get_license)
        })
        .when(version.has_license_actions(), |routes| {
            routes
                .post("/License/Install", install_license)
                .post("/License/Update", update_license)
                .get("/License/AutoUpdate", get_auto_update)
                .put("/License/AutoUpdate", set_auto_update)
        })
        .when(version.has_users_license_report(), |routes| {
            routes
                .get("/licensing/reports/latest", get_latest_report)
                .post("/licensing/reports/{reportId}/approve", approve_report)
        })
        .when(version.has_license_statistics(), |routes| {
            routes
                .get("/licensing/statistic/platform", get_platform)
                .get("/licensing/statistic/usage", get_usage)
                .get("/licensing/statistic/reports/latest", get_latest_report)
                .post(
                    "/licensing/statistic/reports/{reportId}/approve",
                    approve_report,
                )
        })
}

fn render_license(cx: &Ctx) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        wire::license::license(
            wire.version,
            &world.license,
            world.license_dates(now),
            world.license_use(),
            now,
        )
    })
}

async fn get_license(cx: Ctx) -> Response {
    render_license(&cx)
}

/// Installs the license file of the body (Base64) and answers the license.
async fn install_license(
    cx: Ctx,
    JsonBody(request): JsonBody<InstallLicenseRequest>,
) -> Result<Response, ApiError> {
    let file = request.into_file()?;
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.install_license(file, now))?;
    Ok(render_license(&cx))
}

/// Asks the vendor for a newer license: the emulator has no vendor to ask, so the installed
/// license is the newest and is answered as it is.
async fn update_license(cx: Ctx) -> Response {
    render_license(&cx)
}

async fn get_auto_update(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::license::auto_update(wire, &world.license))
}

/// 200 in v6 and v7, 204 in v8.
async fn set_auto_update(
    cx: Ctx,
    JsonBody(request): JsonBody<AutoUpdateRequest>,
) -> Result<Response, ApiError> {
    let enabled = request.enabled()?;
    cx.state
        .world
        .write(|world| world.license.auto_update = enabled);
    Ok(written(cx.version))
}

async fn get_platform() -> Response {
    wire::license::platform()
}

/// Each organization's licensed users; a platform other than the one counted has none.
async fn get_usage(cx: Ctx, Query(filter): Query<LicenseUsageFilter>) -> Response {
    cx.read(|world, _| {
        let organizations = world
            .organization_license_use()
            .into_iter()
            .filter(|usage| filter.matches_organization(&usage.organization.id));
        wire::license::usage(
            organizations,
            filter.platform_id.is_none_or(|id| id == PLATFORM_ID),
        )
    })
}

async fn get_latest_report(cx: Ctx) -> Response {
    let now = cx.now().fixed_offset();
    cx.read(|world, wire| {
        wire::license::report(
            wire.version,
            &world.license,
            world.license_dates(now),
            &world.license_report(now),
        )
    })
}

/// Approves the latest report: 200 in v6 and v7, 204 in v8.
async fn approve_report(
    cx: Ctx,
    PathParams(report_id): PathParams<i32>,
    JsonBody(request): JsonBody<ApproveReportRequest>,
) -> Result<Response, ApiError> {
    let removed = request.into_removed()?;
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.approve_license_report(report_id, removed, now))?;
    Ok(written(cx.version))
}

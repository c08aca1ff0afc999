//! `/Organizations`: the tenants the server backs up, their jobs and their licensing.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, Organization};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/Organizations", list_organizations)
        .get("/Organizations/{organizationId}", get_organization)
        .get(
            "/Organizations/{organizationId}/LicensingInformation",
            get_licensing_information,
        )
        .get(
            "/Organizations/{organizationId}/usedRepositories",
            list_used_repositories,
        )
        .when(version.has_organization_jobs(), |routes| {
            routes.get(
                "/Organizations/{organizationId}/Jobs",
                list_organization_jobs,
            )
        })
}

async fn list_organizations(cx: Ctx, Query(paging): Query<Paging>) -> Response {
    cx.read(|world, wire| {
        let organizations = world
            .organizations
            .iter()
            .map(|organization| (organization, world.organization_backups(organization.id)));
        wire::organizations::organizations(wire, organizations, paging)
    })
}

async fn get_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let organization = world.find(&id)?;
        let span = world.organization_backups(*id);
        Ok(wire::organizations::organization(wire, organization, span))
    })
}

/// An array in every version that has it; v8 removed the route.
async fn list_organization_jobs(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let jobs = world
            .organization_jobs(*id)
            .map(|job| world.job_view(job, cx.now()));
        let collection = format!("/Organizations/{id}/Jobs");
        Ok(wire::jobs::jobs(wire, jobs, Paging::default(), &collection))
    })
}

async fn get_licensing_information(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        world.find(&id)?;
        Ok(wire::organizations::licensing_information(
            world.licensing(*id),
        ))
    })
}

async fn list_used_repositories(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/Organizations/{id}/usedRepositories");
    cx.read(|world, wire| {
        let usages = world.organization_repository_usage(world.find(&id)?);
        let page = paging.info(usages.len(), &collection);
        Ok(wire::organizations::used_repositories(
            wire, &usages, page, paging,
        ))
    })
}

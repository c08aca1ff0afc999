//! `/Organizations`: the tenants the server backs up, their jobs and their licensing.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::{self, Version};

pub fn router(version: Version) -> Router<AppState> {
    let prefix = version.prefix();
    let mut router = Router::new()
        .route(&format!("{prefix}/organizations"), get(list_organizations))
        .route(
            &format!("{prefix}/organizations/{{organization_id}}"),
            get(get_organization),
        )
        .route(
            &format!("{prefix}/organizations/{{organization_id}}/licensinginformation"),
            get(get_licensing_information),
        );
    if version.has_organization_jobs() {
        router = router.route(
            &format!("{prefix}/organizations/{{organization_id}}/jobs"),
            get(list_organization_jobs),
        );
    }
    router
}

async fn list_organizations(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    Ok(state.world.read(|world| {
        let organizations = world
            .organizations
            .iter()
            .map(|organization| (organization, world.organization_backups(organization.id)));
        wire::v3::organizations(&context(&state, &host, version), organizations, paging)
    }))
}

async fn get_organization(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let organization_id = parse_id(&organization_id, "organization")?;
    state.world.read(|world| {
        let organization = world
            .organization(&organization_id)
            .ok_or_else(|| not_found("Organization", &organization_id))?;
        let span = world.organization_backups(organization_id);
        Ok(wire::v3::organization(
            &context(&state, &host, version),
            organization,
            span,
        ))
    })
}

async fn list_organization_jobs(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let organization_id = parse_id(&organization_id, "organization")?;
    state.world.read(|world| {
        world
            .organization(&organization_id)
            .ok_or_else(|| not_found("Organization", &organization_id))?;
        let jobs = world
            .organization_jobs(organization_id)
            .map(|job| (job, world.job_summary(job)));
        let collection = format!("/Organizations/{organization_id}/Jobs");
        Ok(wire::v3::jobs(
            &context(&state, &host, version),
            jobs,
            Paging::default(),
            &collection,
        ))
    })
}

async fn get_licensing_information(
    State(state): State<AppState>,
    PathParams(organization_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let organization_id = parse_id(&organization_id, "organization")?;
    state.world.read(|world| {
        world
            .organization(&organization_id)
            .ok_or_else(|| not_found("Organization", &organization_id))?;
        let (licensed, new) = world
            .organization_licensed_users(organization_id)
            .fold((0, 0), |(licensed, new), user| {
                (licensed + 1, new + usize::from(user.is_new))
            });
        Ok(wire::v3::licensing_information(licensed, new))
    })
}

//! What a client configures on one organization (v6 on): its retention exclusions.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Routes};
use crate::error::ApiError;
use crate::model::{Id, Organization, RetentionExclusions};
use crate::wire;
use crate::wire::infrastructure::written;
use crate::wire::settings::RetentionExclusionsRequest;

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_organization_setup(), |routes| {
        routes
            .get(
                "/Organizations/{organizationId}/RetentionExclusion",
                get_retention_exclusion,
            )
            .put(
                "/Organizations/{organizationId}/RetentionExclusion",
                put_retention_exclusion,
            )
            .delete(
                "/Organizations/{organizationId}/RetentionExclusion",
                delete_retention_exclusion,
            )
    })
}

async fn get_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let setup = world.organization_setup(&id)?;
        Ok(wire::settings::retention_exclusions(
            &setup.retention_exclusion,
        ))
    })
}

async fn put_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<RetentionExclusionsRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        world.edit_organization_setup(*id, |_, setup| {
            setup.retention_exclusion = request.apply(&setup.retention_exclusion);
            Ok(())
        })
    })?;
    Ok(written(cx.version))
}

/// Takes every item off the list: the retention policy removes them all again.
async fn delete_retention_exclusion(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        world.edit_organization_setup(*id, |_, setup| {
            setup.retention_exclusion = RetentionExclusions::default();
            Ok(())
        })
    })?;
    Ok(StatusCode::NO_CONTENT)
}

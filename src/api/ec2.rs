//! `/EC2Resources` (v6 on): what Amazon EC2 shows an Amazon account in a region, as the service lists it to place backup proxies.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Ec2Resource, Ec2Scope, INSTANCE_TYPES, NotFound};
use crate::wire;

/// Every EC2 question names an Amazon account and a region.
const EC2_SCOPE: &[&str] = &["accountId", "regionId"];

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_cloud_resources(), |routes| {
        routes
            .get_asking("/EC2Resources/InstanceType", EC2_SCOPE, list_instance_types)
            .get_asking(
                "/EC2Resources/InstanceType/{instanceTypeName}",
                EC2_SCOPE,
                get_instance_type,
            )
            .get_asking("/EC2Resources/VirtualPrivateCloud", EC2_SCOPE, list_vpcs)
            .get_asking(
                "/EC2Resources/VirtualPrivateCloud/{name}",
                EC2_SCOPE,
                get_vpcs_named,
            )
            .get_asking(
                "/EC2Resources/VirtualPrivateCloud/{id}/Subnets",
                EC2_SCOPE,
                list_subnets,
            )
            .get_asking(
                "/EC2Resources/VirtualPrivateCloud/{id}/Subnets/{subnetName}",
                EC2_SCOPE,
                get_subnets_named,
            )
            .get_asking(
                "/EC2Resources/VirtualPrivateCloud/{id}/SecurityGroup",
                EC2_SCOPE,
                list_security_groups,
            )
            .get_asking(
                "/EC2Resources/VirtualPrivateCloud/{id}/SecurityGroup/{securityGroupName}",
                EC2_SCOPE,
                get_security_group,
            )
    })
}

/// Those of `resources` named `name` (without regard to case), or the 404 of `what`.
fn named(
    resources: Vec<Ec2Resource>,
    name: &str,
    what: &'static str,
) -> Result<Vec<Ec2Resource>, NotFound> {
    let found: Vec<Ec2Resource> = resources
        .into_iter()
        .filter(|resource| resource.name.eq_ignore_ascii_case(name))
        .collect();
    if found.is_empty() {
        return Err(NotFound {
            what,
            id: name.to_owned(),
        });
    }
    Ok(found)
}

async fn list_instance_types(cx: Ctx, Query(scope): Query<Ec2Scope>) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        world.ec2_account(&scope)?;
        Ok(wire::ec2::instance_types(INSTANCE_TYPES.iter()))
    })
}

async fn get_instance_type(
    cx: Ctx,
    PathParams(name): PathParams<String>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        world.ec2_account(&scope)?;
        let kind = INSTANCE_TYPES
            .iter()
            .find(|kind| kind.name.eq_ignore_ascii_case(&name))
            .ok_or_else(|| NotFound {
                what: "Instance type",
                id: name.clone(),
            })?;
        Ok(wire::ec2::instance_types(std::iter::once(kind)))
    })
}

async fn list_vpcs(cx: Ctx, Query(scope): Query<Ec2Scope>) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::ec2::networks(world.ec2_vpcs(&scope)?.iter())))
}

async fn get_vpcs_named(
    cx: Ctx,
    PathParams(name): PathParams<String>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let vpcs = named(world.ec2_vpcs(&scope)?, &name, "Virtual private cloud")?;
        Ok(wire::ec2::networks(vpcs.iter()))
    })
}

async fn list_subnets(
    cx: Ctx,
    PathParams(id): PathParams<String>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::ec2::networks(world.ec2_subnets(&scope, &id)?.iter())))
}

async fn get_subnets_named(
    cx: Ctx,
    PathParams((id, name)): PathParams<(String, String)>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let subnets = named(world.ec2_subnets(&scope, &id)?, &name, "Subnet")?;
        Ok(wire::ec2::networks(subnets.iter()))
    })
}

async fn list_security_groups(
    cx: Ctx,
    PathParams(id): PathParams<String>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let groups = world.ec2_security_groups(&scope, &id)?;
        Ok(wire::ec2::security_groups(groups.iter()))
    })
}

async fn get_security_group(
    cx: Ctx,
    PathParams((id, name)): PathParams<(String, String)>,
    Query(scope): Query<Ec2Scope>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let groups = named(
            world.ec2_security_groups(&scope, &id)?,
            &name,
            "Security group",
        )?;
        Ok(wire::ec2::security_group(&groups[0]))
    })
}

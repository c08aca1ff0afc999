//! `/AzureServiceAccounts` (v6 on): the Entra applications the server signs in to Azure with, their device code sign-in, and what each sees of Azure.

use axum::http::StatusCode;
use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{AzureServiceAccount, AzureServiceAccountFilter, AzureView, Id};
use crate::store::World;
use crate::wire;
use crate::wire::azure::ServiceAccountRequest;
use crate::wire::query::{LocationName, SubscriptionName};

const ACCOUNT: &str = "/AzureServiceAccounts/{serviceAccountId}";
const SUBSCRIPTION: &str =
    "/AzureServiceAccounts/{serviceAccountId}/Subscriptions/{subscriptionId}";

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_azure_service_accounts(), |routes| {
        routes
            .get("/AzureServiceAccounts", list_accounts)
            .post("/AzureServiceAccounts", add_account)
            .get(ACCOUNT, get_account)
            .put(ACCOUNT, edit_account)
            .delete(ACCOUNT, remove_account)
            .post("/AzureServiceAccounts/DeviceCode", device_code)
            .get(&format!("{ACCOUNT}/Subscriptions"), list_subscriptions)
            .get(SUBSCRIPTION, get_subscription)
            .get(&format!("{SUBSCRIPTION}/Locations"), list_locations)
            .get(&format!("{SUBSCRIPTION}/Locations/{{locationName}}"), get_location)
            .get(
                &format!("{SUBSCRIPTION}/Locations/{{locationName}}/VirtualMachineSizes"),
                list_vm_sizes,
            )
            .get(
                &format!("{SUBSCRIPTION}/Locations/{{locationName}}/VirtualMachineSizes/{{vmSizeName}}"),
                get_vm_size,
            )
            .get(&format!("{SUBSCRIPTION}/ResourceGroups"), list_resource_groups)
            .get(
                &format!("{SUBSCRIPTION}/ResourceGroups/{{resourceGroupName}}"),
                get_resource_group,
            )
            .get(
                &format!("{SUBSCRIPTION}/ResourceGroups/{{resourceGroupName}}/VirtualNetworks"),
                list_virtual_networks,
            )
            .get(
                &format!(
                    "{SUBSCRIPTION}/ResourceGroups/{{resourceGroupName}}/VirtualNetworks/{{virtualNetworkName}}"
                ),
                get_virtual_network,
            )
            .get(
                &format!(
                    "{SUBSCRIPTION}/ResourceGroups/{{resourceGroupName}}/VirtualNetworks/{{virtualNetworkName}}/Subnets"
                ),
                list_subnets,
            )
            .get(
                &format!(
                    "{SUBSCRIPTION}/ResourceGroups/{{resourceGroupName}}/VirtualNetworks/{{virtualNetworkName}}/Subnets/{{subnetName}}"
                ),
                get_subnet,
            )
    })
}

type AccountId = Id<AzureServiceAccount>;

/// What account `id` sees of Azure, or its 404.
fn view<'w>(world: &'w World, id: &AccountId) -> Result<AzureView<'w>, ApiError> {
    Ok(AzureView {
        seed: world.seed,
        account: world.find(id)?,
    })
}

async fn list_accounts(cx: Ctx, Query(filter): Query<AzureServiceAccountFilter>) -> Response {
    cx.read(|world, _| {
        wire::azure::service_accounts(
            world
                .azure_service_accounts
                .iter()
                .filter(|account| filter.matches(account)),
        )
    })
}

async fn get_account(cx: Ctx, PathParams(id): PathParams<AccountId>) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::azure::service_account(world.find(&id)?)))
}

/// 200 with the account in every version.
async fn add_account(
    cx: Ctx,
    JsonBody(request): JsonBody<ServiceAccountRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change()?;
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| {
        let id = world.next_id();
        let account = world.add_azure_service_account(id, change, now)?;
        Ok(wire::azure::service_account(account))
    })
}

/// 204 in every version.
async fn edit_account(
    cx: Ctx,
    PathParams(id): PathParams<AccountId>,
    JsonBody(request): JsonBody<ServiceAccountRequest>,
) -> Result<StatusCode, ApiError> {
    let change = request.into_change()?;
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.edit_azure_service_account(*id, change, now))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_account(
    cx: Ctx,
    PathParams(id): PathParams<AccountId>,
) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.remove_azure_service_account(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A device code to sign in to Azure with; the body names the cloud and tenant, which a
/// code from the emulator does not depend on, but it must be JSON the contract allows.
async fn device_code(
    cx: Ctx,
    JsonBody(_request): JsonBody<wire::azure::DeviceCodeRequest>,
) -> Response {
    let now = cx.now().fixed_offset();
    let code = cx.state.world.write(|world| world.issue_device_code(now));
    wire::azure::azure_device_code(&code)
}

async fn list_subscriptions(
    cx: Ctx,
    PathParams(id): PathParams<AccountId>,
    Query(name): Query<SubscriptionName>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let subscriptions = view(world, &id)?.subscriptions();
        Ok(wire::azure::subscriptions(subscriptions.iter().filter(
            |subscription| {
                name.0
                    .as_deref()
                    .is_none_or(|wanted| subscription.display_name.eq_ignore_ascii_case(wanted))
            },
        )))
    })
}

async fn get_subscription(
    cx: Ctx,
    PathParams((id, subscription)): PathParams<(AccountId, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        Ok(wire::azure::subscription(
            &view(world, &id)?.subscription(&subscription)?,
        ))
    })
}

async fn list_locations(
    cx: Ctx,
    PathParams((id, subscription)): PathParams<(AccountId, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        view.subscription(&subscription)?;
        Ok(wire::azure::locations(&view.locations()))
    })
}

async fn get_location(
    cx: Ctx,
    PathParams((id, subscription, location)): PathParams<(AccountId, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        view.subscription(&subscription)?;
        Ok(wire::azure::location(&view.location(&location)?))
    })
}

async fn list_vm_sizes(
    cx: Ctx,
    PathParams((id, subscription, location)): PathParams<(AccountId, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        view.subscription(&subscription)?;
        view.location(&location)?;
        Ok(wire::azure::vm_sizes(view.vm_sizes()))
    })
}

async fn get_vm_size(
    cx: Ctx,
    PathParams((id, subscription, location, size)): PathParams<(AccountId, String, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        view.subscription(&subscription)?;
        view.location(&location)?;
        Ok(wire::azure::vm_size(&view.vm_size(&size)?))
    })
}

async fn list_resource_groups(
    cx: Ctx,
    PathParams((id, subscription)): PathParams<(AccountId, String)>,
    Query(location): Query<LocationName>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let groups = view.resource_groups(&view.subscription(&subscription)?);
        Ok(wire::azure::resource_groups(
            groups
                .iter()
                .filter(|group| location.matches(group.location)),
        ))
    })
}

async fn get_resource_group(
    cx: Ctx,
    PathParams((id, subscription, group)): PathParams<(AccountId, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let subscription = view.subscription(&subscription)?;
        Ok(wire::azure::resource_group(
            &view.resource_group(&subscription, &group)?,
        ))
    })
}

async fn list_virtual_networks(
    cx: Ctx,
    PathParams((id, subscription, group)): PathParams<(AccountId, String, String)>,
    Query(location): Query<LocationName>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let subscription = view.subscription(&subscription)?;
        let group = view.resource_group(&subscription, &group)?;
        let networks = view.virtual_networks(&subscription, &group);
        Ok(wire::azure::virtual_networks(
            networks
                .iter()
                .filter(|network| location.matches(network.location)),
        ))
    })
}

async fn get_virtual_network(
    cx: Ctx,
    PathParams((id, subscription, group, network)): PathParams<(AccountId, String, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let subscription = view.subscription(&subscription)?;
        let group = view.resource_group(&subscription, &group)?;
        Ok(wire::azure::virtual_network(&view.virtual_network(
            &subscription,
            &group,
            &network,
        )?))
    })
}

async fn list_subnets(
    cx: Ctx,
    PathParams((id, subscription, group, network)): PathParams<(AccountId, String, String, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let subscription = view.subscription(&subscription)?;
        let group = view.resource_group(&subscription, &group)?;
        let network = view.virtual_network(&subscription, &group, &network)?;
        Ok(wire::azure::subnets(&network.subnets()))
    })
}

async fn get_subnet(
    cx: Ctx,
    PathParams((id, subscription, group, network, subnet)): PathParams<(
        AccountId,
        String,
        String,
        String,
        String,
    )>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let view = view(world, &id)?;
        let subscription = view.subscription(&subscription)?;
        let group = view.resource_group(&subscription, &group)?;
        let network = view.virtual_network(&subscription, &group, &network)?;
        Ok(wire::azure::subnet(&network.subnet(&subnet)?))
    })
}

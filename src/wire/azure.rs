//! Azure service accounts and what they see of Azure (v6 on), device codes, and an organization's backup accounts, backup applications and tenant applications on the wire, as answered and as sent. Secrets are read, never written.

use axum::response::Response;
use base64::Engine;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{BodyError, invalid};
use super::directory::in_organization;
use super::job_requests::guid;
use super::links::{Href, Link};
use super::page::{PageBody, PageInfo};
use super::time::DotNetTime;
use super::{Context, Version, ok};
use crate::model::{
    AzureEnvironment, AzureLocation, AzureServiceAccount, AzureServiceAccountChange,
    AzureSubscription, BackupAccountChange, BackupApplication, BackupApplicationChange, DeviceCode,
    DirectoryUser, LocationType, NewApplications, ResourceGroup, Secret, Subnet, TenantApplication,
    VirtualMachineSize, VirtualNetwork, certificate_thumbprint,
};

/// `RESTServiceAccountInfo`: never the secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ServiceAccountBody<'a> {
    id: &'a Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    display_name: &'a str,
    description: &'a str,
    application_id: &'a Uuid,
    application_certificate_thumbprint: &'a str,
    azure_environment: AzureEnvironment,
    azure_tenant_id: &'a str,
    last_modified: DotNetTime<'a>,
}

impl<'a> ServiceAccountBody<'a> {
    pub(super) fn new(account: &'a AzureServiceAccount) -> Self {
        Self {
            id: &account.id,
            kind: "Azure",
            display_name: &account.display_name,
            description: &account.description,
            application_id: &account.application_id,
            application_certificate_thumbprint: &account.certificate_thumbprint,
            azure_environment: account.azure_environment,
            azure_tenant_id: &account.azure_tenant_id,
            last_modified: DotNetTime(&account.last_modified),
        }
    }
}

/// `GET /AzureServiceAccounts`: an array in every version.
pub fn service_accounts<'a>(accounts: impl Iterator<Item = &'a AzureServiceAccount>) -> Response {
    let bodies: Vec<ServiceAccountBody<'_>> = accounts.map(ServiceAccountBody::new).collect();
    ok(&bodies)
}

pub fn service_account(account: &AzureServiceAccount) -> Response {
    ok(&ServiceAccountBody::new(account))
}

/// `RESTDeviceCodeInfo`: the Azure sign-in's code, with the time it expires.
pub fn azure_device_code(code: &DeviceCode) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        user_code: &'a str,
        verification_uri: &'static str,
        expires_on_utc: DotNetTime<'a>,
        message: String,
    }
    ok(&Body {
        user_code: &code.user_code,
        verification_uri: DeviceCode::VERIFICATION_URL,
        expires_on_utc: DotNetTime(&code.expires),
        message: code.message(),
    })
}

/// `RESTDeviceCodeResponse`: the Microsoft 365 sign-in's code, with its lifetime.
pub fn device_code(code: &DeviceCode) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        user_code: &'a str,
        verification_url: &'static str,
        expires_in: i64,
        message: String,
    }
    ok(&Body {
        user_code: &code.user_code,
        verification_url: DeviceCode::VERIFICATION_URL,
        expires_in: DeviceCode::LIFETIME_SECONDS,
        message: code.message(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionBody<'a> {
    subscription_id: &'a str,
    display_name: &'a str,
}

impl<'a> SubscriptionBody<'a> {
    fn new(subscription: &'a AzureSubscription) -> Self {
        Self {
            subscription_id: &subscription.id,
            display_name: &subscription.display_name,
        }
    }
}

pub fn subscriptions<'a>(subscriptions: impl Iterator<Item = &'a AzureSubscription>) -> Response {
    let bodies: Vec<SubscriptionBody<'_>> = subscriptions.map(SubscriptionBody::new).collect();
    ok(&bodies)
}

pub fn subscription(subscription: &AzureSubscription) -> Response {
    ok(&SubscriptionBody::new(subscription))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationBody {
    name: &'static str,
    display_name: &'static str,
}

impl LocationBody {
    fn new(location: &AzureLocation) -> Self {
        Self {
            name: location.name,
            display_name: location.display_name,
        }
    }
}

pub fn locations(locations: &[AzureLocation]) -> Response {
    let bodies: Vec<LocationBody> = locations.iter().map(LocationBody::new).collect();
    ok(&bodies)
}

pub fn location(location: &AzureLocation) -> Response {
    ok(&LocationBody::new(location))
}

/// `RESTAzureVirtualMachineSize`: the contract types the core count as text.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VmSizeBody {
    name: &'static str,
    cores_count: String,
    #[serde(rename = "memoryMB")]
    memory_mb: u64,
    #[serde(rename = "osDiskSizeMB")]
    os_disk_mb: u64,
    #[serde(rename = "resourceDiskSizeMB")]
    resource_disk_mb: u64,
}

impl VmSizeBody {
    fn new(size: &VirtualMachineSize) -> Self {
        Self {
            name: size.name,
            cores_count: size.cores.to_string(),
            memory_mb: size.memory_mb,
            os_disk_mb: size.os_disk_mb,
            resource_disk_mb: size.resource_disk_mb,
        }
    }
}

pub fn vm_sizes(sizes: &[VirtualMachineSize]) -> Response {
    let bodies: Vec<VmSizeBody> = sizes.iter().map(VmSizeBody::new).collect();
    ok(&bodies)
}

pub fn vm_size(size: &VirtualMachineSize) -> Response {
    ok(&VmSizeBody::new(size))
}

#[derive(Serialize)]
struct ResourceGroupBody<'a> {
    name: &'a str,
    location: &'static str,
}

impl<'a> ResourceGroupBody<'a> {
    fn new(group: &'a ResourceGroup) -> Self {
        Self {
            name: &group.name,
            location: group.location,
        }
    }
}

pub fn resource_groups<'a>(groups: impl Iterator<Item = &'a ResourceGroup>) -> Response {
    let bodies: Vec<ResourceGroupBody<'_>> = groups.map(ResourceGroupBody::new).collect();
    ok(&bodies)
}

pub fn resource_group(group: &ResourceGroup) -> Response {
    ok(&ResourceGroupBody::new(group))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VirtualNetworkBody<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    location: &'static str,
    address_spaces: [&'a str; 1],
}

impl<'a> VirtualNetworkBody<'a> {
    fn new(network: &'a VirtualNetwork) -> Self {
        Self {
            id: &network.id,
            name: &network.name,
            kind: "Microsoft.Network/virtualNetworks",
            location: network.location,
            address_spaces: [&network.address_space],
        }
    }
}

pub fn virtual_networks<'a>(networks: impl Iterator<Item = &'a VirtualNetwork>) -> Response {
    let bodies: Vec<VirtualNetworkBody<'_>> = networks.map(VirtualNetworkBody::new).collect();
    ok(&bodies)
}

pub fn virtual_network(network: &VirtualNetwork) -> Response {
    ok(&VirtualNetworkBody::new(network))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubnetBody<'a> {
    name: &'static str,
    address_prefix: &'a str,
}

impl<'a> SubnetBody<'a> {
    fn new(subnet: &'a Subnet) -> Self {
        Self {
            name: subnet.name,
            address_prefix: &subnet.address_prefix,
        }
    }
}

pub fn subnets(subnets: &[Subnet]) -> Response {
    let bodies: Vec<SubnetBody<'_>> = subnets.iter().map(SubnetBody::new).collect();
    ok(&bodies)
}

pub fn subnet(subnet: &Subnet) -> Response {
    ok(&SubnetBody::new(subnet))
}

/// `RESTBackupAccount`: the user as a `RESTGroupMember`, never the password.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BackupAccountBody<'a> {
    group_member: GroupMemberBody<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupMemberBody<'a> {
    group_id: String,
    name: &'a str,
    login: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    is_cloud: bool,
    /// v8: where the user's data is kept, which this world does not record.
    #[serde(skip_serializing_if = "Option::is_none")]
    data_location: Option<Option<&'a str>>,
    #[serde(rename = "_links")]
    links: SelfLink,
}

#[derive(Serialize)]
struct SelfLink {
    #[serde(rename = "self")]
    this: Link<Href<'static, String>>,
}

/// `GET /Organizations/{id}/BackupAccounts`: an array of the organization's users.
pub fn backup_accounts<'a>(
    cx: &Context<'_>,
    users: impl Iterator<Item = &'a DirectoryUser>,
) -> Response {
    let bodies: Vec<BackupAccountBody<'_>> = users
        .map(|user| BackupAccountBody {
            group_member: GroupMemberBody {
                group_id: user.id.to_string(),
                name: &user.display_name,
                login: &user.name,
                kind: "User",
                is_cloud: user.location != LocationType::OnPremises,
                data_location: (cx.version >= Version::V8).then_some(None),
                links: SelfLink {
                    this: owned_link(
                        cx,
                        in_organization(cx, &user.organization_id, &format!("/Users/{}", user.id)),
                    ),
                },
            },
        })
        .collect();
    ok(&bodies)
}

/// `RESTAccountPool`: where the pool just written is read.
pub fn account_pool(cx: &Context<'_>, organization_id: &Uuid) -> Response {
    ok(&serde_json::json!({
        "_links": {"self": owned_link(cx, in_organization(cx, organization_id, "/BackupAccounts"))}
    }))
}

fn owned_link(cx: &Context<'_>, path: String) -> Link<Href<'static, String>> {
    Link(Href {
        host: None,
        path: match cx.link_host() {
            Some(host) => format!("https://{host}{path}"),
            None => path,
        },
    })
}

/// `RESTBackupApplication`: never the certificate's password.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BackupApplicationBody<'a> {
    application_id: &'a Uuid,
    display_name: &'a str,
    certificate_thumbprint: &'a str,
}

/// `GET /Organizations/{id}/BackupApplications`: a page.
pub fn backup_applications<'a>(
    cx: &Context<'a>,
    applications: impl Iterator<Item = &'a BackupApplication>,
    page: PageInfo<'a>,
) -> Response {
    let results: Vec<BackupApplicationBody<'_>> = applications
        .map(|application| BackupApplicationBody {
            application_id: &application.application_id,
            display_name: &application.display_name,
            certificate_thumbprint: &application.certificate_thumbprint,
        })
        .collect();
    ok(&PageBody::new(cx, page, results))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplicationBody<'a> {
    application_id: &'a Uuid,
    display_name: &'a str,
    tags: &'a [String],
}

/// `GET /Organizations/{id}/Applications`, and what `POST` created: a page.
pub fn applications<'a>(
    cx: &Context<'a>,
    applications: impl Iterator<Item = &'a TenantApplication>,
    page: PageInfo<'a>,
) -> Response {
    let results: Vec<ApplicationBody<'_>> = applications
        .map(|application| ApplicationBody {
            application_id: &application.application_id,
            display_name: &application.display_name,
            tags: &application.tags,
        })
        .collect();
    ok(&PageBody::new(cx, page, results))
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum EnvironmentRequest {
    #[serde(alias = "global")]
    Global,
    #[serde(alias = "germany")]
    Germany,
    #[serde(alias = "china")]
    China,
    #[serde(alias = "government")]
    Government,
}

impl From<EnvironmentRequest> for AzureEnvironment {
    fn from(environment: EnvironmentRequest) -> Self {
        match environment {
            EnvironmentRequest::Global => Self::Global,
            EnvironmentRequest::Germany => Self::Germany,
            EnvironmentRequest::China => Self::China,
            EnvironmentRequest::Government => Self::Government,
        }
    }
}

/// `RESTDeviceCodeInfoRequest` as sent: the cloud and tenant to sign in to, which do not
/// change the code a world hands out.
#[derive(Debug, Deserialize)]
pub struct DeviceCodeRequest {
    /// Read only so that a cloud the contract does not name is refused.
    #[serde(rename = "azureenvironment", default)]
    _azure_environment: Option<EnvironmentRequest>,
}

/// `RESTDeviceCodeRequestOptions` as sent: the application and region a restore signs in
/// to; none of it changes the code.
#[derive(Debug, Deserialize)]
pub struct DeviceCodeOptionsRequest {
    #[serde(rename = "targetapplicationid", default)]
    target_application_id: Option<String>,
    /// Read only so that a region the contract does not name is refused.
    #[serde(rename = "targetregion", default)]
    _target_region: Option<RegionRequest>,
}

/// The Microsoft 365 regions the contracts name.
#[derive(Debug, Clone, Copy, Deserialize)]
enum RegionRequest {
    Worldwide,
    Germany,
    China,
    USDefence,
    USGovernment,
}

impl DeviceCodeOptionsRequest {
    /// An application named must be named by a GUID.
    pub fn check(&self) -> Result<(), BodyError> {
        if let Some(text) = &self.target_application_id {
            guid(text, "application")?;
        }
        Ok(())
    }
}

/// `RESTServiceAccountCreationData` and `RESTServiceAccountUpdateData` as sent.
#[derive(Debug, Deserialize)]
pub struct ServiceAccountRequest {
    #[serde(rename = "applicationname", default)]
    application_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "applicationid", default)]
    application_id: Option<String>,
    #[serde(rename = "azureenvironment", default)]
    azure_environment: Option<EnvironmentRequest>,
    #[serde(rename = "azuretenantid", default)]
    azure_tenant_id: Option<String>,
    #[serde(rename = "applicationcertificate", default)]
    application_certificate: Option<String>,
    #[serde(rename = "applicationcertificatepassword", default)]
    application_certificate_password: Option<String>,
    #[serde(rename = "applicationsecret", default)]
    application_secret: Option<String>,
    #[serde(rename = "usercode", default)]
    user_code: Option<String>,
    #[serde(rename = "subscriptionids", default)]
    subscription_ids: Option<Vec<String>>,
}

impl ServiceAccountRequest {
    /// The change this request asks: a certificate signs in with its password, else the
    /// secret does.
    pub fn into_change(self) -> Result<AzureServiceAccountChange, BodyError> {
        let certificate = self
            .application_certificate
            .as_deref()
            .map(|text| certificate("applicationCertificate", text))
            .transpose()?;
        let secret = if certificate.is_some() {
            Some(Secret::new(
                self.application_certificate_password.unwrap_or_default(),
            ))
        } else {
            self.application_secret
                .filter(|secret| !secret.is_empty())
                .map(Secret::new)
        };
        Ok(AzureServiceAccountChange {
            display_name: self.application_name,
            description: self.description,
            application_id: self
                .application_id
                .as_deref()
                .map(|text| guid(text, "application"))
                .transpose()?,
            azure_environment: self.azure_environment.map(AzureEnvironment::from),
            azure_tenant_id: self.azure_tenant_id,
            certificate_thumbprint: certificate.as_deref().map(certificate_thumbprint),
            secret,
            user_code: self.user_code.filter(|code| !code.trim().is_empty()),
            subscription_ids: self.subscription_ids,
        })
    }
}

/// A certificate as the contract sends it: Base64 text; anything else is the client's 400.
fn certificate(field: &str, text: &str) -> Result<Vec<u8>, BodyError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .filter(|bytes| !bytes.is_empty())
        .ok_or_else(|| invalid(format!("'{field}' is not a Base64-encoded certificate.")))
}

/// `RESTGroupMember` as a backup account names its user.
#[derive(Debug, Default, Deserialize)]
struct GroupMemberRequest {
    #[serde(rename = "groupid", default)]
    group_id: Option<String>,
    #[serde(default)]
    login: Option<String>,
}

/// `RESTBackupAccount` as sent.
#[derive(Debug, Deserialize)]
pub struct BackupAccountRequest {
    #[serde(rename = "groupmember", default)]
    group_member: Option<GroupMemberRequest>,
    #[serde(default)]
    password: Option<String>,
}

impl BackupAccountRequest {
    pub fn into_change(self) -> Result<BackupAccountChange, BodyError> {
        let member = self
            .group_member
            .ok_or_else(|| invalid("A backup account names its user in 'groupMember'."))?;
        let user_id = member
            .group_id
            .as_deref()
            .map(|text| guid(text, "user"))
            .transpose()?;
        if user_id.is_none() && member.login.is_none() {
            return Err(invalid(
                "A backup account names its user by 'groupMember.login' or 'groupMember.groupId'.",
            ));
        }
        Ok(BackupAccountChange {
            user_id,
            login: member.login,
            password: Secret::new(self.password.unwrap_or_default()),
        })
    }
}

/// `RESTApplication` inside a backup application.
#[derive(Debug, Deserialize)]
struct ApplicationRequest {
    #[serde(rename = "applicationid", default)]
    application_id: Option<String>,
    #[serde(rename = "displayname", default)]
    display_name: Option<String>,
}

/// `RESTBackupApplicationFromClient` as sent.
#[derive(Debug, Deserialize)]
pub struct BackupApplicationRequest {
    #[serde(default)]
    application: Option<ApplicationRequest>,
    #[serde(rename = "applicationcertificate", default)]
    application_certificate: Option<String>,
    #[serde(rename = "applicationcertificatepassword", default)]
    application_certificate_password: Option<String>,
}

impl BackupApplicationRequest {
    pub fn into_change(self) -> Result<BackupApplicationChange, BodyError> {
        let application = self.application.ok_or_else(|| {
            invalid("A backup application names its application in 'application'.")
        })?;
        let application_id = application
            .application_id
            .as_deref()
            .map(|text| guid(text, "application"))
            .transpose()?
            .ok_or_else(|| invalid("A backup application needs 'application.applicationId'."))?;
        Ok(BackupApplicationChange {
            application_id,
            display_name: application.display_name,
            certificate: self
                .application_certificate
                .as_deref()
                .map(|text| certificate("applicationCertificate", text))
                .transpose()?
                .unwrap_or_default(),
            certificate_password: Secret::new(
                self.application_certificate_password.unwrap_or_default(),
            ),
        })
    }
}

/// `RESTApplicationFromClient` as sent.
#[derive(Debug, Deserialize)]
pub struct NewApplicationRequest {
    #[serde(rename = "displayname", default)]
    display_name: Option<String>,
    #[serde(rename = "usercode", default)]
    user_code: Option<String>,
    #[serde(default)]
    count: Option<u32>,
}

impl NewApplicationRequest {
    pub fn into_request(self) -> Result<NewApplications, BodyError> {
        let user_code = self
            .user_code
            .filter(|code| !code.trim().is_empty())
            .ok_or_else(|| {
                invalid("Creating applications needs the 'userCode' of a device code signed in to the tenant.")
            })?;
        Ok(NewApplications {
            display_name: self.display_name.unwrap_or_default(),
            count: self.count.unwrap_or(1),
            user_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn a_certificate_is_base64_and_signs_in_with_its_password() {
        let request: ServiceAccountRequest = read(
            br#"{"applicationId": "11111111-2222-3333-4444-555555555555", "azureTenantId": "t",
                 "applicationCertificate": "MIIBCgKCAQEA", "applicationCertificatePassword": "pw"}"#,
        )
        .unwrap();
        let change = request.into_change().unwrap();
        assert_eq!(change.secret, Some(Secret::new("pw")));
        assert_eq!(change.certificate_thumbprint.unwrap().len(), 40);
        let request: ServiceAccountRequest =
            read(br#"{"applicationCertificate": "not base64!"}"#).unwrap();
        assert!(request.into_change().is_err());
    }

    #[test]
    fn an_environment_is_one_of_the_four_clouds() {
        assert!(read::<ServiceAccountRequest>(br#"{"azureEnvironment": "Mars"}"#).is_err());
        let request: ServiceAccountRequest = read(br#"{"azureEnvironment": "China"}"#).unwrap();
        assert_eq!(
            request.into_change().unwrap().azure_environment,
            Some(AzureEnvironment::China)
        );
    }

    #[test]
    fn a_backup_account_names_its_user() {
        let request: BackupAccountRequest = read(br#"{"password": "x"}"#).unwrap();
        assert!(request.into_change().is_err());
        let request: BackupAccountRequest =
            read(br#"{"groupMember": {"groupId": "nope"}, "password": "x"}"#).unwrap();
        assert!(request.into_change().is_err());
    }
}

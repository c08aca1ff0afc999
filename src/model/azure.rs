//! Azure service accounts, what an account sees of Azure (subscriptions, regions, VM sizes, resource groups, networks), and device codes.
//!
//! An account is kept; what it sees is computed from the world's seed and the account, so
//! it costs nothing to keep and the same seed shows the same Azure.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{NotFound, Secret, Timestamp, mix};

/// An Azure service account: a Microsoft Entra application the server signs in to Azure
/// with, by a secret or a certificate, to run archiver appliances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AzureServiceAccount {
    pub id: Uuid,
    /// The name of the Entra application.
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    pub application_id: Uuid,
    /// The thumbprint of the certificate it signs in with; empty when it uses a secret.
    #[serde(default)]
    pub certificate_thumbprint: String,
    #[serde(default)]
    pub azure_environment: AzureEnvironment,
    pub azure_tenant_id: String,
    /// The application secret, or the certificate's password.
    #[serde(default)]
    pub secret: Secret,
    /// The subscriptions granted to it; left empty, those its tenant gives every account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscription_ids: Vec<String>,
    #[serde(with = "super::timestamp_text")]
    pub last_modified: Timestamp,
}

/// What an add or an edit asks of an Azure service account; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureServiceAccountChange {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub application_id: Option<Uuid>,
    pub azure_environment: Option<AzureEnvironment>,
    pub azure_tenant_id: Option<String>,
    pub certificate_thumbprint: Option<String>,
    pub secret: Option<Secret>,
    /// A device code signed in with instead of a secret or certificate.
    pub user_code: Option<String>,
    pub subscription_ids: Option<Vec<String>>,
}

/// The Azure cloud an account signs in to, as the contracts name it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AzureEnvironment {
    #[default]
    Global,
    Germany,
    China,
    Government,
}

impl AzureEnvironment {
    /// The regions of this cloud: (name, display name).
    fn regions(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Global => &[
                ("westeurope", "West Europe"),
                ("northeurope", "North Europe"),
                ("eastus", "East US"),
                ("eastus2", "East US 2"),
                ("westus2", "West US 2"),
                ("centralus", "Central US"),
                ("uksouth", "UK South"),
                ("germanywestcentral", "Germany West Central"),
                ("francecentral", "France Central"),
                ("southeastasia", "Southeast Asia"),
                ("australiaeast", "Australia East"),
                ("japaneast", "Japan East"),
            ],
            Self::Germany => &[
                ("germanycentral", "Germany Central"),
                ("germanynortheast", "Germany Northeast"),
            ],
            Self::China => &[
                ("chinaeast2", "China East 2"),
                ("chinanorth2", "China North 2"),
                ("chinanorth3", "China North 3"),
            ],
            Self::Government => &[
                ("usgovvirginia", "USGov Virginia"),
                ("usgovtexas", "USGov Texas"),
                ("usgovarizona", "USGov Arizona"),
            ],
        }
    }
}

/// An Azure subscription an account may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureSubscription {
    pub id: String,
    pub display_name: String,
}

/// An Azure region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AzureLocation {
    pub name: &'static str,
    pub display_name: &'static str,
}

/// A virtual machine size an archiver appliance may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualMachineSize {
    pub name: &'static str,
    pub cores: u32,
    pub memory_mb: u64,
    pub os_disk_mb: u64,
    pub resource_disk_mb: u64,
}

/// The sizes Azure offers archiver appliances in every region, as Azure documents them.
const VM_SIZES: [VirtualMachineSize; 7] = [
    size("Standard_A2_v2", 2, 4_096, 20_480),
    size("Standard_B2s", 2, 4_096, 8_192),
    size("Standard_D2s_v3", 2, 8_192, 16_384),
    size("Standard_D4s_v3", 4, 16_384, 32_768),
    size("Standard_D8s_v3", 8, 32_768, 65_536),
    size("Standard_E2s_v3", 2, 16_384, 32_768),
    size("Standard_F2s_v2", 2, 4_096, 16_384),
];

const fn size(
    name: &'static str,
    cores: u32,
    memory_mb: u64,
    resource_disk_mb: u64,
) -> VirtualMachineSize {
    VirtualMachineSize {
        name,
        cores,
        memory_mb,
        // Azure offers OS disks of up to 1,023 GiB on every size.
        os_disk_mb: 1_047_552,
        resource_disk_mb,
    }
}

/// A resource group of a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceGroup {
    pub name: String,
    pub location: &'static str,
}

/// A virtual network of a resource group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualNetwork {
    /// The Azure resource id.
    pub id: String,
    pub name: String,
    pub location: &'static str,
    pub address_space: String,
    /// The second octet of its `10.x.0.0/16` space, which its subnets share.
    octet: u64,
}

/// A subnet of a virtual network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub name: &'static str,
    pub address_prefix: String,
}

const SUBSCRIPTION_NAMES: [&str; 6] = [
    "Pay-As-You-Go",
    "Production",
    "Backup and DR",
    "Visual Studio Enterprise",
    "IT Operations",
    "Microsoft Azure Sponsorship",
];

/// What an account sees of Azure, computed from the world's seed and the account.
#[derive(Debug, Clone, Copy)]
pub struct AzureView<'a> {
    pub seed: u64,
    pub account: &'a AzureServiceAccount,
}

impl<'a> AzureView<'a> {
    fn draw(&self, salt: &str) -> u64 {
        let text = format!("{}/{}/{salt}", self.seed, self.account.id);
        mix(text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        }))
    }

    /// The subscriptions granted to the account, or the two its tenant gives every account.
    pub fn subscriptions(&self) -> Vec<AzureSubscription> {
        let ids: Vec<String> = if self.account.subscription_ids.is_empty() {
            (0..2)
                .map(|index| {
                    let name = format!(
                        "{}/{}/subscription/{index}",
                        self.seed, self.account.azure_tenant_id
                    );
                    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
                })
                .collect()
        } else {
            self.account.subscription_ids.clone()
        };
        ids.into_iter()
            .map(|id| {
                let pick = self.draw(&id) as usize % SUBSCRIPTION_NAMES.len();
                AzureSubscription {
                    display_name: SUBSCRIPTION_NAMES[pick].to_owned(),
                    id,
                }
            })
            .collect()
    }

    pub fn subscription(&self, id: &str) -> Result<AzureSubscription, NotFound> {
        self.subscriptions()
            .into_iter()
            .find(|subscription| subscription.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| not_found("Azure subscription", id))
    }

    /// The regions of the account's cloud; every subscription may use all of them.
    pub fn locations(&self) -> Vec<AzureLocation> {
        self.account
            .azure_environment
            .regions()
            .iter()
            .map(|&(name, display_name)| AzureLocation { name, display_name })
            .collect()
    }

    pub fn location(&self, name: &str) -> Result<AzureLocation, NotFound> {
        self.locations()
            .into_iter()
            .find(|location| location.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found("Azure location", name))
    }

    pub fn vm_sizes(&self) -> &'static [VirtualMachineSize] {
        &VM_SIZES
    }

    pub fn vm_size(&self, name: &str) -> Result<VirtualMachineSize, NotFound> {
        VM_SIZES
            .iter()
            .find(|size| size.name.eq_ignore_ascii_case(name))
            .copied()
            .ok_or_else(|| not_found("Virtual machine size", name))
    }

    /// Three resource groups: the archiver appliances', the network's, and Azure's own
    /// network watcher, in regions drawn for the subscription.
    pub fn resource_groups(&self, subscription: &AzureSubscription) -> Vec<ResourceGroup> {
        let regions = self.account.azure_environment.regions();
        let home = regions[self.draw(&subscription.id) as usize % regions.len()].0;
        let second =
            regions[self.draw(&format!("{}/second", subscription.id)) as usize % regions.len()].0;
        vec![
            ResourceGroup {
                name: format!("rg-vb365-archiver-{home}"),
                location: home,
            },
            ResourceGroup {
                name: format!("rg-network-{second}"),
                location: second,
            },
            ResourceGroup {
                name: "NetworkWatcherRG".to_owned(),
                location: home,
            },
        ]
    }

    pub fn resource_group(
        &self,
        subscription: &AzureSubscription,
        name: &str,
    ) -> Result<ResourceGroup, NotFound> {
        self.resource_groups(subscription)
            .into_iter()
            .find(|group| group.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found("Resource group", name))
    }

    /// One virtual network per resource group but the network watcher's, in the group's
    /// region, with a `/16` space drawn for it.
    pub fn virtual_networks(
        &self,
        subscription: &AzureSubscription,
        group: &ResourceGroup,
    ) -> Vec<VirtualNetwork> {
        if group.name == "NetworkWatcherRG" {
            return Vec::new();
        }
        let name = format!("vnet-{}", group.location);
        let octet = self.draw(&format!("{}/{}", subscription.id, group.name)) % 250;
        vec![VirtualNetwork {
            id: format!(
                "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{name}",
                subscription.id, group.name
            ),
            name,
            location: group.location,
            address_space: format!("10.{octet}.0.0/16"),
            octet,
        }]
    }

    pub fn virtual_network(
        &self,
        subscription: &AzureSubscription,
        group: &ResourceGroup,
        name: &str,
    ) -> Result<VirtualNetwork, NotFound> {
        self.virtual_networks(subscription, group)
            .into_iter()
            .find(|network| network.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found("Virtual network", name))
    }
}

impl VirtualNetwork {
    /// The default subnet and the one archiver appliances are put in.
    pub fn subnets(&self) -> Vec<Subnet> {
        vec![
            Subnet {
                name: "default",
                address_prefix: format!("10.{}.0.0/24", self.octet),
            },
            Subnet {
                name: "snet-vb365-archiver",
                address_prefix: format!("10.{}.1.0/24", self.octet),
            },
        ]
    }

    pub fn subnet(&self, name: &str) -> Result<Subnet, NotFound> {
        self.subnets()
            .into_iter()
            .find(|subnet| subnet.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| not_found("Subnet", name))
    }
}

fn not_found(what: &'static str, id: &str) -> NotFound {
    NotFound {
        what,
        id: id.to_owned(),
    }
}

/// A device code handed out to sign in to Microsoft 365 or Azure with: what the user types
/// at the verification page, good until it expires on the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub user_code: String,
    pub expires: Timestamp,
}

impl DeviceCode {
    /// How long a code stays good, as Microsoft's device code flow gives it.
    pub const LIFETIME_SECONDS: i64 = 900;
    /// Where the user signs in with the code.
    pub const VERIFICATION_URL: &'static str = "https://microsoft.com/devicelogin";

    pub fn message(&self) -> String {
        format!(
            "To sign in, use a web browser to open the page {} and enter the code {} to authenticate.",
            Self::VERIFICATION_URL,
            self.user_code
        )
    }
}

/// A certificate's thumbprint: 40 hex digits that follow from its bytes, so the same
/// certificate always shows the same thumbprint.
pub fn certificate_thumbprint(certificate: &[u8]) -> String {
    let first = Uuid::new_v5(&Uuid::NAMESPACE_OID, certificate);
    let second = Uuid::new_v5(&first, certificate);
    let mut text = format!("{}{}", first.simple(), second.simple()).to_ascii_uppercase();
    text.truncate(40);
    text
}

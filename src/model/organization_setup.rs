//! What a client configures on one organization: the items its retention policy keeps, the people whose actions are audited, the accounts and applications backups sign in with, and the Entra applications added to its tenant.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{DirectoryObject, Organization, RetentionExclusions, Secret};

/// An organization's own configuration, as a newly added organization has it until a
/// client writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OrganizationSetup {
    /// Folders the retention policy never removes from this organization's backups.
    pub retention_exclusion: RetentionExclusions,
    /// Users and groups whose restores are mailed as audit notifications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audit_items: Vec<DirectoryObject>,
    /// Users of the organization whose credentials backups of SharePoint and Exchange sign
    /// in with, beside the organization's own account.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backup_accounts: Vec<BackupAccount>,
    /// Entra applications backups sign in with, beside the organization's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backup_applications: Vec<BackupApplication>,
    /// Entra applications created in the organization's tenant through the server.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<TenantApplication>,
}

/// A user of the organization and the password backups sign in as them with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupAccount {
    pub user_id: Uuid,
    pub password: Secret,
}

/// An application of the tenant that backups sign in with, by its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupApplication {
    pub application_id: Uuid,
    pub display_name: String,
    pub certificate_thumbprint: String,
    /// The password of the certificate's private key.
    #[serde(default)]
    pub certificate_password: Secret,
}

/// An Entra application registered in an organization's tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantApplication {
    pub application_id: Uuid,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A backup account as a client sends it: a user of the organization, named by id or by
/// login, and their password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupAccountChange {
    pub user_id: Option<Uuid>,
    pub login: Option<String>,
    pub password: Secret,
}

/// A backup application as a client sends it: an application of the tenant and the
/// certificate it signs in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupApplicationChange {
    pub application_id: Uuid,
    pub display_name: Option<String>,
    /// The certificate's bytes.
    pub certificate: Vec<u8>,
    pub certificate_password: Secret,
}

/// Applications to create in a tenant: `count` of them named after `display_name`, with
/// the device code of an administrator who signed in to the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplications {
    pub display_name: String,
    pub count: u32,
    pub user_code: String,
}

impl Organization {
    /// The applications of the organization's tenant: the one the server signs in with,
    /// then those created through it.
    pub fn tenant_applications(&self) -> Vec<TenantApplication> {
        let own = self
            .connection
            .application_id
            .map(|application_id| TenantApplication {
                application_id,
                display_name: format!("Veeam Backup for Microsoft 365 ({})", self.office_name),
                tags: vec!["WindowsAzureActiveDirectoryIntegratedApp".to_owned()],
            });
        own.into_iter()
            .chain(self.setup.applications.iter().cloned())
            .collect()
    }
}

impl OrganizationSetup {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

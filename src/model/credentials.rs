//! What the server keeps to reach and protect object storage: the passwords that encrypt
//! what goes there, and the cloud accounts it signs in with. Secrets are kept, never shown.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Secret;

/// A password that encrypts what repositories write to object storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionKey {
    pub id: Uuid,
    /// The hint that tells the password apart.
    pub description: String,
    pub password: Secret,
    /// The organization the key was added for (v8), if any.
    pub organization_id: Option<Uuid>,
}

/// What an add or an edit asks of an encryption key; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncryptionKeyChange {
    pub description: Option<String>,
    /// The password of a new key, or the new password of an edited one.
    pub password: Option<Secret>,
    /// An edit that changes the password proves it knows the old one.
    pub old_password: Option<Secret>,
    pub organization_id: Option<Uuid>,
}

/// The credentials the server signs in to a cloud's object storage with: an Azure storage
/// account and its key, or an S3 access key and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudAccount {
    pub id: Uuid,
    pub kind: CloudAccountKind,
    /// The storage account name (Azure) or access key (S3).
    pub user_name: String,
    pub description: String,
    /// The account key (Azure) or secret key (S3).
    pub password: Secret,
    /// The organization the account was added for (v8), if any.
    pub organization_id: Option<Uuid>,
}

/// What an add or an edit asks of a cloud account; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloudAccountChange {
    pub kind: Option<CloudAccountKind>,
    pub user_name: Option<String>,
    pub description: Option<String>,
    pub password: Option<Secret>,
    /// An edit that changes the password with `newPassword` may prove it knows the old one.
    pub old_password: Option<Secret>,
    pub organization_id: Option<Uuid>,
}

/// The clouds whose object storage a cloud account signs in to, as the contracts name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CloudAccountKind {
    AzureBlobAccount,
    AmazonS3Account,
    AmazonS3CompatibleAccount,
}

impl CloudAccountKind {
    /// The kind of account an object storage of `kind` signs in with.
    pub fn for_storage(kind: super::ObjectStorageKind) -> Self {
        use super::ObjectStorageKind;
        match kind {
            ObjectStorageKind::AzureBlob | ObjectStorageKind::AzureBlobArchive => {
                Self::AzureBlobAccount
            }
            ObjectStorageKind::AmazonS3 | ObjectStorageKind::AmazonS3Glacier => {
                Self::AmazonS3Account
            }
            ObjectStorageKind::AmazonS3Compatible => Self::AmazonS3CompatibleAccount,
        }
    }
}

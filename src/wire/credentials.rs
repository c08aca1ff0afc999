//! Encryption keys and cloud accounts (v6 on) on the wire: arrays in every version, v8
//! adding `organizationId`; and as clients send them. Passwords are read, never written.

use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{BodyError, invalid};
use super::job_requests::guid;
use super::links::{IdLink, link};
use super::{Context, Version, ok};
use crate::model::{
    CloudAccount, CloudAccountChange, CloudAccountKind, EncryptionKey, EncryptionKeyChange, Secret,
};

/// `_links` of a key or an account: itself.
#[derive(Serialize)]
struct SelfLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
}

/// `RESTEncryptionKey`: its id and hint, never its password.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EncryptionKeyBody<'a> {
    id: &'a Uuid,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<Option<&'a Uuid>>,
    #[serde(rename = "_links")]
    links: SelfLinks<'a>,
}

impl<'a> EncryptionKeyBody<'a> {
    fn new(cx: &Context<'a>, key: &'a EncryptionKey) -> Self {
        Self {
            id: &key.id,
            description: &key.description,
            organization_id: (cx.version >= Version::V8).then_some(key.organization_id.as_ref()),
            links: SelfLinks {
                this: link(cx, "/EncryptionKeys/", &key.id, ""),
            },
        }
    }
}

/// `GET /EncryptionKeys`.
pub fn encryption_keys<'a>(
    cx: &Context<'a>,
    keys: impl Iterator<Item = &'a EncryptionKey>,
) -> Response {
    let bodies: Vec<EncryptionKeyBody<'_>> =
        keys.map(|key| EncryptionKeyBody::new(cx, key)).collect();
    ok(&bodies)
}

pub fn encryption_key(cx: &Context<'_>, key: &EncryptionKey) -> Response {
    ok(&EncryptionKeyBody::new(cx, key))
}

/// `RESTCredential` (v6, v7) or `RESTAccount` (v8): never the password.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountBody<'a> {
    account_type: &'static str,
    user_name: &'a str,
    id: &'a Uuid,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<Option<&'a Uuid>>,
    #[serde(rename = "_links")]
    links: SelfLinks<'a>,
}

fn account_type(kind: CloudAccountKind) -> &'static str {
    match kind {
        CloudAccountKind::AzureBlobAccount => "azureBlobAccount",
        CloudAccountKind::AmazonS3Account => "amazonS3Account",
        CloudAccountKind::AmazonS3CompatibleAccount => "amazonS3CompatibleAccount",
    }
}

impl<'a> AccountBody<'a> {
    fn new(cx: &Context<'a>, account: &'a CloudAccount) -> Self {
        Self {
            account_type: account_type(account.kind),
            user_name: &account.user_name,
            id: &account.id,
            description: &account.description,
            organization_id: (cx.version >= Version::V8)
                .then_some(account.organization_id.as_ref()),
            links: SelfLinks {
                this: link(cx, "/Accounts/", &account.id, ""),
            },
        }
    }
}

/// `GET /Accounts`.
pub fn accounts<'a>(
    cx: &Context<'a>,
    accounts: impl Iterator<Item = &'a CloudAccount>,
) -> Response {
    let bodies: Vec<AccountBody<'_>> = accounts
        .map(|account| AccountBody::new(cx, account))
        .collect();
    ok(&bodies)
}

pub fn account(cx: &Context<'_>, account: &CloudAccount) -> Response {
    ok(&AccountBody::new(cx, account))
}

/// `RESTEncryptionKeyToSend` as sent: a new key's `password`, or an edit's `newPassword`
/// with the `oldPassword` it replaces; the hint; in v8 the organization.
#[derive(Debug, Deserialize)]
pub struct EncryptionKeyRequest {
    #[serde(default)]
    password: Option<String>,
    #[serde(rename = "newpassword", default)]
    new_password: Option<String>,
    #[serde(rename = "oldpassword", default)]
    old_password: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "organizationid", default)]
    organization_id: Option<String>,
}

impl EncryptionKeyRequest {
    /// The change to a new key (`editing` false) or to one there is.
    pub fn into_change(self, editing: bool) -> Result<EncryptionKeyChange, BodyError> {
        let password = if editing {
            self.new_password.or(self.password)
        } else {
            self.password.or(self.new_password)
        };
        Ok(EncryptionKeyChange {
            description: self.description,
            password: password.map(Secret::new),
            old_password: self.old_password.map(Secret::new),
            organization_id: self
                .organization_id
                .as_deref()
                .map(|text| guid(text, "organization"))
                .transpose()?,
        })
    }
}

/// `RESTCredentialToSend` (v6, v7) or `RESTAccountToSend` (v8) as sent.
#[derive(Debug, Deserialize)]
pub struct AccountRequest {
    #[serde(rename = "accounttype", default)]
    account_type: Option<AccountKindRequest>,
    #[serde(rename = "username", default)]
    user_name: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(rename = "newpassword", default)]
    new_password: Option<String>,
    #[serde(rename = "oldpassword", default)]
    old_password: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "organizationid", default)]
    organization_id: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum AccountKindRequest {
    #[serde(rename = "azureBlobAccount", alias = "AzureBlobAccount")]
    AzureBlob,
    #[serde(rename = "amazonS3Account", alias = "AmazonS3Account")]
    AmazonS3,
    #[serde(
        rename = "amazonS3CompatibleAccount",
        alias = "AmazonS3CompatibleAccount"
    )]
    AmazonS3Compatible,
}

impl AccountRequest {
    /// The change to a new account (`editing` false) or to one there is.
    pub fn into_change(self, editing: bool) -> Result<CloudAccountChange, BodyError> {
        if self
            .user_name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(invalid("The 'userName' of an account must not be empty."));
        }
        let password = if editing {
            self.new_password.or(self.password)
        } else {
            self.password.or(self.new_password)
        };
        Ok(CloudAccountChange {
            kind: self.account_type.map(|kind| match kind {
                AccountKindRequest::AzureBlob => CloudAccountKind::AzureBlobAccount,
                AccountKindRequest::AmazonS3 => CloudAccountKind::AmazonS3Account,
                AccountKindRequest::AmazonS3Compatible => {
                    CloudAccountKind::AmazonS3CompatibleAccount
                }
            }),
            user_name: self.user_name,
            description: self.description,
            password: password.map(Secret::new),
            old_password: self.old_password.map(Secret::new),
            organization_id: self
                .organization_id
                .as_deref()
                .map(|text| guid(text, "organization"))
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn a_new_key_takes_its_password_and_an_edit_its_new_one() {
        let request: EncryptionKeyRequest =
            read(br#"{"Password": "s3cret", "description": "Archive"}"#).unwrap();
        let change = request.into_change(false).unwrap();
        assert_eq!(change.password, Some(Secret::new("s3cret")));
        let request: EncryptionKeyRequest =
            read(br#"{"oldpassword": "s3cret", "newpassword": "n3w"}"#).unwrap();
        let change = request.into_change(true).unwrap();
        assert_eq!(change.password, Some(Secret::new("n3w")));
        assert_eq!(change.old_password, Some(Secret::new("s3cret")));
    }

    #[test]
    fn an_account_type_is_one_of_the_three_clouds() {
        let request: AccountRequest =
            read(br#"{"accountType": "amazonS3CompatibleAccount", "userName": "AKIA1"}"#).unwrap();
        assert_eq!(
            request.into_change(false).unwrap().kind,
            Some(CloudAccountKind::AmazonS3CompatibleAccount)
        );
        assert!(read::<AccountRequest>(br#"{"accountType": "googleAccount"}"#).is_err());
        let request: AccountRequest = read(br#"{"userName": ""}"#).unwrap();
        assert!(request.into_change(false).is_err());
    }
}

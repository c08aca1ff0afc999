//! Encryption keys and cloud accounts in the world: the writes that add, edit and remove
//! them. A key a repository encrypts with, or an account an object storage signs in with,
//! is in use and stays. A refused write changes nothing.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    CloudAccount, CloudAccountChange, CloudAccountKind, EncryptionKey, EncryptionKeyChange, Id,
    Organization,
};

fn invalid(message: impl Into<String>) -> JobEditError {
    JobEditError::Invalid(message.into())
}

impl World {
    /// Adds encryption key `id`; a new key needs a password.
    pub fn add_encryption_key(
        &mut self,
        id: Uuid,
        change: EncryptionKeyChange,
    ) -> Result<&EncryptionKey, JobEditError> {
        let password = change
            .password
            .filter(|password| !password.is_empty())
            .ok_or_else(|| invalid("A new encryption key needs its 'password'."))?;
        if let Some(organization_id) = change.organization_id {
            self.find(&Id::<Organization>::new(organization_id))?;
        }
        self.encryption_keys.push(EncryptionKey {
            id,
            description: change.description.unwrap_or_default(),
            password,
            organization_id: change.organization_id,
        });
        Ok(self
            .encryption_keys
            .last()
            .expect("the key was just pushed"))
    }

    /// Edits an encryption key: its hint, and its password for one that knows the old one.
    pub fn edit_encryption_key(
        &mut self,
        id: Uuid,
        change: EncryptionKeyChange,
    ) -> Result<(), JobEditError> {
        let key = self.find(&Id::<EncryptionKey>::new(id))?;
        if let Some(password) = &change.password {
            if password.is_empty() {
                return Err(invalid(
                    "The new password of an encryption key must not be empty.",
                ));
            }
            if change.old_password.as_ref() != Some(&key.password) {
                return Err(invalid(
                    "The current password in 'oldPassword' does not match the encryption key's.",
                ));
            }
        }
        if let Some(key) = self.encryption_keys.iter_mut().find(|key| key.id == id) {
            if let Some(description) = change.description {
                key.description = description;
            }
            if let Some(password) = change.password {
                key.password = password;
            }
        }
        Ok(())
    }

    /// Removes an encryption key no repository encrypts with.
    pub fn remove_encryption_key(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let key = self.find(&Id::<EncryptionKey>::new(id))?;
        if let Some(repository) = self
            .repositories
            .iter()
            .find(|repository| repository.encryption_key_id == Some(id))
        {
            return Err(invalid(format!(
                "Encryption key '{}' is in use by backup repository '{}'.",
                hint(&key.description, id),
                repository.name
            )));
        }
        self.encryption_keys.retain(|key| key.id != id);
        Ok(())
    }

    /// Adds cloud account `id`; a new account needs its type, name and password.
    pub fn add_cloud_account(
        &mut self,
        id: Uuid,
        change: CloudAccountChange,
    ) -> Result<&CloudAccount, JobEditError> {
        let kind = change
            .kind
            .ok_or_else(|| invalid("A new account needs its 'accountType'."))?;
        let user_name = change
            .user_name
            .clone()
            .ok_or_else(|| invalid("A new account needs its 'userName'."))?;
        let password = change
            .password
            .clone()
            .filter(|password| !password.is_empty())
            .ok_or_else(|| invalid("A new account needs its 'password'."))?;
        self.check_account(None, kind, &user_name, &change)?;
        self.cloud_accounts.push(CloudAccount {
            id,
            kind,
            user_name,
            description: change.description.unwrap_or_default(),
            password,
            organization_id: change.organization_id,
        });
        Ok(self
            .cloud_accounts
            .last()
            .expect("the account was just pushed"))
    }

    /// Edits a cloud account; it keeps its type. A new password replaces the old one; one
    /// sent as `newPassword` with an `oldPassword` must know the old one.
    pub fn edit_cloud_account(
        &mut self,
        id: Uuid,
        change: CloudAccountChange,
    ) -> Result<(), JobEditError> {
        let account = self.find(&Id::<CloudAccount>::new(id))?;
        if change.kind.is_some_and(|kind| kind != account.kind) {
            return Err(invalid(
                "An account keeps the 'accountType' it was added with.",
            ));
        }
        if let Some(old) = &change.old_password
            && *old != account.password
        {
            return Err(invalid(
                "The current password in 'oldPassword' does not match the account's.",
            ));
        }
        if change
            .password
            .as_ref()
            .is_some_and(|password| password.is_empty())
        {
            return Err(invalid("The password of an account must not be empty."));
        }
        let user_name = change
            .user_name
            .clone()
            .unwrap_or_else(|| account.user_name.clone());
        self.check_account(Some(id), account.kind, &user_name, &change)?;
        if let Some(account) = self.cloud_accounts.iter_mut().find(|known| known.id == id) {
            account.user_name = user_name;
            if let Some(description) = change.description {
                account.description = description;
            }
            if let Some(password) = change.password {
                account.password = password;
            }
            if change.organization_id.is_some() {
                account.organization_id = change.organization_id;
            }
        }
        Ok(())
    }

    /// Removes a cloud account no object storage signs in with, and the folders the world
    /// keeps for it.
    pub fn remove_cloud_account(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let account = self.find(&Id::<CloudAccount>::new(id))?;
        if let Some(storage) = self
            .object_storages
            .iter()
            .find(|storage| storage.account_id == Some(id))
        {
            return Err(invalid(format!(
                "Account '{}' is in use by object storage '{}'.",
                account.user_name, storage.name
            )));
        }
        self.cloud_accounts.retain(|account| account.id != id);
        // Folders are kept by the account that sees their bucket; without it no one does.
        self.bucket_folders.retain(|folder| folder.account_id != id);
        Ok(())
    }

    /// A name must not be empty, an Azure storage account's is in lower case, an account
    /// of the same type and name is there once, and the organization must exist.
    fn check_account(
        &self,
        except: Option<Uuid>,
        kind: CloudAccountKind,
        user_name: &str,
        change: &CloudAccountChange,
    ) -> Result<(), JobEditError> {
        if user_name.trim().is_empty() {
            return Err(invalid("The 'userName' of an account must not be empty."));
        }
        if kind == CloudAccountKind::AzureBlobAccount
            && user_name.chars().any(|c| c.is_ascii_uppercase())
        {
            return Err(invalid(format!(
                "The name of an Azure storage account is in lower case: '{user_name}' is not."
            )));
        }
        let taken = self.cloud_accounts.iter().any(|account| {
            Some(account.id) != except && account.kind == kind && account.user_name == user_name
        });
        if taken {
            return Err(invalid(format!(
                "Account '{user_name}' has already been added."
            )));
        }
        if let Some(organization_id) = change.organization_id {
            self.find(&Id::<Organization>::new(organization_id))?;
        }
        Ok(())
    }
}

/// How a key is named in a message: by its hint, or by its id when it has none.
fn hint(description: &str, id: Uuid) -> String {
    if description.is_empty() {
        id.to_string()
    } else {
        description.to_owned()
    }
}

//! Azure service accounts and device codes in the world: the writes that add, edit and remove accounts, and the codes handed out and taken back. A refused write changes nothing.

use chrono::TimeDelta;
use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{AzureServiceAccount, AzureServiceAccountChange, DeviceCode, Id, Timestamp};

fn invalid(message: impl Into<String>) -> JobEditError {
    JobEditError::Invalid(message.into())
}

impl World {
    /// Hands out a device code good for its lifetime from `now`; codes that expired are
    /// forgotten.
    pub fn issue_device_code(&mut self, now: Timestamp) -> DeviceCode {
        self.device_codes.retain(|code| code.expires > now);
        let text = self.next_id().simple().to_string().to_ascii_uppercase();
        let code = DeviceCode {
            user_code: format!("{}-{}", &text[..4], &text[4..8]),
            expires: now + TimeDelta::seconds(DeviceCode::LIFETIME_SECONDS),
        };
        self.device_codes.push(code.clone());
        code
    }

    /// Whether `user_code` was handed out and has not expired at `now`.
    pub fn check_device_code(&self, user_code: &str, now: Timestamp) -> Result<(), JobEditError> {
        let wanted = user_code.trim();
        if self
            .device_codes
            .iter()
            .any(|code| code.user_code.eq_ignore_ascii_case(wanted) && code.expires > now)
        {
            Ok(())
        } else {
            Err(invalid(format!(
                "The device code '{wanted}' is unknown or has expired: request a new one and sign in with it."
            )))
        }
    }

    /// Takes a signed-in code back: a device code signs in once.
    pub fn use_device_code(&mut self, user_code: &str) {
        let wanted = user_code.trim();
        self.device_codes
            .retain(|code| !code.user_code.eq_ignore_ascii_case(wanted));
    }

    /// Adds Azure service account `id`: an application of a tenant, signed in to with a
    /// secret or a certificate, or with a device code (the application is then created).
    pub fn add_azure_service_account(
        &mut self,
        id: Uuid,
        change: AzureServiceAccountChange,
        now: Timestamp,
    ) -> Result<&AzureServiceAccount, JobEditError> {
        let tenant = change
            .azure_tenant_id
            .clone()
            .filter(|tenant| !tenant.trim().is_empty())
            .ok_or_else(|| invalid("A new Azure service account needs its 'azureTenantId'."))?;
        let application_id = match (&change.user_code, change.application_id) {
            (Some(code), _) => {
                self.check_device_code(code, now)?;
                change
                    .application_id
                    .unwrap_or_else(|| Uuid::new_v5(&id, b"application"))
            }
            (None, Some(application_id)) => {
                if change.secret.is_none() && change.certificate_thumbprint.is_none() {
                    return Err(invalid(
                        "Sign in to the application with its 'applicationSecret' or 'applicationCertificate', or with a 'userCode'.",
                    ));
                }
                application_id
            }
            (None, None) => {
                return Err(invalid(
                    "A new Azure service account needs its 'applicationId', or a 'userCode' to create an application with.",
                ));
            }
        };
        if let Some(known) = self.azure_service_accounts.iter().find(|account| {
            account.application_id == application_id
                && account.azure_tenant_id.eq_ignore_ascii_case(&tenant)
        }) {
            return Err(invalid(format!(
                "The application '{application_id}' of tenant '{tenant}' has already been added as Azure service account '{}'.",
                known.display_name
            )));
        }
        check_subscriptions(change.subscription_ids.as_deref())?;
        if let Some(code) = &change.user_code {
            self.use_device_code(code);
        }
        self.azure_service_accounts.push(AzureServiceAccount {
            id,
            display_name: change
                .display_name
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| format!("Veeam Backup for Microsoft 365 ({application_id})")),
            description: change.description.unwrap_or_default(),
            application_id,
            certificate_thumbprint: change.certificate_thumbprint.unwrap_or_default(),
            azure_environment: change.azure_environment.unwrap_or_default(),
            azure_tenant_id: tenant,
            secret: change.secret.unwrap_or_default(),
            subscription_ids: change.subscription_ids.unwrap_or_default(),
            last_modified: now,
        });
        Ok(self
            .azure_service_accounts
            .last()
            .expect("the account was just pushed"))
    }

    /// Edits an Azure service account: its description, how it signs in, its subscriptions.
    pub fn edit_azure_service_account(
        &mut self,
        id: Uuid,
        change: AzureServiceAccountChange,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        self.find(&Id::<AzureServiceAccount>::new(id))?;
        if let Some(code) = &change.user_code {
            self.check_device_code(code, now)?;
        }
        check_subscriptions(change.subscription_ids.as_deref())?;
        if let Some(code) = &change.user_code {
            self.use_device_code(code);
        }
        if let Some(account) = self
            .azure_service_accounts
            .iter_mut()
            .find(|account| account.id == id)
        {
            if let Some(description) = change.description {
                account.description = description;
            }
            if let Some(thumbprint) = change.certificate_thumbprint {
                account.certificate_thumbprint = thumbprint;
            }
            if let Some(secret) = change.secret {
                account.secret = secret;
            }
            if let Some(subscriptions) = change.subscription_ids {
                account.subscription_ids = subscriptions;
            }
            account.last_modified = now;
        }
        Ok(())
    }

    /// Removes an Azure service account no archiver appliance of object storage runs with.
    pub fn remove_azure_service_account(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let account = self.find(&Id::<AzureServiceAccount>::new(id))?;
        if let Some(storage) = self
            .object_storages
            .iter()
            .find(|storage| storage.azure_service_account_id == Some(id))
        {
            return Err(invalid(format!(
                "Azure service account '{}' is in use by the archiver appliance of object storage '{}'.",
                account.display_name, storage.name
            )));
        }
        self.azure_service_accounts
            .retain(|account| account.id != id);
        Ok(())
    }
}

fn check_subscriptions(subscriptions: Option<&[String]>) -> Result<(), JobEditError> {
    if subscriptions.is_some_and(|ids| ids.iter().any(|id| id.trim().is_empty())) {
        return Err(invalid("A subscription id in 'subscriptionIds' is empty."));
    }
    Ok(())
}

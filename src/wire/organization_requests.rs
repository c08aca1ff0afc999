//! Organizations as clients send them to add or edit one (`RestOrganizationComposed`),
//! read into the model's terms (see `body` for how a body is read).

use serde::Deserialize;
use uuid::Uuid;

use super::body::{BodyError, invalid};
use crate::model::{OrganizationChange, OrganizationKind, SyncKind};

/// What a client sends to add or edit an organization; everything optional here.
#[derive(Debug, Deserialize)]
pub struct OrganizationRequest {
    #[serde(default, rename = "type")]
    kind: Option<OrganizationKind>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "officename")]
    office_name: Option<String>,
    #[serde(default)]
    region: Option<Region>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "isexchangeonline")]
    is_exchange_online: Option<bool>,
    #[serde(default, rename = "issharepointonline")]
    is_sharepoint_online: Option<bool>,
    #[serde(default, rename = "isteamsonline")]
    is_teams_online: Option<bool>,
    #[serde(default, rename = "isteamschatsonline")]
    is_teams_chats_online: Option<bool>,
    #[serde(default, rename = "exchangeonlinesettings")]
    exchange_online_settings: Option<ConnectionRequest>,
    #[serde(default, rename = "sharepointonlinesettings")]
    sharepoint_online_settings: Option<ConnectionRequest>,
    /// A device code the administrator signed in with instead of a password.
    #[serde(default, rename = "usercode")]
    user_code: Option<String>,
}

/// The regions the contract names.
#[derive(Debug, Clone, Copy, Deserialize)]
enum Region {
    Worldwide,
    Germany,
    China,
    USDefence,
    USGovernment,
}

/// `RESTOffice365ConnectionSettings` as sent; the secrets are read and dropped.
#[derive(Debug, Deserialize)]
struct ConnectionRequest {
    #[serde(default)]
    account: Option<String>,
    #[serde(default, rename = "applicationid")]
    application_id: Option<String>,
    #[serde(default, rename = "useapplicationonlyauth")]
    use_application_only_auth: Option<bool>,
    #[serde(default, rename = "usemfa")]
    use_mfa: Option<bool>,
    #[serde(default, rename = "officeorganizationname")]
    office_organization_name: Option<String>,
}

impl OrganizationRequest {
    /// The device code the request signs in with, if it names one.
    pub fn user_code(&self) -> Option<String> {
        self.user_code
            .as_deref()
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
    }

    /// The change this request asks of an organization. The name is the one given, or
    /// the Microsoft 365 organization the connection settings name.
    pub fn into_change(self) -> Result<OrganizationChange, BodyError> {
        let settings = self
            .exchange_online_settings
            .or(self.sharepoint_online_settings);
        let mut change = OrganizationChange {
            name: self.name.or_else(|| {
                settings
                    .as_ref()
                    .and_then(|settings| settings.office_organization_name.clone())
            }),
            office_name: self.office_name,
            kind: self.kind,
            region: self.region.map(|region| format!("{region:?}")),
            description: self.description,
            exchange_online: self.is_exchange_online,
            sharepoint_online: self.is_sharepoint_online,
            teams_online: self.is_teams_online,
            teams_chats_online: self.is_teams_chats_online,
            ..OrganizationChange::default()
        };
        if let Some(settings) = settings {
            change.account = settings.account;
            change.application_id = settings
                .application_id
                .as_deref()
                .map(|text| {
                    Uuid::parse_str(text).map_err(|_| {
                        invalid(format!(
                            "The value '{text}' is not a valid application id: expected a GUID."
                        ))
                    })
                })
                .transpose()?;
            change.use_application_only_auth = settings.use_application_only_auth;
            change.use_mfa = settings.use_mfa;
        }
        if change
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(invalid("The organization name must not be empty."));
        }
        Ok(change)
    }
}

/// `RESTOrganizationSyncOptions`: which synchronization to run.
#[derive(Debug, Default, Deserialize)]
pub struct SyncRequest {
    #[serde(default, rename = "type")]
    kind: Option<SyncKind>,
}

impl SyncRequest {
    /// An incremental synchronization unless a full one is asked for.
    pub fn kind(&self) -> SyncKind {
        self.kind.unwrap_or(SyncKind::Incremental)
    }
}

/// `RESTVersionBackupOptionsFromClient`.
#[derive(Debug, Deserialize)]
pub struct VersionBackupRequest {
    #[serde(default, rename = "sharepointbackupmode")]
    pub share_point_backup_mode: Option<crate::model::SharePointVersions>,
}

/// `RESTCheckDeviceCode`.
#[derive(Debug, Deserialize)]
pub struct DeviceCodeCheck {
    #[serde(rename = "usercode")]
    pub user_code: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn the_name_comes_from_the_connection_when_left_out() {
        let request: OrganizationRequest = read(
            br#"{"type": "Office365", "exchangeOnlineSettings": {"account": "admin@newco.onmicrosoft.com",
                 "officeOrganizationName": "newco.onmicrosoft.com", "useApplicationOnlyAuth": true}}"#,
        )
        .unwrap();
        let change = request.into_change().unwrap();
        assert_eq!(change.name.as_deref(), Some("newco.onmicrosoft.com"));
        assert_eq!(
            change.account.as_deref(),
            Some("admin@newco.onmicrosoft.com")
        );
    }

    #[test]
    fn an_unknown_region_is_refused() {
        assert!(read::<OrganizationRequest>(br#"{"region": "Mars"}"#).is_err());
    }
}

//! Writes of an organization's own configuration: each is made on a copy, checked against the world and then kept, or refused leaving the organization as it was.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    BackupAccount, BackupAccountChange, BackupApplication, BackupApplicationChange,
    DirectoryObject, Id, NewApplications, NotFound, Organization, OrganizationSetup,
    ResolvedObject, TenantApplication, Timestamp, certificate_thumbprint,
};

impl World {
    /// The configuration of the organization `id` names.
    pub fn organization_setup(
        &self,
        id: &Id<Organization>,
    ) -> Result<&OrganizationSetup, NotFound> {
        Ok(&self.find(id)?.setup)
    }

    /// Changes the configuration of organization `id` with `edit`, which sees the world as
    /// it was and answers why it refuses, if it does.
    pub fn edit_organization_setup(
        &mut self,
        id: Uuid,
        edit: impl FnOnce(&World, &mut OrganizationSetup) -> Result<(), String>,
    ) -> Result<(), JobEditError> {
        let mut setup = self.find(&Id::<Organization>::new(id))?.setup.clone();
        edit(self, &mut setup).map_err(JobEditError::Invalid)?;
        if let Some(organization) = self.organizations.iter_mut().find(|known| known.id == id) {
            organization.setup = setup;
        }
        Ok(())
    }

    /// Adds users and groups of organization `id` to those audited; one already there stays once.
    pub fn add_audit_items(
        &mut self,
        id: Uuid,
        objects: Vec<DirectoryObject>,
    ) -> Result<(), JobEditError> {
        self.edit_organization_setup(id, |world, setup| {
            for object in objects {
                let known = match world.directory_object(object) {
                    Some(ResolvedObject::User(user)) => user.organization_id == id,
                    Some(ResolvedObject::Group(group)) => group.organization_id == id,
                    Some(ResolvedObject::Site(_) | ResolvedObject::Team(_)) => {
                        return Err(format!(
                            "Only users and groups are audited, not a {}.",
                            object.kind_name().to_lowercase()
                        ));
                    }
                    None => false,
                };
                if !known {
                    return Err(format!(
                        "{} with id '{}' was not found in the organization.",
                        object.kind_name(),
                        object.id()
                    ));
                }
                if !setup.audit_items.contains(&object) {
                    setup.audit_items.push(object);
                }
            }
            Ok(())
        })
    }

    /// Stops auditing the items `ids` name; each must be audited.
    pub fn remove_audit_items(&mut self, id: Uuid, ids: &[String]) -> Result<(), JobEditError> {
        self.edit_organization_setup(id, |_, setup| {
            for item in ids {
                let position = setup
                    .audit_items
                    .iter()
                    .position(|object| object.id().to_string().eq_ignore_ascii_case(item.trim()))
                    .ok_or_else(|| format!("Audit item with id '{item}' was not found."))?;
                setup.audit_items.remove(position);
            }
            Ok(())
        })
    }

    /// Replaces the backup accounts of organization `id`; each names a user of the
    /// organization, once, with a password.
    pub fn set_backup_accounts(
        &mut self,
        id: Uuid,
        accounts: Vec<BackupAccountChange>,
    ) -> Result<(), JobEditError> {
        self.edit_organization_setup(id, |world, setup| {
            let mut kept: Vec<BackupAccount> = Vec::new();
            for account in accounts {
                let user = world
                    .organization_users(id)
                    .find(|user| {
                        account.user_id == Some(user.id)
                            || account
                                .login
                                .as_deref()
                                .is_some_and(|login| login.trim().eq_ignore_ascii_case(&user.name))
                    })
                    .ok_or_else(|| {
                        let named = account
                            .login
                            .clone()
                            .or_else(|| account.user_id.map(|id| id.to_string()))
                            .unwrap_or_default();
                        format!("User '{named}' was not found in the organization.")
                    })?;
                if account.password.is_empty() {
                    return Err(format!(
                        "The backup account '{}' needs its 'password'.",
                        user.name
                    ));
                }
                if kept.iter().any(|known| known.user_id == user.id) {
                    return Err(format!(
                        "The backup account '{}' is given twice.",
                        user.name
                    ));
                }
                kept.push(BackupAccount {
                    user_id: user.id,
                    password: account.password,
                });
            }
            setup.backup_accounts = kept;
            Ok(())
        })
    }

    /// Replaces the backup applications of organization `id` (`append` false) or adds to
    /// them; each is an application of the tenant, once, with its certificate.
    pub fn set_backup_applications(
        &mut self,
        id: Uuid,
        applications: Vec<BackupApplicationChange>,
        append: bool,
    ) -> Result<(), JobEditError> {
        self.edit_organization_setup(id, |world, setup| {
            let tenant = world
                .organization(&id)
                .map(Organization::tenant_applications)
                .unwrap_or_default();
            let mut kept = if append {
                setup.backup_applications.clone()
            } else {
                Vec::new()
            };
            for application in applications {
                let known = tenant
                    .iter()
                    .find(|known| known.application_id == application.application_id)
                    .ok_or_else(|| {
                        format!(
                            "Application '{}' was not found in the organization's tenant.",
                            application.application_id
                        )
                    })?;
                if application.certificate.is_empty() {
                    return Err(format!(
                        "The backup application '{}' needs its 'applicationCertificate'.",
                        known.display_name
                    ));
                }
                if kept
                    .iter()
                    .any(|added: &BackupApplication| added.application_id == known.application_id)
                {
                    return Err(format!(
                        "Application '{}' is already a backup application of the organization.",
                        known.display_name
                    ));
                }
                kept.push(BackupApplication {
                    application_id: known.application_id,
                    display_name: application
                        .display_name
                        .filter(|name| !name.trim().is_empty())
                        .unwrap_or_else(|| known.display_name.clone()),
                    certificate_thumbprint: certificate_thumbprint(&application.certificate),
                    certificate_password: application.certificate_password,
                });
            }
            setup.backup_applications = kept;
            Ok(())
        })
    }

    /// Takes the backup applications `ids` names off organization `id`; each must be one.
    pub fn remove_backup_applications(
        &mut self,
        id: Uuid,
        ids: &[String],
    ) -> Result<(), JobEditError> {
        self.edit_organization_setup(id, |_, setup| {
            for wanted in ids {
                let position = setup
                    .backup_applications
                    .iter()
                    .position(|application| {
                        application
                            .application_id
                            .to_string()
                            .eq_ignore_ascii_case(wanted.trim())
                    })
                    .ok_or_else(|| {
                        format!("Backup application with id '{wanted}' was not found.")
                    })?;
                setup.backup_applications.remove(position);
            }
            Ok(())
        })
    }

    /// Creates applications in the tenant of organization `id`, signed in to with a device
    /// code that has not expired at `now`; answers those created.
    pub fn create_applications(
        &mut self,
        id: Uuid,
        request: NewApplications,
        now: Timestamp,
    ) -> Result<Vec<TenantApplication>, JobEditError> {
        self.find(&Id::<Organization>::new(id))?;
        if request.display_name.trim().is_empty() {
            return Err(JobEditError::Invalid(
                "A new application needs its 'displayName'.".to_owned(),
            ));
        }
        if !(1..=100).contains(&request.count) {
            return Err(JobEditError::Invalid(format!(
                "'count' is {}: create between 1 and 100 applications at a time.",
                request.count
            )));
        }
        self.check_device_code(&request.user_code, now)?;
        let created: Vec<TenantApplication> = (1..=request.count)
            .map(|number| TenantApplication {
                application_id: self.next_id(),
                display_name: if request.count == 1 {
                    request.display_name.clone()
                } else {
                    format!("{} {number}", request.display_name)
                },
                tags: Vec::new(),
            })
            .collect();
        let added = created.clone();
        self.edit_organization_setup(id, |_, setup| {
            setup.applications.extend(added);
            Ok(())
        })?;
        self.use_device_code(&request.user_code);
        Ok(created)
    }
}

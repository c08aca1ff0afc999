//! Writes of an organization's own configuration: each is made on a copy, checked against the world and then kept, or refused leaving the organization as it was.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    DirectoryObject, Id, NotFound, Organization, OrganizationSetup, ResolvedObject,
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
}

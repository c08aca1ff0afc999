//! Writes of an organization's own configuration: each is made on a copy, checked against the world and then kept, or refused leaving the organization as it was.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{Id, NotFound, Organization, OrganizationSetup};

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
}

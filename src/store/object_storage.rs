//! Object storage written: added, edited, and removed unless a repository keeps data there.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{Id, NotFound, ObjectStorage, ObjectStorageWrite};

impl World {
    /// Adds the storage `write` describes.
    pub fn add_object_storage(
        &mut self,
        write: ObjectStorageWrite,
    ) -> Result<&ObjectStorage, JobEditError> {
        self.check_object_storage(&write)?;
        self.object_storages.push(write.storage);
        Ok(self
            .object_storages
            .last()
            .expect("the object storage was just pushed"))
    }

    /// Replaces the storage of `write`'s id with what `write` describes.
    pub fn edit_object_storage(&mut self, write: ObjectStorageWrite) -> Result<(), JobEditError> {
        self.find(&Id::<ObjectStorage>::new(write.storage.id))?;
        self.check_object_storage(&write)?;
        let storage = self
            .object_storages
            .iter_mut()
            .find(|storage| storage.id == write.storage.id)
            .expect("the object storage was just found");
        *storage = write.storage;
        Ok(())
    }

    /// Removes object storage no backup repository keeps its data in.
    pub fn remove_object_storage(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let storage = self.find(&Id::<ObjectStorage>::new(id))?;
        if let Some(repository) = self
            .repositories
            .iter()
            .find(|repository| repository.object_storage_id == Some(id))
        {
            return Err(JobEditError::Invalid(format!(
                "Object storage '{}' is in use by backup repository '{}'.",
                storage.name, repository.name
            )));
        }
        self.object_storages.retain(|storage| storage.id != id);
        Ok(())
    }

    /// Names are the server's own; the cloud account named must exist, and the world
    /// keeps no cloud accounts, so naming one is its 404.
    fn check_object_storage(&self, write: &ObjectStorageWrite) -> Result<(), JobEditError> {
        let storage = &write.storage;
        if let Some(other) = self
            .object_storages
            .iter()
            .find(|other| other.id != storage.id && other.name.eq_ignore_ascii_case(&storage.name))
        {
            return Err(JobEditError::Invalid(format!(
                "Object storage '{}' already exists.",
                other.name
            )));
        }
        if let Some(account) = write.account_id {
            return Err(NotFound {
                what: "Account",
                id: account.to_string(),
            }
            .into());
        }
        Ok(())
    }
}

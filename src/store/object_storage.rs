//! Object storage written (removed only when no repository keeps data there), and what Amazon EC2 shows the cloud accounts storage is reached through.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    CloudAccount, CloudAccountKind, Ec2Resource, Ec2Scope, Id, NotFound, ObjectStorage,
};

impl World {
    /// Adds `storage`.
    pub fn add_object_storage(
        &mut self,
        storage: ObjectStorage,
    ) -> Result<&ObjectStorage, JobEditError> {
        self.check_object_storage(&storage)?;
        self.object_storages.push(storage);
        Ok(self
            .object_storages
            .last()
            .expect("the object storage was just pushed"))
    }

    /// Replaces the storage of `edited`'s id with `edited`.
    pub fn edit_object_storage(&mut self, edited: ObjectStorage) -> Result<(), JobEditError> {
        self.find(&Id::<ObjectStorage>::new(edited.id))?;
        self.check_object_storage(&edited)?;
        let storage = self
            .object_storages
            .iter_mut()
            .find(|storage| storage.id == edited.id)
            .expect("the object storage was just found");
        *storage = edited;
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

    /// Names are the server's own; the cloud account named must exist and be of the
    /// storage's kind.
    fn check_object_storage(&self, storage: &ObjectStorage) -> Result<(), JobEditError> {
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
        if let Some(account_id) = storage.account_id {
            self.cloud_account(account_id, CloudAccountKind::for_storage(storage.kind))?;
        }
        Ok(())
    }

    /// The account `id` names if it is of kind `wanted`: an unknown one is its 404, one of
    /// another kind a 400.
    pub fn cloud_account(
        &self,
        id: Uuid,
        wanted: CloudAccountKind,
    ) -> Result<&CloudAccount, JobEditError> {
        let account = self.find(&Id::<CloudAccount>::new(id))?;
        if account.kind != wanted {
            return Err(JobEditError::Invalid(format!(
                "Account '{}' is not of type {wanted:?}.",
                account.id
            )));
        }
        Ok(account)
    }
}

impl World {
    /// The account of `scope`, which must be an Amazon S3 account.
    pub fn ec2_account(&self, scope: &Ec2Scope) -> Result<&CloudAccount, JobEditError> {
        self.cloud_account(scope.account_id, CloudAccountKind::AmazonS3Account)
    }

    /// The VPCs Amazon EC2 shows in `scope`.
    pub fn ec2_vpcs(&self, scope: &Ec2Scope) -> Result<Vec<Ec2Resource>, JobEditError> {
        self.ec2_account(scope)?;
        Ok(scope.vpcs(self.seed))
    }

    /// The subnets of the VPC `id` names in `scope`.
    pub fn ec2_subnets(
        &self,
        scope: &Ec2Scope,
        id: &str,
    ) -> Result<Vec<Ec2Resource>, JobEditError> {
        Ok(scope.subnets(self.seed, &self.ec2_vpc(scope, id)?))
    }

    /// The security groups of the VPC `id` names in `scope`.
    pub fn ec2_security_groups(
        &self,
        scope: &Ec2Scope,
        id: &str,
    ) -> Result<Vec<Ec2Resource>, JobEditError> {
        Ok(scope.security_groups(self.seed, &self.ec2_vpc(scope, id)?))
    }

    /// The VPC `id` names in `scope`, or its 404.
    fn ec2_vpc(&self, scope: &Ec2Scope, id: &str) -> Result<Ec2Resource, JobEditError> {
        self.ec2_vpcs(scope)?
            .into_iter()
            .find(|vpc| vpc.id == id)
            .ok_or_else(|| {
                NotFound {
                    what: "Virtual private cloud",
                    id: id.to_owned(),
                }
                .into()
            })
    }
}

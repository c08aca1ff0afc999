//! The buckets, containers and folders a cloud account sees, and the folders clients create in them. A refused write changes nothing.

use super::{JobEditError, World};
use crate::model::{Bucket, BucketFolder, BucketScope, CloudAccount, NotFound};

/// Characters S3 and Azure take in a folder name but the service does not: separators would
/// make a nested path of what is asked as one folder.
const NOT_IN_FOLDER_NAMES: &[char] = &['/', '\\'];

impl World {
    /// The account `scope` asks with, which must be of the browsed cloud's kind.
    fn browsing_account(&self, scope: &BucketScope) -> Result<&CloudAccount, JobEditError> {
        self.cloud_account(scope.account_id, scope.cloud().account_kind())
    }

    /// The buckets (or containers) `scope` lists.
    pub fn buckets(&self, scope: &BucketScope) -> Result<Vec<Bucket>, JobEditError> {
        self.browsing_account(scope)?;
        let mut buckets = scope.buckets(self.seed, self.object_storages.iter());
        buckets.retain(|bucket| scope.lists(bucket));
        Ok(buckets)
    }

    /// The bucket named `name` (without regard to case) the account sees, or its 404.
    pub fn bucket(&self, scope: &BucketScope, name: &str) -> Result<Bucket, JobEditError> {
        self.browsing_account(scope)?;
        scope
            .buckets(self.seed, self.object_storages.iter())
            .into_iter()
            .find(|bucket| bucket.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                NotFound {
                    what: scope.cloud().bucket_word(),
                    id: name.to_owned(),
                }
                .into()
            })
    }

    /// The folders of bucket `bucket` that `scope` lists, with the bucket.
    pub fn bucket_folders(
        &self,
        scope: &BucketScope,
        bucket: &str,
    ) -> Result<(Bucket, Vec<String>), JobEditError> {
        let bucket = self.bucket(scope, bucket)?;
        let folders = scope
            .folders(
                self.seed,
                &bucket.name,
                self.object_storages.iter(),
                self.bucket_folders.iter(),
            )
            .into_iter()
            .filter(|folder| scope.names(folder))
            .collect();
        Ok((bucket, folders))
    }

    /// The folder `name` of bucket `bucket` (both without regard to case), or its 404.
    pub fn bucket_folder(
        &self,
        scope: &BucketScope,
        bucket: &str,
        name: &str,
    ) -> Result<(Bucket, String), JobEditError> {
        let unnamed = BucketScope {
            name: None,
            ..scope.clone()
        };
        let (bucket, folders) = self.bucket_folders(&unnamed, bucket)?;
        let folder = folders
            .into_iter()
            .find(|folder| folder.eq_ignore_ascii_case(name))
            .ok_or_else(|| NotFound {
                what: "Folder",
                id: name.to_owned(),
            })?;
        Ok((bucket, folder))
    }

    /// Creates folder `name` in bucket `bucket`: a name that is not there yet, without
    /// separators.
    pub fn add_bucket_folder(
        &mut self,
        scope: &BucketScope,
        bucket: &str,
        name: &str,
    ) -> Result<(Bucket, String), JobEditError> {
        let name = name.trim();
        if name.is_empty() || name.contains(NOT_IN_FOLDER_NAMES) {
            return Err(JobEditError::Invalid(format!(
                "'{name}' is not a folder name: a name must not be empty or contain '/' or '\\'."
            )));
        }
        let unnamed = BucketScope {
            name: None,
            ..scope.clone()
        };
        let (bucket, folders) = self.bucket_folders(&unnamed, bucket)?;
        if let Some(existing) = folders
            .iter()
            .find(|folder| folder.eq_ignore_ascii_case(name))
        {
            return Err(JobEditError::Invalid(format!(
                "Folder '{existing}' already exists in {} '{}'.",
                scope.cloud().bucket_word().to_ascii_lowercase(),
                bucket.name
            )));
        }
        self.bucket_folders.push(BucketFolder {
            account_id: scope.account_id,
            bucket: bucket.name.clone(),
            name: name.to_owned(),
        });
        Ok((bucket, name.to_owned()))
    }
}

//! What a cloud account sees of object storage: the buckets (Amazon S3, S3-compatible) or containers (Azure) it reaches and the folders in them.

use uuid::Uuid;

use super::{CloudAccountKind, ObjectStorage, ObjectStorageKind};

/// The clouds whose buckets the server browses for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageCloud {
    S3Compatible,
    AmazonS3,
    Azure,
}

impl StorageCloud {
    /// The kind of cloud account that signs in to this cloud.
    pub fn account_kind(self) -> CloudAccountKind {
        match self {
            Self::S3Compatible => CloudAccountKind::AmazonS3CompatibleAccount,
            Self::AmazonS3 => CloudAccountKind::AmazonS3Account,
            Self::Azure => CloudAccountKind::AzureBlobAccount,
        }
    }

    /// Whether object storage of `kind` keeps its data in this cloud.
    pub fn keeps(self, kind: ObjectStorageKind) -> bool {
        self.account_kind() == CloudAccountKind::for_storage(kind)
    }

    /// What the cloud calls a bucket, in messages.
    pub fn bucket_word(self) -> &'static str {
        match self {
            Self::Azure => "Container",
            Self::S3Compatible | Self::AmazonS3 => "Bucket",
        }
    }
}

/// Amazon's partitions, which the contract calls region types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmazonRegionType {
    Global,
    UsGovernment,
    China,
}

/// The Azure clouds a storage account lives in, which the contract calls region types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzureRegionType {
    Global,
    Germany,
    China,
    Government,
}

/// A region Amazon S3 keeps buckets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmazonRegion {
    pub id: &'static str,
    /// The name Amazon shows beside the id.
    pub name: &'static str,
    pub region_type: AmazonRegionType,
}

const fn region(
    id: &'static str,
    name: &'static str,
    region_type: AmazonRegionType,
) -> AmazonRegion {
    AmazonRegion {
        id,
        name,
        region_type,
    }
}

/// The regions buckets are found in, by partition.
pub const AMAZON_S3_REGIONS: &[AmazonRegion] = &[
    region(
        "us-east-1",
        "US East (N. Virginia)",
        AmazonRegionType::Global,
    ),
    region("us-east-2", "US East (Ohio)", AmazonRegionType::Global),
    region(
        "us-west-1",
        "US West (N. California)",
        AmazonRegionType::Global,
    ),
    region("us-west-2", "US West (Oregon)", AmazonRegionType::Global),
    region("eu-west-1", "Europe (Ireland)", AmazonRegionType::Global),
    region(
        "eu-central-1",
        "Europe (Frankfurt)",
        AmazonRegionType::Global,
    ),
    region(
        "ap-southeast-2",
        "Asia Pacific (Sydney)",
        AmazonRegionType::Global,
    ),
    region(
        "us-gov-west-1",
        "AWS GovCloud (US-West)",
        AmazonRegionType::UsGovernment,
    ),
    region(
        "us-gov-east-1",
        "AWS GovCloud (US-East)",
        AmazonRegionType::UsGovernment,
    ),
    region("cn-north-1", "China (Beijing)", AmazonRegionType::China),
    region("cn-northwest-1", "China (Ningxia)", AmazonRegionType::China),
];

/// The region of id `id`, without regard to case.
pub fn amazon_region(id: &str) -> Option<&'static AmazonRegion> {
    AMAZON_S3_REGIONS
        .iter()
        .find(|region| region.id.eq_ignore_ascii_case(id))
}

/// Where a browser looks for an account's buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketPlace {
    /// The endpoint of S3-compatible storage and the region it answers for.
    S3Compatible {
        service_point: String,
        custom_region_id: String,
    },
    /// An Amazon partition; listings may keep to one of its regions.
    AmazonS3 {
        region_type: AmazonRegionType,
        region: Option<&'static AmazonRegion>,
    },
    Azure {
        region_type: AzureRegionType,
    },
}

/// A browser's question: an account, where to look and, for listings, one name to keep to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketScope {
    pub account_id: Uuid,
    pub place: BucketPlace,
    /// `Name`: only the bucket or folder of this name (without regard to case).
    pub name: Option<String>,
}

/// A bucket or container as the cloud shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub name: String,
    /// Where an Amazon S3 bucket is; `None` elsewhere, or for a region Amazon does not list.
    pub region: Option<&'static AmazonRegion>,
}

/// A folder a client created in a bucket through the browser; folders the cloud already
/// had follow from the world's seed and its object storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketFolder {
    pub account_id: Uuid,
    pub bucket: String,
    pub name: String,
}

/// The parent folders the service writes a backup folder under, as its paths show them.
const FOLDER_PARENT: &str = "Veeam/Backup365";

impl BucketFolder {
    /// The folder's path in the bucket: `Veeam/Backup365/<name>/`.
    pub fn path(name: &str) -> String {
        format!("{FOLDER_PARENT}/{name}/")
    }
}

/// Words generated bucket and folder names are made of.
const BUCKET_WORDS: &[&str] = &["backups", "archive", "offsite", "longterm", "vault", "cold"];
const FOLDER_WORDS: &[&str] = &["M365", "Exchange", "SharePoint", "Teams", "Archive"];

impl BucketScope {
    pub fn cloud(&self) -> StorageCloud {
        match self.place {
            BucketPlace::S3Compatible { .. } => StorageCloud::S3Compatible,
            BucketPlace::AmazonS3 { .. } => StorageCloud::AmazonS3,
            BucketPlace::Azure { .. } => StorageCloud::Azure,
        }
    }

    /// Bytes that follow from the world's seed, the account and `what`: the same world
    /// shows the same buckets and folders.
    fn draw(&self, seed: u64, what: &str) -> [u8; 16] {
        let namespace = Uuid::new_v5(&self.account_id, &seed.to_le_bytes());
        *Uuid::new_v5(&namespace, what.as_bytes()).as_bytes()
    }

    /// The buckets the account sees here: three of its own, and those of `storages` it
    /// signs in to, sorted by name. Listings keep to the region and name asked for.
    pub fn buckets<'a>(
        &self,
        seed: u64,
        storages: impl Iterator<Item = &'a ObjectStorage>,
    ) -> Vec<Bucket> {
        let mut buckets = self.generated_buckets(seed);
        for storage in storages.filter(|storage| self.reaches(storage)) {
            if !buckets
                .iter()
                .any(|bucket| bucket.name.eq_ignore_ascii_case(&storage.bucket))
            {
                buckets.push(Bucket {
                    name: storage.bucket.clone(),
                    region: amazon_region(&storage.endpoint),
                });
            }
        }
        buckets.sort_by(|a, b| a.name.cmp(&b.name));
        buckets
    }

    /// Whether `bucket` is in the region a listing keeps to and has the name it keeps to.
    pub fn lists(&self, bucket: &Bucket) -> bool {
        let in_region = match &self.place {
            BucketPlace::AmazonS3 {
                region: Some(region),
                ..
            } => bucket.region == Some(*region),
            _ => true,
        };
        in_region && self.names(&bucket.name)
    }

    /// Whether `name` is the name a listing keeps to, or it keeps to none.
    pub fn names(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(name))
    }

    fn generated_buckets(&self, seed: u64) -> Vec<Bucket> {
        let (label, regions): (&str, Vec<&'static AmazonRegion>) = match &self.place {
            BucketPlace::S3Compatible { .. } => ("s3-compatible", Vec::new()),
            BucketPlace::AmazonS3 { region_type, .. } => (
                match region_type {
                    AmazonRegionType::Global => "aws",
                    AmazonRegionType::UsGovernment => "aws-us-gov",
                    AmazonRegionType::China => "aws-cn",
                },
                AMAZON_S3_REGIONS
                    .iter()
                    .filter(|region| region.region_type == *region_type)
                    .collect(),
            ),
            BucketPlace::Azure { .. } => ("azure", Vec::new()),
        };
        let bytes = self.draw(seed, label);
        (0..3)
            .map(|index| {
                let word = BUCKET_WORDS[usize::from(bytes[12 + index]) % BUCKET_WORDS.len()];
                let suffix: String = bytes[index * 4..index * 4 + 3]
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                Bucket {
                    name: format!("vb365-{word}-{suffix}"),
                    region: (!regions.is_empty())
                        .then(|| regions[usize::from(bytes[index * 4 + 3]) % regions.len()]),
                }
            })
            .collect()
    }

    /// Whether the account sees the bucket of `storage` here: storage it signs in to, in
    /// this cloud, at this service point or in this partition.
    fn reaches(&self, storage: &ObjectStorage) -> bool {
        if storage.account_id != Some(self.account_id) || !self.cloud().keeps(storage.kind) {
            return false;
        }
        match &self.place {
            BucketPlace::S3Compatible { service_point, .. } => {
                let trimmed = |text: &str| text.trim_end_matches('/').to_ascii_lowercase();
                storage.endpoint.is_empty() || trimmed(&storage.endpoint) == trimmed(service_point)
            }
            BucketPlace::AmazonS3 { region_type, .. } => {
                amazon_region(&storage.endpoint)
                    .map_or(AmazonRegionType::Global, |region| region.region_type)
                    == *region_type
            }
            BucketPlace::Azure { .. } => true,
        }
    }

    /// The folders of `bucket` the account sees: one or two the cloud had, those of
    /// `storages` in it, and those `created` there, sorted by name.
    pub fn folders<'a>(
        &self,
        seed: u64,
        bucket: &str,
        storages: impl Iterator<Item = &'a ObjectStorage>,
        created: impl Iterator<Item = &'a BucketFolder>,
    ) -> Vec<String> {
        let bytes = self.draw(seed, &format!("folders/{bucket}"));
        let mut folders = vec!["Veeam".to_owned()];
        if bytes[0].is_multiple_of(2) {
            folders.push(FOLDER_WORDS[usize::from(bytes[1]) % FOLDER_WORDS.len()].to_owned());
        }
        let kept = storages
            .filter(|storage| self.reaches(storage) && storage.bucket.eq_ignore_ascii_case(bucket))
            .map(|storage| storage.folder.clone());
        let added = created
            .filter(|folder| {
                folder.account_id == self.account_id && folder.bucket.eq_ignore_ascii_case(bucket)
            })
            .map(|folder| folder.name.clone());
        for name in kept.chain(added) {
            if !folders
                .iter()
                .any(|known| known.eq_ignore_ascii_case(&name))
            {
                folders.push(name);
            }
        }
        folders.sort_by_key(|name| name.to_ascii_lowercase());
        folders
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(place: BucketPlace) -> BucketScope {
        BucketScope {
            account_id: Uuid::from_u128(7),
            place,
            name: None,
        }
    }

    fn at(service_point: &str) -> BucketScope {
        scope(BucketPlace::S3Compatible {
            service_point: service_point.to_owned(),
            custom_region_id: "us-east-1".to_owned(),
        })
    }

    fn storage(endpoint: &str) -> ObjectStorage {
        ObjectStorage {
            id: Uuid::from_u128(9),
            name: "Wasabi".to_owned(),
            description: String::new(),
            kind: ObjectStorageKind::AmazonS3Compatible,
            bucket: "kept-here".to_owned(),
            folder: "Fabrikam".to_owned(),
            endpoint: endpoint.to_owned(),
            size_limit_gb: None,
            account_id: Some(Uuid::from_u128(7)),
            azure_service_account_id: None,
        }
    }

    #[test]
    fn the_same_seed_and_account_see_the_same_buckets_and_another_seed_others() {
        let wasabi = at("https://s3.wasabisys.com");
        let first = wasabi.buckets(1, std::iter::empty());
        assert_eq!(first.len(), 3);
        assert_eq!(wasabi.buckets(1, std::iter::empty()), first);
        assert_ne!(wasabi.buckets(2, std::iter::empty()), first);
    }

    #[test]
    fn storage_shows_at_its_service_point_with_its_folder() {
        let kept = storage("https://s3.wasabisys.com/");
        let names = |scope: &BucketScope| -> Vec<String> {
            scope
                .buckets(1, std::iter::once(&kept))
                .into_iter()
                .map(|bucket| bucket.name)
                .collect()
        };
        assert!(names(&at("https://S3.wasabisys.com")).contains(&"kept-here".to_owned()));
        assert!(!names(&at("https://minio.local:9000")).contains(&"kept-here".to_owned()));
        let folders = at("https://s3.wasabisys.com").folders(
            1,
            "KEPT-HERE",
            std::iter::once(&kept),
            std::iter::empty(),
        );
        assert!(folders.contains(&"Fabrikam".to_owned()), "{folders:?}");
        assert!(folders.contains(&"Veeam".to_owned()), "{folders:?}");
    }

    #[test]
    fn amazon_buckets_stay_in_the_partition_asked_about() {
        let china = scope(BucketPlace::AmazonS3 {
            region_type: AmazonRegionType::China,
            region: None,
        });
        for bucket in china.buckets(1, std::iter::empty()) {
            let region = bucket.region.expect("an Amazon bucket has a region");
            assert_eq!(region.region_type, AmazonRegionType::China, "{bucket:?}");
        }
    }
}

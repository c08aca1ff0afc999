//! Object storage: `/objectstoragerepositories` v5..v7, and in v8 inside the backup
//! repositories that keep their data in it. v5 in the shape its clients read; v6 on with
//! every property of the contract, null where the world has nothing (cloud accounts,
//! archiver appliances, immutability).

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::azure::ServiceAccountBody;
use super::directory::{PathLink, SelfLink, path_link};
use super::{Context, Version, ok};
use crate::model::{ObjectStorage, ObjectStorageKind, StorageUse, amazon_region};

pub fn storages<'a>(cx: &Context<'a>, storages: impl Iterator<Item = StorageUse<'a>>) -> Response {
    let bodies: Vec<StorageBody<'_>> = storages.map(|usage| StorageBody::new(cx, usage)).collect();
    ok(&bodies)
}

pub fn storage(cx: &Context<'_>, usage: StorageUse<'_>) -> Response {
    ok(&StorageBody::new(cx, usage))
}

/// Object storage in the version's shape.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum StorageBody<'a> {
    Early(Box<EarlyStorageBody<'a>>),
    Contract(Box<ContractStorageBody<'a>>),
}

impl<'a> StorageBody<'a> {
    pub(super) fn new(cx: &Context<'a>, usage: StorageUse<'a>) -> Self {
        if cx.version <= Version::V5 {
            Self::Early(Box::new(EarlyStorageBody::new(cx, usage)))
        } else {
            Self::Contract(Box::new(ContractStorageBody::new(cx, usage)))
        }
    }
}

fn kind_name(kind: ObjectStorageKind) -> &'static str {
    match kind {
        ObjectStorageKind::AmazonS3Compatible => "AmazonS3Compatible",
        ObjectStorageKind::AmazonS3 => "AmazonS3",
        ObjectStorageKind::AzureBlob => "AzureBlob",
        ObjectStorageKind::AmazonS3Glacier => "AmazonS3Glacier",
        ObjectStorageKind::AzureBlobArchive => "AzureBlobArchive",
    }
}

fn limit_bytes(storage: &ObjectStorage) -> Option<u64> {
    storage.size_limit_gb.map(|gb| gb.saturating_mul(1 << 30))
}

fn self_link<'a>(cx: &Context<'a>, storage: &ObjectStorage) -> PathLink<'a> {
    path_link(
        cx,
        format!(
            "{}/objectstoragerepositories/{}",
            cx.version.prefix(),
            storage.id
        ),
    )
}

/// Object storage as v5 lists it: only what applies to its kind.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EarlyStorageBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amazon_bucket_s3_compatible: Option<EarlyS3CompatibleBucket<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amazon_bucket_s3_aws: Option<EarlyS3AwsBucket<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3_folder: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    azure_container: Option<EarlyAzureContainer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    azure_folder: Option<&'a str>,
    size_limit_enabled: bool,
    #[serde(rename = "sizeLimitGB", skip_serializing_if = "Option::is_none")]
    size_limit_gb: Option<u64>,
    used_space_bytes: u64,
    /// Unlimited storage has no free space to report.
    free_space_bytes: Option<u64>,
    #[serde(rename = "_links")]
    links: SelfLink<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyS3CompatibleBucket<'a> {
    service_point: &'a str,
    custom_region_id: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyS3AwsBucket<'a> {
    region_type: &'static str,
    region_id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyAzureContainer<'a> {
    name: &'a str,
    region_type: &'static str,
}

impl<'a> EarlyStorageBody<'a> {
    fn new(cx: &Context<'a>, usage: StorageUse<'a>) -> Self {
        let storage = usage.storage;
        let kind = storage.kind;
        let is_s3 = !kind.is_azure();
        let limit = limit_bytes(storage);
        Self {
            id: &storage.id,
            name: &storage.name,
            description: &storage.description,
            kind: kind_name(kind),
            amazon_bucket_s3_compatible: (kind == ObjectStorageKind::AmazonS3Compatible).then(
                || EarlyS3CompatibleBucket {
                    service_point: &storage.endpoint,
                    custom_region_id: "us-east-1",
                    name: &storage.bucket,
                },
            ),
            amazon_bucket_s3_aws: (is_s3 && kind != ObjectStorageKind::AmazonS3Compatible).then(
                || EarlyS3AwsBucket {
                    region_type: "Global",
                    region_id: &storage.endpoint,
                    name: &storage.bucket,
                },
            ),
            s3_folder: is_s3.then_some(storage.folder.as_str()),
            azure_container: kind.is_azure().then(|| EarlyAzureContainer {
                name: &storage.bucket,
                region_type: "Global",
            }),
            azure_folder: kind.is_azure().then_some(storage.folder.as_str()),
            size_limit_enabled: limit.is_some(),
            size_limit_gb: storage.size_limit_gb,
            used_space_bytes: usage.used_bytes,
            free_space_bytes: limit.map(|limit| limit.saturating_sub(usage.used_bytes)),
            links: SelfLink {
                this: self_link(cx, storage),
            },
        }
    }
}

/// `RESTObjectStorageRepositoryComposed` (v6, v7) or, embedded in a repository,
/// `RESTObjectStorageComposed` (v8, without name and description). The outer `Option`
/// leaves out what a version lacks; the inner one is null where the world has nothing.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContractStorageBody<'a> {
    amazon_bucket_s3_compatible: Option<S3CompatibleBucket<'a>>,
    s3_folder: &'a str,
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// The cloud account the server signs in with.
    account_id: Option<&'a Uuid>,
    size_limit_enabled: bool,
    #[serde(rename = "sizeLimitGB")]
    size_limit_gb: Option<u64>,
    used_space_bytes: u64,
    free_space_bytes: Option<u64>,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_immutability: Option<bool>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_immutability_governance_mode: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    immutability_period_days: Option<Option<u64>>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "_links")]
    links: StorageLinks<'a>,
    glacier_deep_archive_enabled: Option<bool>,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    glacier_instant_retrieval_enabled: Option<Option<bool>>,
    amazon_bucket_s3_aws: Option<S3AwsBucket<'a>>,
    /// v6, v7; v8 names the two infrequent-access classes apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    ia_storage_class_enabled: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    standard_ia_storage_class_enabled: Option<Option<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_zone_ia_storage_class_enabled: Option<Option<bool>>,
    use_archiver_appliance: Option<bool>,
    amazon_archiver_appliance: Option<EmptyObject>,
    azure_container: Option<AzureContainer<'a>>,
    azure_folder: &'a str,
    azure_service_account: Option<ServiceAccountBody<'a>>,
    azure_subscription: Option<EmptyObject>,
    azure_archiver_appliance: Option<EmptyObject>,
}

/// Stands for objects the world never has, which are always null.
#[derive(Serialize)]
struct EmptyObject {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct S3CompatibleBucket<'a> {
    service_point: &'a str,
    custom_region_id: &'static str,
    name: &'a str,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    trusted_server_certificate_thumbprint: Option<Option<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trust_server_certificate: Option<bool>,
    #[serde(rename = "_links")]
    links: EmptyObject,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct S3AwsBucket<'a> {
    region_type: &'static str,
    region_name: &'static str,
    region_id: &'a str,
    name: &'a str,
    #[serde(rename = "_links")]
    links: EmptyObject,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AzureContainer<'a> {
    name: &'a str,
    region_type: &'static str,
    #[serde(rename = "_links")]
    links: EmptyObject,
}

#[derive(Serialize)]
struct StorageLinks<'a> {
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    this: Option<PathLink<'a>>,
}

/// The name Amazon gives a region, as the service shows it beside the region's id.
fn aws_region_name(region: &str) -> &'static str {
    amazon_region(region).map_or("", |region| region.name)
}

impl<'a> ContractStorageBody<'a> {
    fn new(cx: &Context<'a>, usage: StorageUse<'a>) -> Self {
        let storage = usage.storage;
        let listed = cx.version < Version::V8;
        let v7 = cx.version >= Version::V7;
        let v8 = cx.version >= Version::V8;
        let kind = storage.kind;
        let is_s3 = !kind.is_azure();
        let glacier = (kind == ObjectStorageKind::AmazonS3Glacier).then_some(false);
        let infrequent = (kind == ObjectStorageKind::AmazonS3).then_some(false);
        let limit = limit_bytes(storage);
        Self {
            amazon_bucket_s3_compatible: (kind == ObjectStorageKind::AmazonS3Compatible).then(
                || S3CompatibleBucket {
                    service_point: &storage.endpoint,
                    custom_region_id: "us-east-1",
                    name: &storage.bucket,
                    trusted_server_certificate_thumbprint: v8.then_some(None),
                    trust_server_certificate: v8.then_some(false),
                    links: EmptyObject {},
                },
            ),
            s3_folder: if is_s3 { &storage.folder } else { "" },
            id: &storage.id,
            name: listed.then_some(storage.name.as_str()),
            description: listed.then_some(storage.description.as_str()),
            account_id: storage.account_id.as_ref(),
            size_limit_enabled: limit.is_some(),
            size_limit_gb: storage.size_limit_gb,
            used_space_bytes: usage.used_bytes,
            free_space_bytes: limit.map(|limit| limit.saturating_sub(usage.used_bytes)),
            enable_immutability: v7.then_some(false),
            enable_immutability_governance_mode: v8.then_some(false),
            immutability_period_days: v8.then_some(None),
            kind: kind_name(kind),
            links: StorageLinks {
                this: listed.then(|| self_link(cx, storage)),
            },
            glacier_deep_archive_enabled: glacier,
            glacier_instant_retrieval_enabled: v7.then_some(glacier),
            amazon_bucket_s3_aws: (is_s3 && kind != ObjectStorageKind::AmazonS3Compatible).then(
                || S3AwsBucket {
                    region_type: "Global",
                    region_name: aws_region_name(&storage.endpoint),
                    region_id: &storage.endpoint,
                    name: &storage.bucket,
                    links: EmptyObject {},
                },
            ),
            ia_storage_class_enabled: (!v8).then_some(infrequent),
            standard_ia_storage_class_enabled: v8.then_some(infrequent),
            one_zone_ia_storage_class_enabled: v8.then_some(infrequent),
            use_archiver_appliance: kind
                .is_long_term()
                .then_some(usage.archiver_account.is_some()),
            amazon_archiver_appliance: None,
            azure_container: kind.is_azure().then(|| AzureContainer {
                name: &storage.bucket,
                region_type: "Global",
                links: EmptyObject {},
            }),
            azure_folder: if kind.is_azure() { &storage.folder } else { "" },
            azure_service_account: usage.archiver_account.map(ServiceAccountBody::new),
            azure_subscription: None,
            azure_archiver_appliance: None,
        }
    }
}

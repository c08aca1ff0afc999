//! Object storage: `/objectstoragerepositories` v5..v7, and in v8 inside the backup
//! repositories that keep their data in it.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::directory::{PathLink, path_link};
use super::{Context, Version, ok};
use crate::model::{ObjectStorageKind, StorageUse};

pub fn storages<'a>(cx: &Context<'a>, storages: impl Iterator<Item = StorageUse<'a>>) -> Response {
    let bodies: Vec<StorageBody<'_>> = storages.map(|usage| StorageBody::new(cx, usage)).collect();
    ok(&bodies)
}

pub fn storage(cx: &Context<'_>, usage: StorageUse<'_>) -> Response {
    ok(&StorageBody::new(cx, usage))
}

/// The object storage as v5..v7 list it, or as v8 embeds it in a repository (no name or
/// description there).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StorageBody<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amazon_bucket_s3_compatible: Option<S3CompatibleBucket<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amazon_bucket_s3_aws: Option<S3AwsBucket<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3_folder: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    azure_container: Option<AzureContainer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    azure_folder: Option<&'a str>,
    size_limit_enabled: bool,
    #[serde(rename = "sizeLimitGB", skip_serializing_if = "Option::is_none")]
    size_limit_gb: Option<u64>,
    used_space_bytes: u64,
    /// Unlimited storage has no free space to report.
    free_space_bytes: Option<u64>,
    #[serde(rename = "_links")]
    links: StorageLinks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct S3CompatibleBucket<'a> {
    service_point: &'a str,
    custom_region_id: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct S3AwsBucket<'a> {
    region_type: &'static str,
    region_id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AzureContainer<'a> {
    name: &'a str,
    region_type: &'static str,
}

#[derive(Serialize)]
struct StorageLinks<'a> {
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    this: Option<PathLink<'a>>,
}

impl<'a> StorageBody<'a> {
    pub(super) fn new(cx: &Context<'a>, usage: StorageUse<'a>) -> Self {
        let storage = usage.storage;
        let listed = cx.version < Version::V8;
        let kind = storage.kind;
        let is_s3 = !kind.is_azure();
        let limit_bytes = storage.size_limit_gb.map(|gb| gb.saturating_mul(1 << 30));
        Self {
            id: &storage.id,
            name: listed.then_some(storage.name.as_str()),
            description: listed.then_some(storage.description.as_str()),
            kind: match kind {
                ObjectStorageKind::AmazonS3Compatible => "AmazonS3Compatible",
                ObjectStorageKind::AmazonS3 => "AmazonS3",
                ObjectStorageKind::AzureBlob => "AzureBlob",
                ObjectStorageKind::AmazonS3Glacier => "AmazonS3Glacier",
                ObjectStorageKind::AzureBlobArchive => "AzureBlobArchive",
            },
            amazon_bucket_s3_compatible: (kind == ObjectStorageKind::AmazonS3Compatible).then(
                || S3CompatibleBucket {
                    service_point: &storage.endpoint,
                    custom_region_id: "us-east-1",
                    name: &storage.bucket,
                },
            ),
            amazon_bucket_s3_aws: (is_s3 && kind != ObjectStorageKind::AmazonS3Compatible).then(
                || S3AwsBucket {
                    region_type: "Global",
                    region_id: &storage.endpoint,
                    name: &storage.bucket,
                },
            ),
            s3_folder: is_s3.then_some(storage.folder.as_str()),
            azure_container: kind.is_azure().then(|| AzureContainer {
                name: &storage.bucket,
                region_type: "Global",
            }),
            azure_folder: kind.is_azure().then_some(storage.folder.as_str()),
            size_limit_enabled: limit_bytes.is_some(),
            size_limit_gb: storage.size_limit_gb,
            used_space_bytes: usage.used_bytes,
            free_space_bytes: limit_bytes.map(|limit| limit.saturating_sub(usage.used_bytes)),
            links: StorageLinks {
                this: listed.then(|| {
                    path_link(
                        cx,
                        format!(
                            "{}/objectstoragerepositories/{}",
                            cx.version.prefix(),
                            storage.id
                        ),
                    )
                }),
            },
        }
    }
}

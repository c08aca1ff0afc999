//! The object storage browsers (v6 on): `/S3CompatibleResources`, `/S3Resources` and `/AzureResources`, their buckets or containers and folders, linked with the query that found them.

use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::directory::{PathLink, path_link};
use super::{Context, ok};
use crate::model::{
    AmazonRegionType, AzureRegionType, Bucket, BucketFolder, BucketPlace, BucketScope,
};

/// `RESTAmazonBucketS3Compatible`, `RESTAmazonBucketS3Aws` or `RESTAzureContainer`.
#[derive(Serialize)]
#[serde(untagged)]
enum BucketBody<'a> {
    #[serde(rename_all = "camelCase")]
    S3Compatible {
        service_point: String,
        custom_region_id: String,
        name: &'a str,
        #[serde(rename = "_links")]
        links: BucketLinks<'a>,
    },
    #[serde(rename_all = "camelCase")]
    AmazonS3 {
        region_type: &'static str,
        /// The contract has no null for these: a bucket in a region Amazon does not
        /// list has them empty.
        region_name: &'static str,
        region_id: &'static str,
        name: &'a str,
        #[serde(rename = "_links")]
        links: BucketLinks<'a>,
    },
    #[serde(rename_all = "camelCase")]
    Azure {
        name: &'a str,
        region_type: &'static str,
        #[serde(rename = "_links")]
        links: BucketLinks<'a>,
    },
}

#[derive(Serialize)]
struct BucketLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    account: PathLink<'a>,
    folders: PathLink<'a>,
}

/// `RESTAmazonFolderToReceiveS3Compatible`, `RESTAmazonFolderToReceiveS3Aws` or
/// `RESTAzureFolderToReceive`.
#[derive(Serialize)]
struct FolderBody<'a> {
    path: String,
    name: &'a str,
    #[serde(rename = "_links")]
    links: FolderLinks<'a>,
}

/// The folder's bucket is `bucket` in S3 and `container` in Azure.
#[derive(Serialize)]
struct FolderLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    account: PathLink<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket: Option<PathLink<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<PathLink<'a>>,
}

fn amazon_region_type(region_type: AmazonRegionType) -> &'static str {
    match region_type {
        AmazonRegionType::Global => "Global",
        AmazonRegionType::UsGovernment => "USGovernment",
        AmazonRegionType::China => "China",
    }
}

fn azure_region_type(region_type: AzureRegionType) -> &'static str {
    match region_type {
        AzureRegionType::Global => "Global",
        AzureRegionType::Germany => "Germany",
        AzureRegionType::China => "China",
        AzureRegionType::Government => "Government",
    }
}

/// A path segment with every byte but the unreserved ones percent-encoded, so a folder
/// named `Amazon Backups` links as `Amazon%20Backups`.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Where links of `scope` lead: the browser's collection and the query that names the
/// account and the place again.
struct Browser<'s> {
    collection: String,
    query: String,
    scope: &'s BucketScope,
}

impl<'s> Browser<'s> {
    fn new(cx: &Context<'_>, scope: &'s BucketScope) -> Self {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("accountId", &scope.account_id.to_string());
        let resource = match &scope.place {
            BucketPlace::S3Compatible {
                service_point,
                custom_region_id,
            } => {
                query.append_pair("ServicePoint", service_point);
                query.append_pair("CustomRegionId", custom_region_id);
                "/S3CompatibleResources/buckets"
            }
            BucketPlace::AmazonS3 { region_type, .. } => {
                query.append_pair("RegionType", amazon_region_type(*region_type));
                "/S3Resources/buckets"
            }
            BucketPlace::Azure { region_type } => {
                query.append_pair("RegionType", azure_region_type(*region_type));
                "/AzureResources/containers"
            }
        };
        Self {
            collection: format!("{}{resource}", cx.version.prefix()),
            query: query.finish(),
            scope,
        }
    }

    fn bucket_path(&self, bucket: &str) -> String {
        format!("{}/{}", self.collection, segment(bucket))
    }

    fn link<'a>(&self, cx: &Context<'a>, path: String) -> PathLink<'a> {
        path_link(cx, format!("{path}?{}", self.query))
    }

    fn account<'a>(&self, cx: &Context<'a>) -> PathLink<'a> {
        path_link(
            cx,
            format!("{}/Accounts/{}", cx.version.prefix(), self.scope.account_id),
        )
    }

    fn bucket<'a>(&self, cx: &Context<'a>, bucket: &'a Bucket) -> BucketBody<'a> {
        let path = self.bucket_path(&bucket.name);
        let links = BucketLinks {
            this: self.link(cx, path.clone()),
            account: self.account(cx),
            folders: self.link(cx, format!("{path}/folders")),
        };
        let name = bucket.name.as_str();
        match &self.scope.place {
            BucketPlace::S3Compatible {
                service_point,
                custom_region_id,
            } => BucketBody::S3Compatible {
                service_point: service_point.clone(),
                custom_region_id: custom_region_id.clone(),
                name,
                links,
            },
            BucketPlace::AmazonS3 { region_type, .. } => BucketBody::AmazonS3 {
                region_type: amazon_region_type(
                    bucket
                        .region
                        .map_or(*region_type, |region| region.region_type),
                ),
                region_name: bucket.region.map_or("", |region| region.name),
                region_id: bucket.region.map_or("", |region| region.id),
                name,
                links,
            },
            BucketPlace::Azure { region_type } => BucketBody::Azure {
                name,
                region_type: azure_region_type(*region_type),
                links,
            },
        }
    }

    fn folder<'a>(&self, cx: &Context<'a>, bucket: &Bucket, name: &'a str) -> FolderBody<'a> {
        let bucket_path = self.bucket_path(&bucket.name);
        let bucket_link = self.link(cx, bucket_path.clone());
        let is_azure = matches!(self.scope.place, BucketPlace::Azure { .. });
        FolderBody {
            path: BucketFolder::path(name),
            name,
            links: FolderLinks {
                this: self.link(cx, format!("{bucket_path}/folders/{}", segment(name))),
                account: self.account(cx),
                container: is_azure.then(|| bucket_link.clone()),
                bucket: (!is_azure).then_some(bucket_link),
            },
        }
    }
}

/// `GET .../buckets` or `.../containers`.
pub fn buckets(cx: &Context<'_>, scope: &BucketScope, buckets: &[Bucket]) -> Response {
    let browser = Browser::new(cx, scope);
    let bodies: Vec<BucketBody<'_>> = buckets
        .iter()
        .map(|bucket| browser.bucket(cx, bucket))
        .collect();
    ok(&bodies)
}

/// `GET .../buckets/{Name}` or `.../containers/{Name}`.
pub fn bucket(cx: &Context<'_>, scope: &BucketScope, bucket: &Bucket) -> Response {
    ok(&Browser::new(cx, scope).bucket(cx, bucket))
}

/// `GET .../folders` of a bucket or container.
pub fn folders(
    cx: &Context<'_>,
    scope: &BucketScope,
    bucket: &Bucket,
    folders: &[String],
) -> Response {
    let browser = Browser::new(cx, scope);
    let bodies: Vec<FolderBody<'_>> = folders
        .iter()
        .map(|folder| browser.folder(cx, bucket, folder))
        .collect();
    ok(&bodies)
}

/// One folder: `GET .../folders/{Name}`, and what `POST .../folders` created.
pub fn folder(cx: &Context<'_>, scope: &BucketScope, bucket: &Bucket, folder: &str) -> Response {
    ok(&Browser::new(cx, scope).folder(cx, bucket, folder))
}

/// `RESTAmazonFolderToSend` and `RESTAzureFolderToSend`: the new folder's name.
#[derive(Debug, Deserialize)]
pub struct FolderRequest {
    #[serde(default)]
    pub name: Option<String>,
}

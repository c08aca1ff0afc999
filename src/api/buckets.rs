//! `/S3CompatibleResources`, `/S3Resources` and `/AzureResources` (v6 on): the buckets or containers a cloud account sees, their folders, and folders created in them.

use axum::response::Response;

use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::BucketScope;
use crate::wire;
use crate::wire::buckets::FolderRequest;
use crate::wire::infrastructure::created;
use crate::wire::query::{AmazonS3Query, AzureQuery, FromQuery, S3CompatibleQuery};

/// S3-compatible storage is asked about at an endpoint and the region it answers for.
const AT_SERVICE_POINT: &[&str] = &["accountId", "ServicePoint", "CustomRegionId"];
/// Amazon S3 and Azure are asked about in a partition or cloud, their region type.
const IN_REGION_TYPE: &[&str] = &["accountId", "RegionType"];

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_cloud_resources(), |routes| {
        routes
            .browser::<S3CompatibleQuery>(
                "/S3CompatibleResources/buckets",
                "bucketName",
                AT_SERVICE_POINT,
            )
            .browser::<AmazonS3Query>("/S3Resources/buckets", "bucketName", IN_REGION_TYPE)
            .browser::<AzureQuery>(
                "/AzureResources/containers",
                "containerName",
                IN_REGION_TYPE,
            )
    })
}

impl Routes {
    /// The five routes of one browser under `collection`, whose buckets are `{parent}` in
    /// the folders' paths, each answering only with the query parameters `required`.
    fn browser<Q: FromQuery + Into<BucketScope> + Send + 'static>(
        self,
        collection: &str,
        parent: &str,
        required: &'static [&'static str],
    ) -> Self {
        let folders = format!("{collection}/{{{parent}}}/folders");
        self.get_asking(collection, required, list_buckets::<Q>)
            .get_asking(&format!("{collection}/{{Name}}"), required, get_bucket::<Q>)
            .get_asking(&folders, required, list_folders::<Q>)
            .post_asking(&folders, required, add_folder::<Q>)
            .get_asking(&format!("{folders}/{{Name}}"), required, get_folder::<Q>)
    }
}

async fn list_buckets<Q: Into<BucketScope>>(
    cx: Ctx,
    Query(query): Query<Q>,
) -> Result<Response, ApiError> {
    let scope = query.into();
    cx.read(|world, wire| {
        Ok(wire::buckets::buckets(
            wire,
            &scope,
            &world.buckets(&scope)?,
        ))
    })
}

async fn get_bucket<Q: Into<BucketScope>>(
    cx: Ctx,
    PathParams(name): PathParams<String>,
    Query(query): Query<Q>,
) -> Result<Response, ApiError> {
    let scope = query.into();
    cx.read(|world, wire| {
        Ok(wire::buckets::bucket(
            wire,
            &scope,
            &world.bucket(&scope, &name)?,
        ))
    })
}

async fn list_folders<Q: Into<BucketScope>>(
    cx: Ctx,
    PathParams(bucket): PathParams<String>,
    Query(query): Query<Q>,
) -> Result<Response, ApiError> {
    let scope = query.into();
    cx.read(|world, wire| {
        let (bucket, folders) = world.bucket_folders(&scope, &bucket)?;
        Ok(wire::buckets::folders(wire, &scope, &bucket, &folders))
    })
}

async fn get_folder<Q: Into<BucketScope>>(
    cx: Ctx,
    PathParams((bucket, name)): PathParams<(String, String)>,
    Query(query): Query<Q>,
) -> Result<Response, ApiError> {
    let scope = query.into();
    cx.read(|world, wire| {
        let (bucket, folder) = world.bucket_folder(&scope, &bucket, &name)?;
        Ok(wire::buckets::folder(wire, &scope, &bucket, &folder))
    })
}

/// Creates a folder: 200 with it up to v7, 201 in v8.
async fn add_folder<Q: Into<BucketScope>>(
    cx: Ctx,
    PathParams(bucket): PathParams<String>,
    Query(query): Query<Q>,
    JsonBody(request): JsonBody<FolderRequest>,
) -> Result<Response, ApiError> {
    let scope = query.into();
    let name = request.name.unwrap_or_default();
    let response = cx.state.world.write(|world| {
        let (bucket, folder) = world.add_bucket_folder(&scope, &bucket, &name)?;
        Ok::<_, ApiError>(wire::buckets::folder(&cx.wire(), &scope, &bucket, &folder))
    })?;
    Ok(created(cx.version, response))
}

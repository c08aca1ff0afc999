//! Object storage as a provisioning tool sets it up: add a bucket, read it back, edit it,
//! put a repository on it, remove it once nothing keeps data there; refused writes change
//! nothing, and what was written survives an export and re-import of the world.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, TestApp, reload_exported_world, send, spawn_app_with, world_text};

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// Adds an Amazon S3 bucket in Ireland through v7 and answers it.
async fn add_s3_bucket(app: &TestApp) -> Value {
    let (status, storage) = send(
        app,
        Method::POST,
        "/v7/objectstoragerepositories",
        Some(json!({
            "name": "Ireland bucket", "description": "Offsite copies", "type": "AmazonS3",
            "amazonBucketS3Aws": {"regionType": "Global", "regionId": "eu-west-1", "name": "vbo-offsite"},
            "s3Folder": "Backups", "sizeLimitEnabled": true, "sizeLimitGB": 2048,
        })),
    )
    .await;
    assert_eq!(status, 200, "{storage}");
    storage
}

#[tokio::test]
async fn object_storage_is_added_read_back_edited_used_and_removed() {
    let app = spawn_app_with(FROZEN).await;
    let storage = add_s3_bucket(&app).await;
    let storage_id = id(&storage);
    let path = format!("/v7/objectstoragerepositories/{storage_id}");
    assert_eq!(
        storage["amazonBucketS3Aws"]["regionName"],
        "Europe (Ireland)"
    );
    assert_eq!(storage["sizeLimitGB"], 2048);
    assert_eq!(storage["freeSpaceBytes"], 2048_u64 << 30);
    assert_eq!(app.json(&path, "t").await, storage);
    let listed = app.json("/v7/objectstoragerepositories", "t").await;
    assert!(listed.as_array().unwrap().contains(&storage));

    let (status, body) = send(
        &app,
        Method::PUT,
        &path,
        Some(json!({"name": "Dublin bucket", "s3Folder": "Veeam365", "sizeLimitEnabled": false})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let edited = app.json(&path, "t").await;
    assert_eq!(edited["name"], "Dublin bucket");
    assert_eq!(edited["description"], "Offsite copies");
    assert_eq!(edited["s3Folder"], "Veeam365");
    assert_eq!(edited["amazonBucketS3Aws"]["name"], "vbo-offsite");
    assert_eq!(edited["sizeLimitEnabled"], false);
    assert_eq!(edited["freeSpaceBytes"], Value::Null);

    let proxies = app.json("/v7/Proxies", "t").await;
    let proxy = id(&proxies[0]);
    let (status, repository) = send(
        &app,
        Method::POST,
        "/v7/BackupRepositories",
        Some(
            json!({"name": "Offsite", "proxyId": proxy, "objectStorageId": storage_id,
                    "objectStorageCachePath": "E:\\Cache\\Offsite", "retentionType": "ItemLevel"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{repository}");
    let before = world_text(&app).await;
    let (status, body) = send(&app, Method::DELETE, &path, None).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("Offsite"),
        "{body}"
    );
    assert_eq!(world_text(&app).await, before);

    let repository_path = format!("/v7/BackupRepositories/{}", id(&repository));
    let (status, body) = send(&app, Method::DELETE, &repository_path, None).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(&app, Method::DELETE, &path, None).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(&app, Method::GET, &path, None).await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn refused_object_storage_writes_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let storage = add_s3_bucket(&app).await;
    let path = format!("/v7/objectstoragerepositories/{}", id(&storage));
    let before = world_text(&app).await;
    let refusals = [
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Ireland bucket", "type": "AmazonS3", "amazonBucketS3Aws": {"name": "b"}}),
            400,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Untyped", "amazonBucketS3Aws": {"name": "b"}}),
            400,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Bucketless", "type": "AzureBlob"}),
            400,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Floppy", "type": "Floppy"}),
            400,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": 7, "type": "AzureBlob", "azureContainer": {"name": "c"}}),
            400,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Nobody's", "type": "AzureBlob", "azureContainer": {"name": "c"}, "accountId": "7d1f0c1e-0000-4000-8000-000000000001"}),
            404,
        ),
        (
            Method::POST,
            "/v7/objectstoragerepositories".to_owned(),
            json!({"name": "Bad account", "type": "AzureBlob", "azureContainer": {"name": "c"}, "accountId": "not-a-guid"}),
            400,
        ),
        (Method::PUT, path.clone(), json!({"type": "AzureBlob"}), 400),
        (Method::PUT, path.clone(), json!({"name": " "}), 400),
        (
            Method::PUT,
            "/v7/objectstoragerepositories/00000000-0000-4000-8000-000000000009".to_owned(),
            json!({"name": "Ghost"}),
            404,
        ),
        (
            Method::PUT,
            "/v7/objectstoragerepositories/not-a-guid".to_owned(),
            json!({"name": "Ghost"}),
            400,
        ),
    ];
    for (method, target, body, expected) in refusals {
        let (status, answer) = send(&app, method.clone(), &target, Some(body.clone())).await;
        assert_eq!(status, expected, "{method} {target} {body}: {answer}");
        assert!(answer["message"].is_string(), "{answer}");
    }
    let (status, answer) = send(
        &app,
        Method::DELETE,
        "/v7/objectstoragerepositories/00000000-0000-4000-8000-000000000009",
        None,
    )
    .await;
    assert_eq!(status, 404, "{answer}");
    assert_eq!(world_text(&app).await, before);
}

#[tokio::test]
async fn v5_names_the_bucket_of_any_kind_in_bucket() {
    let app = spawn_app_with(FROZEN).await;
    let (status, storage) = send(
        &app,
        Method::POST,
        "/v5/objectstoragerepositories",
        Some(json!({"name": "MinIO", "type": "AmazonS3Compatible",
                    "bucket": {"name": "vbo", "servicePoint": "https://minio.east.local:9000", "customRegionId": "us-east-1"}})),
    )
    .await;
    assert_eq!(status, 200, "{storage}");
    assert_eq!(storage["amazonBucketS3Compatible"]["name"], "vbo");
    assert_eq!(
        storage["amazonBucketS3Compatible"]["servicePoint"],
        "https://minio.east.local:9000"
    );
    assert_eq!(storage["s3Folder"], "Veeam");
}

#[tokio::test]
async fn written_object_storage_survives_export_and_reimport() {
    let app = spawn_app_with(FROZEN).await;
    let storage = add_s3_bucket(&app).await;
    let path = format!("/v7/objectstoragerepositories/{}", id(&storage));
    let (status, body) = send(
        &app,
        Method::PUT,
        &path,
        Some(json!({"description": "Edited"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let before = app.json("/v7/objectstoragerepositories", "t").await;
    let exported = reload_exported_world(&app).await;
    assert_eq!(app.json("/v7/objectstoragerepositories", "t").await, before);
    assert_eq!(app.json(&path, "t").await["description"], "Edited");
    assert_eq!(world_text(&app).await, exported);
}

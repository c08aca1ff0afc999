//! Object storage browsed as a setup wizard browses it: an account's buckets or containers,
//! among them those of the object storage it signs in to, and their folders; a folder
//! created shows in later reads and survives an export and re-import (world files refuse
//! one of no account, or named twice); refused questions and writes are answered in the
//! version's shape and change nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, TestApp, reload_exported_world, send, spawn_app_with, world_text};

/// The browser's collection and query for the object storage `storage` (as
/// `/objectstoragerepositories` lists it), asked with the account it signs in with.
fn browser_of(storage: &Value) -> (&'static str, String) {
    let account = storage["accountId"].as_str().unwrap();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("accountId", account);
    let collection = match storage["type"].as_str().unwrap() {
        "AmazonS3Compatible" => {
            let bucket = &storage["amazonBucketS3Compatible"];
            query.append_pair("ServicePoint", bucket["servicePoint"].as_str().unwrap());
            query.append_pair("CustomRegionId", bucket["customRegionId"].as_str().unwrap());
            "/S3CompatibleResources/buckets"
        }
        "AmazonS3" | "AmazonS3Glacier" => {
            query.append_pair("RegionType", "Global");
            "/S3Resources/buckets"
        }
        _ => {
            query.append_pair("RegionType", "Global");
            "/AzureResources/containers"
        }
    };
    (collection, query.finish())
}

/// The bucket and folder names of `storage`.
fn bucket_and_folder(storage: &Value) -> (String, String) {
    let (bucket, folder) = match storage["type"].as_str().unwrap() {
        "AmazonS3Compatible" => (&storage["amazonBucketS3Compatible"], &storage["s3Folder"]),
        "AmazonS3" | "AmazonS3Glacier" => (&storage["amazonBucketS3Aws"], &storage["s3Folder"]),
        _ => (&storage["azureContainer"], &storage["azureFolder"]),
    };
    (
        bucket["name"].as_str().unwrap().to_owned(),
        folder.as_str().unwrap().to_owned(),
    )
}

fn names(listing: &Value) -> Vec<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn storages_with_accounts(app: &TestApp) -> Vec<Value> {
    let listed = app.json("/v7/objectstoragerepositories", "t").await;
    let storages: Vec<Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|storage| storage["accountId"].is_string())
        .cloned()
        .collect();
    assert!(storages.len() >= 3, "{listed}");
    storages
}

/// What every browser shows of the world's object storage in `version`: each storage's
/// bucket listing and the folders of its bucket.
async fn what_the_browsers_show(app: &TestApp, version: &str) -> Vec<(Value, Value)> {
    let mut seen = Vec::new();
    for storage in storages_with_accounts(app).await {
        let (collection, query) = browser_of(&storage);
        let (bucket, folder) = bucket_and_folder(&storage);
        let buckets = app
            .json(&format!("/{version}{collection}?{query}"), "t")
            .await;
        assert!(names(&buckets).contains(&bucket), "{bucket}: {buckets}");
        assert!(
            names(&buckets).len() >= 4,
            "its own and the storage's: {buckets}"
        );
        let listed = buckets
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["name"] == bucket)
            .unwrap()
            .clone();
        let folders = app
            .follow_relative(&listed["_links"]["folders"]["href"])
            .await;
        assert!(names(&folders).contains(&folder), "{folder}: {folders}");
        seen.push((buckets, folders));
    }
    seen
}

#[tokio::test]
async fn an_account_sees_the_buckets_and_folders_of_its_object_storage_in_every_version() {
    let app = spawn_app_with(FROZEN).await;
    let v6 = what_the_browsers_show(&app, "v6").await;
    let names_of = |seen: &[(Value, Value)]| -> Vec<(Vec<String>, Vec<String>)> {
        seen.iter()
            .map(|(buckets, folders)| (names(buckets), names(folders)))
            .collect()
    };
    for version in ["v7", "v8"] {
        let seen = what_the_browsers_show(&app, version).await;
        assert_eq!(names_of(&seen), names_of(&v6), "{version}");
    }
    let again = spawn_app_with(FROZEN).await;
    assert_eq!(
        what_the_browsers_show(&again, "v6").await,
        v6,
        "the same world shows the same buckets"
    );
}

#[tokio::test]
async fn links_of_buckets_and_folders_lead_back_to_them() {
    let app = spawn_app_with(FROZEN).await;
    for storage in storages_with_accounts(&app).await {
        let (collection, query) = browser_of(&storage);
        let buckets = app.json(&format!("/v8{collection}?{query}"), "t").await;
        for bucket in buckets.as_array().unwrap() {
            let links = &bucket["_links"];
            assert_eq!(&app.follow_relative(&links["self"]["href"]).await, bucket);
            let account = app.follow_relative(&links["account"]["href"]).await;
            assert_eq!(account["id"], storage["accountId"]);
            let folders = app.follow_relative(&links["folders"]["href"]).await;
            for folder in folders.as_array().unwrap() {
                let links = &folder["_links"];
                assert_eq!(&app.follow_relative(&links["self"]["href"]).await, folder);
                let parent = links.get("bucket").unwrap_or(&links["container"]);
                assert_eq!(&app.follow_relative(&parent["href"]).await, bucket);
                let path = folder["path"].as_str().unwrap();
                assert!(path.ends_with(&format!("/{}/", folder["name"].as_str().unwrap())));
            }
        }
    }
}

#[tokio::test]
async fn a_created_folder_is_read_back_and_survives_export_and_import() {
    let app = spawn_app_with(FROZEN).await;
    let storage = storages_with_accounts(&app)
        .await
        .into_iter()
        .find(|storage| storage["type"] == "AzureBlob")
        .unwrap();
    let (collection, query) = browser_of(&storage);
    let (container, _) = bucket_and_folder(&storage);
    let folders = format!("{collection}/{container}/folders");
    let body = json!({"name": "Teams Archive"});
    let (status, created) = send(
        &app,
        Method::POST,
        &format!("/v7{folders}?{query}"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["name"], "Teams Archive");
    assert_eq!(created["path"], "Veeam/Backup365/Teams Archive/");
    assert_eq!(
        app.follow_relative(&created["_links"]["self"]["href"])
            .await,
        created
    );

    let listed = app.json(&format!("/v8{folders}?{query}"), "t").await;
    assert!(
        names(&listed).contains(&"Teams Archive".to_owned()),
        "{listed}"
    );
    let named = app
        .json(&format!("/v8{folders}?{query}&Name=teams%20archive"), "t")
        .await;
    assert_eq!(names(&named), ["Teams Archive"]);

    let before = world_text(&app).await;
    let (status, refused) = send(
        &app,
        Method::POST,
        &format!("/v8{folders}?{query}"),
        Some(json!({"name": "TEAMS ARCHIVE"})),
    )
    .await;
    assert_eq!(status, 400, "a folder that exists: {refused}");
    assert_eq!(world_text(&app).await, before);

    let exported = reload_exported_world(&app).await;
    assert!(exported.contains("\"bucketFolders\""), "{exported}");
    assert!(exported.contains("Teams Archive"));
    let listed_again = app.json(&format!("/v8{folders}?{query}"), "t").await;
    assert_eq!(listed_again, listed);
}

#[tokio::test]
async fn removing_an_account_takes_the_folders_kept_for_it() {
    let app = spawn_app_with(FROZEN).await;
    let (status, account) = send(
        &app,
        Method::POST,
        "/v8/Accounts",
        Some(
            json!({"accountType": "amazonS3Account", "userName": "AKIABROWSE",
                    "password": "browse-secret", "description": "Browsing"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{account}");
    let id = account["id"].as_str().unwrap();
    let query = format!("accountId={id}&RegionType=USGovernment");
    let buckets = app
        .json(&format!("/v8/S3Resources/buckets?{query}"), "t")
        .await;
    assert_eq!(buckets.as_array().unwrap().len(), 3, "{buckets}");
    assert!(buckets.as_array().unwrap().iter().all(|bucket| {
        bucket["regionType"] == "USGovernment"
            && bucket["regionId"].as_str().unwrap().starts_with("us-gov-")
    }));
    let bucket = buckets[0]["name"].as_str().unwrap();
    let (status, created) = send(
        &app,
        Method::POST,
        &format!("/v8/S3Resources/buckets/{bucket}/folders?{query}"),
        Some(json!({"name": "GovCloud"})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert!(world_text(&app).await.contains("GovCloud"));
    let (status, body) = send(&app, Method::DELETE, &format!("/v8/Accounts/{id}"), None).await;
    assert_eq!(status, 204, "{body}");
    assert!(!world_text(&app).await.contains("GovCloud"));
}

#[tokio::test]
async fn refused_questions_are_the_versions_400_or_404_and_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let storages = storages_with_accounts(&app).await;
    let azure = storages
        .iter()
        .find(|storage| storage["type"] == "AzureBlob")
        .unwrap();
    let s3 = storages
        .iter()
        .find(|storage| storage["type"] == "AmazonS3Compatible")
        .unwrap();
    let (azure_collection, azure_query) = browser_of(azure);
    let (s3_collection, s3_query) = browser_of(s3);
    let azure_account = azure["accountId"].as_str().unwrap();
    let unknown = "00000000-0000-4000-8000-00000000b0b0";
    let before = world_text(&app).await;
    let questions = [
        (azure_collection.to_owned(), 400, "no parameters"),
        (
            format!("{azure_collection}?accountId={azure_account}"),
            400,
            "no region type",
        ),
        (
            format!("{azure_collection}?accountId=nonsense&RegionType=Global"),
            400,
            "a malformed account",
        ),
        (
            format!("{azure_collection}?accountId={azure_account}&RegionType=Mars"),
            400,
            "a region type Azure lacks",
        ),
        (
            format!("{azure_collection}?accountId={unknown}&RegionType=Global"),
            404,
            "an unknown account",
        ),
        (
            format!("/S3Resources/buckets?accountId={azure_account}&RegionType=Global"),
            400,
            "an Azure account on Amazon S3",
        ),
        (
            format!(
                "/S3Resources/buckets?accountId={azure_account}&RegionType=Global&RegionId=cn-north-1"
            ),
            400,
            "a region outside the region type",
        ),
        (
            format!("{s3_collection}?accountId={azure_account}"),
            400,
            "no service point",
        ),
        (
            format!("{azure_collection}/nothing-here?{azure_query}"),
            404,
            "an unknown container",
        ),
        (
            format!("{azure_collection}/nothing-here/folders?{azure_query}"),
            404,
            "folders of an unknown container",
        ),
        (
            format!("{s3_collection}/nothing-here/folders/Veeam?{s3_query}"),
            404,
            "a folder of an unknown bucket",
        ),
    ];
    for version in ["v6", "v7", "v8"] {
        for (path, expected, what) in &questions {
            let path = format!("/{version}{path}");
            let (status, body) = send(&app, Method::GET, &path, None).await;
            assert_eq!(status, *expected, "{what}: {path}: {body}");
            assert!(body["message"].is_string(), "{what}: {body}");
            if version == "v8" {
                let code = if *expected == 404 {
                    "ResourceNotFound"
                } else {
                    "ParameterValidationFailure"
                };
                assert_eq!(body["errorCode"], code, "{what}: {body}");
            }
        }
        let buckets = app
            .json(&format!("/{version}{s3_collection}?{s3_query}"), "t")
            .await;
        let bucket = buckets[0]["name"].as_str().unwrap();
        let folders = format!("/{version}{s3_collection}/{bucket}/folders");
        let missing = format!("{folders}/not-a-folder?{s3_query}");
        let (status, body) = send(&app, Method::GET, &missing, None).await;
        assert_eq!(status, 404, "{missing}: {body}");
        for (body, what) in [
            (json!({}), "no name"),
            (json!({"name": "  "}), "an empty name"),
            (json!({"name": "a/b"}), "a nested path"),
            (json!({"name": "Veeam"}), "a folder that exists"),
        ] {
            let (status, answer) = send(
                &app,
                Method::POST,
                &format!("{folders}?{s3_query}"),
                Some(body),
            )
            .await;
            assert_eq!(status, 400, "{version}: {what}: {answer}");
        }
        let (status, answer) = send(
            &app,
            Method::POST,
            &format!("{folders}?accountId={unknown}&ServicePoint=x&CustomRegionId=y"),
            Some(json!({"name": "Fresh"})),
        )
        .await;
        assert_eq!(status, 404, "{version}: an unknown account: {answer}");
    }
    let (status, body) = send(
        &app,
        Method::GET,
        &format!("/v5{azure_collection}?{azure_query}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "v5 has no browsers: {body}");
    assert_eq!(world_text(&app).await, before);
}

#[tokio::test]
async fn world_files_refuse_folders_of_no_account_or_named_twice() {
    let app = spawn_app_with(FROZEN).await;
    let mut world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    let account = world["cloudAccounts"][0]["id"].clone();
    let unknown = "00000000-0000-4000-8000-00000000f01d";
    for (folders, problem) in [
        (
            json!([{"accountId": unknown, "bucket": "b", "name": "F"}]),
            "bucketFolders[0].accountId: no cloud account with this id",
        ),
        (
            json!([{"accountId": account, "bucket": "b", "name": "a/b"}]),
            "bucketFolders[0].name: must not contain '/' or '\\'",
        ),
        (
            json!([{"accountId": account, "bucket": "b", "name": "F"},
                   {"accountId": account, "bucket": "B", "name": "f"}]),
            "bucketFolders[1]: the account's bucket has a folder of this name already",
        ),
    ] {
        world["bucketFolders"] = folders;
        let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(crate::helpers::problems(&body), [problem]);
    }
}

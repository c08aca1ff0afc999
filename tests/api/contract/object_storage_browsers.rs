//! The object storage browsers against the contract: every route of `/S3CompatibleResources`,
//! `/S3Resources` and `/AzureResources` with an account of their kind, what their links
//! lead to, and their refusals (no parameters, an unknown or a mismatched account, an
//! unknown bucket or folder, a folder twice). These routes need query parameters, so the
//! walk of every GET route passes them by and this check walks them.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Contract, call, write};
use crate::helpers::TestApp;

/// One browser: its collection as the contract writes it, the name of its buckets in the
/// folders' paths, the kind of account it takes and what else its query must say.
struct Browser {
    collection: &'static str,
    parent: &'static str,
    account_type: &'static str,
    user_name: &'static str,
    place: &'static str,
}

const BROWSERS: &[Browser] = &[
    Browser {
        collection: "/S3CompatibleResources/buckets",
        parent: "{bucketName}",
        account_type: "amazonS3CompatibleAccount",
        user_name: "MINIOCONTRACT",
        place: "ServicePoint=https%3A%2F%2Fminio.east.local%3A9000&CustomRegionId=us-east-1",
    },
    Browser {
        collection: "/S3Resources/buckets",
        parent: "{bucketName}",
        account_type: "amazonS3Account",
        user_name: "AKIABROWSER",
        place: "RegionType=Global",
    },
    Browser {
        collection: "/AzureResources/containers",
        parent: "{containerName}",
        account_type: "azureBlobAccount",
        user_name: "vb365browser",
        place: "RegionType=Global",
    },
];

fn first_name(listing: &Value) -> String {
    listing[0]["name"].as_str().unwrap().to_owned()
}

/// `GET path` (a path of the version with its query), checked against `template`.
async fn read(contract: &Contract, app: &TestApp, path: &str, template: &str) -> (u16, Value) {
    let v = contract.version;
    let (status, body) = call(app, Method::GET, path, "t").await;
    contract.check(&Method::GET, &format!("/{v}{template}"), status, &body);
    (status, body)
}

pub(super) async fn check_object_storage_browsers(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let mut accounts = Vec::new();
    for browser in BROWSERS {
        let (status, account) = write(
            contract,
            app,
            Method::POST,
            "/Accounts",
            "/Accounts",
            Some(
                &json!({"accountType": browser.account_type, "userName": browser.user_name,
                         "password": "browse", "description": "Browses buckets"}),
            ),
        )
        .await;
        assert_eq!(
            status, 201,
            "{v}: add a {} account: {account}",
            browser.account_type
        );
        accounts.push(account["id"].as_str().unwrap().to_owned());
    }
    let trust = if v == "v8" {
        "&trustServerCertificate=true"
    } else {
        ""
    };
    for (index, browser) in BROWSERS.iter().enumerate() {
        let account = &accounts[index];
        let other = &accounts[(index + 1) % accounts.len()];
        let query = format!("accountId={account}&{}{trust}", browser.place);
        check_browser(contract, app, browser, &query).await;

        let collection = browser.collection;
        let unknown = "00000000-0000-4000-8000-00000000c0c0";
        for (query, expected, what) in [
            (String::new(), 400, "no parameters"),
            (format!("accountId={account}"), 400, "the account alone"),
            (
                format!("accountId=nonsense&{}", browser.place),
                400,
                "a malformed account",
            ),
            (
                format!("accountId={unknown}&{}", browser.place),
                404,
                "an unknown account",
            ),
            (
                format!("accountId={other}&{}", browser.place),
                400,
                "an account of another kind",
            ),
        ] {
            let (status, body) = read(
                contract,
                app,
                &format!("/{v}{collection}?{query}"),
                collection,
            )
            .await;
            assert_eq!(status, expected, "{v}: {collection} with {what}: {body}");
        }
    }
}

/// Lists buckets and one by name, its folders and one by name, creates a folder (and is
/// refused it twice), follows every link; and the 404s of what is not there.
async fn check_browser(contract: &Contract, app: &TestApp, browser: &Browser, query: &str) {
    let v = contract.version;
    let collection = browser.collection;
    let bucket_t = format!("{collection}/{{Name}}");
    let folders_t = format!("{collection}/{}/folders", browser.parent);
    let folder_t = format!("{folders_t}/{{Name}}");

    let (status, buckets) = read(
        contract,
        app,
        &format!("/{v}{collection}?{query}"),
        collection,
    )
    .await;
    assert_eq!(status, 200, "{v}: {collection}: {buckets}");
    let bucket = first_name(&buckets);
    let (status, named) = read(
        contract,
        app,
        &format!("/{v}{collection}?{query}&Name={bucket}"),
        collection,
    )
    .await;
    assert_eq!(
        (status, named.as_array().unwrap().len()),
        (200, 1),
        "{named}"
    );
    let bucket_path = format!("/{v}{collection}/{bucket}");
    let (status, one) = read(contract, app, &format!("{bucket_path}?{query}"), &bucket_t).await;
    assert_eq!((status, &one), (200, &buckets[0]), "{v}: {bucket_path}");
    let (status, body) = read(
        contract,
        app,
        &format!("/{v}{collection}/no-such-bucket?{query}"),
        &bucket_t,
    )
    .await;
    assert_eq!(status, 404, "{v}: an unknown bucket: {body}");

    let (status, folders) = read(
        contract,
        app,
        &format!("{bucket_path}/folders?{query}"),
        &folders_t,
    )
    .await;
    assert_eq!(status, 200, "{v}: {folders}");
    let folder = first_name(&folders);
    let (status, one) = read(
        contract,
        app,
        &format!("{bucket_path}/folders/{folder}?{query}"),
        &folder_t,
    )
    .await;
    assert_eq!((status, &one), (200, &folders[0]), "{v}: a folder by name");
    for path in [
        format!("{bucket_path}/folders/no-such-folder?{query}"),
        format!("/{v}{collection}/no-such-bucket/folders?{query}"),
    ] {
        let template = if path.contains("no-such-folder") {
            &folder_t
        } else {
            &folders_t
        };
        let (status, body) = read(contract, app, &path, template).await;
        assert_eq!(status, 404, "{v}: {path}: {body}");
    }

    let created = if v == "v8" { 201 } else { 200 };
    let new_folder = json!({"name": format!("Contract {v}")});
    for (bucket, expected, what) in [
        (bucket.as_str(), created, "a new folder"),
        (bucket.as_str(), 400, "the same folder twice"),
        ("no-such-bucket", 404, "a folder in an unknown bucket"),
    ] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("{collection}/{bucket}/folders?{query}"),
            &folders_t,
            Some(&new_folder),
        )
        .await;
        assert_eq!(status, expected, "{v}: {what}: {body}");
    }

    for (entry, template) in [(&buckets[0], &bucket_t), (&folders[0], &folder_t)] {
        let (status, body) = read(
            contract,
            app,
            entry["_links"]["self"]["href"].as_str().unwrap(),
            template,
        )
        .await;
        assert_eq!((status, &body), (200, entry), "{v}: a self link");
        let account = entry["_links"]["account"]["href"].as_str().unwrap();
        let (status, body) = read(contract, app, account, "/Accounts/{accountId}").await;
        assert_eq!(status, 200, "{v}: {account}: {body}");
    }
}

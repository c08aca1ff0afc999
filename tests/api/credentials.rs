//! Encryption keys and cloud accounts as a provisioning tool uses them: added, read back
//! without their secrets, edited, used by repositories and object storage (and then kept),
//! removed; and the writes the service refuses.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, SEED_ORGANIZATION, TestApp, send, spawn_app_with, world_text};

fn entries(listing: &Value) -> Vec<Value> {
    listing
        .get("results")
        .unwrap_or(listing)
        .as_array()
        .unwrap()
        .clone()
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// fabrikam's repository: it keeps its data in S3-compatible object storage.
async fn fabrikam_repository(app: &TestApp) -> Value {
    entries(&app.json("/v7/BackupRepositories", "t").await)
        .into_iter()
        .find(|repository| repository["name"] == "fabrikam repository")
        .unwrap()
}

#[tokio::test]
async fn a_key_encrypts_a_repository_and_stays_while_it_does() {
    let app = spawn_app_with(FROZEN).await;
    let keys = app.json("/v6/EncryptionKeys", "t").await;
    assert_eq!(
        keys,
        json!([{"id": keys[0]["id"], "description": "Archive encryption",
                "_links": {"self": {"href": format!("/v6/EncryptionKeys/{}", id(&keys[0]))}}}])
    );
    let (status, key) = send(
        &app,
        Method::POST,
        "/v6/EncryptionKeys",
        Some(json!({"password": "Pa$$w0rd-123", "description": "Fabrikam"})),
    )
    .await;
    assert_eq!(status, 200, "{key}");
    let key_id = id(&key);
    assert_eq!(key["description"], "Fabrikam");
    assert_eq!(
        app.json(&format!("/v6/EncryptionKeys/{key_id}"), "t").await,
        key
    );
    let hinted = app
        .json("/v6/EncryptionKeys?description=fabrikam", "t")
        .await;
    assert_eq!(
        entries(&hinted).iter().map(id).collect::<Vec<_>>(),
        std::slice::from_ref(&key_id)
    );

    // v6 edits the hint, and the password for one who knows the old one.
    let (status, refusal) = send(
        &app,
        Method::PUT,
        &format!("/v6/EncryptionKeys/{key_id}"),
        Some(json!({"oldPassword": "wrong", "newPassword": "N3w-pass"})),
    )
    .await;
    assert_eq!(status, 400, "{refusal}");
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v6/EncryptionKeys/{key_id}"),
        Some(json!({"oldpassword": "Pa$$w0rd-123", "newpassword": "N3w-pass", "description": "Fabrikam 2"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.json(&format!("/v6/EncryptionKeys/{key_id}"), "t").await["description"],
        "Fabrikam 2"
    );
    assert_eq!(
        app.get(&format!("/v7/EncryptionKeys/{key_id}"), Some("t"))
            .await
            .status(),
        200
    );
    let edit = app
        .client
        .put(app.url(&format!("/v7/EncryptionKeys/{key_id}")))
        .bearer_auth("t")
        .json(&json!({"description": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 405, "v7 documents no edit of a key");

    let repository = fabrikam_repository(&app).await;
    let repository_id = id(&repository);
    assert_eq!(repository["objectStorageEncryptionEnabled"], false);
    assert_eq!(repository["encryptionKeyId"], Value::Null);
    let (status, answer) = send(
        &app,
        Method::PUT,
        &format!("/v7/BackupRepositories/{repository_id}"),
        Some(json!({"objectStorageEncryptionEnabled": true, "encryptionKeyId": key_id})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let encrypted = app
        .json(&format!("/v7/BackupRepositories/{repository_id}"), "t")
        .await;
    assert_eq!(encrypted["objectStorageEncryptionEnabled"], true);
    assert_eq!(encrypted["encryptionKeyId"], key_id.as_str());
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v6/EncryptionKeys/{key_id}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("fabrikam repository"),
        "{refusal}"
    );
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v7/BackupRepositories/{repository_id}"),
        Some(json!({"objectStorageEncryptionEnabled": false})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v6/EncryptionKeys/{key_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v6/EncryptionKeys/{key_id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);

    let text = world_text(&app).await;
    for body in [
        app.json("/v6/EncryptionKeys", "t").await,
        app.json("/v8/EncryptionKeys", "t").await,
    ] {
        assert!(
            !body.to_string().contains("assword\""),
            "no password is served: {body}"
        );
    }
    assert!(
        !text.contains("Pa$$w0rd-123"),
        "a removed key's password is gone"
    );
}

#[tokio::test]
async fn keys_of_v8_belong_to_organizations_and_refused_writes_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let (status, key) = send(
        &app,
        Method::POST,
        "/v8/EncryptionKeys",
        Some(json!({"password": "s3cret", "description": "East", "organizationId": SEED_ORGANIZATION})),
    )
    .await;
    assert_eq!(status, 201, "{key}");
    assert_eq!(key["organizationId"], SEED_ORGANIZATION);
    let mine = app
        .json(
            &format!("/v8/EncryptionKeys?organizationId={SEED_ORGANIZATION}"),
            "t",
        )
        .await;
    assert_eq!(
        entries(&mine).iter().map(id).collect::<Vec<_>>(),
        [id(&key)]
    );
    let before = world_text(&app).await;
    let unknown = "00000000-0000-0000-0000-0000000000d1";
    let local = entries(&app.json("/v7/BackupRepositories", "t").await)
        .into_iter()
        .find(|repository| repository["objectStorageId"].is_null())
        .unwrap();
    let cases = [
        (
            Method::POST,
            "/v8/EncryptionKeys".to_owned(),
            json!({"description": "no password"}),
            400,
        ),
        (
            Method::POST,
            "/v8/EncryptionKeys".to_owned(),
            json!({"password": "x", "organizationId": unknown}),
            404,
        ),
        (
            Method::PUT,
            format!("/v7/BackupRepositories/{}", id(&local)),
            json!({"encryptionKeyId": id(&key)}),
            400,
        ),
        (
            Method::PUT,
            format!("/v7/BackupRepositories/{}", id(&local)),
            json!({"encryptionKeyId": unknown}),
            404,
        ),
        (
            Method::PUT,
            format!(
                "/v7/BackupRepositories/{}",
                id(&fabrikam_repository(&app).await)
            ),
            json!({"objectStorageEncryptionEnabled": true}),
            400,
        ),
    ];
    for (method, path, body, expected) in cases {
        let (status, answer) = send(&app, method, &path, Some(body.clone())).await;
        assert_eq!(status, expected, "{path} {body}: {answer}");
    }
    assert_eq!(world_text(&app).await, before);
}

#[tokio::test]
async fn cloud_accounts_are_added_edited_and_removed_unless_object_storage_signs_in_with_them() {
    let app = spawn_app_with(FROZEN).await;
    let accounts = entries(&app.json("/v7/Accounts", "t").await);
    assert_eq!(
        accounts.len(),
        4,
        "one for each object storage of the example world"
    );
    let azure = entries(
        &app.json("/v7/Accounts?accountType=azureBlobAccount", "t")
            .await,
    );
    assert_eq!(azure.len(), 2);
    assert!(
        azure
            .iter()
            .all(|account| account["accountType"] == "azureBlobAccount")
    );
    let keys = entries(&app.json("/v7/Accounts?name=AKIA*", "t").await);
    assert_eq!(keys.len(), 2);
    assert_eq!(
        app.get("/v7/Accounts?accountType=google", Some("t"))
            .await
            .status(),
        400
    );
    let storages = app.json("/v7/objectstoragerepositories", "t").await;
    let in_use = storages[0]["accountId"].as_str().unwrap().to_owned();

    let (status, account) = send(
        &app,
        Method::POST,
        "/v7/Accounts",
        Some(
            json!({"accountType": "azureBlobAccount", "userName": "contosoarchive",
                    "password": "key==", "description": "Contoso's storage account"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{account}");
    let account_id = id(&account);
    assert_eq!(
        account,
        json!({"accountType": "azureBlobAccount", "userName": "contosoarchive", "id": account_id,
               "description": "Contoso's storage account",
               "_links": {"self": {"href": format!("/v7/Accounts/{account_id}")}}})
    );
    let v8 = app.json(&format!("/v8/Accounts/{account_id}"), "t").await;
    assert_eq!(v8["organizationId"], Value::Null);

    let before = world_text(&app).await;
    let refusals = [
        (
            Method::POST,
            "/v7/Accounts".to_owned(),
            json!({"accountType": "azureBlobAccount", "userName": "contosoarchive", "password": "x"}),
        ),
        (
            Method::POST,
            "/v7/Accounts".to_owned(),
            json!({"accountType": "azureBlobAccount", "userName": "ContosoArchive", "password": "x"}),
        ),
        (
            Method::POST,
            "/v7/Accounts".to_owned(),
            json!({"userName": "x", "password": "x"}),
        ),
        (
            Method::POST,
            "/v7/Accounts".to_owned(),
            json!({"accountType": "amazonS3Account", "userName": "AKIA0"}),
        ),
        (
            Method::PUT,
            format!("/v7/Accounts/{account_id}"),
            json!({"oldPassword": "wrong", "newPassword": "y"}),
        ),
        (
            Method::PUT,
            format!("/v7/Accounts/{account_id}"),
            json!({"accountType": "amazonS3Account"}),
        ),
    ];
    for (method, path, body) in refusals {
        let (status, answer) = send(&app, method, &path, Some(body.clone())).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
    }
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v7/Accounts/{in_use}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("Wasabi backups"),
        "{refusal}"
    );
    assert_eq!(
        world_text(&app).await,
        before,
        "the refusals changed nothing"
    );

    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v7/Accounts/{account_id}"),
        Some(json!({"oldPassword": "key==", "newPassword": "key2==", "description": "Renamed"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v8/Accounts/{account_id}"),
        Some(json!({"password": "key3==", "organizationId": SEED_ORGANIZATION})),
    )
    .await;
    assert_eq!(status, 204);
    let edited = app.json(&format!("/v8/Accounts/{account_id}"), "t").await;
    assert_eq!(
        (&edited["description"], &edited["organizationId"]),
        (&json!("Renamed"), &json!(SEED_ORGANIZATION))
    );
    let mine = app
        .json(
            &format!("/v8/Accounts?organizationId={SEED_ORGANIZATION}"),
            "t",
        )
        .await;
    assert_eq!(entries(&mine).len(), 1);
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v7/Accounts/{account_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/v7/Accounts/{account_id}"), Some("t"))
            .await
            .status(),
        404
    );
}

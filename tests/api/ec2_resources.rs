//! Amazon EC2 as a proxy-placing client browses it: an Amazon account from the world file
//! lists instance types, VPCs, subnets and security groups, the same for the same world and
//! other in another region; unknown or mismatched accounts are refused, and the account's
//! secret is kept through an export but answered nowhere.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, TestApp, reload_exported_world, rewrite_world, send, spawn_app_with, world_text,
};

const AMAZON: &str = "5e5e5e5e-0000-4000-8000-00000000005e";
const AZURE: &str = "6a6a6a6a-0000-4000-8000-00000000006a";

async fn app_with_accounts() -> TestApp {
    let app = spawn_app_with(FROZEN).await;
    rewrite_world(&app, |world| {
        let accounts = world["cloudAccounts"].as_array_mut().unwrap();
        accounts.push(json!({"id": AMAZON, "accountType": "amazonS3Account",
            "userName": "AKIAVBO", "description": "Proxies", "password": "wJalrXUtnFEMI-secret"}));
        accounts.push(json!({"id": AZURE, "accountType": "azureBlobAccount",
            "userName": "vboblobs", "password": "azure-secret"}));
    })
    .await;
    app
}

/// VPCs, then the subnets and security groups of each, in `region`.
async fn networks(app: &TestApp, region: &str) -> Vec<Value> {
    let scope = format!("accountId={AMAZON}&regionId={region}");
    let vpcs = app
        .json(
            &format!("/v7/EC2Resources/VirtualPrivateCloud?{scope}"),
            "t",
        )
        .await;
    let mut seen = vec![vpcs.clone()];
    for vpc in vpcs.as_array().unwrap() {
        let id = vpc["id"].as_str().unwrap();
        for part in ["Subnets", "SecurityGroup"] {
            let path = format!("/v7/EC2Resources/VirtualPrivateCloud/{id}/{part}?{scope}");
            seen.push(app.json(&path, "t").await);
        }
    }
    seen
}

#[tokio::test]
async fn an_amazon_account_sees_the_same_networks_in_the_same_world_and_region() {
    let app = app_with_accounts().await;
    let ireland = networks(&app, "eu-west-1").await;
    assert_eq!(ireland[0].as_array().unwrap().len(), 2, "{:?}", ireland[0]);
    assert!(ireland[0][0]["id"].as_str().unwrap().starts_with("vpc-"));
    assert!(ireland[1][0]["id"].as_str().unwrap().starts_with("subnet-"));
    assert_eq!(ireland[2][1]["name"], "veeam-proxy");
    assert_eq!(networks(&app, "eu-west-1").await, ireland);
    assert_eq!(
        networks(&app_with_accounts().await, "eu-west-1").await,
        ireland
    );
    assert_ne!(networks(&app, "us-east-1").await[0], ireland[0]);

    let scope = format!("accountId={AMAZON}&regionId=eu-west-1");
    let vpc = ireland[0][0]["id"].as_str().unwrap();
    let named = app
        .json(
            &format!(
                "/v7/EC2Resources/VirtualPrivateCloud/{vpc}/SecurityGroup/VEEAM-PROXY?{scope}"
            ),
            "t",
        )
        .await;
    assert_eq!(named, ireland[2][1]);
    let types = app
        .json(
            &format!("/v8/EC2Resources/InstanceType/m5.xlarge?{scope}"),
            "t",
        )
        .await;
    assert_eq!(
        types,
        json!([{"type": "m5.xlarge", "cores": 4, "memory": 16_u64 << 30}])
    );
}

#[tokio::test]
async fn ec2_questions_with_the_wrong_account_are_refused() {
    let app = app_with_accounts().await;
    let before = world_text(&app).await;
    for (query, expected) in [
        (format!("accountId={AZURE}&regionId=eu-west-1"), 400),
        (
            "accountId=00000000-0000-4000-8000-000000000001&regionId=eu-west-1".to_owned(),
            404,
        ),
        ("regionId=eu-west-1".to_owned(), 400),
        (format!("accountId={AMAZON}&regionId=eu-west-9"), 400),
    ] {
        let path = format!("/v6/EC2Resources/InstanceType?{query}");
        let (status, body) = send(&app, Method::GET, &path, None).await;
        assert_eq!(status, expected, "{path}: {body}");
        assert!(body["message"].is_string(), "{body}");
    }
    let (status, body) = send(&app, Method::GET, "/v5/EC2Resources/InstanceType", None).await;
    assert_eq!(status, 404, "v5 has no EC2 resources: {body}");
    assert_eq!(world_text(&app).await, before);
}

#[tokio::test]
async fn cloud_account_secrets_survive_an_export_but_are_never_answered() {
    let app = app_with_accounts().await;
    let exported = reload_exported_world(&app).await;
    assert!(exported.contains("wJalrXUtnFEMI-secret"));
    assert_eq!(world_text(&app).await, exported);
    let (status, storage) = send(
        &app,
        Method::POST,
        "/v7/objectstoragerepositories",
        Some(
            json!({"name": "With account", "type": "AzureBlob", "accountId": AZURE,
                    "azureContainer": {"name": "vbo"}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{storage}");
    let answers = [
        storage.to_string(),
        networks(&app, "eu-west-1").await[0].to_string(),
    ];
    for answer in answers {
        assert!(!answer.contains("secret"), "{answer}");
    }
}

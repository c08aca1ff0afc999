//! Azure service accounts, device codes and an organization's backup applications as a provisioning tool uses them: signed in with a device code, read back without secrets, browsed down to subnets, edited and removed; codes that expire; the refusals; and world files that keep it all.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, rewrite_world, send, spawn_app_with, world_text,
};

const EXAMPLE_ACCOUNT: &str = "6e0f3b52-8d47-4a19-b2c6-1f9e7a3d5c80";
const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000b3";

async fn azure_device_code(app: &TestApp) -> String {
    let (status, code) = send(
        app,
        Method::POST,
        "/v7/AzureServiceAccounts/DeviceCode",
        Some(json!({"azureEnvironment": "Global", "azureTenantId": "contoso.onmicrosoft.com"})),
    )
    .await;
    assert_eq!(status, 200, "{code}");
    assert_eq!(code["verificationUri"], "https://microsoft.com/devicelogin");
    let user_code = code["userCode"].as_str().unwrap().to_owned();
    assert!(code["message"].as_str().unwrap().contains(&user_code));
    user_code
}

fn ids(listing: &Value) -> Vec<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|account| account["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_account_signed_in_with_a_device_code_is_kept_until_removed() {
    let app = spawn_app_with(FROZEN).await;
    assert_eq!(
        ids(&app.json("/v7/AzureServiceAccounts", "t").await),
        [EXAMPLE_ACCOUNT]
    );
    let user_code = azure_device_code(&app).await;
    let (status, account) = send(
        &app,
        Method::POST,
        "/v7/AzureServiceAccounts",
        Some(
            json!({"applicationName": "vb365-archiver-west", "description": "West",
                    "azureTenantId": "contoso.onmicrosoft.com", "userCode": user_code}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{account}");
    let id = account["id"].as_str().unwrap().to_owned();
    assert_eq!(account["type"], "Azure");
    assert_eq!(account["azureEnvironment"], "Global");
    assert_eq!(account["lastModified"], "2017-04-04T09:00:00Z");
    assert_eq!(
        app.json(&format!("/v8/AzureServiceAccounts/{id}"), "t")
            .await,
        account
    );
    assert_eq!(
        ids(&app
            .json("/v6/AzureServiceAccounts?description=we*", "t")
            .await),
        std::slice::from_ref(&id)
    );

    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v7/AzureServiceAccounts/{id}"),
        Some(json!({"description": "West Europe archivers", "applicationSecret": "n3w-secret"})),
    )
    .await;
    assert_eq!(status, 204);
    let edited = app
        .json(&format!("/v7/AzureServiceAccounts/{id}"), "t")
        .await;
    assert_eq!(edited["description"], "West Europe archivers");
    assert!(
        !app.json("/v7/AzureServiceAccounts", "t")
            .await
            .to_string()
            .contains("secret\""),
        "no secret is served"
    );
    assert!(
        world_text(&app).await.contains("n3w-secret"),
        "the world file keeps it"
    );

    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v7/AzureServiceAccounts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    for (version, keys) in [
        ("v6", vec!["message"]),
        ("v8", vec!["errorCode", "message", "stackTrace"]),
    ] {
        let (status, error) = send(
            &app,
            Method::GET,
            &format!("/{version}/AzureServiceAccounts/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 404, "{error}");
        let mut found: Vec<&str> = error
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        found.sort_unstable();
        assert_eq!(found, keys, "{version}: {error}");
        assert!(error["message"].as_str().unwrap().contains(&id));
    }
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v6/AzureServiceAccounts/{EXAMPLE_ACCOUNT}"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{refusal}");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("Azure archive"),
        "{refusal}"
    );
    let archives = app
        .json("/v7/objectstoragerepositories?longTerm=true", "t")
        .await;
    let azure = archives
        .as_array()
        .unwrap()
        .iter()
        .find(|storage| storage["type"] == "AzureBlobArchive")
        .unwrap();
    assert_eq!(
        azure["azureServiceAccount"]["id"], EXAMPLE_ACCOUNT,
        "{azure}"
    );
    assert_eq!(azure["useArchiverAppliance"], true);
    let (status, error) = send(&app, Method::GET, "/v8/AzureServiceAccounts/nope", None).await;
    assert_eq!(status, 400, "{error}");
    let (status, error) = send(
        &app,
        Method::PUT,
        &format!("/v8/AzureServiceAccounts/{UNKNOWN}"),
        Some(json!({"description": "nobody"})),
    )
    .await;
    assert_eq!(status, 404, "{error}");
}

#[tokio::test]
async fn an_expired_or_unknown_device_code_is_refused_and_changes_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let user_code = azure_device_code(&app).await;
    let (status, checked) = send(
        &app,
        Method::POST,
        "/v7/DeviceCode/check",
        Some(json!({"userCode": user_code})),
    )
    .await;
    assert_eq!((status, &checked["authenticated"]), (200, &json!(true)));
    let (status, refusal) = send(
        &app,
        Method::POST,
        "/v7/AzureServiceAccounts/DeviceCode",
        Some(json!({"azureEnvironment": "Mars"})),
    )
    .await;
    assert_eq!(status, 400, "a cloud the contract does not name: {refusal}");
    advance(&app, 901.0).await;
    let before = world_text(&app).await;
    for code in [user_code.as_str(), "ABCD-1234"] {
        let (status, refusal) = send(
            &app,
            Method::POST,
            "/v8/AzureServiceAccounts",
            Some(
                json!({"applicationName": "late", "azureTenantId": "contoso.onmicrosoft.com",
                        "userCode": code}),
            ),
        )
        .await;
        assert_eq!(status, 400, "{code}: {refusal}");
        assert!(refusal["message"].as_str().unwrap().contains(code));
        let (status, refusal) = send(
            &app,
            Method::POST,
            &format!("/v8/Organizations/{SEED_ORGANIZATION}/Applications"),
            Some(json!({"displayName": "late", "userCode": code})),
        )
        .await;
        assert_eq!(status, 400, "{code}: {refusal}");
    }
    let (status, checked) = send(
        &app,
        Method::POST,
        "/v7/DeviceCode/check",
        Some(json!({"userCode": user_code})),
    )
    .await;
    assert_eq!((status, &checked["authenticated"]), (200, &json!(false)));
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v8/AzureServiceAccounts/{EXAMPLE_ACCOUNT}"),
        Some(json!({"description": "changed", "subscriptionIds": ["", "x"]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes change nothing"
    );
}

#[tokio::test]
async fn an_account_sees_the_same_azure_for_the_same_seed() {
    let first = spawn_app_with(FROZEN).await;
    let second = spawn_app_with(FROZEN).await;
    let base = format!("/v8/AzureServiceAccounts/{EXAMPLE_ACCOUNT}/Subscriptions");
    let subscriptions = first.json(&base, "t").await;
    assert_eq!(subscriptions, second.json(&base, "t").await);
    assert_eq!(subscriptions.as_array().unwrap().len(), 2);
    let subscription = subscriptions[0]["subscriptionId"].as_str().unwrap();
    let locations = first
        .json(&format!("{base}/{subscription}/Locations"), "t")
        .await;
    assert!(
        locations.as_array().unwrap().iter().any(
            |location| location == &json!({"name": "westeurope", "displayName": "West Europe"})
        )
    );
    let size = first
        .json(
            &format!(
                "{base}/{subscription}/Locations/WestEurope/VirtualMachineSizes/standard_d2s_v3"
            ),
            "t",
        )
        .await;
    assert_eq!(size["name"], "Standard_D2s_v3");
    assert_eq!(size["coresCount"], "2");
    assert_eq!(size["memoryMB"], 8192);

    let groups = first
        .json(&format!("{base}/{subscription}/ResourceGroups"), "t")
        .await;
    let group = &groups[0];
    let in_region = first
        .json(
            &format!(
                "{base}/{subscription}/ResourceGroups?locationName={}",
                group["location"].as_str().unwrap()
            ),
            "t",
        )
        .await;
    assert!(in_region.as_array().unwrap().contains(group));
    let group_name = group["name"].as_str().unwrap();
    let networks = first
        .json(
            &format!("{base}/{subscription}/ResourceGroups/{group_name}/VirtualNetworks"),
            "t",
        )
        .await;
    let network = &networks[0];
    assert_eq!(network["location"], group["location"]);
    assert!(network["id"].as_str().unwrap().ends_with(&format!(
        "/resourceGroups/{group_name}/providers/Microsoft.Network/virtualNetworks/{}",
        network["name"].as_str().unwrap()
    )));
    let space = network["addressSpaces"][0].as_str().unwrap();
    let subnets = first
        .json(
            &format!(
                "{base}/{subscription}/ResourceGroups/{group_name}/VirtualNetworks/{}/Subnets",
                network["name"].as_str().unwrap()
            ),
            "t",
        )
        .await;
    let prefix = space.trim_end_matches(".0.0/16");
    assert!(
        subnets
            .as_array()
            .unwrap()
            .iter()
            .all(|subnet| subnet["addressPrefix"]
                .as_str()
                .unwrap()
                .starts_with(prefix)),
        "{space}: {subnets}"
    );
    let (status, _) = send(
        &first,
        Method::GET,
        &format!("{base}/not-a-subscription/Locations"),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn backup_applications_come_from_the_tenant_and_survive_export_and_import() {
    let app = spawn_app_with(FROZEN).await;
    let organization = format!("/v8/Organizations/{SEED_ORGANIZATION}");
    let none = app
        .json(&format!("{organization}/BackupApplications"), "t")
        .await;
    assert_eq!(none["results"], json!([]), "{none}");
    let tenant = app.json(&format!("{organization}/Applications"), "t").await;
    let own = app.json(&organization, "t").await;
    assert_eq!(
        tenant["results"][0]["applicationId"], own["exchangeOnlineSettings"]["applicationId"],
        "the tenant has the application the organization signs in with"
    );

    let (status, code) = send(
        &app,
        Method::POST,
        &format!("{organization}/DeviceCode"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{code}");
    let (status, created) = send(
        &app,
        Method::POST,
        &format!("{organization}/Applications"),
        Some(json!({"displayName": "vb365-extra", "userCode": code["userCode"]})),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let created_id = created["results"][0]["applicationId"].clone();
    let tagged = app
        .json(
            &format!("{organization}/Applications?displayName=VB365-EXTRA"),
            "t",
        )
        .await;
    assert_eq!(tagged["results"][0]["applicationId"], created_id);

    let (status, added) = send(
        &app,
        Method::POST,
        &format!("{organization}/BackupApplications"),
        Some(json!([{"application": {"applicationId": created_id},
                     "applicationCertificate": "MIIBCgKCAQEAwqE=", "applicationCertificatePassword": "pfx-secret"}])),
    )
    .await;
    assert_eq!(status, 204, "{added}");
    let users = app
        .json(&format!("{organization}/Users?limit=1"), "t")
        .await;
    let login = users["results"][0]["name"].as_str().unwrap().to_owned();
    let (status, pool) = send(
        &app,
        Method::PUT,
        &format!("/v6/Organizations/{SEED_ORGANIZATION}/BackupAccounts"),
        Some(json!([{"groupMember": {"login": login.to_uppercase()}, "password": "Backup-pass"}])),
    )
    .await;
    assert_eq!(status, 200, "{pool}");
    assert_eq!(
        pool["_links"]["self"]["href"],
        format!("/v6/Organizations/{SEED_ORGANIZATION}/BackupAccounts")
    );
    let listing = app
        .json(&format!("{organization}/BackupApplications"), "t")
        .await;
    let thumbprint = listing["results"][0]["certificateThumbprint"].clone();
    assert_eq!(thumbprint.as_str().unwrap().len(), 40);
    assert!(!listing.to_string().contains("pfx-secret"));

    let exported = world_text(&app).await;
    assert!(
        exported.contains("pfx-secret"),
        "the world file keeps the password"
    );
    rewrite_world(&app, |_| {}).await;
    assert_eq!(
        world_text(&app).await,
        exported,
        "export, import, export gives the same file"
    );
    assert_eq!(
        app.json(&format!("{organization}/BackupApplications"), "t")
            .await["results"],
        listing["results"]
    );
    let pool = app
        .json(&format!("{organization}/BackupAccounts"), "t")
        .await;
    assert_eq!(pool[0]["groupMember"]["login"], login.as_str());
    assert!(pool[0].get("password").is_none());
    assert!(exported.contains("Backup-pass"));

    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("{organization}/BackupApplications"),
        Some(json!([created_id])),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.json(&format!("{organization}/BackupApplications"), "t")
            .await["results"],
        json!([])
    );
}

#[tokio::test]
async fn a_world_file_whose_azure_references_name_nothing_is_refused() {
    let app = spawn_app_with(FROZEN).await;
    let exported: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    let organization = exported["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .position(|organization| organization["id"] == SEED_ORGANIZATION)
        .unwrap();
    let archive = exported["objectStorages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|storage| storage["azureServiceAccountId"] == EXAMPLE_ACCOUNT)
        .unwrap();
    for (edit, problem) in [
        (
            json!({"objectStorages": [archive, "azureServiceAccountId", UNKNOWN]}),
            format!(
                "objectStorages[{archive}].azureServiceAccountId: no Azure service account with this id"
            ),
        ),
        (
            json!({"organizations": [organization, "setup", {"backupAccounts": [{"userId": UNKNOWN, "password": "p"}]}]}),
            format!(
                "organizations[{organization}].setup.backupAccounts[0].userId: no user of this organization with this id"
            ),
        ),
        (
            json!({"organizations": [organization, "setup", {"backupApplications": [{"applicationId": UNKNOWN,
                "displayName": "x", "certificateThumbprint": "AB"}]}]}),
            format!(
                "organizations[{organization}].setup.backupApplications[0].applicationId: no application of the organization's tenant with this id"
            ),
        ),
    ] {
        let mut world = exported.clone();
        let (list, change) = edit.as_object().unwrap().iter().next().unwrap();
        let index = change[0].as_u64().unwrap() as usize;
        let key = change[1].as_str().unwrap();
        world[list][index][key] = change[2].clone();
        let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(crate::helpers::problems(&body), [problem.as_str()]);
    }
    assert_eq!(
        ids(&app.json("/v7/AzureServiceAccounts", "t").await),
        [EXAMPLE_ACCOUNT],
        "a refused world changes nothing"
    );
}

#[tokio::test]
async fn an_organization_added_with_a_device_code_needs_one_handed_out() {
    let app = spawn_app_with(FROZEN).await;
    let organization = |code: &str| {
        json!({"type": "Office365", "userCode": code,
               "exchangeOnlineSettings": {"account": "admin@newco.onmicrosoft.com",
                                          "officeOrganizationName": "newco.onmicrosoft.com"}})
    };
    let before = world_text(&app).await;
    let (status, refusal) = send(
        &app,
        Method::POST,
        "/v7/Organizations",
        Some(organization("NOPE-0000")),
    )
    .await;
    assert_eq!(status, 400, "{refusal}");
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused add changes nothing"
    );
    let (status, code) = send(
        &app,
        Method::POST,
        "/v7/DeviceCode",
        Some(json!({"targetRegion": "Worldwide"})),
    )
    .await;
    assert_eq!(status, 200, "{code}");
    assert_eq!(code["expiresIn"], 900);
    let user_code = code["userCode"].as_str().unwrap();
    let (status, added) = send(
        &app,
        Method::POST,
        "/v7/Organizations",
        Some(organization(user_code)),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["name"], "newco.onmicrosoft.com");
    let id = added["id"].as_str().unwrap();
    let (status, refusal) = send(
        &app,
        Method::PUT,
        &format!("/v7/Organizations/{id}"),
        Some(json!({"description": "again", "userCode": user_code})),
    )
    .await;
    assert_eq!(status, 400, "a device code signs in once: {refusal}");
}

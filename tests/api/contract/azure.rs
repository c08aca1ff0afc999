//! Azure service accounts and what they see of Azure, device codes, and an organization's backup accounts, backup applications and tenant applications, checked against the contract with good and bad input.

use reqwest::Method;
use serde_json::json;
use vb365_mock::wire::Version;

use super::{Contract, call, ids_of, write};
use crate::helpers::TestApp;

const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000a7";
/// The default world's account, which its Azure archive's appliance runs with.
const ARCHIVER_ACCOUNT: &str = "6e0f3b52-8d47-4a19-b2c6-1f9e7a3d5c80";
const CERTIFICATE: &str = "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES";

pub(super) async fn check_azure(contract: &Contract, app: &TestApp) {
    let account = check_service_accounts(contract, app).await;
    check_what_an_account_sees(contract, app, &account).await;
    let (status, _) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/AzureServiceAccounts/{account}"),
        "/AzureServiceAccounts/{id}",
        None,
    )
    .await;
    assert_eq!(
        status, 204,
        "{}: remove an Azure service account",
        contract.version
    );
    let (status, _) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/AzureServiceAccounts/{account}"),
        "/AzureServiceAccounts/{id}",
        None,
    )
    .await;
    assert_eq!(status, 404, "{}: remove it again", contract.version);
    check_backup_accounts(contract, app).await;
    check_applications(contract, app).await;
    check_restore_device_code(contract, app).await;
}

/// Adds accounts by device code and by secret, reads and edits them, and the refusals;
/// answers the id of one to browse Azure with.
async fn check_service_accounts(contract: &Contract, app: &TestApp) -> String {
    let v = contract.version;
    let (_, listing) = call(app, Method::GET, &format!("/{v}/AzureServiceAccounts"), "t").await;
    if ids_of(&listing).iter().any(|id| id == ARCHIVER_ACCOUNT) {
        let (status, refusal) = write(
            contract,
            app,
            Method::DELETE,
            &format!("/AzureServiceAccounts/{ARCHIVER_ACCOUNT}"),
            "/AzureServiceAccounts/{id}",
            None,
        )
        .await;
        assert_eq!(status, 400, "{v}: an account in use stays: {refusal}");
    }
    let (status, code) = write(
        contract,
        app,
        Method::POST,
        "/AzureServiceAccounts/DeviceCode",
        "/AzureServiceAccounts/DeviceCode",
        Some(&json!({"azureEnvironment": "Global", "azureTenantId": "contoso.onmicrosoft.com"})),
    )
    .await;
    assert_eq!(status, 200, "{v}: an Azure device code: {code}");
    let by_code = json!({"applicationName": "vb365-contract", "description": "By device code",
        "azureEnvironment": "Global", "azureTenantId": "contoso.onmicrosoft.com",
        "userCode": code["userCode"]});
    let (status, added) = write(
        contract,
        app,
        Method::POST,
        "/AzureServiceAccounts",
        "/AzureServiceAccounts",
        Some(&by_code),
    )
    .await;
    assert_eq!(status, 200, "{v}: add an account by device code: {added}");
    assert_eq!(added["displayName"], "vb365-contract");
    for (body, why) in [
        (by_code.clone(), "a device code signs in once"),
        (
            json!({"applicationId": "6a0f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b", "applicationSecret": "s"}),
            "no tenant",
        ),
        (
            json!({"azureTenantId": "contoso.onmicrosoft.com", "applicationSecret": "s"}),
            "no application and no device code",
        ),
        (
            json!({"azureTenantId": "t", "applicationId": "6a0f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b", "applicationCertificate": "%%%"}),
            "a certificate that is not Base64",
        ),
    ] {
        let (status, answer) = write(
            contract,
            app,
            Method::POST,
            "/AzureServiceAccounts",
            "/AzureServiceAccounts",
            Some(&body),
        )
        .await;
        assert_eq!(status, 400, "{v}: {why}: {answer}");
    }
    let (status, by_secret) = write(
        contract,
        app,
        Method::POST,
        "/AzureServiceAccounts",
        "/AzureServiceAccounts",
        Some(
            &json!({"applicationId": "6a0f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
            "azureTenantId": "fabrikam.onmicrosoft.com", "azureEnvironment": "China",
            "applicationSecret": "contract-secret", "subscriptionIds": ["sub-contract-1"]}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{v}: add an account by secret: {by_secret}");
    let id = by_secret["id"].as_str().unwrap().to_owned();
    let (status, listing) = write(
        contract,
        app,
        Method::GET,
        "/AzureServiceAccounts?displayName=vb365-contract",
        "/AzureServiceAccounts",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids_of(&listing), [added["id"].as_str().unwrap()]);
    for (path, expected) in [(id.as_str(), 200), (UNKNOWN, 404), ("not-a-guid", 400)] {
        let (status, body) = write(
            contract,
            app,
            Method::GET,
            &format!("/AzureServiceAccounts/{path}"),
            "/AzureServiceAccounts/{id}",
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: GET account {path}: {body}");
    }
    for (target, body, expected) in [
        (
            id.as_str(),
            json!({"description": "Edited", "subscriptionIds": ["sub-contract-1", "sub-contract-2"]}),
            204,
        ),
        (id.as_str(), json!({"userCode": "ZZZZ-ZZZZ"}), 400),
        (UNKNOWN, json!({"description": "nobody"}), 404),
    ] {
        let (status, answer) = write(
            contract,
            app,
            Method::PUT,
            &format!("/AzureServiceAccounts/{target}"),
            "/AzureServiceAccounts/{id}",
            Some(&body),
        )
        .await;
        assert_eq!(
            status, expected,
            "{v}: PUT account {target} {body}: {answer}"
        );
    }
    id
}

/// Every level under an account: lists, one of each, and a name that names nothing.
async fn check_what_an_account_sees(contract: &Contract, app: &TestApp, account: &str) {
    let v = contract.version;
    let mut path = format!("/AzureServiceAccounts/{account}");
    let mut template = "/AzureServiceAccounts/{serviceAccountId}".to_owned();
    for (collection, parameter, key) in [
        ("Subscriptions", "{subscriptionId}", "subscriptionId"),
        ("ResourceGroups", "{resourceGroupName}", "name"),
        ("VirtualNetworks", "{virtualNetworkName}", "name"),
        ("Subnets", "{subnetName}", "name"),
    ] {
        path = format!("{path}/{collection}");
        template = format!("{template}/{collection}");
        let (status, listing) = write(contract, app, Method::GET, &path, &template, None).await;
        assert_eq!(status, 200, "{v}: GET {path}: {listing}");
        let first = listing[0][key]
            .as_str()
            .unwrap_or_else(|| panic!("{v}: {path} lists nothing"));
        let (status, _) = write(
            contract,
            app,
            Method::GET,
            &format!("{path}/no-such-{key}"),
            &format!("{template}/{parameter}"),
            None,
        )
        .await;
        assert_eq!(status, 404, "{v}: an unknown entry of {path}");
        if collection == "Subscriptions" {
            let subscription = format!("{path}/{first}");
            check_locations(
                contract,
                app,
                &subscription,
                &format!("{template}/{parameter}"),
            )
            .await;
        }
        path = format!("{path}/{first}");
        template = format!("{template}/{parameter}");
        let (status, one) = write(contract, app, Method::GET, &path, &template, None).await;
        assert_eq!(status, 200, "{v}: GET {path}: {one}");
        assert_eq!(one, listing[0], "{v}: {path} is the listing's first");
    }
    let (status, _) = write(
        contract,
        app,
        Method::GET,
        &format!("/AzureServiceAccounts/{UNKNOWN}/Subscriptions"),
        "/AzureServiceAccounts/{serviceAccountId}/Subscriptions",
        None,
    )
    .await;
    assert_eq!(status, 404, "{v}: the subscriptions of an unknown account");
}

async fn check_locations(contract: &Contract, app: &TestApp, subscription: &str, template: &str) {
    let v = contract.version;
    let locations = format!("{subscription}/Locations");
    let template = format!("{template}/Locations");
    let (status, listing) = write(contract, app, Method::GET, &locations, &template, None).await;
    assert_eq!(status, 200, "{v}: {listing}");
    let location = listing[0]["name"].as_str().unwrap();
    let sizes = format!("{locations}/{location}/VirtualMachineSizes");
    let sizes_template = format!("{template}/{{locationName}}/VirtualMachineSizes");
    for (path, template, expected) in [
        (
            format!("{locations}/{location}"),
            format!("{template}/{{locationName}}"),
            200,
        ),
        (
            format!("{locations}/atlantis"),
            format!("{template}/{{locationName}}"),
            404,
        ),
        (sizes.clone(), sizes_template.clone(), 200),
        (
            format!("{sizes}/Standard_D2s_v3"),
            format!("{sizes_template}/{{vmSizeName}}"),
            200,
        ),
        (
            format!("{sizes}/Standard_Z99"),
            format!("{sizes_template}/{{vmSizeName}}"),
            404,
        ),
    ] {
        let (status, body) = write(contract, app, Method::GET, &path, &template, None).await;
        assert_eq!(status, expected, "{v}: GET {path}: {body}");
    }
}

/// The pool of backup accounts written with a user of the organization, read back, and
/// refused for a user it does not have.
async fn check_backup_accounts(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let (_, users) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Users?limit=1"),
        "t",
    )
    .await;
    let user = ids_of(&users)[0].clone();
    let path = format!("/Organizations/{organization}/BackupAccounts");
    let template = "/Organizations/{organizationId}/BackupAccounts";
    for (target, body, expected) in [
        (
            path.clone(),
            json!([{"groupMember": {"groupId": user}, "password": "Backup-1"}]),
            if version >= Version::V8 { 201 } else { 200 },
        ),
        (
            path.clone(),
            json!([{"groupMember": {"login": "nobody@nowhere.example"}, "password": "x"}]),
            400,
        ),
        (
            format!("/Organizations/{UNKNOWN}/BackupAccounts"),
            json!([]),
            404,
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::PUT, &target, template, Some(&body)).await;
        assert_eq!(status, expected, "{v}: PUT {target} {body}: {answer}");
    }
    let (status, pool) = write(contract, app, Method::GET, &path, template, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        pool[0]["groupMember"]["groupId"],
        user.as_str(),
        "{v}: {pool}"
    );
}

/// Applications created in the tenant with a device code, made backup applications, and
/// (v8) added and taken off one by one; the refusals.
async fn check_applications(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let base = format!("/Organizations/{organization}");
    let (status, code) = write(
        contract,
        app,
        Method::POST,
        &format!("{base}/DeviceCode"),
        "/Organizations/{organizationId}/DeviceCode",
        None,
    )
    .await;
    assert_eq!(status, 200, "{v}: an organization's device code: {code}");
    let (status, _) = write(
        contract,
        app,
        Method::POST,
        &format!("/Organizations/{UNKNOWN}/DeviceCode"),
        "/Organizations/{organizationId}/DeviceCode",
        None,
    )
    .await;
    assert_eq!(status, 404);
    let applications = format!("{base}/Applications");
    let applications_template = "/Organizations/{organizationId}/Applications";
    let new = json!({"displayName": "vb365-backup", "userCode": code["userCode"], "count": 2});
    let (status, created) = write(
        contract,
        app,
        Method::POST,
        &applications,
        applications_template,
        Some(&new),
    )
    .await;
    assert_eq!(status, 200, "{v}: create applications: {created}");
    let created: Vec<String> = created["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|application| application["applicationId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(created.len(), 2);
    let (status, _) = write(
        contract,
        app,
        Method::POST,
        &applications,
        applications_template,
        Some(&new),
    )
    .await;
    assert_eq!(status, 400, "{v}: a device code creates applications once");
    let (status, listing) = write(
        contract,
        app,
        Method::GET,
        &format!("{applications}?displayName=vb365-backup*"),
        applications_template,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        listing["results"].as_array().unwrap().len(),
        2,
        "{v}: {listing}"
    );

    let backup = format!("{base}/BackupApplications");
    let backup_template = "/Organizations/{organizationId}/BackupApplications";
    let entry = |id: &str| {
        json!({"application": {"applicationId": id, "displayName": "vb365-backup"},
               "applicationCertificate": CERTIFICATE, "applicationCertificatePassword": "pfx"})
    };
    let written = if version >= Version::V8 { 204 } else { 200 };
    for (body, expected) in [
        (json!([entry(&created[0])]), written),
        (json!([entry(UNKNOWN)]), 400),
        (json!([{"application": {"applicationId": created[1]}}]), 400),
    ] {
        let (status, answer) = write(
            contract,
            app,
            Method::PUT,
            &backup,
            backup_template,
            Some(&body),
        )
        .await;
        assert_eq!(
            status, expected,
            "{v}: PUT backup applications {body}: {answer}"
        );
    }
    if version.appends_backup_applications() {
        for (method, body, expected) in [
            (Method::POST, json!([entry(&created[1])]), 204),
            (Method::POST, json!([entry(&created[1])]), 400),
            (Method::DELETE, json!([created[1]]), 204),
            (Method::DELETE, json!([created[1]]), 400),
        ] {
            let (status, answer) = write(
                contract,
                app,
                method.clone(),
                &backup,
                backup_template,
                Some(&body),
            )
            .await;
            assert_eq!(
                status, expected,
                "{v}: {method} backup applications {body}: {answer}"
            );
        }
    }
    let (status, listing) = write(contract, app, Method::GET, &backup, backup_template, None).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = listing["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|application| application["applicationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [created[0].as_str()], "{v}: {listing}");
}

async fn check_restore_device_code(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let (_, sessions) = call(app, Method::GET, &format!("/{v}/RestoreSessions"), "t").await;
    let template = "/RestoreSessions/{restoreSessionId}/organization/restoreDeviceCode";
    let mut cases = vec![(
        UNKNOWN.to_owned(),
        json!({"targetRegion": "Worldwide"}),
        404,
    )];
    if let Some(session) = ids_of(&sessions).first() {
        cases.push((session.clone(), json!({"targetRegion": "Worldwide"}), 200));
        cases.push((
            session.clone(),
            json!({"targetApplicationId": "not-a-guid"}),
            400,
        ));
    }
    for (session, body, expected) in cases {
        let path = format!("/RestoreSessions/{session}/organization/restoreDeviceCode");
        let (status, answer) =
            write(contract, app, Method::POST, &path, template, Some(&body)).await;
        assert_eq!(
            status, expected,
            "{v}: restore device code {session} {body}: {answer}"
        );
    }
}

//! The license as an administrator and a service provider's billing meet it: installed
//! from a file, updated, set to update itself, expiring on the clock; license use and the
//! monthly report, approved; licensed users taken off it.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, send, spawn_app_with, world_text,
};

fn license_file(text: &str) -> Value {
    json!({"licenseFile": base64::engine::general_purpose::STANDARD.encode(text)})
}

async fn licensed_users_of(app: &TestApp, organization: &str) -> usize {
    app.json(
        &format!("/v6/LicensedUsers?organizationId={organization}&limit=1000"),
        "t",
    )
    .await["results"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_license_file_is_installed_read_in_every_dialect_and_expires_on_the_clock() {
    let app = spawn_app_with(FROZEN).await;
    let before = app.json("/v6/License", "t").await;
    assert_eq!(before["status"], "Valid");
    assert_eq!(before["totalNumber"], 1000);
    let (status, license) = send(
        &app,
        Method::POST,
        "/v6/License/Install",
        Some(license_file(
            "Veeam Backup for Microsoft 365 license\n\
             License ID=0f6d3c5e-7a41-4c1b-9b8e-2d4f6a8c0e13\n\
             Licensed to=Contoso Ltd\nEmail=billing@contoso.com\nContact person=Adele Vance\n\
             Type=Rental\nUsers=25\nExpiration date=2017-04-05\nSupport ID=09876543\n",
        )),
    )
    .await;
    assert_eq!(status, 200, "{license}");
    assert_eq!(
        license,
        json!({
            "licenseID": "0f6d3c5e-7a41-4c1b-9b8e-2d4f6a8c0e13",
            "email": "billing@contoso.com",
            "status": "Valid",
            "expirationDate": "2017-04-05T23:59:59Z",
            "type": "Rental",
            "licensedTo": "Contoso Ltd",
            "contactPerson": "Adele Vance",
            "totalNumber": 25,
            "usedNumber": before["usedNumber"],
            "newNumber": before["newNumber"],
            "supportID": "09876543",
            "supportExpirationDate": "2017-04-05T23:59:59Z",
        })
    );
    let v7 = app.json("/v7/License", "t").await;
    assert_eq!(
        (&v7["licenseExpires"], &v7["package"], &v7["type"]),
        (
            &json!("2017-04-05T23:59:59Z"),
            &json!("Backup"),
            &json!("Rental")
        )
    );
    let (status, updated) = send(&app, Method::POST, "/v8/License/Update", None).await;
    assert_eq!(
        (status, &updated["licensedTo"]),
        (200, &json!("Contoso Ltd"))
    );

    advance(&app, 2.0 * 86_400.0).await;
    assert_eq!(app.json("/v5/License", "t").await["status"], "Expired");
    let exported = world_text(&app).await;
    assert!(
        exported.contains("\"licensedTo\": \"Contoso Ltd\""),
        "a world file keeps the license"
    );

    let before = world_text(&app).await;
    for (body, words) in [
        (json!({"licenseFile": "***"}), "Base64"),
        (json!({}), "licenseFile"),
        (license_file("Users=10"), "Expiration date"),
        (license_file("Expiration date=2031-01-01"), "Users"),
        (
            license_file("Users=10\nExpiration date=2017-04-01"),
            "expired",
        ),
        (
            license_file("Users=10\nExpiration date=2031-01-01\nType=Perpetual"),
            "Type",
        ),
    ] {
        let (status, refusal) = send(
            &app,
            Method::POST,
            "/v7/License/Install",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 400, "{body}: {refusal}");
        assert!(
            refusal["message"].as_str().unwrap().contains(words),
            "{body}: {refusal}"
        );
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused install changes nothing"
    );
    assert_eq!(
        app.get("/v5/License/Install", Some("t")).await.status(),
        404
    );
}

#[tokio::test]
async fn the_license_updates_itself_when_told_to() {
    let app = spawn_app_with(FROZEN).await;
    let auto = app.json("/v6/License/AutoUpdate", "t").await;
    assert_eq!(
        auto,
        json!({"isEnabled": false, "_links": {"self": {"href": "/v6/License/AutoUpdate"}}, "_actions": {}})
    );
    let (status, _) = send(
        &app,
        Method::PUT,
        "/v6/License/AutoUpdate",
        Some(json!({"isEnabled": true})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.json("/v8/License/AutoUpdate", "t").await["isEnabled"],
        true
    );
    let (status, _) = send(
        &app,
        Method::PUT,
        "/v8/License/AutoUpdate",
        Some(json!({"isEnabled": false})),
    )
    .await;
    assert_eq!(status, 204);
    let (status, refusal) =
        send(&app, Method::PUT, "/v8/License/AutoUpdate", Some(json!({}))).await;
    assert_eq!(status, 400, "{refusal}");
    assert_eq!(
        app.json("/v7/License/AutoUpdate", "t").await["isEnabled"],
        false
    );
}

#[tokio::test]
async fn license_use_and_the_monthly_report_count_the_licensed_users_and_an_approval_removes_some()
{
    let app = spawn_app_with(FROZEN).await;
    let platform = app.json("/v7/licensing/statistic/platform", "t").await;
    let platform_id = platform["platforms"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(platform["platforms"][0]["name"], "Microsoft 365");
    assert_eq!(
        platform["platforms"][0]["types"][0]["groupId"],
        platform["groups"][0]["id"]
    );

    let usage = app.json("/v7/licensing/statistic/usage", "t").await;
    let organizations = usage["platformTypes"][0]["organizations"]
        .as_array()
        .unwrap();
    assert_eq!(
        organizations.len(),
        4,
        "every organization of the example world"
    );
    for organization in organizations {
        let id = organization["organizationId"].as_str().unwrap();
        assert_eq!(
            organization["usedObjectsCount"].as_u64().unwrap() as usize,
            licensed_users_of(&app, id).await
        );
        assert_eq!(
            organization["usedPoints"],
            organization["usedObjectsCount"].as_f64().unwrap()
        );
    }
    let east = app
        .json(
            &format!("/v8/licensing/statistic/usage?backedUpOrganizationId={SEED_ORGANIZATION}"),
            "t",
        )
        .await;
    let east = east["platformTypes"][0]["organizations"]
        .as_array()
        .unwrap();
    assert_eq!(east.len(), 1);
    assert_eq!(east[0]["organizationName"], "eastsupport.onmicrosoft.com");
    let other_platform = app
        .json(
            "/v7/licensing/statistic/usage?platformId=00000000-0000-0000-0000-0000000000e7",
            "t",
        )
        .await;
    assert_eq!(other_platform, json!({"platformTypes": []}));

    let report = app
        .json("/v7/licensing/statistic/reports/latest", "t")
        .await;
    let parameters = &report["reportParameters"];
    assert_eq!(parameters["reportID"], 201_703);
    assert_eq!(parameters["reportStatus"], "Draft");
    assert_eq!(parameters["reportGenerationDate"], "2017-04-01T00:00:00Z");
    assert_eq!(
        parameters["reportingInterval"],
        json!({"startOfInterval": "2017-03-01T00:00:00Z", "endOfInterval": "2017-03-31T23:59:59Z"})
    );
    let line = report["platformTypes"][0]["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["organizationId"] == SEED_ORGANIZATION)
        .unwrap()
        .clone();
    assert_eq!(line["reportedCount"], 3);

    let before = world_text(&app).await;
    let removal = |organization: &str, count: u32| {
        json!({"removedObjects": [{"backedUpOrganizationId": organization, "platformId": platform_id,
                                   "typeId": 1, "removedCount": count, "removalReason": "Left the company"}]})
    };
    for (path, body, expected) in [
        ("201702", removal(SEED_ORGANIZATION, 1), 404),
        ("201703", removal(SEED_ORGANIZATION, 4), 400),
        (
            "201703",
            removal("00000000-0000-0000-0000-0000000000e8", 1),
            400,
        ),
        ("nope", removal(SEED_ORGANIZATION, 1), 400),
    ] {
        let (status, answer) = send(
            &app,
            Method::POST,
            &format!("/v7/licensing/statistic/reports/{path}/approve"),
            Some(body),
        )
        .await;
        assert_eq!(status, expected, "{path}: {answer}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "refused approvals change nothing"
    );
    let (status, _) = send(
        &app,
        Method::POST,
        "/v7/licensing/statistic/reports/201703/approve",
        Some(removal(SEED_ORGANIZATION, 1)),
    )
    .await;
    assert_eq!(status, 200);
    let approved = app
        .json("/v8/licensing/statistic/reports/latest", "t")
        .await;
    assert_eq!(approved["reportParameters"]["reportStatus"], "Approved");
    let line = approved["platformTypes"][0]["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["organizationId"] == SEED_ORGANIZATION)
        .unwrap()
        .clone();
    assert_eq!(
        (
            &line["reportedCount"],
            &line["removedCount"],
            &line["removalReason"]
        ),
        (&json!(2), &json!(1), &json!("Left the company"))
    );
    let (status, _) = send(
        &app,
        Method::POST,
        "/v8/licensing/statistic/reports/201703/approve",
        Some(json!({"removedObjects": []})),
    )
    .await;
    assert_eq!(status, 400, "a report is approved once");
    assert_eq!(
        app.get("/v6/licensing/statistic/usage", Some("t"))
            .await
            .status(),
        404,
        "v7 on"
    );
}

#[tokio::test]
async fn a_licensed_user_taken_off_the_license_is_gone_from_its_use() {
    let app = spawn_app_with(FROZEN).await;
    let users = app
        .json(
            &format!("/v6/LicensedUsers?organizationId={SEED_ORGANIZATION}"),
            "t",
        )
        .await;
    let user = users["results"][0]["id"].as_str().unwrap().to_owned();
    let used = app.json("/v6/License", "t").await["usedNumber"]
        .as_u64()
        .unwrap();
    let licensing = format!("/v6/Organizations/{SEED_ORGANIZATION}/LicensingInformation");
    let before = app.json(&licensing, "t").await["licensedUsers"]
        .as_u64()
        .unwrap();

    let (status, body) = send(
        &app,
        Method::DELETE,
        &format!("/v8/LicensedUsers/{user}"),
        None,
    )
    .await;
    assert_eq!((status, &body), (204, &Value::Null));
    assert_eq!(licensed_users_of(&app, SEED_ORGANIZATION).await, 2);
    assert_eq!(app.json("/v6/License", "t").await["usedNumber"], used - 1);
    assert_eq!(app.json(&licensing, "t").await["licensedUsers"], before - 1);
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v8/LicensedUsers/{user}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(refusal["errorCode"], "ResourceNotFound");
    let (status, _) = send(&app, Method::DELETE, "/v6/LicensedUsers/nope", None).await;
    assert_eq!(status, 400);
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v5/LicensedUsers/{user}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "v5 has no removal");
}

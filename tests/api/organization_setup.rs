//! What an administration tool configures on one organization: written, read back, cleared,
//! refused without a trace, and kept through an export and an import of the world.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, SEED_ORGANIZATION, TestApp, send, spawn_app_with, world_text};

const UNKNOWN_ORGANIZATION: &str = "00000000-0000-0000-0000-0000000000e7";

/// The id of an organization other than the seed's.
async fn other_organization(app: &TestApp) -> String {
    let organizations = app.json("/v8/Organizations", "t").await;
    organizations["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|organization| organization["id"].as_str().unwrap().to_owned())
        .find(|id| id != SEED_ORGANIZATION)
        .unwrap()
}

/// Exports the world and takes it back through the control API; answers the export.
async fn export_and_import(app: &TestApp) -> Value {
    let exported: Value = serde_json::from_str(&world_text(app).await).unwrap();
    let response = app
        .admin(Method::PUT, "/__admin/world", Some(&exported))
        .await;
    assert!(response.status().is_success());
    exported
}

#[tokio::test]
async fn an_organizations_retention_exclusions_are_its_own_and_can_be_cleared() {
    let app = spawn_app_with(FROZEN).await;
    let path = format!("/v8/Organizations/{SEED_ORGANIZATION}/RetentionExclusion");
    let fresh = app.json(&path, "t").await;
    assert_eq!(fresh, json!({"contacts": false, "calendar": false}));

    let (status, body) = send(&app, Method::PUT, &path, Some(json!({"calendar": true}))).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(&app, Method::PUT, &path, Some(json!({"contacts": true}))).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        app.json(&path, "t").await,
        json!({"contacts": true, "calendar": true}),
        "what a write leaves out stays as it was"
    );
    let v6 = app.json(&path.replacen("/v8/", "/v6/", 1), "t").await;
    assert_eq!(v6["calendar"], true, "every version reads the same world");

    let other = other_organization(&app).await;
    let elsewhere = app
        .json(
            &format!("/v8/Organizations/{other}/RetentionExclusion"),
            "t",
        )
        .await;
    assert_eq!(
        elsewhere["contacts"], false,
        "another organization keeps its own"
    );
    let global = app.json("/v8/GlobalRetentionExclusionSettings", "t").await;
    assert_eq!(
        global["contacts"], false,
        "the server's own stay as they were"
    );

    let (status, _) = send(&app, Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    assert_eq!(app.json(&path, "t").await, fresh);
}

#[tokio::test]
async fn refused_retention_exclusion_writes_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    let path = format!("/v8/Organizations/{SEED_ORGANIZATION}/RetentionExclusion");
    for (method, path, body, expected) in [
        (
            Method::PUT,
            path.clone(),
            Some(json!({"contacts": "yes"})),
            400,
        ),
        (Method::PUT, path.clone(), Some(json!("contacts")), 400),
        (
            Method::PUT,
            format!("/v8/Organizations/{UNKNOWN_ORGANIZATION}/RetentionExclusion"),
            Some(json!({"contacts": true})),
            404,
        ),
        (
            Method::DELETE,
            format!("/v8/Organizations/{UNKNOWN_ORGANIZATION}/RetentionExclusion"),
            None,
            404,
        ),
        (
            Method::PUT,
            "/v8/Organizations/not-an-id/RetentionExclusion".to_owned(),
            Some(json!({"contacts": true})),
            400,
        ),
    ] {
        let (status, body) = send(&app, method.clone(), &path, body).await;
        assert_eq!(status, expected, "{method} {path}: {body}");
        assert!(body["message"].is_string(), "{method} {path}: {body}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes changed nothing"
    );
}

#[tokio::test]
async fn an_organizations_configuration_survives_an_export_and_an_import_of_the_world() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    assert!(
        !before.contains("\"setup\""),
        "an organization nobody configured has no setup in the file"
    );
    let path = format!("/v7/Organizations/{SEED_ORGANIZATION}/RetentionExclusion");
    let (status, body) = send(&app, Method::PUT, &path, Some(json!({"contacts": true}))).await;
    assert_eq!(status, 200, "{body}");
    let exported = export_and_import(&app).await;
    let seed = exported["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organization| organization["id"] == SEED_ORGANIZATION)
        .unwrap();
    assert_eq!(seed["setup"]["retentionExclusion"]["contacts"], true);
    assert_eq!(app.json(&path, "t").await["contacts"], true);
}

#[tokio::test]
async fn a_groups_members_are_people_of_its_organization_the_same_on_every_start() {
    let app = spawn_app_with(FROZEN).await;
    let groups = app
        .json(
            &format!("/v8/Organizations/{SEED_ORGANIZATION}/Groups"),
            "t",
        )
        .await;
    let users = app
        .json(&format!("/v8/Organizations/{SEED_ORGANIZATION}/Users"), "t")
        .await;
    let logins: Vec<&str> = users["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["name"].as_str().unwrap())
        .collect();
    let mut everyone = 0;
    for group in groups["results"].as_array().unwrap() {
        let id = group["id"].as_str().unwrap();
        let path = format!("/v8/Organizations/{SEED_ORGANIZATION}/Groups/{id}/Members");
        let members = app.json(&path, "t").await;
        let results = members["results"].as_array().unwrap();
        everyone += results.len();
        for member in results {
            assert_eq!(member["groupId"], id);
            assert_eq!(member["type"], "User");
            assert!(
                logins.contains(&member["login"].as_str().unwrap()),
                "{member}"
            );
            let user = app.follow_relative(&member["_links"]["user"]["href"]).await;
            assert_eq!(user["name"], member["login"]);
        }
        let again = spawn_app_with(FROZEN).await.json(&path, "t").await;
        assert_eq!(again, members, "membership follows from the seed");
        if results.len() > 1 {
            let first = app
                .json(&format!("{path}?limit=1&dataSource=Production"), "t")
                .await;
            let next = first["_links"]["next"]["href"].as_str().unwrap();
            assert!(next.contains("dataSource=Production"), "{next}");
            assert_eq!(first["results"][0], results[0]);
        }
    }
    assert!(everyone > 0, "some group has members");
    let (status, body) = send(
        &app,
        Method::GET,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/Groups/{UNKNOWN_ORGANIZATION}/Members"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

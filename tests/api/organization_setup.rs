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

/// Exports the world and takes it back through the control API; answers the seed
/// organization as exported.
async fn export_and_import(app: &TestApp) -> Value {
    let exported: Value = serde_json::from_str(&world_text(app).await).unwrap();
    let response = app
        .admin(Method::PUT, "/__admin/world", Some(&exported))
        .await;
    assert!(response.status().is_success());
    exported["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organization| organization["id"] == SEED_ORGANIZATION)
        .unwrap()
        .clone()
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
    let seed = export_and_import(&app).await;
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

/// The login of a user a seed role names as its operator, with the role and the user's id.
async fn seed_operator(app: &TestApp) -> (String, String, String) {
    let roles = app.json("/v8/RbacRoles", "t").await;
    for role in roles.as_array().unwrap() {
        let id = role["id"].as_str().unwrap();
        let operators = app
            .json(&format!("/v8/RbacRoles/{id}/operators"), "t")
            .await;
        if let Some(user) = operators
            .as_array()
            .unwrap()
            .iter()
            .find(|operator| operator["type"] == "User")
        {
            return (
                user["user"]["name"].as_str().unwrap().to_owned(),
                id.to_owned(),
                user["id"].as_str().unwrap().to_owned(),
            );
        }
    }
    panic!("a seed role names a user as its operator")
}

async fn token_of(app: &TestApp, login: &str, password: &str) -> String {
    let response = app
        .post_form(
            "/v8/token",
            &format!("grant_type=password&username={login}&password={password}"),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_logged_in_user_is_the_tokens_and_an_operator_sees_what_their_roles_give() {
    let probe = spawn_app_with(FROZEN).await;
    let (login, role, operator_id) = seed_operator(&probe).await;
    let account = format!("{login}:operator");
    let mut flags = FROZEN.to_vec();
    flags.extend_from_slice(&["--user", "admin:admin", "--user", &account]);
    let app = spawn_app_with(&flags).await;

    let admin = app.access_token().await;
    let me = app.json("/v8/Organization/LoggedInUser", &admin).await;
    assert_eq!(me["name"], "admin");
    let info = app
        .json("/v8/Organization/LoggedInUser/OperatorInfo", &admin)
        .await;
    assert_eq!(
        info["isOperator"], false,
        "the administrator is no restore operator"
    );
    let scope = app
        .json("/v8/Organization/LoggedInUser/EffectiveScope", &admin)
        .await;
    assert_eq!(scope, json!({"users": [], "sites": [], "teams": []}));
    assert_eq!(
        app.json("/v8/Organization/LoggedInUser", "t").await["name"],
        "admin",
        "the static token stands for the first account"
    );

    let token = token_of(&app, &login, "operator").await;
    let me = app.json("/v8/Organization/LoggedInUser", &token).await;
    assert_eq!(
        (me["id"].as_str(), me["name"].as_str()),
        (Some(operator_id.as_str()), Some(login.as_str()))
    );
    let info = app
        .json("/v8/Organization/LoggedInUser/OperatorInfo", &token)
        .await;
    assert_eq!(info["isOperator"], true);
    let scope_link = app
        .follow_relative(&info["_links"]["effectiveScope"]["href"])
        .await;
    assert!(scope_link["users"].is_array(), "{scope_link}");
    let scope = app
        .json("/v8/Organization/LoggedInUser/EffectiveScope", &token)
        .await;
    let managed = |kind: &str| scope[kind].as_array().unwrap().len();
    assert!(
        managed("users") > 0 && managed("sites") > 0 && managed("teams") > 0,
        "{scope}"
    );
    let user = scope["users"][0]["id"].as_str().unwrap();
    let points = app
        .json(
            &format!("/v8/Organization/LoggedInUser/RestorePoints?rbacItem={user}"),
            &token,
        )
        .await;
    assert!(!points.as_array().unwrap().is_empty());
    let copies = app
        .json(
            "/v8/Organization/LoggedInUser/RestorePoints?isCopy=true",
            &token,
        )
        .await;
    assert_eq!(copies, json!([]));

    let (status, body) = send(&app, Method::DELETE, &format!("/v8/RbacRoles/{role}"), None).await;
    assert_eq!(status, 204, "{body}");
    let after = app
        .json("/v8/Organization/LoggedInUser/EffectiveScope", &token)
        .await;
    assert_ne!(after, scope, "a role removed no longer gives its objects");
}

#[tokio::test]
async fn audited_users_and_groups_are_added_listed_removed_and_kept_in_the_world() {
    let app = spawn_app_with(FROZEN).await;
    let path = format!("/v8/Organizations/{SEED_ORGANIZATION}/AuditItems");
    assert_eq!(app.json(&path, "t").await, json!([]));
    let users = app
        .json(&format!("/v8/Organizations/{SEED_ORGANIZATION}/Users"), "t")
        .await;
    let groups = app
        .json(
            &format!("/v8/Organizations/{SEED_ORGANIZATION}/Groups"),
            "t",
        )
        .await;
    let user = users["results"][0]["id"].as_str().unwrap().to_owned();
    let group = groups["results"][0]["id"].as_str().unwrap().to_owned();
    let body =
        json!([{"type": "User", "user": {"id": user}}, {"type": "Group", "group": {"id": group}}]);
    let (status, answer) = send(&app, Method::POST, &path, Some(body.clone())).await;
    assert_eq!(status, 204, "{answer}");
    let (status, _) = send(&app, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 204, "adding again keeps each once");
    let items = app.json(&path, "t").await;
    assert_eq!(items.as_array().unwrap().len(), 2, "{items}");
    assert_eq!(items[0]["user"]["id"], user.as_str());
    assert_eq!(items[0]["group"], Value::Null);
    assert_eq!(items[1]["group"]["id"], group.as_str());
    let linked = app
        .follow_relative(&items[1]["_links"]["self"]["href"])
        .await;
    assert_eq!(linked["id"], group.as_str());

    let before = world_text(&app).await;
    let other = other_organization(&app).await;
    let other_users = app
        .json(&format!("/v8/Organizations/{other}/Users"), "t")
        .await;
    let stranger = other_users["results"][0]["id"].as_str().unwrap();
    for (path, body, expected) in [
        (
            path.clone(),
            json!([{"type": "User", "user": {"id": stranger}}]),
            400,
        ),
        (path.clone(), json!([{"type": "User"}]), 400),
        (path.clone(), json!({"type": "User"}), 400),
        (
            format!("{path}/remove"),
            json!({"itemIds": [stranger]}),
            400,
        ),
        (format!("{path}/remove"), json!({"itemIds": "all"}), 400),
        (
            format!("/v8/Organizations/{UNKNOWN_ORGANIZATION}/AuditItems"),
            json!([{"type": "User", "user": {"id": user}}]),
            404,
        ),
    ] {
        let (status, answer) = send(&app, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, expected, "{path} {body}: {answer}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes changed nothing"
    );

    let seed = export_and_import(&app).await;
    assert_eq!(
        seed["setup"]["auditItems"][0],
        json!({"type": "User", "id": user})
    );
    assert_eq!(
        app.json(&path, "t").await,
        items,
        "kept through an export and an import"
    );

    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{path}/remove"),
        Some(json!({"itemIds": [user]})),
    )
    .await;
    assert_eq!(status, 204, "{answer}");
    let left = app.json(&path, "t").await;
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["type"], "Group");
}

//! Restore operator roles as a provisioning tool writes them: created, read back with their
//! operators and items, changed, and refused without a trace.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, SEED_ORGANIZATION, send, spawn_app_with, world_text};

#[tokio::test]
async fn a_role_is_written_read_back_and_a_refused_change_leaves_no_trace() {
    let app = spawn_app_with(FROZEN).await;
    let users = app
        .json(
            &format!("/v8/Organizations/{SEED_ORGANIZATION}/Users?limit=50"),
            "t",
        )
        .await;
    let users: Vec<&Value> = users["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["type"] == "User")
        .collect();
    let (helpdesk, owner) = (users[0]["id"].clone(), users[1]["id"].clone());
    let teams = app
        .json(&format!("/v8/Organizations/{SEED_ORGANIZATION}/Teams"), "t")
        .await;
    let team = teams["results"][0]["id"].clone();

    let (status, role) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/RbacRoles"),
        Some(json!({
            "name": "Owner's mail",
            "roleType": "SpecificObjects",
            "operators": [{"type": "User", "user": {"id": helpdesk}}],
            "selectedItems": [{"type": "User", "user": {"id": owner}}, {"type": "Team", "team": {"id": team}}],
        })),
    )
    .await;
    assert_eq!(status, 201, "{role}");
    assert_eq!(role["roleType"], "SpecificObjects");
    let id = role["id"].as_str().unwrap();
    let selected = app
        .json(&format!("/v8/RbacRoles/{id}/selectedItems"), "t")
        .await;
    let selected: Vec<&Value> = selected
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["id"])
        .collect();
    assert_eq!(selected, [&owner, &team]);
    // v6 has no Team items: its list leaves the team out.
    let in_v6 = app
        .json(&format!("/v6/RbacRoles/{id}/selectedItems"), "t")
        .await;
    assert_eq!(in_v6.as_array().unwrap().len(), 1);

    let before = world_text(&app).await;
    let (status, refused) = send(
        &app,
        Method::POST,
        &format!("/v8/RbacRoles/{id}/operators"),
        Some(json!([{"type": "User", "user": {"id": owner}}, {"type": "Team", "team": {"id": team}}])),
    )
    .await;
    assert_eq!(status, 400, "a team cannot restore: {refused}");
    let (status, refused) = send(
        &app,
        Method::DELETE,
        &format!(
            "/v8/RbacRoles/{id}/operators?ids={}",
            helpdesk.as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, 400, "the last operator stays: {refused}");
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes changed nothing"
    );

    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v8/RbacRoles/{id}"),
        Some(json!({"roleType": "EntireOrganization", "description": "all of it"})),
    )
    .await;
    assert_eq!(status, 204);
    let role = app.json(&format!("/v8/RbacRoles/{id}"), "t").await;
    assert_eq!(role["roleType"], "EntireOrganization");
    assert_eq!(
        role["name"], "Owner's mail",
        "what an edit leaves out stays"
    );
    let (status, _) = send(&app, Method::DELETE, &format!("/v8/RbacRoles/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = send(&app, Method::GET, &format!("/v8/RbacRoles/{id}"), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_role_item_carries_the_object_of_its_type_and_null_for_the_others() {
    let app = spawn_app_with(FROZEN).await;
    let organization = format!("/v7/Organizations/{SEED_ORGANIZATION}");
    let users = app
        .json(&format!("{organization}/Users?limit=50"), "t")
        .await;
    let user = users["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["type"] == "User")
        .unwrap()
        .clone();
    let groups = app.json(&format!("{organization}/Groups"), "t").await;
    let group = groups["results"][0].clone();
    let sites = app.json(&format!("{organization}/Sites"), "t").await;
    let site = sites["results"][0].clone();
    let (status, role) = send(
        &app,
        Method::POST,
        &format!("{organization}/RbacRoles"),
        Some(json!({
            "name": "Help desk",
            "roleType": "SpecificObjects",
            "operators": [{"type": "Group", "group": {"id": group["id"]}}],
            "selectedItems": [
                {"type": "User", "user": {"id": user["id"]}},
                {"type": "Site", "site": {"id": site["id"]}},
            ],
        })),
    )
    .await;
    assert_eq!(status, 200, "{role}");
    let id = role["id"].as_str().unwrap();

    let selected = app
        .json(&format!("/v7/RbacRoles/{id}/selectedItems"), "t")
        .await;
    let (person, place) = (&selected[0], &selected[1]);
    assert_eq!(
        person["user"],
        json!({
            "id": user["id"],
            "onPremisesSid": null,
            "displayName": user["displayName"],
            "name": user["name"],
            "type": "User",
        })
    );
    for other in ["group", "site", "team"] {
        assert!(person[other].is_null(), "{other}: {person}");
        assert!(person.get(other).is_some(), "{other} is sent: {person}");
    }
    assert_eq!(place["site"]["url"], site["url"]);
    assert_eq!(place["site"]["parentUrl"], site["parentUrl"]);
    assert!(place["user"].is_null() && place["group"].is_null() && place["team"].is_null());

    // v6 knows no teams and no on-premises ids.
    let in_v6 = app
        .json(&format!("/v6/RbacRoles/{id}/selectedItems"), "t")
        .await;
    assert!(in_v6[0].get("team").is_none(), "{in_v6}");
    assert!(in_v6[0]["user"].get("onPremisesSid").is_none(), "{in_v6}");

    // v8 operators are users or groups: no site or team.
    let operators = app
        .json(&format!("/v8/RbacRoles/{id}/operators"), "t")
        .await;
    let operator = &operators[0];
    assert_eq!(operator["type"], "Group");
    assert_eq!(operator["group"]["name"], group["name"]);
    assert_eq!(operator["group"]["type"], group["type"]);
    assert!(operator.get("user").is_some() && operator["user"].is_null());
    assert!(operator.get("site").is_none() && operator.get("team").is_none());
    let in_v7 = app
        .json(&format!("/v7/RbacRoles/{id}/operators"), "t")
        .await;
    assert!(in_v7[0].get("site").is_some() && in_v7[0].get("team").is_some());
}

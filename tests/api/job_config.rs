//! Configuring jobs over the API as a provisioning tool does: create one, read it back,
//! edit its schedule, watch it run over its selected items, remove an item, delete it; and
//! writes the service refuses, which change nothing.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, send, spawn_app_with, world_text,
};

/// The seed organization's users (names and ids) and its repository.
async fn tenant(app: &TestApp) -> (Vec<(String, String)>, String) {
    let users = app
        .json(&format!("/v7/Organizations/{SEED_ORGANIZATION}/Users"), "t")
        .await;
    let users = users["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| {
            (
                user["name"].as_str().unwrap().to_owned(),
                user["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let repository = app
        .json(
            &format!("/v7/Organizations/{SEED_ORGANIZATION}/usedRepositories"),
            "t",
        )
        .await["results"][0]["_links"]["backupRepository"]["href"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    (users, repository)
}

/// The names a session processed, from its log.
async fn processed(app: &TestApp, session: &str) -> Vec<String> {
    let log = app
        .json(
            &format!("/v7/JobSessions/{session}/LogItems?limit=100"),
            "t",
        )
        .await;
    log["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| {
            item["title"]
                .as_str()
                .unwrap()
                .strip_prefix("[Success] Processing mailbox: ")
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn a_created_job_runs_over_its_items_follows_its_edits_and_is_deleted() {
    let app = spawn_app_with(FROZEN).await;
    let (users, repository) = tenant(&app).await;
    assert!(users.len() >= 3, "{users:?}");
    let item =
        |id: &str| json!({"type": "User", "user": {"id": id}, "mailbox": true, "oneDrive": false});
    let (status, job) = send(
        &app,
        Method::POST,
        &format!("/v7/Organizations/{SEED_ORGANIZATION}/Jobs"),
        Some(json!({
            "name": "Provisioned mailboxes",
            "backupType": "SelectedItems",
            "selectedItems": [item(&users[0].1), item(&users[1].1)],
            "repositoryId": repository,
            "schedulePolicy": {"type": "Periodically", "periodicallyEvery": "Hours1"},
        })),
    )
    .await;
    assert_eq!(status, 200, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(job["nextRun"], "2017-04-04T03:00:00-07:00", "the next hour");
    assert_eq!(job["repositoryId"], repository.as_str());
    assert_eq!(job["selectedItems"].as_array().unwrap().len(), 2);
    let read_back = app.json(&format!("/v7/Jobs/{id}"), "t").await;
    assert_eq!(read_back, job);
    let listed = app.json("/v7/Jobs", "t").await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|listed| listed["id"] == id.as_str())
    );

    // Its schedule starts a run on the hour, over the two selected mailboxes.
    advance(&app, 3600.0 + 60.0).await;
    let sessions = app.json(&format!("/v7/JobSessions?jobId={id}"), "t").await;
    let first = sessions["results"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(sessions["results"][0]["status"], "Success");
    assert_eq!(
        processed(&app, &first).await,
        [users[0].0.clone(), users[1].0.clone()]
    );

    // An item removed is not processed by the next run.
    let items = app.json(&format!("/v7/Jobs/{id}/SelectedItems"), "t").await;
    let second_item = items[1]["id"].as_str().unwrap();
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v7/Jobs/{id}/SelectedItems?ids={second_item}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    advance(&app, 3600.0).await;
    let sessions = app.json(&format!("/v7/JobSessions?jobId={id}"), "t").await;
    let second = sessions["results"][0]["id"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    assert_eq!(processed(&app, &second).await, [users[0].0.clone()]);

    // An edited schedule moves nextRun.
    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v7/Jobs/{id}"),
        Some(json!({"schedulePolicy": {"type": "Daily", "dailyType": "Everyday", "dailyTime": "23:30:00"}})),
    )
    .await;
    assert_eq!(status, 204);
    let edited = app.json(&format!("/v7/Jobs/{id}"), "t").await;
    assert_eq!(edited["nextRun"], "2017-04-04T23:30:00-07:00");
    assert_eq!(edited["schedulePolicy"]["dailyTime"], "23:30:00");

    let (status, _) = send(&app, Method::DELETE, &format!("/v7/Jobs/{id}"), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/v7/Jobs/{id}"), Some("t")).await.status(),
        404
    );
    let sessions = app.json(&format!("/v7/JobSessions?jobId={id}"), "t").await;
    assert_eq!(sessions["totalCount"], 0, "its sessions went with it");
}

#[tokio::test]
async fn a_running_job_can_be_neither_edited_nor_deleted() {
    let app = spawn_app_with(FROZEN).await;
    let job = "9d2b7f40-61a3-4c8e-b5d2-3e8f1a7c0b64";
    let (status, _) = send(&app, Method::POST, &format!("/v8/Jobs/{job}/start"), None).await;
    assert_eq!(status, 200);
    let before = world_text(&app).await;
    let (status, body) = send(
        &app,
        Method::PUT,
        &format!("/v8/Jobs/{job}"),
        Some(json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errorCode"], "ParameterValidationFailure");
    assert!(
        body["message"].as_str().unwrap().contains("running"),
        "{body}"
    );
    let (status, _) = send(&app, Method::DELETE, &format!("/v8/Jobs/{job}"), None).await;
    assert_eq!(status, 400);
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused write changes nothing"
    );
}

#[tokio::test]
async fn refused_writes_name_what_is_wrong_and_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let (users, repository) = tenant(&app).await;
    let before = world_text(&app).await;
    let other_organization = app.json("/v8/Organizations", "t").await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|organization| organization["id"].as_str().unwrap().to_owned())
        .find(|id| id != SEED_ORGANIZATION)
        .unwrap();
    let cases = [
        (
            json!({"name": "x", "backupType": "Everything", "repositoryId": repository, "organizationId": SEED_ORGANIZATION}),
            400,
            "backuptype",
        ),
        (
            json!({"name": "x", "backupType": "EntireOrganization", "organizationId": SEED_ORGANIZATION}),
            400,
            "repository",
        ),
        (
            json!({"name": "x", "backupType": "EntireOrganization", "repositoryId": "00000000-0000-0000-0000-00000000000a", "organizationId": SEED_ORGANIZATION}),
            404,
            "Backup repository",
        ),
        (
            json!({"name": "x", "backupType": "SelectedItems", "selectedItems": [], "repositoryId": repository, "organizationId": SEED_ORGANIZATION}),
            400,
            "at least one",
        ),
        (
            json!({"name": "x", "backupType": "SelectedItems", "selectedItems": [{"type": "User", "user": {"id": users[0].1}}], "repositoryId": repository, "organizationId": other_organization}),
            400,
            "organization",
        ),
        (
            json!({"name": "x", "backupType": "EntireOrganization", "repositoryId": repository, "organizationId": SEED_ORGANIZATION, "isEnabled": "yes"}),
            400,
            "isenabled",
        ),
        (
            json!({"name": "x", "backupType": "EntireOrganization", "repositoryId": repository, "organizationId": "not-a-guid"}),
            400,
            "organization id",
        ),
    ];
    for (body, status, reason) in cases {
        let (got, answer) = send(&app, Method::POST, "/v8/Jobs", Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(
            answer["message"].as_str().unwrap().contains(reason),
            "{body}: {answer} does not say {reason}"
        );
    }
    let response = app
        .client
        .post(app.url("/v8/Jobs"))
        .bearer_auth("t")
        .header("Content-Type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes change nothing"
    );
}

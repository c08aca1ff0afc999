//! Adding, editing, synchronizing and removing organizations as a provisioning tool does,
//! and what the rest of the world makes of it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, advance, reload_exported_world, send, spawn_app_with};

#[tokio::test]
async fn an_added_organization_is_listed_synchronized_and_removed_once_its_jobs_are_gone() {
    let app = spawn_app_with(FROZEN).await;
    let (status, organization) = send(
        &app,
        Method::POST,
        "/v8/Organizations",
        Some(json!({
            "type": "Office365",
            "exchangeOnlineSettings": {"account": "admin@newco.onmicrosoft.com",
                                       "officeOrganizationName": "newco.onmicrosoft.com",
                                       "useApplicationOnlyAuth": true},
        })),
    )
    .await;
    assert_eq!(status, 201, "{organization}");
    let id = organization["id"].as_str().unwrap().to_owned();
    assert_eq!(organization["name"], "newco.onmicrosoft.com");
    assert_eq!(organization["officeName"], "newco");
    assert_eq!(
        organization["exchangeOnlineSettings"]["account"],
        "admin@newco.onmicrosoft.com"
    );
    assert_eq!(organization["isBackedup"], false);
    let v5 = app.json(&format!("/v5/Organizations/{id}"), "t").await;
    assert_eq!(
        v5["exchangeOnlineSettings"]["useApplicationOnlyAuth"], true,
        "v5 modern-authentication reports read this"
    );

    // A synchronization runs for half a minute of the clock, then is done.
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{id}/Sync"),
        Some(json!({"type": "Full"})),
    )
    .await;
    assert_eq!(status, 204);
    let state = app
        .json(&format!("/v8/Organizations/{id}/SyncState"), "t")
        .await;
    assert_eq!(state["currentSyncState"]["status"], "Running");
    assert_eq!(state["lastSyncState"], Value::Null);
    advance(&app, 31.0).await;
    let state = app
        .json(&format!("/v8/Organizations/{id}/SyncState"), "t")
        .await;
    assert_eq!(state["currentSyncState"], Value::Null);
    assert_eq!(state["lastSyncState"]["result"], "Success");
    assert_eq!(state["lastSyncState"]["type"], "Full");

    // A job for it keeps it from being removed.
    let repository = app.json("/v8/BackupRepositories", "t").await["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, job) = send(
        &app,
        Method::POST,
        "/v8/Jobs",
        Some(json!({"name": "NewCo", "organizationId": id, "repositoryId": repository, "backupType": "EntireOrganization"})),
    )
    .await;
    assert_eq!(status, 201, "{job}");
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v8/Organizations/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"].as_str().unwrap().contains("NewCo"),
        "{refusal}"
    );
    let job_id = job["id"].as_str().unwrap();
    assert_eq!(
        send(&app, Method::DELETE, &format!("/v8/Jobs/{job_id}"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        send(
            &app,
            Method::DELETE,
            &format!("/v8/Organizations/{id}"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        app.get(&format!("/v8/Organizations/{id}"), Some("t"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn an_edited_organization_survives_export_and_import() {
    let app = spawn_app_with(FROZEN).await;
    let id = "4c5a8e17-3b0d-4f6e-9a21-6d7f0b8c2e91";
    let (status, body) = send(
        &app,
        Method::PUT,
        &format!("/v7/Organizations/{id}"),
        Some(json!({"description": "East support desk", "isTeamsChatsOnline": true, "region": "Germany"})),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    reload_exported_world(&app).await;
    let organization = app.json(&format!("/v7/Organizations/{id}"), "t").await;
    assert_eq!(organization["description"], "East support desk");
    assert_eq!(organization["isTeamsChatsOnline"], true);
    assert_eq!(organization["region"], "Germany");
}

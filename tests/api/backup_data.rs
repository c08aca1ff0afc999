//! What repositories hold: the organizations and users their backups processed, paged and
//! filtered; a new backup moving the backed-up times; data removed through the control API,
//! gone from every listing until the next backup and kept by an export and re-import.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_JOB, SEED_ORGANIZATION, TestApp, advance, send, spawn_app_with, start, time,
    world_text,
};

/// The repository the seed job writes to.
async fn seed_repository(app: &TestApp) -> String {
    let (_, job) = send(app, Method::GET, &format!("/v8/Jobs/{SEED_JOB}"), None).await;
    job["repositoryId"].as_str().unwrap().to_owned()
}

/// Every entry of a collection, following `next` links from `path`.
async fn all_pages(app: &TestApp, path: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next {
        let (status, page) = send(app, Method::GET, &path, None).await;
        assert_eq!(status, 200, "{path}: {page}");
        entries.extend(page["results"].as_array().unwrap().iter().cloned());
        next = page["_links"]["next"]["href"].as_str().map(str::to_owned);
    }
    entries
}

fn emails(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|entry| entry["email"].as_str().unwrap())
        .collect()
}

async fn user_data(app: &TestApp, repository: &str) -> Vec<Value> {
    all_pages(
        app,
        &format!("/v8/BackupRepositories/{repository}/UserData"),
    )
    .await
}

#[tokio::test]
async fn a_repository_holds_the_organization_and_the_mailboxes_its_backups_processed() {
    let app = spawn_app_with(FROZEN).await;
    let repository = seed_repository(&app).await;

    let (status, organizations) = send(
        &app,
        Method::GET,
        &format!("/v8/BackupRepositories/{repository}/OrganizationData"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let organizations = organizations["results"].as_array().unwrap();
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0]["organizationId"], SEED_ORGANIZATION);
    assert_eq!(
        organizations[0]["displayName"],
        "eastsupport.onmicrosoft.com"
    );

    let users = user_data(&app, &repository).await;
    assert_eq!(
        emails(&users),
        [
            "petep@eastsupport.onmicrosoft.com",
            "alexw@eastsupport.onmicrosoft.com",
            "meganb@eastsupport.onmicrosoft.com"
        ]
    );
    let sessions = all_pages(&app, &format!("/v8/JobSessions?jobId={SEED_JOB}")).await;
    let last_backup = sessions
        .iter()
        .filter(|session| session["status"] == "Success" || session["status"] == "Warning")
        .map(|session| time(&session["endTime"]))
        .max()
        .unwrap();
    for user in &users {
        assert_eq!(user["isMailboxBackedUp"], true);
        assert_eq!(user["isOneDriveBackedUp"], false);
        assert_eq!(user["itemType"], "User");
        assert_eq!(user["repositoryId"], repository.as_str());
        assert_eq!(
            time(&user["mailboxBackedUpTime"]),
            last_backup,
            "the end of the latest session of the repository's only job"
        );
        let (status, one) = send(&app, Method::GET, &self_link(user), None).await;
        assert_eq!(status, 200);
        assert_eq!(&one, user);
    }
}

fn self_link(entry: &Value) -> String {
    entry["_links"]["self"]["href"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn pages_of_data_keep_the_filters_of_the_request() {
    let app = spawn_app_with(FROZEN).await;
    let repository = seed_repository(&app).await;
    let whole = user_data(&app, &repository).await;
    for version in ["v6", "v7", "v8"] {
        let paged = all_pages(
            &app,
            &format!("/{version}/BackupRepositories/{repository}/UserData?limit=1"),
        )
        .await;
        assert_eq!(emails(&paged), emails(&whole), "{version}");
    }

    let path = format!(
        "/v7/BackupRepositories/{repository}/MailboxData?filter=EASTSUPPORT&organizationId={SEED_ORGANIZATION}&limit=2"
    );
    let (_, first) = send(&app, Method::GET, &path, None).await;
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        next.contains("filter=EASTSUPPORT") && next.contains("organizationId="),
        "{next}"
    );
    assert_eq!(all_pages(&app, &path).await.len(), 3);

    let only_alex = all_pages(
        &app,
        &format!("/v7/BackupRepositories/{repository}/MailboxData?filter=alexw"),
    )
    .await;
    assert_eq!(emails(&only_alex), ["alexw@eastsupport.onmicrosoft.com"]);
    let before_any_backup = all_pages(
        &app,
        &format!(
            "/v7/BackupRepositories/{repository}/MailboxData?pointInTime=2016-01-01T00:00:00Z"
        ),
    )
    .await;
    assert!(before_any_backup.is_empty());
}

#[tokio::test]
async fn unknown_ids_and_bad_filters_are_answered_in_each_versions_words() {
    let app = spawn_app_with(FROZEN).await;
    let repository = seed_repository(&app).await;
    let unknown = "00000000-0000-0000-0000-0000000000aa";
    let (status, body) = send(
        &app,
        Method::GET,
        &format!("/v8/BackupRepositories/{unknown}/UserData"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["errorCode"], "ResourceNotFound");
    let (status, body) = send(
        &app,
        Method::GET,
        &format!("/v6/BackupRepositories/{repository}/UserData/{unknown}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["message"],
        format!("User with id '{unknown}' was not found.")
    );
    for bad in [
        "MailboxData?pointInTime=soon",
        "OneDriveData?organizationId=someone",
        "UserData?limit=many",
        "MailboxData/not-a-guid",
    ] {
        let (status, body) = send(
            &app,
            Method::GET,
            &format!("/v7/BackupRepositories/{repository}/{bad}"),
            None,
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["message"].is_string());
    }
    let (status, _) = send(
        &app,
        Method::GET,
        &format!("/v5/BackupRepositories/{repository}/UserData"),
        None,
    )
    .await;
    assert_eq!(status, 404, "the contracts document backup data from v6");
}

/// The seed job's users in the repository's data, v8 protected users and its mailboxes.
async fn seen_everywhere(app: &TestApp, repository: &str, user: &str) -> [bool; 3] {
    let listed = |entries: Vec<Value>| entries.iter().any(|entry| entry["id"] == user);
    [
        listed(user_data(app, repository).await),
        listed(
            all_pages(
                app,
                &format!("/v8/ProtectedUsers?repositoryId={repository}"),
            )
            .await,
        ),
        listed(
            all_pages(
                app,
                &format!("/v8/BackupRepositories/{repository}/MailboxData"),
            )
            .await,
        ),
    ]
}

async fn remove(app: &TestApp, repository: &str, object: &str) -> u16 {
    app.admin(
        Method::DELETE,
        &format!("/__admin/repositories/{repository}/data/{object}"),
        None,
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn removed_data_is_gone_until_the_next_backup_and_an_export_keeps_the_removal() {
    let app = spawn_app_with(FROZEN).await;
    let repository = seed_repository(&app).await;
    let users = user_data(&app, &repository).await;
    let alex = users[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(seen_everywhere(&app, &repository, &alex).await, [true; 3]);

    assert_eq!(remove(&app, &repository, &alex).await, 204);
    assert_eq!(seen_everywhere(&app, &repository, &alex).await, [false; 3]);
    let (status, _) = send(
        &app,
        Method::GET,
        &format!("/v8/BackupRepositories/{repository}/UserData/{alex}"),
        None,
    )
    .await;
    assert_eq!(status, 404);

    let exported = world_text(&app).await;
    assert!(exported.contains("\"removedData\""), "the export names it");
    let reloaded = spawn_app_with(FROZEN).await;
    let response = reloaded
        .admin(
            Method::PUT,
            "/__admin/world",
            Some(&serde_json::from_str::<Value>(&exported).unwrap()),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        seen_everywhere(&reloaded, &repository, &alex).await,
        [false; 3]
    );
    assert_eq!(world_text(&reloaded).await, exported);

    start(&app, json!({"outcome": "success"})).await;
    advance(&app, 60.0).await;
    assert_eq!(seen_everywhere(&app, &repository, &alex).await, [true; 3]);
    let again = user_data(&app, &repository).await;
    assert!(
        again
            .iter()
            .all(|user| user["mailboxBackedUpTime"] == "2017-04-04T09:00:34Z")
    );
}

#[tokio::test]
async fn a_refused_removal_changes_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let repository = seed_repository(&app).await;
    let before = world_text(&app).await;
    let unknown = "00000000-0000-0000-0000-0000000000ab";
    let (_, repositories) = send(&app, Method::GET, "/v8/BackupRepositories", None).await;
    let elsewhere = repositories["results"][1]["id"].as_str().unwrap();
    assert_ne!(elsewhere, repository);
    let held_elsewhere = user_data(&app, elsewhere).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let users = user_data(&app, &repository).await;
    let user = users[0]["id"].as_str().unwrap();
    for (repository, object, status) in [
        (unknown, user, 404),
        (repository.as_str(), unknown, 404),
        (repository.as_str(), SEED_ORGANIZATION, 404),
        (repository.as_str(), held_elsewhere.as_str(), 404),
        ("not-a-guid", user, 400),
    ] {
        assert_eq!(
            remove(&app, repository, object).await,
            status,
            "{repository} {object}"
        );
    }
    assert_eq!(world_text(&app).await, before);
}

//! Backup copy jobs as an administrator and a dashboard meet them: created for a job,
//! running right after its backups or on their own schedule, their sessions among the job
//! sessions (`jobType: Copy`), edited and removed; and the writes the service refuses,
//! which change nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_JOB, SEED_ORGANIZATION, TestApp, advance, rewrite_world, send, spawn_app_with,
    start, world_text,
};

/// The id of the repository named `name`.
async fn repository_named(app: &TestApp, name: &str) -> String {
    app.json("/v6/BackupRepositories", "t")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|repository| repository["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates a copy job of the seed job (East Support mailboxes) to `fabrikam archive`.
async fn copy_seed_job(app: &TestApp, policy: Value) -> Value {
    let archive = repository_named(app, "fabrikam archive").await;
    let (status, copy) = send(
        app,
        Method::POST,
        "/v6/CopyJobs",
        Some(json!({"backupJobId": SEED_JOB, "repositoryId": archive, "schedulePolicy": policy})),
    )
    .await;
    assert_eq!(status, 200, "{copy}");
    copy
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn titles(log: &Value) -> Vec<String> {
    log["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The copy sessions of a copy job, newest first (v7, which says `jobType`).
async fn copy_sessions(app: &TestApp, copy_id: &str) -> Vec<Value> {
    app.json(
        &format!("/v7/JobSessions?jobType=Copy&jobId={copy_id}&limit=100"),
        "t",
    )
    .await["results"]
        .as_array()
        .unwrap()
        .clone()
}

/// Gives every copy job of the world the scenario `scenario`, so its runs are known.
async fn copy_scenario(app: &TestApp, scenario: Value) {
    rewrite_world(app, |world| {
        for copy_job in world["copyJobs"].as_array_mut().unwrap() {
            copy_job["scenario"] = scenario.clone();
        }
    })
    .await;
}

#[tokio::test]
async fn an_immediate_copy_job_copies_each_new_backup_of_its_job_on_the_clock() {
    let app = spawn_app_with(FROZEN).await;
    let copy = copy_seed_job(&app, json!({"type": "Immediate"})).await;
    let copy_id = id(&copy);
    assert_eq!(copy["name"], "East Support mailboxes copy");
    assert_eq!(copy["backupJobId"], SEED_JOB);
    assert_eq!(copy["isEnabled"], true);
    assert_eq!(copy["schedulePolicy"]["type"], "Immediate");
    assert_eq!(
        copy["nextRun"],
        Value::Null,
        "an immediate copy has no time of its own"
    );
    assert_eq!(copy["lastStatus"], Value::Null);
    assert_eq!(
        app.json(&format!("/v6/Jobs/{SEED_JOB}/CopyJob"), "t").await,
        copy
    );
    let job = app.json(&format!("/v6/Jobs/{SEED_JOB}"), "t").await;
    assert_eq!(
        job["_links"]["copyJob"]["href"],
        format!("/v6/Jobs/{SEED_JOB}/CopyJob")
    );
    let backup_job = app
        .json(&format!("/v6/CopyJobs/{copy_id}/BackupJob"), "t")
        .await;
    assert_eq!(backup_job["id"], SEED_JOB);
    copy_scenario(&app, json!({"outcome": "success", "objectsPerMinute": 6})).await;

    let backup = start(&app, json!({"outcome": "success", "objectsPerMinute": 6})).await;
    advance(&app, 20.0).await;
    assert!(
        copy_sessions(&app, &copy_id).await.is_empty(),
        "nothing to copy before the backup ends"
    );
    advance(&app, 14.0).await;
    let finished = app.json(&format!("/v7/JobSessions/{backup}"), "t").await;
    assert_eq!(finished["status"], "Success");
    let sessions = copy_sessions(&app, &copy_id).await;
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session["status"], "Running");
    assert_eq!(session["jobType"], "Copy");
    assert_eq!(
        session["creationTime"], finished["endTime"],
        "it starts as the backup ends"
    );
    let archive = repository_named(&app, "fabrikam archive").await;
    assert_eq!(session["repositoryId"], archive.as_str());
    assert_eq!(
        session["_links"]["job"]["href"],
        format!("/v7/CopyJobs/{copy_id}")
    );
    let session_id = id(session);
    let free_before = app
        .json(&format!("/v7/BackupRepositories/{archive}"), "t")
        .await["freeSpaceBytes"]
        .as_u64()
        .unwrap();

    advance(&app, 40.0).await;
    let done = app
        .json(&format!("/v7/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(done["status"], "Success");
    assert_eq!(done["statistics"]["processedObjects"], 3);
    let log = app
        .json(
            &format!("/v7/JobSessions/{session_id}/LogItems?limit=100"),
            "t",
        )
        .await;
    let titles = titles(&log);
    assert_eq!(
        titles[1..6],
        [
            "[Success] Connected to the source backup repository",
            "[Success] 3 objects found in the latest restore point",
            "[Success] Copying mailbox: petep@eastsupport.onmicrosoft.com",
            "[Success] Copying mailbox: alexw@eastsupport.onmicrosoft.com",
            "[Success] Copying mailbox: meganb@eastsupport.onmicrosoft.com",
        ]
    );
    assert!(titles[6].starts_with("[Success] Job finished at"));
    let copied = app.json(&format!("/v7/CopyJobs/{copy_id}"), "t").await;
    assert_eq!(copied["lastStatus"], "Success");
    assert_eq!(copied["lastRun"], session["creationTime"]);
    assert_eq!(copied["lastBackup"], done["endTime"]);
    let free_after = app
        .json(&format!("/v7/BackupRepositories/{archive}"), "t")
        .await["freeSpaceBytes"]
        .as_u64()
        .unwrap();
    assert_eq!(
        free_before - free_after,
        done["statistics"]["transferredDataBytes"].as_u64().unwrap(),
        "what the copy wrote takes space in its target"
    );

    // Backup sessions only, and versions that know no copy jobs never see copies.
    let backups = app
        .json("/v7/JobSessions?jobType=Backup&limit=200", "t")
        .await;
    assert!(
        backups["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["jobType"] == "Backup")
    );
    let v5 = app.json("/v5/JobSessions?limit=10000", "t").await;
    assert!(
        !v5["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == session_id.as_str())
    );
    assert_eq!(
        app.get(&format!("/v5/JobSessions/{session_id}"), Some("t"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/v5/CopyJobs/{copy_id}"), Some("t"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_copy_job_on_a_schedule_starts_at_its_times_and_a_disabled_one_not_at_all() {
    let app = spawn_app_with(FROZEN).await;
    // 09:00 UTC is 02:00 on the server's clock (-07:00).
    let copy = copy_seed_job(
        &app,
        json!({"type": "DailyAtTime", "dailyTime": "03:00:00", "dailyType": "Everyday"}),
    )
    .await;
    let copy_id = id(&copy);
    assert_eq!(copy["nextRun"], "2017-04-04T03:00:00-07:00");
    assert_eq!(copy["schedulePolicy"]["dailyTime"], "03:00:00");
    let backup = start(&app, json!({"outcome": "success"})).await;
    advance(&app, 60.0).await;
    let ended = app.json(&format!("/v6/JobSessions/{backup}"), "t").await;
    assert_eq!(ended["status"], "Success");
    assert!(
        copy_sessions(&app, &copy_id).await.is_empty(),
        "a scheduled copy waits for its time"
    );
    advance(&app, 3600.0).await;
    let sessions = copy_sessions(&app, &copy_id).await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["creationTime"], "2017-04-04T10:00:00Z");

    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v6/CopyJobs/{copy_id}/disable"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let disabled = app.json(&format!("/v6/CopyJobs/{copy_id}"), "t").await;
    assert_eq!(disabled["isEnabled"], false);
    assert_eq!(disabled["nextRun"], Value::Null);
    advance(&app, 86_400.0).await;
    assert_eq!(
        copy_sessions(&app, &copy_id).await.len(),
        1,
        "a disabled copy job does not run"
    );
    let (status, refusal) = send(
        &app,
        Method::POST,
        &format!("/v6/CopyJobs/{copy_id}/start"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{refusal}");
    assert!(refusal["message"].as_str().unwrap().contains("disabled"));
}

#[tokio::test]
async fn a_copy_job_is_started_and_stopped_by_hand_and_answers_its_session_in_v8() {
    let app = spawn_app_with(FROZEN).await;
    let copy = copy_seed_job(
        &app,
        json!({"type": "Periodically", "periodicallyEvery": "Hours12"}),
    )
    .await;
    let copy_id = id(&copy);
    let v8 = app.json(&format!("/v8/CopyJobs/{copy_id}"), "t").await;
    assert_eq!(v8["schedulePolicy"]["periodicallyEvery"], "Hours12");
    assert_eq!(v8["organizationId"], SEED_ORGANIZATION);
    assert_eq!(v8["eTag"], 0);
    let (status, session) = send(
        &app,
        Method::POST,
        &format!("/v8/CopyJobs/{copy_id}/start"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(
        (&session["status"], &session["jobType"], &session["jobId"]),
        (&json!("Running"), &json!("Copy"), &json!(copy_id))
    );
    let running = app.json(&format!("/v8/CopyJobs/{copy_id}"), "t").await;
    assert_eq!(running["lastStatus"], "Running");

    // A running copy job is neither edited nor removed.
    let before = world_text(&app).await;
    let (status, refusal) = send(
        &app,
        Method::PUT,
        &format!("/v8/CopyJobs/{copy_id}"),
        Some(json!({"isEnabled": false})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        refusal["errorCode"], "ParameterValidationFailure",
        "{refusal}"
    );
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v8/CopyJobs/{copy_id}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = send(&app, Method::DELETE, &format!("/v8/Jobs/{SEED_JOB}"), None).await;
    assert_eq!(status, 400, "a job whose copy job runs stays");
    assert_eq!(
        world_text(&app).await,
        before,
        "the refusals changed nothing"
    );

    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/CopyJobs/{copy_id}/stop"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let stopped = app
        .json(&format!("/v8/JobSessions/{}", id(&session)), "t")
        .await;
    assert_eq!(stopped["status"], "Stopped");
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/CopyJobs/{copy_id}/stop"),
        None,
    )
    .await;
    assert_eq!(status, 400, "nothing to stop");

    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v8/CopyJobs/{copy_id}"),
        Some(json!({"schedulePolicy": {"type": "Immediate"}})),
    )
    .await;
    assert_eq!(status, 204);
    let edited = app.json(&format!("/v8/CopyJobs/{copy_id}"), "t").await;
    assert_eq!(edited["schedulePolicy"]["type"], "Immediate");
    assert_eq!(edited["eTag"], 1);

    // The job goes with its copy job and the copy job's sessions.
    let (status, _) = send(&app, Method::DELETE, &format!("/v8/Jobs/{SEED_JOB}"), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/v8/CopyJobs/{copy_id}"), Some("t"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/v8/JobSessions/{}", id(&session)), Some("t"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn copies_the_service_refuses_are_400_in_each_versions_shape_and_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let archive = repository_named(&app, "fabrikam archive").await;
    let seed_job = app.json(&format!("/v6/Jobs/{SEED_JOB}"), "t").await;
    let own = seed_job["repositoryId"].as_str().unwrap().to_owned();
    let copies = app.json("/v6/CopyJobs", "t").await;
    let copied = copies[0]["backupJobId"].as_str().unwrap().to_owned();
    let unknown = "00000000-0000-0000-0000-0000000000c9";
    let before = world_text(&app).await;
    let cases = [
        (
            json!({"backupJobId": unknown, "repositoryId": archive}),
            "was not found",
        ),
        (json!({"repositoryId": archive}), "backupJobId"),
        (json!({"backupJobId": SEED_JOB}), "repositoryId"),
        (
            json!({"backupJobId": SEED_JOB, "repositoryId": unknown}),
            "was not found",
        ),
        (
            json!({"backupJobId": SEED_JOB, "repositoryId": own}),
            "another repository",
        ),
        (
            json!({"backupJobId": SEED_JOB, "repositoryId": repository_named(&app, "contoso repository").await}),
            "object storage",
        ),
        (
            json!({"backupJobId": copied, "repositoryId": archive}),
            "already has",
        ),
        (
            json!({"backupJobId": SEED_JOB, "repositoryId": archive, "schedulePolicy": {"type": "DailyAtTime"}}),
            "dailyTime",
        ),
    ];
    for (body, words) in cases {
        for version in ["v6", "v7", "v8"] {
            let mut body = body.clone();
            if version == "v8" {
                body["organizationId"] = json!(SEED_ORGANIZATION);
            }
            let (status, refusal) = send(
                &app,
                Method::POST,
                &format!("/{version}/CopyJobs"),
                Some(body.clone()),
            )
            .await;
            assert_eq!(status, 400, "{version} {body}: {refusal}");
            let message = refusal["message"].as_str().unwrap();
            assert!(message.contains(words), "{version} {body}: {message}");
            match version {
                "v6" => assert!(refusal.get("errorCode").is_none()),
                "v7" => assert_eq!(refusal["errorCode"], Value::Null),
                _ => assert!(refusal["errorCode"].is_string(), "{refusal}"),
            }
        }
    }
    let (status, refusal) = send(
        &app,
        Method::POST,
        "/v8/CopyJobs",
        Some(json!({"backupJobId": SEED_JOB, "repositoryId": archive,
                    "organizationId": "00000000-0000-0000-0000-0000000000c8"})),
    )
    .await;
    assert_eq!(status, 400, "{refusal}");
    assert_eq!(
        world_text(&app).await,
        before,
        "the refusals changed nothing"
    );

    // A repository a copy job copies to stays while the copy job does.
    let (status, refusal) = send(
        &app,
        Method::DELETE,
        &format!("/v6/BackupRepositories/{archive}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"].as_str().unwrap().contains("copy job"),
        "{refusal}"
    );
    for path in [
        format!("/v6/CopyJobs/{unknown}"),
        format!("/v6/CopyJobs/{unknown}/BackupJob"),
        format!("/v6/Jobs/{SEED_JOB}/CopyJob"),
    ] {
        assert_eq!(app.get(&path, Some("t")).await.status(), 404, "{path}");
    }
    assert_eq!(
        app.get("/v6/CopyJobs/nope", Some("t")).await.status(),
        400,
        "a malformed id"
    );
    let filtered = app
        .json(&format!("/v6/CopyJobs?repositoryId={archive}"), "t")
        .await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    let none = app
        .json(&format!("/v6/CopyJobs?repositoryId={own}"), "t")
        .await;
    assert!(none.as_array().unwrap().is_empty());
    let by_organization = app
        .json(
            &format!("/v8/CopyJobs?organizationId={SEED_ORGANIZATION}"),
            "t",
        )
        .await;
    assert!(by_organization["results"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_example_world_copies_fabrikams_mailboxes_after_every_backup_and_a_file_keeps_it() {
    let app = spawn_app_with(FROZEN).await;
    let copies = app.json("/v7/CopyJobs", "t").await;
    let copies = copies.as_array().unwrap();
    assert_eq!(copies.len(), 1);
    let copy = &copies[0];
    assert_eq!(copy["name"], "fabrikam mailboxes copy");
    let copy_id = id(copy);
    let sessions = copy_sessions(&app, &copy_id).await;
    assert!(sessions.len() > 20, "a month of copies: {}", sessions.len());
    assert_eq!(copy["lastRun"], sessions[0]["creationTime"]);
    let archive = app
        .json(
            &format!(
                "/v7/BackupRepositories/{}",
                copy["repositoryId"].as_str().unwrap()
            ),
            "t",
        )
        .await;
    assert_eq!(archive["isLongTerm"], true);
    assert_eq!(archive["objectStorageEncryptionEnabled"], true);
    assert!(archive["encryptionKeyId"].is_string());

    let exported = world_text(&app).await;
    let response = app
        .admin(
            Method::PUT,
            "/__admin/world",
            Some(&serde_json::from_str(&exported).unwrap()),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        world_text(&app).await,
        exported,
        "an export loads back to the same bytes"
    );
    assert_eq!(
        app.json(&format!("/v7/CopyJobs/{copy_id}"), "t").await,
        *copy
    );
}

//! The `/__admin` control API: replace, reset, edits, log appends, the journal, the admin token.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_JOB, SEED_ORGANIZATION, SEED_SESSION, TestApp, assert_error, problems, spawn_app,
    spawn_app_with,
};

async fn admin_json(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<&Value>,
    status: u16,
) -> Value {
    let response = app.admin(method.clone(), path, body).await;
    assert_eq!(response.status(), status, "{method} {path}");
    if status == 204 {
        return Value::Null;
    }
    response.json().await.unwrap()
}

async fn world(app: &TestApp) -> Value {
    admin_json(app, Method::GET, "/__admin/world", None, 200).await
}

#[tokio::test]
async fn an_invalid_replacement_names_each_problem_and_changes_nothing() {
    let app = spawn_app().await;
    let before = world(&app).await;
    let invalid = json!({
        "format": 1,
        "jobs": [{"name": "", "organizationId": SEED_ORGANIZATION, "repositoryId": SEED_ORGANIZATION}]
    });
    let body = admin_json(&app, Method::PUT, "/__admin/world", Some(&invalid), 400).await;
    let problems = problems(&body);
    assert_eq!(
        problems,
        [
            "jobs[0].name: must not be empty",
            "jobs[0].organizationId: no organization with this id",
            "jobs[0].repositoryId: no repository with this id"
        ]
    );
    let wrong_type = admin_json(
        &app,
        Method::PUT,
        "/__admin/world",
        Some(&json!({"format": "one"})),
        400,
    )
    .await;
    assert!(
        wrong_type["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("format: ")
    );
    assert_eq!(world(&app).await, before);
}

/// Sends `body` as the replacement world, byte for byte.
async fn put_world_text(app: &TestApp, body: Vec<u8>) -> reqwest::Response {
    app.client
        .put(app.url("/__admin/world"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_export_goes_back_in_as_it_is_and_a_cut_or_trailed_one_changes_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let exported = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let replaced = put_world_text(&app, exported.clone()).await;
    assert_eq!(replaced.status(), 200);
    let summary: Value = replaced.json().await.unwrap();
    assert!(summary["sessions"].as_u64().unwrap() > 0, "{summary}");
    let exported_again = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        exported_again == exported,
        "the world changed on its way back"
    );

    let before = world(&app).await;
    let cut = exported[..exported.len() / 2].to_vec();
    let mut trailed = exported.clone();
    trailed.extend_from_slice(b"{}");
    for (body, expected) in [
        (cut, "EOF while parsing"),
        (trailed, "$: trailing characters"),
    ] {
        let refused = put_world_text(&app, body).await;
        assert_eq!(refused.status(), 400);
        let refused: Value = refused.json().await.unwrap();
        assert!(
            problems(&refused)[0].contains(expected),
            "{expected}: {refused}"
        );
    }
    assert_eq!(world(&app).await, before);
}

#[tokio::test]
async fn a_replaced_world_is_served_and_reset_brings_the_start_back() {
    let app = spawn_app().await;
    let replacement = json!({
        "format": 1,
        "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "only.onmicrosoft.com"}]
    });
    let summary = admin_json(&app, Method::PUT, "/__admin/world", Some(&replacement), 200).await;
    assert_eq!(summary["organizations"], 1);
    let token = app.access_token().await;
    let organizations = app.json("/v3/Organizations", &token).await;
    assert_eq!(organizations.as_array().unwrap().len(), 1);
    assert_eq!(organizations[0]["name"], "only.onmicrosoft.com");
    assert_eq!(
        app.get(&format!("/v3/JobSessions/{SEED_SESSION}"), Some(&token))
            .await
            .status(),
        404
    );

    admin_json(&app, Method::POST, "/__admin/reset", None, 200).await;
    assert_eq!(
        app.get(&format!("/v3/JobSessions/{SEED_SESSION}"), Some(&token))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn organizations_and_jobs_are_created_replaced_and_deleted() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let organization = admin_json(
        &app,
        Method::POST,
        "/__admin/organizations",
        Some(&json!({"name": "newco.onmicrosoft.com"})),
        201,
    )
    .await;
    let organization_id = organization["id"].as_str().unwrap();
    assert_eq!(organization["officeName"], "newco");
    let served = app
        .json(&format!("/v3/Organizations/{organization_id}"), &token)
        .await;
    assert_eq!(served["isBackedup"], false);
    assert_eq!(served["firstBackuptime"], Value::Null);

    let repository = app.json("/v3/BackupRepositories", &token).await[0]["id"].clone();
    let job = json!({"name": "NewCo mail", "organizationId": organization_id, "repositoryId": repository,
                     "schedule": {"type": "Periodically", "everyMinutes": 60}});
    let job = admin_json(&app, Method::POST, "/__admin/jobs", Some(&job), 201).await;
    let job_id = job["id"].as_str().unwrap();
    let jobs = app
        .json(&format!("/v3/Organizations/{organization_id}/Jobs"), &token)
        .await;
    assert_eq!(jobs[0]["schedulePolicy"]["periodicallyEvery"], "Hours1");
    assert_eq!(jobs[0]["lastRun"], Value::Null);

    let renamed = json!({"name": "NewCo mailboxes", "organizationId": organization_id, "repositoryId": repository});
    admin_json(
        &app,
        Method::PUT,
        &format!("/__admin/jobs/{job_id}"),
        Some(&renamed),
        200,
    )
    .await;
    assert_eq!(
        app.json(&format!("/v3/Jobs/{job_id}"), &token).await["name"],
        "NewCo mailboxes"
    );

    let dangling =
        json!({"name": "x", "organizationId": organization_id, "repositoryId": organization_id});
    let refused = admin_json(&app, Method::POST, "/__admin/jobs", Some(&dangling), 400).await;
    assert_eq!(
        refused["problems"][0],
        "repositoryId: no repository with this id"
    );

    admin_json(
        &app,
        Method::DELETE,
        &format!("/__admin/organizations/{organization_id}"),
        None,
        204,
    )
    .await;
    assert_eq!(
        app.get(&format!("/v3/Jobs/{job_id}"), Some(&token))
            .await
            .status(),
        404,
        "jobs go with their organization"
    );
    admin_json(
        &app,
        Method::DELETE,
        &format!("/__admin/organizations/{organization_id}"),
        None,
        404,
    )
    .await;
}

#[tokio::test]
async fn a_session_with_its_log_is_added_and_log_items_are_appended_with_usns() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let session = json!({
        "jobId": SEED_JOB,
        "creationTime": "2017-04-05T07:07:00Z",
        "endTime": "2017-04-05T07:09:00Z",
        "status": "Failed",
        "logItems": [{"message": "Job started", "creationTime": "2017-04-05T00:07:00-07:00"}]
    });
    let created = admin_json(&app, Method::POST, "/__admin/sessions", Some(&session), 201).await;
    let session_id = created["id"].as_str().unwrap();
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), &token).await;
    assert_eq!(job["lastStatus"], "Failed");

    let appended = admin_json(
        &app,
        Method::POST,
        &format!("/__admin/sessions/{session_id}/logitems"),
        Some(&json!([
            {"severity": "Failed", "message": "Processing mailbox: x", "creationTime": "2017-04-05T00:08:00-07:00"},
            {"severity": "Failed", "message": "Job finished with errors", "creationTime": "2017-04-05T00:09:00-07:00"}
        ])),
        201,
    )
    .await;
    assert_eq!(appended[0]["usn"], 2);
    assert_eq!(appended[1]["usn"], 3);
    let log = app
        .json(&format!("/v3/JobSessions/{session_id}/LogItems"), &token)
        .await;
    let titles: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "[Success] Job started",
            "[Failed] Processing mailbox: x",
            "[Failed] Job finished with errors"
        ]
    );

    let stale = json!([{"usn": 3, "message": "late", "creationTime": "2017-04-05T00:09:00-07:00"}]);
    let refused = admin_json(
        &app,
        Method::POST,
        &format!("/__admin/sessions/{session_id}/logitems"),
        Some(&stale),
        400,
    )
    .await;
    assert_eq!(refused["problems"][0], "[0].usn: must be greater than 3");
    assert_eq!(
        app.json(&format!("/v3/JobSessions/{session_id}/LogItems"), &token)
            .await,
        log
    );

    let unknown = "/__admin/sessions/00000000-0000-0000-0000-000000000077/logitems";
    admin_json(&app, Method::POST, unknown, Some(&json!([])), 404).await;
    admin_json(
        &app,
        Method::DELETE,
        &format!("/__admin/sessions/{session_id}"),
        None,
        204,
    )
    .await;
    assert_eq!(
        app.get(&format!("/v3/JobSessions/{session_id}"), Some(&token))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn replacing_a_session_without_log_items_keeps_its_log() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let before = app
        .json(&format!("/v3/JobSessions/{SEED_SESSION}/LogItems"), &token)
        .await;
    let replacement = json!({
        "jobId": SEED_JOB, "creationTime": "2017-04-04T07:07:21.3664166Z",
        "endTime": "2017-04-04T07:07:52.0162379Z", "status": "Warning"
    });
    admin_json(
        &app,
        Method::PUT,
        &format!("/__admin/sessions/{SEED_SESSION}"),
        Some(&replacement),
        200,
    )
    .await;
    assert_eq!(
        app.json(&format!("/v3/JobSessions/{SEED_SESSION}"), &token)
            .await["status"],
        "Warning"
    );
    assert_eq!(
        app.json(&format!("/v3/JobSessions/{SEED_SESSION}/LogItems"), &token)
            .await,
        before
    );
}

#[tokio::test]
async fn reset_brings_back_a_log_the_live_world_appended_to() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let path = format!("/v3/JobSessions/{SEED_SESSION}/LogItems");
    let before = app.json(&path, &token).await;
    admin_json(
        &app,
        Method::POST,
        &format!("/__admin/sessions/{SEED_SESSION}/logitems"),
        Some(&json!([{
            "message": "Processing mailbox: late@eastsupport.onmicrosoft.com",
            "creationTime": "2017-04-04T00:08:00.1234567-07:00"
        }])),
        201,
    )
    .await;
    let appended = app.json(&path, &token).await;
    assert_eq!(appended.as_array().unwrap().len(), 9);
    assert_eq!(appended[8]["usn"], 9);
    assert_eq!(
        appended[8]["title"],
        "[Success] Processing mailbox: late@eastsupport.onmicrosoft.com"
    );
    assert_eq!(appended[8]["endTime"], "2017-04-04T00:08:00.1234567-07:00");
    admin_json(&app, Method::POST, "/__admin/reset", None, 200).await;
    assert_eq!(app.json(&path, &token).await, before);
}

#[tokio::test]
async fn the_journal_records_requests_with_secrets_redacted_and_filters_them() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    app.get(
        &format!("/v3/JobSessions/{SEED_SESSION}/LogItems?limit=2"),
        Some(&token),
    )
    .await;
    app.get("/v3/Nothing", Some(&token)).await;

    let journal = admin_json(&app, Method::GET, "/__admin/requests", None, 200).await;
    assert_eq!(journal["total"], 3);
    let text = journal.to_string();
    assert!(!text.contains(&token), "the bearer token leaked");
    assert!(!text.contains("password=admin"), "the password leaked");
    let newest = &journal["requests"][0];
    assert_eq!(newest["path"], "/v3/Nothing");
    assert_eq!(newest["status"], 404);
    assert_eq!(newest["version"], "v3");
    let logitems = &journal["requests"][1];
    assert_eq!(
        logitems["path"],
        format!("/v3/JobSessions/{SEED_SESSION}/LogItems?limit=2")
    );
    assert_eq!(logitems["headers"]["authorization"], "<redacted>");
    let login = &journal["requests"][2];
    assert_eq!(login["method"], "POST");
    assert!(login["bodyBytes"].as_u64().unwrap() > 0);
    assert!(login.get("body").is_none(), "bodies are never kept");

    let filtered = admin_json(&app, Method::GET, "/__admin/requests?status=404", None, 200).await;
    assert_eq!(filtered["total"], 1);
    let by_path = admin_json(
        &app,
        Method::GET,
        "/__admin/requests?path=logitems&method=get",
        None,
        200,
    )
    .await;
    assert_eq!(by_path["total"], 1);
    let future = admin_json(
        &app,
        Method::GET,
        "/__admin/requests?since=2999-01-01T00:00:00Z",
        None,
        200,
    )
    .await;
    assert_eq!(future["total"], 0);
    admin_json(&app, Method::GET, "/__admin/requests?status=abc", None, 400).await;

    admin_json(&app, Method::DELETE, "/__admin/requests", None, 204).await;
    assert_eq!(
        admin_json(&app, Method::GET, "/__admin/requests", None, 200).await["total"],
        0
    );
}

#[tokio::test]
async fn the_journal_keeps_only_the_newest_requests() {
    let app = spawn_app_with(&["--journal-size", "2", "--static-token", "t"]).await;
    for path in ["/v3/Jobs", "/v3/Proxies", "/v3/Organizations"] {
        app.get(path, Some("t")).await;
    }
    let journal = admin_json(&app, Method::GET, "/__admin/requests", None, 200).await;
    let paths: Vec<&str> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/v3/Organizations", "/v3/Proxies"]);
}

#[tokio::test]
async fn the_admin_token_guards_everything_but_health() {
    let app = spawn_app_with(&["--admin-token", "let-me-in"]).await;
    assert_eq!(app.get("/__admin/health", None).await.status(), 200);
    let refused = app.get("/__admin/world", None).await;
    assert_eq!(refused.status(), 401);
    let wrong = app.get("/__admin/requests", Some("nope")).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        app.get("/__admin/world", Some("let-me-in")).await.status(),
        200
    );
    let reset = app
        .client
        .post(app.url("/__admin/reset"))
        .send()
        .await
        .unwrap();
    assert_error(reset, 401).await;
}

/// Writers append while readers page: every usn is seen exactly once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_paging_while_writers_append_see_every_item_once_in_order() {
    const BATCHES: usize = 100;
    const PER_BATCH: usize = 5;
    let app = spawn_app_with(&["--static-token", "t", "--journal-size", "0"]).await;
    let session = json!({"jobId": SEED_JOB, "creationTime": "2017-04-06T07:00:00Z"});
    let created = admin_json(&app, Method::POST, "/__admin/sessions", Some(&session), 201).await;
    let session_id = created["id"].as_str().unwrap().to_owned();

    let writer = async {
        for batch in 0..BATCHES {
            let items: Vec<Value> = (0..PER_BATCH)
                .map(|index| json!({"message": format!("item {batch}.{index}"), "creationTime": "2017-04-06T00:00:00-07:00"}))
                .collect();
            let path = format!("/__admin/sessions/{session_id}/logitems");
            assert_eq!(
                app.admin(Method::POST, &path, Some(&Value::from(items)))
                    .await
                    .status(),
                201
            );
        }
    };
    let reader = async {
        let mut seen: Vec<i64> = Vec::new();
        for _ in 0..20_000 {
            if seen.len() == BATCHES * PER_BATCH {
                break;
            }
            let path = format!(
                "/v3/JobSessions/{session_id}/LogItems?offset={}&limit=7",
                seen.len()
            );
            let page = app.json(&path, "t").await;
            seen.extend(
                page.as_array()
                    .unwrap()
                    .iter()
                    .map(|item| item["usn"].as_i64().unwrap()),
            );
        }
        seen
    };
    let ((), seen) = tokio::join!(writer, reader);
    assert_eq!(seen, (1..=(BATCHES * PER_BATCH) as i64).collect::<Vec<_>>());
}

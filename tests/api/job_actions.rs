//! `POST /v3/Jobs/{id}/Action`: start, stop, enable, disable, and every way to get it wrong.

use serde_json::Value;

use crate::helpers::{SEED_JOB, TestApp, assert_error, spawn_app};

async fn act(app: &TestApp, token: &str, job_id: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v3/Jobs/{job_id}/Action")))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn assert_done(response: reqwest::Response) {
    assert_eq!(response.status(), 200);
    assert!(
        response.bytes().await.unwrap().is_empty(),
        "success has an empty body"
    );
}

async fn newest_session(app: &TestApp, token: &str) -> Value {
    app.json(&format!("/v3/Jobs/{SEED_JOB}/JobSessions?limit=1"), token)
        .await[0]
        .clone()
}

#[tokio::test]
async fn start_creates_a_running_session_and_stop_ends_it() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    assert_done(act(&app, &token, SEED_JOB, r#"{"start":null}"#).await).await;

    let session = newest_session(&app, &token).await;
    assert_eq!(session["status"], "Running");
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), &token).await;
    assert_eq!(job["lastStatus"], "Running");
    assert_eq!(job["lastRun"], session["creationTime"]);
    let log = app.follow(&session["_links"]["log"]["href"], &token).await;
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert!(
        log[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("[Success] Job started at ")
    );

    let again = act(&app, &token, SEED_JOB, r#"{"start":null}"#).await;
    assert!(assert_error(again, 400).await.contains("already running"));

    assert_done(act(&app, &token, SEED_JOB, r#"{"stop":null}"#).await).await;
    let stopped = app.follow(&session["_links"]["self"]["href"], &token).await;
    assert_eq!(stopped["status"], "Stopped");
    assert_ne!(stopped["endTime"], "0001-01-01T00:00:00");
    let log = app.follow(&session["_links"]["log"]["href"], &token).await;
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(last["usn"], 2);
    assert!(last["title"].as_str().unwrap().contains("stopped by user"));
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), &token).await;
    assert_eq!(job["lastStatus"], "Stopped");

    let stop_again = act(&app, &token, SEED_JOB, r#"{"stop":null}"#).await;
    assert!(assert_error(stop_again, 400).await.contains("not running"));
}

#[tokio::test]
async fn a_disabled_job_cannot_start_until_enabled() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    assert_done(act(&app, &token, SEED_JOB, r#"{"disable":null}"#).await).await;
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), &token).await;
    assert_eq!(job["isEnabled"], false);
    assert_eq!(job["nextRun"], Value::Null);
    assert!(
        assert_error(act(&app, &token, SEED_JOB, r#"{"start":null}"#).await, 400)
            .await
            .contains("disabled")
    );
    assert_done(act(&app, &token, SEED_JOB, r#"{"Enable":null}"#).await).await;
    assert_eq!(
        app.json(&format!("/v3/Jobs/{SEED_JOB}"), &token).await["isEnabled"],
        true
    );
    assert_done(act(&app, &token, SEED_JOB, r#"{"start":null}"#).await).await;
}

#[tokio::test]
async fn bad_action_bodies_are_400_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let before = newest_session(&app, &token).await;
    for body in [
        r#"{"restart":null}"#,
        r#"{"start":null,"stop":null}"#,
        "{}",
        "[]",
        "start",
        "",
    ] {
        assert_error(act(&app, &token, SEED_JOB, body).await, 400).await;
    }
    assert_eq!(newest_session(&app, &token).await, before);
}

#[tokio::test]
async fn actions_on_unknown_or_malformed_jobs_fail_cleanly() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let unknown = "00000000-0000-0000-0000-000000000042";
    assert_error(act(&app, &token, unknown, r#"{"start":null}"#).await, 404).await;
    assert_error(act(&app, &token, "nope", r#"{"start":null}"#).await, 400).await;
    let anonymous = app
        .client
        .post(app.url(&format!("/v3/Jobs/{SEED_JOB}/Action")))
        .body(r#"{"start":null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

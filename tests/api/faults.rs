//! Failure on demand: fault rules set on the command line, in the world or through the
//! control API, each action and trigger as a client meets it.

use std::time::{Duration, Instant};

use clap::Parser;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, TestApp, advance, client_trusting, spawn_app_with, status_and_json};

async fn add_rule(app: &TestApp, rule: Value) -> Value {
    let response = app
        .admin(Method::POST, "/__admin/faults", Some(&rule))
        .await;
    let (status, added) = status_and_json(response).await;
    assert_eq!(status, 201, "{added}");
    added
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    app.get(path, Some("t")).await.status().as_u16()
}

#[tokio::test]
async fn a_status_rule_answers_in_the_versions_shape_and_is_journaled_and_counted() {
    let app = spawn_app_with(FROZEN).await;
    let before = app.get("/v8/Jobs", Some("t")).await.text().await.unwrap();
    let rule = add_rule(
        &app,
        json!({"method": "GET", "path": "/v8/Jobs", "status": 503, "retryAfter": 5}),
    )
    .await;
    assert_eq!(rule["id"], "fault-1");
    let answer = app.get("/v8/jobs", Some("t")).await;
    assert_eq!(answer.status(), 503);
    assert_eq!(answer.headers()["retry-after"], "5");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["errorCode"], "HttpError");
    assert!(body["message"].as_str().unwrap().contains("fault-1"));
    assert_eq!(status_of(&app, "/v7/Jobs").await, 200, "v7 is not named");
    assert_eq!(
        app.get("/__admin/health", None).await.status(),
        200,
        "the control API is never faulted"
    );

    let journal: Value = app
        .get("/__admin/requests?path=/v8/jobs", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(journal["requests"][0]["fault"], "fault-1");
    let metrics = app
        .get("/__admin/metrics", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"vb365_mock_faults_fired_total{rule="fault-1"} 1"#),
        "{metrics}"
    );

    let removed = app
        .admin(Method::DELETE, "/__admin/faults/fault-1", None)
        .await;
    assert_eq!(removed.status(), 204);
    let after = app.get("/v8/Jobs", Some("t")).await.text().await.unwrap();
    assert_eq!(
        after, before,
        "without rules the emulator answers as before"
    );
    let again = app
        .admin(Method::DELETE, "/__admin/faults/fault-1", None)
        .await;
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn nth_and_times_count_the_matching_requests() {
    let app = spawn_app_with(FROZEN).await;
    add_rule(&app, json!({"path": "/v8/Jobs", "status": 500, "nth": 2})).await;
    add_rule(
        &app,
        json!({"path": "/v8/Proxies", "status": 502, "times": 2}),
    )
    .await;
    let mut jobs = Vec::new();
    let mut proxies = Vec::new();
    for _ in 0..4 {
        jobs.push(status_of(&app, "/v8/Jobs").await);
        proxies.push(status_of(&app, "/v8/Proxies").await);
    }
    assert_eq!(jobs, [200, 500, 200, 200]);
    assert_eq!(proxies, [502, 502, 200, 200]);
}

/// The statuses of 24 requests against a fresh emulator with a 50 % rule.
async fn chance_run() -> Vec<u16> {
    let app = spawn_app_with(&[
        "--clock",
        "frozen:2017-04-04T09:00:00Z",
        "--static-token",
        "t",
        "--fault",
        "GET /v8/Jobs status=500 probability=0.5",
    ])
    .await;
    let mut statuses = Vec::new();
    for _ in 0..24 {
        statuses.push(status_of(&app, "/v8/Jobs").await);
    }
    statuses
}

#[tokio::test]
async fn a_chance_is_drawn_from_the_seed_so_a_run_replays() {
    let first = chance_run().await;
    assert_eq!(first, chance_run().await);
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
}

#[tokio::test]
async fn a_window_of_virtual_time_bounds_a_rule() {
    let app = spawn_app_with(FROZEN).await;
    add_rule(
        &app,
        json!({"path": "/v8/**", "status": 500,
               "from": "2017-04-04T10:00:00Z", "until": "2017-04-04T11:00:00Z"}),
    )
    .await;
    assert_eq!(status_of(&app, "/v8/Jobs").await, 200);
    advance(&app, 3_600.0).await;
    assert_eq!(status_of(&app, "/v8/Jobs").await, 500);
    assert_eq!(status_of(&app, "/v8/Organizations").await, 500);
    advance(&app, 3_600.0).await;
    assert_eq!(status_of(&app, "/v8/Jobs").await, 200);
}

#[tokio::test]
async fn latency_delays_the_answer_within_its_bounds() {
    let app = spawn_app_with(FROZEN).await;
    add_rule(
        &app,
        json!({"path": "/v8/Jobs", "delayMs": 300, "delayMaxMs": 400}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(status_of(&app, "/v8/Jobs").await, 200);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_reset_a_cut_body_and_a_slow_body_are_what_a_client_meets() {
    let app = spawn_app_with(FROZEN).await;
    add_rule(&app, json!({"path": "/v8/Jobs", "reset": true})).await;
    add_rule(&app, json!({"path": "/v8/Proxies", "cutAfterBytes": 10})).await;
    add_rule(
        &app,
        json!({"path": "/v8/Organizations", "bytesPerSecond": 20_000}),
    )
    .await;
    add_rule(
        &app,
        json!({"path": "/v8/BackupRepositories", "empty": true}),
    )
    .await;
    add_rule(
        &app,
        json!({"path": "/v8/RestorePoints", "malformed": true}),
    )
    .await;

    let reset = app
        .client
        .get(app.url("/v8/Jobs"))
        .bearer_auth("t")
        .send()
        .await;
    match reset {
        Err(_) => {}
        Ok(answer) => assert!(answer.bytes().await.is_err(), "a reset gave a whole answer"),
    }

    let http1 = client_trusting(&app.server, "localhost", |builder| builder.http1_only());
    let cut = http1
        .get(app.url("/v8/Proxies"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(cut.status(), 200);
    assert!(cut.bytes().await.is_err(), "a cut body read whole");
    let cut_over_http2 = app
        .client
        .get(app.url("/v8/Proxies"))
        .bearer_auth("t")
        .send()
        .await;
    match cut_over_http2 {
        Err(_) => {}
        Ok(answer) => assert!(answer.bytes().await.is_err(), "a cut body read whole"),
    }

    let started = Instant::now();
    let slow = app.get("/v8/Organizations", Some("t")).await;
    let bytes = slow.bytes().await.unwrap();
    serde_json::from_slice::<Value>(&bytes).expect("a slow body arrives whole");
    let expected = Duration::from_millis((bytes.len() as u64 * 1000 / 20_000).saturating_sub(200));
    assert!(started.elapsed() >= expected, "{:?}", started.elapsed());

    let empty = app.get("/v8/BackupRepositories", Some("t")).await;
    assert_eq!(empty.status(), 200);
    assert!(empty.bytes().await.unwrap().is_empty());

    let malformed = app.get("/v8/RestorePoints", Some("t")).await;
    assert_eq!(malformed.status(), 200);
    let text = malformed.bytes().await.unwrap();
    assert!(!text.is_empty() && serde_json::from_slice::<Value>(&text).is_err());
}

#[tokio::test]
async fn a_rule_can_name_a_user_and_lives_in_the_world_file() {
    let app = spawn_app_with(&["--clock", "frozen:2017-04-04T09:00:00Z"]).await;
    add_rule(
        &app,
        json!({"id": "admin-only", "path": "/v8/Jobs", "status": 500, "user": "admin"}),
    )
    .await;
    let admin = app.access_token().await;
    assert_eq!(app.get("/v8/Jobs", Some(&admin)).await.status(), 500);

    let world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(world["faults"][0]["id"], "admin-only");
    let cleared = app.admin(Method::DELETE, "/__admin/faults", None).await;
    assert_eq!(cleared.status(), 204);
    assert_eq!(app.get("/v8/Jobs", Some(&admin)).await.status(), 200);
    let restored = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert_eq!(restored.status(), 200);
    assert_eq!(app.get("/v8/Jobs", Some(&admin)).await.status(), 500);

    let mut broken = world.clone();
    broken["faults"][0]["status"] = json!(99);
    let refused = app
        .admin(Method::PUT, "/__admin/world", Some(&broken))
        .await;
    let (status, problems) = status_and_json(refused).await;
    assert_eq!(status, 400);
    assert!(
        problems.to_string().contains("faults[0].status"),
        "{problems}"
    );
}

#[tokio::test]
async fn a_rule_that_does_not_parse_is_refused_with_what_is_wrong() {
    let app = spawn_app_with(FROZEN).await;
    for rule in [
        json!({"path": "/v8/Jobs"}),
        json!({"path": "v8/Jobs", "status": 500}),
        json!({"path": "/v8/Jobs", "status": 500, "reset": true}),
        json!({"path": "/v8/Jobs", "status": 500, "colour": "red"}),
        json!({"path": "/v8/Jobs", "delayMs": 10_000_000}),
    ] {
        let response = app
            .admin(Method::POST, "/__admin/faults", Some(&rule))
            .await;
        assert_eq!(response.status(), 400, "{rule}");
    }
    let listed: Value = app.get("/__admin/faults", None).await.json().await.unwrap();
    assert_eq!(listed["faults"], json!([]));
    assert!(
        vb365_mock::config::Config::try_parse_from([
            "vb365-mock",
            "--fault",
            "GET /v8/Jobs status=700"
        ])
        .is_err()
    );
}

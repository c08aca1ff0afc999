//! Logs and request ids: JSON lines a pipeline can read with no secret in any of them, no
//! colour codes into a pipe, and an `X-Request-Id` that the journal keeps.

use std::io::Read;
use std::process::Stdio;

use serde_json::Value;

use crate::helpers::{SEED_SESSION, spawn_app, spawn_binary, temp_path};

const PASSWORD: &str = "pa55-word-in-the-form";
const QUERY_SECRET: &str = "secret-in-the-query";

#[tokio::test]
async fn json_logs_are_one_object_a_line_and_no_line_holds_a_secret() {
    let log_file = temp_path("json.log");
    let user = format!("alice:{PASSWORD}");
    let mut spawned = spawn_binary(
        &["--log-format", "json", "--log", "debug", "--user", &user],
        |command| {
            command.stderr(std::fs::File::create(&log_file).unwrap());
        },
    );
    let token: Value = spawned
        .client
        .post(spawned.url("/v3/Token?client=ci"))
        .form(&[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = token["access_token"].as_str().unwrap().to_owned();
    let refresh = token["refresh_token"].as_str().unwrap().to_owned();
    let refreshed = spawned
        .client
        .post(spawned.url("/v3/Token"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    let answer = spawned
        .client
        .get(spawned.url(&format!(
            "/v3/JobSessions/{SEED_SESSION}/LogItems?password={QUERY_SECRET}"
        )))
        .bearer_auth(&access)
        .header("X-Request-Id", "ci-run-7")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-request-id"], "ci-run-7");
    assert!(spawned.stop().success());

    let text = std::fs::read_to_string(&log_file).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
        })
        .collect();
    for (line, parsed) in text.lines().zip(&lines) {
        assert!(parsed.is_object(), "{line}");
        for secret in [PASSWORD, QUERY_SECRET, &access, &refresh] {
            assert!(!line.contains(secret), "a secret in the log: {line}");
        }
        assert!(!line.to_ascii_lowercase().contains("bearer "), "{line}");
    }
    let requests: Vec<&Value> = lines
        .iter()
        .filter(|line| line["target"] == "vb365_mock::request")
        .collect();
    assert_eq!(requests.len(), 3, "{text}");
    for request in &requests {
        for field in [
            "timestamp",
            "level",
            "method",
            "path",
            "status",
            "latency_ms",
            "request_id",
        ] {
            assert!(!request[field].is_null(), "{field} missing: {request}");
        }
        assert!(request["latency_ms"].as_f64().unwrap() >= 0.0);
    }
    let logged = requests
        .iter()
        .find(|request| request["request_id"] == "ci-run-7")
        .expect("the client's request id is logged");
    assert_eq!(logged["method"], "GET");
    assert_eq!(logged["status"], 200);
    assert_eq!(logged["version"], "v3");
    assert!(
        logged["path"]
            .as_str()
            .unwrap()
            .ends_with("LogItems?password=%3Credacted%3E"),
        "{logged}"
    );
}

#[tokio::test]
async fn text_logs_into_a_pipe_carry_no_colour_codes() {
    let log_file = temp_path("text.log");
    let mut spawned = spawn_binary(&["--log", "debug"], |command| {
        command
            .stderr(std::fs::File::create(&log_file).unwrap())
            .stdin(Stdio::null());
    });
    let health = spawned
        .client
        .get(spawned.url("/__admin/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(spawned.stop().success());
    let mut text = String::new();
    std::fs::File::open(&log_file)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("/__admin/health"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[tokio::test]
async fn every_answer_has_a_request_id_and_the_journal_keeps_it() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let sent = app
        .client
        .get(app.url("/v3/Jobs"))
        .bearer_auth(&token)
        .header("X-Request-Id", "worker-3/test-9")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.headers()["x-request-id"], "worker-3/test-9");
    let made = app.get("/v3/Organizations", Some(&token)).await;
    let made_id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&made_id).is_ok(), "{made_id}");
    let health = app.get("/__admin/health", None).await;
    assert!(health.headers().contains_key("x-request-id"));

    for id in ["worker-3/test-9", made_id.as_str()] {
        let journal: Value = app
            .client
            .get(app.url("/__admin/requests"))
            .query(&[("requestId", id)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(journal["total"], 1, "{journal}");
        assert_eq!(journal["requests"][0]["requestId"], id);
    }
}

#[tokio::test]
async fn the_journal_redacts_secrets_in_queries_and_in_token_requests_with_a_query() {
    let app = spawn_app().await;
    let answered = app
        .post_form(
            "/v3/Token?access_token=in-the-url",
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_eq!(answered.status(), 200);
    let journal: Value = app
        .get("/__admin/requests?path=token", None)
        .await
        .json()
        .await
        .unwrap();
    let entry = &journal["requests"][0];
    assert_eq!(entry["path"], "/v3/Token?access_token=%3Credacted%3E");
    assert!(!entry.to_string().contains("password=admin"), "{entry}");
}

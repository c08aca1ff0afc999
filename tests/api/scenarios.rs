//! Trouble scenarios as a client meets them: each built-in one visible across the resources
//! it touches and in how runs go, declared ones from world files and the control API, and
//! removal putting everything back.

use std::sync::Arc;

use clap::Parser;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::client::WebPkiServerVerifier;
use tokio_rustls::rustls::client::danger::ServerCertVerifier;
use tokio_rustls::rustls::pki_types::{ServerName, UnixTime};
use tokio_rustls::rustls::{self, CertificateError, RootCertStore};

use vb365_mock::config::Config;

use crate::helpers::{
    FROZEN, SEED_JOB, TestApp, advance, explore_first_mailbox, rewrite_world, spawn_app_with,
    status_and_json, world_text,
};

async fn apply(app: &TestApp, scenario: Value) -> (u16, Value) {
    status_and_json(
        app.admin(Method::POST, "/__admin/scenarios", Some(&scenario))
            .await,
    )
    .await
}

async fn remove(app: &TestApp, name: &str) -> u16 {
    app.admin(Method::DELETE, &format!("/__admin/scenarios/{name}"), None)
        .await
        .status()
        .as_u16()
}

/// Runs job `job` now with a quick scenario of its own, moves the clock an hour and answers
/// the finished (or still running) session with its log as text.
async fn run_of(app: &TestApp, job: &str) -> (Value, String) {
    let response = app
        .admin(
            Method::POST,
            &format!("/__admin/jobs/{job}/start"),
            Some(&json!({"scenario": {"outcome": "success", "objectsPerMinute": 600}})),
        )
        .await;
    let (status, started) = status_and_json(response).await;
    assert_eq!(status, 201, "{started}");
    let session_id = started["sessionId"].as_str().unwrap().to_owned();
    advance(app, 3600.0).await;
    let session = app
        .json(&format!("/v8/JobSessions/{session_id}"), "t")
        .await;
    let log = app
        .get(
            &format!("/v8/JobSessions/{session_id}/LogItems?limit=1000"),
            Some("t"),
        )
        .await
        .text()
        .await
        .unwrap();
    (session, log)
}

fn repository_of<'a>(repositories: &'a Value, id: &str) -> &'a Value {
    repositories["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|repository| repository["id"] == id)
        .unwrap()
}

#[tokio::test]
async fn repository_full_empties_repositories_and_fails_runs_until_it_is_removed() {
    let app = spawn_app_with(FROZEN).await;
    let job = app.json(&format!("/v8/Jobs/{SEED_JOB}"), "t").await;
    let repository_id = job["repositoryId"].as_str().unwrap().to_owned();
    let before = app.json("/v8/BackupRepositories?limit=100", "t").await;
    let free_before = repository_of(&before, &repository_id)["freeSpaceBytes"]
        .as_u64()
        .unwrap();
    assert!(free_before > 1 << 30);
    let exported_before = world_text(&app).await;

    let (status, applied) = apply(&app, json!("repository-full")).await;
    assert_eq!(status, 201, "{applied}");
    assert_eq!(applied["name"], "repository-full");
    let full = app.json("/v8/BackupRepositories?limit=100", "t").await;
    for repository in full["results"].as_array().unwrap() {
        assert!(repository["freeSpaceBytes"].as_u64().unwrap() <= 512 << 20);
    }
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Failed");
    assert!(
        log.contains("There is not enough free space on backup repository"),
        "{log}"
    );

    assert_eq!(remove(&app, "repository-full").await, 204);
    assert_eq!(remove(&app, "repository-full").await, 404);
    let after = app.json("/v8/BackupRepositories?limit=100", "t").await;
    let free_after = repository_of(&after, &repository_id)["freeSpaceBytes"]
        .as_u64()
        .unwrap();
    assert!(free_after > 1 << 30, "space is back: {free_after}");
    assert!(!world_text(&app).await.contains("repository-full"));
    assert!(!exported_before.contains("\"scenarios\""));
}

#[tokio::test]
async fn an_expired_license_reads_expired_and_stops_runs_and_grace_warns() {
    let app = spawn_app_with(FROZEN).await;
    let valid = app.json("/v8/License", "t").await;
    assert_eq!(valid["status"], "Valid");

    apply(&app, json!({"name": "license-expired"})).await;
    let expired = app.json("/v8/License", "t").await;
    assert_eq!(expired["status"], "Expired");
    assert!(expired["licenseExpires"].as_str().unwrap() < "2017-04-04");
    assert!(expired["gracePeriodExpires"].as_str().unwrap() < "2017-04-04");
    let v6 = app.json("/v6/License", "t").await;
    assert_eq!(v6["status"], "Expired");
    let report = app
        .json("/v8/licensing/statistic/reports/latest", "t")
        .await;
    assert_eq!(
        report["reportParameters"]["licenseExpirationDate"], expired["licenseExpires"],
        "the monthly report agrees"
    );
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Failed");
    assert!(log.contains("License has expired"), "{log}");
    assert_eq!(remove(&app, "license-expired").await, 204);

    apply(&app, json!("license-grace")).await;
    let grace = app.json("/v8/License", "t").await;
    let now = app.json("/__admin/clock", "t").await["now"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(grace["status"], "Valid");
    assert!(grace["licenseExpires"].as_str().unwrap() < now.as_str());
    assert!(grace["gracePeriodExpires"].as_str().unwrap() > now.as_str());
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Warning", "{log}");
    assert!(log.contains("Grace period ends on"), "{log}");
}

#[tokio::test]
async fn offline_proxies_read_offline_and_their_jobs_fail_or_wait() {
    let app = spawn_app_with(FROZEN).await;
    apply(&app, json!("proxy-offline")).await;
    let proxies = app.json("/v8/Proxies?limit=100", "t").await;
    for proxy in proxies["results"].as_array().unwrap() {
        assert_eq!(proxy["status"], "Offline");
    }
    let v6 = app.json("/v6/Proxies", "t").await;
    assert!(
        v6.as_array()
            .unwrap()
            .iter()
            .all(|proxy| proxy["status"] == "Offline")
    );
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Failed");
    assert!(log.contains("Failed to connect to backup proxy"), "{log}");

    let (status, _) = apply(
        &app,
        json!({"name": "proxy-offline", "proxies": {"jobs": "wait"}}),
    )
    .await;
    assert_eq!(status, 200, "the same name replaces the scenario");
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Running");
    assert!(log.contains("Waiting for backup proxy"), "{log}");
}

#[tokio::test]
async fn failing_and_stuck_jobs_go_as_declared() {
    let app = spawn_app_with(FROZEN).await;
    let job = app.json(&format!("/v8/Jobs/{SEED_JOB}"), "t").await;
    let name = job["name"].as_str().unwrap();
    let (status, answer) = apply(
        &app,
        json!({"name": "payroll-broken", "jobs": {"match": name, "error": "Mailbox quota exceeded"}}),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let (session, log) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Failed");
    assert!(log.contains("Mailbox quota exceeded"), "{log}");
    assert_eq!(remove(&app, "payroll-broken").await, 204);

    apply(&app, json!("jobs-stuck")).await;
    let (session, _) = run_of(&app, SEED_JOB).await;
    assert_eq!(session["status"], "Running");
    assert!(session["endTime"].is_null());

    apply(&app, json!("job-failing")).await;
    assert_eq!(
        app.json("/__admin/scenarios", "t").await["active"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// Restores the first item of the session's first mailbox into its second mailbox's
/// Inbox (v7): the statistics it answers.
async fn restore_into_second_mailbox(app: &TestApp, session: &str) -> Value {
    let base = format!("/v7/RestoreSessions/{session}/organization/mailboxes");
    let mailboxes = app.json(&base, "t").await["results"].clone();
    let source = mailboxes[0]["id"].as_str().unwrap();
    let items = app
        .json(&format!("{base}/{source}/items?limit=1"), "t")
        .await;
    let item = items["results"][0]["id"].as_str().unwrap();
    let response = app
        .client
        .post(app.url(&format!("{base}/{source}/items/{item}/restoreTo")))
        .bearer_auth("t")
        .json(
            &json!({"userName": "helpdesk@eastsupport.onmicrosoft.com", "userPassword": "x",
                      "mailbox": mailboxes[1]["email"], "folder": "Inbox"}),
        )
        .send()
        .await
        .unwrap();
    let (status, statistics) = status_and_json(response).await;
    assert_eq!(status, 200, "{statistics}");
    statistics
}

/// The status and message of a restore session's newest event, and the session's result.
async fn newest_event(app: &TestApp, session: &str) -> (String, String, String) {
    let events = app
        .json(&format!("/v7/RestoreSessions/{session}/Events"), "t")
        .await;
    let newest = events["results"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let result = app
        .json(&format!("/v7/RestoreSessions/{session}"), "t")
        .await["result"]
        .clone();
    (
        newest["status"].as_str().unwrap().to_owned(),
        newest["message"].as_str().unwrap().to_owned(),
        result.as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn failing_restores_write_nothing_and_warning_ones_write_and_warn() {
    let app = spawn_app_with(FROZEN).await;
    let session = explore_first_mailbox(&app, "v7").await.session;
    let (status, answer) = apply(&app, json!("restore-failing")).await;
    assert_eq!(status, 201, "{answer}");

    let statistics = restore_into_second_mailbox(&app, &session).await;
    assert_eq!(
        (
            statistics["createdItemsCount"].clone(),
            statistics["failedItemsCount"].clone()
        ),
        (json!(0), json!(1)),
        "{statistics}"
    );
    advance(&app, 5.0).await;
    let (status, message, result) = newest_event(&app, &session).await;
    assert_eq!((status.as_str(), result.as_str()), ("Failed", "Failed"));
    assert!(message.contains("(401) Unauthorized"), "{message}");
    let world: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    assert!(
        world.get("restoredMail").is_none(),
        "a failed restore wrote nothing"
    );
    assert_eq!(remove(&app, "restore-failing").await, 204);

    let (status, answer) = apply(
        &app,
        json!({"name": "restores-throttled",
               "restores": {"result": "warning", "message": "Throttled by Exchange Online"}}),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let statistics = restore_into_second_mailbox(&app, &session).await;
    assert_eq!(statistics["createdItemsCount"], 1, "{statistics}");
    advance(&app, 5.0).await;
    let (status, message, result) = newest_event(&app, &session).await;
    assert_eq!(status, "Warning");
    assert!(
        message.contains("1 item(s) restored") && message.contains("Throttled"),
        "{message}"
    );
    assert_eq!(result, "Failed", "the session keeps its worst result");
    let world: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    assert_eq!(world["restoredMail"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unreachable_object_storage_fails_its_jobs_and_its_browsers() {
    let app = spawn_app_with(FROZEN).await;
    let copy_jobs = app.json("/v8/CopyJobs?limit=100", "t").await;
    let job = copy_jobs["results"][0]["id"]
        .as_str()
        .expect("a copy job writes to object storage")
        .to_owned();
    apply(&app, json!("object-storage-unreachable")).await;
    let (session, log) = run_of(&app, &job).await;
    assert_eq!(session["status"], "Failed");
    assert!(log.contains("Unable to access object storage"), "{log}");
    let browse = app
        .get("/v8/S3CompatibleResources/buckets?accountId=x", Some("t"))
        .await;
    assert_eq!(browse.status(), 500);
    let journal: Value = app
        .get(
            "/__admin/requests?path=/v8/S3CompatibleResources/buckets",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        journal["requests"][0]["fault"],
        "object-storage-unreachable/1"
    );
    assert_eq!(remove(&app, "object-storage-unreachable").await, 204);
    assert_ne!(
        app.get("/v8/S3CompatibleResources/buckets?accountId=x", Some("t"))
            .await
            .status(),
        500
    );
}

#[tokio::test]
async fn a_busy_server_answers_every_route_slowly() {
    let app = spawn_app_with(FROZEN).await;
    apply(&app, json!("server-busy")).await;
    let started = std::time::Instant::now();
    assert_eq!(app.get("/v8/Jobs", Some("t")).await.status(), 200);
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(2000),
        "{waited:?}"
    );
    let started = std::time::Instant::now();
    app.get("/__admin/scenarios", None).await;
    assert!(
        started.elapsed() < std::time::Duration::from_millis(1500),
        "the control API is never slowed"
    );
}

#[tokio::test]
async fn scenarios_come_from_the_command_line_and_world_files_and_go_back_out() {
    let mut flags = FROZEN.to_vec();
    flags.extend_from_slice(&["--scenario", "license-expired"]);
    let app = spawn_app_with(&flags).await;
    assert_eq!(app.json("/v8/License", "t").await["status"], "Expired");

    let declared = json!({
        "name": "nightly-quota",
        "description": "The nightly job fails on quota.",
        "jobs": {"match": "*", "error": "Quota exceeded"},
        "faults": [{"method": "GET", "path": "/v8/Proxies", "status": 503, "retryAfter": 3}]
    });
    rewrite_world(&app, |world| {
        assert_eq!(world["scenarios"], json!(["license-expired"]));
        world["scenarios"] = json!(["repository-full", declared.clone()]);
    })
    .await;
    assert_eq!(app.json("/v8/License", "t").await["status"], "Valid");
    let refused = app.get("/v8/Proxies", Some("t")).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "3");
    let exported: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported["scenarios"][0], "repository-full");
    assert_eq!(exported["scenarios"][1]["name"], "nightly-quota");
    assert_eq!(exported["scenarios"][1]["faults"][0]["status"], 503);

    assert_eq!(
        app.admin(Method::DELETE, "/__admin/scenarios", None)
            .await
            .status(),
        204
    );
    assert_eq!(app.get("/v8/Proxies", Some("t")).await.status(), 200);
}

#[tokio::test]
async fn scenarios_that_do_not_read_are_refused_with_the_reason_and_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    for (scenario, reason) in [
        (
            json!("disk-on-fire"),
            "no built-in scenario is named 'disk-on-fire'",
        ),
        (json!({"name": "quiet"}), "changes nothing"),
        (
            json!({"name": "Bad Name", "license": "expired"}),
            "lower case",
        ),
        (
            json!({"name": "x", "license": "sometimes"}),
            "unknown variant",
        ),
        (
            json!({"name": "x", "jobs": {"error": "a", "stuck": true}}),
            "one of",
        ),
        (
            json!({"name": "x", "faults": [{"path": "/v8/Jobs"}]}),
            "faults[0]",
        ),
        (json!({"name": "x", "colour": "red"}), "unknown field"),
        (
            json!({"name": "x", "restores": {"result": "failed", "message": " "}}),
            "restores.message",
        ),
        (
            json!({"name": "x", "restores": {"result": "maybe", "message": "m"}}),
            "unknown variant",
        ),
    ] {
        let (status, answer) = apply(&app, scenario.clone()).await;
        assert_eq!(status, 400, "{scenario}");
        assert!(answer.to_string().contains(reason), "{scenario}: {answer}");
    }
    assert_eq!(world_text(&app).await, before);

    let mut world: Value = serde_json::from_str(&before).unwrap();
    world["scenarios"] = json!(["repository-full", "repository-full"]);
    let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("comes twice"));

    let unknown = Config::try_parse_from(["vb365-mock", "--scenario", "disk-on-fire"]);
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("they are repository-full")
    );
}

/// What a client that verifies, trusting the presented certificate itself, says of it.
async fn verdict_on_presented_certificate(app: &TestApp) -> Result<(), rustls::Error> {
    let config = vb365_mock::tls::any_server_certificate().unwrap();
    let stream = TcpStream::connect(app.server.addr).await.unwrap();
    let connected = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), stream)
        .await
        .unwrap();
    let presented = connected.get_ref().1.peer_certificates().unwrap()[0].clone();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(presented.clone()).unwrap();
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .unwrap();
    verifier
        .verify_server_cert(
            &presented,
            &[],
            &ServerName::try_from("localhost").unwrap(),
            &[],
            UnixTime::now(),
        )
        .map(|_| ())
}

#[tokio::test]
async fn an_expired_certificate_is_presented_while_the_scenario_is_on() {
    let app = spawn_app_with(FROZEN).await;
    assert!(verdict_on_presented_certificate(&app).await.is_ok());
    apply(&app, json!("certificate-expired")).await;
    let verdict = verdict_on_presented_certificate(&app).await;
    assert!(
        matches!(
            verdict,
            Err(rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            ))
        ),
        "{verdict:?}"
    );
    let fresh = crate::helpers::client_trusting(&app.server, "localhost", |builder| builder);
    assert!(fresh.get(app.url("/v8/Jobs")).send().await.is_err());
    assert_eq!(remove(&app, "certificate-expired").await, 204);
    assert!(verdict_on_presented_certificate(&app).await.is_ok());
    assert_eq!(
        fresh
            .get(app.url("/v8/Jobs"))
            .bearer_auth("t")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[test]
fn a_scenario_or_fault_rule_that_does_not_read_ends_the_start_with_exit_1() {
    for (flag, value, reason) in [
        (
            "--scenario",
            "disk-on-fire",
            "no built-in scenario is named 'disk-on-fire'",
        ),
        ("--fault", "/v8/Jobs colour=red", "unknown field"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_vb365-mock"))
            .args(["--listen", "127.0.0.1:0", flag, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{stderr}");
    }
}

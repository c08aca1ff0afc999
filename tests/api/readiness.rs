//! Readiness for harnesses and orchestrators: the ready line, the port file, health while
//! the world loads, the `health` subcommand, a metrics port that is taken.

use std::io::Read;
use std::process::{Command, Stdio};

use clap::Parser;
use serde_json::Value;
use vb365_mock::config::Config;

use crate::helpers::{SEED_SESSION, spawn_app, spawn_binary, temp_path};

const BINARY: &str = env!("CARGO_BIN_EXE_vb365-mock");

#[tokio::test]
async fn the_ready_line_says_where_to_go_and_what_to_trust_and_nothing_else_is_printed() {
    let port_file = temp_path("ready.port");
    let cert_file = temp_path("ready.pem");
    let mut spawned = spawn_binary(
        &[
            "--port-file",
            port_file.to_str().unwrap(),
            "--write-cert",
            cert_file.to_str().unwrap(),
        ],
        |_| {},
    );
    let ready = spawned.ready.clone();
    let port = ready["port"].as_u64().unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["url"], format!("https://127.0.0.1:{port}"));
    assert_eq!(ready["certificate"], cert_file.to_str().unwrap());
    assert_eq!(
        ready["certificatePem"],
        std::fs::read_to_string(&cert_file).unwrap()
    );
    assert_eq!(ready["metricsUrl"], Value::Null);
    assert_eq!(
        std::fs::read_to_string(&port_file).unwrap(),
        format!("{port}\n")
    );

    // The line came once the server answers: a client trusting only that certificate logs in.
    let token: Value = spawned
        .client
        .post(spawned.url("/v3/Token"))
        .form(&[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "admin"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log = spawned
        .client
        .get(spawned.url(&format!("/v3/JobSessions/{SEED_SESSION}/LogItems")))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(log.status(), 200);

    assert!(spawned.stop().success());
    let mut rest = String::new();
    spawned.stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "stdout holds the ready line only");
}

#[tokio::test]
async fn the_environment_twins_ask_for_the_ready_line_and_the_port_file() {
    let port_file = temp_path("env.port");
    let spawned = spawn_binary(&[], |command| {
        command
            .env("VB365_MOCK_READY_JSON", "1")
            .env("VB365_MOCK_PORT_FILE", &port_file);
    });
    let port: u64 = std::fs::read_to_string(&port_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(spawned.ready["port"], port);
    let health = spawned
        .client
        .get(spawned.url("/__admin/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn health_answers_loading_until_the_world_is_served_then_ok() {
    let config = Config::try_parse_from(["vb365-mock", "--listen", "127.0.0.1:0"]).unwrap();
    let listening = vb365_mock::bind(&config).await.unwrap();
    let addr = listening.addr;
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let url = |path: &str| format!("https://127.0.0.1:{}{path}", addr.port());

    let health = client.get(url("/__admin/health")).send().await.unwrap();
    assert_eq!(health.status(), 503);
    assert_eq!(
        health.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "loading"})
    );
    let early = client.get(url("/v3/Organizations")).send().await.unwrap();
    assert_eq!(early.status(), 503);
    assert_eq!(early.headers()["retry-after"], "1");

    let world = vb365_mock::startup_world(&config).unwrap();
    let _server = listening.serve(&config, world);
    let health = client.get(url("/__admin/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );
}

/// Runs `vb365-mock health` with `args` and `env` on a blocking thread, so that a server
/// on this test's runtime can answer it.
async fn health_command(args: &[&str], env: &[(&'static str, String)]) -> (bool, String, String) {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let env = env.to_vec();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(BINARY)
            .arg("health")
            .args(&args)
            .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
            .env_remove("VB365_MOCK_HEALTH_URL")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_health_subcommand_exits_0_only_when_the_server_is_ready() {
    let app = spawn_app().await;
    let port = app.server.addr.port();
    let (ok, stdout, _) =
        health_command(&["--url", &format!("https://localhost:{port}")], &[]).await;
    assert!(ok, "{stdout}");
    // The container's way: no --url, the server's own VB365_MOCK_LISTEN, on every address.
    let (ok, _, stderr) =
        health_command(&[], &[("VB365_MOCK_LISTEN", format!("0.0.0.0:{port}"))]).await;
    assert!(ok, "{stderr}");

    let config = Config::try_parse_from(["vb365-mock", "--listen", "127.0.0.1:0"]).unwrap();
    let loading = vb365_mock::bind(&config).await.unwrap();
    let (ok, _, stderr) = health_command(
        &[
            "--url",
            &format!("https://127.0.0.1:{}", loading.addr.port()),
        ],
        &[],
    )
    .await;
    assert!(!ok);
    assert!(stderr.contains("503"), "{stderr}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let (ok, _, stderr) = health_command(
        &[
            "--url",
            &format!("https://127.0.0.1:{closed_port}"),
            "--timeout",
            "2",
        ],
        &[],
    )
    .await;
    assert!(!ok);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_metrics_port_in_use_exits_1_with_the_message() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--metrics-listen", &addr])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&addr) && stderr.contains("metrics"),
        "{stderr}"
    );
}

//! World files from the command line: generate, check, serve with --world and --seed.

use std::process::Command;

use crate::helpers::{keys, spawn_app_with};

const BINARY: &str = env!("CARGO_BIN_EXE_vb365-mock");

fn run(args: &[&str]) -> (bool, Vec<u8>, String) {
    let output = Command::new(BINARY)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("vb365-mock-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn generation_is_byte_identical_across_processes_and_follows_its_knobs() {
    let args = [
        "world",
        "generate",
        "--seed",
        "42",
        "--organizations",
        "2",
        "--jobs-per-org",
        "3",
        "--days",
        "5",
    ];
    let (ok, first, _) = run(&args);
    let (_, second, _) = run(&args);
    assert!(ok);
    assert_eq!(first, second);
    let file: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(file["format"], 1);
    assert_eq!(file["organizations"].as_array().unwrap().len(), 2);
    assert_eq!(file["jobs"].as_array().unwrap().len(), 6);
    let (_, other_seed, _) = run(&["world", "generate", "--seed", "43", "--organizations", "2"]);
    assert_ne!(first, other_seed);
}

#[test]
fn check_lists_every_problem_with_its_path_and_exits_1() {
    let bad = temp_file(
        "bad.json",
        br#"{"format": 1, "proxies": [{"hostName": "p"}],
             "jobs": [{"name": "j", "organizationId": "11111111-1111-1111-1111-111111111111",
                       "repositoryId": "22222222-2222-2222-2222-222222222222"}]}"#,
    );
    let output = Command::new(BINARY)
        .args(["world", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "jobs[0].organizationId: no organization with this id",
            "jobs[0].repositoryId: no repository with this id"
        ]
    );
    let (_, generated, _) = run(&["world", "generate", "--seed", "3"]);
    let good = temp_file("good.json", &generated);
    let output = Command::new(BINARY)
        .args(["world", "check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(": ok ("));
}

#[test]
fn check_refuses_a_repeated_restore_session_or_licensed_user_and_trailing_text() {
    let (_, generated, _) = run(&["world", "generate", "--seed", "3"]);
    let mut file: serde_json::Value = serde_json::from_slice(&generated).unwrap();
    for list in ["restoreSessions", "licensedUsers"] {
        let entries = file[list].as_array_mut().unwrap();
        let first = entries[0].clone();
        entries.push(first);
    }
    let repeated = temp_file("repeated.json", file.to_string().as_bytes());
    let output = Command::new(BINARY)
        .args(["world", "check"])
        .arg(&repeated)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("restoreSessions[") && lines[0].contains("duplicate id"));
    assert!(lines[1].starts_with("licensedUsers[") && lines[1].contains("duplicate id"));

    let mut trailing = generated.clone();
    trailing.extend_from_slice(b"\n{}");
    let trailing = temp_file("trailing.json", &trailing);
    let output = Command::new(BINARY)
        .args(["world", "check"])
        .arg(&trailing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_invalid_world_file_at_start_up_exits_with_the_problems() {
    let bad = temp_file(
        "start.json",
        br#"{"format": 1, "sessions": [{"jobId": 5}]}"#,
    );
    let (ok, _, stderr) = run(&["--listen", "127.0.0.1:0", "--world", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("sessions[0].jobId"), "{stderr}");
}

#[tokio::test]
async fn a_generated_world_served_and_exported_comes_back_byte_identical() {
    let (_, generated, _) = run(&["world", "generate", "--seed", "9", "--organizations", "2"]);
    let path = temp_file("roundtrip.json", &generated);
    let app = spawn_app_with(&["--world", path.to_str().unwrap()]).await;
    let exported = app.get("/__admin/world", None).await.bytes().await.unwrap();
    assert!(
        exported.as_ref() == generated.as_slice(),
        "the export differs from the file"
    );
    let token = app.access_token().await;
    let organizations = app.json("/v3/Organizations", &token).await;
    assert_eq!(organizations.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn seed_serves_the_generated_world() {
    let (_, generated, _) = run(&["world", "generate", "--seed", "5"]);
    let app = spawn_app_with(&["--seed", "5"]).await;
    let exported = app.get("/__admin/world", None).await.bytes().await.unwrap();
    assert!(
        exported.as_ref() == generated.as_slice(),
        "the export differs from the generated file"
    );
}

#[tokio::test]
async fn a_hand_written_file_keeps_its_ids_and_times_and_gets_defaults() {
    let file = br#"{
      "format": 1,
      "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "tiny.onmicrosoft.com"}],
      "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "proxy.tiny.local"}],
      "repositories": [{"id": "33333333-3333-3333-3333-333333333333", "name": "r",
                        "proxyId": "22222222-2222-2222-2222-222222222222"}],
      "jobs": [{"id": "44444444-4444-4444-4444-444444444444", "name": "Tiny mailboxes",
                "organizationId": "11111111-1111-1111-1111-111111111111",
                "repositoryId": "33333333-3333-3333-3333-333333333333"}],
      "sessions": [{"id": "55555555-5555-5555-5555-555555555555",
                    "jobId": "44444444-4444-4444-4444-444444444444",
                    "creationTime": "2021-05-01T22:00:00.1234567Z", "endTime": "2021-05-01T22:03:00Z",
                    "status": "Warning",
                    "logItems": [{"id": "66666666-6666-6666-6666-666666666666", "message": "Job started",
                                  "creationTime": "2021-05-01T15:00:00.1234567-07:00"},
                                 {"severity": "Warning", "message": "Processing mailbox: a@tiny.onmicrosoft.com",
                                  "creationTime": "2021-05-01T15:00:02-07:00",
                                  "endTime": "2021-05-01T15:01:00.5-07:00"}]}]
    }"#;
    let path = temp_file("tiny.json", file);
    let app = spawn_app_with(&["--world", path.to_str().unwrap()]).await;
    let token = app.access_token().await;
    let session = app
        .json(
            "/v3/JobSessions/55555555-5555-5555-5555-555555555555",
            &token,
        )
        .await;
    assert_eq!(session["creationTime"], "2021-05-01T22:00:00.1234567Z");
    assert_eq!(session["status"], "Warning");
    assert_eq!(session["statistics"]["processedObjects"], 1);
    let items = app
        .json(
            "/v3/JobSessions/55555555-5555-5555-5555-555555555555/LogItems",
            &token,
        )
        .await;
    assert_eq!(items[0]["id"], "66666666-6666-6666-6666-666666666666");
    assert_eq!(
        items[0]["creationTime"],
        "2021-05-01T15:00:00.1234567-07:00"
    );
    assert_eq!(items[1]["usn"], 2);
    assert_eq!(
        items[1]["title"],
        "[Warning] Processing mailbox: a@tiny.onmicrosoft.com"
    );
    assert_eq!(items[1]["endTime"], "2021-05-01T15:01:00.5-07:00");
    let organization = app
        .json(
            "/v3/Organizations/11111111-1111-1111-1111-111111111111",
            &token,
        )
        .await;
    assert_eq!(organization["officeName"], "tiny");
    assert_eq!(keys(&organization["_links"]).len(), 6);
}

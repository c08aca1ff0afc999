//! Repeated GETs are answered from the bytes rendered the first time: only to a live token
//! and never past a change of the world (per host: `log_items.rs`).

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{SEED_JOB, SEED_SESSION, advance, spawn_app_with, start};

const FROZEN: &[&str] = &["--clock", "frozen:2017-04-04T09:00:00Z"];

#[tokio::test]
async fn a_repeated_answer_goes_only_to_a_live_token() {
    let app = spawn_app_with(FROZEN).await;
    let token = app.access_token().await;
    for version in ["v3", "v6"] {
        let path = format!("/{version}/JobSessions/{SEED_SESSION}/LogItems");
        let first = app.get(&path, Some(&token)).await.bytes().await.unwrap();
        let again = app.get(&path, Some(&token)).await.bytes().await.unwrap();
        assert_eq!(first, again, "{path}");
        assert_eq!(app.get(&path, Some("not-a-token")).await.status(), 401);
        assert_eq!(app.get(&path, None).await.status(), 401);
    }
    let v6_refused = app
        .get(
            &format!("/v6/JobSessions/{SEED_SESSION}/LogItems"),
            Some("not-a-token"),
        )
        .await;
    assert_eq!(v6_refused.headers()["www-authenticate"], "Bearer");
    assert!(v6_refused.bytes().await.unwrap().is_empty());

    advance(&app, 3600.0).await;
    let path = format!("/v3/JobSessions/{SEED_SESSION}/LogItems");
    assert_eq!(app.get(&path, Some(&token)).await.status(), 401);

    let journal: Value = app
        .admin(Method::GET, "/__admin/requests?path=logitems", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        journal["total"], 10,
        "every answer is journaled, cached or not"
    );
    assert_eq!(journal["requests"][0]["status"], 401);
    assert_eq!(journal["requests"][9]["status"], 200);
}

#[tokio::test]
async fn a_repeated_answer_follows_the_world() {
    let app = spawn_app_with(&[
        "--clock",
        "frozen:2017-04-04T09:00:00Z",
        "--static-token",
        "t",
    ])
    .await;
    let sessions_path = format!("/v3/Jobs/{SEED_JOB}/JobSessions");
    let before = app.json(&sessions_path, "t").await;
    assert_eq!(app.json(&sessions_path, "t").await, before);
    let session_id = start(&app, serde_json::json!({})).await;
    let after = app.json(&sessions_path, "t").await;
    assert!(
        after.to_string().contains(&session_id),
        "the new run is listed at once"
    );
    let log_path = format!("/v3/JobSessions/{session_id}/LogItems");
    let early = app.json(&log_path, "t").await;
    advance(&app, 30.0).await;
    let later = app.json(&log_path, "t").await;
    assert!(
        later.as_array().unwrap().len() > early.as_array().unwrap().len(),
        "the log grows with the clock: {early} then {later}"
    );
}

//! `--quirk`: behaviours of a real 3.0 server, off by default.

use serde_json::Value;

use crate::helpers::{SEED_SESSION, spawn_app, spawn_app_with};

#[tokio::test]
async fn without_quirks_log_items_are_an_array_and_sessions_link_their_log_items() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let items = app
        .json(&format!("/v3/JobSessions/{SEED_SESSION}/LogItems"), &token)
        .await;
    assert!(items.is_array());
    let session = app
        .json(&format!("/v3/JobSessions/{SEED_SESSION}"), &token)
        .await;
    assert!(
        session["_links"]["log"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/logitems")
    );
}

#[tokio::test]
async fn v3_logitems_paged_answers_a_page_like_a_real_3_0_server() {
    let app = spawn_app_with(&["--quirk", "v3-logitems-paged"]).await;
    let token = app.access_token().await;
    let page = app
        .json(
            &format!("/v3/JobSessions/{SEED_SESSION}/LogItems?limit=5"),
            &token,
        )
        .await;
    assert_eq!(page["offset"], 0);
    assert_eq!(page["limit"], 5);
    assert_eq!(page["results"].as_array().unwrap().len(), 5);
    assert_eq!(page["results"][0]["usn"], 1);
    let next = app.follow(&page["_links"]["next"]["href"], &token).await;
    assert_eq!(next["results"][0]["usn"], 6);
}

#[tokio::test]
async fn v3_log_link_points_at_log_which_answers_404() {
    let app = spawn_app_with(&["--quirk", "v3-log-link"]).await;
    let token = app.access_token().await;
    let session = app
        .json(&format!("/v3/JobSessions/{SEED_SESSION}"), &token)
        .await;
    let href = session["_links"]["log"]["href"].as_str().unwrap();
    assert!(
        href.ends_with(&format!("/v3/jobsessions/{SEED_SESSION}/log")),
        "{href}"
    );
    let path = href.strip_prefix(&app.base).unwrap();
    let response = app.get(path, Some(&token)).await;
    assert_eq!(response.status(), 404);
    assert!(response.json::<Value>().await.unwrap()["message"].is_string());
}

//! `GET /v3/JobSessions/{id}/LogItems` and `/LogItems/{id}`, against the vendor's example.

use serde_json::{Value, json};

use crate::helpers::{SEED_SESSION, assert_error, client_trusting, spawn_app, spawn_app_with};

/// The five items of the vendor's help page, with the link the page shows for a client
/// that addressed `support.east.local:4443`.
fn seed_page_items() -> Value {
    let link = json!({ "jobsessions": { "href": format!("https://support.east.local:4443/v3/JobSessions/{SEED_SESSION}") } });
    let item = |id: &str, usn: u64, title: &str, creation: &str, end: &str| json!({ "id": id, "usn": usn, "title": title, "creationTime": creation, "endTime": end, "_links": link });
    json!([
        item(
            "e7668151-524f-4fa5-a30a-c647bf7ca8c5",
            1,
            "[Success] Job started at 4/4/2017 12:07:21 AM",
            "2017-04-04T00:07:21.3664166-07:00",
            "2017-04-04T00:07:21.3664166-07:00"
        ),
        item(
            "a6c7a35c-20e1-4cf9-931e-c1e060172b43",
            2,
            "[Success] Connected to organization",
            "2017-04-04T00:07:21.3674143-07:00",
            "2017-04-04T00:07:25.3952173-07:00"
        ),
        item(
            "8bbea7df-f870-40c1-89a0-64dca53c1e03",
            3,
            "[Success] Mailboxes enumerated",
            "2017-04-04T00:07:21.3674143-07:00",
            "2017-04-04T00:07:28.4514886-07:00"
        ),
        item(
            "45342637-79ab-4247-900e-c33c1cfb1274",
            4,
            "[Success] 3 mailboxes found",
            "2017-04-04T00:07:21.3674143-07:00",
            "2017-04-04T00:07:28.454487-07:00"
        ),
        item(
            "a4d40d0e-cea8-40fa-93d9-202bffad855e",
            5,
            "[Success] Processing mailbox: petep@eastsupport.onmicrosoft.com",
            "2017-04-04T00:07:25.3972468-07:00",
            "2017-04-04T00:07:37.191867-07:00"
        ),
    ])
}

fn log_items_path() -> String {
    format!("/v3/JobSessions/{SEED_SESSION}/LogItems")
}

#[tokio::test]
async fn the_seed_page_is_reproduced_field_for_field() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    // HTTP/1.1, so the Host header goes out exactly as a client behind that name sends it.
    let client = client_trusting(&app.server, "localhost", |builder| builder.http1_only());
    let response = client
        .get(app.url(&log_items_path()))
        .header("Host", "support.east.local:4443")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = response.json().await.unwrap();
    let items = body.as_array().expect("v3 answers a plain array");
    assert_eq!(Value::from(items[..5].to_vec()), seed_page_items());
}

#[tokio::test]
async fn the_seed_session_continues_after_the_page_in_usn_order() {
    let app = spawn_app().await;
    let body = app.get_json(&log_items_path()).await;
    let items = body.as_array().unwrap();
    let usns: Vec<u64> = items
        .iter()
        .map(|item| item["usn"].as_u64().unwrap())
        .collect();
    assert!(usns.windows(2).all(|pair| pair[0] < pair[1]), "{usns:?}");
    let titles: Vec<&str> = items
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles
            .iter()
            .filter(|title| title.starts_with("[Success] Processing mailbox:"))
            .count(),
        3,
        "the three mailboxes found are processed: {titles:?}"
    );
    assert!(
        titles
            .last()
            .unwrap()
            .starts_with("[Success] Job finished at ")
    );
}

#[tokio::test]
async fn links_are_built_from_the_host_the_client_used() {
    let app = spawn_app_with(&["--hostname", "vbo.example.test"]).await;
    let token = app.access_token().await;
    let port = app.server.addr.port();
    // The same request through another name first: its rendered answer must not be reused.
    assert_eq!(
        app.json(&log_items_path(), &token).await[0]["_links"]["jobsessions"]["href"],
        format!("https://localhost:{port}/v3/JobSessions/{SEED_SESSION}")
    );
    let client = client_trusting(&app.server, "vbo.example.test", |builder| builder);
    let body: Value = client
        .get(format!(
            "https://vbo.example.test:{port}{}",
            log_items_path()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body[0]["_links"]["jobsessions"]["href"],
        format!("https://vbo.example.test:{port}/v3/JobSessions/{SEED_SESSION}")
    );
}

#[tokio::test]
async fn paths_and_ids_match_without_regard_to_case_or_a_trailing_slash() {
    let app = spawn_app().await;
    let expected = app.get_json(&log_items_path()).await;
    let upper_id = SEED_SESSION.to_uppercase();
    for path in [
        format!("/v3/jobsessions/{SEED_SESSION}/logitems"),
        format!("/V3/JOBSESSIONS/{upper_id}/LOGITEMS/"),
        format!("/v3/JobSessions/{upper_id}/LogItems/"),
    ] {
        assert_eq!(app.get_json(&path).await, expected, "{path}");
    }
}

#[tokio::test]
async fn offset_and_limit_slice_the_log() {
    let app = spawn_app().await;
    let body = app
        .get_json(&format!("{}?offset=2&limit=3", log_items_path()))
        .await;
    let usns: Vec<u64> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["usn"].as_u64().unwrap())
        .collect();
    assert_eq!(usns, [3, 4, 5]);
    let past_the_end = app
        .get_json(&format!("{}?offset=100", log_items_path()))
        .await;
    assert_eq!(past_the_end, json!([]));
}

#[tokio::test]
async fn one_log_item_is_served_by_its_id() {
    let app = spawn_app().await;
    let item = app
        .get_json(&format!(
            "{}/45342637-79AB-4247-900E-C33C1CFB1274",
            log_items_path()
        ))
        .await;
    assert_eq!(item["usn"], 4);
    assert_eq!(item["endTime"], "2017-04-04T00:07:28.454487-07:00");
    assert_eq!(item["title"], "[Success] 3 mailboxes found");
}

#[tokio::test]
async fn unknown_sessions_and_items_are_404() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let unknown = "00000000-0000-0000-0000-000000000001";
    let response = app
        .get(&format!("/v3/JobSessions/{unknown}/LogItems"), Some(&token))
        .await;
    assert!(assert_error(response, 404).await.contains(unknown));
    let response = app
        .get(&format!("{}/{unknown}", log_items_path()), Some(&token))
        .await;
    assert!(assert_error(response, 404).await.contains(unknown));
}

#[tokio::test]
async fn malformed_ids_and_paging_values_are_400() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    for path in [
        "/v3/JobSessions/not-a-guid/LogItems".to_owned(),
        format!("{}/12345", log_items_path()),
        format!("{}?limit=-1", log_items_path()),
        format!("{}?offset=abc", log_items_path()),
        format!("{}?limit=10001", log_items_path()),
    ] {
        assert_error(app.get(&path, Some(&token)).await, 400).await;
    }
}

#[tokio::test]
async fn an_unknown_version_or_route_is_404_without_a_token() {
    let app = spawn_app().await;
    assert_error(
        app.get(&format!("/v99/JobSessions/{SEED_SESSION}/LogItems"), None)
            .await,
        404,
    )
    .await;
    assert_error(app.get("/v3/NoSuchResource", None).await, 404).await;
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(app.url(&log_items_path()))
        .send()
        .await
        .unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "{allow}");
    assert!(assert_error(response, 405).await.contains("DELETE"));
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let response = app
        .client
        .get(app.url(&log_items_path()))
        .bearer_auth(&token)
        .body(vec![b'x'; 64 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_error(response, 413).await;
}

#[tokio::test]
async fn health_answers_without_a_token() {
    let app = spawn_app().await;
    let response = app.get("/__admin/health", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "status": "ok" })
    );
}

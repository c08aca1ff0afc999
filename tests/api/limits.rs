//! What a careless or hostile client cannot do: stall connections, hold too many, grow the
//! journal or the cache, jump the clock into unbounded work, or keep a removed user's tokens.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::helpers::{FROZEN, TestApp, spawn_app, spawn_app_with, try_advance};

/// A TLS connection to the app on which the test writes what it likes.
async fn raw_connection(app: &TestApp) -> std::io::Result<TlsStream<TcpStream>> {
    let config = vb365_mock::tls::any_server_certificate().unwrap();
    let tcp = TcpStream::connect(app.server.addr).await?;
    TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
}

/// What the server sends until it closes the connection, or `None` if it has not closed
/// it within `within`.
async fn read_until_closed(stream: &mut TlsStream<TcpStream>, within: Duration) -> Option<String> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(count) => received.extend_from_slice(&buffer[..count]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&received).into_owned())
}

#[tokio::test]
async fn half_sent_headers_an_idle_connection_and_a_stalled_body_are_closed() {
    let app = spawn_app_with(&["--header-timeout", "1", "--stall-timeout", "1"]).await;
    let mut half_headers = raw_connection(&app).await.unwrap();
    half_headers
        .write_all(b"GET /v8/Jobs HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut half_headers, Duration::from_secs(10))
            .await
            .is_some(),
        "a request whose headers never end holds its connection"
    );

    let mut idle = raw_connection(&app).await.unwrap();
    assert!(
        read_until_closed(&mut idle, Duration::from_secs(10))
            .await
            .is_some(),
        "an idle connection is kept forever"
    );

    let mut stalled = raw_connection(&app).await.unwrap();
    stalled
        .write_all(
            b"POST /v8/Jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\n\
              Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"na",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stalled, Duration::from_secs(10)).await;
    let answer = answer.expect("a body that stops coming holds its connection");
    assert!(!answer.contains(" 500 "), "{answer}");
}

#[tokio::test]
async fn a_broken_chunked_body_is_the_clients_400_not_a_413() {
    let app = spawn_app_with(&["--static-token", "t"]).await;
    let mut stream = raw_connection(&app).await.unwrap();
    stream
        .write_all(
            b"POST /v8/Jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\n\
              Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

#[tokio::test]
async fn connections_over_the_limit_are_refused_until_one_closes() {
    let app = spawn_app_with(&["--max-connections", "2"]).await;
    let first = raw_connection(&app).await.unwrap();
    let _second = raw_connection(&app).await.unwrap();
    assert!(
        raw_connection(&app).await.is_err(),
        "a third connection is served"
    );
    drop(first);
    let mut admitted = None;
    for _ in 0..50 {
        if let Ok(connection) = raw_connection(&app).await {
            admitted = Some(connection);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut admitted = admitted.expect("a closed connection's place is given back");
    admitted
        .write_all(b"GET /__admin/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut admitted, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn the_journal_keeps_bounded_entries_and_no_control_api_call() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let query = "x".repeat(10_000);
    let response = app
        .client
        .get(app.url(&format!("/v8/Jobs?name={query}")))
        .bearer_auth(&token)
        .header("x-api-key", "k3y-in-a-header")
        .header("user-agent", "u".repeat(4_000))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error() || response.status().is_success());
    app.client
        .get(app.url("/__Admin/World"))
        .send()
        .await
        .unwrap();
    let journal: Value = app
        .get("/__admin/requests", None)
        .await
        .json()
        .await
        .unwrap();
    let paths: Vec<&str> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["path"].as_str().unwrap())
        .collect();
    assert!(
        !paths
            .iter()
            .any(|path| path.to_ascii_lowercase().contains("__admin")),
        "{paths:?}"
    );
    let entry = &journal["requests"][0];
    assert!(entry["path"].as_str().unwrap().len() <= 2048);
    assert!(
        entry["path"]
            .as_str()
            .unwrap()
            .starts_with("/v8/Jobs?name=xxx")
    );
    assert_eq!(entry["headers"]["x-api-key"], "<redacted>");
    assert!(entry["headers"]["user-agent"].as_str().unwrap().len() <= 256);
    assert!(!journal.to_string().contains("k3y-in-a-header"));
}

#[tokio::test]
async fn a_world_over_its_limit_is_413_unread_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get("/__admin/world", None).await.text().await.unwrap();
    let mut stream = raw_connection(&app).await.unwrap();
    stream
        .write_all(
            format!(
                "PUT /__admin/world HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
                (1u64 << 30) + 1
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#"{"message":"#), "{answer}");
    let after = app.get("/__admin/world", None).await.text().await.unwrap();
    assert!(after == before, "a refused world changed the world");
}

/// How many job sessions the world holds, by the control API's export.
async fn session_count(app: &TestApp) -> usize {
    let world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    world["sessions"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_jump_of_years_replays_no_more_than_its_last_week() {
    let week_and_a_day = spawn_app_with(FROZEN).await;
    let before = session_count(&week_and_a_day).await;
    assert_eq!(try_advance(&week_and_a_day, 8.0 * 86_400.0).await.0, 200);
    let after_a_week = session_count(&week_and_a_day).await - before;
    assert!(after_a_week > 0, "the seed world's schedules run in a week");

    let ten_years = spawn_app_with(FROZEN).await;
    assert_eq!(try_advance(&ten_years, 315_576_000.0).await.0, 200);
    let after_ten_years = session_count(&ten_years).await - before;
    assert!(
        after_ten_years <= after_a_week,
        "ten years added {after_ten_years} sessions, eight days {after_a_week}"
    );
}

#[tokio::test]
async fn the_clock_refuses_times_the_api_cannot_carry() {
    let app = spawn_app_with(FROZEN).await;
    for change in [
        json!({"now": "+262142-12-31T23:59:59Z"}),
        json!({"now": "10000-01-01T00:00:00Z"}),
        json!({"speed": 0}),
        json!({"speed": 2_000_000_000u32}),
    ] {
        let response = app
            .admin(Method::PUT, "/__admin/clock", Some(&change))
            .await;
        assert_eq!(response.status(), 400, "{change}");
    }
    let response = app
        .admin(
            Method::PUT,
            "/__admin/clock",
            Some(&json!({"now": "9999-12-25T00:00:00Z"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (status, refused) = try_advance(&app, 30.0 * 86_400.0).await;
    assert_eq!(status, 400, "{refused}");
    let (status, _) = try_advance(&app, 86_400.0).await;
    assert_eq!(status, 200);
    let jobs = app.get("/v8/Jobs", Some("t")).await;
    assert_eq!(jobs.status(), 200);
}

#[tokio::test]
async fn a_user_the_world_no_longer_has_loses_their_tokens() {
    let app = spawn_app().await;
    let mut world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    world["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "leaver", "password": "pw"}));
    let replaced = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert_eq!(replaced.status(), 200);
    let login: Value = app
        .post_form(
            "/v8/Token",
            "grant_type=password&username=leaver&password=pw",
        )
        .await
        .json()
        .await
        .unwrap();
    let access = login["access_token"].as_str().unwrap();
    assert_eq!(app.get("/v8/Jobs", Some(access)).await.status(), 200);
    let admin = app.access_token().await;

    let reset = app.admin(Method::POST, "/__admin/reset", None).await;
    assert_eq!(reset.status(), 200);
    assert_eq!(app.get("/v8/Jobs", Some(access)).await.status(), 401);
    let refreshed = app
        .post_form(
            "/v8/Token",
            &format!(
                "grant_type=refresh_token&refresh_token={}",
                login["refresh_token"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(refreshed.status(), 400);
    assert_eq!(app.get("/v8/Jobs", Some(&admin)).await.status(), 200);
}

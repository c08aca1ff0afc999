//! `/__admin/metrics` in Prometheus' text format: parsed, and watched as requests are sent.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::json;

use crate::helpers::{SEED_SESSION, TestApp, spawn_app, spawn_app_with};

/// One sample: its metric name and labels.
type Series = (String, BTreeMap<String, String>);

/// Parses the text format: `# HELP`/`# TYPE` lines, then `name{label="value",...} value`,
/// label values quoted with `\"`, `\\` and `\n` escapes (route templates hold braces).
fn parse(text: &str) -> BTreeMap<Series, f64> {
    let mut samples = BTreeMap::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name_end = line
            .find(['{', ' '])
            .unwrap_or_else(|| panic!("no value: {line}"));
        let name = line[..name_end].to_owned();
        let mut labels = BTreeMap::new();
        let mut rest = &line[name_end..];
        if let Some(mut inner) = rest.strip_prefix('{') {
            loop {
                if let Some(after) = inner.strip_prefix('}') {
                    rest = after;
                    break;
                }
                let (label, after) = inner.split_once("=\"").expect("label=\"value\"");
                let mut value = String::new();
                let mut chars = after.char_indices();
                let end = loop {
                    match chars.next().expect("a closing quote") {
                        (_, '\\') => match chars.next().expect("an escaped character").1 {
                            'n' => value.push('\n'),
                            other => value.push(other),
                        },
                        (at, '"') => break at,
                        (_, other) => value.push(other),
                    }
                };
                labels.insert(label.to_owned(), value);
                inner = after[end + 1..].trim_start_matches(',');
            }
        }
        let value: f64 = rest
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        assert!(
            samples.insert((name, labels), value).is_none(),
            "a series twice: {line}"
        );
    }
    samples
}

async fn scrape(app: &TestApp) -> BTreeMap<Series, f64> {
    let response = app.get("/__admin/metrics", None).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    parse(&response.text().await.unwrap())
}

fn value(samples: &BTreeMap<Series, f64>, name: &str, labels: &[(&str, &str)]) -> f64 {
    let labels = labels
        .iter()
        .map(|(label, value)| ((*label).to_owned(), (*value).to_owned()))
        .collect();
    samples
        .get(&(name.to_owned(), labels))
        .copied()
        .unwrap_or(0.0)
}

const LOG_ITEMS: &str = "/v3/JobSessions/{sessionId}/LogItems";

fn requests(samples: &BTreeMap<Series, f64>, route: &str, status: &str) -> f64 {
    let version = if route.starts_with("/v3") {
        "v3"
    } else {
        "none"
    };
    value(
        samples,
        "vb365_mock_http_requests_total",
        &[
            ("route", route),
            ("method", "GET"),
            ("version", version),
            ("status", status),
        ],
    )
}

#[tokio::test]
async fn requests_are_counted_by_route_template_with_cached_answers_and_refusals() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    let token = app.access_token().await;
    let path = format!("/v3/JobSessions/{SEED_SESSION}/LogItems");
    for _ in 0..3 {
        app.json(&path, &token).await;
    }
    assert_eq!(app.get(&path, Some("not-a-token")).await.status(), 401);
    assert_eq!(app.get("/v3/NoSuchThing", Some(&token)).await.status(), 404);
    let after = scrape(&app).await;

    let moved = |route: &str, status: &str| {
        requests(&after, route, status) - requests(&before, route, status)
    };
    // The first answer is rendered, the next two come from the cache: all three count.
    assert_eq!(moved(LOG_ITEMS, "200"), 3.0);
    assert_eq!(moved(LOG_ITEMS, "401"), 1.0);
    assert_eq!(moved("unmatched", "404"), 1.0);
    let latencies = |samples: &BTreeMap<Series, f64>| {
        value(
            samples,
            "vb365_mock_http_request_duration_seconds_count",
            &[("route", LOG_ITEMS), ("method", "GET"), ("version", "v3")],
        )
    };
    assert_eq!(latencies(&after) - latencies(&before), 4.0);
    let within_a_second = value(
        &after,
        "vb365_mock_http_request_duration_seconds_bucket",
        &[
            ("route", LOG_ITEMS),
            ("method", "GET"),
            ("version", "v3"),
            ("le", "1"),
        ],
    );
    assert_eq!(within_a_second, latencies(&after));
    let tokens = |samples: &BTreeMap<Series, f64>, name: &str, label: (&str, &str)| {
        value(samples, name, &[label])
    };
    assert_eq!(
        tokens(
            &after,
            "vb365_mock_tokens_issued_total",
            ("grant", "password")
        ) - tokens(
            &before,
            "vb365_mock_tokens_issued_total",
            ("grant", "password")
        ),
        1.0
    );
    assert_eq!(
        tokens(
            &after,
            "vb365_mock_tokens_rejected_total",
            ("reason", "bearer")
        ) - tokens(
            &before,
            "vb365_mock_tokens_rejected_total",
            ("reason", "bearer")
        ),
        1.0
    );
    // No raw path becomes a label: ids and unknown paths would grow the series without end.
    for (_, labels) in after.keys() {
        if let Some(route) = labels.get("route") {
            assert!(
                !route.contains(SEED_SESSION) && !route.contains("NoSuchThing"),
                "{route}"
            );
        }
    }
}

#[tokio::test]
async fn refused_token_requests_are_counted_by_their_oauth_error() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    let refused = app
        .post_form(
            "/v3/Token",
            "grant_type=password&username=admin&password=wrong",
        )
        .await;
    assert_eq!(refused.status(), 400);
    let after = scrape(&app).await;
    let label = [("reason", "invalid_grant")];
    assert_eq!(
        value(&after, "vb365_mock_tokens_rejected_total", &label)
            - value(&before, "vb365_mock_tokens_rejected_total", &label),
        1.0
    );
}

#[tokio::test]
async fn the_world_size_and_the_clock_are_gauges_that_follow_them() {
    let app = spawn_app().await;
    let samples = scrape(&app).await;
    let sessions = |samples: &BTreeMap<Series, f64>| {
        value(samples, "vb365_mock_world_objects", &[("kind", "sessions")])
    };
    let world: serde_json::Value = app.get("/__admin/world", None).await.json().await.unwrap();
    let in_world = world["sessions"].as_array().unwrap();
    assert_eq!(sessions(&samples), in_world.len() as f64);
    let items: usize = in_world
        .iter()
        .map(|session| session["logItems"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        value(
            &samples,
            "vb365_mock_world_objects",
            &[("kind", "log_items")]
        ),
        items as f64
    );
    assert_eq!(
        value(&samples, "vb365_mock_clock_mode", &[("mode", "frozen")]),
        1.0
    );
    assert_eq!(
        value(&samples, "vb365_mock_clock_mode", &[("mode", "real")]),
        0.0
    );

    let deleted = app
        .admin(
            Method::DELETE,
            &format!("/__admin/sessions/{SEED_SESSION}"),
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    let set = app
        .admin(
            Method::PUT,
            "/__admin/clock",
            Some(&json!({"now": "2017-04-04T09:00:00Z", "mode": "frozen"})),
        )
        .await;
    assert_eq!(set.status(), 200);
    let samples_after = scrape(&app).await;
    assert_eq!(sessions(&samples_after), sessions(&samples) - 1.0);
    let offset = value(&samples_after, "vb365_mock_clock_offset_seconds", &[]);
    let expected = chrono::DateTime::parse_from_rfc3339("2017-04-04T09:00:00Z")
        .unwrap()
        .signed_duration_since(chrono::Utc::now())
        .as_seconds_f64();
    assert!(
        (offset - expected).abs() < 60.0,
        "{offset} against {expected}"
    );
}

#[tokio::test]
async fn the_metrics_listener_serves_the_same_metrics_over_plain_http() {
    let app = spawn_app_with(&["--metrics-listen", "127.0.0.1:0"]).await;
    let addr = app.server.metrics_addr.expect("a metrics address");
    let token = app.access_token().await;
    app.json("/v3/Jobs", &token).await;
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let samples = parse(&text);
    assert_eq!(requests(&samples, "/v3/Jobs", "200"), 1.0);
    assert_eq!(
        value(
            &samples,
            "vb365_mock_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
}

//! v3..v5 restore sessions as their clients open and stop them: `{"explore": {...}}` posted
//! to an organization's, the tenant's or a job's `/Action`, `{"stop": null}` to the
//! session's, over HTTPS.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, SEED_JOB, SEED_ORGANIZATION, TestApp, send, spawn_app_with};

const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000e5";

/// How many restore sessions the version lists.
async fn session_count(app: &TestApp, v: &str) -> usize {
    app.json(&format!("/{v}/RestoreSessions?limit=10000"), "t")
        .await["results"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn an_explore_action_opens_a_session_that_a_stop_action_ends() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v3", "v4", "v5"] {
        let (status, opened) = send(
            &app,
            Method::POST,
            &format!("/{v}/Organizations/{SEED_ORGANIZATION}/Action"),
            Some(json!({"explore": {
                "datetime": "2030.01.01 00:00:00",
                "type": "vex",
                "ShowDeleted": true,
                "ShowAllVersions": true,
            }})),
        )
        .await;
        assert_eq!(status, 201, "{v}: {opened}");
        assert_eq!(opened["type"], "Vex", "{v}");
        assert_eq!(opened["state"], "Working", "{v}");
        assert_eq!(opened["endTime"], "0001-01-01T00:00:00", "{v}: no end yet");
        let id = opened["id"].as_str().unwrap();
        for (name, href) in opened["_links"].as_object().unwrap() {
            let href = href["href"].as_str().unwrap();
            assert!(href.starts_with("https://"), "{v} {name}: absolute, {href}");
            app.follow(&Value::from(href), "t").await;
        }

        let listed = app.json(&format!("/{v}/RestoreSessions"), "t").await;
        assert!(
            listed["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|session| session["id"] == id),
            "{v}: the new session is listed"
        );

        let (status, tenant) = send(
            &app,
            Method::POST,
            &format!("/{v}/Organization/Action"),
            Some(json!({"Explore": null})),
        )
        .await;
        assert_eq!(status, 201, "{v}: {tenant}");
        assert_eq!(tenant["type"], "Vex", "{v}: the default Explorer");

        let (status, of_job) = send(
            &app,
            Method::POST,
            &format!("/{v}/Jobs/{SEED_JOB}/Action"),
            Some(json!({"explore": {"datetime": "2030-01-01 00:00:00.000", "type": "Veod"}})),
        )
        .await;
        assert_eq!(status, 201, "{v}: {of_job}");
        assert_eq!(of_job["type"], "Veod", "{v}");

        let (status, stopped) = send(
            &app,
            Method::POST,
            &format!("/{v}/RestoreSessions/{id}/Action"),
            Some(json!({"stop": null})),
        )
        .await;
        assert_eq!((status, stopped), (200, Value::Null), "{v}: 200, no body");
        let session = app.json(&format!("/{v}/RestoreSessions/{id}"), "t").await;
        assert_eq!(session["state"], "Stopped", "{v}");
        assert_ne!(session["endTime"], "0001-01-01T00:00:00", "{v}: {session}");
    }
}

#[tokio::test]
async fn a_wrong_action_body_or_an_unknown_target_is_refused_and_opens_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let v = "v5";
    let before = session_count(&app, v).await;
    let organization = format!("/{v}/Organizations/{SEED_ORGANIZATION}/Action");
    for (path, body, expected) in [
        (organization.clone(), json!({"stop": null}), 400),
        (
            organization.clone(),
            json!({"explore": null, "stop": null}),
            400,
        ),
        (
            organization.clone(),
            json!({"explore": {"type": "Vet"}}),
            400,
        ),
        (
            organization.clone(),
            json!({"explore": {"datetime": "soon"}}),
            400,
        ),
        (organization.clone(), json!([]), 400),
        (
            format!("/{v}/Organizations/{UNKNOWN}/Action"),
            json!({"explore": null}),
            404,
        ),
        (
            format!("/{v}/Jobs/{UNKNOWN}/Action"),
            json!({"explore": null}),
            404,
        ),
        (
            format!("/{v}/RestoreSessions/{UNKNOWN}/Action"),
            json!({"stop": null}),
            404,
        ),
    ] {
        let (status, answer) = send(&app, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, expected, "{path} {body}: {answer}");
    }
    assert_eq!(session_count(&app, v).await, before, "nothing was opened");

    let (_, opened) = send(
        &app,
        Method::POST,
        &organization,
        Some(json!({"explore": null})),
    )
    .await;
    let id = opened["id"].as_str().unwrap();
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("/{v}/RestoreSessions/{id}/Action"),
        Some(json!({"explore": null})),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let session = app.json(&format!("/{v}/RestoreSessions/{id}"), "t").await;
    assert_eq!(
        session["state"], "Working",
        "a refused action stops nothing"
    );
}

#[tokio::test]
async fn from_v6_a_session_is_opened_and_stopped_by_path_not_by_action() {
    let app = spawn_app_with(FROZEN).await;
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v6/Organizations/{SEED_ORGANIZATION}/Action"),
        Some(json!({"explore": null})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, opened) = send(
        &app,
        Method::POST,
        &format!("/v6/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "vex", "datetime": "2030.01.01 00:00:00"})),
    )
    .await;
    assert_eq!(
        status, 200,
        "the Explorer in any case, the vendor's time forms: {opened}"
    );
}

//! A world that moves: the virtual clock, runs started by action or control API, scenarios,
//! schedules, retries, and pollers that page a log while it grows.

use reqwest::Method;
use serde_json::{Value, json};
use vb365_mock::model::SessionStatus;

use crate::helpers::{
    FROZEN, SEED_JOB, TestApp, advance, assert_error, reload_exported_world, spawn_app_with, start,
    world_text,
};

async fn titles(app: &TestApp, session_id: &str) -> Vec<String> {
    let log = app
        .json(
            &format!("/v3/JobSessions/{session_id}/LogItems?limit=1000"),
            "t",
        )
        .await;
    log.as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_started_run_processes_its_mailboxes_and_ends_in_success() {
    let app = spawn_app_with(FROZEN).await;
    let session_id = start(&app, json!({"outcome": "success", "objectsPerMinute": 6})).await;
    let session = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(session["status"], "Running");
    assert_eq!(session["creationTime"], "2017-04-04T09:00:00Z");

    advance(&app, 4.0).await;
    assert_eq!(
        titles(&app, &session_id).await,
        [
            "[Success] Job started at 4/4/2017 2:00:00 AM",
            "[Success] Connected to organization",
            "[Success] 3 mailboxes found"
        ]
    );
    advance(&app, 10.0).await;
    let halfway = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(halfway["statistics"]["processedObjects"], 1);
    assert!(halfway["progress"].as_u64().unwrap() < 100);

    advance(&app, 20.0).await;
    assert_eq!(
        titles(&app, &session_id).await[3..],
        [
            "[Success] Processing mailbox: petep@eastsupport.onmicrosoft.com",
            "[Success] Processing mailbox: alexw@eastsupport.onmicrosoft.com",
            "[Success] Processing mailbox: meganb@eastsupport.onmicrosoft.com",
            "[Success] Job finished at 4/4/2017 2:00:34 AM"
        ]
    );
    let done = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(done["status"], "Success");
    assert_eq!(done["progress"], 100);
    assert_eq!(done["endTime"], "2017-04-04T09:00:34Z");
    assert_eq!(done["statistics"]["processedObjects"], 3);
    let bytes = done["statistics"]["transferredDataBytes"].as_u64().unwrap();
    assert_eq!(
        done["statistics"]["processingRateBytesPS"]
            .as_u64()
            .unwrap(),
        bytes / 34
    );
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), "t").await;
    assert_eq!(job["lastStatus"], "Success");
}

#[tokio::test]
async fn a_run_goes_on_and_ends_with_no_request_to_move_it() {
    let app = spawn_app_with(&[
        "--clock",
        "speed:100@2017-04-04T09:00:00Z",
        "--static-token",
        "t",
    ])
    .await;
    let session_id = start(&app, json!({"outcome": "success", "objectsPerMinute": 6})).await;
    let session_id: uuid::Uuid = session_id.parse().unwrap();
    let read = || {
        app.server.state.world.read(|world| {
            let record = world.session(&session_id).unwrap();
            (record.session.status, record.log.len())
        })
    };
    assert_eq!(read().0, SessionStatus::Running);
    // 34 virtual seconds of run are a third of a wall second; the world is read directly,
    // so no request catches it up.
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen.push(read());
        if seen.last().unwrap().0 != SessionStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        seen.last().unwrap(),
        &(SessionStatus::Success, 7),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_warning_scenario_warns_on_the_chosen_number_of_objects() {
    let app = spawn_app_with(FROZEN).await;
    let session_id = start(&app, json!({"outcome": "warning", "warningObjects": 2})).await;
    advance(&app, 60.0).await;
    let titles = titles(&app, &session_id).await;
    assert_eq!(
        titles
            .iter()
            .filter(|title| title.starts_with("[Warning] Processing"))
            .count(),
        2
    );
    assert!(
        titles
            .last()
            .unwrap()
            .starts_with("[Warning] Job finished with warnings at ")
    );
    let session = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(session["status"], "Warning");
    assert_eq!(session["statistics"]["processedObjects"], 3);
}

#[tokio::test]
async fn a_failure_stops_at_its_object_and_is_retried() {
    let app = spawn_app_with(FROZEN).await;
    let session_id = start(
        &app,
        json!({"outcome": "failure", "failAt": 2, "retries": 1}),
    )
    .await;
    advance(&app, 60.0).await;
    let titles = titles(&app, &session_id).await;
    assert_eq!(
        titles[3..],
        [
            "[Success] Processing mailbox: petep@eastsupport.onmicrosoft.com",
            "[Failed] Processing mailbox: alexw@eastsupport.onmicrosoft.com: the connection to the server was lost",
            "[Failed] Job finished with errors at 4/4/2017 2:00:24 AM"
        ]
    );
    let failed = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(failed["status"], "Failed");
    assert_eq!(failed["statistics"]["processedObjects"], 1);

    advance(&app, 600.0).await;
    let sessions = app
        .json(&format!("/v3/Jobs/{SEED_JOB}/JobSessions?limit=2"), "t")
        .await;
    assert_eq!(
        sessions[0]["creationTime"], "2017-04-04T09:10:24Z",
        "the retry starts ten minutes later"
    );
    assert_eq!(sessions[1]["id"], session_id.as_str());
    advance(&app, 3600.0).await;
    let sessions = app
        .json(&format!("/v3/Jobs/{SEED_JOB}/JobSessions?limit=3"), "t")
        .await;
    assert_eq!(
        sessions[0]["status"], "Failed",
        "the retry fails the same way"
    );
    assert_eq!(
        sessions[1]["id"],
        session_id.as_str(),
        "and is not retried again"
    );
}

#[tokio::test]
async fn retry_sessions_name_the_main_session_they_retry_and_count_the_retries() {
    let app = spawn_app_with(FROZEN).await;
    let main = start(
        &app,
        json!({"outcome": "failure", "failAt": 1, "retries": 2}),
    )
    .await;
    advance(&app, 2.0 * 3600.0).await;
    let sessions = app
        .json(&format!("/v7/JobSessions?jobId={SEED_JOB}&limit=3"), "t")
        .await;
    let sessions = sessions["results"].as_array().unwrap();
    let (second_retry, first_retry) = (&sessions[0], &sessions[1]);
    assert_eq!(sessions[2]["id"], main.as_str());
    assert!(sessions.iter().all(|session| session["status"] == "Failed"));
    const NONE: &str = "00000000-0000-0000-0000-000000000000";
    for version in ["v7", "v8"] {
        let of = |session: &Value| {
            let id = session["id"].as_str().unwrap().to_owned();
            let app = &app;
            async move {
                app.json(&format!("/{version}/JobSessions/{id}"), "t").await["mainSessionId"]
                    .clone()
            }
        };
        assert_eq!(of(first_retry).await, main.as_str(), "{version}");
        assert_eq!(
            of(second_retry).await,
            main.as_str(),
            "{version}: a retry of a retry names the first run"
        );
        assert_eq!(of(&sessions[2]).await, NONE, "{version}: a main session");
    }
    let in_v6 = app.json(&format!("/v6/JobSessions/{main}"), "t").await;
    assert!(in_v6.get("mainSessionId").is_none(), "{in_v6}");
    let counted: Vec<(Value, Value)> = sessions
        .iter()
        .map(|session| {
            (
                session["retryCount"].clone(),
                session["jobWillBeRetried"].clone(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            (json!(2), json!(false)),
            (json!(1), json!(true)),
            (json!(0), json!(true)),
        ],
        "which retry each is, and whether a retry followed it"
    );
    assert_eq!(in_v6["retryCount"], 0, "v6 counts the main session's none");

    let exported = reload_exported_world(&app).await;
    assert_eq!(
        world_text(&app).await,
        exported,
        "the world survives its export"
    );
    let reloaded = app
        .json(
            &format!("/v8/JobSessions/{}", first_retry["id"].as_str().unwrap()),
            "t",
        )
        .await;
    assert_eq!(reloaded["mainSessionId"], main.as_str());

    let own = first_retry["id"].as_str().unwrap();
    let refused = app
        .admin(
            Method::PUT,
            &format!("/__admin/sessions/{own}"),
            Some(
                &json!({"id": own, "jobId": SEED_JOB, "creationTime": "2017-04-04T09:10:00Z",
                         "endTime": "2017-04-04T09:11:00Z", "status": "Failed",
                         "mainSessionId": own}),
            ),
        )
        .await;
    assert_eq!(refused.status(), 400, "a session does not retry itself");
}

#[tokio::test]
async fn a_stuck_run_never_ends() {
    let app = spawn_app_with(FROZEN).await;
    let session_id = start(&app, json!({"stuck": true})).await;
    advance(&app, 26.0 * 3600.0).await;
    let session = app
        .json(&format!("/v3/JobSessions/{session_id}"), "t")
        .await;
    assert_eq!(session["status"], "Running");
    assert_eq!(titles(&app, &session_id).await.len(), 3);
    let stop = app
        .client
        .post(app.url(&format!("/v3/Jobs/{SEED_JOB}/Action")))
        .bearer_auth("t")
        .body(r#"{"stop":null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(stop.status(), 200);
    assert_eq!(
        app.json(&format!("/v3/JobSessions/{session_id}"), "t")
            .await["status"],
        "Stopped"
    );
}

#[tokio::test]
async fn schedules_start_runs_at_their_virtual_times() {
    let app = spawn_app_with(FROZEN).await;
    app.json("/v3/Jobs", "t").await;
    advance(&app, 23.0 * 3600.0).await;
    let sessions = app
        .json(&format!("/v3/Jobs/{SEED_JOB}/JobSessions?limit=1"), "t")
        .await;
    assert_eq!(
        sessions[0]["creationTime"], "2017-04-05T07:07:00Z",
        "daily at 00:07 server time (-07:00)"
    );
    let job = app.json(&format!("/v3/Jobs/{SEED_JOB}"), "t").await;
    assert_eq!(job["lastRun"], "2017-04-05T07:07:00Z");
    assert_eq!(job["nextRun"], "2017-04-06T00:07:00-07:00");
}

#[tokio::test]
async fn tokens_expire_by_the_virtual_clock() {
    let app = spawn_app_with(&["--clock", "frozen:2017-04-04T09:00:00Z"]).await;
    let login = app.login().await;
    assert_eq!(login[".issued"], "Tue, 04 Apr 2017 09:00:00 GMT");
    let token = login["access_token"].as_str().unwrap();
    advance(&app, 3599.0).await;
    assert_eq!(app.get("/v3/Jobs", Some(token)).await.status(), 200);
    advance(&app, 1.0).await;
    assert_eq!(app.get("/v3/Jobs", Some(token)).await.status(), 401);
}

#[tokio::test]
async fn the_same_world_and_steps_give_the_same_bytes() {
    /// Both bodies, with the port (which differs per server) taken out of the links.
    async fn run_once() -> (String, String) {
        let app = spawn_app_with(FROZEN).await;
        let session_id = start(&app, json!({})).await;
        for _ in 0..5 {
            advance(&app, 7.5).await;
        }
        advance(&app, 86_400.0).await;
        let sessions = app
            .get("/v3/JobSessions?limit=50", Some("t"))
            .await
            .bytes()
            .await
            .unwrap();
        let log = app
            .get(&format!("/v3/JobSessions/{session_id}/LogItems"), Some("t"))
            .await
            .bytes()
            .await
            .unwrap();
        let host = format!("localhost:{}", app.server.addr.port());
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&host, "HOST");
        (text(&sessions), text(&log))
    }
    let first = run_once().await;
    let second = run_once().await;
    assert!(first == second, "two runs of the same steps differ");
}

#[tokio::test]
async fn a_poller_paging_a_growing_log_sees_every_item_once_in_order() {
    let app = spawn_app_with(FROZEN).await;
    let session_id = start(&app, json!({"outcome": "success", "objectsPerMinute": 60})).await;
    let mut seen: Vec<i64> = Vec::new();
    for _ in 0..40 {
        let path = format!(
            "/v3/JobSessions/{session_id}/LogItems?offset={}&limit=2",
            seen.len()
        );
        let page = app.json(&path, "t").await;
        seen.extend(
            page.as_array()
                .unwrap()
                .iter()
                .map(|item| item["usn"].as_i64().unwrap()),
        );
        advance(&app, 0.7).await;
    }
    let total = titles(&app, &session_id).await.len() as i64;
    assert_eq!(
        total, 7,
        "started, connected, found, three mailboxes, finished"
    );
    assert_eq!(seen, (1..=total).collect::<Vec<_>>());
}

#[tokio::test]
async fn time_moves_back_only_with_a_reset() {
    let app = spawn_app_with(FROZEN).await;
    start(&app, json!({})).await;
    let back = json!({"now": "2017-04-04T08:00:00Z"});
    let refused = app.admin(Method::PUT, "/__admin/clock", Some(&back)).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("now: "));
    let reset = json!({"now": "2017-04-04T08:00:00Z", "reset": true});
    let clock = app.admin(Method::PUT, "/__admin/clock", Some(&reset)).await;
    assert_eq!(clock.status(), 200);
    let clock: Value = clock.json().await.unwrap();
    assert_eq!(clock["now"], "2017-04-04T08:00:00Z");
    assert_eq!(clock["mode"], "frozen");
}

#[tokio::test]
async fn bad_scenarios_and_clock_values_are_400_with_their_path() {
    let app = spawn_app_with(FROZEN).await;
    let path = format!("/__admin/jobs/{SEED_JOB}/start");
    let unknown = app
        .admin(
            Method::POST,
            &path,
            Some(&json!({"scenario": {"outcome": "maybe"}})),
        )
        .await;
    let body: Value = unknown.json().await.unwrap();
    assert!(
        body["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("scenario.outcome: "),
        "{body}"
    );
    let zero_pace = app
        .admin(
            Method::POST,
            &path,
            Some(&json!({"scenario": {"objectsPerMinute": 0}})),
        )
        .await;
    let body: Value = zero_pace.json().await.unwrap();
    assert_eq!(
        body["problems"][0],
        "scenario.objectsPerMinute: must be from 1 to 6000"
    );
    let negative = app
        .admin(
            Method::POST,
            "/__admin/clock/advance",
            Some(&json!({"seconds": -5})),
        )
        .await;
    assert_eq!(negative.status(), 400);
    let mode = app
        .admin(
            Method::PUT,
            "/__admin/clock",
            Some(&json!({"mode": "sideways"})),
        )
        .await;
    assert_eq!(mode.status(), 400);
    start(&app, json!({})).await;
    let again = app.admin(Method::POST, &path, None).await;
    assert_error(again, 400).await;
}

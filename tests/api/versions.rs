//! v3..v8 side by side: discovery, `--versions`, each version's shapes, links and errors,
//! and a client's session flow per version.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, SEED_JOB, SEED_SESSION, TestApp, spawn_app, spawn_app_with};

#[tokio::test]
async fn discovery_finds_exactly_the_versions_with_a_service_instance() {
    let app = spawn_app().await;
    for version in ["v6", "v7", "v8"] {
        assert_eq!(
            app.get(&format!("/{version}/ServiceInstance"), None)
                .await
                .status(),
            401,
            "{version}"
        );
    }
    for version in ["v3", "v4", "v5", "v9", "v99"] {
        assert_eq!(
            app.get(&format!("/{version}/ServiceInstance"), None)
                .await
                .status(),
            404,
            "{version}"
        );
    }
    let token = app.access_token().await;
    let instance = app.json("/v8/ServiceInstance", &token).await;
    assert!(instance["installationId"].is_string());
    assert!(instance["version"].as_str().unwrap().starts_with("8."));
}

#[tokio::test]
async fn versions_limits_what_is_served() {
    let app = spawn_app_with(&["--versions", "v3", "--static-token", "t"]).await;
    assert_eq!(app.get("/v6/ServiceInstance", None).await.status(), 404);
    assert_eq!(app.get("/v6/JobSessions", Some("t")).await.status(), 404);
    assert_eq!(app.get("/v3/JobSessions", Some("t")).await.status(), 200);
    let old = spawn_app_with(&["--versions", "v3,v5", "--static-token", "t"]).await;
    assert_eq!(old.get("/v5/JobSessions", Some("t")).await.status(), 200);
    assert_eq!(old.get("/v4/JobSessions", Some("t")).await.status(), 404);
}

#[tokio::test]
async fn v4_is_v3_with_its_own_prefix_and_v5_pages() {
    let app = spawn_app_with(FROZEN).await;
    let v4 = app
        .json(&format!("/v4/JobSessions/{SEED_SESSION}/LogItems"), "t")
        .await;
    assert!(v4.is_array());
    assert_eq!(
        v4[0]["_links"]["jobsessions"]["href"],
        format!("{}/v4/JobSessions/{SEED_SESSION}", app.base)
    );
    let v5 = app
        .json(
            &format!("/v5/JobSessions/{SEED_SESSION}/LogItems?limit=3"),
            "t",
        )
        .await;
    assert_eq!(v5["results"].as_array().unwrap().len(), 3);
    assert!(v5.get("setId").is_none());
    let session = app
        .json(&format!("/v5/JobSessions/{SEED_SESSION}"), "t")
        .await;
    assert_eq!(
        session["_links"]["log"]["href"],
        format!("{}/v5/JobSessions/{SEED_SESSION}/LogItems", app.base)
    );
    assert!(session.get("details").is_none());
    let organizations = app.json("/v5/Organizations", "t").await;
    assert_eq!(
        organizations[0]["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .split("/v5/")
            .count(),
        2
    );
}

#[tokio::test]
async fn v6_links_are_relative_and_sessions_carry_details() {
    let app = spawn_app_with(FROZEN).await;
    let page = app.json("/v6/JobSessions?limit=2", "t").await;
    assert_eq!(
        page["_links"]["self"]["href"],
        "/v6/JobSessions?offset=0&limit=2"
    );
    assert_eq!(
        page["_links"]["next"]["href"],
        "/v6/JobSessions?offset=2&limit=2"
    );
    assert!(page["totalCount"].as_u64().unwrap() > 100);
    let session = app
        .json(&format!("/v6/JobSessions/{SEED_SESSION}"), "t")
        .await;
    assert_eq!(
        session["_links"]["log"]["href"],
        format!("/v6/JobSessions/{SEED_SESSION}/LogItems")
    );
    assert_eq!(session["retryCount"], 0);
    assert_eq!(
        session["details"],
        "Transferred: 46.0 MB (3 items) at 1.5 MB/s (48 items/s)"
    );
}

#[tokio::test]
async fn v6_tokens_take_json_and_carry_iso_dates() {
    let app = spawn_app_with(&["--clock", "frozen:2017-04-04T09:00:00Z"]).await;
    let response = app
        .client
        .post(app.url("/v6/Token"))
        .json(&json!({"grant_type": "password", "username": "admin", "password": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token: Value = response.json().await.unwrap();
    assert_eq!(token[".issued"], "2017-04-04T09:00:00Z");
    assert_eq!(token[".expires"], "2017-04-04T10:00:00Z");
    let v3_json = app
        .client
        .post(app.url("/v3/Token"))
        .json(&json!({"grant_type": "password", "username": "admin", "password": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(v3_json.status(), 400, "v3 takes forms only");
}

#[tokio::test]
async fn from_v6_a_rejected_token_gets_401_with_an_empty_body() {
    let app = spawn_app().await;
    let response = app.get("/v6/JobSessions", Some("nope")).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn v7_sessions_say_null_while_running_and_filter_by_job() {
    let app = spawn_app_with(FROZEN).await;
    let running = app.json("/v7/JobSessions?limit=100", "t").await["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|session| session["status"] == "Running")
        .cloned()
        .unwrap();
    assert_eq!(running["endTime"], Value::Null);
    assert_eq!(running["jobType"], "Backup");
    assert!(running["repositoryId"].is_string());
    let by_job = app
        .json(&format!("/v7/JobSessions?jobId={SEED_JOB}&limit=100"), "t")
        .await;
    assert_eq!(by_job["results"].as_array().unwrap().len(), 31);
    assert_eq!(
        app.get(&format!("/v7/Jobs/{SEED_JOB}/JobSessions"), Some("t"))
            .await
            .status(),
        404
    );
    let bad = app.get("/v7/JobSessions?jobId=nope", Some("t")).await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errorCode"], Value::Null);
    assert!(body["message"].as_str().unwrap().contains("jobId"));
}

#[tokio::test]
async fn v8_log_items_have_type_and_message_and_filter_and_order() {
    let app = spawn_app_with(FROZEN).await;
    let log = app
        .json(&format!("/v8/JobSessions/{SEED_SESSION}/LogItems"), "t")
        .await;
    let first = &log["results"][0];
    assert_eq!(first["type"], "Success");
    assert_eq!(first["message"], "Job started at 4/4/2017 12:07:21 AM");
    assert!(first.get("title").is_none());
    let backwards = app
        .json(
            &format!("/v8/JobSessions/{SEED_SESSION}/LogItems?orderAsc=false&limit=2"),
            "t",
        )
        .await;
    let usns: Vec<i64> = backwards["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["usn"].as_i64().unwrap())
        .collect();
    assert_eq!(usns, [8, 7]);
    let errors = app
        .json(
            &format!("/v8/JobSessions/{SEED_SESSION}/LogItems?type=Error"),
            "t",
        )
        .await;
    assert_eq!(errors["results"], json!([]));
    let succeeded = app
        .json("/v8/JobSessions?status=Succeeded&limit=500", "t")
        .await;
    assert!(
        succeeded["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "Success")
    );
    let missing = app
        .get(
            "/v8/JobSessions/00000000-0000-0000-0000-000000000001",
            Some("t"),
        )
        .await;
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["errorCode"], "ResourceNotFound");
}

#[tokio::test]
async fn job_actions_are_paths_from_v6_and_v8_start_returns_the_session() {
    let app = spawn_app_with(FROZEN).await;
    let disable = app
        .admin(Method::POST, &format!("/v6/Jobs/{SEED_JOB}/disable"), None)
        .await;
    assert_eq!(disable.status(), 401, "actions need a token");
    let post = |path: String| app.client.post(app.url(&path)).bearer_auth("t").send();
    assert_eq!(
        post(format!("/v6/Jobs/{SEED_JOB}/disable"))
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        post(format!("/v7/Jobs/{SEED_JOB}/start"))
            .await
            .unwrap()
            .status(),
        400,
        "disabled"
    );
    assert_eq!(
        post(format!("/v7/Jobs/{SEED_JOB}/enable"))
            .await
            .unwrap()
            .status(),
        204
    );
    let started = post(format!("/v8/Jobs/{SEED_JOB}/start")).await.unwrap();
    assert_eq!(started.status(), 200);
    let session: Value = started.json().await.unwrap();
    assert_eq!(session["status"], "Running");
    assert_eq!(session["jobId"], SEED_JOB);
    assert_eq!(
        post(format!("/v6/Jobs/{SEED_JOB}/stop"))
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        post(format!("/v3/Jobs/{SEED_JOB}/start"))
            .await
            .unwrap()
            .status(),
        404,
        "v3 uses /Action"
    );
}

/// What a client of each version does: log in, list sessions, read a log, page to the end.
#[tokio::test]
async fn a_client_of_every_version_walks_sessions_and_pages_a_log_to_the_end() {
    let app = spawn_app_with(FROZEN).await;
    for version in ["v3", "v4", "v5", "v6", "v7", "v8"] {
        let token = login(&app, version).await;
        let sessions = app.json(&format!("/{version}/JobSessions"), &token).await;
        let list = sessions
            .get("results")
            .unwrap_or(&sessions)
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(list.len(), 30, "{version}");
        let mut path = format!("/{version}/JobSessions/{SEED_SESSION}/LogItems?limit=3");
        let mut usns = Vec::new();
        for _ in 0..10 {
            let page = app.json(&path, &token).await;
            let items = page.get("results").unwrap_or(&page).as_array().unwrap();
            usns.extend(items.iter().map(|item| item["usn"].as_i64().unwrap()));
            match page["_links"]["next"]["href"].as_str() {
                Some(next) => path = next.strip_prefix(&app.base).unwrap_or(next).to_owned(),
                None if page.is_array() && items.len() == 3 => {
                    path = format!(
                        "/{version}/JobSessions/{SEED_SESSION}/LogItems?limit=3&offset={}",
                        usns.len()
                    );
                }
                None => break,
            }
        }
        assert_eq!(usns, (1..=8).collect::<Vec<_>>(), "{version}");
    }
}

async fn login(app: &TestApp, version: &str) -> String {
    let response = app
        .post_form(
            &format!("/{version}/token"),
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_eq!(response.status(), 200, "{version}");
    response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn dashboard_resources_are_arrays_up_to_v7_and_pages_in_v8() {
    let app = spawn_app_with(FROZEN).await;
    let v7 = app.json("/v7/Organizations", "t").await;
    assert!(v7.is_array());
    assert_eq!(
        v7[0]["_links"]["self"]["href"].as_str().unwrap(),
        format!("/v7/Organizations/{}", v7[0]["id"].as_str().unwrap())
    );
    let v8 = app.json("/v8/Organizations?limit=2", "t").await;
    assert_eq!(v8["results"].as_array().unwrap().len(), 2);
    assert_eq!(
        v8["_links"]["next"]["href"],
        "/v8/Organizations?offset=2&limit=2"
    );
    let proxies = app.json("/v8/Proxies", "t").await;
    assert!(proxies["results"][0].get("threadsNumber").is_none());
    let id = v7[0]["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/v8/Organizations/{id}/Jobs"), Some("t"))
            .await
            .status(),
        404
    );
    assert!(
        app.json(&format!("/v7/Organizations/{id}/Jobs"), "t")
            .await
            .is_array()
    );
}

#[tokio::test]
async fn the_license_appears_in_v5_and_counts_the_licensed_users() {
    let app = spawn_app_with(FROZEN).await;
    assert_eq!(app.get("/v4/License", Some("t")).await.status(), 404);
    let license = app.json("/v5/License", "t").await;
    let users = app.json("/v5/LicensedUsers?limit=10000", "t").await;
    assert_eq!(
        license["usedNumber"].as_u64().unwrap() as usize,
        users["results"].as_array().unwrap().len()
    );
    assert_eq!(license["status"], "Valid");
    assert!(license.get("expirationDate").is_some());
    let v7 = app.json("/v7/License", "t").await;
    assert!(v7.get("licenseExpires").is_some() && v7.get("expirationDate").is_none());
}

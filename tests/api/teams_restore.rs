//! Restoring, saving, sending and exporting Teams posts and files end to end: events of the
//! session on the clock, files a client can open, mail in the outbox, a scenario's failing
//! restores, refused bodies and an operator's scope.

use std::collections::HashSet;
use std::io::Read;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, TestApp, advance, merged, send, sign_in_role_operator, spawn_app_with, status_and_json,
    world_text,
};
use crate::teams::{Walked, open_session, results, team_outside, walk};

const CREDENTIALS: &str = "helpdesk@contoso.example";

fn credentials() -> Value {
    json!({"userName": CREDENTIALS, "userPassword": "x"})
}

fn href(item: &Value) -> String {
    item["_links"]["self"]["href"].as_str().unwrap().to_owned()
}

/// A POST answered with a file: its status, content type, file name and bytes.
async fn download(app: &TestApp, path: &str, body: Value) -> (u16, String, String, Vec<u8>) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth("t")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (kind, disposition) = (header("content-type"), header("content-disposition"));
    let name = disposition
        .split("filename=\"")
        .nth(1)
        .unwrap_or_default()
        .trim_end_matches('"')
        .to_owned();
    (status, kind, name, response.bytes().await.unwrap().to_vec())
}

/// The events of a session, oldest first.
async fn events(app: &TestApp, session: &str) -> Vec<Value> {
    results(
        &app.json(&format!("/v8/RestoreSessions/{session}/Events"), "t")
            .await,
    )
}

fn file_restore() -> Value {
    let mut body = credentials();
    body["fileVersion"] = json!("Last");
    body["restoreChangedItems"] = json!(true);
    body["restoreMissingItems"] = json!(true);
    body
}

/// Paths of a walked team: its posts and its files.
fn team_paths(walked: &Walked) -> (String, String) {
    let team = href(&walked.team);
    (format!("{team}/posts"), format!("{team}/files"))
}

#[tokio::test]
async fn posts_and_files_restored_to_their_channel_run_on_the_clock_and_are_there_later() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v6", "v8"] {
        let session = open_session(&app, v, None).await;
        let walked = walk(&app, v, &session).await;
        let (posts, _) = team_paths(&walked);
        let channel = walked.channel["id"].clone();
        let created = walked.post["createdTime"].clone();
        let mut body = credentials();
        body["channelId"] = channel.clone();
        body["from"] = created.clone();
        body["to"] = created;
        let (status, answer) =
            send(&app, Method::POST, &format!("{posts}/restore"), Some(body)).await;
        assert_eq!(status, 200, "{v}: {answer}");
        let (status, file_answer) = send(
            &app,
            Method::POST,
            &format!("{}/restore", href(&walked.file)),
            Some(file_restore()),
        )
        .await;
        assert_eq!(status, 200, "{v}: {file_answer}");
        if v == "v6" {
            assert_eq!(answer["totalItemsCount"], 1, "{answer}");
            assert_eq!(answer["skippedItemsCount"], 1, "{answer}");
            assert_eq!(answer["restoreIssues"], json!([]));
            assert_eq!(file_answer["totalItemsCount"], 1, "{file_answer}");
        } else {
            assert_eq!(answer, json!({"sessionId": session}));
            assert_eq!(file_answer, json!({"sessionId": session}));
        }
        let restores = events(&app, &session).await;
        assert_eq!(restores.len(), 2, "{restores:?}");
        assert_eq!(restores[0]["type"], "Restore");
        assert_eq!(restores[0]["status"], "Running");
        assert_eq!(restores[0]["itemName"], "General");
        assert_eq!(restores[1]["itemName"], walked.file["name"]);
        advance(&app, 5.0).await;
        let restores = events(&app, &session).await;
        assert!(
            restores.iter().all(|event| event["status"] == "Success"),
            "{restores:?}"
        );
    }

    // A backup after the restores: a session on it shows the post and the file where they were.
    crate::helpers::start(&app, json!({"outcome": "success", "objectsPerMinute": 600})).await;
    advance(&app, 3_600.0).await;
    let earlier = open_session(&app, "v8", None).await;
    let walked = walk(&app, "v8", &earlier).await;
    let later = open_session(&app, "v8", None).await;
    let post = app
        .json(&href(&walked.post).replace(&earlier, &later), "t")
        .await;
    assert_eq!(post["postId"], walked.post["postId"]);
    let file = app
        .json(&href(&walked.file).replace(&earlier, &later), "t")
        .await;
    assert_eq!(file["id"], walked.file["id"]);
    assert_eq!(file["channelId"], walked.channel["id"]);
}

#[tokio::test]
async fn a_post_saves_as_a_page_several_files_as_a_zip_and_posts_export_to_one_page() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v6", "v8"] {
        let session = open_session(&app, v, None).await;
        let walked = walk(&app, v, &session).await;
        let (posts, files) = team_paths(&walked);
        let subject = walked.post["subject"].as_str().unwrap();

        let (status, kind, name, bytes) =
            download(&app, &format!("{}/save", href(&walked.post)), json!({})).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(kind, "application/octet-stream");
        assert_eq!(name, format!("{subject}.html"));
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(page.contains(&walked.post["postId"].to_string()), "{page}");

        let channel = walked.channel["id"].as_str().unwrap();
        let listed = app
            .json(&format!("{files}?channelId={channel}&limit=50"), "t")
            .await;
        let chosen: Vec<Value> = results(&listed)
            .into_iter()
            .filter(|file| file["fileType"] == "File")
            .take(3)
            .chain([walked.file.clone()])
            .collect();
        assert!(chosen.len() > 1, "{listed}");
        let (status, kind, name, bytes) = download(
            &app,
            &format!("{files}/save"),
            json!({"files": chosen.iter().map(|file| json!({"id": file["id"]})).collect::<Vec<_>>()}),
        )
        .await;
        assert_eq!(status, 200, "{v}: {}", String::from_utf8_lossy(&bytes));
        assert_eq!(kind, "application/zip");
        assert_eq!(name, format!("{} files.zip", chosen.len()));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), chosen.len());
        let mut texts = String::new();
        for entry in 0..archive.len() {
            archive
                .by_index(entry)
                .unwrap()
                .read_to_string(&mut texts)
                .unwrap();
        }
        assert!(
            texts.contains(walked.file["id"].as_str().unwrap()),
            "{texts}"
        );

        let (status, _, name, bytes) = download(
            &app,
            &format!("{posts}/export"),
            json!({"channelId": channel, "to": walked.post["createdTime"]}),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(name, "General.html");
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.contains(&format!("<h2>{subject}</h2>")), "{page}");
        let (status, _, name, _) =
            download(&app, &format!("{}/export", href(&walked.post)), json!({})).await;
        assert_eq!((status, name), (200, format!("{subject}.html")));

        let kinds: Vec<Value> = events(&app, &session)
            .await
            .iter()
            .map(|event| event["type"].clone())
            .collect();
        assert_eq!(kinds, ["Save", "Save", "Export", "Export"], "{v}");
    }
}

#[tokio::test]
async fn posts_and_files_sent_from_a_session_land_in_the_outbox() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v8", None).await;
    let walked = walk(&app, "v8", &session).await;
    let (posts, files) = team_paths(&walked);
    let address = json!({"from": "helpdesk@example.com", "to": "owner@example.com"});
    let (status, refused) = send(
        &app,
        Method::POST,
        &format!("{}/send", href(&walked.post)),
        Some(json!({"from": "helpdesk@example.com"})),
    )
    .await;
    assert_eq!(status, 400, "no recipient: {refused}");
    let mut body = address.clone();
    body["posts"] = json!([{"postId": walked.post["postId"]}]);
    let (status, answer) = send(&app, Method::POST, &format!("{posts}/send"), Some(body)).await;
    assert_eq!(status, 204, "{answer}");
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{}/send", href(&walked.file)),
        Some(address.clone()),
    )
    .await;
    assert_eq!(status, 204, "{answer}");
    let mut body = address;
    body["files"] = json!([{"id": walked.file["id"]}]);
    let (status, answer) = send(&app, Method::POST, &format!("{files}/send"), Some(body)).await;
    assert_eq!(status, 204, "{answer}");

    let outbox: Value = app
        .admin(Method::GET, "/__admin/outbox", None)
        .await
        .json()
        .await
        .unwrap();
    let outbox = outbox.as_array().unwrap();
    assert_eq!(outbox.len(), 3, "{outbox:?}");
    assert_eq!(outbox[0]["to"], "owner@example.com");
    assert_eq!(outbox[0]["restoreSessionId"], json!(session));
    assert_eq!(
        outbox[0]["attachments"],
        json!([format!("{}.html", walked.post["subject"].as_str().unwrap())])
    );
    assert_eq!(outbox[1]["attachments"], json!([walked.file["name"]]));
    assert_eq!(outbox[2]["attachments"], json!([walked.file["name"]]));
}

#[tokio::test]
async fn a_failing_scenario_fails_teams_restores_and_refused_requests_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v7", None).await;
    let walked = walk(&app, "v7", &session).await;
    let (posts, files) = team_paths(&walked);
    let channel = walked.channel["id"].clone();
    let post = walked.post["postId"].clone();
    let file = walked.file["id"].clone();
    let with = |body: Value, extra: Value| merged(&body, &extra);

    let before = world_text(&app).await;
    for (path, body, status) in [
        (
            format!("{posts}/restore"),
            json!({"channelId": channel}),
            400,
        ),
        (format!("{posts}/restore"), credentials(), 400),
        (
            format!("{posts}/restore"),
            with(
                credentials(),
                json!({"channelId": channel, "from": "2030-01-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"}),
            ),
            400,
        ),
        (
            format!("{posts}/restore"),
            with(
                credentials(),
                json!({"channelId": "19:nothing@thread.tacv2"}),
            ),
            404,
        ),
        (
            format!("{files}/restore"),
            with(credentials(), json!({"files": [{"id": file}]})),
            400,
        ),
        (
            format!("{files}/restore"),
            with(
                file_restore(),
                json!({"files": [{"id": file}], "channelId": channel}),
            ),
            400,
        ),
        (
            format!("{files}/restore"),
            with(
                file_restore(),
                json!({"files": [{"id": "00000000-0000-0000-0000-000000000042"}]}),
            ),
            404,
        ),
        (format!("{posts}/save"), json!({}), 400),
        (
            format!("{posts}/save"),
            json!({"posts": [{"postId": 7}]}),
            404,
        ),
        (format!("{posts}/nothing/save"), json!({}), 400),
        (
            format!("{posts}/export"),
            json!({"posts": [{"postId": post}], "channelId": channel}),
            400,
        ),
        (
            format!("{files}/save"),
            json!({"files": [{"id": "x"}]}),
            400,
        ),
        (
            format!("{files}/send"),
            json!({"files": [{"id": file}], "from": "a@example.com"}),
            400,
        ),
    ] {
        let (answered, answer) = send(&app, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(answered, status, "{path} {body}: {answer}");
        assert!(answer["message"].is_string(), "{path}: {answer}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused request changed the world"
    );

    let response = app
        .admin(
            Method::POST,
            "/__admin/scenarios",
            Some(&json!({"name": "teams-restores-failing",
                         "restores": {"result": "failed", "message": "Teams is throttling"}})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let (status, statistics) = send(
        &app,
        Method::POST,
        &format!("{posts}/restore"),
        Some(with(credentials(), json!({"channelId": channel}))),
    )
    .await;
    assert_eq!(status, 200, "{statistics}");
    let total = statistics["totalItemsCount"].as_u64().unwrap();
    assert!(total > 1, "{statistics}");
    assert_eq!(statistics["failedItemsCount"], total);
    assert_eq!(statistics["restoredItemsCount"], 0);
    advance(&app, 3_600.0).await;
    let newest = events(&app, &session).await.pop().unwrap();
    assert_eq!(newest["status"], "Failed", "{newest}");
    assert!(
        newest["message"]
            .as_str()
            .unwrap()
            .contains("Teams is throttling"),
        "{newest}"
    );

    // A stopped session refuses as mail's does.
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v7/RestoreSessions/{session}/Stop"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{posts}/save"),
        Some(json!({"posts": [{"postId": post}]})),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("is stopped"),
        "{answer}"
    );
}

#[tokio::test]
async fn an_operator_cannot_restore_a_team_outside_their_scope() {
    let app = spawn_app_with(FROZEN).await;
    let (_, token) = sign_in_role_operator(&app, "v8").await;
    let response = app
        .client
        .post(app.url("/v8/Organization/OperatorExplore"))
        .bearer_auth(&token)
        .json(&json!({"type": "Vet", "reason": "a lost file"}))
        .send()
        .await
        .unwrap();
    let (status, opened) = status_and_json(response).await;
    assert_eq!(status, 201, "{opened}");
    let session = opened["id"].as_str().unwrap();
    let operator_get = |path: String| {
        let request = app.client.get(app.url(&path)).bearer_auth(&token);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let shown: HashSet<String> =
        results(&operator_get(format!("/v8/RestoreSessions/{session}/organization/teams")).await)
            .iter()
            .map(|team| team["id"].as_str().unwrap().to_owned())
            .collect();
    let organization = operator_get(format!("/v8/RestoreSessions/{session}/organization")).await;
    let outside = team_outside(&app, &organization, &shown).await;
    let operator_post = |path: String, body: Value| {
        let request = app
            .client
            .post(app.url(&path))
            .bearer_auth(&token)
            .json(&body);
        async move { status_and_json(request.send().await.unwrap()).await }
    };
    let teams = format!("/v8/RestoreSessions/{session}/organization/teams");
    let before = world_text(&app).await;
    let (status, refused) = operator_post(
        format!("{teams}/{outside}/posts/operatorRestore"),
        json!({"channelId": "19:x@thread.tacv2", "reason": "a lost post"}),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("outside"),
        "{refused}"
    );
    assert_eq!(world_text(&app).await, before);

    let allowed = shown.iter().next().unwrap();
    let channels = operator_get(format!("{teams}/{allowed}/channels")).await;
    let (status, answer) = operator_post(
        format!("{teams}/{allowed}/posts/operatorRestore"),
        json!({"channelId": results(&channels)[0]["id"], "reason": "a lost post"}),
    )
    .await;
    assert_eq!((status, answer), (200, json!({"sessionId": session})));
    advance(&app, 3_600.0).await;
    let restored = events(&app, session).await.pop().unwrap();
    assert_eq!(restored["status"], "Success", "{restored}");
    assert!(
        restored["message"]
            .as_str()
            .unwrap()
            .ends_with("Reason: a lost post"),
        "{restored}"
    );
}

#[tokio::test]
async fn a_team_a_channel_and_tabs_restore_as_one_event_each_counting_what_they_hold() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v8", None).await;
    let walked = walk(&app, "v8", &session).await;
    let team = href(&walked.team);
    let channel = href(&walked.channel);
    let items = merged(
        &credentials(),
        &json!({"restoreChangedItems": true, "restoreMissingItems": true}),
    );
    let team_items = merged(
        &items,
        &json!({"restoreMembers": true, "restoreSettings": true}),
    );
    let tabs = merged(
        &credentials(),
        &json!({"restoreChangedTabs": true, "restoreMissingTabs": true}),
    );
    let teams = walked.teams.clone();
    for (path, body) in [
        (
            format!("{teams}/restore"),
            merged(&team_items, &json!({"teams": [{"id": walked.team["id"]}]})),
        ),
        (format!("{team}/restore"), team_items.clone()),
        (format!("{channel}/restore"), items.clone()),
        (format!("{channel}/tabs/restore"), tabs.clone()),
        (format!("{}/restore", href(&walked.tab)), tabs.clone()),
        (format!("{team}/tabs/restore"), tabs.clone()),
    ] {
        let (status, answer) = send(&app, Method::POST, &path, Some(body)).await;
        assert_eq!(
            (status, answer),
            (200, json!({"sessionId": session})),
            "{path}"
        );
    }
    advance(&app, 3_600.0).await;
    let restores = events(&app, &session).await;
    let names: Vec<&str> = restores
        .iter()
        .map(|event| event["itemName"].as_str().unwrap())
        .collect();
    let display = walked.team["displayName"].as_str().unwrap();
    let tab = walked.tab["displayName"].as_str().unwrap();
    assert_eq!(names[..4], [display, display, "General", names[3]]);
    assert_eq!(names[4], tab);
    assert!(
        restores.iter().all(|event| event["status"] == "Success"),
        "{restores:?}"
    );
    let skipped = |event: &Value| -> u64 {
        let message = event["message"].as_str().unwrap();
        let counted = message.split(" item(s) skipped").next().unwrap();
        counted.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let whole_team = skipped(&restores[1]);
    assert_eq!(skipped(&restores[0]), whole_team);
    assert!(
        whole_team > skipped(&restores[2]) && skipped(&restores[2]) > skipped(&restores[3]),
        "{restores:?}"
    );
    assert_eq!(skipped(&restores[4]), 1);
}

#[tokio::test]
async fn an_export_task_runs_on_the_clock_and_then_answers_its_page_of_posts() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v7", None).await;
    let walked = walk(&app, "v7", &session).await;
    let (posts, _) = team_paths(&walked);
    let channel = href(&walked.channel);
    let (status, started) = send(
        &app,
        Method::POST,
        &format!("{channel}/startOperatorExportPosts"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{started}");
    let channel_task = started["exportTaskId"].as_str().unwrap().to_owned();
    let (status, started) = send(
        &app,
        Method::POST,
        &format!("{posts}/operatorStartExportTask"),
        Some(json!({"posts": [{"postId": walked.post["postId"]}]})),
    )
    .await;
    assert_eq!(status, 200, "{started}");
    let posts_task = started["exportTaskId"].as_str().unwrap().to_owned();
    let channel_file = format!("{channel}/operatorExport/{channel_task}");
    let posts_file = format!("{posts}/operatorExport/{posts_task}");
    for path in [&channel_file, &posts_file] {
        let (status, running) = send(&app, Method::GET, path, None).await;
        assert_eq!(status, 400, "{path}: {running}");
        assert!(
            running["message"]
                .as_str()
                .unwrap()
                .contains("still running"),
            "{running}"
        );
    }
    let exports = events(&app, &session).await;
    assert_eq!(exports.len(), 2);
    assert!(
        exports
            .iter()
            .all(|event| event["type"] == "Export" && event["status"] == "Running"),
        "{exports:?}"
    );

    advance(&app, 3_600.0).await;
    let subject = walked.post["subject"].as_str().unwrap();
    for (path, name) in [
        (&channel_file, "General.html".to_owned()),
        (&posts_file, format!("{subject}.html")),
    ] {
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-disposition"],
            format!("attachment; filename=\"{name}\"").as_str()
        );
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("<h2>{subject}</h2>")), "{page}");
    }
    let (status, unknown) = send(
        &app,
        Method::GET,
        &format!("{posts}/operatorExport/{channel_task}"),
        None,
    )
    .await;
    assert_eq!(
        status, 404,
        "a channel's export is not the posts': {unknown}"
    );
}

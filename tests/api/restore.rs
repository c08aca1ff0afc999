//! Restore as a portal uses it: restore points, an explore on a point in time, browsing a
//! mailbox's folders and items, stopping the session.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, explore_first_mailbox, page_from_the_middle,
    rewrite_world, send, spawn_app_with,
};

#[tokio::test]
async fn a_portal_opens_a_session_on_a_point_in_time_and_browses_a_mailbox() {
    let app = spawn_app_with(FROZEN).await;
    let points = app
        .json(
            &format!("/v8/RestorePoints?organizationId={SEED_ORGANIZATION}&orderAsc=false&limit=2"),
            "t",
        )
        .await;
    let older = &points["results"][1];
    assert!(
        older["backupTime"].as_str().unwrap()
            < points["results"][0]["backupTime"].as_str().unwrap()
    );
    let (status, session) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex", "dateTime": older["backupTime"]})),
    )
    .await;
    assert_eq!(status, 201, "{session}");
    assert_eq!(session["state"], "Working");
    assert_eq!(session["endTime"], Value::Null);
    let id = session["id"].as_str().unwrap().to_owned();

    let mailboxes = app
        .json(
            &format!("/v8/RestoreSessions/{id}/organization/mailboxes"),
            "t",
        )
        .await;
    let mailbox = mailboxes["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mailbox| mailbox["email"] == "petep@eastsupport.onmicrosoft.com")
        .expect("a backed-up user's mailbox")
        .clone();
    let folders = app
        .follow_relative(&mailbox["_links"]["folders"]["href"])
        .await;
    let inbox = folders["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|folder| folder["name"] == "Inbox")
        .unwrap()
        .clone();
    assert_eq!(inbox["category"], "Inbox");
    let items = app.follow_relative(&inbox["_links"]["items"]["href"]).await;
    let first = &items["results"][0];
    assert_eq!(first["itemClass"], "IPM.Note");
    assert!(
        first["subject"].as_str().unwrap().ends_with("#1"),
        "{first}"
    );
    let again = app.follow_relative(&first["_links"]["self"]["href"]).await;
    assert_eq!(&again, first, "an item reads back the same");

    // A later point in time shows more mail in the same folder.
    let (_, later) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    let later_id = later["id"].as_str().unwrap();
    let mailbox_id = mailbox["id"].as_str().unwrap();
    let inbox_id = inbox["id"].as_str().unwrap();
    let count = |session: String| {
        let app = &app;
        let path = format!(
            "/v7/RestoreSessions/{session}/organization/mailboxes/{mailbox_id}/items?parentId={inbox_id}&limit=1"
        );
        async move { app.json(&path, "t").await["totalCount"].as_u64().unwrap() }
    };
    let (before, after) = (count(id.clone()).await, count(later_id.to_owned()).await);
    assert!(
        after > before,
        "{after} items at the newest point, {before} at the one before"
    );

    // A stopped session shows nothing more.
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/RestoreSessions/{id}/Stop"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 204);
    advance(&app, 1.0).await;
    let stopped = app.json(&format!("/v8/RestoreSessions/{id}"), "t").await;
    assert_eq!(stopped["state"], "Stopped");
    let refused = app
        .get(
            &format!("/v8/RestoreSessions/{id}/organization/mailboxes"),
            Some("t"),
        )
        .await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn a_page_from_the_middle_of_a_million_items_is_there_at_once() {
    let app = spawn_app_with(FROZEN).await;
    let user = app
        .json(
            &format!("/v8/Organizations/{SEED_ORGANIZATION}/Users?userName=petep"),
            "t",
        )
        .await["results"][0]
        .clone();
    // A world whose user gathers mail at 2,000 times the usual rate: a million items in
    // under a month's inbox.
    rewrite_world(&app, |world| {
        for entry in world["organizationUsers"].as_array_mut().unwrap() {
            if entry["id"] == user["id"] {
                entry["mailboxScale"] = json!(2000);
            }
        }
    })
    .await;
    let (_, session) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({})),
    )
    .await;
    let session = session["id"].as_str().unwrap();
    let mailbox = user["id"].as_str().unwrap();
    let folders = app
        .json(
            &format!("/v8/RestoreSessions/{session}/organization/mailboxes/{mailbox}/folders"),
            "t",
        )
        .await;
    let inbox = folders["results"][0]["id"].as_str().unwrap().to_owned();
    let path = format!(
        "/v8/RestoreSessions/{session}/organization/mailboxes/{mailbox}/items?parentId={inbox}"
    );
    let items = page_from_the_middle(&app, &path).await;
    assert!(
        items[0]["subject"].as_str().unwrap().ends_with("#500001"),
        "{}",
        items[0]
    );
}

#[tokio::test]
async fn saved_mail_is_a_message_file_and_several_are_a_real_zip() {
    let app = spawn_app_with(FROZEN).await;
    let mailbox = explore_first_mailbox(&app, "v7").await.path;
    let items = app.json(&format!("{mailbox}/items?limit=3"), "t").await;
    let items: Vec<Value> = items["results"].as_array().unwrap().clone();

    let saved = app
        .client
        .post(app.url(&format!(
            "{mailbox}/items/{}/save",
            items[0]["id"].as_str().unwrap()
        )))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let disposition = saved.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".msg\""),
        "{disposition}"
    );
    let text = saved.text().await.unwrap();
    let (headers, _) = text
        .split_once("\r\n\r\n")
        .expect("headers, a blank line, a body");
    let header = |name: &str| {
        headers
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}: ")))
            .map(str::to_owned)
    };
    assert_eq!(header("Subject").as_deref(), items[0]["subject"].as_str());
    assert_eq!(header("From").as_deref(), items[0]["from"].as_str());
    assert!(chrono::DateTime::parse_from_rfc2822(&header("Date").unwrap()).is_ok());

    let archive = app
        .client
        .post(app.url(&format!("{mailbox}/items/Save")))
        .bearer_auth("t")
        .json(&json!({"items": items.iter().map(|item| json!({"id": item["id"]})).collect::<Vec<_>>()}))
        .send()
        .await
        .unwrap();
    assert_eq!(archive.headers()["content-type"], "application/zip");
    let bytes = archive.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    assert_eq!(zip.len(), 3);
    let mut names: Vec<String> = (0..zip.len())
        .map(|index| zip.by_index(index).unwrap().name().unwrap().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().all(|name| name.ends_with(".msg")), "{names:?}");
    use std::io::Read;
    let mut first = String::new();
    zip.by_index(0).unwrap().read_to_string(&mut first).unwrap();
    assert!(first.starts_with("From: "), "{first}");
}

/// The items restored into a mailbox in a session (numbered from 2^40 in their folder)
/// whose subject is `subject`.
async fn find_by_subject(app: &TestApp, base: &str, mailbox: &str, subject: &str) -> Vec<Value> {
    let found = app
        .json(&format!("{base}/{mailbox}/items?limit=10000&offset=0"), "t")
        .await;
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["subject"] == subject)
        .filter(|item| {
            let (_, number) = item["id"].as_str().unwrap().rsplit_once('-').unwrap();
            u64::from_str_radix(number, 16).unwrap() >= 1 << 40
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_mail_restored_to_another_mailbox_is_in_the_next_backup_and_nothing_before() {
    let app = spawn_app_with(FROZEN).await;
    let (_, session) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    let session = session["id"].as_str().unwrap().to_owned();
    let base = format!("/v8/RestoreSessions/{session}/organization/mailboxes");
    let mailboxes = app.json(&base, "t").await["results"].clone();
    let source = mailboxes[0]["id"].as_str().unwrap().to_owned();
    let target = mailboxes[1].clone();
    let target_id = target["id"].as_str().unwrap().to_owned();
    let folders = app.json(&format!("{base}/{source}/folders"), "t").await;
    let junk = folders["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|folder| folder["name"] == "Junk Email")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let items = app
        .json(
            &format!("{base}/{source}/items?folderId={junk}&limit=1"),
            "t",
        )
        .await;
    let item = items["results"][0].clone();
    let subject = item["subject"].as_str().unwrap().to_owned();

    let (status, refused) = send(&app, Method::POST, &format!("{base}/{source}/items/{}/restoreTo", item["id"].as_str().unwrap()), Some(json!({"userName": "helpdesk@eastsupport.onmicrosoft.com", "userPassword": "x", "mailbox": "nobody@nowhere.example"})),
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let (status, answer) = send(&app, Method::POST, &format!("{base}/{source}/items/{}/restoreTo", item["id"].as_str().unwrap()), Some(json!({"userName": "helpdesk@eastsupport.onmicrosoft.com", "userPassword": "x", "mailbox": target["email"], "folder": "Inbox"})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["sessionId"], json!(session));
    let events = app
        .json(&format!("/v8/RestoreSessions/{session}/Events"), "t")
        .await;
    let events = events["results"].as_array().unwrap();
    assert_eq!(
        events.len(),
        1,
        "the refused restore left no event: {events:?}"
    );
    assert_eq!(events[0]["type"], "Restore");
    assert_eq!(events[0]["status"], "Running");
    assert_eq!(events[0]["itemName"], subject);
    advance(&app, 5.0).await;
    let events = app
        .json(&format!("/v8/RestoreSessions/{session}/Events"), "t")
        .await;
    assert_eq!(events["results"][0]["status"], "Success");

    // The session's own point in time is before the restore: it does not show the mail.
    assert!(
        find_by_subject(&app, &base, &target_id, &subject)
            .await
            .is_empty()
    );

    // A backup taken after the restore holds it, in the folder asked for.
    crate::helpers::start(&app, json!({"outcome": "success", "objectsPerMinute": 600})).await;
    advance(&app, 3_600.0).await;
    let (status, later) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    assert_eq!(status, 201, "{later}");
    let later = later["id"].as_str().unwrap().to_owned();
    let later_base = format!("/v8/RestoreSessions/{later}/organization/mailboxes");
    let restored = find_by_subject(&app, &later_base, &target_id, &subject).await;
    assert_eq!(
        restored.len(),
        1,
        "the restored mail is in the target mailbox"
    );
    let restored = &restored[0];
    assert_eq!(restored["from"], item["from"]);
    let (inbox_id, _) = restored["id"].as_str().unwrap().rsplit_once('-').unwrap();
    let inbox = app
        .json(&format!("{later_base}/{target_id}/folders/{inbox_id}"), "t")
        .await;
    assert_eq!(inbox["name"], "Inbox");
    let again = app
        .json(
            &format!(
                "{later_base}/{target_id}/items/{}",
                restored["id"].as_str().unwrap()
            ),
            "t",
        )
        .await;
    assert_eq!(&again, restored, "a restored item reads back by its id");

    // What the later backup holds can be restored on: back to the first mailbox.
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{later_base}/{target_id}/items/restoreTo"), Some(json!({"userCode": "device-code", "mailbox": mailboxes[0]["email"], "folder": "Projects",
               "items": [{"id": restored["id"]}]})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let world = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(world["restoredMail"].as_array().unwrap().len(), 2);
    assert_eq!(world["restoredMail"][0]["targetFolder"], "Inbox");
}

#[tokio::test]
async fn mail_sent_from_a_session_lands_in_the_outbox_and_an_export_names_its_items() {
    let app = spawn_app_with(FROZEN).await;
    let explored = explore_first_mailbox(&app, "v7").await;
    let (session, mailbox) = (&explored.session, &explored.path);
    let items = app.json(&format!("{mailbox}/items?limit=2"), "t").await;
    let items = items["results"].as_array().unwrap().clone();
    let ids: Vec<Value> = items.iter().map(|item| json!({"id": item["id"]})).collect();

    let (status, refused) = send(
        &app,
        Method::POST,
        &format!("{mailbox}/items/sendToDifferentAddress"),
        Some(json!({"items": ids, "from": "helpdesk@example.com"})),
    )
    .await;
    assert_eq!(status, 400, "no recipient: {refused}");
    let (status, _) = send(&app, Method::POST, &format!("{mailbox}/items/sendToDifferentAddress"), Some(json!({"items": ids, "from": "helpdesk@example.com", "to": "owner@example.com", "subject": "Your mail"})),
    )
    .await;
    assert_eq!(status, 200);
    let outbox = app
        .admin(Method::GET, "/__admin/outbox", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 1, "{outbox}");
    assert_eq!(outbox[0]["to"], "owner@example.com");
    assert_eq!(outbox[0]["subject"], "Your mail");
    assert_eq!(outbox[0]["restoreSessionId"], json!(session));
    assert_eq!(
        outbox[0]["attachments"],
        json!(
            items
                .iter()
                .map(|item| format!("{}.msg", item["subject"].as_str().unwrap()))
                .collect::<Vec<_>>()
        )
    );

    let export = app
        .client
        .post(app.url(&format!("{mailbox}/items/exportToPst")))
        .bearer_auth("t")
        .json(&json!({"items": ids}))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert_eq!(export.headers()["content-type"], "application/octet-stream");
    let text = export.text().await.unwrap();
    for item in &items {
        assert!(text.contains(item["id"].as_str().unwrap()), "{text}");
        assert!(text.contains(item["subject"].as_str().unwrap()), "{text}");
    }
    let events = app
        .json(&format!("/v7/RestoreSessions/{session}/Events"), "t")
        .await;
    let kinds: Vec<&str> = events["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Send", "Export"]);

    let search = send(
        &app,
        Method::POST,
        &format!("{mailbox}/search?limit=5"),
        Some(json!({"query": format!("subject:\"{}\"", items[0]["subject"].as_str().unwrap())})),
    )
    .await
    .1;
    assert!(
        search["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|found| found["subject"]
                .as_str()
                .unwrap()
                .contains(items[0]["subject"].as_str().unwrap())),
        "{search}"
    );
    assert!(search["totalCount"].as_u64().unwrap() >= 1, "{search}");
}

//! Items a world file pins into the backups (a mail in a given folder, a document in a
//! given OneDrive folder): browsed to, saved, restored elsewhere and found there by a later
//! session, kept by export, and refused when they name what the world lacks, over HTTPS.

use std::io::Read;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, problems, rewrite_world, send, spawn_app_with,
    start, time, world_text,
};

const SUBJECT: &str = "Signed contract for Fabrikam";
const SENDER: &str = "legal@fabrikam.example";
const DOCUMENT: &str = "Pinned budget plan.xlsx";

/// Opens a session of `kind` (`Vex`, `Veod`) on the seed organization's newest backup: its
/// id and the listing base of its mailboxes or OneDrives.
async fn open(app: &TestApp, kind: &str) -> (String, String) {
    let (status, session) = send(
        app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({ "type": kind })),
    )
    .await;
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().unwrap().to_owned();
    let listing = if kind == "Vex" {
        "mailboxes"
    } else {
        "oneDrives"
    };
    let base = format!("/v8/RestoreSessions/{id}/organization/{listing}");
    (id, base)
}

/// When the seed organization's newest backup was taken.
async fn newest_backup(app: &TestApp) -> chrono::DateTime<chrono::FixedOffset> {
    let points = app
        .json(
            &format!("/v8/RestorePoints?organizationId={SEED_ORGANIZATION}&orderAsc=false&limit=1"),
            "t",
        )
        .await;
    time(&points["results"][0]["backupTime"])
}

/// A listing's entries.
fn results(listing: &Value) -> Vec<Value> {
    listing["results"].as_array().unwrap().clone()
}

/// The entries of a page of up to 10,000 whose `key` is `value`.
async fn entries_where(app: &TestApp, path: &str, key: &str, value: &str) -> Vec<Value> {
    results(&app.json(path, "t").await)
        .into_iter()
        .filter(|entry| entry[key] == value)
        .collect()
}

#[tokio::test]
async fn a_pinned_mail_is_browsed_to_saved_and_restored_into_another_mailbox() {
    let app = spawn_app_with(FROZEN).await;
    let (session, base) = open(&app, "Vex").await;
    let mailboxes = results(&app.json(&base, "t").await);
    let source = mailboxes[0]["id"].as_str().unwrap().to_owned();
    let target = mailboxes[1].clone();
    let target_id = target["id"].as_str().unwrap().to_owned();
    let received = newest_backup(&app).await - chrono::TimeDelta::days(3);
    rewrite_world(&app, |world| {
        world["pinnedMail"] = json!([{
            "mailboxId": source,
            "folder": "inbox",
            "received": received.to_rfc3339(),
            "subject": SUBJECT,
            "from": SENDER,
            "attachments": [{"name": "contract.pdf", "sizeBytes": 48213}],
        }]);
    })
    .await;

    // Browsed to: the Inbox, then its items, where it is one of thousands.
    let folders = results(&app.json(&format!("{base}/{source}/folders"), "t").await);
    let inbox = folders
        .iter()
        .find(|folder| folder["name"] == "Inbox")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let inbox_items = format!("{base}/{source}/items?folderId={inbox}&limit=10000");
    let found = entries_where(&app, &inbox_items, "subject", SUBJECT).await;
    assert_eq!(found.len(), 1, "the pinned mail is in the Inbox once");
    let mail = &found[0];
    assert_eq!(mail["from"], SENDER);
    assert_eq!(time(&mail["received"]), received);
    assert_eq!(mail["attachments"][0]["name"], "contract.pdf", "{mail}");
    let id = mail["id"].as_str().unwrap().to_owned();
    let again = app.json(&format!("{base}/{source}/items/{id}"), "t").await;
    assert_eq!(&again, mail, "it reads back by its id");

    // Saved: a message file whose headers are the pin's.
    let saved = app
        .client
        .post(app.url(&format!("{base}/{source}/items/{id}/save")))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let text = saved.text().await.unwrap();
    let (headers, _) = text.split_once("\r\n\r\n").expect("headers, then a body");
    assert!(
        headers
            .lines()
            .any(|line| line == format!("Subject: {SUBJECT}")),
        "{headers}"
    );
    assert!(
        headers
            .lines()
            .any(|line| line == format!("From: {SENDER}")),
        "{headers}"
    );

    // Restored into another mailbox; a backup taken after it holds it there.
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{base}/{source}/items/{id}/restoreTo"),
        Some(
            json!({"userName": "helpdesk@eastsupport.onmicrosoft.com", "userPassword": "x",
                    "mailbox": target["email"], "folder": "Inbox"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["sessionId"], json!(session));
    advance(&app, 5.0).await;
    start(&app, json!({"outcome": "success", "objectsPerMinute": 600})).await;
    advance(&app, 3_600.0).await;
    let (_, later) = open(&app, "Vex").await;
    let restored: Vec<Value> = entries_where(
        &app,
        &format!("{later}/{target_id}/items?limit=10000"),
        "subject",
        SUBJECT,
    )
    .await;
    assert_eq!(
        restored.len(),
        1,
        "the pinned mail is in the target mailbox"
    );
    assert_eq!(restored[0]["from"], SENDER);
    assert_ne!(restored[0]["id"], mail["id"]);
}

#[tokio::test]
async fn a_pinned_document_and_its_first_version_are_saved_and_copied_to_another_onedrive() {
    let app = spawn_app_with(FROZEN).await;
    let (_, base) = open(&app, "Veod").await;
    let onedrives = results(&app.json(&base, "t").await);
    let source = onedrives[0]["id"].as_str().unwrap().to_owned();
    let target = onedrives[1].clone();
    let target_id = target["id"].as_str().unwrap().to_owned();
    let created = newest_backup(&app).await - chrono::TimeDelta::days(20);
    rewrite_world(&app, |world| {
        world["pinnedDocuments"] = json!([{
            "oneDriveId": source,
            "folder": "Documents/Reports",
            "created": created.to_rfc3339(),
            "name": DOCUMENT,
            "createdBy": SENDER,
        }]);
    })
    .await;

    let folders = results(&app.json(&format!("{base}/{source}/folders"), "t").await);
    let documents_folder = folders
        .iter()
        .find(|folder| folder["name"] == "Documents")
        .unwrap();
    let inner = app
        .follow_relative(&documents_folder["_links"]["folders"]["href"])
        .await;
    let reports = results(&inner)
        .into_iter()
        .find(|folder| folder["name"] == "Reports")
        .unwrap();
    let reports_id = reports["id"].as_str().unwrap();
    let listing = format!("{base}/{source}/documents?parentId={reports_id}&limit=10000");
    let found = entries_where(&app, &listing, "name", DOCUMENT).await;
    assert_eq!(found.len(), 1, "the pinned document is in Reports once");
    let document = &found[0];
    assert_eq!(time(&document["creationTime"]), created);
    assert_eq!(document["createdBy"], SENDER);
    let id = document["id"].as_str().unwrap().to_owned();

    let versions = app
        .follow_relative(&document["_links"]["versions"]["href"])
        .await;
    let versions = results(&versions);
    assert_eq!(
        versions.len() as u64,
        document["versionId"].as_u64().unwrap(),
        "every version, oldest first"
    );
    assert_eq!(versions[0]["name"], DOCUMENT);
    assert_eq!(time(&versions[0]["creationTime"]), created);
    assert_eq!(
        time(&versions[0]["modificationTime"]),
        created,
        "the first saved at creation"
    );
    let saved = app
        .client
        .post(app.url(&format!("{base}/{source}/documents/{id}/versions/1/save")))
        .bearer_auth("t")
        .json(&json!({"asZip": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let bytes = saved.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    archive
        .by_name(DOCUMENT)
        .expect("the version under the pinned name")
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("version: 1.0"), "{text}");

    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{base}/{source}/documents/{id}/copyTo"),
        Some(
            json!({"userName": "helpdesk@contoso.example", "userPassword": "x",
                    "onedrive": target, "folder": "Desktop"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    advance(&app, 5.0).await;
    start(&app, json!({"outcome": "success", "objectsPerMinute": 600})).await;
    advance(&app, 3_600.0).await;
    let (_, later) = open(&app, "Veod").await;
    let copied = entries_where(
        &app,
        &format!("{later}/{target_id}/documents?limit=10000"),
        "name",
        DOCUMENT,
    )
    .await;
    assert_eq!(copied.len(), 1, "the copy is in the target OneDrive");
    assert_eq!(copied[0]["createdBy"], SENDER);
}

#[tokio::test]
async fn pins_survive_export_and_pins_naming_what_the_world_lacks_are_refused() {
    let app = spawn_app_with(FROZEN).await;
    let (_, base) = open(&app, "Veod").await;
    let onedrive = results(&app.json(&base, "t").await)[0]["id"].clone();
    let world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    let mailbox = world["organizationUsers"][0]["id"].clone();
    rewrite_world(&app, |world| {
        world["pinnedMail"] = json!([{"mailboxId": mailbox, "folder": "Sent Items",
            "received": "2026-01-05T10:00:00Z", "subject": "Kept"}]);
        world["pinnedDocuments"] = json!([{"oneDriveId": onedrive, "folder": "Desktop",
            "created": "2026-01-05T10:00:00Z", "name": "Kept.txt"}]);
    })
    .await;
    let exported: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    assert_eq!(
        exported["pinnedMail"],
        json!([{"mailboxId": mailbox, "folder": "Sent Items",
            "received": "2026-01-05T10:00:00+00:00", "subject": "Kept"}])
    );
    assert_eq!(exported["pinnedDocuments"][0]["folder"], "/Desktop");

    let before = world_text(&app).await;
    let mut refused = exported.clone();
    refused["pinnedMail"] = json!([{"mailboxId": "00000000-0000-0000-0000-000000000042",
        "folder": "Nowhere", "received": "2026-01-05T10:00:00Z", "subject": " "}]);
    refused["pinnedDocuments"] = json!([{"oneDriveId": "00000000-0000-0000-0000-000000000042",
        "folder": "Nowhere", "created": "2026-01-05T10:00:00Z", "name": ""}]);
    let response = app
        .admin(Method::PUT, "/__admin/world", Some(&refused))
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        problems(&body),
        [
            "pinnedMail[0].mailboxId: no organization user with this id",
            "pinnedMail[0].folder: not a mailbox folder",
            "pinnedMail[0].subject: must not be empty",
            "pinnedDocuments[0].oneDriveId: no OneDrive with this id among the organizations' users",
            "pinnedDocuments[0].folder: not a OneDrive folder",
            "pinnedDocuments[0].name: must not be empty",
        ],
        "{body}"
    );
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused world changes nothing"
    );
}

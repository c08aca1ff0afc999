//! OneDrive restore sessions end to end: browsing to a document and its versions, saving it
//! as a real zip, copying it into another user's OneDrive where a later backup shows it,
//! mailing documents into the outbox, and the refusals that change nothing.

use std::io::Read;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, advance, page_from_the_middle, rewrite_world, send,
    spawn_app_with, world_text,
};

/// Opens a OneDrive restore session on the seed organization's newest backup.
async fn open_session(app: &TestApp) -> String {
    let (status, session) = send(
        app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Veod"})),
    )
    .await;
    assert_eq!(status, 201, "{session}");
    session["id"].as_str().unwrap().to_owned()
}

/// The documents named `name` in a folder (by name) of a OneDrive.
async fn find_by_name(
    app: &TestApp,
    base: &str,
    onedrive: &str,
    folder: &str,
    name: &str,
) -> Vec<Value> {
    let (_, found) = send(
        app,
        Method::POST,
        &format!("{base}/{onedrive}/search?limit=100"),
        Some(json!({"query": format!("name:\"{name}\"")})),
    )
    .await;
    let mut in_folder = Vec::new();
    for document in found["results"].as_array().unwrap() {
        let parent = app
            .follow_relative(&document["_links"]["parent"]["href"])
            .await;
        if parent["name"] == folder {
            in_folder.push(document.clone());
        }
    }
    in_folder
}

#[tokio::test]
async fn a_document_browsed_to_is_saved_as_a_zip_and_copied_to_another_users_onedrive() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app).await;
    let base = format!("/v8/RestoreSessions/{session}/organization/oneDrives");

    // Browse: OneDrives, the root's folders, a subfolder, its documents, one document.
    let onedrives = app.json(&base, "t").await["results"].clone();
    let source = onedrives[0]["id"].as_str().unwrap().to_owned();
    let target = onedrives[1].clone();
    let target_id = target["id"].as_str().unwrap().to_owned();
    let root = app.json(&format!("{base}/{source}/folders"), "t").await;
    let documents_folder = root["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|folder| folder["name"] == "Documents")
        .unwrap()
        .clone();
    let inner = app
        .follow_relative(&documents_folder["_links"]["folders"]["href"])
        .await;
    let projects = inner["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|folder| folder["name"] == "Projects")
        .unwrap()
        .clone();
    let listing = app
        .follow_relative(&projects["_links"]["documents"]["href"])
        .await;
    let document = listing["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|document| document["versionId"].as_u64().unwrap() > 1)
        .expect("a document with several versions")
        .clone();
    let name = document["name"].as_str().unwrap().to_owned();
    let document_id = document["id"].as_str().unwrap().to_owned();
    let again = app
        .follow_relative(&document["_links"]["self"]["href"])
        .await;
    assert_eq!(again, document);

    // Its versions: oldest first, the last is the document as it is.
    let versions = app
        .follow_relative(&document["_links"]["versions"]["href"])
        .await;
    let versions = versions["results"].as_array().unwrap().clone();
    assert_eq!(
        versions.len() as u64,
        document["versionId"].as_u64().unwrap()
    );
    assert_eq!(versions[0]["versionId"], 1);
    assert_eq!(versions[0]["creationTime"], document["creationTime"]);
    let last = versions.last().unwrap();
    assert_eq!(last["sizeBytes"], document["sizeBytes"]);
    assert_eq!(last["modificationTime"], document["modificationTime"]);
    let first = app
        .follow_relative(&versions[0]["_links"]["self"]["href"])
        .await;
    assert_eq!(first["version"], "1.0");

    // Saved as a zip: a real archive holding the document under its name.
    let response = app
        .client
        .post(app.url(&format!("{base}/{source}/documents/{document_id}/save")))
        .bearer_auth("t")
        .json(&json!({"asZip": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"{name}.zip\""));
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(archive.len(), 1);
    let mut text = String::new();
    archive
        .by_name(&name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains(&name), "{text}");
    assert!(
        text.contains(&format!(
            "version: {}",
            document["version"].as_str().unwrap()
        )),
        "{text}"
    );

    // Without asZip, the document itself.
    let response = app
        .client
        .post(app.url(&format!("{base}/{source}/documents/{document_id}/save")))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{name}\"").as_str()
    );

    // A copy into a OneDrive the organization does not have, or a folder it lacks, is
    // refused and changes nothing.
    let before = world_text(&app).await;
    let credentials = json!({"userName": "helpdesk@contoso.example", "userPassword": "x"});
    for (onedrive, folder) in [
        (
            json!({"id": "00000000-0000-0000-0000-000000000042"}),
            "Desktop",
        ),
        (target.clone(), "Nowhere"),
    ] {
        let mut body = credentials.clone();
        body["onedrive"] = onedrive;
        body["folder"] = json!(folder);
        let (status, refused) = send(
            &app,
            Method::POST,
            &format!("{base}/{source}/documents/{document_id}/copyTo"),
            Some(body),
        )
        .await;
        assert_eq!(status, 400, "{refused}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused copy changed the world"
    );

    // Copied into the other user's Desktop: the session's event runs on the clock.
    let mut body = credentials.clone();
    body["onedrive"] = target.clone();
    body["folder"] = json!("Desktop");
    let (status, answer) = send(
        &app,
        Method::POST,
        &format!("{base}/{source}/documents/{document_id}/copyTo"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["sessionId"], json!(session));
    let events = app
        .json(&format!("/v8/RestoreSessions/{session}/Events"), "t")
        .await;
    assert_eq!(events["results"].as_array().unwrap().len(), 3, "{events}");
    let restore = &events["results"][2];
    assert_eq!(restore["type"], "Restore");
    assert_eq!(restore["status"], "Running");
    assert_eq!(restore["itemName"], json!(name));
    advance(&app, 5.0).await;

    // This session's point in time is before the copy: the target does not show it.
    assert!(
        find_by_name(&app, &base, &target_id, "Desktop", &name)
            .await
            .is_empty()
    );

    // A backup taken after the copy holds it, in a new session, in the folder asked for.
    crate::helpers::start(&app, json!({"outcome": "success", "objectsPerMinute": 600})).await;
    advance(&app, 3_600.0).await;
    let later = open_session(&app).await;
    let later_base = format!("/v8/RestoreSessions/{later}/organization/oneDrives");
    let copied = find_by_name(&app, &later_base, &target_id, "Desktop", &name).await;
    assert_eq!(copied.len(), 1, "the copy is in the target OneDrive");
    let copied = &copied[0];
    assert_eq!(copied["createdBy"], document["createdBy"]);
    assert_eq!(copied["sizeBytes"], document["sizeBytes"]);
    assert_eq!(copied["oneDriveId"], json!(target_id));
    let read_again = app.follow_relative(&copied["_links"]["self"]["href"]).await;
    assert_eq!(&read_again, copied);

    // The world file keeps the copy: exported, taken back, and still shown.
    let world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    let restored = world["restoredDocuments"].as_array().unwrap();
    assert_eq!(restored.len(), 1, "{world}");
    assert_eq!(restored[0]["targetFolder"], "/Desktop");
    assert_eq!(restored[0]["documents"], json!([document_id]));
    let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert!(response.status().is_success());
    let after_import = find_by_name(&app, &later_base, &target_id, "Desktop", &name).await;
    assert_eq!(after_import.len(), 1);
}

#[tokio::test]
async fn a_page_from_the_middle_of_a_million_documents_is_there_at_once() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app).await;
    let base = format!("/v8/RestoreSessions/{session}/organization/oneDrives");
    let onedrive = app.json(&base, "t").await["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A OneDrive that gathers documents at 200,000 times the usual rate.
    rewrite_world(&app, |world| {
        for user in world["organizationUsers"].as_array_mut().unwrap() {
            for drive in user["oneDrives"].as_array_mut().unwrap() {
                if drive["id"] == json!(onedrive) {
                    drive["documentScale"] = json!(200_000);
                }
            }
        }
    })
    .await;
    let session = open_session(&app).await;
    let base = format!("/v8/RestoreSessions/{session}/organization/oneDrives");
    let folders = app.json(&format!("{base}/{onedrive}/folders"), "t").await;
    let folder = folders["results"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("{base}/{onedrive}/documents?parentId={folder}");
    let documents = page_from_the_middle(&app, &path).await;
    assert!(
        documents[0]["name"].as_str().unwrap().contains(" 500001."),
        "{}",
        documents[0]
    );
}

#[tokio::test]
async fn documents_sent_from_a_session_land_in_the_outbox_and_unknown_ids_are_404() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app).await;
    let base = format!("/v7/RestoreSessions/{session}/organization/oneDrives");
    let onedrive = app.json(&base, "t").await["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let documents = app
        .json(&format!("{base}/{onedrive}/documents?limit=2"), "t")
        .await["results"]
        .clone();

    let (status, refused) = send(
        &app,
        Method::POST,
        &format!("{base}/{onedrive}/documents/send"),
        Some(json!({"documents": documents, "from": "helpdesk@example.com"})),
    )
    .await;
    assert_eq!(status, 400, "no recipient: {refused}");
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("{base}/{onedrive}/documents/send"),
        Some(json!({"documents": documents, "from": "helpdesk@example.com", "to": "owner@example.com"})),
    )
    .await;
    assert_eq!(status, 200);
    let outbox: Value = app
        .admin(Method::GET, "/__admin/outbox", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 1, "{outbox}");
    assert_eq!(outbox[0]["to"], "owner@example.com");
    assert_eq!(outbox[0]["restoreSessionId"], json!(session));
    assert_eq!(
        outbox[0]["attachments"],
        json!([documents[0]["name"], documents[1]["name"]])
    );

    let document = documents[0]["id"].as_str().unwrap();
    for path in [
        "/v7/RestoreSessions/00000000-0000-0000-0000-000000000001/organization/oneDrives"
            .to_owned(),
        format!("{base}/00000000-0000-0000-0000-000000000001"),
        format!("{base}/{onedrive}/folders/nothing"),
        format!("{base}/{onedrive}/documents/nothing"),
        format!("{base}/{onedrive}/documents/{document}/versions/77"),
        format!(
            "{base}/{onedrive}/folders/{}/versions/2",
            onedrive.replace('-', "") + "-00"
        ),
    ] {
        let (status, body) = send(&app, Method::GET, &path, None).await;
        assert_eq!(status, 404, "{path}: {body}");
    }

    // A stopped session browses nothing, and an Exchange session shows no OneDrives.
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v7/RestoreSessions/{session}/Stop"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = send(&app, Method::GET, &base, None).await;
    assert_eq!(status, 400, "{body}");
    let (_, exchange) = send(
        &app,
        Method::POST,
        &format!("/v7/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    let exchange = exchange["id"].as_str().unwrap();
    let (status, body) = send(
        &app,
        Method::GET,
        &format!("/v7/RestoreSessions/{exchange}/organization/oneDrives"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn a_world_file_naming_documents_a_onedrive_lacks_is_refused_with_each_problem() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    let mut world: Value = serde_json::from_str(&before).unwrap();
    let onedrive = world["organizationUsers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["organizationId"] == SEED_ORGANIZATION)
        .find_map(|user| user["oneDrives"][0]["id"].as_str())
        .unwrap()
        .to_owned();
    let folder = format!("{}-03", onedrive.replace('-', ""));
    world["restoredDocuments"] = json!([{
        "organizationId": SEED_ORGANIZATION,
        "targetOneDriveId": "00000000-0000-0000-0000-000000000042",
        "targetFolder": "Attic",
        "sourceOneDriveId": onedrive,
        "source": {"scope": {"type": "Organization"}, "pointInTime": "2017-04-04T08:00:00Z"},
        "documents": [format!("{folder}-00000000000a"), "not-a-document"],
        "restoredAt": "2017-04-04T08:30:00Z",
    }]);
    let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        crate::helpers::problems(&body),
        [
            "restoredDocuments[0].targetOneDriveId: no OneDrive with this id among the organization's users",
            "restoredDocuments[0].targetFolder: no OneDrive folder is named 'Attic'",
            "restoredDocuments[0].documents[1]: not a document id of the source OneDrive",
        ]
    );
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused file changed the world"
    );
}

#[tokio::test]
async fn every_link_of_a_onedrive_session_answers_200_in_every_version() {
    let app = spawn_app_with(FROZEN).await;
    for version in ["v6", "v7", "v8"] {
        let (_, session) = send(
            &app,
            Method::POST,
            &format!("/{version}/Organizations/{SEED_ORGANIZATION}/explore"),
            Some(json!({"type": "Veod"})),
        )
        .await;
        let start = format!(
            "/{version}/RestoreSessions/{}/organization/oneDrives",
            session["id"].as_str().unwrap()
        );
        let mut queue =
            std::collections::VecDeque::from([start.clone(), format!("{start}?limit=1")]);
        let mut seen: std::collections::HashSet<String> = queue.iter().cloned().collect();
        while let Some(path) = queue.pop_front() {
            let (status, body) = send(&app, Method::GET, &path, None).await;
            assert_eq!(status, 200, "GET {path}: {body}");
            let mut found = Vec::new();
            crate::links::hrefs(&body, &mut found);
            for href in found {
                let target = crate::links::path_of(&href);
                // Far pages of long listings are many; the first ones are followed.
                let far_page = target.split(['?', '&']).any(|part| {
                    part.strip_prefix("offset=")
                        .is_some_and(|offset| offset.len() > 2)
                });
                if !far_page && seen.len() < 400 && seen.insert(target.clone()) {
                    queue.push_back(target);
                }
            }
        }
        assert!(seen.len() > 50, "{version}: only {} links", seen.len());
    }
}

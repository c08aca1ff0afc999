//! Contract checks of a restore operator's explore, the backed-up organization of a restore
//! session (read, searched, exported), items sent to their own mailbox, what restore points
//! hold and the feeds of changes.

use reqwest::Method;
use serde_json::{Value, json};
use vb365_mock::wire::Version;

use super::{Contract, call, ids_of, write};
use crate::helpers::{TestApp, sign_in_role_operator, status_and_json};

const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000e9";

pub(super) async fn check_restore_explore(contract: &Contract, app: &TestApp) {
    let session = exchange_session(contract, app).await;
    check_backup_organization(contract, app, &session).await;
    check_send_to_default_address(contract, app, &session).await;
    check_operator_explore(contract, app).await;
    check_restore_point_contents(contract, app).await;
    check_changes(contract, app).await;
}

/// An administrator's Exchange session on the first organization.
async fn exchange_session(contract: &Contract, app: &TestApp) -> String {
    let (_, session) = write(
        contract,
        app,
        Method::POST,
        "/Organization/Explore",
        "/Organization/Explore",
        Some(&json!({"type": "Vex"})),
    )
    .await;
    session["id"].as_str().unwrap().to_owned()
}

/// Sends `method path` as the holder of `token`, with a body the contract's request schema
/// is checked against, and checks the answer.
async fn send_as(
    contract: &Contract,
    app: &TestApp,
    token: &str,
    (method, path, template): (Method, &str, &str),
    body: &Value,
) -> (u16, Value) {
    let v = contract.version;
    contract.check_request(&method, &format!("/{v}{template}"), body);
    let response = app
        .client
        .request(method.clone(), app.url(&format!("/{v}{path}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    contract.check(&method, &format!("/{v}{template}"), status, &answer);
    (status, answer)
}

async fn check_backup_organization(contract: &Contract, app: &TestApp, session: &str) {
    let v = contract.version;
    let template = "/RestoreSessions/{restoreSessionId}/organization";
    let (status, organization) = call(
        app,
        Method::GET,
        &format!("/{v}/RestoreSessions/{session}/organization"),
        "t",
    )
    .await;
    assert_eq!(status, 200, "{v}: {organization}");
    contract.check(
        &Method::GET,
        &format!("/{v}{template}"),
        status,
        &organization,
    );
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    assert!(
        ids_of(&organizations).contains(&organization["id"].as_str().unwrap().to_owned()),
        "{v}: the session's organization is one of the server's: {organization}"
    );
    for (bad, expected) in [(UNKNOWN, 404), ("not-a-guid", 400)] {
        let (status, body) = call(
            app,
            Method::GET,
            &format!("/{v}/RestoreSessions/{bad}/organization"),
            "t",
        )
        .await;
        assert_eq!(status, expected, "{v}: {bad}: {body}");
        contract.check(&Method::GET, &format!("/{v}{template}"), status, &body);
    }

    let search = format!("{template}/searchExchange");
    let (status, found) = write(
        contract,
        app,
        Method::POST,
        &format!("/RestoreSessions/{session}/organization/searchExchange?limit=5"),
        &search,
        Some(&json!({"query": "kind:mail"})),
    )
    .await;
    assert_eq!(status, 200, "{v}: {found}");
    let results = found["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 5, "{v}: {found}");
    for (path, body, expected) in [
        (
            format!("/RestoreSessions/{session}/organization/searchExchange"),
            json!({"query": "nosuchfield:x"}),
            400,
        ),
        (
            format!("/RestoreSessions/{UNKNOWN}/organization/searchExchange"),
            json!({"query": "kind:mail"}),
            404,
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, &search, Some(&body)).await;
        assert_eq!(status, expected, "{v}: {path}: {answer}");
    }

    let export = format!("{template}/exportToPst");
    let body = json!({"contentKeyword": "a", "enablePstSizeLimit": false});
    contract.check_request(&Method::POST, &format!("/{v}{export}"), &body);
    let file = app
        .client
        .post(app.url(&format!(
            "/{v}/RestoreSessions/{session}/organization/exportToPst"
        )))
        .bearer_auth("t")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200, "{v}: export the organization");
    assert_ne!(
        file.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    contract.check_file(&Method::POST, &format!("/{v}{export}"), 200);
    let (status, answer) = write(
        contract,
        app,
        Method::POST,
        &format!("/RestoreSessions/{session}/organization/exportToPst"),
        &export,
        Some(&json!({"enablePstSizeLimit": true, "pstSizeLimitBytes": 5})),
    )
    .await;
    assert_eq!(status, 400, "{v}: a PST limit below 1 GB: {answer}");
}

async fn check_send_to_default_address(contract: &Contract, app: &TestApp, session: &str) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let written = if version >= Version::V8 { 204 } else { 200 };
    let base = format!("/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = call(app, Method::GET, &format!("/{v}{base}"), "t").await;
    let mailbox = ids_of(&mailboxes)[0].clone();
    let (_, items) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{mailbox}/items?limit=2"),
        "t",
    )
    .await;
    let items = ids_of(&items);
    let template = "/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/items";
    let several = format!("{template}/sendToDefaultAddress");
    let one = format!("{template}/{{itemId}}/sendToDefaultAddress");
    let selected = json!({"items": items.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()});
    let (status, answer) = write(
        contract,
        app,
        Method::POST,
        &format!("{base}/{mailbox}/items/sendToDefaultAddress"),
        &several,
        Some(&selected),
    )
    .await;
    assert_eq!(status, written, "{v}: send several: {answer}");
    let (status, answer) = write(
        contract,
        app,
        Method::POST,
        &format!("{base}/{mailbox}/items/{}/sendToDefaultAddress", items[0]),
        &one,
        None,
    )
    .await;
    assert_eq!(status, written, "{v}: send one: {answer}");
    for (path, template, body, expected) in [
        (
            format!("{base}/{mailbox}/items/sendToDefaultAddress"),
            &several,
            Some(json!({"items": []})),
            400,
        ),
        (
            format!("{base}/{mailbox}/items/{UNKNOWN}/sendToDefaultAddress"),
            &one,
            None,
            404,
        ),
        (
            format!("{base}/{UNKNOWN}/items/sendToDefaultAddress"),
            &several,
            Some(selected.clone()),
            404,
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, template, body.as_ref()).await;
        assert_eq!(status, expected, "{v}: {path}: {answer}");
    }
}

async fn check_operator_explore(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let created = if version >= Version::V8 { 201 } else { 200 };
    let explore = (
        Method::POST,
        "/Organization/OperatorExplore",
        "/Organization/OperatorExplore",
    );
    let admin = app.access_token().await;
    let (status, answer) = send_as(
        contract,
        app,
        &admin,
        explore.clone(),
        &json!({"type": "Vex"}),
    )
    .await;
    assert_eq!(
        status, 403,
        "{v}: an administrator is no restore operator: {answer}"
    );

    let (_, token) = sign_in_role_operator(app, v).await;
    let (_, scope) = call(
        app,
        Method::GET,
        &format!("/{v}/Organization/LoggedInUser/EffectiveScope"),
        &token,
    )
    .await;
    let managed: Vec<String> = scope["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["id"].as_str().unwrap().to_owned())
        .collect();
    let (status, session) = send_as(
        contract,
        app,
        &token,
        explore.clone(),
        &json!({"type": "Vex", "reason": "the owner asked", "showDeleted": false}),
    )
    .await;
    assert_eq!(status, created, "{v}: {session}");
    let session = session["id"].as_str().unwrap();
    let base = format!("/{v}/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = call(app, Method::GET, &base, &token).await;
    let shown = ids_of(&mailboxes);
    assert!(
        !shown.is_empty() && shown.iter().all(|id| managed.contains(id)),
        "{v}: the operator's session shows only their scope: {mailboxes}"
    );
    let (_, everyone) = call(app, Method::GET, &format!("/{v}/Organization"), "t").await;
    let organization = everyone["id"].as_str().unwrap();
    let (_, users) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Users?limit=1000"),
        "t",
    )
    .await;
    if let Some(outside) = ids_of(&users).into_iter().find(|id| !managed.contains(id)) {
        let template = "/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}";
        let (status, body) = call(app, Method::GET, &format!("{base}/{outside}"), &token).await;
        assert!(
            status == 403 || status == 404,
            "{v}: {outside}: {status} {body}"
        );
        contract.check(&Method::GET, &format!("/{v}{template}"), status, &body);
    }
    let (status, answer) = send_as(
        contract,
        app,
        &token,
        explore.clone(),
        &json!({"scope": {"type": "User", "user": user_reference(&json!(UNKNOWN))}}),
    )
    .await;
    assert_eq!(status, 403, "{v}: an object outside the scope: {answer}");
    let (status, answer) = send_as(
        contract,
        app,
        &token,
        explore,
        &json!({"scope": {"type": "User", "user": user_reference(&scope["users"][0]["id"])}}),
    )
    .await;
    assert_eq!(status, created, "{v}: one object of the scope: {answer}");
    let refused = app
        .client
        .post(app.url(&format!("/{v}/Organization/OperatorExplore")))
        .bearer_auth(&token)
        .json(&json!({"type": "Nothing"}))
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(refused).await;
    assert_eq!(status, 400, "{v}: {answer}");
    contract.check(
        &Method::POST,
        &format!("/{v}/Organization/OperatorExplore"),
        status,
        &answer,
    );
}

/// A user as a role item names them: by id (the rest is what the contract asks a client
/// to send; the service reads the id).
fn user_reference(id: &Value) -> Value {
    json!({
        "id": id,
        "displayName": "Scoped user",
        "name": "scoped@contoso.example",
        "type": "User",
    })
}

async fn check_restore_point_contents(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let listings: &[&str] = match version {
        Version::V6 => &["mailboxes", "onedrives", "teams", "webs"],
        Version::V7 => &[
            "protectedUsers",
            "protectedGroups",
            "protectedMailboxes",
            "protectedOnedrives",
            "protectedSites",
            "protectedTeams",
        ],
        _ => return,
    };
    let (_, points) = call(
        app,
        Method::GET,
        &format!("/{v}/RestorePoints?limit=1000"),
        "t",
    )
    .await;
    let points = ids_of(&points);
    let mut filled = 0;
    for listing in listings {
        let template = format!("/{v}/RestorePoints/{{restorePointId}}/{listing}");
        for point in points.iter().rev().take(5) {
            let (status, body) = call(
                app,
                Method::GET,
                &format!("/{v}/RestorePoints/{point}/{listing}?limit=3"),
                "t",
            )
            .await;
            assert_eq!(status, 200, "{v}: {listing} of {point}: {body}");
            contract.check(&Method::GET, &template, status, &body);
            filled += usize::from(!ids_of(&body).is_empty());
        }
        for (bad, expected) in [(UNKNOWN, 404), ("not-a-guid", 400)] {
            let (status, body) = call(
                app,
                Method::GET,
                &format!("/{v}/RestorePoints/{bad}/{listing}"),
                "t",
            )
            .await;
            assert_eq!(status, expected, "{v}: {listing} of {bad}: {body}");
            contract.check(&Method::GET, &template, status, &body);
        }
    }
    assert!(filled > 0, "{v}: the newest restore points hold something");
}

async fn check_changes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    if v != "v7" {
        return;
    }
    for (feed, template) in [
        (
            "/RestorePoints/Changes?from=0&limit=2",
            "/RestorePoints/Changes",
        ),
        (
            "/JobSessions/Changes?limit=2&jobType=Backup",
            "/JobSessions/Changes",
        ),
    ] {
        let template = format!("/{v}{template}");
        let (status, first) = call(app, Method::GET, &format!("/{v}{feed}"), "t").await;
        assert_eq!(status, 200, "{v}: {feed}: {first}");
        contract.check(&Method::GET, &template, status, &first);
        assert_eq!(
            first["results"].as_array().unwrap().len(),
            2,
            "{v}: {first}"
        );
        let token = first["nextChangeToken"].as_str().unwrap();
        let next = first["_links"]["next"]["href"].as_str().unwrap();
        assert!(next.contains(&format!("from={token}")), "{v}: {first}");
        let (status, second) = call(app, Method::GET, next, "t").await;
        contract.check(&Method::GET, &template, status, &second);
        assert_eq!(
            second["totalCount"].as_u64().unwrap() + 2,
            first["totalCount"].as_u64().unwrap(),
            "{v}: the second page goes on from the first: {second}"
        );
        let (status, latest) =
            call(app, Method::GET, &format!("{template}?from=latest"), "t").await;
        contract.check(&Method::GET, &template, status, &latest);
        assert_eq!(latest["results"], json!([]), "{v}: {latest}");
        for bad in ["?from=yesterday", "?limit=-1", "?from=0&jobType=Nothing"] {
            let (status, body) = call(app, Method::GET, &format!("{template}{bad}"), "t").await;
            if template.ends_with("JobSessions/Changes") || !bad.contains("jobType") {
                assert_eq!(status, 400, "{v}: {template}{bad}: {body}");
            }
            contract.check(&Method::GET, &template, status, &body);
        }
    }
}

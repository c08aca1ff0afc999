//! A restore operator's explore limited to their scope, the backed-up organization of a
//! session (read, searched across its mailboxes, exported), items sent to their own
//! mailbox, what restore points hold and the feeds of changes, over HTTPS.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, TestApp, advance, rewrite_world, send, sign_in_role_operator, spawn_app_with, start,
    status_and_json,
};

const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000e5";

/// An API call as the holder of `token`: its status and JSON answer.
async fn call_as(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    status_and_json(request.send().await.unwrap()).await
}

/// The ids of a page's or an array's entries.
fn ids(listing: &Value) -> Vec<String> {
    listing
        .get("results")
        .unwrap_or(listing)
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Signs in as a user the example world's roles make a restore operator, with an account
/// added for them; answers their token and the users their scope holds.
async fn sign_in_operator(app: &TestApp, v: &str) -> (String, HashSet<String>) {
    let (_, token) = sign_in_role_operator(app, v).await;
    let (_, scope) = call_as(
        app,
        &token,
        Method::GET,
        &format!("/{v}/Organization/LoggedInUser/EffectiveScope"),
        None,
    )
    .await;
    let users = ids(&scope["users"]).into_iter().collect();
    (token, users)
}

#[tokio::test]
async fn an_operator_session_shows_their_scope_and_refuses_the_rest() {
    let app = spawn_app_with(FROZEN).await;
    let admin = app.access_token().await;
    let (token, scope) = sign_in_operator(&app, "v8").await;

    let (status, opened) = call_as(
        &app,
        &token,
        Method::POST,
        "/v8/Organization/OperatorExplore",
        Some(json!({"type": "Vex", "reason": "lost mail"})),
    )
    .await;
    assert_eq!(status, 201, "{opened}");
    assert_eq!(opened["reason"], "lost mail", "{opened}");
    assert_ne!(opened["initiatedBy"], "admin", "{opened}");
    let session = opened["id"].as_str().unwrap();
    let base = format!("/v8/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("{base}?limit=1000"),
        None,
    )
    .await;
    let shown = ids(&mailboxes);
    assert!(!shown.is_empty(), "{mailboxes}");
    assert!(shown.iter().all(|id| scope.contains(id)), "{mailboxes}");

    let (_, organization) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("/v8/RestoreSessions/{session}/organization"),
        None,
    )
    .await;
    let organization = organization["id"].as_str().unwrap();
    let (status, everything) = call_as(
        &app,
        &admin,
        Method::POST,
        &format!("/v8/Organizations/{organization}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    assert_eq!(status, 201, "{everything}");
    let everything = everything["id"].as_str().unwrap();
    let (_, all) = call_as(
        &app,
        &admin,
        Method::GET,
        &format!("/v8/RestoreSessions/{everything}/organization/mailboxes?limit=1000"),
        None,
    )
    .await;
    let outside = ids(&all)
        .into_iter()
        .find(|id| !scope.contains(id))
        .expect("the organization has mailboxes outside the operator's scope");
    let (status, refused) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("{base}/{outside}"),
        None,
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["errorCode"], "ResourceAccessDenied", "{refused}");
    let (status, refused) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("{base}/{outside}/items"),
        None,
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    let (status, missing) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("{base}/{UNKNOWN}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{missing}");

    let (status, found) = call_as(
        &app,
        &token,
        Method::POST,
        &format!("/v8/RestoreSessions/{session}/organization/searchExchange?limit=200"),
        Some(json!({"query": "kind:mail"})),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let owners: HashSet<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["mailboxId"].as_str().unwrap())
        .collect();
    assert!(!owners.is_empty(), "{found}");
    assert!(owners.iter().all(|owner| scope.contains(*owner)), "{found}");
}

#[tokio::test]
async fn an_operator_onedrive_session_shows_the_onedrives_of_their_scope_only() {
    let app = spawn_app_with(FROZEN).await;
    let (token, scope) = sign_in_operator(&app, "v6").await;
    let (status, opened) = call_as(
        &app,
        &token,
        Method::POST,
        "/v6/Organization/OperatorExplore",
        Some(json!({"type": "Veod"})),
    )
    .await;
    assert_eq!(status, 200, "{opened}");
    let session = opened["id"].as_str().unwrap();
    let base = format!("/v6/RestoreSessions/{session}/organization/oneDrives");
    let (_, drives) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("{base}?limit=1000"),
        None,
    )
    .await;
    let (_, organization) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("/v6/RestoreSessions/{session}/organization"),
        None,
    )
    .await;
    let organization = organization["id"].as_str().unwrap();
    let mut owned = HashSet::new();
    let mut others = Vec::new();
    let (_, users) = send(
        &app,
        Method::GET,
        &format!("/v6/Organizations/{organization}/Users?limit=1000"),
        None,
    )
    .await;
    for user in ids(&users) {
        let (_, onedrives) = send(
            &app,
            Method::GET,
            &format!("/v6/Organizations/{organization}/Users/{user}/OneDrives"),
            None,
        )
        .await;
        for drive in ids(&onedrives) {
            if scope.contains(&user) {
                owned.insert(drive);
            } else {
                others.push(drive);
            }
        }
    }
    let shown: HashSet<String> = ids(&drives).into_iter().collect();
    assert!(!shown.is_empty(), "{drives}");
    assert!(shown.is_subset(&owned), "{drives}");
    let (_, everything) = send(
        &app,
        Method::POST,
        &format!("/v6/Organizations/{organization}/explore"),
        Some(json!({"type": "Veod"})),
    )
    .await;
    let everything = everything["id"].as_str().unwrap();
    let (_, all) = send(
        &app,
        Method::GET,
        &format!("/v6/RestoreSessions/{everything}/organization/oneDrives?limit=1000"),
        None,
    )
    .await;
    let other = ids(&all)
        .into_iter()
        .find(|drive| others.contains(drive))
        .expect("the backup holds a OneDrive outside the operator's scope");
    let (status, refused) =
        call_as(&app, &token, Method::GET, &format!("{base}/{other}"), None).await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refused.as_object().unwrap().len(),
        1,
        "v6's shape: {refused}"
    );
}

#[tokio::test]
async fn an_administrator_is_refused_an_operator_explore_and_nothing_opens() {
    let app = spawn_app_with(FROZEN).await;
    let admin = app.access_token().await;
    let (_, before) = send(&app, Method::GET, "/v6/RestoreSessions", None).await;
    let (status, refused) = call_as(
        &app,
        &admin,
        Method::POST,
        "/v6/Organization/OperatorExplore",
        Some(json!({"type": "Vex"})),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not a restore operator"),
        "{refused}"
    );
    assert_eq!(
        refused.as_object().unwrap().len(),
        1,
        "v6's shape: {refused}"
    );
    let (_, after) = send(&app, Method::GET, "/v6/RestoreSessions", None).await;
    assert_eq!(before["totalCount"], after["totalCount"]);
}

#[tokio::test]
async fn an_operator_narrows_a_session_to_one_object_of_their_scope() {
    let app = spawn_app_with(FROZEN).await;
    let (token, scope) = sign_in_operator(&app, "v7").await;
    let user = scope.iter().next().unwrap().clone();
    let reference = json!({"type": "User", "user": {"id": user, "displayName": "x", "name": "x", "type": "User"}});
    let (status, opened) = call_as(
        &app,
        &token,
        Method::POST,
        "/v7/Organization/OperatorExplore",
        Some(json!({"scope": reference})),
    )
    .await;
    assert_eq!(status, 200, "{opened}");
    let session = opened["id"].as_str().unwrap();
    let (_, mailboxes) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("/v7/RestoreSessions/{session}/organization/mailboxes"),
        None,
    )
    .await;
    assert_eq!(ids(&mailboxes), vec![user.clone()], "{mailboxes}");

    rewrite_world(&app, |_| {}).await;
    let (_, reloaded) = call_as(
        &app,
        &token,
        Method::GET,
        &format!("/v7/RestoreSessions/{session}/organization/mailboxes"),
        None,
    )
    .await;
    assert_eq!(ids(&reloaded), vec![user], "a world file keeps the limit");
    let mut world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    let entry = world["restoreSessions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|entry| entry["id"] == json!(session))
        .unwrap();
    entry["operatorScope"] = json!([UNKNOWN]);
    let refused = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert!(
        refused.status().is_client_error(),
        "an operator scope naming nothing is refused"
    );

    let (_, before) = send(&app, Method::GET, "/v7/RestoreSessions", None).await;
    let outside = json!({"type": "User", "user": {"id": UNKNOWN, "displayName": "x", "name": "x", "type": "User"}});
    let (status, refused) = call_as(
        &app,
        &token,
        Method::POST,
        "/v7/Organization/OperatorExplore",
        Some(json!({"scope": outside})),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    let (_, after) = send(&app, Method::GET, "/v7/RestoreSessions", None).await;
    assert_eq!(
        before["totalCount"], after["totalCount"],
        "a refusal opens nothing"
    );
}

/// What the control API's outbox holds.
async fn outbox(app: &TestApp) -> Value {
    app.admin(Method::GET, "/__admin/outbox", None)
        .await
        .json()
        .await
        .unwrap()
}

/// An Exchange session opened by the administrator (the static token), and its path.
async fn exchange_session(app: &TestApp, v: &str) -> String {
    let (status, session) = send(
        app,
        Method::POST,
        &format!("/{v}/Organization/Explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    assert!(status == 200 || status == 201, "{session}");
    session["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_backed_up_organization_is_searched_and_exported_as_one() {
    let app = spawn_app_with(FROZEN).await;
    let session = exchange_session(&app, "v6").await;
    let base = format!("/v6/RestoreSessions/{session}");
    let (status, organization) =
        send(&app, Method::GET, &format!("{base}/organization"), None).await;
    assert_eq!(status, 200, "{organization}");
    let (_, opened) = send(&app, Method::GET, &base, None).await;
    assert_eq!(opened["organization"], organization["name"]);
    let own = organization["_links"]["self"]["href"].as_str().unwrap();
    assert_eq!(own, format!("{base}/organization"));

    let query = json!({"query": "hasattachments:yes"});
    let (_, across) = send(
        &app,
        Method::POST,
        &format!("{base}/organization/searchExchange?limit=3"),
        Some(query.clone()),
    )
    .await;
    let (_, mailboxes) = send(
        &app,
        Method::POST,
        &format!("{base}/organization/mailboxes/search?limit=3"),
        Some(query),
    )
    .await;
    assert_eq!(across["totalCount"], mailboxes["totalCount"], "{across}");
    assert!(across["totalCount"].as_u64().unwrap() > 3, "{across}");
    assert_eq!(across["results"].as_array().unwrap().len(), 3);
    let next = across["_links"]["next"]["href"].as_str().unwrap();
    assert!(next.contains("/organization/searchExchange?"), "{next}");

    let export = app
        .client
        .post(app.url(&format!("{base}/organization/exportToPst")))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    let disposition = export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    let name = organization["name"].as_str().unwrap();
    assert!(
        disposition.contains(&format!("{name}.pst")),
        "{disposition}"
    );
    let (_, events) = send(&app, Method::GET, &format!("{base}/Events"), None).await;
    assert!(
        events["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|event| event["type"] == "Export" && event["itemName"] == name),
        "{events}"
    );

    let (status, missing) = send(
        &app,
        Method::GET,
        &format!("/v6/RestoreSessions/{UNKNOWN}/organization"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{missing}");
    assert!(missing["message"].is_string() && missing.get("errorCode").is_none());
}

#[tokio::test]
async fn items_sent_to_their_own_mailbox_need_a_configured_sender() {
    let app = spawn_app_with(FROZEN).await;
    let session = exchange_session(&app, "v7").await;
    let base = format!("/v7/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = send(&app, Method::GET, &base, None).await;
    let mailbox = &mailboxes["results"][0];
    let (id, address) = (
        mailbox["id"].as_str().unwrap(),
        mailbox["email"].as_str().unwrap(),
    );
    let (_, items) = send(
        &app,
        Method::GET,
        &format!("{base}/{id}/items?limit=1"),
        None,
    )
    .await;
    let item = items["results"][0]["id"].as_str().unwrap();
    let path = format!("{base}/{id}/items/{item}/sendToDefaultAddress");

    let (status, refused) = send(&app, Method::POST, &path, None).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["errorCode"].is_null(), "v7's shape: {refused}");
    assert_eq!(
        outbox(&app).await,
        json!([]),
        "a refused send sends nothing"
    );

    let (status, answer) = send(
        &app,
        Method::PUT,
        "/v7/VexEmailSettings",
        Some(json!({"enableNotification": true, "server": "smtp.contoso.example", "port": 25, "from": "restores@contoso.example"})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = send(&app, Method::POST, &path, None).await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("{base}/{id}/items/sendToDefaultAddress"),
        Some(json!({"items": [{"id": item}]})),
    )
    .await;
    assert_eq!(status, 200);
    let sent = outbox(&app).await;
    let sent = sent.as_array().unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for mail in sent {
        assert_eq!(mail["to"], address);
        assert_eq!(mail["from"], "restores@contoso.example");
        assert_eq!(mail["restoreSessionId"], json!(session));
    }
}

#[tokio::test]
async fn restore_points_hold_the_users_their_backup_processed_in_both_dialects() {
    let app = spawn_app_with(FROZEN).await;
    let (_, points) = send(&app, Method::GET, "/v7/RestorePoints?limit=1000", None).await;
    let point = points["results"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, users) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/{point}/protectedUsers?limit=1000"),
        None,
    )
    .await;
    let (_, protected) = send(&app, Method::GET, "/v8/ProtectedUsers?limit=10000", None).await;
    let protected: HashSet<String> = ids(&protected).into_iter().collect();
    let users = users["results"].as_array().unwrap().clone();
    assert!(!users.is_empty());
    assert!(
        users
            .iter()
            .all(|user| protected.contains(user["id"].as_str().unwrap()))
    );
    let with_mail: HashSet<String> = users
        .iter()
        .filter(|user| user["isMailboxBackedUp"] == true)
        .map(|user| user["id"].as_str().unwrap().to_owned())
        .collect();
    let (_, v7_mailboxes) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/{point}/protectedMailboxes?limit=1000"),
        None,
    )
    .await;
    let (_, v6_mailboxes) = send(
        &app,
        Method::GET,
        &format!("/v6/RestorePoints/{point}/mailboxes"),
        None,
    )
    .await;
    let v7_ids: HashSet<String> = ids(&v7_mailboxes).into_iter().collect();
    let v6_ids: HashSet<String> = ids(&v6_mailboxes).into_iter().collect();
    assert_eq!(v7_ids, with_mail);
    assert_eq!(v6_ids, with_mail);
    let (status, missing) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/{UNKNOWN}/protectedUsers"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{missing}");
    let (status, _) = send(&app, Method::GET, "/v8/RestorePoints/Changes", None).await;
    assert_eq!(
        status, 400,
        "v8 dropped the feeds: 'Changes' is no restore point id"
    );
}

#[tokio::test]
async fn a_backup_that_ends_is_the_next_change_of_both_feeds() {
    let app = spawn_app_with(FROZEN).await;
    let (_, points) = send(
        &app,
        Method::GET,
        "/v7/RestorePoints/Changes?from=latest",
        None,
    )
    .await;
    let (_, sessions) = send(
        &app,
        Method::GET,
        "/v7/JobSessions/Changes?from=latest",
        None,
    )
    .await;
    assert_eq!(points["results"], json!([]));
    let (points_token, sessions_token) = (
        points["nextChangeToken"].as_str().unwrap().to_owned(),
        sessions["nextChangeToken"].as_str().unwrap().to_owned(),
    );
    let (_, again) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/Changes?from={points_token}"),
        None,
    )
    .await;
    assert_eq!(again["results"], json!([]), "nothing changed yet");

    let session = start(&app, json!({"outcome": "success"})).await;
    advance(&app, 3600.0).await;
    let (_, changed) = send(
        &app,
        Method::GET,
        &format!("/v7/JobSessions/Changes?from={sessions_token}"),
        None,
    )
    .await;
    assert!(ids(&changed).contains(&session), "{changed}");
    let (_, taken) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/Changes?from={points_token}"),
        None,
    )
    .await;
    let taken = taken["results"].as_array().unwrap();
    assert_eq!(taken.len(), 1, "{taken:?}");
    let point = taken[0]["id"].as_str().unwrap();
    let (status, listed) = send(
        &app,
        Method::GET,
        &format!("/v7/RestorePoints/{point}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{listed}");

    let (status, refused) = send(
        &app,
        Method::GET,
        "/v7/JobSessions/Changes?from=not-a-token",
        None,
    )
    .await;
    assert_eq!(status, 400, "{refused}");
}

//! The server's settings as an administration tool writes them: read, changed, read back,
//! tested with a mail that lands in the outbox, signed in with OAuth, refused without a
//! trace, and kept through an export and an import of the world.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, TestApp, explore_first_mailbox, send, spawn_app_with, world_text};

/// Job notifications that can be sent: a server, a sender and recipients.
fn job_notifications() -> Value {
    json!({
        "enableNotification": true,
        "smtpServer": "smtp.contoso.example",
        "port": 587,
        "useAuthentication": true,
        "username": "mailer",
        "userPassword": "s3cret-smtp",
        "useSSL": true,
        "from": "backup@contoso.example",
        "to": "ops@contoso.example; lead@contoso.example",
        "notifyOnSuccess": false,
    })
}

async fn outbox(app: &TestApp) -> Vec<Value> {
    let response = app.admin(Method::GET, "/__admin/outbox", None).await;
    assert_eq!(response.status(), 200);
    response
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn email_settings_are_read_back_without_their_password_and_a_test_mail_lands_in_the_outbox() {
    let app = spawn_app_with(FROZEN).await;
    let fresh = app.json("/v8/VboEmailSettings", "t").await;
    assert_eq!(fresh["enableNotification"], false);
    assert_eq!(
        fresh["notifyOnFailure"], true,
        "a fresh install mails failures"
    );
    assert_eq!(fresh["authenticationType"], "CustomSmtp");
    assert_eq!(fresh["mailApiUrl"], Value::Null);

    let (status, body) = send(
        &app,
        Method::PUT,
        "/v8/VboEmailSettings",
        Some(job_notifications()),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let read = app.json("/v8/VboEmailSettings", "t").await;
    assert_eq!(read["smtpServer"], "smtp.contoso.example");
    assert_eq!(read["port"], 587);
    assert_eq!(read["notifyOnSuccess"], false);
    assert_eq!(
        read["notifyOnWarning"], true,
        "what a write leaves out stays"
    );
    assert!(!read.to_string().contains("s3cret"), "{read}");
    let in_v6 = app.json("/v6/VboEmailSettings", "t").await;
    assert_eq!(in_v6["smtpServer"], "smtp.contoso.example");
    assert!(in_v6.get("authenticationType").is_none(), "v6 has no OAuth");

    let (status, body) = send(
        &app,
        Method::POST,
        "/v8/VboEmailSettings/SendTestEmail",
        None,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(&app, Method::POST, "/v6/VboEmailSettings/SendTest", None).await;
    assert_eq!(status, 200, "{body}");
    let sent = outbox(&app).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0]["from"], "backup@contoso.example");
    assert_eq!(sent[0]["to"], "ops@contoso.example; lead@contoso.example");
    assert!(sent[0].get("restoreSessionId").is_none(), "{}", sent[0]);
    assert_ne!(sent[0]["id"], sent[1]["id"]);
    assert!(
        world_text(&app).await.contains("s3cret-smtp"),
        "the world keeps the password"
    );
}

#[tokio::test]
async fn an_explorer_mails_its_test_to_the_address_the_request_names() {
    let app = spawn_app_with(FROZEN).await;
    let (status, refused) = send(
        &app,
        Method::POST,
        "/v7/VetEmailSettings/sendTest",
        Some(json!({"email": "tester@contoso.example"})),
    )
    .await;
    assert_eq!(status, 400, "nothing to send with yet: {refused}");
    let (status, body) = send(
        &app,
        Method::PUT,
        "/v7/VetEmailSettings",
        Some(json!({"enableNotification": true, "server": "10.0.0.25", "port": 25, "from": "teams@contoso.example"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        &app,
        Method::POST,
        "/v7/VetEmailSettings/sendTest",
        Some(json!({"email": "tester@contoso.example"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sent = outbox(&app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["to"], "tester@contoso.example");
    assert_eq!(sent[0]["from"], "teams@contoso.example");
    assert!(
        sent[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Veeam Explorer for Microsoft Teams")
    );
}

#[tokio::test]
async fn audit_mail_is_sent_as_the_account_an_oauth_sign_in_names() {
    let app = spawn_app_with(FROZEN).await;
    let (status, prepared) = send(
        &app,
        Method::POST,
        "/v7/AuditEmailSettings/PrepareOAuthSignIn",
        Some(json!({
            "authenticationServiceKind": "Microsoft365",
            "clientId": "app-id",
            "clientSecret": "s3cret-app",
            "tenantId": "contoso.onmicrosoft.com",
            "redirectUrl": "https://localhost/signed-in",
        })),
    )
    .await;
    assert_eq!(status, 200, "{prepared}");
    let request_id = prepared["requestId"].as_str().unwrap().to_owned();
    let url = prepared["signInUrl"].as_str().unwrap();
    assert!(
        url.starts_with("https://login.microsoftonline.com/contoso.onmicrosoft.com/")
            && url.contains(&format!("state={request_id}")),
        "{url}"
    );
    assert!(!url.contains("s3cret"), "{url}");

    let (status, refused) = send(
        &app,
        Method::PUT,
        "/v7/AuditEmailSettings",
        Some(json!({"authenticationType": "Microsoft365", "requestId": request_id})),
    )
    .await;
    assert_eq!(status, 400, "the sign-in is not completed: {refused}");
    let (status, completed) = send(
        &app,
        Method::POST,
        "/v7/AuditEmailSettings/CompleteOAuthSignIn",
        Some(json!({"code": "0.AXoA", "state": request_id})),
    )
    .await;
    assert_eq!(status, 200, "{completed}");
    let account = completed["userId"].as_str().unwrap().to_owned();
    let (status, body) = send(
        &app,
        Method::PUT,
        "/v7/AuditEmailSettings",
        Some(json!({
            "enableNotification": true,
            "to": "auditors@contoso.example",
            "authenticationType": "Microsoft365",
            "requestId": request_id,
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let read = app.json("/v7/AuditEmailSettings", "t").await;
    assert_eq!(read["authenticationType"], "Microsoft365");
    assert_eq!(read["isAuthenticated"], true);
    assert_eq!(read["userId"], json!(account));
    assert_eq!(read["clientId"], "app-id");
    assert_eq!(read["mailApiUrl"], "https://graph.microsoft.com");

    let (status, body) = send(&app, Method::POST, "/v7/AuditEmailSettings/SendTest", None).await;
    assert_eq!(status, 200, "{body}");
    let sent = outbox(&app).await;
    assert_eq!(sent[0]["from"], json!(account));
    assert_eq!(sent[0]["to"], "auditors@contoso.example");
}

#[tokio::test]
async fn refused_settings_writes_leave_the_world_as_it_was() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    for (path, body) in [
        ("/v8/VboEmailSettings", json!({"port": "submission"})),
        ("/v8/VboEmailSettings", json!({"port": 70000})),
        (
            "/v8/VboEmailSettings",
            json!({"smtpServer": "smtp.contoso.example", "to": "ops@contoso.example; nobody"}),
        ),
        (
            "/v8/VboEmailSettings",
            json!({"smtpServer": "smtp.contoso.example", "authenticationType": "Carrier"}),
        ),
        (
            "/v8/VexEmailSettings",
            json!({"server": "smtp.contoso.example", "from": "not an address"}),
        ),
        (
            "/v8/HistorySettings",
            json!({"keepAllsessions": false, "keeponlyLast": -1}),
        ),
        ("/v8/HistorySettings", json!({"keepAllsessions": false})),
        (
            "/v8/InternetProxySettings",
            json!({"useInternetProxy": true, "port": 3128}),
        ),
        (
            "/v8/InternetProxySettings",
            json!({"useInternetProxy": true, "hostName": "proxy", "port": 3128, "useAuthentication": true}),
        ),
        ("/v8/ExclusionSettings", json!({"outbox": "yes"})),
        (
            "/v8/GlobalRetentionExclusionSettings",
            json!({"contacts": null, "calendar": [true]}),
        ),
        ("/v7/ManagementMode", json!({"isManaged": true})),
        ("/v8/Configuration/Updates", json!({"updateSettings": {}})),
    ] {
        let (status, refused) = send(&app, Method::PUT, path, Some(body.clone())).await;
        assert_eq!(status, 400, "PUT {path} {body}: {refused}");
        assert!(refused["message"].is_string(), "{refused}");
    }
    for (path, body) in [
        ("/v8/VboEmailSettings/SendTestEmail", None),
        (
            "/v8/VexEmailSettings/SendTestEmail",
            Some(json!({"email": "a@b.example"})),
        ),
        (
            "/v8/VexEmailSettings/PrepareOAuthSignIn",
            Some(json!({"authenticationServiceKind": "GoogleGmail", "clientId": "app"})),
        ),
        (
            "/v8/VexEmailSettings/CompleteOAuthSignIn",
            Some(json!({"code": "x", "state": "00000000-0000-0000-0000-000000000000"})),
        ),
        (
            "/v7/VboEmailSettings/CompleteOAuthSignIn",
            Some(json!({"error": "access_denied", "errorDescription": "The user declined."})),
        ),
    ] {
        let (status, refused) = send(&app, Method::POST, path, body).await;
        assert_eq!(status, 400, "POST {path}: {refused}");
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes changed nothing"
    );
    let (status, _) = send(&app, Method::PUT, "/v8/ManagementMode", Some(json!({}))).await;
    assert_eq!(status, 405, "v8 only reads the management mode");
}

#[tokio::test]
async fn settings_survive_an_export_and_an_import_of_the_world() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    assert!(
        !before.contains("\"settings\""),
        "a fresh install's settings are left out of the file"
    );
    for (path, body) in [
        ("/v7/VboEmailSettings", job_notifications()),
        (
            "/v7/HistorySettings",
            json!({"keepAllsessions": false, "keeponlyLast": 14}),
        ),
        (
            "/v7/InternetProxySettings",
            json!({"useInternetProxy": true, "hostName": "proxy.contoso.example", "port": 3128, "useAuthentication": true, "username": "relay", "userPassword": "s3cret-proxy"}),
        ),
        ("/v7/ExclusionSettings", json!({"deletedItems": true})),
        (
            "/v7/GlobalRetentionExclusionSettings",
            json!({"contacts": true, "calendar": true}),
        ),
        (
            "/v7/ManagementMode",
            json!({"isManaged": true, "managerId": "6f0c3b1e-0000-4000-8000-0000000000aa", "companyName": "Provider"}),
        ),
        (
            "/v8/Configuration/Updates",
            json!({"enableCheckForUpdates": false}),
        ),
    ] {
        let (status, body) = send(&app, Method::PUT, path, Some(body)).await;
        assert!(status == 200 || status == 204, "PUT {path}: {body}");
    }
    let reads = [
        "/v7/VboEmailSettings",
        "/v7/HistorySettings",
        "/v7/InternetProxySettings",
        "/v7/ExclusionSettings",
        "/v7/GlobalRetentionExclusionSettings",
        "/v7/ManagementMode",
        "/v8/Configuration/Updates",
    ];
    let mut written = Vec::new();
    for path in reads {
        written.push(app.json(path, "t").await);
    }
    assert_eq!(written[1]["keeponlyLast"], 14);
    assert_eq!(written[2]["hostName"], "proxy.contoso.example");
    assert_eq!(written[5]["companyName"], "Provider");
    assert_eq!(written[6]["enableCheckForUpdates"], false);
    assert!(!written[2].to_string().contains("s3cret"), "{}", written[2]);

    let exported: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    assert_eq!(
        exported["settings"]["internetProxy"]["password"],
        "s3cret-proxy"
    );
    let response = app.admin(Method::POST, "/__admin/reset", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        world_text(&app).await,
        before,
        "a reset forgets the settings"
    );
    let response = app
        .admin(Method::PUT, "/__admin/world", Some(&exported))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    for (path, expected) in reads.into_iter().zip(&written) {
        assert_eq!(
            &app.json(path, "t").await,
            expected,
            "{path} after the import"
        );
    }
    assert_eq!(
        serde_json::from_str::<Value>(&world_text(&app).await).unwrap(),
        exported
    );
}

#[tokio::test]
async fn a_world_file_with_settings_no_client_could_write_is_refused() {
    let app = spawn_app_with(FROZEN).await;
    let mut world: Value = serde_json::from_str(&world_text(&app).await).unwrap();
    world["settings"] = json!({
        "vexEmail": {"port": 0, "from": "nobody"},
        "history": {"keepAllSessions": false},
    });
    let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let text = body.to_string();
    assert!(
        text.contains("settings.vexEmail.port")
            && text.contains("settings.vexEmail")
            && text.contains("settings.history"),
        "{text}"
    );
}

#[tokio::test]
async fn restored_items_are_mailed_from_the_exchange_explorers_sender_when_the_request_names_none()
{
    let app = spawn_app_with(FROZEN).await;
    let mailbox = explore_first_mailbox(&app, "v8").await.path;
    let items = app.json(&format!("{mailbox}/items?limit=1"), "t").await;
    let send_items = format!("{mailbox}/items/sendToDifferentAddress");
    let request = json!({"items": [{"id": items["results"][0]["id"]}], "to": "owner@example.com"});
    let (status, refused) = send(&app, Method::POST, &send_items, Some(request.clone())).await;
    assert_eq!(status, 400, "no sender anywhere: {refused}");

    let (status, body) = send(
        &app,
        Method::PUT,
        "/v8/VexEmailSettings",
        Some(json!({"server": "smtp.contoso.example", "from": "restores@contoso.example"})),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(&app, Method::POST, &send_items, Some(request)).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(outbox(&app).await[0]["from"], "restores@contoso.example");
}

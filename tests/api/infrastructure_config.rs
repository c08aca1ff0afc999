//! Configuring the backup infrastructure as a provisioning tool does: add a proxy and a
//! repository on it, read them back, edit them, watch a synchronization and an owner change
//! move on with the clock, remove them; and writes the service refuses, which change nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_JOB, TestApp, advance, reload_exported_world, send, spawn_app_with, world_text,
};

/// The entries of a listing: a page's results or an array's items.
fn entries(listing: &Value) -> Vec<Value> {
    listing
        .get("results")
        .unwrap_or(listing)
        .as_array()
        .unwrap()
        .clone()
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// The object storage no repository of the example world uses (the Glacier archive).
async fn unused_storage(app: &TestApp) -> String {
    let storages = app.json("/v7/objectstoragerepositories", "t").await;
    let repositories = app.json("/v7/BackupRepositories", "t").await;
    entries(&storages)
        .iter()
        .map(id)
        .find(|storage| {
            !entries(&repositories)
                .iter()
                .any(|repository| repository["objectStorageId"] == storage.as_str())
        })
        .expect("the example world keeps an unused archive tier")
}

#[tokio::test]
async fn a_repository_on_a_new_proxy_is_read_back_edited_synchronized_and_removed() {
    let app = spawn_app_with(FROZEN).await;
    let (status, proxy) = send(
        &app,
        Method::POST,
        "/v7/Proxies",
        Some(
            json!({"hostName": "vbo-proxy09.east.local", "description": "Ninth proxy",
                    "useDomainNetwork": true, "threadsNumber": 16,
                    "enableNetworkThrottling": true, "throttlingValue": 40, "throttlingUnit": "MBs",
                    "username": "EAST\\administrator", "password": "secret"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{proxy}");
    let proxy_id = id(&proxy);
    assert_eq!(proxy["type"], "Domain");
    assert_eq!(proxy["threadsNumber"], 16);
    assert_eq!(
        app.json(&format!("/v7/Proxies/{proxy_id}"), "t").await,
        proxy
    );
    let extended = app
        .json(&format!("/v7/Proxies/{proxy_id}?extendedView=true"), "t")
        .await;
    assert_eq!(
        (&extended["throttlingValue"], &extended["throttlingUnit"]),
        (&json!(40), &json!("MBs"))
    );
    let v3 = app.json(&format!("/v3/Proxies/{proxy_id}"), "t").await;
    assert_eq!(v3["hostName"], "vbo-proxy09.east.local");

    let storage = unused_storage(&app).await;
    let (status, repository) = send(
        &app,
        Method::POST,
        "/v7/BackupRepositories",
        Some(
            json!({"name": "Archive", "description": "Long-term copies", "proxyId": proxy_id,
                    "objectStorageId": storage, "objectStorageCachePath": "E:\\Cache\\Archive",
                    "retentionType": "SnapshotBased", "retentionPeriodType": "Yearly",
                    "yearlyRetentionPeriod": "Years7"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{repository}");
    let repository_id = id(&repository);
    assert_eq!(repository["path"], "E:\\Cache\\Archive");
    assert_eq!(repository["objectStorageId"], storage.as_str());
    assert_eq!(repository["isLongTerm"], true);
    assert_eq!(repository["yearlyRetentionPeriod"], "Years7");
    assert_eq!(
        app.json(&format!("/v7/BackupRepositories/{repository_id}"), "t")
            .await,
        repository
    );
    let on_proxy = app
        .json(&format!("/v7/BackupRepositories?proxyId={proxy_id}"), "t")
        .await;
    assert_eq!(
        entries(&on_proxy).iter().map(id).collect::<Vec<_>>(),
        [repository_id.as_str()]
    );
    let long_term = app.json("/v8/BackupRepositories?longTerm=true", "t").await;
    let long_term: Vec<String> = entries(&long_term).iter().map(id).collect();
    assert_eq!(
        long_term.len(),
        2,
        "the new one and the archive of the example world's copies"
    );
    assert!(long_term.contains(&repository_id));

    let (status, _) = send(
        &app,
        Method::PUT,
        &format!("/v7/BackupRepositories/{repository_id}"),
        Some(json!({"retentionType": "SnapshotBased", "retentionFrequencyType": "Monthly",
                    "monthlyTime": "02:30:00", "monthlyDaynumber": "First", "monthlyDayofweek": "Saturday"})),
    )
    .await;
    assert_eq!(status, 200);
    let edited = app
        .json(&format!("/v8/BackupRepositories/{repository_id}"), "t")
        .await;
    assert_eq!(edited["retentionFrequencyType"], "Monthly");
    assert_eq!(edited["monthlyTime"], "02:30:00");
    assert_eq!(edited["monthlyDayofweek"], "Saturday");
    assert_eq!(
        edited["yearlyRetentionPeriod"], "Years7",
        "what the edit left alone"
    );
    assert_eq!(edited["objectStorage"]["type"], "AmazonS3Glacier");

    // A synchronization moves a tenth every six seconds, even for a client whose answers
    // are kept by the response cache.
    let (status, sync) = send(
        &app,
        Method::POST,
        &format!("/v7/BackupRepositories/{repository_id}/Sync"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{sync}");
    assert_eq!(
        (&sync["state"], &sync["progressPercent"]),
        (&json!("Synchronizing"), &json!(0))
    );
    let session = format!("/v7/RepositorySynchronizeSessions/{}", id(&sync));
    for _ in 0..3 {
        assert_eq!(app.json(&session, "t").await, sync);
    }
    advance(&app, 13.0).await;
    assert_eq!(app.json(&session, "t").await["progressPercent"], 20);
    advance(&app, 60.0).await;
    let done = app.json(&session, "t").await;
    assert_eq!(
        (&done["state"], &done["progressPercent"]),
        (&json!("None"), &json!(100))
    );
    assert_eq!(
        app.json(done["_links"]["repository"]["href"].as_str().unwrap(), "t")
            .await["id"],
        repository_id.as_str()
    );

    let (status, refusal) = send(
        &app,
        Method::POST,
        &format!("/v7/Proxies/{proxy_id}/Remove"),
        Some(json!({"force": true})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"].as_str().unwrap().contains("Archive"),
        "{refusal}"
    );
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v7/BackupRepositories/{repository_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(
            &format!("/v7/BackupRepositories/{repository_id}"),
            Some("t")
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.get(&session, Some("t")).await.status(),
        404,
        "its synchronizations went with it"
    );
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v7/Proxies/{proxy_id}/Remove"),
        Some(json!({"force": false})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.get(&format!("/v7/Proxies/{proxy_id}"), Some("t"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_repository_moves_to_a_pool_and_a_stopped_move_takes_it_back() {
    let app = spawn_app_with(FROZEN).await;
    let proxies = entries(&app.json("/v8/Proxies", "t").await);
    let server = id(&proxies[0]);
    let (status, proxy) = send(
        &app,
        Method::POST,
        "/v8/Proxies",
        Some(json!({"hostName": "vbo-linux01.east.local", "operatingSystem": "Linux"})),
    )
    .await;
    assert_eq!(status, 201, "{proxy}");
    assert_eq!(proxy["type"], "Workgroup");
    assert_eq!(proxy["operatingSystem"], "Linux");
    let (status, pool) = send(
        &app,
        Method::POST,
        "/v8/ProxyPools",
        Some(
            json!({"name": "Linux pool", "description": "", "proxyIds": [{"proxyId": id(&proxy)}]}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{pool}");
    let pool_id = id(&pool);
    assert_eq!(
        app.json(&format!("/v8/Proxies/{}", id(&proxy)), "t").await["proxyPoolId"],
        pool_id.as_str()
    );

    let repositories = entries(
        &app.json(&format!("/v8/BackupRepositories?proxyId={server}"), "t")
            .await,
    );
    let repository = id(&repositories[0]);
    let (status, change) = send(
        &app,
        Method::POST,
        &format!("/v8/BackupRepositories/{repository}/changeOwner?poolId={pool_id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{change}");
    assert_eq!(change["status"], "Running");
    assert_eq!(change["fromOwnerId"], server.as_str());
    assert_eq!(change["toOwnerId"], pool_id.as_str());
    assert_eq!(change["waitForSessionsTimeout"], "01:00:00");
    let moved = app
        .json(&format!("/v8/BackupRepositories/{repository}"), "t")
        .await;
    assert_eq!(
        (&moved["proxyId"], &moved["proxyPoolId"]),
        (&Value::Null, &json!(pool_id))
    );
    assert_eq!(
        app.json(&format!("/v5/BackupRepositories/{repository}"), "t")
            .await["proxyId"],
        Value::Null,
        "a pool is no proxy to versions that know no pools"
    );
    advance(&app, 31.0).await;
    let session = format!("/v8/RepositoryOwnerChangeSessions/{}", id(&change));
    let done = app.json(&session, "t").await;
    assert_eq!(done["status"], "Succeeded");
    assert!(done["endTime"].is_string());

    // The pool keeps the repository, so it keeps its proxy and cannot go.
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v8/ProxyPools/{pool_id}/proxies"),
        Some(json!([{"proxyId": id(&proxy)}])),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = send(
        &app,
        Method::DELETE,
        &format!("/v8/ProxyPools/{pool_id}"),
        None,
    )
    .await;
    assert_eq!(status, 400);

    // A move back that is stopped leaves the repository where it was.
    let (status, back) = send(
        &app,
        Method::POST,
        &format!("/v8/BackupRepositories/{repository}/changeOwner?proxyId={server}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{back}");
    advance(&app, 10.0).await;
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/RepositoryOwnerChangeSessions/{}/Stop", id(&back)),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let stopped = app
        .json(
            &format!("/v8/RepositoryOwnerChangeSessions/{}", id(&back)),
            "t",
        )
        .await;
    assert_eq!(stopped["status"], "Failed");
    assert_eq!(
        app.json(&format!("/v8/BackupRepositories/{repository}"), "t")
            .await["proxyPoolId"],
        pool_id.as_str()
    );
    let listed = app.json("/v8/RepositoryOwnerChangeSessions", "t").await;
    assert_eq!(
        entries(&listed).iter().map(id).collect::<Vec<_>>(),
        [id(&back), id(&change)]
    );
}

#[tokio::test]
async fn a_move_waits_for_no_running_job_unless_told_to_stop_it() {
    let app = spawn_app_with(FROZEN).await;
    let job = app.json(&format!("/v8/Jobs/{SEED_JOB}"), "t").await;
    let repository = job["repositoryId"].as_str().unwrap().to_owned();
    let proxies = entries(&app.json("/v8/Proxies", "t").await);
    let other = id(&proxies[1]);
    let (status, session) = send(
        &app,
        Method::POST,
        &format!("/v8/Jobs/{SEED_JOB}/start"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let before = world_text(&app).await;
    let (status, refusal) = send(
        &app,
        Method::POST,
        &format!("/v8/BackupRepositories/{repository}/changeOwner?proxyId={other}"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("East Support mailboxes"),
        "{refusal}"
    );
    assert_eq!(
        world_text(&app).await,
        before,
        "a refused move changes nothing"
    );
    let (status, change) = send(
        &app,
        Method::POST,
        &format!(
            "/v8/BackupRepositories/{repository}/changeOwner?proxyId={other}&forceStopSessions=true"
        ),
        None,
    )
    .await;
    assert_eq!(status, 200, "{change}");
    assert_eq!(change["forceStopSessions"], true);
    let stopped = app
        .json(&format!("/v8/JobSessions/{}", id(&session)), "t")
        .await;
    assert_eq!(stopped["status"], "Stopped");
}

#[tokio::test]
async fn maintenance_shows_on_the_proxy_and_waits_for_its_sessions() {
    let app = spawn_app_with(FROZEN).await;
    let tiny = json!({
        "format": 1,
        "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "tiny.onmicrosoft.com"}],
        "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "vbo.tiny.local"}],
        "repositories": [{"id": "33333333-3333-3333-3333-333333333333", "name": "Main",
                          "proxyId": "22222222-2222-2222-2222-222222222222"}],
        "jobs": [{"id": "44444444-4444-4444-4444-444444444444", "name": "Tiny",
                  "organizationId": "11111111-1111-1111-1111-111111111111",
                  "repositoryId": "33333333-3333-3333-3333-333333333333"}]
    });
    let response = app.admin(Method::PUT, "/__admin/world", Some(&tiny)).await;
    assert!(response.status().is_success());
    let proxy = "/v8/Proxies/22222222-2222-2222-2222-222222222222";
    let job = "/v8/Jobs/44444444-4444-4444-4444-444444444444";
    let idle = app.json(proxy, "t").await;
    assert_eq!(idle["maintenanceModeState"], "Disabled");
    let (status, _) = send(&app, Method::POST, &format!("{job}/start"), None).await;
    assert_eq!(status, 200);
    let busy = app.json(proxy, "t").await;
    assert!(
        busy["cpuUsagePercent"].as_f64().unwrap() > idle["cpuUsagePercent"].as_f64().unwrap(),
        "{busy}"
    );
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("{proxy}/maintenance/enable"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.json(proxy, "t").await["maintenanceModeState"],
        "Enabling"
    );
    let (status, _) = send(&app, Method::POST, &format!("{job}/stop"), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        app.json(proxy, "t").await["maintenanceModeState"],
        "Enabled"
    );
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("{proxy}/maintenance/disable"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.json(proxy, "t").await["maintenanceModeState"],
        "Disabled"
    );
}

#[tokio::test]
async fn refused_infrastructure_writes_name_what_is_wrong_and_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let proxies = entries(&app.json("/v8/Proxies", "t").await);
    let (server, pooled) = (id(&proxies[0]), id(&proxies[1]));
    let pool = id(&entries(&app.json("/v8/ProxyPools", "t").await)[0]);
    let job = app.json(&format!("/v8/Jobs/{SEED_JOB}"), "t").await;
    let busy = job["repositoryId"].as_str().unwrap().to_owned();
    let storage = unused_storage(&app).await;
    let used_storage = entries(&app.json("/v7/BackupRepositories", "t").await)
        .iter()
        .find_map(|repository| repository["objectStorageId"].as_str().map(str::to_owned))
        .unwrap();
    let before = world_text(&app).await;
    let unknown = "00000000-0000-0000-0000-0000000000b1";
    let repository = |extra: Value| {
        let mut body = json!({"name": "New", "path": "E:\\New", "retentionType": "ItemLevel", "proxyId": server});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let cases = [
        (
            Method::POST,
            "/v8/Proxies".to_owned(),
            json!({"hostName": "VBO-SERVER.east.local"}),
            400,
            "already",
        ),
        (
            Method::POST,
            "/v8/Proxies".to_owned(),
            json!({"description": "no host"}),
            400,
            "hostName",
        ),
        (
            Method::POST,
            "/v8/Proxies".to_owned(),
            json!({"hostName": "x", "port": "9193"}),
            400,
            "port",
        ),
        (
            Method::POST,
            format!("/v8/Proxies/{server}/Remove"),
            json!({}),
            400,
            "in use",
        ),
        (
            Method::POST,
            format!("/v8/Proxies/{unknown}/Remove"),
            json!({}),
            404,
            "Proxy",
        ),
        (
            Method::DELETE,
            format!("/v8/BackupRepositories/{busy}"),
            Value::Null,
            400,
            "East Support mailboxes",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"proxyId": unknown})),
            404,
            "Proxy",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"proxyPoolId": pool})),
            400,
            "one owner",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"name": "eastsupport REPOSITORY"})),
            400,
            "already exists",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"retentionType": null})),
            400,
            "retentionType",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"retentionType": "Forever"})),
            400,
            "retentiontype",
        ),
        (
            Method::POST,
            "/v7/BackupRepositories".to_owned(),
            repository(json!({"objectStorageId": unknown})),
            404,
            "Object storage",
        ),
        (
            Method::POST,
            "/v7/BackupRepositories".to_owned(),
            repository(json!({"objectStorageId": used_storage})),
            400,
            "already backs",
        ),
        (
            Method::POST,
            "/v7/BackupRepositories".to_owned(),
            repository(json!({"objectStorageId": storage, "encryptionKeyId": unknown})),
            404,
            "Encryption key",
        ),
        (
            Method::POST,
            "/v8/BackupRepositories".to_owned(),
            repository(json!({"organizationId": unknown})),
            404,
            "Organization",
        ),
        (
            Method::PUT,
            format!("/v8/BackupRepositories/{busy}"),
            json!({"retentionType": "ItemLevel", "proxyId": pooled}),
            400,
            "change owner",
        ),
        (
            Method::POST,
            "/v8/ProxyPools".to_owned(),
            json!({"name": "P", "description": "", "proxyIds": [{"proxyId": unknown}]}),
            404,
            "Proxy",
        ),
        (
            Method::POST,
            "/v8/ProxyPools".to_owned(),
            json!({"name": "P", "description": "", "proxyIds": [{"proxyId": pooled}]}),
            400,
            "already in",
        ),
        (
            Method::POST,
            format!("/v8/ProxyPools/{pool}/proxies"),
            json!([{"proxyId": "not-a-guid"}]),
            400,
            "proxy id",
        ),
        (
            Method::POST,
            format!("/v8/BackupRepositories/{busy}/changeOwner?proxyId={server}"),
            Value::Null,
            400,
            "already",
        ),
        (
            Method::POST,
            format!("/v8/BackupRepositories/{busy}/Sync"),
            Value::Null,
            400,
            "object storage",
        ),
    ];
    for (method, path, body, status, reason) in cases {
        let body = (!body.is_null()).then_some(body);
        let (got, answer) = send(&app, method.clone(), &path, body.clone()).await;
        assert_eq!(got, status, "{method} {path} {body:?}: {answer}");
        assert!(
            answer["message"].as_str().unwrap().contains(reason),
            "{method} {path}: {answer} does not say {reason}"
        );
    }
    assert_eq!(
        world_text(&app).await,
        before,
        "refused writes change nothing"
    );
}

#[tokio::test]
async fn up_to_v5_proxies_are_rescanned_and_removed_by_actions() {
    let app = spawn_app_with(FROZEN).await;
    let (status, proxy) = send(
        &app,
        Method::POST,
        "/v4/Proxies",
        Some(json!({"hostName": "vbo-old.east.local", "port": 9194})),
    )
    .await;
    assert_eq!(status, 200, "{proxy}");
    assert_eq!(
        proxy.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "_links",
            "description",
            "hostName",
            "id",
            "port",
            "status",
            "threadsNumber"
        ]
    );
    let action = format!("/v4/Proxies/{}/Action", id(&proxy));
    for (body, status) in [
        (json!({"rescan": null}), 200),
        (json!({"restart": null}), 400),
        (
            json!({"remove": {"username": "EAST\\administrator", "userPassword": "secret"}}),
            200,
        ),
        (json!({"rescan": null}), 404),
    ] {
        let (got, answer) = send(&app, Method::POST, &action, Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {answer}");
    }
    let (status, _) = send(
        &app,
        Method::POST,
        "/v5/Proxies/Action",
        Some(json!({"rescan": null})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        Method::POST,
        "/v4/Proxies/Action",
        Some(json!({"rescan": null})),
    )
    .await;
    assert_eq!(status, 405, "v4 has no rescan of every proxy");
}

#[tokio::test]
async fn everything_written_survives_export_and_import() {
    let app = spawn_app_with(FROZEN).await;
    let (_, proxy) = send(
        &app,
        Method::POST,
        "/v8/Proxies",
        Some(json!({"hostName": "vbo-edge.east.local", "useDomainNetwork": true, "useInternetProxy": true,
                    "internetProxyType": "Custom",
                    "internetProxySettings": {"hostName": "squid.east.local", "port": 3128, "useAuthentication": true, "username": "proxyuser"},
                    "enableNetworkThrottling": true, "throttlingValue": 5, "throttlingUnit": "KBs",
                    "serviceAccountName": "EAST\\svc-vbo"})),
    )
    .await;
    let (_, pool) = send(
        &app,
        Method::POST,
        "/v8/ProxyPools",
        Some(json!({"name": "Edge", "description": "Edge proxies", "proxyIds": [{"proxyId": id(&proxy)}]})),
    )
    .await;
    let organization = id(&entries(&app.json("/v8/Organizations", "t").await)[0]);
    let (status, repository) = send(
        &app,
        Method::POST,
        "/v8/BackupRepositories",
        Some(json!({"name": "Edge copies", "path": "F:\\Edge", "proxyPoolId": id(&pool), "retentionType": "ItemLevel",
                    "retentionPeriodType": "Monthly", "monthlyRetentionPeriod": 18, "organizationId": organization,
                    "objectStorage": {"type": "AmazonS3", "amazonBucketS3Aws": {"name": "edge-copies", "regionId": "eu-west-1"},
                                      "s3Folder": "vbo", "sizeLimitEnabled": true, "sizeLimitGB": 512}})),
    )
    .await;
    assert_eq!(status, 201, "{repository}");
    assert_eq!(
        repository["objectStorage"]["amazonBucketS3Aws"]["regionName"],
        "Europe (Ireland)"
    );
    let repository_id = id(&repository);
    send(
        &app,
        Method::POST,
        &format!("/v8/BackupRepositories/{repository_id}/Sync"),
        None,
    )
    .await;
    let server = id(&entries(&app.json("/v8/Proxies", "t").await)[0]);
    send(
        &app,
        Method::POST,
        &format!("/v8/BackupRepositories/{repository_id}/changeOwner?proxyId={server}&forceStopSessionsTimeout=3"),
        None,
    )
    .await;
    advance(&app, 20.0).await;
    let reads = [
        "/v8/Proxies?limit=100",
        "/v8/ProxyPools",
        "/v8/BackupRepositories?limit=100",
        "/v8/RepositorySynchronizeSessions",
        "/v8/RepositoryOwnerChangeSessions",
        "/v7/objectstoragerepositories",
    ];
    let mut before = Vec::new();
    for path in reads {
        before.push(app.json(path, "t").await);
    }
    let exported = reload_exported_world(&app).await;
    for (path, expected) in reads.into_iter().zip(before) {
        assert_eq!(app.json(path, "t").await, expected, "{path}");
    }
    assert_eq!(world_text(&app).await, exported);
}

#[tokio::test]
async fn world_files_give_each_repository_one_owner_that_exists() {
    let app = spawn_app_with(FROZEN).await;
    let file = |repository: Value| {
        json!({"format": 1,
               "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "p",
                            "proxyPoolId": "55555555-5555-5555-5555-555555555555"}],
               "proxyPools": [{"id": "55555555-5555-5555-5555-555555555555", "name": "Pool"}],
               "repositories": [repository]})
    };
    let pool_owned = json!({"name": "R", "proxyPoolId": "55555555-5555-5555-5555-555555555555",
                            "retentionPeriod": {"type": "Daily", "days": 7}});
    let response = app
        .admin(Method::PUT, "/__admin/world", Some(&file(pool_owned)))
        .await;
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    let served = &entries(&app.json("/v8/BackupRepositories", "t").await)[0];
    assert_eq!(served["dailyRetentionPeriod"], 7);
    for (repository, problem) in [
        (
            json!({"name": "R"}),
            "repositories[0].proxyId: name either a proxy (proxyId) or a proxy pool (proxyPoolId)",
        ),
        (
            json!({"name": "R", "proxyPoolId": "55555555-5555-5555-5555-555555555550"}),
            "repositories[0].proxyPoolId: no proxy pool with this id",
        ),
        (
            json!({"name": "R", "proxyId": "22222222-2222-2222-2222-222222222222", "retentionPeriod": {"type": "Monthly", "months": 0}}),
            "repositories[0].retentionPeriod: must be at least 1",
        ),
    ] {
        let response = app
            .admin(Method::PUT, "/__admin/world", Some(&file(repository)))
            .await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(crate::helpers::problems(&body), [problem]);
    }
}

#[tokio::test]
async fn proxies_and_repositories_read_and_written_back_change_nothing() {
    let app = spawn_app_with(FROZEN).await;
    let before = world_text(&app).await;
    for version in ["v6", "v7", "v8"] {
        for collection in ["Proxies", "BackupRepositories"] {
            let listing = app.json(&format!("/{version}/{collection}"), "t").await;
            for entry in entries(&listing) {
                let path = format!("/{version}/{collection}/{}", id(&entry));
                let (status, body) = send(&app, Method::PUT, &path, Some(entry)).await;
                assert!(status < 300, "PUT {path}: {status} {body}");
            }
        }
    }
    assert_eq!(world_text(&app).await, before);
}

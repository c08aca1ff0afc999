//! Every v3 resource a dashboard reads: status, shape, fields, links, paging and bad input.

use serde_json::Value;

use crate::helpers::{TestApp, assert_error, in_process, keys, spawn_app, time};

const COLLECTIONS: &[&str] = &[
    "/v3/Organizations",
    "/v3/Jobs",
    "/v3/JobSessions",
    "/v3/BackupRepositories",
    "/v3/Proxies",
    "/v3/RestoreSessions",
    "/v3/LicensedUsers",
];

async fn first_id(app: &TestApp, token: &str, path: &str) -> String {
    let body = app.json(path, token).await;
    let list = body.get("results").unwrap_or(&body);
    list[0]["id"].as_str().unwrap().to_owned()
}

fn assert_links_on_host(app: &TestApp, links: &Value, expected: &[&str]) {
    assert_eq!(keys(links), expected, "{links}");
    for (name, link) in links.as_object().unwrap() {
        let href = link["href"].as_str().unwrap();
        assert!(
            href.starts_with(&format!("{}/v3/", app.base)),
            "{name}: {href}"
        );
    }
}

#[tokio::test]
async fn every_collection_needs_a_token() {
    let app = spawn_app().await;
    for path in COLLECTIONS {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 401, "{path}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
}

#[tokio::test]
async fn organizations_carry_the_vendor_fields_links_and_actions() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let organizations = app.json("/v3/Organizations", &token).await;
    assert!(organizations.as_array().unwrap().len() >= 4);
    let first = &organizations[0];
    assert_eq!(
        keys(first),
        [
            "_actions",
            "_links",
            "firstBackuptime",
            "id",
            "isBackedup",
            "isExchangeOnline",
            "isSharePointOnline",
            "lastBackuptime",
            "name",
            "officeName",
            "region",
            "type"
        ]
    );
    assert_eq!(first["name"], "eastsupport.onmicrosoft.com");
    assert_eq!(first["type"], "Office365");
    assert_eq!(first["_actions"], serde_json::json!({}));
    assert_links_on_host(
        &app,
        &first["_links"],
        &[
            "groups",
            "jobs",
            "self",
            "sites",
            "usedRepositories",
            "users",
        ],
    );
    let by_id = app.follow(&first["_links"]["self"]["href"], &token).await;
    assert_eq!(&by_id, first);
}

#[tokio::test]
async fn jobs_have_schedules_summaries_and_links_that_resolve() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let jobs = app.json("/v3/Jobs", &token).await;
    for job in jobs.as_array().unwrap() {
        assert_links_on_host(
            &app,
            &job["_links"],
            &[
                "backupRepository",
                "excludedItems",
                "jobsessions",
                "organization",
                "selectedItems",
                "self",
            ],
        );
        assert!(
            ["EntireOrganization", "SelectedItems"].contains(&job["backupType"].as_str().unwrap())
        );
        assert!(
            ["Daily", "Periodically"].contains(&job["schedulePolicy"]["type"].as_str().unwrap())
        );
        let organization = app
            .follow(&job["_links"]["organization"]["href"], &token)
            .await;
        let repository = app
            .follow(&job["_links"]["backupRepository"]["href"], &token)
            .await;
        assert!(organization["id"].is_string() && repository["id"].is_string());
        let sessions = app
            .follow(&job["_links"]["jobsessions"]["href"], &token)
            .await;
        let newest = &sessions[0];
        assert_eq!(job["lastRun"], newest["creationTime"], "{}", job["name"]);
        assert_eq!(job["lastStatus"], newest["status"]);
    }
}

#[tokio::test]
async fn a_job_lists_only_its_own_sessions_newest_first() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let job_id = first_id(&app, &token, "/v3/Jobs").await;
    let sessions = app
        .json(&format!("/v3/Jobs/{job_id}/JobSessions?limit=100"), &token)
        .await;
    let sessions = sessions.as_array().unwrap();
    assert!(sessions.len() > 20, "30 days of nightly runs");
    for session in sessions {
        assert!(
            session["_links"]["job"]["href"]
                .as_str()
                .unwrap()
                .ends_with(&job_id)
        );
    }
    let times: Vec<_> = sessions
        .iter()
        .map(|session| time(&session["creationTime"]))
        .collect();
    assert!(
        times.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first: {times:?}"
    );
}

#[tokio::test]
async fn sessions_have_integer_statistics_and_a_log_link_that_works() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let sessions = app.json("/v3/JobSessions", &token).await;
    assert_eq!(sessions.as_array().unwrap().len(), 30, "the default page");
    let session = &sessions[1];
    assert_eq!(
        keys(session),
        [
            "_links",
            "creationTime",
            "endTime",
            "id",
            "progress",
            "statistics",
            "status"
        ]
    );
    for (name, value) in session["statistics"].as_object().unwrap() {
        assert!(value.is_u64() || name == "bottleneck", "{name}: {value}");
    }
    assert_links_on_host(&app, &session["_links"], &["job", "log", "self"]);
    let log = app.follow(&session["_links"]["log"]["href"], &token).await;
    assert!(
        log.as_array().unwrap()[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("[Success] Job started at")
    );
    let by_id = app.follow(&session["_links"]["self"]["href"], &token).await;
    assert_eq!(&by_id, session);
}

#[tokio::test]
async fn a_running_session_shows_no_end_yet() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let sessions = app.json("/v3/JobSessions?limit=10000", &token).await;
    let running: Vec<&Value> = sessions
        .as_array()
        .unwrap()
        .iter()
        .filter(|session| session["status"] == "Running")
        .collect();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0]["endTime"], "0001-01-01T00:00:00");
    assert!(running[0]["progress"].as_u64().unwrap() < 100);
}

#[tokio::test]
async fn repositories_and_proxies_agree() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let repositories = app.json("/v3/BackupRepositories", &token).await;
    for repository in repositories.as_array().unwrap() {
        let capacity = repository["capacityBytes"].as_u64().unwrap();
        let free = repository["freeSpaceBytes"].as_u64().unwrap();
        assert!(free > 0 && free < capacity, "{repository}");
        assert_links_on_host(&app, &repository["_links"], &["proxy", "self"]);
        let proxy = app
            .follow(&repository["_links"]["proxy"]["href"], &token)
            .await;
        assert_eq!(proxy["id"], repository["proxyId"]);
        assert_eq!(proxy["status"], "Online");
        assert_eq!(
            keys(&proxy),
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
    }
}

#[tokio::test]
async fn restore_sessions_page_and_their_events_page() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let all = app.json("/v3/RestoreSessions?limit=10000", &token).await;
    let total = all["results"].as_array().unwrap().len();
    assert!(total >= 4);
    assert_eq!(keys(&all), ["_links", "limit", "offset", "results"]);
    let first_page = app.json("/v3/RestoreSessions?limit=2", &token).await;
    assert_eq!(first_page["results"].as_array().unwrap().len(), 2);
    assert!(first_page["_links"].get("prev").is_none());
    let second_page = app
        .follow(&first_page["_links"]["next"]["href"], &token)
        .await;
    assert_eq!(second_page["offset"], 2);
    assert_eq!(second_page["results"][0], all["results"][2]);
    assert!(
        second_page["_links"]["prev"]["href"]
            .as_str()
            .unwrap()
            .ends_with("offset=0&limit=2")
    );

    let session = &all["results"][0];
    assert!(["Vex", "Veod", "Vesp"].contains(&session["type"].as_str().unwrap()));
    let events = app
        .follow(&session["_links"]["events"]["href"], &token)
        .await;
    assert!(!events["results"].as_array().unwrap().is_empty());
    assert_eq!(events["results"][0]["order"], 0);
}

#[tokio::test]
async fn paging_edges_answer_empty_pages_not_errors() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let past_the_end = app.json("/v3/RestoreSessions?offset=100000", &token).await;
    assert_eq!(past_the_end["results"], serde_json::json!([]));
    assert!(past_the_end["_links"].get("next").is_none());
    let limit_zero = app.json("/v3/RestoreSessions?limit=0", &token).await;
    assert_eq!(limit_zero["results"], serde_json::json!([]));
    let big = app.json("/v3/LicensedUsers?limit=10000", &token).await;
    assert_eq!(big["limit"], 10000);
    for path in [
        "/v3/RestoreSessions?limit=10001",
        "/v3/LicensedUsers?offset=-1",
        "/v3/JobSessions?limit=x",
    ] {
        assert_error(app.get(path, Some(&token)).await, 400).await;
    }
}

#[tokio::test]
async fn licensed_users_filter_by_organization_and_match_its_licensing() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let organizations = app.json("/v3/Organizations", &token).await;
    for organization in organizations.as_array().unwrap() {
        let id = organization["id"].as_str().unwrap();
        let users = app
            .json(
                &format!("/v3/LicensedUsers?organizationId={id}&limit=10000"),
                &token,
            )
            .await;
        let users = users["results"].as_array().unwrap();
        assert!(
            users
                .iter()
                .all(|user| user["backedUpOrganizationId"] == id)
        );
        let licensing = app
            .json(
                &format!("/v3/Organizations/{id}/LicensingInformation"),
                &token,
            )
            .await;
        assert_eq!(
            licensing["licensedUsers"].as_u64().unwrap() as usize,
            users.len()
        );
        let new = users
            .iter()
            .filter(|user| user["licenseState"] == "New")
            .count();
        assert_eq!(licensing["newUsers"].as_u64().unwrap() as usize, new);
    }
    let unknown = "/v3/LicensedUsers?organizationId=00000000-0000-0000-0000-000000000009";
    assert_error(app.get(unknown, Some(&token)).await, 404).await;
    assert_error(
        app.get("/v3/LicensedUsers?organizationId=nope", Some(&token))
            .await,
        400,
    )
    .await;
}

#[tokio::test]
async fn unknown_ids_are_404_and_malformed_ids_400_on_every_item_route() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let unknown = "00000000-0000-0000-0000-00000000abcd";
    for template in [
        "/v3/Organizations/{}",
        "/v3/Organizations/{}/Jobs",
        "/v3/Organizations/{}/LicensingInformation",
        "/v3/Jobs/{}",
        "/v3/Jobs/{}/JobSessions",
        "/v3/JobSessions/{}",
        "/v3/BackupRepositories/{}",
        "/v3/Proxies/{}",
        "/v3/RestoreSessions/{}",
        "/v3/RestoreSessions/{}/Events",
    ] {
        let message = assert_error(
            app.get(&template.replace("{}", unknown), Some(&token))
                .await,
            404,
        )
        .await;
        assert!(message.contains(unknown), "{template}: {message}");
        assert_error(
            app.get(&template.replace("{}", "12-34"), Some(&token))
                .await,
            400,
        )
        .await;
    }
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow_and_unknown_parameters_are_ignored() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let response = app
        .client
        .delete(app.url("/v3/Jobs"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET,HEAD");
    assert_error(response, 405).await;
    let plain = app.json("/v3/Proxies", &token).await;
    assert_eq!(
        app.json("/v3/Proxies?foo=bar&extendedView=maybe", &token)
            .await,
        plain
    );
}

#[tokio::test]
async fn sessions_and_restore_sessions_list_newest_first_in_every_version() {
    let app = in_process(&["--seed", "5"]);
    for version in ["v3", "v4", "v5", "v6", "v7", "v8"] {
        for collection in ["JobSessions", "RestoreSessions"] {
            let body = app
                .get(&format!("/{version}/{collection}?limit=200"))
                .await
                .json();
            let entries = body.get("results").unwrap_or(&body).as_array().unwrap();
            assert!(entries.len() > 1, "{version} {collection}");
            let times: Vec<_> = entries
                .iter()
                .map(|entry| time(&entry["creationTime"]))
                .collect();
            assert!(
                times.windows(2).all(|pair| pair[0] >= pair[1]),
                "{version} {collection} newest first: {times:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_client_following_next_on_a_filtered_listing_stays_in_its_filter() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let job_id = first_id(&app, &token, "/v7/Jobs").await;
    let mut path = format!("/v7/JobSessions?jobId={job_id}&limit=5");
    let mut pages = 0;
    loop {
        let page = app.json(&path, &token).await;
        for session in page["results"].as_array().unwrap() {
            assert!(
                session["_links"]["job"]["href"]
                    .as_str()
                    .unwrap()
                    .ends_with(&job_id),
                "{path} left job {job_id}"
            );
        }
        pages += 1;
        match page["_links"]["next"]["href"].as_str() {
            Some(next) => {
                assert!(next.contains(&format!("jobId={job_id}")), "{next}");
                path = next.to_owned();
            }
            None => break,
        }
    }
    assert!(pages > 2, "the job's sessions span several pages");
}

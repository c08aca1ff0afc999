//! The polling loop of a v3 Grafana dashboard script, checking that what it reads agrees.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

/// How the dashboard script turns a status into a number for its time series.
fn status_code(status: &str) -> u8 {
    match status {
        "Success" => 1,
        "Warning" => 2,
        "Failed" => 3,
        _ => 0,
    }
}

#[tokio::test]
async fn a_v3_dashboard_loop_reads_a_consistent_world() {
    let app = spawn_app().await;
    let token = app.access_token().await;

    let organizations = app.json("/v3/Organizations", &token).await;
    let mut organization_names = HashSet::new();
    for organization in organizations.as_array().unwrap() {
        let id = organization["id"].as_str().unwrap();
        organization_names.insert(organization["name"].as_str().unwrap().to_owned());
        let licensing = app
            .json(
                &format!("/v3/Organizations/{id}/LicensingInformation"),
                &token,
            )
            .await;
        assert!(licensing["licensedUsers"].as_u64().unwrap() > 0);
        assert_eq!(organization["isBackedup"], true);
    }

    let repositories = app.json("/v3/BackupRepositories", &token).await;
    let proxies = app.json("/v3/Proxies", &token).await;
    let proxy_ids: HashSet<&str> = proxies
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let mut repository_ids = HashSet::new();
    for repository in repositories.as_array().unwrap() {
        assert!(proxy_ids.contains(repository["proxyId"].as_str().unwrap()));
        repository_ids.insert(repository["id"].as_str().unwrap().to_owned());
    }

    let jobs = app.json("/v3/Jobs", &token).await;
    let mut running = 0;
    let mut statuses: HashMap<u8, usize> = HashMap::new();
    for job in jobs.as_array().unwrap() {
        let job_id = job["id"].as_str().unwrap();
        let repository = job["_links"]["backupRepository"]["href"].as_str().unwrap();
        assert!(
            repository_ids
                .iter()
                .any(|id| repository.ends_with(id.as_str()))
        );
        let sessions = app
            .json(
                &format!("/v3/Jobs/{job_id}/jobsessions?limit=10000"),
                &token,
            )
            .await;
        for session in sessions.as_array().unwrap() {
            assert!(
                session["_links"]["job"]["href"]
                    .as_str()
                    .unwrap()
                    .ends_with(job_id)
            );
            let status = session["status"].as_str().unwrap();
            *statuses.entry(status_code(status)).or_default() += 1;
            let log = app.follow(&session["_links"]["log"]["href"], &token).await;
            check_log_agrees_with_session(session, log.as_array().unwrap());
            if status == "Running" {
                running += 1;
            }
        }
    }
    assert_eq!(running, 1, "one session is still running");
    assert!(
        statuses[&1] > statuses[&2] && statuses[&2] > 0 && statuses[&3] > 0,
        "{statuses:?}"
    );

    let restores = app.json("/v3/RestoreSessions", &token).await;
    for restore in restores["results"].as_array().unwrap() {
        assert!(organization_names.contains(restore["organization"].as_str().unwrap()));
    }
}

/// Every page of a v7 collection, following `next` links.
async fn all_pages(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut page = app.json(path, token).await;
    loop {
        items.extend(page["results"].as_array().expect("a page").iter().cloned());
        let Some(next) = page["_links"]["next"]["href"].as_str() else {
            return items;
        };
        page = app.json(next, token).await;
    }
}

fn ids(values: &[Value]) -> HashSet<String> {
    values
        .iter()
        .map(|value| value["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_v7_dashboard_loop_reads_a_consistent_world() {
    let app = spawn_app().await;
    let token = app.access_token().await;

    let instance = app.json("/v7/ServiceInstance", &token).await;
    assert!(instance["version"].as_str().unwrap().starts_with("7."));

    let organizations = app.json("/v7/Organizations", &token).await;
    let mut users_by_organization = HashMap::new();
    let mut groups = HashSet::new();
    let mut sites = HashSet::new();
    let mut teams = HashSet::new();
    for organization in organizations.as_array().unwrap() {
        let id = organization["id"].as_str().unwrap();
        let base = format!("/v7/Organizations/{id}");
        let licensing = app
            .json(&format!("{base}/LicensingInformation"), &token)
            .await;
        let licensed = all_pages(
            &app,
            &format!("/v7/LicensedUsers?organizationId={id}&limit=2"),
            &token,
        )
        .await;
        assert_eq!(
            licensing["licensedUsers"].as_u64().unwrap() as usize,
            licensed.len()
        );
        let users = all_pages(&app, &format!("{base}/Users?limit=2"), &token).await;
        let names: HashSet<&str> = users.iter().map(|u| u["name"].as_str().unwrap()).collect();
        for user in &licensed {
            assert!(
                names.contains(user["name"].as_str().unwrap()),
                "licensed {user} is a user"
            );
            assert_eq!(user["backedUpOrganizationId"], organization["id"]);
        }
        for user in users.iter().filter(|user| user["type"] == "User") {
            let user_id = user["id"].as_str().unwrap();
            let drives =
                all_pages(&app, &format!("{base}/Users/{user_id}/OneDrives"), &token).await;
            assert!(
                drives
                    .iter()
                    .all(|drive| drive["url"].as_str().unwrap().starts_with("https://"))
            );
            assert!(!drives.is_empty());
        }
        groups.extend(ids(
            &all_pages(&app, &format!("{base}/Groups"), &token).await
        ));
        sites.extend(ids(&all_pages(
            &app,
            &format!("{base}/Sites?includePersonalSites=true"),
            &token,
        )
        .await));
        teams.extend(ids(&all_pages(&app, &format!("{base}/Teams"), &token).await));
        users_by_organization.insert(id.to_owned(), ids(&users));
    }

    let proxies = app.json("/v7/Proxies?extendedView=true", &token).await;
    let proxy_ids = ids(proxies.as_array().unwrap());
    for proxy in proxies.as_array().unwrap() {
        assert!(proxy["threadsNumber"].as_u64().unwrap() > 0, "{proxy}");
    }
    let repositories = app.json("/v7/BackupRepositories", &token).await;
    let repositories = repositories.as_array().unwrap();
    for repository in repositories {
        assert!(proxy_ids.contains(repository["proxyId"].as_str().unwrap()));
        if let Some(storage) = repository["objectStorageId"].as_str() {
            let storage = app
                .json(&format!("/v7/objectstoragerepositories/{storage}"), &token)
                .await;
            let held = repository["capacityBytes"].as_u64().unwrap()
                - repository["freeSpaceBytes"].as_u64().unwrap();
            assert!(storage["usedSpaceBytes"].as_u64().unwrap() >= held);
        }
    }
    let repository_ids = ids(repositories);

    let jobs = app.json("/v7/Jobs", &token).await;
    for job in jobs.as_array().unwrap() {
        let job_id = job["id"].as_str().unwrap();
        let repository = job["_links"]["backupRepository"]["href"].as_str().unwrap();
        let repository = repository.rsplit('/').next().unwrap();
        assert!(repository_ids.contains(repository));
        let sessions = all_pages(
            &app,
            &format!("/v7/JobSessions?jobId={job_id}&limit=100"),
            &token,
        )
        .await;
        assert!(!sessions.is_empty());
        for session in &sessions {
            assert_eq!(session["repositoryId"].as_str().unwrap(), repository);
            assert!(
                session["_links"]["job"]["href"]
                    .as_str()
                    .unwrap()
                    .ends_with(job_id)
            );
            assert!(session["statistics"]["transferredDataBytes"].is_u64());
        }
    }

    let roles = app.json("/v7/RbacRoles", &token).await;
    for role in roles.as_array().unwrap() {
        let id = role["id"].as_str().unwrap();
        let users = &users_by_organization[role["organizationId"].as_str().unwrap()];
        let operators = app
            .json(&format!("/v7/RbacRoles/{id}/operators"), &token)
            .await;
        let selected = app
            .json(&format!("/v7/RbacRoles/{id}/selectedItems"), &token)
            .await;
        for item in operators
            .as_array()
            .unwrap()
            .iter()
            .chain(selected.as_array().unwrap())
        {
            let item_id = item["id"].as_str().unwrap().to_owned();
            let known = match item["type"].as_str().unwrap() {
                "User" => users.contains(&item_id),
                "Group" => groups.contains(&item_id),
                "Site" => sites.contains(&item_id),
                "Team" => teams.contains(&item_id),
                other => panic!("unknown item type {other}"),
            };
            assert!(known, "{item}");
        }
    }

    let portal = app.json("/v7/RestorePortalSettings", &token).await;
    assert_eq!(portal["isEnabled"], true);
    assert!(portal["applicationId"].as_str().unwrap().len() == 36);
}

/// The first 30 items (the default page) say what the session says: processed objects are
/// the processing items that did not fail, a Warning session has a `[Warning]` item, a
/// Failed one a `[Failed]` item, and a finished session's last item is its end.
fn check_log_agrees_with_session(session: &Value, log: &[Value]) {
    let titles: Vec<&str> = log
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect();
    assert!(
        titles[0].starts_with("[Success] Job started at "),
        "{titles:?}"
    );
    let processed = titles
        .iter()
        .filter(|title| title.contains("] Processing ") && !title.starts_with("[Failed]"))
        .count() as u64;
    assert_eq!(
        session["statistics"]["processedObjects"], processed,
        "{titles:?}"
    );
    let last = titles.last().unwrap();
    match session["status"].as_str().unwrap() {
        "Success" => assert!(last.starts_with("[Success] Job finished at "), "{last}"),
        "Warning" => {
            assert!(
                titles
                    .iter()
                    .any(|title| title.starts_with("[Warning] Processing"))
            );
            assert!(
                last.starts_with("[Warning] Job finished with warnings at "),
                "{last}"
            );
        }
        "Failed" => {
            assert!(
                titles
                    .iter()
                    .any(|title| title.starts_with("[Failed] Processing"))
            );
            assert!(
                last.starts_with("[Failed] Job finished with errors at "),
                "{last}"
            );
        }
        "Running" => assert!(!last.contains("Job finished")),
        other => panic!("unexpected status {other}"),
    }
}

//! The polling loop of a v3 Grafana dashboard script, checking that what it reads agrees.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::helpers::spawn_app;

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

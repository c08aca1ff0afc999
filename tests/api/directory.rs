//! Organizations' users, OneDrives, groups, sites and teams, object storage, restore
//! operator roles, the restore portal and proxies' extended view, in every version.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{SEED_ORGANIZATION, TestApp, keys, problems, spawn_app, spawn_app_with};

async fn status_of(app: &TestApp, path: &str, token: &str) -> u16 {
    app.get(path, Some(token)).await.status().as_u16()
}

async fn error_of(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let response = app.get(path, Some(token)).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// GETs a `_links` entry, relative (v6 on) or absolute on the test server.
async fn follow(app: &TestApp, link: &Value, token: &str) -> Value {
    let href = link["href"].as_str().expect("a link has an href");
    app.json(href.strip_prefix(&app.base).unwrap_or(href), token)
        .await
}

fn results(page: &Value) -> Vec<Value> {
    page["results"].as_array().expect("a page").clone()
}

fn texts<'a>(values: &'a [Value], field: &str) -> Vec<&'a str> {
    values.iter().map(|v| v[field].as_str().unwrap()).collect()
}

#[tokio::test]
async fn users_filter_by_name_and_location_and_page_links_keep_the_filter() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let base = format!("/v7/Organizations/{SEED_ORGANIZATION}/Users");
    let all = results(&app.json(&base, &token).await);
    assert_eq!(
        texts(&all, "name"),
        [
            "petep@eastsupport.onmicrosoft.com",
            "alexw@eastsupport.onmicrosoft.com",
            "meganb@eastsupport.onmicrosoft.com",
            "info@eastsupport.onmicrosoft.com"
        ]
    );
    assert_eq!(all[0]["displayName"], "Pete P");
    assert_eq!(all[3]["type"], "Shared");

    let by_name = results(&app.json(&format!("{base}?userName=ALEX"), &token).await);
    assert_eq!(
        texts(&by_name, "name"),
        ["alexw@eastsupport.onmicrosoft.com"]
    );
    let on_premises = app
        .json(&format!("{base}?locationFilter=OnPremises"), &token)
        .await;
    assert_eq!(on_premises["totalCount"], 0);
    let cloud = app
        .json(
            &format!("{base}?locationFilter=cloudOrHybrid&limit=1"),
            &token,
        )
        .await;
    assert_eq!(cloud["totalCount"], 4);
    assert_eq!(
        cloud["_links"]["next"]["href"],
        format!("{base}?locationFilter=cloudOrHybrid&offset=1&limit=1")
    );
    let next = follow(&app, &cloud["_links"]["next"], &token).await;
    assert_eq!(results(&next)[0]["id"], all[1]["id"]);

    let (status, body) = error_of(&app, &format!("{base}?locationFilter=Mars"), &token).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("locationFilter"));
    let (status, body) = error_of(
        &app,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/Users?dataSource=Tape"),
        &token,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errorCode"], "ParameterValidationFailure");
}

#[tokio::test]
async fn licensed_users_are_organization_users_and_each_has_a_onedrive() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let organizations = app.json("/v6/Organizations", &token).await;
    for organization in organizations.as_array().unwrap() {
        let id = organization["id"].as_str().unwrap();
        let users = results(
            &app.json(&format!("/v6/Organizations/{id}/Users?limit=1000"), &token)
                .await,
        );
        let names: HashSet<&str> = texts(&users, "name").into_iter().collect();
        let licensed = results(
            &app.json(&format!("/v6/LicensedUsers?organizationId={id}"), &token)
                .await,
        );
        assert!(!licensed.is_empty());
        for user in &licensed {
            assert!(names.contains(user["name"].as_str().unwrap()), "{user}");
        }
        for user in &users {
            let drives = follow(&app, &user["_links"]["oneDrives"], &token).await;
            let drives = results(&drives);
            if user["type"] == "User" {
                assert_eq!(drives.len(), 1, "{user}");
                let local = user["name"].as_str().unwrap().split('@').next().unwrap();
                assert!(drives[0]["url"].as_str().unwrap().contains(local));
                let one = follow(&app, &drives[0]["_links"]["self"], &token).await;
                assert_eq!(one, drives[0]);
            } else {
                assert!(drives.is_empty());
            }
        }
    }
}

#[tokio::test]
async fn sites_leave_out_personal_sites_unless_asked_and_find_children_by_parent() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let base = format!("/v7/Organizations/{SEED_ORGANIZATION}/Sites");
    let shared = results(&app.json(&base, &token).await);
    assert!(shared.iter().all(|site| site["isPersonal"] == false));
    let everything = app
        .json(&format!("{base}?includePersonalSites=true"), &token)
        .await;
    assert_eq!(
        everything["totalCount"].as_u64().unwrap() as usize,
        shared.len() + 3,
        "one personal site per mailbox owner"
    );
    let found = results(
        &app.json(&format!("{base}?filter=Communication"), &token)
            .await,
    );
    assert_eq!(texts(&found, "title"), ["Communication site"]);
    let root = found[0]["id"].as_str().unwrap();
    let children = app.json(&format!("{base}?parentId={root}"), &token).await;
    assert_eq!(children["totalCount"], 0);
    assert_eq!(
        status_of(&app, &format!("{base}?parentId=nothing-here"), &token).await,
        404
    );
    assert_eq!(
        status_of(
            &app,
            &format!("{base}?includePersonalSites=perhaps"),
            &token
        )
        .await,
        400
    );
}

#[tokio::test]
async fn resources_appear_in_the_versions_that_have_them() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let organization = format!("Organizations/{SEED_ORGANIZATION}");

    let v3 = app.json(&format!("/v3/{organization}/Users"), &token).await;
    assert_eq!(keys(&v3), ["_links", "limit", "offset", "results"]);
    let user = &results(&v3)[0];
    assert_eq!(
        keys(user),
        [
            "_links",
            "displayName",
            "id",
            "locationType",
            "name",
            "type"
        ]
    );
    assert!(
        user["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/v3/Organizations/", app.base))
    );
    let v7 = results(&app.json(&format!("/v7/{organization}/Users"), &token).await);
    assert_eq!(v7[0]["office"], "Redmond");

    for (path, versions) in [
        (
            format!("{organization}/Users"),
            [200, 200, 200, 200, 200, 200],
        ),
        (
            format!("{organization}/Groups"),
            [200, 200, 200, 200, 200, 200],
        ),
        (
            format!("{organization}/Sites"),
            [200, 200, 200, 200, 200, 200],
        ),
        (
            format!("{organization}/Teams"),
            [404, 404, 200, 200, 200, 200],
        ),
        (
            "objectstoragerepositories".to_owned(),
            [404, 404, 200, 200, 200, 404],
        ),
        ("RbacRoles".to_owned(), [404, 404, 404, 200, 200, 200]),
        (
            format!("{organization}/RbacRoles"),
            [404, 404, 404, 200, 200, 200],
        ),
        (
            "RestorePortalSettings".to_owned(),
            [404, 404, 404, 200, 200, 200],
        ),
    ] {
        for (version, expected) in ["v3", "v4", "v5", "v6", "v7", "v8"]
            .into_iter()
            .zip(versions)
        {
            let full = format!("/{version}/{path}");
            assert_eq!(status_of(&app, &full, &token).await, expected, "{full}");
        }
    }

    let v6_portal = app.json("/v6/RestorePortalSettings", &token).await;
    assert_eq!(
        keys(&v6_portal),
        ["applicationId", "isEnabled", "msalAuthorityUri"]
    );
    let v7_portal = app.json("/v7/restoreportalsettings/", &token).await;
    assert_eq!(v7_portal["isEnabled"], true);
    assert_eq!(v7_portal["applicationId"], v6_portal["applicationId"]);
    assert!(
        v7_portal["restorePortalUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}

#[tokio::test]
async fn unknown_ids_are_404_and_malformed_ones_400_in_each_versions_shape() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let unknown = "00000000-0000-0000-0000-0000000000aa";
    let organization = format!("Organizations/{SEED_ORGANIZATION}");
    for (path, status) in [
        (format!("/v8/{organization}/Users/{unknown}"), 404),
        (format!("/v8/{organization}/Users/not-a-user"), 404),
        (format!("/v8/{organization}/Groups/{unknown}"), 404),
        (format!("/v8/{organization}/Teams/not-a-guid"), 400),
        (format!("/v8/Organizations/{unknown}/Sites"), 404),
        ("/v8/Organizations/x/Users".to_owned(), 400),
        ("/v8/RbacRoles/not-a-guid".to_owned(), 400),
        (format!("/v8/RbacRoles/{unknown}/operators"), 404),
        (format!("/v8/{organization}/Users?offset=-1"), 400),
    ] {
        let (actual, body) = error_of(&app, &path, &token).await;
        assert_eq!(actual, status, "{path}");
        let code = if status == 404 {
            "ResourceNotFound"
        } else {
            "ParameterValidationFailure"
        };
        assert_eq!(body["errorCode"], code, "{path}");
    }
    let (status, body) = error_of(
        &app,
        &format!("/v5/{organization}/Users/{unknown}/OneDrives"),
        &token,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(keys(&body), ["message"]);
    let roles = app.json("/v7/RbacRoles", &token).await;
    let role = roles[0]["id"].as_str().unwrap();
    assert_eq!(
        status_of(
            &app,
            &format!("/v7/RbacRoles/{role}/operators/{unknown}"),
            &token
        )
        .await,
        404
    );
}

#[tokio::test]
async fn object_storage_holds_what_its_repositories_hold() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let storages = app.json("/v7/objectstoragerepositories", &token).await;
    let storages = storages.as_array().unwrap();
    let repositories = app.json("/v7/BackupRepositories", &token).await;
    let repositories = repositories.as_array().unwrap();
    let sessions = results(&app.json("/v7/JobSessions?limit=10000", &token).await);
    let jobs = app.json("/v7/Jobs", &token).await;
    let mut backed = 0;
    for storage in storages {
        let id = storage["id"].as_str().unwrap();
        let mine: Vec<&Value> = repositories
            .iter()
            .filter(|repository| repository["objectStorageId"] == storage["id"])
            .collect();
        let held: u64 = mine
            .iter()
            .map(|r| r["capacityBytes"].as_u64().unwrap() - r["freeSpaceBytes"].as_u64().unwrap())
            .sum();
        assert_eq!(storage["usedSpaceBytes"].as_u64().unwrap(), held, "{id}");
        let written: u64 = sessions
            .iter()
            .filter(|session| {
                mine.iter()
                    .any(|repository| session["repositoryId"] == repository["id"])
            })
            .map(|session| {
                session["statistics"]["transferredDataBytes"]
                    .as_u64()
                    .unwrap()
            })
            .sum();
        assert!(held >= written);
        if !mine.is_empty() {
            backed += 1;
            assert!(
                written > 0,
                "the sessions of {id}'s repositories wrote to it"
            );
        }
        if storage["sizeLimitEnabled"] == true {
            let limit = storage["sizeLimitGB"].as_u64().unwrap() << 30;
            assert_eq!(storage["freeSpaceBytes"].as_u64().unwrap(), limit - held);
        } else {
            assert!(storage["freeSpaceBytes"].is_null());
        }
        let one = app
            .json(&format!("/v7/objectstoragerepositories/{id}"), &token)
            .await;
        assert_eq!(&one, storage);
    }
    assert_eq!(
        backed, 3,
        "three repositories keep their data in object storage: fabrikam's, northwind's and the archive of fabrikam's copies"
    );
    assert!(jobs.as_array().unwrap().len() > 1);

    let long_term = app
        .json("/v7/objectstoragerepositories?longTerm=true", &token)
        .await;
    assert_eq!(
        texts(long_term.as_array().unwrap(), "type"),
        ["AmazonS3Glacier", "AzureBlobArchive"]
    );
    let (status, _) = error_of(&app, "/v7/objectstoragerepositories?longTerm=2", &token).await;
    assert_eq!(status, 400);

    let v8 = results(&app.json("/v8/BackupRepositories", &token).await);
    let embedded: Vec<&Value> = v8
        .iter()
        .map(|repository| &repository["objectStorage"])
        .filter(|storage| !storage.is_null())
        .collect();
    assert_eq!(embedded.len(), 3);
    for storage in embedded {
        let listed = storages.iter().find(|s| s["id"] == storage["id"]).unwrap();
        assert_eq!(storage["usedSpaceBytes"], listed["usedSpaceBytes"]);
        assert!(storage.get("name").is_none());
    }
}

#[tokio::test]
async fn the_extended_view_adds_throttling_for_online_proxies() {
    let file = json!({
        "format": 1,
        "proxies": [
            {"id": "22222222-2222-2222-2222-222222222222", "hostName": "up.local", "threadsNumber": 32},
            {"id": "22222222-2222-2222-2222-222222222223", "hostName": "down.local", "isOnline": false}
        ]
    });
    let path = std::env::temp_dir().join(format!("vb365-mock-{}-proxies.json", std::process::id()));
    std::fs::write(&path, file.to_string()).unwrap();
    let app = spawn_app_with(&["--world", path.to_str().unwrap()]).await;
    let token = app.access_token().await;
    let plain = app.json("/v7/Proxies", &token).await;
    assert_eq!(
        plain[0]["threadsNumber"], 32,
        "dashboards read it without the view"
    );
    assert_eq!(plain[0]["throttlingUnit"], Value::Null);
    let extended = app.json("/v7/Proxies?ExtendedView=True", &token).await;
    assert_eq!(extended[0]["threadsNumber"], 32);
    assert_eq!(extended[0]["throttlingUnit"], "Mbps");
    assert_eq!(extended[0]["type"], "Domain");
    assert_eq!(
        extended[1]["throttlingUnit"],
        Value::Null,
        "offline: the short view"
    );
    let one = app
        .json(
            "/v6/Proxies/22222222-2222-2222-2222-222222222222?extendedView=true",
            &token,
        )
        .await;
    assert_eq!(one["threadsNumber"], 32);
    assert_eq!(
        app.json("/v3/Proxies", &token).await[0]["threadsNumber"],
        32
    );
    let v8 = app.json("/v8/Proxies?extendedView=true", &token).await;
    assert!(results(&v8)[0].get("threadsNumber").is_none());
    assert_eq!(
        status_of(&app, "/v7/Proxies?extendedView=yes", &token).await,
        400
    );
}

#[tokio::test]
async fn roles_name_operators_and_items_of_their_own_organization() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let roles = app.json("/v7/RbacRoles", &token).await;
    let roles = roles.as_array().unwrap();
    let organizations = app.json("/v7/Organizations", &token).await;
    assert_eq!(roles.len(), 2 * organizations.as_array().unwrap().len());
    let mut team_items = 0;
    for role in roles {
        let organization = role["organizationId"].as_str().unwrap();
        let base = format!("/v7/Organizations/{organization}");
        let operators = follow(&app, &role["_links"]["operators"], &token).await;
        let selected = follow(&app, &role["_links"]["selectedItems"], &token).await;
        let excluded = follow(&app, &role["_links"]["excludedItems"], &token).await;
        assert!(!operators.as_array().unwrap().is_empty());
        if role["roleType"] == "EntireOrganization" {
            assert!(selected.as_array().unwrap().is_empty());
        } else {
            assert!(!selected.as_array().unwrap().is_empty());
        }
        for item in operators
            .as_array()
            .unwrap()
            .iter()
            .chain(selected.as_array().unwrap())
            .chain(excluded.as_array().unwrap())
        {
            let kind = item["type"].as_str().unwrap();
            let id = item["id"].as_str().unwrap();
            let (collection, field) = match kind {
                "User" => ("Users", "user"),
                "Group" => ("Groups", "group"),
                "Site" => ("Sites", "site"),
                _ => ("Teams", "team"),
            };
            team_items += usize::from(kind == "Team");
            let object = app.json(&format!("{base}/{collection}/{id}"), &token).await;
            assert_eq!(object["id"], item[field]["id"], "{item}");
            let again = follow(&app, &item["_links"]["self"], &token).await;
            assert_eq!(&again, item);
        }
        let of_organization = app.json(&format!("{base}/RbacRoles"), &token).await;
        assert!(of_organization.as_array().unwrap().contains(role));
    }
    assert!(team_items > 0);
    let v6_items: Vec<Value> = {
        let mut all = Vec::new();
        for role in roles {
            let id = role["id"].as_str().unwrap();
            let items = app
                .json(&format!("/v6/RbacRoles/{id}/selectedItems"), &token)
                .await;
            all.extend(items.as_array().unwrap().iter().cloned());
        }
        all
    };
    assert!(!v6_items.is_empty());
    assert!(
        v6_items.iter().all(|item| item["type"] != "Team"),
        "v6 has no Team items"
    );
}

#[tokio::test]
async fn a_world_file_shapes_directories_roles_storage_and_the_portal() {
    let organization = "11111111-1111-1111-1111-111111111111";
    let other = "11111111-1111-1111-1111-111111111112";
    let mut file = json!({
        "format": 1,
        "organizations": [
            {"id": organization, "name": "tiny.onmicrosoft.com"},
            {"id": other, "name": "other.onmicrosoft.com"}
        ],
        "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "p"}],
        "objectStorages": [{"id": "77777777-7777-7777-7777-777777777777", "name": "MinIO",
                            "bucket": "backups", "endpoint": "https://minio.local:9000",
                            "sizeLimitGB": 100}],
        "repositories": [{"name": "r", "proxyId": "22222222-2222-2222-2222-222222222222",
                          "baselineUsedBytes": 1000,
                          "objectStorageId": "77777777-7777-7777-7777-777777777777"}],
        "organizationUsers": [
            {"id": "88888888-8888-8888-8888-888888888881", "organizationId": organization,
             "name": "ann@tiny.onmicrosoft.com", "locationType": "Hybrid",
             "oneDrives": [{"url": "https://tiny-my.sharepoint.com/personal/ann"}]},
            {"id": "88888888-8888-8888-8888-888888888882", "organizationId": other,
             "name": "bob@other.onmicrosoft.com"}
        ],
        "groups": [{"id": "99999999-9999-9999-9999-999999999991", "organizationId": organization,
                    "name": "ops@tiny.onmicrosoft.com", "type": "Security"}],
        "sites": [{"organizationId": organization, "url": "https://tiny.sharepoint.com/sites/ops/"}],
        "teams": [{"organizationId": organization, "displayName": "Ops"}],
        "rbacRoles": [{"id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "organizationId": organization,
                       "name": "Ops restores", "roleType": "SpecificObjects",
                       "operators": [{"type": "Group", "id": "99999999-9999-9999-9999-999999999991"}],
                       "selectedItems": [{"type": "User", "id": "88888888-8888-8888-8888-888888888881"}]}],
        "restorePortal": {"isEnabled": true, "applicationId": "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb",
                          "restorePortalUri": "https://restore.tiny.local"}
    });
    let app = spawn_app().await;
    let replaced = app.admin(Method::PUT, "/__admin/world", Some(&file)).await;
    assert_eq!(replaced.status(), 200);
    let token = app.access_token().await;

    let users = results(
        &app.json(&format!("/v7/Organizations/{organization}/Users"), &token)
            .await,
    );
    assert_eq!(texts(&users, "displayName"), ["ann"]);
    assert_eq!(users[0]["locationType"], "Hybrid");
    let drives = follow(&app, &users[0]["_links"]["oneDrives"], &token).await;
    assert_eq!(results(&drives)[0]["name"], "OneDrive");
    let sites = results(
        &app.json(&format!("/v7/Organizations/{organization}/Sites"), &token)
            .await,
    );
    assert_eq!(sites[0]["title"], "ops");
    let storage = app.json("/v7/objectstoragerepositories", &token).await;
    assert_eq!(storage[0]["usedSpaceBytes"], 1000);
    assert_eq!(storage[0]["freeSpaceBytes"], (100u64 << 30) - 1000);
    let items = app
        .json(
            "/v7/RbacRoles/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/selectedItems",
            &token,
        )
        .await;
    assert_eq!(items[0]["user"]["name"], "ann@tiny.onmicrosoft.com");
    let portal = app.json("/v7/RestorePortalSettings", &token).await;
    assert_eq!(
        portal["applicationId"],
        "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
    );

    let exported: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        exported["rbacRoles"][0]["operators"],
        file["rbacRoles"][0]["operators"]
    );
    assert_eq!(
        exported["restorePortal"]["restorePortalUri"],
        "https://restore.tiny.local"
    );

    file["rbacRoles"][0]["operators"] = json!([
        {"type": "Site", "id": "88888888-8888-8888-8888-888888888881"},
        {"type": "User", "id": "88888888-8888-8888-8888-888888888882"}
    ]);
    file["rbacRoles"][0]["roleType"] = json!("EntireOrganization");
    file["repositories"][0]["objectStorageId"] = json!("77777777-7777-7777-7777-777777777770");
    let refused = app.admin(Method::PUT, "/__admin/world", Some(&file)).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    let problems = problems(&body);
    assert_eq!(
        problems,
        [
            "repositories[0].objectStorageId: no object storage with this id",
            "rbacRoles[0].selectedItems: a role for the entire organization selects no items",
            "rbacRoles[0].operators[0].type: operators are users or groups",
            "rbacRoles[0].operators[0].id: no object of this type with this id in the role's organization",
            "rbacRoles[0].operators[1].id: no object of this type with this id in the role's organization"
        ]
    );
    let still = results(
        &app.json(&format!("/v7/Organizations/{organization}/Users"), &token)
            .await,
    );
    assert_eq!(still, users, "a refused world changes nothing");
}

#[tokio::test]
async fn licensed_users_filter_by_name_with_wildcards_from_v6() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let by_name = results(&app.json("/v6/LicensedUsers?name=ALEX*@EAST*", &token).await);
    assert_eq!(
        texts(&by_name, "name"),
        ["alexw@eastsupport.onmicrosoft.com"]
    );
    let exact = results(
        &app.json(
            "/v7/LicensedUsers?name=meganb@eastsupport.onmicrosoft.com",
            &token,
        )
        .await,
    );
    assert_eq!(exact.len(), 1);
    let single = results(
        &app.json("/v7/LicensedUsers?name=pete?@east*&limit=1", &token)
            .await,
    );
    assert_eq!(
        texts(&single, "name"),
        ["petep@eastsupport.onmicrosoft.com"]
    );
    let v5 = app
        .json("/v5/LicensedUsers?name=nobody&limit=1", &token)
        .await;
    assert_eq!(
        results(&v5).len(),
        1,
        "v5 has no name filter and ignores it"
    );
    let backed_up = app
        .json(
            &format!("/v8/LicensedUsers?backedUpOrganizationId={SEED_ORGANIZATION}"),
            &token,
        )
        .await;
    assert_eq!(results(&backed_up).len(), 3);
    assert_eq!(
        status_of(&app, "/v8/LicensedUsers?backedUpOrganizationId=x", &token).await,
        400
    );
}

#[tokio::test]
async fn users_and_groups_synchronised_from_premises_name_their_sid_from_v7() {
    let organization = "11111111-1111-1111-1111-111111111111";
    let sid = "S-1-5-21-3623811015-3361044348-30300820-1013";
    let group_sid = "S-1-5-21-3623811015-3361044348-30300820-1150";
    let mut file = json!({
        "format": 1,
        "organizations": [{"id": organization, "name": "tiny.onmicrosoft.com"}],
        "organizationUsers": [
            {"id": "88888888-8888-8888-8888-888888888881", "organizationId": organization,
             "name": "ann@tiny.onmicrosoft.com", "locationType": "Hybrid", "onPremisesSid": sid},
            {"id": "88888888-8888-8888-8888-888888888882", "organizationId": organization,
             "name": "bob@tiny.onmicrosoft.com"}
        ],
        "groups": [{"id": "99999999-9999-9999-9999-999999999991", "organizationId": organization,
                    "name": "ops@tiny.onmicrosoft.com", "type": "Security",
                    "locationType": "OnPremises", "onPremisesSid": group_sid}],
        "rbacRoles": [{"id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "organizationId": organization,
                       "name": "Ops restores", "roleType": "SpecificObjects",
                       "operators": [{"type": "Group", "id": "99999999-9999-9999-9999-999999999991"}],
                       "selectedItems": [{"type": "User", "id": "88888888-8888-8888-8888-888888888881"}]}]
    });
    let app = spawn_app().await;
    let replaced = app.admin(Method::PUT, "/__admin/world", Some(&file)).await;
    assert_eq!(replaced.status(), 200);
    let token = app.access_token().await;

    for version in ["v7", "v8"] {
        let users = results(
            &app.json(
                &format!("/{version}/Organizations/{organization}/Users"),
                &token,
            )
            .await,
        );
        assert_eq!(users[0]["onPremisesSid"], sid, "{version}");
        assert!(users[1]["onPremisesSid"].is_null(), "{version}: cloud-only");
        let groups = results(
            &app.json(
                &format!("/{version}/Organizations/{organization}/Groups"),
                &token,
            )
            .await,
        );
        assert_eq!(groups[0]["onPremisesSid"], group_sid, "{version}");
        let role = format!("/{version}/RbacRoles/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        let items = app.json(&format!("{role}/selectedItems"), &token).await;
        assert_eq!(items[0]["user"]["onPremisesSid"], sid, "{version}");
        let operators = app.json(&format!("{role}/operators"), &token).await;
        assert_eq!(
            operators[0]["group"]["onPremisesSid"], group_sid,
            "{version}"
        );
    }
    let users = results(
        &app.json(&format!("/v6/Organizations/{organization}/Users"), &token)
            .await,
    );
    assert!(users[0].get("onPremisesSid").is_none(), "v6 has none");
    let v8_users = results(
        &app.json(&format!("/v8/Organizations/{organization}/Users"), &token)
            .await,
    );
    assert!(v8_users[0]["assignedLicenses"].is_null());

    let exported: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported["organizationUsers"][0]["onPremisesSid"], sid);
    assert!(
        exported["organizationUsers"][1]
            .get("onPremisesSid")
            .is_none()
    );
    assert_eq!(exported["groups"][0]["onPremisesSid"], group_sid);

    file["organizationUsers"][1]["onPremisesSid"] = json!("S-1-5-21-x");
    file["groups"][0]["onPremisesSid"] = json!("1-5-21");
    let refused = app.admin(Method::PUT, "/__admin/world", Some(&file)).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    let paths: Vec<&str> = problems(&body)
        .into_iter()
        .map(|problem| problem.split(':').next().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "organizationUsers[1].onPremisesSid",
            "groups[0].onPremisesSid"
        ]
    );
}

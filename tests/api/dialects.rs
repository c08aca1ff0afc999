//! Error shapes in each version's dialect, over every route the version serves: called in
//! process, with the route list taken from the router itself, so a new route is covered
//! the moment it is added.

use serde_json::Value;
use vb365_mock::api;
use vb365_mock::wire::Version;

use crate::helpers::{Answer, in_process};

/// The keys of an error body in `version`'s dialect, sorted.
fn error_keys(version: Version) -> &'static [&'static str] {
    match version {
        Version::V3 | Version::V4 | Version::V5 | Version::V6 => &["message"],
        Version::V7 => &["errorCode", "message"],
        Version::V8 => &["errorCode", "message", "stackTrace"],
    }
}

fn assert_dialect(version: Version, what: &str, answer: &Answer) {
    assert_eq!(
        answer.headers["content-type"], "application/json; charset=utf-8",
        "{what}"
    );
    let body = answer.json();
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, error_keys(version), "{what}: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}"
    );
    if version == Version::V7 {
        assert_eq!(body["errorCode"], Value::Null, "{what}");
    }
    if version == Version::V8 {
        assert!(body["errorCode"].is_string(), "{what}: {body}");
    }
}

/// `template` with every parameter replaced by `value`.
fn fill(template: &str, value: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                value
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_the_versions_404_or_400_on_every_route() {
    let app = in_process(&[]);
    let mut checked = 0;
    for version in Version::ALL {
        for route in api::routes(version).table() {
            if route.method != "GET"
                || !route.path.contains('{')
                || !route.required_query.is_empty()
            {
                continue;
            }
            let unknown = fill(&route.path, "00000000-0000-0000-0000-0000000000ee");
            let answer = app.get(&unknown).await;
            assert_eq!(answer.status, 404, "GET {unknown}: {}", answer.text());
            assert_dialect(version, &unknown, &answer);
            let malformed = fill(&route.path, "not-a-guid");
            let answer = app.get(&malformed).await;
            assert!(
                answer.status == 400 || answer.status == 404,
                "GET {malformed}: {} {}",
                answer.status,
                answer.text()
            );
            assert_dialect(version, &malformed, &answer);
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} routes were checked");
}

#[tokio::test]
async fn every_route_but_the_token_endpoint_refuses_a_request_without_a_token() {
    let app = in_process(&[]);
    for version in Version::ALL {
        for route in api::routes(version).table() {
            if route.path.ends_with("/Token") {
                continue;
            }
            let path = fill(&route.path, "00000000-0000-0000-0000-0000000000ee");
            let answer = app.call(route.method.as_str(), &path, "", false).await;
            assert_eq!(answer.status, 401, "{} {path}", route.method);
            assert_eq!(answer.headers["www-authenticate"], "Bearer", "{path}");
            if version >= Version::V6 {
                assert!(answer.body.is_empty(), "{path}: {}", answer.text());
            } else {
                assert_dialect(version, &path, &answer);
            }
        }
    }
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_405_with_allow_in_the_versions_shape() {
    let app = in_process(&[]);
    for version in Version::ALL {
        let table = api::routes(version);
        for route in table.table() {
            let taken = |method: &str| {
                table
                    .table()
                    .iter()
                    .any(|other| other.path == route.path && other.method == method)
            };
            if taken("PATCH") {
                continue;
            }
            let path = fill(&route.path, "00000000-0000-0000-0000-0000000000ee");
            let answer = app.call("PATCH", &path, "", true).await;
            assert_eq!(answer.status, 405, "PATCH {path}");
            let allow = answer.headers["allow"].to_str().unwrap().to_owned();
            assert!(
                allow.contains(route.method.as_str()),
                "{path}: Allow {allow}"
            );
            assert_dialect(version, &path, &answer);
        }
    }
}

#[tokio::test]
async fn a_bad_paging_value_is_the_versions_400_on_every_collection() {
    let app = in_process(&[]);
    for version in Version::ALL {
        for route in api::routes(version).table() {
            if route.method != "GET" || route.path.contains('{') {
                continue;
            }
            let answer = app.get(&format!("{}?limit=-1", route.path)).await;
            if answer.status == 200 {
                // Collections that do not page (the license, the portal settings) ignore it.
                continue;
            }
            assert_eq!(answer.status, 400, "{}: {}", route.path, answer.text());
            assert_dialect(version, &route.path, &answer);
        }
    }
}

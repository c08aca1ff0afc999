//! Every `_links` href the emulator emits leads somewhere: a crawl from each version's
//! top-level collections, following every link it meets, in the example world and a
//! generated one.

use std::collections::{HashSet, VecDeque};

use serde_json::Value;
use vb365_mock::api;
use vb365_mock::wire::Version;

use crate::helpers::in_process;

/// Every `href` in a JSON value.
pub fn hrefs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, item) in object {
                match (key.as_str(), item) {
                    ("href", Value::String(href)) => found.push(href.clone()),
                    _ => hrefs(item, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| hrefs(item, found)),
        _ => {}
    }
}

/// The path of an href, absolute (v3..v5) or relative (v6 on).
pub fn path_of(href: &str) -> String {
    match href.strip_prefix("https://") {
        Some(rest) => rest[rest.find('/').unwrap_or(rest.len())..].to_owned(),
        None => href.to_owned(),
    }
}

/// Crawls from every parameterless GET route of every version; answers how many links
/// were followed, and panics on the first that does not answer 200.
async fn crawl(flags: &[&str]) -> usize {
    let app = in_process(flags);
    let mut followed = 0;
    for version in Version::ALL {
        let mut queue: VecDeque<String> = api::routes(version)
            .table()
            .iter()
            .filter(|route| {
                route.method == "GET"
                    && !route.path.contains('{')
                    && route.required_query.is_empty()
            })
            .map(|route| route.path.clone())
            .collect();
        let mut seen: HashSet<String> = queue.iter().cloned().collect();
        while let Some(path) = queue.pop_front() {
            let answer = app.get(&path).await;
            assert_eq!(answer.status, 200, "GET {path}: {}", answer.text());
            followed += 1;
            let mut found = Vec::new();
            hrefs(&answer.json(), &mut found);
            for href in found {
                let target = path_of(&href);
                assert!(
                    target.starts_with(&format!("{}/", version.prefix())),
                    "{path} links {href}, outside {version}"
                );
                // Pages of long collections are many; their first two are followed.
                let far_page = target.split(['?', '&']).any(|part| {
                    part.strip_prefix("offset=")
                        .is_some_and(|offset| offset.len() > 2)
                });
                if !far_page && seen.insert(target.clone()) {
                    queue.push_back(target);
                }
            }
        }
    }
    followed
}

#[tokio::test]
async fn every_link_of_the_example_world_answers_200_in_every_version() {
    let followed = crawl(&[]).await;
    assert!(followed > 1_000, "only {followed} links were followed");
}

#[tokio::test]
async fn every_link_of_a_generated_world_answers_200_in_every_version() {
    let followed = crawl(&["--seed", "4"]).await;
    assert!(followed > 1_000, "only {followed} links were followed");
}

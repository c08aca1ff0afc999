//! The fast renderer writes exactly the bytes of the plain one (serde_json), over every GET
//! route of every version, in the example world and a generated one.

use std::collections::HashSet;

use serde_json::Value;
use vb365_mock::api;
use vb365_mock::wire::{PlainRendering, Version};

use crate::helpers::{InProcess, in_process};

/// The ids of a listing's entries.
fn ids_of(body: &Value) -> Vec<String> {
    body.get("results")
        .unwrap_or(body)
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| entry["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every path of `version` to compare: each GET route with its parameters filled from the
/// listing before them (at most four per route), and with a page link followed.
async fn paths(app: &InProcess, version: Version) -> Vec<String> {
    let mut all = Vec::new();
    for route in api::routes(version).table() {
        if route.method != "GET" {
            continue;
        }
        let mut paths = vec![String::new()];
        for segment in route.path.split('/').skip(1) {
            let mut next = Vec::new();
            for path in &paths {
                if segment.starts_with('{') {
                    for id in ids_of(&app.get(path).await.json()).into_iter().take(4) {
                        next.push(format!("{path}/{id}"));
                    }
                } else {
                    next.push(format!("{path}/{segment}"));
                }
            }
            next.truncate(4);
            paths = next;
        }
        for path in paths {
            all.push(format!("{path}?limit=3&offset=1"));
            all.push(path);
        }
    }
    all
}

async fn compare(flags: &[&str]) -> usize {
    let app = in_process(flags);
    let mut compared = 0;
    let mut seen = HashSet::new();
    for version in Version::ALL {
        for (number, path) in paths(&app, version).await.into_iter().enumerate() {
            if !seen.insert(path.clone()) {
                continue;
            }
            // A counter the routes ignore keeps both answers out of the response cache.
            let separator = if path.contains('?') { '&' } else { '?' };
            let path = format!("{path}{separator}comparison={number}");
            let plain = {
                let _plain = PlainRendering::begin();
                app.get(&path).await
            };
            let fast = app.get(&path).await;
            assert_eq!(plain.status, fast.status, "{path}");
            assert_eq!(
                plain.text(),
                fast.text(),
                "{path}: the fast renderer differs from the plain one"
            );
            compared += 1;
        }
    }
    compared
}

#[tokio::test]
async fn the_fast_renderer_writes_the_plain_renderers_bytes_in_the_example_world() {
    let compared = compare(&[]).await;
    assert!(compared > 300, "only {compared} answers were compared");
}

#[tokio::test]
async fn the_fast_renderer_writes_the_plain_renderers_bytes_in_a_generated_world() {
    let compared = compare(&["--seed", "11", "--quirk", "v3-logitems-paged"]).await;
    assert!(compared > 300, "only {compared} answers were compared");
}

//! The bad-input corpus: every route of every version, from the router's own table, called
//! with each class of malformed id, query and body; none may answer 5xx or panic.

use vb365_mock::api;
use vb365_mock::wire::Version;

use crate::helpers::{InProcess, in_process};

/// Path ids of every malformed kind a client sends: not a GUID, the nil GUID, percent
/// escapes that decode to nothing valid, an overlong one, numbers where a GUID belongs,
/// traversal.
const BAD_IDS: &[&str] = &[
    "not-a-guid",
    "00000000-0000-0000-0000-000000000000",
    "%ZZ",
    "%00",
    "-1",
    "1e999",
    "..%2F..",
    "%7B7a1b%7D",
];

/// Query strings with values out of range, of the wrong type, or undecodable.
const BAD_QUERIES: &[&str] = &[
    "?limit=-1",
    "?limit=abc&offset=xyz",
    "?offset=99999999999999999999999",
    "?limit=0&offset=-5",
    "?orderAsc=maybe&orderBy=%FF",
    "?fromTime=yesterday&toTime=2017-13-45",
    "?ids=not-a-guid,&ids=",
    "?parentId=null&type=Nothing&status=%00",
];

/// Bodies a careless client sends to a write: none, cut short, of the wrong JSON type,
/// with fields of the wrong type, nested deeper than any parser should follow.
fn bad_bodies() -> Vec<String> {
    vec![
        String::new(),
        "{".to_owned(),
        "null".to_owned(),
        "[]".to_owned(),
        "\"text\"".to_owned(),
        r#"{"name": 5, "id": [], "type": {}, "items": "all"}"#.to_owned(),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        r#"{"ids": ["not-a-guid"], "all": true, "value": 1e999}"#.to_owned(),
    ]
}

fn with_ids(template: &str, id: &str) -> String {
    let mut path = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map_or(rest.len(), |close| open + close + 1);
        path.push_str(id);
        rest = &rest[close..];
    }
    path.push_str(rest);
    path
}

async fn assert_no_server_error(app: &InProcess, method: &str, path: &str, body: &str) {
    let answer = app.call(method, path, body, true).await;
    assert!(
        answer.status < 500,
        "{method} {path} with {} bytes of body: {} {}",
        body.len(),
        answer.status,
        answer.text()
    );
    if answer.status >= 400 && !answer.body.is_empty() {
        assert!(
            serde_json::from_slice::<serde_json::Value>(&answer.body).is_ok(),
            "{method} {path}: the error is not JSON: {}",
            answer.text()
        );
    }
}

#[tokio::test]
async fn no_route_of_any_version_answers_5xx_to_malformed_input() {
    let app = in_process(&[]);
    let bodies = bad_bodies();
    let mut calls = 0;
    for version in Version::ALL {
        for route in api::routes(version).table() {
            let method = route.method.as_str();
            let template = if route.path.starts_with(version.prefix()) {
                route.path.clone()
            } else {
                format!("{}{}", version.prefix(), route.path)
            };
            let writes = matches!(method, "POST" | "PUT" | "PATCH");
            for id in BAD_IDS {
                let body = if writes { "{}" } else { "" };
                assert_no_server_error(&app, method, &with_ids(&template, id), body).await;
                calls += 1;
            }
            let nil_ids = with_ids(&template, BAD_IDS[1]);
            for query in BAD_QUERIES {
                assert_no_server_error(&app, method, &format!("{nil_ids}{query}"), "").await;
                calls += 1;
            }
            if writes {
                for body in &bodies {
                    assert_no_server_error(&app, method, &nil_ids, body).await;
                    calls += 1;
                }
            }
        }
    }
    assert!(calls > 5_000, "the corpus walked only {calls} calls");
}

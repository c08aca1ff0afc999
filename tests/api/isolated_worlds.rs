//! Isolated worlds: made through the control API, each on its own port with its own clock,
//! tokens and journal; changed in parallel without leaking into each other.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{SEED_SESSION, TestApp, client_trusting, problems, spawn_app};

const CONTOSO_JOB_QUERY: &str = "/v3/Jobs";

/// One isolated world as a client sees it: a base URL, and the test's client.
struct Isolated {
    base: String,
    client: Client,
}

impl Isolated {
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the world answers")
    }

    async fn token(&self) -> String {
        let response = self
            .client
            .post(format!("{}/v3/Token", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("grant_type=password&username=admin&password=admin")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn json(&self, path: &str, token: &str) -> Value {
        let response = self.send(Method::GET, path, None, Some(token)).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }
}

async fn create(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let response = app
        .admin(Method::POST, "/__admin/worlds", Some(&body))
        .await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn isolated(app: &TestApp, name: &str) -> Isolated {
    let (status, body) = create(app, json!({ "name": name })).await;
    assert_eq!(status, 201, "{body}");
    let port = body["port"].as_u64().unwrap();
    assert_ne!(port, u64::from(app.server.addr.port()));
    assert_eq!(body["url"], format!("https://localhost:{port}"));
    Isolated {
        base: body["url"].as_str().unwrap().to_owned(),
        client: app.client.clone(),
    }
}

fn names(organizations: &Value) -> Vec<&str> {
    organizations
        .as_array()
        .unwrap()
        .iter()
        .map(|organization| organization["name"].as_str().unwrap())
        .collect()
}

/// Deletes the world's first organization, advances its clock by `hours`, and answers the
/// organization's name and the world's clock.
async fn change(world: &Isolated, which: usize, hours: i64) -> (String, Value) {
    let token = world.token().await;
    let organizations = world.json("/v3/Organizations", &token).await;
    let organization = &organizations[which];
    let deleted = world
        .send(
            Method::DELETE,
            &format!(
                "/__admin/organizations/{}",
                organization["id"].as_str().unwrap()
            ),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    let advanced = world
        .send(
            Method::POST,
            "/__admin/clock/advance",
            Some(json!({ "seconds": hours * 3600 })),
            None,
        )
        .await;
    assert_eq!(advanced.status(), 200);
    let clock: Value = world
        .send(Method::GET, "/__admin/clock", None, None)
        .await
        .json()
        .await
        .unwrap();
    (organization["name"].as_str().unwrap().to_owned(), clock)
}

#[tokio::test]
async fn two_worlds_changed_in_parallel_keep_their_changes_to_themselves() {
    let app = spawn_app().await;
    let a = isolated(&app, "worker-a").await;
    let b = isolated(&app, "worker-b").await;

    let ((gone_from_a, clock_a), (gone_from_b, clock_b)) =
        tokio::join!(change(&a, 0, 1), change(&b, 1, 5));
    assert_ne!(gone_from_a, gone_from_b);
    assert_ne!(clock_a["now"], clock_b["now"]);

    let (token_a, token_b) = (a.token().await, b.token().await);
    let in_a = a.json("/v3/Organizations", &token_a).await;
    let in_b = b.json("/v3/Organizations", &token_b).await;
    assert!(!names(&in_a).contains(&gone_from_a.as_str()));
    assert!(names(&in_a).contains(&gone_from_b.as_str()));
    assert!(!names(&in_b).contains(&gone_from_b.as_str()));
    assert!(names(&in_b).contains(&gone_from_a.as_str()));
    let main = app.get_json("/v3/Organizations").await;
    assert!(
        names(&main).contains(&gone_from_a.as_str())
            && names(&main).contains(&gone_from_b.as_str())
    );

    // Tokens are the world's own.
    let foreign = b
        .send(Method::GET, CONTOSO_JOB_QUERY, None, Some(&token_a))
        .await;
    assert_eq!(foreign.status(), 401);
    // So is the journal: b saw only b's API requests (two logins, two listings, the
    // refused one), none of a's.
    let journal: Value = b
        .send(Method::GET, "/__admin/requests", None, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(journal["total"], 5, "{journal}");
    let listed: Value = app.get("/__admin/worlds", None).await.json().await.unwrap();
    let listed: Vec<&str> = listed["worlds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|world| world["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["worker-a", "worker-b"]);
}

#[tokio::test]
async fn worlds_come_from_a_seed_or_a_world_file() {
    let app = spawn_app().await;
    let (status, seeded) = create(&app, json!({"name": "seeded", "seed": 7})).await;
    assert_eq!(status, 201, "{seeded}");
    let file = json!({
        "format": 1,
        "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "only.onmicrosoft.com"}]
    });
    let (status, from_file) = create(&app, json!({"name": "from-file", "world": file})).await;
    assert_eq!(status, 201, "{from_file}");

    let world = Isolated {
        base: from_file["url"].as_str().unwrap().to_owned(),
        client: app.client.clone(),
    };
    let token = world.token().await;
    assert_eq!(
        names(&world.json("/v3/Organizations", &token).await),
        ["only.onmicrosoft.com"]
    );

    let world = Isolated {
        base: seeded["url"].as_str().unwrap().to_owned(),
        client: app.client.clone(),
    };
    let token = world.token().await;
    let seeded_names = world.json("/v3/Organizations", &token).await;
    assert_ne!(seeded_names, app.get_json("/v3/Organizations").await);
}

#[tokio::test]
async fn a_taken_name_is_409_a_bad_request_400_with_its_problems_and_delete_frees_the_port() {
    let app = spawn_app().await;
    let world = isolated(&app, "once").await;
    let (status, body) = create(&app, json!({"name": "once"})).await;
    assert_eq!(status, 409, "{body}");

    let invalid = json!({"name": "bad", "world": {
        "format": 1,
        "jobs": [{"name": "", "organizationId": "11111111-1111-1111-1111-111111111111",
                  "repositoryId": "11111111-1111-1111-1111-111111111111"}]
    }});
    let (status, body) = create(&app, invalid).await;
    assert_eq!(status, 400);
    assert_eq!(
        problems(&body),
        [
            "world.jobs[0].name: must not be empty",
            "world.jobs[0].organizationId: no organization with this id",
            "world.jobs[0].repositoryId: no repository with this id"
        ]
    );
    for (body, path) in [
        (json!({"name": "a b"}), "name"),
        (json!({"name": ""}), "name"),
        (
            json!({"name": "x", "seed": 1, "world": {"format": 1}}),
            "seed",
        ),
        (json!({"name": "x", "colour": "red"}), "colour"),
        (json!({"seed": 1}), "$"),
    ] {
        let (status, answer) = create(&app, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(problems(&answer)[0].starts_with(path), "{body}: {answer}");
    }
    let listed: Value = app.get("/__admin/worlds", None).await.json().await.unwrap();
    assert_eq!(listed["worlds"].as_array().unwrap().len(), 1);

    assert_eq!(
        app.admin(Method::DELETE, "/__admin/worlds/nobody", None)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.admin(Method::DELETE, "/__admin/worlds/once", None)
            .await
            .status(),
        204
    );
    // A new connection (a client of its own, with no pooled connection) finds the port closed.
    let fresh = client_trusting(&app.server, "localhost", |builder| builder);
    let mut refused = false;
    for _ in 0..50 {
        if fresh
            .get(format!("{}/__admin/health", world.base))
            .send()
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "the freed world still answers");
    let (status, body) = create(&app, json!({"name": "once"})).await;
    assert_eq!(status, 201, "a freed name can be used again: {body}");
}

#[tokio::test]
async fn the_control_api_answers_no_500_to_bad_input() {
    let app = spawn_app().await;
    let bodies = [
        "",
        "null",
        "[]",
        "{",
        "\"text\"",
        "{\"name\": 5}",
        "{\"format\": 99}",
        "{\"seconds\": -1e308}",
        "{\"now\": \"yesterday\"}",
    ];
    let routes = [
        (Method::POST, "/__admin/worlds"),
        (Method::DELETE, "/__admin/worlds/%00"),
        (Method::PUT, "/__admin/world"),
        (Method::POST, "/__admin/reset"),
        (Method::POST, "/__admin/organizations"),
        (Method::PUT, "/__admin/organizations/not-a-guid"),
        (Method::POST, "/__admin/jobs"),
        (
            Method::POST,
            "/__admin/jobs/11111111-1111-1111-1111-111111111111/start",
        ),
        (Method::POST, "/__admin/sessions"),
        (
            Method::POST,
            &format!("/__admin/sessions/{SEED_SESSION}/logitems"),
        ),
        (Method::PUT, "/__admin/clock"),
        (Method::POST, "/__admin/clock/advance"),
        (Method::GET, "/__admin/requests?status=x&since=y"),
        (Method::GET, "/__admin/metrics"),
        (Method::GET, "/__admin/worlds"),
    ];
    for (method, path) in &routes {
        for body in bodies {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(
                !response.status().is_server_error(),
                "{method} {path} with {body:?}: {}",
                response.status()
            );
        }
    }
}

/// The tasks alive on the test's runtime: the servers', their connections' and their upkeep's.
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Waits up to ten seconds for the runtime's tasks to come down to `count`.
async fn tasks_come_down_to(count: usize) -> bool {
    for _ in 0..200 {
        if alive_tasks() <= count {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_replaced_or_removed_world_leaves_no_task_behind() {
    let app = spawn_app().await;
    assert_eq!(app.get("/__admin/worlds", None).await.status(), 200);
    let before = alive_tasks();
    crate::helpers::reload_exported_world(&app).await;
    assert!(
        tasks_come_down_to(before).await,
        "{} > {before}",
        alive_tasks()
    );

    let (status, body) = create(&app, json!({"name": "short-lived"})).await;
    assert_eq!(status, 201, "{body}");
    assert!(alive_tasks() > before, "the new world runs no task");
    let removed = app
        .admin(Method::DELETE, "/__admin/worlds/short-lived", None)
        .await;
    assert_eq!(removed.status(), 204);
    assert!(
        tasks_come_down_to(before).await,
        "{} > {before}",
        alive_tasks()
    );
}

//! Teams restore sessions end to end: walking a team's channels, posts, files and tabs by
//! their links to each item, searching for what the walk showed, the refusals, an
//! operator's scope, and content that is the same for the same point in time and never
//! newer than it.

use std::collections::{HashSet, VecDeque};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    FROZEN, SEED_ORGANIZATION, TestApp, send, sign_in_role_operator, spawn_app_with,
    status_and_json, time,
};
use crate::links::{hrefs, path_of};

/// Opens a Teams restore session on the seed organization in version `v` (at `at`, the
/// newest backup without one); its id.
pub async fn open_session(app: &TestApp, v: &str, at: Option<&str>) -> String {
    let mut body = json!({"type": "Vet"});
    if let Some(at) = at {
        body["dateTime"] = json!(at);
    }
    let (status, session) = send(
        app,
        Method::POST,
        &format!("/{v}/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(body),
    )
    .await;
    assert!(status == 200 || status == 201, "{session}");
    assert_eq!(session["type"], "Vet", "{session}");
    session["id"].as_str().unwrap().to_owned()
}

/// An item as its own link gives it.
async fn again(app: &TestApp, item: &Value) -> Value {
    app.follow_relative(&item["_links"]["self"]["href"]).await
}

pub fn results(page: &Value) -> Vec<Value> {
    page["results"].as_array().unwrap().clone()
}

/// A team walked to its items: one of each kind, as the browse showed them.
pub struct Walked {
    pub teams: String,
    pub team: Value,
    pub channel: Value,
    /// A first post with replies.
    pub post: Value,
    pub file: Value,
    pub tab: Value,
}

/// Walks by links from a session's teams to a post with replies, a file in a folder (and,
/// from v7, its versions) and a tab, checking that each item's own link gives it back.
pub async fn walk(app: &TestApp, v: &str, session: &str) -> Walked {
    let opened = app
        .json(&format!("/{v}/RestoreSessions/{session}"), "t")
        .await;
    let teams = opened["_links"]["teams"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let team = results(&app.json(&teams, "t").await)[0].clone();
    assert_eq!(again(app, &team).await, team);
    let channels = results(
        &app.follow_relative(&team["_links"]["channels"]["href"])
            .await,
    );
    assert_eq!(channels[0]["displayName"], "General", "{channels:?}");
    let channel = again(app, &channels[0]).await;
    assert_eq!(channel["id"], channels[0]["id"]);

    let mut post = Value::Null;
    for first in results(
        &app.follow_relative(&channel["_links"]["posts"]["href"])
            .await,
    ) {
        let replies = app
            .follow_relative(&first["_links"]["replies"]["href"])
            .await;
        if !results(&replies).is_empty() {
            post = first;
            break;
        }
    }
    assert!(post.is_object(), "{v}: a first page of threads has replies");
    assert_eq!(again(app, &post).await, post);

    let files = results(
        &app.follow_relative(&channel["_links"]["files"]["href"])
            .await,
    );
    let folder = files
        .iter()
        .find(|file| file["fileType"] == "Folder")
        .expect("a channel's folder holds folders");
    assert_eq!(again(app, folder).await, *folder);
    let inside = results(
        &app.follow_relative(&folder["_links"]["children"]["href"])
            .await,
    );
    let file = inside
        .iter()
        .find(|file| file["fileType"] == "File")
        .expect("a folder of a year's files holds some")
        .clone();
    assert_eq!(again(app, &file).await, file);
    assert_eq!(file["_links"]["parent"], folder["_links"]["self"]);
    if v != "v6" {
        let versions = results(
            &app.follow_relative(&file["_links"]["versions"]["href"])
                .await,
        );
        assert_eq!(versions.len() as u64, file["version"].as_u64().unwrap());
        assert_eq!(versions[0]["version"], 1);
        assert_eq!(versions.last().unwrap()["sizeBytes"], file["sizeBytes"]);
    }
    let tab = results(
        &app.follow_relative(&channel["_links"]["tabs"]["href"])
            .await,
    )[0]
    .clone();
    assert_eq!(again(app, &tab).await, tab);
    Walked {
        teams,
        team,
        channel,
        post,
        file,
        tab,
    }
}

#[tokio::test]
async fn a_team_is_walked_by_its_links_to_each_post_file_and_tab() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v6", "v8"] {
        let session = open_session(&app, v, None).await;
        let walked = walk(&app, v, &session).await;
        let post = &walked.post;
        assert_eq!(
            app.follow_relative(&post["_links"]["self"]["href"]).await,
            *post
        );
        let replies = app
            .follow_relative(&post["_links"]["replies"]["href"])
            .await;
        for reply in results(&replies) {
            let parent = app
                .follow_relative(&reply["_links"]["parent"]["href"])
                .await;
            assert_eq!(parent["postId"], post["postId"], "{v}");
            assert!(
                time(&reply["createdTime"]) > time(&post["createdTime"]),
                "{v}"
            );
        }
        if v == "v8" {
            assert_eq!(walked.file["teamId"], walked.team["id"]);
            assert_eq!(walked.tab["channelId"], walked.channel["id"]);
            let children = app
                .follow_relative(&walked.channel["_links"]["children"]["href"])
                .await;
            let kinds: Vec<Value> = results(&children)
                .iter()
                .map(|node| node["type"].clone())
                .collect();
            assert_eq!(kinds, [json!("Posts"), json!("Files"), json!("Tabs")]);
        }
        assert!(
            walked.teams.ends_with("/organization/teams"),
            "{}",
            walked.teams
        );
    }
}

#[tokio::test]
async fn posts_page_by_position_and_the_page_links_keep_the_filters() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v6", None).await;
    let walked = walk(&app, "v6", &session).await;
    let channel = walked.channel["id"].as_str().unwrap();
    let base = walked.team["_links"]["posts"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = app
        .json(&format!("{base}?channelId={channel}&limit=3"), "t")
        .await;
    let total = first["totalCount"].as_u64().unwrap();
    assert!(total > 100, "a year of posts: {total}");
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        next.contains("channelId=") && next.contains("offset=3"),
        "{next}"
    );
    let second = app.json(next, "t").await;
    let wide = app
        .json(&format!("{base}?channelId={channel}&limit=6"), "t")
        .await;
    let mut both = results(&first);
    both.extend(results(&second));
    assert_eq!(both, results(&wide));
    assert!(both.iter().all(|post| {
        post["_links"]["channel"]["href"]
            .as_str()
            .unwrap()
            .ends_with(channel)
    }));

    // The last thread is there at once, and a page past the end is empty.
    let last = app
        .json(
            &format!("{base}?channelId={channel}&offset={}&limit=5", total - 1),
            "t",
        )
        .await;
    assert_eq!(results(&last).len(), 1);
    let past = app
        .json(&format!("{base}?channelId={channel}&offset={total}"), "t")
        .await;
    assert!(results(&past).is_empty());
}

#[tokio::test]
async fn searches_find_what_the_browse_showed_and_refuse_what_they_cannot_read() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v6", "v8"] {
        let session = open_session(&app, v, None).await;
        let walked = walk(&app, v, &session).await;
        let search = format!("/{v}/RestoreSessions/{session}/organization/searchTeams");
        let subject = walked.post["subject"].as_str().unwrap();
        let name = walked.file["name"].as_str().unwrap();
        let tab = walked.tab["displayName"].as_str().unwrap();
        for (kind, query, key, wanted) in [
            (
                "Posts",
                format!("subject:\"{subject}\""),
                "postId",
                &walked.post["postId"],
            ),
            (
                "Files",
                format!("name:\"{name}\""),
                "id",
                &walked.file["id"],
            ),
            ("Tabs", format!("\"{tab}\""), "id", &walked.tab["id"]),
        ] {
            let (status, found) = send(
                &app,
                Method::POST,
                &format!("{search}?limit=1000"),
                Some(json!({"type": kind, "query": query})),
            )
            .await;
            assert_eq!(status, 200, "{v} {kind}: {found}");
            let found = results(&found);
            let hit = found
                .iter()
                .find(|item| item[key] == *wanted)
                .unwrap_or_else(|| panic!("{v} {kind} {query}: {found:?}"));
            // Every property of a channel entity is sent, null where the kind has none.
            assert!(hit["contentUrl"].is_null() != (kind == "Tabs"), "{hit}");
            assert!(hit["postId"].is_null() != (kind == "Posts"), "{hit}");
            assert!(hit["fileType"].is_null() != (kind == "Files"), "{hit}");
            // Its links are the browse's, in the browse's order.
            let href = hit["_links"]["self"]["href"].as_str().unwrap();
            let browsed = app.get(href, Some("t")).await.text().await.unwrap();
            let links = &browsed[browsed.find("\"_links\":").unwrap()..];
            let links = &links[..=links.find("}}").unwrap() + 1];
            let raw = app
                .client
                .post(app.url(&format!("{search}?limit=1000")))
                .bearer_auth("t")
                .json(&json!({"type": kind, "query": query}))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(raw.contains(links), "{v} {kind}: {links} not in {raw}");
        }
        let (status, nothing) = send(
            &app,
            Method::POST,
            &search,
            Some(json!({"type": "Posts", "query": "no post says this"})),
        )
        .await;
        assert_eq!(status, 200);
        assert!(results(&nothing).is_empty(), "{nothing}");

        let team = walked.team["_links"]["self"]["href"].as_str().unwrap();
        let (status, posts) = send(
            &app,
            Method::POST,
            &format!("{team}/posts/search"),
            Some(json!({ "query": format!("author:{}", walked.post["author"].as_str().unwrap()) })),
        )
        .await;
        assert_eq!(status, 200, "{posts}");
        assert!(
            results(&posts)
                .iter()
                .all(|post| post["author"] == walked.post["author"])
        );

        for body in [
            json!({"type": "Chats", "query": "x"}),
            json!({"type": "Posts", "query": ""}),
            json!({"type": "Posts"}),
            json!({"type": "Files", "query": "subject:x"}),
            json!({"type": "Posts", "query": "subject:\"unclosed"}),
        ] {
            let (status, refused) = send(&app, Method::POST, &search, Some(body.clone())).await;
            assert_eq!(status, 400, "{v} {body}: {refused}");
        }
        for (path, body) in [
            (format!("{team}/files/search"), json!({"query": " "})),
            (format!("{team}/posts/search"), json!({})),
        ] {
            let (status, refused) = send(&app, Method::POST, &path, Some(body)).await;
            assert_eq!(status, 400, "{v} {path}: {refused}");
        }
    }
}

#[tokio::test]
async fn unknown_ids_are_404_malformed_ones_400_and_other_sessions_are_refused() {
    let app = spawn_app_with(FROZEN).await;
    let session = open_session(&app, "v8", None).await;
    let walked = walk(&app, "v8", &session).await;
    let team = walked.team["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let channel = walked.channel["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let unknown = "00000000-0000-0000-0000-00000000abcd";
    let base = format!("/v8/RestoreSessions/{session}/organization/teams");
    for (path, expected) in [
        (format!("{base}/{unknown}"), 404),
        (format!("{base}/not-a-guid"), 400),
        (format!("{team}/channels/19:nothing@thread.tacv2"), 404),
        (format!("{team}/posts/1"), 404),
        (format!("{team}/posts/x"), 400),
        (format!("{team}/posts?parentId=1"), 404),
        (format!("{channel}/files/{unknown}"), 404),
        (format!("{channel}/files/x"), 400),
        (format!("{channel}/tabs/{unknown}"), 404),
        (format!("{team}/files?parentId={unknown}"), 404),
        (format!("{team}/posts?limit=-1"), 400),
        (format!("{team}/posts?offset=x"), 400),
        (
            format!("/v8/RestoreSessions/{unknown}/organization/teams"),
            404,
        ),
    ] {
        let (status, body) = send(&app, Method::GET, &path, None).await;
        assert_eq!(status, expected, "{path}: {body}");
        assert!(body["message"].is_string(), "{path}: {body}");
    }

    // A file or tab of another channel is not in this one.
    let other = walked.tab["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .replace(
            walked.channel["id"].as_str().unwrap(),
            "19:nothing@thread.tacv2",
        );
    let (status, _) = send(&app, Method::GET, &other, None).await;
    assert_eq!(status, 404);

    // An Exchange session shows no teams; a stopped Teams session shows nothing more.
    let (_, exchange) = send(
        &app,
        Method::POST,
        &format!("/v8/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    let exchange = exchange["id"].as_str().unwrap();
    let (status, refused) = send(
        &app,
        Method::GET,
        &format!("/v8/RestoreSessions/{exchange}/organization/teams"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let (status, _) = send(
        &app,
        Method::POST,
        &format!("/v8/RestoreSessions/{session}/Stop"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 204);
    let (status, refused) = send(&app, Method::GET, &team, None).await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("stopped"),
        "{refused}"
    );
}

/// A team of an organization outside `allowed`, as an administrator's session lists them.
pub async fn team_outside(
    app: &TestApp,
    organization: &Value,
    allowed: &HashSet<String>,
) -> String {
    let (status, everything) = send(
        app,
        Method::POST,
        &format!(
            "/v8/Organizations/{}/explore",
            organization["id"].as_str().unwrap()
        ),
        Some(json!({"type": "Vet"})),
    )
    .await;
    assert_eq!(status, 201, "{everything}");
    let everything = everything["id"].as_str().unwrap();
    let all = app
        .json(
            &format!("/v8/RestoreSessions/{everything}/organization/teams"),
            "t",
        )
        .await;
    results(&all)
        .iter()
        .map(|team| team["id"].as_str().unwrap().to_owned())
        .find(|team| !allowed.contains(team))
        .expect("a team outside the operator's scope")
}

#[tokio::test]
async fn an_operator_sees_only_the_teams_of_their_scope() {
    let app = spawn_app_with(FROZEN).await;
    let (_, token) = sign_in_role_operator(&app, "v8").await;
    let as_operator = |method: Method, path: String, body: Option<Value>| {
        let request = app
            .client
            .request(method, app.url(&path))
            .bearer_auth(&token);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        async move { status_and_json(request.send().await.unwrap()).await }
    };
    let (_, scope) = as_operator(
        Method::GET,
        "/v8/Organization/LoggedInUser/EffectiveScope".to_owned(),
        None,
    )
    .await;
    let allowed: HashSet<String> = scope["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|team| team["id"].as_str().unwrap().to_owned())
        .collect();
    let (status, opened) = as_operator(
        Method::POST,
        "/v8/Organization/OperatorExplore".to_owned(),
        Some(json!({"type": "Vet", "reason": "a lost post"})),
    )
    .await;
    assert_eq!(status, 201, "{opened}");
    let session = opened["id"].as_str().unwrap();
    let base = format!("/v8/RestoreSessions/{session}/organization/teams");
    let (_, shown) = as_operator(Method::GET, base.clone(), None).await;
    let shown: HashSet<String> = results(&shown)
        .iter()
        .map(|team| team["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !shown.is_empty() && shown.is_subset(&allowed),
        "{shown:?} of {allowed:?}"
    );

    let (_, organization) = as_operator(
        Method::GET,
        format!("/v8/RestoreSessions/{session}/organization"),
        None,
    )
    .await;
    let outside = team_outside(&app, &organization, &allowed).await;
    for path in [
        format!("{base}/{outside}"),
        format!("{base}/{outside}/posts"),
    ] {
        let (status, refused) = as_operator(Method::GET, path.clone(), None).await;
        assert_eq!(status, 403, "{path}: {refused}");
        assert_eq!(refused["errorCode"], "ResourceAccessDenied", "{refused}");
    }
    let (status, found) = as_operator(
        Method::POST,
        format!("/v8/RestoreSessions/{session}/organization/searchTeams?limit=1000"),
        Some(json!({"type": "Tabs", "query": "wiki"})),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    assert!(
        results(&found)
            .iter()
            .all(|tab| shown.contains(tab["teamId"].as_str().unwrap()))
    );
}

#[tokio::test]
async fn two_sessions_on_one_point_show_the_same_content_and_nothing_newer() {
    let app = spawn_app_with(FROZEN).await;
    let at = "2017-03-20T12:00:00Z";
    let one = open_session(&app, "v6", Some(at)).await;
    let two = open_session(&app, "v6", Some(at)).await;
    let newest = open_session(&app, "v6", None).await;
    let listing = |session: &str, rest: &str| {
        format!("/v6/RestoreSessions/{session}/organization/teams{rest}")
    };
    let team = results(&app.json(&listing(&one, ""), "t").await)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let posts = format!("/{team}/posts?limit=1");
    let count = |page: &Value| page["totalCount"].as_u64().unwrap();
    let at_one = app.json(&listing(&one, &posts), "t").await;
    let at_two = app.json(&listing(&two, &posts), "t").await;
    let at_newest = app.json(&listing(&newest, &posts), "t").await;
    assert_eq!(count(&at_one), count(&at_two));
    assert!(
        count(&at_newest) > count(&at_one),
        "later backups hold more posts"
    );

    let last = format!("/{team}/posts?offset={}&limit=30", count(&at_one) - 1);
    let (newest_one, newest_two) = (
        app.json(&listing(&one, &last), "t").await,
        app.json(&listing(&two, &last), "t").await,
    );
    assert_eq!(same_links(&newest_one, &one), same_links(&newest_two, &two));
    let point = time(&json!(at));
    for post in results(&newest_one) {
        assert!(time(&post["createdTime"]) <= point, "{post}");
        let replies = app
            .follow_relative(&post["_links"]["replies"]["href"])
            .await;
        for reply in results(&replies) {
            assert!(time(&reply["createdTime"]) <= point, "{reply}");
        }
    }
    let files = format!("/{team}/files?limit=1000");
    let (files_one, files_two) = (
        app.json(&listing(&one, &files), "t").await,
        app.json(&listing(&two, &files), "t").await,
    );
    assert_eq!(same_links(&files_one, &one), same_links(&files_two, &two));
    assert!(
        results(&files_one)
            .iter()
            .all(|file| time(&file["modified"]) <= point)
    );
}

/// A page's entries as text, their links under a session's path written without its id,
/// so that the pages of two sessions compare.
fn same_links(page: &Value, session: &str) -> String {
    page["results"].to_string().replace(session, "{session}")
}

#[tokio::test]
async fn every_link_of_a_teams_session_answers_200() {
    let app = spawn_app_with(FROZEN).await;
    for v in ["v6", "v7", "v8"] {
        let session = open_session(&app, v, None).await;
        let start = format!("/{v}/RestoreSessions/{session}/organization/teams");
        let mut queue = VecDeque::from([start.clone()]);
        let mut seen: HashSet<String> = queue.iter().cloned().collect();
        let mut followed = 0;
        while let Some(path) = queue.pop_front() {
            let (status, answer) = send(&app, Method::GET, &path, None).await;
            assert_eq!(status, 200, "{v}: GET {path}: {answer}");
            followed += 1;
            let mut found = Vec::new();
            hrefs(&answer, &mut found);
            for href in found {
                let target = path_of(&href);
                // The pages of a year of posts are many: their first two are followed.
                let far_page = target.split(['?', '&']).any(|part| {
                    part.strip_prefix("offset=")
                        .is_some_and(|offset| offset.len() > 1)
                });
                if target.starts_with(&start) && !far_page && seen.insert(target.clone()) {
                    queue.push_back(target);
                }
            }
            assert!(followed < 5_000, "{v}: the crawl does not end");
        }
        assert!(followed > 100, "{v}: only {followed} links were followed");
    }
}

//! Contract checks of Teams restore sessions: their searches (of the organization, a team, a
//! channel; of posts, files and tabs), the listings' filters, restoring, saving, sending and
//! exporting posts and files, and the refusals.

use reqwest::Method;
use serde_json::{Value, json};
use vb365_mock::wire::Version;

use super::{Contract, call, check_file_answers, ids_of, unchecked_post, write};
use crate::helpers::{TestApp, advance, merged, status_and_json};

const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000e7";

pub(super) async fn check_teams(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let (_, session) = write(
        contract,
        app,
        Method::POST,
        &format!("/Organizations/{organization}/explore"),
        "/Organizations/{organizationId}/explore",
        Some(&json!({"type": "Vet"})),
    )
    .await;
    let session = session["id"].as_str().unwrap().to_owned();
    let base = format!("/RestoreSessions/{session}/organization/teams");
    let (_, teams) = call(app, Method::GET, &format!("/{v}{base}"), "t").await;
    let team = ids_of(&teams)[0].clone();
    let (_, channels) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{team}/channels"),
        "t",
    )
    .await;
    let channel = ids_of(&channels)[0].clone();

    let organization_search = "/RestoreSessions/{restoreSessionId}/organization/searchTeams";
    let team_search = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}/search";
    let channel_search = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}/channels/{channelId}/search";
    for (kind, query) in [("Posts", "report"), ("Files", "budget"), ("Tabs", "wiki")] {
        let body = json!({"type": kind, "query": query});
        for (path, template) in [
            (
                format!("/RestoreSessions/{session}/organization/searchTeams?limit=3"),
                organization_search,
            ),
            (format!("{base}/{team}/search?limit=3"), team_search),
            (
                format!("{base}/{team}/channels/{channel}/search?limit=3"),
                channel_search,
            ),
        ] {
            let (status, found) =
                write(contract, app, Method::POST, &path, template, Some(&body)).await;
            assert_eq!(status, 200, "{v}: {path} {body}: {found}");
        }
    }
    for (session, body, expected) in [
        (session.as_str(), json!({"type": "Posts", "query": ""}), 400),
        (
            session.as_str(),
            json!({"type": "Posts", "query": "nosuchfield:x"}),
            400,
        ),
        (UNKNOWN, json!({"type": "Tabs", "query": "wiki"}), 404),
    ] {
        let path = format!("/RestoreSessions/{session}/organization/searchTeams");
        let (status, answer) = write(
            contract,
            app,
            Method::POST,
            &path,
            organization_search,
            Some(&body),
        )
        .await;
        assert_eq!(status, expected, "{v}: {path} {body}: {answer}");
    }
    let response = app
        .client
        .post(app.url(&format!(
            "/{v}/RestoreSessions/{session}/organization/searchTeams"
        )))
        .bearer_auth("t")
        .json(&json!({"type": "Chats", "query": "x"}))
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, 400, "{v}: an unknown type: {answer}");
    contract.check(
        &Method::POST,
        &format!("/{v}{organization_search}"),
        status,
        &answer,
    );

    let team_base = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}";
    let kind_searches = [
        (
            format!("{base}/{team}/posts/search?channelId={channel}&limit=2"),
            format!("{team_base}/posts/search"),
            "author:a",
        ),
        (
            format!("{base}/{team}/files/search?limit=2"),
            format!("{team_base}/files/search"),
            "name:xlsx",
        ),
        (
            format!("{base}/{team}/channels/{channel}/tabs/search"),
            format!("{team_base}/channels/{{channelId}}/tabs/search"),
            "wiki",
        ),
    ];
    for (path, template, query) in &kind_searches {
        let (status, found) = write(
            contract,
            app,
            Method::POST,
            path,
            template,
            Some(&json!({"query": query})),
        )
        .await;
        assert_eq!(status, 200, "{v}: {path}: {found}");
        let (status, refused) = write(
            contract,
            app,
            Method::POST,
            path,
            template,
            Some(&json!({"query": " "})),
        )
        .await;
        assert_eq!(status, 400, "{v}: {path}, an empty query: {refused}");
    }

    check_filters(contract, app, (&base, &team, &channel), version).await;
    check_restores(contract, app, (&base, &team, &channel), version).await;
    check_whole_restores(contract, app, (&base, &team, &channel), version).await;
}

/// The listings with the filters the contract gives them: a thread's replies, a folder's
/// files, v7's folders only, a name; and a filter that names nothing.
async fn check_filters(
    contract: &Contract,
    app: &TestApp,
    (base, team, channel): (&str, &str, &str),
    version: Version,
) {
    let v = contract.version;
    let team_base = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}";
    let get = |path: String| async move {
        let (status, body) = call(app, Method::GET, &format!("/{v}{path}"), "t").await;
        (status, body)
    };
    let (status, posts) = get(format!("{base}/{team}/posts?channelId={channel}")).await;
    assert_eq!(status, 200, "{v}: {posts}");
    contract.check(
        &Method::GET,
        &format!("/{v}{team_base}/posts"),
        status,
        &posts,
    );
    let first = posts["results"][0]["postId"].as_i64().unwrap();
    let (status, replies) = get(format!("{base}/{team}/posts?parentId={first}")).await;
    assert_eq!(status, 200, "{v}: {replies}");
    contract.check(
        &Method::GET,
        &format!("/{v}{team_base}/posts"),
        status,
        &replies,
    );

    let (status, files) = get(format!("{base}/{team}/files?channelId={channel}")).await;
    assert_eq!(status, 200, "{v}: {files}");
    let folder = files["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|file| file["fileType"] == "Folder")
        .expect("a channel's folder holds folders")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let folders_only = if version >= Version::V7 {
        "&foldersOnly=true"
    } else {
        ""
    };
    let files_template = format!("/{v}{team_base}/files");
    let posts_template = format!("/{v}{team_base}/posts");
    let channels_template = format!("/{v}{team_base}/channels");
    let teams_template = format!("/{v}/RestoreSessions/{{restoreSessionId}}/organization/teams");
    for (path, template, expected) in [
        (
            format!("{base}/{team}/files?parentId={folder}"),
            &files_template,
            200,
        ),
        (
            format!("{base}/{team}/files?channelId={channel}{folders_only}"),
            &files_template,
            200,
        ),
        (
            format!("{base}/{team}/channels?displayName=general"),
            &channels_template,
            200,
        ),
        (format!("{base}?displayName=a"), &teams_template, 200),
        (
            format!("{base}/{team}/posts?parentId=x"),
            &posts_template,
            400,
        ),
        (
            format!("{base}/{team}/posts?parentId=1"),
            &posts_template,
            404,
        ),
        (
            format!("{base}/{team}/files?channelId=nothing"),
            &files_template,
            404,
        ),
        (
            format!("{base}/{team}/files?parentId={UNKNOWN}"),
            &files_template,
            404,
        ),
    ] {
        let (status, body) = get(path.clone()).await;
        assert_eq!(status, expected, "{v}: {path}: {body}");
        contract.check(&Method::GET, template, status, &body);
    }
}

/// Posts and files restored, sent, saved and exported, each answer checked; and the
/// refusals of bodies the contract rejects and of ids that name nothing.
async fn check_restores(
    contract: &Contract,
    app: &TestApp,
    (base, team, channel): (&str, &str, &str),
    version: Version,
) {
    let v = contract.version;
    let team_base = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}";
    let (_, posts) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{team}/posts?channelId={channel}&limit=2"),
        "t",
    )
    .await;
    let post = posts["results"][0]["postId"].as_i64().unwrap();
    let (_, files) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{team}/files?channelId={channel}&limit=50"),
        "t",
    )
    .await;
    let file = files["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|file| file["fileType"] == "File")
        .expect("a channel's own folder holds files")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (file_at, file_t) = if version >= Version::V8 {
        (
            format!("{base}/{team}/channels/{channel}/files/{file}"),
            format!("{team_base}/channels/{{channelId}}/files/{{fileId}}"),
        )
    } else {
        (
            format!("{base}/{team}/files/{file}"),
            format!("{team_base}/files/{{fileId}}"),
        )
    };
    let file_reference = |id: &str| {
        if version >= Version::V8 {
            json!({"id": id, "channelId": channel})
        } else {
            json!({"id": id})
        }
    };
    let posts_at = format!("{base}/{team}/posts");
    let files_at = format!("{base}/{team}/files");
    let posts_t = format!("{team_base}/posts");
    let files_t = format!("{team_base}/files");
    let credentials = json!({"userName": "helpdesk@contoso.example", "userPassword": "x"});
    let with = |extra: Value| merged(&credentials, &extra);
    let file_options =
        json!({"fileVersion": "Last", "restoreChangedItems": true, "restoreMissingItems": false});
    let address = json!({"from": "helpdesk@example.com", "to": "owner@example.com"});
    let with_address = |extra: Value| merged(&address, &extra);
    let sent = if version >= Version::V8 { 204 } else { 200 };
    for (path, template, body, expected) in [
        (
            format!("{posts_at}/restore"),
            format!("{posts_t}/restore"),
            with(json!({"channelId": channel, "from": "2016-01-01T00:00:00Z"})),
            200,
        ),
        (
            format!("{files_at}/restore"),
            format!("{files_t}/restore"),
            merged(
                &with(json!({"files": [file_reference(&file)]})),
                &file_options,
            ),
            200,
        ),
        (
            format!("{file_at}/restore"),
            format!("{file_t}/restore"),
            with(file_options.clone()),
            200,
        ),
        (
            format!("{posts_at}/send"),
            format!("{posts_t}/send"),
            with_address(json!({"posts": [{"postId": post}]})),
            sent,
        ),
        (
            format!("{posts_at}/{post}/send"),
            format!("{posts_t}/{{postId}}/send"),
            address.clone(),
            sent,
        ),
        (
            format!("{files_at}/send"),
            format!("{files_t}/send"),
            with_address(json!({"channelId": channel})),
            sent,
        ),
        (
            format!("{file_at}/send"),
            format!("{file_t}/send"),
            address.clone(),
            sent,
        ),
        (
            format!("{files_at}/restore"),
            format!("{files_t}/restore"),
            merged(
                &with(json!({"files": [file_reference(UNKNOWN)]})),
                &file_options,
            ),
            404,
        ),
        (
            format!("{posts_at}/1/send"),
            format!("{posts_t}/{{postId}}/send"),
            address.clone(),
            404,
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, &template, Some(&body)).await;
        assert_eq!(status, expected, "{v}: POST {path} {body}: {answer}");
    }
    // Bodies the contract rejects, or whose ids and channel exclude each other: refused.
    for (path, template, body) in [
        (
            format!("{posts_at}/restore"),
            format!("{posts_t}/restore"),
            json!({"channelId": channel}),
        ),
        (
            format!("{files_at}/restore"),
            format!("{files_t}/restore"),
            with(json!({"channelId": channel})),
        ),
        (
            format!("{posts_at}/send"),
            format!("{posts_t}/send"),
            with_address(json!({"posts": [{"postId": post}], "channelId": channel})),
        ),
    ] {
        let (status, answer) = unchecked_post(contract, app, &path, &template, &body).await;
        assert_eq!(status, 400, "{v}: POST {path} {body}: {answer}");
    }
    check_file_answers(
        contract,
        app,
        vec![
            (
                format!("{posts_at}/save"),
                format!("{posts_t}/save"),
                Some(json!({"posts": [{"postId": post}]})),
                true,
            ),
            (
                format!("{posts_at}/{post}/save"),
                format!("{posts_t}/{{postId}}/save"),
                None,
                false,
            ),
            (
                format!("{posts_at}/export"),
                format!("{posts_t}/export"),
                Some(json!({"channelId": channel, "to": "2016-06-01T00:00:00Z"})),
                false,
            ),
            (
                format!("{posts_at}/{post}/export"),
                format!("{posts_t}/{{postId}}/export"),
                None,
                false,
            ),
            (
                format!("{files_at}/save"),
                format!("{files_t}/save"),
                Some(json!({"files": [file_reference(&file)]})),
                true,
            ),
            (
                format!("{file_at}/save"),
                format!("{file_t}/save"),
                Some(json!({"asZip": false})),
                false,
            ),
        ],
    )
    .await;
}

/// Teams, a team, a channel and tabs restored, by an administrator and (v7 on) by the
/// restore operator's routes, each answer checked; and the refusals of what the contract
/// requires left out.
async fn check_whole_restores(
    contract: &Contract,
    app: &TestApp,
    (base, team, channel): (&str, &str, &str),
    version: Version,
) {
    let v = contract.version;
    let (_, tabs) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{team}/channels/{channel}/tabs"),
        "t",
    )
    .await;
    let tab = ids_of(&tabs)[0].clone();
    let teams_t = "/RestoreSessions/{restoreSessionId}/organization/teams";
    let team_t = format!("{teams_t}/{{teamId}}");
    let channel_t = format!("{team_t}/channels/{{channelId}}");
    let team_at = format!("{base}/{team}");
    let channel_at = format!("{team_at}/channels/{channel}");
    let credentials = json!({"userName": "helpdesk@contoso.example", "userPassword": "x"});
    let items = json!({"restoreChangedItems": true, "restoreMissingItems": true});
    let team_items = merged(
        &items,
        &json!({"restoreMembers": false, "restoreSettings": true}),
    );
    let tab_options = json!({"restoreChangedTabs": true, "restoreMissingTabs": false});
    let with = |extra: &Value| merged(&credentials, extra);
    let mut restores = vec![
        (
            format!("{base}/restore"),
            format!("{teams_t}/restore"),
            merged(&with(&team_items), &json!({"teams": [{"id": team}]})),
        ),
        (
            format!("{team_at}/restore"),
            format!("{team_t}/restore"),
            with(&team_items),
        ),
        (
            format!("{channel_at}/restore"),
            format!("{channel_t}/restore"),
            with(&items),
        ),
        (
            format!("{channel_at}/tabs/restore"),
            format!("{channel_t}/tabs/restore"),
            with(&tab_options),
        ),
        (
            format!("{channel_at}/tabs/{tab}/restore"),
            format!("{channel_t}/tabs/{{tabId}}/restore"),
            with(&tab_options),
        ),
    ];
    if version >= Version::V8 {
        restores.push((
            format!("{team_at}/tabs/restore"),
            format!("{team_t}/tabs/restore"),
            merged(&with(&tab_options), &json!({"tabs": [{"id": tab}]})),
        ));
    }
    for (path, template, body) in &restores {
        let (status, answer) = write(contract, app, Method::POST, path, template, Some(body)).await;
        assert_eq!(status, 200, "{v}: POST {path} {body}: {answer}");
    }
    for (path, template, _) in &restores {
        let (status, answer) = unchecked_post(contract, app, path, template, &credentials).await;
        assert_eq!(status, 400, "{v}: POST {path}, no options: {answer}");
    }
    if version < Version::V7 {
        return;
    }
    let reason = json!({"reason": "asked for by the owner"});
    let (_, posts) = call(
        app,
        Method::GET,
        &format!("/{v}{team_at}/posts?channelId={channel}&limit=1"),
        "t",
    )
    .await;
    let post = posts["results"][0]["postId"].clone();
    for (path, template, body) in [
        (
            format!("{base}/operatorRestore"),
            format!("{teams_t}/operatorRestore"),
            merged(
                &merged(&team_items, &reason),
                &json!({"teams": [{"id": team}], "impersonationAccountName": "helpdesk"}),
            ),
        ),
        (
            format!("{channel_at}/operatorRestore"),
            format!("{channel_t}/operatorRestore"),
            merged(&items, &reason),
        ),
        (
            format!("{channel_at}/tabs/operatorRestore"),
            format!("{channel_t}/tabs/operatorRestore"),
            merged(&tab_options, &reason),
        ),
        (
            format!("{team_at}/tabs/operatorRestore"),
            format!("{team_t}/tabs/operatorRestore"),
            merged(&tab_options, &json!({"tabs": [{"id": tab}]})),
        ),
        (
            format!("{team_at}/posts/operatorRestore"),
            format!("{team_t}/posts/operatorRestore"),
            merged(
                &reason,
                &json!({"channelId": channel, "posts": [{"postId": post}]}),
            ),
        ),
        (
            format!("{team_at}/files/operatorRestore"),
            format!("{team_t}/files/operatorRestore"),
            merged(
                &reason,
                &json!({"channelId": channel, "fileVersion": "All", "restoreChangedItems": true, "restoreMissingItems": true}),
            ),
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, &template, Some(&body)).await;
        assert_eq!(status, 200, "{v}: POST {path} {body}: {answer}");
        assert!(answer["sessionId"].is_string(), "{v}: {path}: {answer}");
        let (status, answer) = unchecked_post(contract, app, &path, &template, &json!({})).await;
        assert_eq!(status, 400, "{v}: POST {path}, an empty body: {answer}");
    }
    let unnamed = merged(&team_items, &json!({"teams": [{"id": team}]}));
    let (status, answer) = unchecked_post(
        contract,
        app,
        &format!("{base}/operatorRestore"),
        &format!("{teams_t}/operatorRestore"),
        &unnamed,
    )
    .await;
    assert_eq!(status, 400, "{v}: no impersonationAccountName: {answer}");
    check_exports(contract, app, (&team_at, channel), post).await;
}

/// A restore operator's exports of posts: started, refused while they run, then a file;
/// an export that names nothing is a 404.
async fn check_exports(
    contract: &Contract,
    app: &TestApp,
    (team_at, channel): (&str, &str),
    post: Value,
) {
    let v = contract.version;
    let team_t = "/RestoreSessions/{restoreSessionId}/organization/teams/{teamId}";
    let channel_t = format!("{team_t}/channels/{{channelId}}");
    let (status, started) = write(
        contract,
        app,
        Method::POST,
        &format!("{team_at}/channels/{channel}/startOperatorExportPosts"),
        &format!("{channel_t}/startOperatorExportPosts"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{v}: {started}");
    let channel_export = started["exportTaskId"].as_str().unwrap().to_owned();
    let (status, started) = write(
        contract,
        app,
        Method::POST,
        &format!("{team_at}/posts/operatorStartExportTask"),
        &format!("{team_t}/posts/operatorStartExportTask"),
        Some(&json!({"posts": [{"postId": post}]})),
    )
    .await;
    assert_eq!(status, 200, "{v}: {started}");
    let posts_export = started["exportTaskId"].as_str().unwrap().to_owned();
    let channel_file_t = format!("/{v}{channel_t}/operatorExport/{{requestExportId}}");
    let posts_file_t = format!("/{v}{team_t}/posts/operatorExport/{{requestExportId}}");
    for (path, template, expected) in [
        (
            format!("{team_at}/channels/{channel}/operatorExport/{channel_export}"),
            &channel_file_t,
            400,
        ),
        (
            format!("{team_at}/posts/operatorExport/{posts_export}"),
            &posts_file_t,
            400,
        ),
        (
            format!("{team_at}/posts/operatorExport/{channel_export}"),
            &posts_file_t,
            404,
        ),
        (
            format!("{team_at}/posts/operatorExport/{UNKNOWN}"),
            &posts_file_t,
            404,
        ),
    ] {
        let (status, answer) = call(app, Method::GET, &format!("/{v}{path}"), "t").await;
        assert_eq!(status, expected, "{v}: GET {path}: {answer}");
        contract.check(&Method::GET, template, status, &answer);
    }
    advance(app, 2.0).await;
    let response = app
        .client
        .get(app.url(&format!(
            "/{v}{team_at}/posts/operatorExport/{posts_export}"
        )))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{v}: the export has ended");
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    contract.check_file(&Method::GET, &posts_file_t, 200);
}

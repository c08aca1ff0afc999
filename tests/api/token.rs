//! `POST /v3/Token` and the bearer check in front of every resource.

use chrono::{DateTime, TimeDelta};
use serde_json::Value;

use crate::helpers::{SEED_SESSION, assert_error, spawn_app, spawn_app_with};

fn protected_path() -> String {
    format!("/v3/JobSessions/{SEED_SESSION}/LogItems")
}

async fn assert_oauth_error(response: reqwest::Response, code: &str) {
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    assert!(body["error_description"].is_string(), "{body}");
}

async fn assert_unauthorized(response: reqwest::Response) {
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let message = assert_error(response, 401).await;
    assert_eq!(message, "Authorization has been denied for this request.");
}

#[tokio::test]
async fn a_password_login_returns_exactly_the_owin_fields() {
    let app = spawn_app().await;
    let body = app.login().await;
    let mut fields: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            ".expires",
            ".issued",
            "access_token",
            "expires_in",
            "refresh_token",
            "token_type",
            "userName"
        ]
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["userName"], "admin");
    let issued = DateTime::parse_from_rfc2822(body[".issued"].as_str().unwrap()).unwrap();
    let expires = DateTime::parse_from_rfc2822(body[".expires"].as_str().unwrap()).unwrap();
    assert_eq!(expires - issued, TimeDelta::seconds(3600));
    assert!(body[".issued"].as_str().unwrap().ends_with(" GMT"));
}

#[tokio::test]
async fn a_domain_prefix_and_extra_fields_are_accepted() {
    let app = spawn_app().await;
    // A widely used dashboard script sends an empty refresh_token with the password grant.
    let response = app
        .post_form(
            "/v3/Token",
            "grant_type=password&username=EAST%5Cadmin&password=admin&refresh_token=''&client=x",
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["userName"], "EAST\\admin");
}

#[tokio::test]
async fn the_token_opens_the_resources() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    assert_eq!(app.get(&protected_path(), Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn every_bad_authorization_gets_401_with_www_authenticate() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    assert_unauthorized(app.get(&protected_path(), None).await).await;
    assert_unauthorized(app.get(&protected_path(), Some("not-a-token")).await).await;
    for header in [format!("Basic {token}"), token.clone(), "Bearer".to_owned()] {
        let response = app
            .client
            .get(app.url(&protected_path()))
            .header("Authorization", header)
            .send()
            .await
            .unwrap();
        assert_unauthorized(response).await;
    }
}

#[tokio::test]
async fn an_expired_token_gets_401() {
    let app = spawn_app_with(&["--token-ttl", "60"]).await;
    let token = app.access_token().await;
    app.server.state.clock.advance(TimeDelta::seconds(59));
    assert_eq!(app.get(&protected_path(), Some(&token)).await.status(), 200);
    app.server.state.clock.advance(TimeDelta::seconds(2));
    assert_unauthorized(app.get(&protected_path(), Some(&token)).await).await;
}

#[tokio::test]
async fn a_refresh_token_gives_a_new_pair_once() {
    let app = spawn_app().await;
    let first = app.login().await;
    let refresh = first["refresh_token"].as_str().unwrap();
    let form = format!("grant_type=refresh_token&refresh_token={refresh}");
    let response = app.post_form("/v3/Token", &form).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.unwrap();
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(second["userName"], "admin");
    let new_token = second["access_token"].as_str().unwrap();
    assert_eq!(
        app.get(&protected_path(), Some(new_token)).await.status(),
        200
    );
    assert_oauth_error(app.post_form("/v3/Token", &form).await, "invalid_grant").await;
}

#[tokio::test]
async fn the_static_token_is_always_valid() {
    let app = spawn_app_with(&["--static-token", "ci-token", "--token-ttl", "1"]).await;
    app.server.state.clock.advance(TimeDelta::days(365));
    assert_eq!(
        app.get(&protected_path(), Some("ci-token")).await.status(),
        200
    );
}

#[tokio::test]
async fn only_configured_users_may_log_in() {
    let app = spawn_app_with(&["--user", "operator:Pa55:word"]).await;
    let ok = app
        .post_form(
            "/v3/Token",
            "grant_type=password&username=operator&password=Pa55%3Aword",
        )
        .await;
    assert_eq!(ok.status(), 200);
    let default_user = app
        .post_form(
            "/v3/Token",
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_oauth_error(default_user, "invalid_grant").await;
}

#[tokio::test]
async fn token_errors_use_the_oauth_shape() {
    let app = spawn_app().await;
    let cases = [
        (
            "grant_type=password&username=admin&password=wrong",
            "invalid_grant",
        ),
        ("grant_type=password&username=admin", "invalid_request"),
        (
            "grant_type=refresh_token&refresh_token=unknown",
            "invalid_grant",
        ),
        ("grant_type=refresh_token", "invalid_request"),
        ("grant_type=client_credentials", "unsupported_grant_type"),
        ("username=admin&password=admin", "invalid_request"),
        (
            "grant_type=password&username=%FF&password=admin",
            "invalid_request",
        ),
    ];
    for (form, code) in cases {
        assert_oauth_error(app.post_form("/v3/Token", form).await, code).await;
    }
}

#[tokio::test]
async fn a_token_body_that_is_not_form_data_or_not_utf8_is_400() {
    let app = spawn_app().await;
    let json = app
        .client
        .post(app.url("/v3/Token"))
        .header("Content-Type", "application/json")
        .body(r#"{"grant_type":"password","username":"admin","password":"admin"}"#)
        .send()
        .await
        .unwrap();
    assert_oauth_error(json, "invalid_request").await;
    let not_utf8 = app
        .client
        .post(app.url("/v3/Token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(vec![b'g', b'=', 0xff, 0xfe])
        .send()
        .await
        .unwrap();
    assert_oauth_error(not_utf8, "invalid_request").await;
}

#[tokio::test]
async fn a_token_body_over_64_kib_is_413() {
    let app = spawn_app().await;
    let form = format!(
        "grant_type=password&username=admin&password={}",
        "a".repeat(64 * 1024)
    );
    assert_error(app.post_form("/v3/Token", &form).await, 413).await;
}

#[tokio::test]
async fn the_token_path_matches_without_regard_to_case() {
    let app = spawn_app().await;
    for path in ["/v3/token", "/V3/TOKEN/", "/v3/Token"] {
        let response = app
            .post_form(path, "grant_type=password&username=admin&password=admin")
            .await;
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn logging_out_ends_the_access_and_the_refresh_token() {
    let app = spawn_app().await;
    let login = app.login().await;
    let token = login["access_token"].as_str().unwrap();
    let other = app.access_token().await;
    let logout = app
        .client
        .post(app.url("/v8/token/logout"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(app.get("/v8/Jobs", Some(token)).await.status(), 401);
    let refresh = login["refresh_token"].as_str().unwrap();
    let form = format!("grant_type=refresh_token&refresh_token={refresh}");
    assert_oauth_error(app.post_form("/v8/Token", &form).await, "invalid_grant").await;
    assert_eq!(
        app.get("/v8/Jobs", Some(&other)).await.status(),
        200,
        "another session of the same user goes on"
    );
    let v6 = app
        .client
        .post(app.url("/v6/token/logout"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(v6.status(), 404, "v6 has no logout");
}

#[tokio::test]
async fn the_control_api_lists_live_tokens_and_revokes_them_mid_walk() {
    let app = spawn_app().await;
    let token = app.access_token().await;
    let listing: Value = app.get("/__admin/tokens", None).await.json().await.unwrap();
    let text = listing.to_string();
    assert!(!text.contains(&token), "a listing shows whole tokens");
    let id = &token[..12];
    let entry = listing["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == id && entry["kind"] == "access")
        .expect("the token is listed");
    assert_eq!(entry["user"], "admin");

    let first_page = app.get("/v8/JobSessions?limit=1", Some(&token)).await;
    assert_eq!(first_page.status(), 200);
    let revoked = app
        .client
        .delete(app.url(&format!("/__admin/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    let next_page = app
        .get("/v8/JobSessions?limit=1&offset=1", Some(&token))
        .await;
    assert_eq!(next_page.status(), 401, "the session expired mid-walk");
    let unknown = app
        .client
        .delete(app.url(&format!("/__admin/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    let again = app.access_token().await;
    let all = app
        .client
        .delete(app.url("/__admin/tokens?user=admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(all.status(), 204);
    assert_eq!(app.get("/v8/Jobs", Some(&again)).await.status(), 401);
}

#[tokio::test]
async fn wrong_passwords_lock_an_account_for_the_policys_minutes() {
    let app = spawn_app_with(&["--lockout", "2:30"]).await;
    for _ in 0..2 {
        let wrong = app
            .post_form(
                "/v8/Token",
                "grant_type=password&username=admin&password=nope",
            )
            .await;
        assert_oauth_error(wrong, "invalid_grant").await;
    }
    let locked = app
        .post_form(
            "/v8/Token",
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_eq!(locked.status(), 400);
    let body: Value = locked.json().await.unwrap();
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("locked out"),
        "{body}"
    );
    app.server.state.clock.advance(TimeDelta::minutes(30));
    assert_eq!(app.login().await["userName"], "admin");
}

/// The `XSRF-TOKEN` value a token answer sets, if it sets one.
fn antiforgery_cookie(response: &reqwest::Response) -> Option<String> {
    let cookie = response.headers().get("set-cookie")?.to_str().unwrap();
    let (pair, attributes) = cookie.split_once(';').unwrap();
    assert!(attributes.contains("secure"), "{cookie}");
    pair.strip_prefix("XSRF-TOKEN=").map(str::to_owned)
}

#[tokio::test]
async fn v7_on_logins_set_an_antiforgery_cookie_unless_the_client_disables_it() {
    let app = spawn_app().await;
    let form = "grant_type=password&username=admin&password=admin";
    for version in ["v7", "v8"] {
        let response = app.post_form(&format!("/{version}/token"), form).await;
        assert_eq!(response.status(), 200);
        let cookie = antiforgery_cookie(&response).expect("an antiforgery cookie");
        assert_eq!(cookie.len(), 64);
        let disabled = app
            .post_form(
                &format!("/{version}/token"),
                &format!("{form}&disable_antiforgery_token=true"),
            )
            .await;
        assert!(antiforgery_cookie(&disabled).is_none());
    }
    let json_disabled = app
        .client
        .post(app.url("/v8/token"))
        .json(
            &serde_json::json!({"grant_type": "password", "username": "admin",
            "password": "admin", "disable_antiforgery_token": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(json_disabled.status(), 200);
    assert!(antiforgery_cookie(&json_disabled).is_none());
    let v6 = app.post_form("/v6/token", form).await;
    assert!(antiforgery_cookie(&v6).is_none(), "v6 has no antiforgery");
    let lenient = app.post_form("/v8/token", form).await;
    let token = lenient.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get("/v8/Jobs", Some(&token)).await.status(),
        200,
        "lenient by default: the cookie is not asked for"
    );
}

#[tokio::test]
async fn strict_antiforgery_asks_for_the_token_on_every_request_and_refresh() {
    let app = spawn_app_with(&["--antiforgery", "strict"]).await;
    let login = app
        .post_form(
            "/v8/token",
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    let antiforgery = antiforgery_cookie(&login).unwrap();
    let pair: Value = login.json().await.unwrap();
    let access = pair["access_token"].as_str().unwrap();
    let refresh = pair["refresh_token"].as_str().unwrap();

    let bare = app.get("/v8/Jobs", Some(access)).await;
    assert_eq!(bare.status(), 400);
    let refusal: Value = bare.json().await.unwrap();
    assert_eq!(refusal["errorCode"], "ParameterValidationFailure");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("X-XSRF-TOKEN"),
        "{refusal}"
    );
    let by_header = app
        .client
        .get(app.url("/v8/Jobs"))
        .bearer_auth(access)
        .header("X-XSRF-TOKEN", &antiforgery)
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), 200);
    let by_cookie = app
        .client
        .get(app.url("/v8/Jobs"))
        .bearer_auth(access)
        .header("Cookie", format!("theme=dark; XSRF-TOKEN={antiforgery}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 200);
    let wrong = app
        .client
        .get(app.url("/v8/Jobs"))
        .bearer_auth(access)
        .header("X-XSRF-TOKEN", "0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);

    let form = format!("grant_type=refresh_token&refresh_token={refresh}");
    assert_oauth_error(app.post_form("/v8/token", &form).await, "invalid_grant").await;
    let refreshed = app
        .client
        .post(app.url("/v8/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-XSRF-TOKEN", &antiforgery)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refreshed.status(),
        200,
        "the refused refresh left it usable"
    );

    let opted_out: Value = app
        .post_form(
            "/v8/token",
            "grant_type=password&username=admin&password=admin&disable_antiforgery_token=true",
        )
        .await
        .json()
        .await
        .unwrap();
    let plain = opted_out["access_token"].as_str().unwrap();
    assert_eq!(app.get("/v8/Jobs", Some(plain)).await.status(), 200);
}

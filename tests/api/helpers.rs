//! Starts the emulator on 127.0.0.1:0 with its own certificate and talks to it over real HTTPS.

use clap::Parser;
use reqwest::{Certificate, Client, Method, Response};
use serde_json::{Value, json};
use vb365_mock::RunningServer;
use vb365_mock::config::Config;

pub const SEED_SESSION: &str = "be376069-2865-4156-a9bc-825cef7d687e";
pub const SEED_JOB: &str = "9d2b7f40-61a3-4c8e-b5d2-3e8f1a7c0b64";
pub const SEED_ORGANIZATION: &str = "4c5a8e17-3b0d-4f6e-9a21-6d7f0b8c2e91";
/// A world that does not move, answering the static token `t`.
pub const FROZEN: &[&str] = &[
    "--clock",
    "frozen:2017-04-04T09:00:00Z",
    "--static-token",
    "t",
];

pub struct TestApp {
    pub server: RunningServer,
    /// `https://localhost:<port>`, trusted through the server's own certificate.
    pub base: String,
    pub client: Client,
}

/// The emulator with its default flags and world.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The emulator started with extra command-line flags. The clock is frozen at the start
/// unless the flags set it (`--clock real` for wall time), so that no schedule fires in the
/// middle of a test.
pub async fn spawn_app_with(flags: &[&str]) -> TestApp {
    let mut argv = vec!["vb365-mock", "--listen", "127.0.0.1:0"];
    if !flags.contains(&"--clock") {
        argv.extend_from_slice(&["--clock", "frozen"]);
    }
    argv.extend_from_slice(flags);
    let config = Config::try_parse_from(argv).expect("test flags parse");
    let world = vb365_mock::startup_world(&config).expect("the start-up world loads");
    let server = vb365_mock::start(&config, world)
        .await
        .expect("the emulator starts");
    let client = client_trusting(&server, "localhost", |builder| builder);
    let base = format!("https://localhost:{}", server.addr.port());
    TestApp {
        server,
        base,
        client,
    }
}

/// A client that trusts only the server's certificate and sends `host` to the server.
pub fn client_trusting(
    server: &RunningServer,
    host: &str,
    customize: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> Client {
    let certificate =
        Certificate::from_pem(server.certificate_pem.as_bytes()).expect("the server's PEM parses");
    customize(
        Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(certificate)
            .resolve(host, server.addr),
    )
    .build()
    .expect("the client builds")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_form(&self, path: &str, form: &str) -> Response {
        self.client
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .expect("the request is answered")
    }

    /// Logs in as admin/admin and returns the whole token response.
    pub async fn login(&self) -> Value {
        let response = self
            .post_form(
                "/v3/Token",
                "grant_type=password&username=admin&password=admin",
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("the token response is JSON")
    }

    pub async fn access_token(&self) -> String {
        self.login().await["access_token"]
            .as_str()
            .expect("access_token is a string")
            .to_owned()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the request is answered")
    }

    /// GET with `token`, expecting 200 and JSON.
    pub async fn json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, Some(token)).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("the body is JSON")
    }

    /// GET an absolute href taken from a response's `_links`, expecting 200 and JSON.
    pub async fn follow(&self, href: &Value, token: &str) -> Value {
        let href = href.as_str().expect("an href is a string");
        let path = href
            .strip_prefix(&self.base)
            .unwrap_or_else(|| panic!("{href} is not on {}", self.base));
        self.json(path, token).await
    }

    /// GET a relative href (v6 on) with the static token `t`, expecting 200 and JSON.
    pub async fn follow_relative(&self, href: &Value) -> Value {
        self.json(href.as_str().expect("an href is a string"), "t")
            .await
    }

    /// GET with a fresh token, expecting 200 and JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let token = self.access_token().await;
        let response = self.get(path, Some(&token)).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("the body is JSON")
    }
}

/// Asserts the vendor's `{"message": ...}` error shape with the given status.
pub async fn assert_error(response: Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = response.json().await.expect("the error body is JSON");
    let object = body.as_object().expect("the error body is an object");
    assert_eq!(object.len(), 1, "only `message` in {body}");
    object["message"]
        .as_str()
        .expect("message is a string")
        .to_owned()
}

/// A timestamp of a response, parsed: .NET's round-trip form is RFC 3339 with up to seven
/// fractional digits, so times compare as instants, not as text.
pub fn time(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a time"));
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// The `problems` of a refused world, in order.
pub fn problems(body: &Value) -> Vec<&str> {
    body["problems"]
        .as_array()
        .expect("problems is an array")
        .iter()
        .map(|problem| problem.as_str().expect("a problem is a string"))
        .collect()
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("{value} is not an object"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

impl TestApp {
    /// A control API call with a JSON body (or none).
    pub async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the request is answered")
    }
}

/// Starts a run of the seed job through the control API; the new session's id.
pub async fn start(app: &TestApp, scenario: Value) -> String {
    let response = app
        .admin(
            Method::POST,
            &format!("/__admin/jobs/{SEED_JOB}/start"),
            Some(&json!({ "scenario": scenario })),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["sessionId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An API call with the static token `t` and a JSON body (or none): the status and the
/// JSON answer, null when the answer is empty.
pub async fn send(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth("t");
    if let Some(body) = body {
        request = request.json(&body);
    }
    status_and_json(request.send().await.unwrap()).await
}

/// A response's status and its JSON body, null when the body is empty.
pub async fn status_and_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, body)
}

/// The world as the control API exports it, as text: two exports are equal when nothing
/// changed.
pub async fn world_text(app: &TestApp) -> String {
    app.admin(Method::GET, "/__admin/world", None)
        .await
        .text()
        .await
        .unwrap()
}

/// Exports the world and loads the export back in: the exported text.
pub async fn reload_exported_world(app: &TestApp) -> String {
    let exported = world_text(app).await;
    let reloaded = app
        .admin(
            Method::PUT,
            "/__admin/world",
            Some(&serde_json::from_str(&exported).unwrap()),
        )
        .await;
    assert!(
        reloaded.status().is_success(),
        "{}",
        reloaded.text().await.unwrap()
    );
    exported
}

/// Exports the world, edits the export and takes it back through the control API.
pub async fn rewrite_world(app: &TestApp, edit: impl FnOnce(&mut Value)) {
    let mut world: Value = app
        .admin(Method::GET, "/__admin/world", None)
        .await
        .json()
        .await
        .unwrap();
    edit(&mut world);
    let response = app.admin(Method::PUT, "/__admin/world", Some(&world)).await;
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

/// The 30 entries from offset 500,000 of a listing `path` (with a query), after checking
/// that its first page links the next one with the same query.
pub async fn page_from_the_middle(app: &TestApp, path: &str) -> Vec<Value> {
    let first = app.json(&format!("{path}&limit=1"), "t").await;
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    let (_, query) = path.split_once('?').unwrap();
    assert!(next.contains("offset=1") && next.contains(query), "{next}");
    let middle = app
        .json(&format!("{path}&offset=500000&limit=30"), "t")
        .await;
    let entries = middle["results"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 30);
    entries
}

/// Moves the virtual clock on through the control API.
pub async fn advance(app: &TestApp, seconds: f64) {
    let (status, answer) = try_advance(app, seconds).await;
    assert_eq!(status, 200, "{answer}");
}

/// Asks the control API to move the virtual clock on: its status and answer.
pub async fn try_advance(app: &TestApp, seconds: f64) -> (u16, Value) {
    let response = app
        .admin(
            Method::POST,
            "/__admin/clock/advance",
            Some(&json!({ "seconds": seconds })),
        )
        .await;
    status_and_json(response).await
}

/// The application called in process (`app(state).oneshot`), without TLS or sockets: for
/// shapes and dialects, where the wire itself is not the point.
pub struct InProcess {
    router: axum::Router,
}

/// What an in-process call answered.
pub struct Answer {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {:?}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The application with `flags` (a frozen clock unless they set one), `static-token` `t`.
pub fn in_process(flags: &[&str]) -> InProcess {
    let mut argv = vec!["vb365-mock", "--static-token", "t"];
    if !flags.contains(&"--clock") {
        argv.extend_from_slice(&["--clock", "frozen"]);
    }
    argv.extend_from_slice(flags);
    let config = Config::try_parse_from(argv).expect("test flags parse");
    let world = vb365_mock::startup_world(&config).expect("the start-up world loads");
    InProcess {
        router: vb365_mock::app(vb365_mock::AppState::new(&config, world)),
    }
}

impl InProcess {
    /// Sends `method path` with the static token (when `authorized`) and `body`.
    pub async fn call(&self, method: &str, path: &str, body: &str, authorized: bool) -> Answer {
        use tower::ServiceExt;
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("Host", "in.process:4443");
        if authorized {
            request = request.header("Authorization", "Bearer t");
        }
        if !body.is_empty() {
            request = request.header("Content-Type", "application/json");
        }
        let request = request
            .body(axum::body::Body::from(body.to_owned()))
            .expect("the request builds");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body is read")
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call("GET", path, "", true).await
    }
}

/// The built binary, started as a child process on a free port with `--ready-json`.
pub struct Spawned {
    pub child: std::process::Child,
    /// The ready line, parsed.
    pub ready: Value,
    /// The rest of stdout, to read once the child has stopped.
    pub stdout: std::io::BufReader<std::process::ChildStdout>,
    /// A client that trusts the certificate the ready line gives and resolves `localhost`
    /// to loopback.
    pub client: Client,
    /// `https://localhost:<port>`.
    pub base: String,
}

/// Starts the binary with `args` after `--listen 127.0.0.1:0 --ready-json`, lets
/// `configure` add to the command (environment, stderr), and waits for the ready line.
pub fn spawn_binary(args: &[&str], configure: impl FnOnce(&mut std::process::Command)) -> Spawned {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let mut command = Command::new(env!("CARGO_BIN_EXE_vb365-mock"));
    command
        .args(["--listen", "127.0.0.1:0", "--ready-json"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    configure(&mut command);
    let mut child = command.spawn().expect("the binary starts");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("stdout is readable");
    let ready: Value = serde_json::from_str(&line)
        .unwrap_or_else(|error| panic!("the first line is not JSON ({error}): {line:?}"));
    let port = ready["port"].as_u64().expect("the ready line has a port");
    let certificate = Certificate::from_pem(
        ready["certificatePem"]
            .as_str()
            .expect("the ready line has the certificate")
            .as_bytes(),
    )
    .expect("the certificate parses");
    let client = Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(certificate)
        .resolve("localhost", ([127, 0, 0, 1], 0).into())
        .build()
        .expect("the client builds");
    Spawned {
        child,
        ready,
        stdout,
        client,
        base: format!("https://localhost:{port}"),
    }
}

impl Spawned {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the child with SIGTERM, as an orchestrator does, and waits for it.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.child.wait().expect("the child is waited for")
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A fresh file path under the temporary directory for this test process.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vb365-mock-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is made");
    dir.join(name)
}

/// An Exchange restore session opened on the seed organization, and its first mailbox.
pub struct ExploredMailbox {
    pub session: String,
    /// `/{version}/RestoreSessions/{session}/organization/mailboxes/{mailbox}`.
    pub path: String,
}

/// Opens an Exchange restore session on the seed organization in `version` (`v7`).
pub async fn explore_first_mailbox(app: &TestApp, version: &str) -> ExploredMailbox {
    let (status, session) = send(
        app,
        Method::POST,
        &format!("/{version}/Organizations/{SEED_ORGANIZATION}/explore"),
        Some(json!({"type": "Vex"})),
    )
    .await;
    assert!(status == 200 || status == 201, "explore: {session}");
    let session = session["id"].as_str().unwrap().to_owned();
    let mailboxes = format!("/{version}/RestoreSessions/{session}/organization/mailboxes");
    let mailbox = app.json(&mailboxes, "t").await["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ExploredMailbox {
        session,
        path: format!("{mailboxes}/{mailbox}"),
    }
}

/// Makes a user some role names as its restore operator an account of the world (password
/// `operator`, in place of one of the same name) and logs them in on version `v`: their
/// login and access token.
pub async fn sign_in_role_operator(app: &TestApp, v: &str) -> (String, String) {
    let (_, roles) = send(app, Method::GET, &format!("/{v}/RbacRoles"), None).await;
    let mut login = None;
    for role in roles.as_array().or(roles["results"].as_array()).unwrap() {
        let role = role["id"].as_str().unwrap();
        let (_, operators) = send(
            app,
            Method::GET,
            &format!("/{v}/RbacRoles/{role}/operators"),
            None,
        )
        .await;
        login = operators
            .as_array()
            .or(operators["results"].as_array())
            .unwrap()
            .iter()
            .find_map(|operator| operator["user"]["name"].as_str().map(str::to_owned));
        if login.is_some() {
            break;
        }
    }
    let login = login.expect("a seed role names a user as its operator");
    rewrite_world(app, |world| {
        let users = world["users"].as_array_mut().unwrap();
        users.retain(|user| user["name"] != json!(login));
        users.push(json!({"name": login, "password": "operator"}));
    })
    .await;
    let response = app
        .client
        .post(app.url(&format!("/{v}/token")))
        .form(&[
            ("grant_type", "password"),
            ("username", &login),
            ("password", "operator"),
        ])
        .send()
        .await
        .unwrap();
    let token: Value = response.json().await.unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    (login, token)
}

/// A body with the keys of `extra` added.
pub fn merged(body: &Value, extra: &Value) -> Value {
    let mut body = body.clone();
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

//! Contract tests: every v6..v8 route the emulator serves, and every response it sends on
//! them (success and error), validates against the vendor's OpenAPI document for that
//! version, across the default world and generated ones.
//!
//! The documents are the vendor's and are not copied into the project: the tests read them
//! from `VB365_OPENAPI_DIR`, by default `../shared/openapi` beside the checkout. Where they
//! are missing the tests fail and say so, unless `VB365_SKIP_CONTRACTS=1` says to run
//! without them.
//!
//! The routes come from the router itself (`api::routes(version).table()`): every GET route
//! is walked with ids found in its parent collections, and the test fails on a route no
//! check reached, so a route added without a contract check fails the suite.
//!
//! Objects are closed (`additionalProperties: false`) unless the document says otherwise,
//! so a field the contract lacks fails. The only exceptions are in `ALLOWED_EXTRA`, each
//! with its reason.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use reqwest::Method;
use serde_json::{Map, Value, json};
use vb365_mock::api;
use vb365_mock::wire::Version;

use crate::helpers::{
    SEED_SESSION, TestApp, rewrite_world, sign_in_role_operator, spawn_app_with, status_and_json,
};

mod azure;
mod object_storage_browsers;
mod restore_explore;
mod teams;

/// Properties a contract gives that the emulator does not send yet: (versions, schema,
/// property). Every other property of a response schema is required of every response.
/// Empty: none today.
const NOT_SENT_YET: &[(&[&str], &str, &str)] = &[];

/// Strings a contract types as non-nullable that the service sends as null where it has no
/// value, as Json.NET writes a .NET string never set: (versions, schema, property). The
/// documents mark few strings nullable, and not consistently: v8 marks a group's
/// `onPremisesSid` nullable and a user's not, v7 neither.
const NULL_WHERE_UNSET: &[(&[&str], &str, &str)] = &[
    (&["v7", "v8"], "RESTUser", "onPremisesSid"),
    (&["v7", "v8"], "RESTRbacUser", "onPremisesSid"),
    (&["v7"], "RESTGroup", "onPremisesSid"),
    (&["v7"], "RESTRbacGroup", "onPremisesSid"),
    (&["v6", "v7", "v8"], "RESTSite", "siteCollectionError"),
    (&["v7", "v8"], "RESTTeamsPost", "parentChangeKey"),
];

/// Secrets a response never sends, though the schema it answers with lists them:
/// (schema, property).
const NEVER_SENT: &[(&str, &str)] = &[("RESTBackupAccount", "password")];

/// Schemas that join the properties of several kinds of objects (mail, appointments,
/// contacts, tasks; OneDrive documents and folders, SharePoint items): only the properties
/// every kind has are required; those of other
/// kinds are left out, as the contract types them (times, numbers) as non-nullable.
const KIND_DEPENDENT: &[(&str, &[&str])] = &[
    (
        "RESTExchangeItemsComposed",
        &[
            "mailboxId",
            "attachments",
            "subject",
            "itemClass",
            "_links",
            "_actions",
            "id",
        ],
    ),
    (
        "RESTItemComposed",
        &[
            "oneDriveId",
            "version",
            "id",
            "versionId",
            "name",
            "createdBy",
            "creationTime",
            "modifiedBy",
            "modificationTime",
            "isFolder",
            "_links",
        ],
    ),
];

/// Schemas that join the properties of several kinds of objects into one class, which the
/// service writes whole: every property is sent, and those of the other kinds are null, so
/// every property but those every kind has may be null: (schema, the common properties).
/// Teams searches answer files, posts and tabs as one `RESTChannelEntity`.
const NULL_FOR_OTHER_KINDS: &[(&str, &[&str])] =
    &[("RESTChannelEntity", &["_links", "channelId", "teamId"])];

/// Routes the emulator serves that a version's OpenAPI document leaves out, documented
/// elsewhere by the vendor: (version, method, path), with the reason. Their tests check
/// them by hand.
const DOCUMENTED_ELSEWHERE: &[(&str, &str, &str, &str)] = &[(
    "v6",
    "PUT",
    "/v6/EncryptionKeys/{keyId}",
    "the v6 help page documents editing an encryption password (200); the v6 OpenAPI document leaves it out",
)];

/// Fields the emulator sends that a contract lacks, with the reason. Empty: none today.
const ALLOWED_EXTRA: &[(&str, &str, &str)] = &[];

fn openapi_document(version: &str) -> Option<Value> {
    let dir = std::env::var_os("VB365_OPENAPI_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/openapi"),
        PathBuf::from,
    );
    let path = dir.join(format!("{version}.json"));
    if std::env::var_os("VB365_SKIP_CONTRACTS").is_some_and(|value| value == "1") {
        eprintln!("SKIPPED contract test for {version}: VB365_SKIP_CONTRACTS=1");
        return None;
    }
    let text = std::fs::read(&path).unwrap_or_else(|error| {
        panic!(
            "the vendor's OpenAPI document {} cannot be read ({error}): set VB365_OPENAPI_DIR \
             to the folder holding v6.json, v7.json and v8.json, or VB365_SKIP_CONTRACTS=1 to \
             run without the contract tests",
            path.display()
        )
    });
    Some(serde_json::from_slice(&text).expect("the OpenAPI document is JSON"))
}

/// OpenAPI 3.0 schema objects as JSON Schema: `nullable` becomes a null alternative, and
/// objects with properties are closed unless they say what else they allow. A property
/// that refers to another schema may be null: the vendor's documents never mark such
/// references nullable, while the service writes null for an object it does not have, as
/// Json.NET does (a job item names one of a user, a group, a site or a team).
fn to_json_schema(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut converted: Map<String, Value> = object
                .iter()
                .map(|(key, value)| (key.clone(), to_json_schema(value)))
                .collect();
            if let Some(Value::Object(properties)) = converted.get_mut("properties") {
                for property in properties.values_mut() {
                    if property.get("$ref").is_some() {
                        *property = json!({ "anyOf": [property.clone(), { "type": "null" }] });
                    }
                }
            }
            if converted.contains_key("properties")
                && !converted.contains_key("additionalProperties")
            {
                converted.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            if converted.remove("nullable") == Some(Value::Bool(true)) {
                return json!({ "anyOf": [Value::Object(converted), { "type": "null" }] });
            }
            Value::Object(converted)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

struct Contract {
    version: &'static str,
    document: Value,
    components: Value,
    /// The components as requests are checked against them: no property is required but
    /// those the document requires.
    request_components: Value,
    /// The operations a check reached, by method and path shape.
    reached: Mutex<HashSet<(String, Vec<String>)>>,
    /// Validators built so far, by response schema: building one compiles the components.
    validators: Mutex<HashMap<(String, u16), jsonschema::Validator>>,
}

/// A path with its parameters blanked and its literal segments in lower case, so that
/// templates compare without regard to case or parameter names.
fn shape(path: &str) -> Vec<String> {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}".to_owned()
            } else {
                segment.to_ascii_lowercase()
            }
        })
        .collect()
}

impl Contract {
    fn load(version: &'static str) -> Option<Self> {
        let document = openapi_document(version)?;
        let request_components = to_json_schema(&document["components"]);
        let mut components = request_components.clone();
        for (schema, field, _) in ALLOWED_EXTRA {
            if let Some(properties) = components["schemas"][*schema]["properties"].as_object_mut() {
                properties.insert((*field).to_owned(), json!({}));
            }
        }
        for (versions, schema, field) in NULL_WHERE_UNSET {
            if versions.contains(&version) {
                let property = &mut components["schemas"][*schema]["properties"][*field];
                assert_eq!(
                    property["type"], "string",
                    "{version}: {schema}.{field} is not a non-nullable string"
                );
                *property = json!({ "anyOf": [property.clone(), { "type": "null" }] });
            }
        }
        for (schema, common) in NULL_FOR_OTHER_KINDS {
            if let Some(properties) = components["schemas"][*schema]["properties"].as_object_mut() {
                for (field, property) in properties.iter_mut() {
                    if !common.contains(&field.as_str()) {
                        *property = json!({ "anyOf": [property.clone(), { "type": "null" }] });
                    }
                }
            }
        }
        // A response sends every property its schema gives, null where unset: each is
        // required, but for those not sent yet, which are listed with the work they wait on.
        for (name, schema) in components["schemas"].as_object_mut().unwrap() {
            let object = match schema.get_mut("anyOf") {
                Some(alternatives) => &mut alternatives[0],
                None => schema,
            };
            let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let required: Vec<Value> = properties
                .iter()
                .filter(|(_, property)| {
                    let written_only =
                        |schema: &Value| schema.get("writeOnly") == Some(&Value::Bool(true));
                    !written_only(property) && !property["anyOf"].get(0).is_some_and(written_only)
                })
                .map(|(field, _)| field)
                .filter(|field| {
                    !NOT_SENT_YET.iter().any(|(versions, schema, missing)| {
                        versions.contains(&version) && schema == name && missing == *field
                    })
                })
                .filter(|field| {
                    !NEVER_SENT
                        .iter()
                        .any(|(schema, secret)| schema == name && secret == field)
                })
                .filter(|field| {
                    KIND_DEPENDENT
                        .iter()
                        .find(|(schema, _)| schema == name)
                        .is_none_or(|(_, common)| common.contains(&field.as_str()))
                })
                .map(|field| Value::String(field.clone()))
                .collect();
            object["required"] = Value::Array(required);
        }
        Some(Self {
            version,
            document,
            components,
            request_components,
            reached: Mutex::new(HashSet::new()),
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The document's operation for `method` on a path that matches `template` without
    /// regard to case or parameter names.
    fn operation(&self, method: &Method, template: &str) -> &Value {
        let wanted = shape(template);
        let (_, item) = self.document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(path, _)| shape(path) == wanted)
            .unwrap_or_else(|| panic!("{}: the contract has no route {template}", self.version));
        item.get(method.as_str().to_ascii_lowercase())
            .unwrap_or_else(|| panic!("{}: the contract has no {method} {template}", self.version))
    }

    /// Checks a request body the tests send against the operation's request schema, so
    /// the writes they exercise are ones the contract documents.
    fn check_request(&self, method: &Method, template: &str, body: &Value) {
        let operation = self.operation(method, template);
        let schema = operation["requestBody"]["content"]["application/json"]["schema"].clone();
        assert!(
            !schema.is_null(),
            "{}: {method} {template} documents no JSON request body",
            self.version
        );
        let mut root = to_json_schema(&schema);
        root["components"] = self.request_components.clone();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(false)
            .build(&root)
            .unwrap_or_else(|error| {
                panic!("{}: request schema of {template}: {error}", self.version)
            });
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: the test's {method} {template} body breaks the contract:\n  {}\nbody: {body}",
            self.version,
            errors.join("\n  ")
        );
    }

    /// Checks that a file answer is one the contract documents: a status whose answer is
    /// a stream, not JSON.
    fn check_file(&self, method: &Method, template: &str, status: u16) {
        self.reached
            .lock()
            .unwrap()
            .insert((method.to_string(), shape(template)));
        let response = &self.operation(method, template)["responses"][status.to_string()];
        assert!(
            response.is_object() && response["content"].get("application/json").is_none(),
            "{}: {method} {template} does not document a file answer for {status}",
            self.version
        );
    }

    /// Checks `body` against the schema the contract gives for `status` on the operation.
    fn check(&self, method: &Method, template: &str, status: u16, body: &Value) {
        self.reached
            .lock()
            .unwrap()
            .insert((method.to_string(), shape(template)));
        let responses = &self.operation(method, template)["responses"];
        let response = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"))
            .unwrap_or_else(|| {
                panic!(
                    "{}: {method} {template} documents no {status}",
                    self.version
                )
            });
        let content = &response["content"];
        if status == 204 || content.as_object().is_none_or(|media| media.is_empty()) {
            assert!(
                body.is_null() && content.as_object().is_none_or(|media| media.is_empty()),
                "{}: {method} {template} {status}: the contract documents no body, got {body}",
                self.version
            );
            return;
        }
        let Some(schema) = content
            .get("application/json")
            .or_else(|| content.get("*/*"))
            .map(|media| media["schema"].clone())
        else {
            panic!(
                "{}: {method} {template} {status} documents no JSON body, got {body}",
                self.version
            );
        };
        let key = (schema.to_string(), status);
        let mut validators = self.validators.lock().unwrap();
        let validator = validators.entry(key).or_insert_with(|| {
            let mut root = to_json_schema(&schema);
            root["components"] = self.components.clone();
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .should_validate_formats(false)
                .build(&root)
                .unwrap_or_else(|error| panic!("{}: schema of {template}: {error}", self.version))
        });
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|error| {
                format!(
                    "{} at {} (schema {})",
                    error,
                    error.instance_path(),
                    error.schema_path()
                )
            })
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {method} {template} ({status}) breaks the contract:\n  {}\nbody: {body}",
            self.version,
            errors.join("\n  ")
        );
    }
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str) -> (u16, Value) {
    let response = app
        .client
        .request(method, app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// Every route the emulator serves for `version`, called with good and bad input, checked.
async fn check_version(contract: &Contract, flags: &[&str]) {
    let mut all_flags = vec![
        "--static-token",
        "t",
        "--clock",
        "frozen:2017-04-04T09:00:00Z",
    ];
    all_flags.extend_from_slice(flags);
    let app = spawn_app_with(&all_flags).await;
    let v = contract.version;
    let get = Method::GET;

    let token_response = app
        .client
        .post(app.url(&format!("/{v}/token")))
        .json(&json!({"grant_type": "password", "username": "admin", "password": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(token_response.status(), 200, "{v}: JSON token request");
    let token_body: Value = token_response.json().await.unwrap();
    contract.check(&Method::POST, &format!("/{v}/token"), 200, &token_body);

    let (status, body) = call(&app, get.clone(), &format!("/{v}/ServiceInstance"), "t").await;
    contract.check(&get, &format!("/{v}/ServiceInstance"), status, &body);

    let (status, sessions) = call(
        &app,
        get.clone(),
        &format!("/{v}/JobSessions?limit=200"),
        "t",
    )
    .await;
    assert_eq!(status, 200);
    contract.check(&get, &format!("/{v}/JobSessions"), status, &sessions);
    let results = sessions["results"].as_array().expect("a page of sessions");
    assert!(!results.is_empty());
    for session in results
        .iter()
        .take(5)
        .chain(results.iter().filter(|s| s["status"] == "Running"))
    {
        let id = session["id"].as_str().unwrap();
        let (status, body) = call(&app, get.clone(), &format!("/{v}/JobSessions/{id}"), "t").await;
        contract.check(
            &get,
            &format!("/{v}/JobSessions/{{jobSessionsId}}"),
            status,
            &body,
        );
        let (status, log) = call(
            &app,
            get.clone(),
            &format!("/{v}/JobSessions/{id}/LogItems?limit=5"),
            "t",
        )
        .await;
        contract.check(
            &get,
            &format!("/{v}/JobSessions/{{sessionId}}/LogItems"),
            status,
            &log,
        );
        if let Some(item) = log["results"].as_array().and_then(|items| items.first()) {
            let item_id = item["id"].as_str().unwrap();
            let path = format!("/{v}/JobSessions/{id}/LogItems/{item_id}");
            let (status, body) = call(&app, get.clone(), &path, "t").await;
            contract.check(
                &get,
                &format!("/{v}/JobSessions/{{sessionId}}/LogItems/{{logItemId}}"),
                status,
                &body,
            );
        }
    }

    let unknown = "00000000-0000-0000-0000-0000000000ee";
    for (path, template) in [
        (
            format!("/{v}/JobSessions/{unknown}"),
            format!("/{v}/JobSessions/{{id}}"),
        ),
        (
            format!("/{v}/JobSessions/{unknown}/LogItems"),
            format!("/{v}/JobSessions/{{id}}/LogItems"),
        ),
        (
            format!("/{v}/JobSessions?limit=-3"),
            format!("/{v}/JobSessions"),
        ),
        (
            format!("/{v}/JobSessions/{SEED_SESSION}/LogItems?offset=x"),
            format!("/{v}/JobSessions/{{id}}/LogItems"),
        ),
    ] {
        let (status, body) = call(&app, get.clone(), &path, "t").await;
        assert!(status == 400 || status == 404, "{path}: {status}");
        contract.check(&get, &template, status, &body);
    }

    let jobs: Vec<String> = results
        .iter()
        .filter_map(|session| session["_links"]["job"]["href"].as_str())
        .filter(|href| href.contains("/Jobs/"))
        .map(|href| href.rsplit('/').next().unwrap().to_owned())
        .collect();
    let job_id = &jobs[0];
    if v == "v6" {
        let (status, body) = call(
            &app,
            get.clone(),
            &format!("/{v}/Jobs/{job_id}/JobSessions"),
            "t",
        )
        .await;
        contract.check(
            &get,
            &format!("/{v}/Jobs/{{jobId}}/JobSessions"),
            status,
            &body,
        );
    } else {
        let (status, body) = call(
            &app,
            get.clone(),
            &format!("/{v}/JobSessions?jobId={job_id}"),
            "t",
        )
        .await;
        contract.check(&get, &format!("/{v}/JobSessions"), status, &body);
        assert!(body["results"].as_array().unwrap().iter().all(|s| {
            s["_links"]["job"]["href"]
                .as_str()
                .unwrap()
                .ends_with(job_id.as_str())
        }));
    }
    check_dashboard_resources(contract, &app).await;
    check_explores(contract, &app).await;
    check_every_get_route(contract, &app).await;
    check_saves(contract, &app).await;
    check_mail_restores(contract, &app).await;
    check_onedrive_restores(contract, &app).await;
    check_role_writes(contract, &app).await;
    check_logout(contract, &app).await;
    check_settings(contract, &app).await;
    check_job_writes(contract, &app).await;
    check_organization_writes(contract, &app).await;
    check_infrastructure_writes(contract, &app).await;
    check_copy_job_writes(contract, &app).await;
    check_credential_writes(contract, &app).await;
    check_license_writes(contract, &app).await;
    check_object_storage_writes(contract, &app).await;
    object_storage_browsers::check_object_storage_browsers(contract, &app).await;
    check_backup_data(contract, &app).await;
    check_organization_setup(contract, &app).await;
    azure::check_azure(contract, &app).await;
    restore_explore::check_restore_explore(contract, &app).await;
    teams::check_teams(contract, &app).await;
    for action in ["disable", "enable", "start", "stop"] {
        let path = format!("/{v}/Jobs/{job_id}/{action}");
        let (status, body) = call(&app, Method::POST, &path, "t").await;
        assert!(
            status == 200 || status == 204 || status == 400,
            "{path}: {status} {body}"
        );
        contract.check(
            &Method::POST,
            &format!("/{v}/Jobs/{{jobId}}/{action}"),
            status,
            &body,
        );
    }
    check_ec2_resources(contract, &app).await;
}

/// Sends `method path` with a JSON body (checked against the contract's request schema)
/// and checks the answer against `template`; answers the status and body.
async fn write(
    contract: &Contract,
    app: &TestApp,
    method: Method,
    path: &str,
    template: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let v = contract.version;
    let mut request = app
        .client
        .request(method.clone(), app.url(&format!("/{v}{path}")))
        .bearer_auth("t");
    if let Some(body) = body {
        contract.check_request(&method, &format!("/{v}{template}"), body);
        request = request.json(body);
    }
    let (status, answer) = status_and_json(request.send().await.unwrap()).await;
    contract.check(&method, &format!("/{v}{template}"), status, &answer);
    (status, answer)
}

/// POSTs a body the contract rejects, which the request check would refuse to send, and
/// checks the answer against `template`; answers the status and body.
async fn unchecked_post(
    contract: &Contract,
    app: &TestApp,
    path: &str,
    template: &str,
    body: &Value,
) -> (u16, Value) {
    let v = contract.version;
    let response = app
        .client
        .post(app.url(&format!("/{v}{path}")))
        .bearer_auth("t")
        .json(body)
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    contract.check(&Method::POST, &format!("/{v}{template}"), status, &answer);
    (status, answer)
}

/// Opens Exchange restore sessions on an organization, a job and (v7 on) a repository,
/// so the walk of every GET route finds sessions to browse first; stops one of others.
async fn check_explores(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let created = if version >= Version::V8 { 201 } else { 200 };
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let (_, jobs) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Jobs"),
        "t",
    )
    .await;
    let job = if version >= Version::V8 {
        let (_, jobs) = call(
            app,
            Method::GET,
            &format!("/{v}/Jobs?organizationId={organization}"),
            "t",
        )
        .await;
        ids_of(&jobs)[0].clone()
    } else {
        ids_of(&jobs)[0].clone()
    };
    let stopped = {
        let (status, session) = write(
            contract,
            app,
            Method::POST,
            "/Organization/Explore",
            "/Organization/Explore",
            Some(&json!({"type": "Vex"})),
        )
        .await;
        assert_eq!(status, created, "{v}: explore own: {session}");
        session["id"].as_str().unwrap().to_owned()
    };
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("/RestoreSessions/{stopped}/Stop"),
        "/RestoreSessions/{restoreSessionId}/Stop",
        None,
    )
    .await;
    assert_eq!(
        status,
        if version >= Version::V8 { 204 } else { 200 },
        "{v}: stop: {body}"
    );
    if version >= Version::V7 {
        let (_, job) = call(app, Method::GET, &format!("/{v}/Jobs/{job}"), "t").await;
        let repository = job["repositoryId"].as_str().unwrap().to_owned();
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("/BackupRepositories/{repository}/explore?organizationId={organization}"),
            "/BackupRepositories/{repositoryId}/explore",
            Some(&json!({})),
        )
        .await;
        assert_eq!(status, created, "{v}: explore a repository: {body}");
    }
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("/Jobs/{job}/explore"),
        "/Jobs/{jobId}/explore",
        Some(&json!({"type": "Vex"})),
    )
    .await;
    assert_eq!(status, created, "{v}: explore a job: {body}");
    for _ in 0..3 {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("/Organizations/{organization}/explore"),
            "/Organizations/{organizationId}/explore",
            Some(&json!({"type": "Vex", "dateTime": "2017-04-04T08:00:00Z"})),
        )
        .await;
        assert_eq!(status, created, "{v}: explore: {body}");
    }
    for explorer in ["Veod", "Vet", "Veod", "Vet", "Veod", "Vet"] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("/Organizations/{organization}/explore"),
            "/Organizations/{organizationId}/explore",
            Some(&json!({ "type": explorer })),
        )
        .await;
        assert_eq!(status, created, "{v}: explore in {explorer}: {body}");
    }
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("/Organizations/{organization}/explore"),
        "/Organizations/{organizationId}/explore",
        Some(&json!({"dateTime": "2001-01-01T00:00:00Z"})),
    )
    .await;
    assert_eq!(status, 400, "{v}: before the first restore point: {body}");
}

/// Saves one item and several of an Exchange session's mailbox: files, not JSON.
async fn check_saves(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let (_, sessions) = call(app, Method::GET, &format!("/{v}/RestoreSessions"), "t").await;
    let session = ids_of(&of_explorer(sessions, "/organization/mailboxes"))[0].clone();
    let base = format!("/{v}/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = call(app, Method::GET, &base, "t").await;
    let mailbox = ids_of(&mailboxes)[0].clone();
    let (_, items) = call(
        app,
        Method::GET,
        &format!("{base}/{mailbox}/items?limit=2"),
        "t",
    )
    .await;
    let items = ids_of(&items);
    let template = "/RestoreSessions/{restoreSessionId}/organization/mailboxes/{mailboxId}/items";
    let one = app
        .client
        .post(app.url(&format!("{base}/{mailbox}/items/{}/save", items[0])))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200, "{v}: save one");
    assert_ne!(
        one.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    contract.check_file(
        &Method::POST,
        &format!("/{v}{template}/{{itemId}}/save"),
        200,
    );
    let body = json!({"items": items.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()});
    contract.check_request(&Method::POST, &format!("/{v}{template}/Save"), &body);
    let several = app
        .client
        .post(app.url(&format!("{base}/{mailbox}/items/Save")))
        .bearer_auth("t")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(several.status(), 200, "{v}: save several");
    assert_eq!(several.headers()["content-type"], "application/zip");
    contract.check_file(&Method::POST, &format!("/{v}{template}/Save"), 200);
}

/// Logs a session out where the version can (v7 on): 204, and the token is refused after.
async fn check_logout(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    if !version.has_logout() {
        return;
    }
    let token = app.access_token().await;
    let (status, answer) = call(app, Method::POST, &format!("/{v}/token/logout"), &token).await;
    contract.check(
        &Method::POST,
        &format!("/{v}/token/logout"),
        status,
        &answer,
    );
    let expected = if version >= Version::V8 { 204 } else { 200 };
    assert_eq!(status, expected, "{v}: log out: {answer}");
    let (status, _) = call(app, Method::GET, &format!("/{v}/Jobs"), &token).await;
    assert_eq!(status, 401, "{v}: a token after its logout");
}

/// Creates a restore operator role, edits it, adds and removes operators and items, then
/// deletes it; and the refusals: every request and answer checked.
async fn check_role_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let (_, users) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Users?limit=50"),
        "t",
    )
    .await;
    let users: Vec<Value> = users["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["type"] == "User")
        .cloned()
        .collect();
    let (_, groups) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Groups?limit=1"),
        "t",
    )
    .await;
    let group = &groups["results"][0];
    let user = |index: usize| {
        let user = &users[index];
        json!({"type": "User", "user": {"id": user["id"], "displayName": user["displayName"], "name": user["name"], "type": user["type"]}})
    };
    let create = json!({
        "name": "Contract checkers",
        "description": "made by the contract test",
        "roleType": "SpecificObjects",
        "operators": [user(0), {"type": "Group", "group": {"id": group["id"], "displayName": group["displayName"], "name": group["name"], "type": group["type"]}}],
        "selectedItems": [user(1)],
        "excludedItems": [],
    });
    let created = if version >= Version::V8 { 201 } else { 200 };
    let roles = format!("/Organizations/{organization}/RbacRoles");
    let roles_t = "/Organizations/{organizationId}/RbacRoles";
    let (status, role) = write(contract, app, Method::POST, &roles, roles_t, Some(&create)).await;
    assert_eq!(status, created, "{v}: create a role: {role}");
    let id = role["id"].as_str().unwrap().to_owned();
    let (status, body) = write(contract, app, Method::POST, &roles, roles_t, Some(&create)).await;
    assert_eq!(status, 400, "{v}: a second role of the same name: {body}");
    let mut no_operator = create.clone();
    no_operator["name"] = json!("Nobody");
    no_operator["operators"] = json!([]);
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &roles,
        roles_t,
        Some(&no_operator),
    )
    .await;
    assert_eq!(status, 400, "{v}: a role without operators: {body}");
    let mut stranger = create.clone();
    stranger["name"] = json!("Strangers");
    let mut nobody = user(1);
    nobody["user"]["id"] = json!("00000000-0000-4000-8000-000000000001");
    stranger["selectedItems"] = json!([nobody]);
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &roles,
        roles_t,
        Some(&stranger),
    )
    .await;
    assert_eq!(status, 404, "{v}: an object of no organization: {body}");

    let role_path = format!("/RbacRoles/{id}");
    let role_t = "/RbacRoles/{roleId}";
    let edit = json!({"name": "Contract checkers", "description": "edited", "roleType": "EntireOrganization"});
    let (status, body) = write(contract, app, Method::PUT, &role_path, role_t, Some(&edit)).await;
    assert_eq!(status, 204, "{v}: edit a role: {body}");
    for (list, item) in [
        ("operators", user(2)),
        ("selectedItems", user(2)),
        ("excludedItems", user(2)),
    ] {
        let path = format!("{role_path}/{list}");
        let template = format!("{role_t}/{list}");
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &path,
            &template,
            Some(&json!([item])),
        )
        .await;
        assert_eq!(status, 204, "{v}: add to {list}: {body}");
        let added = item["user"]["id"].as_str().unwrap();
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("{path}?ids={added}"),
            &template,
            None,
        )
        .await;
        assert_eq!(status, 204, "{v}: remove from {list}: {body}");
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("{path}?ids={added}"),
            &template,
            None,
        )
        .await;
        assert_eq!(status, 404, "{v}: remove from {list} again: {body}");
    }
    let (status, body) = write(contract, app, Method::DELETE, &role_path, role_t, None).await;
    assert_eq!(status, 204, "{v}: delete a role: {body}");
    let (status, body) = write(contract, app, Method::DELETE, &role_path, role_t, None).await;
    assert_eq!(status, 404, "{v}: delete it again: {body}");
}

/// What a client configures on an organization: retention exclusions written, read back and
/// cleared; writes to an unknown organization and bodies of the wrong shape refused.
async fn check_organization_setup(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let written = if version >= Version::V8 { 204 } else { 200 };
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let unknown = "00000000-0000-0000-0000-0000000000e7";
    let exclusion = "/Organizations/{organizationId}/RetentionExclusion";
    let path = format!("/Organizations/{organization}/RetentionExclusion");
    let body = json!({"contacts": true, "calendar": false});
    let (status, answer) = write(contract, app, Method::PUT, &path, exclusion, Some(&body)).await;
    assert_eq!(status, written, "{v}: PUT {path}: {answer}");
    let (status, read) = write(contract, app, Method::GET, &path, exclusion, None).await;
    assert_eq!((status, &read), (200, &body), "{v}: {path} read back");
    let (status, answer) = write(contract, app, Method::DELETE, &path, exclusion, None).await;
    assert_eq!(status, 204, "{v}: DELETE {path}: {answer}");
    let (_, read) = write(contract, app, Method::GET, &path, exclusion, None).await;
    assert_eq!(
        read,
        json!({"contacts": false, "calendar": false}),
        "{v}: cleared"
    );
    let elsewhere = format!("/Organizations/{unknown}/RetentionExclusion");
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let body = (method == Method::PUT).then_some(&body);
        let (status, answer) =
            write(contract, app, method.clone(), &elsewhere, exclusion, body).await;
        assert_eq!(status, 404, "{v}: {method} {elsewhere}: {answer}");
    }
    let response = app
        .client
        .put(app.url(&format!("/{v}{path}")))
        .bearer_auth("t")
        .json(&json!({"contacts": "always"}))
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, 400, "{v}: a wrong type: {answer}");
    contract.check(&Method::PUT, &format!("/{v}{exclusion}"), status, &answer);

    let members = "/Organizations/{organizationId}/Groups/{groupId}/Members";
    for path in [
        format!("/Organizations/{organization}/Groups/{unknown}/Members"),
        format!("/Organizations/{unknown}/Groups/{unknown}/Members"),
    ] {
        let (status, answer) = write(contract, app, Method::GET, &path, members, None).await;
        assert_eq!(status, 404, "{v}: GET {path}: {answer}");
    }
    let (_, groups) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Groups"),
        "t",
    )
    .await;
    let group = &ids_of(&groups)[0];
    let path = format!("/Organizations/{organization}/Groups/{group}/Members?limit=1&offset=1");
    let (status, answer) = write(contract, app, Method::GET, &path, members, None).await;
    assert_eq!(status, 200, "{v}: GET {path}: {answer}");
    let path = format!("/Organizations/{organization}/Groups/{group}/Members?limit=-1");
    let (status, answer) = write(contract, app, Method::GET, &path, members, None).await;
    assert_eq!(status, 400, "{v}: GET {path}: {answer}");
    check_audit_items(contract, app, &organization).await;
    check_logged_in_operator(contract, app).await;
}

/// Audit items of an organization: a user and a group added, listed, one removed; a site,
/// an unknown user and an unknown item refused.
async fn check_audit_items(contract: &Contract, app: &TestApp, organization: &str) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let template = "/Organizations/{organizationId}/AuditItems";
    let remove = "/Organizations/{organizationId}/AuditItems/remove";
    let path = format!("/Organizations/{organization}/AuditItems");
    let first_id = |collection: &'static str| async move {
        let path = format!("/{v}/Organizations/{organization}/{collection}");
        let (_, listing) = call(app, Method::GET, &path, "t").await;
        ids_of(&listing)[0].clone()
    };
    let user = first_id("Users").await;
    let group = first_id("Groups").await;
    let site = first_id("Sites").await;
    let body = json!([
        {"type": "User", "user": {"id": user}},
        {"type": "Group", "group": {"id": group}},
    ]);
    let (status, answer) = write(contract, app, Method::POST, &path, template, Some(&body)).await;
    let added = if version >= Version::V8 { 204 } else { 201 };
    assert_eq!(status, added, "{v}: POST {path}: {answer}");
    let (status, items) = write(contract, app, Method::GET, &path, template, None).await;
    assert_eq!(
        (status, ids_of(&items)),
        (200, vec![user.clone(), group.clone()]),
        "{v}: {items}"
    );
    let unknown = "00000000-0000-0000-0000-0000000000e8";
    for body in [
        json!([{"type": "Site", "site": {"id": site}}]),
        json!([{"type": "User", "user": {"id": unknown}}]),
        json!([{"type": "Mailbox"}]),
    ] {
        let (status, answer) = unchecked_post(contract, app, &path, template, &body).await;
        assert_eq!(status, 400, "{v}: {body}: {answer}");
    }
    let removal = format!("{path}/remove");
    let (status, answer) = write(
        contract,
        app,
        Method::POST,
        &removal,
        remove,
        Some(&json!({"itemIds": [unknown]})),
    )
    .await;
    assert_eq!(status, 400, "{v}: {answer}");
    let (status, answer) = write(
        contract,
        app,
        Method::POST,
        &removal,
        remove,
        Some(&json!({"itemIds": [user, group]})),
    )
    .await;
    assert_eq!(
        status,
        if version >= Version::V8 { 204 } else { 200 },
        "{v}: {answer}"
    );
}

/// `/Organization/LoggedInUser` as a restore operator of a seed role sees it: a login is
/// added to the world for the operator, who then asks who they are and what they manage.
async fn check_logged_in_operator(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let (login, token) = sign_in_role_operator(app, v).await;
    let token = token.as_str();
    let base = format!("/{v}/Organization/LoggedInUser");
    let (status, user) = call(app, Method::GET, &base, token).await;
    assert_eq!((status, user["name"].as_str()), (200, Some(login.as_str())));
    contract.check(&Method::GET, &base, status, &user);
    let (status, info) = call(app, Method::GET, &format!("{base}/OperatorInfo"), token).await;
    assert_eq!(info["isOperator"], true, "{v}: {info}");
    contract.check(&Method::GET, &format!("{base}/OperatorInfo"), status, &info);
    let (status, scope) = call(app, Method::GET, &format!("{base}/EffectiveScope"), token).await;
    contract.check(
        &Method::GET,
        &format!("{base}/EffectiveScope"),
        status,
        &scope,
    );
    let managed = scope["users"][0]["id"]
        .as_str()
        .expect("the operator manages a user");
    if v != "v6" {
        let points = format!("{base}/RestorePoints");
        let (status, body) = call(
            app,
            Method::GET,
            &format!("{points}?rbacItem={managed}"),
            token,
        )
        .await;
        assert!(!body.as_array().unwrap().is_empty(), "{v}: {body}");
        contract.check(&Method::GET, &points, status, &body);
        for query in [
            "?isCopy=maybe",
            "?rbacItem=00000000-0000-0000-0000-0000000000e7",
        ] {
            let (status, body) = call(app, Method::GET, &format!("{points}{query}"), token).await;
            assert!(
                status == 400 || status == 404,
                "{v}: {query}: {status} {body}"
            );
            contract.check(&Method::GET, &points, status, &body);
        }
    }
}

/// Sends `method path` with a body the contract's request schema does not allow (a wrong
/// type, a value outside an enum): the version's 400, checked against the contract.
async fn refuse(contract: &Contract, app: &TestApp, method: Method, path: &str, body: &Value) {
    let v = contract.version;
    let response = app
        .client
        .request(method.clone(), app.url(&format!("/{v}{path}")))
        .bearer_auth("t")
        .json(body)
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, 400, "{v}: {method} {path} {body}: {answer}");
    contract.check(&method, &format!("/{v}{path}"), status, &answer);
}

/// The server's settings: each product's email settings written, read back without their
/// password, tested and (where the version has it) signed in with OAuth; history, the
/// internet proxy, exclusions, management mode and updates written; and the refusals.
async fn check_settings(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let written = if version >= Version::V8 { 204 } else { 200 };
    let get = |path: &'static str| async move {
        let (status, body) = call(app, Method::GET, &format!("/{v}{path}"), "t").await;
        assert_eq!(status, 200, "{v}: GET {path}: {body}");
        contract.check(&Method::GET, &format!("/{v}{path}"), status, &body);
        body
    };
    let products: [(&str, &str, bool); 6] = [
        ("/VboEmailSettings", "SendTest", true),
        ("/AuditEmailSettings", "SendTest", true),
        ("/VexEmailSettings", "SendTest", false),
        ("/VeodEmailSettings", "SendTestEmail", false),
        ("/VespEmailSettings", "SendTestEmail", false),
        ("/VetEmailSettings", "sendTest", false),
    ];
    for (path, test_action, own_recipients) in products {
        let test = format!(
            "{path}/{}",
            if version >= Version::V8 {
                "SendTestEmail"
            } else {
                test_action
            }
        );
        let mut settings = json!({
            "enableNotification": true,
            "port": 587,
            "useAuthentication": true,
            "username": "mailer",
            "userPassword": "s3cret-smtp",
            "useSSL": true,
            "from": "backup@contoso.example",
        });
        if own_recipients {
            settings["smtpServer"] = json!("smtp.contoso.example");
            settings["to"] = json!("ops@contoso.example");
            settings["subject"] = json!("Backup report");
        } else {
            settings["server"] = json!("smtp.contoso.example");
        }
        let (status, body) = write(contract, app, Method::PUT, path, path, Some(&settings)).await;
        assert_eq!(status, written, "{v}: PUT {path}: {body}");
        let read = get(path).await;
        assert_eq!(read["port"], 587, "{v}: {path} read back: {read}");
        assert!(
            !read.to_string().contains("s3cret"),
            "{v}: {path} shows its password: {read}"
        );
        refuse(
            contract,
            app,
            Method::PUT,
            path,
            &json!({"port": "twenty-five"}),
        )
        .await;
        refuse(contract, app, Method::PUT, path, &json!({"port": 0})).await;
        let recipient = json!({"email": "tester@contoso.example"});
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &test,
            &test,
            (!own_recipients).then_some(&recipient),
        )
        .await;
        assert_eq!(status, written, "{v}: POST {test}: {body}");
        if !own_recipients {
            refuse(
                contract,
                app,
                Method::POST,
                &test,
                &json!({"email": "nobody"}),
            )
            .await;
        }
        let has_sign_in = if own_recipients {
            version >= Version::V7
        } else {
            version >= Version::V8
        };
        if !has_sign_in {
            continue;
        }
        let prepare = format!("{path}/PrepareOAuthSignIn");
        let sign_in = json!({
            "authenticationServiceKind": "Microsoft365",
            "clientId": "8d7f6e5c-0000-4000-8000-000000000001",
            "clientSecret": "s3cret-app",
            "tenantId": "contoso.onmicrosoft.com",
            "redirectUrl": "https://localhost/signed-in",
        });
        let (status, prepared) = write(
            contract,
            app,
            Method::POST,
            &prepare,
            &prepare,
            Some(&sign_in),
        )
        .await;
        assert_eq!(status, 200, "{v}: {prepare}: {prepared}");
        refuse(
            contract,
            app,
            Method::POST,
            &prepare,
            &json!({"authenticationServiceKind": "Yahoo"}),
        )
        .await;
        let request_id = prepared["requestId"].as_str().unwrap().to_owned();
        let complete = format!("{path}/CompleteOAuthSignIn");
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &complete,
            &complete,
            Some(&json!({"code": "0.AXoA", "state": "not-a-request"})),
        )
        .await;
        assert_eq!(status, 400, "{v}: completing no sign-in: {body}");
        let (status, completed) = write(
            contract,
            app,
            Method::POST,
            &complete,
            &complete,
            Some(&json!({"code": "0.AXoA", "state": request_id})),
        )
        .await;
        assert_eq!(status, 200, "{v}: {complete}: {completed}");
        assert_eq!(completed["requestId"], json!(request_id));
        let mut signed_in = json!({"requestId": request_id});
        if own_recipients {
            signed_in["authenticationType"] = json!("Microsoft365");
        }
        let (status, body) = write(contract, app, Method::PUT, path, path, Some(&signed_in)).await;
        assert_eq!(status, written, "{v}: PUT {path} signed in: {body}");
        let read = get(path).await;
        assert_eq!(read["authenticationType"], "Microsoft365", "{v}: {read}");
        assert_eq!(read["isAuthenticated"], true, "{v}: {read}");
        refuse(
            contract,
            app,
            Method::PUT,
            path,
            &json!({"authenticationType": "Pigeon"}),
        )
        .await;
    }

    for (path, body, bad) in [
        (
            "/HistorySettings",
            json!({"keepAllsessions": false, "keeponlyLast": 30}),
            json!({"keepAllsessions": false, "keeponlyLast": 0}),
        ),
        (
            "/InternetProxySettings",
            json!({"useInternetProxy": true, "hostName": "proxy.contoso.example", "port": 3128, "useAuthentication": true, "username": "relay", "userPassword": "s3cret-proxy"}),
            json!({"useInternetProxy": true, "hostName": "", "port": 3128}),
        ),
        (
            "/ExclusionSettings",
            json!({"deletedItems": true, "junkEmail": true}),
            json!({"drafts": "yes"}),
        ),
        (
            "/GlobalRetentionExclusionSettings",
            json!({"contacts": true, "calendar": false}),
            json!({"calendar": 1}),
        ),
    ] {
        let (status, answer) = write(contract, app, Method::PUT, path, path, Some(&body)).await;
        assert_eq!(status, written, "{v}: PUT {path}: {answer}");
        let read = get(path).await;
        assert!(!read.to_string().contains("s3cret"), "{v}: {read}");
        refuse(contract, app, Method::PUT, path, &bad).await;
    }
    assert_eq!(get("/HistorySettings").await["keeponlyLast"], 30);

    let mode = get("/ManagementMode").await;
    assert_eq!(mode["isManaged"], false, "{v}: {mode}");
    if version <= Version::V7 {
        let managed = json!({"isManaged": true, "managerId": "6f0c3b1e-0000-4000-8000-0000000000aa", "companyName": "Service provider"});
        let (status, body) = write(
            contract,
            app,
            Method::PUT,
            "/ManagementMode",
            "/ManagementMode",
            Some(&managed),
        )
        .await;
        assert_eq!(status, written, "{v}: PUT /ManagementMode: {body}");
        assert_eq!(
            get("/ManagementMode").await["companyName"],
            "Service provider"
        );
        refuse(
            contract,
            app,
            Method::PUT,
            "/ManagementMode",
            &json!({"isManaged": true, "managerId": "not-a-guid"}),
        )
        .await;
    }
    if version >= Version::V8 {
        let updates = json!({"enableCheckForUpdates": true, "updateSettings": {"sendEmailOnAvailableUpdates": true, "installUpdatesAutomatically": false}});
        let path = "/Configuration/Updates";
        let (status, body) = write(contract, app, Method::PUT, path, path, Some(&updates)).await;
        assert_eq!(status, written, "{v}: PUT {path}: {body}");
        let read = get(path).await;
        assert_eq!(
            read["updateSettings"]["sendEmailOnAvailableUpdates"], true,
            "{read}"
        );
        refuse(
            contract,
            app,
            Method::PUT,
            path,
            &json!({"updateSettings": {"installUpdatesAutomatically": true}}),
        )
        .await;
    }
}

/// Restores, exports, sends and searches from an Exchange session's mailbox through every
/// route, checking each request and answer against the contract, and the refusals.
async fn check_mail_restores(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, sessions) = call(app, Method::GET, &format!("/{v}/RestoreSessions"), "t").await;
    let session = ids_of(&of_explorer(sessions, "/organization/mailboxes"))[0].clone();
    let base = format!("/RestoreSessions/{session}/organization/mailboxes");
    let (_, mailboxes) = call(app, Method::GET, &format!("/{v}{base}"), "t").await;
    let mailboxes = ids_of(&mailboxes);
    let (mailbox, other) = (mailboxes[0].clone(), mailboxes[1].clone());
    let (_, other_mailbox) = call(app, Method::GET, &format!("/{v}{base}/{other}"), "t").await;
    let other_address = other_mailbox["email"].as_str().unwrap().to_owned();
    let (_, items) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{mailbox}/items?limit=2"),
        "t",
    )
    .await;
    let items = ids_of(&items);
    let (_, folders) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{mailbox}/folders"),
        "t",
    )
    .await;
    let folder = ids_of(&folders)[0].clone();
    let t = "/RestoreSessions/{restoreSessionId}/organization/mailboxes";
    let mailbox_t = format!("{t}/{{mailboxId}}");
    let folder_t = format!("{mailbox_t}/folders/{{folderId}}");
    let item_t = format!("{mailbox_t}/items/{{itemId}}");
    let credentials = json!({"userName": "admin@contoso.example", "userPassword": "secret"});
    let selected = |extra: Value| {
        let mut body = extra;
        body["items"] = json!(items.iter().map(|id| json!({"id": id})).collect::<Vec<_>>());
        body
    };
    let to_other = json!({"userName": "admin@contoso.example", "userPassword": "secret", "mailbox": other_address});
    let restores: Vec<(String, String, Value)> = vec![
        (
            format!("{base}/{mailbox}/items/{}/restore", items[0]),
            format!("{item_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{base}/{mailbox}/items/{}/restoreTo", items[0]),
            format!("{item_t}/restoreTo"),
            to_other.clone(),
        ),
        (
            format!("{base}/{mailbox}/items/restore"),
            format!("{mailbox_t}/items/restore"),
            selected(credentials.clone()),
        ),
        (
            format!("{base}/{mailbox}/items/restoreTo"),
            format!("{mailbox_t}/items/restoreTo"),
            selected(to_other.clone()),
        ),
        (
            format!("{base}/{mailbox}/folders/{folder}/restore"),
            format!("{folder_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{base}/{mailbox}/folders/{folder}/restoreTo"),
            format!("{folder_t}/restoreTo"),
            to_other.clone(),
        ),
        (
            format!("{base}/{mailbox}/restore"),
            format!("{mailbox_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{base}/{mailbox}/restoreTo"),
            format!("{mailbox_t}/restoreTo"),
            to_other.clone(),
        ),
        (
            format!("{base}/restore"),
            format!("{t}/restore"),
            json!({"office365UserName": "admin@contoso.example", "mailboxes": [{"id": mailbox}]}),
        ),
        (
            format!("{base}/{mailbox}/items/operatorRestore"),
            format!("{mailbox_t}/items/operatorRestore"),
            selected(json!({"reason": "asked for by the owner"})),
        ),
    ];
    for (path, template, body) in &restores {
        let (status, answer) = write(contract, app, Method::POST, path, template, Some(body)).await;
        assert_eq!(status, 200, "{v}: POST {path}: {answer}");
        if version >= Version::V8 || template.ends_with("operatorRestore") {
            assert_eq!(answer["sessionId"], json!(session), "{v}: {path}");
        }
    }
    let refusals: Vec<(String, String, Value, u16)> = vec![
        (
            format!("{base}/{mailbox}/items/{}/restoreTo", items[0]),
            format!("{item_t}/restoreTo"),
            credentials.clone(),
            400,
        ),
        (
            format!("{base}/{mailbox}/items/{}/restore", items[0]),
            format!("{item_t}/restore"),
            json!({}),
            400,
        ),
        (
            format!("{base}/{mailbox}/items/restore"),
            format!("{mailbox_t}/items/restore"),
            credentials.clone(),
            400,
        ),
        (
            format!("{base}/{mailbox}/items/nothing-here/restore"),
            format!("{item_t}/restore"),
            credentials.clone(),
            404,
        ),
        (
            format!("{base}/{mailbox}/items/exportToPst"),
            format!("{mailbox_t}/items/exportToPst"),
            selected(json!({"enablePstSizeLimit": true, "pstSizeLimitBytes": 5})),
            400,
        ),
        (
            format!("{base}/{mailbox}/search"),
            format!("{mailbox_t}/search"),
            json!({"query": "color:blue"}),
            400,
        ),
    ];
    for (path, template, body, expected) in &refusals {
        let (status, answer) = write(contract, app, Method::POST, path, template, Some(body)).await;
        assert_eq!(status, *expected, "{v}: POST {path}: {answer}");
    }
    let searches = [
        (format!("{base}/search"), format!("{t}/search")),
        (
            format!("{base}/{mailbox}/search"),
            format!("{mailbox_t}/search"),
        ),
        (
            format!("{base}/{mailbox}/folders/{folder}/search"),
            format!("{folder_t}/search"),
        ),
    ];
    for (path, template) in &searches {
        let (status, answer) = write(
            contract,
            app,
            Method::POST,
            &format!("{path}?limit=3"),
            template,
            Some(&json!({"query": "subject:invoice"})),
        )
        .await;
        assert_eq!(status, 200, "{v}: POST {path}: {answer}");
    }
    let sent = if version >= Version::V8 { 204 } else { 200 };
    let send = json!({"from": "helpdesk@contoso.example", "to": "owner@contoso.example", "subject": "Your mail", "text": "Attached."});
    for (path, template, body) in [
        (
            format!("{base}/{mailbox}/items/sendToDifferentAddress"),
            format!("{mailbox_t}/items/sendToDifferentAddress"),
            selected(send.clone()),
        ),
        (
            format!("{base}/{mailbox}/items/{}/sendToDifferentAddress", items[0]),
            format!("{item_t}/sendToDifferentAddress"),
            send.clone(),
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, &template, Some(&body)).await;
        assert_eq!(status, sent, "{v}: POST {path}: {answer}");
    }
    for (path, template, body) in [
        (
            format!("{base}/{mailbox}/exportToPst"),
            format!("{mailbox_t}/exportToPst"),
            json!({"contentKeyword": "invoice"}),
        ),
        (
            format!("{base}/{mailbox}/folders/{folder}/exportToPst"),
            format!("{folder_t}/exportToPst"),
            json!({"enablePstSizeLimit": true, "pstSizeLimitBytes": 2_147_483_648_i64}),
        ),
        (
            format!("{base}/{mailbox}/items/exportToPst"),
            format!("{mailbox_t}/items/exportToPst"),
            selected(json!({})),
        ),
        (
            format!("{base}/{mailbox}/items/{}/exportToPst", items[0]),
            format!("{item_t}/exportToPst"),
            json!({}),
        ),
    ] {
        contract.check_request(&Method::POST, &format!("/{v}{template}"), &body);
        let response = app
            .client
            .post(app.url(&format!("/{v}{path}")))
            .bearer_auth("t")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{v}: POST {path}");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.ends_with(".pst\""),
            "{v}: {path}: {disposition}"
        );
        contract.check_file(&Method::POST, &format!("/{v}{template}"), 200);
    }
}

/// Restores, copies, saves, sends and searches OneDrive documents, folders and whole
/// OneDrives of a OneDrive session, and the refusals: every request and answer checked.
async fn check_onedrive_restores(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, sessions) = call(app, Method::GET, &format!("/{v}/RestoreSessions"), "t").await;
    let session = ids_of(&of_explorer(sessions, "/organization/onedrives"))[0].clone();
    let base = format!("/RestoreSessions/{session}/organization/oneDrives");
    let (_, onedrives) = call(app, Method::GET, &format!("/{v}{base}"), "t").await;
    let other_onedrive = onedrives["results"][1].clone();
    let onedrives = ids_of(&onedrives);
    let (onedrive, other) = (onedrives[0].clone(), onedrives[1].clone());
    let (_, documents) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{onedrive}/documents?limit=2"),
        "t",
    )
    .await;
    let document_bodies = documents["results"].clone();
    let documents = ids_of(&documents);
    let (_, folders) = call(
        app,
        Method::GET,
        &format!("/{v}{base}/{onedrive}/folders"),
        "t",
    )
    .await;
    let folder_bodies = folders["results"].clone();
    let folder = ids_of(&folders)[0].clone();
    let t = "/RestoreSessions/{restoreSessionId}/organization/oneDrives";
    let onedrive_t = format!("{t}/{{oneDriveId}}");
    let documents_t = format!("{onedrive_t}/documents");
    let document_t = format!("{documents_t}/{{documentId}}");
    let document_version_t = format!("{document_t}/versions/{{versionId}}");
    let folders_t = format!("{onedrive_t}/folders");
    let folder_t = format!("{folders_t}/{{folderId}}");
    let folder_version_t = format!("{folder_t}/versions/{{versionId}}");
    let at = format!("{base}/{onedrive}");
    let document = format!("{at}/documents/{}", documents[0]);
    let folder_at = format!("{at}/folders/{folder}");
    let credentials = json!({"userName": "admin@contoso.example", "userPassword": "secret"});
    let with = |extra: Value| {
        let mut body = credentials.clone();
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let copy = with(json!({"onedrive": other_onedrive, "folder": "Documents"}));
    let restores: Vec<(String, String, Value)> = vec![
        (
            format!("{at}/restore"),
            format!("{onedrive_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{at}/copyTo"),
            format!("{onedrive_t}/copyTo"),
            copy.clone(),
        ),
        (
            format!("{at}/documents/restore"),
            format!("{documents_t}/restore"),
            with(json!({"documents": document_bodies})),
        ),
        (
            format!("{at}/documents/copyTo"),
            format!("{documents_t}/copyTo"),
            {
                let mut body = copy.clone();
                body["documents"] = document_bodies.clone();
                body
            },
        ),
        (
            format!("{document}/restore"),
            format!("{document_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{document}/copyTo"),
            format!("{document_t}/copyTo"),
            copy.clone(),
        ),
        (
            format!("{document}/versions/1/restore"),
            format!("{document_version_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{document}/versions/1/copyTo"),
            format!("{document_version_t}/copyTo"),
            copy.clone(),
        ),
        (
            format!("{at}/folders/restore"),
            format!("{folders_t}/restore"),
            with(json!({"folders": [folder_bodies[0]]})),
        ),
        (
            format!("{at}/folders/copyTo"),
            format!("{folders_t}/copyTo"),
            {
                let mut body = copy.clone();
                body["folders"] = json!([folder_bodies[0]]);
                body
            },
        ),
        (
            format!("{folder_at}/restore"),
            format!("{folder_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{folder_at}/copyTo"),
            format!("{folder_t}/copyTo"),
            copy.clone(),
        ),
        (
            format!("{folder_at}/versions/1/restore"),
            format!("{folder_version_t}/restore"),
            credentials.clone(),
        ),
        (
            format!("{folder_at}/versions/1/copyTo"),
            format!("{folder_version_t}/copyTo"),
            copy.clone(),
        ),
        (
            format!("{base}/restore"),
            format!("{t}/restore"),
            json!({"officeUsername": "admin@contoso.example", "oneDrives": [{"id": other}]}),
        ),
        (
            format!("{at}/documents/operatorRestore"),
            format!("{documents_t}/operatorRestore"),
            json!({
                "documentAction": "Keep",
                "documentsRestoreConfigs": [{"document": document_bodies[0], "documentVersion": "Last"}],
                "reason": "asked for by the owner",
            }),
        ),
    ];
    for (path, template, body) in &restores {
        let (status, answer) = write(contract, app, Method::POST, path, template, Some(body)).await;
        assert_eq!(status, 200, "{v}: POST {path}: {answer}");
        if version >= Version::V8 || template.ends_with("operatorRestore") {
            assert_eq!(answer["sessionId"], json!(session), "{v}: {path}");
        }
    }
    let refusals: Vec<(String, String, Value, u16)> = vec![
        (
            format!("{document}/copyTo"),
            format!("{document_t}/copyTo"),
            credentials.clone(),
            400,
        ),
        (
            format!("{document}/restore"),
            format!("{document_t}/restore"),
            json!({}),
            400,
        ),
        (
            format!("{at}/documents/restore"),
            format!("{documents_t}/restore"),
            credentials.clone(),
            400,
        ),
        (
            format!("{at}/documents/nothing-here/restore"),
            format!("{document_t}/restore"),
            credentials.clone(),
            404,
        ),
        (
            format!("{document}/versions/99/restore"),
            format!("{document_version_t}/restore"),
            credentials.clone(),
            404,
        ),
        (
            format!("{folder_at}/copyTo"),
            format!("{folder_t}/copyTo"),
            with(json!({"folder": "No such folder"})),
            400,
        ),
        (
            format!("{at}/search"),
            format!("{onedrive_t}/search"),
            json!({"query": "color:blue"}),
            400,
        ),
    ];
    for (path, template, body, expected) in &refusals {
        let (status, answer) = write(contract, app, Method::POST, path, template, Some(body)).await;
        assert_eq!(status, *expected, "{v}: POST {path}: {answer}");
    }
    for (path, template) in [
        (format!("{base}/search"), format!("{t}/search")),
        (format!("{at}/search"), format!("{onedrive_t}/search")),
        (format!("{folder_at}/search"), format!("{folder_t}/search")),
    ] {
        let (status, answer) = write(
            contract,
            app,
            Method::POST,
            &format!("{path}?limit=3"),
            &template,
            Some(&json!({"query": "name:budget"})),
        )
        .await;
        assert_eq!(status, 200, "{v}: POST {path}: {answer}");
    }
    let sent = if version >= Version::V8 { 204 } else { 200 };
    let send = json!({"from": "helpdesk@contoso.example", "to": "owner@contoso.example", "subject": "Your files", "text": "Attached."});
    let with_send = |key: &str, value: Value| {
        let mut body = send.clone();
        body[key] = value;
        body
    };
    for (path, template, body) in [
        (
            format!("{at}/send"),
            format!("{onedrive_t}/send"),
            send.clone(),
        ),
        (
            format!("{at}/documents/send"),
            format!("{documents_t}/send"),
            with_send("documents", document_bodies.clone()),
        ),
        (
            format!("{document}/send"),
            format!("{document_t}/send"),
            send.clone(),
        ),
        (
            format!("{document}/versions/1/send"),
            format!("{document_version_t}/send"),
            send.clone(),
        ),
        (
            format!("{at}/folders/send"),
            format!("{folders_t}/send"),
            with_send("folders", json!([folder_bodies[0]])),
        ),
        (
            format!("{folder_at}/send"),
            format!("{folder_t}/send"),
            send.clone(),
        ),
        (
            format!("{folder_at}/versions/1/send"),
            format!("{folder_version_t}/send"),
            send.clone(),
        ),
    ] {
        let (status, answer) =
            write(contract, app, Method::POST, &path, &template, Some(&body)).await;
        assert_eq!(status, sent, "{v}: POST {path}: {answer}");
    }
    check_file_answers(
        contract,
        app,
        vec![
            (
                format!("{at}/save"),
                format!("{onedrive_t}/save"),
                None,
                true,
            ),
            (
                format!("{at}/documents/save"),
                format!("{documents_t}/save"),
                Some(json!({"documents": document_bodies})),
                true,
            ),
            (
                format!("{document}/save"),
                format!("{document_t}/save"),
                Some(json!({"asZip": false})),
                false,
            ),
            (
                format!("{document}/versions/1/save"),
                format!("{document_version_t}/save"),
                Some(json!({"asZip": true})),
                true,
            ),
            (
                format!("{at}/folders/save"),
                format!("{folders_t}/save"),
                Some(json!({"folders": [folder_bodies[0]]})),
                true,
            ),
            (
                format!("{folder_at}/save"),
                format!("{folder_t}/save"),
                None,
                true,
            ),
            (
                format!("{folder_at}/versions/1/save"),
                format!("{folder_version_t}/save"),
                None,
                true,
            ),
        ],
    )
    .await;
}

/// Saves answered with a file, each `(path, template, body, zipped)`: the body checked
/// against the contract, the answer a `.zip` archive or the file itself.
async fn check_file_answers(
    contract: &Contract,
    app: &TestApp,
    saves: Vec<(String, String, Option<Value>, bool)>,
) {
    let v = contract.version;
    for (path, template, body, zipped) in saves {
        let mut request = app
            .client
            .post(app.url(&format!("/{v}{path}")))
            .bearer_auth("t");
        if let Some(body) = &body {
            contract.check_request(&Method::POST, &format!("/{v}{template}"), body);
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{v}: POST {path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        if zipped {
            assert_eq!(content_type, "application/zip", "{v}: {path}");
            assert!(
                disposition.ends_with(".zip\""),
                "{v}: {path}: {disposition}"
            );
        } else {
            assert_eq!(content_type, "application/octet-stream", "{v}: {path}");
        }
        contract.check_file(&Method::POST, &format!("/{v}{template}"), 200);
    }
}

/// Creates a job, edits it, adds, replaces and removes selected and excluded items, then
/// deletes it; and the errors of those routes: every answer checked.
async fn check_job_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let organization = ids_of(&organizations)[0].clone();
    let (_, users) = call(
        app,
        Method::GET,
        &format!("/{v}/Organizations/{organization}/Users"),
        "t",
    )
    .await;
    let users = ids_of(&users);
    let (_, repositories) = call(app, Method::GET, &format!("/{v}/BackupRepositories"), "t").await;
    let repository = ids_of(&repositories)[0].clone();
    let item = |user: &str| json!({"type": "User", "user": {"id": user}, "mailbox": true, "oneDrive": false});
    let mut job = json!({
        "name": format!("Contract {v}"),
        "description": "Created by the contract test",
        "backupType": "SelectedItems",
        "selectedItems": [item(&users[0])],
        "repositoryId": repository,
        "schedulePolicy": {"type": "Daily", "dailyType": "Workdays", "dailyTime": "21:30:00"},
    });
    let created = if version >= Version::V8 {
        job["organizationId"] = json!(organization);
        let (status, body) = write(contract, app, Method::POST, "/Jobs", "/Jobs", Some(&job)).await;
        assert_eq!(status, 201, "{v}: create: {body}");
        body
    } else {
        let path = format!("/Organizations/{organization}/Jobs");
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &path,
            "/Organizations/{organizationId}/Jobs",
            Some(&job),
        )
        .await;
        assert_eq!(status, 200, "{v}: create: {body}");
        body
    };
    let id = created["id"].as_str().unwrap().to_owned();
    let edit = json!({"name": format!("Contract {v} renamed"), "schedulePolicy": {"type": "Periodically", "periodicallyEvery": "Hours2"}});
    let (status, _) = write(
        contract,
        app,
        Method::PUT,
        &format!("/Jobs/{id}"),
        "/Jobs/{jobId}",
        Some(&edit),
    )
    .await;
    assert_eq!(status, 204, "{v}: edit");
    for list in ["SelectedItems", "ExcludedItems"] {
        let collection = format!("/Jobs/{id}/{list}");
        let template = format!("/Jobs/{{jobId}}/{list}");
        let (status, _) = write(
            contract,
            app,
            Method::POST,
            &collection,
            &template,
            Some(&json!([item(&users[1])])),
        )
        .await;
        assert_eq!(status, 204, "{v}: add to {list}");
        let (_, listed) = call(app, Method::GET, &format!("/{v}{collection}"), "t").await;
        let item_id = ids_of(&listed).last().unwrap().clone();
        let (status, body) = write(
            contract,
            app,
            Method::GET,
            &format!("{collection}/{item_id}"),
            &format!("{template}/{{itemId}}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{v}: the added item of {list}: {body}");
        let (status, _) = write(
            contract,
            app,
            Method::PUT,
            &format!("{collection}/{item_id}"),
            &format!("{template}/{{itemId}}"),
            Some(&item(&users[1])),
        )
        .await;
        assert_eq!(status, 204, "{v}: replace in {list}");
        let (status, _) = write(
            contract,
            app,
            Method::DELETE,
            &format!("{collection}?ids={item_id}"),
            &template,
            None,
        )
        .await;
        assert_eq!(status, 204, "{v}: remove from {list}");
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("{collection}?ids={item_id}"),
            &template,
            None,
        )
        .await;
        assert_eq!(status, 404, "{v}: remove again from {list}: {body}");
    }
    let unknown_repository =
        json!({"name": "x", "repositoryId": "00000000-0000-0000-0000-0000000000aa"});
    let (status, body) = write(
        contract,
        app,
        Method::PUT,
        &format!("/Jobs/{id}"),
        "/Jobs/{jobId}",
        Some(&unknown_repository),
    )
    .await;
    assert_eq!(status, 404, "{v}: unknown repository: {body}");
    let (status, body) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/Jobs/{id}"),
        "/Jobs/{jobId}",
        None,
    )
    .await;
    assert_eq!(status, 204, "{v}: delete: {body}");
    let (status, body) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/Jobs/{id}"),
        "/Jobs/{jobId}",
        None,
    )
    .await;
    assert_eq!(status, 404, "{v}: delete again: {body}");
}

/// Adds an organization, edits it, synchronizes it, sets its version options, signs in
/// with a device code, removes it; and the refusals of those routes.
async fn check_organization_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let office = format!("contract{v}");
    let added = json!({
        "type": "Office365",
        "region": "Worldwide",
        "isExchangeOnline": true,
        "isSharePointOnline": true,
        "exchangeOnlineSettings": {
            "account": format!("admin@{office}.onmicrosoft.com"),
            "officeOrganizationName": format!("{office}.onmicrosoft.com"),
            "useApplicationOnlyAuth": true,
        },
    });
    let (status, organization) = write(
        contract,
        app,
        Method::POST,
        "/Organizations",
        "/Organizations",
        Some(&added),
    )
    .await;
    assert_eq!(
        status,
        if version >= Version::V8 { 201 } else { 200 },
        "{v}: add: {organization}"
    );
    assert_eq!(organization["name"], format!("{office}.onmicrosoft.com"));
    let id = organization["id"].as_str().unwrap().to_owned();
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/Organizations",
        "/Organizations",
        Some(&added),
    )
    .await;
    assert_eq!(status, 400, "{v}: added twice: {body}");
    let path = format!("/Organizations/{id}");
    let template = "/Organizations/{organizationId}";
    let edit = json!({"isTeamsOnline": false, "region": "Germany"});
    let (status, _) = write(contract, app, Method::PUT, &path, template, Some(&edit)).await;
    assert_eq!(status, 204, "{v}: edit");
    if version >= Version::V7 {
        let (status, _) = write(
            contract,
            app,
            Method::POST,
            &format!("{path}/Sync"),
            "/Organizations/{organizationId}/Sync",
            Some(&json!({"type": "Full"})),
        )
        .await;
        assert_eq!(
            status,
            if version >= Version::V8 { 204 } else { 200 },
            "{v}: sync"
        );
        let (status, state) = write(
            contract,
            app,
            Method::GET,
            &format!("{path}/SyncState"),
            "/Organizations/{organizationId}/SyncState",
            None,
        )
        .await;
        assert_eq!(status, 200, "{v}: sync state: {state}");
    }
    if version >= Version::V8 {
        let (status, _) = write(
            contract,
            app,
            Method::PUT,
            &format!("{path}/versionBackupOptions"),
            "/Organizations/{organizationId}/versionBackupOptions",
            Some(&json!({"sharePointBackupMode": "Latest"})),
        )
        .await;
        assert_eq!(status, 204, "{v}: version options");
    }
    let (status, code) = write(
        contract,
        app,
        Method::POST,
        "/DeviceCode",
        "/DeviceCode",
        Some(&json!({"targetRegion": "Worldwide"})),
    )
    .await;
    assert_eq!(status, 200, "{v}: device code");
    let check = json!({"userCode": code["userCode"]});
    let (status, checked) = write(
        contract,
        app,
        Method::POST,
        "/DeviceCode/check",
        "/DeviceCode/check",
        Some(&check),
    )
    .await;
    assert_eq!(
        (status, &checked["authenticated"]),
        (200, &json!(true)),
        "{v}"
    );
    let (status, _) = write(contract, app, Method::DELETE, &path, template, None).await;
    assert_eq!(status, 204, "{v}: remove");
    let (status, body) = write(contract, app, Method::DELETE, &path, template, None).await;
    assert_eq!(status, 404, "{v}: remove again: {body}");
    let (_, organizations) = call(app, Method::GET, &format!("/{v}/Organizations"), "t").await;
    let busy = ids_of(&organizations)[0].clone();
    let (status, body) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/Organizations/{busy}"),
        template,
        None,
    )
    .await;
    assert_eq!(status, 400, "{v}: an organization with jobs: {body}");
}

/// Adds a proxy, edits, rescans and (v8) puts it in maintenance and in a pool; adds a
/// repository on it, edits it, synchronizes an object storage repository, (v8) moves the
/// new one to another owner and back; then removes what it added; and the refusals of
/// those routes.
async fn check_infrastructure_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let v8 = version >= Version::V8;
    let created = if v8 { 201 } else { 200 };
    let done = if v8 { 204 } else { 200 };
    let host = format!("contract-{v}.east.local");
    let mut added = json!({
        "hostName": host,
        "description": "Added by the contract test",
        "port": 9193,
        "useDomainNetwork": true,
        "username": "EAST\\administrator",
        "password": "secret",
        "enableNetworkThrottling": true,
        "throttlingValue": 100,
        "throttlingUnit": "Mbps",
    });
    if !v8 {
        added["threadsNumber"] = json!(32);
    }
    let (status, proxy) = write(
        contract,
        app,
        Method::POST,
        "/Proxies",
        "/Proxies",
        Some(&added),
    )
    .await;
    assert_eq!(status, created, "{v}: add a proxy: {proxy}");
    let proxy_id = proxy["id"].as_str().unwrap().to_owned();
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/Proxies",
        "/Proxies",
        Some(&added),
    )
    .await;
    assert_eq!(status, 400, "{v}: the same host twice: {body}");
    let proxy_path = format!("/Proxies/{proxy_id}");
    let edit = json!({
        "description": "Edited by the contract test",
        "useInternetProxy": true,
        "internetProxyType": "Custom",
        "internetProxySettings": {"hostName": "squid.east.local", "port": 3128, "useAuthentication": false},
    });
    let (status, body) = write(
        contract,
        app,
        Method::PUT,
        &proxy_path,
        "/Proxies/{proxyId}",
        Some(&edit),
    )
    .await;
    assert_eq!(status, done, "{v}: edit a proxy: {body}");
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("{proxy_path}/Rescan"),
        "/Proxies/{proxyId}/Rescan",
        None,
    )
    .await;
    assert_eq!(status, done, "{v}: rescan a proxy: {body}");
    for (proxies, expected) in [
        (json!([{"id": proxy_id}]), done),
        (json!([{"id": "00000000-0000-0000-0000-0000000000a1"}]), 404),
    ] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            "/Proxies/Rescan",
            "/Proxies/Rescan",
            Some(&json!({ "proxies": proxies })),
        )
        .await;
        assert_eq!(status, expected, "{v}: rescan {proxies}: {body}");
    }
    let (_, proxies) = call(app, Method::GET, &format!("/{v}/Proxies"), "t").await;
    let server_proxy = ids_of(&proxies)[0].clone();
    let owner = if v8 {
        for switch in ["enable", "disable"] {
            let (status, body) = write(
                contract,
                app,
                Method::POST,
                &format!("{proxy_path}/maintenance/{switch}"),
                &format!("/Proxies/{{proxyId}}/maintenance/{switch}"),
                Some(&json!({"username": "EAST\\administrator", "password": "secret"})),
            )
            .await;
            assert_eq!(status, 204, "{v}: maintenance {switch}: {body}");
        }
        for (query, expected) in [("?host=linux.east.local", 200), ("", 400)] {
            let (status, body) = write(
                contract,
                app,
                Method::POST,
                &format!("/Proxies/CheckSshConnectionConfig{query}"),
                "/Proxies/CheckSshConnectionConfig",
                Some(&json!({"account": "root", "accountPassword": "secret", "port": 22})),
            )
            .await;
            assert_eq!(status, expected, "{v}: SSH check {query}: {body}");
        }
        check_pool_writes(contract, app, &proxy_id).await
    } else {
        json!({"proxyId": proxy_id})
    };
    let mut repository = json!({
        "name": format!("Contract {v} repository"),
        "description": "Added by the contract test",
        "path": "E:\\Contract",
        "retentionType": "ItemLevel",
        "retentionPeriodType": "Daily",
        "dailyRetentionPeriod": 30,
        "retentionFrequencyType": "Daily",
        "dailyTime": "04:00:00",
        "dailyType": "Everyday",
    });
    for (key, value) in owner.as_object().unwrap() {
        repository[key] = value.clone();
    }
    let (status, added_repository) = write(
        contract,
        app,
        Method::POST,
        "/BackupRepositories",
        "/BackupRepositories",
        Some(&repository),
    )
    .await;
    assert_eq!(status, created, "{v}: add a repository: {added_repository}");
    let repository_id = added_repository["id"].as_str().unwrap().to_owned();
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/BackupRepositories",
        "/BackupRepositories",
        Some(&repository),
    )
    .await;
    assert_eq!(status, 400, "{v}: the same repository twice: {body}");
    let repository_path = format!("/BackupRepositories/{repository_id}");
    let repository_template = "/BackupRepositories/{repositoryId}";
    let edit = json!({"retentionType": "ItemLevel", "retentionPeriodType": "Monthly", "monthlyRetentionPeriod": 6,
                      "retentionFrequencyType": "Monthly", "monthlyTime": "03:00:00",
                      "monthlyDaynumber": "Last", "monthlyDayofweek": "Sunday"});
    let (status, body) = write(
        contract,
        app,
        Method::PUT,
        &repository_path,
        repository_template,
        Some(&edit),
    )
    .await;
    assert_eq!(status, done, "{v}: edit a repository: {body}");
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("{repository_path}/Sync"),
        "/BackupRepositories/{repositoryId}/Sync",
        None,
    )
    .await;
    assert_eq!(
        status, 400,
        "{v}: a local repository has nothing to sync: {body}"
    );
    check_sync_writes(contract, app).await;
    if v8 {
        check_owner_change_writes(contract, app, &repository_path, &server_proxy).await;
    }
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("{proxy_path}/Remove"),
        "/Proxies/{proxyId}/Remove",
        Some(&json!({"force": true, "userName": "EAST\\administrator", "userPassword": "secret"})),
    )
    .await;
    if v8 {
        assert_eq!(status, 400, "{v}: the last proxy of a pool in use: {body}");
    } else {
        assert_eq!(status, 400, "{v}: a proxy a repository uses: {body}");
    }
    let (_, jobs) = call(app, Method::GET, &format!("/{v}/Jobs"), "t").await;
    let busy = jobs.get("results").unwrap_or(&jobs)[0]["repositoryId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/BackupRepositories/{busy}"),
        repository_template,
        None,
    )
    .await;
    assert_eq!(status, 400, "{v}: a repository a job uses: {body}");
    for expected in [204, 404] {
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &repository_path,
            repository_template,
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: remove the repository: {body}");
    }
    if let Some(pool) = owner["proxyPoolId"].as_str() {
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("/ProxyPools/{pool}"),
            "/ProxyPools/{poolId}",
            None,
        )
        .await;
        assert_eq!(status, 204, "{v}: remove the pool: {body}");
    }
    for expected in [done, 404] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("{proxy_path}/Remove"),
            "/Proxies/{proxyId}/Remove",
            Some(&json!({"force": false})),
        )
        .await;
        assert_eq!(status, expected, "{v}: remove the proxy: {body}");
    }
}

/// Object storage added, edited and removed (v6, v7), and the writes refused: a name taken,
/// no type, a type other than the one added, an account that does not exist, a storage a
/// repository keeps its data in.
async fn check_object_storage_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    if v == "v8" {
        return;
    }
    let storages = "/objectstoragerepositories";
    let storage_t = "/objectstoragerepositories/{repositoryId}";
    let added = json!({
        "name": format!("Contract {v} bucket"),
        "description": "Added by the contract test",
        "type": "AmazonS3Compatible",
        "amazonBucketS3Compatible": {"servicePoint": "https://minio.east.local:9000", "customRegionId": "us-east-1", "name": "contract"},
        "s3Folder": "Backups",
        "sizeLimitEnabled": true,
        "sizeLimitGB": 1024,
    });
    let (status, storage) = write(
        contract,
        app,
        Method::POST,
        storages,
        storages,
        Some(&added),
    )
    .await;
    assert_eq!(status, 200, "{v}: add object storage: {storage}");
    assert_eq!(storage["s3Folder"], "Backups", "{v}: {storage}");
    let storage_path = format!("{storages}/{}", storage["id"].as_str().unwrap());
    refuse(
        contract,
        app,
        Method::POST,
        storages,
        &json!({"name": "Odd", "type": "Floppy"}),
    )
    .await;

    let (_, repositories) = call(
        app,
        Method::GET,
        &format!("/{v}/BackupRepositories?limit=100"),
        "t",
    )
    .await;
    let used = repositories
        .get("results")
        .unwrap_or(&repositories)
        .as_array()
        .unwrap()
        .iter()
        .find_map(|repository| repository["objectStorageId"].as_str())
        .expect("a repository keeps its data in object storage");
    let mut untyped = added.clone();
    untyped.as_object_mut().unwrap().remove("type");
    untyped["name"] = json!("Untyped");
    let mut stranger = added.clone();
    stranger["name"] = json!("Stranger");
    stranger["accountId"] = json!("00000000-0000-4000-8000-000000000001");
    let edit = json!({"description": "Edited by the contract test", "sizeLimitEnabled": false});
    let retyped = json!({"type": "AzureBlob", "azureContainer": {"name": "contract"}});
    let nowhere = format!("{storages}/00000000-0000-4000-8000-000000000002");
    let used_path = format!("{storages}/{used}");
    let steps = [
        (
            Method::POST,
            storages,
            storages,
            Some(&added),
            400,
            "the same name twice",
        ),
        (
            Method::POST,
            storages,
            storages,
            Some(&untyped),
            400,
            "no type",
        ),
        (
            Method::POST,
            storages,
            storages,
            Some(&stranger),
            404,
            "an account that does not exist",
        ),
        (
            Method::PUT,
            &storage_path,
            storage_t,
            Some(&edit),
            200,
            "edit object storage",
        ),
        (
            Method::PUT,
            &storage_path,
            storage_t,
            Some(&retyped),
            400,
            "another type",
        ),
        (
            Method::PUT,
            &nowhere,
            storage_t,
            Some(&edit),
            404,
            "edit storage that does not exist",
        ),
        (
            Method::DELETE,
            &used_path,
            storage_t,
            None,
            400,
            "remove storage in use",
        ),
        (
            Method::DELETE,
            &storage_path,
            storage_t,
            None,
            204,
            "remove object storage",
        ),
        (
            Method::DELETE,
            &storage_path,
            storage_t,
            None,
            404,
            "remove it again",
        ),
    ];
    for (method, path, template, body, expected, what) in steps {
        let (status, answer) = write(contract, app, method, path, template, body).await;
        assert_eq!(status, expected, "{v}: {what}: {answer}");
    }
}

/// The accounts the EC2 and object storage checks name: an Amazon one and an Azure one.
const AMAZON_ACCOUNT: &str = "a3a3a3a3-0000-4000-8000-0000000000a3";
const AZURE_ACCOUNT: &str = "a2a2a2a2-0000-4000-8000-0000000000a2";

/// Amazon EC2 as an Amazon account sees a region: instance types, VPCs, their subnets and
/// security groups, each listing and each lookup by name; and the refusals: no account, an
/// account of another kind, one that does not exist, a region Amazon does not have, a VPC,
/// subnet or group that is not there. Object storage (v6, v7) takes the account of its kind.
async fn check_ec2_resources(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    rewrite_world(app, |world| {
        let accounts = world["cloudAccounts"].as_array_mut().unwrap();
        accounts.push(json!({"id": AMAZON_ACCOUNT, "accountType": "amazonS3Account", "userName": "AKIAEXAMPLE", "password": "secret"}));
        accounts.push(json!({"id": AZURE_ACCOUNT, "accountType": "azureBlobAccount", "userName": "vboblobs", "password": "secret"}));
    })
    .await;
    let scope = format!("accountId={AMAZON_ACCOUNT}&regionId=eu-west-1");
    // `template` with its parameters replaced by `values` in order, asked in `query`.
    let get = |template: &'static str, values: Vec<String>, query: String, expected: u16| async move {
        let mut values = values.into_iter();
        let path: Vec<String> = template
            .split('/')
            .map(|segment| match segment.starts_with('{') {
                true => values.next().unwrap(),
                false => segment.to_owned(),
            })
            .collect();
        let path = format!("/{v}{}?{query}", path.join("/"));
        let (status, body) = call(app, Method::GET, &path, "t").await;
        assert_eq!(status, expected, "{v}: GET {path}: {body}");
        contract.check(&Method::GET, &format!("/{v}{template}"), status, &body);
        body
    };
    let first = |listing: &Value, field: &str| listing[0][field].as_str().unwrap().to_owned();
    let types_t = "/EC2Resources/InstanceType";
    let vpcs_t = "/EC2Resources/VirtualPrivateCloud";
    let subnets_t = "/EC2Resources/VirtualPrivateCloud/{id}/Subnets";
    let groups_t = "/EC2Resources/VirtualPrivateCloud/{id}/SecurityGroup";
    let types = get(types_t, vec![], scope.clone(), 200).await;
    let vpcs = get(vpcs_t, vec![], scope.clone(), 200).await;
    let vpc = first(&vpcs, "id");
    let subnets = get(subnets_t, vec![vpc.clone()], scope.clone(), 200).await;
    let groups = get(groups_t, vec![vpc.clone()], scope.clone(), 200).await;
    let lookups = [
        (
            "/EC2Resources/InstanceType/{instanceTypeName}",
            vec![first(&types, "type")],
            200,
        ),
        (
            "/EC2Resources/InstanceType/{instanceTypeName}",
            vec!["x9.huge".to_owned()],
            404,
        ),
        (
            "/EC2Resources/VirtualPrivateCloud/{name}",
            vec![first(&vpcs, "name")],
            200,
        ),
        (
            "/EC2Resources/VirtualPrivateCloud/{id}/Subnets/{subnetName}",
            vec![vpc.clone(), first(&subnets, "name")],
            200,
        ),
        (
            "/EC2Resources/VirtualPrivateCloud/{id}/SecurityGroup/{securityGroupName}",
            vec![vpc.clone(), first(&groups, "name")],
            200,
        ),
        (
            "/EC2Resources/VirtualPrivateCloud/{id}/SecurityGroup/{securityGroupName}",
            vec![vpc.clone(), "nothing".to_owned()],
            404,
        ),
        (subnets_t, vec!["vpc-0000".to_owned()], 404),
    ];
    for (template, values, expected) in lookups {
        get(template, values, scope.clone(), expected).await;
    }
    let unknown = "00000000-0000-4000-8000-0000000000e1";
    for (query, expected) in [
        (String::new(), 400),
        (format!("accountId={AMAZON_ACCOUNT}"), 400),
        (
            format!("accountId={AMAZON_ACCOUNT}&regionId=mars-north-1"),
            400,
        ),
        ("accountId=nonsense&regionId=eu-west-1".to_owned(), 400),
        (format!("accountId={AZURE_ACCOUNT}&regionId=eu-west-1"), 400),
        (format!("accountId={unknown}&regionId=eu-west-1"), 404),
    ] {
        get(vpcs_t, vec![], query, expected).await;
    }
    if v == "v8" {
        return;
    }
    let storages = "/objectstoragerepositories";
    for (account, expected, what) in [
        (AMAZON_ACCOUNT, 200, "its account"),
        (AZURE_ACCOUNT, 400, "an account of another kind"),
    ] {
        let storage = json!({"name": format!("Account {account}"), "type": "AmazonS3", "accountId": account,
               "amazonBucketS3Aws": {"regionId": "eu-west-1", "name": "contract-aws"}});
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            storages,
            storages,
            Some(&storage),
        )
        .await;
        assert_eq!(status, expected, "{v}: object storage with {what}: {body}");
    }
}

/// Adds a pool with `proxy`, reads and edits it, takes the proxy out and puts it back;
/// answers the repository owner that names the pool.
async fn check_pool_writes(contract: &Contract, app: &TestApp, proxy: &str) -> Value {
    let pool = json!({"name": "Contract pool", "description": "Added by the contract test",
                      "proxyIds": [{"proxyId": proxy}]});
    let (status, added) = write(
        contract,
        app,
        Method::POST,
        "/ProxyPools",
        "/ProxyPools",
        Some(&pool),
    )
    .await;
    assert_eq!(status, 201, "add a pool: {added}");
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/ProxyPools",
        "/ProxyPools",
        Some(&pool),
    )
    .await;
    assert_eq!(status, 400, "the same pool twice: {body}");
    let id = added["id"].as_str().unwrap().to_owned();
    let path = format!("/ProxyPools/{id}");
    let (status, body) = write(
        contract,
        app,
        Method::PUT,
        &path,
        "/ProxyPools/{poolId}",
        Some(&json!({"name": "Contract pool", "description": "Edited", "proxyIds": [{"proxyId": proxy}]})),
    )
    .await;
    assert_eq!(status, 204, "edit a pool: {body}");
    let members = json!([{"proxyId": proxy}]);
    for (method, expected) in [
        (Method::DELETE, 204),
        (Method::DELETE, 400),
        (Method::POST, 204),
    ] {
        let (status, body) = write(
            contract,
            app,
            method.clone(),
            &format!("{path}/proxies"),
            "/ProxyPools/{poolId}/proxies",
            Some(&members),
        )
        .await;
        assert_eq!(status, expected, "{method} the pool's proxy: {body}");
    }
    let (status, body) = write(
        contract,
        app,
        Method::GET,
        &format!("{path}/proxies"),
        "/ProxyPools/{poolId}/proxies",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids_of(&body), [proxy]);
    json!({"proxyPoolId": id})
}

/// Synchronizes an object storage repository of the world, reads the session, stops it.
async fn check_sync_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let (_, repositories) = call(app, Method::GET, &format!("/{v}/BackupRepositories"), "t").await;
    let in_storage = repositories
        .get("results")
        .unwrap_or(&repositories)
        .as_array()
        .unwrap()
        .iter()
        .find(|repository| {
            !repository["objectStorageId"].is_null() || !repository["objectStorage"].is_null()
        })
        .map(|repository| repository["id"].as_str().unwrap().to_owned())
        .expect("the world has a repository in object storage");
    let (status, session) = write(
        contract,
        app,
        Method::POST,
        &format!("/BackupRepositories/{in_storage}/Sync"),
        "/BackupRepositories/{repositoryId}/Sync",
        None,
    )
    .await;
    assert_eq!(status, 200, "{v}: sync: {session}");
    assert_eq!(session["state"], "Synchronizing");
    let id = session["id"].as_str().unwrap().to_owned();
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &format!("/BackupRepositories/{in_storage}/Sync"),
        "/BackupRepositories/{repositoryId}/Sync",
        None,
    )
    .await;
    assert_eq!(status, 400, "{v}: sync twice at once: {body}");
    let (status, listed) = write(
        contract,
        app,
        Method::GET,
        "/RepositorySynchronizeSessions",
        "/RepositorySynchronizeSessions",
        None,
    )
    .await;
    assert_eq!((status, ids_of(&listed)[0].as_str()), (200, id.as_str()));
    let path = format!("/RepositorySynchronizeSessions/{id}");
    let template = "/RepositorySynchronizeSessions/{sessionId}";
    let (status, body) = write(contract, app, Method::GET, &path, template, None).await;
    assert_eq!(status, 200, "{v}: {body}");
    let done = if v == "v8" { 204 } else { 200 };
    for expected in [done, 400] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("{path}/StopSynchronize"),
            "/RepositorySynchronizeSessions/{sessionId}/StopSynchronize",
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: stop the sync: {body}");
    }
    let (status, body) = write(
        contract,
        app,
        Method::GET,
        "/RepositorySynchronizeSessions/00000000-0000-0000-0000-0000000000a2",
        template,
        None,
    )
    .await;
    assert_eq!(status, 404, "{v}: {body}");
}

/// Moves the repository at `repository_path` to `proxy`, reads the session, stops it (the
/// repository goes back); and the refusals of the move.
async fn check_owner_change_writes(
    contract: &Contract,
    app: &TestApp,
    repository_path: &str,
    proxy: &str,
) {
    let template = "/BackupRepositories/{repositoryId}/changeOwner";
    for (query, expected) in [
        (String::new(), 400),
        (
            "?proxyId=00000000-0000-0000-0000-0000000000a3".to_owned(),
            404,
        ),
        (format!("?proxyId={proxy}&waitForSessionsTimeout=5"), 200),
    ] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("{repository_path}/changeOwner{query}"),
            template,
            None,
        )
        .await;
        assert_eq!(status, expected, "change owner {query}: {body}");
    }
    let (status, listed) = write(
        contract,
        app,
        Method::GET,
        "/RepositoryOwnerChangeSessions",
        "/RepositoryOwnerChangeSessions",
        None,
    )
    .await;
    assert_eq!(status, 200, "{listed}");
    let id = ids_of(&listed)[0].clone();
    let path = format!("/RepositoryOwnerChangeSessions/{id}");
    let (status, session) = write(
        contract,
        app,
        Method::GET,
        &path,
        "/RepositoryOwnerChangeSessions/{sessionId}",
        None,
    )
    .await;
    assert_eq!((status, &session["status"]), (200, &json!("Running")));
    for expected in [204, 400] {
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &format!("{path}/Stop"),
            "/RepositoryOwnerChangeSessions/{sessionId}/Stop",
            None,
        )
        .await;
        assert_eq!(status, expected, "stop the owner change: {body}");
    }
}

/// The dashboard resources: organizations with their jobs, licensing and directories, jobs,
/// repositories, proxies, restore sessions with their events, licensed users, roles.
async fn check_dashboard_resources(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let get = Method::GET;
    let list = |body: &Value| {
        body.get("results")
            .unwrap_or(body)
            .as_array()
            .cloned()
            .unwrap_or_default()
    };

    let (status, license) = call(app, get.clone(), &format!("/{v}/License"), "t").await;
    contract.check(&get, &format!("/{v}/License"), status, &license);
    let (status, organizations) = call(app, get.clone(), &format!("/{v}/Organizations"), "t").await;
    contract.check(&get, &format!("/{v}/Organizations"), status, &organizations);
    for organization in list(&organizations) {
        let id = organization["id"].as_str().unwrap();
        let (status, body) = call(app, get.clone(), &format!("/{v}/Organizations/{id}"), "t").await;
        contract.check(&get, &format!("/{v}/Organizations/{{id}}"), status, &body);
        let path = format!("/{v}/Organizations/{id}/LicensingInformation");
        let (status, body) = call(app, get.clone(), &path, "t").await;
        contract.check(
            &get,
            &format!("/{v}/Organizations/{{id}}/LicensingInformation"),
            status,
            &body,
        );
        if v != "v8" {
            let (status, body) = call(
                app,
                get.clone(),
                &format!("/{v}/Organizations/{id}/Jobs"),
                "t",
            )
            .await;
            contract.check(
                &get,
                &format!("/{v}/Organizations/{{id}}/Jobs"),
                status,
                &body,
            );
        }
        let path = format!("/{v}/LicensedUsers?organizationId={id}");
        let (status, body) = call(app, get.clone(), &path, "t").await;
        contract.check(&get, &format!("/{v}/LicensedUsers"), status, &body);
        check_directory(contract, app, id).await;
    }
    check_restore_operators(contract, app).await;
    for (collection, item) in [
        ("Jobs", "Jobs/{jobId}"),
        ("BackupRepositories", "BackupRepositories/{repositoryId}"),
        ("Proxies", "Proxies/{proxyId}"),
        ("RestoreSessions", "RestoreSessions/{restoreSessionId}"),
    ] {
        let (status, body) = call(app, get.clone(), &format!("/{v}/{collection}"), "t").await;
        contract.check(&get, &format!("/{v}/{collection}"), status, &body);
        let first = list(&body)[0]["id"].as_str().unwrap().to_owned();
        let (status, one) =
            call(app, get.clone(), &format!("/{v}/{collection}/{first}"), "t").await;
        contract.check(&get, &format!("/{v}/{item}"), status, &one);
        if collection == "RestoreSessions" {
            let (status, events) = call(
                app,
                get.clone(),
                &format!("/{v}/{collection}/{first}/Events"),
                "t",
            )
            .await;
            contract.check(&get, &format!("/{v}/{item}/Events"), status, &events);
        }
        let unknown = format!("/{v}/{collection}/00000000-0000-0000-0000-0000000000ef");
        let (status, body) = call(app, get.clone(), &unknown, "t").await;
        assert_eq!(status, 404, "{unknown}");
        contract.check(&get, &format!("/{v}/{item}"), status, &body);
    }
}

/// The data of every repository: organizations, users, mailboxes, OneDrives, sites, groups
/// and teams, each listed and looked up, after a session of the first job that backed up a
/// site, a group and a team; then unknown ids, a malformed one and bad filters.
async fn check_backup_data(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let (_, jobs) = call(app, Method::GET, &format!("/{v}/Jobs"), "t").await;
    let job = jobs.get("results").unwrap_or(&jobs)[0].clone();
    let organization = job["_links"]["organization"]["href"]
        .as_str()
        .and_then(|href| href.rsplit('/').next())
        .or(job["organizationId"].as_str())
        .unwrap()
        .to_owned();
    let repository = job["repositoryId"].as_str().unwrap().to_owned();
    let first_of = |collection: &'static str, field: &'static str| {
        let path = format!("/{v}/Organizations/{organization}/{collection}");
        async move {
            let (_, list) = call(app, Method::GET, &path, "t").await;
            list["results"][0][field].as_str().unwrap().to_owned()
        }
    };
    let site = first_of("Sites", "url").await;
    let group = first_of("Groups", "name").await;
    let team = first_of("Teams", "displayName").await;
    let item =
        |message: String| json!({"message": message, "creationTime": "2017-04-04T08:00:01Z"});
    let session = json!({
        "jobId": job["id"],
        "creationTime": "2017-04-04T08:00:00Z",
        "endTime": "2017-04-04T08:05:00Z",
        "logItems": [
            item(format!("Processing site: {site}")),
            item(format!("Processing group: {group}")),
            item(format!("Processing team: {team}")),
        ],
    });
    let response = app
        .admin(Method::POST, "/__admin/sessions", Some(&session))
        .await;
    assert_eq!(
        response.status(),
        201,
        "{v}: a session that backed up a site"
    );

    if v == "v8" {
        for (collection, item_id) in [
            ("ProtectedSites", "{protectedSiteId}"),
            ("ProtectedGroups", "{protectedGroupId}"),
            ("ProtectedTeams", "{protectedTeamId}"),
        ] {
            let listing = checked(
                contract,
                app,
                &format!("/{collection}"),
                &format!("/{collection}"),
            )
            .await;
            let ids = ids_of(&listing);
            assert!(
                !ids.is_empty(),
                "{v}: the session's {collection} are protected"
            );
            for id in ids
                .iter()
                .chain([&"00000000-0000-0000-0000-0000000000eb".to_owned()])
            {
                checked(
                    contract,
                    app,
                    &format!("/{collection}/{id}"),
                    &format!("/{collection}/{item_id}"),
                )
                .await;
            }
        }
    }

    let base = "/BackupRepositories/{repositoryId}";
    let (_, repositories) = call(app, Method::GET, &format!("/{v}/BackupRepositories"), "t").await;
    for id in ids_of(&repositories) {
        for (collection, item_id, key) in [
            ("OrganizationData", "{organizationId}", "organizationId"),
            ("UserData", "{userId}", "id"),
            ("MailboxData", "{mailboxId}", "id"),
            ("OneDriveData", "{oneDriveId}", "id"),
            ("SiteData", "{siteId}", "id"),
            ("GroupData", "{groupId}", "id"),
            ("TeamData", "{teamId}", "id"),
        ] {
            let listing = checked(
                contract,
                app,
                &format!("/BackupRepositories/{id}/{collection}?limit=5"),
                &format!("{base}/{collection}"),
            )
            .await;
            let results = listing["results"].as_array().unwrap();
            assert!(
                id != repository || collection == "OneDriveData" || !results.is_empty(),
                "{v}: repository {id} holds {collection}"
            );
            for entry in results {
                let entry_id = entry[key].as_str().unwrap();
                let one = checked(
                    contract,
                    app,
                    &format!("/BackupRepositories/{id}/{collection}/{entry_id}"),
                    &format!("{base}/{collection}/{item_id}"),
                )
                .await;
                assert_eq!(&one, entry, "{v}: {collection}/{entry_id} as listed");
            }
            let unknown = checked(
                contract,
                app,
                &format!(
                    "/BackupRepositories/{id}/{collection}/00000000-0000-0000-0000-0000000000eb"
                ),
                &format!("{base}/{collection}/{item_id}"),
            )
            .await;
            assert!(
                unknown["message"].is_string(),
                "{v}: {collection}: {unknown}"
            );
        }
    }
    for (path, template, status) in [
        (
            "/BackupRepositories/00000000-0000-0000-0000-0000000000eb/UserData".to_owned(),
            format!("{base}/UserData"),
            404,
        ),
        (
            "/BackupRepositories/not-a-guid/TeamData".to_owned(),
            format!("{base}/TeamData"),
            400,
        ),
        (
            format!("/BackupRepositories/{repository}/MailboxData/not-a-guid"),
            format!("{base}/MailboxData/{{mailboxId}}"),
            400,
        ),
        (
            format!("/BackupRepositories/{repository}/MailboxData?pointInTime=yesterday"),
            format!("{base}/MailboxData"),
            400,
        ),
        (
            format!("/BackupRepositories/{repository}/OneDriveData?organizationId=x"),
            format!("{base}/OneDriveData"),
            400,
        ),
        (
            format!("/BackupRepositories/{repository}/GroupData?offset=-1"),
            format!("{base}/GroupData"),
            400,
        ),
    ] {
        let (answer, body) = call(app, Method::GET, &format!("/{v}{path}"), "t").await;
        assert_eq!(answer, status, "{v}: {path}: {body}");
        contract.check(&Method::GET, &format!("/{v}{template}"), answer, &body);
    }
}

/// GETs `path`, checks the answer against `template` and returns the body.
async fn checked(contract: &Contract, app: &TestApp, path: &str, template: &str) -> Value {
    let v = contract.version;
    let (status, body) = call(app, Method::GET, &format!("/{v}{path}"), "t").await;
    contract.check(&Method::GET, &format!("/{v}{template}"), status, &body);
    body
}

/// An organization's users with their OneDrives, groups, sites (personal ones too), teams
/// and roles, one of each by id, and the errors of those routes.
async fn check_directory(contract: &Contract, app: &TestApp, organization: &str) {
    let base = format!("/Organizations/{organization}");
    let template = "/Organizations/{organizationId}";
    let users = checked(
        contract,
        app,
        &format!("{base}/Users"),
        &format!("{template}/Users"),
    )
    .await;
    let users = users["results"].as_array().unwrap().clone();
    assert!(!users.is_empty(), "{organization} has users");
    for user in &users {
        let id = user["id"].as_str().unwrap();
        let path = format!("{base}/Users/{id}");
        let user_template = format!("{template}/Users/{{userId}}");
        checked(contract, app, &path, &user_template).await;
        let drives = checked(
            contract,
            app,
            &format!("{path}/OneDrives"),
            &format!("{user_template}/OneDrives"),
        )
        .await;
        for drive in drives["results"].as_array().unwrap() {
            let drive_id = drive["id"].as_str().unwrap();
            checked(
                contract,
                app,
                &format!("{path}/OneDrives/{drive_id}"),
                &format!("{user_template}/OneDrives/{{onedriveId}}"),
            )
            .await;
        }
    }
    for (collection, query, item) in [
        ("Groups", "", "{groupId}"),
        ("Sites", "?includePersonalSites=true", "{siteId}"),
        ("Teams", "", "{teamId}"),
    ] {
        let list = checked(
            contract,
            app,
            &format!("{base}/{collection}{query}"),
            &format!("{template}/{collection}"),
        )
        .await;
        let results = list["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{organization} has {collection}");
        for entry in results {
            let id = entry["id"].as_str().unwrap();
            checked(
                contract,
                app,
                &format!("{base}/{collection}/{id}"),
                &format!("{template}/{collection}/{item}"),
            )
            .await;
        }
        let unknown = format!("{base}/{collection}/00000000-0000-0000-0000-0000000000ed");
        let body = checked(
            contract,
            app,
            &unknown,
            &format!("{template}/{collection}/{item}"),
        )
        .await;
        assert!(body["message"].is_string(), "{unknown}: {body}");
    }
    checked(
        contract,
        app,
        &format!("{base}/RbacRoles"),
        &format!("{template}/RbacRoles"),
    )
    .await;
    for bad in ["?locationFilter=Mars", "?limit=x"] {
        let body = checked(
            contract,
            app,
            &format!("{base}/Users{bad}"),
            &format!("{template}/Users"),
        )
        .await;
        assert!(body["message"].is_string(), "{bad}: {body}");
    }
}

/// Roles with every operator and item, object storage, the portal and proxies' extended view.
async fn check_restore_operators(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let roles = checked(contract, app, "/RbacRoles", "/RbacRoles").await;
    let roles = roles.as_array().unwrap().clone();
    assert!(!roles.is_empty());
    for role in &roles {
        let id = role["id"].as_str().unwrap();
        checked(
            contract,
            app,
            &format!("/RbacRoles/{id}"),
            "/RbacRoles/{roleId}",
        )
        .await;
        for (list, item) in [
            ("operators", "{operatorId}"),
            ("selectedItems", "{itemId}"),
            ("excludedItems", "{itemId}"),
        ] {
            let items = checked(
                contract,
                app,
                &format!("/RbacRoles/{id}/{list}"),
                &format!("/RbacRoles/{{roleId}}/{list}"),
            )
            .await;
            for entry in items.as_array().unwrap() {
                let item_id = entry["id"].as_str().unwrap();
                checked(
                    contract,
                    app,
                    &format!("/RbacRoles/{id}/{list}/{item_id}"),
                    &format!("/RbacRoles/{{roleId}}/{list}/{item}"),
                )
                .await;
            }
        }
    }
    for bad in ["not-a-guid", "00000000-0000-0000-0000-0000000000ec"] {
        let body = checked(
            contract,
            app,
            &format!("/RbacRoles/{bad}"),
            "/RbacRoles/{roleId}",
        )
        .await;
        assert!(body["message"].is_string(), "{bad}: {body}");
    }
    checked(
        contract,
        app,
        "/RestorePortalSettings",
        "/RestorePortalSettings",
    )
    .await;
    if v != "v8" {
        let storages = checked(
            contract,
            app,
            "/objectstoragerepositories",
            "/objectstoragerepositories",
        )
        .await;
        for storage in storages.as_array().unwrap() {
            let id = storage["id"].as_str().unwrap();
            checked(
                contract,
                app,
                &format!("/objectstoragerepositories/{id}"),
                "/objectstoragerepositories/{repositoryId}",
            )
            .await;
        }
        let proxies = checked(contract, app, "/Proxies?extendedView=true", "/Proxies").await;
        let id = proxies[0]["id"].as_str().unwrap();
        checked(
            contract,
            app,
            &format!("/Proxies/{id}?extendedView=true"),
            "/Proxies/{proxyId}",
        )
        .await;
    }
}

/// The ids of a listing's entries: a page's results or an array's items.
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

/// Every GET route of the version's table, its parameters filled with ids listed by the
/// collection before each (`/Organizations` for `{organizationId}`), at most three paths
/// per route; and each with an id that names nothing.
async fn check_every_get_route(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let routes = api::routes(version);
    // Routes that need query parameters are walked by their own checks, which know them, and
    // so are the files of Teams export tasks, which no listing names.
    for route in routes.table().iter().filter(|route| {
        route.method == "GET"
            && route.required_query.is_empty()
            && !route.path.contains("/operatorExport/")
    }) {
        let segments: Vec<&str> = route.path.split('/').collect();
        let mut paths = vec![String::new()];
        for segment in segments.iter().skip(1) {
            let mut next = Vec::new();
            for path in &paths {
                if segment.starts_with('{') && route.path.ends_with("/CopyJob") {
                    // Not every job has a copy job: the jobs that do are those copied.
                    let (status, copies) =
                        call(app, Method::GET, &format!("/{v}/CopyJobs"), "t").await;
                    assert_eq!(status, 200, "{v}: GET /CopyJobs");
                    let copies = copies.get("results").unwrap_or(&copies).clone();
                    for copy in copies.as_array().unwrap().iter().take(3) {
                        let job = copy["backupJobId"].as_str().unwrap();
                        next.push(format!("{path}/{job}"));
                    }
                } else if segment.starts_with('{') {
                    let listing_path = teams_listing(path);
                    let (status, listing) =
                        call(app, Method::GET.clone(), &listing_path, "t").await;
                    assert_eq!(status, 200, "{v}: GET {path}, the listing of {segment}");
                    let listing = if path.ends_with("/RestoreSessions") {
                        of_explorer(listing, &route.path)
                    } else {
                        listing
                    };
                    for id in ids_for(&listing, segment).into_iter().take(3) {
                        next.push(format!("{path}/{id}"));
                    }
                } else {
                    next.push(format!("{path}/{segment}"));
                }
            }
            next.truncate(3);
            paths = next;
        }
        for path in &paths {
            let (status, body) = call(app, Method::GET, path, "t").await;
            assert_eq!(status, 200, "{v}: GET {path}: {body}");
            contract.check(&Method::GET, &route.path, status, &body);
        }
        let last_is_id = route.path.ends_with('}');
        if let Some((parent, _)) = paths.first().and_then(|path| path.rsplit_once('/'))
            && last_is_id
        {
            let unknown = if route.path.ends_with("{postId}") {
                "1"
            } else {
                "00000000-0000-0000-0000-0000000000e1"
            };
            let path = format!("{parent}/{unknown}");
            let (status, body) = call(app, Method::GET, &path, "t").await;
            assert_eq!(status, 404, "{v}: GET {path}: {body}");
            contract.check(&Method::GET, &route.path, status, &body);
        }
    }
}

/// The values a listing gives for a path parameter: a version's number for `{versionId}`
/// (the entries of a versions listing carry their document's or folder's id), else ids.
fn ids_for(listing: &Value, segment: &str) -> Vec<String> {
    let named_by = match segment {
        "{subscriptionId}" => "subscriptionId",
        "{locationName}"
        | "{vmSizeName}"
        | "{resourceGroupName}"
        | "{virtualNetworkName}"
        | "{subnetName}" => "name",
        _ => "",
    };
    if !named_by.is_empty() {
        return listing
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|entry| entry[named_by].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
    }
    if segment == "{postId}" {
        return listing["results"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|entry| entry["postId"].as_i64().map(|id| id.to_string()))
                    .collect()
            })
            .unwrap_or_default();
    }
    if segment != "{versionId}" {
        return ids_of(listing);
    }
    listing["results"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| entry["versionId"].as_u64().map(|id| id.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Where the ids of a path's next segment are listed: a channel's files (v8 addresses a
/// file under its channel) are listed by their team's files of that channel; any other
/// path lists its own.
fn teams_listing(path: &str) -> String {
    match path
        .strip_suffix("/files")
        .and_then(|rest| rest.split_once("/channels/"))
    {
        Some((team, channel)) => format!("{team}/files?channelId={channel}"),
        None => path.to_owned(),
    }
}

/// A listing of restore sessions cut to those of the Explorer a route browses (Exchange's
/// mailboxes, OneDrive's OneDrives, Teams' teams); for other routes as it is.
fn of_explorer(mut listing: Value, route: &str) -> Value {
    let route = route.to_ascii_lowercase();
    let explorer = if route.contains("/organization/mailboxes") {
        "Vex"
    } else if route.contains("/organization/onedrives") {
        "Veod"
    } else if route.contains("/organization/teams") {
        "Vet"
    } else {
        return listing;
    };
    if let Some(results) = listing.get_mut("results").and_then(Value::as_array_mut) {
        results.retain(|entry| entry["type"] == explorer);
    }
    listing
}

/// Every route of the version's table was reached by a check, or is listed with the reason.
fn assert_every_route_reached(contract: &Contract) {
    let version: Version = contract.version.parse().unwrap();
    let reached = contract.reached.lock().unwrap();
    let missing: Vec<String> = api::routes(version)
        .table()
        .iter()
        .filter(|route| !reached.contains(&(route.method.to_string(), shape(&route.path))))
        .filter(|route| {
            !DOCUMENTED_ELSEWHERE
                .iter()
                .any(|(version, method, path, _)| {
                    *version == contract.version && route.method == *method && route.path == *path
                })
        })
        .map(|route| format!("{} {}", route.method, route.path))
        .collect();
    assert!(
        missing.is_empty(),
        "{}: routes no contract check reached:\n  {}",
        contract.version,
        missing.join("\n  ")
    );
}

async fn check_all_worlds(version: &'static str) {
    let Some(contract) = Contract::load(version) else {
        return;
    };
    check_version(&contract, &[]).await;
    check_version(&contract, &["--seed", "2"]).await;
    check_version(&contract, &["--seed", "3", "--quirk", "v3-log-link"]).await;
    assert_every_route_reached(&contract);
}

#[tokio::test]
async fn v6_responses_follow_the_vendor_contract() {
    check_all_worlds("v6").await;
}

#[tokio::test]
async fn v7_responses_follow_the_vendor_contract() {
    check_all_worlds("v7").await;
}

#[tokio::test]
async fn v8_responses_follow_the_vendor_contract() {
    check_all_worlds("v8").await;
}

/// The repositories of a listing that keep their data in object storage, with the key
/// they encrypt with: v6 and v7 name the storage, v8 embeds it.
fn object_storage_repositories(listing: &Value) -> Vec<(String, Option<String>)> {
    listing
        .get("results")
        .unwrap_or(listing)
        .as_array()
        .unwrap()
        .iter()
        .filter(|repository| {
            !repository["objectStorageId"].is_null() || !repository["objectStorage"].is_null()
        })
        .map(|repository| {
            (
                repository["id"].as_str().unwrap().to_owned(),
                repository["encryptionKeyId"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Creates, edits, runs and removes a backup copy job, and is refused where the service
/// refuses: an unknown backup job, a job that has a copy job already, the job's own
/// repository, a repository without object storage, a running copy job edited or removed.
async fn check_copy_job_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let created = if version >= Version::V8 { 201 } else { 200 };
    let (_, jobs) = call(app, Method::GET, &format!("/{v}/Jobs"), "t").await;
    let jobs = jobs
        .get("results")
        .unwrap_or(&jobs)
        .as_array()
        .unwrap()
        .clone();
    let (_, copies) = call(app, Method::GET, &format!("/{v}/CopyJobs"), "t").await;
    let copied: Vec<String> = copies
        .get("results")
        .unwrap_or(&copies)
        .as_array()
        .unwrap()
        .iter()
        .map(|copy| copy["backupJobId"].as_str().unwrap().to_owned())
        .collect();
    assert!(!copied.is_empty(), "{v}: the world holds a copy job");
    let (_, repositories) = call(app, Method::GET, &format!("/{v}/BackupRepositories"), "t").await;
    let targets = object_storage_repositories(&repositories);
    let job = jobs
        .iter()
        .find(|job| !copied.contains(&job["id"].as_str().unwrap().to_owned()))
        .unwrap_or_else(|| {
            panic!("{v}: a job without a copy job among {jobs:?}; copied {copied:?}")
        });
    let job_id = job["id"].as_str().unwrap();
    let own = job["repositoryId"].as_str().unwrap();
    let target = &targets
        .iter()
        .find(|(id, _)| id != own)
        .unwrap_or_else(|| panic!("{v}: an object storage repository among {repositories}"))
        .0;
    let local = ids_of(&repositories)
        .into_iter()
        .find(|id| !targets.iter().any(|(target, _)| target == id))
        .unwrap_or_else(|| panic!("{v}: a local repository among {repositories}"));
    let body = |backup_job: &str, repository: &str| {
        let mut body = json!({
            "backupJobId": backup_job,
            "repositoryId": repository,
            "isEnabled": true,
            "schedulePolicy": {"type": "Periodically", "periodicallyEvery": "Hours1"},
        });
        if version >= Version::V8 {
            body["organizationId"] = job["organizationId"].clone();
        }
        body
    };
    let unknown = "00000000-0000-0000-0000-0000000000c1";
    for (backup_job, repository, why) in [
        (unknown, target.as_str(), "an unknown backup job"),
        (copied[0].as_str(), target.as_str(), "a job with a copy job"),
        (job_id, own, "the job's own repository"),
        (
            job_id,
            local.as_str(),
            "a repository without object storage",
        ),
    ] {
        let (status, refusal) = write(
            contract,
            app,
            Method::POST,
            "/CopyJobs",
            "/CopyJobs",
            Some(&body(backup_job, repository)),
        )
        .await;
        assert_eq!(status, 400, "{v}: a copy job of {why}: {refusal}");
    }
    let (status, copy) = write(
        contract,
        app,
        Method::POST,
        "/CopyJobs",
        "/CopyJobs",
        Some(&body(job_id, target)),
    )
    .await;
    assert_eq!(status, created, "{v}: create a copy job: {copy}");
    let id = copy["id"].as_str().unwrap().to_owned();
    assert_eq!(copy["backupJobId"], job_id);
    assert_eq!(copy["schedulePolicy"]["periodicallyEvery"], "Hours1");
    let edit = json!({"schedulePolicy": {"type": "DailyAtTime", "dailyType": "Workdays", "dailyTime": "03:15:00"}});
    let (status, body_of_edit) = write(
        contract,
        app,
        Method::PUT,
        &format!("/CopyJobs/{id}"),
        "/CopyJobs/{id}",
        Some(&edit),
    )
    .await;
    assert_eq!(status, 204, "{v}: edit: {body_of_edit}");
    let action = |name: &'static str| {
        let path = format!("/CopyJobs/{id}/{name}");
        async move {
            write(
                contract,
                app,
                Method::POST,
                &path,
                &format!("/CopyJobs/{{id}}/{name}"),
                None,
            )
            .await
        }
    };
    assert_eq!(action("disable").await.0, 204, "{v}: disable");
    assert_eq!(
        action("start").await.0,
        400,
        "{v}: start a disabled copy job"
    );
    assert_eq!(action("enable").await.0, 204, "{v}: enable");
    let (status, started) = action("start").await;
    if version >= Version::V8 {
        assert_eq!(
            (status, &started["jobType"]),
            (200, &json!("Copy")),
            "{v}: {started}"
        );
    } else {
        assert_eq!(status, 204, "{v}: start: {started}");
    }
    assert_eq!(
        action("start").await.0,
        400,
        "{v}: start a running copy job"
    );
    let (status, _) = write(
        contract,
        app,
        Method::PUT,
        &format!("/CopyJobs/{id}"),
        "/CopyJobs/{id}",
        Some(&edit),
    )
    .await;
    assert_eq!(status, 400, "{v}: edit a running copy job");
    let (status, _) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/CopyJobs/{id}"),
        "/CopyJobs/{id}",
        None,
    )
    .await;
    assert_eq!(status, 400, "{v}: remove a running copy job");
    assert_eq!(action("stop").await.0, 204, "{v}: stop");
    assert_eq!(action("stop").await.0, 400, "{v}: stop an idle copy job");
    let (status, _) = write(
        contract,
        app,
        Method::DELETE,
        &format!("/CopyJobs/{id}"),
        "/CopyJobs/{id}",
        None,
    )
    .await;
    assert_eq!(status, 204, "{v}: remove");
    let (status, _) = write(
        contract,
        app,
        Method::POST,
        &format!("/CopyJobs/{id}/start"),
        "/CopyJobs/{id}/start",
        None,
    )
    .await;
    assert_eq!(status, 404, "{v}: start a removed copy job");
}

/// Adds, edits and removes an encryption key and a cloud account; those in use stay.
async fn check_credential_writes(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let v8 = version >= Version::V8;
    let (status, key) = write(
        contract,
        app,
        Method::POST,
        "/EncryptionKeys",
        "/EncryptionKeys",
        Some(&json!({"password": "Contract-1", "description": "Contract key"})),
    )
    .await;
    assert_eq!(status, if v8 { 201 } else { 200 }, "{v}: add a key: {key}");
    assert!(key.get("password").is_none());
    let key_id = key["id"].as_str().unwrap().to_owned();
    if version.to_string() == "v6" {
        // Documented by the v6 help page, not by the OpenAPI document: checked by hand.
        let response = app
            .client
            .put(app.url(&format!("/v6/EncryptionKeys/{key_id}")))
            .bearer_auth("t")
            .json(&json!({"oldPassword": "Contract-1", "newPassword": "Contract-2", "description": "Renamed"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "v6: edit a key");
        let response = app
            .client
            .put(app.url(&format!("/v6/EncryptionKeys/{key_id}")))
            .bearer_auth("t")
            .json(&json!({"oldPassword": "wrong", "newPassword": "Contract-3"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            400,
            "v6: edit a key with a wrong old password"
        );
    }
    let (_, repositories) = call(app, Method::GET, &format!("/{v}/BackupRepositories"), "t").await;
    let used = object_storage_repositories(&repositories)
        .into_iter()
        .find_map(|(_, key)| key)
        .expect("an encrypted repository");
    for (id, expected) in [(&used, 400), (&key_id, 204), (&key_id, 404)] {
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("/EncryptionKeys/{id}"),
            "/EncryptionKeys/{keyId}",
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: remove key {id}: {body}");
    }

    let (status, account) = write(
        contract,
        app,
        Method::POST,
        "/Accounts",
        "/Accounts",
        Some(&json!({"accountType": "amazonS3Account", "userName": "AKIACONTRACT", "password": "secret", "description": "Contract account"})),
    )
    .await;
    assert_eq!(status, 201, "{v}: add an account: {account}");
    assert!(account.get("password").is_none());
    let account_id = account["id"].as_str().unwrap().to_owned();
    let edit = if v8 {
        json!({"description": "Renamed", "password": "new"})
    } else {
        json!({"description": "Renamed", "oldPassword": "secret", "newPassword": "new"})
    };
    let (status, body) = write(
        contract,
        app,
        Method::PUT,
        &format!("/Accounts/{account_id}"),
        "/Accounts/{accountId}",
        Some(&edit),
    )
    .await;
    assert_eq!(
        status,
        if v8 { 204 } else { 200 },
        "{v}: edit an account: {body}"
    );
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/Accounts",
        "/Accounts",
        Some(&json!({"accountType": "azureBlobAccount", "userName": "UpperCase", "password": "secret"})),
    )
    .await;
    assert_eq!(status, 400, "{v}: an Azure account in upper case: {body}");
    let in_use = if v8 {
        let (_, repositories) = call(app, Method::GET, "/v8/BackupRepositories", "t").await;
        repositories["results"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|repository| {
                repository["objectStorage"]["accountId"]
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap()
    } else {
        let (_, storages) = call(
            app,
            Method::GET,
            &format!("/{v}/objectstoragerepositories"),
            "t",
        )
        .await;
        storages
            .as_array()
            .unwrap()
            .iter()
            .find_map(|storage| storage["accountId"].as_str().map(str::to_owned))
            .unwrap()
    };
    for (id, expected) in [(&in_use, 400), (&account_id, 204), (&account_id, 404)] {
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("/Accounts/{id}"),
            "/Accounts/{accountId}",
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: remove account {id}: {body}");
    }
}

/// Installs and updates the license, sets its automatic update, approves the monthly
/// report (v7 on) and takes a licensed user off it.
async fn check_license_writes(contract: &Contract, app: &TestApp) {
    use base64::Engine;
    let v = contract.version;
    let version: Version = v.parse().unwrap();
    let v8 = version >= Version::V8;
    let file = base64::engine::general_purpose::STANDARD
        .encode("Licensed to=Contract\nUsers=250\nExpiration date=2031-06-30\nType=Rental\n");
    let (status, license) = write(
        contract,
        app,
        Method::POST,
        "/License/Install",
        "/License/Install",
        Some(&json!({"licenseFile": file})),
    )
    .await;
    assert_eq!(status, 200, "{v}: install: {license}");
    assert_eq!(
        (&license["totalNumber"], &license["type"]),
        (&json!(250), &json!("Rental"))
    );
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/License/Install",
        "/License/Install",
        Some(&json!({"licenseFile": "not base64"})),
    )
    .await;
    assert_eq!(status, 400, "{v}: install a broken file: {body}");
    let (status, updated) = write(
        contract,
        app,
        Method::POST,
        "/License/Update",
        "/License/Update",
        None,
    )
    .await;
    assert_eq!(
        (status, &updated["licensedTo"]),
        (200, &json!("Contract")),
        "{v}: update"
    );
    let (status, _) = write(
        contract,
        app,
        Method::PUT,
        "/License/AutoUpdate",
        "/License/AutoUpdate",
        Some(&json!({"isEnabled": true})),
    )
    .await;
    assert_eq!(status, if v8 { 204 } else { 200 }, "{v}: auto-update");
    let (_, auto) = call(app, Method::GET, &format!("/{v}/License/AutoUpdate"), "t").await;
    assert_eq!(auto["isEnabled"], true);

    if version.has_license_statistics() {
        let (_, report) = call(
            app,
            Method::GET,
            &format!("/{v}/licensing/statistic/reports/latest"),
            "t",
        )
        .await;
        let report_id = report["reportParameters"]["reportID"].as_i64().unwrap();
        let organization = &report["platformTypes"][0]["organizations"][0];
        let mut removed = json!({
            "backedUpOrganizationId": organization["backedUpOrganizationId"],
            "platformId": report["platformTypes"][0]["platformId"],
            "typeId": 1,
            "removedCount": 1,
            "removalReason": "Left the company",
        });
        if v8 {
            removed["organizationId"] = organization["organizationId"].clone();
        }
        let approval = json!({"removedObjects": [removed]});
        let template = "/licensing/statistic/reports/{reportId}/approve";
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            "/licensing/statistic/reports/190001/approve",
            template,
            Some(&approval),
        )
        .await;
        assert_eq!(status, 404, "{v}: approve an unknown report: {body}");
        let path = format!("/licensing/statistic/reports/{report_id}/approve");
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &path,
            template,
            Some(&approval),
        )
        .await;
        assert_eq!(status, if v8 { 204 } else { 200 }, "{v}: approve: {body}");
        let (status, body) = write(
            contract,
            app,
            Method::POST,
            &path,
            template,
            Some(&approval),
        )
        .await;
        assert_eq!(status, 400, "{v}: approve twice: {body}");
        let (_, report) = call(
            app,
            Method::GET,
            &format!("/{v}/licensing/statistic/reports/latest"),
            "t",
        )
        .await;
        contract.check(
            &Method::GET,
            &format!("/{v}/licensing/statistic/reports/latest"),
            200,
            &report,
        );
        assert_eq!(report["reportParameters"]["reportStatus"], "Approved");
    }
    if version.has_users_license_report() {
        check_users_license_report(contract, app).await;
    }

    let (_, users) = call(app, Method::GET, &format!("/{v}/LicensedUsers"), "t").await;
    let user = ids_of(&users)[0].clone();
    for expected in [204, 404] {
        let (status, body) = write(
            contract,
            app,
            Method::DELETE,
            &format!("/LicensedUsers/{user}"),
            "/LicensedUsers/{licensedUserId}",
            None,
        )
        .await;
        assert_eq!(status, expected, "{v}: remove a licensed user: {body}");
    }
}

/// v6's monthly report, counted in users: read, approved once with users removed, refused
/// the second time and for an unknown report.
async fn check_users_license_report(contract: &Contract, app: &TestApp) {
    let v = contract.version;
    let latest = format!("/{v}/licensing/reports/latest");
    let (status, report) = call(app, Method::GET, &latest, "t").await;
    contract.check(&Method::GET, &latest, status, &report);
    assert_eq!(report["reportParameters"]["reportStatus"], "Draft");
    let organization = &report["organizations"][0];
    let reported = organization["reportedUsersCount"].as_u64().unwrap();
    assert!(reported > 0, "{report}");
    assert_eq!(
        report["reportSummary"]["reportedUsersCount"],
        report["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|line| line["reportedUsersCount"].as_u64().unwrap())
            .sum::<u64>()
    );
    let report_id = report["reportParameters"]["reportID"].as_i64().unwrap();
    let approval = json!({"removedUsers": [{
        "organizationId": organization["organizationId"],
        "removedUsersCount": 1,
        "removalReason": "Left the company",
    }]});
    let template = "/licensing/reports/{reportId}/approve";
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        "/licensing/reports/190001/approve",
        template,
        Some(&approval),
    )
    .await;
    assert_eq!(status, 404, "{v}: approve an unknown report: {body}");
    let path = format!("/licensing/reports/{report_id}/approve");
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &path,
        template,
        Some(&approval),
    )
    .await;
    assert_eq!(status, 200, "{v}: approve: {body}");
    let (status, body) = write(
        contract,
        app,
        Method::POST,
        &path,
        template,
        Some(&approval),
    )
    .await;
    assert_eq!(status, 400, "{v}: approve twice: {body}");
    let (status, report) = call(app, Method::GET, &latest, "t").await;
    contract.check(&Method::GET, &latest, status, &report);
    assert_eq!(report["reportParameters"]["reportStatus"], "Approved");
    let line = report["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["organizationId"] == organization["organizationId"])
        .unwrap();
    assert_eq!(line["removedUsersCount"], 1);
    assert_eq!(line["removalReason"], "Left the company");
}

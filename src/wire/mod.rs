//! How each API version renders the model: field sets, array or page, timestamp format, links.

pub mod access;
pub mod access_requests;
pub mod azure;
pub mod backup_data;
pub mod body;
pub mod buckets;
pub mod copy_job_requests;
pub mod copy_jobs;
pub mod credentials;
pub mod directory;
pub mod ec2;
pub mod errors;
pub mod infrastructure;
pub mod infrastructure_requests;
pub mod job_requests;
pub mod jobs;
pub mod json;
pub mod license;
pub mod licensed_users;
pub mod links;
pub mod mail_restore;
pub mod onedrive;
pub mod organization_requests;
pub mod organizations;
pub mod page;
pub mod protected;
pub mod proxies;
pub mod query;
pub mod repository_sessions;
pub mod restore;
pub mod restore_point_contents;
pub mod restore_sessions;
pub mod sessions;
pub mod settings;
pub mod storage;
pub mod teams;
pub mod teams_restore;
pub mod time;

pub use page::Paging;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Behaviours of real servers that are off by default and switched on with `--quirk`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// v3 LogItems answered as a page `{offset, limit, results}`, as a real 3.0 server did.
    pub logitems_paged: bool,
    /// A v3 session's `_links.log` points at `/log` (which answers 404), as on a real 3.0 server.
    pub log_link_to_log: bool,
}

/// The API versions the emulator speaks. Every difference between them lives in this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
}

impl Version {
    pub const ALL: [Version; 6] = [Self::V3, Self::V4, Self::V5, Self::V6, Self::V7, Self::V8];

    /// The path prefix, e.g. `/v6`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::V3 => "/v3",
            Self::V4 => "/v4",
            Self::V5 => "/v5",
            Self::V6 => "/v6",
            Self::V7 => "/v7",
            Self::V8 => "/v8",
        }
    }

    /// The version a canonical (lower-case) request path addresses.
    pub fn of_path(path: &str) -> Option<Self> {
        let segment = path.split('/').nth(1)?;
        Self::ALL
            .into_iter()
            .find(|version| &version.prefix()[1..] == segment)
    }

    /// v3..v5 answer `POST /Jobs/{id}/Action {"start": null}`.
    pub fn has_job_action_body(self) -> bool {
        self <= Self::V5
    }

    /// v3..v5 open restore sessions with `POST .../Action {"explore": {...}}` (on an
    /// organization, the signed-in tenant's organization or a job) and stop them with
    /// `POST /RestoreSessions/{id}/Action {"stop": null}`; v6 gave each its own path.
    pub fn has_restore_actions(self) -> bool {
        self <= Self::V5
    }

    /// v6 on answer `POST /Jobs/{id}/start`, `/stop`, `/enable`, `/disable`.
    pub fn has_job_action_paths(self) -> bool {
        self >= Self::V6
    }

    /// `GET /Jobs/{id}/JobSessions` exists up to v6; v7 removed it for `?jobId=`.
    pub fn has_sessions_of_job(self) -> bool {
        self <= Self::V6
    }

    /// Up to v7 a job is created with `POST /Organizations/{id}/Jobs`; v8 takes
    /// `POST /Jobs` with the organization in the body.
    pub fn creates_jobs_under_organizations(self) -> bool {
        self <= Self::V7
    }

    /// `GET /ServiceInstance`, the probe clients use to discover versions, exists from v6.
    pub fn has_service_instance(self) -> bool {
        self >= Self::V6
    }

    /// `GET /License` exists from v5.
    pub fn has_license(self) -> bool {
        self >= Self::V5
    }

    /// `GET /Organizations/{id}/Jobs` exists up to v7.
    pub fn has_organization_jobs(self) -> bool {
        self <= Self::V7
    }

    /// `GET /Organizations/{id}/Teams` exists from v5, the release that backed up Teams.
    pub fn has_teams(self) -> bool {
        self >= Self::V5
    }

    /// `GET /objectstoragerepositories` exists from v5 to v7; v8 shows object storage
    /// inside the repositories instead.
    pub fn has_object_storage(self) -> bool {
        (Self::V5..=Self::V7).contains(&self)
    }

    /// The cloud browsers (`/EC2Resources`, and the buckets and folders of
    /// `/S3CompatibleResources`, `/S3Resources` and `/AzureResources`) exist from v6.
    pub fn has_cloud_resources(self) -> bool {
        self >= Self::V6
    }

    /// Restore operator roles (`/RbacRoles`) and `/RestorePortalSettings` exist from v6.
    pub fn has_restore_operators(self) -> bool {
        self >= Self::V6
    }

    /// v6 and v7 take `extendedView` on `/Proxies`; without it they leave out throttling.
    pub fn has_proxy_extended_view(self) -> bool {
        matches!(self, Self::V6 | Self::V7)
    }

    /// v3..v5 rescan and remove a proxy with `POST /Proxies/{id}/Action` and a body.
    pub fn has_proxy_action_body(self) -> bool {
        self <= Self::V5
    }

    /// v5 rescans every proxy with `POST /Proxies/Action {"rescan": null}`.
    pub fn has_proxies_action(self) -> bool {
        self == Self::V5
    }

    /// From v6 proxies are rescanned and removed by path (`/Rescan`, `/Remove`), and
    /// repositories are synchronized with their object storage and list the organizations
    /// they back up.
    pub fn has_infrastructure_paths(self) -> bool {
        self >= Self::V6
    }

    /// v8: proxy pools, maintenance mode, SSH checks and moving repositories between owners.
    pub fn has_proxy_pools(self) -> bool {
        self >= Self::V8
    }

    /// What each repository holds (`/BackupRepositories/{id}/UserData`, ...), as the
    /// contracts document it from v6.
    pub fn has_backup_data(self) -> bool {
        self >= Self::V6
    }

    /// From v6 restore points are listed, and restore sessions opened and stopped, each at
    /// its own path (`/Organizations/{id}/explore`, `/RestoreSessions/{id}/Stop`, ...).
    pub fn has_restore_paths(self) -> bool {
        self >= Self::V6
    }

    /// `POST /BackupRepositories/{id}/explore` exists from v7.
    pub fn has_repository_explore(self) -> bool {
        self >= Self::V7
    }

    /// `GET /RestoreSessions/{id}/Statistics` exists from v8.
    pub fn has_restore_statistics(self) -> bool {
        self >= Self::V8
    }

    /// A restore session's mailboxes, OneDrives and what they hold are browsed, restored,
    /// saved and sent from v6, the first version whose contract documents them.
    pub fn has_restore_browsing(self) -> bool {
        self >= Self::V6
    }

    /// A Teams channel lists what it holds (`/channels/{id}/children`) and a Teams file its
    /// versions from v7.
    pub fn has_teams_children_and_versions(self) -> bool {
        self >= Self::V7
    }

    /// v8 addresses a Teams file under its channel (`/channels/{channelId}/files/{fileId}`);
    /// v6 and v7 under its team.
    pub fn has_channel_files(self) -> bool {
        self >= Self::V8
    }

    /// A restore operator restores Teams items (`.../operatorRestore`) from v7.
    pub fn has_teams_operator_restores(self) -> bool {
        self >= Self::V7
    }

    /// A team's tabs are restored together (`/teams/{teamId}/tabs/restore`) from v8.
    pub fn has_team_tabs_restore(self) -> bool {
        self >= Self::V8
    }

    /// `/RestoreSessions/{id}/organization`: the organization a restore session shows, with
    /// its search and export, from v6.
    pub fn has_backed_up_organization(self) -> bool {
        self >= Self::V6
    }

    /// The token endpoint issues an antiforgery token with each pair from v7, unless the
    /// client sends `disable_antiforgery_token`.
    pub fn has_antiforgery(self) -> bool {
        self >= Self::V7
    }

    /// `POST /token/logout` ends a session from v7.
    pub fn has_logout(self) -> bool {
        self >= Self::V7
    }

    /// The server's settings (email, history, internet proxy, exclusions, management
    /// mode) have resources from v6.
    pub fn has_server_settings(self) -> bool {
        self >= Self::V6
    }

    /// An organization's own configuration (backup accounts and applications, retention
    /// exclusions, audit items) and the logged-in user's scope have resources from v6.
    pub fn has_organization_setup(self) -> bool {
        self >= Self::V6
    }

    /// Azure service accounts (`/AzureServiceAccounts`) and what they see of Azure exist
    /// from v6, the release that brought archiver appliances.
    pub fn has_azure_service_accounts(self) -> bool {
        self >= Self::V6
    }

    /// v8 adds backup applications to an organization (`POST`) and takes them off
    /// (`DELETE`); earlier versions only replace them all (`PUT`).
    pub fn appends_backup_applications(self) -> bool {
        self >= Self::V8
    }

    /// A group's members have a resource from v6.
    pub fn has_group_members(self) -> bool {
        self >= Self::V6
    }

    /// Job and audit notifications can be sent as an OAuth-signed-in account from v7.
    pub fn has_notification_sign_in(self) -> bool {
        self >= Self::V7
    }

    /// The explorers can send mail as an OAuth-signed-in account from v8.
    pub fn has_explorer_sign_in(self) -> bool {
        self >= Self::V8
    }

    /// `PUT /ManagementMode` exists up to v7; v8 only reads the mode.
    pub fn edits_management_mode(self) -> bool {
        self <= Self::V7
    }

    /// `/Configuration/Updates` exists from v8.
    pub fn has_update_settings(self) -> bool {
        self >= Self::V8
    }

    /// Backup copy jobs (`/CopyJobs`, sessions of `jobType` Copy) exist from v6, the release
    /// that brought archive object storage.
    pub fn has_copy_jobs(self) -> bool {
        self >= Self::V6
    }

    /// `/EncryptionKeys` and `/Accounts` (cloud accounts) exist from v6, the first version
    /// whose contract documents them.
    pub fn has_credentials(self) -> bool {
        self >= Self::V6
    }

    /// `PUT /EncryptionKeys/{keyId}` (a new password, a new hint) is documented for v6 by
    /// the vendor's help page; the OpenAPI documents of v6..v8 leave it out.
    pub fn edits_encryption_keys(self) -> bool {
        self == Self::V6
    }

    /// Installing and updating the license, its automatic update and taking licensed users
    /// off it exist from v6.
    pub fn has_license_actions(self) -> bool {
        self >= Self::V6
    }

    /// `/licensing/reports/...`: v6's monthly license report, counted in users.
    pub fn has_users_license_report(self) -> bool {
        self == Self::V6
    }

    /// `/licensing/statistic/...`: the licensing platform, license use and monthly reports
    /// (v7 on).
    pub fn has_license_statistics(self) -> bool {
        self >= Self::V7
    }

    /// What a restore point holds, as arrays at `/RestorePoints/{id}/mailboxes`, `/onedrives`,
    /// `/teams` and `/webs`: v6 only.
    pub fn has_restore_point_arrays(self) -> bool {
        self == Self::V6
    }

    /// What a restore point holds, as pages at `/RestorePoints/{id}/protectedUsers` and the
    /// like, and the feeds of changes (`/RestorePoints/Changes`, `/JobSessions/Changes`):
    /// v7 only; v8 dropped them.
    pub fn has_restore_point_pages(self) -> bool {
        self == Self::V7
    }

    /// Users and groups name their on-premises security identifier (`onPremisesSid`) from
    /// v7, as do the users and groups of restore operator roles.
    pub fn has_on_premises_sids(self) -> bool {
        self >= Self::V7
    }

    /// v8 users list the Microsoft 365 licenses assigned to them (`assignedLicenses`).
    pub fn has_assigned_licenses(self) -> bool {
        self >= Self::V8
    }

    /// Roles name teams (as operators' items and in the effective scope) from v7.
    pub fn has_role_teams(self) -> bool {
        self >= Self::V7
    }

    /// From v8 a role's operators are `RESTRbacOperator`s, which name a user or a group
    /// only; before, they are items like the role's selected and excluded items.
    pub fn has_rbac_operators(self) -> bool {
        self >= Self::V8
    }

    /// Job sessions name the session a retry retries (`mainSessionId`) from v7.
    pub fn has_main_session_ids(self) -> bool {
        self >= Self::V7
    }

    /// Errors leave the v3 shape from v6 (see `errors`).
    pub fn has_own_error_dialect(self) -> bool {
        self >= Self::V6
    }

    /// The token endpoint takes JSON as well as a form from v6.
    pub fn accepts_json_token_requests(self) -> bool {
        self >= Self::V6
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.prefix()[1..])
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|version| version.to_string() == wanted)
            .ok_or_else(|| {
                format!("unknown version '{text}': expected one of v3, v4, v5, v6, v7, v8")
            })
    }
}

/// What rendering needs from the request and the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The host the client addressed; v3..v5 build absolute links on it.
    pub host: &'a str,
    pub quirks: Quirks,
    pub version: Version,
    /// The request's query as sent; page links repeat its filters.
    pub query: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// The host links are built on; `None` from v6, whose links are relative paths.
    pub fn link_host(&self) -> Option<&'a str> {
        (self.version <= Version::V5).then_some(self.host)
    }
}

/// Serializes a value as the text its `Display` writes. The text is put together in a
/// reused buffer and handed over whole: the serializer then escapes one string, where
/// `collect_str` escapes every piece the value writes, and nothing is allocated per value.
pub(super) fn display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use std::fmt::Write;
    TEXT.with_borrow_mut(|text| {
        text.clear();
        // Writing into a String cannot fail.
        let _ = write!(text, "{value}");
        serializer.serialize_str(text)
    })
}

thread_local! {
    /// The buffer [`display`] and [`concatenated`] write a string into before serializing it.
    static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Serializes `pieces` put together as one string, in a reused buffer and without the
/// formatting machinery: a page of log items writes two such texts per item.
pub(super) fn concatenated<S: serde::Serializer>(
    pieces: &[&str],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    TEXT.with_borrow_mut(|text| {
        text.clear();
        for piece in pieces {
            text.push_str(piece);
        }
        serializer.serialize_str(text)
    })
}

/// A 200 with `body` as JSON.
pub(super) fn ok(body: &impl Serialize) -> Response {
    json_response(StatusCode::OK, body)
}

thread_local! {
    /// Whether this thread renders with serde_json (see [`PlainRendering`]).
    static PLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While one of these lives, the thread renders every body with serde_json, the plain
/// serializer, instead of the fast one: the reference the fast renderer's bytes are
/// compared with (`tests/api/rendering.rs`).
pub struct PlainRendering {
    before: bool,
}

impl PlainRendering {
    pub fn begin() -> Self {
        Self {
            before: PLAIN.replace(true),
        }
    }
}

impl Drop for PlainRendering {
    fn drop(&mut self) {
        PLAIN.set(self.before);
    }
}

/// Put on an answer that depends on who asks (the token's user), so that no cache hands
/// it to another caller of the same URL.
#[derive(Debug, Clone, Copy)]
pub struct CallerSpecific;

/// The content type the service puts on every JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Serializes `body` and wraps it in a response with the service's JSON content type.
pub fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    json_response_sized(status, body, 128)
}

/// Like [`json_response`], writing into one buffer of `capacity` bytes so that a large
/// body is not copied as it grows. Bodies are written by [`json`], which copies struct
/// keys as they are and escapes string values with sonic-rs's SIMD scan (BENCHMARKS.md);
/// serde_json stays as the plain reference it is tested against.
pub fn json_response_sized(status: StatusCode, body: &impl Serialize, capacity: usize) -> Response {
    let mut buffer = Vec::with_capacity(capacity);
    let written = if PLAIN.get() {
        serde_json::to_writer(&mut buffer, body).map_err(|error| error.to_string())
    } else {
        json::write(&mut buffer, body).map_err(|error| error.to_string())
    };
    match written {
        Ok(()) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            )],
            buffer,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a response body failed to serialize");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A job action done: v3..v5 answer 200 with an empty body, v6 on 204.
pub fn job_action_done(version: Version) -> Response {
    if version.has_job_action_body() {
        StatusCode::OK.into_response()
    } else {
        StatusCode::NO_CONTENT.into_response()
    }
}

/// A job started by `POST /Jobs/{id}/start`: v8 answers with the new session.
pub fn job_started(
    cx: &Context<'_>,
    session: &crate::model::JobSession,
    extras: crate::model::SessionExtras<'_>,
) -> Response {
    if cx.version >= Version::V8 {
        sessions::job_session(cx, session, extras)
    } else {
        job_action_done(cx.version)
    }
}

/// The installation every answer of this emulator comes from.
const INSTALLATION_ID: uuid::Uuid = uuid::uuid!("7f3c1b52-9a4e-4d2b-8c61-0e5d9a2f4b17");

/// `GET /vN/ServiceInstance`: the installation id and a build of the release that brought `version`.
pub fn service_instance(version: Version) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        installation_id: uuid::Uuid,
        version: &'static str,
    }
    json_response(
        StatusCode::OK,
        &Body {
            installation_id: INSTALLATION_ID,
            version: build(version),
        },
    )
}

/// The build of the release that brought `version`, which the server and its proxies run.
fn build(version: Version) -> &'static str {
    match version {
        Version::V3 | Version::V4 | Version::V5 | Version::V6 => "6.1.0.254",
        Version::V7 => "7.1.0.2031",
        Version::V8 => "8.1.0.305",
    }
}

/// `.issued` and `.expires`: RFC 1123 as OWIN writes them up to v5, ISO 8601 from v6.
pub fn token_time(version: Version, time: chrono::DateTime<chrono::Utc>) -> String {
    if version >= Version::V6 {
        time::DotNetTime(&time.fixed_offset()).to_string()
    } else {
        time::http_date(time)
    }
}

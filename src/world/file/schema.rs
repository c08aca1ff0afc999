//! The world file's schema: every entry as it is written, with the defaults of what it may leave out.

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::*;
use crate::model::{
    AzureServiceAccount, BackupType, CleanupSchedule, CloudAccountKind, Connection, CopySchedule,
    DailyKind, DirectoryObject, Exploration, FaultRule, GroupKind, InternetProxy, JobItem, License,
    LocationType, ObjectStorageKind, OperatingSystem, OrganizationKind, OrganizationSetup,
    OrganizationSync, ProxyKind, RepositoryOwner, RestoreAction, RestoreKind, RestorePortal,
    RestoreResult, RetentionPeriod, RetentionType, RetryPolicy, RoleScope, Scenario, Schedule,
    Secret, SentMail, ServerSettings, SessionStatistics, SessionStatus, Severity,
    SharePointVersions, Throttling, Timestamp, TroubleScenario, UserKind, built_in_scenario,
    unknown_scenario,
};
use crate::wire::time::DotNetTime;

/// The only format this version reads and writes.
pub const FORMAT: u32 = 1;

/// A whole world. Every list may be left out; every id may be left out where nothing
/// refers to it (it is then drawn from `seed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorldFile {
    pub format: u32,
    /// Seeds the ids the file leaves out and those the world creates later.
    #[serde(default)]
    pub seed: u64,
    /// The server's local offset, in which new log items are stamped, e.g. `-07:00`.
    #[serde(default = "utc_offset_text")]
    pub server_offset: String,
    #[serde(default)]
    pub users: Vec<UserEntry>,
    #[serde(default)]
    pub organizations: Vec<OrganizationEntry>,
    #[serde(default)]
    pub proxies: Vec<ProxyEntry>,
    #[serde(default)]
    pub proxy_pools: Vec<ProxyPoolEntry>,
    #[serde(default)]
    pub repositories: Vec<RepositoryEntry>,
    #[serde(default)]
    pub repository_synchronizations: Vec<RepositorySyncEntry>,
    #[serde(default)]
    pub repository_owner_changes: Vec<OwnerChangeEntry>,
    #[serde(default)]
    pub jobs: Vec<JobEntry>,
    /// Backup copy jobs, each of a job of `jobs`; their sessions are in `sessions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy_jobs: Vec<CopyJobEntry>,
    #[serde(default)]
    pub sessions: Vec<SessionEntry>,
    #[serde(default)]
    pub restore_sessions: Vec<RestoreSessionEntry>,
    #[serde(default)]
    pub licensed_users: Vec<LicensedUserEntry>,
    /// The users of the organizations (not accounts that log in: those are `users`).
    #[serde(default)]
    pub organization_users: Vec<OrganizationUserEntry>,
    #[serde(default)]
    pub groups: Vec<GroupEntry>,
    #[serde(default)]
    pub sites: Vec<SiteEntry>,
    #[serde(default)]
    pub teams: Vec<TeamEntry>,
    #[serde(default)]
    pub object_storages: Vec<ObjectStorageEntry>,
    #[serde(default)]
    pub rbac_roles: Vec<RbacRoleEntry>,
    #[serde(default)]
    pub restore_portal: RestorePortalEntry,
    /// Mail restores wrote into the organizations' mailboxes, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restored_mail: Vec<RestoredMailEntry>,
    /// Document restores wrote into the organizations' OneDrives, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restored_documents: Vec<RestoredDocumentsEntry>,
    /// Mail put into backed-up mailboxes, each in place of a generated one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_mail: Vec<PinnedMailEntry>,
    /// Documents put into backed-up OneDrives, each in place of a generated one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_documents: Vec<PinnedDocumentEntry>,
    /// What the server mailed, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbox: Vec<SentMail>,
    /// The server's own settings; left out, those of a fresh install.
    #[serde(default, skip_serializing_if = "ServerSettings::is_default")]
    pub settings: ServerSettings,
    /// Fault rules (docs/faults.md), matched in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultRule>,
    /// Trouble scenarios on (docs/faults.md), each a built-in one's name or a declaration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioEntry>,
    /// Data removed from repositories, one entry per repository and object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_data: Vec<RemovedDataEntry>,
    /// Passwords that encrypt what repositories write to object storage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub encryption_keys: Vec<EncryptionKeyEntry>,
    /// Accounts the server signs in to object storage with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cloud_accounts: Vec<CloudAccountEntry>,
    /// Folders clients created in the buckets and containers cloud accounts see.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bucket_folders: Vec<BucketFolderEntry>,
    /// Entra applications the server signs in to Azure with, with their secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub azure_service_accounts: Vec<AzureServiceAccount>,
    /// The installed license; left out, a subscription for 1,000 users.
    #[serde(default, skip_serializing_if = "License::is_default")]
    pub license: License,
}

/// A backup copy job: what it copies (a job of the file) and where to (a repository that
/// keeps its data in object storage, other than the job's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyJobEntry {
    pub id: Option<Uuid>,
    pub backup_job_id: Uuid,
    pub repository_id: Uuid,
    /// Defaults to the backup job's name followed by ` copy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub is_enabled: bool,
    /// Left out: right after each backup that leaves a restore point.
    #[serde(default = "immediate")]
    pub schedule: CopySchedule,
    /// 168 hours from Sunday 00:00, `true` where copies may run; left out, any hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_window: Option<Vec<bool>>,
    #[serde(default, skip_serializing_if = "Scenario::is_default")]
    pub scenario: Scenario,
}

fn immediate() -> CopySchedule {
    CopySchedule::Immediate
}

/// An encryption password; kept in the file, never served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EncryptionKeyEntry {
    pub id: Option<Uuid>,
    #[serde(default)]
    pub description: String,
    pub password: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
}

/// A cloud account: an Azure storage account or an S3 access key, with its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudAccountEntry {
    pub id: Option<Uuid>,
    #[serde(rename = "accountType")]
    pub kind: CloudAccountKind,
    pub user_name: String,
    #[serde(default)]
    pub description: String,
    pub password: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
}

/// A folder created in a bucket (or container) through a browser: the cloud account that
/// sees the bucket, the bucket's name and the folder's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BucketFolderEntry {
    pub account_id: Uuid,
    pub bucket: String,
    pub name: String,
}

/// Data of a user, group, site or team removed from a repository: its restore points taken
/// up to `removedAt` no longer hold the object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemovedDataEntry {
    pub repository_id: Uuid,
    pub object_id: Uuid,
    #[serde(with = "crate::model::timestamp_text")]
    pub removed_at: Timestamp,
}

/// Mail a restore wrote into a mailbox: items named by their ids in the source mailbox,
/// or whole folders (by name) with how many items they held in the backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoredMailEntry {
    pub organization_id: Uuid,
    pub target_mailbox_id: Uuid,
    /// The folder everything went to; left out, each item went to the folder it came from.
    #[serde(default)]
    pub target_folder: Option<String>,
    pub source_mailbox_id: Uuid,
    /// The backup it was restored from: scope and point in time.
    pub source: Exploration,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<RestoredFolderEntry>,
    #[serde(with = "crate::model::timestamp_text")]
    pub restored_at: Timestamp,
}

/// Documents a restore wrote into a OneDrive: documents named by their ids in the source
/// OneDrive, or whole folders (by name or path) with how many documents they held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoredDocumentsEntry {
    pub organization_id: Uuid,
    pub target_one_drive_id: Uuid,
    /// The folder everything went to; left out, each document went to the folder it came
    /// from.
    #[serde(default)]
    pub target_folder: Option<String>,
    pub source_one_drive_id: Uuid,
    /// The backup it was restored from: scope and point in time.
    pub source: Exploration,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<RestoredFolderEntry>,
    #[serde(with = "crate::model::timestamp_text")]
    pub restored_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoredFolderEntry {
    pub folder: String,
    pub count: u64,
}

/// A mail the backups of a mailbox hold: in `folder` (a name such as `Inbox`, or an id),
/// received at `received`, in place of the mail received there at or just before then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PinnedMailEntry {
    /// The organization user whose mailbox holds it.
    pub mailbox_id: Uuid,
    pub folder: String,
    #[serde(with = "crate::model::timestamp_text")]
    pub received: Timestamp,
    pub subject: String,
    /// Left out: those of the mail it takes the place of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentEntry>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachmentEntry {
    pub name: String,
    pub size_bytes: u64,
}

/// A document the backups of a OneDrive hold: in `folder` (a path such as
/// `Documents/Reports`, or an id), created at `created`, in place of the document created
/// there at or just before then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PinnedDocumentEntry {
    pub one_drive_id: Uuid,
    pub folder: String,
    #[serde(with = "crate::model::timestamp_text")]
    pub created: Timestamp,
    pub name: String,
    /// Left out: the author of the document it takes the place of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

fn utc_offset_text() -> String {
    "+00:00".to_owned()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub name: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganizationEntry {
    pub id: Option<Uuid>,
    pub name: String,
    /// Defaults to the name up to its first dot.
    pub office_name: Option<String>,
    #[serde(rename = "type", default = "office365")]
    pub kind: OrganizationKind,
    #[serde(default = "worldwide")]
    pub region: String,
    #[serde(default = "yes")]
    pub is_exchange_online: bool,
    #[serde(default = "yes", rename = "isSharePointOnline")]
    pub is_sharepoint_online: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub is_teams_online: bool,
    #[serde(default)]
    pub is_teams_chats_online: bool,
    /// Defaults to `admin@<officeName>.onmicrosoft.com` with an application of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
    /// Defaults to an id that follows from the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Uuid>,
    #[serde(default)]
    pub share_point_versions: SharePointVersions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync: Option<OrganizationSync>,
    /// What clients configured on the organization; left out, nothing.
    #[serde(default, skip_serializing_if = "OrganizationSetup::is_default")]
    pub setup: OrganizationSetup,
}

fn office365() -> OrganizationKind {
    OrganizationKind::Office365
}

fn worldwide() -> String {
    "Worldwide".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyEntry {
    pub id: Option<Uuid>,
    pub host_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "proxy_port")]
    pub port: u16,
    #[serde(default = "proxy_threads")]
    pub threads_number: u32,
    #[serde(default = "yes")]
    pub is_online: bool,
    #[serde(rename = "type", default = "domain_member")]
    pub kind: ProxyKind,
    #[serde(default)]
    pub operating_system: OperatingSystem,
    /// Left out: not throttled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttling: Option<Throttling>,
    /// Left out: Microsoft 365 is reached directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_proxy: Option<InternetProxy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// The pool the proxy works in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_pool_id: Option<Uuid>,
    #[serde(default)]
    pub maintenance: bool,
}

fn domain_member() -> ProxyKind {
    ProxyKind::Domain
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyPoolEntry {
    pub id: Option<Uuid>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

fn proxy_port() -> u16 {
    9193
}

fn proxy_threads() -> u32 {
    64
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepositoryEntry {
    pub id: Option<Uuid>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Defaults to `C:\VeeamRepository\<name>`.
    pub path: Option<String>,
    /// The proxy that keeps the repository; or, instead, the pool that does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_pool_id: Option<Uuid>,
    #[serde(default = "snapshot_based")]
    pub retention_type: RetentionType,
    #[serde(default)]
    pub retention_period: RetentionPeriod,
    #[serde(default)]
    pub cleanup: CleanupSchedule,
    #[serde(default = "one_tebibyte")]
    pub capacity_bytes: u64,
    /// Space in use before any session of the world wrote to the repository.
    #[serde(default)]
    pub baseline_used_bytes: u64,
    /// The object storage the repository keeps its data in.
    #[serde(default)]
    pub object_storage_id: Option<Uuid>,
    /// The one organization the repository is given to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    /// Whether its cache waits for a synchronization with its object storage.
    #[serde(default)]
    pub is_out_of_sync: bool,
    /// The key that encrypts what it writes to object storage; left out, not encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key_id: Option<Uuid>,
}

impl RepositoryEntry {
    /// Who keeps the repository, when the entry names exactly one owner.
    pub fn owner(&self) -> Option<RepositoryOwner> {
        match (self.proxy_id, self.proxy_pool_id) {
            (Some(proxy), None) => Some(RepositoryOwner::Proxy(proxy)),
            (None, Some(pool)) => Some(RepositoryOwner::ProxyPool(pool)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepositorySyncEntry {
    pub id: Option<Uuid>,
    pub repository_id: Uuid,
    #[serde(with = "time_text")]
    pub started: Timestamp,
    /// When it was stopped, if it was stopped before it ended.
    #[serde(default, with = "optional_time_text")]
    pub stopped: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OwnerChangeEntry {
    pub id: Option<Uuid>,
    pub repository_ids: Vec<Uuid>,
    pub from: RepositoryOwner,
    pub to: RepositoryOwner,
    #[serde(with = "time_text")]
    pub started: Timestamp,
    #[serde(default, with = "optional_time_text")]
    pub stopped: Option<Timestamp>,
    #[serde(default = "sixty")]
    pub wait_minutes: u32,
    #[serde(default)]
    pub force_stop: bool,
    #[serde(default = "ten")]
    pub force_stop_minutes: u32,
}

fn sixty() -> u32 {
    60
}

fn ten() -> u32 {
    10
}

fn snapshot_based() -> RetentionType {
    RetentionType::SnapshotBased
}

fn one_tebibyte() -> u64 {
    1 << 40
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub repository_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "entire_organization")]
    pub backup_type: BackupType,
    #[serde(default = "yes")]
    pub is_enabled: bool,
    #[serde(default = "nightly")]
    pub schedule: Schedule,
    #[serde(default, skip_serializing_if = "is_default_retry")]
    pub retry: RetryPolicy,
    /// 168 hours from Sunday 00:00, `true` where backups may run; left out, any hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_window: Option<Vec<bool>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selected_items: Vec<JobItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_items: Vec<JobItem>,
    /// How the runs the emulator drives go; left out, the default scenario.
    #[serde(default, skip_serializing_if = "Scenario::is_default")]
    pub scenario: Scenario,
}

fn entire_organization() -> BackupType {
    BackupType::EntireOrganization
}

fn nightly() -> Schedule {
    Schedule::Daily {
        at: chrono::NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default(),
        days: DailyKind::Everyday,
    }
}

fn is_default_retry(retry: &RetryPolicy) -> bool {
    *retry == RetryPolicy::default()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionEntry {
    pub id: Option<Uuid>,
    pub job_id: Uuid,
    #[serde(with = "time_text")]
    pub creation_time: Timestamp,
    /// Absent while the session runs.
    #[serde(default, with = "optional_time_text")]
    pub end_time: Option<Timestamp>,
    /// Defaults to Success for a session with an end, Running for one without.
    pub status: Option<SessionStatus>,
    /// Defaults to 100 for a session with an end, 0 for one without.
    pub progress: Option<u8>,
    /// Defaults to zero rates, and the processing items of the log that did not fail as
    /// processed objects.
    pub statistics: Option<SessionStatistics>,
    /// The session a retry run retries; absent for a main session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_session_id: Option<Uuid>,
    /// Which retry the run is: 0 (left out) for a main session.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retry_count: u32,
    /// The run failed and the service scheduled a retry of it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub job_will_be_retried: bool,
    #[serde(default)]
    pub log_items: Vec<LogItemEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogItemEntry {
    pub id: Option<Uuid>,
    /// Defaults to one more than the item before; given, it must be greater.
    pub usn: Option<i64>,
    #[serde(default = "success")]
    pub severity: Severity,
    pub message: String,
    #[serde(with = "time_text")]
    pub creation_time: Timestamp,
    /// Defaults to the creation time.
    #[serde(default, with = "optional_time_text")]
    pub end_time: Option<Timestamp>,
}

fn success() -> Severity {
    Severity::Success
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreSessionEntry {
    pub id: Option<Uuid>,
    pub name: String,
    pub organization_id: Uuid,
    #[serde(rename = "type", default = "exchange")]
    pub kind: RestoreKind,
    #[serde(with = "time_text")]
    pub creation_time: Timestamp,
    #[serde(default, with = "optional_time_text")]
    pub end_time: Option<Timestamp>,
    #[serde(default = "restore_success")]
    pub result: RestoreResult,
    #[serde(default)]
    pub initiated_by: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub events: Vec<RestoreEventEntry>,
    /// What an explore opened the session on; left out for a record of a past session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explored: Option<Exploration>,
    /// The users, sites and teams a restore operator's session may show; left out for an
    /// administrator's session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_scope: Option<Vec<Uuid>>,
    /// Why a restore operator opened the session.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

fn exchange() -> RestoreKind {
    RestoreKind::Vex
}

fn restore_success() -> RestoreResult {
    RestoreResult::Success
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreEventEntry {
    pub id: Option<Uuid>,
    #[serde(rename = "type", default = "restore")]
    pub action: RestoreAction,
    #[serde(default = "restore_success")]
    pub status: RestoreResult,
    pub item_name: String,
    #[serde(default)]
    pub item_type: String,
    #[serde(default)]
    pub item_size_bytes: u64,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub target: String,
    #[serde(with = "time_text")]
    pub start_time: Timestamp,
    #[serde(default, with = "optional_time_text")]
    pub end_time: Option<Timestamp>,
    #[serde(default)]
    pub message: String,
}

fn restore() -> RestoreAction {
    RestoreAction::Restore
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LicensedUserEntry {
    pub id: Option<Uuid>,
    pub name: String,
    pub organization_id: Uuid,
    /// `true` for a user licensed this month (`licenseState: New`).
    #[serde(default)]
    pub is_new: bool,
}

/// Timestamps in files are written as the API writes them and read as RFC 3339.
mod time_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{DateTime, DotNetTime, Timestamp};

    pub fn serialize<S: Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&DotNetTime(time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text).map_err(|error| {
            serde::de::Error::custom(format!(
                "'{text}' is not an RFC 3339 time with an offset: {error}"
            ))
        })
    }
}

mod optional_time_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{DateTime, DotNetTime, Timestamp};

    pub fn serialize<S: Serializer>(
        time: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => serializer.collect_str(&DotNetTime(time)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        let Some(text) = <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        DateTime::parse_from_rfc3339(&text)
            .map(Some)
            .map_err(|error| {
                serde::de::Error::custom(format!(
                    "'{text}' is not an RFC 3339 time with an offset: {error}"
                ))
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganizationUserEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    /// The user principal name, e.g. `adelev@contoso.onmicrosoft.com`.
    pub name: String,
    /// Defaults to the name up to its `@`.
    pub display_name: Option<String>,
    #[serde(rename = "type", default = "person")]
    pub kind: UserKind,
    #[serde(default = "cloud")]
    pub location_type: LocationType,
    /// The security identifier on premises; none for a cloud-only user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sid: Option<String>,
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub one_drives: Vec<OneDriveEntry>,
    /// How many times a usual mailbox's mail the backed-up mailbox gathers.
    #[serde(default = "one_times", skip_serializing_if = "is_one")]
    pub mailbox_scale: u32,
}

fn one_times() -> u32 {
    1
}

fn is_one(value: &u32) -> bool {
    *value == 1
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

fn is_false(value: &bool) -> bool {
    !value
}

fn person() -> UserKind {
    UserKind::User
}

fn cloud() -> LocationType {
    LocationType::Cloud
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OneDriveEntry {
    pub id: Option<Uuid>,
    #[serde(default = "onedrive_name")]
    pub name: String,
    pub url: String,
    /// How many times a usual OneDrive's documents the backed-up OneDrive gathers.
    #[serde(default = "one_times", skip_serializing_if = "is_one")]
    pub document_scale: u32,
}

fn onedrive_name() -> String {
    "OneDrive".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub name: String,
    /// Defaults to the name up to its `@`.
    pub display_name: Option<String>,
    #[serde(rename = "type", default = "office365_group")]
    pub kind: GroupKind,
    #[serde(default = "cloud")]
    pub location_type: LocationType,
    /// The security identifier on premises; none for a cloud-only group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sid: Option<String>,
    #[serde(default)]
    pub managed_by: String,
    #[serde(default)]
    pub site: String,
}

fn office365_group() -> GroupKind {
    GroupKind::Office365
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SiteEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub url: String,
    /// Defaults to the last segment of the URL.
    pub title: Option<String>,
    #[serde(default)]
    pub parent_url: String,
    #[serde(default)]
    pub is_personal: bool,
    #[serde(default = "yes")]
    pub is_cloud: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub mail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectStorageEntry {
    pub id: Option<Uuid>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "type", default = "s3_compatible")]
    pub kind: ObjectStorageKind,
    pub bucket: String,
    #[serde(default = "veeam_folder")]
    pub folder: String,
    #[serde(default)]
    pub endpoint: String,
    /// `None`: no limit.
    #[serde(default, rename = "sizeLimitGB")]
    pub size_limit_gb: Option<u64>,
    /// The cloud account the server signs in to the storage with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// The Azure service account whose archiver appliance moves data into an Azure archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_service_account_id: Option<Uuid>,
}

fn s3_compatible() -> ObjectStorageKind {
    ObjectStorageKind::AmazonS3Compatible
}

fn veeam_folder() -> String {
    "Veeam".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RbacRoleEntry {
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "entire_organization_scope")]
    pub role_type: RoleScope,
    #[serde(default)]
    pub operators: Vec<DirectoryObject>,
    #[serde(default)]
    pub selected_items: Vec<DirectoryObject>,
    #[serde(default)]
    pub excluded_items: Vec<DirectoryObject>,
}

fn entire_organization_scope() -> RoleScope {
    RoleScope::EntireOrganization
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestorePortalEntry {
    #[serde(default)]
    pub is_enabled: bool,
    #[serde(default)]
    pub application_id: Uuid,
    #[serde(default)]
    pub msal_authority_uri: String,
    #[serde(default)]
    pub restore_portal_uri: String,
}

impl Default for RestorePortalEntry {
    fn default() -> Self {
        portal_entry(&RestorePortal::default())
    }
}

/// A trouble scenario in a world file: a built-in one by its name, or one declared in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ScenarioEntry {
    Named(String),
    Declared(Box<TroubleScenario>),
}

impl ScenarioEntry {
    /// The scenario the entry stands for: a name, or a declaration of only a name, is the
    /// built-in scenario of that name. Answers the entry's problems when it is not valid.
    pub fn resolve(self) -> Result<TroubleScenario, Vec<(String, String)>> {
        let scenario = match self {
            Self::Named(name) => {
                return built_in_scenario(&name)
                    .cloned()
                    .ok_or_else(|| vec![("name".to_owned(), unknown_scenario(&name))]);
            }
            Self::Declared(scenario) => *scenario,
        };
        if scenario.changes_nothing()
            && let Some(built_in) = built_in_scenario(&scenario.name)
        {
            return Ok(built_in.clone());
        }
        let problems = scenario.problems();
        if problems.is_empty() {
            Ok(scenario)
        } else {
            Err(problems)
        }
    }
}

/// Read by hand so that a declaration with a mistake says what the mistake is, where an
/// untagged enum would only say that nothing matched.
impl<'de> Deserialize<'de> for ScenarioEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(name) => Ok(Self::Named(name)),
            declared => TroubleScenario::deserialize(declared)
                .map(|scenario| Self::Declared(Box::new(scenario)))
                .map_err(serde::de::Error::custom),
        }
    }
}

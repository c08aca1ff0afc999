//! Version-neutral domain types of the backup world: organizations, jobs, job sessions and log items.

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod account;
mod azure;
mod backup_data;
mod buckets;
mod copy_jobs;
mod credentials;
mod directory;
mod ec2;
mod faults;
mod filters;
mod ids;
mod infrastructure;
mod jobs;
mod license;
mod log_item;
mod mailbox;
mod onedrive;
mod organization_setup;
mod restored;
mod scenarios;
mod settings;
mod teams;
mod views;

pub use account::UserCredential;
pub use azure::{
    AzureEnvironment, AzureLocation, AzureServiceAccount, AzureServiceAccountChange,
    AzureSubscription, AzureView, DeviceCode, ResourceGroup, Subnet, VirtualMachineSize,
    VirtualNetwork, certificate_thumbprint,
};
pub use backup_data::{BackedUpPart, BackupData, BackupDataFilter, PartSpans, RemovedData};
pub use buckets::{
    AMAZON_S3_REGIONS, AmazonRegion, AmazonRegionType, AzureRegionType, Bucket, BucketFolder,
    BucketPlace, BucketScope, StorageCloud, amazon_region,
};
pub use copy_jobs::{CopyJob, CopyJobChange, CopySchedule, JobKind};
pub use credentials::{
    CloudAccount, CloudAccountChange, CloudAccountKind, EncryptionKey, EncryptionKeyChange,
};
pub use ec2::{AMAZON_REGIONS, Ec2Resource, Ec2Scope, INSTANCE_TYPES, InstanceType};
pub use faults::{FaultAction, FaultRequest, FaultRule, MAX_DELAY_MS};

pub use directory::{
    DirectoryObject, DirectoryUser, Group, GroupKind, LocationType, OneDrive, RbacRole,
    RestorePortal, RoleChange, RoleList, RoleScope, Site, Team, UserKind,
};
pub use filters::{
    ApplicationFilter, AzureServiceAccountFilter, ChangeFeed, ChangeMark, ChangePage, ChangesFrom,
    CloudAccountFilter, CopyJobFilter, DirectoryFilter, DriveFilter, EncryptionKeyFilter,
    FolderFilter, ItemFilter, ItemIds, JobFilter, LicenseUsageFilter, LicensedUserFilter,
    LogItemFilter, ObjectStorageFilter, OperatorPointFilter, OrganizationParameter, PostFilter,
    ProtectedFilter, ProxyView, RepositoryFilter, RestorePointFilter, SessionFilter, SessionScope,
    SeverityFilter, TeamsFilter,
};
pub use ids::{Id, Key, MalformedId, Named, NotFound};
pub use infrastructure::{
    BackupRepository, CleanupSchedule, DayOfWeek, HostKey, InternetProxy, InternetProxyKind,
    ObjectStorage, ObjectStorageKind, OperatingSystem, OwnerChange, OwnerChangeOptions,
    OwnerChangeStatus, Proxy, ProxyChange, ProxyKind, ProxyPool, ProxyPoolChange, RepositoryChange,
    RepositoryOwner, RepositorySync, RetentionPeriod, RetentionType, StorageChoice, SyncProgress,
    Throttling, ThrottlingUnit, WeekOfMonth, YearlyRetention,
};
pub use jobs::{
    BackupType, DailyKind, Job, JobChange, JobItem, JobItemData, JobObject, Outcome, RetryPolicy,
    Scenario, Schedule,
};
pub use license::{
    License, LicenseFile, LicenseKind, LicenseReport, OrganizationLicenseUse, PLATFORM_ID,
    PLATFORM_NAME, RemovedObjects, ReportApproval, ReportMonth, ReportOrganization, USER_TYPE_ID,
    USER_TYPE_WEIGHT, USERS_GROUP_ID,
};
pub use log_item::{Log, LogItem, LogItems, LogMessage, NewLogItem, Severity};
pub use mailbox::{
    FOLDERS, FolderKind, MailFolder, MailItem, MailboxContent, PinnedMail, RESTORED, RestoredMail,
};
pub use onedrive::{
    DRIVE_FOLDERS, Document, DriveContent, DriveFolder, PinnedDocument, RestoredDocuments,
};
pub use organization_setup::{
    BackupAccount, BackupAccountChange, BackupApplication, BackupApplicationChange,
    NewApplications, OrganizationSetup, TenantApplication,
};
pub use restored::{RestoreSelection, RestoredItems, SourceItem};
pub use scenarios::{
    FullRepositories, JobTrouble, LicenseTrouble, MOST_SCENARIOS, OfflineProxies, ProxyWait,
    RestoreTrouble, RestoreTroubleResult, RunTrouble, Selector, TroubleScenario,
    UnreachableStorage, built_in_scenario, built_in_scenarios, unknown_scenario,
};
pub use settings::{
    EmailChange, EmailSettings, FolderExclusions, HistorySettings, MailAuthentication, Mailer,
    ManagementMode, OAuthService, RetentionExclusions, Secret, ServerInternetProxy, ServerSettings,
    SignInRequest, UpdateSettings, is_address,
};
pub use teams::{Channel, ChannelFile, ChannelItem, FilePlace, Post, PostExport, Tab, TeamContent};
pub use views::{
    BackupSpan, CopyJobView, EffectiveScope, JobItemView, JobSummary, JobView, LicenseDates,
    LicenseUse, LoggedInUser, OrganizationUsage, ProcessedObject, ProtectedKind, ProxyUse,
    RepositoryUsage, RepositoryView, ResolvedObject, RestorePointContents, RestorePointView,
    SessionExtras, StorageUse,
};

/// A well-mixed 64-bit hash of the inputs (SplitMix64's finalizer): the same inputs give
/// the same generated content in every run.
fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// A point in time with the offset it is rendered in: UTC for what the service keeps
/// in its database, the server's local offset for log items.
pub type Timestamp = DateTime<FixedOffset>;

/// A Microsoft 365 (or on-premises Exchange/SharePoint) organization added to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub office_name: String,
    pub kind: OrganizationKind,
    pub region: String,
    pub exchange_online: bool,
    pub sharepoint_online: bool,
    pub description: String,
    pub teams_online: bool,
    pub teams_chats_online: bool,
    /// How the server signs in to the organization's Exchange and SharePoint Online.
    pub connection: Connection,
    /// The Microsoft 365 tenant's id (v8 `msid`).
    pub tenant_id: Uuid,
    /// Which versions of SharePoint documents backups keep.
    pub sharepoint_versions: SharePointVersions,
    /// The newest synchronization of the organization's objects with Microsoft 365.
    pub last_sync: Option<OrganizationSync>,
    /// What clients configured on the organization itself.
    pub setup: OrganizationSetup,
}

impl Organization {
    /// An organization as the service adds one when told only its name: Exchange,
    /// SharePoint and Teams online, signed in with a modern-authentication application
    /// whose ids follow from the organization's, so a world stays the same bytes.
    pub fn new(id: Uuid, name: String) -> Self {
        let office_name = name.split('.').next().unwrap_or_default().to_owned();
        Self {
            connection: Connection {
                account: format!("admin@{office_name}.onmicrosoft.com"),
                application_id: Some(Uuid::new_v5(&id, b"application")),
                use_application_only_auth: true,
                use_mfa: false,
            },
            tenant_id: Uuid::new_v5(&Uuid::NAMESPACE_DNS, name.as_bytes()),
            id,
            name,
            office_name,
            kind: OrganizationKind::Office365,
            region: "Worldwide".to_owned(),
            exchange_online: true,
            sharepoint_online: true,
            description: String::new(),
            teams_online: true,
            teams_chats_online: false,
            sharepoint_versions: SharePointVersions::All,
            last_sync: None,
            setup: OrganizationSetup::default(),
        }
    }
}

/// What an add or an edit asks of an organization; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationChange {
    pub name: Option<String>,
    pub office_name: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub region: Option<String>,
    pub description: Option<String>,
    pub exchange_online: Option<bool>,
    pub sharepoint_online: Option<bool>,
    pub teams_online: Option<bool>,
    pub teams_chats_online: Option<bool>,
    pub account: Option<String>,
    pub application_id: Option<Uuid>,
    pub use_application_only_auth: Option<bool>,
    pub use_mfa: Option<bool>,
}

impl Organization {
    /// Writes what `change` names.
    pub fn apply(&mut self, change: OrganizationChange) {
        let OrganizationChange {
            name,
            office_name,
            kind,
            region,
            description,
            exchange_online,
            sharepoint_online,
            teams_online,
            teams_chats_online,
            account,
            application_id,
            use_application_only_auth,
            use_mfa,
        } = change;
        if let Some(name) = name {
            self.name = name;
        }
        if let Some(office_name) = office_name {
            self.office_name = office_name;
        }
        self.kind = kind.unwrap_or(self.kind);
        if let Some(region) = region {
            self.region = region;
        }
        if let Some(description) = description {
            self.description = description;
        }
        self.exchange_online = exchange_online.unwrap_or(self.exchange_online);
        self.sharepoint_online = sharepoint_online.unwrap_or(self.sharepoint_online);
        self.teams_online = teams_online.unwrap_or(self.teams_online);
        self.teams_chats_online = teams_chats_online.unwrap_or(self.teams_chats_online);
        if let Some(account) = account {
            self.connection.account = account;
        }
        if application_id.is_some() {
            self.connection.application_id = application_id;
        }
        self.connection.use_application_only_auth =
            use_application_only_auth.unwrap_or(self.connection.use_application_only_auth);
        self.connection.use_mfa = use_mfa.unwrap_or(self.connection.use_mfa);
    }
}

/// The account and application the server signs in to Microsoft 365 with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Connection {
    pub account: String,
    #[serde(default)]
    pub application_id: Option<Uuid>,
    #[serde(default)]
    pub use_application_only_auth: bool,
    #[serde(default)]
    pub use_mfa: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SharePointVersions {
    #[default]
    All,
    Latest,
}

/// A synchronization of an organization's users, groups, sites and teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganizationSync {
    #[serde(rename = "type")]
    pub kind: SyncKind,
    #[serde(with = "crate::model::timestamp_text")]
    pub started: Timestamp,
}

impl OrganizationSync {
    /// How long a synchronization takes.
    pub const DURATION: TimeDelta = TimeDelta::seconds(30);

    pub fn ends(&self) -> Timestamp {
        self.started + Self::DURATION
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncKind {
    Incremental,
    Full,
}

/// Times in files as RFC 3339.
pub mod timestamp_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Timestamp;

    pub fn serialize<S: Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&time.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        chrono::DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganizationKind {
    Office365,
    OnPremises,
    Hybrid,
}

/// A user of an organization who holds (or would take) a license.
#[derive(Debug, Clone, PartialEq)]
pub struct LicensedUser {
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    pub is_new: bool,
}

/// An Explorer session: someone restoring mail, OneDrive files or SharePoint items.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreSession {
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    pub kind: RestoreKind,
    pub creation_time: Timestamp,
    pub end_time: Option<Timestamp>,
    pub result: RestoreResult,
    pub initiated_by: String,
    pub details: String,
    pub events: Vec<RestoreEvent>,
    /// What an explore opened the session on; `None` for a session a world file or the
    /// history holds only as a record.
    pub explored: Option<Exploration>,
    /// The users, sites and teams a restore operator's session may show, fixed when the
    /// operator opened it; `None` for an administrator's session, which shows everything.
    pub restricted_to: Option<Vec<Uuid>>,
    /// Why it was opened, as a restore operator gives it; empty otherwise.
    pub reason: String,
}

impl RestoreSession {
    /// Whether the session may show the user, site or team `id` names.
    pub fn shows(&self, id: Uuid) -> bool {
        self.restricted_to
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&id))
    }
}

/// The backup an explore opened a restore session on: what it covers and the point in
/// time it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exploration {
    pub scope: RestoreScope,
    #[serde(with = "crate::model::timestamp_text")]
    pub point_in_time: Timestamp,
}

/// What an explore asks for: the backups of a scope of an organization, in an Explorer,
/// at a point in time (`None`: the newest restore point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explore {
    pub organization_id: Uuid,
    pub scope: RestoreScope,
    pub kind: RestoreKind,
    pub point_in_time: Option<Timestamp>,
}

/// What a restore session shows the backups of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id")]
pub enum RestoreScope {
    /// Every job of the session's organization.
    Organization,
    Job(Uuid),
    Repository(Uuid),
}

/// Which Explorer ran the restore: Exchange, OneDrive, SharePoint or Teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreKind {
    Vex,
    Veod,
    Vesp,
    Vet,
}

/// Ordered from best to worst, so a session's result is the worst of its events'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RestoreResult {
    Success,
    Warning,
    Failed,
}

/// One item a restore session acted on.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreEvent {
    pub id: Uuid,
    pub action: RestoreAction,
    pub result: RestoreResult,
    pub item_name: String,
    pub item_type: String,
    pub item_size_bytes: u64,
    pub source: String,
    pub target: String,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub message: String,
    /// Still working: the clock has not reached `end_time` yet.
    pub running: bool,
}

/// What a restore did: items written, items already there and left alone, items that
/// failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOutcome {
    pub created: u64,
    pub skipped: u64,
    pub failed: u64,
}

impl RestoreOutcome {
    /// Every item written.
    pub fn written(total: u64) -> Self {
        Self {
            created: total,
            ..Self::default()
        }
    }

    /// Every item already where it goes, left alone.
    pub fn unchanged(total: u64) -> Self {
        Self {
            skipped: total,
            ..Self::default()
        }
    }

    /// The same restore when it fails: every item failed, none written or skipped.
    pub fn failing(self) -> Self {
        Self {
            failed: self.created + self.skipped + self.failed,
            ..Self::default()
        }
    }
}

/// A message the server sent: restored items mailed as attachments, or a test of email
/// settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SentMail {
    pub id: Uuid,
    #[serde(with = "crate::model::timestamp_text")]
    pub sent_at: Timestamp,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The file names of the attached items.
    pub attachments: Vec<String>,
    /// The restore session that mailed the items; none for a test message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_session_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreAction {
    Restore,
    Save,
    Export,
    Send,
}

/// One run of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSession {
    pub id: Uuid,
    pub job_id: Uuid,
    pub creation_time: Timestamp,
    pub end_time: Option<Timestamp>,
    pub progress: u8,
    pub status: SessionStatus,
    pub statistics: SessionStatistics,
    pub retry: SessionRetry,
}

/// Where a run stands among the service's retries of a failed run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionRetry {
    /// The session a retry run retries, its main session: the run whose failure the
    /// retries follow. None for a main session.
    pub main_session_id: Option<Uuid>,
    /// Which retry it is: 0 for a main session, 1 for the first retry, ...
    pub retry_count: u32,
    /// It failed and the service scheduled a retry of it.
    pub will_be_retried: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    Success,
    Warning,
    Failed,
    Running,
    Stopped,
}

/// Throughput figures of a session; the service reports them as integers, under these
/// names in every version and in world files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionStatistics {
    #[serde(default, rename = "processingRateBytesPS")]
    pub processing_rate_bytes_ps: u64,
    #[serde(default, rename = "processingRateItemsPS")]
    pub processing_rate_items_ps: u64,
    #[serde(default, rename = "readRateBytesPS")]
    pub read_rate_bytes_ps: u64,
    #[serde(default, rename = "writeRateBytesPS")]
    pub write_rate_bytes_ps: u64,
    #[serde(default)]
    pub transferred_data_bytes: u64,
    #[serde(default)]
    pub processed_objects: u64,
    #[serde(default)]
    pub bottleneck: Bottleneck,
}

impl SessionStatistics {
    /// Statistics that agree with what a run moved: rates are totals over the elapsed time.
    pub fn for_transfer(
        transferred_bytes: u64,
        processed_objects: u64,
        processed_items: u64,
        elapsed: TimeDelta,
        bottleneck: Bottleneck,
    ) -> Self {
        let millis = u64::try_from(elapsed.num_milliseconds())
            .unwrap_or(0)
            .max(1);
        let per_second = |total: u64| total.saturating_mul(1000) / millis;
        Self {
            processing_rate_bytes_ps: per_second(transferred_bytes),
            processing_rate_items_ps: per_second(processed_items),
            // Reading pulls the raw items; writing stores them compressed, hence the ratios.
            read_rate_bytes_ps: per_second(transferred_bytes.saturating_mul(3) / 2),
            write_rate_bytes_ps: per_second(transferred_bytes.saturating_mul(3) / 5),
            transferred_data_bytes: transferred_bytes,
            processed_objects,
            bottleneck,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Bottleneck {
    #[default]
    NA,
    Detecting,
    Source,
    Target,
}

/// How log messages print times: .NET's en-US general format, `4/4/2017 12:07:21 AM`.
pub fn us_general_time(time: &Timestamp) -> String {
    time.format("%-m/%-d/%Y %-I:%M:%S %p").to_string()
}

/// The names the service gives these objects in its messages.
macro_rules! named {
    ($($kind:ty => $name:literal),* $(,)?) => {
        $(impl Named for $kind {
            const NAME: &'static str = $name;
        })*
    };
}

named! {
    Organization => "Organization",
    Job => "Job",
    JobSession => "Job session",
    LogItem<'_> => "Log item",
    BackupRepository => "Backup repository",
    Proxy => "Proxy",
    ProxyPool => "Proxy pool",
    RepositorySync => "Repository synchronization session",
    OwnerChange => "Change owner session",
    ObjectStorage => "Object storage repository",
    RestoreSession => "Restore session",
    RbacRole => "Role",
    DirectoryUser => "User",
    Group => "Group",
    Site => "Site",
    Team => "Team",
    ChannelFile => "File",
    PostExport => "Export task",
    Tab => "Tab",
    OneDrive => "OneDrive",
    JobItem => "Job item",
    CopyJob => "Backup copy job",
    EncryptionKey => "Encryption key",
    CloudAccount => "Account",
    LicensedUser => "Licensed user",
    AzureServiceAccount => "Azure service account",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_messages_use_the_us_general_format() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        assert_eq!(
            us_general_time(&at("2017-04-04T00:07:21.3664166-07:00")),
            "4/4/2017 12:07:21 AM"
        );
        assert_eq!(
            us_general_time(&at("2017-11-24T13:05:09Z")),
            "11/24/2017 1:05:09 PM"
        );
    }

    #[test]
    fn rates_are_totals_over_elapsed_seconds() {
        let stats =
            SessionStatistics::for_transfer(10_000, 2, 50, TimeDelta::seconds(10), Bottleneck::NA);
        assert_eq!(stats.processing_rate_bytes_ps, 1_000);
        assert_eq!(stats.processing_rate_items_ps, 5);
        assert_eq!(stats.transferred_data_bytes, 10_000);
    }
}

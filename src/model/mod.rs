//! Version-neutral domain types of the backup world: organizations, jobs, job sessions and log items.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod account;
mod directory;
mod filters;
mod ids;
mod log_item;
mod views;

pub use account::UserCredential;
pub use directory::{
    DirectoryObject, DirectoryUser, Group, GroupKind, LocationType, OneDrive, RbacRole,
    RestorePortal, RoleScope, Site, Team, UserKind,
};
pub use filters::{
    DirectoryFilter, LicensedUserFilter, LogItemFilter, ObjectStorageFilter, ProxyView,
    SessionFilter, SeverityFilter,
};
pub use ids::{Id, Key, MalformedId, Named, NotFound};
pub use log_item::{Log, LogItem, LogItems, LogMessage, NewLogItem, Severity};
pub use views::{
    BackupSpan, JobSummary, LicenseUse, RepositoryView, ResolvedObject, SessionExtras, StorageUse,
};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganizationKind {
    Office365,
    OnPremises,
    Hybrid,
}

/// A backup job of one organization, writing to one repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub repository_id: Uuid,
    pub name: String,
    pub description: String,
    pub backup_type: BackupType,
    pub is_enabled: bool,
    pub schedule: Schedule,
    /// How the job's runs go when the emulator runs them.
    pub scenario: Scenario,
}

/// How a run the emulator drives goes: its outcome, its pace, whether it ever ends, and
/// how often a failed run is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub outcome: Outcome,
    /// With `outcome: warning`: how many objects end with a warning (at least 1).
    #[serde(default = "one")]
    pub warning_objects: u32,
    /// With `outcome: failure`: the object (1 = the first) at which the run fails.
    #[serde(default = "one")]
    pub fail_at: u32,
    /// How many objects a minute the run processes.
    #[serde(default = "six")]
    pub objects_per_minute: u32,
    /// A stuck run connects, enumerates and then never ends.
    #[serde(default)]
    pub stuck: bool,
    /// How many retry runs follow a failed run, ten minutes apart.
    #[serde(default)]
    pub retries: u32,
}

fn one() -> u32 {
    1
}

fn six() -> u32 {
    6
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            outcome: Outcome::Weighted,
            warning_objects: 1,
            fail_at: 1,
            objects_per_minute: 6,
            stuck: false,
            retries: 0,
        }
    }
}

impl Scenario {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// How a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Success, Warning or Failed at 85:10:5, drawn from the world's generator.
    #[default]
    Weighted,
    Success,
    Warning,
    Failure,
}

/// When a job runs by itself, as its `schedulePolicy` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Schedule {
    /// Every day at a time of the server's local day.
    Daily {
        at: NaiveTime,
    },
    /// Every so many minutes.
    Periodically {
        every_minutes: u32,
    },
    ManualOnly,
}

impl Schedule {
    /// The first scheduled start strictly after `after`, in the server's local offset.
    pub fn next_after(&self, after: &Timestamp) -> Option<Timestamp> {
        match *self {
            Self::Daily { at } => {
                let today = after
                    .date_naive()
                    .and_time(at)
                    .and_local_timezone(*after.offset())
                    .single()?;
                Some(if today > *after {
                    today
                } else {
                    today + TimeDelta::days(1)
                })
            }
            Self::Periodically { every_minutes } => {
                let step = i64::from(every_minutes.max(1)) * 60;
                let seconds = after.timestamp();
                let next = (seconds.div_euclid(step) + 1) * step;
                DateTime::from_timestamp(next, 0).map(|time| time.with_timezone(after.offset()))
            }
            Self::ManualOnly => None,
        }
    }
}

/// A backup proxy: the machine that moves the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    pub id: Uuid,
    pub host_name: String,
    pub description: String,
    pub port: u16,
    pub threads_number: u32,
    pub is_online: bool,
}

/// Where backups are kept, on a proxy's disk.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupRepository {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub path: String,
    pub proxy_id: Uuid,
    pub retention: RetentionType,
    pub capacity_bytes: u64,
    /// Space in use before any session of this world wrote to it.
    pub baseline_used_bytes: u64,
    /// The object storage the repository keeps its data in; `None`: the proxy's disk.
    pub object_storage_id: Option<Uuid>,
}

/// A bucket or container that backup repositories keep their data in.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectStorage {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub kind: ObjectStorageKind,
    /// The bucket (S3) or container (Azure) name.
    pub bucket: String,
    /// The folder inside the bucket the repositories write to.
    pub folder: String,
    /// The service point of S3-compatible storage, the region of Amazon S3; empty for Azure.
    pub endpoint: String,
    /// `None`: no size limit.
    pub size_limit_gb: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectStorageKind {
    AmazonS3Compatible,
    AmazonS3,
    AzureBlob,
    AmazonS3Glacier,
    AzureBlobArchive,
}

impl ObjectStorageKind {
    /// Archive tiers are for long-term copies; `longTerm=true` lists only these.
    pub fn is_long_term(self) -> bool {
        matches!(self, Self::AmazonS3Glacier | Self::AzureBlobArchive)
    }

    pub fn is_azure(self) -> bool {
        matches!(self, Self::AzureBlob | Self::AzureBlobArchive)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionType {
    ItemLevel,
    SnapshotBased,
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
}

/// Which Explorer ran the restore: Exchange, OneDrive or SharePoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreKind {
    Vex,
    Veod,
    Vesp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreAction {
    Restore,
    Save,
    Export,
    Send,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackupType {
    EntireOrganization,
    SelectedItems,
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
    ObjectStorage => "Object storage repository",
    RestoreSession => "Restore session",
    RbacRole => "Role",
    DirectoryUser => "User",
    Group => "Group",
    Site => "Site",
    Team => "Team",
    OneDrive => "OneDrive",
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
    fn daily_schedules_run_next_at_their_time_today_or_tomorrow() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let daily = Schedule::Daily {
            at: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
        };
        assert_eq!(
            daily.next_after(&at("2017-04-04T21:59:00-07:00")),
            Some(at("2017-04-04T22:00:00-07:00"))
        );
        assert_eq!(
            daily.next_after(&at("2017-04-04T22:00:00-07:00")),
            Some(at("2017-04-05T22:00:00-07:00"))
        );
        let periodic = Schedule::Periodically { every_minutes: 480 };
        assert_eq!(
            periodic.next_after(&at("2017-04-04T09:30:00Z")),
            Some(at("2017-04-04T16:00:00Z"))
        );
        assert_eq!(
            Schedule::ManualOnly.next_after(&at("2017-04-04T09:30:00Z")),
            None
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

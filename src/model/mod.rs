//! Version-neutral domain types of the backup world: organizations, jobs, job sessions and log items.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod directory;

pub use directory::{
    DirectoryObject, DirectoryUser, Group, GroupKind, LocationType, OneDrive, RbacRole,
    RestorePortal, RoleScope, Site, Team, UserKind,
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

/// Throughput figures of a session; the service reports them as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStatistics {
    pub processing_rate_bytes_ps: u64,
    pub processing_rate_items_ps: u64,
    pub read_rate_bytes_ps: u64,
    pub write_rate_bytes_ps: u64,
    pub transferred_data_bytes: u64,
    pub processed_objects: u64,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bottleneck {
    NA,
    Detecting,
    Source,
    Target,
}

/// One operation a session logged. `usn` orders the items of a session.
///
/// A world can hold tens of millions of these, so the layout is compact (64 bytes plus the
/// message): times are 100 ns ticks with their offset in minutes (no input carries finer
/// offsets, and .NET writes no finer times), and a message's common opening is a one-byte
/// code rather than repeated text.
#[derive(Debug, Clone, PartialEq)]
pub struct LogItem {
    pub id: Uuid,
    pub usn: i64,
    created_ticks: i64,
    ended_ticks: i64,
    /// The message after its opening.
    message_rest: Box<str>,
    created_offset_minutes: i16,
    ended_offset_minutes: i16,
    pub severity: Severity,
    message_opening: MessageOpening,
}

/// Openings most log messages share: one per object a job processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MessageOpening {
    None,
    Mailbox,
    OneDrive,
    Site,
}

impl MessageOpening {
    const ALL: [Self; 3] = [Self::Mailbox, Self::OneDrive, Self::Site];

    fn text(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Mailbox => "Processing mailbox: ",
            Self::OneDrive => "Processing OneDrive: ",
            Self::Site => "Processing site: ",
        }
    }
}

const TICKS_PER_SECOND: i64 = 10_000_000;

fn to_ticks(time: &Timestamp) -> (i64, i16) {
    let ticks = time
        .timestamp()
        .saturating_mul(TICKS_PER_SECOND)
        .saturating_add(i64::from(time.timestamp_subsec_nanos() / 100));
    let minutes = time.offset().local_minus_utc() / 60;
    (ticks, i16::try_from(minutes).unwrap_or_default())
}

fn from_ticks(ticks: i64, offset_minutes: i16) -> Timestamp {
    let seconds = ticks.div_euclid(TICKS_PER_SECOND);
    let nanos = u32::try_from(ticks.rem_euclid(TICKS_PER_SECOND) * 100).unwrap_or_default();
    let offset = FixedOffset::east_opt(i32::from(offset_minutes) * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC is an offset"));
    DateTime::from_timestamp(seconds, nanos)
        .unwrap_or_default()
        .with_timezone(&offset)
}

impl LogItem {
    pub fn new(
        id: Uuid,
        usn: i64,
        severity: Severity,
        message: impl Into<LogText>,
        creation_time: Timestamp,
        end_time: Timestamp,
    ) -> Self {
        let (created_ticks, created_offset_minutes) = to_ticks(&creation_time);
        let (ended_ticks, ended_offset_minutes) = to_ticks(&end_time);
        let LogText { opening, rest } = message.into();
        Self {
            id,
            usn,
            created_ticks,
            ended_ticks,
            message_rest: rest,
            created_offset_minutes,
            ended_offset_minutes,
            severity,
            message_opening: opening,
        }
    }

    /// A copy of the message, as world files hold it.
    pub fn message_text(&self) -> LogText {
        LogText {
            opening: self.message_opening,
            rest: self.message_rest.clone(),
        }
    }

    pub fn creation_time(&self) -> Timestamp {
        from_ticks(self.created_ticks, self.created_offset_minutes)
    }

    pub fn end_time(&self) -> Timestamp {
        from_ticks(self.ended_ticks, self.ended_offset_minutes)
    }

    /// The message, written without being put together in memory.
    pub fn message(&self) -> LogMessage<'_> {
        LogMessage(self)
    }
}

/// A log message with its opening split off. Read from a file, only the rest is allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogText {
    opening: MessageOpening,
    rest: Box<str>,
}

impl LogText {
    fn split(text: &str) -> Option<(MessageOpening, &str)> {
        MessageOpening::ALL.into_iter().find_map(|opening| {
            text.strip_prefix(opening.text())
                .map(|rest| (opening, rest))
        })
    }
}

impl From<&str> for LogText {
    fn from(text: &str) -> Self {
        let (opening, rest) = Self::split(text).unwrap_or((MessageOpening::None, text));
        Self {
            opening,
            rest: rest.into(),
        }
    }
}

impl From<String> for LogText {
    fn from(text: String) -> Self {
        match Self::split(&text) {
            Some((opening, rest)) => Self {
                opening,
                rest: rest.into(),
            },
            None => Self {
                opening: MessageOpening::None,
                rest: text.into_boxed_str(),
            },
        }
    }
}

impl std::fmt::Display for LogText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.opening.text())?;
        f.write_str(&self.rest)
    }
}

impl Serialize for LogText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LogText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = LogText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<LogText, E> {
                Ok(LogText::from(text))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<LogText, E> {
                Ok(LogText::from(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A log item's message as text.
#[derive(Debug, Clone, Copy)]
pub struct LogMessage<'a>(&'a LogItem);

impl LogMessage<'_> {
    pub fn starts_with(&self, text: &str) -> bool {
        let opening = self.0.message_opening.text();
        match text.strip_prefix(opening) {
            Some(rest) => self.0.message_rest.starts_with(rest),
            None => opening.starts_with(text),
        }
    }
}

impl std::fmt::Display for LogMessage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message_opening.text())?;
        f.write_str(&self.0.message_rest)
    }
}

impl Serialize for LogMessage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The outcome a log item reports; v3 renders it as the `[Success]` prefix of the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Success,
    Warning,
    Failed,
}

/// How log messages print times: .NET's en-US general format, `4/4/2017 12:07:21 AM`.
pub fn us_general_time(time: &Timestamp) -> String {
    time.format("%-m/%-d/%Y %-I:%M:%S %p").to_string()
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
    fn a_log_item_gives_back_its_times_and_message_exactly() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let created = at("2017-04-04T00:07:28.454487-07:00");
        let ended = at("1969-12-31T23:59:59.9999999+05:30");
        for message in [
            "Processing OneDrive: adelev@contoso.onmicrosoft.com",
            "Processing mailbox: adelev@contoso.onmicrosoft.com",
            "Processing site: https://contoso.sharepoint.com/sites/hr",
            "Job started at 4/4/2017 12:07:21 AM",
            "",
        ] {
            let item = LogItem::new(
                Uuid::nil(),
                1,
                Severity::Success,
                message.to_owned(),
                created,
                ended,
            );
            assert_eq!(item.message().to_string(), message);
            assert_eq!(item.creation_time(), created);
            assert_eq!(item.creation_time().offset(), created.offset());
            assert_eq!(item.end_time(), ended);
            assert_eq!(item.end_time().offset(), ended.offset());
            assert_eq!(
                item.message().starts_with("Processing "),
                message.starts_with("Processing ")
            );
        }
        assert_eq!(std::mem::size_of::<LogItem>(), 64);
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

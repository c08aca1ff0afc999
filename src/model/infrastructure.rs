//! The backup infrastructure: proxies and their pools, repositories and the object storage
//! behind them, and the sessions that synchronize a repository or move it to another owner.

use chrono::{NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{DailyKind, Timestamp};

/// A backup proxy: the machine that moves the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    pub id: Uuid,
    pub host_name: String,
    pub description: String,
    pub port: u16,
    pub threads_number: u32,
    pub is_online: bool,
    pub kind: ProxyKind,
    pub operating_system: OperatingSystem,
    /// `None`: the proxy uses the network as it is.
    pub throttling: Option<Throttling>,
    /// `None`: the proxy reaches Microsoft 365 directly.
    pub internet_proxy: Option<InternetProxy>,
    /// The account the proxy service runs as; `None`: the one it was installed with.
    pub service_account: Option<String>,
    /// The pool the proxy works in, if any.
    pub pool_id: Option<Uuid>,
    /// In maintenance mode the proxy takes no new work.
    pub maintenance: bool,
}

impl Proxy {
    /// A proxy as the service adds one when told only its host: a Windows domain member
    /// on the default port with the default threads, online, unthrottled.
    pub fn new(id: Uuid, host_name: String) -> Self {
        Self {
            id,
            host_name,
            description: String::new(),
            port: 9193,
            threads_number: 64,
            is_online: true,
            kind: ProxyKind::Domain,
            operating_system: OperatingSystem::Windows,
            throttling: None,
            internet_proxy: None,
            service_account: None,
            pool_id: None,
            maintenance: false,
        }
    }

    /// Writes what `change` names.
    pub fn apply(&mut self, change: ProxyChange) {
        let ProxyChange {
            host_name,
            description,
            port,
            threads_number,
            kind,
            operating_system,
            throttling,
            internet_proxy,
            service_account,
        } = change;
        if let Some(host_name) = host_name {
            self.host_name = host_name;
        }
        if let Some(description) = description {
            self.description = description;
        }
        self.port = port.unwrap_or(self.port);
        self.threads_number = threads_number.unwrap_or(self.threads_number);
        self.kind = kind.unwrap_or(self.kind);
        self.operating_system = operating_system.unwrap_or(self.operating_system);
        if let Some(throttling) = throttling {
            self.throttling = throttling;
        }
        if let Some(internet_proxy) = internet_proxy {
            self.internet_proxy = internet_proxy;
        }
        if service_account.is_some() {
            self.service_account = service_account;
        }
    }
}

/// What an add or an edit asks of a proxy; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyChange {
    pub host_name: Option<String>,
    pub description: Option<String>,
    pub port: Option<u16>,
    pub threads_number: Option<u32>,
    pub kind: Option<ProxyKind>,
    pub operating_system: Option<OperatingSystem>,
    pub throttling: Option<Option<Throttling>>,
    pub internet_proxy: Option<Option<InternetProxy>>,
    pub service_account: Option<String>,
}

/// Where a proxy sits: the server itself, a member of its domain, or a workgroup machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProxyKind {
    Local,
    Domain,
    Workgroup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OperatingSystem {
    #[default]
    Windows,
    Linux,
}

/// A limit on the bandwidth a proxy uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Throttling {
    pub value: u64,
    pub unit: ThrottlingUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThrottlingUnit {
    Mbps,
    MBs,
    KBs,
}

/// The internet proxy a backup proxy reaches Microsoft 365 through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InternetProxy {
    #[serde(rename = "type")]
    pub kind: InternetProxyKind,
    /// The host and port of a custom internet proxy; empty for the server's own.
    #[serde(default)]
    pub host_name: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub use_authentication: bool,
    #[serde(default)]
    pub username: String,
}

/// Whether a proxy uses the internet proxy of the server or one of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InternetProxyKind {
    FromManagementServer,
    Custom,
}

/// Proxies that share the work of the repositories the pool owns.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyPool {
    pub id: Uuid,
    pub name: String,
    pub description: String,
}

/// What an add or an edit asks of a proxy pool; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyPoolChange {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The pool's members, replacing those it had.
    pub proxies: Option<Vec<Uuid>>,
}

/// Who keeps a repository: one proxy, or a pool of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RepositoryOwner {
    Proxy(Uuid),
    ProxyPool(Uuid),
}

impl RepositoryOwner {
    pub fn id(&self) -> &Uuid {
        match self {
            Self::Proxy(id) | Self::ProxyPool(id) => id,
        }
    }
}

/// Where backups are kept: a folder on its owner's disk, or object storage with a cache
/// in that folder.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupRepository {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub path: String,
    pub owner: RepositoryOwner,
    pub retention: RetentionType,
    /// How long backups are kept.
    pub retention_period: RetentionPeriod,
    /// When backups past their retention are removed.
    pub cleanup: CleanupSchedule,
    pub capacity_bytes: u64,
    /// Space in use before any session of this world wrote to it.
    pub baseline_used_bytes: u64,
    /// The object storage the repository keeps its data in; `None`: the owner's disk.
    pub object_storage_id: Option<Uuid>,
    /// The one organization the repository keeps backups of, if it is given to one.
    pub organization_id: Option<Uuid>,
    /// Whether the repository's cache lags behind its object storage until synchronized.
    pub out_of_sync: bool,
    /// The password that encrypts what the repository writes to object storage; `None`:
    /// not encrypted.
    pub encryption_key_id: Option<Uuid>,
}

impl BackupRepository {
    /// A repository as the service adds one when told its name, folder and owner: the
    /// default retention (three years of snapshots, cleaned up daily at 18:00) on 1 TiB.
    pub fn new(id: Uuid, name: String, path: String, owner: RepositoryOwner) -> Self {
        Self {
            id,
            name,
            description: String::new(),
            path,
            owner,
            retention: RetentionType::SnapshotBased,
            retention_period: RetentionPeriod::default(),
            cleanup: CleanupSchedule::default(),
            capacity_bytes: 1 << 40,
            baseline_used_bytes: 0,
            object_storage_id: None,
            organization_id: None,
            out_of_sync: false,
            encryption_key_id: None,
        }
    }

    pub fn proxy_id(&self) -> Option<&Uuid> {
        match &self.owner {
            RepositoryOwner::Proxy(id) => Some(id),
            RepositoryOwner::ProxyPool(_) => None,
        }
    }

    pub fn pool_id(&self) -> Option<&Uuid> {
        match &self.owner {
            RepositoryOwner::ProxyPool(id) => Some(id),
            RepositoryOwner::Proxy(_) => None,
        }
    }

    /// Writes what `change` names; its owner and object storage are the store's to resolve.
    pub fn apply(&mut self, change: &RepositoryChange) {
        if let Some(name) = &change.name {
            self.name.clone_from(name);
        }
        if let Some(description) = &change.description {
            self.description.clone_from(description);
        }
        if let Some(path) = &change.path {
            self.path.clone_from(path);
        }
        self.retention = change.retention.unwrap_or(self.retention);
        self.retention_period = change.retention_period.unwrap_or(self.retention_period);
        self.cleanup = change.cleanup.unwrap_or(self.cleanup);
        if let Some(organization_id) = change.organization_id {
            self.organization_id = organization_id;
        }
        if change.encrypt == Some(false) {
            self.encryption_key_id = None;
        } else if change.encryption_key_id.is_some() {
            self.encryption_key_id = change.encryption_key_id;
        }
    }
}

/// What an add or an edit asks of a repository; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepositoryChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub path: Option<String>,
    pub retention: Option<RetentionType>,
    pub retention_period: Option<RetentionPeriod>,
    pub cleanup: Option<CleanupSchedule>,
    pub owner: Option<RepositoryOwner>,
    pub object_storage: Option<StorageChoice>,
    pub organization_id: Option<Option<Uuid>>,
    /// The key that encrypts what goes to object storage.
    pub encryption_key_id: Option<Uuid>,
    /// Whether what goes to object storage is to be encrypted.
    pub encrypt: Option<bool>,
}

/// The object storage a new repository keeps its data in: one the server has, or one
/// described with the repository (as v8 does).
#[derive(Debug, Clone, PartialEq)]
pub enum StorageChoice {
    Existing(Uuid),
    New(ObjectStorage),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionType {
    ItemLevel,
    SnapshotBased,
}

/// How long a repository keeps backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum RetentionPeriod {
    Daily { days: u32 },
    Monthly { months: u32 },
    Yearly { years: YearlyRetention },
}

impl Default for RetentionPeriod {
    /// The service's default: three years.
    fn default() -> Self {
        Self::Yearly {
            years: YearlyRetention::Years3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum YearlyRetention {
    Year1,
    Years2,
    Years3,
    Years5,
    Years7,
    Years10,
    Years25,
    /// Never removed.
    Keep,
}

/// When a repository removes backups past their retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum CleanupSchedule {
    /// At a time of the days `days` names.
    Daily {
        at: NaiveTime,
        #[serde(default)]
        days: DailyKind,
    },
    /// At a time of one day a month, such as the first Saturday.
    Monthly {
        at: NaiveTime,
        week: WeekOfMonth,
        day: DayOfWeek,
    },
}

impl Default for CleanupSchedule {
    /// The service's default: every day at 18:00.
    fn default() -> Self {
        Self::Daily {
            at: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            days: DailyKind::Everyday,
        }
    }
}

/// Which of a month's weeks a monthly cleanup runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayOfWeek {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
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
    /// The cloud account the server signs in to the storage with.
    pub account_id: Option<Uuid>,
    /// The Azure service account whose archiver appliance moves data into an Azure archive.
    pub azure_service_account_id: Option<Uuid>,
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

/// The SSH host key a Linux machine presents. It follows from the machine's name, so a
/// machine checked twice presents the same key, as a real one does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    /// The key's fingerprint in OpenSSH's hexadecimal form, `aa:bb:...`.
    pub fingerprint: String,
    /// The key as OpenSSH encodes it: its type and bytes, in Base64.
    pub public_key: String,
}

impl HostKey {
    pub fn of(host: &str) -> Self {
        use base64::Engine;
        let name = host.trim().to_ascii_lowercase();
        let first = Uuid::new_v5(&Uuid::NAMESPACE_DNS, name.as_bytes());
        let second = Uuid::new_v5(&first, b"ssh-ed25519");
        let key = [first.as_bytes().as_slice(), second.as_bytes().as_slice()].concat();
        let mut blob = Vec::new();
        for part in [b"ssh-ed25519".as_slice(), key.as_slice()] {
            let length = u32::try_from(part.len()).unwrap_or(u32::MAX);
            blob.extend_from_slice(&length.to_be_bytes());
            blob.extend_from_slice(part);
        }
        let fingerprint = Uuid::new_v5(&Uuid::NAMESPACE_OID, &blob)
            .as_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        Self {
            fingerprint,
            public_key: base64::engine::general_purpose::STANDARD.encode(&blob),
        }
    }
}

/// A synchronization of a repository's cache with its object storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepositorySync {
    pub id: Uuid,
    pub repository_id: Uuid,
    pub started: Timestamp,
    /// When a client stopped it, if one did before it ended.
    pub stopped: Option<Timestamp>,
}

/// Where a synchronization stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProgress {
    Synchronizing { percent: u8 },
    Done,
    Stopped { percent: u8 },
}

impl RepositorySync {
    /// How long a synchronization takes: ten steps of a tenth each.
    pub const STEP: TimeDelta = TimeDelta::seconds(6);
    const STEPS: i32 = 10;

    pub fn ends(&self) -> Timestamp {
        self.started + Self::STEP * Self::STEPS
    }

    pub fn progress(&self, now: Timestamp) -> SyncProgress {
        let percent_at = |at: Timestamp| {
            let steps = (at - self.started).num_milliseconds() / Self::STEP.num_milliseconds();
            u8::try_from(steps.clamp(0, 9) * 10).unwrap_or(0)
        };
        match self.stopped {
            Some(stopped) if stopped < self.ends() => SyncProgress::Stopped {
                percent: percent_at(stopped),
            },
            _ if now >= self.ends() => SyncProgress::Done,
            _ => SyncProgress::Synchronizing {
                percent: percent_at(now),
            },
        }
    }

    /// The next moment after `after` at which its progress moves, while it runs.
    pub fn next_change(&self, after: Timestamp) -> Option<Timestamp> {
        if self.stopped.is_some() {
            return None;
        }
        (1..=Self::STEPS)
            .map(|step| self.started + Self::STEP * step)
            .find(|at| *at > after)
    }
}

/// A move of repositories from one owner to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChange {
    pub id: Uuid,
    pub repository_ids: Vec<Uuid>,
    pub from: RepositoryOwner,
    pub to: RepositoryOwner,
    pub started: Timestamp,
    /// When a client stopped it, if one did before it ended.
    pub stopped: Option<Timestamp>,
    /// How long it waits for the repositories' sessions to end before it starts.
    pub wait_minutes: u32,
    /// Whether it stops those sessions rather than give up waiting.
    pub force_stop: bool,
    /// How long it waits for sessions it stopped to end.
    pub force_stop_minutes: u32,
}

/// What a client asks of an owner change: where the repositories go, whether the others
/// of the same owner go with them, and how to treat the sessions that use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerChangeOptions {
    /// `None` when the request named neither a proxy nor a pool.
    pub target: Option<RepositoryOwner>,
    pub include_related: bool,
    pub wait_minutes: u32,
    pub force_stop: bool,
    pub force_stop_minutes: u32,
}

impl Default for OwnerChangeOptions {
    /// The service's defaults: an hour's wait, then give up rather than stop sessions.
    fn default() -> Self {
        Self {
            target: None,
            include_related: false,
            wait_minutes: 60,
            force_stop: false,
            force_stop_minutes: 10,
        }
    }
}

/// Where an owner change stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerChangeStatus {
    Running,
    Succeeded { ended: Timestamp },
    Stopped { ended: Timestamp },
}

impl OwnerChange {
    /// How long moving repositories takes.
    pub const DURATION: TimeDelta = TimeDelta::seconds(30);

    pub fn ends(&self) -> Timestamp {
        self.started + Self::DURATION
    }

    pub fn status(&self, now: Timestamp) -> OwnerChangeStatus {
        match self.stopped {
            Some(stopped) if stopped < self.ends() => OwnerChangeStatus::Stopped { ended: stopped },
            _ if now >= self.ends() => OwnerChangeStatus::Succeeded { ended: self.ends() },
            _ => OwnerChangeStatus::Running,
        }
    }

    /// Whether it names `owner` on either side.
    pub fn involves(&self, owner: &Uuid) -> bool {
        self.from.id() == owner || self.to.id() == owner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_synchronization_moves_a_tenth_every_six_seconds_and_ends_after_a_minute() {
        let sync = RepositorySync {
            id: Uuid::nil(),
            repository_id: Uuid::nil(),
            started: at("2017-04-04T09:00:00Z"),
            stopped: None,
        };
        assert_eq!(
            sync.progress(at("2017-04-04T09:00:13Z")),
            SyncProgress::Synchronizing { percent: 20 }
        );
        assert_eq!(
            sync.progress(at("2017-04-04T09:01:00Z")),
            SyncProgress::Done
        );
        assert_eq!(
            sync.next_change(at("2017-04-04T09:00:13Z")),
            Some(at("2017-04-04T09:00:18Z"))
        );
        assert_eq!(sync.next_change(at("2017-04-04T09:01:00Z")), None);
        let stopped = RepositorySync {
            stopped: Some(at("2017-04-04T09:00:31Z")),
            ..sync
        };
        assert_eq!(
            stopped.progress(at("2017-04-04T10:00:00Z")),
            SyncProgress::Stopped { percent: 50 }
        );
    }

    #[test]
    fn an_owner_change_succeeds_after_half_a_minute_unless_stopped() {
        let change = OwnerChange {
            id: Uuid::nil(),
            repository_ids: Vec::new(),
            from: RepositoryOwner::Proxy(Uuid::nil()),
            to: RepositoryOwner::ProxyPool(Uuid::nil()),
            started: at("2017-04-04T09:00:00Z"),
            stopped: None,
            wait_minutes: 60,
            force_stop: false,
            force_stop_minutes: 10,
        };
        assert_eq!(
            change.status(at("2017-04-04T09:00:10Z")),
            OwnerChangeStatus::Running
        );
        assert_eq!(
            change.status(at("2017-04-04T09:00:30Z")),
            OwnerChangeStatus::Succeeded {
                ended: at("2017-04-04T09:00:30Z")
            }
        );
    }
}

//! What the world says about its objects, computed for rendering: summaries, spans and uses.

use uuid::Uuid;

use super::{
    AzureServiceAccount, BackedUpPart, BackupRepository, CopyJob, DirectoryUser, Group, Job,
    JobItem, JobKind, JobSession, ObjectStorage, Organization, Proxy, RepositoryOwner,
    SessionStatus, Severity, Site, Team, Timestamp,
};

/// What a job's sessions say about it: `lastRun`, `lastStatus`, `nextRun`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JobSummary {
    pub last_run: Option<Timestamp>,
    pub last_status: Option<SessionStatus>,
    pub next_run: Option<Timestamp>,
}

/// The first and last backup of an organization, from the sessions that backed something up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BackupSpan {
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

/// A directory object a role names, looked up.
#[derive(Debug, Clone, Copy)]
pub enum ResolvedObject<'a> {
    User(&'a DirectoryUser),
    Group(&'a Group),
    Site(&'a Site),
    Team(&'a Team),
}

impl ResolvedObject<'_> {
    pub fn id(&self) -> Uuid {
        match self {
            Self::User(user) => user.id,
            Self::Group(group) => group.id,
            Self::Site(site) => site.id,
            Self::Team(team) => team.id,
        }
    }

    pub fn organization_id(&self) -> Uuid {
        match self {
            Self::User(user) => user.organization_id,
            Self::Group(group) => group.organization_id,
            Self::Site(site) => site.organization_id,
            Self::Team(team) => team.organization_id,
        }
    }
}

/// An object storage with how much of it the world's repositories use.
#[derive(Debug, Clone, Copy)]
pub struct StorageUse<'a> {
    pub storage: &'a ObjectStorage,
    pub used_bytes: u64,
    /// The Azure service account its archiver appliance runs with, if it has one.
    pub archiver_account: Option<&'a AzureServiceAccount>,
}

/// A repository as served: with the space left on it and the object storage it writes to.
#[derive(Debug, Clone, Copy)]
pub struct RepositoryView<'a> {
    pub repository: &'a BackupRepository,
    pub free_space_bytes: u64,
    pub storage: Option<StorageUse<'a>>,
    /// Whether its cache still waits for a synchronization with its object storage.
    pub out_of_sync: bool,
}

/// A proxy as served: with how many job sessions it is moving data for now.
#[derive(Debug, Clone, Copy)]
pub struct ProxyUse<'a> {
    pub proxy: &'a Proxy,
    pub running_sessions: usize,
    /// Its own state, unless a trouble scenario takes it offline.
    pub is_online: bool,
}

/// What one organization's backups take in one repository (`backedupOrganizations`).
#[derive(Debug, Clone, Copy)]
pub struct OrganizationUsage<'a> {
    pub organization: &'a Organization,
    pub used_bytes: u64,
    /// Whether the bytes are in object storage, with the repository's folder as a cache.
    pub in_object_storage: bool,
}

/// The license's dates as served: its own, or those a license scenario puts it at.
#[derive(Debug, Clone, Copy)]
pub struct LicenseDates {
    pub expires: Timestamp,
    pub grace_expires: Timestamp,
}

impl LicenseDates {
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.grace_expires <= now
    }
}

/// What the world says about license use.
#[derive(Debug, Clone, Copy)]
pub struct LicenseUse {
    pub used: usize,
    pub new: usize,
}

/// What a session's rendering needs besides the session: its log's length (v8 `eTag`),
/// the repository its job writes to (v7 `repositoryId`: a copy job's target) and what kind
/// of job ran it (v7 `jobType`).
#[derive(Debug, Clone, Copy)]
pub struct SessionExtras<'a> {
    pub repository_id: Option<&'a Uuid>,
    /// Who keeps that repository: the proxy or pool that moved the session's data (v8
    /// `proxyId`, `proxyPoolId`).
    pub owner: Option<RepositoryOwner>,
    pub last_usn: i64,
    pub kind: JobKind,
}

/// A job as served: what its sessions say of it and its items with the objects they name.
#[derive(Debug, Clone)]
pub struct JobView<'a> {
    pub job: &'a Job,
    pub summary: JobSummary,
    /// The end of its newest session that left a restore point (v7 `lastBackup`).
    pub last_backup: Option<Timestamp>,
    pub selected_items: Vec<JobItemView<'a>>,
    pub excluded_items: Vec<JobItemView<'a>>,
    /// The backup copy job of this job, if it has one.
    pub copy_job_id: Option<&'a Uuid>,
}

/// A backup copy job as served: what its sessions say of it and the organization of the
/// backup job it copies.
#[derive(Debug, Clone, Copy)]
pub struct CopyJobView<'a> {
    pub copy_job: &'a CopyJob,
    pub summary: JobSummary,
    /// The end of its newest session that copied a restore point (v7 `lastBackup`).
    pub last_backup: Option<Timestamp>,
    pub organization_id: Option<&'a Uuid>,
}

/// A job item with the directory object it names, where the world still has it.
#[derive(Debug, Clone, Copy)]
pub struct JobItemView<'a> {
    pub job_id: &'a Uuid,
    pub item: &'a JobItem,
    pub object: Option<ResolvedObject<'a>>,
}

/// What an organization's backups take in one repository its jobs write to.
#[derive(Debug, Clone, Copy)]
pub struct RepositoryUsage<'a> {
    pub organization_id: &'a Uuid,
    pub repository: &'a BackupRepository,
    /// Bytes the organization's sessions wrote there.
    pub used_bytes: u64,
    /// Distinct objects the organization's sessions there processed, at most.
    pub protected_objects: u64,
}

/// A point in time a job's backup can be restored from: a session of the job that ended
/// Success or Warning, and so left a restore point.
#[derive(Debug, Clone, Copy)]
pub struct RestorePointView<'a> {
    /// Follows from the session's id, so it is stable.
    pub id: Uuid,
    pub session: &'a JobSession,
    pub job: &'a Job,
    pub backup_time: Timestamp,
}

/// What one restore point holds: the users (with the parts of each it backed up), groups,
/// sites and teams its session processed.
#[derive(Debug, Clone, Default)]
pub struct RestorePointContents<'a> {
    pub users: Vec<(&'a DirectoryUser, super::PartSpans)>,
    pub groups: Vec<(&'a Group, super::PartSpans)>,
    pub sites: Vec<&'a Site>,
    pub teams: Vec<&'a Team>,
}

impl<'a> RestorePointContents<'a> {
    /// The users whose `part` it holds.
    pub fn users_with(&self, part: BackedUpPart) -> Vec<&'a DirectoryUser> {
        self.users
            .iter()
            .filter(|(_, spans)| spans.holds(part))
            .map(|(user, _)| *user)
            .collect()
    }
}

/// One object a job session processed, as its log tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessedObject {
    /// The directory object's id where the world knows it; otherwise one that follows
    /// from its name.
    pub id: Uuid,
    /// Its organization, where the world knows the object.
    pub organization_id: Option<Uuid>,
    /// What of the object the session took.
    pub part: BackedUpPart,
    pub status: Severity,
}

/// What kind of object a backup protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtectedKind {
    User,
    Group,
    Site,
    Team,
}

/// Who a token was issued to: a person of an organization where the login names one
/// (then possibly a restore operator), otherwise a server account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoggedInUser<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub person: Option<&'a DirectoryUser>,
}

/// What a restore operator may restore, over every role that names them: people, sites
/// and teams, each once, and the organizations they belong to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EffectiveScope<'a> {
    pub users: Vec<&'a DirectoryUser>,
    pub sites: Vec<&'a Site>,
    pub teams: Vec<&'a Team>,
    pub organizations: Vec<Uuid>,
}

impl EffectiveScope<'_> {
    /// Whether the scope holds the user, site or team `id` names.
    pub fn holds(&self, id: Uuid) -> bool {
        self.users.iter().any(|user| user.id == id)
            || self.sites.iter().any(|site| site.id == id)
            || self.teams.iter().any(|team| team.id == id)
    }
}

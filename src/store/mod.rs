//! The in-memory world: organizations, jobs, sessions with their logs, and the rest, behind one lock.

mod azure;
mod backup_data;
mod buckets;
mod copy_jobs;
mod credentials;
mod edits;
mod infrastructure;
mod license;
mod mail;
mod object_storage;
mod onedrive;
mod organization_setup;
mod protected;
mod rbac;
mod restore;
mod scenarios;
mod settings;
mod teams;

pub use backup_data::Held;
pub use edits::JobEditError;
pub use infrastructure::OwnerChangePlan;
pub use mail::{MailRestore, MailTarget, SessionMailbox};
pub use onedrive::{DocumentRestore, DriveTarget, SessionOneDrive};
pub use scenarios::GRACE_PERIOD;
pub use teams::SessionTeam;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use chrono::{DateTime, FixedOffset, Utc};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::model::{
    AzureServiceAccount, BackupRepository, BackupSpan, BackupType, BucketFolder, CloudAccount,
    CopyJob, DeviceCode, DirectoryObject, DirectoryUser, EncryptionKey, FaultRule, Group, Id, Job,
    JobItem, JobItemView, JobKind, JobObject, JobSession, JobSummary, JobView, License, LicenseUse,
    LicensedUser, Log, Named, NotFound, ObjectStorage, Organization, OwnerChange, PinnedDocument,
    PinnedMail, PostExport, Proxy, ProxyPool, RbacRole, RemovedData, RepositorySync,
    RepositoryUsage, RepositoryView, ResolvedObject, RestorePortal, RestoreSession,
    RestoredDocuments, RestoredMail, SentMail, ServerSettings, SessionExtras, SessionStatus, Site,
    StorageUse, Team, Timestamp, TroubleScenario, UserCredential,
};

/// A session together with its log, kept in usn order so that a page is a run of positions.
/// The log is shared between copies of the world (the live one and the start-up one that
/// a reset returns to) until one of them changes it.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub session: JobSession,
    pub log: Arc<Log>,
}

impl SessionRecord {
    /// The log to add to; a log another copy of the world still shares is copied first,
    /// so that copy keeps it as it was.
    pub fn log_mut(&mut self) -> &mut Log {
        Arc::make_mut(&mut self.log)
    }
}

/// Everything the API serves, as plain data. Sessions are kept in creation order, so the
/// newest are at the end and a new session is a push.
#[derive(Debug, Clone)]
pub struct World {
    /// The seed the world was made from; ids the world creates later come from it too.
    pub seed: u64,
    /// The accounts that may log in.
    pub users: Vec<UserCredential>,
    /// The offset of the server's local time, in which log items are stamped.
    pub server_offset: FixedOffset,
    pub organizations: Vec<Organization>,
    pub proxies: Vec<Proxy>,
    pub proxy_pools: Vec<ProxyPool>,
    pub repositories: Vec<BackupRepository>,
    /// Synchronizations of repositories with their object storage, oldest first.
    pub repository_syncs: Vec<RepositorySync>,
    /// Moves of repositories between owners, oldest first.
    pub owner_changes: Vec<OwnerChange>,
    pub jobs: Vec<Job>,
    /// Backup copy jobs, each of one backup job.
    pub copy_jobs: Vec<CopyJob>,
    pub licensed_users: Vec<LicensedUser>,
    /// The users, groups, sites and teams of all organizations.
    pub directory_users: Vec<DirectoryUser>,
    pub groups: Vec<Group>,
    pub sites: Vec<Site>,
    pub teams: Vec<Team>,
    pub object_storages: Vec<ObjectStorage>,
    pub rbac_roles: Vec<RbacRole>,
    pub restore_portal: RestorePortal,
    /// Oldest first.
    pub restore_sessions: Vec<RestoreSession>,
    /// Mail restores wrote into the tenant's mailboxes, oldest first.
    pub restored_mail: Vec<RestoredMail>,
    /// Document restores wrote into the tenant's OneDrives, oldest first.
    pub restored_documents: Vec<RestoredDocuments>,
    /// Mail a world file put into backed-up mailboxes.
    pub pinned_mail: Vec<PinnedMail>,
    /// Documents a world file put into backed-up OneDrives.
    pub pinned_documents: Vec<PinnedDocument>,
    /// What the server mailed, oldest first.
    pub outbox: Vec<SentMail>,
    /// Data removed from repositories, one entry per repository and object.
    pub removed_data: Vec<RemovedData>,
    pub settings: ServerSettings,
    /// The fault rules requests are matched against, in the order they were added.
    pub faults: Vec<FaultRule>,
    /// The trouble scenarios on, in the order they were applied.
    pub scenarios: Vec<TroubleScenario>,
    /// Passwords that encrypt what repositories write to object storage.
    pub encryption_keys: Vec<EncryptionKey>,
    /// Accounts the server signs in to object storage with.
    pub cloud_accounts: Vec<CloudAccount>,
    /// Folders clients created in the buckets and containers cloud accounts see.
    pub bucket_folders: Vec<BucketFolder>,
    /// Entra applications the server signs in to Azure with.
    pub azure_service_accounts: Vec<AzureServiceAccount>,
    /// Device codes handed out and not yet signed in with; a running world's alone, not
    /// kept in world files.
    pub device_codes: Vec<DeviceCode>,
    /// Exports of Teams posts restore operators started; a running world's alone, not kept
    /// in world files.
    pub post_exports: Vec<PostExport>,
    /// The installed license and its monthly reports' approvals.
    pub license: License,
    sessions: Vec<SessionRecord>,
    /// Where each session sits in `sessions`, built when first asked for after an insertion
    /// that moved others: a generator or a file adding sessions out of order costs one
    /// rebuild, not one per session.
    session_index: OnceLock<HashMap<Uuid, usize>>,
    /// Ids and draws of what the world creates while it runs, so a replay gives the same bytes.
    pub rng: ChaCha8Rng,
}

impl World {
    /// An empty world whose server runs at `server_offset` and whose new ids come from `seed`.
    pub fn new(server_offset: FixedOffset, seed: u64) -> Self {
        Self {
            seed,
            users: Vec::new(),
            server_offset,
            organizations: Vec::new(),
            proxies: Vec::new(),
            proxy_pools: Vec::new(),
            repositories: Vec::new(),
            repository_syncs: Vec::new(),
            owner_changes: Vec::new(),
            jobs: Vec::new(),
            copy_jobs: Vec::new(),
            licensed_users: Vec::new(),
            directory_users: Vec::new(),
            groups: Vec::new(),
            sites: Vec::new(),
            teams: Vec::new(),
            object_storages: Vec::new(),
            rbac_roles: Vec::new(),
            restore_portal: RestorePortal::default(),
            restore_sessions: Vec::new(),
            restored_mail: Vec::new(),
            restored_documents: Vec::new(),
            pinned_mail: Vec::new(),
            pinned_documents: Vec::new(),
            outbox: Vec::new(),
            removed_data: Vec::new(),
            settings: ServerSettings::default(),
            faults: Vec::new(),
            scenarios: Vec::new(),
            encryption_keys: Vec::new(),
            cloud_accounts: Vec::new(),
            bucket_folders: Vec::new(),
            azure_service_accounts: Vec::new(),
            device_codes: Vec::new(),
            post_exports: Vec::new(),
            license: License::default(),
            sessions: Vec::new(),
            session_index: OnceLock::new(),
            rng: runtime_rng(seed),
        }
    }

    /// Adds a session with its log, whose items are in usn order.
    pub fn add_session(&mut self, session: JobSession, log: Log) {
        self.add_record(session, Arc::new(log));
    }

    fn add_record(&mut self, session: JobSession, log: Arc<Log>) {
        let position = self
            .sessions
            .partition_point(|record| record.session.creation_time <= session.creation_time);
        let id = session.id;
        self.sessions
            .insert(position, SessionRecord { session, log });
        if position + 1 == self.sessions.len() {
            if let Some(index) = self.session_index.get_mut() {
                index.insert(id, position);
            }
        } else {
            self.reindex_sessions();
        }
    }

    /// Forgets where sessions sit; the next lookup finds out again.
    fn reindex_sessions(&mut self) {
        self.session_index = OnceLock::new();
    }

    fn session_position(&self, id: &Uuid) -> Option<usize> {
        self.session_index
            .get_or_init(|| {
                self.sessions
                    .iter()
                    .enumerate()
                    .map(|(position, record)| (record.session.id, position))
                    .collect()
            })
            .get(id)
            .copied()
    }

    pub fn session(&self, id: &Uuid) -> Option<&SessionRecord> {
        self.session_position(id)
            .map(|position| &self.sessions[position])
    }

    pub fn session_mut(&mut self, id: &Uuid) -> Option<&mut SessionRecord> {
        self.session_position(id)
            .map(|position| &mut self.sessions[position])
    }

    /// All sessions in creation order.
    pub fn sessions_oldest_first(&self) -> impl Iterator<Item = &SessionRecord> {
        self.sessions.iter()
    }

    /// All sessions, newest first, as the service lists them.
    pub fn sessions_newest_first(&self) -> impl Iterator<Item = &SessionRecord> {
        self.sessions.iter().rev()
    }

    /// The sessions of one job, newest first.
    pub fn job_sessions(&self, job_id: Uuid) -> impl Iterator<Item = &SessionRecord> {
        self.sessions_newest_first()
            .filter(move |record| record.session.job_id == job_id)
    }

    pub fn organization(&self, id: &Uuid) -> Option<&Organization> {
        self.organizations
            .iter()
            .find(|organization| organization.id == *id)
    }

    pub fn job(&self, id: &Uuid) -> Option<&Job> {
        self.jobs.iter().find(|job| job.id == *id)
    }

    pub fn repository(&self, id: &Uuid) -> Option<&BackupRepository> {
        self.repositories
            .iter()
            .find(|repository| repository.id == *id)
    }

    pub fn proxy(&self, id: &Uuid) -> Option<&Proxy> {
        self.proxies.iter().find(|proxy| proxy.id == *id)
    }

    pub fn restore_session(&self, id: &Uuid) -> Option<&RestoreSession> {
        self.restore_sessions
            .iter()
            .find(|session| session.id == *id)
    }

    pub fn organization_jobs(&self, organization_id: Uuid) -> impl Iterator<Item = &Job> {
        self.jobs
            .iter()
            .filter(move |job| job.organization_id == organization_id)
    }

    pub fn organization_licensed_users(
        &self,
        organization_id: Uuid,
    ) -> impl Iterator<Item = &LicensedUser> {
        self.licensed_users
            .iter()
            .filter(move |user| user.organization_id == organization_id)
    }

    pub fn organization_users(
        &self,
        organization_id: Uuid,
    ) -> impl Iterator<Item = &DirectoryUser> {
        self.directory_users
            .iter()
            .filter(move |user| user.organization_id == organization_id)
    }

    pub fn organization_groups(&self, organization_id: Uuid) -> impl Iterator<Item = &Group> {
        self.groups
            .iter()
            .filter(move |group| group.organization_id == organization_id)
    }

    pub fn organization_sites(&self, organization_id: Uuid) -> impl Iterator<Item = &Site> {
        self.sites
            .iter()
            .filter(move |site| site.organization_id == organization_id)
    }

    pub fn organization_teams(&self, organization_id: Uuid) -> impl Iterator<Item = &Team> {
        self.teams
            .iter()
            .filter(move |team| team.organization_id == organization_id)
    }

    pub fn object_storage(&self, id: &Uuid) -> Option<&ObjectStorage> {
        self.object_storages
            .iter()
            .find(|storage| storage.id == *id)
    }

    pub fn rbac_role(&self, id: &Uuid) -> Option<&RbacRole> {
        self.rbac_roles.iter().find(|role| role.id == *id)
    }

    /// The directory object a role names, if the world has it.
    pub fn directory_object(&self, object: DirectoryObject) -> Option<ResolvedObject<'_>> {
        match object {
            DirectoryObject::User(id) => self
                .directory_users
                .iter()
                .find(|user| user.id == id)
                .map(ResolvedObject::User),
            DirectoryObject::Group(id) => self
                .groups
                .iter()
                .find(|group| group.id == id)
                .map(ResolvedObject::Group),
            DirectoryObject::Site(id) => self
                .sites
                .iter()
                .find(|site| site.id == id)
                .map(ResolvedObject::Site),
            DirectoryObject::Team(id) => self
                .teams
                .iter()
                .find(|team| team.id == id)
                .map(ResolvedObject::Team),
        }
    }

    /// Bytes in an object storage: what was there before and what sessions wrote, over
    /// every repository that keeps its data in it.
    pub fn object_storage_used_bytes(&self, storage_id: Uuid) -> u64 {
        self.repositories
            .iter()
            .filter(|repository| repository.object_storage_id == Some(storage_id))
            .map(|repository| {
                repository
                    .baseline_used_bytes
                    .saturating_add(self.repository_written_bytes(repository.id))
            })
            .sum()
    }

    /// `lastRun`/`lastStatus` from the newest session, `nextRun` from the schedule after it
    /// or after `now`, whichever is later: the engine never replays missed starts.
    pub fn job_summary(&self, job: &Job, now: DateTime<Utc>) -> JobSummary {
        self.run_summary(
            job.id,
            job.is_enabled,
            |after| job.schedule.next_after(after),
            now,
        )
    }

    /// What the sessions of the job (or copy job) `id` say of it; `next_after` is its
    /// schedule.
    pub(crate) fn run_summary(
        &self,
        id: Uuid,
        is_enabled: bool,
        next_after: impl Fn(&Timestamp) -> Option<Timestamp>,
        now: DateTime<Utc>,
    ) -> JobSummary {
        let last = self.job_sessions(id).next().map(|record| &record.session);
        let last_run = last.map(|session| session.creation_time);
        let after = last_run.map_or(now, |last| last.to_utc().max(now));
        let next_run = if is_enabled {
            next_after(&after.with_timezone(&self.server_offset))
        } else {
            None
        };
        JobSummary {
            last_run,
            last_status: last.map(|session| session.status),
            next_run,
        }
    }

    /// The end of the newest session of job (or copy job) `id` that left a restore point.
    pub(crate) fn last_restore_point(&self, id: Uuid) -> Option<Timestamp> {
        self.job_sessions(id)
            .map(|record| &record.session)
            .find(|session| {
                matches!(
                    session.status,
                    SessionStatus::Success | SessionStatus::Warning
                )
            })
            .and_then(|session| session.end_time)
    }

    /// A job with what its sessions say of it at `now` and its items resolved.
    pub fn job_view<'a>(&'a self, job: &'a Job, now: DateTime<Utc>) -> JobView<'a> {
        let resolve = |items: &'a [JobItem]| {
            items
                .iter()
                .map(|item| self.job_item_view(job, item))
                .collect()
        };
        JobView {
            job,
            summary: self.job_summary(job, now),
            last_backup: self.last_restore_point(job.id),
            selected_items: resolve(&job.selected_items),
            excluded_items: resolve(&job.excluded_items),
            copy_job_id: self.copy_job_of(job.id).map(|copy_job| &copy_job.id),
        }
    }

    /// What a run of the job processes, in order, each with what it is: the selected
    /// items (every licensed user for the entire organization) less the excluded ones.
    pub fn job_objects(&self, job: &Job) -> Vec<(&'static str, String)> {
        let excluded: Vec<JobObject> = job.excluded_items.iter().map(|item| item.object).collect();
        let excluded_names: Vec<&str> = excluded
            .iter()
            .filter_map(|object| match object {
                JobObject::User(id) => self
                    .directory_users
                    .iter()
                    .find(|user| user.id == *id)
                    .map(|user| user.name.as_str()),
                _ => None,
            })
            .collect();
        let everyone = || {
            self.organization_licensed_users(job.organization_id)
                .filter(|user| !excluded_names.contains(&user.name.as_str()))
                .map(|user| ("mailbox", user.name.clone()))
                .collect::<Vec<_>>()
        };
        if job.backup_type == BackupType::EntireOrganization {
            return everyone();
        }
        let mut objects = Vec::new();
        for item in job
            .selected_items
            .iter()
            .filter(|item| !excluded.contains(&item.object))
        {
            match self.job_item_view(job, item).object {
                Some(ResolvedObject::User(user)) => {
                    let what = if item.data.mailbox {
                        "mailbox"
                    } else {
                        "OneDrive"
                    };
                    objects.push((what, user.name.clone()));
                }
                Some(ResolvedObject::Group(group)) => objects.push(("group", group.name.clone())),
                Some(ResolvedObject::Site(site)) => objects.push(("site", site.url.clone())),
                Some(ResolvedObject::Team(team)) => {
                    objects.push(("team", team.display_name.clone()));
                }
                None if item.object == JobObject::PartialOrganization => objects.extend(everyone()),
                None => {}
            }
        }
        objects
    }

    /// A job item with the directory object it names.
    pub fn job_item_view<'a>(&'a self, job: &'a Job, item: &'a JobItem) -> JobItemView<'a> {
        let object = match item.object {
            JobObject::User(id) | JobObject::OneDriveFolders(id) => {
                self.directory_object(DirectoryObject::User(id))
            }
            JobObject::Group(id) => self.directory_object(DirectoryObject::Group(id)),
            JobObject::Site(id) => self.directory_object(DirectoryObject::Site(id)),
            JobObject::Team(id) => self.directory_object(DirectoryObject::Team(id)),
            JobObject::PartialOrganization | JobObject::PersonalSites => None,
        };
        JobItemView {
            job_id: &job.id,
            item,
            object,
        }
    }

    /// When the organization was first and last backed up: sessions that ended in Success
    /// or Warning count, as those leave restore points.
    pub fn organization_backups(&self, organization_id: Uuid) -> BackupSpan {
        let mut span = BackupSpan::default();
        for record in &self.sessions {
            let session = &record.session;
            let backed_up = matches!(
                session.status,
                SessionStatus::Success | SessionStatus::Warning
            );
            let of_organization = self
                .job(&session.job_id)
                .is_some_and(|job| job.organization_id == organization_id);
            if backed_up && of_organization {
                span.first.get_or_insert(session.creation_time);
                span.last = session.end_time.or(Some(session.creation_time));
            }
        }
        span
    }

    /// A repository as served at `now`: free space is what is left after what was there
    /// before and what the world's sessions wrote; its object storage with what all its
    /// repositories use.
    pub fn repository_view<'a>(
        &'a self,
        repository: &'a BackupRepository,
        now: Timestamp,
    ) -> RepositoryView<'a> {
        RepositoryView {
            out_of_sync: self.is_out_of_sync(repository, now),
            repository,
            free_space_bytes: repository
                .capacity_bytes
                .saturating_sub(repository.baseline_used_bytes)
                .saturating_sub(self.repository_written_bytes(repository.id))
                .min(self.space_left_by_scenarios(repository).unwrap_or(u64::MAX)),
            storage: repository
                .object_storage_id
                .and_then(|id| self.object_storage(&id))
                .map(|storage| self.storage_use(storage)),
        }
    }

    /// An object storage with what its repositories hold.
    pub fn storage_use<'a>(&'a self, storage: &'a ObjectStorage) -> StorageUse<'a> {
        StorageUse {
            storage,
            used_bytes: self.object_storage_used_bytes(storage.id),
            archiver_account: storage.azure_service_account_id.and_then(|id| {
                self.azure_service_accounts
                    .iter()
                    .find(|account| account.id == id)
            }),
        }
    }

    /// What rendering a session needs besides the session: the kind of job that ran it, the
    /// repository that job writes to and its log's last usn.
    pub fn session_extras(&self, record: &SessionRecord) -> SessionExtras<'_> {
        let (kind, repository_id) = self.session_target(&record.session);
        SessionExtras {
            owner: repository_id
                .and_then(|id| self.repository(id))
                .map(|repository| repository.owner),
            repository_id,
            last_usn: record.log.last_usn().unwrap_or(0),
            kind,
        }
    }

    /// The kind of job that ran a session and the repository it wrote to: a backup job's,
    /// or the target of a copy job.
    pub fn session_target(&self, session: &JobSession) -> (JobKind, Option<&Uuid>) {
        match self.job(&session.job_id) {
            Some(job) => (JobKind::Backup, Some(&job.repository_id)),
            None => match self.copy_job(&session.job_id) {
                Some(copy_job) => (JobKind::Copy, Some(&copy_job.repository_id)),
                None => (JobKind::Backup, None),
            },
        }
    }

    /// The name of an organization, or nothing when it is gone.
    pub fn organization_name(&self, id: &Uuid) -> &str {
        self.organization(id)
            .map_or("", |organization| organization.name.as_str())
    }

    /// How many of an organization's users hold a license, and how many of them are new.
    pub fn licensing(&self, organization_id: Uuid) -> LicenseUse {
        self.organization_licensed_users(organization_id).fold(
            LicenseUse { used: 0, new: 0 },
            |usage, user| LicenseUse {
                used: usage.used + 1,
                new: usage.new + usize::from(user.is_new),
            },
        )
    }

    /// How many seats of the license the world's users take.
    pub fn license_use(&self) -> LicenseUse {
        LicenseUse {
            used: self.licensed_users.len(),
            new: self
                .licensed_users
                .iter()
                .filter(|user| user.is_new)
                .count(),
        }
    }

    /// The repositories an organization's jobs write to, in the world's order, with what
    /// its sessions wrote to each.
    pub fn organization_repository_usage<'a>(
        &'a self,
        organization: &'a Organization,
    ) -> Vec<RepositoryUsage<'a>> {
        self.repositories
            .iter()
            .filter_map(|repository| {
                let jobs: Vec<Uuid> = self
                    .organization_jobs(organization.id)
                    .filter(|job| job.repository_id == repository.id)
                    .map(|job| job.id)
                    .collect();
                if jobs.is_empty() {
                    return None;
                }
                let sessions = self
                    .sessions
                    .iter()
                    .map(|record| &record.session)
                    .filter(|session| jobs.contains(&session.job_id));
                let (used_bytes, protected_objects) =
                    sessions.fold((0u64, 0u64), |(bytes, objects), session| {
                        (
                            bytes.saturating_add(session.statistics.transferred_data_bytes),
                            objects.max(session.statistics.processed_objects),
                        )
                    });
                Some(RepositoryUsage {
                    organization_id: &organization.id,
                    repository,
                    used_bytes,
                    protected_objects,
                })
            })
            .collect()
    }

    /// Bytes the sessions of this world wrote to a repository: those of the jobs that write
    /// there and of the copy jobs that copy there.
    pub fn repository_written_bytes(&self, repository_id: Uuid) -> u64 {
        self.sessions
            .iter()
            .filter(|record| self.session_target(&record.session).1 == Some(&repository_id))
            .map(|record| record.session.statistics.transferred_data_bytes)
            .sum()
    }

    /// Checks a password login. Windows accounts arrive as `DOMAIN\user`; the domain is
    /// ignored and the name compared without regard to case, as Windows does.
    pub fn verify_password(&self, user_name: &str, password: &str) -> bool {
        credentials_match(&self.users, user_name, password)
    }

    /// Whether `user_name` (`DOMAIN\\name` or `name`) is one of the world's accounts.
    pub fn has_user(&self, user_name: &str) -> bool {
        has_account(&self.users, user_name)
    }

    /// Adds accounts, skipping names already there.
    pub fn add_users(&mut self, users: &[UserCredential]) {
        for user in users {
            if !self
                .users
                .iter()
                .any(|known| known.name.eq_ignore_ascii_case(&user.name))
            {
                self.users.push(user.clone());
            }
        }
    }

    /// A new session id from the world's generator. A world reloaded from its own export
    /// starts the generator again, so ids already in use are skipped.
    pub fn next_session_id(&mut self) -> Uuid {
        loop {
            let id = self.next_id();
            if self.session_position(&id).is_none() {
                return id;
            }
        }
    }

    /// Draws new ids from a stream that follows from `salt` as well as the seed: a world
    /// loaded from a file that already holds objects made at runtime (an export of a
    /// world in use) must not hand their ids out again, and the same file still loads the
    /// same way.
    pub fn reseed_new_ids(&mut self, salt: u64) {
        self.rng = runtime_rng(self.seed ^ salt);
    }

    /// A new id from the world's generator.
    pub fn next_id(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// Objects the world keeps by id, so that a handler looks one up in one call.
pub trait Stored: Named {
    /// What a lookup gives: the object, or for a job session its record with the log.
    type Found;

    fn lookup<'w>(world: &'w World, id: &Uuid) -> Option<&'w Self::Found>;
}

/// Objects kept in a list of the world, found by their `id`.
macro_rules! stored_in {
    ($($kind:ty => $list:ident),* $(,)?) => {
        $(impl Stored for $kind {
            type Found = $kind;

            fn lookup<'w>(world: &'w World, id: &Uuid) -> Option<&'w $kind> {
                world.$list.iter().find(|object| object.id == *id)
            }
        })*
    };
}

stored_in! {
    Organization => organizations,
    Job => jobs,
    BackupRepository => repositories,
    Proxy => proxies,
    ProxyPool => proxy_pools,
    RepositorySync => repository_syncs,
    OwnerChange => owner_changes,
    ObjectStorage => object_storages,
    RestoreSession => restore_sessions,
    RbacRole => rbac_roles,
    Team => teams,
    CopyJob => copy_jobs,
    EncryptionKey => encryption_keys,
    CloudAccount => cloud_accounts,
    LicensedUser => licensed_users,
    AzureServiceAccount => azure_service_accounts,
}

impl Stored for JobSession {
    type Found = SessionRecord;

    fn lookup<'w>(world: &'w World, id: &Uuid) -> Option<&'w SessionRecord> {
        world.session(id)
    }
}

impl World {
    /// The session `id` names if the version shows its kind (`scope`), or its 404.
    pub fn find_session(
        &self,
        id: &Id<JobSession>,
        scope: crate::model::SessionScope,
    ) -> Result<&SessionRecord, NotFound> {
        self.session(id)
            .filter(|record| scope.shows(self.session_target(&record.session).0))
            .ok_or_else(|| id.not_found())
    }

    /// The object `id` names, or the service's 404 for it.
    pub fn find<K: Stored>(&self, id: &Id<K>) -> Result<&K::Found, NotFound> {
        K::lookup(self, id).ok_or_else(|| id.not_found())
    }
}

/// Checks a password login. Windows accounts arrive as `DOMAIN\user`; the domain is
/// ignored and the name compared without regard to case, as Windows does.
pub fn credentials_match(users: &[UserCredential], user_name: &str, password: &str) -> bool {
    account(users, user_name).is_some_and(|user| user.password == password)
}

/// Whether `user_name` (`DOMAIN\\name` or `name`) is one of `users`.
pub fn has_account(users: &[UserCredential], user_name: &str) -> bool {
    account(users, user_name).is_some()
}

fn account<'a>(users: &'a [UserCredential], user_name: &str) -> Option<&'a UserCredential> {
    let name = user_name.rsplit('\\').next().unwrap_or(user_name);
    users
        .iter()
        .find(|user| user.name.eq_ignore_ascii_case(name))
}

/// The generator that builds a world from `seed` draws from stream 0; what the world
/// creates later draws from stream 1 of the same seed, so the two never repeat an id.
fn runtime_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    rng
}

/// The shared world. A std `RwLock` rather than an async one: every access is a short
/// synchronous read or write that never spans an `.await`, so readers never wait on I/O
/// and many requests read in parallel.
#[derive(Debug)]
pub struct Store {
    world: RwLock<World>,
    /// When the engine next has something to do (Unix nanoseconds; `i64::MAX`: nothing,
    /// `i64::MIN`: not known since the last change). Read on every request without a lock,
    /// so an idle world costs one atomic load.
    next_event_nanos: AtomicI64,
    /// Counts changes, so rendered answers can be reused until the next one.
    version: AtomicU64,
}

impl Store {
    pub fn new(world: World) -> Self {
        Self {
            world: RwLock::new(world),
            next_event_nanos: AtomicI64::new(i64::MIN),
            version: AtomicU64::new(0),
        }
    }

    /// Changes with every change to the world.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Whether the engine may have something to do by `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        now.timestamp_nanos_opt().unwrap_or(i64::MAX)
            >= self.next_event_nanos.load(Ordering::Acquire)
    }

    /// When the engine next has something to do, as far as it knows: at once after a change
    /// it has not looked at yet, `None` when nothing ever comes due by itself.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        match self.next_event_nanos.load(Ordering::Acquire) {
            i64::MAX => None,
            nanos => Some(DateTime::from_timestamp_nanos(nanos)),
        }
    }

    /// Runs the engine's `step` under the write lock; it answers when it next has
    /// something to do, which [`Store::is_due`] then compares with.
    pub fn advance(&self, step: impl FnOnce(&mut World) -> Option<DateTime<Utc>>) {
        let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
        let next = step(&mut world);
        self.version.fetch_add(1, Ordering::AcqRel);
        let next_nanos = next.map_or(i64::MAX, |at| at.timestamp_nanos_opt().unwrap_or(i64::MAX));
        self.next_event_nanos.store(next_nanos, Ordering::Release);
    }

    /// Runs `read` with shared access to the world.
    pub fn read<R>(&self, read: impl FnOnce(&World) -> R) -> R {
        let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
        read(&world)
    }

    /// Runs `write` with exclusive access; readers see the world before or after it, never
    /// between. A change may start or stop runs, so the engine looks again (its task, or
    /// the next request, whichever comes first).
    pub fn write<R>(&self, write: impl FnOnce(&mut World) -> R) -> R {
        let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
        let result = write(&mut world);
        self.version.fetch_add(1, Ordering::AcqRel);
        self.next_event_nanos.store(i64::MIN, Ordering::Release);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world_with_user() -> World {
        let mut world = World::new(FixedOffset::east_opt(0).unwrap(), 0);
        world.users.push("Admin:s3cret".parse().unwrap());
        world
    }

    #[test]
    fn a_domain_prefix_and_the_case_of_the_name_do_not_matter() {
        let world = world_with_user();
        assert!(world.verify_password("EAST\\admin", "s3cret"));
        assert!(world.verify_password("ADMIN", "s3cret"));
    }

    #[test]
    fn the_password_must_match_exactly() {
        let world = world_with_user();
        assert!(!world.verify_password("admin", "S3cret"));
        assert!(!world.verify_password("other", "s3cret"));
    }

    fn session(id: u128) -> JobSession {
        let at = DateTime::parse_from_rfc3339("2017-04-04T07:07:21Z").unwrap();
        JobSession {
            id: Uuid::from_u128(id),
            job_id: Uuid::nil(),
            creation_time: at,
            end_time: None,
            progress: 0,
            status: SessionStatus::Running,
            statistics: crate::model::SessionStatistics::for_transfer(
                0,
                0,
                0,
                chrono::TimeDelta::zero(),
                crate::model::Bottleneck::NA,
            ),
            retry: crate::model::SessionRetry::default(),
        }
    }

    fn append(log: &mut Log, message: &str) {
        let at = DateTime::parse_from_rfc3339("2017-04-04T00:07:21-07:00").unwrap();
        log.push(crate::model::NewLogItem {
            id: Uuid::from_u128(log.len() as u128 + 100),
            usn: log.last_usn().map_or(1, |usn| usn + 1),
            severity: crate::model::Severity::Success,
            message,
            creation_time: at,
            end_time: at,
        });
    }

    fn messages(world: &World, id: u128) -> Vec<String> {
        world
            .session(&Uuid::from_u128(id))
            .unwrap()
            .log
            .iter()
            .map(|item| item.message().to_string())
            .collect()
    }

    #[test]
    fn a_copy_of_the_world_keeps_its_logs_when_the_live_one_appends() {
        let mut live = World::new(FixedOffset::east_opt(0).unwrap(), 0);
        let mut log = Log::default();
        append(&mut log, "Job started at 4/4/2017 12:07:21 AM");
        live.add_session(session(1), log);
        live.add_session(session(2), Log::default());
        let startup = live.clone();

        let record = live.session_mut(&Uuid::from_u128(1)).unwrap();
        append(
            record.log_mut(),
            "Processing mailbox: a@contoso.onmicrosoft.com",
        );
        assert_eq!(
            messages(&live, 1),
            [
                "Job started at 4/4/2017 12:07:21 AM",
                "Processing mailbox: a@contoso.onmicrosoft.com"
            ]
        );
        assert_eq!(
            messages(&startup, 1),
            ["Job started at 4/4/2017 12:07:21 AM"]
        );
        let untouched =
            |world: &World| Arc::clone(&world.session(&Uuid::from_u128(2)).unwrap().log);
        assert!(
            Arc::ptr_eq(&untouched(&live), &untouched(&startup)),
            "a log nobody changed is not copied"
        );
    }
}

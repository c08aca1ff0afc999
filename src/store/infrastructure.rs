//! The backup infrastructure in the world: what proxies and repositories are doing, and the
//! writes that add, edit and remove proxies, pools and repositories, synchronize a
//! repository or move it to another owner. A refused write changes nothing.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    BackupRepository, CloudAccount, EncryptionKey, Id, NotFound, ObjectStorage, Organization,
    OrganizationUsage, OwnerChange, OwnerChangeOptions, OwnerChangeStatus, Proxy, ProxyChange,
    ProxyPool, ProxyPoolChange, ProxyUse, RepositoryChange, RepositoryOwner, RepositorySync,
    SessionStatus, StorageChoice, SyncProgress, Timestamp,
};

/// An owner change the world allows: the repositories that move, and the running jobs that
/// must be stopped first (the change was asked to stop them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChangePlan {
    pub repository_ids: Vec<Uuid>,
    pub from: RepositoryOwner,
    pub to: RepositoryOwner,
    pub jobs_to_stop: Vec<Uuid>,
}

fn invalid(message: String) -> JobEditError {
    JobEditError::Invalid(message)
}

impl World {
    /// The jobs that have a session running.
    pub fn running_jobs(&self) -> Vec<Uuid> {
        let mut jobs: Vec<Uuid> = self
            .sessions
            .iter()
            .filter(|record| record.session.status == SessionStatus::Running)
            .map(|record| record.session.job_id)
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        jobs
    }

    /// A proxy with the sessions it moves data for: those of jobs whose repository it owns,
    /// alone or in its pool, and of copy jobs that copy to such a repository.
    pub fn proxy_use<'a>(&'a self, proxy: &'a Proxy, running_jobs: &[Uuid]) -> ProxyUse<'a> {
        let jobs = self
            .jobs
            .iter()
            .filter(|job| running_jobs.contains(&job.id))
            .map(|job| job.repository_id);
        let copies = self
            .copy_jobs
            .iter()
            .filter(|copy_job| running_jobs.contains(&copy_job.id))
            .map(|copy_job| copy_job.repository_id);
        let running_sessions = jobs
            .chain(copies)
            .filter_map(|repository_id| self.repository(&repository_id))
            .filter(|repository| match repository.owner {
                RepositoryOwner::Proxy(id) => id == proxy.id,
                RepositoryOwner::ProxyPool(id) => proxy.pool_id == Some(id),
            })
            .count();
        ProxyUse {
            proxy,
            running_sessions,
            is_online: self.proxy_is_online(proxy),
        }
    }

    /// The proxies of a pool, in the world's order.
    pub fn pool_proxies(&self, pool_id: Uuid) -> impl Iterator<Item = &Proxy> {
        self.proxies
            .iter()
            .filter(move |proxy| proxy.pool_id == Some(pool_id))
    }

    /// The repositories a proxy or a pool owns.
    pub fn owned_repositories(&self, owner: Uuid) -> impl Iterator<Item = &BackupRepository> {
        self.repositories
            .iter()
            .filter(move |repository| *repository.owner.id() == owner)
    }

    /// Whether a repository's cache still waits for a synchronization at `now`: it was out
    /// of sync and no synchronization of it has finished.
    pub fn is_out_of_sync(&self, repository: &BackupRepository, now: Timestamp) -> bool {
        repository.out_of_sync
            && !self.repository_syncs.iter().any(|sync| {
                sync.repository_id == repository.id && sync.progress(now) == SyncProgress::Done
            })
    }

    /// The organizations whose jobs wrote to a repository, with what they wrote there.
    pub fn repository_organizations<'a>(
        &'a self,
        repository: &'a BackupRepository,
    ) -> Vec<OrganizationUsage<'a>> {
        self.organizations
            .iter()
            .filter_map(|organization| {
                self.organization_repository_usage(organization)
                    .into_iter()
                    .find(|usage| usage.repository.id == repository.id)
                    .map(|usage| OrganizationUsage {
                        organization,
                        used_bytes: usage.used_bytes,
                        in_object_storage: repository.object_storage_id.is_some(),
                    })
            })
            .collect()
    }

    /// Whether the repository is written to by a job of the organization or given to it.
    pub fn serves_organization(&self, repository: &BackupRepository, organization: Uuid) -> bool {
        repository.organization_id == Some(organization)
            || self
                .organization_jobs(organization)
                .any(|job| job.repository_id == repository.id)
    }

    /// The next moment after `after` at which a synchronization or an owner change moves on.
    pub fn next_repository_session_change(&self, after: Timestamp) -> Option<Timestamp> {
        let syncs = self
            .repository_syncs
            .iter()
            .filter_map(|sync| sync.next_change(after));
        let moves = self
            .owner_changes
            .iter()
            .filter(|change| change.stopped.is_none() && change.ends() > after)
            .map(OwnerChange::ends);
        syncs.chain(moves).min()
    }

    fn proxy_mut(&mut self, id: Uuid) -> Result<&mut Proxy, NotFound> {
        self.proxies
            .iter_mut()
            .find(|proxy| proxy.id == id)
            .ok_or_else(|| Id::<Proxy>::new(id).not_found())
    }

    fn repository_mut(&mut self, id: Uuid) -> Result<&mut BackupRepository, NotFound> {
        self.repositories
            .iter_mut()
            .find(|repository| repository.id == id)
            .ok_or_else(|| Id::<BackupRepository>::new(id).not_found())
    }

    /// Adds a proxy from `change`, which must name its host; a host already added is the
    /// service's 400.
    pub fn add_proxy(&mut self, id: Uuid, change: ProxyChange) -> Result<&Proxy, JobEditError> {
        let host_name = change.host_name.clone().ok_or_else(|| {
            invalid("A new backup proxy must name its host in 'hostName'.".to_owned())
        })?;
        self.check_proxy_host(None, &host_name)?;
        let mut proxy = Proxy::new(id, host_name);
        proxy.apply(change);
        self.proxies.push(proxy);
        Ok(self.proxies.last().expect("the proxy was just pushed"))
    }

    pub fn edit_proxy(&mut self, id: Uuid, change: ProxyChange) -> Result<(), JobEditError> {
        self.find(&Id::<Proxy>::new(id))?;
        if let Some(host_name) = &change.host_name {
            self.check_proxy_host(Some(id), host_name)?;
        }
        self.proxy_mut(id)?.apply(change);
        Ok(())
    }

    fn check_proxy_host(&self, except: Option<Uuid>, host_name: &str) -> Result<(), JobEditError> {
        if host_name.trim().is_empty() {
            return Err(invalid(
                "The host name of a backup proxy must not be empty.".to_owned(),
            ));
        }
        let taken = self.proxies.iter().any(|proxy| {
            Some(proxy.id) != except && proxy.host_name.eq_ignore_ascii_case(host_name)
        });
        if taken {
            return Err(invalid(format!(
                "Backup proxy '{host_name}' has already been added."
            )));
        }
        Ok(())
    }

    /// Removes a proxy that keeps no repository, alone or as the last proxy of a pool that
    /// does, and that no owner change is moving repositories to or from.
    pub fn remove_proxy(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        let proxy = self.find(&Id::<Proxy>::new(id))?;
        if let Some(repository) = self.owned_repositories(id).next() {
            return Err(invalid(format!(
                "Backup proxy '{}' is in use by backup repository '{}'. Remove the repository or move it to another proxy first.",
                proxy.host_name, repository.name
            )));
        }
        if let Some(pool_id) = proxy.pool_id {
            self.check_pool_keeps_a_proxy(pool_id, &[id])?;
        }
        self.check_no_owner_change_running(id, now)?;
        self.proxies.retain(|proxy| proxy.id != id);
        self.owner_changes.retain(|change| !change.involves(&id));
        Ok(())
    }

    /// Every id must name a proxy.
    pub fn check_proxies_exist(&self, ids: &[Uuid]) -> Result<(), NotFound> {
        for id in ids {
            self.find(&Id::<Proxy>::new(*id))?;
        }
        Ok(())
    }

    pub fn set_proxy_maintenance(&mut self, id: Uuid, on: bool) -> Result<(), NotFound> {
        self.proxy_mut(id)?.maintenance = on;
        Ok(())
    }

    /// Adds a pool from `change`, which must name it and its proxies.
    pub fn add_proxy_pool(
        &mut self,
        id: Uuid,
        change: ProxyPoolChange,
    ) -> Result<&ProxyPool, JobEditError> {
        let name = change
            .name
            .clone()
            .ok_or_else(|| invalid("A new backup proxy pool must have a name.".to_owned()))?;
        self.check_pool_name(None, &name)?;
        let proxies = change.proxies.clone().unwrap_or_default();
        self.check_pool_members(id, &proxies)?;
        self.proxy_pools.push(ProxyPool {
            id,
            name,
            description: change.description.unwrap_or_default(),
        });
        self.set_pool_members(id, &proxies);
        Ok(self.proxy_pools.last().expect("the pool was just pushed"))
    }

    pub fn edit_proxy_pool(
        &mut self,
        id: Uuid,
        change: ProxyPoolChange,
    ) -> Result<(), JobEditError> {
        self.find(&Id::<ProxyPool>::new(id))?;
        if let Some(name) = &change.name {
            self.check_pool_name(Some(id), name)?;
        }
        if let Some(proxies) = &change.proxies {
            self.check_pool_members(id, proxies)?;
            let leaving: Vec<Uuid> = self
                .pool_proxies(id)
                .map(|proxy| proxy.id)
                .filter(|member| !proxies.contains(member))
                .collect();
            if proxies.is_empty() {
                self.check_pool_keeps_a_proxy(id, &leaving)?;
            }
        }
        if let Some(pool) = self.proxy_pools.iter_mut().find(|pool| pool.id == id) {
            if let Some(name) = change.name {
                pool.name = name;
            }
            if let Some(description) = change.description {
                pool.description = description;
            }
        }
        if let Some(proxies) = change.proxies {
            self.set_pool_members(id, &proxies);
        }
        Ok(())
    }

    /// Removes a pool that keeps no repository; its proxies stay, outside any pool.
    pub fn remove_proxy_pool(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        let pool = self.find(&Id::<ProxyPool>::new(id))?;
        if let Some(repository) = self.owned_repositories(id).next() {
            return Err(invalid(format!(
                "Backup proxy pool '{}' is in use by backup repository '{}'. Remove the repository or move it to another owner first.",
                pool.name, repository.name
            )));
        }
        self.check_no_owner_change_running(id, now)?;
        self.set_pool_members(id, &[]);
        self.proxy_pools.retain(|pool| pool.id != id);
        self.owner_changes.retain(|change| !change.involves(&id));
        Ok(())
    }

    /// Adds proxies to a pool.
    pub fn add_pool_proxies(&mut self, id: Uuid, proxies: &[Uuid]) -> Result<(), JobEditError> {
        self.find(&Id::<ProxyPool>::new(id))?;
        self.check_pool_members(id, proxies)?;
        for proxy in self.proxies.iter_mut() {
            if proxies.contains(&proxy.id) {
                proxy.pool_id = Some(id);
            }
        }
        Ok(())
    }

    /// Takes proxies out of a pool; each must be in it, and a pool that keeps repositories
    /// keeps at least one proxy.
    pub fn remove_pool_proxies(&mut self, id: Uuid, proxies: &[Uuid]) -> Result<(), JobEditError> {
        let pool = self.find(&Id::<ProxyPool>::new(id))?;
        for proxy_id in proxies {
            let proxy = self.find(&Id::<Proxy>::new(*proxy_id))?;
            if proxy.pool_id != Some(id) {
                return Err(invalid(format!(
                    "Backup proxy '{}' is not in backup proxy pool '{}'.",
                    proxy.host_name, pool.name
                )));
            }
        }
        self.check_pool_keeps_a_proxy(id, proxies)?;
        for proxy in self.proxies.iter_mut() {
            if proxies.contains(&proxy.id) {
                proxy.pool_id = None;
            }
        }
        Ok(())
    }

    fn check_pool_name(&self, except: Option<Uuid>, name: &str) -> Result<(), JobEditError> {
        if name.trim().is_empty() {
            return Err(invalid(
                "The name of a backup proxy pool must not be empty.".to_owned(),
            ));
        }
        let taken = self
            .proxy_pools
            .iter()
            .any(|pool| Some(pool.id) != except && pool.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(invalid(format!(
                "Backup proxy pool '{name}' already exists."
            )));
        }
        Ok(())
    }

    /// Proxies that join pool `id` must exist and be in no other pool.
    fn check_pool_members(&self, id: Uuid, proxies: &[Uuid]) -> Result<(), JobEditError> {
        for proxy_id in proxies {
            let proxy = self.find(&Id::<Proxy>::new(*proxy_id))?;
            if let Some(other) = proxy.pool_id.filter(|pool| *pool != id) {
                let pool = self.find(&Id::<ProxyPool>::new(other))?;
                return Err(invalid(format!(
                    "Backup proxy '{}' is already in backup proxy pool '{}'.",
                    proxy.host_name, pool.name
                )));
            }
        }
        Ok(())
    }

    /// A pool that keeps repositories must keep a proxy after `leaving` go.
    fn check_pool_keeps_a_proxy(&self, id: Uuid, leaving: &[Uuid]) -> Result<(), JobEditError> {
        let Some(repository) = self.owned_repositories(id).next() else {
            return Ok(());
        };
        let stays = self
            .pool_proxies(id)
            .any(|proxy| !leaving.contains(&proxy.id));
        if stays {
            return Ok(());
        }
        let pool = self.find(&Id::<ProxyPool>::new(id))?;
        Err(invalid(format!(
            "Backup proxy pool '{}' keeps backup repository '{}' and must keep at least one backup proxy.",
            pool.name, repository.name
        )))
    }

    fn set_pool_members(&mut self, id: Uuid, proxies: &[Uuid]) {
        for proxy in self.proxies.iter_mut() {
            if proxies.contains(&proxy.id) {
                proxy.pool_id = Some(id);
            } else if proxy.pool_id == Some(id) {
                proxy.pool_id = None;
            }
        }
    }

    fn check_no_owner_change_running(
        &self,
        owner: Uuid,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        let running = self.owner_changes.iter().any(|change| {
            change.involves(&owner) && change.status(now) == OwnerChangeStatus::Running
        });
        if running {
            return Err(invalid(
                "A change owner session is moving backup repositories to or from it. Wait for the session to end or stop it."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Adds a repository from `change`, which must name it, its owner, its retention type
    /// and its folder (for object storage, the folder of its cache). Object storage it
    /// describes rather than names is added with it.
    pub fn add_repository(
        &mut self,
        id: Uuid,
        change: RepositoryChange,
    ) -> Result<&BackupRepository, JobEditError> {
        let name = change
            .name
            .clone()
            .ok_or_else(|| invalid("A new backup repository must have a name.".to_owned()))?;
        let owner = change.owner.ok_or_else(|| {
            invalid(
                "A new backup repository must name its backup proxy or backup proxy pool."
                    .to_owned(),
            )
        })?;
        let path = change.path.clone().ok_or_else(|| {
            invalid("A new backup repository must name the folder it keeps its backups or its cache in.".to_owned())
        })?;
        if change.retention.is_none() {
            return Err(invalid(
                "A new backup repository must give its 'retentionType'.".to_owned(),
            ));
        }
        self.check_owner(owner)?;
        self.check_repository_change(None, &name, &path, owner, &change)?;
        let storage = match &change.object_storage {
            Some(StorageChoice::Existing(storage_id)) => Some(*storage_id),
            Some(StorageChoice::New(storage)) => Some(storage.id),
            None => None,
        };
        if let Some(StorageChoice::New(storage)) = &change.object_storage {
            self.object_storages.push(storage.clone());
        }
        let mut repository = BackupRepository::new(id, name, path, owner);
        repository.apply(&change);
        repository.object_storage_id = storage;
        self.repositories.push(repository);
        Ok(self
            .repositories
            .last()
            .expect("the repository was just pushed"))
    }

    /// Edits a repository. Its owner moves only by an owner change, and its object storage
    /// stays what it was added with.
    pub fn edit_repository(
        &mut self,
        id: Uuid,
        change: RepositoryChange,
    ) -> Result<(), JobEditError> {
        let repository = self.find(&Id::<BackupRepository>::new(id))?;
        if change.owner.is_some_and(|owner| owner != repository.owner) {
            return Err(invalid(format!(
                "Backup repository '{}' stays with its owner when edited: move it with a change owner session.",
                repository.name
            )));
        }
        let storage_changes = match &change.object_storage {
            Some(StorageChoice::Existing(storage)) => {
                repository.object_storage_id != Some(*storage)
            }
            Some(StorageChoice::New(_)) => true,
            None => false,
        };
        if storage_changes {
            return Err(invalid(format!(
                "Backup repository '{}' keeps the object storage it was added with.",
                repository.name
            )));
        }
        let name = change
            .name
            .clone()
            .unwrap_or_else(|| repository.name.clone());
        let path = change
            .path
            .clone()
            .unwrap_or_else(|| repository.path.clone());
        let owner = repository.owner;
        self.check_repository_change(Some(id), &name, &path, owner, &change)?;
        self.repository_mut(id)?.apply(&change);
        Ok(())
    }

    fn check_owner(&self, owner: RepositoryOwner) -> Result<(), NotFound> {
        match owner {
            RepositoryOwner::Proxy(id) => self.find(&Id::<Proxy>::new(id)).map(|_| ()),
            RepositoryOwner::ProxyPool(id) => self.find(&Id::<ProxyPool>::new(id)).map(|_| ()),
        }
    }

    /// Names and folders of one owner are its own; the object storage, the organization and
    /// the encryption key named must exist, and an object storage backs one repository.
    fn check_repository_change(
        &self,
        except: Option<Uuid>,
        name: &str,
        path: &str,
        owner: RepositoryOwner,
        change: &RepositoryChange,
    ) -> Result<(), JobEditError> {
        if name.trim().is_empty() || path.trim().is_empty() {
            return Err(invalid(
                "The name and the folder of a backup repository must not be empty.".to_owned(),
            ));
        }
        let others = || {
            self.repositories
                .iter()
                .filter(move |repository| Some(repository.id) != except)
        };
        if others().any(|repository| repository.name.eq_ignore_ascii_case(name)) {
            return Err(invalid(format!(
                "Backup repository '{name}' already exists."
            )));
        }
        if let Some(repository) = others().find(|repository| {
            repository.owner == owner && repository.path.eq_ignore_ascii_case(path)
        }) {
            return Err(invalid(format!(
                "The folder '{path}' already holds backup repository '{}'.",
                repository.name
            )));
        }
        if let Some(StorageChoice::Existing(storage_id)) = &change.object_storage {
            let storage = self.find(&Id::<ObjectStorage>::new(*storage_id))?;
            if let Some(repository) =
                others().find(|repository| repository.object_storage_id == Some(*storage_id))
            {
                return Err(invalid(format!(
                    "Object storage '{}' already backs backup repository '{}'.",
                    storage.name, repository.name
                )));
            }
        }
        if let Some(Some(organization_id)) = change.organization_id {
            self.find(&Id::<Organization>::new(organization_id))?;
        }
        self.check_encryption(except, change)?;
        if let Some(StorageChoice::New(storage)) = &change.object_storage
            && let Some(account) = storage.account_id
        {
            self.find(&Id::<CloudAccount>::new(account))?;
        }
        Ok(())
    }

    /// Encryption needs a key the world has, and object storage to encrypt what goes to:
    /// a change that names a key encrypts with it, `objectStorageEncryptionEnabled: false`
    /// stops encrypting, `true` needs a key given or kept.
    fn check_encryption(
        &self,
        repository_id: Option<Uuid>,
        change: &RepositoryChange,
    ) -> Result<(), JobEditError> {
        let current = repository_id.and_then(|id| self.repository(&id));
        if let Some(key) = change.encryption_key_id {
            self.find(&Id::<EncryptionKey>::new(key))?;
            if change.encrypt == Some(false) {
                return Err(invalid(
                    "An 'encryptionKeyId' is given, but 'objectStorageEncryptionEnabled' is false."
                        .to_owned(),
                ));
            }
        }
        let kept_key = current.and_then(|repository| repository.encryption_key_id);
        let encrypts = change.encryption_key_id.is_some() || change.encrypt == Some(true);
        if change.encrypt == Some(true) && change.encryption_key_id.or(kept_key).is_none() {
            return Err(invalid(
                "Encrypting object storage needs an encryption key in 'encryptionKeyId'."
                    .to_owned(),
            ));
        }
        let has_storage = change.object_storage.is_some()
            || current.is_some_and(|repository| repository.object_storage_id.is_some());
        if encrypts && !has_storage {
            return Err(invalid(
                "Only what goes to object storage is encrypted: the backup repository keeps none."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Removes a repository no job writes to and no session is working on, with the
    /// synchronizations of it.
    pub fn remove_repository(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        let repository = self.find(&Id::<BackupRepository>::new(id))?;
        if let Some(job) = self.jobs.iter().find(|job| job.repository_id == id) {
            return Err(invalid(format!(
                "Backup repository '{}' is in use by job '{}'. Remove the job or point it at another repository first.",
                repository.name, job.name
            )));
        }
        if let Some(copy_job) = self.copy_jobs.iter().find(|copy| copy.repository_id == id) {
            return Err(invalid(format!(
                "Backup repository '{}' is in use by backup copy job '{}'. Remove the copy job or point it at another repository first.",
                repository.name, copy_job.name
            )));
        }
        self.check_repository_idle(repository, now)?;
        self.repositories.retain(|repository| repository.id != id);
        self.repository_syncs
            .retain(|sync| sync.repository_id != id);
        self.removed_data
            .retain(|removal| removal.repository_id != id);
        for change in &mut self.owner_changes {
            change.repository_ids.retain(|repository| *repository != id);
        }
        self.owner_changes
            .retain(|change| !change.repository_ids.is_empty());
        Ok(())
    }

    /// No synchronization or owner change is working on the repository at `now`.
    fn check_repository_idle(
        &self,
        repository: &BackupRepository,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        let syncing = self.repository_syncs.iter().any(|sync| {
            sync.repository_id == repository.id
                && matches!(sync.progress(now), SyncProgress::Synchronizing { .. })
        });
        if syncing {
            return Err(invalid(format!(
                "Backup repository '{}' is being synchronized with its object storage.",
                repository.name
            )));
        }
        let moving = self.owner_changes.iter().any(|change| {
            change.repository_ids.contains(&repository.id)
                && change.status(now) == OwnerChangeStatus::Running
        });
        if moving {
            return Err(invalid(format!(
                "Backup repository '{}' is being moved to another owner.",
                repository.name
            )));
        }
        Ok(())
    }

    /// Starts synchronizing an object storage repository's cache at `now`.
    pub fn sync_repository(
        &mut self,
        id: Uuid,
        session_id: Uuid,
        now: Timestamp,
    ) -> Result<&RepositorySync, JobEditError> {
        let repository = self.find(&Id::<BackupRepository>::new(id))?;
        if repository.object_storage_id.is_none() {
            return Err(invalid(format!(
                "Backup repository '{}' keeps no object storage to synchronize with.",
                repository.name
            )));
        }
        self.check_repository_idle(repository, now)?;
        self.repository_syncs.push(RepositorySync {
            id: session_id,
            repository_id: id,
            started: now,
            stopped: None,
        });
        Ok(self
            .repository_syncs
            .last()
            .expect("the synchronization was just pushed"))
    }

    /// Stops a synchronization that is running at `now`.
    pub fn stop_repository_sync(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        let sync = self.find(&Id::<RepositorySync>::new(id))?;
        if !matches!(sync.progress(now), SyncProgress::Synchronizing { .. }) {
            return Err(invalid(format!(
                "Repository synchronization session '{id}' is not running."
            )));
        }
        if let Some(sync) = self.repository_syncs.iter_mut().find(|sync| sync.id == id) {
            sync.stopped = Some(now);
        }
        Ok(())
    }

    /// What moving repository `id` as `options` ask would do at `now`, or why it is refused.
    pub fn plan_owner_change(
        &self,
        id: Uuid,
        options: &OwnerChangeOptions,
        running_jobs: &[Uuid],
        now: Timestamp,
    ) -> Result<OwnerChangePlan, JobEditError> {
        let repository = self.find(&Id::<BackupRepository>::new(id))?;
        let to = options.target.ok_or_else(|| {
            invalid("Name the backup proxy ('proxyId') or the backup proxy pool ('poolId') to move the repository to.".to_owned())
        })?;
        self.check_owner(to)?;
        let from = repository.owner;
        if to == from {
            return Err(invalid(format!(
                "Backup repository '{}' is already kept there.",
                repository.name
            )));
        }
        let repositories: Vec<&BackupRepository> = if options.include_related {
            self.owned_repositories(*from.id()).collect()
        } else {
            vec![repository]
        };
        for repository in &repositories {
            self.check_repository_idle(repository, now)?;
        }
        let repository_ids: Vec<Uuid> = repositories
            .iter()
            .map(|repository| repository.id)
            .collect();
        let writes_there = |job_id: &Uuid, repository_id: Uuid| {
            running_jobs.contains(job_id) && repository_ids.contains(&repository_id)
        };
        let jobs_to_stop: Vec<Uuid> = self
            .jobs
            .iter()
            .filter(|job| writes_there(&job.id, job.repository_id))
            .map(|job| job.id)
            .chain(
                self.copy_jobs
                    .iter()
                    .filter(|copy_job| writes_there(&copy_job.id, copy_job.repository_id))
                    .map(|copy_job| copy_job.id),
            )
            .collect();
        if let Some(job) = jobs_to_stop.first().and_then(|job| self.runnable(job))
            && !options.force_stop
        {
            return Err(invalid(format!(
                "Job '{}' is writing to the backup repositories. Wait for it to end, or ask to stop it with 'forceStopSessions=true'.",
                job.name
            )));
        }
        Ok(OwnerChangePlan {
            repository_ids,
            from,
            to,
            jobs_to_stop,
        })
    }

    /// Moves the planned repositories at `now`; the session runs for its duration, and a
    /// stop before it ends moves them back.
    pub fn start_owner_change(
        &mut self,
        plan: OwnerChangePlan,
        options: &OwnerChangeOptions,
        session_id: Uuid,
        now: Timestamp,
    ) -> &OwnerChange {
        for repository in self.repositories.iter_mut() {
            if plan.repository_ids.contains(&repository.id) {
                repository.owner = plan.to;
            }
        }
        self.owner_changes.push(OwnerChange {
            id: session_id,
            repository_ids: plan.repository_ids,
            from: plan.from,
            to: plan.to,
            started: now,
            stopped: None,
            wait_minutes: options.wait_minutes,
            force_stop: options.force_stop,
            force_stop_minutes: options.force_stop_minutes,
        });
        self.owner_changes
            .last()
            .expect("the owner change was just pushed")
    }

    /// Stops an owner change that is running at `now`; its repositories go back.
    pub fn stop_owner_change(&mut self, id: Uuid, now: Timestamp) -> Result<(), JobEditError> {
        let change = self.find(&Id::<OwnerChange>::new(id))?;
        if change.status(now) != OwnerChangeStatus::Running {
            return Err(invalid(format!(
                "Change owner session '{id}' is not running."
            )));
        }
        let (repositories, from) = (change.repository_ids.clone(), change.from);
        for repository in self.repositories.iter_mut() {
            if repositories.contains(&repository.id) {
                repository.owner = from;
            }
        }
        if let Some(change) = self.owner_changes.iter_mut().find(|change| change.id == id) {
            change.stopped = Some(now);
        }
        Ok(())
    }
}

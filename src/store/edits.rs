//! Edits the control API makes: put and delete organizations, jobs and sessions, append log items.

use std::sync::Arc;

use uuid::Uuid;

use super::{SessionRecord, World};
use crate::model::{
    BackupRepository, BackupType, DirectoryUser, Group, Id, Job, JobChange, JobItem, JobObject,
    JobSession, Log, NotFound, Organization, OrganizationChange, OrganizationSync, SessionStatus,
    Site, SyncKind, Team, Timestamp,
};

impl World {
    /// Inserts or replaces (by id) an organization.
    pub fn put_organization(&mut self, organization: Organization) {
        match self
            .organizations
            .iter_mut()
            .find(|known| known.id == organization.id)
        {
            Some(known) => *known = organization,
            None => self.organizations.push(organization),
        }
    }

    /// Deletes an organization with everything that belongs to it: its jobs and their
    /// sessions, its licensed users and its restore sessions; repositories given to it are
    /// given to no one.
    pub fn delete_organization(&mut self, id: Uuid) -> bool {
        let before = self.organizations.len();
        self.organizations
            .retain(|organization| organization.id != id);
        if self.organizations.len() == before {
            return false;
        }
        let jobs: Vec<Uuid> = self.organization_jobs(id).map(|job| job.id).collect();
        for job in jobs {
            self.delete_job(job);
        }
        self.licensed_users
            .retain(|user| user.organization_id != id);
        for repository in &mut self.repositories {
            if repository.organization_id == Some(id) {
                repository.organization_id = None;
            }
        }
        self.restore_sessions
            .retain(|session| session.organization_id != id);
        true
    }

    /// Inserts or replaces (by id) a job.
    pub fn put_job(&mut self, job: Job) {
        match self.jobs.iter_mut().find(|known| known.id == job.id) {
            Some(known) => *known = job,
            None => self.jobs.push(job),
        }
    }

    /// Deletes a job and its sessions, with its backup copy job and that job's sessions.
    pub fn delete_job(&mut self, id: Uuid) -> bool {
        let before = self.jobs.len();
        self.jobs.retain(|job| job.id != id);
        if self.jobs.len() == before {
            return false;
        }
        self.retain_sessions(|record| record.session.job_id != id);
        if let Some(copy_job) = self.copy_job_of(id).map(|copy_job| copy_job.id) {
            self.delete_copy_job(copy_job);
        }
        true
    }

    /// Inserts a session with its log, or replaces one: a replacement without log items
    /// keeps the log it had.
    pub fn put_session(&mut self, session: JobSession, log: Option<Log>) {
        let kept_log = self
            .session(&session.id)
            .map(|record| Arc::clone(&record.log));
        let id = session.id;
        self.retain_sessions(|record| record.session.id != id);
        match (log, kept_log) {
            (Some(log), _) => self.add_session(session, log),
            (None, Some(kept)) => self.add_record(session, kept),
            (None, None) => self.add_session(session, Log::default()),
        }
    }

    pub fn delete_session(&mut self, id: Uuid) -> bool {
        let before = self.sessions.len();
        self.retain_sessions(|record| record.session.id != id);
        self.sessions.len() != before
    }

    /// A fresh id for something the control API creates without one.
    pub fn new_id(&mut self) -> Uuid {
        self.next_session_id()
    }

    pub(super) fn retain_sessions(&mut self, keep: impl FnMut(&SessionRecord) -> bool) {
        let before = self.sessions.len();
        self.sessions.retain(keep);
        if self.sessions.len() != before {
            self.reindex_sessions();
        }
    }

    /// Enables or disables a job; a running session is left to finish. `false`: no such job.
    pub fn set_job_enabled(&mut self, job_id: Uuid, enabled: bool) -> bool {
        match self.jobs.iter_mut().find(|job| job.id == job_id) {
            Some(job) => {
                job.is_enabled = enabled;
                true
            }
            None => false,
        }
    }

    /// Whether a run of the job is under way, which refuses edits and deletion.
    pub fn is_job_running(&self, job_id: Uuid) -> bool {
        self.job_sessions(job_id)
            .any(|record| record.session.status == SessionStatus::Running)
    }

    /// Creates a job of `organization_id` with id `id` from `change`, which must name its
    /// name and repository; everything else takes a new job's defaults.
    pub fn create_job(
        &mut self,
        id: Uuid,
        organization_id: Uuid,
        change: JobChange,
    ) -> Result<&Job, JobEditError> {
        self.find(&Id::<Organization>::new(organization_id))?;
        let name = change
            .name
            .clone()
            .ok_or_else(|| JobEditError::Invalid("A new job must have a name.".to_owned()))?;
        let repository_id = change.repository_id.ok_or_else(|| {
            JobEditError::Invalid("A new job must name its backup repository.".to_owned())
        })?;
        let mut job = Job::new(id, organization_id, repository_id, name);
        self.check_job_change(&job, &change)?;
        apply_change(&mut job, change);
        self.jobs.push(job);
        Ok(self.jobs.last().expect("the job was just pushed"))
    }

    /// Edits a job that is not running.
    pub fn edit_job(&mut self, id: Uuid, change: JobChange) -> Result<(), JobEditError> {
        let job = self.find(&Id::<Job>::new(id))?;
        if self.is_job_running(id) {
            return Err(JobEditError::Invalid(format!(
                "Job '{}' is running. Stop the job before editing it.",
                job.name
            )));
        }
        self.check_job_change(job, &change)?;
        let job = self.job_mut(id)?;
        apply_change(job, change);
        job.revision += 1;
        Ok(())
    }

    /// Deletes a job that is not running, with its sessions and its backup copy job (which
    /// must not be running either).
    pub fn delete_stopped_job(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let job = self.find(&Id::<Job>::new(id))?;
        if self.is_job_running(id) {
            return Err(JobEditError::Invalid(format!(
                "Job '{}' is running. Stop the job before deleting it.",
                job.name
            )));
        }
        if let Some(copy_job) = self.copy_job_of(id)
            && self.is_job_running(copy_job.id)
        {
            return Err(JobEditError::Invalid(format!(
                "Backup copy job '{}' of job '{}' is running. Stop it before deleting the job.",
                copy_job.name, job.name
            )));
        }
        self.delete_job(id);
        Ok(())
    }

    /// Adds items to one of a job's lists.
    pub fn add_job_items(
        &mut self,
        id: Uuid,
        excluded: bool,
        items: Vec<JobItem>,
    ) -> Result<(), JobEditError> {
        let mut list = self.find(&Id::<Job>::new(id))?.items(excluded).to_vec();
        list.extend(items);
        self.set_job_items(id, excluded, list)
    }

    /// Replaces item `item_id` of one of a job's lists, keeping its id.
    pub fn replace_job_item(
        &mut self,
        id: Uuid,
        excluded: bool,
        item_id: Uuid,
        item: JobItem,
    ) -> Result<(), JobEditError> {
        let mut list = self.find(&Id::<Job>::new(id))?.items(excluded).to_vec();
        let slot = list
            .iter_mut()
            .find(|known| known.id == item_id)
            .ok_or_else(|| JobEditError::NotFound(Id::<JobItem>::new(item_id).not_found()))?;
        *slot = JobItem {
            id: item_id,
            ..item
        };
        self.set_job_items(id, excluded, list)
    }

    /// Removes the items `ids` from one of a job's lists; every id must name an item.
    pub fn remove_job_items(
        &mut self,
        id: Uuid,
        excluded: bool,
        ids: &[Uuid],
    ) -> Result<(), JobEditError> {
        let list = self.find(&Id::<Job>::new(id))?.items(excluded);
        if let Some(missing) = ids
            .iter()
            .find(|id| !list.iter().any(|item| item.id == **id))
        {
            return Err(JobEditError::NotFound(
                Id::<JobItem>::new(*missing).not_found(),
            ));
        }
        let kept = list
            .iter()
            .filter(|item| !ids.contains(&item.id))
            .cloned()
            .collect();
        self.set_job_items(id, excluded, kept)
    }

    fn set_job_items(
        &mut self,
        id: Uuid,
        excluded: bool,
        items: Vec<JobItem>,
    ) -> Result<(), JobEditError> {
        let change = if excluded {
            JobChange {
                excluded_items: Some(items),
                ..JobChange::default()
            }
        } else {
            JobChange {
                selected_items: Some(items),
                ..JobChange::default()
            }
        };
        self.edit_job(id, change)
    }

    fn job_mut(&mut self, id: Uuid) -> Result<&mut Job, NotFound> {
        self.jobs
            .iter_mut()
            .find(|job| job.id == id)
            .ok_or_else(|| Id::<Job>::new(id).not_found())
    }

    /// What a change may not do: name a repository or an object the world does not have
    /// (or one of another organization), list an object twice, or leave a `SelectedItems`
    /// job with nothing selected.
    fn check_job_change(&self, job: &Job, change: &JobChange) -> Result<(), JobEditError> {
        if let Some(repository_id) = change.repository_id {
            self.find(&Id::<BackupRepository>::new(repository_id))?;
            if let Some(copy_job) = self
                .copy_job_of(job.id)
                .filter(|copy_job| copy_job.repository_id == repository_id)
            {
                return Err(JobEditError::Invalid(format!(
                    "Backup copy job '{}' copies the job's backups to that repository; a job writes to another one.",
                    copy_job.name
                )));
            }
        }
        if let Some(organization_id) = change.organization_id
            && organization_id != job.organization_id
        {
            return Err(JobEditError::Invalid(
                "A job stays with the organization it was created for.".to_owned(),
            ));
        }
        for items in [&change.selected_items, &change.excluded_items]
            .into_iter()
            .flatten()
        {
            let mut seen = std::collections::HashSet::new();
            for item in items {
                if !seen.insert(item.object) {
                    return Err(JobEditError::Invalid(format!(
                        "The item {:?} is listed twice.",
                        item.object
                    )));
                }
                self.check_job_object(job.organization_id, item.object)?;
            }
        }
        let backup_type = change.backup_type.unwrap_or(job.backup_type);
        let selected = change
            .selected_items
            .as_ref()
            .unwrap_or(&job.selected_items);
        if backup_type == BackupType::SelectedItems && selected.is_empty() {
            return Err(JobEditError::Invalid(
                "A job of type SelectedItems must select at least one item.".to_owned(),
            ));
        }
        Ok(())
    }

    /// The object must exist in the organization.
    fn check_job_object(
        &self,
        organization_id: Uuid,
        object: JobObject,
    ) -> Result<(), JobEditError> {
        let (found, missing) = match object {
            JobObject::User(id) | JobObject::OneDriveFolders(id) => (
                self.directory_users
                    .iter()
                    .any(|user| user.id == id && user.organization_id == organization_id),
                Id::<DirectoryUser>::new(id).not_found(),
            ),
            JobObject::Group(id) => (
                self.groups
                    .iter()
                    .any(|group| group.id == id && group.organization_id == organization_id),
                Id::<Group>::new(id).not_found(),
            ),
            JobObject::Site(id) => (
                self.sites
                    .iter()
                    .any(|site| site.id == id && site.organization_id == organization_id),
                Id::<Site>::new(id).not_found(),
            ),
            JobObject::Team(id) => (
                self.teams
                    .iter()
                    .any(|team| team.id == id && team.organization_id == organization_id),
                Id::<Team>::new(id).not_found(),
            ),
            JobObject::PartialOrganization | JobObject::PersonalSites => return Ok(()),
        };
        if found {
            Ok(())
        } else {
            Err(JobEditError::Invalid(format!(
                "{missing} It is not an object of the job's organization."
            )))
        }
    }

    /// Adds an organization from `change`, which must name it; one of the same name is
    /// already there: the service's 400.
    pub fn add_organization(
        &mut self,
        id: Uuid,
        change: OrganizationChange,
    ) -> Result<&Organization, JobEditError> {
        let name = change.name.clone().ok_or_else(|| {
            JobEditError::Invalid(
                "A new organization must have a name or name its Microsoft 365 organization in its settings."
                    .to_owned(),
            )
        })?;
        self.check_organization_name(None, &name)?;
        let mut organization = Organization::new(id, name);
        organization.apply(change);
        self.organizations.push(organization);
        Ok(self
            .organizations
            .last()
            .expect("the organization was just pushed"))
    }

    /// Edits an organization.
    pub fn edit_organization(
        &mut self,
        id: Uuid,
        change: OrganizationChange,
    ) -> Result<(), JobEditError> {
        self.find(&Id::<Organization>::new(id))?;
        if let Some(name) = &change.name {
            self.check_organization_name(Some(id), name)?;
        }
        if let Some(organization) = self.organizations.iter_mut().find(|known| known.id == id) {
            organization.apply(change);
        }
        Ok(())
    }

    /// Removes an organization that no job backs up any more, with its directory, licenses
    /// and restore sessions; one with jobs is refused, as the service refuses it.
    pub fn remove_organization(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let organization = self.find(&Id::<Organization>::new(id))?;
        if let Some(job) = self.organization_jobs(id).next() {
            return Err(JobEditError::Invalid(format!(
                "Organization '{}' is backed up by job '{}'. Remove its jobs before the organization.",
                organization.name, job.name
            )));
        }
        self.delete_organization(id);
        Ok(())
    }

    /// Starts a synchronization of an organization's objects at `now`.
    pub fn sync_organization(
        &mut self,
        id: Uuid,
        kind: SyncKind,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        self.find(&Id::<Organization>::new(id))?;
        if let Some(organization) = self.organizations.iter_mut().find(|known| known.id == id) {
            organization.last_sync = Some(OrganizationSync { kind, started: now });
        }
        Ok(())
    }

    fn check_organization_name(
        &self,
        except: Option<Uuid>,
        name: &str,
    ) -> Result<(), JobEditError> {
        let taken = self.organizations.iter().any(|organization| {
            Some(organization.id) != except && organization.name.eq_ignore_ascii_case(name)
        });
        if taken {
            return Err(JobEditError::Invalid(format!(
                "Organization '{name}' has already been added."
            )));
        }
        Ok(())
    }
}

/// Writes what a change names into a job.
fn apply_change(job: &mut Job, change: JobChange) {
    let JobChange {
        name,
        description,
        backup_type,
        schedule,
        retry,
        backup_window,
        selected_items,
        excluded_items,
        repository_id,
        organization_id: _,
        is_enabled,
    } = change;
    job.name = name.unwrap_or_else(|| std::mem::take(&mut job.name));
    job.description = description.unwrap_or_else(|| std::mem::take(&mut job.description));
    job.backup_type = backup_type.unwrap_or(job.backup_type);
    job.schedule = schedule.unwrap_or(job.schedule);
    job.retry = retry.unwrap_or(job.retry);
    if let Some(window) = backup_window {
        job.backup_window = window;
    }
    if let Some(items) = selected_items {
        job.selected_items = items;
    }
    if let Some(items) = excluded_items {
        job.excluded_items = items;
    }
    job.repository_id = repository_id.unwrap_or(job.repository_id);
    job.is_enabled = is_enabled.unwrap_or(job.is_enabled);
}

/// Why a job edit was refused: an id that names nothing (404), or a change the service
/// refuses (400, with its reason).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobEditError {
    #[error(transparent)]
    NotFound(#[from] NotFound),
    #[error("{0}")]
    Invalid(String),
}

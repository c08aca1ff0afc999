//! Backup copy jobs in the world: lookups, what their sessions say of them, what the
//! engine runs, and the writes that create, edit and remove them. A refused write changes
//! nothing.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    BackupRepository, CopyJob, CopyJobChange, CopyJobView, Id, Job, JobKind, Scenario,
};

/// A job the engine can run: a backup job or a backup copy job, as the engine needs it.
#[derive(Debug, Clone, Copy)]
pub struct Runnable<'a> {
    pub name: &'a str,
    pub is_enabled: bool,
    pub scenario: Scenario,
    pub kind: JobKind,
    /// The organization whose data the run moves.
    pub organization_id: Uuid,
    /// Where the run writes: a backup job's repository, a copy job's target.
    pub repository_id: Uuid,
}

fn invalid(message: String) -> JobEditError {
    JobEditError::Invalid(message)
}

impl World {
    pub fn copy_job(&self, id: &Uuid) -> Option<&CopyJob> {
        self.copy_jobs.iter().find(|copy_job| copy_job.id == *id)
    }

    /// The copy job of a backup job: a backup job has at most one.
    pub fn copy_job_of(&self, backup_job_id: Uuid) -> Option<&CopyJob> {
        self.copy_jobs
            .iter()
            .find(|copy_job| copy_job.backup_job_id == backup_job_id)
    }

    /// The kind of the job (or copy job) with id `id`, if the world has it.
    pub fn job_kind(&self, id: &Uuid) -> Option<JobKind> {
        if self.job(id).is_some() {
            Some(JobKind::Backup)
        } else {
            self.copy_job(id).map(|_| JobKind::Copy)
        }
    }

    /// The backup job or copy job `id` as the engine runs it.
    pub fn runnable(&self, id: &Uuid) -> Option<Runnable<'_>> {
        if let Some(job) = self.job(id) {
            return Some(Runnable {
                name: &job.name,
                is_enabled: job.is_enabled,
                scenario: job.scenario,
                kind: JobKind::Backup,
                organization_id: job.organization_id,
                repository_id: job.repository_id,
            });
        }
        let copy_job = self.copy_job(id)?;
        let backup_job = self.job(&copy_job.backup_job_id)?;
        Some(Runnable {
            name: &copy_job.name,
            is_enabled: copy_job.is_enabled,
            scenario: copy_job.scenario,
            kind: JobKind::Copy,
            organization_id: backup_job.organization_id,
            repository_id: copy_job.repository_id,
        })
    }

    /// What a run of the job (or copy job) `id` processes, in order: a copy job copies what
    /// its backup job backs up.
    pub fn run_objects(&self, id: &Uuid) -> Vec<(&'static str, String)> {
        let job = match self.copy_job(id) {
            Some(copy_job) => self.job(&copy_job.backup_job_id),
            None => self.job(id),
        };
        job.map(|job| self.job_objects(job)).unwrap_or_default()
    }

    /// A copy job with what its sessions say of it at `now`.
    pub fn copy_job_view<'a>(
        &'a self,
        copy_job: &'a CopyJob,
        now: DateTime<Utc>,
    ) -> CopyJobView<'a> {
        CopyJobView {
            copy_job,
            summary: self.run_summary(
                copy_job.id,
                copy_job.is_enabled,
                |after| copy_job.schedule.next_after(after),
                now,
            ),
            last_backup: self.last_restore_point(copy_job.id),
            organization_id: self
                .job(&copy_job.backup_job_id)
                .map(|job| &job.organization_id),
        }
    }

    /// Creates copy job `id` from `change`, which must name the backup job and the
    /// repository to copy to; everything else takes a new copy job's defaults.
    pub fn create_copy_job(
        &mut self,
        id: Uuid,
        change: CopyJobChange,
    ) -> Result<&CopyJob, JobEditError> {
        let backup_job_id = change.backup_job_id.ok_or_else(|| {
            invalid("A backup copy job must name its backup job in 'backupJobId'.".to_owned())
        })?;
        let backup_job = self.backup_job_to_copy(backup_job_id)?;
        if let Some(copy_job) = self.copy_job_of(backup_job_id) {
            return Err(invalid(format!(
                "Job '{}' already has a backup copy job ('{}').",
                backup_job.name, copy_job.name
            )));
        }
        let repository_id = change.repository_id.ok_or_else(|| {
            invalid(
                "A backup copy job must name the repository to copy to in 'repositoryId'."
                    .to_owned(),
            )
        })?;
        self.check_copy_change(backup_job, &change)?;
        self.check_copy_target(backup_job, repository_id)?;
        let mut copy_job = CopyJob::new(id, backup_job_id, repository_id, &backup_job.name);
        apply_change(&mut copy_job, change);
        self.copy_jobs.push(copy_job);
        Ok(self.copy_jobs.last().expect("the copy job was just pushed"))
    }

    /// Edits a copy job that is not running.
    pub fn edit_copy_job(&mut self, id: Uuid, change: CopyJobChange) -> Result<(), JobEditError> {
        let copy_job = self.find(&Id::<CopyJob>::new(id))?;
        if self.is_job_running(id) {
            return Err(invalid(format!(
                "Backup copy job '{}' is running. Stop the job before editing it.",
                copy_job.name
            )));
        }
        if change
            .backup_job_id
            .is_some_and(|backup_job| backup_job != copy_job.backup_job_id)
        {
            return Err(invalid(
                "A backup copy job stays with the backup job it was created for.".to_owned(),
            ));
        }
        let backup_job = self.backup_job_to_copy(copy_job.backup_job_id)?;
        self.check_copy_change(backup_job, &change)?;
        if let Some(repository_id) = change.repository_id {
            self.check_copy_target(backup_job, repository_id)?;
        }
        if let Some(copy_job) = self.copy_jobs.iter_mut().find(|known| known.id == id) {
            apply_change(copy_job, change);
            copy_job.revision += 1;
        }
        Ok(())
    }

    /// Deletes a copy job that is not running, with its sessions.
    pub fn delete_stopped_copy_job(&mut self, id: Uuid) -> Result<(), JobEditError> {
        let copy_job = self.find(&Id::<CopyJob>::new(id))?;
        if self.is_job_running(id) {
            return Err(invalid(format!(
                "Backup copy job '{}' is running. Stop the job before deleting it.",
                copy_job.name
            )));
        }
        self.delete_copy_job(id);
        Ok(())
    }

    /// Deletes a copy job and its sessions. `false`: no such copy job.
    pub fn delete_copy_job(&mut self, id: Uuid) -> bool {
        let before = self.copy_jobs.len();
        self.copy_jobs.retain(|copy_job| copy_job.id != id);
        if self.copy_jobs.len() == before {
            return false;
        }
        self.retain_sessions(|record| record.session.job_id != id);
        true
    }

    /// Enables or disables a copy job; a running session is left to finish. `false`: no
    /// such copy job.
    pub fn set_copy_job_enabled(&mut self, id: Uuid, enabled: bool) -> bool {
        match self.copy_jobs.iter_mut().find(|copy_job| copy_job.id == id) {
            Some(copy_job) => {
                copy_job.is_enabled = enabled;
                true
            }
            None => false,
        }
    }

    /// The backup job a copy job is to copy: an id in a body that names nothing is the
    /// client's 400, as the service answers it.
    fn backup_job_to_copy(&self, id: Uuid) -> Result<&Job, JobEditError> {
        self.job(&id)
            .ok_or_else(|| invalid(Id::<Job>::new(id).not_found().to_string()))
    }

    /// A change names the organization of the backup job, if any.
    fn check_copy_change(
        &self,
        backup_job: &Job,
        change: &CopyJobChange,
    ) -> Result<(), JobEditError> {
        if let Some(organization_id) = change.organization_id
            && organization_id != backup_job.organization_id
        {
            return Err(invalid(format!(
                "Job '{}' backs up another organization than '{organization_id}'.",
                backup_job.name
            )));
        }
        Ok(())
    }

    /// A copy goes to a repository the world has, other than the one the backup job
    /// writes to, that keeps its data in object storage.
    fn check_copy_target(&self, backup_job: &Job, repository_id: Uuid) -> Result<(), JobEditError> {
        let repository = self.repository(&repository_id).ok_or_else(|| {
            invalid(
                Id::<BackupRepository>::new(repository_id)
                    .not_found()
                    .to_string(),
            )
        })?;
        if repository_id == backup_job.repository_id {
            return Err(invalid(format!(
                "Job '{}' writes to backup repository '{}': a backup copy job copies to another repository.",
                backup_job.name, repository.name
            )));
        }
        if repository.object_storage_id.is_none() {
            return Err(invalid(format!(
                "Backup repository '{}' keeps no object storage: a backup copy job copies to an object storage repository.",
                repository.name
            )));
        }
        Ok(())
    }
}

/// Writes what a change names into a copy job.
fn apply_change(copy_job: &mut CopyJob, change: CopyJobChange) {
    let CopyJobChange {
        name,
        backup_job_id: _,
        repository_id,
        organization_id: _,
        schedule,
        copy_window,
        is_enabled,
    } = change;
    if let Some(name) = name {
        copy_job.name = name;
    }
    copy_job.repository_id = repository_id.unwrap_or(copy_job.repository_id);
    copy_job.schedule = schedule.unwrap_or(copy_job.schedule);
    if let Some(window) = copy_window {
        copy_job.copy_window = window;
    }
    copy_job.is_enabled = is_enabled.unwrap_or(copy_job.is_enabled);
}

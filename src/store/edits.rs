//! Edits the control API makes: put and delete organizations, jobs and sessions, append log items.

use std::sync::Arc;

use uuid::Uuid;

use super::{SessionRecord, World};
use crate::model::{Job, JobSession, Log, Organization};

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
    /// sessions, its licensed users and its restore sessions.
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

    /// Deletes a job and its sessions.
    pub fn delete_job(&mut self, id: Uuid) -> bool {
        let before = self.jobs.len();
        self.jobs.retain(|job| job.id != id);
        if self.jobs.len() == before {
            return false;
        }
        self.retain_sessions(|record| record.session.job_id != id);
        true
    }

    /// Inserts a session with its log, or replaces one: a replacement without log items
    /// keeps the log it had.
    pub fn put_session(&mut self, session: JobSession, log: Option<Log>) {
        let kept_log = self
            .session_index
            .get(&session.id)
            .map(|&position| Arc::clone(&self.sessions[position].log));
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

    fn retain_sessions(&mut self, keep: impl FnMut(&SessionRecord) -> bool) {
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
}

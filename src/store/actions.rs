//! Job actions: start, stop, enable and disable, as `POST /Jobs/{id}/Action` asks for them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::World;
use crate::model::{
    Bottleneck, JobSession, LogItem, Scenario, SessionStatistics, SessionStatus, Severity,
    us_general_time,
};

/// Why a job action was refused; the service answers each with 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobActionError {
    #[error("Job with id '{0}' was not found.")]
    UnknownJob(Uuid),
    #[error("Job '{0}' is disabled. Enable the job before starting it.")]
    Disabled(String),
    #[error("Job '{0}' is already running.")]
    AlreadyRunning(String),
    #[error("Job '{0}' is not running.")]
    NotRunning(String),
}

impl World {
    /// Starts a job: a new Running session whose first log item says so, which the engine
    /// then runs by `scenario` (the job's own when `None`). Returns the session's id.
    pub fn start_job(
        &mut self,
        job_id: Uuid,
        now: DateTime<Utc>,
        scenario: Option<Scenario>,
    ) -> Result<Uuid, JobActionError> {
        let job = self
            .job(&job_id)
            .ok_or(JobActionError::UnknownJob(job_id))?;
        if !job.is_enabled {
            return Err(JobActionError::Disabled(job.name.clone()));
        }
        if self.running_session_of(job_id).is_some() {
            return Err(JobActionError::AlreadyRunning(job.name.clone()));
        }
        let scenario = scenario.unwrap_or(job.scenario);
        let local = now.with_timezone(&self.server_offset);
        let session = JobSession {
            id: self.next_session_id(),
            job_id,
            creation_time: now.fixed_offset(),
            end_time: None,
            progress: 0,
            status: SessionStatus::Running,
            statistics: SessionStatistics::for_transfer(
                0,
                0,
                0,
                chrono::TimeDelta::zero(),
                Bottleneck::Detecting,
            ),
        };
        let started = LogItem::new(
            self.next_id(),
            1,
            Severity::Success,
            format!("Job started at {}", us_general_time(&local)),
            local,
            local,
        );
        let session_id = session.id;
        self.add_session(session, vec![started]);
        self.begin_run(session_id, job_id, scenario, now);
        Ok(session_id)
    }

    /// Stops the running session of a job: it ends Stopped, with a log item saying so.
    pub fn stop_job(&mut self, job_id: Uuid, now: DateTime<Utc>) -> Result<Uuid, JobActionError> {
        let job = self
            .job(&job_id)
            .ok_or(JobActionError::UnknownJob(job_id))?;
        let name = job.name.clone();
        let session_id = self
            .running_session_of(job_id)
            .ok_or(JobActionError::NotRunning(name))?;
        let local = now.with_timezone(&self.server_offset);
        let item_id = self.next_id();
        let record = self
            .session_mut(&session_id)
            .ok_or(JobActionError::UnknownJob(job_id))?;
        let usn = record.log.last().map_or(1, |item| item.usn + 1);
        std::sync::Arc::make_mut(&mut record.log).push(LogItem::new(
            item_id,
            usn,
            Severity::Warning,
            format!("Job stopped by user at {}", us_general_time(&local)),
            local,
            local,
        ));
        record.session.status = SessionStatus::Stopped;
        record.session.end_time = Some(now.fixed_offset());
        self.sim.forget(session_id);
        Ok(session_id)
    }

    /// Enables or disables a job; a running session is left to finish.
    pub fn set_job_enabled(&mut self, job_id: Uuid, enabled: bool) -> Result<(), JobActionError> {
        let job = self
            .jobs
            .iter_mut()
            .find(|job| job.id == job_id)
            .ok_or(JobActionError::UnknownJob(job_id))?;
        job.is_enabled = enabled;
        Ok(())
    }

    fn running_session_of(&self, job_id: Uuid) -> Option<Uuid> {
        self.job_sessions(job_id)
            .find(|record| record.session.status == SessionStatus::Running)
            .map(|record| record.session.id)
    }
}

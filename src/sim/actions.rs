//! Starting and stopping a job (a backup job or a backup copy job): a new Running session
//! the engine drives, or the end of one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{RetryOf, Runs, begin_run};
use crate::model::{
    Bottleneck, JobSession, Log, NewLogItem, Scenario, SessionRetry, SessionStatistics,
    SessionStatus, Severity, us_general_time,
};
use crate::store::World;

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

/// Starts a job: a new Running session whose first log item says so, which the engine
/// then runs by `scenario` (the job's own when `None`). Returns the session's id.
pub fn start_job(
    world: &mut World,
    runs: &mut Runs,
    job_id: Uuid,
    now: DateTime<Utc>,
    scenario: Option<Scenario>,
) -> Result<Uuid, JobActionError> {
    start_run(world, runs, job_id, now, scenario, None)
}

/// Starts a run of a job as `start_job` does; a retry run names the main session it retries
/// and which retry it is.
pub(super) fn start_run(
    world: &mut World,
    runs: &mut Runs,
    job_id: Uuid,
    now: DateTime<Utc>,
    scenario: Option<Scenario>,
    retry_of: Option<RetryOf>,
) -> Result<Uuid, JobActionError> {
    let job = world
        .runnable(&job_id)
        .ok_or(JobActionError::UnknownJob(job_id))?;
    if !job.is_enabled {
        return Err(JobActionError::Disabled(job.name.to_owned()));
    }
    if running_session_of(world, job_id).is_some() {
        return Err(JobActionError::AlreadyRunning(job.name.to_owned()));
    }
    let scenario = scenario.unwrap_or(job.scenario);
    let local = now.with_timezone(&world.server_offset);
    let session = JobSession {
        id: world.next_session_id(),
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
        retry: SessionRetry {
            main_session_id: retry_of.map(|retry_of| retry_of.main_session_id),
            retry_count: retry_of.map_or(0, |retry_of| retry_of.count),
            will_be_retried: false,
        },
    };
    let mut log = Log::default();
    log.push(NewLogItem {
        id: world.next_id(),
        usn: 1,
        severity: Severity::Success,
        message: &format!("Job started at {}", us_general_time(&local)),
        creation_time: local,
        end_time: local,
    });
    let session_id = session.id;
    world.add_session(session, log);
    begin_run(world, runs, session_id, job_id, scenario, now, retry_of);
    Ok(session_id)
}

/// Stops the running session of a job: it ends Stopped, with a log item saying so.
pub fn stop_job(
    world: &mut World,
    runs: &mut Runs,
    job_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, JobActionError> {
    let job = world
        .runnable(&job_id)
        .ok_or(JobActionError::UnknownJob(job_id))?;
    let name = job.name.to_owned();
    let session_id = running_session_of(world, job_id).ok_or(JobActionError::NotRunning(name))?;
    let local = now.with_timezone(&world.server_offset);
    let item_id = world.next_id();
    let record = world
        .session_mut(&session_id)
        .ok_or(JobActionError::UnknownJob(job_id))?;
    let log = record.log_mut();
    log.push(NewLogItem {
        id: item_id,
        usn: log.last_usn().map_or(1, |usn| usn + 1),
        severity: Severity::Warning,
        message: &format!("Job stopped by user at {}", us_general_time(&local)),
        creation_time: local,
        end_time: local,
    });
    record.session.status = SessionStatus::Stopped;
    record.session.end_time = Some(now.fixed_offset());
    runs.forget(session_id);
    Ok(session_id)
}

fn running_session_of(world: &World, job_id: Uuid) -> Option<Uuid> {
    world
        .job_sessions(job_id)
        .find(|record| record.session.status == SessionStatus::Running)
        .map(|record| record.session.id)
}

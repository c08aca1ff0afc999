//! The engine that makes the world move: scheduled starts, running sessions that process
//! their objects one log item at a time, and retries of failed runs. Time moves lazily: the
//! world is brought up to the clock when a request arrives and something is due.

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use uuid::Uuid;

use crate::model::{
    Bottleneck, LogItem, Outcome, Scenario, SessionStatistics, SessionStatus, Severity, Timestamp,
    us_general_time,
};
use crate::store::World;

/// A session the engine is running.
#[derive(Debug, Clone)]
pub struct Run {
    pub session_id: Uuid,
    pub job_id: Uuid,
    objects: Vec<String>,
    /// 0: connect, 1: enumerate, then one step per object.
    step: usize,
    warned: usize,
    fail_at: Option<usize>,
    pace: TimeDelta,
    stuck: bool,
    retries_left: u32,
    scenario: Scenario,
    /// When the next step happens; `None` for a stuck run.
    next_at: Option<DateTime<Utc>>,
    last_end: DateTime<Utc>,
    started: DateTime<Utc>,
    bytes: u64,
    items: u64,
    processed: u64,
}

/// A retry run waiting for its time.
#[derive(Debug, Clone)]
struct PendingRetry {
    job_id: Uuid,
    at: DateTime<Utc>,
    scenario: Scenario,
}

/// The engine's state, kept in the world so that one lock guards both.
#[derive(Debug, Clone, Default)]
pub struct Simulation {
    runs: Vec<Run>,
    retries: Vec<PendingRetry>,
    /// Up to when the world has been moved; `None` until the first request, so a world
    /// never replays the time before the emulator served it.
    simulated_until: Option<DateTime<Utc>>,
}

impl Simulation {
    /// Whether any run would be cut short or replayed by moving time back.
    pub fn has_runs(&self) -> bool {
        !self.runs.is_empty() || !self.retries.is_empty()
    }

    pub fn running_sessions(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.runs.iter().map(|run| run.session_id)
    }

    pub fn forget(&mut self, session_id: Uuid) {
        self.runs.retain(|run| run.session_id != session_id);
    }
}

/// Seconds between the first steps of a run (connecting, enumerating).
const SETUP_STEP: TimeDelta = TimeDelta::seconds(2);
/// How long after a failed run its retry starts (the service's default retry wait).
const RETRY_WAIT: TimeDelta = TimeDelta::minutes(10);

impl World {
    /// Starts driving a session that has just been created Running.
    pub(crate) fn begin_run(
        &mut self,
        session_id: Uuid,
        job_id: Uuid,
        scenario: Scenario,
        at: DateTime<Utc>,
    ) {
        let Some(job) = self.job(&job_id) else {
            return;
        };
        let organization_id = job.organization_id;
        let mut objects: Vec<String> = self
            .organization_licensed_users(organization_id)
            .map(|user| user.name.clone())
            .collect();
        if objects.is_empty() {
            let office = self
                .organization(&organization_id)
                .map_or("organization", |organization| {
                    organization.office_name.as_str()
                });
            objects.push(format!("admin@{office}.onmicrosoft.com"));
        }
        let outcome = match scenario.outcome {
            Outcome::Weighted => match self.rng.random_range(0..100) {
                0..85 => Outcome::Success,
                85..95 => Outcome::Warning,
                _ => Outcome::Failure,
            },
            explicit => explicit,
        };
        let count = objects.len();
        let per_minute = i64::from(scenario.objects_per_minute.max(1));
        self.sim.runs.push(Run {
            session_id,
            job_id,
            warned: if outcome == Outcome::Warning {
                (scenario.warning_objects as usize).clamp(1, count)
            } else {
                0
            },
            fail_at: (outcome == Outcome::Failure)
                .then(|| (scenario.fail_at as usize).clamp(1, count) - 1),
            objects,
            step: 0,
            pace: TimeDelta::milliseconds(60_000 / per_minute),
            stuck: scenario.stuck,
            retries_left: scenario.retries,
            scenario,
            next_at: Some(at + SETUP_STEP),
            last_end: at,
            started: at,
            bytes: 0,
            items: 0,
            processed: 0,
        });
    }
}

/// Brings the world up to `now`: every scheduled start, run step and retry due by then
/// happens, in time order. Returns when the next thing is due, if anything is.
pub fn advance(world: &mut World, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let Some(mut cursor) = world.sim.simulated_until else {
        world.sim.simulated_until = Some(now);
        return next_event(world, now);
    };
    while let Some(at) = next_event(world, cursor).filter(|at| *at <= now) {
        for index in 0..world.sim.runs.len() {
            if world.sim.runs.get(index).and_then(|run| run.next_at) == Some(at) {
                step(world, index, at);
            }
        }
        world
            .sim
            .runs
            .retain(|run| run.next_at.is_some() || run.stuck);
        let due: Vec<PendingRetry> = world
            .sim
            .retries
            .iter()
            .filter(|retry| retry.at == at)
            .cloned()
            .collect();
        world.sim.retries.retain(|retry| retry.at != at);
        for retry in due {
            let _ = world.start_job(retry.job_id, at, Some(retry.scenario));
        }
        for job_id in jobs_scheduled_at(world, cursor, at) {
            let _ = world.start_job(job_id, at, None);
        }
        cursor = at;
    }
    world.sim.simulated_until = Some(cursor.max(now));
    next_event(world, now)
}

/// Enabled jobs that are not running and whose schedule has a start after `after`.
fn scheduled(
    world: &World,
    after: DateTime<Utc>,
) -> impl Iterator<Item = (Uuid, DateTime<Utc>)> + '_ {
    let local = after.with_timezone(&world.server_offset);
    world
        .jobs
        .iter()
        .filter(|job| job.is_enabled && !world.sim.runs.iter().any(|run| run.job_id == job.id))
        .filter_map(move |job| {
            job.schedule
                .next_after(&local)
                .map(|at| (job.id, at.to_utc()))
        })
}

fn jobs_scheduled_at(world: &World, after: DateTime<Utc>, at: DateTime<Utc>) -> Vec<Uuid> {
    scheduled(world, after)
        .filter(|(_, start)| *start == at)
        .map(|(job_id, _)| job_id)
        .collect()
}

fn next_event(world: &World, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let runs = world.sim.runs.iter().filter_map(|run| run.next_at);
    let retries = world.sim.retries.iter().map(|retry| retry.at);
    let schedules = scheduled(world, after).map(|(_, at)| at);
    runs.chain(retries).chain(schedules).min()
}

/// One step of run `index` at `at`: connect, enumerate, or process the next object; the
/// last object (or the failing one) ends the session.
fn step(world: &mut World, index: usize, at: DateTime<Utc>) {
    let offset = world.server_offset;
    let local = |time: DateTime<Utc>| -> Timestamp { time.with_timezone(&offset) };
    let object_bytes = world.rng.random_range(1_000_000..40_000_000u64);
    let object_items = world.rng.random_range(20..600u64);
    let ids = [world.next_id(), world.next_id()];
    let run = &mut world.sim.runs[index];
    let count = run.objects.len();
    let mut items: Vec<(Severity, String, DateTime<Utc>)> = Vec::new();
    let mut ended: Option<SessionStatus> = None;
    match run.step {
        0 => items.push((
            Severity::Success,
            "Connected to organization".to_owned(),
            run.started,
        )),
        1 => items.push((
            Severity::Success,
            format!("{count} mailboxes found"),
            run.started,
        )),
        step => {
            let object = step - 2;
            let action = format!("Processing mailbox: {}", run.objects[object]);
            if run.fail_at == Some(object) {
                let message = format!("{action}: the connection to the server was lost");
                items.push((Severity::Failed, message, run.last_end));
                ended = Some(SessionStatus::Failed);
            } else {
                let severity = if object < run.warned {
                    Severity::Warning
                } else {
                    Severity::Success
                };
                let message = if severity == Severity::Warning {
                    format!("{action} (2 items were skipped: the item size exceeds the limit)")
                } else {
                    action
                };
                items.push((severity, message, run.last_end));
                run.processed += 1;
                run.bytes += object_bytes;
                run.items += object_items;
                if object + 1 == count {
                    ended = Some(if run.warned > 0 {
                        SessionStatus::Warning
                    } else {
                        SessionStatus::Success
                    });
                }
            }
        }
    }
    run.step += 1;
    run.last_end = at;
    run.next_at = match (ended, run.stuck && run.step >= 2) {
        (Some(_), _) | (None, true) => None,
        (None, false) => Some(at + if run.step < 2 { SETUP_STEP } else { run.pace }),
    };
    let run = run.clone();
    if let Some(status) = ended {
        let wording = match status {
            SessionStatus::Warning => (Severity::Warning, "Job finished with warnings at"),
            SessionStatus::Failed => (Severity::Failed, "Job finished with errors at"),
            _ => (Severity::Success, "Job finished at"),
        };
        items.push((
            wording.0,
            format!("{} {}", wording.1, us_general_time(&local(at))),
            at,
        ));
        if status == SessionStatus::Failed && run.retries_left > 0 {
            let mut scenario = run.scenario;
            scenario.retries = run.retries_left - 1;
            world.sim.retries.push(PendingRetry {
                job_id: run.job_id,
                at: at + RETRY_WAIT,
                scenario,
            });
        }
    }
    let Some(record) = world.session_mut(&run.session_id) else {
        return;
    };
    let log = std::sync::Arc::make_mut(&mut record.log);
    for ((severity, message, started), id) in items.into_iter().zip(ids) {
        let usn = log.last().map_or(1, |item| item.usn + 1);
        log.push(LogItem::new(
            id,
            usn,
            severity,
            message,
            local(started),
            local(at),
        ));
    }
    let session = &mut record.session;
    let bottleneck = if run.step > 2 {
        Bottleneck::Source
    } else {
        Bottleneck::Detecting
    };
    session.statistics = SessionStatistics::for_transfer(
        run.bytes,
        run.processed,
        run.items,
        at - run.started,
        bottleneck,
    );
    let total_steps = (count + 2) as u64;
    session.progress = u8::try_from(run.step as u64 * 100 / total_steps)
        .unwrap_or(99)
        .min(99);
    if let Some(status) = ended {
        session.status = status;
        session.progress = 100;
        session.end_time = Some(at.fixed_offset());
    }
}

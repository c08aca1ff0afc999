//! The engine that makes the world move: scheduled starts, running sessions that process
//! their objects one log item at a time, and retries of failed runs, brought up to the clock
//! in bounded increments whenever something is due.

use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use uuid::Uuid;

use crate::model::{
    Bottleneck, CopySchedule, JobKind, NewLogItem, Outcome, RunTrouble, Scenario,
    SessionStatistics, SessionStatus, Severity, Timestamp, us_general_time,
};
use crate::store::{Store, World};

mod actions;

use actions::start_run;
pub use actions::{JobActionError, start_job, stop_job};

/// A session the engine is running.
#[derive(Debug, Clone)]
pub struct Run {
    pub session_id: Uuid,
    pub job_id: Uuid,
    /// The main session of a retry run and which retry it is; none for a main run.
    retry_of: Option<RetryOf>,
    /// A backup job's run, or a copy job's.
    kind: JobKind,
    /// What the run processes, each with what it is (`mailbox`, `site`, ...).
    objects: Vec<(&'static str, String)>,
    /// 0: connect, 1: enumerate, then one step per object.
    step: usize,
    warned: usize,
    fail_at: Option<usize>,
    /// What a trouble scenario does to the run, fixed when it starts.
    trouble: Option<RunTrouble>,
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
    retry_of: RetryOf,
    at: DateTime<Utc>,
    scenario: Scenario,
}

/// What a retry run retries: the session whose failure the retries follow (the first run,
/// however many retries failed after it), and which retry it is, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RetryOf {
    main_session_id: Uuid,
    count: u32,
}

/// The engine's state: the runs it drives and how far it has moved the world.
#[derive(Debug, Clone, Default)]
pub struct Runs {
    runs: Vec<Run>,
    retries: Vec<PendingRetry>,
    /// Up to when the world has been moved; `None` until the first request, so a world
    /// never replays the time before the emulator served it.
    simulated_until: Option<DateTime<Utc>>,
}

impl Runs {
    /// Whether any run would be cut short or replayed by moving time back.
    pub fn is_busy(&self) -> bool {
        !self.runs.is_empty() || !self.retries.is_empty()
    }

    fn forget(&mut self, session_id: Uuid) {
        self.runs.retain(|run| run.session_id != session_id);
    }

    /// Drops the runs whose sessions a change of the world removed.
    fn prune(&mut self, world: &World) {
        self.runs
            .retain(|run| world.session(&run.session_id).is_some());
    }
}

/// The engine: the state of its runs, under a lock that is only ever taken inside the
/// world's write lock, so it is never contended and the two always change together.
#[derive(Debug, Default)]
pub struct Engine {
    runs: Mutex<Runs>,
}

impl Engine {
    /// Moves the world up to `now` if anything is due by then, one [`INCREMENT`] per hold
    /// of the write lock so that requests run in between; an idle world costs one atomic load.
    pub fn catch_up(&self, store: &Store, now: DateTime<Utc>) {
        // The replay is at most REPLAYED_SPAN long, so this many increments always get there.
        for _ in 0..MOST_INCREMENTS {
            if !self.catch_up_increment(store, now) {
                return;
            }
        }
    }

    /// Moves the world at most one [`INCREMENT`] toward `now`; whether more is due by then.
    pub fn catch_up_increment(&self, store: &Store, now: DateTime<Utc>) -> bool {
        if !store.is_due(now) {
            return false;
        }
        store.advance(|world| advance(world, &mut self.lock(), now));
        store.is_due(now)
    }

    /// Runs `change` on the world and the engine's runs together, under the world's lock.
    pub fn with_world<R>(
        &self,
        store: &Store,
        change: impl FnOnce(&mut World, &mut Runs) -> R,
    ) -> R {
        store.write(|world| change(world, &mut self.lock()))
    }

    /// Replaces the world; the runs of the old one end with it.
    pub fn replace_world(&self, store: &Store, world: World) {
        self.with_world(store, |current, runs| {
            *current = world;
            *runs = Runs::default();
        });
    }

    /// Whether moving time back would cut short or replay a run.
    pub fn is_busy(&self, store: &Store) -> bool {
        store.read(|world| {
            let mut runs = self.lock();
            runs.prune(world);
            runs.is_busy()
        })
    }

    fn lock(&self) -> MutexGuard<'_, Runs> {
        self.runs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The longest stretch of virtual time one catch-up replays: a clock moved further at once
/// replays only its last week, so the work of a jump, and what it adds to the world, is
/// bounded whatever the jump (a year ahead costs what a week does).
pub const REPLAYED_SPAN: TimeDelta = TimeDelta::days(7);
/// The most virtual time one hold of the world's write lock replays.
pub const INCREMENT: TimeDelta = TimeDelta::hours(1);
/// The increments of the longest replay, and the one that finds nothing left due.
pub const MOST_INCREMENTS: usize = 7 * 24 + 2;
/// Seconds between the first steps of a run (connecting, enumerating).
const SETUP_STEP: TimeDelta = TimeDelta::seconds(2);
/// How long after a failed run its retry starts (the service's default retry wait).
const RETRY_WAIT: TimeDelta = TimeDelta::minutes(10);

/// Starts driving a session that has just been created Running.
fn begin_run(
    world: &mut World,
    runs: &mut Runs,
    session_id: Uuid,
    job_id: Uuid,
    scenario: Scenario,
    at: DateTime<Utc>,
    retry_of: Option<RetryOf>,
) {
    let Some(runnable) = world.runnable(&job_id) else {
        return;
    };
    let (organization_id, kind) = (runnable.organization_id, runnable.kind);
    let trouble = world.run_trouble(
        &job_id,
        runnable.name,
        &runnable.repository_id,
        at.fixed_offset(),
    );
    let mut objects = world.run_objects(&job_id);
    if objects.is_empty() {
        let office = world
            .organization(&organization_id)
            .map_or("organization", |organization| {
                organization.office_name.as_str()
            });
        objects.push(("mailbox", format!("admin@{office}.onmicrosoft.com")));
    }
    let outcome = match scenario.outcome {
        Outcome::Weighted => match world.rng.random_range(0..100) {
            0..85 => Outcome::Success,
            85..95 => Outcome::Warning,
            _ => Outcome::Failure,
        },
        explicit => explicit,
    };
    let count = objects.len();
    let per_minute = i64::from(scenario.objects_per_minute.max(1));
    runs.runs.push(Run {
        session_id,
        job_id,
        retry_of,
        kind,
        warned: if outcome == Outcome::Warning {
            (scenario.warning_objects as usize).clamp(1, count)
        } else {
            0
        },
        fail_at: match &trouble {
            Some(RunTrouble::FailOnFirstObject(_)) => Some(0),
            _ => (outcome == Outcome::Failure)
                .then(|| (scenario.fail_at as usize).clamp(1, count) - 1),
        },
        objects,
        step: 0,
        pace: TimeDelta::milliseconds(60_000 / per_minute),
        stuck: scenario.stuck || trouble == Some(RunTrouble::Stuck),
        trouble,
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

/// Brings the world up to `now`, at most [`INCREMENT`] of it: every scheduled start, run
/// step and retry due by then happens, in time order. Returns when the next thing is due,
/// if anything is; where it stopped, when it stopped short of `now`.
pub fn advance(world: &mut World, runs: &mut Runs, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    runs.prune(world);
    let Some(mut cursor) = runs.simulated_until else {
        runs.simulated_until = Some(now);
        return next_event(world, runs, now);
    };
    if now - cursor > REPLAYED_SPAN {
        // As a server that was off: starts scheduled in the skipped time never happen, what
        // was running ends as it would have, and only the last span is replayed.
        cursor = now - REPLAYED_SPAN;
        world.finish_restores(cursor.fixed_offset());
    }
    let until = cursor
        .checked_add_signed(INCREMENT)
        .map_or(now, |step_end| step_end.min(now));
    while let Some(at) = next_event(world, runs, cursor).filter(|at| *at <= until) {
        world.finish_restores(at.fixed_offset());
        // Backup jobs whose run left a restore point now: their immediate copies start.
        let mut restore_points = Vec::new();
        for index in 0..runs.runs.len() {
            let run = &mut runs.runs[index];
            if run.next_at == Some(at) {
                let draws = Draws {
                    object_bytes: world.rng.random_range(1_000_000..40_000_000u64),
                    object_items: world.rng.random_range(20..600u64),
                    ids: [world.next_id(), world.next_id()],
                };
                let step = run.step_at(at, draws.object_bytes, draws.object_items);
                let backed_up = matches!(
                    step.ended,
                    Some(SessionStatus::Success | SessionStatus::Warning)
                );
                if backed_up && run.kind == JobKind::Backup {
                    restore_points.push(run.job_id);
                }
                if let Some(retry) = &step.retry {
                    runs.retries.push(retry.clone());
                }
                apply(world, &runs.runs[index], step, draws.ids, at);
            }
        }
        runs.runs.retain(|run| run.next_at.is_some() || run.stuck);
        let due: Vec<PendingRetry> = runs
            .retries
            .iter()
            .filter(|retry| retry.at == at)
            .cloned()
            .collect();
        runs.retries.retain(|retry| retry.at != at);
        for retry in due {
            let _ = start_run(
                world,
                runs,
                retry.job_id,
                at,
                Some(retry.scenario),
                Some(retry.retry_of),
            );
        }
        for job_id in jobs_scheduled_at(world, runs, cursor, at) {
            let _ = start_job(world, runs, job_id, at, None);
        }
        for job_id in restore_points {
            for copy_id in immediate_copies_of(world, job_id) {
                let _ = start_job(world, runs, copy_id, at, None);
            }
        }
        cursor = cursor.max(at);
    }
    runs.simulated_until = Some(cursor.max(until));
    if until < now {
        // Due at once: the rest of the way is the next increment's.
        return Some(until);
    }
    next_event(world, runs, now)
}

/// What a step draws from the world's generator, in a fixed order so a replay gives the
/// same bytes.
struct Draws {
    object_bytes: u64,
    object_items: u64,
    ids: [Uuid; 2],
}

/// Enabled jobs and copy jobs that are not running and whose schedule has a start after
/// `after` (copy jobs that follow their backup job have none).
fn scheduled<'a>(
    world: &'a World,
    runs: &'a Runs,
    after: DateTime<Utc>,
) -> impl Iterator<Item = (Uuid, DateTime<Utc>)> + 'a {
    let local = after.with_timezone(&world.server_offset);
    let idle = move |id: Uuid| !runs.runs.iter().any(|run| run.job_id == id);
    let jobs = world
        .jobs
        .iter()
        .filter(move |job| job.is_enabled && idle(job.id))
        .filter_map(move |job| {
            job.schedule
                .next_after(&local)
                .map(|at| (job.id, at.to_utc()))
        });
    let copies = world
        .copy_jobs
        .iter()
        .filter(move |copy_job| copy_job.is_enabled && idle(copy_job.id))
        .filter_map(move |copy_job| {
            copy_job
                .schedule
                .next_after(&local)
                .map(|at| (copy_job.id, at.to_utc()))
        });
    jobs.chain(copies)
}

/// The enabled copy jobs that run right after each restore point of backup job `job_id`.
fn immediate_copies_of(world: &World, job_id: Uuid) -> Vec<Uuid> {
    world
        .copy_jobs
        .iter()
        .filter(|copy_job| {
            copy_job.backup_job_id == job_id
                && copy_job.is_enabled
                && copy_job.schedule == CopySchedule::Immediate
        })
        .map(|copy_job| copy_job.id)
        .collect()
}

fn jobs_scheduled_at(
    world: &World,
    runs: &Runs,
    after: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Vec<Uuid> {
    scheduled(world, runs, after)
        .filter(|(_, start)| *start == at)
        .map(|(job_id, _)| job_id)
        .collect()
}

/// The next thing due after `after`: a step of a run, a retry, a scheduled start, or a
/// repository session moving on (which changes only what is served of it, so answers kept
/// from before it are not reused).
fn next_event(world: &World, runs: &Runs, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let steps = runs.runs.iter().filter_map(|run| run.next_at);
    let retries = runs.retries.iter().map(|retry| retry.at);
    let schedules = scheduled(world, runs, after).map(|(_, at)| at);
    let restore_end = world
        .next_restore_end(after.fixed_offset())
        .map(|at| at.to_utc());
    let repository_sessions = world
        .next_repository_session_change(after.fixed_offset())
        .map(|at| at.to_utc());
    steps
        .chain(retries)
        .chain(schedules)
        .chain(restore_end)
        .chain(repository_sessions)
        .min()
}

/// What one step of a run produces: the log items it writes and, when it ends the run,
/// how, and the retry it leaves behind.
#[derive(Debug)]
struct Step {
    items: Vec<(Severity, String, DateTime<Utc>)>,
    ended: Option<SessionStatus>,
    retry: Option<PendingRetry>,
}

impl Run {
    /// One step at `at`: connect, enumerate, or process the next object; the last object
    /// (or the failing one) ends the run. Touches nothing but the run itself.
    fn step_at(&mut self, at: DateTime<Utc>, object_bytes: u64, object_items: u64) -> Step {
        let count = self.objects.len();
        let mut items: Vec<(Severity, String, DateTime<Utc>)> = Vec::new();
        let mut ended: Option<SessionStatus> = None;
        let copy = self.kind == JobKind::Copy;
        match self.step {
            0 => match &self.trouble {
                Some(RunTrouble::FailOnConnect(error)) => {
                    items.push((Severity::Failed, error.clone(), self.started));
                    ended = Some(SessionStatus::Failed);
                }
                Some(RunTrouble::WaitOnConnect(warning)) => {
                    items.push((Severity::Warning, warning.clone(), self.started));
                    self.stuck = true;
                }
                trouble => {
                    items.push((
                        Severity::Success,
                        if copy {
                            "Connected to the source backup repository".to_owned()
                        } else {
                            "Connected to organization".to_owned()
                        },
                        self.started,
                    ));
                    if let Some(RunTrouble::Warn(warning)) = trouble {
                        items.push((Severity::Warning, warning.clone(), self.started));
                    }
                }
            },
            1 => items.push((
                Severity::Success,
                if copy {
                    format!("{count} objects found in the latest restore point")
                } else if self.objects.iter().all(|(what, _)| *what == "mailbox") {
                    format!("{count} mailboxes found")
                } else {
                    format!("{count} objects found")
                },
                self.started,
            )),
            step => {
                let object = step - 2;
                let (what, name) = &self.objects[object];
                let action = if copy {
                    format!("Copying {what}: {name}")
                } else {
                    format!("Processing {what}: {name}")
                };
                if self.fail_at == Some(object) {
                    let lost = if copy { "object storage" } else { "server" };
                    let message = match &self.trouble {
                        Some(RunTrouble::FailOnFirstObject(error)) => format!("{action}: {error}"),
                        _ => format!("{action}: the connection to the {lost} was lost"),
                    };
                    items.push((Severity::Failed, message, self.last_end));
                    ended = Some(SessionStatus::Failed);
                } else {
                    let severity = if object < self.warned {
                        Severity::Warning
                    } else {
                        Severity::Success
                    };
                    let message = if severity == Severity::Warning {
                        format!("{action} (2 items were skipped: the item size exceeds the limit)")
                    } else {
                        action
                    };
                    items.push((severity, message, self.last_end));
                    self.processed += 1;
                    self.bytes += object_bytes;
                    self.items += object_items;
                    if object + 1 == count {
                        let license_warned = matches!(self.trouble, Some(RunTrouble::Warn(_)));
                        ended = Some(if self.warned > 0 || license_warned {
                            SessionStatus::Warning
                        } else {
                            SessionStatus::Success
                        });
                    }
                }
            }
        }
        self.step += 1;
        self.last_end = at;
        let waiting = matches!(self.trouble, Some(RunTrouble::WaitOnConnect(_)));
        self.next_at = match (ended, self.stuck && (self.step >= 2 || waiting)) {
            (Some(_), _) | (None, true) => None,
            (None, false) => Some(at + if self.step < 2 { SETUP_STEP } else { self.pace }),
        };
        let retry = (ended == Some(SessionStatus::Failed) && self.retries_left > 0).then(|| {
            let mut scenario = self.scenario;
            scenario.retries = self.retries_left - 1;
            PendingRetry {
                job_id: self.job_id,
                retry_of: RetryOf {
                    main_session_id: self
                        .retry_of
                        .map_or(self.session_id, |retry_of| retry_of.main_session_id),
                    count: self.retry_of.map_or(0, |retry_of| retry_of.count) + 1,
                },
                at: at + RETRY_WAIT,
                scenario,
            }
        });
        Step {
            items,
            ended,
            retry,
        }
    }
}

/// Writes a step into the run's session: its log items (the closing one when it ended),
/// statistics, progress and, at the end, status and end time.
fn apply(world: &mut World, run: &Run, mut step: Step, ids: [Uuid; 2], at: DateTime<Utc>) {
    let offset = world.server_offset;
    let local = |time: DateTime<Utc>| -> Timestamp { time.with_timezone(&offset) };
    if let Some(status) = step.ended {
        let (severity, wording) = match status {
            SessionStatus::Warning => (Severity::Warning, "Job finished with warnings at"),
            SessionStatus::Failed => (Severity::Failed, "Job finished with errors at"),
            _ => (Severity::Success, "Job finished at"),
        };
        step.items.push((
            severity,
            format!("{wording} {}", us_general_time(&local(at))),
            at,
        ));
    }
    let Some(record) = world.session_mut(&run.session_id) else {
        return;
    };
    let log = record.log_mut();
    for ((severity, message, started), id) in step.items.into_iter().zip(ids) {
        log.push(NewLogItem {
            id,
            usn: log.last_usn().map_or(1, |usn| usn + 1),
            severity,
            message: &message,
            creation_time: local(started),
            end_time: local(at),
        });
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
    let total_steps = (run.objects.len() + 2) as u64;
    session.progress = u8::try_from(run.step as u64 * 100 / total_steps)
        .unwrap_or(99)
        .min(99);
    if let Some(status) = step.ended {
        session.status = status;
        session.progress = 100;
        session.end_time = Some(at.fixed_offset());
        session.retry.will_be_retried = step.retry.is_some();
    }
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_491_296_400, 0).unwrap_or_default()
    }

    #[test]
    fn one_advance_replays_at_most_an_increment() {
        let mut world = World::new(FixedOffset::east_opt(0).unwrap(), 0);
        let mut runs = Runs::default();
        assert_eq!(advance(&mut world, &mut runs, start()), None);
        let later = start() + TimeDelta::days(3);
        assert_eq!(
            advance(&mut world, &mut runs, later),
            Some(start() + INCREMENT)
        );
        assert_eq!(runs.simulated_until, Some(start() + INCREMENT));
    }

    #[test]
    fn a_catch_up_holds_the_lock_once_an_increment_and_replays_no_more_than_its_span() {
        let engine = Engine::default();
        let store = Store::new(World::new(FixedOffset::east_opt(0).unwrap(), 0));
        engine.catch_up(&store, start());
        for (jump, holds) in [(TimeDelta::days(3), 72), (TimeDelta::days(300), 7 * 24)] {
            store.write(|_| ());
            let before = store.version();
            let later = engine.lock().simulated_until.unwrap() + jump;
            engine.catch_up(&store, later);
            assert_eq!(store.version() - before, holds, "{jump}");
            assert_eq!(engine.lock().simulated_until, Some(later));
            assert!(!store.is_due(later));
        }
    }
}

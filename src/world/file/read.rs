//! Building a world from a world file: each session's log read into its compact form and
//! checked item by item.

use uuid::Uuid;

use super::*;
use crate::model::{Log, NewLogItem};
use crate::store::World;

/// Builds the world a whole file in memory describes, or gives every problem it has.
pub fn build(mut file: WorldFile) -> Result<World, Vec<Problem>> {
    let logs = file
        .sessions
        .iter_mut()
        .enumerate()
        .map(|(index, entry)| {
            let mut reader = LogReader::new(index);
            for item in std::mem::take(&mut entry.log_items) {
                reader.push(&item);
            }
            reader.finish()
        })
        .collect();
    finish(file, logs)
}

/// Checks the file with the logs read apart from it, and builds the world if all is well.
fn finish(file: WorldFile, logs: Vec<SessionLog>) -> Result<World, Vec<Problem>> {
    let problems = validate(&file, &logs);
    if problems.is_empty() {
        Ok(import(file, logs))
    } else {
        Err(problems)
    }
}

/// The log items of one session of a file, stored as they are read and checked on the way.
#[derive(Debug)]
pub struct LogReader {
    log: Log,
    missing_ids: Vec<usize>,
    checks: LogItemChecks,
}

impl LogReader {
    /// The reader of the log of `sessions[index]`.
    pub fn new(index: usize) -> Self {
        Self {
            log: Log::default(),
            missing_ids: Vec::new(),
            checks: LogItemChecks::new(format!("sessions[{index}].logItems"), 0),
        }
    }

    pub fn push(&mut self, entry: &LogItemEntry) {
        let usn = self.checks.check(entry);
        if entry.id.is_none() {
            self.missing_ids.push(self.log.len());
        }
        self.log
            .push(new_log_item(entry, entry.id.unwrap_or_default(), usn));
    }

    /// The log as read: the checks that need every item run, the room it grew into given back.
    pub fn finish(mut self) -> SessionLog {
        self.log.shrink_to_fit();
        SessionLog {
            log: self.log,
            missing_ids: self.missing_ids,
            problems: self.checks.finish(),
        }
    }
}

/// A session's log read from a file: the log, the problems of its items, and where the
/// items are whose ids the file leaves out. Those ids are drawn once the whole file is
/// read, in the order an import has always drawn them, so a file gives the same world
/// however its keys are ordered.
#[derive(Debug)]
pub struct SessionLog {
    pub log: Log,
    pub missing_ids: Vec<usize>,
    pub problems: Vec<Problem>,
}

/// A log item as an entry gives it, with the id and usn it gets.
pub fn new_log_item(entry: &LogItemEntry, id: Uuid, usn: i64) -> NewLogItem<'_> {
    NewLogItem {
        id,
        usn,
        severity: entry.severity,
        message: &entry.message,
        creation_time: entry.creation_time,
        end_time: entry.end_time.unwrap_or(entry.creation_time),
    }
}

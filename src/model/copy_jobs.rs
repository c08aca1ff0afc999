//! Backup copy jobs: the restore points of one backup job copied to another (object
//! storage) repository, right after each backup or on a schedule of their own.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{DailyKind, Scenario, Schedule, Timestamp};

/// A backup copy job: it belongs to one backup job and writes to one repository.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyJob {
    pub id: Uuid,
    /// The backup job whose restore points it copies.
    pub backup_job_id: Uuid,
    /// The repository it copies to.
    pub repository_id: Uuid,
    pub name: String,
    pub is_enabled: bool,
    pub schedule: CopySchedule,
    /// The hours of the week (168, from Sunday 00:00) copies may run in; `None`: any hour.
    pub copy_window: Option<Vec<bool>>,
    /// Counts the copy job's edits (v8 `eTag`).
    pub revision: u64,
    /// How the copy job's runs go when the emulator runs them.
    pub scenario: Scenario,
}

impl CopyJob {
    /// A copy job as the service creates one when told only what it copies and where to:
    /// right after each backup, enabled, named after its backup job.
    pub fn new(id: Uuid, backup_job_id: Uuid, repository_id: Uuid, backup_job_name: &str) -> Self {
        Self {
            id,
            backup_job_id,
            repository_id,
            name: Self::name_for(backup_job_name),
            is_enabled: true,
            schedule: CopySchedule::Immediate,
            copy_window: None,
            revision: 0,
            scenario: Scenario::default(),
        }
    }

    /// The name the service gives the copy job of a backup job.
    pub fn name_for(backup_job_name: &str) -> String {
        format!("{backup_job_name} copy")
    }
}

/// When a copy job runs, as its `schedulePolicy` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum CopySchedule {
    /// Right after each run of its backup job that leaves a restore point.
    Immediate,
    /// At a time of the server's local day, on the days `days` names.
    Daily {
        at: NaiveTime,
        #[serde(default)]
        days: DailyKind,
    },
    /// Every so many minutes.
    Periodically { every_minutes: u32 },
}

impl CopySchedule {
    /// The first start its clock schedule gives strictly after `after`; `None` for a copy
    /// job that follows its backup job.
    pub fn next_after(&self, after: &Timestamp) -> Option<Timestamp> {
        self.as_schedule()
            .and_then(|schedule| schedule.next_after(after))
    }

    /// The backup job schedule that starts at the same times, if it runs by the clock.
    pub fn as_schedule(&self) -> Option<Schedule> {
        match *self {
            Self::Immediate => None,
            Self::Daily { at, days } => Some(Schedule::Daily { at, days }),
            Self::Periodically { every_minutes } => Some(Schedule::Periodically { every_minutes }),
        }
    }
}

/// What a create or an edit asks of a copy job; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyJobChange {
    pub name: Option<String>,
    pub backup_job_id: Option<Uuid>,
    pub repository_id: Option<Uuid>,
    /// v8 names the organization of the backup job.
    pub organization_id: Option<Uuid>,
    pub schedule: Option<CopySchedule>,
    pub copy_window: Option<Option<Vec<bool>>>,
    pub is_enabled: Option<bool>,
}

/// What kind of job a session ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum JobKind {
    #[default]
    Backup,
    Copy,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn an_immediate_copy_has_no_time_of_its_own_and_the_others_follow_the_clock() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        assert_eq!(
            CopySchedule::Immediate.next_after(&at("2017-04-04T09:00:00Z")),
            None
        );
        let daily = CopySchedule::Daily {
            at: NaiveTime::from_hms_opt(3, 0, 0).unwrap(),
            days: DailyKind::Everyday,
        };
        assert_eq!(
            daily.next_after(&at("2017-04-04T09:00:00Z")),
            Some(at("2017-04-05T03:00:00Z"))
        );
        let periodic = CopySchedule::Periodically { every_minutes: 60 };
        assert_eq!(
            periodic.next_after(&at("2017-04-04T09:30:00Z")),
            Some(at("2017-04-04T10:00:00Z"))
        );
    }
}

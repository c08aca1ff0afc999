//! Backup jobs: what they back up (the whole organization, or selected items less the
//! excluded ones), when they run, and how the emulator's runs of them go.

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Timestamp;

/// A backup job of one organization, writing to one repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub repository_id: Uuid,
    pub name: String,
    pub description: String,
    pub backup_type: BackupType,
    pub is_enabled: bool,
    pub schedule: Schedule,
    pub retry: RetryPolicy,
    /// The hours of the week (168, from Sunday 00:00) backups may run in; `None`: any hour.
    pub backup_window: Option<Vec<bool>>,
    /// What a `SelectedItems` job backs up.
    pub selected_items: Vec<JobItem>,
    /// What the job leaves out, whatever it selects.
    pub excluded_items: Vec<JobItem>,
    /// Counts the job's edits: the version of it a client last read (v8 `eTag`).
    pub revision: u64,
    /// How the job's runs go when the emulator runs them.
    pub scenario: Scenario,
}

impl Job {
    /// A job as the service creates one when told only its name and where it writes:
    /// the whole organization, nightly at 22:00, the default retries, enabled.
    pub fn new(id: Uuid, organization_id: Uuid, repository_id: Uuid, name: String) -> Self {
        Self {
            id,
            organization_id,
            repository_id,
            name,
            description: String::new(),
            backup_type: BackupType::EntireOrganization,
            is_enabled: true,
            schedule: Schedule::Daily {
                at: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default(),
                days: DailyKind::Everyday,
            },
            retry: RetryPolicy::default(),
            backup_window: None,
            selected_items: Vec::new(),
            excluded_items: Vec::new(),
            revision: 0,
            scenario: Scenario::default(),
        }
    }

    /// The selected items, or the excluded ones.
    pub fn items(&self, excluded: bool) -> &[JobItem] {
        if excluded {
            &self.excluded_items
        } else {
            &self.selected_items
        }
    }
}

/// How a run the emulator drives goes: its outcome, its pace, whether it ever ends, and
/// how often a failed run is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub outcome: Outcome,
    /// With `outcome: warning`: how many objects end with a warning (at least 1).
    #[serde(default = "one")]
    pub warning_objects: u32,
    /// With `outcome: failure`: the object (1 = the first) at which the run fails.
    #[serde(default = "one")]
    pub fail_at: u32,
    /// How many objects a minute the run processes.
    #[serde(default = "six")]
    pub objects_per_minute: u32,
    /// A stuck run connects, enumerates and then never ends.
    #[serde(default)]
    pub stuck: bool,
    /// How many retry runs follow a failed run, ten minutes apart.
    #[serde(default)]
    pub retries: u32,
}

fn one() -> u32 {
    1
}

fn six() -> u32 {
    6
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            outcome: Outcome::Weighted,
            warning_objects: 1,
            fail_at: 1,
            objects_per_minute: 6,
            stuck: false,
            retries: 0,
        }
    }
}

impl Scenario {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// How a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Success, Warning or Failed at 85:10:5, drawn from the world's generator.
    #[default]
    Weighted,
    Success,
    Warning,
    Failure,
}

/// When a job runs by itself, as its `schedulePolicy` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Schedule {
    /// At a time of the server's local day, on the days `days` names.
    Daily {
        at: NaiveTime,
        #[serde(default)]
        days: DailyKind,
    },
    /// Every so many minutes.
    Periodically {
        every_minutes: u32,
    },
    ManualOnly,
}

impl Schedule {
    /// The first scheduled start strictly after `after`, in the server's local offset.
    pub fn next_after(&self, after: &Timestamp) -> Option<Timestamp> {
        match *self {
            Self::Daily { at, days } => (0..=7)
                .filter_map(|ahead| {
                    let date = after.date_naive() + TimeDelta::days(ahead);
                    let start = date
                        .and_time(at)
                        .and_local_timezone(*after.offset())
                        .single()?;
                    (start > *after && days.includes(date.weekday())).then_some(start)
                })
                .next(),
            Self::Periodically { every_minutes } => {
                let step = i64::from(every_minutes.max(1)) * 60;
                let seconds = after.timestamp();
                let next = (seconds.div_euclid(step) + 1) * step;
                DateTime::from_timestamp(next, 0).map(|time| time.with_timezone(after.offset()))
            }
            Self::ManualOnly => None,
        }
    }
}

/// What a create or an edit asks of a job; `None` leaves a property as it is (a create
/// takes the defaults of a new job).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub backup_type: Option<BackupType>,
    pub schedule: Option<Schedule>,
    pub retry: Option<RetryPolicy>,
    pub backup_window: Option<Option<Vec<bool>>>,
    pub selected_items: Option<Vec<JobItem>>,
    pub excluded_items: Option<Vec<JobItem>>,
    pub repository_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub is_enabled: Option<bool>,
}

/// Which days a daily schedule runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DailyKind {
    #[default]
    Everyday,
    Workdays,
    Weekends,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl DailyKind {
    pub fn includes(self, day: Weekday) -> bool {
        let weekend = matches!(day, Weekday::Sat | Weekday::Sun);
        match self {
            Self::Everyday => true,
            Self::Workdays => !weekend,
            Self::Weekends => weekend,
            Self::Monday => day == Weekday::Mon,
            Self::Tuesday => day == Weekday::Tue,
            Self::Wednesday => day == Weekday::Wed,
            Self::Thursday => day == Weekday::Thu,
            Self::Friday => day == Weekday::Fri,
            Self::Saturday => day == Weekday::Sat,
            Self::Sunday => day == Weekday::Sun,
        }
    }
}

/// How a failed scheduled run is retried, as the job's schedule policy says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryPolicy {
    pub enabled: bool,
    pub number: u32,
    /// Minutes between attempts.
    pub wait_minutes: u32,
}

impl Default for RetryPolicy {
    /// The service's defaults: three retries, ten minutes apart.
    fn default() -> Self {
        Self {
            enabled: true,
            number: 3,
            wait_minutes: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackupType {
    EntireOrganization,
    SelectedItems,
}

/// One entry of a job's selected or excluded items: the object it names and which of its
/// data the job takes. In world files an item may leave out its id, which is then drawn
/// from the file's seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobItem {
    #[serde(default)]
    pub id: Uuid,
    pub object: JobObject,
    #[serde(default)]
    pub data: JobItemData,
    /// The folders of a `OneDriveFolders` item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<String>,
}

/// What a job item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id")]
pub enum JobObject {
    User(Uuid),
    Group(Uuid),
    Site(Uuid),
    Team(Uuid),
    /// The organization's mailboxes, OneDrives, sites and teams, as the data flags say.
    PartialOrganization,
    /// Every personal site of the organization.
    PersonalSites,
    /// Folders of one user's OneDrive.
    OneDriveFolders(Uuid),
}

/// Which data of an item's object a job takes. Each flag applies to some kinds of items
/// only (a user's mailbox, a group's members' OneDrives); the others are shown as null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct JobItemData {
    pub mailbox: bool,
    pub one_drive: bool,
    pub archive_mailbox: bool,
    pub personal_site: bool,
    pub sites: bool,
    pub teams: bool,
    pub teams_chats: bool,
    pub members: bool,
    pub member_mailbox: bool,
    pub member_archive_mailbox: bool,
    pub member_onedrive: bool,
    pub member_site: bool,
    pub group_site: bool,
}

impl Default for JobItemData {
    /// Everything an object holds, chats of teams aside (which the service bills apart).
    fn default() -> Self {
        Self {
            mailbox: true,
            one_drive: true,
            archive_mailbox: true,
            personal_site: true,
            sites: true,
            teams: true,
            teams_chats: false,
            members: true,
            member_mailbox: true,
            member_archive_mailbox: true,
            member_onedrive: true,
            member_site: true,
            group_site: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_schedules_run_next_at_their_time_today_or_tomorrow() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let daily = Schedule::Daily {
            at: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            days: DailyKind::Everyday,
        };
        assert_eq!(
            daily.next_after(&at("2017-04-04T21:59:00-07:00")),
            Some(at("2017-04-04T22:00:00-07:00"))
        );
        assert_eq!(
            daily.next_after(&at("2017-04-04T22:00:00-07:00")),
            Some(at("2017-04-05T22:00:00-07:00"))
        );
        let periodic = Schedule::Periodically { every_minutes: 480 };
        assert_eq!(
            periodic.next_after(&at("2017-04-04T09:30:00Z")),
            Some(at("2017-04-04T16:00:00Z"))
        );
        assert_eq!(
            Schedule::ManualOnly.next_after(&at("2017-04-04T09:30:00Z")),
            None
        );
    }

    #[test]
    fn a_workdays_schedule_skips_the_weekend() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let workdays = Schedule::Daily {
            at: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            days: DailyKind::Workdays,
        };
        // 2017-04-07 is a Friday: after its run, the next is on Monday.
        assert_eq!(
            workdays.next_after(&at("2017-04-07T22:00:00Z")),
            Some(at("2017-04-10T22:00:00Z"))
        );
        let sundays = Schedule::Daily {
            at: NaiveTime::from_hms_opt(1, 0, 0).unwrap(),
            days: DailyKind::Sunday,
        };
        assert_eq!(
            sundays.next_after(&at("2017-04-04T09:00:00Z")),
            Some(at("2017-04-09T01:00:00Z"))
        );
    }
}

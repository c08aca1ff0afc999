//! Backup copy jobs as clients send them to create or edit one: `RESTCopyJob` in v6 and
//! v7, `RESTCreateCopyJob` and `RESTEditCopyJob` in v8, read into the model's terms.

use serde::Deserialize;

use super::body::{BodyError, invalid};
use super::job_requests::{BackupWindowRequest, Period, guid, time_of_day};
use crate::model::{CopyJobChange, CopySchedule, DailyKind};

/// A copy job as sent. Everything is optional here; what a create requires is the store's
/// to check. Properties the service sets (`id`, `lastRun`, `_links`, ...) are ignored.
#[derive(Debug, Deserialize)]
pub struct CopyJobRequest {
    #[serde(rename = "backupjobid", default)]
    backup_job_id: Option<String>,
    #[serde(rename = "repositoryid", default)]
    repository_id: Option<String>,
    #[serde(rename = "organizationid", default)]
    organization_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "isenabled", default)]
    is_enabled: Option<bool>,
    #[serde(rename = "schedulepolicy", default)]
    schedule_policy: Option<CopySchedulePolicyRequest>,
}

#[derive(Debug, Deserialize)]
struct CopySchedulePolicyRequest {
    #[serde(default, rename = "type")]
    kind: Option<CopyScheduleKind>,
    #[serde(rename = "periodicallyevery", default)]
    periodically_every: Option<Period>,
    #[serde(rename = "dailytype", default)]
    daily_type: Option<DailyKind>,
    #[serde(rename = "dailytime", default)]
    daily_time: Option<String>,
    #[serde(rename = "backupcopywindowenabled", default)]
    window_enabled: Option<bool>,
    #[serde(rename = "backupcopywindowsettings", default)]
    window_settings: Option<BackupWindowRequest>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum CopyScheduleKind {
    Immediate,
    Periodically,
    /// PowerShell names it `Daily`.
    #[serde(alias = "Daily")]
    DailyAtTime,
}

impl CopyJobRequest {
    /// The change this request asks of a copy job whose schedule is `current` (`None` for
    /// a new one): a policy that leaves its type out keeps the current one.
    pub fn into_change(self, current: Option<&CopySchedule>) -> Result<CopyJobChange, BodyError> {
        if self
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(invalid("The name of a backup copy job must not be empty."));
        }
        let (schedule, copy_window) = match self.schedule_policy {
            Some(policy) => {
                let (schedule, window) = policy.read(current)?;
                (Some(schedule), Some(window))
            }
            None => (None, None),
        };
        let id =
            |text: Option<String>, what| text.as_deref().map(|text| guid(text, what)).transpose();
        Ok(CopyJobChange {
            name: self.name,
            backup_job_id: id(self.backup_job_id, "backup job")?,
            repository_id: id(self.repository_id, "backup repository")?,
            organization_id: id(self.organization_id, "organization")?,
            schedule,
            copy_window,
            is_enabled: self.is_enabled,
        })
    }
}

impl CopySchedulePolicyRequest {
    fn read(
        self,
        current: Option<&CopySchedule>,
    ) -> Result<(CopySchedule, Option<Vec<bool>>), BodyError> {
        let kind = self.kind.unwrap_or(match current {
            Some(CopySchedule::Periodically { .. }) => CopyScheduleKind::Periodically,
            Some(CopySchedule::Daily { .. }) => CopyScheduleKind::DailyAtTime,
            _ => CopyScheduleKind::Immediate,
        });
        let schedule = match kind {
            CopyScheduleKind::Immediate => CopySchedule::Immediate,
            CopyScheduleKind::Periodically => CopySchedule::Periodically {
                every_minutes: self
                    .periodically_every
                    .map(Period::minutes)
                    .or(match current {
                        Some(CopySchedule::Periodically { every_minutes }) => Some(*every_minutes),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        invalid("A periodic schedule must say how often in 'periodicallyEvery'.")
                    })?,
            },
            CopyScheduleKind::DailyAtTime => {
                let (current_at, current_days) = match current {
                    Some(CopySchedule::Daily { at, days }) => (Some(*at), Some(*days)),
                    _ => (None, None),
                };
                let at = match self.daily_time.as_deref() {
                    Some(text) => time_of_day(text)?,
                    None => current_at.ok_or_else(|| {
                        invalid("A schedule of type DailyAtTime must say when in 'dailyTime'.")
                    })?,
                };
                CopySchedule::Daily {
                    at,
                    days: self.daily_type.or(current_days).unwrap_or_default(),
                }
            }
        };
        let window = BackupWindowRequest::read(
            self.window_enabled,
            self.window_settings,
            "backupCopyWindowSettings",
        )?;
        Ok((schedule, window))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;
    use chrono::NaiveTime;
    use uuid::Uuid;

    #[test]
    fn a_copy_job_reads_its_backup_job_target_and_schedule_in_any_case() {
        let request: CopyJobRequest = read(
            br#"{"BackupJobId": "11111111-1111-1111-1111-111111111111",
                 "REPOSITORYID": "22222222-2222-2222-2222-222222222222",
                 "schedulePolicy": {"type": "DailyAtTime", "dailyTime": "03:30:00", "dailyType": "Weekends"},
                 "lastRun": null, "_links": {}}"#,
        )
        .unwrap();
        let change = request.into_change(None).unwrap();
        assert_eq!(
            change.backup_job_id,
            Some(Uuid::from_u128(0x11111111_1111_1111_1111_111111111111))
        );
        assert_eq!(
            change.schedule,
            Some(CopySchedule::Daily {
                at: NaiveTime::from_hms_opt(3, 30, 0).unwrap(),
                days: DailyKind::Weekends
            })
        );
        assert_eq!(change.copy_window, Some(None));
    }

    #[test]
    fn a_policy_without_its_type_keeps_the_current_one_and_needs_what_it_lacks() {
        let current = CopySchedule::Periodically { every_minutes: 60 };
        let request: CopyJobRequest = read(br#"{"schedulePolicy": {}}"#).unwrap();
        assert_eq!(
            request.into_change(Some(&current)).unwrap().schedule,
            Some(current)
        );
        let request: CopyJobRequest =
            read(br#"{"schedulePolicy": {"type": "DailyAtTime"}}"#).unwrap();
        assert!(request.into_change(None).is_err());
        let request: CopyJobRequest = read(
            br#"{"schedulePolicy": {"type": "Periodically", "periodicallyEvery": "Hours12"}}"#,
        )
        .unwrap();
        assert_eq!(
            request.into_change(None).unwrap().schedule,
            Some(CopySchedule::Periodically { every_minutes: 720 })
        );
        for body in [
            &br#"{"schedulePolicy": {"type": "Weekly"}}"#[..],
            br#"{"backupJobId": "nope"}"#,
            br#"{"name": " "}"#,
            br#"{"schedulePolicy": {"backupCopyWindowEnabled": true}}"#,
        ] {
            let parsed = read::<CopyJobRequest>(body).and_then(|request| request.into_change(None));
            assert!(parsed.is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}

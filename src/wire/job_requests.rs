//! Jobs and job items as clients send them (create, edit, add and replace items), read
//! into the model's terms (see `body` for how a body is read).

use chrono::NaiveTime;
use serde::Deserialize;
use uuid::Uuid;

use super::body::{BodyError, invalid};
use crate::model::{
    BackupType, DailyKind, JobChange, JobItem, JobItemData, JobObject, RetryPolicy, Schedule,
};

/// `RESTJobItemComposed` as sent: its type, the object it names and the data flags.
#[derive(Debug, Deserialize)]
pub struct JobItemRequest {
    #[serde(rename = "type")]
    kind: ItemKind,
    #[serde(default)]
    folders: Option<Vec<String>>,
    #[serde(default)]
    user: Option<ObjectReference>,
    #[serde(default)]
    group: Option<ObjectReference>,
    #[serde(default)]
    site: Option<ObjectReference>,
    #[serde(default)]
    team: Option<ObjectReference>,
    #[serde(default)]
    mailbox: Option<bool>,
    #[serde(rename = "onedrive", default)]
    one_drive: Option<bool>,
    #[serde(rename = "archivemailbox", default)]
    archive_mailbox: Option<bool>,
    #[serde(rename = "personalsite", default)]
    personal_site: Option<bool>,
    #[serde(default)]
    sites: Option<bool>,
    #[serde(default)]
    teams: Option<bool>,
    #[serde(rename = "teamschats", default, alias = "chats")]
    teams_chats: Option<bool>,
    #[serde(default)]
    members: Option<bool>,
    #[serde(rename = "membermailbox", default)]
    member_mailbox: Option<bool>,
    #[serde(rename = "memberarchivemailbox", default)]
    member_archive_mailbox: Option<bool>,
    #[serde(rename = "memberonedrive", default)]
    member_onedrive: Option<bool>,
    #[serde(rename = "membersite", default)]
    member_site: Option<bool>,
    #[serde(rename = "groupsite", default)]
    group_site: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum ItemKind {
    User,
    Group,
    Site,
    Team,
    PartialOrganization,
    PersonalSites,
    OneDriveFolders,
}

/// The object an item names: only its id is read.
#[derive(Debug, Deserialize)]
pub(super) struct ObjectReference {
    pub(super) id: String,
}

impl JobItemRequest {
    /// The item as the model keeps it, with id `id`. Whether the object exists in the
    /// job's organization is the store's to check.
    pub fn into_item(self, id: Uuid) -> Result<JobItem, BodyError> {
        let reference = |reference: Option<ObjectReference>, what: &str| {
            let reference = reference.ok_or_else(|| {
                invalid(format!(
                    "An item of type {what} must name its {} with an id.",
                    what.to_ascii_lowercase()
                ))
            })?;
            Uuid::parse_str(&reference.id).map_err(|_| {
                invalid(format!(
                    "The value '{}' is not a valid {} id: expected a GUID.",
                    reference.id,
                    what.to_ascii_lowercase()
                ))
            })
        };
        let object = match self.kind {
            ItemKind::User => JobObject::User(reference(self.user, "User")?),
            ItemKind::Group => JobObject::Group(reference(self.group, "Group")?),
            ItemKind::Site => JobObject::Site(reference(self.site, "Site")?),
            ItemKind::Team => JobObject::Team(reference(self.team, "Team")?),
            ItemKind::PartialOrganization => JobObject::PartialOrganization,
            ItemKind::PersonalSites => JobObject::PersonalSites,
            ItemKind::OneDriveFolders => JobObject::OneDriveFolders(reference(self.user, "User")?),
        };
        let all = JobItemData::default();
        Ok(JobItem {
            id,
            object,
            data: JobItemData {
                mailbox: self.mailbox.unwrap_or(all.mailbox),
                one_drive: self.one_drive.unwrap_or(all.one_drive),
                archive_mailbox: self.archive_mailbox.unwrap_or(all.archive_mailbox),
                personal_site: self.personal_site.unwrap_or(all.personal_site),
                sites: self.sites.unwrap_or(all.sites),
                teams: self.teams.unwrap_or(all.teams),
                teams_chats: self.teams_chats.unwrap_or(all.teams_chats),
                members: self.members.unwrap_or(all.members),
                member_mailbox: self.member_mailbox.unwrap_or(all.member_mailbox),
                member_archive_mailbox: self
                    .member_archive_mailbox
                    .unwrap_or(all.member_archive_mailbox),
                member_onedrive: self.member_onedrive.unwrap_or(all.member_onedrive),
                member_site: self.member_site.unwrap_or(all.member_site),
                group_site: self.group_site.unwrap_or(all.group_site),
            },
            folders: self.folders.unwrap_or_default(),
        })
    }
}

/// A job as sent to create or edit it: `RESTJob` up to v7 (the organization in the path of
/// a create), `RESTCreateBackupJob` and `RESTEditBackupJob` in v8. Everything is optional
/// here; what a create requires is the store's to check. `runNow` is accepted and not
/// acted on.
#[derive(Debug, Deserialize)]
pub struct JobRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "backuptype", default)]
    backup_type: Option<BackupTypeRequest>,
    #[serde(rename = "schedulepolicy", default)]
    schedule_policy: Option<SchedulePolicyRequest>,
    #[serde(rename = "selecteditems", default)]
    selected_items: Option<Vec<JobItemRequest>>,
    #[serde(rename = "excludeditems", default)]
    excluded_items: Option<Vec<JobItemRequest>>,
    #[serde(rename = "repositoryid", default)]
    repository_id: Option<String>,
    #[serde(rename = "organizationid", default)]
    organization_id: Option<String>,
    #[serde(rename = "isenabled", default)]
    is_enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum BackupTypeRequest {
    EntireOrganization,
    SelectedItems,
}

#[derive(Debug, Default, Deserialize)]
struct SchedulePolicyRequest {
    #[serde(rename = "scheduleenabled", default)]
    schedule_enabled: Option<bool>,
    #[serde(rename = "backupwindowenabled", default)]
    backup_window_enabled: Option<bool>,
    #[serde(rename = "backupwindowsettings", default)]
    backup_window_settings: Option<BackupWindowRequest>,
    #[serde(default, rename = "type")]
    kind: Option<ScheduleKind>,
    #[serde(rename = "periodicallyevery", default)]
    periodically_every: Option<Period>,
    #[serde(rename = "dailytype", default)]
    daily_type: Option<DailyKind>,
    #[serde(rename = "dailytime", default)]
    daily_time: Option<String>,
    #[serde(rename = "retryenabled", default)]
    retry_enabled: Option<bool>,
    #[serde(rename = "retrynumber", default)]
    retry_number: Option<u32>,
    #[serde(rename = "retrywaitinterval", default)]
    retry_wait_interval: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub(super) struct BackupWindowRequest {
    #[serde(rename = "backupwindow")]
    pub(super) backup_window: Vec<bool>,
}

impl BackupWindowRequest {
    /// The window a policy sets: its 168 hours when it is enabled, none when not.
    pub(super) fn read(
        enabled: Option<bool>,
        settings: Option<Self>,
        field: &str,
    ) -> Result<Option<Vec<bool>>, BodyError> {
        match (enabled, settings) {
            (Some(true), Some(settings)) => {
                if settings.backup_window.len() != 168 {
                    return Err(invalid(format!(
                        "'backupWindow' must hold 168 hours, from Sunday 00:00; it holds {}.",
                        settings.backup_window.len()
                    )));
                }
                Ok(Some(settings.backup_window))
            }
            (Some(true), None) => Err(invalid(format!(
                "A window that is enabled must give its hours in '{field}'."
            ))),
            _ => Ok(None),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum ScheduleKind {
    Periodically,
    Daily,
    ManualOnly,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) enum Period {
    Minutes5,
    Minutes10,
    Minutes15,
    Minutes30,
    Hours1,
    Hours2,
    Hours4,
    Hours8,
    Hours12,
}

impl Period {
    pub(super) fn minutes(self) -> u32 {
        match self {
            Self::Minutes5 => 5,
            Self::Minutes10 => 10,
            Self::Minutes15 => 15,
            Self::Minutes30 => 30,
            Self::Hours1 => 60,
            Self::Hours2 => 120,
            Self::Hours4 => 240,
            Self::Hours8 => 480,
            Self::Hours12 => 720,
        }
    }
}

/// `dailyTime`: `22:00:00` or `22:00`, or the client's 400.
pub(super) fn time_of_day(text: &str) -> Result<NaiveTime, BodyError> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|_| {
            invalid(format!(
                "The value '{text}' of 'dailyTime' is not a time of day such as 22:00:00."
            ))
        })
}

/// An id property of a body: a GUID, or the client's 400.
pub(super) fn guid(text: &str, what: &str) -> Result<Uuid, BodyError> {
    Uuid::parse_str(text).map_err(|_| {
        invalid(format!(
            "The value '{text}' is not a valid {what} id: expected a GUID."
        ))
    })
}

impl JobRequest {
    /// The change this request asks of a job; `current` is the schedule it edits (a policy
    /// that leaves its type out keeps it). Item ids come from `new_id`.
    pub fn into_change(
        self,
        current: Option<&Schedule>,
        mut new_id: impl FnMut() -> Uuid,
    ) -> Result<JobChange, BodyError> {
        if self
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(invalid("The job name must not be empty."));
        }
        let mut items = |requests: Option<Vec<JobItemRequest>>| {
            requests
                .map(|requests| {
                    requests
                        .into_iter()
                        .map(|request| request.into_item(new_id()))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()
        };
        let selected_items = items(self.selected_items)?;
        let excluded_items = items(self.excluded_items)?;
        let (schedule, retry, backup_window) = match self.schedule_policy {
            Some(policy) => {
                let (schedule, retry, window) = policy.read(current)?;
                (Some(schedule), Some(retry), Some(window))
            }
            None => (None, None, None),
        };
        Ok(JobChange {
            name: self.name,
            description: self.description,
            backup_type: self.backup_type.map(|kind| match kind {
                BackupTypeRequest::EntireOrganization => BackupType::EntireOrganization,
                BackupTypeRequest::SelectedItems => BackupType::SelectedItems,
            }),
            schedule,
            retry,
            backup_window,
            selected_items,
            excluded_items,
            repository_id: self
                .repository_id
                .as_deref()
                .map(|text| guid(text, "backup repository"))
                .transpose()?,
            organization_id: self
                .organization_id
                .as_deref()
                .map(|text| guid(text, "organization"))
                .transpose()?,
            is_enabled: self.is_enabled,
        })
    }
}

impl SchedulePolicyRequest {
    fn read(
        self,
        current: Option<&Schedule>,
    ) -> Result<(Schedule, RetryPolicy, Option<Vec<bool>>), BodyError> {
        let kind = match (self.schedule_enabled, self.kind) {
            (Some(false), _) => ScheduleKind::ManualOnly,
            (_, Some(kind)) => kind,
            (_, None) => match current {
                Some(Schedule::Periodically { .. }) => ScheduleKind::Periodically,
                Some(Schedule::ManualOnly) => ScheduleKind::ManualOnly,
                _ => ScheduleKind::Daily,
            },
        };
        let schedule = match kind {
            ScheduleKind::ManualOnly => Schedule::ManualOnly,
            ScheduleKind::Periodically => Schedule::Periodically {
                every_minutes: self
                    .periodically_every
                    .map(Period::minutes)
                    .or(match current {
                        Some(Schedule::Periodically { every_minutes }) => Some(*every_minutes),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        invalid("A periodic schedule must say how often in 'periodicallyEvery'.")
                    })?,
            },
            ScheduleKind::Daily => {
                let (current_at, current_days) = match current {
                    Some(Schedule::Daily { at, days }) => (Some(*at), Some(*days)),
                    _ => (None, None),
                };
                let at = match self.daily_time.as_deref() {
                    Some(text) => time_of_day(text)?,
                    None => current_at
                        .ok_or_else(|| invalid("A daily schedule must say when in 'dailyTime'."))?,
                };
                Schedule::Daily {
                    at,
                    days: self.daily_type.or(current_days).unwrap_or_default(),
                }
            }
        };
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            enabled: self.retry_enabled.unwrap_or(defaults.enabled),
            number: self.retry_number.unwrap_or(defaults.number),
            wait_minutes: self.retry_wait_interval.unwrap_or(defaults.wait_minutes),
        };
        let window = BackupWindowRequest::read(
            self.backup_window_enabled,
            self.backup_window_settings,
            "backupWindowSettings",
        )?;
        Ok((schedule, retry, window))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn property_names_match_without_regard_to_case() {
        let request: JobRequest = read(
            br#"{"Name": "Nightly", "REPOSITORYID": "33333333-3333-3333-3333-333333333333",
                 "backuptype": "SelectedItems", "selectedItems": [{"Type": "User", "User": {"Id": "11111111-1111-1111-1111-111111111111"}}]}"#,
        )
        .unwrap();
        let change = request.into_change(None, || Uuid::from_u128(9)).unwrap();
        assert_eq!(change.name.as_deref(), Some("Nightly"));
        assert_eq!(change.backup_type, Some(BackupType::SelectedItems));
        assert_eq!(
            change.selected_items.unwrap()[0].object,
            JobObject::User(Uuid::from_u128(0x11111111_1111_1111_1111_111111111111))
        );
    }

    #[test]
    fn a_wrong_type_or_an_unknown_enum_value_is_named() {
        let error = read::<JobRequest>(br#"{"backupType": "Everything"}"#).unwrap_err();
        assert!(error.0.contains("backuptype"), "{error}");
        let error = read::<JobRequest>(br#"{"isEnabled": "yes"}"#).unwrap_err();
        assert!(error.0.contains("isenabled"), "{error}");
        assert!(read::<JobRequest>(b"").is_err());
        assert!(read::<JobRequest>(b"{").is_err());
    }

    #[test]
    fn an_item_must_name_its_object() {
        let item: JobItemRequest = read(br#"{"type": "User"}"#).unwrap();
        assert!(item.into_item(Uuid::nil()).is_err());
        let item: JobItemRequest = read(br#"{"type": "User", "user": {"id": "nope"}}"#).unwrap();
        assert!(item.into_item(Uuid::nil()).is_err());
    }

    #[test]
    fn a_schedule_reads_its_type_time_and_days() {
        let request: JobRequest = read(
            br#"{"schedulePolicy": {"type": "Daily", "dailyType": "Workdays", "dailyTime": "23:30:00", "retryNumber": 5}}"#,
        )
        .unwrap();
        let change = request.into_change(None, Uuid::nil).unwrap();
        assert_eq!(
            change.schedule,
            Some(Schedule::Daily {
                at: NaiveTime::from_hms_opt(23, 30, 0).unwrap(),
                days: DailyKind::Workdays
            })
        );
        assert_eq!(change.retry.unwrap().number, 5);
    }
}

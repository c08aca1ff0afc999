//! What a backup repository holds of each organization, user, group, site and team, as its restore points tell.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{BackupRepository, BackupSpan, ProtectedKind, Severity, Timestamp};

/// What a job's log says it processed of an object: a user's mailbox or OneDrive, a site, a
/// group or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackedUpPart {
    Mailbox,
    OneDrive,
    Site,
    Group,
    Team,
}

impl BackedUpPart {
    /// The part and the object's name a `Processing ...` log message (a copy's `Copying
    /// ...`) names. A failed item adds `: what went wrong` after the name, a warning
    /// ` (N items were skipped: why)`.
    pub fn of_message(message: &str) -> Option<(Self, &str)> {
        let rest = message
            .strip_prefix("Processing ")
            .or_else(|| message.strip_prefix("Copying "))?;
        let (what, named) = rest.split_once(": ")?;
        let part = match what {
            "mailbox" => Self::Mailbox,
            "OneDrive" => Self::OneDrive,
            "site" => Self::Site,
            "group" => Self::Group,
            "team" => Self::Team,
            _ => return None,
        };
        let name = match named.find(" items were skipped") {
            Some(at) => named[..at]
                .rsplit_once(" (")
                .map_or(named, |(name, _)| name),
            None => named.split(": ").next().unwrap_or(named),
        };
        Some((part, name))
    }

    /// Whether an item of this severity left the part in the backup: a failed one did not.
    pub fn kept(severity: Severity) -> bool {
        severity != Severity::Failed
    }

    /// The kind of object the part belongs to: mailboxes and OneDrives are users'.
    pub fn kind(self) -> ProtectedKind {
        match self {
            Self::Mailbox | Self::OneDrive => ProtectedKind::User,
            Self::Site => ProtectedKind::Site,
            Self::Group => ProtectedKind::Group,
            Self::Team => ProtectedKind::Team,
        }
    }
}

/// When a repository's restore points first and last held each part of an object.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PartSpans {
    pub mailbox: BackupSpan,
    pub onedrive: BackupSpan,
    pub site: BackupSpan,
    pub group: BackupSpan,
    pub team: BackupSpan,
}

impl PartSpans {
    /// Whether any restore point holds the part.
    pub fn holds(&self, part: BackedUpPart) -> bool {
        self.get(part).last.is_some()
    }

    pub fn get(&self, part: BackedUpPart) -> BackupSpan {
        match part {
            BackedUpPart::Mailbox => self.mailbox,
            BackedUpPart::OneDrive => self.onedrive,
            BackedUpPart::Site => self.site,
            BackedUpPart::Group => self.group,
            BackedUpPart::Team => self.team,
        }
    }

    /// Widens the part's span to a restore point taken at `at`.
    pub fn cover(&mut self, part: BackedUpPart, at: Timestamp) {
        let span = match part {
            BackedUpPart::Mailbox => &mut self.mailbox,
            BackedUpPart::OneDrive => &mut self.onedrive,
            BackedUpPart::Site => &mut self.site,
            BackedUpPart::Group => &mut self.group,
            BackedUpPart::Team => &mut self.team,
        };
        span.first = Some(span.first.map_or(at, |first| first.min(at)));
        span.last = Some(span.last.map_or(at, |last| last.max(at)));
    }
}

/// One object a repository holds: the object, the proxy that moves its data and when each
/// of its parts was backed up.
#[derive(Debug, Clone, Copy)]
pub struct BackupData<'a, T> {
    pub repository: &'a BackupRepository,
    /// The repository's proxy, or the first of its pool's.
    pub proxy_id: Option<Uuid>,
    /// The id the data is listed and looked up under: the object's, or a OneDrive's.
    pub id: Uuid,
    pub object: T,
    pub spans: PartSpans,
}

/// Data of one object removed from a repository (`Remove-VBOEntityData`): restore points
/// of the repository taken up to `removed_at` no longer hold it; later backups take it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemovedData {
    pub repository_id: Uuid,
    pub object_id: Uuid,
    pub removed_at: Timestamp,
}

impl RemovedData {
    /// Whether this removal took the object's data out of a restore point of `repository_id`
    /// taken at `backup_time`.
    pub fn covers(&self, repository_id: Uuid, object_id: Uuid, backup_time: &Timestamp) -> bool {
        self.repository_id == repository_id
            && self.object_id == object_id
            && *backup_time <= self.removed_at
    }
}

/// Which of a repository's mailboxes and OneDrives a listing shows: those whose name or
/// address holds `filter`, of one organization, as the backup held them at a point in time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackupDataFilter {
    pub text: Option<String>,
    pub organization_id: Option<Uuid>,
    pub point_in_time: Option<DateTime<Utc>>,
}

impl BackupDataFilter {
    /// Whether one of `names` holds the filter's text, case ignored.
    pub fn names_match(&self, names: &[&str]) -> bool {
        self.text.as_deref().is_none_or(|text| {
            let text = text.to_lowercase();
            names.iter().any(|name| name.to_lowercase().contains(&text))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_messages_name_the_part_and_the_object() {
        assert_eq!(
            BackedUpPart::of_message("Processing mailbox: a@contoso.onmicrosoft.com"),
            Some((BackedUpPart::Mailbox, "a@contoso.onmicrosoft.com"))
        );
        assert_eq!(
            BackedUpPart::of_message(
                "Processing site: https://contoso.sharepoint.com/sites/hr: the connection to the server was lost"
            ),
            Some((
                BackedUpPart::Site,
                "https://contoso.sharepoint.com/sites/hr"
            ))
        );
        assert_eq!(
            BackedUpPart::of_message(
                "Processing team: Sales (EMEA) (2 items were skipped: the item size exceeds the limit)"
            ),
            Some((BackedUpPart::Team, "Sales (EMEA)"))
        );
        assert_eq!(BackedUpPart::of_message("Processing pool: x"), None);
        assert_eq!(BackedUpPart::of_message("Job finished"), None);
    }
}

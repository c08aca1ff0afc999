//! Which objects a listing shows: the filters a request's query parses into, version by version in `wire::query`.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use wildmatch::WildMatch;

use super::{
    AzureServiceAccount, CloudAccount, CloudAccountKind, CopyJob, EncryptionKey, Job, JobKind,
    JobSession, LocationType, LogItem, RestorePointView, SessionStatus, Severity,
    TenantApplication,
};

/// Where a change sits in a feed of changes: when it happened (nanoseconds since the Unix
/// epoch) and, for changes at the same moment, the id of what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangeMark {
    pub at: i64,
    pub id: Uuid,
}

impl ChangeMark {
    pub fn new(at: &super::Timestamp, id: Uuid) -> Self {
        Self {
            at: at.timestamp_nanos_opt().unwrap_or(i64::MAX),
            id,
        }
    }
}

/// Where a reader of a feed of changes goes on from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangesFrom {
    /// Every change, from the first backup on.
    Start,
    /// Only changes still to come.
    Latest,
    /// The changes after a mark an earlier answer gave.
    After(ChangeMark),
}

/// A request for changes: from where, how many at most, and (for sessions) of which kind
/// of job; `from` is `None` where the request left it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeFeed {
    pub from: Option<ChangesFrom>,
    pub limit: usize,
    pub kind: Option<JobKind>,
}

/// One answer of a feed: the changes shown, how many there were after `from` in all, and
/// the mark to go on from (`None`: nothing has changed yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePage<T> {
    pub results: Vec<T>,
    pub total: usize,
    pub next: Option<ChangeMark>,
}

impl<T> ChangePage<T> {
    /// The same page with each change turned into what renders it.
    pub fn map<U>(self, render: impl FnMut(T) -> U) -> ChangePage<U> {
        ChangePage {
            results: self.results.into_iter().map(render).collect(),
            total: self.total,
            next: self.next,
        }
    }
}

impl ChangeFeed {
    /// The changes after where the feed starts, oldest first and at most `limit` of them.
    pub fn page<T>(&self, mut changes: Vec<(ChangeMark, T)>) -> ChangePage<T> {
        changes.sort_by_key(|(mark, _)| *mark);
        let after = match self.from.unwrap_or(ChangesFrom::Start) {
            ChangesFrom::Start => None,
            ChangesFrom::Latest => changes.last().map(|(mark, _)| *mark),
            ChangesFrom::After(mark) => Some(mark),
        };
        let pending: Vec<(ChangeMark, T)> = changes
            .into_iter()
            .filter(|(mark, _)| after.is_none_or(|after| *mark > after))
            .collect();
        let total = pending.len();
        let results: Vec<(ChangeMark, T)> = pending.into_iter().take(self.limit).collect();
        ChangePage {
            next: results.last().map(|(mark, _)| *mark).or(after),
            total,
            results: results.into_iter().map(|(_, change)| change).collect(),
        }
    }
}

/// Which sessions a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionFilter {
    pub job_id: Option<Uuid>,
    /// Only sessions that ended at or after this time.
    pub ended_after: Option<DateTime<Utc>>,
    /// Only sessions that ended at or before this time.
    pub ended_before: Option<DateTime<Utc>>,
    pub status: Option<SessionStatus>,
    /// Only sessions of backup jobs, or only those of backup copy jobs.
    pub kind: Option<JobKind>,
}

impl SessionFilter {
    /// Whether the filter lets through `session`, which a job of `kind` ran.
    pub fn matches(&self, session: &JobSession, kind: JobKind) -> bool {
        let ended = session.end_time.map(|time| time.to_utc());
        self.kind.is_none_or(|wanted| wanted == kind)
            && self.job_id.is_none_or(|id| session.job_id == id)
            && self.status.is_none_or(|status| session.status == status)
            && self
                .ended_after
                .is_none_or(|bound| ended.is_some_and(|end| end >= bound))
            && self
                .ended_before
                .is_none_or(|bound| ended.is_some_and(|end| end <= bound))
    }
}

/// Which sessions a version shows at all: backup copy jobs came with v6, so the versions
/// before it see the sessions of backup jobs only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionScope {
    pub copy_jobs: bool,
}

impl SessionScope {
    pub fn shows(&self, kind: JobKind) -> bool {
        kind == JobKind::Backup || self.copy_jobs
    }
}

/// Which log items a listing shows, and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogItemFilter {
    pub severity: SeverityFilter,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeverityFilter {
    #[default]
    All,
    Only(Severity),
    Nothing,
}

impl LogItemFilter {
    pub fn is_everything_in_order(&self) -> bool {
        *self == Self::default()
    }

    pub fn matches(&self, item: &LogItem<'_>) -> bool {
        match self.severity {
            SeverityFilter::All => true,
            SeverityFilter::Only(severity) => item.severity() == severity,
            SeverityFilter::Nothing => false,
        }
    }
}

/// The filters of an organization's users, groups, sites and teams. Each listing reads the
/// ones its route documents; matching is by substring, without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    /// `userName` of users, `groupName` of groups.
    pub name: Option<String>,
    pub display_name: Option<String>,
    /// `locationFilter`; `None` is `Any`.
    pub locations: Option<Vec<LocationType>>,
    pub include_personal_sites: bool,
    /// `parentId` of sites: only the sites under this one.
    pub parent_id: Option<String>,
    /// `filter` of sites (v7 on): a part of the title or address.
    pub text: Option<String>,
}

impl DirectoryFilter {
    pub fn matches_name(&self, name: &str) -> bool {
        contains(self.name.as_deref(), name)
    }

    pub fn matches_display_name(&self, display_name: &str) -> bool {
        contains(self.display_name.as_deref(), display_name)
    }

    pub fn matches_text(&self, title: &str, url: &str) -> bool {
        contains(self.text.as_deref(), title) || contains(self.text.as_deref(), url)
    }

    pub fn matches_location(&self, location: LocationType) -> bool {
        self.locations
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&location))
    }
}

fn contains(wanted: Option<&str>, value: &str) -> bool {
    wanted.is_none_or(|wanted| value.to_lowercase().contains(wanted))
}

/// `GET /LicensedUsers` filters: `organizationId`, and from v6 `name` with `*` and `?`
/// wildcards, in v8 also `backedUpOrganizationId` (the same organization here: users are
/// licensed where they are backed up).
#[derive(Default)]
pub struct LicensedUserFilter {
    pub organization_id: Option<Uuid>,
    pub name: Option<WildMatch>,
}

/// How `/Proxies` shows each proxy: v6 and v7 add throttling in the extended view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProxyView {
    pub extended: bool,
}

/// Which object storage `/objectstoragerepositories` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ObjectStorageFilter {
    /// Only the archive tiers, for long-term copies.
    pub long_term_only: bool,
}

/// Which repositories `/BackupRepositories` lists: those of a proxy (v6 on), of a pool or
/// of an organization (v8), or only the archive tiers (`longTerm=true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RepositoryFilter {
    pub proxy_id: Option<Uuid>,
    pub pool_id: Option<Uuid>,
    /// Repositories given to the organization or written to by its jobs.
    pub organization_id: Option<Uuid>,
    pub long_term_only: bool,
}

/// Which jobs `/Jobs` lists (v8 filters by organization and repository).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobFilter {
    pub organization_id: Option<Uuid>,
    pub repository_id: Option<Uuid>,
}

impl JobFilter {
    pub fn matches(&self, job: &Job) -> bool {
        self.organization_id
            .is_none_or(|id| job.organization_id == id)
            && self.repository_id.is_none_or(|id| job.repository_id == id)
    }
}

/// Which copy jobs `/CopyJobs` lists: those writing to a repository, and (v8) those of an
/// organization's backup jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CopyJobFilter {
    pub repository_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

impl CopyJobFilter {
    /// `organization_id` is that of the copy job's backup job.
    pub fn matches(&self, copy_job: &CopyJob, organization_id: Option<Uuid>) -> bool {
        self.repository_id
            .is_none_or(|id| copy_job.repository_id == id)
            && self
                .organization_id
                .is_none_or(|id| organization_id == Some(id))
    }
}

/// Which encryption keys `/EncryptionKeys` lists: by hint (without regard to case) and, in
/// v8, by organization.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EncryptionKeyFilter {
    pub description: Option<String>,
    pub organization_id: Option<Uuid>,
}

impl EncryptionKeyFilter {
    pub fn matches(&self, key: &EncryptionKey) -> bool {
        self.description
            .as_deref()
            .is_none_or(|wanted| key.description.eq_ignore_ascii_case(wanted))
            && self
                .organization_id
                .is_none_or(|id| key.organization_id == Some(id))
    }
}

/// Which cloud accounts `/Accounts` lists: by name (`*` and `?` wildcards), type and, in
/// v8, organization.
#[derive(Default)]
pub struct CloudAccountFilter {
    pub name: Option<WildMatch>,
    pub kind: Option<CloudAccountKind>,
    pub organization_id: Option<Uuid>,
}

impl CloudAccountFilter {
    pub fn matches(&self, account: &CloudAccount) -> bool {
        self.name
            .as_ref()
            .is_none_or(|pattern| pattern.matches(&account.user_name))
            && self.kind.is_none_or(|kind| account.kind == kind)
            && self
                .organization_id
                .is_none_or(|id| account.organization_id == Some(id))
    }
}

/// Which Azure service accounts `/AzureServiceAccounts` lists: by application name and
/// description (`*` and `?` wildcards, without regard to case).
#[derive(Default)]
pub struct AzureServiceAccountFilter {
    pub display_name: Option<WildMatch>,
    pub description: Option<WildMatch>,
}

impl AzureServiceAccountFilter {
    pub fn matches(&self, account: &AzureServiceAccount) -> bool {
        self.display_name
            .as_ref()
            .is_none_or(|pattern| pattern.matches(&account.display_name))
            && self
                .description
                .as_ref()
                .is_none_or(|pattern| pattern.matches(&account.description))
    }
}

/// Which applications of a tenant `/Organizations/{id}/Applications` lists: by name
/// (`*` and `?` wildcards, without regard to case) and by tag.
#[derive(Default)]
pub struct ApplicationFilter {
    pub display_name: Option<WildMatch>,
    pub tag: Option<String>,
}

impl ApplicationFilter {
    pub fn matches(&self, application: &TenantApplication) -> bool {
        self.display_name
            .as_ref()
            .is_none_or(|pattern| pattern.matches(&application.display_name))
            && self.tag.as_deref().is_none_or(|wanted| {
                application
                    .tags
                    .iter()
                    .any(|tag| tag.eq_ignore_ascii_case(wanted))
            })
    }
}

/// Which license use `/licensing/statistic/usage` shows: of one platform, of one
/// organization (by its id or, v8, by its backed-up organization's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LicenseUsageFilter {
    pub platform_id: Option<Uuid>,
    /// The organization's id as sent: the contract types it as text.
    pub organization_id: Option<String>,
    pub backed_up_organization_id: Option<String>,
}

impl LicenseUsageFilter {
    /// Whether the organization with id `id` is one the filter names.
    pub fn matches_organization(&self, id: &Uuid) -> bool {
        let names = |wanted: &Option<String>| {
            wanted
                .as_deref()
                .is_none_or(|text| Uuid::parse_str(text.trim()).ok() == Some(*id))
        };
        names(&self.organization_id) && names(&self.backed_up_organization_id)
    }
}

/// The items a removal names with `ids` (comma-separated, or the parameter repeated).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemIds {
    pub ids: Vec<Uuid>,
}

/// Which restore points `/RestorePoints` lists, and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RestorePointFilter {
    pub organization_id: Option<Uuid>,
    pub job_id: Option<Uuid>,
    pub repository_id: Option<Uuid>,
    /// Only points at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only points at or before this time.
    pub to: Option<DateTime<Utc>>,
    pub newest_first: bool,
}

impl RestorePointFilter {
    pub fn matches(&self, point: &RestorePointView<'_>) -> bool {
        let time = point.backup_time.to_utc();
        self.organization_id
            .is_none_or(|id| point.job.organization_id == id)
            && self.job_id.is_none_or(|id| point.job.id == id)
            && self
                .repository_id
                .is_none_or(|id| point.job.repository_id == id)
            && self.from.is_none_or(|from| time >= from)
            && self.to.is_none_or(|to| time <= to)
    }
}

/// Which folders of a mailbox a listing shows: those under `parentId` (the top ones
/// without it) whose name holds `name`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderFilter {
    pub parent_id: Option<String>,
    pub name: Option<String>,
}

/// What a OneDrive listing shows: the children of `parentId` (the root's without), v7's
/// `includeFolders` to list folders before documents, and the folder version a folder
/// lookup asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DriveFilter {
    pub parent_id: Option<String>,
    pub include_folders: bool,
    pub version_id: Option<String>,
}

/// What a Teams listing shows: teams and channels by `displayName`, files of a channel
/// (`channelId`) or a folder (`parentId`), v7's `foldersOnly`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TeamsFilter {
    pub display_name: Option<String>,
    pub channel_id: Option<String>,
    pub parent_id: Option<String>,
    pub folders_only: bool,
}

impl TeamsFilter {
    /// Whether a name holds the `displayName` asked for, without regard to case.
    pub fn shows(&self, name: &str) -> bool {
        self.display_name
            .as_deref()
            .is_none_or(|wanted| name.to_lowercase().contains(&wanted.to_lowercase()))
    }
}

/// Which posts a listing or search shows: those of a channel (`channelId`), the replies to
/// one post (`parentId`, a post's number).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostFilter {
    pub channel_id: Option<String>,
    pub parent_id: Option<i64>,
}

/// Which folder's items a listing shows (`folderId` in v6, `parentId` on); all without.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemFilter {
    pub folder_id: Option<String>,
}

/// An `organizationId` a route takes besides its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrganizationParameter {
    pub organization_id: Option<Uuid>,
}

/// Which protected objects `/ProtectedUsers` (and groups, sites, teams) list: those of an
/// organization, in a repository or in a restore point (v8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProtectedFilter {
    pub organization_id: Option<Uuid>,
    pub repository_id: Option<Uuid>,
    pub restore_point_id: Option<Uuid>,
}

/// `GET /Organization/LoggedInUser/RestorePoints` filters: one object the operator manages,
/// and whether to list the points of backup copies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorPointFilter {
    pub rbac_item: Option<String>,
    pub copies: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(at: i64, id: u128) -> ChangeMark {
        ChangeMark {
            at,
            id: Uuid::from_u128(id),
        }
    }

    fn feed(from: Option<ChangesFrom>, limit: usize) -> ChangeFeed {
        ChangeFeed {
            from,
            limit,
            kind: None,
        }
    }

    #[test]
    fn a_feed_goes_on_after_the_mark_oldest_first_and_ties_are_kept_apart_by_id() {
        let changes = vec![
            (mark(20, 1), "c"),
            (mark(10, 2), "a"),
            (mark(20, 0), "b"),
            (mark(30, 0), "d"),
        ];
        let first = feed(None, 2).page(changes.clone());
        assert_eq!(first.results, vec!["a", "b"]);
        assert_eq!((first.total, first.next), (4, Some(mark(20, 0))));
        let second = feed(first.next.map(ChangesFrom::After), 2).page(changes.clone());
        assert_eq!(second.results, vec!["c", "d"]);
        assert_eq!((second.total, second.next), (2, Some(mark(30, 0))));
        let after_all = feed(second.next.map(ChangesFrom::After), 2).page(changes);
        assert!(after_all.results.is_empty());
        assert_eq!(
            after_all.next,
            Some(mark(30, 0)),
            "an empty page keeps the mark"
        );
    }

    #[test]
    fn latest_shows_nothing_and_marks_the_newest_change() {
        let changes = vec![(mark(10, 0), 1), (mark(40, 0), 2)];
        let page = feed(Some(ChangesFrom::Latest), 30).page(changes);
        assert!(page.results.is_empty());
        assert_eq!((page.total, page.next), (0, Some(mark(40, 0))));
        let nothing = feed(Some(ChangesFrom::Latest), 30).page(Vec::<(ChangeMark, u8)>::new());
        assert_eq!(nothing.next, None);
    }
}

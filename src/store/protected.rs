//! What the world's backups protect: the objects each job session processed, the users,
//! groups, sites and teams that restore points hold, and restore points and sessions as
//! feeds of changes.

use std::collections::HashMap;

use uuid::Uuid;

use super::{SessionRecord, World};
use crate::model::{
    BackedUpPart, ChangeMark, DirectoryUser, Group, JobKind, PartSpans, ProcessedObject,
    ProtectedFilter, ProtectedKind, RestorePointContents, RestorePointView, Site, Team,
};

impl World {
    /// The objects a session processed, read from its log: one per `Processing ...` item.
    pub fn processed_objects(&self, record: &SessionRecord) -> Vec<ProcessedObject> {
        let organization_id = self
            .runnable(&record.session.job_id)
            .map(|job| job.organization_id);
        record
            .log
            .iter()
            .filter_map(|item| {
                let message = item.message().to_string();
                let (part, name) = BackedUpPart::of_message(&message)?;
                let known = organization_id.and_then(|organization| match part.kind() {
                    ProtectedKind::User => self
                        .organization_users(organization)
                        .find(|user| user.name == name)
                        .map(|user| user.id),
                    ProtectedKind::Site => self
                        .organization_sites(organization)
                        .find(|site| site.url == name)
                        .map(|site| site.id),
                    ProtectedKind::Group => self
                        .organization_groups(organization)
                        .find(|group| group.name == name)
                        .map(|group| group.id),
                    ProtectedKind::Team => self
                        .organization_teams(organization)
                        .find(|team| team.display_name == name)
                        .map(|team| team.id),
                });
                Some(ProcessedObject {
                    id: known
                        .unwrap_or_else(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())),
                    organization_id: known.and(organization_id),
                    part,
                    status: item.severity(),
                })
            })
            .collect()
    }

    /// The objects some repository holds, of the restore points `filter` lets through: of
    /// its organization, in its repository, the one it names.
    fn protected(&self, filter: &ProtectedFilter) -> HashMap<Uuid, PartSpans> {
        self.held_parts(|point| {
            filter
                .organization_id
                .is_none_or(|id| point.job.organization_id == id)
                && filter
                    .repository_id
                    .is_none_or(|id| point.job.repository_id == id)
                && filter.restore_point_id.is_none_or(|id| point.id == id)
        })
    }

    /// Users whose mailbox or OneDrive a backup holds.
    pub fn protected_users(&self, filter: &ProtectedFilter) -> Vec<&DirectoryUser> {
        let held = self.protected(filter);
        self.directory_users
            .iter()
            .filter(|user| held.contains_key(&user.id))
            .collect()
    }

    pub fn protected_groups(&self, filter: &ProtectedFilter) -> Vec<&Group> {
        let held = self.protected(filter);
        self.groups
            .iter()
            .filter(|group| held.contains_key(&group.id))
            .collect()
    }

    pub fn protected_sites(&self, filter: &ProtectedFilter) -> Vec<&Site> {
        let held = self.protected(filter);
        self.sites
            .iter()
            .filter(|site| held.contains_key(&site.id))
            .collect()
    }

    pub fn protected_teams(&self, filter: &ProtectedFilter) -> Vec<&Team> {
        let held = self.protected(filter);
        self.teams
            .iter()
            .filter(|team| held.contains_key(&team.id))
            .collect()
    }
}

impl World {
    /// What the restore point `id` holds, if there is one: the objects its session backed
    /// up, less data removed since.
    pub fn restore_point_contents(&self, id: Uuid) -> Option<RestorePointContents<'_>> {
        if !self.restore_points().any(|point| point.id == id) {
            return None;
        }
        let held = self.held_parts(|point| point.id == id);
        let spans = |id: &Uuid| held.get(id).copied();
        Some(RestorePointContents {
            users: self
                .directory_users
                .iter()
                .filter_map(|user| Some((user, spans(&user.id)?)))
                .collect(),
            groups: self
                .groups
                .iter()
                .filter_map(|group| Some((group, spans(&group.id)?)))
                .collect(),
            sites: self
                .sites
                .iter()
                .filter(|site| spans(&site.id).is_some_and(|held| held.holds(BackedUpPart::Site)))
                .collect(),
            teams: self
                .teams
                .iter()
                .filter(|team| spans(&team.id).is_some_and(|held| held.holds(BackedUpPart::Team)))
                .collect(),
        })
    }

    /// Every restore point as a change: it appeared when its backup was taken.
    pub fn restore_point_changes(&self) -> Vec<(ChangeMark, RestorePointView<'_>)> {
        self.restore_points()
            .map(|point| (ChangeMark::new(&point.backup_time, point.id), point))
            .collect()
    }

    /// Every job session of a job of `kind` (any without one) as a change: it last changed
    /// when it ended or, while it runs, when its log last grew.
    pub fn session_changes(&self, kind: Option<JobKind>) -> Vec<(ChangeMark, &SessionRecord)> {
        self.sessions_oldest_first()
            .filter(|record| kind.is_none_or(|kind| self.session_target(&record.session).0 == kind))
            .map(|record| {
                let session = &record.session;
                let changed = session
                    .end_time
                    .or_else(|| record.log.last().map(|item| item.end_time()))
                    .unwrap_or(session.creation_time)
                    .max(session.creation_time);
                (ChangeMark::new(&changed, session.id), record)
            })
            .collect()
    }
}

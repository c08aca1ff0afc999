//! What each repository holds: the objects its restore points processed, less removed data.

use std::collections::HashMap;

use uuid::Uuid;

use super::World;
use crate::model::{
    BackedUpPart, BackupData, BackupDataFilter, BackupRepository, DirectoryUser, Group, Id,
    NotFound, OneDrive, Organization, PartSpans, RemovedData, RestorePointView, Site, Team,
    Timestamp,
};

impl World {
    /// When the restore points `keep` lets through first and last held each part of each
    /// object, by the object's id; an organization is listed under its own id with the
    /// parts of all its objects. A part a session failed on, an object the world does not
    /// know and data removed after the restore point was taken do not count.
    pub fn held_parts(
        &self,
        keep: impl Fn(&RestorePointView<'_>) -> bool,
    ) -> HashMap<Uuid, PartSpans> {
        let mut held: HashMap<Uuid, PartSpans> = HashMap::new();
        for point in self.restore_points().filter(|point| keep(point)) {
            let Some(record) = self.session(&point.session.id) else {
                continue;
            };
            let repository_id = point.job.repository_id;
            for object in self.processed_objects(record) {
                let Some(organization_id) = object.organization_id else {
                    continue;
                };
                let removed = self
                    .removed_data
                    .iter()
                    .any(|removal| removal.covers(repository_id, object.id, &point.backup_time));
                if removed || !BackedUpPart::kept(object.status) {
                    continue;
                }
                for id in [object.id, organization_id] {
                    held.entry(id)
                        .or_default()
                        .cover(object.part, point.backup_time);
                }
            }
        }
        held
    }

    /// What a repository holds as of the filter's point in time (all of it without one),
    /// of the filter's organization (of every one without it).
    fn repository_holdings(
        &self,
        repository: &BackupRepository,
        filter: &BackupDataFilter,
    ) -> HashMap<Uuid, PartSpans> {
        self.held_parts(|point| {
            point.job.repository_id == repository.id
                && filter
                    .organization_id
                    .is_none_or(|id| point.job.organization_id == id)
                && filter
                    .point_in_time
                    .is_none_or(|at| point.backup_time <= at)
        })
    }

    /// The proxy that moves a repository's data: its own, or the first of its pool's.
    fn repository_proxy(&self, repository: &BackupRepository) -> Option<Uuid> {
        repository.proxy_id().copied().or_else(|| {
            let pool = repository.pool_id()?;
            self.proxies
                .iter()
                .find(|proxy| proxy.pool_id.as_ref() == Some(pool))
                .map(|proxy| proxy.id)
        })
    }

    /// The objects the repository holds `part` of (any part without one), in the order
    /// `objects` gives them: each is the id its parts are held under, the id it is listed
    /// under and the object.
    fn held_objects<'a, T>(
        &self,
        repository: &'a BackupRepository,
        filter: &BackupDataFilter,
        part: Option<BackedUpPart>,
        objects: impl Iterator<Item = (Uuid, Uuid, T)>,
    ) -> Vec<BackupData<'a, T>> {
        let held = self.repository_holdings(repository, filter);
        let proxy_id = self.repository_proxy(repository);
        objects
            .filter_map(|(owner, id, object)| {
                let spans = *held.get(&owner)?;
                part.is_none_or(|part| spans.holds(part))
                    .then_some(BackupData {
                        repository,
                        proxy_id,
                        id,
                        object,
                        spans,
                    })
            })
            .collect()
    }

    /// The organizations, users, sites, groups or teams the repository holds data of.
    pub fn backup_data<'a, K: Held>(
        &'a self,
        repository: &'a BackupRepository,
        filter: &BackupDataFilter,
    ) -> Vec<BackupData<'a, &'a K>> {
        let objects = K::listed(self)
            .iter()
            .map(|object| (object.id(), object.id(), object));
        self.held_objects(repository, filter, None, objects)
    }

    /// Mailboxes whose name or address holds the filter's text.
    pub fn backup_mailboxes<'a>(
        &'a self,
        repository: &'a BackupRepository,
        filter: &BackupDataFilter,
    ) -> Vec<BackupData<'a, &'a DirectoryUser>> {
        let objects = self
            .directory_users
            .iter()
            .filter(|user| filter.names_match(&[&user.display_name, &user.name]))
            .map(|user| (user.id, user.id, user));
        self.held_objects(repository, filter, Some(BackedUpPart::Mailbox), objects)
    }

    /// OneDrives whose name or address holds the filter's text, with their users.
    pub fn backup_onedrives<'a>(
        &'a self,
        repository: &'a BackupRepository,
        filter: &BackupDataFilter,
    ) -> Vec<BackupData<'a, (&'a DirectoryUser, &'a OneDrive)>> {
        let objects = self.directory_users.iter().flat_map(|user| {
            user.onedrives
                .iter()
                .filter(|drive| filter.names_match(&[&drive.name, &drive.url, &user.name]))
                .map(move |drive| (user.id, drive.id, (user, drive)))
        });
        self.held_objects(repository, filter, Some(BackedUpPart::OneDrive), objects)
    }

    /// Removes what a repository holds of a user, group, site or team, as of `now`: its
    /// restore points no longer show it, and backups after `now` take it again.
    pub fn remove_backup_data(
        &mut self,
        repository_id: Uuid,
        object_id: Uuid,
        now: Timestamp,
    ) -> Result<(), NotFound> {
        let repository = self.find(&Id::<BackupRepository>::new(repository_id))?;
        let holds_it = self
            .repository_holdings(repository, &BackupDataFilter::default())
            .contains_key(&object_id);
        // Organizations are listed under their own ids too; their data goes object by object.
        if !holds_it || self.organization(&object_id).is_some() {
            return Err(NotFound {
                what: "Backed-up data",
                id: object_id.to_string(),
            });
        }
        self.removed_data.retain(|removal| {
            removal.repository_id != repository_id || removal.object_id != object_id
        });
        self.removed_data.push(RemovedData {
            repository_id,
            object_id,
            removed_at: now,
        });
        Ok(())
    }
}

/// What a repository holds data of under the object's own id, as the world lists them.
pub trait Held: Sized + 'static {
    fn listed(world: &World) -> &[Self];

    fn id(&self) -> Uuid;
}

macro_rules! held_in {
    ($($kind:ty => $list:ident),* $(,)?) => {
        $(impl Held for $kind {
            fn listed(world: &World) -> &[Self] {
                &world.$list
            }

            fn id(&self) -> Uuid {
                self.id
            }
        })*
    };
}

held_in! {
    Organization => organizations,
    DirectoryUser => directory_users,
    Site => sites,
    Group => groups,
    Team => teams,
}

//! What a OneDrive restore session shows of a OneDrive: the documents the backups gathered,
//! computed from the seed, and those restored into it since, resolved through the
//! restores' sources; both only when asked for.

use std::rc::Rc;

use uuid::Uuid;

use super::mail::{page_of_folders, restore_duration};
use super::{JobEditError, World};
use crate::model::{
    DirectoryUser, Document, DriveContent, DriveFolder, Exploration, Id, OneDrive, PinnedDocument,
    RESTORED, RestoreOutcome, RestoreScope, RestoreSelection, RestoreSession, RestoreTrouble,
    RestoredDocuments, RestoredItems, SourceItem, Timestamp, UserKind,
};

/// How far back the documents a backup holds go from an organization's first restore point.
const DOCUMENT_HISTORY: chrono::TimeDelta = chrono::TimeDelta::days(365);

/// A OneDrive as a restore session sees it at its point in time.
pub struct SessionOneDrive<'w> {
    world: &'w World,
    pub owner: &'w DirectoryUser,
    pub drive: &'w OneDrive,
    pub content: DriveContent,
    organization_id: Uuid,
    seen: Exploration,
    people: Rc<[&'w str]>,
    /// The world file's documents in this OneDrive: folder, the number of the document
    /// each replaces, and the pin.
    pins: Vec<(usize, u64, &'w PinnedDocument)>,
}

impl<'w> SessionOneDrive<'w> {
    /// The point in time the session shows.
    pub fn at(&self) -> &Timestamp {
        &self.seen.point_in_time
    }

    /// How many documents the folder held in the backup: gathered and restored.
    pub fn count(&self, folder: DriveFolder) -> u64 {
        self.content.count(folder, self.at())
            + self
                .restores()
                .map(|restore| restore.count_into(folder.index))
                .sum::<u64>()
    }

    /// The document at `position` in the folder's listing: the gathered ones oldest first,
    /// then the restored ones in the order they were restored.
    pub fn document_at(&self, folder: DriveFolder, position: u64) -> Option<Document> {
        let gathered = self.content.count(folder, self.at());
        if position < gathered {
            Some(self.gathered(folder, position))
        } else {
            self.restored(folder, position - gathered)
        }
    }

    /// The document `number` names in the folder, if the backup holds it.
    pub fn document(&self, folder: DriveFolder, number: u64) -> Option<Document> {
        if number >= RESTORED {
            return self.restored(folder, number - RESTORED);
        }
        (number < self.content.count(folder, self.at())).then(|| self.gathered(folder, number))
    }

    /// Gathered document `number` of the folder, as a pin has it where one takes its place.
    fn gathered(&self, folder: DriveFolder, number: u64) -> Document {
        let document = self
            .content
            .document(folder, number, self.at(), &self.people);
        match self
            .pins
            .iter()
            .find(|(index, pinned, _)| *index == folder.index && *pinned == number)
        {
            Some((_, _, pin)) => pin.shape(document),
            None => document,
        }
    }

    /// The document an id names, if it is of this OneDrive and the backup holds it.
    pub fn find(&self, id: &str) -> Option<Document> {
        let (folder, number) = Document::parse_id(self.drive.id, id)?;
        self.document(folder, number)
    }

    /// A version of a document: a restored copy has the one version it was written as.
    pub fn version(&self, document: &Document, version: u64) -> Option<Document> {
        if document.number >= RESTORED {
            return (version == 1).then(|| document.clone());
        }
        document.at_version(version, &self.content, &self.people)
    }

    /// A page of the folders' documents, folder after folder, and how many they hold in
    /// all: only the page is computed.
    pub fn page(&self, folders: &[DriveFolder], offset: u64, limit: usize) -> (u64, Vec<Document>) {
        page_of_folders(
            folders,
            |folder| self.count(folder),
            |folder, position| self.document_at(folder, position),
            (offset, limit),
        )
    }

    /// The restores into this OneDrive that a backup taken after them and at or before the
    /// session's point in time holds, in the order they were made.
    fn restores(&self) -> impl Iterator<Item = &'w RestoredDocuments> + '_ {
        let world = self.world;
        world.restored_documents.iter().filter(move |restore| {
            restore.target_onedrive == self.drive.id
                && world.backed_up_between(self.organization_id, self.seen, restore.restored_at)
        })
    }

    /// The `nth` document restored into the folder, numbered as this OneDrive lists it: a
    /// new file with one version, written as the source showed it.
    fn restored(&self, folder: DriveFolder, mut nth: u64) -> Option<Document> {
        let number = RESTORED + nth;
        for restore in self.restores() {
            let count = restore.count_into(folder.index);
            if nth >= count {
                nth -= count;
                continue;
            }
            let source = self.world.onedrive_in(
                restore.organization_id,
                restore.source,
                restore.source_onedrive,
            )?;
            let document = match restore.source_of(folder.index, nth)? {
                SourceItem::Number(from, number) => {
                    source.document(DriveFolder::parse_index(source.drive.id, from)?, number)
                }
                SourceItem::Position(from, position) => {
                    source.document_at(DriveFolder::parse_index(source.drive.id, from)?, position)
                }
            }?;
            return Some(Document {
                folder,
                number,
                version: 1,
                versions: 1,
                modified: restore.restored_at,
                ..document
            });
        }
        None
    }
}

impl World {
    /// Whether a backup of the scope taken at or after `since` and at or before the point
    /// in time the exploration shows exists: what happened in the tenant at `since` is in it.
    pub(super) fn backed_up_between(
        &self,
        organization_id: Uuid,
        seen: Exploration,
        since: Timestamp,
    ) -> bool {
        self.restore_points_in(organization_id, seen.scope)
            .any(|point| point.backup_time >= since && point.backup_time <= seen.point_in_time)
    }

    /// The OneDrives a restore session shows: those of the organization's users whose
    /// data its jobs back up, as the backup at the session's point in time holds them.
    pub fn session_onedrives(&self, session: &RestoreSession) -> Vec<SessionOneDrive<'_>> {
        let Some(seen) = session.explored else {
            return Vec::new();
        };
        let mut onedrives = self.onedrives_in(session.organization_id, seen);
        onedrives.retain(|onedrive| session.shows(onedrive.owner.id));
        onedrives
    }

    /// When the content the backups of an organization hold begins: [`DOCUMENT_HISTORY`]
    /// before its first restore point; none before it has one.
    pub(super) fn content_since(&self, organization_id: Uuid) -> Option<Timestamp> {
        self.restore_points_in(organization_id, RestoreScope::Organization)
            .map(|point| point.backup_time)
            .min()
            .map(|first| first - DOCUMENT_HISTORY)
    }

    /// The people of an organization who write its content, by name.
    pub(super) fn authors(&self, organization_id: Uuid) -> Rc<[&str]> {
        self.organization_users(organization_id)
            .filter(|user| user.kind == UserKind::User)
            .map(|user| user.name.as_str())
            .collect()
    }

    fn onedrives_in(&self, organization_id: Uuid, seen: Exploration) -> Vec<SessionOneDrive<'_>> {
        let Some(since) = self.content_since(organization_id) else {
            return Vec::new();
        };
        let licensed: Vec<&str> = self
            .organization_licensed_users(organization_id)
            .map(|user| user.name.as_str())
            .collect();
        let people = self.authors(organization_id);
        self.organization_users(organization_id)
            .filter(|user| user.kind == UserKind::User && licensed.contains(&user.name.as_str()))
            .flat_map(|owner| owner.onedrives.iter().map(move |drive| (owner, drive)))
            .map(|(owner, drive)| {
                let content = DriveContent {
                    onedrive_id: drive.id,
                    seed: self.seed,
                    since,
                    scale: drive.document_scale,
                };
                let pins = self
                    .pinned_documents
                    .iter()
                    .filter(|pin| pin.onedrive_id == drive.id)
                    .filter_map(|pin| Some((pin.folder, pin.number(&content)?, pin)))
                    .collect();
                SessionOneDrive {
                    world: self,
                    owner,
                    drive,
                    content,
                    organization_id,
                    seen,
                    people: Rc::clone(&people),
                    pins,
                }
            })
            .collect()
    }

    /// One OneDrive of an organization as a backup shows it.
    fn onedrive_in(
        &self,
        organization_id: Uuid,
        seen: Exploration,
        onedrive_id: Uuid,
    ) -> Option<SessionOneDrive<'_>> {
        self.onedrives_in(organization_id, seen)
            .into_iter()
            .find(|onedrive| onedrive.drive.id == onedrive_id)
    }
}

/// Where a document restore writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriveTarget {
    /// Back where the documents came from.
    Original,
    /// A OneDrive of the organization, into one folder or each document's own.
    OneDrive { id: Uuid, folder: Option<usize> },
}

/// A restore of documents from a restore session: what it takes and where it writes, and
/// how its event names it.
#[derive(Debug, Clone)]
pub struct DocumentRestore {
    pub session_id: Uuid,
    pub source_onedrive: Uuid,
    pub selection: RestoreSelection,
    pub target: DriveTarget,
    pub item_name: String,
    pub item_type: &'static str,
    pub item_size_bytes: u64,
    /// Why it was made, as a restore operator gives it.
    pub reason: Option<String>,
}

impl World {
    /// Restores documents: to the original location every document is still there and is
    /// skipped; to another OneDrive or folder every document is written and the backups
    /// taken after the restore ends show it there. Either way the session gains an event
    /// that runs on the clock.
    pub fn restore_documents(
        &mut self,
        restore: DocumentRestore,
        now: Timestamp,
    ) -> Result<RestoreOutcome, JobEditError> {
        let session = self.find(&Id::<RestoreSession>::new(restore.session_id))?;
        let seen = session.explored.ok_or_else(|| {
            JobEditError::Invalid("The restore session shows no backups.".to_owned())
        })?;
        let organization_id = session.organization_id;
        let onedrives = self.onedrives_in(organization_id, seen);
        let name_of = |id: Uuid| {
            onedrives
                .iter()
                .find(|onedrive| onedrive.drive.id == id)
                .map(|onedrive| onedrive.drive.url.clone())
        };
        let source = name_of(restore.source_onedrive).ok_or_else(|| {
            JobEditError::Invalid("The OneDrive is not in the restore session.".to_owned())
        })?;
        let total = restore.selection.total();
        let end = now + restore_duration(total);
        let trouble = self.restore_trouble(&organization_id);
        let (target, outcome) = match restore.target {
            DriveTarget::OneDrive { id, folder }
                if id != restore.source_onedrive || folder.is_some() =>
            {
                let target = name_of(id).ok_or_else(|| {
                    JobEditError::Invalid(
                        "The target OneDrive is not in the organization.".to_owned(),
                    )
                })?;
                if !trouble.as_ref().is_some_and(RestoreTrouble::fails) {
                    self.restored_documents.push(RestoredDocuments {
                        organization_id,
                        target_onedrive: id,
                        target_folder: folder,
                        source_onedrive: restore.source_onedrive,
                        source: seen,
                        selection: restore.selection,
                        restored_at: end,
                    });
                }
                (target, RestoreOutcome::written(total))
            }
            _ => (source.clone(), RestoreOutcome::unchanged(total)),
        };
        self.record_running_restore(
            restore.session_id,
            (
                &restore.item_name,
                restore.item_type,
                restore.item_size_bytes,
            ),
            (source, target),
            (outcome, trouble),
            restore.reason,
            (now, end),
        )
    }
}

//! Backed-up OneDrive content as a pure function of the world's seed, the OneDrive and the
//! point in time: folders, documents and their versions are computed when asked for, never
//! stored, so a OneDrive of a million documents costs nothing until it is browsed and any
//! page of it costs what a page of a small one does.

use chrono::TimeDelta;
use uuid::Uuid;

use super::restored::{RestoreSelection, RestoredItems};
use super::{Exploration, Timestamp, mix};

/// The folders every backed-up OneDrive has, in the order they are listed: name, the index
/// of its parent (`None`: the OneDrive's root), and how many documents a week it gathers.
pub const DRIVE_FOLDERS: [(&str, Option<usize>, u32); 6] = [
    ("Documents", None, 14),
    ("Desktop", None, 3),
    ("Pictures", None, 7),
    ("Projects", Some(0), 7),
    ("Reports", Some(0), 2),
    ("Archive", Some(3), 1),
];

/// How long after a document's creation each of its later versions is saved.
const VERSION_GAP: TimeDelta = TimeDelta::days(2);

/// The most versions a document reaches.
const MAX_VERSIONS: u64 = 5;

/// A folder of a backed-up OneDrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriveFolder {
    pub onedrive_id: Uuid,
    /// Its place in [`DRIVE_FOLDERS`].
    pub index: usize,
}

impl DriveFolder {
    pub fn all(onedrive_id: Uuid) -> impl Iterator<Item = DriveFolder> {
        (0..DRIVE_FOLDERS.len()).map(move |index| DriveFolder { onedrive_id, index })
    }

    pub fn name(&self) -> &'static str {
        DRIVE_FOLDERS[self.index].0
    }

    pub fn parent(&self) -> Option<DriveFolder> {
        DRIVE_FOLDERS[self.index].1.map(|index| DriveFolder {
            onedrive_id: self.onedrive_id,
            index,
        })
    }

    /// The folder and the folders under it, at any depth.
    pub fn with_subfolders(self) -> Vec<DriveFolder> {
        Self::all(self.onedrive_id)
            .filter(|candidate| {
                std::iter::successors(Some(*candidate), DriveFolder::parent).any(|up| up == self)
            })
            .collect()
    }

    /// The folder at a place in [`DRIVE_FOLDERS`].
    pub fn parse_index(onedrive_id: Uuid, index: usize) -> Option<DriveFolder> {
        (index < DRIVE_FOLDERS.len()).then_some(DriveFolder { onedrive_id, index })
    }

    /// The folder's path from the OneDrive's root, e.g. `/Documents/Projects`.
    pub fn path(&self) -> String {
        match self.parent() {
            Some(parent) => format!("{}/{}", parent.path(), self.name()),
            None => format!("/{}", self.name()),
        }
    }

    /// The folder's id: its OneDrive's and its place, so that it can be read back.
    pub fn id(&self) -> String {
        format!("{}-{:02}", self.onedrive_id.simple(), self.index)
    }

    /// The folder an id names in a OneDrive.
    pub fn parse(onedrive_id: Uuid, id: &str) -> Option<DriveFolder> {
        let (drive, index) = id.rsplit_once('-')?;
        let index: usize = index.parse().ok()?;
        (drive == onedrive_id.simple().to_string() && index < DRIVE_FOLDERS.len())
            .then_some(DriveFolder { onedrive_id, index })
    }

    /// The folder an id, a name or a path (any case, with or without its leading `/`) names
    /// in a OneDrive.
    pub fn named(onedrive_id: Uuid, text: &str) -> Option<DriveFolder> {
        Self::parse(onedrive_id, text).or_else(|| {
            let wanted = text.trim_matches('/');
            Self::all(onedrive_id).find(|folder| {
                folder.path()[1..].eq_ignore_ascii_case(wanted)
                    || folder.name().eq_ignore_ascii_case(wanted)
            })
        })
    }

    fn per_week(&self, scale: u32) -> u32 {
        DRIVE_FOLDERS[self.index].2.saturating_mul(scale).max(1)
    }
}

/// How a OneDrive's backed-up content is laid out: from when it gathers documents, and how
/// many times the folders' usual rates it gathers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriveContent {
    pub onedrive_id: Uuid,
    /// The world's seed, so two worlds differ.
    pub seed: u64,
    /// When the first document of every folder was created.
    pub since: Timestamp,
    /// A multiple of the folders' rates (1: a usual OneDrive).
    pub scale: u32,
}

/// One backed-up document, as one of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub folder: DriveFolder,
    /// Its place in its folder, oldest first.
    pub number: u64,
    pub name: String,
    pub created: Timestamp,
    pub created_by: String,
    /// The version shown, from 1.
    pub version: u64,
    /// How many versions the backup holds.
    pub versions: u64,
    pub modified: Timestamp,
    pub modified_by: String,
    pub size_bytes: u64,
}

impl Document {
    /// The document's id: OneDrive, folder and place, so that it can be read back.
    pub fn id(&self) -> String {
        format!("{}-{:012x}", self.folder.id(), self.number)
    }

    /// The folder and number a document id names in a OneDrive.
    pub fn parse_id(onedrive_id: Uuid, id: &str) -> Option<(DriveFolder, u64)> {
        let (folder, number) = id.rsplit_once('-')?;
        let folder = DriveFolder::parse(onedrive_id, folder)?;
        Some((folder, u64::from_str_radix(number, 16).ok()?))
    }

    /// The same document as an earlier version, if it has one of that number.
    pub fn at_version(
        &self,
        version: u64,
        content: &DriveContent,
        people: &[&str],
    ) -> Option<Self> {
        (1..=self.versions)
            .contains(&version)
            .then(|| content.shaped(self.clone(), version, people))
    }
}

const STEMS: [(&str, &str); 10] = [
    ("Budget", "xlsx"),
    ("Roadmap", "pptx"),
    ("Meeting notes", "docx"),
    ("Invoice", "pdf"),
    ("Team photo", "jpg"),
    ("Design draft", "docx"),
    ("Forecast", "xlsx"),
    ("Contract", "pdf"),
    ("Onboarding", "pptx"),
    ("Checklist", "txt"),
];

impl DriveContent {
    /// How far apart a folder's documents are created.
    fn interval(&self, folder: DriveFolder) -> TimeDelta {
        TimeDelta::milliseconds(7 * 86_400_000 / i64::from(folder.per_week(self.scale)))
    }

    /// How many documents the folder held at `at`.
    pub fn count(&self, folder: DriveFolder, at: &Timestamp) -> u64 {
        if *at < self.since {
            return 0;
        }
        let elapsed = (*at - self.since).num_milliseconds();
        u64::try_from(elapsed / self.interval(folder).num_milliseconds().max(1) + 1).unwrap_or(0)
    }

    fn hash(&self, folder: DriveFolder, number: u64) -> u64 {
        mix(self.seed
            ^ mix(self.onedrive_id.as_u128() as u64 ^ mix(number ^ (folder.index as u64) << 48)))
    }

    /// Document `number` of the folder as its newest version at `at`, whether or not it
    /// had been created yet (then as its first).
    pub fn document(
        &self,
        folder: DriveFolder,
        number: u64,
        at: &Timestamp,
        people: &[&str],
    ) -> Document {
        let hash = self.hash(folder, number);
        let created = self.since
            + TimeDelta::milliseconds(
                self.interval(folder)
                    .num_milliseconds()
                    .saturating_mul(i64::try_from(number).unwrap_or(i64::MAX)),
            );
        let (stem, extension) = STEMS[(hash % STEMS.len() as u64) as usize];
        let most = 1 + (hash >> 12) % MAX_VERSIONS;
        let saved = if *at < created {
            1
        } else {
            1 + u64::try_from((*at - created).num_milliseconds() / VERSION_GAP.num_milliseconds())
                .unwrap_or(0)
        };
        let versions = most.min(saved);
        let document = Document {
            folder,
            number,
            name: format!("{stem} {}.{extension}", number + 1),
            created,
            created_by: pick(people, hash >> 20),
            version: versions,
            versions,
            modified: created,
            modified_by: String::new(),
            size_bytes: 0,
        };
        self.shaped(document, versions, people)
    }

    /// The document as its version `version`: when it was saved, by whom, how large.
    fn shaped(&self, document: Document, version: u64, people: &[&str]) -> Document {
        let hash = self.hash(document.folder, document.number);
        let steps = i32::try_from(version - 1).unwrap_or(0);
        Document {
            modified: document.created + VERSION_GAP * steps,
            modified_by: pick(people, (hash >> 20).wrapping_add(version - 1)),
            size_bytes: 4_000 + (hash >> 30) % 3_000_000 + (version - 1) * 1_500,
            version,
            ..document
        }
    }

    /// The document an id names, if it is of this OneDrive and had been created at `at`.
    pub fn find(&self, id: &str, at: &Timestamp, people: &[&str]) -> Option<Document> {
        let (folder, number) = Document::parse_id(self.onedrive_id, id)?;
        (number < self.count(folder, at)).then(|| self.document(folder, number, at, people))
    }
}

/// A document a world file puts into a backed-up OneDrive, so a test knows one document it
/// will find: it takes the place of the document created in its folder at or just before
/// `created`, so counts, positions and the ids of every other document stay as they were;
/// its versions follow the usual rule from `created`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedDocument {
    pub onedrive_id: Uuid,
    /// Its folder's place in [`DRIVE_FOLDERS`].
    pub folder: usize,
    pub created: Timestamp,
    pub name: String,
    /// Left out: the author of the document it replaces.
    pub created_by: Option<String>,
}

impl PinnedDocument {
    /// The number of the gathered document it replaces, if the OneDrive gathered
    /// documents by then.
    pub fn number(&self, content: &DriveContent) -> Option<u64> {
        let folder = DriveFolder {
            onedrive_id: self.onedrive_id,
            index: self.folder,
        };
        content.count(folder, &self.created).checked_sub(1)
    }

    /// The document it replaces, as the pin has it: its versions keep their spacing from
    /// the pinned creation time.
    pub fn shape(&self, document: Document) -> Document {
        Document {
            name: self.name.clone(),
            modified: document.modified + (self.created - document.created),
            created: self.created,
            created_by: self.created_by.clone().unwrap_or(document.created_by),
            ..document
        }
    }
}

/// One of `people` by a hash, or a stand-in when there is nobody.
pub(super) fn pick(people: &[&str], hash: u64) -> String {
    if people.is_empty() {
        "someone@example.com".to_owned()
    } else {
        people[(hash % people.len() as u64) as usize].to_owned()
    }
}

/// Documents a restore wrote into a OneDrive of the live tenant: the backups taken after it
/// show them. Held as what was selected, never as copies, so restoring a folder of a
/// million documents costs one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoredDocuments {
    pub organization_id: Uuid,
    pub target_onedrive: Uuid,
    /// The folder everything went to; `None`: each document to the folder it came from.
    pub target_folder: Option<usize>,
    pub source_onedrive: Uuid,
    /// The backup it was restored from, as the restore session saw it.
    pub source: Exploration,
    pub selection: RestoreSelection,
    pub restored_at: Timestamp,
}

impl RestoredItems for RestoredDocuments {
    fn target_folder(&self) -> Option<usize> {
        self.target_folder
    }

    fn selection(&self) -> &RestoreSelection {
        &self.selection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> DriveContent {
        DriveContent {
            onedrive_id: Uuid::from_u128(42),
            seed: 7,
            since: chrono::DateTime::parse_from_rfc3339("2017-01-01T00:00:00Z").unwrap(),
            scale: 1,
        }
    }

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn documents_are_created_over_time_and_gain_versions_later() {
        let content = content();
        let documents = DriveFolder {
            onedrive_id: content.onedrive_id,
            index: 0,
        };
        assert_eq!(
            content.count(documents, &at("2017-01-08T00:00:00Z")),
            15,
            "14 a week, the first at the start"
        );
        let people = ["a@x", "b@x"];
        let early = content.document(documents, 3, &at("2017-01-02T00:00:00Z"), &people);
        let late = content.document(documents, 3, &at("2017-03-01T00:00:00Z"), &people);
        assert_eq!(early.versions, 1);
        assert!(late.versions >= early.versions);
        assert_eq!(early.created, late.created);
        assert_eq!(
            late.at_version(1, &content, &people)
                .map(|first| first.size_bytes),
            Some(early.size_bytes)
        );
        assert_eq!(late.at_version(late.versions + 1, &content, &people), None);
    }

    #[test]
    fn ids_and_names_read_back() {
        let content = content();
        let archive = DriveFolder {
            onedrive_id: content.onedrive_id,
            index: 5,
        };
        assert_eq!(archive.path(), "/Documents/Projects/Archive");
        assert_eq!(
            DriveFolder::parse(archive.onedrive_id, &archive.id()),
            Some(archive)
        );
        assert_eq!(
            DriveFolder::named(archive.onedrive_id, "/documents/projects/archive"),
            Some(archive)
        );
        let later = at("2018-01-01T00:00:00Z");
        let document = content.document(archive, 2, &later, &[]);
        assert_eq!(content.find(&document.id(), &later, &[]), Some(document));
        assert_eq!(content.find("nonsense", &later, &[]), None);
    }
}

//! Backed-up mailbox content as a pure function of the world's seed, the mailbox and the
//! point in time: folders and items are computed when asked for, never stored, so a
//! mailbox of a million items costs nothing until it is browsed and any page of it costs
//! what a page of a small one does.

use chrono::TimeDelta;
use uuid::Uuid;

use super::restored::{RestoreSelection, RestoredItems};
use super::{Exploration, Timestamp, mix};

/// Where the numbers of restored items start in a folder: below are the items the backups
/// gathered, from here on the ones restored into it, in the order they were restored.
pub const RESTORED: u64 = 1 << 40;

/// What kind of items a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    Mail,
    Appointment,
    Contact,
    Task,
}

/// The folders every backed-up mailbox has, in the order they are listed: name, kind,
/// the category the service gives it, the index of its parent (`None`: the root), and how
/// many items a day it gathers.
pub const FOLDERS: [(&str, FolderKind, &str, Option<usize>, u32); 10] = [
    ("Inbox", FolderKind::Mail, "Inbox", None, 24),
    ("Sent Items", FolderKind::Mail, "Sent", None, 8),
    ("Drafts", FolderKind::Mail, "Drafts", None, 1),
    ("Deleted Items", FolderKind::Mail, "Deleted", None, 4),
    ("Junk Email", FolderKind::Mail, "Junk", None, 2),
    ("Calendar", FolderKind::Appointment, "None", None, 2),
    ("Contacts", FolderKind::Contact, "None", None, 1),
    ("Tasks", FolderKind::Task, "None", None, 1),
    ("Projects", FolderKind::Mail, "None", Some(0), 6),
    ("Receipts", FolderKind::Mail, "None", Some(0), 1),
];

/// A folder of a backed-up mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailFolder {
    pub mailbox_id: Uuid,
    /// Its place in [`FOLDERS`].
    pub index: usize,
}

impl MailFolder {
    pub fn all(mailbox_id: Uuid) -> impl Iterator<Item = MailFolder> {
        (0..FOLDERS.len()).map(move |index| MailFolder { mailbox_id, index })
    }

    pub fn name(&self) -> &'static str {
        FOLDERS[self.index].0
    }

    pub fn kind(&self) -> FolderKind {
        FOLDERS[self.index].1
    }

    pub fn category(&self) -> &'static str {
        FOLDERS[self.index].2
    }

    pub fn parent(&self) -> Option<MailFolder> {
        FOLDERS[self.index].3.map(|index| MailFolder {
            mailbox_id: self.mailbox_id,
            index,
        })
    }

    /// The folder's id: its mailbox's and its place, so that it can be read back.
    pub fn id(&self) -> String {
        format!("{}-{:02}", self.mailbox_id.simple(), self.index)
    }

    /// The folder at a place in [`FOLDERS`].
    pub fn parse_index(mailbox_id: Uuid, index: usize) -> Option<MailFolder> {
        (index < FOLDERS.len()).then_some(MailFolder { mailbox_id, index })
    }

    /// The standard folder a name (any case) or id names in a mailbox.
    pub fn named(mailbox_id: Uuid, name_or_id: &str) -> Option<MailFolder> {
        Self::parse(mailbox_id, name_or_id).or_else(|| {
            let name = name_or_id.trim_matches('/');
            Self::all(mailbox_id).find(|folder| folder.name().eq_ignore_ascii_case(name))
        })
    }

    /// The folder an id names in a mailbox.
    pub fn parse(mailbox_id: Uuid, id: &str) -> Option<MailFolder> {
        let (mailbox, index) = id.rsplit_once('-')?;
        let index: usize = index.parse().ok()?;
        (mailbox == mailbox_id.simple().to_string() && index < FOLDERS.len())
            .then_some(MailFolder { mailbox_id, index })
    }

    fn items_per_day(&self, scale: u32) -> u32 {
        FOLDERS[self.index].4.saturating_mul(scale).max(1)
    }
}

/// How a mailbox's backed-up content is laid out: from when it gathers items, and how
/// many times the folders' usual rates it gathers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxContent {
    pub mailbox_id: Uuid,
    /// The world's seed, so two worlds differ.
    pub seed: u64,
    /// When the first item of every folder arrived.
    pub since: Timestamp,
    /// A multiple of the folders' rates (1: a usual mailbox).
    pub scale: u32,
}

/// One backed-up item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailItem {
    pub folder: MailFolder,
    /// Its place in its folder, oldest first.
    pub number: u64,
    pub arrived: Timestamp,
    pub subject: String,
    pub from: String,
    pub to: String,
    pub size_bytes: u64,
    pub attachments: Vec<(String, u64)>,
}

impl MailItem {
    /// The item's id: mailbox, folder and place, so that it can be read back.
    pub fn id(&self) -> String {
        format!("{}-{:012x}", self.folder.id(), self.number)
    }

    /// The folder and number an item id names in a mailbox.
    pub fn parse_id(mailbox_id: Uuid, id: &str) -> Option<(MailFolder, u64)> {
        let (folder, number) = id.rsplit_once('-')?;
        let folder = MailFolder::parse(mailbox_id, folder)?;
        Some((folder, u64::from_str_radix(number, 16).ok()?))
    }
}

/// Mail a restore wrote into a mailbox of the live tenant: the backups taken after it show
/// it. Held as what was selected, never as copies, so restoring a folder of a million
/// items costs one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoredMail {
    pub organization_id: Uuid,
    pub target_mailbox: Uuid,
    /// The folder everything went to; `None`: each item to the folder it came from.
    pub target_folder: Option<usize>,
    pub source_mailbox: Uuid,
    /// The backup it was restored from, as the restore session saw it.
    pub source: Exploration,
    pub selection: RestoreSelection,
    pub restored_at: Timestamp,
}

impl RestoredItems for RestoredMail {
    fn target_folder(&self) -> Option<usize> {
        self.target_folder
    }

    fn selection(&self) -> &RestoreSelection {
        &self.selection
    }
}

/// A mail a world file puts into a backed-up mailbox, so a test knows one item it will
/// find: it takes the place of the mail that arrived in its folder at or just before
/// `received`, so counts, positions and the ids of every other item stay as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedMail {
    pub mailbox_id: Uuid,
    /// Its folder's place in [`FOLDERS`].
    pub folder: usize,
    pub received: Timestamp,
    pub subject: String,
    /// Left out: the sender of the mail it replaces; likewise `to` and `attachments`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub attachments: Option<Vec<(String, u64)>>,
}

impl PinnedMail {
    /// The number of the gathered item it replaces, if the mailbox gathered mail by then.
    pub fn number(&self, content: &MailboxContent) -> Option<u64> {
        let folder = MailFolder {
            mailbox_id: self.mailbox_id,
            index: self.folder,
        };
        content.count(folder, &self.received).checked_sub(1)
    }

    /// The item it replaces, as the pin has it; the message's own size is kept.
    pub fn shape(&self, item: MailItem) -> MailItem {
        let attachment_bytes = |attachments: &[(String, u64)]| -> u64 {
            attachments.iter().map(|(_, size)| size).sum()
        };
        let message_bytes = item.size_bytes - attachment_bytes(&item.attachments);
        let attachments = self.attachments.clone().unwrap_or(item.attachments);
        let size_bytes = message_bytes.saturating_add(attachment_bytes(&attachments));
        MailItem {
            arrived: self.received,
            subject: self.subject.clone(),
            from: self.from.clone().unwrap_or(item.from),
            to: self.to.clone().unwrap_or(item.to),
            size_bytes,
            attachments,
            ..item
        }
    }
}

const SUBJECTS: [&str; 12] = [
    "Quarterly report",
    "Team offsite",
    "Invoice",
    "Project kickoff",
    "Budget review",
    "Customer feedback",
    "Release notes",
    "Weekly sync",
    "Contract renewal",
    "Travel plans",
    "Security update",
    "Hiring plan",
];

impl MailboxContent {
    /// How far apart a folder's items arrive.
    fn interval(&self, folder: MailFolder) -> TimeDelta {
        TimeDelta::milliseconds(86_400_000 / i64::from(folder.items_per_day(self.scale)))
    }

    /// How many items the folder held at `at`.
    pub fn count(&self, folder: MailFolder, at: &Timestamp) -> u64 {
        if *at < self.since {
            return 0;
        }
        let elapsed = (*at - self.since).num_milliseconds();
        u64::try_from(elapsed / self.interval(folder).num_milliseconds().max(1) + 1).unwrap_or(0)
    }

    /// Item `number` of the folder, whether or not it had arrived yet.
    pub fn item(&self, folder: MailFolder, number: u64, correspondents: &[&str]) -> MailItem {
        let hash = mix(self.seed
            ^ mix(self.mailbox_id.as_u128() as u64 ^ mix(number ^ (folder.index as u64) << 48)));
        let arrived = self.since
            + TimeDelta::milliseconds(
                self.interval(folder)
                    .num_milliseconds()
                    .saturating_mul(i64::try_from(number).unwrap_or(i64::MAX)),
            );
        let subject = format!(
            "{} #{}",
            SUBJECTS[(hash % SUBJECTS.len() as u64) as usize],
            number + 1
        );
        let pick = |shift: u32| -> String {
            if correspondents.is_empty() {
                "someone@example.com".to_owned()
            } else {
                correspondents[((hash >> shift) % correspondents.len() as u64) as usize].to_owned()
            }
        };
        let attachments = if (hash >> 40).is_multiple_of(4) {
            vec![(
                format!("{}.pdf", subject.replace([' ', '#'], "")),
                20_000 + (hash >> 8) % 2_000_000,
            )]
        } else {
            Vec::new()
        };
        MailItem {
            folder,
            number,
            arrived,
            subject,
            from: pick(8),
            to: pick(20),
            size_bytes: 2_000
                + (hash >> 16) % 80_000
                + attachments.iter().map(|(_, size)| size).sum::<u64>(),
            attachments,
        }
    }

    /// The item an id names, if it is of this mailbox and had arrived at `at`.
    pub fn find(&self, id: &str, at: &Timestamp, correspondents: &[&str]) -> Option<MailItem> {
        let (folder, number) = MailItem::parse_id(self.mailbox_id, id)?;
        (number < self.count(folder, at)).then(|| self.item(folder, number, correspondents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> MailboxContent {
        MailboxContent {
            mailbox_id: Uuid::from_u128(42),
            seed: 7,
            since: chrono::DateTime::parse_from_rfc3339("2017-01-01T00:00:00Z").unwrap(),
            scale: 1,
        }
    }

    #[test]
    fn items_arrive_over_time_and_never_change() {
        let content = content();
        let inbox = MailFolder {
            mailbox_id: content.mailbox_id,
            index: 0,
        };
        let day = chrono::DateTime::parse_from_rfc3339("2017-01-02T00:00:00Z").unwrap();
        assert_eq!(
            content.count(inbox, &day),
            25,
            "24 a day, the first at the start"
        );
        let people = ["a@x", "b@x"];
        assert_eq!(
            content.item(inbox, 7, &people),
            content.item(inbox, 7, &people)
        );
        assert_ne!(
            content.item(inbox, 7, &people).subject,
            content.item(inbox, 8, &people).subject
        );
    }

    #[test]
    fn an_item_is_found_by_its_id_only_once_it_arrived() {
        let content = content();
        let inbox = MailFolder {
            mailbox_id: content.mailbox_id,
            index: 0,
        };
        let people = ["a@x"];
        let item = content.item(inbox, 30, &people);
        let early = chrono::DateTime::parse_from_rfc3339("2017-01-01T12:00:00Z").unwrap();
        let late = chrono::DateTime::parse_from_rfc3339("2017-01-03T00:00:00Z").unwrap();
        assert_eq!(content.find(&item.id(), &late, &people), Some(item.clone()));
        assert_eq!(content.find(&item.id(), &early, &people), None);
        assert_eq!(content.find("nonsense", &late, &people), None);
    }

    #[test]
    fn a_pinned_mail_takes_the_place_of_the_mail_that_arrived_just_before_it() {
        let content = content();
        let inbox = MailFolder {
            mailbox_id: content.mailbox_id,
            index: 0,
        };
        let received = chrono::DateTime::parse_from_rfc3339("2017-01-02T00:30:00Z").unwrap();
        let pin = PinnedMail {
            mailbox_id: content.mailbox_id,
            folder: 0,
            received,
            subject: "Signed contract".to_owned(),
            from: Some("ceo@x".to_owned()),
            to: None,
            attachments: Some(vec![("contract.pdf".to_owned(), 1_000)]),
        };
        let number = pin.number(&content).unwrap();
        assert_eq!(number, 24, "the 25th mail, at 00:00 on the second day");
        let people = ["a@x"];
        let generated = content.item(inbox, number, &people);
        let pinned = pin.shape(generated.clone());
        assert_eq!(pinned.id(), generated.id());
        assert_eq!(
            (
                pinned.subject.as_str(),
                pinned.from.as_str(),
                pinned.arrived
            ),
            ("Signed contract", "ceo@x", received)
        );
        assert_eq!(pinned.to, generated.to);
        let generated_attachments: u64 = generated.attachments.iter().map(|(_, size)| size).sum();
        assert_eq!(
            pinned.size_bytes,
            generated.size_bytes - generated_attachments + 1_000
        );
        let early = PinnedMail {
            received: chrono::DateTime::parse_from_rfc3339("2016-01-01T00:00:00Z").unwrap(),
            ..pin
        };
        assert_eq!(
            early.number(&content),
            None,
            "before the mailbox gathered mail"
        );
    }

    #[test]
    fn a_folder_id_reads_back() {
        let folder = MailFolder {
            mailbox_id: Uuid::from_u128(9),
            index: 8,
        };
        assert_eq!(
            MailFolder::parse(folder.mailbox_id, &folder.id()),
            Some(folder)
        );
        assert_eq!(folder.parent().map(|parent| parent.name()), Some("Inbox"));
    }
}

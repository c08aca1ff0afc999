//! What a restore wrote into the live tenant, shared by mail and documents: which items of
//! which folders it took, and where each of them landed.

/// What a restore took from the source mailbox or OneDrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreSelection {
    /// Single items: folder and number, as their ids name them.
    Items(Vec<(usize, u64)>),
    /// Whole folders: each with how many items it held in the backup, taken by position.
    Folders(Vec<(usize, u64)>),
}

impl RestoreSelection {
    /// How many items it takes in all.
    pub fn total(&self) -> u64 {
        match self {
            Self::Items(items) => items.len() as u64,
            Self::Folders(folders) => folders.iter().map(|(_, count)| count).sum(),
        }
    }
}

/// An item of a restore's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceItem {
    /// Folder and item number, as an item id names it.
    Number(usize, u64),
    /// Folder and place in its listing.
    Position(usize, u64),
}

/// A restore's record in the live tenant: the items it took, and the one folder they all
/// went to or `None` for each its own.
pub trait RestoredItems {
    fn target_folder(&self) -> Option<usize>;

    fn selection(&self) -> &RestoreSelection;

    /// Where the item taken from `source_folder` lands.
    fn destination(&self, source_folder: usize) -> usize {
        self.target_folder().unwrap_or(source_folder)
    }

    /// How many of its items landed in `folder`.
    fn count_into(&self, folder: usize) -> u64 {
        match self.selection() {
            RestoreSelection::Items(items) => items
                .iter()
                .filter(|(from, _)| self.destination(*from) == folder)
                .count() as u64,
            RestoreSelection::Folders(folders) => folders
                .iter()
                .filter(|(from, _)| self.destination(*from) == folder)
                .map(|(_, count)| count)
                .sum(),
        }
    }

    /// The `nth` of its items that landed in `folder`, in the source: whether it is named
    /// by number or by position, its folder and that number or position.
    fn source_of(&self, folder: usize, mut nth: u64) -> Option<SourceItem> {
        match self.selection() {
            RestoreSelection::Items(items) => items
                .iter()
                .filter(|(from, _)| self.destination(*from) == folder)
                .nth(usize::try_from(nth).ok()?)
                .map(|(from, number)| SourceItem::Number(*from, *number)),
            RestoreSelection::Folders(folders) => {
                for (from, count) in folders {
                    if self.destination(*from) != folder {
                        continue;
                    }
                    if nth < *count {
                        return Some(SourceItem::Position(*from, nth));
                    }
                    nth -= count;
                }
                None
            }
        }
    }
}

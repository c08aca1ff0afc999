//! What an Exchange restore session shows of a mailbox: the content the backups gathered,
//! computed from the seed, and the mail restored into it since, resolved through the
//! restores' sources; both only when asked for.

use std::rc::Rc;

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    DirectoryUser, Exploration, Id, MailFolder, MailItem, MailboxContent, PinnedMail, RESTORED,
    RestoreAction, RestoreEvent, RestoreOutcome, RestoreResult, RestoreScope, RestoreSelection,
    RestoreSession, RestoreTrouble, RestoredItems, RestoredMail, SourceItem, Timestamp, UserKind,
};

/// How far back mail a backup holds goes from an organization's first restore point.
const MAIL_HISTORY: chrono::TimeDelta = chrono::TimeDelta::days(365);

/// A mailbox as a restore session sees it at its point in time.
pub struct SessionMailbox<'w> {
    world: &'w World,
    pub user: &'w DirectoryUser,
    pub content: MailboxContent,
    organization_id: Uuid,
    seen: Exploration,
    correspondents: Rc<[&'w str]>,
    /// The world file's mail in this mailbox: folder, the number of the item each
    /// replaces, and the pin.
    pins: Vec<(usize, u64, &'w PinnedMail)>,
}

impl<'w> SessionMailbox<'w> {
    /// The point in time the session shows.
    pub fn at(&self) -> &Timestamp {
        &self.seen.point_in_time
    }

    /// How many items the folder held in the backup: gathered and restored.
    pub fn count(&self, folder: MailFolder) -> u64 {
        self.content.count(folder, self.at())
            + self
                .restores()
                .map(|restore| restore.count_into(folder.index))
                .sum::<u64>()
    }

    /// The item at `position` in the folder's listing: the gathered items oldest first,
    /// then the restored ones in the order they were restored.
    pub fn item_at(&self, folder: MailFolder, position: u64) -> Option<MailItem> {
        let gathered = self.content.count(folder, self.at());
        if position < gathered {
            Some(self.gathered(folder, position))
        } else {
            self.restored(folder, position - gathered)
        }
    }

    /// The item `number` names in the folder, if the backup holds it.
    pub fn item(&self, folder: MailFolder, number: u64) -> Option<MailItem> {
        if number >= RESTORED {
            return self.restored(folder, number - RESTORED);
        }
        (number < self.content.count(folder, self.at())).then(|| self.gathered(folder, number))
    }

    /// Gathered item `number` of the folder, as a pin has it where one takes its place.
    fn gathered(&self, folder: MailFolder, number: u64) -> MailItem {
        let item = self.content.item(folder, number, &self.correspondents);
        match self
            .pins
            .iter()
            .find(|(index, pinned, _)| *index == folder.index && *pinned == number)
        {
            Some((_, _, pin)) => pin.shape(item),
            None => item,
        }
    }

    /// The item an id names, if it is of this mailbox and the backup holds it.
    pub fn find(&self, id: &str) -> Option<MailItem> {
        let (folder, number) = MailItem::parse_id(self.user.id, id)?;
        self.item(folder, number)
    }

    /// A page of the folders' items, folder after folder, and how many they hold in all:
    /// only the page is computed.
    pub fn page(&self, folders: &[MailFolder], offset: u64, limit: usize) -> (u64, Vec<MailItem>) {
        page_of_folders(
            folders,
            |folder| self.count(folder),
            |folder, position| self.item_at(folder, position),
            (offset, limit),
        )
    }

    /// The restores into this mailbox that a backup taken after them and at or before the
    /// session's point in time holds, in the order they were made.
    fn restores(&self) -> impl Iterator<Item = &'w RestoredMail> + '_ {
        let world = self.world;
        world.restored_mail.iter().filter(move |restore| {
            restore.target_mailbox == self.user.id
                && world.backed_up_between(self.organization_id, self.seen, restore.restored_at)
        })
    }

    /// The `nth` item restored into the folder, numbered as this mailbox lists it.
    fn restored(&self, folder: MailFolder, mut nth: u64) -> Option<MailItem> {
        let number = RESTORED + nth;
        for restore in self.restores() {
            let count = restore.count_into(folder.index);
            if nth >= count {
                nth -= count;
                continue;
            }
            let source = self.world.mailbox_in(
                restore.organization_id,
                restore.source,
                restore.source_mailbox,
            )?;
            let mut item = match restore.source_of(folder.index, nth)? {
                SourceItem::Number(from, number) => {
                    source.item(MailFolder::parse_index(source.user.id, from)?, number)
                }
                SourceItem::Position(from, position) => {
                    source.item_at(MailFolder::parse_index(source.user.id, from)?, position)
                }
            }?;
            item.folder = folder;
            item.number = number;
            return Some(item);
        }
        None
    }
}

impl World {
    /// The mailboxes a restore session shows: the organization's mailbox users whose mail
    /// its jobs back up, as the backup at the session's point in time holds them.
    pub fn session_mailboxes(
        &self,
        session: &crate::model::RestoreSession,
    ) -> Vec<SessionMailbox<'_>> {
        let Some(seen) = session.explored else {
            return Vec::new();
        };
        let mut mailboxes = self.mailboxes_in(session.organization_id, seen);
        mailboxes.retain(|mailbox| session.shows(mailbox.user.id));
        mailboxes
    }

    fn mailboxes_in(&self, organization_id: Uuid, seen: Exploration) -> Vec<SessionMailbox<'_>> {
        let Some(first) = self
            .restore_points_in(organization_id, RestoreScope::Organization)
            .map(|point| point.backup_time)
            .min()
        else {
            return Vec::new();
        };
        let licensed: Vec<&str> = self
            .organization_licensed_users(organization_id)
            .map(|user| user.name.as_str())
            .collect();
        let correspondents: Rc<[&str]> = self
            .organization_users(organization_id)
            .map(|user| user.name.as_str())
            .collect();
        self.organization_users(organization_id)
            .filter(|user| user.kind != UserKind::Public)
            .filter(|user| licensed.contains(&user.name.as_str()) || user.kind == UserKind::Shared)
            .map(|user| {
                let content = MailboxContent {
                    mailbox_id: user.id,
                    seed: self.seed,
                    since: first - MAIL_HISTORY,
                    scale: user.mailbox_scale,
                };
                let pins = self
                    .pinned_mail
                    .iter()
                    .filter(|pin| pin.mailbox_id == user.id)
                    .filter_map(|pin| Some((pin.folder, pin.number(&content)?, pin)))
                    .collect();
                SessionMailbox {
                    world: self,
                    user,
                    content,
                    organization_id,
                    seen,
                    correspondents: Rc::clone(&correspondents),
                    pins,
                }
            })
            .collect()
    }

    /// One mailbox of an organization as a backup shows it.
    fn mailbox_in(
        &self,
        organization_id: Uuid,
        seen: Exploration,
        mailbox_id: Uuid,
    ) -> Option<SessionMailbox<'_>> {
        self.mailboxes_in(organization_id, seen)
            .into_iter()
            .find(|mailbox| mailbox.user.id == mailbox_id)
    }
}

/// A page of what folders hold, folder after folder, and how many they hold in all, given
/// how many each holds and the entry at a position: only the page is computed, so a page
/// from the middle of a million entries costs what one of a small folder does.
pub(super) fn page_of_folders<F: Copy, T>(
    folders: &[F],
    count: impl Fn(F) -> u64,
    entry_at: impl Fn(F, u64) -> Option<T>,
    (offset, limit): (u64, usize),
) -> (u64, Vec<T>) {
    let counts: Vec<u64> = folders.iter().map(|folder| count(*folder)).collect();
    let mut entries = Vec::with_capacity(limit.min(1_000));
    let mut skip = offset;
    for (folder, count) in folders.iter().zip(&counts) {
        if entries.len() >= limit {
            break;
        }
        if skip >= *count {
            skip -= count;
            continue;
        }
        let wanted = (limit - entries.len()) as u64;
        for position in skip..(*count).min(skip.saturating_add(wanted)) {
            entries.extend(entry_at(*folder, position));
        }
        skip = 0;
    }
    (counts.iter().sum(), entries)
}

/// Where a mail restore writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTarget {
    /// Back where the items came from.
    Original,
    /// Another mailbox of the organization, into one folder or each item's own.
    Mailbox { id: Uuid, folder: Option<usize> },
}

/// A restore of mail from a restore session: what it takes and where it writes, and how
/// its event names it.
#[derive(Debug, Clone)]
pub struct MailRestore {
    pub session_id: Uuid,
    pub source_mailbox: Uuid,
    pub selection: RestoreSelection,
    pub target: MailTarget,
    pub item_name: String,
    pub item_type: &'static str,
    pub item_size_bytes: u64,
    /// Why it was made, as a restore operator gives it.
    pub reason: Option<String>,
}

impl MailRestore {
    /// The same restore with the reason a restore operator gave.
    pub fn noted(self, reason: Option<String>) -> Self {
        Self { reason, ..self }
    }
}

/// How long a restore takes on the clock: a second to start and ten items a second.
pub(super) fn restore_duration(items: u64) -> chrono::TimeDelta {
    chrono::TimeDelta::milliseconds(
        1_000
            + i64::try_from(items.saturating_mul(100))
                .unwrap_or(i64::MAX / 2)
                .min(3_600_000),
    )
}

impl World {
    /// Restores mail: to the original location every item is still there and is skipped;
    /// to another mailbox every item is written and the backups taken after the restore
    /// ends show it there. Either way the session gains an event that runs on the clock.
    pub fn restore_mail(
        &mut self,
        restore: MailRestore,
        now: Timestamp,
    ) -> Result<RestoreOutcome, JobEditError> {
        let session = self.find(&Id::<RestoreSession>::new(restore.session_id))?;
        let seen = session.explored.ok_or_else(|| {
            JobEditError::Invalid("The restore session shows no backups.".to_owned())
        })?;
        let organization_id = session.organization_id;
        let mailboxes = self.mailboxes_in(organization_id, seen);
        let name_of = |id: Uuid| {
            mailboxes
                .iter()
                .find(|mailbox| mailbox.user.id == id)
                .map(|mailbox| mailbox.user.name.clone())
        };
        let source = name_of(restore.source_mailbox).ok_or_else(|| {
            JobEditError::Invalid("The mailbox is not in the restore session.".to_owned())
        })?;
        let total = restore.selection.total();
        let end = now + restore_duration(total);
        let trouble = self.restore_trouble(&organization_id);
        let (target, outcome) = match restore.target {
            MailTarget::Mailbox { id, folder }
                if id != restore.source_mailbox || folder.is_some() =>
            {
                let target = self
                    .organization_users(organization_id)
                    .find(|user| user.id == id)
                    .map(|user| user.name.clone())
                    .ok_or_else(|| {
                        JobEditError::Invalid(
                            "The target mailbox is not in the organization.".to_owned(),
                        )
                    })?;
                if !trouble.as_ref().is_some_and(RestoreTrouble::fails) {
                    self.restored_mail.push(RestoredMail {
                        organization_id,
                        target_mailbox: id,
                        target_folder: folder,
                        source_mailbox: restore.source_mailbox,
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

    /// Records a restore as an event of its session that runs until `end` on the clock,
    /// with a message that counts what it wrote, skipped and failed, says what a scenario
    /// made of it, and gives the reason if any. Answers the outcome as the scenario left it:
    /// a failing one fails every item.
    pub(super) fn record_running_restore(
        &mut self,
        session_id: Uuid,
        what: (&str, &str, u64),
        (source, target): (String, String),
        (outcome, trouble): (RestoreOutcome, Option<RestoreTrouble>),
        reason: Option<String>,
        (start, end): (Timestamp, Timestamp),
    ) -> Result<RestoreOutcome, JobEditError> {
        let (item_name, item_type, item_size_bytes) = what;
        let outcome = match &trouble {
            Some(trouble) if trouble.fails() => outcome.failing(),
            _ => outcome,
        };
        let (result, mut message) = match trouble {
            Some(trouble) if trouble.fails() => (
                RestoreResult::Failed,
                format!("{} item(s) failed: {}", outcome.failed, trouble.message),
            ),
            trouble => {
                let counts = format!(
                    "{} item(s) restored, {} item(s) skipped: unchanged in the target location",
                    outcome.created, outcome.skipped
                );
                match trouble {
                    Some(trouble) => (
                        RestoreResult::Warning,
                        format!("{counts}. Warning: {}", trouble.message),
                    ),
                    None => (RestoreResult::Success, counts),
                }
            }
        };
        if let Some(reason) = reason.filter(|reason| !reason.is_empty()) {
            message.push_str(&format!(". Reason: {reason}"));
        }
        let event = RestoreEvent {
            id: self.next_id(),
            action: RestoreAction::Restore,
            result,
            item_name: item_name.to_owned(),
            item_type: item_type.to_owned(),
            item_size_bytes,
            source,
            target,
            start_time: start,
            end_time: end,
            message,
            running: true,
        };
        self.restore_session_mut(session_id)?.events.push(event);
        Ok(outcome)
    }

    /// Records an action of a restore session that finishes at once (a save, an export,
    /// a send) as one of its events.
    pub fn record_restore_event(
        &mut self,
        session_id: Uuid,
        action: RestoreAction,
        what: (&str, &str, u64),
        source: &str,
        target: &str,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        let (item_name, item_type, item_size_bytes) = what;
        let event = RestoreEvent {
            id: self.next_id(),
            action,
            result: RestoreResult::Success,
            item_name: item_name.to_owned(),
            item_type: item_type.to_owned(),
            item_size_bytes,
            source: source.to_owned(),
            target: target.to_owned(),
            start_time: now,
            end_time: now,
            message: String::new(),
            running: false,
        };
        self.restore_session_mut(session_id)?.events.push(event);
        Ok(())
    }

    pub(super) fn restore_session_mut(
        &mut self,
        id: Uuid,
    ) -> Result<&mut RestoreSession, JobEditError> {
        self.restore_sessions
            .iter_mut()
            .find(|session| session.id == id)
            .ok_or_else(|| Id::<RestoreSession>::new(id).not_found().into())
    }
}

impl World {
    /// When the next running restore ends, if one ends after `after`.
    pub fn next_restore_end(&self, after: Timestamp) -> Option<Timestamp> {
        self.running_restores()
            .map(|event| event.end_time)
            .filter(|end| *end > after)
            .min()
    }

    /// Ends the restores due by `at`; a session's result is the worst of its ended events'.
    pub fn finish_restores(&mut self, at: Timestamp) {
        for session in &mut self.restore_sessions {
            for event in &mut session.events {
                if event.running && event.end_time <= at {
                    event.running = false;
                    session.result = session.result.max(event.result);
                }
            }
        }
    }

    fn running_restores(&self) -> impl Iterator<Item = &RestoreEvent> {
        self.restore_sessions
            .iter()
            .flat_map(|session| &session.events)
            .filter(|event| event.running)
    }
}

//! Session logs in their compact stored form: fixed-size items, messages in one buffer per log.

use std::fmt;
use std::iter::FusedIterator;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Timestamp;

/// The log of one session: its items in the order they were written, which is usn order.
///
/// A world can hold tens of millions of items, so an item is 48 bytes with no allocation of
/// its own: times are 100 ns ticks with their offset in minutes (no input carries finer
/// offsets, and .NET writes no finer times); a message's common opening is a one-byte code
/// and the rest sits in the log's one text buffer; usns, which count up by one but for the
/// rare jump, are kept as the runs they form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    items: Vec<StoredItem>,
    /// The messages after their openings, back to back.
    text: String,
    /// Where the usns jump: from `position` on, the items count up from `usn`.
    usn_runs: Vec<UsnRun>,
}

#[derive(Debug, Clone, PartialEq)]
struct StoredItem {
    id: Uuid,
    created_ticks: i64,
    ended_ticks: i64,
    /// Where the message's rest ends in the log's text; it starts where the one before ends.
    text_end: usize,
    created_offset_minutes: i16,
    ended_offset_minutes: i16,
    severity: Severity,
    opening: MessageOpening,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct UsnRun {
    position: usize,
    usn: i64,
}

/// A log item to add: what a run, a world file or the control API says happened.
#[derive(Debug, Clone, Copy)]
pub struct NewLogItem<'a> {
    pub id: Uuid,
    pub usn: i64,
    pub severity: Severity,
    pub message: &'a str,
    pub creation_time: Timestamp,
    pub end_time: Timestamp,
}

impl Log {
    /// Adds an item after the others. Readers take the log in the order items were added,
    /// so callers add them in usn order.
    pub fn push(&mut self, item: NewLogItem<'_>) {
        let position = self.items.len();
        if self.last_usn().and_then(|usn| usn.checked_add(1)) != Some(item.usn) {
            self.usn_runs.push(UsnRun {
                position,
                usn: item.usn,
            });
        }
        let (opening, rest) = MessageOpening::split(item.message);
        self.text.push_str(rest);
        let (created_ticks, created_offset_minutes) = to_ticks(&item.creation_time);
        let (ended_ticks, ended_offset_minutes) = to_ticks(&item.end_time);
        self.items.push(StoredItem {
            id: item.id,
            created_ticks,
            ended_ticks,
            text_end: self.text.len(),
            created_offset_minutes,
            ended_offset_minutes,
            severity: item.severity,
            opening,
        });
    }

    /// Gives the item at `position` an id, for ids a world file leaves out and which are
    /// drawn once the whole file is read.
    pub fn set_id(&mut self, position: usize, id: Uuid) {
        if let Some(item) = self.items.get_mut(position) {
            item.id = id;
        }
    }

    /// Gives back the room a log read in one go grew into beyond what it holds.
    pub fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.text.shrink_to_fit();
        self.usn_runs.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, position: usize) -> Option<LogItem<'_>> {
        let stored = self.items.get(position)?;
        let run = self.usn_runs[self
            .usn_runs
            .partition_point(|run| run.position <= position)
            - 1];
        let text_start = position
            .checked_sub(1)
            .map_or(0, |before| self.items[before].text_end);
        Some(LogItem {
            stored,
            usn: run.usn + (position - run.position) as i64,
            rest: self
                .text
                .get(text_start..stored.text_end)
                .unwrap_or_default(),
        })
    }

    pub fn last(&self) -> Option<LogItem<'_>> {
        self.len().checked_sub(1).and_then(|last| self.get(last))
    }

    /// The usn of the last item, which new items count on from.
    pub fn last_usn(&self) -> Option<i64> {
        self.last().map(|item| item.usn())
    }

    pub fn find(&self, id: &Uuid) -> Option<LogItem<'_>> {
        let position = self.items.iter().position(|item| item.id == *id)?;
        self.get(position)
    }

    /// The items in usn order; skipping ahead (a page's offset) costs nothing.
    pub fn iter(&self) -> LogItems<'_> {
        LogItems {
            log: self,
            front: 0,
            back: self.len(),
        }
    }
}

impl<'a> IntoIterator for &'a Log {
    type Item = LogItem<'a>;
    type IntoIter = LogItems<'a>;

    fn into_iter(self) -> LogItems<'a> {
        self.iter()
    }
}

/// The items of a log from `front` up to `back`.
#[derive(Debug, Clone)]
pub struct LogItems<'a> {
    log: &'a Log,
    front: usize,
    back: usize,
}

impl<'a> Iterator for LogItems<'a> {
    type Item = LogItem<'a>;

    fn next(&mut self) -> Option<LogItem<'a>> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.log.get(self.front - 1)
    }

    fn nth(&mut self, skipped: usize) -> Option<LogItem<'a>> {
        self.front = self.front.saturating_add(skipped).min(self.back);
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for LogItems<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.log.get(self.back)
    }

    fn nth_back(&mut self, skipped: usize) -> Option<Self::Item> {
        self.back = self.back.saturating_sub(skipped).max(self.front);
        self.next_back()
    }
}

impl ExactSizeIterator for LogItems<'_> {}

impl FusedIterator for LogItems<'_> {}

/// One operation a session logged, as read from its log. `usn` orders the items of a session.
#[derive(Debug, Clone, Copy)]
pub struct LogItem<'a> {
    stored: &'a StoredItem,
    usn: i64,
    rest: &'a str,
}

impl<'a> LogItem<'a> {
    pub fn id(&self) -> &'a Uuid {
        &self.stored.id
    }

    pub fn usn(&self) -> i64 {
        self.usn
    }

    pub fn severity(&self) -> Severity {
        self.stored.severity
    }

    /// The message, written without being put together in memory.
    pub fn message(&self) -> LogMessage<'a> {
        LogMessage {
            opening: self.stored.opening,
            rest: self.rest,
        }
    }

    /// The creation time as stored: 100 ns ticks since the Unix epoch and the offset in
    /// minutes it is shown in.
    pub fn creation_ticks(&self) -> (i64, i16) {
        (
            self.stored.created_ticks,
            self.stored.created_offset_minutes,
        )
    }

    /// The end time as stored, like [`LogItem::creation_ticks`].
    pub fn end_ticks(&self) -> (i64, i16) {
        (self.stored.ended_ticks, self.stored.ended_offset_minutes)
    }

    pub fn creation_time(&self) -> Timestamp {
        from_ticks(self.creation_ticks())
    }

    pub fn end_time(&self) -> Timestamp {
        from_ticks(self.end_ticks())
    }
}

/// Openings most log messages share: one per object a job processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MessageOpening {
    None,
    Mailbox,
    OneDrive,
    Site,
}

impl MessageOpening {
    const ALL: [Self; 3] = [Self::Mailbox, Self::OneDrive, Self::Site];

    fn text(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Mailbox => "Processing mailbox: ",
            Self::OneDrive => "Processing OneDrive: ",
            Self::Site => "Processing site: ",
        }
    }

    /// The opening of a message and what follows it.
    fn split(message: &str) -> (Self, &str) {
        Self::ALL
            .into_iter()
            .find_map(|opening| {
                message
                    .strip_prefix(opening.text())
                    .map(|rest| (opening, rest))
            })
            .unwrap_or((Self::None, message))
    }
}

const TICKS_PER_SECOND: i64 = 10_000_000;

fn to_ticks(time: &Timestamp) -> (i64, i16) {
    let ticks = time
        .timestamp()
        .saturating_mul(TICKS_PER_SECOND)
        .saturating_add(i64::from(time.timestamp_subsec_nanos() / 100));
    let minutes = time.offset().local_minus_utc() / 60;
    (ticks, i16::try_from(minutes).unwrap_or_default())
}

fn from_ticks((ticks, offset_minutes): (i64, i16)) -> Timestamp {
    let seconds = ticks.div_euclid(TICKS_PER_SECOND);
    let nanos = u32::try_from(ticks.rem_euclid(TICKS_PER_SECOND) * 100).unwrap_or_default();
    let offset = FixedOffset::east_opt(i32::from(offset_minutes) * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC is an offset"));
    DateTime::from_timestamp(seconds, nanos)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// A log item's message as text.
#[derive(Debug, Clone, Copy)]
pub struct LogMessage<'a> {
    opening: MessageOpening,
    rest: &'a str,
}

impl<'a> LogMessage<'a> {
    /// The text in its two stored pieces, for writers that put them together themselves.
    pub fn parts(&self) -> [&'a str; 2] {
        [self.opening.text(), self.rest]
    }

    pub fn starts_with(&self, text: &str) -> bool {
        let opening = self.opening.text();
        match text.strip_prefix(opening) {
            Some(rest) => self.rest.starts_with(rest),
            None => opening.starts_with(text),
        }
    }
}

impl fmt::Display for LogMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.opening.text())?;
        f.write_str(self.rest)
    }
}

impl Serialize for LogMessage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The outcome a log item reports; v3 renders it as the `[Success]` prefix of the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Success,
    Warning,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn item(usn: i64, message: &str) -> NewLogItem<'_> {
        NewLogItem {
            id: Uuid::from_u128(usn as u128),
            usn,
            severity: Severity::Success,
            message,
            creation_time: at("2017-04-04T00:07:28.454487-07:00"),
            end_time: at("2017-04-04T00:07:29-07:00"),
        }
    }

    #[test]
    fn a_log_gives_back_each_item_exactly() {
        let created = at("2017-04-04T00:07:28.454487-07:00");
        let ended = at("1969-12-31T23:59:59.9999999+05:30");
        let messages = [
            "Processing OneDrive: adelev@contoso.onmicrosoft.com",
            "Processing mailbox: adelev@contoso.onmicrosoft.com",
            "Processing site: https://contoso.sharepoint.com/sites/hr",
            "Job started at 4/4/2017 12:07:21 AM",
            "",
            "Processing mailbox: ünïcødé@contoso.onmicrosoft.com",
            "Processing ",
        ];
        let mut log = Log::default();
        for (index, message) in messages.iter().enumerate() {
            log.push(NewLogItem {
                id: Uuid::from_u128(index as u128 + 1),
                usn: index as i64 + 1,
                severity: [Severity::Success, Severity::Warning, Severity::Failed][index % 3],
                message,
                creation_time: created,
                end_time: ended,
            });
        }
        assert_eq!(log.len(), messages.len());
        for (index, item) in log.iter().enumerate() {
            assert_eq!(*item.id(), Uuid::from_u128(index as u128 + 1));
            assert_eq!(item.usn(), index as i64 + 1);
            assert_eq!(
                item.severity(),
                [Severity::Success, Severity::Warning, Severity::Failed][index % 3]
            );
            assert_eq!(item.message().to_string(), messages[index]);
            assert_eq!(
                item.message().starts_with("Processing "),
                messages[index].starts_with("Processing ")
            );
            assert_eq!(item.creation_time(), created);
            assert_eq!(item.creation_time().offset(), created.offset());
            assert_eq!(item.end_time(), ended);
            assert_eq!(item.end_time().offset(), ended.offset());
        }
        assert_eq!(std::mem::size_of::<StoredItem>(), 48);
    }

    #[test]
    fn usns_that_jump_are_kept_exactly() {
        let usns = [1, 2, 3, 10, 11, 12, 40, i64::MAX - 1, i64::MAX];
        let mut log = Log::default();
        for usn in usns {
            log.push(item(usn, "Connected to organization"));
        }
        let read: Vec<i64> = log.iter().map(|item| item.usn()).collect();
        assert_eq!(read, usns);
        assert_eq!(log.last_usn(), Some(i64::MAX));
        assert_eq!(log.usn_runs.len(), 4);
    }

    #[test]
    fn paging_skips_and_walks_back_without_losing_the_message() {
        let mut log = Log::default();
        let messages: Vec<String> = (1..=100)
            .map(|usn| format!("Processing mailbox: user{usn}@contoso.onmicrosoft.com"))
            .collect();
        for (index, message) in messages.iter().enumerate() {
            log.push(item(index as i64 + 1, message));
        }
        let page: Vec<String> = log
            .iter()
            .skip(40)
            .take(3)
            .map(|item| item.message().to_string())
            .collect();
        assert_eq!(page, messages[40..43]);
        let newest: Vec<i64> = log
            .iter()
            .rev()
            .skip(2)
            .take(2)
            .map(|item| item.usn())
            .collect();
        assert_eq!(newest, [98, 97]);
        assert_eq!(log.iter().nth(100).map(|item| item.usn()), None);
        assert_eq!(log.iter().len(), 100);
        let found = log.find(&Uuid::from_u128(77)).unwrap();
        assert_eq!(found.message().to_string(), messages[76]);
        assert!(log.find(&Uuid::nil()).is_none());
    }

    #[test]
    fn an_id_drawn_later_replaces_the_placeholder() {
        let mut log = Log::default();
        log.push(item(1, "Job started"));
        log.push(item(2, "Connected to organization"));
        log.set_id(1, Uuid::from_u128(99));
        assert_eq!(*log.get(1).unwrap().id(), Uuid::from_u128(99));
        assert_eq!(
            log.get(1).unwrap().message().to_string(),
            "Connected to organization"
        );
    }
}

//! Log items in their compact stored form: times as 100 ns ticks, common message openings as a code.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Timestamp;

/// One operation a session logged. `usn` orders the items of a session.
///
/// A world can hold tens of millions of these, so the layout is compact (64 bytes plus the
/// message): times are 100 ns ticks with their offset in minutes (no input carries finer
/// offsets, and .NET writes no finer times), and a message's common opening is a one-byte
/// code rather than repeated text.
#[derive(Debug, Clone, PartialEq)]
pub struct LogItem {
    pub id: Uuid,
    pub usn: i64,
    created_ticks: i64,
    ended_ticks: i64,
    /// The message after its opening.
    message_rest: Box<str>,
    created_offset_minutes: i16,
    ended_offset_minutes: i16,
    pub severity: Severity,
    message_opening: MessageOpening,
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

fn from_ticks(ticks: i64, offset_minutes: i16) -> Timestamp {
    let seconds = ticks.div_euclid(TICKS_PER_SECOND);
    let nanos = u32::try_from(ticks.rem_euclid(TICKS_PER_SECOND) * 100).unwrap_or_default();
    let offset = FixedOffset::east_opt(i32::from(offset_minutes) * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC is an offset"));
    DateTime::from_timestamp(seconds, nanos)
        .unwrap_or_default()
        .with_timezone(&offset)
}

impl LogItem {
    pub fn new(
        id: Uuid,
        usn: i64,
        severity: Severity,
        message: impl Into<LogText>,
        creation_time: Timestamp,
        end_time: Timestamp,
    ) -> Self {
        let (created_ticks, created_offset_minutes) = to_ticks(&creation_time);
        let (ended_ticks, ended_offset_minutes) = to_ticks(&end_time);
        let LogText { opening, rest } = message.into();
        Self {
            id,
            usn,
            created_ticks,
            ended_ticks,
            message_rest: rest,
            created_offset_minutes,
            ended_offset_minutes,
            severity,
            message_opening: opening,
        }
    }

    /// A copy of the message, as world files hold it.
    pub fn message_text(&self) -> LogText {
        LogText {
            opening: self.message_opening,
            rest: self.message_rest.clone(),
        }
    }

    /// The creation time as stored: 100 ns ticks since the Unix epoch and the offset in
    /// minutes it is shown in.
    pub fn creation_ticks(&self) -> (i64, i16) {
        (self.created_ticks, self.created_offset_minutes)
    }

    /// The end time as stored, like [`LogItem::creation_ticks`].
    pub fn end_ticks(&self) -> (i64, i16) {
        (self.ended_ticks, self.ended_offset_minutes)
    }

    pub fn creation_time(&self) -> Timestamp {
        from_ticks(self.created_ticks, self.created_offset_minutes)
    }

    pub fn end_time(&self) -> Timestamp {
        from_ticks(self.ended_ticks, self.ended_offset_minutes)
    }

    /// The message, written without being put together in memory.
    pub fn message(&self) -> LogMessage<'_> {
        LogMessage(self)
    }
}

/// A log message with its opening split off. Read from a file, only the rest is allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogText {
    opening: MessageOpening,
    rest: Box<str>,
}

impl LogText {
    fn split(text: &str) -> Option<(MessageOpening, &str)> {
        MessageOpening::ALL.into_iter().find_map(|opening| {
            text.strip_prefix(opening.text())
                .map(|rest| (opening, rest))
        })
    }
}

impl From<&str> for LogText {
    fn from(text: &str) -> Self {
        let (opening, rest) = Self::split(text).unwrap_or((MessageOpening::None, text));
        Self {
            opening,
            rest: rest.into(),
        }
    }
}

impl From<String> for LogText {
    fn from(text: String) -> Self {
        match Self::split(&text) {
            Some((opening, rest)) => Self {
                opening,
                rest: rest.into(),
            },
            None => Self {
                opening: MessageOpening::None,
                rest: text.into_boxed_str(),
            },
        }
    }
}

impl std::fmt::Display for LogText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.opening.text())?;
        f.write_str(&self.rest)
    }
}

impl Serialize for LogText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LogText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = LogText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<LogText, E> {
                Ok(LogText::from(text))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<LogText, E> {
                Ok(LogText::from(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A log item's message as text.
#[derive(Debug, Clone, Copy)]
pub struct LogMessage<'a>(&'a LogItem);

impl LogMessage<'_> {
    pub fn starts_with(&self, text: &str) -> bool {
        let opening = self.0.message_opening.text();
        match text.strip_prefix(opening) {
            Some(rest) => self.0.message_rest.starts_with(rest),
            None => opening.starts_with(text),
        }
    }
}

impl std::fmt::Display for LogMessage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message_opening.text())?;
        f.write_str(&self.0.message_rest)
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

    #[test]
    fn a_log_item_gives_back_its_times_and_message_exactly() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let created = at("2017-04-04T00:07:28.454487-07:00");
        let ended = at("1969-12-31T23:59:59.9999999+05:30");
        for message in [
            "Processing OneDrive: adelev@contoso.onmicrosoft.com",
            "Processing mailbox: adelev@contoso.onmicrosoft.com",
            "Processing site: https://contoso.sharepoint.com/sites/hr",
            "Job started at 4/4/2017 12:07:21 AM",
            "",
        ] {
            let item = LogItem::new(
                Uuid::nil(),
                1,
                Severity::Success,
                message.to_owned(),
                created,
                ended,
            );
            assert_eq!(item.message().to_string(), message);
            assert_eq!(item.creation_time(), created);
            assert_eq!(item.creation_time().offset(), created.offset());
            assert_eq!(item.end_time(), ended);
            assert_eq!(item.end_time().offset(), ended.offset());
            assert_eq!(
                item.message().starts_with("Processing "),
                message.starts_with("Processing ")
            );
        }
        assert_eq!(std::mem::size_of::<LogItem>(), 64);
    }
}

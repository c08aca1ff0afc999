//! The fast reading of a world file: its outline walked a window at a time, values by serde_json.

use std::io::Read;
use std::ops::Range;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

use serde::de::{DeserializeOwned, IgnoredAny};

use super::*;

/// How much of a file is read at a time; a value larger than that grows the window.
pub const WINDOW_BYTES: usize = 8 << 20;

/// Why the fast reading stopped.
#[derive(Debug)]
pub enum Stop {
    /// The file could not be read.
    Read(std::io::Error),
    /// The document is malformed, or shaped in a way only the exact reading takes.
    Irregular,
}

/// Reads a world file `window_bytes` at a time: everything but the sessions' log items into
/// a [`WorldFile`], each session's log items into its [`SessionLog`] as they come. Storing
/// and checking the items runs on a thread of its own, beside the parsing, which is most of
/// the work.
pub fn read_outline<R: Read>(
    reader: R,
    window_bytes: usize,
) -> Result<(WorldFile, Vec<SessionLog>), Stop> {
    std::thread::scope(|scope| {
        let (pieces, received) = mpsc::sync_channel(PIECES_IN_FLIGHT);
        let (spent, returned) = mpsc::channel();
        let storing = scope.spawn(move || store_logs(&received, &spent));
        let file = read_document(Window::new(reader, window_bytes), &pieces, &returned);
        drop(pieces);
        let logs = storing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((file?, logs))
    })
}

/// Log items go to the storing thread in batches of this many...
const BATCH_ITEMS: usize = 1024;
/// ...and at most this many batches wait there, so the items in flight stay a few megabytes.
const PIECES_IN_FLIGHT: usize = 8;

/// What the parsing hands the storing thread, in the order of the file.
enum Piece {
    Items(Vec<LogItemEntry>),
    /// The current session's log items are all there.
    EndOfLog,
}

/// Stores the log items of the sessions one after the other, as the pieces say. Batches
/// stored go back to the parsing thread, which frees their messages: the allocator frees a
/// block fastest on the thread that allocated it.
fn store_logs(pieces: &Receiver<Piece>, spent: &Sender<Vec<LogItemEntry>>) -> Vec<SessionLog> {
    let mut logs = Vec::new();
    let mut log = LogReader::new(0);
    for piece in pieces {
        match piece {
            Piece::Items(items) => {
                items.iter().for_each(|item| log.push(item));
                // Once the parsing has stopped, nothing takes batches back; they drop here.
                let _ = spent.send(items);
            }
            Piece::EndOfLog => {
                let next = LogReader::new(logs.len() + 1);
                logs.push(std::mem::replace(&mut log, next).finish());
            }
        }
    }
    logs
}

/// Walks the document, handing each session's log items to the storing thread.
fn read_document<R: Read>(
    mut window: Window<R>,
    pieces: &SyncSender<Piece>,
    spent: &Receiver<Vec<LogItemEntry>>,
) -> Result<WorldFile, Stop> {
    let send = |piece| pieces.send(piece).map_err(|_| Stop::Irregular);
    let empty_batch = || {
        spent.try_recv().map_or_else(
            |_| Vec::with_capacity(BATCH_ITEMS),
            |mut batch| {
                batch.clear();
                batch
            },
        )
    };
    let mut rest = RawObject::new();
    let mut sessions = None;
    window.object(|window, key| {
        if key != "sessions" {
            return rest.push(key, window.raw()?);
        }
        if sessions.is_some() {
            return Err(Stop::Irregular);
        }
        let mut entries = Vec::new();
        window.array(|window| {
            entries.push(read_session(window, &send, &empty_batch)?);
            send(Piece::EndOfLog)
        })?;
        sessions = Some(entries);
        Ok(())
    })?;
    if window.peek()?.is_some() {
        return Err(Stop::Irregular);
    }
    let mut file: WorldFile = rest.parse()?;
    file.sessions = sessions.unwrap_or_default();
    Ok(file)
}

/// One element of `sessions`: its log items sent on as they come, the rest parsed as an entry.
fn read_session<R: Read>(
    window: &mut Window<R>,
    send: &impl Fn(Piece) -> Result<(), Stop>,
    empty_batch: &impl Fn() -> Vec<LogItemEntry>,
) -> Result<SessionEntry, Stop> {
    let mut header = RawObject::new();
    let mut seen_log = false;
    window.object(|window, key| {
        if key != "logItems" {
            return header.push(key, window.raw()?);
        }
        if std::mem::replace(&mut seen_log, true) {
            return Err(Stop::Irregular);
        }
        let mut batch = empty_batch();
        window.array(|window| {
            batch.push(window.value()?.0);
            if batch.len() < BATCH_ITEMS {
                return Ok(());
            }
            send(Piece::Items(std::mem::replace(&mut batch, empty_batch())))
        })?;
        send(Piece::Items(batch))
    })?;
    header.parse()
}

/// The part of the file not parsed yet, read a window at a time.
struct Window<R> {
    reader: R,
    window_bytes: usize,
    bytes: Vec<u8>,
    /// The first byte not parsed yet.
    position: usize,
    /// Whether `bytes` runs to the end of the file.
    at_end: bool,
}

impl<R: Read> Window<R> {
    fn new(reader: R, window_bytes: usize) -> Self {
        Self {
            reader,
            window_bytes: window_bytes.max(1),
            bytes: Vec::new(),
            position: 0,
            at_end: false,
        }
    }

    /// Drops what is parsed and reads on. When what is left fills half the window or more
    /// (a value larger than the window), the window doubles, so reading a large value
    /// again from its start costs no more than reading it twice.
    fn refill(&mut self) -> Result<(), Stop> {
        self.bytes.drain(..self.position);
        self.position = 0;
        let wanted = self.window_bytes.max(self.bytes.len() * 2) - self.bytes.len();
        let read = (&mut self.reader)
            .take(wanted as u64)
            .read_to_end(&mut self.bytes)
            .map_err(Stop::Read)?;
        self.at_end = read < wanted;
        Ok(())
    }

    /// The next byte that is not whitespace, left unparsed; `None` at the end of the file.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            while let Some(&byte) = self.bytes.get(self.position) {
                if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                    return Ok(Some(byte));
                }
                self.position += 1;
            }
            if self.at_end {
                return Ok(None);
            }
            self.refill()?;
        }
    }

    /// Parses `byte` if it comes next.
    fn next_is(&mut self, byte: u8) -> Result<bool, Stop> {
        let found = self.peek()? == Some(byte);
        if found {
            self.position += 1;
        }
        Ok(found)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        if self.next_is(byte)? {
            Ok(())
        } else {
            Err(Stop::Irregular)
        }
    }

    /// Parses the next value, and gives where in the window its text is.
    fn value<T: DeserializeOwned>(&mut self) -> Result<(T, Range<usize>), Stop> {
        self.peek()?;
        loop {
            let start = self.position;
            let mut values =
                serde_json::Deserializer::from_slice(&self.bytes[start..]).into_iter::<T>();
            let parsed = values.next();
            let end = start + values.byte_offset();
            // A value that runs to the end of the window may go on in the file (a number).
            let whole = end < self.bytes.len() || self.at_end;
            match parsed {
                Some(Ok(value)) if whole => {
                    self.position = end;
                    return Ok((value, start..end));
                }
                Some(Err(error)) if !error.is_eof() => return Err(Stop::Irregular),
                _ if self.at_end => return Err(Stop::Irregular),
                _ => self.refill()?,
            }
        }
    }

    /// The text of the next value, checked to be JSON.
    fn raw(&mut self) -> Result<&[u8], Stop> {
        let (IgnoredAny, text) = self.value()?;
        Ok(&self.bytes[text])
    }

    /// Walks an object: `member` is given each key and parses that key's value.
    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        self.expect(b'{')?;
        if self.next_is(b'}')? {
            return Ok(());
        }
        loop {
            let (key, _) = self.value::<String>()?;
            self.expect(b':')?;
            member(self, &key)?;
            if !self.next_is(b',')? {
                return self.expect(b'}');
            }
        }
    }

    /// Walks an array: `element` parses each element.
    fn array(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        self.expect(b'[')?;
        if self.next_is(b']')? {
            return Ok(());
        }
        loop {
            element(self)?;
            if !self.next_is(b',')? {
                return self.expect(b']');
            }
        }
    }
}

/// Members of an object copied as JSON text, to be parsed together into their entry, which
/// then checks them as it always has (unknown fields, repeated fields, defaults).
struct RawObject(Vec<u8>);

impl RawObject {
    fn new() -> Self {
        Self(vec![b'{'])
    }

    fn push(&mut self, key: &str, value: &[u8]) -> Result<(), Stop> {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        serde_json::to_writer(&mut self.0, key).map_err(|_| Stop::Irregular)?;
        self.0.push(b':');
        self.0.extend_from_slice(value);
        Ok(())
    }

    fn parse<T: DeserializeOwned>(mut self) -> Result<T, Stop> {
        self.0.push(b'}');
        serde_json::from_slice(&self.0).map_err(|_| Stop::Irregular)
    }
}

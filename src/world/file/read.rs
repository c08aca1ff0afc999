//! Reading a world file into a world: streamed, with an exact second reading for a malformed one.

use std::io::{self, BufReader, Read};

use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::*;
use crate::model::{Log, NewLogItem};
use crate::store::World;

/// Why a world file gave no world.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Read(io::Error),
    /// The file was read and has these problems.
    Invalid(Vec<Problem>),
}

/// Reads a world file from what `open` gives and builds its world. The file is read once,
/// in windows, so memory holds the world and a window of the file, never the document. A
/// document the fast reading does not take (malformed, as a rule) is opened again and read
/// whole by serde_json, which names the path where it stops fitting the format.
pub fn load<R: Read>(open: impl Fn() -> io::Result<R>) -> Result<World, LoadError> {
    let reader = open().map_err(LoadError::Read)?;
    match read_outline(reader, WINDOW_BYTES) {
        Ok((file, logs)) => finish(file, logs).map_err(LoadError::Invalid),
        Err(Stop::Read(error)) => Err(LoadError::Read(error)),
        Err(Stop::Irregular) => {
            let file = parse(open().map_err(LoadError::Read)?)?;
            build(file).map_err(LoadError::Invalid)
        }
    }
}

/// Reads a whole world file (or a document holding one) into memory, tracking the path so
/// that a document that does not fit the format gives one problem at the path where it
/// stops fitting. Nothing but whitespace may follow the value.
pub fn parse<T: DeserializeOwned>(reader: impl Read) -> Result<T, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_reader(BufReader::new(reader));
    let file = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        syntax_problem(&path, error.into_inner())
    })?;
    deserializer
        .end()
        .map_err(|error| syntax_problem(".", error))?;
    Ok(file)
}

fn syntax_problem(path: &str, error: serde_json::Error) -> LoadError {
    if error.is_io() {
        return LoadError::Read(error.into());
    }
    LoadError::Invalid(vec![Problem {
        path: if path == "." { "$" } else { path }.to_owned(),
        message: error.to_string(),
    }])
}

/// Builds the world a whole file in memory describes, or gives every problem it has.
pub fn build(mut file: WorldFile) -> Result<World, Vec<Problem>> {
    let logs = file
        .sessions
        .iter_mut()
        .enumerate()
        .map(|(index, entry)| {
            let mut reader = LogReader::new(index);
            for item in std::mem::take(&mut entry.log_items) {
                reader.push(&item);
            }
            reader.finish()
        })
        .collect();
    finish(file, logs)
}

/// Checks the file with the logs read apart from it, and builds the world if all is well.
fn finish(file: WorldFile, logs: Vec<SessionLog>) -> Result<World, Vec<Problem>> {
    let problems = validate(&file, &logs);
    if problems.is_empty() {
        Ok(import(file, logs))
    } else {
        Err(problems)
    }
}

/// The log items of one session of a file, stored as they are read and checked on the way.
#[derive(Debug)]
pub struct LogReader {
    log: Log,
    missing_ids: Vec<usize>,
    checks: LogItemChecks,
}

impl LogReader {
    /// The reader of the log of `sessions[index]`.
    pub fn new(index: usize) -> Self {
        Self {
            log: Log::default(),
            missing_ids: Vec::new(),
            checks: LogItemChecks::new(format!("sessions[{index}].logItems"), 0),
        }
    }

    pub fn push(&mut self, entry: &LogItemEntry) {
        let usn = self.checks.check(entry);
        if entry.id.is_none() {
            self.missing_ids.push(self.log.len());
        }
        self.log
            .push(new_log_item(entry, entry.id.unwrap_or_default(), usn));
    }

    /// The log as read: the checks that need every item run, the room it grew into given back.
    pub fn finish(mut self) -> SessionLog {
        self.log.shrink_to_fit();
        let given_ids = self
            .log
            .iter()
            .enumerate()
            .filter(|(position, _)| self.missing_ids.binary_search(position).is_err())
            .map(|(position, item)| (position, *item.id()));
        let problems = self.checks.finish(given_ids);
        SessionLog {
            log: self.log,
            missing_ids: self.missing_ids,
            problems,
        }
    }
}

/// A session's log read from a file: the log, the problems of its items, and where the
/// items are whose ids the file leaves out. Those ids are drawn once the whole file is
/// read, in the order an import has always drawn them, so a file gives the same world
/// however its keys are ordered.
#[derive(Debug)]
pub struct SessionLog {
    pub log: Log,
    pub missing_ids: Vec<usize>,
    pub problems: Vec<Problem>,
}

/// A log item as an entry gives it, with the id and usn it gets.
pub fn new_log_item(entry: &LogItemEntry, id: Uuid, usn: i64) -> NewLogItem<'_> {
    NewLogItem {
        id,
        usn,
        severity: entry.severity,
        message: &entry.message,
        creation_time: entry.creation_time,
        end_time: entry.end_time.unwrap_or(entry.creation_time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::generator::{GeneratorOptions, generate};

    fn generated_file() -> Vec<u8> {
        let world = generate(&GeneratorOptions {
            seed: 3,
            organizations: 2,
            days: 3,
            big_session_items: 500,
            ..GeneratorOptions::default()
        });
        export(&world).to_bytes()
    }

    fn problems_of(text: &[u8]) -> Vec<String> {
        match load(|| Ok(text)) {
            Err(LoadError::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
            other => panic!("the file is refused: {other:?}"),
        }
    }

    /// A file with every key in an order of its own, and ids left out.
    const SHUFFLED: &[u8] = br#"{
      "sessions": [{"logItems": [{"message": "Job started", "creationTime": "2020-01-01T22:00:00Z"},
                                 {"creationTime": "2020-01-01T22:00:01Z", "usn": 7,
                                  "message": "Processing site: https://contoso.sharepoint.com/sites/hr",
                                  "id": "99999999-9999-9999-9999-999999999999"},
                                 {"severity": "Warning", "message": "Processing mailbox: a@contoso.onmicrosoft.com",
                                  "creationTime": "2020-01-01T22:00:02.5-08:00"}],
                    "creationTime": "2020-01-01T22:00:00Z", "endTime": "2020-01-01T22:05:00Z",
                    "jobId": "44444444-4444-4444-4444-444444444444"},
                   {"jobId": "44444444-4444-4444-4444-444444444444", "creationTime": "2020-01-02T22:00:00Z"}],
      "jobs": [{"name": "job", "id": "44444444-4444-4444-4444-444444444444",
                "organizationId": "11111111-1111-1111-1111-111111111111",
                "repositoryId": "33333333-3333-3333-3333-333333333333"}],
      "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "contoso.onmicrosoft.com"},
                        {"name": "fabrikam.onmicrosoft.com"}],
      "seed": 123456789,
      "repositories": [{"id": "33333333-3333-3333-3333-333333333333", "name": "repo",
                        "proxyId": "22222222-2222-2222-2222-222222222222"}],
      "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "proxy"}],
      "format": 1
    }"#;

    #[test]
    fn the_streamed_reading_builds_the_world_the_whole_document_builds() {
        for text in [generated_file().as_slice(), SHUFFLED] {
            let whole = export(&build(parse(text).unwrap()).unwrap());
            let streamed = export(&load(|| Ok(text)).unwrap());
            assert_eq!(streamed, whole);
        }
    }

    #[test]
    fn windows_of_any_size_read_the_same_file() {
        let text = generated_file();
        let (file, logs) = read_outline(text.as_slice(), WINDOW_BYTES).unwrap();
        let expected = export(&finish(file, logs).unwrap()).to_bytes();
        assert_eq!(expected, text);
        for window_bytes in [1, 2, 7, 100, 4096] {
            let (file, logs) = read_outline(SHUFFLED, window_bytes).unwrap();
            assert_eq!(file.seed, 123456789, "a number cut by the window");
            assert_eq!(logs[0].log.len(), 3);
            let (file, logs) = read_outline(text.as_slice(), window_bytes * 1000).unwrap();
            assert_eq!(export(&finish(file, logs).unwrap()).to_bytes(), expected);
        }
    }

    #[test]
    fn left_out_ids_and_usns_are_filled_in_as_a_whole_import_fills_them() {
        let world = load(|| Ok(SHUFFLED)).unwrap();
        let record = world.sessions_oldest_first().next().unwrap();
        let usns: Vec<i64> = record.log.iter().map(|item| item.usn()).collect();
        assert_eq!(usns, [1, 7, 8]);
        assert_eq!(
            *record.log.get(1).unwrap().id(),
            Uuid::parse_str("99999999-9999-9999-9999-999999999999").unwrap()
        );
        let mut ids = IdSource::new(123456789);
        let fabrikam = ids.or_new(None);
        assert_eq!(world.organizations[1].id, fabrikam);
        assert_eq!(*record.log.get(0).unwrap().id(), ids.or_new(None));
        assert_eq!(*record.log.get(2).unwrap().id(), ids.or_new(None));
        assert_eq!(record.session.id, ids.or_new(None));
    }

    #[test]
    fn problems_found_while_streaming_keep_the_order_of_a_whole_check() {
        let text = br#"{"format": 1, "sessions": [{"jobId": "44444444-4444-4444-4444-444444444444",
            "logItems": [{"usn": 2, "message": "a", "creationTime": "2020-01-01T22:00:00Z"},
                         {"usn": 2, "message": "b", "creationTime": "2020-01-01T22:00:00Z",
                          "endTime": "2020-01-01T21:00:00Z"}],
            "creationTime": "2020-01-01T22:00:00Z", "endTime": "2020-01-01T21:00:00Z"}],
            "serverOffset": "nowhere"}"#;
        assert_eq!(
            problems_of(text),
            [
                "serverOffset: 'nowhere' is not an offset like -07:00",
                "sessions[0].jobId: no job with this id",
                "sessions[0].endTime: ends before it starts",
                "sessions[0].logItems[1].usn: must be greater than 2",
                "sessions[0].logItems[1].endTime: ends before it starts",
            ]
        );
    }

    #[test]
    fn every_item_that_repeats_an_id_is_named_and_left_out_ids_repeat_nothing() {
        let item = |id: &str| match id {
            "" => r#"{"message": "m", "creationTime": "2020-01-01T22:00:00Z"}"#.to_owned(),
            id => format!(
                r#"{{"id": "{id}", "message": "m", "creationTime": "2020-01-01T22:00:00Z"}}"#
            ),
        };
        let repeated = "77777777-7777-7777-7777-777777777777";
        let nil = "00000000-0000-0000-0000-000000000000";
        let items = [repeated, "", repeated, nil, "", repeated]
            .map(item)
            .join(",");
        let text = format!(
            r#"{{"format": 1, "sessions": [{{"jobId": "44444444-4444-4444-4444-444444444444",
                "creationTime": "2020-01-01T22:00:00Z", "logItems": [{items}]}}]}}"#
        );
        let problems = problems_of(text.as_bytes());
        assert_eq!(
            problems[1..],
            [
                format!("sessions[0].logItems[2].id: duplicate id {repeated}"),
                format!("sessions[0].logItems[5].id: duplicate id {repeated}"),
            ]
        );
    }

    #[test]
    fn a_malformed_document_is_named_by_the_path_where_it_stops_fitting() {
        let cases: [(&[u8], &str); 5] = [
            (
                br#"{"format": 1, "sessions": [{"jobId": "44444444-4444-4444-4444-444444444444",
                    "creationTime": "2020-01-01T22:00:00Z",
                    "logItems": [{"message": "a", "creationTime": "2020-01-01T22:00:00Z"},
                                 {"message": "b", "severity": "Bad", "creationTime": "2020-01-01T22:00:00Z"}]}]}"#,
                "sessions[0].logItems[1].severity",
            ),
            (br#"{"format": 1, "sessions": [{"jobId": 5}]}"#, "sessions[0].jobId"),
            (br#"{"format": 1, "sessions": [], "sessions": []}"#, "$"),
            (br#"{"format": 1} and more"#, "$"),
            (br#"{"format": 1, "jobs": [{"name": "j""#, "jobs[0].?"),
        ];
        for (text, path) in cases {
            let problems = problems_of(text);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].starts_with(&format!("{path}: ")),
                "{problems:?}"
            );
        }
    }
}

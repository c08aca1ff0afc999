//! World files: the JSON format worlds are written in (`"format": 1`), with validation
//! that names every problem by its JSON path, import into a world and export from one.

mod export;
mod import;
mod outline;
mod read;
mod schema;
mod validate;

use std::fmt;

pub use export::*;
pub use import::*;
use outline::{Stop, WINDOW_BYTES, read_outline};
pub use read::*;
pub use schema::*;
pub use validate::*;

impl WorldFile {
    /// The file pretty-printed with a final newline, as `vb365-mock world generate` writes
    /// it and the control API exports it, so the two can be compared byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// One thing wrong with a world file or an admin payload, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads one entry of the format, as the control API takes them, and names where it fails.
/// Tracking the path slows the parse, so it is only done again for an entry that failed.
pub fn parse_entry<T: serde::de::DeserializeOwned>(text: &[u8]) -> Result<T, Vec<Problem>> {
    if let Ok(parsed) = serde_json::from_slice(text) {
        return Ok(parsed);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let problem = |path: String, error: serde_json::Error| {
        vec![Problem {
            path: if path == "." { "$".to_owned() } else { path },
            message: error.to_string(),
        }]
    };
    let parsed = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| problem(error.path().to_string(), error.into_inner()))?;
    // Text after the value is what failed the first parse.
    deserializer
        .end()
        .map_err(|error| problem(".".to_owned(), error))?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::model::SessionStatus;

    const MINIMAL: &[u8] = br#"{
      "format": 1,
      "organizations": [{"id": "11111111-1111-1111-1111-111111111111", "name": "contoso.onmicrosoft.com"}],
      "proxies": [{"id": "22222222-2222-2222-2222-222222222222", "hostName": "proxy"}],
      "repositories": [{"id": "33333333-3333-3333-3333-333333333333", "name": "repo",
                        "proxyId": "22222222-2222-2222-2222-222222222222"}],
      "jobs": [{"id": "44444444-4444-4444-4444-444444444444", "name": "job",
                "organizationId": "11111111-1111-1111-1111-111111111111",
                "repositoryId": "33333333-3333-3333-3333-333333333333"}],
      "sessions": [{"jobId": "44444444-4444-4444-4444-444444444444",
                    "creationTime": "2020-01-01T22:00:00Z", "endTime": "2020-01-01T22:05:00Z",
                    "logItems": [{"message": "Job started", "creationTime": "2020-01-01T22:00:00Z"},
                                 {"message": "Processing mailbox: a@contoso.onmicrosoft.com",
                                  "creationTime": "2020-01-01T22:00:01.1000000-08:00"}]}]
    }"#;

    fn minimal() -> WorldFile {
        parse(MINIMAL).unwrap()
    }

    fn problems(file: WorldFile) -> Vec<String> {
        build(file)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_entry_with_text_after_it_is_refused() {
        let problems = parse_entry::<OrganizationEntry>(br#"{"name": "a"} and more"#).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .starts_with("$: trailing characters"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_minimal_file_is_valid_and_gets_defaults() {
        let world = load(|| Ok(MINIMAL)).unwrap();
        assert_eq!(world.organizations[0].office_name, "contoso");
        let record = world.sessions_oldest_first().next().unwrap();
        assert_eq!(record.session.status, SessionStatus::Success);
        assert_eq!(record.session.statistics.processed_objects, 1);
        assert_eq!(
            record.log.iter().map(|item| item.usn()).collect::<Vec<_>>(),
            [1, 2]
        );
    }

    #[test]
    fn dangling_references_are_reported_by_path() {
        let mut file = minimal();
        file.jobs[0].repository_id = Uuid::nil();
        file.sessions[0].log_items[1].usn = Some(1);
        file.sessions[0].log_items[0].usn = Some(5);
        assert_eq!(
            problems(file),
            [
                "jobs[0].repositoryId: no repository with this id",
                "sessions[0].logItems[1].usn: must be greater than 5"
            ]
        );
    }

    #[test]
    fn repeated_log_item_ids_are_named_by_the_later_item() {
        let mut file = minimal();
        let id = Uuid::from_u128(7);
        file.sessions[0].log_items[0].id = Some(id);
        file.sessions[0].log_items[1].id = Some(id);
        assert_eq!(
            problems(file),
            [format!("sessions[0].logItems[1].id: duplicate id {id}")]
        );
    }

    #[test]
    fn a_usn_that_leaves_no_room_after_it_is_refused() {
        let mut file = minimal();
        file.sessions[0].log_items[0].usn = Some(1);
        file.sessions[0].log_items[1].usn = Some(i64::MAX);
        assert_eq!(
            problems(file),
            [format!(
                "sessions[0].logItems[1].usn: must be below {}, so that later items have a usn",
                i64::MAX
            )]
        );
    }

    #[test]
    fn anything_after_the_world_is_refused() {
        let mut text = MINIMAL.to_vec();
        text.extend_from_slice(b" {}");
        assert!(matches!(
            load(|| Ok(text.as_slice())),
            Err(LoadError::Invalid(_))
        ));
    }

    proptest::proptest! {
        /// A file cut short or with a byte changed anywhere loads or is refused with
        /// problems; it never panics.
        #[test]
        fn a_damaged_file_is_refused_never_a_panic(
            cut in 0..MINIMAL.len(),
            position in 0..MINIMAL.len(),
            byte in proptest::prelude::any::<u8>(),
        ) {
            let mut damaged = MINIMAL.to_vec();
            damaged[position] = byte;
            damaged.truncate(cut.max(position + 1));
            let _ = load(|| Ok(damaged.as_slice()));
        }
    }

    #[test]
    fn type_errors_name_their_path() {
        let Err(LoadError::Invalid(problems)) =
            load(|| Ok(br#"{"format": 1, "jobs": [{"name": 3}]}"#.as_slice()))
        else {
            panic!("a job named 3 is refused");
        };
        assert_eq!(problems[0].path, "jobs[0].name");
    }

    #[test]
    fn copy_jobs_keys_and_accounts_are_checked_against_the_file() {
        let mut file = minimal();
        let job = file.jobs[0].id.unwrap();
        let repository = file.repositories[0].id.unwrap();
        let unknown = Uuid::from_u128(9);
        let copy = |backup_job_id, repository_id| CopyJobEntry {
            id: None,
            backup_job_id,
            repository_id,
            name: None,
            is_enabled: true,
            schedule: crate::model::CopySchedule::Immediate,
            copy_window: Some(vec![true; 3]),
            scenario: crate::model::Scenario::default(),
        };
        file.copy_jobs = vec![
            copy(unknown, repository),
            copy(job, repository),
            copy(job, unknown),
        ];
        file.repositories[0].encryption_key_id = Some(unknown);
        file.encryption_keys = vec![EncryptionKeyEntry {
            id: None,
            description: String::new(),
            password: crate::model::Secret::default(),
            organization_id: None,
        }];
        file.sessions[0].job_id = unknown;
        assert_eq!(
            problems(file),
            [
                "copyJobs[0].backupJobId: no job with this id",
                "copyJobs[0].repositoryId: the repository keeps no object storage to copy to",
                "copyJobs[0].copyWindow: must hold 168 hours, from Sunday 00:00",
                "copyJobs[1].repositoryId: the repository keeps no object storage to copy to",
                "copyJobs[1].copyWindow: must hold 168 hours, from Sunday 00:00",
                "copyJobs[2].backupJobId: the job already has a backup copy job: copyJobs[1]",
                "copyJobs[2].repositoryId: no repository with this id",
                "copyJobs[2].copyWindow: must hold 168 hours, from Sunday 00:00",
                "sessions[0].jobId: no job with this id",
                "encryptionKeys[0].password: must not be empty",
                "repositories[0].encryptionKeyId: no encryption key with this id",
                "repositories[0].encryptionKeyId: only what goes to object storage is encrypted",
            ]
        );
    }

    #[test]
    fn a_copy_jobs_sessions_name_it_and_load_as_copies() {
        let mut file = minimal();
        let storage = Uuid::from_u128(5);
        let archive = Uuid::from_u128(6);
        let copy_id = Uuid::from_u128(7);
        file.object_storages = vec![ObjectStorageEntry {
            id: Some(storage),
            name: "archive".to_owned(),
            description: String::new(),
            kind: crate::model::ObjectStorageKind::AzureBlobArchive,
            bucket: "archive".to_owned(),
            folder: "Veeam".to_owned(),
            endpoint: String::new(),
            size_limit_gb: None,
            account_id: None,
            azure_service_account_id: None,
        }];
        let mut target = file.repositories[0].clone();
        target.id = Some(archive);
        target.name = "archive".to_owned();
        target.object_storage_id = Some(storage);
        file.repositories.push(target);
        file.copy_jobs = vec![CopyJobEntry {
            id: Some(copy_id),
            backup_job_id: file.jobs[0].id.unwrap(),
            repository_id: archive,
            name: None,
            is_enabled: true,
            schedule: crate::model::CopySchedule::Immediate,
            copy_window: None,
            scenario: crate::model::Scenario::default(),
        }];
        let mut session = file.sessions[0].clone();
        session.id = None;
        session.job_id = copy_id;
        file.sessions.push(session);
        let world = build(file).unwrap();
        assert_eq!(world.copy_jobs[0].name, "job copy");
        let record = world
            .sessions_oldest_first()
            .find(|record| record.session.job_id == copy_id)
            .unwrap();
        assert_eq!(
            world.session_target(&record.session),
            (crate::model::JobKind::Copy, Some(&archive))
        );
        let exported = export(&world);
        assert_eq!(export(&build(exported.clone()).unwrap()), exported);
    }

    #[test]
    fn an_exported_file_imports_to_the_same_export() {
        let exported = export(&build(minimal()).unwrap());
        assert_eq!(export(&build(exported.clone()).unwrap()), exported);
    }
}

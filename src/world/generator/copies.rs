//! The generator's backup copy: an archive tier in Azure, an encrypted repository on it, a
//! copy job that copies the first job writing to object storage right after each of its
//! backups (with that history), and the cloud accounts every object storage signs in with.
//! Its ids are drawn after everything else, so the rest of the world is what it was.

use rand::Rng;
use uuid::Uuid;

use super::{Generator, ObjectKind, Wording, millis};
use crate::model::{
    BackupRepository, CloudAccount, CloudAccountKind, CopyJob, EncryptionKey, ObjectStorage,
    ObjectStorageKind, Secret, SessionStatus,
};

/// Text made of the bytes of an id, as hexadecimal digits.
fn hex(id: Uuid, upper: bool) -> String {
    id.as_bytes()
        .iter()
        .map(|byte| {
            if upper {
                format!("{byte:02X}")
            } else {
                format!("{byte:02x}")
            }
        })
        .collect()
}

impl Generator<'_> {
    /// Adds the backup copy and the cloud accounts, when a job writes to object storage.
    pub fn add_backup_copy(&mut self) {
        let source = self.world.jobs.iter().find(|job| {
            self.world
                .repository(&job.repository_id)
                .is_some_and(|repository| repository.object_storage_id.is_some())
        });
        if let Some(job) = source.cloned() {
            let Some(repository) = self.world.repository(&job.repository_id).cloned() else {
                return;
            };
            let office = self
                .world
                .organization(&job.organization_id)
                .map(|organization| organization.office_name.clone())
                .unwrap_or_default();
            let storage_id = self.id();
            self.world.object_storages.push(ObjectStorage {
                id: storage_id,
                name: "Azure archive".to_owned(),
                description: "Azure Blob Storage Archive tier for backup copies".to_owned(),
                kind: ObjectStorageKind::AzureBlobArchive,
                bucket: "vb365-archive".to_owned(),
                folder: format!("{office}-archive"),
                endpoint: String::new(),
                size_limit_gb: None,
                account_id: None,
                azure_service_account_id: None,
            });
            let key_id = self.id();
            let password = Secret::new(hex(self.id(), false));
            self.world.encryption_keys.push(EncryptionKey {
                id: key_id,
                description: "Archive encryption".to_owned(),
                password,
                organization_id: None,
            });
            let repository_id = self.id();
            self.world.repositories.push(BackupRepository {
                description: format!("Backup copies of {office}"),
                capacity_bytes: 4 << 40,
                object_storage_id: Some(storage_id),
                encryption_key_id: Some(key_id),
                ..BackupRepository::new(
                    repository_id,
                    format!("{office} archive"),
                    format!("D:\\VeeamArchiveCache\\{office}"),
                    repository.owner,
                )
            });
            let copy_job_id = self.id();
            let copy_job = CopyJob::new(copy_job_id, job.id, repository_id, &job.name);
            self.world.copy_jobs.push(copy_job);
            self.add_copy_history(copy_job_id, job.id);
        }
        self.add_cloud_accounts();
    }

    /// A copy session after every backup session of `job_id` that left a restore point,
    /// as an immediate copy job runs, each done before the world's present.
    fn add_copy_history(&mut self, copy_job_id: Uuid, job_id: Uuid) {
        let Some(job) = self.world.job(&job_id) else {
            return;
        };
        let objects = self.world.job_objects(job);
        let kind = match objects.first().map(|(what, _)| *what) {
            Some("OneDrive") => ObjectKind::OneDrive,
            Some("site") => ObjectKind::Site,
            _ => ObjectKind::Mailbox,
        };
        let names: Vec<String> = objects.into_iter().map(|(_, name)| name).collect();
        let mut ends: Vec<_> = self
            .world
            .job_sessions(job_id)
            .filter(|record| {
                matches!(
                    record.session.status,
                    SessionStatus::Success | SessionStatus::Warning
                )
            })
            .filter_map(|record| record.session.end_time)
            .collect();
        ends.reverse();
        let now = self.options.now.fixed_offset();
        for end in ends {
            let start = (end + millis(self.rng.random_range(2_000..60_000)))
                .with_timezone(&self.options.server_offset);
            let status = self.draw_status();
            let (session, log) = self.run(
                copy_job_id,
                Wording::Copy(kind),
                &names,
                start,
                status,
                None,
            );
            if session.end_time.is_some_and(|end| end < now) {
                self.world.add_session(session, log);
            }
        }
    }

    /// An account for every object storage, of the kind its cloud takes.
    fn add_cloud_accounts(&mut self) {
        for index in 0..self.world.object_storages.len() {
            let id = self.id();
            let secret = Secret::new(format!("{}{}", hex(self.id(), false), hex(self.id(), true)));
            let storage = &mut self.world.object_storages[index];
            let kind = CloudAccountKind::for_storage(storage.kind);
            let user_name = match kind {
                CloudAccountKind::AzureBlobAccount => format!("vb365{}", &hex(id, false)[..12]),
                _ => format!("AKIA{}", &hex(id, true)[..16]),
            };
            storage.account_id = Some(id);
            let description = format!("Signs in to {}", storage.name);
            self.world.cloud_accounts.push(CloudAccount {
                id,
                kind,
                user_name,
                description,
                password: secret,
                organization_id: None,
            });
        }
    }
}

//! Building a world from a valid world file.

use chrono::{Offset, Utc};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::*;
use crate::model::{
    BackupRepository, Bottleneck, BucketFolder, CloudAccount, CopyJob, DirectoryUser, Document,
    DriveFolder, EncryptionKey, FaultRule, Group, Job, JobItem, JobSession, LicensedUser, Log,
    MailFolder, MailItem, ObjectStorage, OneDrive, Organization, OwnerChange, PinnedDocument,
    PinnedMail, Proxy, ProxyPool, RbacRole, RemovedData, RepositoryOwner, RepositorySync,
    RestoreEvent, RestorePortal, RestoreSelection, RestoreSession, RestoredDocuments, RestoredMail,
    SessionStatistics, SessionStatus, Severity, Site, Team, UserCredential,
};
use crate::store::World;

/// Draws the ids a file leaves out, from the file's seed, so a file loads the same way twice.
pub struct IdSource(ChaCha8Rng);

impl IdSource {
    pub fn new(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(2);
        Self(rng)
    }

    pub fn or_new(&mut self, id: Option<Uuid>) -> Uuid {
        id.unwrap_or_else(|| {
            let mut bytes = [0u8; 16];
            self.0.fill_bytes(&mut bytes);
            uuid::Builder::from_random_bytes(bytes).into_uuid()
        })
    }
}

/// Builds the world a valid file describes, with the logs of its sessions read apart from
/// it. Call [`validate`] first: this trusts the file.
pub fn import(mut file: WorldFile, logs: Vec<SessionLog>) -> World {
    let offset = parse_offset(&file.server_offset).unwrap_or_else(|| Utc.fix());
    let mut ids = IdSource::new(file.seed);
    let mut world = World::new(offset, file.seed);
    world.reseed_new_ids(content_hash(&file));
    world.organizations = file
        .organizations
        .iter()
        .map(|entry| organization(entry, &mut ids))
        .collect();
    world.proxies = file
        .proxies
        .iter()
        .map(|entry| Proxy {
            id: ids.or_new(entry.id),
            host_name: entry.host_name.clone(),
            description: entry.description.clone(),
            port: entry.port,
            threads_number: entry.threads_number,
            is_online: entry.is_online,
            kind: entry.kind,
            operating_system: entry.operating_system,
            throttling: entry.throttling,
            internet_proxy: entry.internet_proxy.clone(),
            service_account: entry.service_account.clone(),
            pool_id: entry.proxy_pool_id,
            maintenance: entry.maintenance,
        })
        .collect();
    world.proxy_pools = file
        .proxy_pools
        .iter()
        .map(|entry| ProxyPool {
            id: ids.or_new(entry.id),
            name: entry.name.clone(),
            description: entry.description.clone(),
        })
        .collect();
    world.repositories = file
        .repositories
        .iter()
        .map(|entry| BackupRepository {
            id: ids.or_new(entry.id),
            name: entry.name.clone(),
            description: entry.description.clone(),
            path: entry
                .path
                .clone()
                .unwrap_or_else(|| format!("C:\\VeeamRepository\\{}", entry.name)),
            // A valid file names exactly one owner.
            owner: entry.owner().unwrap_or(RepositoryOwner::Proxy(Uuid::nil())),
            retention: entry.retention_type,
            retention_period: entry.retention_period,
            cleanup: entry.cleanup,
            capacity_bytes: entry.capacity_bytes,
            baseline_used_bytes: entry.baseline_used_bytes,
            object_storage_id: entry.object_storage_id,
            organization_id: entry.organization_id,
            out_of_sync: entry.is_out_of_sync,
            encryption_key_id: entry.encryption_key_id,
        })
        .collect();
    world.repository_syncs = file
        .repository_synchronizations
        .iter()
        .map(|entry| RepositorySync {
            id: ids.or_new(entry.id),
            repository_id: entry.repository_id,
            started: entry.started,
            stopped: entry.stopped,
        })
        .collect();
    world.owner_changes = file
        .repository_owner_changes
        .iter()
        .map(|entry| OwnerChange {
            id: ids.or_new(entry.id),
            repository_ids: entry.repository_ids.clone(),
            from: entry.from,
            to: entry.to,
            started: entry.started,
            stopped: entry.stopped,
            wait_minutes: entry.wait_minutes,
            force_stop: entry.force_stop,
            force_stop_minutes: entry.force_stop_minutes,
        })
        .collect();
    world.jobs = file.jobs.iter().map(|entry| job(entry, &mut ids)).collect();
    for (entry, read) in file.sessions.iter().zip(logs) {
        let mut log = read.log;
        for position in read.missing_ids {
            log.set_id(position, ids.or_new(None));
        }
        let (session, log) = session(entry, log, &mut ids);
        world.add_session(session, log);
    }
    world.restore_sessions = file
        .restore_sessions
        .iter()
        .map(|entry| RestoreSession {
            id: ids.or_new(entry.id),
            name: entry.name.clone(),
            organization_id: entry.organization_id,
            kind: entry.kind,
            creation_time: entry.creation_time,
            end_time: entry.end_time,
            result: entry.result,
            initiated_by: entry.initiated_by.clone(),
            details: entry.details.clone(),
            explored: entry.explored,
            restricted_to: entry.operator_scope.clone(),
            reason: entry.reason.clone(),
            events: entry
                .events
                .iter()
                .map(|event| RestoreEvent {
                    id: ids.or_new(event.id),
                    action: event.action,
                    result: event.status,
                    item_name: event.item_name.clone(),
                    item_type: event.item_type.clone(),
                    item_size_bytes: event.item_size_bytes,
                    source: event.source.clone(),
                    target: event.target.clone(),
                    start_time: event.start_time,
                    end_time: event.end_time.unwrap_or(event.start_time),
                    message: event.message.clone(),
                    running: false,
                })
                .collect(),
        })
        .collect();
    world
        .restore_sessions
        .sort_by_key(|session| session.creation_time);
    world.restored_mail = file.restored_mail.iter().map(restored_mail).collect();
    world.pinned_mail = file.pinned_mail.iter().map(pinned_mail).collect();
    world.pinned_documents = file.pinned_documents.iter().map(pinned_document).collect();
    world.restored_documents = file
        .restored_documents
        .iter()
        .map(restored_documents)
        .collect();
    world.outbox = std::mem::take(&mut file.outbox);
    world.removed_data = file
        .removed_data
        .iter()
        .map(|entry| RemovedData {
            repository_id: entry.repository_id,
            object_id: entry.object_id,
            removed_at: entry.removed_at,
        })
        .collect();
    world.settings = std::mem::take(&mut file.settings);
    world.faults = numbered_faults(std::mem::take(&mut file.faults));
    world.scenarios = file
        .scenarios
        .drain(..)
        .filter_map(|entry| entry.resolve().ok())
        .collect();
    world.license = std::mem::take(&mut file.license);
    world.licensed_users = file
        .licensed_users
        .iter()
        .map(|entry| LicensedUser {
            id: ids.or_new(entry.id),
            name: entry.name.clone(),
            organization_id: entry.organization_id,
            is_new: entry.is_new,
        })
        .collect();
    world.users = file
        .users
        .iter()
        .map(|user| UserCredential {
            name: user.name.clone(),
            password: user.password.clone(),
        })
        .collect();
    import_tenant(&file, &mut ids, &mut world);
    world.copy_jobs = file
        .copy_jobs
        .iter()
        .map(|entry| {
            let backup_job_name = world
                .job(&entry.backup_job_id)
                .map(|job| job.name.clone())
                .unwrap_or_default();
            copy_job(entry, &backup_job_name, &mut ids)
        })
        .collect();
    world.encryption_keys = file
        .encryption_keys
        .iter()
        .map(|entry| EncryptionKey {
            id: ids.or_new(entry.id),
            description: entry.description.clone(),
            password: entry.password.clone(),
            organization_id: entry.organization_id,
        })
        .collect();
    world.cloud_accounts = file
        .cloud_accounts
        .iter()
        .map(|entry| CloudAccount {
            id: ids.or_new(entry.id),
            kind: entry.kind,
            user_name: entry.user_name.clone(),
            description: entry.description.clone(),
            password: entry.password.clone(),
            organization_id: entry.organization_id,
        })
        .collect();
    world.bucket_folders = file
        .bucket_folders
        .iter()
        .map(|entry| BucketFolder {
            account_id: entry.account_id,
            bucket: entry.bucket.clone(),
            name: entry.name.clone(),
        })
        .collect();
    world.azure_service_accounts = file.azure_service_accounts.clone();
    world
}

/// A hash of what a file holds (FNV-1a over its JSON text): stable from run to run, and
/// different once the file holds anything more.
fn content_hash(file: &WorldFile) -> u64 {
    serde_json::to_vec(file)
        .unwrap_or_default()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

pub fn organization(entry: &OrganizationEntry, ids: &mut IdSource) -> Organization {
    let defaults = Organization::new(ids.or_new(entry.id), entry.name.clone());
    Organization {
        office_name: entry
            .office_name
            .clone()
            .unwrap_or_else(|| defaults.office_name.clone()),
        kind: entry.kind,
        region: entry.region.clone(),
        exchange_online: entry.is_exchange_online,
        sharepoint_online: entry.is_sharepoint_online,
        description: entry.description.clone(),
        teams_online: entry.is_teams_online,
        teams_chats_online: entry.is_teams_chats_online,
        connection: entry
            .connection
            .clone()
            .unwrap_or_else(|| defaults.connection.clone()),
        tenant_id: entry.tenant_id.unwrap_or(defaults.tenant_id),
        sharepoint_versions: entry.share_point_versions,
        last_sync: entry.last_sync,
        setup: entry.setup.clone(),
        ..defaults
    }
}

pub fn job(entry: &JobEntry, ids: &mut IdSource) -> Job {
    Job {
        id: ids.or_new(entry.id),
        organization_id: entry.organization_id,
        repository_id: entry.repository_id,
        name: entry.name.clone(),
        description: entry.description.clone(),
        backup_type: entry.backup_type,
        is_enabled: entry.is_enabled,
        schedule: entry.schedule,
        retry: entry.retry,
        backup_window: entry.backup_window.clone(),
        selected_items: job_items(&entry.selected_items, ids),
        excluded_items: job_items(&entry.excluded_items, ids),
        revision: 0,
        scenario: entry.scenario,
    }
}

pub fn copy_job(entry: &CopyJobEntry, backup_job_name: &str, ids: &mut IdSource) -> CopyJob {
    CopyJob {
        id: ids.or_new(entry.id),
        backup_job_id: entry.backup_job_id,
        repository_id: entry.repository_id,
        name: entry
            .name
            .clone()
            .unwrap_or_else(|| CopyJob::name_for(backup_job_name)),
        is_enabled: entry.is_enabled,
        schedule: entry.schedule,
        copy_window: entry.copy_window.clone(),
        revision: 0,
        scenario: entry.scenario,
    }
}

/// Items as the file gives them, with the ids it leaves out drawn.
pub fn job_items(items: &[JobItem], ids: &mut IdSource) -> Vec<JobItem> {
    items
        .iter()
        .map(|item| JobItem {
            id: ids.or_new((!item.id.is_nil()).then_some(item.id)),
            ..item.clone()
        })
        .collect()
}

/// A session of a file with its log, whose items the entry no longer holds.
pub fn session(entry: &SessionEntry, log: Log, ids: &mut IdSource) -> (JobSession, Log) {
    let statistics = match entry.statistics {
        Some(statistics) => statistics,
        None => {
            let processed = log
                .iter()
                .filter(|item| {
                    let message = item.message();
                    (message.starts_with("Processing ") || message.starts_with("Copying "))
                        && item.severity() != Severity::Failed
                })
                .count() as u64;
            SessionStatistics::for_transfer(
                0,
                processed,
                0,
                chrono::TimeDelta::zero(),
                Bottleneck::NA,
            )
        }
    };
    let ended = entry.end_time.is_some();
    let session = JobSession {
        id: ids.or_new(entry.id),
        job_id: entry.job_id,
        creation_time: entry.creation_time,
        end_time: entry.end_time,
        progress: entry.progress.unwrap_or(if ended { 100 } else { 0 }),
        status: entry.status.unwrap_or(if ended {
            SessionStatus::Success
        } else {
            SessionStatus::Running
        }),
        statistics,
        retry: crate::model::SessionRetry {
            main_session_id: entry.main_session_id,
            retry_count: entry.retry_count,
            will_be_retried: entry.job_will_be_retried,
        },
    };
    (session, log)
}

/// Adds checked log items to `log`, their usns assigned where left out, counting on from
/// `after`.
pub fn append_log_items(log: &mut Log, entries: &[LogItemEntry], after: i64, ids: &mut IdSource) {
    let mut previous = after;
    for entry in entries {
        previous = entry.usn.unwrap_or(previous.saturating_add(1));
        log.push(new_log_item(entry, ids.or_new(entry.id), previous));
    }
}

/// The part before the `@` of an address, for display names a file leaves out.
fn local_part(name: &str) -> String {
    name.split('@').next().unwrap_or(name).to_owned()
}

/// Adds the file's directories, roles, object storage and portal to `world`.
fn import_tenant(file: &WorldFile, ids: &mut IdSource, world: &mut World) {
    world.directory_users = file
        .organization_users
        .iter()
        .map(|entry| DirectoryUser {
            id: ids.or_new(entry.id),
            organization_id: entry.organization_id,
            name: entry.name.clone(),
            display_name: entry
                .display_name
                .clone()
                .unwrap_or_else(|| local_part(&entry.name)),
            kind: entry.kind,
            location: entry.location_type,
            on_premises_sid: entry.on_premises_sid.clone(),
            office: entry.office.clone(),
            onedrives: entry
                .one_drives
                .iter()
                .map(|drive| OneDrive {
                    id: ids.or_new(drive.id),
                    name: drive.name.clone(),
                    url: drive.url.clone(),
                    document_scale: drive.document_scale.max(1),
                })
                .collect(),
            mailbox_scale: entry.mailbox_scale.max(1),
        })
        .collect();
    world.groups = file
        .groups
        .iter()
        .map(|entry| Group {
            id: ids.or_new(entry.id),
            organization_id: entry.organization_id,
            name: entry.name.clone(),
            display_name: entry
                .display_name
                .clone()
                .unwrap_or_else(|| local_part(&entry.name)),
            kind: entry.kind,
            location: entry.location_type,
            on_premises_sid: entry.on_premises_sid.clone(),
            managed_by: entry.managed_by.clone(),
            site: entry.site.clone(),
        })
        .collect();
    world.sites = file
        .sites
        .iter()
        .map(|entry| Site {
            id: ids.or_new(entry.id),
            organization_id: entry.organization_id,
            url: entry.url.clone(),
            title: entry.title.clone().unwrap_or_else(|| {
                let url = entry.url.trim_end_matches('/');
                url.rsplit('/').next().unwrap_or(url).to_owned()
            }),
            parent_url: entry.parent_url.clone(),
            is_personal: entry.is_personal,
            is_cloud: entry.is_cloud,
        })
        .collect();
    world.teams = file
        .teams
        .iter()
        .map(|entry| Team {
            id: ids.or_new(entry.id),
            organization_id: entry.organization_id,
            display_name: entry.display_name.clone(),
            description: entry.description.clone(),
            mail: entry.mail.clone(),
        })
        .collect();
    world.object_storages = file
        .object_storages
        .iter()
        .map(|entry| ObjectStorage {
            id: ids.or_new(entry.id),
            name: entry.name.clone(),
            description: entry.description.clone(),
            kind: entry.kind,
            bucket: entry.bucket.clone(),
            folder: entry.folder.clone(),
            endpoint: entry.endpoint.clone(),
            size_limit_gb: entry.size_limit_gb,
            account_id: entry.account_id,
            azure_service_account_id: entry.azure_service_account_id,
        })
        .collect();
    world.rbac_roles = file
        .rbac_roles
        .iter()
        .map(|entry| RbacRole {
            id: ids.or_new(entry.id),
            organization_id: entry.organization_id,
            name: entry.name.clone(),
            description: entry.description.clone(),
            scope: entry.role_type,
            operators: entry.operators.clone(),
            selected_items: entry.selected_items.clone(),
            excluded_items: entry.excluded_items.clone(),
        })
        .collect();
    let portal = &file.restore_portal;
    world.restore_portal = RestorePortal {
        is_enabled: portal.is_enabled,
        application_id: portal.application_id,
        authority_uri: portal.msal_authority_uri.clone(),
        portal_uri: portal.restore_portal_uri.clone(),
    };
}

/// What a restore took, read from a validated file: the items its ids name, or the
/// folders by name with their counts.
fn selection(
    items: &[String],
    folders: &[RestoredFolderEntry],
    item: impl Fn(&str) -> Option<(usize, u64)>,
    folder_index: impl Fn(&str) -> usize,
) -> RestoreSelection {
    if folders.is_empty() {
        RestoreSelection::Items(items.iter().filter_map(|id| item(id)).collect())
    } else {
        RestoreSelection::Folders(
            folders
                .iter()
                .map(|folder| (folder_index(&folder.folder), folder.count))
                .collect(),
        )
    }
}

/// A restore of mail as the world holds it; the file was validated, so every folder and
/// item it names reads back.
fn restored_mail(entry: &RestoredMailEntry) -> RestoredMail {
    let source = entry.source_mailbox_id;
    let folder_index =
        |name: &str| MailFolder::named(source, name).map_or(0, |folder| folder.index);
    RestoredMail {
        organization_id: entry.organization_id,
        target_mailbox: entry.target_mailbox_id,
        target_folder: entry.target_folder.as_deref().map(folder_index),
        source_mailbox: source,
        source: entry.source,
        selection: selection(
            &entry.items,
            &entry.folders,
            |id| MailItem::parse_id(source, id).map(|(folder, number)| (folder.index, number)),
            folder_index,
        ),
        restored_at: entry.restored_at,
    }
}

/// A pinned mail as the world holds it; the file was validated, so its folder reads back.
fn pinned_mail(entry: &PinnedMailEntry) -> PinnedMail {
    PinnedMail {
        mailbox_id: entry.mailbox_id,
        folder: MailFolder::named(entry.mailbox_id, &entry.folder).map_or(0, |folder| folder.index),
        received: entry.received,
        subject: entry.subject.clone(),
        from: entry.from.clone(),
        to: entry.to.clone(),
        attachments: entry.attachments.as_ref().map(|attachments| {
            attachments
                .iter()
                .map(|attachment| (attachment.name.clone(), attachment.size_bytes))
                .collect()
        }),
    }
}

/// A pinned document as the world holds it; the file was validated, so its folder reads
/// back.
fn pinned_document(entry: &PinnedDocumentEntry) -> PinnedDocument {
    PinnedDocument {
        onedrive_id: entry.one_drive_id,
        folder: DriveFolder::named(entry.one_drive_id, &entry.folder)
            .map_or(0, |folder| folder.index),
        created: entry.created,
        name: entry.name.clone(),
        created_by: entry.created_by.clone(),
    }
}

/// A restore of documents as the world holds it; the file was validated, so every folder
/// and document it names reads back.
fn restored_documents(entry: &RestoredDocumentsEntry) -> RestoredDocuments {
    let source = entry.source_one_drive_id;
    let folder_index =
        |name: &str| DriveFolder::named(source, name).map_or(0, |folder| folder.index);
    RestoredDocuments {
        organization_id: entry.organization_id,
        target_onedrive: entry.target_one_drive_id,
        target_folder: entry.target_folder.as_deref().map(folder_index),
        source_onedrive: source,
        source: entry.source,
        selection: selection(
            &entry.documents,
            &entry.folders,
            |id| Document::parse_id(source, id).map(|(folder, number)| (folder.index, number)),
            folder_index,
        ),
        restored_at: entry.restored_at,
    }
}

/// Rules without an id get the next free `fault-N`, so each can be named and removed.
pub fn numbered_faults(mut rules: Vec<FaultRule>) -> Vec<FaultRule> {
    let mut next = 1;
    for index in 0..rules.len() {
        if rules[index].id.is_some() {
            continue;
        }
        while rules
            .iter()
            .any(|rule| rule.id.as_deref() == Some(&format!("fault-{next}")))
        {
            next += 1;
        }
        rules[index].id = Some(format!("fault-{next}"));
    }
    rules
}

//! Writing a world back out as a world file.

use chrono::FixedOffset;

use super::*;
use crate::model::{
    CopyJob, DriveFolder, Job, JobSession, Log, LogItem, MailFolder, Organization, PinnedDocument,
    PinnedMail, RestorePortal, RestoreSelection, RestoredDocuments, RestoredMail,
    built_in_scenario,
};
use crate::store::World;

/// `+hh:mm` or `-hh:mm`, as world files write the server's offset.
fn offset_text(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The file that describes `world` completely: every id and default written out, so
/// importing it gives the same world and exporting that gives the same bytes.
pub fn export(world: &World) -> WorldFile {
    let mut file = WorldFile {
        format: FORMAT,
        seed: world.seed,
        server_offset: offset_text(world.server_offset),
        users: world
            .users
            .iter()
            .map(|user| UserEntry {
                name: user.name.clone(),
                password: user.password.clone(),
            })
            .collect(),
        organizations: world.organizations.iter().map(organization_entry).collect(),
        proxies: world
            .proxies
            .iter()
            .map(|proxy| ProxyEntry {
                id: Some(proxy.id),
                host_name: proxy.host_name.clone(),
                description: proxy.description.clone(),
                port: proxy.port,
                threads_number: proxy.threads_number,
                is_online: proxy.is_online,
                kind: proxy.kind,
                operating_system: proxy.operating_system,
                throttling: proxy.throttling,
                internet_proxy: proxy.internet_proxy.clone(),
                service_account: proxy.service_account.clone(),
                proxy_pool_id: proxy.pool_id,
                maintenance: proxy.maintenance,
            })
            .collect(),
        proxy_pools: world
            .proxy_pools
            .iter()
            .map(|pool| ProxyPoolEntry {
                id: Some(pool.id),
                name: pool.name.clone(),
                description: pool.description.clone(),
            })
            .collect(),
        repositories: world
            .repositories
            .iter()
            .map(|repository| RepositoryEntry {
                id: Some(repository.id),
                name: repository.name.clone(),
                description: repository.description.clone(),
                path: Some(repository.path.clone()),
                proxy_id: repository.proxy_id().copied(),
                proxy_pool_id: repository.pool_id().copied(),
                retention_type: repository.retention,
                retention_period: repository.retention_period,
                cleanup: repository.cleanup,
                capacity_bytes: repository.capacity_bytes,
                baseline_used_bytes: repository.baseline_used_bytes,
                object_storage_id: repository.object_storage_id,
                organization_id: repository.organization_id,
                is_out_of_sync: repository.out_of_sync,
                encryption_key_id: repository.encryption_key_id,
            })
            .collect(),
        repository_synchronizations: world
            .repository_syncs
            .iter()
            .map(|sync| RepositorySyncEntry {
                id: Some(sync.id),
                repository_id: sync.repository_id,
                started: sync.started,
                stopped: sync.stopped,
            })
            .collect(),
        repository_owner_changes: world
            .owner_changes
            .iter()
            .map(|change| OwnerChangeEntry {
                id: Some(change.id),
                repository_ids: change.repository_ids.clone(),
                from: change.from,
                to: change.to,
                started: change.started,
                stopped: change.stopped,
                wait_minutes: change.wait_minutes,
                force_stop: change.force_stop,
                force_stop_minutes: change.force_stop_minutes,
            })
            .collect(),
        jobs: world.jobs.iter().map(job_entry).collect(),
        copy_jobs: world.copy_jobs.iter().map(copy_job_entry).collect(),
        sessions: world
            .sessions_oldest_first()
            .map(|record| session_entry(&record.session, &record.log))
            .collect(),
        restore_sessions: world
            .restore_sessions
            .iter()
            .map(|session| RestoreSessionEntry {
                id: Some(session.id),
                name: session.name.clone(),
                organization_id: session.organization_id,
                kind: session.kind,
                creation_time: session.creation_time,
                end_time: session.end_time,
                result: session.result,
                initiated_by: session.initiated_by.clone(),
                details: session.details.clone(),
                explored: session.explored,
                operator_scope: session.restricted_to.clone(),
                reason: session.reason.clone(),
                events: session
                    .events
                    .iter()
                    .map(|event| RestoreEventEntry {
                        id: Some(event.id),
                        action: event.action,
                        status: event.result,
                        item_name: event.item_name.clone(),
                        item_type: event.item_type.clone(),
                        item_size_bytes: event.item_size_bytes,
                        source: event.source.clone(),
                        target: event.target.clone(),
                        start_time: event.start_time,
                        end_time: Some(event.end_time),
                        message: event.message.clone(),
                    })
                    .collect(),
            })
            .collect(),
        licensed_users: world
            .licensed_users
            .iter()
            .map(|user| LicensedUserEntry {
                id: Some(user.id),
                name: user.name.clone(),
                organization_id: user.organization_id,
                is_new: user.is_new,
            })
            .collect(),
        organization_users: Vec::new(),
        groups: Vec::new(),
        sites: Vec::new(),
        teams: Vec::new(),
        object_storages: Vec::new(),
        rbac_roles: Vec::new(),
        restore_portal: RestorePortalEntry::default(),
        restored_mail: world
            .restored_mail
            .iter()
            .map(restored_mail_entry)
            .collect(),
        restored_documents: world
            .restored_documents
            .iter()
            .map(restored_documents_entry)
            .collect(),
        pinned_mail: world.pinned_mail.iter().map(pinned_mail_entry).collect(),
        pinned_documents: world
            .pinned_documents
            .iter()
            .map(pinned_document_entry)
            .collect(),
        outbox: world.outbox.clone(),
        removed_data: world
            .removed_data
            .iter()
            .map(|removal| RemovedDataEntry {
                repository_id: removal.repository_id,
                object_id: removal.object_id,
                removed_at: removal.removed_at,
            })
            .collect(),
        settings: world.settings.clone(),
        faults: world.faults.clone(),
        scenarios: world
            .scenarios
            .iter()
            .map(|scenario| match built_in_scenario(&scenario.name) {
                Some(built_in) if built_in == scenario => {
                    ScenarioEntry::Named(scenario.name.clone())
                }
                _ => ScenarioEntry::Declared(Box::new(scenario.clone())),
            })
            .collect(),
        encryption_keys: world
            .encryption_keys
            .iter()
            .map(|key| EncryptionKeyEntry {
                id: Some(key.id),
                description: key.description.clone(),
                password: key.password.clone(),
                organization_id: key.organization_id,
            })
            .collect(),
        cloud_accounts: world
            .cloud_accounts
            .iter()
            .map(|account| CloudAccountEntry {
                id: Some(account.id),
                kind: account.kind,
                user_name: account.user_name.clone(),
                description: account.description.clone(),
                password: account.password.clone(),
                organization_id: account.organization_id,
            })
            .collect(),
        bucket_folders: world
            .bucket_folders
            .iter()
            .map(|folder| BucketFolderEntry {
                account_id: folder.account_id,
                bucket: folder.bucket.clone(),
                name: folder.name.clone(),
            })
            .collect(),
        azure_service_accounts: world.azure_service_accounts.clone(),
        license: world.license.clone(),
    };
    export_tenant(world, &mut file);
    file
}

pub fn organization_entry(organization: &Organization) -> OrganizationEntry {
    OrganizationEntry {
        id: Some(organization.id),
        name: organization.name.clone(),
        office_name: Some(organization.office_name.clone()),
        kind: organization.kind,
        region: organization.region.clone(),
        is_exchange_online: organization.exchange_online,
        is_sharepoint_online: organization.sharepoint_online,
        description: organization.description.clone(),
        is_teams_online: organization.teams_online,
        is_teams_chats_online: organization.teams_chats_online,
        connection: Some(organization.connection.clone()),
        tenant_id: Some(organization.tenant_id),
        share_point_versions: organization.sharepoint_versions,
        last_sync: organization.last_sync,
        setup: organization.setup.clone(),
    }
}

pub fn job_entry(job: &Job) -> JobEntry {
    JobEntry {
        id: Some(job.id),
        organization_id: job.organization_id,
        repository_id: job.repository_id,
        name: job.name.clone(),
        description: job.description.clone(),
        backup_type: job.backup_type,
        is_enabled: job.is_enabled,
        schedule: job.schedule,
        retry: job.retry,
        backup_window: job.backup_window.clone(),
        selected_items: job.selected_items.clone(),
        excluded_items: job.excluded_items.clone(),
        scenario: job.scenario,
    }
}

pub fn copy_job_entry(copy_job: &CopyJob) -> CopyJobEntry {
    CopyJobEntry {
        id: Some(copy_job.id),
        backup_job_id: copy_job.backup_job_id,
        repository_id: copy_job.repository_id,
        name: Some(copy_job.name.clone()),
        is_enabled: copy_job.is_enabled,
        schedule: copy_job.schedule,
        copy_window: copy_job.copy_window.clone(),
        scenario: copy_job.scenario,
    }
}

pub fn session_entry(session: &JobSession, log: &Log) -> SessionEntry {
    SessionEntry {
        id: Some(session.id),
        job_id: session.job_id,
        creation_time: session.creation_time,
        end_time: session.end_time,
        status: Some(session.status),
        progress: Some(session.progress),
        statistics: Some(session.statistics),
        main_session_id: session.retry.main_session_id,
        retry_count: session.retry.retry_count,
        job_will_be_retried: session.retry.will_be_retried,
        log_items: log.iter().map(log_item_entry).collect(),
    }
}

pub fn log_item_entry(item: LogItem<'_>) -> LogItemEntry {
    LogItemEntry {
        id: Some(*item.id()),
        usn: Some(item.usn()),
        severity: item.severity(),
        message: item.message().to_string(),
        creation_time: item.creation_time(),
        end_time: Some(item.end_time()),
    }
}

pub(super) fn portal_entry(portal: &RestorePortal) -> RestorePortalEntry {
    RestorePortalEntry {
        is_enabled: portal.is_enabled,
        application_id: portal.application_id,
        msal_authority_uri: portal.authority_uri.clone(),
        restore_portal_uri: portal.portal_uri.clone(),
    }
}

/// Writes the world's directories, roles, object storage and portal into `file`.
fn export_tenant(world: &World, file: &mut WorldFile) {
    file.organization_users = world
        .directory_users
        .iter()
        .map(|user| OrganizationUserEntry {
            id: Some(user.id),
            organization_id: user.organization_id,
            name: user.name.clone(),
            display_name: Some(user.display_name.clone()),
            kind: user.kind,
            location_type: user.location,
            on_premises_sid: user.on_premises_sid.clone(),
            office: user.office.clone(),
            one_drives: user
                .onedrives
                .iter()
                .map(|drive| OneDriveEntry {
                    id: Some(drive.id),
                    name: drive.name.clone(),
                    url: drive.url.clone(),
                    document_scale: drive.document_scale,
                })
                .collect(),
            mailbox_scale: user.mailbox_scale,
        })
        .collect();
    file.groups = world
        .groups
        .iter()
        .map(|group| GroupEntry {
            id: Some(group.id),
            organization_id: group.organization_id,
            name: group.name.clone(),
            display_name: Some(group.display_name.clone()),
            kind: group.kind,
            location_type: group.location,
            on_premises_sid: group.on_premises_sid.clone(),
            managed_by: group.managed_by.clone(),
            site: group.site.clone(),
        })
        .collect();
    file.sites = world
        .sites
        .iter()
        .map(|site| SiteEntry {
            id: Some(site.id),
            organization_id: site.organization_id,
            url: site.url.clone(),
            title: Some(site.title.clone()),
            parent_url: site.parent_url.clone(),
            is_personal: site.is_personal,
            is_cloud: site.is_cloud,
        })
        .collect();
    file.teams = world
        .teams
        .iter()
        .map(|team| TeamEntry {
            id: Some(team.id),
            organization_id: team.organization_id,
            display_name: team.display_name.clone(),
            description: team.description.clone(),
            mail: team.mail.clone(),
        })
        .collect();
    file.object_storages = world
        .object_storages
        .iter()
        .map(|storage| ObjectStorageEntry {
            id: Some(storage.id),
            name: storage.name.clone(),
            description: storage.description.clone(),
            kind: storage.kind,
            bucket: storage.bucket.clone(),
            folder: storage.folder.clone(),
            endpoint: storage.endpoint.clone(),
            size_limit_gb: storage.size_limit_gb,
            account_id: storage.account_id,
            azure_service_account_id: storage.azure_service_account_id,
        })
        .collect();
    file.rbac_roles = world
        .rbac_roles
        .iter()
        .map(|role| RbacRoleEntry {
            id: Some(role.id),
            organization_id: role.organization_id,
            name: role.name.clone(),
            description: role.description.clone(),
            role_type: role.scope,
            operators: role.operators.clone(),
            selected_items: role.selected_items.clone(),
            excluded_items: role.excluded_items.clone(),
        })
        .collect();
    file.restore_portal = portal_entry(&world.restore_portal);
}

/// What a restore took as a file names it: item ids, or folder names with their counts.
fn selection_entry(
    selection: &RestoreSelection,
    item_id: impl Fn(usize, u64) -> Option<String>,
    folder_name: impl Fn(usize) -> String,
) -> (Vec<String>, Vec<RestoredFolderEntry>) {
    match selection {
        RestoreSelection::Items(items) => (
            items
                .iter()
                .filter_map(|(folder, number)| item_id(*folder, *number))
                .collect(),
            Vec::new(),
        ),
        RestoreSelection::Folders(folders) => (
            Vec::new(),
            folders
                .iter()
                .map(|(folder, count)| RestoredFolderEntry {
                    folder: folder_name(*folder),
                    count: *count,
                })
                .collect(),
        ),
    }
}

fn restored_mail_entry(restore: &RestoredMail) -> RestoredMailEntry {
    let source = restore.source_mailbox;
    let folder_name = |index: usize| {
        MailFolder::parse_index(source, index)
            .map_or_else(String::new, |folder| folder.name().to_owned())
    };
    let (items, folders) = selection_entry(
        &restore.selection,
        |folder, number| {
            let folder = MailFolder::parse_index(source, folder)?;
            Some(format!("{}-{number:012x}", folder.id()))
        },
        folder_name,
    );
    RestoredMailEntry {
        organization_id: restore.organization_id,
        target_mailbox_id: restore.target_mailbox,
        target_folder: restore.target_folder.map(folder_name),
        source_mailbox_id: source,
        source: restore.source,
        items,
        folders,
        restored_at: restore.restored_at,
    }
}

fn pinned_mail_entry(pin: &PinnedMail) -> PinnedMailEntry {
    PinnedMailEntry {
        mailbox_id: pin.mailbox_id,
        folder: MailFolder::parse_index(pin.mailbox_id, pin.folder)
            .map_or_else(String::new, |folder| folder.name().to_owned()),
        received: pin.received,
        subject: pin.subject.clone(),
        from: pin.from.clone(),
        to: pin.to.clone(),
        attachments: pin.attachments.as_ref().map(|attachments| {
            attachments
                .iter()
                .map(|(name, size_bytes)| AttachmentEntry {
                    name: name.clone(),
                    size_bytes: *size_bytes,
                })
                .collect()
        }),
    }
}

fn pinned_document_entry(pin: &PinnedDocument) -> PinnedDocumentEntry {
    PinnedDocumentEntry {
        one_drive_id: pin.onedrive_id,
        folder: DriveFolder::parse_index(pin.onedrive_id, pin.folder)
            .map_or_else(String::new, |folder| folder.path()),
        created: pin.created,
        name: pin.name.clone(),
        created_by: pin.created_by.clone(),
    }
}

fn restored_documents_entry(restore: &RestoredDocuments) -> RestoredDocumentsEntry {
    let source = restore.source_onedrive;
    let folder_path = |index: usize| {
        DriveFolder::parse_index(source, index).map_or_else(String::new, |folder| folder.path())
    };
    let (documents, folders) = selection_entry(
        &restore.selection,
        |folder, number| {
            let folder = DriveFolder::parse_index(source, folder)?;
            Some(format!("{}-{number:012x}", folder.id()))
        },
        folder_path,
    );
    RestoredDocumentsEntry {
        organization_id: restore.organization_id,
        target_one_drive_id: restore.target_onedrive,
        target_folder: restore.target_folder.map(folder_path),
        source_one_drive_id: source,
        source: restore.source,
        documents,
        folders,
        restored_at: restore.restored_at,
    }
}

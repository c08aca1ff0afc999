//! World file validation: every problem named by its JSON path.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use uuid::Uuid;

use super::*;
use crate::model::{
    CopySchedule, DirectoryObject, Document, DriveFolder, JobItem, JobObject, MOST_SCENARIOS,
    MailFolder, MailItem, Mailer, Organization, RepositoryOwner, RetentionPeriod, RoleScope,
    Scenario, Schedule, ServerSettings, SessionStatus, Timestamp,
};
use crate::store::World;

/// The ids a world holds, so entries can be checked against it.
#[derive(Debug, Default)]
pub struct KnownIds {
    pub organizations: HashSet<Uuid>,
    pub proxies: HashSet<Uuid>,
    pub proxy_pools: HashSet<Uuid>,
    pub repositories: HashSet<Uuid>,
    pub jobs: HashSet<Uuid>,
    /// Backup copy jobs, whose sessions are job sessions too.
    pub copy_jobs: HashSet<Uuid>,
    pub sessions: HashSet<Uuid>,
    /// The organization of each user, group, site and team, for job items to name.
    pub directory: HashMap<DirectoryObject, Uuid>,
}

impl KnownIds {
    pub fn of_world(world: &World) -> Self {
        Self {
            organizations: world.organizations.iter().map(|entry| entry.id).collect(),
            proxies: world.proxies.iter().map(|entry| entry.id).collect(),
            proxy_pools: world.proxy_pools.iter().map(|entry| entry.id).collect(),
            repositories: world.repositories.iter().map(|entry| entry.id).collect(),
            jobs: world.jobs.iter().map(|entry| entry.id).collect(),
            copy_jobs: world.copy_jobs.iter().map(|entry| entry.id).collect(),
            sessions: world
                .sessions_oldest_first()
                .map(|record| record.session.id)
                .collect(),
            directory: world
                .directory_users
                .iter()
                .map(|user| (DirectoryObject::User(user.id), user.organization_id))
                .chain(
                    world
                        .groups
                        .iter()
                        .map(|group| (DirectoryObject::Group(group.id), group.organization_id)),
                )
                .chain(
                    world
                        .sites
                        .iter()
                        .map(|site| (DirectoryObject::Site(site.id), site.organization_id)),
                )
                .chain(
                    world
                        .teams
                        .iter()
                        .map(|team| (DirectoryObject::Team(team.id), team.organization_id)),
                )
                .collect(),
        }
    }
}

/// Collects problems with their paths.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// A problem the caller found itself, such as an id that is taken.
    pub fn push(&mut self, path: &str, message: impl Into<String>) {
        self.add(path, message);
    }

    /// Adds a problem; checks of a lone entry pass an empty base path, so a leading dot goes.
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        self.0.push(Problem {
            path: path.strip_prefix('.').map(str::to_owned).unwrap_or(path),
            message: message.into(),
        });
    }

    fn require_name(&mut self, path: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(format!("{path}.{field}"), "must not be empty");
        }
    }

    /// A security identifier as Windows writes it: `S-1-` and dash-separated numbers.
    fn security_identifier(&mut self, path: &str, sid: Option<&str>) {
        let numbers = |rest: &str| {
            rest.split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()))
        };
        if sid.is_some_and(|sid| !sid.strip_prefix("S-1-").is_some_and(numbers)) {
            self.add(
                format!("{path}.onPremisesSid"),
                "must be a security identifier, S-1- and numbers separated by dashes",
            );
        }
    }

    fn reference(&mut self, path: String, id: &Uuid, known: &HashSet<Uuid>, what: &str) {
        if !known.contains(id) {
            self.add(path, format!("no {what} with this id"));
        }
    }

    fn unique(&mut self, path: String, id: Option<Uuid>, seen: &mut HashSet<Uuid>) {
        if let Some(id) = id
            && !seen.insert(id)
        {
            self.add(path, format!("duplicate id {id}"));
        }
    }

    /// Ids of one list must not repeat; `known` collects them for the references that follow.
    fn unique_ids(
        &mut self,
        list: &str,
        ids: impl Iterator<Item = Option<Uuid>>,
        known: &mut HashSet<Uuid>,
    ) {
        for (index, id) in ids.enumerate() {
            self.unique(format!("{list}[{index}].id"), id, known);
        }
    }

    fn ordered(&mut self, path: String, start: &Timestamp, end: Option<&Timestamp>) {
        if end.is_some_and(|end| end < start) {
            self.add(path, "ends before it starts");
        }
    }
}

/// Every problem of a whole file: format, duplicate ids, dangling references, order of
/// times and usns, empty names. The sessions' log items were read apart from the file, into
/// `logs`, one for each of `file.sessions`, with their problems.
pub fn validate(file: &WorldFile, logs: &[SessionLog]) -> Vec<Problem> {
    let mut problems = Problems::default();
    if file.format != FORMAT {
        problems.add(
            "format",
            format!("unsupported format {}, expected {FORMAT}", file.format),
        );
    }
    if parse_offset(&file.server_offset).is_none() {
        problems.add(
            "serverOffset",
            format!("'{}' is not an offset like -07:00", file.server_offset),
        );
    }
    for (index, user) in file.users.iter().enumerate() {
        problems.require_name(&format!("users[{index}]"), "name", &user.name);
    }
    let mut known = KnownIds::default();
    problems.unique_ids(
        "organizations",
        file.organizations.iter().map(|e| e.id),
        &mut known.organizations,
    );
    problems.unique_ids(
        "proxies",
        file.proxies.iter().map(|e| e.id),
        &mut known.proxies,
    );
    problems.unique_ids(
        "repositories",
        file.repositories.iter().map(|e| e.id),
        &mut known.repositories,
    );
    problems.unique_ids(
        "proxyPools",
        file.proxy_pools.iter().map(|e| e.id),
        &mut known.proxy_pools,
    );
    problems.unique_ids("jobs", file.jobs.iter().map(|e| e.id), &mut known.jobs);
    let mut job_ids = known.jobs.clone();
    problems.unique_ids(
        "copyJobs",
        file.copy_jobs.iter().map(|e| e.id),
        &mut job_ids,
    );
    known.copy_jobs = file.copy_jobs.iter().filter_map(|e| e.id).collect();
    problems.unique_ids(
        "sessions",
        file.sessions.iter().map(|e| e.id),
        &mut known.sessions,
    );
    for (index, entry) in file.organizations.iter().enumerate() {
        check_organization(entry, &format!("organizations[{index}]"), &mut problems);
    }
    check_infrastructure(file, &known, &mut problems);
    known.directory =
        file.organization_users
            .iter()
            .filter_map(|user| Some((DirectoryObject::User(user.id?), user.organization_id)))
            .chain(file.groups.iter().filter_map(|group| {
                Some((DirectoryObject::Group(group.id?), group.organization_id))
            }))
            .chain(
                file.sites.iter().filter_map(|site| {
                    Some((DirectoryObject::Site(site.id?), site.organization_id))
                }),
            )
            .chain(
                file.teams.iter().filter_map(|team| {
                    Some((DirectoryObject::Team(team.id?), team.organization_id))
                }),
            )
            .collect();
    for (index, entry) in file.jobs.iter().enumerate() {
        check_job(entry, &format!("jobs[{index}]"), &known, &mut problems);
    }
    check_copy_jobs(file, &known, &mut problems);
    for (index, (entry, log)) in file.sessions.iter().zip(logs).enumerate() {
        check_session(entry, &format!("sessions[{index}]"), &known, &mut problems);
        problems.0.extend(log.problems.iter().cloned());
    }
    problems.unique_ids(
        "restoreSessions",
        file.restore_sessions.iter().map(|e| e.id),
        &mut HashSet::new(),
    );
    problems.unique_ids(
        "licensedUsers",
        file.licensed_users.iter().map(|e| e.id),
        &mut HashSet::new(),
    );
    for (index, entry) in file.restore_sessions.iter().enumerate() {
        let path = format!("restoreSessions[{index}]");
        problems.reference(
            format!("{path}.organizationId"),
            &entry.organization_id,
            &known.organizations,
            "organization",
        );
        problems.ordered(
            format!("{path}.endTime"),
            &entry.creation_time,
            entry.end_time.as_ref(),
        );
        for (scope_index, id) in entry.operator_scope.iter().flatten().enumerate() {
            let in_organization = [
                DirectoryObject::User(*id),
                DirectoryObject::Site(*id),
                DirectoryObject::Team(*id),
            ]
            .iter()
            .any(|object| known.directory.get(object) == Some(&entry.organization_id));
            if !in_organization {
                problems.add(
                    format!("{path}.operatorScope[{scope_index}]"),
                    "no user, site or team of the session's organization with this id",
                );
            }
        }
        for (event_index, event) in entry.events.iter().enumerate() {
            problems.ordered(
                format!("{path}.events[{event_index}].endTime"),
                &event.start_time,
                event.end_time.as_ref(),
            );
        }
    }
    for (index, entry) in file.licensed_users.iter().enumerate() {
        let path = format!("licensedUsers[{index}]");
        problems.require_name(&path, "name", &entry.name);
        problems.reference(
            format!("{path}.organizationId"),
            &entry.organization_id,
            &known.organizations,
            "organization",
        );
    }
    for (index, entry) in file.restored_mail.iter().enumerate() {
        check_restored_mail(
            entry,
            &format!("restoredMail[{index}]"),
            &known,
            &mut problems,
        );
    }
    for (index, entry) in file.removed_data.iter().enumerate() {
        let path = format!("removedData[{index}]");
        problems.reference(
            format!("{path}.repositoryId"),
            &entry.repository_id,
            &known.repositories,
            "repository",
        );
        let object = entry.object_id;
        let known_object = [
            DirectoryObject::User(object),
            DirectoryObject::Group(object),
            DirectoryObject::Site(object),
            DirectoryObject::Team(object),
        ]
        .iter()
        .any(|candidate| known.directory.contains_key(candidate));
        if !known_object {
            problems.add(
                format!("{path}.objectId"),
                "no organization user, group, site or team with this id",
            );
        }
    }
    for (index, entry) in file.pinned_mail.iter().enumerate() {
        let path = format!("pinnedMail[{index}]");
        if !known
            .directory
            .contains_key(&DirectoryObject::User(entry.mailbox_id))
        {
            problems.add(
                format!("{path}.mailboxId"),
                "no organization user with this id",
            );
        }
        if MailFolder::named(entry.mailbox_id, &entry.folder).is_none() {
            problems.add(format!("{path}.folder"), "not a mailbox folder");
        }
        if entry.subject.trim().is_empty() {
            problems.add(format!("{path}.subject"), "must not be empty");
        }
    }
    for (index, entry) in file.pinned_documents.iter().enumerate() {
        let path = format!("pinnedDocuments[{index}]");
        let owned = file.organization_users.iter().any(|user| {
            user.one_drives
                .iter()
                .any(|drive| drive.id == Some(entry.one_drive_id))
        });
        if !owned {
            problems.add(
                format!("{path}.oneDriveId"),
                "no OneDrive with this id among the organizations' users",
            );
        }
        if DriveFolder::named(entry.one_drive_id, &entry.folder).is_none() {
            problems.add(format!("{path}.folder"), "not a OneDrive folder");
        }
        if entry.name.trim().is_empty() {
            problems.add(format!("{path}.name"), "must not be empty");
        }
    }
    for (index, entry) in file.restored_documents.iter().enumerate() {
        check_restored_documents(
            entry,
            &format!("restoredDocuments[{index}]"),
            file,
            &known,
            &mut problems,
        );
    }
    validate_tenant(file, &known.organizations, &mut problems);
    check_credentials(file, &known.organizations, &mut problems);
    check_azure(file, &known, &mut problems);
    check_settings(&file.settings, &mut problems);
    check_scenarios(&file.scenarios, &mut problems);
    let mut fault_ids = HashSet::new();
    for (index, rule) in file.faults.iter().enumerate() {
        let path = format!("faults[{index}]");
        if let Some(id) = &rule.id
            && !fault_ids.insert(id.clone())
        {
            problems.add(format!("{path}.id"), format!("duplicate id {id}"));
        }
        for (field, problem) in rule.problems() {
            problems.add(format!("{path}.{field}"), problem);
        }
    }
    problems.0
}

fn check_restored_mail(
    entry: &RestoredMailEntry,
    path: &str,
    known: &KnownIds,
    problems: &mut Problems,
) {
    problems.reference(
        format!("{path}.organizationId"),
        &entry.organization_id,
        &known.organizations,
        "organization",
    );
    for (field, mailbox) in [
        ("targetMailboxId", entry.target_mailbox_id),
        ("sourceMailboxId", entry.source_mailbox_id),
    ] {
        if known.directory.get(&DirectoryObject::User(mailbox)) != Some(&entry.organization_id) {
            problems.add(
                format!("{path}.{field}"),
                "no organization user with this id in the organization",
            );
        }
    }
    let source = entry.source_mailbox_id;
    check_selection(
        path,
        (&entry.target_folder, &entry.items, &entry.folders),
        |id| MailItem::parse_id(source, id).is_some(),
        |name| MailFolder::named(source, name).is_some(),
        (
            "items",
            "an item id of the source mailbox",
            "mailbox folder",
        ),
        problems,
    );
}

fn check_restored_documents(
    entry: &RestoredDocumentsEntry,
    path: &str,
    file: &WorldFile,
    known: &KnownIds,
    problems: &mut Problems,
) {
    problems.reference(
        format!("{path}.organizationId"),
        &entry.organization_id,
        &known.organizations,
        "organization",
    );
    for (field, onedrive) in [
        ("targetOneDriveId", entry.target_one_drive_id),
        ("sourceOneDriveId", entry.source_one_drive_id),
    ] {
        let owned = file.organization_users.iter().any(|user| {
            user.organization_id == entry.organization_id
                && user
                    .one_drives
                    .iter()
                    .any(|drive| drive.id == Some(onedrive))
        });
        if !owned {
            problems.add(
                format!("{path}.{field}"),
                "no OneDrive with this id among the organization's users",
            );
        }
    }
    let source = entry.source_one_drive_id;
    check_selection(
        path,
        (&entry.target_folder, &entry.documents, &entry.folders),
        |id| Document::parse_id(source, id).is_some(),
        |name| DriveFolder::named(source, name).is_some(),
        (
            "documents",
            "a document id of the source OneDrive",
            "OneDrive folder",
        ),
        problems,
    );
}

/// What a restore names of its source: the target folder, and either items by id or
/// folders by name; `words` are the items' key, what an item id must be, and what a folder is.
fn check_selection(
    path: &str,
    (target_folder, items, folders): (&Option<String>, &[String], &[RestoredFolderEntry]),
    item_ok: impl Fn(&str) -> bool,
    folder_ok: impl Fn(&str) -> bool,
    (items_key, item_words, folder_words): (&str, &str, &str),
    problems: &mut Problems,
) {
    if let Some(folder) = target_folder
        && !folder_ok(folder)
    {
        problems.add(
            format!("{path}.targetFolder"),
            format!("no {folder_words} is named '{folder}'"),
        );
    }
    if items.is_empty() == folders.is_empty() {
        problems.add(
            path,
            format!("name either the {items_key} or the folders that were restored"),
        );
    }
    for (index, item) in items.iter().enumerate() {
        if !item_ok(item) {
            problems.add(
                format!("{path}.{items_key}[{index}]"),
                format!("not {item_words}"),
            );
        }
    }
    for (index, folder) in folders.iter().enumerate() {
        if !folder_ok(&folder.folder) {
            problems.add(
                format!("{path}.folders[{index}].folder"),
                format!("no {folder_words} is named '{}'", folder.folder),
            );
        }
    }
}

/// Proxies name their pools; repositories exactly one owner, a retention of at least a
/// day or a month, and the organization they are given to; synchronizations and owner
/// changes name repositories and owners of the file and do not stop before they start.
fn check_infrastructure(file: &WorldFile, known: &KnownIds, problems: &mut Problems) {
    for (index, entry) in file.proxies.iter().enumerate() {
        let path = format!("proxies[{index}]");
        problems.require_name(&path, "hostName", &entry.host_name);
        if let Some(pool) = &entry.proxy_pool_id {
            problems.reference(
                format!("{path}.proxyPoolId"),
                pool,
                &known.proxy_pools,
                "proxy pool",
            );
        }
    }
    for (index, entry) in file.proxy_pools.iter().enumerate() {
        problems.require_name(&format!("proxyPools[{index}]"), "name", &entry.name);
    }
    for (index, entry) in file.repositories.iter().enumerate() {
        let path = format!("repositories[{index}]");
        problems.require_name(&path, "name", &entry.name);
        match entry.owner() {
            Some(owner @ RepositoryOwner::Proxy(_)) => {
                check_owner(&owner, &format!("{path}.proxyId"), known, problems);
            }
            Some(owner @ RepositoryOwner::ProxyPool(_)) => {
                check_owner(&owner, &format!("{path}.proxyPoolId"), known, problems);
            }
            None => problems.add(
                format!("{path}.proxyId"),
                "name either a proxy (proxyId) or a proxy pool (proxyPoolId)",
            ),
        }
        if let Some(organization) = &entry.organization_id {
            problems.reference(
                format!("{path}.organizationId"),
                organization,
                &known.organizations,
                "organization",
            );
        }
        let too_short = match entry.retention_period {
            RetentionPeriod::Daily { days } => days == 0,
            RetentionPeriod::Monthly { months } => months == 0,
            RetentionPeriod::Yearly { .. } => false,
        };
        if too_short {
            problems.add(format!("{path}.retentionPeriod"), "must be at least 1");
        }
    }
    let mut sessions = HashSet::new();
    problems.unique_ids(
        "repositorySynchronizations",
        file.repository_synchronizations.iter().map(|e| e.id),
        &mut sessions,
    );
    for (index, entry) in file.repository_synchronizations.iter().enumerate() {
        let path = format!("repositorySynchronizations[{index}]");
        problems.reference(
            format!("{path}.repositoryId"),
            &entry.repository_id,
            &known.repositories,
            "repository",
        );
        problems.ordered(
            format!("{path}.stopped"),
            &entry.started,
            entry.stopped.as_ref(),
        );
    }
    problems.unique_ids(
        "repositoryOwnerChanges",
        file.repository_owner_changes.iter().map(|e| e.id),
        &mut sessions,
    );
    for (index, entry) in file.repository_owner_changes.iter().enumerate() {
        let path = format!("repositoryOwnerChanges[{index}]");
        if entry.repository_ids.is_empty() {
            problems.add(format!("{path}.repositoryIds"), "must name a repository");
        }
        for (item, id) in entry.repository_ids.iter().enumerate() {
            problems.reference(
                format!("{path}.repositoryIds[{item}]"),
                id,
                &known.repositories,
                "repository",
            );
        }
        check_owner(&entry.from, &format!("{path}.from"), known, problems);
        check_owner(&entry.to, &format!("{path}.to"), known, problems);
        problems.ordered(
            format!("{path}.stopped"),
            &entry.started,
            entry.stopped.as_ref(),
        );
    }
}

/// A copy job copies a job of the file, one copy job per job, to a repository of the file
/// that keeps its data in object storage and is not the job's own; its schedule runs.
fn check_copy_jobs(file: &WorldFile, known: &KnownIds, problems: &mut Problems) {
    let mut copied = HashMap::new();
    for (index, entry) in file.copy_jobs.iter().enumerate() {
        let path = format!("copyJobs[{index}]");
        if entry
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            problems.add(format!("{path}.name"), "must not be empty");
        }
        problems.reference(
            format!("{path}.backupJobId"),
            &entry.backup_job_id,
            &known.jobs,
            "job",
        );
        if let Some(earlier) = copied.insert(entry.backup_job_id, index) {
            problems.add(
                format!("{path}.backupJobId"),
                format!("the job already has a backup copy job: copyJobs[{earlier}]"),
            );
        }
        match file
            .repositories
            .iter()
            .find(|repository| repository.id == Some(entry.repository_id))
        {
            None => problems.add(format!("{path}.repositoryId"), "no repository with this id"),
            Some(repository) if repository.object_storage_id.is_none() => problems.add(
                format!("{path}.repositoryId"),
                "the repository keeps no object storage to copy to",
            ),
            Some(_) => {
                let own = file.jobs.iter().any(|job| {
                    job.id == Some(entry.backup_job_id) && job.repository_id == entry.repository_id
                });
                if own {
                    problems.add(
                        format!("{path}.repositoryId"),
                        "is the repository the job writes to; a copy goes to another",
                    );
                }
            }
        }
        if let CopySchedule::Periodically { every_minutes: 0 } = entry.schedule {
            problems.add(
                format!("{path}.schedule.everyMinutes"),
                "must be at least 1",
            );
        }
        if entry
            .copy_window
            .as_ref()
            .is_some_and(|hours| hours.len() != 168)
        {
            problems.add(
                format!("{path}.copyWindow"),
                "must hold 168 hours, from Sunday 00:00",
            );
        }
        check_scenario(&entry.scenario, &format!("{path}.scenario"), problems);
    }
}

/// Keys and accounts have their secrets and organizations; repositories encrypt with keys
/// of the file (and only what goes to object storage); object storage signs in with
/// accounts of the file; the license covers someone.
fn check_credentials(file: &WorldFile, organizations: &HashSet<Uuid>, problems: &mut Problems) {
    let mut keys = HashSet::new();
    problems.unique_ids(
        "encryptionKeys",
        file.encryption_keys.iter().map(|entry| entry.id),
        &mut keys,
    );
    for (index, key) in file.encryption_keys.iter().enumerate() {
        let path = format!("encryptionKeys[{index}]");
        if key.password.is_empty() {
            problems.add(format!("{path}.password"), "must not be empty");
        }
        if let Some(organization) = &key.organization_id {
            problems.reference(
                format!("{path}.organizationId"),
                organization,
                organizations,
                "organization",
            );
        }
    }
    let mut accounts = HashSet::new();
    problems.unique_ids(
        "cloudAccounts",
        file.cloud_accounts.iter().map(|entry| entry.id),
        &mut accounts,
    );
    for (index, account) in file.cloud_accounts.iter().enumerate() {
        let path = format!("cloudAccounts[{index}]");
        problems.require_name(&path, "userName", &account.user_name);
        if account.password.is_empty() {
            problems.add(format!("{path}.password"), "must not be empty");
        }
        if let Some(organization) = &account.organization_id {
            problems.reference(
                format!("{path}.organizationId"),
                organization,
                organizations,
                "organization",
            );
        }
    }
    for (index, repository) in file.repositories.iter().enumerate() {
        if let Some(key) = &repository.encryption_key_id {
            let path = format!("repositories[{index}].encryptionKeyId");
            problems.reference(path.clone(), key, &keys, "encryption key");
            if repository.object_storage_id.is_none() {
                problems.add(path, "only what goes to object storage is encrypted");
            }
        }
    }
    for (index, storage) in file.object_storages.iter().enumerate() {
        if let Some(account) = &storage.account_id {
            problems.reference(
                format!("objectStorages[{index}].accountId"),
                account,
                &accounts,
                "cloud account",
            );
        }
    }
    let mut folders = HashSet::new();
    for (index, folder) in file.bucket_folders.iter().enumerate() {
        let path = format!("bucketFolders[{index}]");
        problems.reference(
            format!("{path}.accountId"),
            &folder.account_id,
            &accounts,
            "cloud account",
        );
        problems.require_name(&path, "bucket", &folder.bucket);
        problems.require_name(&path, "name", &folder.name);
        if folder.name.contains(['/', '\\']) {
            problems.add(format!("{path}.name"), "must not contain '/' or '\\'");
        }
        let key = (
            folder.account_id,
            folder.bucket.to_ascii_lowercase(),
            folder.name.to_ascii_lowercase(),
        );
        if !folders.insert(key) {
            problems.add(
                path,
                "the account's bucket has a folder of this name already",
            );
        }
    }
    if file.license.users == 0 {
        problems.add("license.users", "must be at least 1");
    }
}

/// Azure service accounts have their ids once, their names and tenants; an organization's
/// backup accounts are its users, and its backup applications applications of its tenant.
fn check_azure(file: &WorldFile, known: &KnownIds, problems: &mut Problems) {
    let mut accounts = HashSet::new();
    problems.unique_ids(
        "azureServiceAccounts",
        file.azure_service_accounts
            .iter()
            .map(|account| Some(account.id)),
        &mut accounts,
    );
    for (index, account) in file.azure_service_accounts.iter().enumerate() {
        let path = format!("azureServiceAccounts[{index}]");
        problems.require_name(&path, "displayName", &account.display_name);
        problems.require_name(&path, "azureTenantId", &account.azure_tenant_id);
    }
    for (index, storage) in file.object_storages.iter().enumerate() {
        if let Some(account) = &storage.azure_service_account_id {
            problems.reference(
                format!("objectStorages[{index}].azureServiceAccountId"),
                account,
                &accounts,
                "Azure service account",
            );
        }
    }
    for (index, organization) in file.organizations.iter().enumerate() {
        let path = format!("organizations[{index}].setup");
        for (position, account) in organization.setup.backup_accounts.iter().enumerate() {
            let user = DirectoryObject::User(account.user_id);
            let owned = organization
                .id
                .is_some_and(|id| known.directory.get(&user) == Some(&id));
            if !owned {
                problems.add(
                    format!("{path}.backupAccounts[{position}].userId"),
                    "no user of this organization with this id",
                );
            }
            if account.password.is_empty() {
                problems.add(
                    format!("{path}.backupAccounts[{position}].password"),
                    "must not be empty",
                );
            }
        }
        for (position, application) in organization.setup.backup_applications.iter().enumerate() {
            let in_tenant = organization
                .setup
                .applications
                .iter()
                .any(|known| known.application_id == application.application_id)
                || own_application(organization) == Some(application.application_id);
            if !in_tenant {
                problems.add(
                    format!("{path}.backupApplications[{position}].applicationId"),
                    "no application of the organization's tenant with this id",
                );
            }
        }
    }
}

/// The application the organization signs in with, as importing the entry gives it.
fn own_application(entry: &OrganizationEntry) -> Option<Uuid> {
    match &entry.connection {
        Some(connection) => connection.application_id,
        None => entry.id.and_then(|id| {
            Organization::new(id, entry.name.clone())
                .connection
                .application_id
        }),
    }
}

fn check_owner(owner: &RepositoryOwner, path: &str, known: &KnownIds, problems: &mut Problems) {
    match owner {
        RepositoryOwner::Proxy(id) => {
            problems.reference(path.to_owned(), id, &known.proxies, "proxy");
        }
        RepositoryOwner::ProxyPool(id) => {
            problems.reference(path.to_owned(), id, &known.proxy_pools, "proxy pool");
        }
    }
}

pub fn check_organization(entry: &OrganizationEntry, path: &str, problems: &mut Problems) {
    problems.require_name(path, "name", &entry.name);
}

pub fn check_job(entry: &JobEntry, path: &str, known: &KnownIds, problems: &mut Problems) {
    problems.require_name(path, "name", &entry.name);
    problems.reference(
        format!("{path}.organizationId"),
        &entry.organization_id,
        &known.organizations,
        "organization",
    );
    problems.reference(
        format!("{path}.repositoryId"),
        &entry.repository_id,
        &known.repositories,
        "repository",
    );
    if let Schedule::Periodically { every_minutes: 0 } = entry.schedule {
        problems.add(
            format!("{path}.schedule.everyMinutes"),
            "must be at least 1",
        );
    }
    if entry
        .backup_window
        .as_ref()
        .is_some_and(|hours| hours.len() != 168)
    {
        problems.add(
            format!("{path}.backupWindow"),
            "must hold 168 hours, from Sunday 00:00",
        );
    }
    for (list, items) in [
        ("selectedItems", &entry.selected_items),
        ("excludedItems", &entry.excluded_items),
    ] {
        check_job_items(
            items,
            &format!("{path}.{list}"),
            entry.organization_id,
            known,
            problems,
        );
    }
    check_scenario(&entry.scenario, &format!("{path}.scenario"), problems);
}

/// Job items name objects of the job's organization, each at most once per list.
pub fn check_job_items(
    items: &[JobItem],
    path: &str,
    organization_id: Uuid,
    known: &KnownIds,
    problems: &mut Problems,
) {
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let at = format!("{path}[{index}]");
        if !seen.insert(item.object) {
            problems.add(
                format!("{at}.object"),
                "names an object already in the list",
            );
        }
        let named = match item.object {
            JobObject::User(id) | JobObject::OneDriveFolders(id) => Some(DirectoryObject::User(id)),
            JobObject::Group(id) => Some(DirectoryObject::Group(id)),
            JobObject::Site(id) => Some(DirectoryObject::Site(id)),
            JobObject::Team(id) => Some(DirectoryObject::Team(id)),
            JobObject::PartialOrganization | JobObject::PersonalSites => None,
        };
        if let Some(object) = named
            && known.directory.get(&object) != Some(&organization_id)
        {
            problems.add(
                format!("{at}.object.id"),
                "no object of this type with this id in the job's organization",
            );
        }
    }
}

/// Values a scenario cannot run with.
pub fn check_scenario(scenario: &Scenario, path: &str, problems: &mut Problems) {
    if scenario.objects_per_minute == 0 || scenario.objects_per_minute > 6_000 {
        problems.add(format!("{path}.objectsPerMinute"), "must be from 1 to 6000");
    }
    if scenario.warning_objects == 0 {
        problems.add(format!("{path}.warningObjects"), "must be at least 1");
    }
    if scenario.fail_at == 0 {
        problems.add(
            format!("{path}.failAt"),
            "must be at least 1 (the first object)",
        );
    }
    if scenario.retries > 10 {
        problems.add(format!("{path}.retries"), "must be at most 10");
    }
}

pub fn check_session(entry: &SessionEntry, path: &str, known: &KnownIds, problems: &mut Problems) {
    if !known.copy_jobs.contains(&entry.job_id) {
        problems.reference(format!("{path}.jobId"), &entry.job_id, &known.jobs, "job");
    }
    problems.ordered(
        format!("{path}.endTime"),
        &entry.creation_time,
        entry.end_time.as_ref(),
    );
    if entry.progress.is_some_and(|progress| progress > 100) {
        problems.add(format!("{path}.progress"), "must be at most 100");
    }
    // The main session need not be in the world: deleting it leaves its retries as they were.
    if entry.main_session_id.is_some() && entry.main_session_id == entry.id {
        problems.add(
            format!("{path}.mainSessionId"),
            "a session does not retry itself",
        );
    }
    match (entry.status, entry.end_time) {
        (Some(SessionStatus::Running), Some(_)) => {
            problems.add(
                format!("{path}.endTime"),
                "a Running session has no end time",
            );
        }
        (Some(status), None) if status != SessionStatus::Running => {
            problems.add(
                format!("{path}.endTime"),
                "a session that is not Running needs an end time",
            );
        }
        _ => {}
    }
    check_log_items(&entry.log_items, &format!("{path}.logItems"), 0, problems);
}

/// Usns must rise strictly, starting above `after` (the last usn already stored).
pub fn check_log_items(items: &[LogItemEntry], path: &str, after: i64, problems: &mut Problems) {
    let mut checks = LogItemChecks::new(path, after);
    for item in items {
        checks.check(item);
    }
    let ids = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| Some((index, item.id?)));
    problems.0.extend(checks.finish(ids));
}

/// The checks of log items taken one at a time, as a file streams them: usns rise strictly
/// above `after`, items end after they start, ids do not repeat.
#[derive(Debug)]
pub struct LogItemChecks {
    path: String,
    previous: i64,
    checked: usize,
    /// The ids the items give, as numbers, which sort fastest.
    ids: Vec<u128>,
    problems: Problems,
}

impl LogItemChecks {
    pub fn new(path: impl Into<String>, after: i64) -> Self {
        Self {
            path: path.into(),
            previous: after,
            checked: 0,
            ids: Vec::new(),
            problems: Problems::default(),
        }
    }

    /// Checks the next item and gives the usn it gets: its own, or one more than the last.
    pub fn check(&mut self, item: &LogItemEntry) -> i64 {
        let index = self.checked;
        self.checked += 1;
        let usn = match item.usn {
            Some(usn) if usn <= self.previous => {
                let problem = format!("must be greater than {}", self.previous);
                self.problems.add(self.at(index, "usn"), problem);
                usn
            }
            Some(usn) => {
                self.previous = usn;
                usn
            }
            None => {
                self.previous = self.previous.saturating_add(1);
                self.previous
            }
        };
        if usn == i64::MAX {
            let problem = format!("must be below {}, so that later items have a usn", i64::MAX);
            self.problems.add(self.at(index, "usn"), problem);
        }
        if item.end_time.is_some_and(|end| end < item.creation_time) {
            self.problems
                .add(self.at(index, "endTime"), "ends before it starts");
        }
        if let Some(id) = item.id {
            self.ids.push(id.as_u128());
        }
        usn
    }

    /// The problems of the items checked, repeated ids last, each named by every item that
    /// repeats an id of an item before it. `ids` gives the index and id of each item that
    /// has one, in order again; it is walked only when an id repeats.
    pub fn finish(mut self, ids: impl Iterator<Item = (usize, Uuid)>) -> Vec<Problem> {
        // Sorting finds repeated ids in a fraction of the time hashing millions of them takes.
        let mut sorted = std::mem::take(&mut self.ids);
        sorted.sort_unstable();
        let mut repeated: Vec<u128> = sorted
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
            .collect();
        drop(sorted);
        if repeated.is_empty() {
            return self.problems.0;
        }
        repeated.dedup();
        let mut items: Vec<(u128, usize)> = ids
            .map(|(index, id)| (id.as_u128(), index))
            .filter(|(id, _)| repeated.binary_search(id).is_ok())
            .collect();
        items.sort_unstable();
        for pair in items.windows(2) {
            if pair[0].0 == pair[1].0 {
                let problem = format!("duplicate id {}", Uuid::from_u128(pair[1].0));
                self.problems.add(self.at(pair[1].1, "id"), problem);
            }
        }
        self.problems.0
    }

    /// Paths are written only for problems: a large file has millions of good items.
    fn at(&self, index: usize, field: &str) -> String {
        format!("{}[{index}].{field}", self.path)
    }
}

/// Parses `+hh:mm`, `-hh:mm` or `Z`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{text}"))
        .ok()
        .map(|time| *time.offset())
}

/// Which organization each directory object belongs to, to check roles against.
#[derive(Debug, Default)]
struct Directory {
    users: HashMap<Uuid, Uuid>,
    groups: HashMap<Uuid, Uuid>,
    sites: HashMap<Uuid, Uuid>,
    teams: HashMap<Uuid, Uuid>,
}

impl Directory {
    fn organization_of(&self, object: DirectoryObject) -> Option<Uuid> {
        let (owners, id) = match object {
            DirectoryObject::User(id) => (&self.users, id),
            DirectoryObject::Group(id) => (&self.groups, id),
            DirectoryObject::Site(id) => (&self.sites, id),
            DirectoryObject::Team(id) => (&self.teams, id),
        };
        owners.get(&id).copied()
    }
}

/// Ids that repeat, references to organizations and object storage that are not there,
/// roles naming objects of other organizations, operators that are not users or groups.
fn validate_tenant(file: &WorldFile, organizations: &HashSet<Uuid>, problems: &mut Problems) {
    let mut directory = Directory::default();
    let mut seen = HashSet::new();
    let mut owned = |problems: &mut Problems,
                     list: &str,
                     index: usize,
                     id: Option<Uuid>,
                     organization_id: Uuid,
                     owners: &mut HashMap<Uuid, Uuid>| {
        let path = format!("{list}[{index}]");
        problems.unique(format!("{path}.id"), id, &mut seen);
        problems.reference(
            format!("{path}.organizationId"),
            &organization_id,
            organizations,
            "organization",
        );
        if let Some(id) = id {
            owners.insert(id, organization_id);
        }
        path
    };
    let mut onedrives = HashSet::new();
    for (index, user) in file.organization_users.iter().enumerate() {
        let path = owned(
            problems,
            "organizationUsers",
            index,
            user.id,
            user.organization_id,
            &mut directory.users,
        );
        problems.require_name(&path, "name", &user.name);
        problems.security_identifier(&path, user.on_premises_sid.as_deref());
        for (drive_index, drive) in user.one_drives.iter().enumerate() {
            let drive_path = format!("{path}.oneDrives[{drive_index}]");
            problems.unique(format!("{drive_path}.id"), drive.id, &mut onedrives);
            problems.require_name(&drive_path, "url", &drive.url);
        }
    }
    for (index, group) in file.groups.iter().enumerate() {
        let path = owned(
            problems,
            "groups",
            index,
            group.id,
            group.organization_id,
            &mut directory.groups,
        );
        problems.require_name(&path, "name", &group.name);
        problems.security_identifier(&path, group.on_premises_sid.as_deref());
    }
    for (index, site) in file.sites.iter().enumerate() {
        let path = owned(
            problems,
            "sites",
            index,
            site.id,
            site.organization_id,
            &mut directory.sites,
        );
        problems.require_name(&path, "url", &site.url);
    }
    for (index, team) in file.teams.iter().enumerate() {
        let path = owned(
            problems,
            "teams",
            index,
            team.id,
            team.organization_id,
            &mut directory.teams,
        );
        problems.require_name(&path, "displayName", &team.display_name);
    }
    let mut storages = HashSet::new();
    problems.unique_ids(
        "objectStorages",
        file.object_storages.iter().map(|entry| entry.id),
        &mut storages,
    );
    for (index, storage) in file.object_storages.iter().enumerate() {
        let path = format!("objectStorages[{index}]");
        problems.require_name(&path, "name", &storage.name);
        problems.require_name(&path, "bucket", &storage.bucket);
    }
    for (index, repository) in file.repositories.iter().enumerate() {
        if let Some(id) = &repository.object_storage_id {
            problems.reference(
                format!("repositories[{index}].objectStorageId"),
                id,
                &storages,
                "object storage",
            );
        }
    }
    let mut roles = HashSet::new();
    problems.unique_ids(
        "rbacRoles",
        file.rbac_roles.iter().map(|entry| entry.id),
        &mut roles,
    );
    for (index, role) in file.rbac_roles.iter().enumerate() {
        let path = format!("rbacRoles[{index}]");
        problems.require_name(&path, "name", &role.name);
        problems.reference(
            format!("{path}.organizationId"),
            &role.organization_id,
            organizations,
            "organization",
        );
        if role.role_type == RoleScope::EntireOrganization && !role.selected_items.is_empty() {
            problems.add(
                format!("{path}.selectedItems"),
                "a role for the entire organization selects no items",
            );
        }
        for (list, objects) in [
            ("operators", &role.operators),
            ("selectedItems", &role.selected_items),
            ("excludedItems", &role.excluded_items),
        ] {
            for (item_index, object) in objects.iter().enumerate() {
                let item_path = format!("{path}.{list}[{item_index}]");
                if list == "operators"
                    && !matches!(object, DirectoryObject::User(_) | DirectoryObject::Group(_))
                {
                    problems.add(format!("{item_path}.type"), "operators are users or groups");
                }
                if directory.organization_of(*object) != Some(role.organization_id) {
                    problems.add(
                        format!("{item_path}.id"),
                        "no object of this type with this id in the role's organization",
                    );
                }
            }
        }
    }
}

/// Settings a client could not have written: each is checked as a write of it would be.
fn check_settings(settings: &ServerSettings, problems: &mut Problems) {
    for mailer in Mailer::ALL {
        let email = settings.email(mailer);
        let path = format!("settings.{}", mailer.world_key());
        if email.port == 0 {
            problems.add(format!("{path}.port"), "must be from 1 to 65535");
        }
        if let Err(message) = email.check() {
            problems.add(path, message);
        }
    }
    let checks = [
        ("settings.history", settings.history.check()),
        ("settings.internetProxy", settings.internet_proxy.check()),
        (
            "settings.managementMode",
            settings.management_mode.clone().settled().map(drop),
        ),
    ];
    for (path, check) in checks {
        if let Err(message) = check {
            problems.add(path, message);
        }
    }
}

/// Each scenario must be a built-in one or a valid declaration, and no name may come twice.
pub fn check_scenarios(entries: &[ScenarioEntry], problems: &mut Problems) {
    if entries.len() > MOST_SCENARIOS {
        problems.add(
            "scenarios".to_owned(),
            format!("a world has at most {MOST_SCENARIOS} scenarios on"),
        );
    }
    let mut names = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("scenarios[{index}]");
        match entry.clone().resolve() {
            Ok(scenario) => {
                if !names.insert(scenario.name.clone()) {
                    problems.add(
                        path,
                        format!("the scenario '{}' comes twice", scenario.name),
                    );
                }
            }
            Err(found) => {
                for (field, problem) in found {
                    problems.add(format!("{path}.{field}"), problem);
                }
            }
        }
    }
}

//! Organizations and their licensing information.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo, Paging, array_or_page};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{
    BackupSpan, LicenseUse, Organization, OrganizationKind, RepositoryUsage, SharePointVersions,
    SyncKind, Timestamp,
};

/// `GET /v3/Organizations`: a plain array.
pub fn organizations<'a>(
    cx: &Context<'a>,
    organizations: impl Iterator<Item = (&'a Organization, BackupSpan)>,
    paging: Paging,
) -> Response {
    let bodies: Vec<OrganizationBody<'_>> = organizations
        .map(|(organization, span)| OrganizationBody::new(cx, organization, span))
        .collect();
    array_or_page(cx, bodies, paging, "/Organizations")
}

pub fn organization(cx: &Context<'_>, organization: &Organization, span: BackupSpan) -> Response {
    ok(&OrganizationBody::new(cx, organization, span))
}

/// An organization in the version's shape: v3..v5 as their dashboards read it (v5 adds
/// the connection settings modern-authentication reports read), v6 on every property of
/// the contract.
#[derive(Serialize)]
#[serde(untagged)]
enum OrganizationBody<'a> {
    Early(Box<EarlyOrganizationBody<'a>>),
    Contract(Box<ContractOrganizationBody<'a>>),
}

impl<'a> OrganizationBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, span: BackupSpan) -> Self {
        if cx.version <= Version::V5 {
            Self::Early(Box::new(EarlyOrganizationBody::new(cx, organization, span)))
        } else {
            Self::Contract(Box::new(ContractOrganizationBody::new(
                cx,
                organization,
                span,
            )))
        }
    }
}

pub(super) fn kind(organization: &Organization) -> &'static str {
    match organization.kind {
        OrganizationKind::Office365 => "Office365",
        OrganizationKind::OnPremises => "OnPremises",
        OrganizationKind::Hybrid => "Hybrid",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EarlyOrganizationBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    region: &'a str,
    is_exchange_online: bool,
    #[serde(rename = "isSharePointOnline")]
    is_sharepoint_online: bool,
    id: &'a Uuid,
    name: &'a str,
    office_name: &'a str,
    /// The service spells these three this way.
    #[serde(rename = "isBackedup")]
    is_backed_up: bool,
    #[serde(rename = "firstBackuptime")]
    first_backup_time: Option<OwnedTime>,
    #[serde(rename = "lastBackuptime")]
    last_backup_time: Option<OwnedTime>,
    /// v5.
    #[serde(skip_serializing_if = "Option::is_none")]
    exchange_online_settings: Option<Option<ConnectionBody<'a>>>,
    #[serde(
        rename = "sharePointOnlineSettings",
        skip_serializing_if = "Option::is_none"
    )]
    sharepoint_online_settings: Option<Option<ConnectionBody<'a>>>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
}

impl<'a> EarlyOrganizationBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, span: BackupSpan) -> Self {
        let v5 = cx.version >= Version::V5;
        Self {
            kind: kind(organization),
            region: &organization.region,
            is_exchange_online: organization.exchange_online,
            is_sharepoint_online: organization.sharepoint_online,
            id: &organization.id,
            name: &organization.name,
            office_name: &organization.office_name,
            is_backed_up: span.first.is_some(),
            first_backup_time: span.first.map(OwnedTime),
            last_backup_time: span.last.map(OwnedTime),
            exchange_online_settings: v5.then(|| ConnectionBody::exchange(organization)),
            sharepoint_online_settings: v5.then(|| ConnectionBody::sharepoint(organization)),
            links: OrganizationLinks::new(cx, &organization.id),
            actions: EmptyObject {},
        }
    }
}

/// `RestOrganizationComposed`. Secrets (passwords, application secrets) are never sent.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContractOrganizationBody<'a> {
    is_teams_online: bool,
    is_teams_chats_online: bool,
    configure_application: Option<bool>,
    user_code: &'static str,
    exchange_online_settings: Option<ConnectionBody<'a>>,
    #[serde(rename = "sharePointOnlineSettings")]
    sharepoint_online_settings: Option<ConnectionBody<'a>>,
    is_exchange_online: bool,
    #[serde(rename = "isSharePointOnline")]
    is_sharepoint_online: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    region: &'a str,
    id: &'a Uuid,
    name: &'a str,
    office_name: &'a str,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "isBackedup")]
    is_backed_up: bool,
    #[serde(rename = "firstBackuptime")]
    first_backup_time: Option<OwnedTime>,
    #[serde(rename = "lastBackuptime")]
    last_backup_time: Option<OwnedTime>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    msid: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backed_up_organization_id: Option<&'a Uuid>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
    /// On-premises SharePoint and Exchange, which this world's organizations do not have.
    is_sharepoint: bool,
    sharepoint_settings: Option<EmptyObject>,
    is_exchange: bool,
    exchange_settings: Option<EmptyObject>,
}

impl<'a> ContractOrganizationBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, span: BackupSpan) -> Self {
        let v8 = cx.version >= Version::V8;
        Self {
            is_teams_online: organization.teams_online,
            is_teams_chats_online: organization.teams_chats_online,
            configure_application: None,
            user_code: "",
            exchange_online_settings: ConnectionBody::exchange(organization),
            sharepoint_online_settings: ConnectionBody::sharepoint(organization),
            is_exchange_online: organization.exchange_online,
            is_sharepoint_online: organization.sharepoint_online,
            kind: kind(organization),
            region: &organization.region,
            id: &organization.id,
            name: &organization.name,
            office_name: &organization.office_name,
            description: (cx.version >= Version::V7).then_some(organization.description.as_str()),
            is_backed_up: span.first.is_some(),
            first_backup_time: span.first.map(OwnedTime),
            last_backup_time: span.last.map(OwnedTime),
            msid: v8.then_some(&organization.tenant_id),
            backed_up_organization_id: v8.then_some(&organization.id),
            links: OrganizationLinks::new(cx, &organization.id),
            actions: EmptyObject {},
            is_sharepoint: false,
            sharepoint_settings: None,
            is_exchange: false,
            exchange_settings: None,
        }
    }
}

/// `RESTOffice365ConnectionSettings` without its secrets.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionBody<'a> {
    use_application_only_auth: bool,
    office_organization_name: &'a str,
    share_point_save_all_web_parts: Option<bool>,
    account: &'a str,
    password: Option<EmptyObject>,
    grant_admin_access: Option<bool>,
    use_mfa: bool,
    #[serde(rename = "useCustomVeeamAADApplication")]
    use_custom_veeam_aad_application: bool,
    application_id: Option<&'a Uuid>,
    application_secret: Option<EmptyObject>,
    application_certificate: &'static str,
    application_certificate_password: Option<EmptyObject>,
    application_certificate_thumbprint: &'static str,
}

impl<'a> ConnectionBody<'a> {
    fn new(organization: &'a Organization, sharepoint: bool) -> Self {
        let connection = &organization.connection;
        Self {
            use_application_only_auth: connection.use_application_only_auth,
            office_organization_name: &organization.name,
            share_point_save_all_web_parts: sharepoint.then_some(false),
            account: &connection.account,
            password: None,
            grant_admin_access: None,
            use_mfa: connection.use_mfa,
            use_custom_veeam_aad_application: connection.application_id.is_some(),
            application_id: connection.application_id.as_ref(),
            application_secret: None,
            application_certificate: "",
            application_certificate_password: None,
            application_certificate_thumbprint: "",
        }
    }

    fn exchange(organization: &'a Organization) -> Option<Self> {
        organization
            .exchange_online
            .then(|| Self::new(organization, false))
    }

    fn sharepoint(organization: &'a Organization) -> Option<Self> {
        organization
            .sharepoint_online
            .then(|| Self::new(organization, true))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrganizationLinks<'a> {
    #[serde(rename = "self")]
    this: IdLink<'a>,
    /// Up to v7, where `/Organizations/{id}/Jobs` exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    jobs: Option<IdLink<'a>>,
    groups: IdLink<'a>,
    users: IdLink<'a>,
    sites: IdLink<'a>,
    used_repositories: IdLink<'a>,
}

impl<'a> OrganizationLinks<'a> {
    fn new(cx: &Context<'a>, id: &'a Uuid) -> Self {
        Self {
            this: link(cx, "/Organizations/", id, ""),
            jobs: cx
                .version
                .has_organization_jobs()
                .then(|| link(cx, "/Organizations/", id, "/Jobs")),
            groups: link(cx, "/Organizations/", id, "/Groups"),
            users: link(cx, "/Organizations/", id, "/Users"),
            sites: link(cx, "/Organizations/", id, "/Sites"),
            used_repositories: link(cx, "/Organizations/", id, "/UsedRepositories"),
        }
    }
}

#[derive(Serialize)]
pub(super) struct EmptyObject {}

/// `GET /v3/Organizations/{id}/LicensingInformation`.
pub fn licensing_information(usage: LicenseUse) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        licensed_users: usize,
        new_users: usize,
    }
    ok(&Body {
        licensed_users: usage.used,
        new_users: usage.new,
    })
}

/// `GET /Organizations/{id}/usedRepositories`: a page of the repositories the
/// organization's jobs write to, with what its backups take there.
pub fn used_repositories<'a>(
    cx: &Context<'a>,
    usages: &[RepositoryUsage<'a>],
    page: PageInfo<'a>,
    paging: Paging,
) -> Response {
    let bodies: Vec<UsageBody<'_>> = paging
        .slice(usages)
        .iter()
        .map(|usage| UsageBody::new(cx, usage))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UsageBody<'a> {
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    repository_id: Option<&'a Uuid>,
    used_space_bytes: Option<u64>,
    local_cache_used_space_bytes: Option<u64>,
    object_storage_used_space_bytes: Option<u64>,
    is_available: bool,
    details: &'static str,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    protected_objects_count: Option<Option<u64>>,
    #[serde(rename = "_links")]
    links: UsageLinks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UsageLinks<'a> {
    backup_repository: IdLink<'a>,
    organization: IdLink<'a>,
}

impl<'a> UsageBody<'a> {
    fn new(cx: &Context<'a>, usage: &RepositoryUsage<'a>) -> Self {
        let repository = usage.repository;
        let on_object_storage = repository.object_storage_id.is_some();
        let v8 = cx.version >= Version::V8;
        Self {
            repository_id: v8.then_some(&repository.id),
            used_space_bytes: Some(usage.used_bytes),
            local_cache_used_space_bytes: on_object_storage.then_some(0),
            object_storage_used_space_bytes: on_object_storage.then_some(usage.used_bytes),
            is_available: true,
            details: "",
            protected_objects_count: v8.then_some(Some(usage.protected_objects)),
            links: UsageLinks {
                backup_repository: link(cx, "/BackupRepositories/", &repository.id, ""),
                organization: link(cx, "/Organizations/", usage.organization_id, ""),
            },
        }
    }
}

/// `GET /Organization`: the organization of the signed-in account (`RESTLoggedInOrganization`).
pub fn logged_in(cx: &Context<'_>, organization: &Organization, span: BackupSpan) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        id: &'a Uuid,
        name: &'a str,
        /// v7 on.
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(rename = "isBackedup")]
        is_backed_up: bool,
        #[serde(rename = "firstBackuptime")]
        first_backup_time: Option<OwnedTime>,
        #[serde(rename = "lastBackuptime")]
        last_backup_time: Option<OwnedTime>,
        #[serde(rename = "_actions")]
        actions: EmptyObject,
    }
    ok(&Body {
        id: &organization.id,
        name: &organization.name,
        description: (cx.version >= Version::V7).then_some(organization.description.as_str()),
        kind: kind(organization),
        is_backed_up: span.first.is_some(),
        first_backup_time: span.first.map(OwnedTime),
        last_backup_time: span.last.map(OwnedTime),
        actions: EmptyObject {},
    })
}

fn sync_kind(kind: SyncKind) -> &'static str {
    match kind {
        SyncKind::Incremental => "Incremental",
        SyncKind::Full => "Full",
    }
}

/// An organization's synchronization at `now`: running for its first seconds, then done.
#[derive(Serialize)]
#[serde(untagged)]
enum SyncStateBody<'a> {
    /// v7: the state of the newest synchronization.
    Early {
        #[serde(rename = "type")]
        kind: Option<&'static str>,
        status: &'static str,
        #[serde(rename = "lastSyncTime")]
        last_sync_time: Option<OwnedTime>,
        error: Option<&'static str>,
        #[serde(rename = "_links")]
        links: SyncLinks<'a>,
    },
    /// v8: the last finished one and the one under way.
    #[serde(rename_all = "camelCase")]
    Current {
        organization_id: &'a Uuid,
        last_sync_state: Option<LastSync>,
        current_sync_state: Option<CurrentSync>,
        #[serde(rename = "_links")]
        links: SyncLinks<'a>,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LastSync {
    #[serde(rename = "type")]
    kind: &'static str,
    result: &'static str,
    start_time: OwnedTime,
    end_time: OwnedTime,
    error: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CurrentSync {
    #[serde(rename = "type")]
    kind: &'static str,
    scheduled_time: Option<OwnedTime>,
    start_time: Option<OwnedTime>,
    status: &'static str,
}

#[derive(Serialize)]
struct SyncLinks<'a> {
    organization: IdLink<'a>,
}

impl<'a> SyncStateBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, now: Timestamp) -> Self {
        let links = SyncLinks {
            organization: link(cx, "/Organizations/", &organization.id, ""),
        };
        let sync = organization.last_sync;
        let finished = sync.filter(|sync| sync.ends() <= now);
        let running = sync.filter(|sync| sync.ends() > now);
        if cx.version <= Version::V7 {
            return Self::Early {
                kind: sync.map(|sync| sync_kind(sync.kind)),
                status: if finished.is_some() {
                    "Success"
                } else {
                    "None"
                },
                last_sync_time: finished.map(|sync| OwnedTime(sync.ends())),
                error: None,
                links,
            };
        }
        Self::Current {
            organization_id: &organization.id,
            last_sync_state: finished.map(|sync| LastSync {
                kind: sync_kind(sync.kind),
                result: "Success",
                start_time: OwnedTime(sync.started),
                end_time: OwnedTime(sync.ends()),
                error: None,
            }),
            current_sync_state: running.map(|sync| CurrentSync {
                kind: sync_kind(sync.kind),
                scheduled_time: Some(OwnedTime(sync.started)),
                start_time: Some(OwnedTime(sync.started)),
                status: "Running",
            }),
            links,
        }
    }
}

/// `GET /Organizations/{id}/SyncState`.
pub fn sync_state(cx: &Context<'_>, organization: &Organization, now: Timestamp) -> Response {
    ok(&SyncStateBody::new(cx, organization, now))
}

/// `GET /Organizations/SyncState` (v8): every organization's.
pub fn sync_states<'a>(
    cx: &Context<'a>,
    organizations: impl Iterator<Item = &'a Organization>,
    now: Timestamp,
) -> Response {
    let bodies: Vec<SyncStateBody<'_>> = organizations
        .map(|organization| SyncStateBody::new(cx, organization, now))
        .collect();
    ok(&bodies)
}

/// `GET /Organizations/{id}/tenantInformation` (v8): a tenant in one data location.
pub fn tenant_information(organization: &Organization) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        msid: &'a Uuid,
        multiple_data_locations_enabled: bool,
        primary_location: Option<&'static str>,
        enable_location_protection: bool,
        protect_invalid_locations: bool,
        protect_empty_locations: bool,
        protected_locations: Option<Vec<&'static str>>,
    }
    ok(&Body {
        msid: &organization.tenant_id,
        multiple_data_locations_enabled: false,
        primary_location: None,
        enable_location_protection: false,
        protect_invalid_locations: false,
        protect_empty_locations: false,
        protected_locations: None,
    })
}

/// `GET /Organizations/{id}/versionBackupOptions` (v8).
pub fn version_backup_options(organization: &Organization) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        share_point_backup_mode: SharePointVersions,
    }
    ok(&Body {
        share_point_backup_mode: organization.sharepoint_versions,
    })
}

/// `POST /DeviceCode/check`.
pub fn device_code_checked(authenticated: bool) -> Response {
    #[derive(Serialize)]
    struct Body {
        authenticated: bool,
    }
    ok(&Body { authenticated })
}

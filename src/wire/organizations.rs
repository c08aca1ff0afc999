//! Organizations and their licensing information.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo, Paging, array_or_page};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{BackupSpan, LicenseUse, Organization, OrganizationKind, RepositoryUsage};

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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrganizationBody<'a> {
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
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
}

impl<'a> OrganizationBody<'a> {
    fn new(cx: &Context<'a>, organization: &'a Organization, span: BackupSpan) -> Self {
        let id = &organization.id;
        Self {
            kind: match organization.kind {
                OrganizationKind::Office365 => "Office365",
                OrganizationKind::OnPremises => "OnPremises",
                OrganizationKind::Hybrid => "Hybrid",
            },
            region: &organization.region,
            is_exchange_online: organization.exchange_online,
            is_sharepoint_online: organization.sharepoint_online,
            id,
            name: &organization.name,
            office_name: &organization.office_name,
            is_backed_up: span.first.is_some(),
            first_backup_time: span.first.map(OwnedTime),
            last_backup_time: span.last.map(OwnedTime),
            links: OrganizationLinks {
                this: link(cx, "/Organizations/", id, ""),
                jobs: cx
                    .version
                    .has_organization_jobs()
                    .then(|| link(cx, "/Organizations/", id, "/Jobs")),
                groups: link(cx, "/Organizations/", id, "/Groups"),
                users: link(cx, "/Organizations/", id, "/Users"),
                sites: link(cx, "/Organizations/", id, "/Sites"),
                used_repositories: link(cx, "/Organizations/", id, "/UsedRepositories"),
            },
            actions: EmptyObject {},
        }
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

#[derive(Serialize)]
struct EmptyObject {}

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

//! What a repository holds (`/BackupRepositories/{id}/UserData`, `MailboxData`, ...): pages
//! of v6 on, v7 adding where the data is kept (`repositoryId`, `proxyId`, `itemType`).

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::directory::{PathLink, path_link, site_name};
use super::page::{PageBody, PageInfo};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{
    BackedUpPart, BackupData, DirectoryUser, Group, OneDrive, Organization, Site, Team, UserKind,
};

/// Where the data is kept and what it is: v7 on, `isDeleted` and `proxyId` in v7 only.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kept<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_deleted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository_id: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_id: Option<Uuid>,
}

impl<'a> Kept<'a> {
    fn new<T>(cx: &Context<'_>, data: &BackupData<'a, T>, item_type: &'static str) -> Self {
        let v7 = cx.version == Version::V7;
        let from_v7 = cx.version >= Version::V7;
        Self {
            is_deleted: v7.then_some(false),
            item_type: from_v7.then_some(item_type),
            repository_id: from_v7.then_some(&data.repository.id),
            // The contract has no null here; a pool without proxies moves nothing, and
            // Json.NET writes an unset GUID as zeros.
            proxy_id: v7.then(|| data.proxy_id.unwrap_or_default()),
        }
    }
}

/// Whose data it is: the organization's id, and from v7 the backed-up organization's too.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Owner<'a> {
    organization_id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    backed_up_organization_id: Option<&'a Uuid>,
}

impl<'a> Owner<'a> {
    fn new(cx: &Context<'_>, organization_id: &'a Uuid) -> Self {
        Self {
            organization_id,
            backed_up_organization_id: (cx.version >= Version::V7).then_some(organization_id),
        }
    }
}

#[derive(Serialize)]
struct DataLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    repository: PathLink<'a>,
    organization: PathLink<'a>,
}

impl<'a> DataLinks<'a> {
    /// `collection` is the segment after the repository, e.g. `UserData`.
    fn new<T>(
        cx: &Context<'a>,
        data: &BackupData<'_, T>,
        collection: &str,
        organization_id: &Uuid,
    ) -> Self {
        let prefix = cx.version.prefix();
        let repository = format!("{prefix}/BackupRepositories/{}", data.repository.id);
        Self {
            this: path_link(cx, format!("{repository}/{collection}/{}", data.id)),
            repository: path_link(cx, repository),
            organization: path_link(cx, format!("{prefix}/Organizations/{organization_id}")),
        }
    }
}

/// When the part was last backed up, null when the repository holds none of it.
fn backed_up<T>(data: &BackupData<'_, T>, part: BackedUpPart) -> Option<OwnedTime> {
    data.spans.get(part).last.map(OwnedTime)
}

/// What the data of one part of an object (a mailbox, a OneDrive, a site, a team) carries
/// besides the object: where it is kept, when it was last backed up, whose it is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PartData<'a> {
    #[serde(flatten)]
    kept: Kept<'a>,
    backed_up_time: Option<OwnedTime>,
    #[serde(flatten)]
    owner: Owner<'a>,
    #[serde(rename = "_links")]
    links: DataLinks<'a>,
}

impl<'a> PartData<'a> {
    fn new<T>(
        cx: &Context<'a>,
        data: &BackupData<'a, T>,
        part: BackedUpPart,
        organization_id: &'a Uuid,
    ) -> Self {
        let item_type = match part {
            BackedUpPart::Mailbox => "Mailbox",
            BackedUpPart::OneDrive => "OneDrive",
            BackedUpPart::Site => "Site",
            BackedUpPart::Group => "Group",
            BackedUpPart::Team => "Team",
        };
        Self {
            kept: Kept::new(cx, data, item_type),
            backed_up_time: backed_up(data, part),
            owner: Owner::new(cx, organization_id),
            links: DataLinks::new(cx, data, &format!("{item_type}Data"), organization_id),
        }
    }
}

/// A page of data, each rendered by `body` (one of this module's `...Body::new`).
pub fn page<'a, T, B: Serialize>(
    cx: &Context<'a>,
    data: &[BackupData<'a, T>],
    page: PageInfo<'a>,
    body: impl Fn(&Context<'a>, &BackupData<'a, T>) -> B,
) -> Response {
    let bodies: Vec<B> = data.iter().map(|data| body(cx, data)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

/// One object's data, rendered by `body`.
pub fn one<'a, T, B: Serialize>(
    cx: &Context<'a>,
    data: &BackupData<'a, T>,
    body: impl Fn(&Context<'a>, &BackupData<'a, T>) -> B,
) -> Response {
    ok(&body(cx, data))
}

/// `RESTBackupOrganizationData`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationBody<'a> {
    display_name: &'a str,
    #[serde(flatten)]
    owner: Owner<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    msid: Option<&'a Uuid>,
    #[serde(rename = "_links")]
    links: DataLinks<'a>,
}

impl<'a> OrganizationBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a Organization>) -> Self {
        let organization = data.object;
        Self {
            display_name: &organization.name,
            owner: Owner::new(cx, &organization.id),
            msid: (cx.version >= Version::V8).then_some(&organization.tenant_id),
            links: DataLinks::new(cx, data, "OrganizationData", &organization.id),
        }
    }
}

/// `RESTBackupUserData`: which of the user's mailbox, archive, OneDrive and personal site
/// the repository holds, and when each was last backed up.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserBody<'a> {
    #[serde(flatten)]
    kept: Kept<'a>,
    mailbox_backed_up_time: Option<OwnedTime>,
    archive_backed_up_time: Option<OwnedTime>,
    one_drive_backed_up_time: Option<OwnedTime>,
    personal_site_backed_up_time: Option<OwnedTime>,
    is_mailbox_backed_up: bool,
    is_one_drive_backed_up: bool,
    is_archive_backed_up: bool,
    is_personal_site_backed_up: bool,
    account_type: &'static str,
    archive_name: &'a str,
    id: &'a Uuid,
    account_id: &'a Uuid,
    display_name: &'a str,
    email: &'a str,
    one_drive_url: Vec<&'a str>,
    personal_site_url: Vec<&'a str>,
    #[serde(flatten)]
    owner: Owner<'a>,
    #[serde(rename = "_links")]
    links: DataLinks<'a>,
}

impl<'a> UserBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a DirectoryUser>) -> Self {
        let user = data.object;
        let holds_onedrive = data.spans.holds(BackedUpPart::OneDrive);
        Self {
            kept: Kept::new(cx, data, "User"),
            mailbox_backed_up_time: backed_up(data, BackedUpPart::Mailbox),
            // Backups here take no archive mailboxes and no personal sites of their own.
            archive_backed_up_time: None,
            one_drive_backed_up_time: backed_up(data, BackedUpPart::OneDrive),
            personal_site_backed_up_time: None,
            is_mailbox_backed_up: data.spans.holds(BackedUpPart::Mailbox),
            is_one_drive_backed_up: holds_onedrive,
            is_archive_backed_up: false,
            is_personal_site_backed_up: false,
            account_type: account_type(user.kind),
            archive_name: "",
            id: &user.id,
            account_id: &user.id,
            display_name: &user.display_name,
            email: &user.name,
            one_drive_url: user
                .onedrives
                .iter()
                .filter(|_| holds_onedrive)
                .map(|drive| drive.url.as_str())
                .collect(),
            personal_site_url: Vec::new(),
            owner: Owner::new(cx, &user.organization_id),
            links: DataLinks::new(cx, data, "UserData", &user.organization_id),
        }
    }
}

fn account_type(kind: UserKind) -> &'static str {
    match kind {
        UserKind::User => "User",
        UserKind::Shared => "SharedMailbox",
        UserKind::Public => "PublicMailbox",
    }
}

/// `RESTBackupMailboxData`: a user's primary mailbox.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailboxBody<'a> {
    id: &'a Uuid,
    is_archive: bool,
    display_name: &'a str,
    email: &'a str,
    #[serde(flatten)]
    part: PartData<'a>,
}

impl<'a> MailboxBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a DirectoryUser>) -> Self {
        let user = data.object;
        Self {
            id: &user.id,
            is_archive: false,
            display_name: &user.display_name,
            email: &user.name,
            part: PartData::new(cx, data, BackedUpPart::Mailbox, &user.organization_id),
        }
    }
}

/// `RESTBackupOneDriveData`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OneDriveBody<'a> {
    id: &'a Uuid,
    title: &'a str,
    url: &'a str,
    #[serde(flatten)]
    part: PartData<'a>,
}

pub type OneDriveData<'a> = BackupData<'a, (&'a DirectoryUser, &'a OneDrive)>;

impl<'a> OneDriveBody<'a> {
    pub fn new(cx: &Context<'a>, data: &OneDriveData<'a>) -> Self {
        let (user, drive) = data.object;
        Self {
            id: &drive.id,
            title: &drive.name,
            url: &drive.url,
            part: PartData::new(cx, data, BackedUpPart::OneDrive, &user.organization_id),
        }
    }
}

/// `RESTBackupSiteData`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteBody<'a> {
    id: &'a Uuid,
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    msid: Option<&'a Uuid>,
    #[serde(flatten)]
    part: PartData<'a>,
}

impl<'a> SiteBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a Site>) -> Self {
        let site = data.object;
        Self {
            id: &site.id,
            title: if site.title.is_empty() {
                site_name(site)
            } else {
                &site.title
            },
            url: &site.url,
            msid: (cx.version >= Version::V8).then_some(&site.id),
            part: PartData::new(cx, data, BackedUpPart::Site, &site.organization_id),
        }
    }
}

/// `RESTBackupGroupData`: a backed-up group takes its mailbox and, where it has one, its site.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupBody<'a> {
    #[serde(flatten)]
    kept: Kept<'a>,
    is_mailbox_backed_up: bool,
    is_site_backed_up: bool,
    mailbox_backed_up_time: Option<OwnedTime>,
    site_backed_up_time: Option<OwnedTime>,
    id: &'a Uuid,
    account_id: &'a Uuid,
    display_name: &'a str,
    email: &'a str,
    group_site_url: Vec<&'a str>,
    #[serde(flatten)]
    owner: Owner<'a>,
    #[serde(rename = "_links")]
    links: DataLinks<'a>,
}

impl<'a> GroupBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a Group>) -> Self {
        let group = data.object;
        let backed_up_time = backed_up(data, BackedUpPart::Group);
        let has_site = !group.site.is_empty();
        Self {
            kept: Kept::new(cx, data, "Group"),
            is_mailbox_backed_up: backed_up_time.is_some(),
            is_site_backed_up: has_site && backed_up_time.is_some(),
            site_backed_up_time: backed_up_time.filter(|_| has_site),
            mailbox_backed_up_time: backed_up_time,
            id: &group.id,
            account_id: &group.id,
            display_name: &group.display_name,
            email: &group.name,
            group_site_url: if has_site {
                vec![group.site.as_str()]
            } else {
                Vec::new()
            },
            owner: Owner::new(cx, &group.organization_id),
            links: DataLinks::new(cx, data, "GroupData", &group.organization_id),
        }
    }
}

/// `RESTBackupTeamData`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamBody<'a> {
    id: &'a Uuid,
    display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    msid: Option<&'a Uuid>,
    #[serde(flatten)]
    part: PartData<'a>,
}

impl<'a> TeamBody<'a> {
    pub fn new(cx: &Context<'a>, data: &BackupData<'a, &'a Team>) -> Self {
        let team = data.object;
        Self {
            id: &team.id,
            display_name: &team.display_name,
            msid: (cx.version >= Version::V8).then_some(&team.id),
            part: PartData::new(cx, data, BackedUpPart::Team, &team.organization_id),
        }
    }
}

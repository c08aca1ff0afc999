//! Users with their OneDrives, groups, sites and teams of an organization: pages in every
//! version, fields added as the versions added them (v7 `office`).

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{Href, Link};
use super::page::{PageBody, PageInfo};
use super::{Context, Version, ok};
use crate::model::{
    DirectoryUser, Group, GroupKind, LocationType, OneDrive, ResolvedObject, Site, Team, UserKind,
};

/// A link whose path is built for the response: these resources are read once per poll,
/// not per item of a large log, so a `String` per link costs nothing that matters.
pub(super) type PathLink<'a> = Link<Href<'a, String>>;

pub(super) fn path_link<'a>(cx: &Context<'a>, path: String) -> PathLink<'a> {
    Link(Href {
        host: cx.link_host(),
        path,
    })
}

/// `_links` of a resource that links only to itself.
#[derive(Serialize)]
pub(super) struct SelfLink<'a> {
    #[serde(rename = "self")]
    pub(super) this: PathLink<'a>,
}

/// `/vN/Organizations/{id}` followed by `rest`.
pub(super) fn in_organization(cx: &Context<'_>, organization_id: &Uuid, rest: &str) -> String {
    format!(
        "{}/Organizations/{organization_id}{rest}",
        cx.version.prefix()
    )
}

pub(super) fn location_type(location: LocationType) -> &'static str {
    match location {
        LocationType::Cloud => "Cloud",
        LocationType::OnPremises => "OnPremises",
        LocationType::Hybrid => "Hybrid",
    }
}

#[derive(Serialize)]
struct OrganizationLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    organization: PathLink<'a>,
}

impl<'a> OrganizationLinks<'a> {
    fn new(cx: &Context<'a>, organization_id: &Uuid, this: String) -> Self {
        Self {
            this: path_link(cx, this),
            organization: path_link(cx, in_organization(cx, organization_id, "")),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Users and their OneDrives

pub fn users<'a, 'w: 'a>(
    cx: &Context<'a>,
    users: impl Iterator<Item = &'w DirectoryUser>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<UserBody<'_>> = users.map(|user| UserBody::new(cx, user)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn user(cx: &Context<'_>, user: &DirectoryUser) -> Response {
    ok(&UserBody::new(cx, user))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserBody<'a> {
    id: &'a Uuid,
    /// From v7; null for a cloud-only user.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_premises_sid: Option<Option<&'a str>>,
    display_name: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    location_type: &'static str,
    /// From v7.
    #[serde(skip_serializing_if = "Option::is_none")]
    office: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    graph: Option<GraphFields>,
    /// v8's Microsoft 365 licenses of the user, always null (`Some(())`): the directory
    /// keeps no Microsoft licenses, and an empty list would claim the user has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_licenses: Option<()>,
    #[serde(rename = "_links")]
    links: UserLinks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserLinks<'a> {
    #[serde(flatten)]
    base: OrganizationLinks<'a>,
    one_drives: PathLink<'a>,
}

impl<'a> UserBody<'a> {
    pub(super) fn new(cx: &Context<'a>, user: &'a DirectoryUser) -> Self {
        let this = in_organization(cx, &user.organization_id, &format!("/Users/{}", user.id));
        Self {
            id: &user.id,
            on_premises_sid: on_premises_sid(cx.version, user.on_premises_sid.as_deref()),
            display_name: &user.display_name,
            name: &user.name,
            kind: match user.kind {
                UserKind::User => "User",
                UserKind::Shared => "Shared",
                UserKind::Public => "Public",
            },
            location_type: location_type(user.location),
            office: (cx.version >= Version::V7).then_some(user.office.as_str()),
            graph: GraphFields::of(cx),
            assigned_licenses: cx.version.has_assigned_licenses().then_some(()),
            links: UserLinks {
                one_drives: path_link(cx, format!("{this}/OneDrives")),
                base: OrganizationLinks::new(cx, &user.organization_id, this),
            },
        }
    }
}

pub fn onedrives<'a>(
    cx: &Context<'a>,
    user: &'a DirectoryUser,
    drives: &'a [OneDrive],
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<OneDriveBody<'_>> = drives
        .iter()
        .map(|drive| OneDriveBody::new(cx, user, drive))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn onedrive(cx: &Context<'_>, user: &DirectoryUser, drive: &OneDrive) -> Response {
    ok(&OneDriveBody::new(cx, user, drive))
}

#[derive(Serialize)]
struct OneDriveBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    url: &'a str,
    #[serde(rename = "_links")]
    links: OneDriveLinks<'a>,
}

#[derive(Serialize)]
struct OneDriveLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    user: PathLink<'a>,
}

impl<'a> OneDriveBody<'a> {
    fn new(cx: &Context<'a>, user: &DirectoryUser, drive: &'a OneDrive) -> Self {
        let user_path = in_organization(cx, &user.organization_id, &format!("/Users/{}", user.id));
        Self {
            id: &drive.id,
            name: &drive.name,
            url: &drive.url,
            links: OneDriveLinks {
                this: path_link(cx, format!("{user_path}/OneDrives/{}", drive.id)),
                user: path_link(cx, user_path),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Groups

pub fn groups<'a, 'w: 'a>(
    cx: &Context<'a>,
    groups: impl Iterator<Item = &'w Group>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<GroupBody<'_>> = groups.map(|group| GroupBody::new(cx, group)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn group(cx: &Context<'_>, group: &Group) -> Response {
    ok(&GroupBody::new(cx, group))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GroupBody<'a> {
    id: &'a Uuid,
    /// From v7; null for a cloud-only group.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_premises_sid: Option<Option<&'a str>>,
    display_name: &'a str,
    name: &'a str,
    managed_by: &'a str,
    site: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    location_type: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    graph: Option<GraphFields>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
}

impl<'a> GroupBody<'a> {
    pub(super) fn new(cx: &Context<'a>, group: &'a Group) -> Self {
        let this = in_organization(cx, &group.organization_id, &format!("/Groups/{}", group.id));
        Self {
            id: &group.id,
            on_premises_sid: on_premises_sid(cx.version, group.on_premises_sid.as_deref()),
            display_name: &group.display_name,
            name: &group.name,
            managed_by: &group.managed_by,
            site: &group.site,
            kind: group_kind(group.kind),
            location_type: location_type(group.location),
            graph: GraphFields::of(cx),
            links: OrganizationLinks::new(cx, &group.organization_id, this),
        }
    }
}

/// `GET /Organizations/{id}/Groups/{groupId}/Members`: the people of a group, each linked
/// to the organization's user and to the group.
pub fn group_members<'a, 'w: 'a>(
    cx: &Context<'a>,
    group: &'a Group,
    members: impl Iterator<Item = &'w DirectoryUser>,
    page: PageInfo<'a>,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct MemberBody<'a> {
        group_id: String,
        name: &'a str,
        login: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        is_cloud: bool,
        /// v8 names where the member's data lives; the world does not say.
        #[serde(skip_serializing_if = "Option::is_none")]
        data_location: Option<Option<&'a str>>,
        #[serde(rename = "_links")]
        links: MemberLinks<'a>,
    }
    #[derive(Serialize)]
    struct MemberLinks<'a> {
        user: PathLink<'a>,
        group: PathLink<'a>,
    }
    let group_path = in_organization(cx, &group.organization_id, &format!("/Groups/{}", group.id));
    let bodies: Vec<MemberBody<'_>> = members
        .map(|user| MemberBody {
            group_id: group.id.to_string(),
            name: &user.display_name,
            login: &user.name,
            kind: "User",
            is_cloud: user.location != LocationType::OnPremises,
            data_location: (cx.version >= Version::V8).then_some(None),
            links: MemberLinks {
                user: path_link(
                    cx,
                    in_organization(cx, &user.organization_id, &format!("/Users/{}", user.id)),
                ),
                group: path_link(cx, group_path.clone()),
            },
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

/// `GET /Organizations/{id}/AuditItems`: a plain array of the audited users and groups,
/// each with the other kind's property null.
pub fn audit_items(cx: &Context<'_>, objects: &[ResolvedObject<'_>]) -> Response {
    #[derive(Serialize)]
    struct AuditBody<'a> {
        id: String,
        #[serde(rename = "type")]
        kind: &'static str,
        group: Option<GroupBody<'a>>,
        user: Option<UserBody<'a>>,
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
    }
    let bodies: Vec<AuditBody<'_>> = objects
        .iter()
        .filter_map(|object| match *object {
            ResolvedObject::User(user) => Some(AuditBody {
                id: user.id.to_string(),
                kind: "User",
                group: None,
                links: SelfLink {
                    this: path_link(
                        cx,
                        in_organization(cx, &user.organization_id, &format!("/Users/{}", user.id)),
                    ),
                },
                user: Some(UserBody::new(cx, user)),
            }),
            ResolvedObject::Group(group) => Some(AuditBody {
                id: group.id.to_string(),
                kind: "Group",
                user: None,
                links: SelfLink {
                    this: path_link(
                        cx,
                        in_organization(
                            cx,
                            &group.organization_id,
                            &format!("/Groups/{}", group.id),
                        ),
                    ),
                },
                group: Some(GroupBody::new(cx, group)),
            }),
            ResolvedObject::Site(_) | ResolvedObject::Team(_) => None,
        })
        .collect();
    ok(&bodies)
}

/// `onPremisesSid` from v7. A cloud-only object has none, and the service writes the unset
/// .NET string as null, though only v8's groups say so in the contract (the same value is
/// typed as a plain string for users, and for groups in v7).
pub(super) fn on_premises_sid(version: Version, sid: Option<&str>) -> Option<Option<&str>> {
    version.has_on_premises_sids().then_some(sid)
}

pub(super) fn group_kind(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Office365 => "Office365",
        GroupKind::Security => "Security",
        GroupKind::Distribution => "Distribution",
        GroupKind::DynamicDistribution => "DynamicDistribution",
    }
}

// ---------------------------------------------------------------------------------------
// Sites

pub fn sites<'a, 'w: 'a>(
    cx: &Context<'a>,
    sites: impl Iterator<Item = &'w Site>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<SiteBody<'_>> = sites.map(|site| SiteBody::new(cx, site)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn site(cx: &Context<'_>, site: &Site) -> Response {
    ok(&SiteBody::new(cx, site))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteBody<'a> {
    id: &'a Uuid,
    url: &'a str,
    /// Empty for a site collection, which has no parent: the contract gives the property
    /// no null, and the service writes the same site's parent the same way in job items
    /// (`RESTJobSite`).
    parent_url: &'a str,
    name: &'a str,
    is_cloud: bool,
    is_personal: bool,
    title: &'a str,
    is_available: bool,
    /// Always null: the emulator's sites are all processed without error, and the service
    /// writes the unset .NET string as null (the contract types it as a plain string).
    site_collection_error: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    graph: Option<GraphFields>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
}

impl<'a> SiteBody<'a> {
    fn new(cx: &Context<'a>, site: &'a Site) -> Self {
        let this = in_organization(cx, &site.organization_id, &format!("/Sites/{}", site.id));
        Self {
            id: &site.id,
            url: &site.url,
            parent_url: &site.parent_url,
            name: site_name(site),
            is_cloud: site.is_cloud,
            is_personal: site.is_personal,
            title: &site.title,
            is_available: true,
            site_collection_error: None,
            graph: GraphFields::of(cx),
            links: OrganizationLinks::new(cx, &site.organization_id, this),
        }
    }
}

/// A site's name is the last segment of its address.
pub(super) fn site_name(site: &Site) -> &str {
    let url = site.url.trim_end_matches('/');
    url.rsplit('/').next().unwrap_or(url)
}

/// v8's `eTag`, `msid` and `dataLocation` of users, groups, sites and teams: the emulator's
/// directory has no edit versions, Microsoft object ids apart from its own or geographies,
/// so they are null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphFields {
    e_tag: Option<i64>,
    msid: Option<String>,
    data_location: Option<String>,
}

impl GraphFields {
    fn of(cx: &Context<'_>) -> Option<Self> {
        (cx.version >= Version::V8).then_some(Self {
            e_tag: None,
            msid: None,
            data_location: None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Teams

pub fn teams<'a, 'w: 'a>(
    cx: &Context<'a>,
    teams: impl Iterator<Item = &'w Team>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<TeamBody<'_>> = teams.map(|team| TeamBody::new(cx, team)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn team(cx: &Context<'_>, team: &Team) -> Response {
    ok(&TeamBody::new(cx, team))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TeamBody<'a> {
    id: &'a Uuid,
    display_name: &'a str,
    description: &'a str,
    mail: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    graph: Option<GraphFields>,
    #[serde(rename = "_links")]
    links: OrganizationLinks<'a>,
}

impl<'a> TeamBody<'a> {
    pub(super) fn new(cx: &Context<'a>, team: &'a Team) -> Self {
        let this = in_organization(cx, &team.organization_id, &format!("/Teams/{}", team.id));
        Self {
            id: &team.id,
            display_name: &team.display_name,
            description: &team.description,
            mail: &team.mail,
            graph: GraphFields::of(cx),
            links: OrganizationLinks::new(cx, &team.organization_id, this),
        }
    }
}

//! What backups protect: a session's processed objects (v7 on) and the protected users,
//! groups, sites and teams (v8), as pages.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::directory::{PathLink, in_organization, path_link, site_name};
use super::page::{PageBody, PageInfo};
use super::{Context, ok};
use crate::model::{
    DirectoryUser, Group, ProcessedObject, ProtectedKind, Severity, Site, Team, UserKind,
};

/// `GET /JobSessions/{id}/ProcessedObjects`.
pub fn processed_objects<'a>(
    cx: &Context<'a>,
    objects: &[ProcessedObject],
    page: PageInfo<'a>,
) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        id: Uuid,
        #[serde(rename = "type")]
        kind: &'static str,
        status: &'static str,
        #[serde(rename = "_links")]
        links: ObjectLinks<'a>,
    }
    #[derive(Serialize)]
    struct ObjectLinks<'a> {
        #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
        this: Option<PathLink<'a>>,
    }
    let bodies: Vec<Body<'_>> = objects
        .iter()
        .map(|object| {
            let (kind, segment) = match object.part.kind() {
                ProtectedKind::User => ("User", "Users"),
                ProtectedKind::Group => ("Group", "Groups"),
                ProtectedKind::Site => ("Site", "Sites"),
                ProtectedKind::Team => ("Team", "Teams"),
            };
            Body {
                id: object.id,
                kind,
                status: match object.status {
                    Severity::Success => "Success",
                    Severity::Warning => "Warning",
                    Severity::Failed => "Failed",
                },
                links: ObjectLinks {
                    this: object.organization_id.map(|organization| {
                        path_link(
                            cx,
                            in_organization(
                                cx,
                                &organization,
                                &format!("/{segment}/{}", object.id),
                            ),
                        )
                    }),
                },
            }
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

/// `RESTProtectedMailbox`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MailboxBody<'a> {
    id: &'a Uuid,
    display_name: &'a str,
    email: &'a str,
    is_archive: bool,
}

/// `RESTProtectedOneDrive`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OneDriveBody<'a> {
    id: &'a Uuid,
    display_name: &'a str,
    url: &'a str,
}

/// `RESTProtectedSite`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteBody<'a> {
    id: &'a Uuid,
    msid: &'a Uuid,
    display_name: &'a str,
    url: &'a str,
    organization_id: Option<&'a Uuid>,
    backed_up_organization_id: &'a Uuid,
    e_tag: i64,
}

impl<'a> SiteBody<'a> {
    fn new(site: &'a Site) -> Self {
        Self {
            id: &site.id,
            msid: &site.id,
            display_name: if site.title.is_empty() {
                site_name(site)
            } else {
                &site.title
            },
            url: &site.url,
            organization_id: Some(&site.organization_id),
            backed_up_organization_id: &site.organization_id,
            e_tag: 0,
        }
    }
}

/// `RESTProtectedUser`: the user with their backed-up mailbox and OneDrives.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserBody<'a> {
    id: &'a Uuid,
    msid: Option<&'a Uuid>,
    display_name: &'a str,
    account_type: &'static str,
    organization_id: Option<&'a Uuid>,
    backed_up_organization_id: &'a Uuid,
    mailboxes: Vec<MailboxBody<'a>>,
    one_drives: Vec<OneDriveBody<'a>>,
    sites: Vec<SiteBody<'a>>,
    e_tag: i64,
}

impl<'a> UserBody<'a> {
    fn new(user: &'a DirectoryUser) -> Self {
        Self {
            id: &user.id,
            msid: Some(&user.id),
            display_name: &user.display_name,
            account_type: match user.kind {
                UserKind::User => "User",
                UserKind::Shared => "SharedMailbox",
                UserKind::Public => "PublicMailbox",
            },
            organization_id: Some(&user.organization_id),
            backed_up_organization_id: &user.organization_id,
            mailboxes: vec![MailboxBody {
                id: &user.id,
                display_name: &user.display_name,
                email: &user.name,
                is_archive: false,
            }],
            one_drives: user
                .onedrives
                .iter()
                .map(|drive| OneDriveBody {
                    id: &drive.id,
                    display_name: &drive.name,
                    url: &drive.url,
                })
                .collect(),
            sites: Vec::new(),
            e_tag: 0,
        }
    }
}

/// `RESTProtectedGroup`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupBody<'a> {
    id: &'a Uuid,
    msid: Option<&'a Uuid>,
    display_name: &'a str,
    organization_id: Option<&'a Uuid>,
    backed_up_organization_id: &'a Uuid,
    mailboxes: Vec<MailboxBody<'a>>,
    sites: Vec<SiteBody<'a>>,
    e_tag: i64,
}

/// `RESTProtectedTeam`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamBody<'a> {
    id: &'a Uuid,
    msid: &'a Uuid,
    display_name: &'a str,
    description: &'a str,
    organization_id: Option<&'a Uuid>,
    backed_up_organization_id: &'a Uuid,
    e_tag: i64,
}

pub fn users<'a>(cx: &Context<'a>, users: &[&'a DirectoryUser], page: PageInfo<'a>) -> Response {
    let bodies: Vec<UserBody<'_>> = users.iter().map(|user| UserBody::new(user)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn user(user: &DirectoryUser) -> Response {
    ok(&UserBody::new(user))
}

fn group_body(group: &Group) -> GroupBody<'_> {
    GroupBody {
        id: &group.id,
        msid: Some(&group.id),
        display_name: &group.display_name,
        organization_id: Some(&group.organization_id),
        backed_up_organization_id: &group.organization_id,
        mailboxes: vec![MailboxBody {
            id: &group.id,
            display_name: &group.display_name,
            email: &group.name,
            is_archive: false,
        }],
        sites: Vec::new(),
        e_tag: 0,
    }
}

pub fn groups<'a>(cx: &Context<'a>, groups: &[&'a Group], page: PageInfo<'a>) -> Response {
    let bodies: Vec<GroupBody<'_>> = groups.iter().map(|group| group_body(group)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn group(group: &Group) -> Response {
    ok(&group_body(group))
}

pub fn sites<'a>(cx: &Context<'a>, sites: &[&'a Site], page: PageInfo<'a>) -> Response {
    let bodies: Vec<SiteBody<'_>> = sites.iter().map(|site| SiteBody::new(site)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn site(site: &Site) -> Response {
    ok(&SiteBody::new(site))
}

fn team_body(team: &Team) -> TeamBody<'_> {
    TeamBody {
        id: &team.id,
        msid: &team.id,
        display_name: &team.display_name,
        description: &team.description,
        organization_id: Some(&team.organization_id),
        backed_up_organization_id: &team.organization_id,
        e_tag: 0,
    }
}

pub fn teams<'a>(cx: &Context<'a>, teams: &[&'a Team], page: PageInfo<'a>) -> Response {
    let bodies: Vec<TeamBody<'_>> = teams.iter().map(|team| team_body(team)).collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn team(team: &Team) -> Response {
    ok(&team_body(team))
}

//! Restore operator roles with their operators and items, and the restore portal settings:
//! v6 on. v6 knows no Team items, so its lists leave them out.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::directory::{
    PathLink, SelfLink, group_kind, in_organization, on_premises_sid, path_link,
};
use super::{Context, Version, ok};
use crate::model::{
    DirectoryUser, Group, RbacRole, RestorePortal, RoleList, RoleScope, Site, Team, UserKind,
};
use crate::model::{EffectiveScope, LoggedInUser, ResolvedObject};

/// `GET /RbacRoles` and `GET /Organizations/{id}/RbacRoles`: a plain array.
pub fn roles<'a>(cx: &Context<'a>, roles: impl Iterator<Item = &'a RbacRole>) -> Response {
    let bodies: Vec<RoleBody<'_>> = roles.map(|role| RoleBody::new(cx, role)).collect();
    ok(&bodies)
}

pub fn role(cx: &Context<'_>, role: &RbacRole) -> Response {
    ok(&RoleBody::new(cx, role))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleBody<'a> {
    id: &'a Uuid,
    organization_id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    role_type: &'static str,
    #[serde(rename = "_links")]
    links: RoleLinks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    organization: PathLink<'a>,
    operators: PathLink<'a>,
    selected_items: PathLink<'a>,
    excluded_items: PathLink<'a>,
}

impl<'a> RoleBody<'a> {
    fn new(cx: &Context<'a>, role: &'a RbacRole) -> Self {
        let prefix = cx.version.prefix();
        let this = format!("{prefix}/RbacRoles/{}", role.id);
        Self {
            id: &role.id,
            organization_id: &role.organization_id,
            name: &role.name,
            description: &role.description,
            role_type: match role.scope {
                RoleScope::EntireOrganization => "EntireOrganization",
                RoleScope::SpecificObjects => "SpecificObjects",
            },
            links: RoleLinks {
                operators: path_link(cx, format!("{this}/operators")),
                selected_items: path_link(cx, format!("{this}/selectedItems")),
                excluded_items: path_link(cx, format!("{this}/excludedItems")),
                organization: path_link(
                    cx,
                    format!("{prefix}/Organizations/{}", role.organization_id),
                ),
                this: path_link(cx, this),
            },
        }
    }
}

/// Whether the version can name this kind of object in a role.
pub fn can_show(version: Version, object: &ResolvedObject<'_>) -> bool {
    !matches!(object, ResolvedObject::Team(_)) || version.has_role_teams()
}

/// `GET /RbacRoles/{id}/operators` (or `selectedItems`, `excludedItems`): a plain array.
pub fn items(
    cx: &Context<'_>,
    role: &RbacRole,
    list: RoleList,
    objects: &[ResolvedObject<'_>],
) -> Response {
    let bodies: Vec<ItemBody<'_>> = objects
        .iter()
        .map(|object| ItemBody::new(cx, role, list, object))
        .collect();
    ok(&bodies)
}

pub fn item(
    cx: &Context<'_>,
    role: &RbacRole,
    list: RoleList,
    object: &ResolvedObject<'_>,
) -> Response {
    ok(&ItemBody::new(cx, role, list, object))
}

/// `RESTRbacItemComposed`, and v8's `RESTRbacOperator`: the item's type and the object of
/// that type, the other objects null. An operator (a user or a group) of v8 has no site or
/// team, and v6 knows no teams, so those leave the property out.
#[derive(Serialize)]
struct ItemBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a Uuid,
    user: Option<ItemUser<'a>>,
    group: Option<ItemGroup<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<Option<ItemSite<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<Option<ItemTeam<'a>>>,
    #[serde(rename = "_links")]
    links: ItemLinks<'a>,
}

/// `RESTRbacUser`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemUser<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_premises_sid: Option<Option<&'a str>>,
    display_name: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `RESTRbacGroup`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemGroup<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_premises_sid: Option<Option<&'a str>>,
    display_name: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `RESTRbacSite`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemSite<'a> {
    id: &'a Uuid,
    url: &'a str,
    title: &'a str,
    /// Empty for a site collection, as the organization's sites write it.
    parent_url: &'a str,
    is_cloud: bool,
    is_personal: bool,
}

/// `RESTRbacTeam`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemTeam<'a> {
    id: &'a Uuid,
    description: &'a str,
    display_name: &'a str,
    mail: &'a str,
}

impl<'a> ItemUser<'a> {
    fn new(version: Version, user: &'a DirectoryUser) -> Self {
        Self {
            id: &user.id,
            on_premises_sid: on_premises_sid(version, user.on_premises_sid.as_deref()),
            display_name: &user.display_name,
            name: &user.name,
            kind: match user.kind {
                UserKind::User => "User",
                UserKind::Shared => "SharedMailbox",
                UserKind::Public => "PublicMailbox",
            },
        }
    }
}

impl<'a> ItemGroup<'a> {
    fn new(version: Version, group: &'a Group) -> Self {
        Self {
            id: &group.id,
            on_premises_sid: on_premises_sid(version, group.on_premises_sid.as_deref()),
            display_name: &group.display_name,
            name: &group.name,
            kind: group_kind(group.kind),
        }
    }
}

impl<'a> ItemSite<'a> {
    fn new(site: &'a Site) -> Self {
        Self {
            id: &site.id,
            url: &site.url,
            title: &site.title,
            parent_url: &site.parent_url,
            is_cloud: site.is_cloud,
            is_personal: site.is_personal,
        }
    }
}

impl<'a> ItemTeam<'a> {
    fn new(team: &'a Team) -> Self {
        Self {
            id: &team.id,
            description: &team.description,
            display_name: &team.display_name,
            mail: &team.mail,
        }
    }
}

#[derive(Serialize)]
struct ItemLinks<'a> {
    #[serde(rename = "self")]
    this: PathLink<'a>,
    role: PathLink<'a>,
}

impl<'a> ItemBody<'a> {
    fn new(cx: &Context<'a>, role: &RbacRole, list: RoleList, object: &ResolvedObject<'a>) -> Self {
        let version = cx.version;
        let role_path = format!("{}/RbacRoles/{}", version.prefix(), role.id);
        let (kind, id) = match *object {
            ResolvedObject::User(user) => ("User", &user.id),
            ResolvedObject::Group(group) => ("Group", &group.id),
            ResolvedObject::Site(site) => ("Site", &site.id),
            ResolvedObject::Team(team) => ("Team", &team.id),
        };
        let operator = list == RoleList::Operators && version.has_rbac_operators();
        let site = match *object {
            ResolvedObject::Site(site) => Some(ItemSite::new(site)),
            _ => None,
        };
        let team = match *object {
            ResolvedObject::Team(team) => Some(ItemTeam::new(team)),
            _ => None,
        };
        Self {
            kind,
            id,
            user: match *object {
                ResolvedObject::User(user) => Some(ItemUser::new(version, user)),
                _ => None,
            },
            group: match *object {
                ResolvedObject::Group(group) => Some(ItemGroup::new(version, group)),
                _ => None,
            },
            site: (!operator).then_some(site),
            team: (!operator && version.has_role_teams()).then_some(team),
            links: ItemLinks {
                this: path_link(cx, format!("{role_path}/{}/{id}", list.segment())),
                role: path_link(cx, role_path),
            },
        }
    }
}

/// `GET /Organization/LoggedInUser`.
pub fn logged_in_user(user: &LoggedInUser<'_>) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        id: &'a Uuid,
        name: &'a str,
    }
    ok(&Body {
        id: &user.id,
        name: user.name,
    })
}

/// `GET /Organization/LoggedInUser/OperatorInfo`.
pub fn operator_info(cx: &Context<'_>, is_operator: bool) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        is_operator: bool,
        #[serde(rename = "_links")]
        links: ScopeLinks<'a>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ScopeLinks<'a> {
        #[serde(rename = "self")]
        this: PathLink<'a>,
        effective_scope: PathLink<'a>,
    }
    let base = format!("{}/Organization/LoggedInUser", cx.version.prefix());
    ok(&Body {
        is_operator,
        links: ScopeLinks {
            this: path_link(cx, format!("{base}/OperatorInfo")),
            effective_scope: path_link(cx, format!("{base}/EffectiveScope")),
        },
    })
}

/// `GET /Organization/LoggedInUser/EffectiveScope`: v6 knows no teams.
pub fn effective_scope(cx: &Context<'_>, scope: &EffectiveScope<'_>) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        users: Vec<ScopeItem<'a, UserOf<'a>>>,
        sites: Vec<ScopeItem<'a, SiteOf<'a>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        teams: Option<Vec<ScopeItem<'a, TeamOf<'a>>>>,
    }
    #[derive(Serialize)]
    struct ScopeItem<'a, T> {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(flatten)]
        object: T,
        id: &'a Uuid,
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
    }
    #[derive(Serialize)]
    struct UserOf<'a> {
        user: ItemUser<'a>,
    }
    #[derive(Serialize)]
    struct SiteOf<'a> {
        site: ItemSite<'a>,
    }
    #[derive(Serialize)]
    struct TeamOf<'a> {
        team: ItemTeam<'a>,
    }
    let link = |organization: &Uuid, rest: String| SelfLink {
        this: path_link(cx, in_organization(cx, organization, &rest)),
    };
    let users = scope
        .users
        .iter()
        .map(|user| ScopeItem {
            kind: "User",
            object: UserOf {
                user: ItemUser::new(cx.version, user),
            },
            id: &user.id,
            links: link(&user.organization_id, format!("/Users/{}", user.id)),
        })
        .collect();
    let sites = scope
        .sites
        .iter()
        .map(|site| ScopeItem {
            kind: "Site",
            object: SiteOf {
                site: ItemSite::new(site),
            },
            id: &site.id,
            links: link(&site.organization_id, format!("/Sites/{}", site.id)),
        })
        .collect();
    let teams = cx.version.has_role_teams().then(|| {
        scope
            .teams
            .iter()
            .map(|team| ScopeItem {
                kind: "Team",
                object: TeamOf {
                    team: ItemTeam::new(team),
                },
                id: &team.id,
                links: link(&team.organization_id, format!("/Teams/{}", team.id)),
            })
            .collect()
    });
    ok(&Body {
        users,
        sites,
        teams,
    })
}

/// `GET /RestorePortalSettings`; `restorePortalUri` from v7.
pub fn restore_portal(version: Version, portal: &RestorePortal) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        application_id: &'a Uuid,
        msal_authority_uri: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        restore_portal_uri: Option<&'a str>,
        is_enabled: bool,
    }
    ok(&Body {
        application_id: &portal.application_id,
        msal_authority_uri: &portal.authority_uri,
        restore_portal_uri: (version >= Version::V7).then_some(portal.portal_uri.as_str()),
        is_enabled: portal.is_enabled,
    })
}

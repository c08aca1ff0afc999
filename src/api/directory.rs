//! `/Organizations/{id}/Users` (with OneDrives), `/Groups`, `/Sites` and `/Teams`: what an
//! organization holds, paged and filtered as each route documents.

use axum::response::Response;
use uuid::Uuid;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    DirectoryFilter, DirectoryUser, Group, Id, Key, LocationType, Named, NotFound, OneDrive,
    Organization, Site, Team,
};
use crate::store::World;
use crate::wire::page::PageInfo;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get("/Organizations/{organizationId}/Users", list_users)
        .get("/Organizations/{organizationId}/Users/{userId}", get_user)
        .get(
            "/Organizations/{organizationId}/Users/{userId}/OneDrives",
            list_onedrives,
        )
        .get(
            "/Organizations/{organizationId}/Users/{userId}/OneDrives/{onedriveId}",
            get_onedrive,
        )
        .get("/Organizations/{organizationId}/Groups", list_groups)
        .get(
            "/Organizations/{organizationId}/Groups/{groupId}",
            get_group,
        )
        .get("/Organizations/{organizationId}/Sites", list_sites)
        .get("/Organizations/{organizationId}/Sites/{siteId}", get_site)
        .when(version.has_teams(), |routes| {
            routes
                .get("/Organizations/{organizationId}/Teams", list_teams)
                .get("/Organizations/{organizationId}/Teams/{teamId}", get_team)
        })
}

/// Objects whose ids the contract types as strings, found among `objects` by `key`.
trait FoundBy<'w, T: 'w + Named> {
    fn found_by(self, key: &Key<T>, id_of: impl Fn(&T) -> Uuid) -> Result<&'w T, NotFound>;
}

impl<'w, T: 'w + Named, I: Iterator<Item = &'w T>> FoundBy<'w, T> for I {
    fn found_by(mut self, key: &Key<T>, id_of: impl Fn(&T) -> Uuid) -> Result<&'w T, NotFound> {
        self.find(|object| key.names(id_of(object)))
            .ok_or_else(|| key.not_found())
    }
}

fn find_user<'w>(
    world: &'w World,
    organization: &Id<Organization>,
    key: &Key<DirectoryUser>,
) -> Result<&'w DirectoryUser, ApiError> {
    world.find(organization)?;
    Ok(world
        .organization_users(**organization)
        .found_by(key, |user| user.id)?)
}

/// One page of `matching` (an organization's `what`, filtered by the query), rendered by
/// `render`.
fn listing<'w, T: 'w, I: Iterator<Item = &'w T>>(
    paging: Paging,
    matching: impl Fn() -> I,
    organization_id: Uuid,
    what: &str,
    render: impl FnOnce(&mut dyn Iterator<Item = &'w T>, PageInfo<'_>) -> Response,
) -> Response {
    let path = format!("/Organizations/{organization_id}/{what}");
    let page = paging.info(matching().count(), &path);
    render(&mut paging.take(matching()), page)
}

async fn list_users(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let matching = || {
            world.organization_users(*id).filter(|user| {
                filter.matches_name(&user.name)
                    && filter.matches_display_name(&user.display_name)
                    && filter.matches_location(user.location)
            })
        };
        Ok(listing(paging, matching, *id, "Users", |users, page| {
            wire::directory::users(wire, users, page)
        }))
    })
}

async fn get_user(
    cx: Ctx,
    PathParams((id, user)): PathParams<(Id<Organization>, Key<DirectoryUser>)>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let user = find_user(world, &id, &user)?;
        Ok(wire::directory::user(wire, user))
    })
}

async fn list_onedrives(
    cx: Ctx,
    PathParams((id, user)): PathParams<(Id<Organization>, Key<DirectoryUser>)>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let user = find_user(world, &id, &user)?;
        let path = format!("/Organizations/{id}/Users/{}/OneDrives", user.id);
        let page = paging.info(user.onedrives.len(), &path);
        Ok(wire::directory::onedrives(
            wire,
            user,
            paging.slice(&user.onedrives),
            page,
        ))
    })
}

async fn get_onedrive(
    cx: Ctx,
    PathParams((id, user, drive)): PathParams<(
        Id<Organization>,
        Key<DirectoryUser>,
        Key<OneDrive>,
    )>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let user = find_user(world, &id, &user)?;
        let drive = user.onedrives.iter().found_by(&drive, |drive| drive.id)?;
        Ok(wire::directory::onedrive(wire, user, drive))
    })
}

async fn list_groups(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let matching = || {
            world.organization_groups(*id).filter(|group| {
                filter.matches_name(&group.name)
                    && filter.matches_display_name(&group.display_name)
                    && filter.matches_location(group.location)
            })
        };
        Ok(listing(paging, matching, *id, "Groups", |groups, page| {
            wire::directory::groups(wire, groups, page)
        }))
    })
}

async fn get_group(
    cx: Ctx,
    PathParams((id, group)): PathParams<(Id<Organization>, Key<Group>)>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let group = world
            .organization_groups(*id)
            .found_by(&group, |group| group.id)?;
        Ok(wire::directory::group(wire, group))
    })
}

/// Personal sites (the SharePoint side of OneDrives) only with `includePersonalSites=true`;
/// `parentId` lists the sites under one site.
async fn list_sites(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let parent_url = match &filter.parent_id {
            Some(raw) => {
                let key = Key::<Site>::parse(raw);
                let parent = world
                    .organization_sites(*id)
                    .found_by(&key, |site| site.id)?;
                Some(parent.url.as_str())
            }
            None => None,
        };
        let matching = || {
            world.organization_sites(*id).filter(|site| {
                let location = if site.is_cloud {
                    LocationType::Cloud
                } else {
                    LocationType::OnPremises
                };
                (filter.include_personal_sites || !site.is_personal)
                    && parent_url.is_none_or(|url| site.parent_url == url)
                    && filter.matches_location(location)
                    && filter.matches_text(&site.title, &site.url)
            })
        };
        Ok(listing(paging, matching, *id, "Sites", |sites, page| {
            wire::directory::sites(wire, sites, page)
        }))
    })
}

async fn get_site(
    cx: Ctx,
    PathParams((id, site)): PathParams<(Id<Organization>, Key<Site>)>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let site = world
            .organization_sites(*id)
            .found_by(&site, |site| site.id)?;
        Ok(wire::directory::site(wire, site))
    })
}

async fn list_teams(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let matching = || {
            world
                .organization_teams(*id)
                .filter(|team| filter.matches_display_name(&team.display_name))
        };
        Ok(listing(paging, matching, *id, "Teams", |teams, page| {
            wire::directory::teams(wire, teams, page)
        }))
    })
}

/// Team ids are GUIDs in the contract, so a malformed one is a 400.
async fn get_team(
    cx: Ctx,
    PathParams((id, team)): PathParams<(Id<Organization>, Id<Team>)>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let team = world
            .organization_teams(*id)
            .find(|candidate| candidate.id == *team)
            .ok_or_else(|| team.not_found())?;
        Ok(wire::directory::team(wire, team))
    })
}

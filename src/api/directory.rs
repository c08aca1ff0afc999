//! `/Organizations/{id}/Users` (with OneDrives), `/Groups`, `/Sites` and `/Teams`: what an
//! organization holds, paged and filtered as each route documents.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use uuid::Uuid;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::model::{DirectoryUser, LocationType};
use crate::store::World;
use crate::wire::page::{PageInfo, filters_of};
use crate::wire::query::DirectoryQuery;
use crate::wire::{self, Version};

pub fn router(version: Version) -> Router<AppState> {
    let organization = format!("{}/organizations/{{organization_id}}", version.prefix());
    let mut router = Router::new()
        .route(&format!("{organization}/users"), get(list_users))
        .route(&format!("{organization}/users/{{user_id}}"), get(get_user))
        .route(
            &format!("{organization}/users/{{user_id}}/onedrives"),
            get(list_onedrives),
        )
        .route(
            &format!("{organization}/users/{{user_id}}/onedrives/{{onedrive_id}}"),
            get(get_onedrive),
        )
        .route(&format!("{organization}/groups"), get(list_groups))
        .route(
            &format!("{organization}/groups/{{group_id}}"),
            get(get_group),
        )
        .route(&format!("{organization}/sites"), get(list_sites))
        .route(&format!("{organization}/sites/{{site_id}}"), get(get_site));
    if version.has_teams() {
        router = router
            .route(&format!("{organization}/teams"), get(list_teams))
            .route(&format!("{organization}/teams/{{team_id}}"), get(get_team));
    }
    router
}

/// The organization of the path, which must exist.
fn organization_id(world: &World, raw: &str) -> Result<Uuid, ApiError> {
    let id = parse_id(raw, "organization")?;
    world
        .organization(&id)
        .map(|organization| organization.id)
        .ok_or_else(|| not_found("Organization", &id))
}

/// The one of `objects` the path names. Users, groups, sites and OneDrives have string ids
/// in the contract: one that is not a GUID names nothing here, so it is a 404 rather than
/// a malformed request.
fn find_object<'w, T: 'w>(
    mut objects: impl Iterator<Item = &'w T>,
    id_of: impl Fn(&T) -> Uuid,
    raw: &str,
    what: &str,
) -> Result<&'w T, ApiError> {
    let wanted = Uuid::parse_str(raw).ok();
    objects
        .find(|object| Some(id_of(object)) == wanted)
        .ok_or_else(|| ApiError::NotFound(format!("{what} with id '{raw}' was not found.")))
}

fn find_user<'w>(
    world: &'w World,
    organization_id: Uuid,
    raw: &str,
) -> Result<&'w DirectoryUser, ApiError> {
    find_object(
        world.organization_users(organization_id),
        |user| user.id,
        raw,
        "User",
    )
}

/// One page of `matching` (an organization's `what`, filtered by the query), rendered by
/// `render`; the page's links repeat the query's filters.
fn listing<'w, T: 'w, I: Iterator<Item = &'w T>>(
    paging: Paging,
    matching: impl Fn() -> I,
    organization_id: Uuid,
    what: &str,
    filters: &str,
    render: impl FnOnce(&mut dyn Iterator<Item = &'w T>, PageInfo<'_>) -> Response,
) -> Response {
    let path = format!("/Organizations/{organization_id}/{what}");
    let mut page = paging.info(matching().count(), &path);
    page.filter = Some(filters);
    render(&mut paging.take(matching()), page)
}

async fn list_users(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = DirectoryQuery::parse(version, query.as_deref())?;
    let filters = filters_of(query.as_deref());
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let matching = || {
            world.organization_users(organization_id).filter(|user| {
                filter.matches_name(&user.name)
                    && filter.matches_display_name(&user.display_name)
                    && filter.matches_location(user.location)
            })
        };
        let cx = context(&state, &host, version);
        Ok(listing(
            paging,
            matching,
            organization_id,
            "Users",
            &filters,
            |users, page| wire::directory::users(&cx, users, page),
        ))
    })
}

async fn get_user(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, user)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    DirectoryQuery::parse(version, query.as_deref())?;
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let user = find_user(world, organization_id, &user)?;
        Ok(wire::directory::user(
            &context(&state, &host, version),
            user,
        ))
    })
}

async fn list_onedrives(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, user)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let user = find_user(world, organization_id, &user)?;
        let path = format!(
            "/Organizations/{organization_id}/Users/{}/OneDrives",
            user.id
        );
        let page = paging.info(user.onedrives.len(), &path);
        Ok(wire::directory::onedrives(
            &context(&state, &host, version),
            user,
            paging.slice(&user.onedrives),
            page,
        ))
    })
}

async fn get_onedrive(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, user, onedrive)): PathParams<(String, String, String)>,
) -> Result<Response, ApiError> {
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let user = find_user(world, organization_id, &user)?;
        let drive = find_object(
            user.onedrives.iter(),
            |drive| drive.id,
            &onedrive,
            "OneDrive",
        )?;
        Ok(wire::directory::onedrive(
            &context(&state, &host, version),
            user,
            drive,
        ))
    })
}

async fn list_groups(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = DirectoryQuery::parse(version, query.as_deref())?;
    let filters = filters_of(query.as_deref());
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let matching = || {
            world.organization_groups(organization_id).filter(|group| {
                filter.matches_name(&group.name)
                    && filter.matches_display_name(&group.display_name)
                    && filter.matches_location(group.location)
            })
        };
        let cx = context(&state, &host, version);
        Ok(listing(
            paging,
            matching,
            organization_id,
            "Groups",
            &filters,
            |groups, page| wire::directory::groups(&cx, groups, page),
        ))
    })
}

async fn get_group(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, group)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    DirectoryQuery::parse(version, query.as_deref())?;
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let found = find_object(
            world.organization_groups(organization_id),
            |group| group.id,
            &group,
            "Group",
        )?;
        Ok(wire::directory::group(
            &context(&state, &host, version),
            found,
        ))
    })
}

/// Personal sites (the SharePoint side of OneDrives) only with `includePersonalSites=true`;
/// `parentId` lists the sites under one site.
async fn list_sites(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = DirectoryQuery::parse(version, query.as_deref())?;
    let filters = filters_of(query.as_deref());
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let parent_url = match &filter.parent_id {
            Some(raw) => {
                let sites = world.organization_sites(organization_id);
                Some(
                    find_object(sites, |site| site.id, raw, "Site")?
                        .url
                        .as_str(),
                )
            }
            None => None,
        };
        let matching = || {
            world.organization_sites(organization_id).filter(|site| {
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
        let cx = context(&state, &host, version);
        Ok(listing(
            paging,
            matching,
            organization_id,
            "Sites",
            &filters,
            |sites, page| wire::directory::sites(&cx, sites, page),
        ))
    })
}

async fn get_site(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, site)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    DirectoryQuery::parse(version, query.as_deref())?;
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let found = find_object(
            world.organization_sites(organization_id),
            |site| site.id,
            &site,
            "Site",
        )?;
        Ok(wire::directory::site(
            &context(&state, &host, version),
            found,
        ))
    })
}

async fn list_teams(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(organization): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = DirectoryQuery::parse(version, query.as_deref())?;
    let filters = filters_of(query.as_deref());
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let matching = || {
            world
                .organization_teams(organization_id)
                .filter(|team| filter.matches_display_name(&team.display_name))
        };
        let cx = context(&state, &host, version);
        Ok(listing(
            paging,
            matching,
            organization_id,
            "Teams",
            &filters,
            |teams, page| wire::directory::teams(&cx, teams, page),
        ))
    })
}

/// Team ids are GUIDs in the contract, so a malformed one is a 400.
async fn get_team(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((organization, team)): PathParams<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    DirectoryQuery::parse(version, query.as_deref())?;
    let team_id = parse_id(&team, "team")?;
    state.world.read(|world| {
        let organization_id = organization_id(world, &organization)?;
        let found = world
            .organization_teams(organization_id)
            .find(|candidate| candidate.id == team_id)
            .ok_or_else(|| not_found("Team", &team_id))?;
        Ok(wire::directory::team(
            &context(&state, &host, version),
            found,
        ))
    })
}

//! `/Organizations/{id}/Users` (with OneDrives), `/Groups`, `/Sites` and `/Teams`: what an
//! organization holds, paged and filtered as each route documents, through one listing
//! and one lookup that every kind shares.

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
use crate::wire::{self, Context, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes
        .get(
            "/Organizations/{organizationId}/Users",
            list::<DirectoryUser>,
        )
        .get(
            "/Organizations/{organizationId}/Users/{userId}",
            get::<DirectoryUser>,
        )
        .get(
            "/Organizations/{organizationId}/Users/{userId}/OneDrives",
            list_onedrives,
        )
        .get(
            "/Organizations/{organizationId}/Users/{userId}/OneDrives/{onedriveId}",
            get_onedrive,
        )
        .get("/Organizations/{organizationId}/Groups", list::<Group>)
        .get(
            "/Organizations/{organizationId}/Groups/{groupId}",
            get::<Group>,
        )
        .when(version.has_group_members(), |routes| {
            routes.get(
                "/Organizations/{organizationId}/Groups/{groupId}/Members",
                list_group_members,
            )
        })
        .get("/Organizations/{organizationId}/Sites", list::<Site>)
        .get(
            "/Organizations/{organizationId}/Sites/{siteId}",
            get::<Site>,
        )
        .when(version.has_teams(), |routes| {
            routes
                .get("/Organizations/{organizationId}/Teams", list::<Team>)
                .get("/Organizations/{organizationId}/Teams/{teamId}", get_team)
        })
}

/// What an organization holds, as its routes list and look it up.
trait Held: Named + Sized + 'static {
    /// The collection's segment after the organization, e.g. `Users`.
    const COLLECTION: &'static str;

    fn of(world: &World, organization: Uuid) -> impl Iterator<Item = &Self>;

    fn id(&self) -> Uuid;

    /// Whether the listing's filter lets this object through; `parent_url` is the address
    /// of the site `parentId` names, where it names one.
    fn matches(&self, filter: &DirectoryFilter, parent_url: Option<&str>) -> bool;

    fn render(cx: &Context<'_>, object: &Self) -> Response;

    fn render_page<'a>(
        cx: &Context<'a>,
        objects: &mut dyn Iterator<Item = &'a Self>,
        page: PageInfo<'a>,
    ) -> Response;
}

impl Held for DirectoryUser {
    const COLLECTION: &'static str = "Users";

    fn of(world: &World, organization: Uuid) -> impl Iterator<Item = &Self> {
        world.organization_users(organization)
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn matches(&self, filter: &DirectoryFilter, _: Option<&str>) -> bool {
        filter.matches_name(&self.name)
            && filter.matches_display_name(&self.display_name)
            && filter.matches_location(self.location)
    }

    fn render(cx: &Context<'_>, object: &Self) -> Response {
        wire::directory::user(cx, object)
    }

    fn render_page<'a>(
        cx: &Context<'a>,
        objects: &mut dyn Iterator<Item = &'a Self>,
        page: PageInfo<'a>,
    ) -> Response {
        wire::directory::users(cx, objects, page)
    }
}

impl Held for Group {
    const COLLECTION: &'static str = "Groups";

    fn of(world: &World, organization: Uuid) -> impl Iterator<Item = &Self> {
        world.organization_groups(organization)
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn matches(&self, filter: &DirectoryFilter, _: Option<&str>) -> bool {
        filter.matches_name(&self.name)
            && filter.matches_display_name(&self.display_name)
            && filter.matches_location(self.location)
    }

    fn render(cx: &Context<'_>, object: &Self) -> Response {
        wire::directory::group(cx, object)
    }

    fn render_page<'a>(
        cx: &Context<'a>,
        objects: &mut dyn Iterator<Item = &'a Self>,
        page: PageInfo<'a>,
    ) -> Response {
        wire::directory::groups(cx, objects, page)
    }
}

/// Personal sites (the SharePoint side of OneDrives) only with `includePersonalSites=true`;
/// `parentId` lists the sites under one site.
impl Held for Site {
    const COLLECTION: &'static str = "Sites";

    fn of(world: &World, organization: Uuid) -> impl Iterator<Item = &Self> {
        world.organization_sites(organization)
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn matches(&self, filter: &DirectoryFilter, parent_url: Option<&str>) -> bool {
        let location = if self.is_cloud {
            LocationType::Cloud
        } else {
            LocationType::OnPremises
        };
        (filter.include_personal_sites || !self.is_personal)
            && parent_url.is_none_or(|url| self.parent_url == url)
            && filter.matches_location(location)
            && filter.matches_text(&self.title, &self.url)
    }

    fn render(cx: &Context<'_>, object: &Self) -> Response {
        wire::directory::site(cx, object)
    }

    fn render_page<'a>(
        cx: &Context<'a>,
        objects: &mut dyn Iterator<Item = &'a Self>,
        page: PageInfo<'a>,
    ) -> Response {
        wire::directory::sites(cx, objects, page)
    }
}

impl Held for Team {
    const COLLECTION: &'static str = "Teams";

    fn of(world: &World, organization: Uuid) -> impl Iterator<Item = &Self> {
        world.organization_teams(organization)
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn matches(&self, filter: &DirectoryFilter, _: Option<&str>) -> bool {
        filter.matches_display_name(&self.display_name)
    }

    fn render(cx: &Context<'_>, object: &Self) -> Response {
        wire::directory::team(cx, object)
    }

    fn render_page<'a>(
        cx: &Context<'a>,
        objects: &mut dyn Iterator<Item = &'a Self>,
        page: PageInfo<'a>,
    ) -> Response {
        wire::directory::teams(cx, objects, page)
    }
}

/// The object of `objects` that `key` names: ids the contract types as strings name
/// nothing when they are not GUIDs, so that is a 404 rather than a malformed request.
fn find<'w, T: Held>(
    mut objects: impl Iterator<Item = &'w T>,
    key: &Key<T>,
) -> Result<&'w T, NotFound> {
    objects
        .find(|object| key.names(object.id()))
        .ok_or_else(|| key.not_found())
}

/// A page of the organization's `T` that the query's filters let through.
async fn list<T: Held>(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    let collection = format!("/Organizations/{id}/{}", T::COLLECTION);
    cx.read(|world, wire| {
        world.find(&id)?;
        let parent_url = match &filter.parent_id {
            Some(raw) => Some(find(Site::of(world, *id), &Key::parse(raw))?.url.as_str()),
            None => None,
        };
        let matching = || T::of(world, *id).filter(|object| object.matches(&filter, parent_url));
        let page = paging.info(matching().count(), &collection);
        Ok(T::render_page(wire, &mut paging.take(matching()), page))
    })
}

/// One of the organization's `T`, by the string id the contract gives it.
async fn get<T: Held>(
    cx: Ctx,
    PathParams((id, key)): PathParams<(Id<Organization>, Key<T>)>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        Ok(T::render(wire, find(T::of(world, *id), &key)?))
    })
}

/// A page of the people in one of the organization's groups.
async fn list_group_members(
    cx: Ctx,
    PathParams((id, key)): PathParams<(Id<Organization>, Key<Group>)>,
    Query(paging): Query<Paging>,
    Query(_): Query<DirectoryFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        world.find(&id)?;
        let group = find(Group::of(world, *id), &key)?;
        let members = || DirectoryUser::of(world, *id).filter(|user| group.has_member(user));
        let path = format!("/Organizations/{id}/Groups/{}/Members", group.id);
        let page = paging.info(members().count(), &path);
        Ok(wire::directory::group_members(
            wire,
            group,
            paging.take(members()),
            page,
        ))
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
        let found = Team::of(world, *id)
            .find(|candidate| candidate.id == *team)
            .ok_or_else(|| team.not_found())?;
        Ok(Team::render(wire, found))
    })
}

fn find_user<'w>(
    world: &'w World,
    organization: &Id<Organization>,
    key: &Key<DirectoryUser>,
) -> Result<&'w DirectoryUser, ApiError> {
    world.find(organization)?;
    Ok(find(DirectoryUser::of(world, **organization), key)?)
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
        let drive = user
            .onedrives
            .iter()
            .find(|candidate| drive.names(candidate.id))
            .ok_or_else(|| drive.not_found())?;
        Ok(wire::directory::onedrive(wire, user, drive))
    })
}

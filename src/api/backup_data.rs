//! What a repository holds (v6 on): its organizations, users, mailboxes, OneDrives, sites,
//! groups and teams, each listed and looked up the same way.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    BackupDataFilter, BackupRepository, DirectoryUser, Group, Id, Key, Named, OneDrive,
    Organization, Site, Team,
};
use crate::store::World;
use crate::wire::query::{FromQuery, QueryError};
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_backup_data(), |routes| {
        routes
            .get(
                "/BackupRepositories/{repositoryId}/OrganizationData",
                list_organizations,
            )
            .get(
                "/BackupRepositories/{repositoryId}/OrganizationData/{organizationId}",
                get_organization,
            )
            .get("/BackupRepositories/{repositoryId}/UserData", list_users)
            .get(
                "/BackupRepositories/{repositoryId}/UserData/{userId}",
                get_user,
            )
            .get(
                "/BackupRepositories/{repositoryId}/MailboxData",
                list_mailboxes,
            )
            .get(
                "/BackupRepositories/{repositoryId}/MailboxData/{mailboxId}",
                get_mailbox,
            )
            .get(
                "/BackupRepositories/{repositoryId}/OneDriveData",
                list_onedrives,
            )
            .get(
                "/BackupRepositories/{repositoryId}/OneDriveData/{oneDriveId}",
                get_onedrive,
            )
            .get("/BackupRepositories/{repositoryId}/SiteData", list_sites)
            .get(
                "/BackupRepositories/{repositoryId}/SiteData/{siteId}",
                get_site,
            )
            .get("/BackupRepositories/{repositoryId}/GroupData", list_groups)
            .get(
                "/BackupRepositories/{repositoryId}/GroupData/{groupId}",
                get_group,
            )
            .get("/BackupRepositories/{repositoryId}/TeamData", list_teams)
            .get(
                "/BackupRepositories/{repositoryId}/TeamData/{teamId}",
                get_team,
            )
    })
}

/// The name a mailbox goes by in messages; its id is a GUID in the contract.
pub struct BackedUpMailbox;

impl Named for BackedUpMailbox {
    const NAME: &'static str = "Mailbox";
}

/// The query of a listing whose route documents no filter: whatever it holds, the listing
/// shows all the repository holds, as the service ignores parameters a route does not take.
struct Unfiltered;

impl FromQuery for Unfiltered {
    fn from_query(_version: Version, _query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self)
    }
}

impl From<Unfiltered> for BackupDataFilter {
    fn from(_: Unfiltered) -> Self {
        Self::default()
    }
}

/// A listing and a lookup per kind of data: the world answers what the repository holds
/// (`$find`, given the repository and the query's filter), the wire renders each with `$body`.
macro_rules! backup_data {
    ($list:ident, $get:ident, $key:ty, $segment:literal, $query:ty, $find:expr, $body:path) => {
        async fn $list(
            cx: Ctx,
            PathParams(id): PathParams<Id<BackupRepository>>,
            Query(paging): Query<Paging>,
            Query(filter): Query<$query>,
        ) -> Result<Response, ApiError> {
            let collection = format!("/BackupRepositories/{id}/{}", $segment);
            let filter = BackupDataFilter::from(filter);
            cx.read(|world, wire| {
                let data = $find(world, world.find(&id)?, &filter);
                let page = paging.info(data.len(), &collection);
                Ok(wire::backup_data::page(
                    wire,
                    paging.slice(&data),
                    page,
                    $body,
                ))
            })
        }

        async fn $get(
            cx: Ctx,
            PathParams((id, key)): PathParams<(Id<BackupRepository>, $key)>,
        ) -> Result<Response, ApiError> {
            cx.read(|world, wire| {
                let data = $find(world, world.find(&id)?, &BackupDataFilter::default());
                let found = data
                    .iter()
                    .find(|data| key.names(data.id))
                    .ok_or_else(|| key.not_found())?;
                Ok(wire::backup_data::one(wire, found, $body))
            })
        }
    };
}

backup_data!(
    list_organizations,
    get_organization,
    Key<Organization>,
    "OrganizationData",
    Unfiltered,
    World::backup_data::<Organization>,
    wire::backup_data::OrganizationBody::new
);
backup_data!(
    list_users,
    get_user,
    Key<DirectoryUser>,
    "UserData",
    Unfiltered,
    World::backup_data::<DirectoryUser>,
    wire::backup_data::UserBody::new
);
backup_data!(
    list_mailboxes,
    get_mailbox,
    Id<BackedUpMailbox>,
    "MailboxData",
    BackupDataFilter,
    World::backup_mailboxes,
    wire::backup_data::MailboxBody::new
);
backup_data!(
    list_onedrives,
    get_onedrive,
    Key<OneDrive>,
    "OneDriveData",
    BackupDataFilter,
    World::backup_onedrives,
    wire::backup_data::OneDriveBody::new
);
backup_data!(
    list_sites,
    get_site,
    Key<Site>,
    "SiteData",
    Unfiltered,
    World::backup_data::<Site>,
    wire::backup_data::SiteBody::new
);
backup_data!(
    list_groups,
    get_group,
    Key<Group>,
    "GroupData",
    Unfiltered,
    World::backup_data::<Group>,
    wire::backup_data::GroupBody::new
);
backup_data!(
    list_teams,
    get_team,
    Key<Team>,
    "TeamData",
    Unfiltered,
    World::backup_data::<Team>,
    wire::backup_data::TeamBody::new
);

//! Restore: restore points, explores that open restore sessions on them, stopping and
//! counting sessions, and browsing the mailboxes of an Exchange session (v6 on).

use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    BackupRepository, DirectoryUser, Explore, FolderFilter, Id, ItemFilter, Job, Key, MailFolder,
    MailItem, MailboxContent, Organization, OrganizationParameter, RestoreKind, RestorePointFilter,
    RestoreScope, RestoreSession,
};
use crate::store::{JobEditError, World};
use crate::wire::restore::{ExploreRequest, SaveRequest};
use crate::wire::{self, Paging, Version};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    let mailboxes = "/RestoreSessions/{restoreSessionId}/organization/mailboxes";
    routes.when(version >= Version::V6, |routes| {
        routes
            .get("/RestorePoints", list_restore_points)
            .get("/RestorePoints/{restorePointId}", get_restore_point)
            .post(
                "/Organizations/{organizationId}/explore",
                explore_organization,
            )
            .post("/Organization/Explore", explore_own_organization)
            .post("/Jobs/{jobId}/explore", explore_job)
            .post("/RestoreSessions/{restoreSessionId}/Stop", stop)
            .get(mailboxes, list_mailboxes)
            .get(&format!("{mailboxes}/{{mailboxId}}"), get_mailbox)
            .get(&format!("{mailboxes}/{{mailboxId}}/folders"), list_folders)
            .get(
                &format!("{mailboxes}/{{mailboxId}}/folders/{{folderId}}"),
                get_folder,
            )
            .get(&format!("{mailboxes}/{{mailboxId}}/items"), list_items)
            .get(
                &format!("{mailboxes}/{{mailboxId}}/items/{{itemId}}"),
                get_item,
            )
            .post(
                &format!("{mailboxes}/{{mailboxId}}/items/{{itemId}}/save"),
                save_item,
            )
            .post(&format!("{mailboxes}/{{mailboxId}}/items/Save"), save_items)
            .when(version >= Version::V7, |routes| {
                routes.post(
                    "/BackupRepositories/{repositoryId}/explore",
                    explore_repository,
                )
            })
            .when(version >= Version::V8, |routes| {
                routes.get(
                    "/RestoreSessions/{restoreSessionId}/Statistics",
                    get_statistics,
                )
            })
    })
}

async fn list_restore_points(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<RestorePointFilter>,
) -> Response {
    cx.read(|world, wire| {
        let mut points: Vec<_> = world
            .restore_points()
            .filter(|point| filter.matches(point))
            .collect();
        points.sort_by_key(|point| point.backup_time);
        if filter.newest_first {
            points.reverse();
        }
        let page = paging.info(points.len(), "/RestorePoints");
        wire::restore::restore_points(wire, &points, page, paging)
    })
}

async fn get_restore_point(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestorePoint>>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let point = world
            .restore_points()
            .find(|point| point.id == *id)
            .ok_or_else(|| id.not_found())?;
        Ok(wire::restore::restore_point(wire, point))
    })
}

/// The name restore points go by in messages.
pub struct RestorePoint;

impl crate::model::Named for RestorePoint {
    const NAME: &'static str = "Restore point";
}

/// Opens a restore session and answers it: 200 up to v7, 201 in v8.
fn explore(
    cx: &Ctx,
    organization_id: Uuid,
    scope: RestoreScope,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: ExploreRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ExploreRequest::default()
    } else {
        wire::body::read(body)?
    };
    let now = cx.now().fixed_offset();
    let explore = Explore {
        organization_id,
        scope,
        kind: request.kind.unwrap_or(RestoreKind::Vex),
        point_in_time: request.date_time,
    };
    let id = cx.state.world.write(|world| {
        let id = world.next_id();
        world.explore(id, explore, now, "admin").map(|_| id)
    })?;
    let mut response = cx.read(|world, wire| {
        let session = world.find(&Id::<RestoreSession>::new(id))?;
        let organization = world.organization_name(&session.organization_id);
        Ok::<_, ApiError>(wire::restore_sessions::restore_session(
            wire,
            session,
            organization,
        ))
    })?;
    if cx.version >= Version::V8 {
        *response.status_mut() = StatusCode::CREATED;
    }
    Ok(response)
}

async fn explore_organization(
    cx: Ctx,
    PathParams(id): PathParams<Id<Organization>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    explore(&cx, *id, RestoreScope::Organization, &body)
}

/// The signed-in account's organization: the emulator's accounts are the server's
/// administrators, so the first organization, as `GET /Organization` answers.
async fn explore_own_organization(cx: Ctx, Body(body): Body) -> Result<Response, ApiError> {
    let organization = cx
        .read(|world, _| {
            world
                .organizations
                .first()
                .map(|organization| organization.id)
        })
        .ok_or_else(|| {
            ApiError::NotFound("No organization has been added to the server.".to_owned())
        })?;
    explore(&cx, organization, RestoreScope::Organization, &body)
}

async fn explore_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let organization = cx.read(|world, _| world.find(&id).map(|job| job.organization_id))?;
    explore(&cx, organization, RestoreScope::Job(*id), &body)
}

/// A repository holds the backups of several organizations: `organizationId` names the
/// one to explore, or the first the repository holds.
async fn explore_repository(
    cx: Ctx,
    PathParams(id): PathParams<Id<BackupRepository>>,
    Query(organization): Query<OrganizationParameter>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let organization = cx.read(|world, _| {
        world.find(&id)?;
        organization
            .organization_id
            .or_else(|| {
                world
                    .jobs
                    .iter()
                    .find(|job| job.repository_id == *id)
                    .map(|job| job.organization_id)
            })
            .ok_or_else(|| {
                ApiError::BadRequest("The repository holds no organization's backups.".to_owned())
            })
    })?;
    explore(&cx, organization, RestoreScope::Repository(*id), &body)
}

/// Ends a session: 200 up to v7, 204 in v8.
async fn stop(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<StatusCode, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.stop_restore_session(*id, now))?;
    Ok(if cx.version >= Version::V8 {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::OK
    })
}

async fn get_statistics(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| Ok(wire::restore::statistics(world.find(&id)?)))
}

/// The working Exchange session `id` names, with the point in time it shows.
fn exchange_session<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
) -> Result<(&'w RestoreSession, crate::model::Timestamp), ApiError> {
    let session = world.find(id)?;
    let explored = session.explored.ok_or_else(|| {
        ApiError::BadRequest(format!(
            "Restore session '{id}' was not opened by an explore and shows no backups."
        ))
    })?;
    if session.kind != RestoreKind::Vex {
        return Err(ApiError::BadRequest(format!(
            "Restore session '{id}' is not an Exchange restore session."
        )));
    }
    if session.end_time.is_some() {
        return Err(JobEditError::Invalid(format!("Restore session '{id}' is stopped.")).into());
    }
    Ok((session, explored.point_in_time))
}

/// The mailbox `key` names in a session, with its content.
fn find_mailbox<'w>(
    world: &'w World,
    session: &RestoreSession,
    key: &Key<DirectoryUser>,
) -> Result<(&'w DirectoryUser, MailboxContent), ApiError> {
    world
        .session_mailboxes(session)
        .into_iter()
        .find(|(user, _)| key.names(user.id))
        .ok_or_else(|| key.not_found().into())
}

async fn list_mailboxes(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestoreSession>>,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/mailboxes");
    cx.read(|world, wire| {
        let (session, _) = exchange_session(world, &id)?;
        let mailboxes = world.session_mailboxes(session);
        let page = paging.info(mailboxes.len(), &collection);
        let users = paging.slice(&mailboxes).iter().map(|(user, _)| *user);
        Ok(wire::restore::mailboxes(wire, &id, users, page))
    })
}

async fn get_mailbox(
    cx: Ctx,
    PathParams((id, mailbox)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>)>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let (session, _) = exchange_session(world, &id)?;
        let (user, _) = find_mailbox(world, session, &mailbox)?;
        Ok(wire::restore::mailbox(wire, &id, user))
    })
}

async fn list_folders(
    cx: Ctx,
    PathParams((id, mailbox)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>)>,
    Query(paging): Query<Paging>,
    Query(filter): Query<FolderFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let (session, _) = exchange_session(world, &id)?;
        let (user, _) = find_mailbox(world, session, &mailbox)?;
        let parent = match &filter.parent_id {
            Some(parent) => Some(MailFolder::parse(user.id, parent).ok_or_else(|| {
                ApiError::NotFound(format!("Folder with id '{parent}' was not found."))
            })?),
            None => None,
        };
        let folders: Vec<MailFolder> = MailFolder::all(user.id)
            .filter(|folder| folder.parent() == parent)
            .filter(|folder| {
                filter
                    .name
                    .as_deref()
                    .is_none_or(|name| folder.name().to_lowercase().contains(&name.to_lowercase()))
            })
            .collect();
        let collection = format!(
            "/RestoreSessions/{id}/organization/mailboxes/{}/folders",
            user.id
        );
        let page = paging.info(folders.len(), &collection);
        Ok(wire::restore::folders(
            wire,
            &id,
            paging.slice(&folders).iter().copied(),
            page,
        ))
    })
}

async fn get_folder(
    cx: Ctx,
    PathParams((id, mailbox, folder)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let (session, _) = exchange_session(world, &id)?;
        let (user, _) = find_mailbox(world, session, &mailbox)?;
        let folder = MailFolder::parse(user.id, &folder).ok_or_else(|| {
            ApiError::NotFound(format!("Folder with id '{folder}' was not found."))
        })?;
        Ok(wire::restore::folder(wire, &id, folder))
    })
}

/// A page of a folder's items (or of the whole mailbox's, folder after folder), as they
/// were at the session's point in time: computed for the page alone, so a page from the
/// middle of a million items costs what a page of a small folder does.
async fn list_items(
    cx: Ctx,
    PathParams((id, mailbox)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>)>,
    Query(paging): Query<Paging>,
    Query(filter): Query<ItemFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let (session, at) = exchange_session(world, &id)?;
        let (user, content) = find_mailbox(world, session, &mailbox)?;
        let folders: Vec<MailFolder> = match &filter.folder_id {
            Some(folder) => vec![MailFolder::parse(user.id, folder).ok_or_else(|| {
                ApiError::NotFound(format!("Folder with id '{folder}' was not found."))
            })?],
            None => MailFolder::all(user.id).collect(),
        };
        let correspondents = world.correspondents(session.organization_id);
        let counts: Vec<u64> = folders
            .iter()
            .map(|folder| content.count(*folder, &at))
            .collect();
        let total: u64 = counts.iter().sum();
        let mut items: Vec<MailItem> = Vec::with_capacity(paging.limit.min(1_000));
        let mut skip = paging.offset as u64;
        for (folder, count) in folders.iter().zip(&counts) {
            if items.len() >= paging.limit {
                break;
            }
            if skip >= *count {
                skip -= count;
                continue;
            }
            let wanted = (paging.limit - items.len()) as u64;
            for number in skip..(*count).min(skip.saturating_add(wanted)) {
                items.push(content.item(*folder, number, &correspondents));
            }
            skip = 0;
        }
        let collection = format!(
            "/RestoreSessions/{id}/organization/mailboxes/{}/items",
            user.id
        );
        let page = paging.info(usize::try_from(total).unwrap_or(usize::MAX), &collection);
        Ok(wire::restore::items(wire, &id, &items, page))
    })
}

async fn get_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>, String)>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let (session, at) = exchange_session(world, &id)?;
        let (_, content) = find_mailbox(world, session, &mailbox)?;
        let correspondents = world.correspondents(session.organization_id);
        let found = content
            .find(&item, &at, &correspondents)
            .ok_or_else(|| ApiError::NotFound(format!("Item with id '{item}' was not found.")))?;
        Ok(wire::restore::item(wire, &id, &found))
    })
}

/// The item a path names in a session's mailbox, as it was at the session's point in time.
fn session_item(
    world: &World,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    item: &str,
) -> Result<MailItem, ApiError> {
    let (session, at) = exchange_session(world, id)?;
    let (_, content) = find_mailbox(world, session, mailbox)?;
    let correspondents = world.correspondents(session.organization_id);
    content
        .find(item, &at, &correspondents)
        .ok_or_else(|| ApiError::NotFound(format!("Item with id '{item}' was not found.")))
}

/// Saves one item as a message file.
async fn save_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>, String)>,
) -> Result<Response, ApiError> {
    let item = cx.read(|world, _| session_item(world, &id, &mailbox, &item))?;
    Ok(wire::restore::message_file(&item))
}

/// Saves several items: one message file, or a `.zip` archive of them.
async fn save_items(
    cx: Ctx,
    PathParams((id, mailbox)): PathParams<(Id<RestoreSession>, Key<DirectoryUser>)>,
    JsonBody(request): JsonBody<SaveRequest>,
) -> Result<Response, ApiError> {
    if request.items.is_empty() {
        return Err(ApiError::BadRequest(
            "Name at least one item to save in 'items'.".to_owned(),
        ));
    }
    let items = cx.read(|world, _| {
        request
            .items
            .iter()
            .map(|item| session_item(world, &id, &mailbox, &item.id))
            .collect::<Result<Vec<_>, _>>()
    })?;
    Ok(match items.as_slice() {
        [one] => wire::restore::message_file(one),
        several => wire::restore::message_archive(several),
    })
}

//! What a restore point holds (v6: `/RestorePoints/{id}/mailboxes` and the like; v7:
//! `/protectedUsers` and the like, paged) and the feeds of restore points and job sessions
//! that changed after a token (v7).

use axum::response::Response;

use super::restore::RestorePoint;
use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{BackedUpPart, ChangeFeed, Id};
use crate::wire::{self, Paging};

/// What a listing of a restore point shows.
#[derive(Debug, Clone, Copy)]
enum Held {
    Mailboxes,
    OneDrives,
    Sites,
    Teams,
    Users,
    Groups,
}

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    let listings = |routes: Routes, listings: &[(&'static str, Held)]| {
        listings.iter().fold(routes, |routes, &(segment, held)| {
            routes.get(
                &format!("/RestorePoints/{{restorePointId}}/{segment}"),
                move |cx, path, paging| list_held(cx, path, paging, held, segment),
            )
        })
    };
    routes
        .when(version.has_restore_point_arrays(), |routes| {
            listings(
                routes,
                &[
                    ("mailboxes", Held::Mailboxes),
                    ("onedrives", Held::OneDrives),
                    ("teams", Held::Teams),
                    ("webs", Held::Sites),
                ],
            )
        })
        .when(version.has_restore_point_pages(), |routes| {
            listings(
                routes,
                &[
                    ("protectedUsers", Held::Users),
                    ("protectedGroups", Held::Groups),
                    ("protectedMailboxes", Held::Mailboxes),
                    ("protectedOnedrives", Held::OneDrives),
                    ("protectedSites", Held::Sites),
                    ("protectedTeams", Held::Teams),
                ],
            )
            .get("/RestorePoints/Changes", restore_point_changes)
            .get("/JobSessions/Changes", job_session_changes)
        })
}

async fn list_held(
    cx: Ctx,
    PathParams(id): PathParams<Id<RestorePoint>>,
    Query(paging): Query<Paging>,
    held: Held,
    segment: &'static str,
) -> Result<Response, ApiError> {
    let collection = format!("/RestorePoints/{id}/{segment}");
    cx.read(|world, wire| {
        let contents = world
            .restore_point_contents(*id)
            .ok_or_else(|| id.not_found())?;
        let point = &*id;
        Ok(match held {
            Held::Mailboxes => wire::restore_point_contents::mailboxes(
                wire,
                point,
                &contents.users_with(BackedUpPart::Mailbox),
                paging,
                &collection,
            ),
            Held::OneDrives => wire::restore_point_contents::onedrives(
                wire,
                point,
                &contents.users_with(BackedUpPart::OneDrive),
                paging,
                &collection,
            ),
            Held::Sites => wire::restore_point_contents::sites(
                wire,
                point,
                &contents.sites,
                paging,
                &collection,
            ),
            Held::Teams => wire::restore_point_contents::teams(
                wire,
                point,
                &contents.teams,
                paging,
                &collection,
            ),
            Held::Users => wire::restore_point_contents::users(
                wire,
                point,
                &contents.users,
                paging,
                &collection,
            ),
            Held::Groups => wire::restore_point_contents::groups(
                wire,
                point,
                &contents.groups,
                paging,
                &collection,
            ),
        })
    })
}

/// The restore points taken after the token `from` gives (`latest`: none so far), from
/// the first without one.
async fn restore_point_changes(cx: Ctx, Query(feed): Query<ChangeFeed>) -> Response {
    cx.read(|world, wire| {
        let page = feed.page(world.restore_point_changes());
        wire::restore::restore_point_changes(wire, feed.limit, page)
    })
}

/// The job sessions that changed after the token `from` gives (from the first without
/// one), of the jobs `jobType` names.
async fn job_session_changes(cx: Ctx, Query(feed): Query<ChangeFeed>) -> Response {
    cx.read(|world, wire| {
        let page = feed
            .page(world.session_changes(feed.kind))
            .map(|record| (&record.session, world.session_extras(record)));
        wire::sessions::job_session_changes(wire, feed.limit, page)
    })
}

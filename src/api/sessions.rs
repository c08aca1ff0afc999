//! `/JobSessions`: every job run, newest first, with each version's filters.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, JobSession, SessionFilter, SessionScope};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/JobSessions", list_sessions)
        .get("/JobSessions/{sessionId}", get_session)
}

/// A page of the sessions `filter` lets through, newest first.
pub fn render_sessions(
    cx: &Ctx,
    paging: Paging,
    filter: SessionFilter,
    collection: &str,
) -> Response {
    cx.read(|world, wire| {
        let matching = || {
            world.sessions_newest_first().filter(|record| {
                let (kind, _) = world.session_target(&record.session);
                filter.matches(&record.session, kind)
            })
        };
        let page = paging.info(matching().count(), collection);
        let sessions = paging
            .take(matching())
            .map(|record| (&record.session, world.session_extras(record)));
        wire::sessions::job_sessions(wire, sessions, page)
    })
}

async fn list_sessions(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<SessionFilter>,
) -> Response {
    render_sessions(&cx, paging, filter, "/JobSessions")
}

async fn get_session(
    cx: Ctx,
    PathParams(id): PathParams<Id<JobSession>>,
    Query(scope): Query<SessionScope>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let record = world.find_session(&id, scope)?;
        Ok(wire::sessions::job_session(
            wire,
            &record.session,
            world.session_extras(record),
        ))
    })
}

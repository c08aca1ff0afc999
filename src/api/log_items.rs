//! `/JobSessions/{sessionId}/LogItems`: the operations a job session logged, in usn order.

use axum::response::Response;

use super::{Ctx, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, JobSession, LogItem, LogItemFilter, SessionScope};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/JobSessions/{sessionId}/LogItems", list_log_items)
        .get(
            "/JobSessions/{sessionId}/LogItems/{logItemId}",
            get_log_item,
        )
}

/// In usn order the page is a run of the log's positions; a filter or the reverse order (v8)
/// walks it.
async fn list_log_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<JobSession>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<LogItemFilter>,
    Query(scope): Query<SessionScope>,
) -> Result<Response, ApiError> {
    let collection = format!("/JobSessions/{id}/LogItems");
    cx.read(|world, wire| {
        let log = &world.find_session(&id, scope)?.log;
        if filter.is_everything_in_order() {
            let page = paging.info(log.len(), &collection);
            return Ok(wire::sessions::log_items(
                wire,
                &id,
                paging.take(log.iter()),
                page,
            ));
        }
        let matching = || log.iter().filter(|item| filter.matches(item));
        let page = paging.info(matching().count(), &collection);
        Ok(if filter.descending {
            wire::sessions::log_items(wire, &id, paging.take(matching().rev()), page)
        } else {
            wire::sessions::log_items(wire, &id, paging.take(matching()), page)
        })
    })
}

async fn get_log_item(
    cx: Ctx,
    PathParams((session_id, item_id)): PathParams<(Id<JobSession>, Id<LogItem<'static>>)>,
    Query(scope): Query<SessionScope>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let record = world.find_session(&session_id, scope)?;
        let item = record
            .log
            .find(&item_id)
            .ok_or_else(|| item_id.not_found())?;
        Ok(wire::sessions::log_item(wire, &session_id, item))
    })
}

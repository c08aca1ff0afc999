//! `/JobSessions/{sessionId}/LogItems`: the operations a job session logged, in usn order.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(
            &format!("{prefix}/jobsessions/{{session_id}}/logitems"),
            get(list_log_items),
        )
        .route(
            &format!("{prefix}/jobsessions/{{session_id}}/logitems/{{log_item_id}}"),
            get(get_log_item),
        )
}

/// In usn order the page is a slice of the log; a filter or the reverse order (v8) walks it.
async fn list_log_items(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "job session")?;
    let paging = Paging::from_query(query.as_deref())?;
    let filter = wire::query::log_item_filter(version, query.as_deref())?;
    let collection = format!("/JobSessions/{session_id}/LogItems");
    let cx = context(&state, &host, version);
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| not_found("Job session", &session_id))?;
        let log = record.log.as_slice();
        if filter.is_everything_in_order() {
            let page = paging.info(log.len(), &collection);
            return Ok(wire::sessions::log_items(
                &cx,
                &session_id,
                paging.slice(log).iter(),
                page,
            ));
        }
        let matching = || log.iter().filter(|item| filter.matches(item));
        let page = paging.info(matching().count(), &collection);
        Ok(if filter.descending {
            wire::sessions::log_items(&cx, &session_id, paging.take(matching().rev()), page)
        } else {
            wire::sessions::log_items(&cx, &session_id, paging.take(matching()), page)
        })
    })
}

async fn get_log_item(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams((session_id, log_item_id)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "job session")?;
    let log_item_id = parse_id(&log_item_id, "log item")?;
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| not_found("Job session", &session_id))?;
        let item = record
            .log
            .iter()
            .find(|item| item.id == log_item_id)
            .ok_or_else(|| not_found("Log item", &log_item_id))?;
        Ok(wire::sessions::log_item(
            &context(&state, &host, version),
            &session_id,
            item,
        ))
    })
}

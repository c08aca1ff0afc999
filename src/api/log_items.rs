//! `/JobSessions/{sessionId}/LogItems`: the operations a job session logged, in usn order.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire;

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

async fn list_log_items(
    State(state): State<AppState>,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "job session")?;
    let paging = Paging::from_query(query.as_deref())?;
    let path = format!("/v3/JobSessions/{session_id}/LogItems");
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| not_found("Job session", &session_id))?;
        let page = paging.info(record.log.len(), &path);
        Ok(wire::v3::log_items(
            &context(&state, &host),
            &session_id,
            paging.slice(&record.log),
            page,
        ))
    })
}

async fn get_log_item(
    State(state): State<AppState>,
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
        Ok(wire::v3::log_item(
            &context(&state, &host),
            &session_id,
            item,
        ))
    })
}

//! `/JobSessions/{sessionId}/LogItems`: the operations a job session logged, in usn order.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use uuid::Uuid;

use super::{Paging, PathParams, RequestHost, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobsessions/{session_id}/logitems", get(list_log_items))
        .route(
            "/jobsessions/{session_id}/logitems/{log_item_id}",
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
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| session_not_found(&session_id))?;
        Ok(wire::v3::log_items(
            host.as_str(),
            &session_id,
            paging.slice(&record.log),
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
            .ok_or_else(|| session_not_found(&session_id))?;
        let item = record
            .log
            .iter()
            .find(|item| item.id == log_item_id)
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "Log item with id '{log_item_id}' was not found in job session '{session_id}'."
                ))
            })?;
        Ok(wire::v3::log_item(host.as_str(), &session_id, item))
    })
}

fn session_not_found(session_id: &Uuid) -> ApiError {
    ApiError::NotFound(format!("Job session with id '{session_id}' was not found."))
}

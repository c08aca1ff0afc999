//! `/JobSessions`: every job run, newest first.

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
        .route(&format!("{prefix}/jobsessions"), get(list_sessions))
        .route(
            &format!("{prefix}/jobsessions/{{session_id}}"),
            get(get_session),
        )
}

async fn list_sessions(
    State(state): State<AppState>,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    Ok(state.world.read(|world| {
        let sessions = paging
            .take(world.sessions_newest_first())
            .map(|record| &record.session);
        wire::v3::job_sessions(&context(&state, &host), sessions)
    }))
}

async fn get_session(
    State(state): State<AppState>,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "job session")?;
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| not_found("Job session", &session_id))?;
        Ok(wire::v3::job_session(
            &context(&state, &host),
            &record.session,
        ))
    })
}

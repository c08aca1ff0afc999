//! `/JobSessions`: every job run, newest first, with each version's filters.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::store::{SessionFilter, SessionRecord, World};
use crate::wire::sessions::SessionExtras;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(&format!("{prefix}/jobsessions"), get(list_sessions))
        .route(
            &format!("{prefix}/jobsessions/{{session_id}}"),
            get(get_session),
        )
}

/// What rendering a session needs besides the session: its job's repository and its log's last usn.
pub fn extras<'a>(world: &'a World, record: &SessionRecord) -> SessionExtras<'a> {
    SessionExtras {
        repository_id: world
            .job(&record.session.job_id)
            .map(|job| &job.repository_id),
        last_usn: record.log.last().map_or(0, |item| item.usn),
    }
}

/// A page of the sessions `filter` lets through, newest first.
pub fn render_sessions(
    state: &AppState,
    version: Version,
    host: &RequestHost,
    paging: Paging,
    filter: SessionFilter,
    collection: &str,
) -> Response {
    state.world.read(|world| {
        let matching = || {
            world
                .sessions_newest_first()
                .filter(|record| filter.matches(&record.session))
        };
        let page = paging.info(matching().count(), collection);
        let sessions = paging
            .take(matching())
            .map(|record| (&record.session, extras(world, record)));
        wire::sessions::job_sessions(&context(state, host, version), sessions, page)
    })
}

async fn list_sessions(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = wire::query::session_filter(version, query.as_deref())?;
    Ok(render_sessions(
        &state,
        version,
        &host,
        paging,
        filter,
        "/JobSessions",
    ))
}

async fn get_session(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "job session")?;
    state.world.read(|world| {
        let record = world
            .session(&session_id)
            .ok_or_else(|| not_found("Job session", &session_id))?;
        let extras = extras(world, record);
        Ok(wire::sessions::job_session(
            &context(&state, &host, version),
            &record.session,
            extras,
        ))
    })
}

//! `/RestoreSessions`: Explorer restore sessions and their events, paged, newest first.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

use super::{Paging, PathParams, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::model::RestoreSession;
use crate::store::World;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new()
        .route(
            &format!("{prefix}/restoresessions"),
            get(list_restore_sessions),
        )
        .route(
            &format!("{prefix}/restoresessions/{{session_id}}"),
            get(get_restore_session),
        )
        .route(
            &format!("{prefix}/restoresessions/{{session_id}}/events"),
            get(list_restore_events),
        )
}

fn organization_name<'a>(world: &'a World, session: &RestoreSession) -> &'a str {
    world
        .organization(&session.organization_id)
        .map_or("", |organization| organization.name.as_str())
}

async fn list_restore_sessions(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    Ok(state.world.read(|world| {
        let sessions = paging
            .slice_newest_first(&world.restore_sessions)
            .map(|session| (session, organization_name(world, session)));
        let page = paging.info(world.restore_sessions.len(), "/RestoreSessions");
        wire::v3::restore_sessions(&context(&state, &host, version), sessions, page)
    }))
}

async fn get_restore_session(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "restore session")?;
    state.world.read(|world| {
        let session = world
            .restore_session(&session_id)
            .ok_or_else(|| not_found("Restore session", &session_id))?;
        Ok(wire::v3::restore_session(
            &context(&state, &host, version),
            session,
            organization_name(world, session),
        ))
    })
}

async fn list_restore_events(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    PathParams(session_id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let session_id = parse_id(&session_id, "restore session")?;
    let paging = Paging::from_query(query.as_deref())?;
    let collection = format!("/RestoreSessions/{session_id}/Events");
    state.world.read(|world| {
        let session = world
            .restore_session(&session_id)
            .ok_or_else(|| not_found("Restore session", &session_id))?;
        let page = paging.info(session.events.len(), &collection);
        Ok(wire::v3::restore_events(
            &context(&state, &host, version),
            &session_id,
            paging.slice(&session.events),
            paging.offset,
            page,
        ))
    })
}

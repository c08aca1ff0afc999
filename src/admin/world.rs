//! The world through the control API: export, replace, reset, and edits of organizations,
//! jobs, sessions and session logs. Every change is checked whole before it is applied.

use std::io::{self, Read};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use futures_util::TryStreamExt;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_util::io::{StreamReader, SyncIoBridge};
use uuid::Uuid;

use super::AdminError;
use crate::api::PathParams;
use crate::model::Log;
use crate::store::{self, World};
use crate::wire::JSON_CONTENT_TYPE;
use crate::world::file::{
    self as world_file, IdSource, JobEntry, KnownIds, LoadError, LogItemEntry, OrganizationEntry,
    Problems, SessionEntry,
};
use crate::{AppState, MAX_WORLD_BODY_BYTES, WORLD_PATH};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(WORLD_PATH, get(export_world).put(replace_world))
        .route("/__admin/reset", post(reset_world))
        .route("/__admin/organizations", post(create_organization))
        .route(
            "/__admin/organizations/{id}",
            put(put_organization).delete(delete_organization),
        )
        .route("/__admin/jobs", post(create_job))
        .route("/__admin/jobs/{id}", put(put_job).delete(delete_job))
        .route("/__admin/sessions", post(create_session))
        .route(
            "/__admin/sessions/{id}",
            put(put_session).delete(delete_session),
        )
        .route("/__admin/sessions/{id}/logitems", post(append_log_items))
        .route("/__admin/outbox", get(list_outbox).delete(clear_outbox))
        .route(
            "/__admin/repositories/{repositoryId}/data/{objectId}",
            delete(remove_backup_data),
        )
}

/// Removes a repository's data of a user, group, site or team, as `Remove-VBOEntityData`
/// does on a real server: the REST API of v6..v8 has no operation for it.
async fn remove_backup_data(
    State(state): State<AppState>,
    PathParams((repository_id, object_id)): PathParams<(String, String)>,
) -> Result<StatusCode, AdminError> {
    let repository_id = parse_path_id(&repository_id)?;
    let object_id = parse_path_id(&object_id)?;
    let now = state.clock.now().fixed_offset();
    state
        .world
        .write(|world| world.remove_backup_data(repository_id, object_id, now))
        .map_err(|missing| AdminError::new(StatusCode::NOT_FOUND, missing.to_string()))?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the server mailed (restored items sent as attachments), oldest first.
async fn list_outbox(State(state): State<AppState>) -> Response {
    json(
        StatusCode::OK,
        &state.world.read(|world| world.outbox.clone()),
    )
}

async fn clear_outbox(State(state): State<AppState>) -> StatusCode {
    state.world.write(|world| world.outbox.clear());
    StatusCode::NO_CONTENT
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut bytes = serde_json::to_vec_pretty(body).unwrap_or_default();
    bytes.push(b'\n');
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(JSON_CONTENT_TYPE),
        )],
        bytes,
    )
        .into_response()
}

fn too_large() -> AdminError {
    AdminError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The body is larger than the control API takes: 64 KiB, or 1 GiB for a world file.",
    )
}

fn unreadable() -> AdminError {
    AdminError::new(StatusCode::BAD_REQUEST, "The body could not be read.")
}

fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, AdminError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            unreadable()
        }
    })
}

/// Reads a body of up to `limit` bytes as it arrives, on a blocking thread, with `read`:
/// memory holds what `read` makes of the body, never the body's text as well. A body cut
/// off, longer than `limit` or with anything after its value gives an error and nothing else.
pub(super) async fn read_streamed<T: Send + 'static>(
    body: Body,
    limit: usize,
    read: impl FnOnce(&mut dyn Read) -> Result<T, LoadError> + Send + 'static,
) -> Result<T, AdminError> {
    let chunks = Limited::new(body, limit)
        .into_data_stream()
        .map_err(io::Error::other);
    let mut reader = SyncIoBridge::new(StreamReader::new(chunks));
    let read = tokio::task::spawn_blocking(move || read(&mut reader))
        .await
        .map_err(|_| unreadable())?;
    read.map_err(|error| match error {
        LoadError::Invalid(problems) => AdminError::invalid(problems),
        LoadError::Read(error)
            if error
                .get_ref()
                .is_some_and(|inner| inner.is::<LengthLimitError>()) =>
        {
            too_large()
        }
        LoadError::Read(_) => unreadable(),
    })
}

pub(super) fn read_payload<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, AdminError> {
    world_file::parse_entry(&read_body(body)?).map_err(AdminError::invalid)
}

fn parse_path_id(raw: &str) -> Result<Uuid, AdminError> {
    Uuid::parse_str(raw).map_err(|_| {
        AdminError::new(
            StatusCode::BAD_REQUEST,
            format!("The value '{raw}' is not a valid entity id: expected a GUID."),
        )
    })
}

fn not_found(what: &str, id: Uuid) -> AdminError {
    AdminError::new(
        StatusCode::NOT_FOUND,
        format!("{what} with id '{id}' was not found."),
    )
}

/// The body's id, if any, must be the path's.
fn same_id(path_id: Uuid, body_id: Option<Uuid>) -> Result<(), AdminError> {
    match body_id {
        Some(id) if id != path_id => {
            let mut problems = Problems::default();
            problems.push(
                "id",
                format!("{id} differs from the id in the path, {path_id}"),
            );
            Err(AdminError::invalid(problems.0))
        }
        _ => Ok(()),
    }
}

fn checked(problems: Problems) -> Result<(), AdminError> {
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(AdminError::invalid(problems.0))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WorldSummary {
    organizations: usize,
    jobs: usize,
    sessions: usize,
    log_items: usize,
}

fn summary(world: &World) -> WorldSummary {
    WorldSummary {
        organizations: world.organizations.len(),
        jobs: world.jobs.len(),
        sessions: world.sessions_oldest_first().count(),
        log_items: world
            .sessions_oldest_first()
            .map(|record| record.log.len())
            .sum(),
    }
}

async fn export_world(State(state): State<AppState>) -> Response {
    let file = state.world.read(world_file::export);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(JSON_CONTENT_TYPE),
        )],
        file.to_bytes(),
    )
        .into_response()
}

/// All or nothing: a file with any problem leaves the world as it was. The body is read
/// once, as it arrives, by the exact reading (the fast one may need a second pass).
async fn replace_world(State(state): State<AppState>, body: Body) -> Result<Response, AdminError> {
    let world = read_streamed(body, MAX_WORLD_BODY_BYTES, |reader| {
        world_file::build(world_file::parse(reader)?).map_err(LoadError::Invalid)
    })
    .await?;
    let summary = summary(&world);
    install_world(&state, world);
    Ok(json(StatusCode::OK, &summary))
}

/// Serves `world` from now on, with its fault rules armed; the users it no longer has are
/// logged out, as a deleted account's tokens stop working on the real server.
pub(super) fn install_world(state: &AppState, world: World) {
    state.engine.replace_world(&state.world, world);
    state.world.read(|world| {
        state.arm(world);
        state.tokens.retain_users(|user| {
            store::has_account(&state.config_users, user) || world.has_user(user)
        });
    });
}

async fn reset_world(State(state): State<AppState>) -> Response {
    let world = World::clone(&state.startup_world);
    let summary = summary(&world);
    install_world(&state, world);
    json(StatusCode::OK, &summary)
}

async fn create_organization(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let entry: OrganizationEntry = read_payload(body)?;
    put_organization_entry(&state, entry, None).map(|entry| json(StatusCode::CREATED, &entry))
}

async fn put_organization(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let id = parse_path_id(&id)?;
    let entry: OrganizationEntry = read_payload(body)?;
    same_id(id, entry.id)?;
    put_organization_entry(&state, entry, Some(id)).map(|entry| json(StatusCode::OK, &entry))
}

/// Creates (no `replacing`) or replaces an organization.
fn put_organization_entry(
    state: &AppState,
    mut entry: OrganizationEntry,
    replacing: Option<Uuid>,
) -> Result<OrganizationEntry, AdminError> {
    let mut problems = Problems::default();
    world_file::check_organization(&entry, "", &mut problems);
    checked(problems)?;
    state.world.write(|world| {
        if replacing.is_none() {
            reject_taken_id(entry.id, world.organizations.iter().map(|known| known.id))?;
        }
        let id = replacing.or(entry.id).unwrap_or_else(|| world.new_id());
        entry.id = Some(id);
        let organization = world_file::organization(&entry, &mut IdSource::new(0));
        world.put_organization(organization.clone());
        Ok(world_file::organization_entry(&organization))
    })
}

fn reject_taken_id(
    id: Option<Uuid>,
    mut known: impl Iterator<Item = Uuid>,
) -> Result<(), AdminError> {
    match id {
        Some(id) if known.any(|known| known == id) => {
            let mut problems = Problems::default();
            problems.push("id", format!("{id} is taken; PUT to its path replaces it"));
            Err(AdminError::invalid(problems.0))
        }
        _ => Ok(()),
    }
}

async fn delete_organization(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    let id = parse_path_id(&id)?;
    if state.world.write(|world| world.delete_organization(id)) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found("Organization", id))
    }
}

async fn create_job(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let entry: JobEntry = read_payload(body)?;
    put_job_entry(&state, entry, None).map(|entry| json(StatusCode::CREATED, &entry))
}

async fn put_job(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let id = parse_path_id(&id)?;
    let entry: JobEntry = read_payload(body)?;
    same_id(id, entry.id)?;
    put_job_entry(&state, entry, Some(id)).map(|entry| json(StatusCode::OK, &entry))
}

fn put_job_entry(
    state: &AppState,
    mut entry: JobEntry,
    replacing: Option<Uuid>,
) -> Result<JobEntry, AdminError> {
    state.world.write(|world| {
        let mut problems = Problems::default();
        world_file::check_job(&entry, "", &KnownIds::of_world(world), &mut problems);
        checked(problems)?;
        if replacing.is_none() {
            reject_taken_id(entry.id, world.jobs.iter().map(|known| known.id))?;
        }
        entry.id = Some(replacing.or(entry.id).unwrap_or_else(|| world.new_id()));
        let job = world_file::job(&entry, &mut IdSource::new(0));
        world.put_job(job.clone());
        Ok(world_file::job_entry(&job))
    })
}

async fn delete_job(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    let id = parse_path_id(&id)?;
    if state.world.write(|world| world.delete_job(id)) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found("Job", id))
    }
}

async fn create_session(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let entry: SessionEntry = read_payload(body)?;
    put_session_entry(&state, entry, None).map(|entry| json(StatusCode::CREATED, &entry))
}

async fn put_session(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let id = parse_path_id(&id)?;
    let entry: SessionEntry = read_payload(body)?;
    same_id(id, entry.id)?;
    put_session_entry(&state, entry, Some(id)).map(|entry| json(StatusCode::OK, &entry))
}

/// A replacement without log items keeps the session's log.
fn put_session_entry(
    state: &AppState,
    mut entry: SessionEntry,
    replacing: Option<Uuid>,
) -> Result<SessionEntry, AdminError> {
    state.world.write(|world| {
        let mut problems = Problems::default();
        world_file::check_session(&entry, "", &KnownIds::of_world(world), &mut problems);
        checked(problems)?;
        if replacing.is_none() {
            reject_taken_id(
                entry.id,
                world
                    .sessions_oldest_first()
                    .map(|record| record.session.id),
            )?;
        }
        entry.id = Some(replacing.or(entry.id).unwrap_or_else(|| world.new_id()));
        fill_log_item_ids(world, &mut entry.log_items);
        let keep_log = entry.log_items.is_empty() && replacing.is_some();
        let mut log = Log::default();
        let mut ids = IdSource::new(0);
        world_file::append_log_items(&mut log, &entry.log_items, 0, &mut ids);
        let (session, log) = world_file::session(&entry, log, &mut ids);
        let id = session.id;
        world.put_session(session, (!keep_log).then_some(log));
        let record = world
            .session(&id)
            .ok_or_else(|| not_found("Job session", id))?;
        Ok(world_file::session_entry(&record.session, &record.log))
    })
}

fn fill_log_item_ids(world: &mut World, items: &mut [LogItemEntry]) {
    for item in items {
        if item.id.is_none() {
            item.id = Some(world.new_id());
        }
    }
}

async fn delete_session(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, AdminError> {
    let id = parse_path_id(&id)?;
    if state.world.write(|world| world.delete_session(id)) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found("Job session", id))
    }
}

/// Appends to a session's log under the write lock: usns left out are assigned after the
/// last one, usns given must rise above it, and readers see all of the items or none.
async fn append_log_items(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AdminError> {
    let id = parse_path_id(&id)?;
    let mut entries: Vec<LogItemEntry> = read_payload(body)?;
    state.world.write(|world| {
        let last_usn = world
            .session(&id)
            .ok_or_else(|| not_found("Job session", id))?
            .log
            .last_usn()
            .unwrap_or(0);
        let mut problems = Problems::default();
        world_file::check_log_items(&entries, "", last_usn, &mut problems);
        checked(problems)?;
        fill_log_item_ids(world, &mut entries);
        let log = world
            .session_mut(&id)
            .ok_or_else(|| not_found("Job session", id))?
            .log_mut();
        let before = log.len();
        world_file::append_log_items(log, &entries, last_usn, &mut IdSource::new(0));
        let appended: Vec<LogItemEntry> = log
            .iter()
            .skip(before)
            .map(world_file::log_item_entry)
            .collect();
        Ok(json(StatusCode::CREATED, &appended))
    })
}

#[cfg(test)]
mod tests {
    use futures_util::stream;

    use super::*;

    /// What `read_streamed` makes of a body sent in `chunks`, at most `limit` bytes of it.
    fn streamed(chunks: &[&'static str], limit: usize) -> Result<Vec<u32>, AdminError> {
        let chunks: Vec<io::Result<&'static str>> = chunks.iter().copied().map(Ok).collect();
        let body = Body::from_stream(stream::iter(chunks));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(read_streamed(body, limit, |reader| {
            world_file::parse(reader)
        }))
    }

    #[test]
    fn a_body_read_as_it_arrives_is_taken_whole_within_its_limit() {
        let parsed = streamed(&["[1, ", "2, 3", "]\n"], 10).unwrap();
        assert_eq!(parsed, [1, 2, 3]);
    }

    #[test]
    fn a_body_over_its_limit_is_413_before_it_is_all_read() {
        let refused = streamed(&["[1, ", "2, 3", "]\n"], 9).unwrap_err();
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(refused.message.contains("1 GiB for a world file"));
    }

    #[test]
    fn a_body_cut_off_or_followed_by_more_text_is_400_with_its_problem() {
        for (chunks, expected) in [
            (&["[1, ", "2,"][..], "$: EOF while parsing"),
            (&["[1, 2]", " [3]"][..], "$: trailing characters"),
        ] {
            let refused = streamed(chunks, 100).unwrap_err();
            assert_eq!(refused.status, StatusCode::BAD_REQUEST);
            assert!(
                refused.problems[0].to_string().starts_with(expected),
                "{:?}",
                refused.problems
            );
        }
    }
}

//! `/Jobs`: backup jobs, their sessions, and the start/stop/enable/disable actions (a body
//! sent to `/Action` up to v5, one path per action from v6).

use axum::response::Response;
use chrono::{DateTime, Utc};

use axum::http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

use super::sessions::render_sessions;
use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{Id, ItemIds, Job, JobFilter, JobItem, Organization, SessionFilter};
use crate::sim::{self, JobActionError, Runs};
use crate::store::{JobEditError, World};
use crate::wire::job_requests::{JobItemRequest, JobRequest};
use crate::wire::jobs::ItemList;
use crate::wire::restore::ExploreRequest;
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    let routes = routes
        .get("/Jobs", list_jobs)
        .get("/Jobs/{jobId}", get_job)
        .put("/Jobs/{jobId}", edit_job)
        .delete("/Jobs/{jobId}", delete_job)
        .when(version.creates_jobs_under_organizations(), |routes| {
            routes.post(
                "/Organizations/{organizationId}/Jobs",
                create_organization_job,
            )
        })
        .when(!version.creates_jobs_under_organizations(), |routes| {
            routes.post("/Jobs", create_job)
        })
        .when(version.has_sessions_of_job(), |routes| {
            routes.get("/Jobs/{jobId}/JobSessions", list_job_sessions)
        })
        .when(version.has_job_action_body(), |routes| {
            routes.post("/Jobs/{jobId}/Action", job_action)
        })
        .when(version.has_job_action_paths(), |routes| {
            routes
                .post("/Jobs/{jobId}/start", start_job)
                .post("/Jobs/{jobId}/stop", stop_job)
                .post("/Jobs/{jobId}/enable", enable_job)
                .post("/Jobs/{jobId}/disable", disable_job)
        });
    [ItemList::Selected, ItemList::Excluded]
        .into_iter()
        .fold(routes, |routes, list| {
            let collection = match list {
                ItemList::Selected => "/Jobs/{jobId}/SelectedItems",
                ItemList::Excluded => "/Jobs/{jobId}/ExcludedItems",
            };
            routes
                .get(collection, move |cx, path, paging| {
                    list_items(cx, path, paging, list)
                })
                .post(collection, move |cx, path, body| {
                    add_items(cx, path, body, list)
                })
                .delete(collection, move |cx, path, query, body| {
                    remove_items(cx, path, query, body, list)
                })
                .get(&format!("{collection}/{{itemId}}"), move |cx, path| {
                    get_item(cx, path, list)
                })
                .put(
                    &format!("{collection}/{{itemId}}"),
                    move |cx, path, body| replace_item(cx, path, body, list),
                )
        })
}

async fn list_jobs(
    cx: Ctx,
    Query(paging): Query<Paging>,
    Query(filter): Query<JobFilter>,
) -> Response {
    cx.read(|world, wire| {
        let jobs = world
            .jobs
            .iter()
            .filter(|job| filter.matches(job))
            .map(|job| world.job_view(job, cx.now()));
        wire::jobs::jobs(wire, jobs, paging, "/Jobs")
    })
}

async fn get_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        Ok(wire::jobs::job(
            wire,
            world.job_view(world.find(&id)?, cx.now()),
        ))
    })
}

/// Up to v7 a job is created under its organization's path and answered 200.
async fn create_organization_job(
    cx: Ctx,
    PathParams(organization): PathParams<Id<Organization>>,
    JsonBody(request): JsonBody<JobRequest>,
) -> Result<Response, ApiError> {
    let body = create(&cx, Some(*organization), request)?;
    Ok(body)
}

/// v8 names the organization in the body and answers 201.
async fn create_job(
    cx: Ctx,
    JsonBody(request): JsonBody<JobRequest>,
) -> Result<Response, ApiError> {
    let mut response = create(&cx, None, request)?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// Creates the job a request describes and answers it; a refused create changes nothing.
fn create(cx: &Ctx, organization: Option<Uuid>, request: JobRequest) -> Result<Response, ApiError> {
    let id = cx.state.world.write(|world| {
        let mut change = request.into_change(None, || world.next_id())?;
        let organization_id = organization
            .or(change.organization_id.take())
            .ok_or_else(|| {
                ApiError::BadRequest("A new job must name its organization.".to_owned())
            })?;
        let id = world.next_id();
        world.create_job(id, organization_id, change)?;
        Ok::<_, ApiError>(id)
    })?;
    cx.read(|world, wire| {
        Ok(wire::jobs::job(
            wire,
            world.job_view(world.find(&Id::<Job>::new(id))?, cx.now()),
        ))
    })
}

async fn edit_job(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    JsonBody(request): JsonBody<JobRequest>,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        let current = world.find(&id)?.schedule;
        let change = request.into_change(Some(&current), || world.next_id())?;
        world.edit_job(*id, change)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<StatusCode, ApiError> {
    cx.state
        .world
        .write(|world| world.delete_stopped_job(*id))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Query(paging): Query<Paging>,
    list: ItemList,
) -> Result<Response, ApiError> {
    let collection = format!("/Jobs/{id}{}", list.path());
    cx.read(|world, wire| {
        let view = world.job_view(world.find(&id)?, cx.now());
        let items = match list {
            ItemList::Selected => &view.selected_items,
            ItemList::Excluded => &view.excluded_items,
        };
        let page = paging.info(items.len(), &collection);
        Ok(wire::jobs::job_items(wire, items, list, page, paging))
    })
}

async fn get_item(
    cx: Ctx,
    PathParams((id, item_id)): PathParams<(Id<Job>, Id<JobItem>)>,
    list: ItemList,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let job = world.find(&id)?;
        let item = job
            .items(list == ItemList::Excluded)
            .iter()
            .find(|item| item.id == *item_id)
            .ok_or_else(|| item_id.not_found())?;
        Ok(wire::jobs::job_item(
            wire,
            &world.job_item_view(job, item),
            list,
        ))
    })
}

/// Adds the items of the body (an array of items), each with a new id.
async fn add_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    JsonBody(requests): JsonBody<Vec<JobItemRequest>>,
    list: ItemList,
) -> Result<StatusCode, ApiError> {
    cx.state.world.write(|world| {
        let items = requests
            .into_iter()
            .map(|request| request.into_item(world.next_id()))
            .collect::<Result<Vec<_>, _>>()?;
        world.add_job_items(*id, list == ItemList::Excluded, items)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the items named by `?ids=a,b` or, as v8 also takes it, by a body of items.
async fn remove_items(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Query(named): Query<ItemIds>,
    Body(body): Body,
    list: ItemList,
) -> Result<StatusCode, ApiError> {
    let mut ids = named.ids;
    if !body.iter().all(u8::is_ascii_whitespace) {
        let items: Vec<ItemReference> = wire::body::read(&body)?;
        for item in items {
            ids.push(*Id::<JobItem>::parse(&item.id)?);
        }
    }
    if ids.is_empty() {
        return Err(ApiError::BadRequest(
            "Name the items to remove with 'ids' or in the request body.".to_owned(),
        ));
    }
    cx.state
        .world
        .write(|world| world.remove_job_items(*id, list == ItemList::Excluded, &ids))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An item of a removal body: only its id is read.
#[derive(Debug, Deserialize)]
struct ItemReference {
    id: String,
}

async fn replace_item(
    cx: Ctx,
    PathParams((id, item_id)): PathParams<(Id<Job>, Id<JobItem>)>,
    JsonBody(request): JsonBody<JobItemRequest>,
    list: ItemList,
) -> Result<StatusCode, ApiError> {
    let item = request.into_item(*item_id)?;
    cx.state
        .world
        .write(|world| world.replace_job_item(*id, list == ItemList::Excluded, *item_id, item))?;
    Ok(StatusCode::NO_CONTENT)
}

impl From<JobEditError> for ApiError {
    fn from(error: JobEditError) -> Self {
        match error {
            JobEditError::NotFound(missing) => missing.into(),
            JobEditError::Invalid(reason) => Self::BadRequest(reason),
        }
    }
}

async fn list_job_sessions(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Query(paging): Query<Paging>,
    Query(filter): Query<SessionFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| world.find(&id).map(|_| ()))?;
    let filter = SessionFilter {
        job_id: Some(*id),
        ..filter
    };
    let collection = format!("/Jobs/{id}/JobSessions");
    Ok(render_sessions(&cx, paging, filter, &collection))
}

/// What a job action asks for: `{"start": null}` up to v5, the path's last segment from v6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobAction {
    Start,
    Stop,
    Enable,
    Disable,
}

/// What a v3..v5 `POST /Jobs/{id}/Action` body asks: an action on the job, or
/// (`{"explore": {...}}`) a restore session on what it backed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionBody {
    Job(JobAction),
    Explore(ExploreRequest),
}

impl ActionBody {
    /// Exactly one known key, matched without regard to case as ASP.NET binds it.
    fn read(body: &[u8]) -> Result<Self, ApiError> {
        let (action, argument) = wire::body::action(
            body,
            &[
                ("start", Some(JobAction::Start)),
                ("stop", Some(JobAction::Stop)),
                ("enable", Some(JobAction::Enable)),
                ("disable", Some(JobAction::Disable)),
                ("explore", None),
            ],
            r#"{"start":null}, {"stop":null}, {"enable":null}, {"disable":null}, {"explore":{"datetime":...,"type":...}}"#,
        )?;
        match action {
            Some(action) => Ok(Self::Job(action)),
            None => Ok(Self::Explore(super::restore::explore_argument(argument)?)),
        }
    }
}

impl From<JobActionError> for ApiError {
    /// An unknown job is a 404; a refused action, the service's 400 with its reason.
    fn from(error: JobActionError) -> Self {
        match error {
            JobActionError::UnknownJob(id) => Id::<Job>::new(id).not_found().into(),
            refused => Self::BadRequest(refused.to_string()),
        }
    }
}

/// `{"start": null}` and its siblings, and `{"explore": {...}}`, up to v5.
async fn job_action(
    cx: Ctx,
    PathParams(id): PathParams<Id<Job>>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    match ActionBody::read(&body)? {
        ActionBody::Explore(options) => super::restore::explore_job_backups(&cx, id, options),
        ActionBody::Job(action) => {
            act(&cx, id, action)?;
            Ok(wire::job_action_done(cx.version))
        }
    }
}

/// Applies an action to the world and the engine's runs together. Returns the session a
/// start created.
fn act(cx: &Ctx, id: Id<Job>, action: JobAction) -> Result<Option<uuid::Uuid>, ApiError> {
    let now = cx.state.clock.now();
    let state = &cx.state;
    Ok(state.engine.with_world(&state.world, |world, runs| {
        apply(world, runs, *id, action, now)
    })?)
}

fn apply(
    world: &mut World,
    runs: &mut Runs,
    job_id: uuid::Uuid,
    action: JobAction,
    now: DateTime<Utc>,
) -> Result<Option<uuid::Uuid>, JobActionError> {
    match action {
        JobAction::Start => sim::start_job(world, runs, job_id, now, None).map(Some),
        JobAction::Stop => sim::stop_job(world, runs, job_id, now).map(|_| None),
        JobAction::Enable | JobAction::Disable => {
            if world.set_job_enabled(job_id, action == JobAction::Enable) {
                Ok(None)
            } else {
                Err(JobActionError::UnknownJob(job_id))
            }
        }
    }
}

/// v8 answers a start with the new session; earlier versions with an empty 204.
async fn start_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    let started = act(&cx, id, JobAction::Start)?;
    Ok(cx.read(
        |world, wire| match started.and_then(|id| world.session(&id)) {
            Some(record) => wire::job_started(wire, &record.session, world.session_extras(record)),
            None => wire::job_action_done(cx.version),
        },
    ))
}

async fn stop_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Stop)?;
    Ok(wire::job_action_done(cx.version))
}

async fn enable_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Enable)?;
    Ok(wire::job_action_done(cx.version))
}

async fn disable_job(cx: Ctx, PathParams(id): PathParams<Id<Job>>) -> Result<Response, ApiError> {
    act(&cx, id, JobAction::Disable)?;
    Ok(wire::job_action_done(cx.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_from_a_single_key_in_any_case() {
        assert_eq!(
            ActionBody::read(br#"{"start":null}"#).unwrap(),
            ActionBody::Job(JobAction::Start)
        );
        assert_eq!(
            ActionBody::read(br#"{"Stop":null}"#).unwrap(),
            ActionBody::Job(JobAction::Stop)
        );
        assert_eq!(
            ActionBody::read(br#"{"disable":{}}"#).unwrap(),
            ActionBody::Job(JobAction::Disable)
        );
        let ActionBody::Explore(options) =
            ActionBody::read(br#"{"Explore":{"datetime":"2019.04.12 10:54:40","type":"vex"}}"#)
                .unwrap()
        else {
            panic!("an explore");
        };
        assert_eq!(options.kind, Some(crate::model::RestoreKind::Vex));
        assert_eq!(
            ActionBody::read(br#"{"explore":null}"#).unwrap(),
            ActionBody::Explore(ExploreRequest::default())
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for body in [
            &br#"{"restart":null}"#[..],
            br#"{"start":null,"stop":null}"#,
            b"{}",
            b"[]",
            b"start",
            b"",
            br#"{"explore":{"type":"Vet"}}"#,
            br#"{"explore":{"datetime":"soon"}}"#,
        ] {
            assert!(
                ActionBody::read(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

//! Teams restore sessions: browsing teams, channels, posts, files and tabs as the backup at
//! the session's point in time holds them, and searching them (v6 on).

use axum::response::Response;

use super::mail::{SEARCH_SCAN_LIMIT, query_terms};
use super::restore_actions::{outside_operator_scope, working_session};
use super::{Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    Channel, ChannelFile, ChannelItem, FilePlace, Id, Post, PostFilter, RestoreKind,
    RestoreSession, Tab, Team, TeamsFilter,
};
use crate::store::{SessionTeam, World};
use crate::wire::mail_restore::SearchRequest;
use crate::wire::teams::{CHANNEL_CHILDREN, TeamsItemKind, TeamsSearchRequest};
use crate::wire::{self, Paging};

pub fn routes(routes: Routes) -> Routes {
    let teams = "/RestoreSessions/{restoreSessionId}/organization/teams";
    let team = format!("{teams}/{{teamId}}");
    let channel = format!("{team}/channels/{{channelId}}");
    let posts = format!("{team}/posts");
    let files = format!("{team}/files");
    let version = routes.version();
    let file = if version.has_channel_files() {
        format!("{channel}/files/{{fileId}}")
    } else {
        format!("{files}/{{fileId}}")
    };
    routes.when(version.has_restore_browsing(), |routes| {
        routes
            .post(
                "/RestoreSessions/{restoreSessionId}/organization/searchTeams",
                search_organization,
            )
            .get(teams, list_teams)
            .get(&team, get_team)
            .post(&format!("{team}/search"), search_team)
            .get(&format!("{team}/channels"), list_channels)
            .get(&channel, get_channel)
            .post(&format!("{channel}/search"), search_channel)
            .get(&format!("{channel}/tabs"), list_tabs)
            .get(&format!("{channel}/tabs/{{tabId}}"), get_tab)
            .post(&format!("{channel}/tabs/search"), search_tabs)
            .get(&posts, list_posts)
            .get(&format!("{posts}/{{postId}}"), get_post)
            .post(&format!("{posts}/search"), search_posts)
            .get(&files, list_files)
            .post(&format!("{files}/search"), search_files)
            .when(!version.has_channel_files(), |routes| {
                routes.get(&file, get_team_file)
            })
            .when(version.has_channel_files(), |routes| {
                routes.get(&file, get_channel_file)
            })
            .when(version.has_teams_children_and_versions(), |routes| {
                let versions = format!("{file}/versions");
                let routes = routes.get(&format!("{channel}/children"), list_children);
                if version.has_channel_files() {
                    routes.get(&versions, list_channel_file_versions)
                } else {
                    routes.get(&versions, list_team_file_versions)
                }
            })
    })
}

pub(super) type SessionPath = PathParams<Id<RestoreSession>>;
pub(super) type TeamPath = PathParams<(Id<RestoreSession>, Id<Team>)>;
pub(super) type ChannelPath = PathParams<(Id<RestoreSession>, Id<Team>, String)>;
pub(super) type TabPath = PathParams<(Id<RestoreSession>, Id<Team>, String, Id<Tab>)>;
/// A post's number is read after its session and team are found, so that an unknown
/// session is a 404 whatever follows it.
pub(super) type PostPath = PathParams<(Id<RestoreSession>, Id<Team>, String)>;
pub(super) type TeamFilePath = PathParams<(Id<RestoreSession>, Id<Team>, Id<ChannelFile>)>;
pub(super) type ChannelFilePath =
    PathParams<(Id<RestoreSession>, Id<Team>, String, Id<ChannelFile>)>;

/// The working Teams session `id` names.
fn teams_session<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
) -> Result<&'w RestoreSession, ApiError> {
    working_session(world, id, RestoreKind::Vet, "a Teams")
}

/// The team `team` names in a working Teams session.
pub(super) fn session_team<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
    team: &Id<Team>,
) -> Result<SessionTeam<'w>, ApiError> {
    let session = teams_session(world, id)?;
    world
        .session_teams(session)
        .into_iter()
        .find(|shown| team.names(shown.team.id))
        .ok_or_else(|| {
            if world.team_withheld_from_operator(session, **team) {
                outside_operator_scope("team", &team.to_string())
            } else {
                team.not_found().into()
            }
        })
}

pub(super) fn channel_of(team: &SessionTeam, channel: &str) -> Result<Channel, ApiError> {
    team.channel(channel)
        .ok_or_else(|| ApiError::NotFound(format!("Channel with id '{channel}' was not found.")))
}

/// The channel a filter names, if it names one.
fn channel_filter(team: &SessionTeam, channel: Option<&str>) -> Result<Option<Channel>, ApiError> {
    channel.map(|channel| channel_of(team, channel)).transpose()
}

/// A post number a path gives: the contract types it as an int64.
pub(super) fn post_number(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| {
        ApiError::BadRequest(format!(
            "The value '{text}' is not a valid post id: expected an integer."
        ))
    })
}

fn post_not_found(post: i64) -> ApiError {
    ApiError::NotFound(format!("Post with id '{post}' was not found."))
}

/// The post an id names in a team, in the channel a filter names if it names one.
pub(super) fn post_of(
    team: &SessionTeam,
    post: i64,
    channel: Option<Channel>,
) -> Result<Post, ApiError> {
    team.post(post)
        .filter(|found| channel.is_none_or(|channel| found.channel == channel))
        .ok_or_else(|| post_not_found(post))
}

/// The thread's first post an id names, whose replies a `parentId` asks for.
fn first_post_of(
    team: &SessionTeam,
    post: i64,
    channel: Option<Channel>,
) -> Result<Post, ApiError> {
    post_of(team, post, channel)
        .ok()
        .filter(|first| first.reply == 0)
        .ok_or_else(|| post_not_found(post))
}

/// The file an id names in a team, in the channel a path or filter names if it names one.
pub(super) fn file_of(
    team: &SessionTeam,
    file: &Id<ChannelFile>,
    channel: Option<Channel>,
) -> Result<ChannelFile, ApiError> {
    team.file(**file)
        .filter(|found| channel.is_none_or(|channel| found.channel == channel))
        .ok_or_else(|| file.not_found().into())
}

/// The folder a `parentId` names in a team.
fn folder_of(team: &SessionTeam, folder: &str) -> Result<FilePlace, ApiError> {
    uuid::Uuid::parse_str(folder)
        .ok()
        .and_then(|id| team.file(id))
        .and_then(|found| team.place_of(&found))
        .ok_or_else(|| folder_not_found(folder))
}

fn folder_not_found(folder: &str) -> ApiError {
    ApiError::NotFound(format!("Folder with id '{folder}' was not found."))
}

fn team_path(id: &Id<RestoreSession>, team: &Id<Team>, rest: &str) -> String {
    format!("/RestoreSessions/{id}/organization/teams/{team}{rest}")
}

async fn list_teams(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<TeamsFilter>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/teams");
    cx.read(|world, wire| {
        let teams: Vec<SessionTeam> = world
            .session_teams(teams_session(world, &id)?)
            .into_iter()
            .filter(|team| filter.shows(&team.team.display_name))
            .collect();
        let page = paging.info(teams.len(), &collection);
        let shown = paging.slice(&teams).iter().map(|team| team.team);
        Ok(wire::teams::teams(wire, &id, shown, page))
    })
}

async fn get_team(cx: Ctx, PathParams((id, team)): TeamPath) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        Ok(wire::teams::team(wire, &id, team.team))
    })
}

async fn list_channels(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<TeamsFilter>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/channels");
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channels: Vec<Channel> = team
            .channels()
            .into_iter()
            .filter(|channel| filter.shows(channel.name()))
            .collect();
        let page = paging.info(channels.len(), &collection);
        Ok(wire::teams::channels(
            wire,
            &id,
            paging.slice(&channels),
            page,
        ))
    })
}

async fn get_channel(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        Ok(wire::teams::channel(
            wire,
            &id,
            channel_of(&team, &channel)?,
        ))
    })
}

/// What a channel holds: its posts, files and tabs, each a listing of its own (v7 on).
async fn list_children(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, &format!("/channels/{channel}/children"));
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_of(&team, &channel)?;
        let page = paging.info(CHANNEL_CHILDREN.len(), &collection);
        let shown = paging.slice(&CHANNEL_CHILDREN);
        Ok(wire::teams::children(wire, &id, channel, shown, page))
    })
}

async fn list_tabs(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, &format!("/channels/{channel}/tabs"));
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let tabs = team.tabs(channel_of(&team, &channel)?);
        let page = paging.info(tabs.len(), &collection);
        Ok(wire::teams::tabs(wire, &id, paging.slice(&tabs), page))
    })
}

async fn get_tab(
    cx: Ctx,
    PathParams((id, team, channel, tab)): TabPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_of(&team, &channel)?;
        let found = team
            .tab(*tab)
            .filter(|found| found.channel == channel)
            .ok_or_else(|| tab.not_found())?;
        Ok(wire::teams::tab(wire, &id, &found))
    })
}

/// A page of a team's threads (of one channel with `channelId`), or of the replies to one
/// post (`parentId`): computed for the page alone.
async fn list_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<PostFilter>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/posts");
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_filter(&team, filter.channel_id.as_deref())?;
        let (total, posts) = match filter.parent_id {
            Some(parent) => {
                let replies = team.replies(&first_post_of(&team, parent, channel)?);
                (replies.len() as u64, paging.slice(&replies).to_vec())
            }
            None => {
                let channels = channel.map_or_else(|| team.channels(), |channel| vec![channel]);
                team.threads(&channels, (paging.offset as u64, paging.limit))
            }
        };
        let page = paging.info(usize::try_from(total).unwrap_or(usize::MAX), &collection);
        Ok(wire::teams::posts(wire, &id, &posts, page))
    })
}

async fn get_post(
    cx: Ctx,
    PathParams((id, team, post)): PostPath,
    Query(filter): Query<PostFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_filter(&team, filter.channel_id.as_deref())?;
        let found = post_of(&team, post_number(&post)?, channel)?;
        Ok(wire::teams::post(wire, &id, &found))
    })
}

/// A page of what a channel's folder (`channelId`), a folder under it (`parentId`) or
/// every channel's folder lists: subfolders first, then files; v7's `foldersOnly` the
/// subfolders alone.
async fn list_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<TeamsFilter>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/files");
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let places = places_of(&team, &filter)?;
        let (total, files) = team.files(
            &places,
            filter.folders_only,
            (paging.offset as u64, paging.limit),
        );
        let page = paging.info(usize::try_from(total).unwrap_or(usize::MAX), &collection);
        Ok(wire::teams::files(wire, &id, &files, page))
    })
}

/// The places a files filter names: a folder, a channel's own folder, or every channel's.
fn places_of(team: &SessionTeam, filter: &TeamsFilter) -> Result<Vec<FilePlace>, ApiError> {
    let channel = channel_filter(team, filter.channel_id.as_deref())?;
    match &filter.parent_id {
        Some(parent) => {
            let place = folder_of(team, parent)?;
            if channel.is_some_and(|channel| channel != place.channel) {
                return Err(folder_not_found(parent));
            }
            Ok(vec![place])
        }
        None => Ok(channel
            .map_or_else(|| team.channels(), |channel| vec![channel])
            .into_iter()
            .map(|channel| team.root(channel))
            .collect()),
    }
}

async fn get_team_file(
    cx: Ctx,
    PathParams((id, team, file)): TeamFilePath,
    Query(filter): Query<TeamsFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_filter(&team, filter.channel_id.as_deref())?;
        Ok(wire::teams::file(
            wire,
            &id,
            &file_of(&team, &file, channel)?,
        ))
    })
}

async fn get_channel_file(
    cx: Ctx,
    PathParams((id, team, channel, file)): ChannelFilePath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, &id, &team)?;
        let channel = channel_of(&team, &channel)?;
        Ok(wire::teams::file(
            wire,
            &id,
            &file_of(&team, &file, Some(channel))?,
        ))
    })
}

/// A file's versions, oldest first; a folder has one.
fn versions_answer(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    (channel, file): (Option<&str>, &Id<ChannelFile>),
    paging: Paging,
    collection: &str,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let team = session_team(world, id, team)?;
        let channel = channel_filter(&team, channel)?;
        let versions = team.versions(&file_of(&team, file, channel)?);
        let page = paging.info(versions.len(), collection);
        Ok(wire::teams::files(wire, id, paging.slice(&versions), page))
    })
}

async fn list_team_file_versions(
    cx: Ctx,
    PathParams((id, team, file)): TeamFilePath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, &format!("/files/{file}/versions"));
    versions_answer(&cx, (&id, &team), (None, &file), paging, &collection)
}

async fn list_channel_file_versions(
    cx: Ctx,
    PathParams((id, team, channel, file)): ChannelFilePath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = team_path(
        &id,
        &team,
        &format!("/channels/{channel}/files/{file}/versions"),
    );
    versions_answer(
        &cx,
        (&id, &team),
        (Some(&channel), &file),
        paging,
        &collection,
    )
}

// ---------------------------------------------------------------------------------------
// Search

/// What a term of a Teams search looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Subject,
    Author,
    Body,
    Name,
    DisplayName,
}

/// A search query for one kind of item, in the service's `field:value` form: a post by
/// `subject:` (a bare word or quoted phrase), `author:` or `body:`; a file by `name:`; a
/// tab by `displayName:`. Every term must match; case is ignored. A query with no term is
/// the client's 400.
struct TeamsQuery {
    kind: TeamsItemKind,
    terms: Vec<(Field, String)>,
}

impl TeamsQuery {
    fn parse(kind: TeamsItemKind, query: Option<&str>) -> Result<Self, ApiError> {
        let terms = match kind {
            TeamsItemKind::Posts => query_terms(query, Field::Subject, |name| match name {
                "subject" => Some(Field::Subject),
                "author" | "from" => Some(Field::Author),
                "body" => Some(Field::Body),
                _ => None,
            }),
            TeamsItemKind::Files => query_terms(query, Field::Name, |name| {
                matches!(name, "name" | "filename").then_some(Field::Name)
            }),
            TeamsItemKind::Tabs => query_terms(query, Field::DisplayName, |name| {
                matches!(name, "displayname" | "name").then_some(Field::DisplayName)
            }),
        }?;
        if terms.is_empty() {
            return Err(ApiError::BadRequest(
                "Specify what to search for in 'query'.".to_owned(),
            ));
        }
        Ok(Self { kind, terms })
    }

    fn matches(&self, item: &ChannelItem) -> bool {
        self.terms.iter().all(|(field, value)| {
            let text = match (field, item) {
                (Field::Subject, ChannelItem::Post(post)) => post.subject.as_str(),
                (Field::Author, ChannelItem::Post(post)) => post.author.as_str(),
                (Field::Body, ChannelItem::Post(post)) => post.body,
                (Field::Name, ChannelItem::File(file)) => file.name.as_str(),
                (Field::DisplayName, ChannelItem::Tab(tab)) => tab.display_name(),
                _ => return false,
            };
            text.to_lowercase().contains(value.as_str())
        })
    }
}

/// Where a search looks in a team: some channels, one folder, or one thread's replies.
enum Scope {
    Channels(Vec<Channel>),
    Folder(FilePlace),
    Replies(Post),
}

/// The items of a kind a team holds in a scope, made one at a time.
fn items<'t>(
    team: &'t SessionTeam,
    scope: &Scope,
    kind: TeamsItemKind,
) -> Box<dyn Iterator<Item = ChannelItem> + 't> {
    match (kind, scope) {
        (TeamsItemKind::Posts, Scope::Channels(channels)) => Box::new(
            channels
                .clone()
                .into_iter()
                .flat_map(|channel| team.posts(channel))
                .map(ChannelItem::Post),
        ),
        (TeamsItemKind::Posts, Scope::Replies(first)) => {
            Box::new(team.replies(first).into_iter().map(ChannelItem::Post))
        }
        (TeamsItemKind::Files, Scope::Channels(channels)) => Box::new(
            channels
                .iter()
                .flat_map(|channel| team.places(*channel))
                .collect::<Vec<_>>()
                .into_iter()
                .flat_map(|place| team.listed(place))
                .map(ChannelItem::File),
        ),
        (TeamsItemKind::Files, Scope::Folder(place)) => {
            Box::new(team.listed(*place).map(ChannelItem::File))
        }
        (TeamsItemKind::Tabs, Scope::Channels(channels)) => Box::new(
            channels
                .iter()
                .flat_map(|channel| team.tabs(*channel))
                .collect::<Vec<_>>()
                .into_iter()
                .map(ChannelItem::Tab),
        ),
        // A folder holds no posts or tabs, a thread no files or tabs.
        _ => Box::new(std::iter::empty()),
    }
}

/// The items of the teams' scopes that match, as a page, and how many match in all (of the
/// first [`SEARCH_SCAN_LIMIT`] items of each team).
fn search(
    teams: &[(SessionTeam, Scope)],
    query: &TeamsQuery,
    paging: Paging,
) -> (usize, Vec<ChannelItem>) {
    let mut total = 0;
    let mut page = Vec::new();
    for (team, scope) in teams {
        let limit = usize::try_from(SEARCH_SCAN_LIMIT).unwrap_or(usize::MAX);
        for item in items(team, scope, query.kind).take(limit) {
            if query.matches(&item) {
                if total >= paging.offset && page.len() < paging.limit {
                    page.push(item);
                }
                total += 1;
            }
        }
    }
    (total, page)
}

/// Every channel of a team.
fn whole(team: SessionTeam) -> (SessionTeam, Scope) {
    let channels = team.channels();
    (team, Scope::Channels(channels))
}

/// A search that answers channel entities: of every team the session shows, of one team,
/// or of one channel.
fn entities_answer(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    scope: (Option<&Id<Team>>, Option<&str>),
    (paging, request): (Paging, TeamsSearchRequest),
    collection: &str,
) -> Result<Response, ApiError> {
    let query = TeamsQuery::parse(request.kind, request.query.as_deref())?;
    cx.read(|world, wire| {
        let teams = match scope {
            (None, _) => world
                .session_teams(teams_session(world, id)?)
                .into_iter()
                .map(whole)
                .collect(),
            (Some(team), None) => vec![whole(session_team(world, id, team)?)],
            (Some(team), Some(channel)) => {
                let team = session_team(world, id, team)?;
                let channel = channel_of(&team, channel)?;
                vec![(team, Scope::Channels(vec![channel]))]
            }
        };
        let (total, found) = search(&teams, &query, paging);
        let page = paging.info(total, collection);
        Ok(wire::teams::entities(wire, id, &found, page))
    })
}

async fn search_organization(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<TeamsSearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/searchTeams");
    entities_answer(&cx, &id, (None, None), (paging, request), &collection)
}

async fn search_team(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<TeamsSearchRequest>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/search");
    entities_answer(
        &cx,
        &id,
        (Some(&team), None),
        (paging, request),
        &collection,
    )
}

async fn search_channel(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<TeamsSearchRequest>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, &format!("/channels/{channel}/search"));
    let scope = (Some(&team), Some(channel.as_str()));
    entities_answer(&cx, &id, scope, (paging, request), &collection)
}

/// A search of one kind in a team's scope, answered as that kind's page.
fn kind_search(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    (kind, request): (TeamsItemKind, SearchRequest),
    (scope, paging): (impl FnOnce(&SessionTeam) -> Result<Scope, ApiError>, Paging),
    collection: &str,
) -> Result<Response, ApiError> {
    let query = TeamsQuery::parse(kind, request.query.as_deref())?;
    cx.read(|world, wire| {
        let team = session_team(world, id, team)?;
        let scope = scope(&team)?;
        let (total, found) = search(&[(team, scope)], &query, paging);
        let page = paging.info(total, collection);
        Ok(wire::teams::items_of_kind(wire, id, &found, page))
    })
}

async fn search_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<PostFilter>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/posts/search");
    let scope = |team: &SessionTeam| {
        let channel = channel_filter(team, filter.channel_id.as_deref())?;
        Ok(match filter.parent_id {
            Some(parent) => Scope::Replies(first_post_of(team, parent, channel)?),
            None => {
                Scope::Channels(channel.map_or_else(|| team.channels(), |channel| vec![channel]))
            }
        })
    };
    let kind = (TeamsItemKind::Posts, request);
    kind_search(&cx, (&id, &team), kind, (scope, paging), &collection)
}

async fn search_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<TeamsFilter>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, "/files/search");
    let scope = |team: &SessionTeam| {
        Ok(match places_of(team, &filter)?.as_slice() {
            [place] if filter.parent_id.is_some() => Scope::Folder(*place),
            places => Scope::Channels(places.iter().map(|place| place.channel).collect()),
        })
    };
    let kind = (TeamsItemKind::Files, request);
    kind_search(&cx, (&id, &team), kind, (scope, paging), &collection)
}

async fn search_tabs(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = team_path(&id, &team, &format!("/channels/{channel}/tabs/search"));
    let scope = |team: &SessionTeam| Ok(Scope::Channels(vec![channel_of(team, &channel)?]));
    let kind = (TeamsItemKind::Tabs, request);
    kind_search(&cx, (&id, &team), kind, (scope, paging), &collection)
}

//! Restoring teams, channels, posts, files and tabs of a Teams restore session, and saving,
//! sending and exporting its posts and files (v6 on): each an event of the session,
//! restores running on the clock.

use axum::response::Response;

use super::onedrive::SAVED_DOCUMENTS_LIMIT;
use super::restore_actions::{Addressed, deliver, optional_body, record, require_credentials};
use super::teams::{
    ChannelFilePath, ChannelPath, PostPath, SessionPath, TabPath, TeamFilePath, TeamPath,
    channel_of, file_of, post_number, post_of, session_team,
};
use super::{Body, Ctx, JsonBody, PathParams, Routes};
use crate::error::ApiError;
use crate::model::{
    Channel, ChannelFile, Id, Mailer, Named, Post, PostExport, RestoreAction, RestoreOutcome,
    RestoreSession, Tab, Team, Timestamp,
};
use crate::store::{SessionTeam, World};
use crate::wire;
use crate::wire::mail_restore::SendRequest;
use crate::wire::restore::ItemReference;
use crate::wire::teams_restore::{
    ExportTaskRequest, FilesRestoreRequest, FilesSaveRequest, PostReference, PostsRequest,
    PostsRestoreRequest, TabsRestoreRequest, WholeRestoreRequest,
};

pub fn routes(routes: Routes) -> Routes {
    let teams = "/RestoreSessions/{restoreSessionId}/organization/teams";
    let team = format!("{teams}/{{teamId}}");
    let channel = format!("{team}/channels/{{channelId}}");
    let posts = format!("{team}/posts");
    let post = format!("{posts}/{{postId}}");
    let files = format!("{team}/files");
    let version = routes.version();
    routes.when(version.has_restore_browsing(), |routes| {
        let routes = routes
            .post(&format!("{teams}/restore"), restore_teams)
            .post(&format!("{team}/restore"), restore_team)
            .post(&format!("{channel}/restore"), restore_channel)
            .post(&format!("{channel}/tabs/restore"), restore_tabs)
            .post(&format!("{channel}/tabs/{{tabId}}/restore"), restore_tab)
            .post(&format!("{posts}/restore"), restore_posts)
            .post(&format!("{posts}/save"), save_posts)
            .post(&format!("{posts}/send"), send_posts)
            .post(&format!("{posts}/export"), export_posts)
            .post(&format!("{post}/save"), save_post)
            .post(&format!("{post}/send"), send_post)
            .post(&format!("{post}/export"), export_post)
            .post(&format!("{files}/restore"), restore_files)
            .post(&format!("{files}/save"), save_files)
            .post(&format!("{files}/send"), send_files)
            .when(version.has_team_tabs_restore(), |routes| {
                routes.post(&format!("{team}/tabs/restore"), restore_team_tabs)
            })
            .when(version.has_teams_operator_restores(), |routes| {
                routes
                    .post(&format!("{teams}/operatorRestore"), operator_restore_teams)
                    .post(
                        &format!("{channel}/operatorRestore"),
                        operator_restore_channel,
                    )
                    .post(
                        &format!("{channel}/tabs/operatorRestore"),
                        operator_restore_tabs,
                    )
                    .post(
                        &format!("{team}/tabs/operatorRestore"),
                        operator_restore_team_tabs,
                    )
                    .post(&format!("{posts}/operatorRestore"), operator_restore_posts)
                    .post(&format!("{files}/operatorRestore"), operator_restore_files)
                    .post(
                        &format!("{channel}/startOperatorExportPosts"),
                        start_channel_export,
                    )
                    .get(
                        &format!("{channel}/operatorExport/{{requestExportId}}"),
                        channel_export_file,
                    )
                    .post(
                        &format!("{posts}/operatorStartExportTask"),
                        start_posts_export,
                    )
                    .get(
                        &format!("{posts}/operatorExport/{{requestExportId}}"),
                        posts_export_file,
                    )
            });
        if version.has_channel_files() {
            let file = format!("{channel}/files/{{fileId}}");
            routes
                .post(&format!("{file}/restore"), restore_channel_file)
                .post(&format!("{file}/save"), save_channel_file)
                .post(&format!("{file}/send"), send_channel_file)
        } else {
            let file = format!("{files}/{{fileId}}");
            routes
                .post(&format!("{file}/restore"), restore_team_file)
                .post(&format!("{file}/save"), save_team_file)
                .post(&format!("{file}/send"), send_team_file)
        }
    })
}

// ---------------------------------------------------------------------------------------
// What an action takes

/// What an action takes from a team: items by id, which must share a channel, or a whole
/// channel, in a time range if one is given.
enum Taken<T> {
    Items(Vec<T>),
    Channel {
        id: String,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    },
}

impl<T> Taken<T> {
    /// The items a body names in `field`, or the channel it names; exactly one of them.
    fn of(
        channel_id: Option<String>,
        items: Option<Vec<T>>,
        field: &str,
    ) -> Result<Self, ApiError> {
        let channel_id = channel_id.filter(|id| !id.trim().is_empty());
        let items = items.filter(|items| !items.is_empty());
        match (channel_id, items) {
            (Some(_), Some(_)) => Err(ApiError::BadRequest(format!(
                "Specify either the items in '{field}' or a channel in 'channelId', not both."
            ))),
            (None, None) => Err(ApiError::BadRequest(format!(
                "Specify the items in '{field}' or a channel in 'channelId'."
            ))),
            (Some(id), None) => Ok(Self::Channel {
                id,
                from: None,
                to: None,
            }),
            (None, Some(items)) => Ok(Self::Items(items)),
        }
    }

    /// A whole channel's items between two times, either of which may be left out.
    fn period(
        channel_id: Option<String>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Self, ApiError> {
        let id = channel_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| {
                ApiError::BadRequest("Specify the channel in 'channelId'.".to_owned())
            })?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ApiError::BadRequest(
                "The time in 'from' must not be later than the time in 'to'.".to_owned(),
            ));
        }
        Ok(Self::Channel { id, from, to })
    }
}

/// What an action took, resolved in the team: the first [`SAVED_DOCUMENTS_LIMIT`] items
/// (the ones a save, a send or an export holds), how many it took in all, and how the
/// session's event names them.
struct Selected<T> {
    channel: Channel,
    items: Vec<T>,
    total: u64,
    name: String,
    kind: &'static str,
    size: u64,
}

impl<T> Selected<T> {
    fn what(&self) -> (&str, &str, u64) {
        (&self.name, self.kind, self.size)
    }

    /// The team and channel, as the session's events name where the items are.
    fn place(&self, team: &SessionTeam) -> String {
        format!("{}/{}", team.team.display_name, self.channel.name())
    }
}

/// What an item weighs in the backup, as the session's event adds it up.
trait Weighed {
    fn bytes(&self) -> u64;
}

impl Weighed for Post {
    fn bytes(&self) -> u64 {
        self.attachments.iter().map(|(_, size)| size).sum()
    }
}

impl Weighed for ChannelFile {
    fn bytes(&self) -> u64 {
        self.size_bytes
    }
}

/// The one channel that every item is in.
fn shared_channel<T>(items: &[T], channel: impl Fn(&T) -> Channel) -> Result<Channel, ApiError> {
    let first = items
        .first()
        .map(&channel)
        .ok_or_else(|| ApiError::BadRequest("Name at least one item to take.".to_owned()))?;
    if items.iter().any(|item| channel(item) != first) {
        return Err(ApiError::BadRequest(
            "The items must reside in the same channel.".to_owned(),
        ));
    }
    Ok(first)
}

fn select_posts(team: &SessionTeam, taken: &Taken<i64>) -> Result<Selected<Post>, ApiError> {
    match taken {
        Taken::Items(ids) => {
            let posts = ids
                .iter()
                .map(|id| post_of(team, *id, None))
                .collect::<Result<Vec<_>, ApiError>>()?;
            let channel = shared_channel(&posts, |post| post.channel)?;
            let name = match posts.as_slice() {
                [one] => one.subject.clone(),
                several => format!("{} posts", several.len()),
            };
            Ok(gathered(channel, posts.into_iter(), (name, "Posts")))
        }
        Taken::Channel { id, from, to } => {
            let channel = channel_of(team, id)?;
            let posts = team.posts(channel).filter(|post| {
                from.is_none_or(|from| post.created >= from)
                    && to.is_none_or(|to| post.created <= to)
            });
            Ok(gathered(
                channel,
                posts,
                (channel.name().to_owned(), "Channel"),
            ))
        }
    }
}

/// Files by id (a folder stands for the files in it), or every file of a channel.
fn select_files(
    team: &SessionTeam,
    taken: &Taken<Id<ChannelFile>>,
) -> Result<Selected<ChannelFile>, ApiError> {
    match taken {
        Taken::Items(ids) => {
            let found = ids
                .iter()
                .map(|id| file_of(team, id, None))
                .collect::<Result<Vec<_>, ApiError>>()?;
            let channel = shared_channel(&found, |file| file.channel)?;
            let named = match found.as_slice() {
                [one] if one.is_folder() => (one.name.clone(), "Folder"),
                [one] => (one.name.clone(), "File"),
                several => (format!("{} files", several.len()), "Files"),
            };
            let files = found.iter().flat_map(|file| match team.place_of(file) {
                Some(place) => team
                    .listed(place)
                    .filter(|inner| !inner.is_folder())
                    .collect(),
                None => vec![file.clone()],
            });
            Ok(gathered(channel, files, named))
        }
        Taken::Channel { id, .. } => {
            let channel = channel_of(team, id)?;
            let files = team
                .places(channel)
                .flat_map(|place| team.listed(place))
                .filter(|file| !file.is_folder());
            Ok(gathered(
                channel,
                files,
                (channel.name().to_owned(), "Channel"),
            ))
        }
    }
}

/// Keeps the first [`SAVED_DOCUMENTS_LIMIT`] items and counts them all.
fn gathered<T: Weighed>(
    channel: Channel,
    items: impl Iterator<Item = T>,
    (name, kind): (String, &'static str),
) -> Selected<T> {
    let mut kept = Vec::new();
    let mut total = 0;
    for item in items {
        total += 1;
        if kept.len() < SAVED_DOCUMENTS_LIMIT {
            kept.push(item);
        }
    }
    Selected {
        channel,
        size: kept.iter().map(Weighed::bytes).sum(),
        items: kept,
        total,
        name,
        kind,
    }
}

/// The object an id of a body names: a GUID, else a 400 like a path's.
fn body_id<K: Named>(reference: &ItemReference) -> Result<Id<K>, ApiError> {
    uuid::Uuid::parse_str(&reference.id)
        .map(Id::new)
        .map_err(|_| {
            ApiError::BadRequest(format!(
                "The value '{}' is not a valid {} id.",
                reference.id,
                K::NAME.to_lowercase()
            ))
        })
}

/// Resolves what an action takes in the team of a working Teams session, with the team's
/// name the session's events give as the source.
fn selected<T>(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    select: impl FnOnce(&SessionTeam) -> Result<Selected<T>, ApiError>,
) -> Result<(Selected<T>, String), ApiError> {
    cx.read(|world, _| {
        let team = session_team(world, id, team)?;
        let selected = select(&team)?;
        let place = selected.place(&team);
        Ok((selected, place))
    })
}

fn single_post(text: &str) -> impl FnOnce(&SessionTeam) -> Result<Selected<Post>, ApiError> {
    move |team| select_posts(team, &Taken::Items(vec![post_number(text)?]))
}

fn post_numbers(posts: Vec<PostReference>) -> Vec<i64> {
    posts.into_iter().map(|post| post.post_id).collect()
}

fn file_ids(files: Vec<ItemReference>) -> Result<Vec<Id<ChannelFile>>, ApiError> {
    files.iter().map(body_id).collect()
}

/// A file a path names, in the channel a v8 path names.
fn single_file(
    file: Id<ChannelFile>,
    channel: Option<String>,
) -> impl FnOnce(&SessionTeam) -> Result<Selected<ChannelFile>, ApiError> {
    move |team| {
        if let Some(channel) = channel {
            let channel = channel_of(team, &channel)?;
            file_of(team, &file, Some(channel))?;
        }
        select_files(team, &Taken::Items(vec![file]))
    }
}

// ---------------------------------------------------------------------------------------
// Save, export and send

/// Saves posts: one post a path names as its own HTML page, anything else as a `.zip`.
fn save_posts_answer(
    cx: &Ctx,
    path: (&Id<RestoreSession>, &Id<Team>),
    select: impl FnOnce(&SessionTeam) -> Result<Selected<Post>, ApiError>,
    single: bool,
) -> Result<Response, ApiError> {
    let (selected, place) = selected(cx, path, select)?;
    record(cx, path.0, RestoreAction::Save, selected.what(), &place, "")?;
    Ok(match selected.items.as_slice() {
        [one] if single => wire::teams_restore::post_file(one),
        posts => wire::teams_restore::post_archive(posts),
    })
}

async fn save_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<PostsRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::of(request.channel_id, request.posts.map(post_numbers), "posts")?;
    save_posts_answer(&cx, (&id, &team), |team| select_posts(team, &taken), false)
}

async fn save_post(cx: Ctx, PathParams((id, team, post)): PostPath) -> Result<Response, ApiError> {
    save_posts_answer(&cx, (&id, &team), single_post(&post), true)
}

/// Exports posts to one HTML page.
fn export_answer(
    cx: &Ctx,
    path: (&Id<RestoreSession>, &Id<Team>),
    select: impl FnOnce(&SessionTeam) -> Result<Selected<Post>, ApiError>,
) -> Result<Response, ApiError> {
    let (selected, place) = selected(cx, path, select)?;
    record(
        cx,
        path.0,
        RestoreAction::Export,
        selected.what(),
        &place,
        "",
    )?;
    Ok(wire::teams_restore::post_export(
        &selected.name,
        &selected.items,
    ))
}

async fn export_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<PostsRequest>,
) -> Result<Response, ApiError> {
    let posts = request.posts.filter(|posts| !posts.is_empty());
    let taken = if posts.is_some() {
        Taken::of(request.channel_id, posts.map(post_numbers), "posts")?
    } else {
        Taken::period(request.channel_id, request.from, request.to)?
    };
    export_answer(&cx, (&id, &team), |team| select_posts(team, &taken))
}

async fn export_post(
    cx: Ctx,
    PathParams((id, team, post)): PostPath,
) -> Result<Response, ApiError> {
    export_answer(&cx, (&id, &team), single_post(&post))
}

/// Mails items as attachments, each named by `attachment`: the message lands in the
/// outbox the control API lists.
fn send_answer<T>(
    cx: &Ctx,
    path: (&Id<RestoreSession>, &Id<Team>),
    request: SendRequest,
    select: impl FnOnce(&SessionTeam) -> Result<Selected<T>, ApiError>,
    attachment: impl Fn(&T) -> String,
) -> Result<Response, ApiError> {
    let message = Addressed::of(cx, request, Mailer::Teams)?;
    let (selected, place) = selected(cx, path, select)?;
    let attachments = selected.items.iter().map(attachment).collect();
    deliver(cx, path.0, message, selected.what(), &place, attachments)
}

async fn send_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(mut request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::of(
        request.channel_id.take(),
        request.posts.take().map(post_numbers),
        "posts",
    )?;
    send_answer(
        &cx,
        (&id, &team),
        request,
        |team| select_posts(team, &taken),
        wire::teams_restore::post_file_name,
    )
}

async fn send_post(
    cx: Ctx,
    PathParams((id, team, post)): PostPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    send_answer(
        &cx,
        (&id, &team),
        request,
        single_post(&post),
        wire::teams_restore::post_file_name,
    )
}

/// Saves files: one file a path names as its own file unless a zip is asked for, anything
/// else as a `.zip` archive.
fn save_files_answer(
    cx: &Ctx,
    path: (&Id<RestoreSession>, &Id<Team>),
    select: impl FnOnce(&SessionTeam) -> Result<Selected<ChannelFile>, ApiError>,
    single: bool,
) -> Result<Response, ApiError> {
    let (selected, place) = selected(cx, path, select)?;
    record(cx, path.0, RestoreAction::Save, selected.what(), &place, "")?;
    Ok(match selected.items.as_slice() {
        [one] if single && selected.kind == "File" => wire::teams_restore::channel_file(one),
        files => wire::teams_restore::channel_file_archive(&selected.name, files),
    })
}

async fn save_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<FilesSaveRequest>,
) -> Result<Response, ApiError> {
    let ids = request.files.map(file_ids).transpose()?;
    let taken = Taken::of(request.channel_id, ids, "files")?;
    save_files_answer(&cx, (&id, &team), |team| select_files(team, &taken), false)
}

async fn save_team_file(
    cx: Ctx,
    PathParams((id, team, file)): TeamFilePath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: FilesSaveRequest = optional_body(&body)?;
    let single = request.as_zip != Some(true);
    save_files_answer(&cx, (&id, &team), single_file(file, None), single)
}

async fn save_channel_file(
    cx: Ctx,
    PathParams((id, team, channel, file)): ChannelFilePath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: FilesSaveRequest = optional_body(&body)?;
    let single = request.as_zip != Some(true);
    save_files_answer(&cx, (&id, &team), single_file(file, Some(channel)), single)
}

fn channel_file_name(file: &ChannelFile) -> String {
    wire::restore::file_name(&file.name)
}

async fn send_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(mut request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let ids = request.files.take().map(file_ids).transpose()?;
    let taken = Taken::of(request.channel_id.take(), ids, "files")?;
    send_answer(
        &cx,
        (&id, &team),
        request,
        |team| select_files(team, &taken),
        channel_file_name,
    )
}

async fn send_team_file(
    cx: Ctx,
    PathParams((id, team, file)): TeamFilePath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let select = single_file(file, None);
    send_answer(&cx, (&id, &team), request, select, channel_file_name)
}

async fn send_channel_file(
    cx: Ctx,
    PathParams((id, team, channel, file)): ChannelFilePath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let select = single_file(file, Some(channel));
    send_answer(&cx, (&id, &team), request, select, channel_file_name)
}

// ---------------------------------------------------------------------------------------
// Restore

/// What a restore takes, as the session's event names it: the items, their kind and size,
/// the team (and channel) they are in, and how many they are.
struct Restored {
    name: String,
    kind: &'static str,
    size: u64,
    place: String,
    total: u64,
}

impl<T> Selected<T> {
    fn restored(self, team: &SessionTeam) -> Restored {
        let place = self.place(team);
        Restored {
            name: self.name,
            kind: self.kind,
            size: self.size,
            place,
            total: self.total,
        }
    }
}

/// Who asks for a restore: an administrator, answered with the statistics (a reference to
/// the session in v8), or a restore operator with their reason, answered with the session.
enum Asker {
    Administrator,
    Operator(Option<String>),
}

/// Restores what `plan` takes from the session's teams back to where it came from, each
/// team's part one event of the session that runs on the clock; looked up and recorded
/// under one hold of the world, so a refused restore changes nothing.
fn restore_planned(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    asker: Asker,
    plan: impl FnOnce(&World) -> Result<Vec<Restored>, ApiError>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let reason = match &asker {
        Asker::Administrator => None,
        Asker::Operator(reason) => reason.clone(),
    };
    let outcome = cx.state.world.write(|world| {
        let planned = plan(world)?;
        let mut outcome = RestoreOutcome::default();
        for restored in planned {
            let one = world.restore_team_items(
                **id,
                (&restored.name, restored.kind, restored.size),
                (&restored.place, restored.total),
                reason.clone(),
                now,
            )?;
            outcome.created += one.created;
            outcome.skipped += one.skipped;
            outcome.failed += one.failed;
        }
        Ok::<_, ApiError>(outcome)
    })?;
    Ok(match asker {
        Asker::Administrator => wire::teams_restore::restored(cx.version, id, outcome),
        Asker::Operator(_) => wire::mail_restore::session_reference(id),
    })
}

/// Restores what `select` takes from one team.
fn restore<T>(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    asker: Asker,
    select: impl FnOnce(&SessionTeam) -> Result<Selected<T>, ApiError>,
) -> Result<Response, ApiError> {
    restore_in_team(cx, (id, team), asker, |team| {
        Ok(select(team)?.restored(team))
    })
}

fn restore_in_team(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    asker: Asker,
    plan: impl FnOnce(&SessionTeam) -> Result<Restored, ApiError>,
) -> Result<Response, ApiError> {
    restore_planned(cx, id, asker, |world| {
        Ok(vec![plan(&session_team(world, id, team)?)?])
    })
}

/// The options a body must give, as the contract requires them: a 400 naming those left out.
fn require_options(given: &[(&str, bool)]) -> Result<(), ApiError> {
    let missing: Vec<&str> = given
        .iter()
        .filter(|(_, given)| !given)
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiError::BadRequest(format!(
        "Specify {}.",
        missing
            .iter()
            .map(|name| format!("'{name}'"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// How many items a channel holds: its posts, files and tabs.
fn channel_total(team: &SessionTeam, channel: Channel) -> u64 {
    let posts = team.posts(channel).count();
    let files = team
        .places(channel)
        .flat_map(|place| team.listed(place))
        .filter(|file| !file.is_folder())
        .count();
    (posts + files + team.tabs(channel).len()) as u64
}

fn whole_team(team: &SessionTeam) -> Restored {
    Restored {
        name: team.team.display_name.clone(),
        kind: "Team",
        size: 0,
        place: team.team.display_name.clone(),
        total: team
            .channels()
            .into_iter()
            .map(|channel| channel_total(team, channel))
            .sum(),
    }
}

fn whole_channel(team: &SessionTeam, channel: &str) -> Result<Restored, ApiError> {
    let channel = channel_of(team, channel)?;
    Ok(Restored {
        name: channel.name().to_owned(),
        kind: "Channel",
        size: 0,
        place: format!("{}/{}", team.team.display_name, channel.name()),
        total: channel_total(team, channel),
    })
}

fn whole_options(request: &WholeRestoreRequest, team: bool) -> Result<(), ApiError> {
    let mut given = vec![
        (
            "restoreChangedItems",
            request.restore_changed_items.is_some(),
        ),
        (
            "restoreMissingItems",
            request.restore_missing_items.is_some(),
        ),
    ];
    if team {
        given.push(("restoreMembers", request.restore_members.is_some()));
        given.push(("restoreSettings", request.restore_settings.is_some()));
    }
    require_options(&given)
}

/// The teams a bulk restore names, each restored whole.
fn restore_named_teams(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    asker: Asker,
    request: WholeRestoreRequest,
) -> Result<Response, ApiError> {
    whole_options(&request, true)?;
    let teams: Vec<Id<Team>> = request
        .teams
        .unwrap_or_default()
        .iter()
        .map(body_id)
        .collect::<Result<_, _>>()?;
    if teams.is_empty() {
        return Err(ApiError::BadRequest(
            "Name at least one team in 'teams'.".to_owned(),
        ));
    }
    restore_planned(cx, id, asker, |world| {
        teams
            .iter()
            .map(|team| Ok(whole_team(&session_team(world, id, team)?)))
            .collect()
    })
}

async fn restore_teams(
    cx: Ctx,
    PathParams(id): SessionPath,
    JsonBody(request): JsonBody<WholeRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    restore_named_teams(&cx, &id, Asker::Administrator, request)
}

async fn operator_restore_teams(
    cx: Ctx,
    PathParams(id): SessionPath,
    JsonBody(mut request): JsonBody<WholeRestoreRequest>,
) -> Result<Response, ApiError> {
    require_options(&[(
        "impersonationAccountName",
        request.credentials.impersonates(),
    )])?;
    let reason = request.reason.take();
    restore_named_teams(&cx, &id, Asker::Operator(reason), request)
}

async fn restore_team(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<WholeRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    whole_options(&request, true)?;
    restore_in_team(&cx, (&id, &team), Asker::Administrator, |team| {
        Ok(whole_team(team))
    })
}

async fn restore_channel(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    JsonBody(request): JsonBody<WholeRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    whole_options(&request, false)?;
    restore_in_team(&cx, (&id, &team), Asker::Administrator, |team| {
        whole_channel(team, &channel)
    })
}

async fn operator_restore_channel(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    JsonBody(request): JsonBody<WholeRestoreRequest>,
) -> Result<Response, ApiError> {
    whole_options(&request, false)?;
    restore_in_team(&cx, (&id, &team), Asker::Operator(request.reason), |team| {
        whole_channel(team, &channel)
    })
}

/// Tabs by id, or every tab of the channel (of every channel of the team when no channel
/// is named).
fn select_tabs(
    team: &SessionTeam,
    channel: Option<&str>,
    ids: Option<&[Id<Tab>]>,
) -> Result<Restored, ApiError> {
    let channel = channel
        .map(|channel| channel_of(team, channel))
        .transpose()?;
    let tabs: Vec<Tab> = match ids {
        Some(ids) => ids
            .iter()
            .map(|id| {
                team.tab(**id)
                    .filter(|tab| channel.is_none_or(|channel| tab.channel == channel))
                    .ok_or_else(|| ApiError::from(id.not_found()))
            })
            .collect::<Result<_, _>>()?,
        None => match channel {
            Some(channel) => team.tabs(channel),
            None => team
                .channels()
                .into_iter()
                .flat_map(|channel| team.tabs(channel))
                .collect(),
        },
    };
    let name = match tabs.as_slice() {
        [one] => one.display_name().to_owned(),
        several => format!("{} tabs", several.len()),
    };
    Ok(Restored {
        name,
        kind: "Tabs",
        size: 0,
        place: match channel {
            Some(channel) => format!("{}/{}", team.team.display_name, channel.name()),
            None => team.team.display_name.clone(),
        },
        total: tabs.len() as u64,
    })
}

/// The tabs a body names: GUIDs, else a 400 like a path's; none named is every tab.
fn tab_ids(request: &TabsRestoreRequest) -> Result<Option<Vec<Id<Tab>>>, ApiError> {
    require_options(&[
        ("restoreChangedTabs", request.restore_changed_tabs.is_some()),
        ("restoreMissingTabs", request.restore_missing_tabs.is_some()),
    ])?;
    request
        .tabs
        .as_ref()
        .filter(|tabs| !tabs.is_empty())
        .map(|tabs| tabs.iter().map(body_id).collect())
        .transpose()
}

/// Restores tabs of a team, or of one of its channels.
fn restore_tabs_of(
    cx: &Ctx,
    path: (&Id<RestoreSession>, &Id<Team>),
    channel: Option<&str>,
    request: TabsRestoreRequest,
    operator: bool,
) -> Result<Response, ApiError> {
    if !operator {
        require_credentials(&request.credentials)?;
    }
    let ids = tab_ids(&request)?;
    let asker = if operator {
        Asker::Operator(request.reason)
    } else {
        Asker::Administrator
    };
    restore_in_team(cx, path, asker, |team| {
        select_tabs(team, channel, ids.as_deref())
    })
}

async fn restore_tabs(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    JsonBody(request): JsonBody<TabsRestoreRequest>,
) -> Result<Response, ApiError> {
    restore_tabs_of(&cx, (&id, &team), Some(&channel), request, false)
}

async fn operator_restore_tabs(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
    JsonBody(request): JsonBody<TabsRestoreRequest>,
) -> Result<Response, ApiError> {
    restore_tabs_of(&cx, (&id, &team), Some(&channel), request, true)
}

async fn restore_team_tabs(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<TabsRestoreRequest>,
) -> Result<Response, ApiError> {
    restore_tabs_of(&cx, (&id, &team), None, request, false)
}

async fn operator_restore_team_tabs(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<TabsRestoreRequest>,
) -> Result<Response, ApiError> {
    restore_tabs_of(&cx, (&id, &team), None, request, true)
}

async fn restore_tab(
    cx: Ctx,
    PathParams((id, team, channel, tab)): TabPath,
    JsonBody(mut request): JsonBody<TabsRestoreRequest>,
) -> Result<Response, ApiError> {
    request.tabs = Some(vec![ItemReference {
        id: tab.to_string(),
    }]);
    restore_tabs_of(&cx, (&id, &team), Some(&channel), request, false)
}

/// A channel's posts: those an operator names, else those of a time range.
fn posts_taken(request: PostsRestoreRequest) -> Result<Taken<i64>, ApiError> {
    match request.posts.filter(|posts| !posts.is_empty()) {
        Some(posts) => {
            let channel = request.channel_id.filter(|id| !id.trim().is_empty());
            if channel.is_none() {
                return Err(ApiError::BadRequest(
                    "Specify the channel in 'channelId'.".to_owned(),
                ));
            }
            Ok(Taken::Items(post_numbers(posts)))
        }
        None => Taken::period(request.channel_id, request.from, request.to),
    }
}

async fn restore_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<PostsRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    let taken = Taken::period(request.channel_id, request.from, request.to)?;
    restore(&cx, (&id, &team), Asker::Administrator, |team| {
        select_posts(team, &taken)
    })
}

async fn operator_restore_posts(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(mut request): JsonBody<PostsRestoreRequest>,
) -> Result<Response, ApiError> {
    let asker = Asker::Operator(request.reason.take());
    let taken = posts_taken(request)?;
    restore(&cx, (&id, &team), asker, |team| select_posts(team, &taken))
}

/// The options every file restore must give, as the contract requires them.
fn require_file_options(request: &FilesRestoreRequest) -> Result<(), ApiError> {
    require_options(&[
        ("fileVersion", request.file_version.is_some()),
        (
            "restoreChangedItems",
            request.restore_changed_items.is_some(),
        ),
        (
            "restoreMissingItems",
            request.restore_missing_items.is_some(),
        ),
    ])
}

async fn restore_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<FilesRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    require_file_options(&request)?;
    let ids = request.files.map(file_ids).transpose()?;
    let taken = Taken::of(request.channel_id, ids, "files")?;
    restore(&cx, (&id, &team), Asker::Administrator, |team| {
        select_files(team, &taken)
    })
}

async fn operator_restore_files(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<FilesRestoreRequest>,
) -> Result<Response, ApiError> {
    require_file_options(&request)?;
    let ids = request.files.map(file_ids).transpose()?;
    let taken = Taken::of(request.channel_id, ids, "files")?;
    restore(&cx, (&id, &team), Asker::Operator(request.reason), |team| {
        select_files(team, &taken)
    })
}

async fn restore_team_file(
    cx: Ctx,
    PathParams((id, team, file)): TeamFilePath,
    JsonBody(request): JsonBody<FilesRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    require_file_options(&request)?;
    restore(
        &cx,
        (&id, &team),
        Asker::Administrator,
        single_file(file, None),
    )
}

async fn restore_channel_file(
    cx: Ctx,
    PathParams((id, team, channel, file)): ChannelFilePath,
    JsonBody(request): JsonBody<FilesRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    require_file_options(&request)?;
    restore(
        &cx,
        (&id, &team),
        Asker::Administrator,
        single_file(file, Some(channel)),
    )
}

// ---------------------------------------------------------------------------------------
// A restore operator's exports

/// Starts an export of posts as a running event of the session: answered with its id at
/// once, its file ready when the event ends on the clock.
fn start_export(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    taken: Taken<i64>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let export = cx.state.world.write(|world| {
        let (export, name, total, place) = {
            let team = session_team(world, id, team)?;
            let selected = select_posts(&team, &taken)?;
            let export = PostExport {
                id: uuid::Uuid::nil(),
                session_id: **id,
                team_id: team.team.id,
                channel_id: selected.channel.id(),
                posts: match &taken {
                    Taken::Items(posts) => Some(posts.clone()),
                    Taken::Channel { .. } => None,
                },
            };
            let place = selected.place(&team);
            (export, selected.name, selected.total, place)
        };
        Ok::<_, ApiError>(world.start_post_export(export, (&name, total), &place, now)?)
    })?;
    Ok(wire::teams_restore::export_task(&export))
}

async fn start_channel_export(
    cx: Ctx,
    PathParams((id, team, channel)): ChannelPath,
) -> Result<Response, ApiError> {
    let taken = Taken::period(Some(channel), None, None)?;
    start_export(&cx, (&id, &team), taken)
}

async fn start_posts_export(
    cx: Ctx,
    PathParams((id, team)): TeamPath,
    JsonBody(request): JsonBody<ExportTaskRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::of(None, request.posts.map(post_numbers), "posts")?;
    start_export(&cx, (&id, &team), taken)
}

/// The file of a finished export: of a channel's posts when a channel path asks, of the
/// posts named when the posts' path asks; still running, a 400.
fn export_file(
    cx: &Ctx,
    (id, team): (&Id<RestoreSession>, &Id<Team>),
    channel: Option<&str>,
    export: &Id<PostExport>,
) -> Result<Response, ApiError> {
    cx.read(|world, _| {
        let team = session_team(world, id, team)?;
        let (task, running) = world
            .post_export(**id, team.team.id, **export)
            .filter(|(task, _)| match channel {
                Some(channel) => task.posts.is_none() && task.channel_id == channel,
                None => task.posts.is_some(),
            })
            .ok_or_else(|| export.not_found())?;
        if running {
            return Err(ApiError::BadRequest(format!(
                "Export task '{export}' is still running: ask again when its event of the restore session has ended."
            )));
        }
        let taken = match &task.posts {
            Some(posts) => Taken::Items(posts.clone()),
            None => Taken::period(Some(task.channel_id.clone()), None, None)?,
        };
        let selected = select_posts(&team, &taken)?;
        Ok(wire::teams_restore::post_export(
            &selected.name,
            &selected.items,
        ))
    })
}

async fn channel_export_file(
    cx: Ctx,
    PathParams((id, team, channel, export)): ChannelExportPath,
) -> Result<Response, ApiError> {
    export_file(&cx, (&id, &team), Some(&channel), &export)
}

async fn posts_export_file(
    cx: Ctx,
    PathParams((id, team, export)): PostsExportPath,
) -> Result<Response, ApiError> {
    export_file(&cx, (&id, &team), None, &export)
}

type ChannelExportPath = PathParams<(Id<RestoreSession>, Id<Team>, String, Id<PostExport>)>;
type PostsExportPath = PathParams<(Id<RestoreSession>, Id<Team>, Id<PostExport>)>;

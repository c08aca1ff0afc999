//! The teams, channels, posts, files and tabs a Teams restore session shows, and the search
//! bodies that ask for them (v6 on).

use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::links::{Href, Link};
use super::page::{PageBody, PageInfo};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{Channel, ChannelFile, ChannelItem, Post, Tab, Team};

/// `RESTTeamsSearchOptions`: which kind of item to look for, and the query.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamsSearchRequest {
    #[serde(rename = "type")]
    pub kind: TeamsItemKind,
    #[serde(default)]
    pub query: Option<String>,
}

/// The kinds of a channel's items, as `RESTTeamsSearchOptions` and `RESTTeamsNode` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum TeamsItemKind {
    Tabs,
    Files,
    Posts,
}

/// A link to `/vN/RestoreSessions/{id}/organization/teams/{teamId}...`, built for the answer.
fn team_link<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    team_id: &Uuid,
    rest: &str,
) -> Link<Href<'a, String>> {
    Link(Href {
        host: cx.link_host(),
        path: format!(
            "{}/RestoreSessions/{session_id}/organization/teams/{team_id}{rest}",
            cx.version.prefix()
        ),
    })
}

/// A page of bodies, one made of each item.
fn page_of<'a, T, B: Serialize>(
    cx: &Context<'a>,
    page: PageInfo<'a>,
    items: impl IntoIterator<Item = T>,
    body: impl Fn(T) -> B,
) -> Response {
    ok(&PageBody::new(
        cx,
        page,
        items.into_iter().map(body).collect(),
    ))
}

// ---------------------------------------------------------------------------------------
// Teams

/// `RESTTeamsTeam`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamBody<'a> {
    id: &'a Uuid,
    display_name: &'a str,
    description: &'a str,
    group_email: &'a str,
    alias: &'a str,
    privacy: &'static str,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    settings: Option<TeamSettings>,
    is_archived: bool,
    #[serde(rename = "_links")]
    links: TeamLinks<'a>,
}

#[derive(Serialize)]
struct TeamLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    channels: Link<Href<'a, String>>,
    posts: Link<Href<'a, String>>,
    files: Link<Href<'a, String>>,
}

/// `RESTTeamsTeamSettings`: what Teams sets for a new team, which the emulator's teams keep.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamSettings {
    preferred_data_location: &'static str,
    allow_external_senders: bool,
    auto_subscribe_new_members: bool,
    fun_settings: FunSettings,
    guest_settings: GuestSettings,
    member_settings: MemberSettings,
    messaging_settings: MessagingSettings,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FunSettings {
    allow_custom_memes: bool,
    allow_giphy: bool,
    allow_stickers_and_memes: bool,
    giphy_content_rating: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GuestSettings {
    allow_create_update_channels: bool,
    allow_delete_channels: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MemberSettings {
    allow_create_private_channel: bool,
    allow_create_update_channel: bool,
    allow_delete_channel: bool,
    allow_add_remove_app: bool,
    allow_create_update_remove_tab: bool,
    allow_create_update_remove_connector: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MessagingSettings {
    allow_user_edit_message: bool,
    allow_user_delete_message: bool,
    allow_owner_delete_message: bool,
    allow_team_mention: bool,
    allow_channel_mention: bool,
}

fn default_settings() -> TeamSettings {
    TeamSettings {
        preferred_data_location: "NAM",
        allow_external_senders: false,
        auto_subscribe_new_members: false,
        fun_settings: FunSettings {
            allow_custom_memes: true,
            allow_giphy: true,
            allow_stickers_and_memes: true,
            giphy_content_rating: "Moderate",
        },
        guest_settings: GuestSettings {
            allow_create_update_channels: false,
            allow_delete_channels: false,
        },
        member_settings: MemberSettings {
            allow_create_private_channel: true,
            allow_create_update_channel: true,
            allow_delete_channel: true,
            allow_add_remove_app: true,
            allow_create_update_remove_tab: true,
            allow_create_update_remove_connector: true,
        },
        messaging_settings: MessagingSettings {
            allow_user_edit_message: true,
            allow_user_delete_message: true,
            allow_owner_delete_message: true,
            allow_team_mention: true,
            allow_channel_mention: true,
        },
    }
}

impl<'a> TeamBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, team: &'a Team) -> Self {
        let link = |rest: &str| team_link(cx, session_id, &team.id, rest);
        Self {
            id: &team.id,
            display_name: &team.display_name,
            description: &team.description,
            group_email: &team.mail,
            alias: team.mail.split('@').next().unwrap_or_default(),
            // A team's privacy follows from its id, as group membership does.
            privacy: if team.id.as_u128().is_multiple_of(3) {
                "Private"
            } else {
                "Public"
            },
            settings: (cx.version >= Version::V7).then(default_settings),
            is_archived: false,
            links: TeamLinks {
                this: link(""),
                channels: link("/channels"),
                posts: link("/posts"),
                files: link("/files"),
            },
        }
    }
}

pub fn teams<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    teams: impl Iterator<Item = &'a Team>,
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, teams, |team| TeamBody::new(cx, session_id, team))
}

pub fn team(cx: &Context<'_>, session_id: &Uuid, team: &Team) -> Response {
    ok(&TeamBody::new(cx, session_id, team))
}

// ---------------------------------------------------------------------------------------
// Channels

/// `RESTTeamsChannel`, and in listings `RESTTeamsChannelPreview` (v7 on), which v8 gives
/// the channel's type.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChannelBody<'a> {
    id: String,
    display_name: &'static str,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Uuid>,
    /// v8 listings.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(rename = "_links")]
    links: ChannelLinks<'a>,
}

#[derive(Serialize)]
struct ChannelLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    team: Link<Href<'a, String>>,
    posts: Link<Href<'a, String>>,
    files: Link<Href<'a, String>>,
    tabs: Link<Href<'a, String>>,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Link<Href<'a, String>>>,
}

impl<'a> ChannelBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, channel: Channel, listed: bool) -> Self {
        let id = channel.id();
        let link = |rest: &str| team_link(cx, session_id, &channel.team_id, rest);
        let v8 = cx.version >= Version::V8;
        Self {
            display_name: channel.name(),
            team_id: v8.then_some(channel.team_id),
            kind: (v8 && listed).then_some("Standard"),
            links: ChannelLinks {
                this: link(&format!("/channels/{id}")),
                team: link(""),
                posts: link(&format!("/posts?channelId={id}")),
                files: link(&format!("/files?channelId={id}")),
                tabs: link(&format!("/channels/{id}/tabs")),
                children: cx
                    .version
                    .has_teams_children_and_versions()
                    .then(|| link(&format!("/channels/{id}/children"))),
            },
            id,
        }
    }
}

pub fn channels<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    channels: &[Channel],
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, channels, |channel| {
        ChannelBody::new(cx, session_id, *channel, true)
    })
}

pub fn channel(cx: &Context<'_>, session_id: &Uuid, channel: Channel) -> Response {
    ok(&ChannelBody::new(cx, session_id, channel, false))
}

/// `RESTTeamsNode` (v7 on): a channel's posts, files or tabs as one entry of its children.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NodeBody<'a> {
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Uuid>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<String>,
    display_name: &'static str,
    #[serde(rename = "type")]
    kind: TeamsItemKind,
    #[serde(rename = "_links")]
    links: NodeLinks<'a>,
}

#[derive(Serialize)]
struct NodeLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    channel: Link<Href<'a, String>>,
}

/// What every channel holds, in the order its children list them.
pub const CHANNEL_CHILDREN: [TeamsItemKind; 3] = [
    TeamsItemKind::Posts,
    TeamsItemKind::Files,
    TeamsItemKind::Tabs,
];

pub fn children<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    channel: Channel,
    kinds: &[TeamsItemKind],
    page: PageInfo<'a>,
) -> Response {
    let id = channel.id();
    let v8 = cx.version >= Version::V8;
    let bodies: Vec<NodeBody<'_>> = kinds
        .iter()
        .map(|kind| {
            let link = |rest: &str| team_link(cx, session_id, &channel.team_id, rest);
            let (display_name, listing) = match kind {
                TeamsItemKind::Posts => ("Posts", format!("/posts?channelId={id}")),
                TeamsItemKind::Files => ("Files", format!("/files?channelId={id}")),
                TeamsItemKind::Tabs => ("Tabs", format!("/channels/{id}/tabs")),
            };
            NodeBody {
                team_id: v8.then_some(channel.team_id),
                channel_id: v8.then(|| id.clone()),
                display_name,
                kind: *kind,
                links: NodeLinks {
                    this: link(&listing),
                    channel: link(&format!("/channels/{id}")),
                },
            }
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

// ---------------------------------------------------------------------------------------
// Posts

/// `RESTTeamsPost`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PostBody<'a> {
    post_id: i64,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    change_key: Option<String>,
    is_important: bool,
    author: &'a str,
    subject: &'a str,
    created_time: OwnedTime,
    last_modified_time: OwnedTime,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_deleted: Option<bool>,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<String>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Uuid>,
    /// v7 on; null for a thread's first post.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<Option<i64>>,
    /// v7 on; null for a thread's first post.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_change_key: Option<Option<String>>,
    attachments: Vec<AttachmentBody>,
    #[serde(rename = "_links")]
    links: PostLinks<'a>,
}

/// `RESTAttachInfo`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentBody {
    name: String,
    long_file_name: String,
    url: String,
}

#[derive(Serialize)]
struct PostLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    channel: Link<Href<'a, String>>,
    /// A thread's first post: its replies.
    #[serde(skip_serializing_if = "Option::is_none")]
    replies: Option<Link<Href<'a, String>>>,
    /// A reply: the post it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Link<Href<'a, String>>>,
}

/// A post's change key: it changes when the post is edited.
fn change_key(id: i64, post: &Post) -> String {
    format!("{id}-{}", post.last_modified.timestamp())
}

impl<'a> PostBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, post: &'a Post) -> Self {
        let id = post.id();
        let channel = post.channel.id();
        let link = |rest: &str| team_link(cx, session_id, &post.channel.team_id, rest);
        let v7 = cx.version >= Version::V7;
        let parent_key = post.parent_id().map(|parent| {
            let mut first = post.clone();
            first.reply = 0;
            change_key(parent, &first)
        });
        Self {
            post_id: id,
            change_key: v7.then(|| change_key(id, post)),
            is_important: post.is_important,
            author: &post.author,
            subject: &post.subject,
            created_time: OwnedTime(post.created),
            last_modified_time: OwnedTime(post.last_modified),
            is_deleted: v7.then_some(false),
            channel_id: v7.then(|| channel.clone()),
            team_id: (cx.version >= Version::V8).then_some(post.channel.team_id),
            parent_id: v7.then(|| post.parent_id()),
            parent_change_key: v7.then_some(parent_key),
            attachments: post
                .attachments
                .iter()
                .map(|(name, _)| AttachmentBody {
                    name: name.clone(),
                    long_file_name: name.clone(),
                    url: format!("https://teams.microsoft.com/l/file/{id}/{name}"),
                })
                .collect(),
            links: PostLinks {
                this: link(&format!("/posts/{id}")),
                channel: link(&format!("/channels/{channel}")),
                replies: (post.reply == 0).then(|| link(&format!("/posts?parentId={id}"))),
                parent: post
                    .parent_id()
                    .map(|parent| link(&format!("/posts/{parent}"))),
            },
        }
    }
}

pub fn posts<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    posts: &'a [Post],
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, posts, |post| PostBody::new(cx, session_id, post))
}

pub fn post(cx: &Context<'_>, session_id: &Uuid, post: &Post) -> Response {
    ok(&PostBody::new(cx, session_id, post))
}

// ---------------------------------------------------------------------------------------
// Files

/// `RESTTeamsFile`: a file or a folder, as its newest version or one of its versions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileBody<'a> {
    id: Uuid,
    name: &'a str,
    size_bytes: u64,
    version: u64,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    ui_version: Option<String>,
    modified: OwnedTime,
    modified_by: &'a str,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<String>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Uuid>,
    file_type: &'static str,
    #[serde(rename = "_links")]
    links: FileLinks<'a>,
}

#[derive(Serialize)]
struct FileLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    channel: Link<Href<'a, String>>,
    /// A file or folder in a folder under the channel's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Link<Href<'a, String>>>,
    /// A folder: what it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Link<Href<'a, String>>>,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    versions: Option<Link<Href<'a, String>>>,
}

/// Where a version addresses a file: under its channel in v8, under its team before.
fn file_path(version: Version, file_id: &Uuid, channel: &str) -> String {
    if version.has_channel_files() {
        format!("/channels/{channel}/files/{file_id}")
    } else {
        format!("/files/{file_id}")
    }
}

impl<'a> FileBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, file: &'a ChannelFile) -> Self {
        let id = file.id();
        let channel = file.channel.id();
        let link = |rest: &str| team_link(cx, session_id, &file.channel.team_id, rest);
        let v7 = cx.version >= Version::V7;
        let at = file_path(cx.version, &id, &channel);
        Self {
            id,
            name: &file.name,
            size_bytes: file.size_bytes,
            version: file.version,
            ui_version: v7.then(|| format!("{}.0", file.version)),
            modified: OwnedTime(file.modified),
            modified_by: &file.modified_by,
            channel_id: v7.then(|| channel.clone()),
            team_id: (cx.version >= Version::V8).then_some(file.channel.team_id),
            file_type: if file.is_folder() { "Folder" } else { "File" },
            links: FileLinks {
                channel: link(&format!("/channels/{channel}")),
                parent: file
                    .parent()
                    .map(|parent| link(&file_path(cx.version, &parent, &channel))),
                children: file
                    .is_folder()
                    .then(|| link(&format!("/files?channelId={channel}&parentId={id}"))),
                versions: cx
                    .version
                    .has_teams_children_and_versions()
                    .then(|| link(&format!("{at}/versions"))),
                this: link(&at),
            },
        }
    }
}

pub fn files<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    files: &'a [ChannelFile],
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, files, |file| FileBody::new(cx, session_id, file))
}

pub fn file(cx: &Context<'_>, session_id: &Uuid, file: &ChannelFile) -> Response {
    ok(&FileBody::new(cx, session_id, file))
}

// ---------------------------------------------------------------------------------------
// Tabs

/// `RestTeamsTab`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TabBody<'a> {
    id: Uuid,
    display_name: &'static str,
    content_url: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<String>,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<Uuid>,
    #[serde(rename = "_links")]
    links: TabLinks<'a>,
}

#[derive(Serialize)]
struct TabLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    channel: Link<Href<'a, String>>,
}

impl<'a> TabBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, tab: &'a Tab) -> Self {
        let id = tab.id();
        let channel = tab.channel.id();
        let link = |rest: &str| team_link(cx, session_id, &tab.channel.team_id, rest);
        Self {
            id,
            display_name: tab.display_name(),
            content_url: &tab.content_url,
            kind: tab.kind(),
            channel_id: (cx.version >= Version::V7).then(|| channel.clone()),
            team_id: (cx.version >= Version::V8).then_some(tab.channel.team_id),
            links: TabLinks {
                this: link(&format!("/channels/{channel}/tabs/{id}")),
                channel: link(&format!("/channels/{channel}")),
            },
        }
    }
}

pub fn tabs<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    tabs: &'a [Tab],
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, tabs, |tab| TabBody::new(cx, session_id, tab))
}

pub fn tab(cx: &Context<'_>, session_id: &Uuid, tab: &Tab) -> Response {
    ok(&TabBody::new(cx, session_id, tab))
}

// ---------------------------------------------------------------------------------------
// Channel entities: what a Teams search finds

/// `RESTChannelEntity`'s properties in each version, in the contract's order: a file's,
/// then a post's, then a tab's.
fn entity_properties(version: Version) -> &'static [&'static str] {
    match version {
        Version::V8 => &[
            "id",
            "name",
            "sizeBytes",
            "version",
            "uiVersion",
            "modified",
            "modifiedBy",
            "channelId",
            "teamId",
            "fileType",
            "_links",
            "postId",
            "changeKey",
            "isImportant",
            "author",
            "subject",
            "createdTime",
            "lastModifiedTime",
            "isDeleted",
            "parentId",
            "parentChangeKey",
            "attachments",
            "displayName",
            "contentUrl",
            "type",
        ],
        Version::V7 => &[
            "id",
            "name",
            "sizeBytes",
            "version",
            "uiVersion",
            "modified",
            "modifiedBy",
            "channelId",
            "fileType",
            "_links",
            "postId",
            "changeKey",
            "isImportant",
            "author",
            "subject",
            "createdTime",
            "lastModifiedTime",
            "isDeleted",
            "parentId",
            "parentChangeKey",
            "attachments",
            "displayName",
            "contentUrl",
            "type",
        ],
        _ => &[
            "id",
            "name",
            "sizeBytes",
            "version",
            "modified",
            "modifiedBy",
            "fileType",
            "_links",
            "postId",
            "isImportant",
            "author",
            "subject",
            "createdTime",
            "lastModifiedTime",
            "attachments",
            "displayName",
            "contentUrl",
            "type",
        ],
    }
}

/// `RESTChannelEntity`: the union of a file's, a post's and a tab's properties, each sent,
/// null where the item's kind has none, as the service writes the one class it keeps them in.
struct EntityBody<'a> {
    properties: &'static [&'static str],
    body: ItemBody<'a>,
    /// The body's properties by name; its links are written from `body`, since the objects
    /// of a `serde_json::Value` keep their keys sorted and links keep their own order.
    fields: serde_json::Value,
}

impl Serialize for EntityBody<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.properties.len()))?;
        for &property in self.properties {
            if property == "_links" {
                map.serialize_entry(property, &self.body.links())?;
            } else {
                let value = self
                    .fields
                    .get(property)
                    .unwrap_or(&serde_json::Value::Null);
                map.serialize_entry(property, value)?;
            }
        }
        map.end()
    }
}

/// The links of an item of any kind, in the order its own body writes them.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemLinks<'b, 'a> {
    File(&'b FileLinks<'a>),
    Post(&'b PostLinks<'a>),
    Tab(&'b TabLinks<'a>),
}

/// An item as the body of its own kind.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemBody<'a> {
    File(FileBody<'a>),
    Post(PostBody<'a>),
    Tab(TabBody<'a>),
}

impl<'a> ItemBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, item: &'a ChannelItem) -> Self {
        match item {
            ChannelItem::File(file) => Self::File(FileBody::new(cx, session_id, file)),
            ChannelItem::Post(post) => Self::Post(PostBody::new(cx, session_id, post)),
            ChannelItem::Tab(tab) => Self::Tab(TabBody::new(cx, session_id, tab)),
        }
    }

    fn links(&self) -> ItemLinks<'_, 'a> {
        match self {
            Self::File(file) => ItemLinks::File(&file.links),
            Self::Post(post) => ItemLinks::Post(&post.links),
            Self::Tab(tab) => ItemLinks::Tab(&tab.links),
        }
    }
}

/// A page of one kind's items (`PageOfRESTTeamsPost`, `...File`, `...Tab`).
pub fn items_of_kind<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    items: &'a [ChannelItem],
    page: PageInfo<'a>,
) -> Response {
    page_of(cx, page, items, |item| ItemBody::new(cx, session_id, item))
}

/// A page of channel entities (`PageOfRESTChannelEntity`).
pub fn entities<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    items: &'a [ChannelItem],
    page: PageInfo<'a>,
) -> Response {
    let properties = entity_properties(cx.version);
    page_of(cx, page, items, |item| {
        let body = ItemBody::new(cx, session_id, item);
        EntityBody {
            properties,
            fields: serde_json::to_value(&body).unwrap_or_default(),
            body,
        }
    })
}

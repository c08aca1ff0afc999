//! Restoring, saving, sending and exporting Teams posts and files: the request bodies, the
//! statistics v6 and v7 answer with, and the files a save or an export answers with.

use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::mail_restore::RestoreCredentials;
use super::restore::{ItemReference, archive, archive_of_named, file, file_name};
use super::time::request_time;
use super::{Version, ok};
use crate::model::{ChannelFile, Post, RestoreOutcome, Timestamp};

/// A post named by its number, as `RESTTeamsPost` gives it.
#[derive(Debug, Deserialize)]
pub struct PostReference {
    #[serde(rename = "postid")]
    pub post_id: i64,
}

/// `RESTSavePostsOptions` and `RESTExportOptions`: posts by number, or a whole channel;
/// an export may narrow the channel to a time range.
#[derive(Debug, Default, Deserialize)]
pub struct PostsRequest {
    #[serde(default, rename = "channelid")]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub posts: Option<Vec<PostReference>>,
    #[serde(default, deserialize_with = "request_time")]
    pub from: Option<Timestamp>,
    #[serde(default, deserialize_with = "request_time")]
    pub to: Option<Timestamp>,
}

/// `RESTRestorePostsOptions` and `RESTOperatorRestorePostsOptions`: a channel's posts, in a
/// time range if one is given (an operator's may name them), back to the channel.
#[derive(Debug, Default, Deserialize)]
pub struct PostsRestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default, rename = "channelid")]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub posts: Option<Vec<PostReference>>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "request_time")]
    pub from: Option<Timestamp>,
    #[serde(default, deserialize_with = "request_time")]
    pub to: Option<Timestamp>,
}

/// Which versions of the files a restore writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FileVersion {
    #[serde(alias = "all", alias = "ALL")]
    All,
    #[serde(alias = "last", alias = "LAST")]
    Last,
}

/// `RESTRestoreFilesOptions`, `RESTRestoreFileOptions` and `RESTOperatorRestoreFilesOptions`:
/// files by id or a whole channel (the single file's path names it), and what to do with
/// those changed or missing since.
#[derive(Debug, Default, Deserialize)]
pub struct FilesRestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default, rename = "channelid")]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub files: Option<Vec<ItemReference>>,
    #[serde(default, rename = "restorechangeditems")]
    pub restore_changed_items: Option<bool>,
    #[serde(default, rename = "restoremissingitems")]
    pub restore_missing_items: Option<bool>,
    #[serde(default, rename = "fileversion")]
    pub file_version: Option<FileVersion>,
}

/// `RESTRestoreTeamOptions`, `RESTRestoreChannelOptions` and their operator forms: what to
/// do with items changed or missing since, and a bulk restore's teams.
#[derive(Debug, Default, Deserialize)]
pub struct WholeRestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub teams: Option<Vec<ItemReference>>,
    #[serde(default, rename = "restorechangeditems")]
    pub restore_changed_items: Option<bool>,
    #[serde(default, rename = "restoremissingitems")]
    pub restore_missing_items: Option<bool>,
    #[serde(default, rename = "restoremembers")]
    pub restore_members: Option<bool>,
    #[serde(default, rename = "restoresettings")]
    pub restore_settings: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `RESTRestoreTabsOptions`, `RESTRestoreTabOptions` and `RESTOperatorRestoreTabsOptions`:
/// tabs by id, every tab of the channel or team when none is named.
#[derive(Debug, Default, Deserialize)]
pub struct TabsRestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub tabs: Option<Vec<ItemReference>>,
    #[serde(default, rename = "restorechangedtabs")]
    pub restore_changed_tabs: Option<bool>,
    #[serde(default, rename = "restoremissingtabs")]
    pub restore_missing_tabs: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `RESTFilesSaveOptions` and `RESTFileSaveOptions`.
#[derive(Debug, Default, Deserialize)]
pub struct FilesSaveRequest {
    #[serde(default, rename = "channelid")]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub files: Option<Vec<ItemReference>>,
    #[serde(default, rename = "aszip")]
    pub as_zip: Option<bool>,
}

/// What a Teams restore answers: `RESTRestoreStatistics` up to v7, a reference to the
/// restore session whose events follow it in v8.
pub fn restored(version: Version, session_id: &Uuid, outcome: RestoreOutcome) -> Response {
    if version >= Version::V8 {
        return super::mail_restore::session_reference(session_id);
    }
    ok(&RestoreStatistics {
        total_items_count: outcome.created + outcome.skipped + outcome.failed,
        restored_items_count: outcome.created,
        failed_items_count: outcome.failed,
        skipped_items_count: outcome.skipped,
        restore_issues: [],
    })
}

/// `RESTRestoreStatistics`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreStatistics {
    total_items_count: u64,
    restored_items_count: u64,
    failed_items_count: u64,
    skipped_items_count: u64,
    restore_issues: [(); 0],
}

/// `RESTOperatorStartExportTaskOptions`: the posts an operator exports.
#[derive(Debug, Default, Deserialize)]
pub struct ExportTaskRequest {
    #[serde(default)]
    pub posts: Option<Vec<PostReference>>,
}

/// `RESTOperatorStartExportTaskResponse`.
pub fn export_task(id: &Uuid) -> Response {
    ok(&ExportTask { export_task_id: id })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportTask<'a> {
    export_task_id: &'a Uuid,
}

/// A post as the name of the file it is saved or mailed as.
pub fn post_file_name(post: &Post) -> String {
    format!("{}.html", file_name(&post.subject))
}

/// One saved post as an HTML page, named for its subject: the vendor saves posts as HTML
/// (see the README).
pub fn post_file(post: &Post) -> Response {
    file(
        &post_file_name(post),
        "application/octet-stream",
        html_page(&post.subject, std::slice::from_ref(post)).into_bytes(),
    )
}

/// Several saved posts in one `.zip` archive, an HTML page each.
pub fn post_archive(posts: &[Post]) -> Response {
    archive(
        "Posts.zip",
        posts.iter().map(|post| {
            (
                file_name(&post.subject),
                "html".to_owned(),
                post.id().to_string(),
                html_page(&post.subject, std::slice::from_ref(post)).into_bytes(),
            )
        }),
    )
}

/// An export of posts: one HTML page that holds every exported post, oldest first, named
/// for the channel (see the README).
pub fn post_export(name: &str, posts: &[Post]) -> Response {
    file(
        &format!("{}.html", file_name(name)),
        "application/octet-stream",
        html_page(name, posts).into_bytes(),
    )
}

/// Posts as an HTML page: each its subject, author, time, body and attachments' names.
fn html_page(title: &str, posts: &[Post]) -> String {
    let mut page = format!(
        "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\r\n",
        escaped(title)
    );
    for post in posts {
        page.push_str(&format!(
            "<article id=\"{id}\"><h2>{subject}</h2><p>{author}, {created}</p><p>{body}</p>",
            id = post.id(),
            subject = escaped(&post.subject),
            author = escaped(&post.author),
            created = post.created.to_rfc3339(),
            body = escaped(post.body),
        ));
        for (name, size) in &post.attachments {
            page.push_str(&format!(
                "<p>Attachment: {} ({size} bytes)</p>",
                escaped(name)
            ));
        }
        page.push_str("</article>\r\n");
    }
    page.push_str("</body></html>\r\n");
    page
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One saved file as its own file, named as it is in the channel.
pub fn channel_file(saved: &ChannelFile) -> Response {
    file(
        &file_name(&saved.name),
        "application/octet-stream",
        channel_file_bytes(saved),
    )
}

/// Saved files as one `.zip` archive named `<name>.zip`.
pub fn channel_file_archive(name: &str, saved: &[ChannelFile]) -> Response {
    archive_of_named(
        &format!("{}.zip", file_name(name)),
        saved.iter().map(|saved| {
            (
                saved.name.clone(),
                saved.id().to_string(),
                channel_file_bytes(saved),
            )
        }),
    )
}

/// The bytes a saved file holds: the backup's real bytes are the tenant's, so the
/// emulator's file is a text that names the file and the version saved (see the README).
fn channel_file_bytes(saved: &ChannelFile) -> Vec<u8> {
    format!(
        "vb365-mock stand-in for {name}\r\nchannel: {channel}\r\nversion: {version}.0\r\nmodified: {modified} by {editor}\r\nsize in the backup: {size} bytes\r\nid: {id}\r\n",
        name = saved.name,
        channel = saved.channel.name(),
        version = saved.version,
        modified = saved.modified.to_rfc3339(),
        editor = saved.modified_by,
        size = saved.size_bytes,
        id = saved.id(),
    )
    .into_bytes()
}

//! Restore points, restore session statistics, and the mailboxes, folders and items an
//! Exchange restore session shows: pages in every version, links relative from v6.

use axum::response::{IntoResponse, Response};
use serde::Serialize;
use uuid::Uuid;

use super::links::{Href, IdLink, Link, link};
use super::page::{PageBody, PageInfo, Paging};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{
    ChangePage, DirectoryUser, FolderKind, MailFolder, MailItem, RestorePointView, RestoreSession,
    UserKind,
};

/// `GET /RestorePoints`: an array in v6, a page from v7; oldest first unless the query
/// asks otherwise.
pub fn restore_points<'a>(
    cx: &Context<'a>,
    points: &[RestorePointView<'a>],
    page: PageInfo<'a>,
    paging: Paging,
) -> Response {
    let render = |points: &[RestorePointView<'a>]| -> Vec<RestorePointBody<'a>> {
        points
            .iter()
            .map(|point| RestorePointBody::new(cx, *point))
            .collect()
    };
    if cx.version <= Version::V6 {
        return ok(&render(points));
    }
    ok(&PageBody::new(cx, page, render(paging.slice(points))))
}

/// `GET /Organization/LoggedInUser/RestorePoints`: a plain array.
pub fn restore_point_array(cx: &Context<'_>, points: &[RestorePointView<'_>]) -> Response {
    let bodies: Vec<RestorePointBody<'_>> = points
        .iter()
        .map(|point| RestorePointBody::new(cx, *point))
        .collect();
    ok(&bodies)
}

/// `GET /RestorePoints/Changes` (v7): the restore points taken after a token.
pub fn restore_point_changes<'a>(
    cx: &Context<'a>,
    limit: usize,
    page: ChangePage<RestorePointView<'a>>,
) -> Response {
    let page = page.map(|point| RestorePointBody::new(cx, point));
    super::restore_point_contents::changes(cx, "/RestorePoints/Changes", limit, page)
}

pub fn restore_point(cx: &Context<'_>, point: RestorePointView<'_>) -> Response {
    ok(&RestorePointBody::new(cx, point))
}

/// `RESTRestorePoint`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestorePointBody<'a> {
    id: Uuid,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_deleted: Option<bool>,
    repository_id: &'a Uuid,
    backup_time: OwnedTime,
    job_id: &'a Uuid,
    retrieval_id: Uuid,
    organization_id: &'a Uuid,
    is_exchange: bool,
    is_share_point: bool,
    is_one_drive: bool,
    is_teams: bool,
    is_long_term_copy: bool,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_copy: Option<bool>,
    is_retrieved: bool,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    e_tag: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    objects_etag: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    immutability_expires_on: Option<Option<OwnedTime>>,
    #[serde(rename = "_links")]
    links: RestorePointLinks<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestorePointLinks<'a> {
    job: IdLink<'a>,
    organization: IdLink<'a>,
    backup_repository: IdLink<'a>,
}

impl<'a> RestorePointBody<'a> {
    fn new(cx: &Context<'a>, point: RestorePointView<'a>) -> Self {
        let job = point.job;
        let v7 = cx.version >= Version::V7;
        let v8 = cx.version >= Version::V8;
        Self {
            id: point.id,
            is_deleted: v7.then_some(false),
            repository_id: &job.repository_id,
            backup_time: OwnedTime(point.backup_time),
            job_id: &job.id,
            retrieval_id: Uuid::nil(),
            organization_id: &job.organization_id,
            is_exchange: true,
            is_share_point: false,
            is_one_drive: false,
            is_teams: false,
            is_long_term_copy: false,
            is_copy: v7.then_some(false),
            is_retrieved: false,
            e_tag: v8.then_some(0),
            objects_etag: v8.then_some(0),
            immutability_expires_on: v8.then_some(None),
            links: RestorePointLinks {
                job: link(cx, "/Jobs/", &job.id, ""),
                organization: link(cx, "/Organizations/", &job.organization_id, ""),
                backup_repository: link(cx, "/BackupRepositories/", &job.repository_id, ""),
            },
        }
    }
}

/// `GET /RestoreSessions/{id}/Statistics` (v8): what the session restored, counted.
pub fn statistics(session: &RestoreSession) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        total_items_count: usize,
        restored_items_count: usize,
        failed_items_count: usize,
        skipped_items_count: usize,
        warnings: Vec<String>,
        errors: Vec<String>,
        items: Vec<()>,
    }
    use crate::model::RestoreResult;
    let count = |result| {
        session
            .events
            .iter()
            .filter(|event| event.result == result)
            .count()
    };
    ok(&Body {
        total_items_count: session.events.len(),
        restored_items_count: count(RestoreResult::Success) + count(RestoreResult::Warning),
        failed_items_count: count(RestoreResult::Failed),
        skipped_items_count: 0,
        warnings: Vec::new(),
        errors: Vec::new(),
        items: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------
// Exchange: mailboxes, folders, items

/// A link to `/vN/RestoreSessions/{id}/organization/mailboxes/...`, built for the answer.
fn mailbox_link<'a>(cx: &Context<'a>, session_id: &Uuid, rest: String) -> Link<Href<'a, String>> {
    Link(Href {
        host: cx.link_host(),
        path: format!(
            "{}/RestoreSessions/{session_id}/organization/mailboxes{rest}",
            cx.version.prefix()
        ),
    })
}

#[derive(Serialize)]
struct EmptyObject {}

pub fn mailboxes<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    mailboxes: impl Iterator<Item = &'a DirectoryUser>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<MailboxBody<'_>> = mailboxes
        .map(|user| MailboxBody::new(cx, session_id, user))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn mailbox(cx: &Context<'_>, session_id: &Uuid, user: &DirectoryUser) -> Response {
    ok(&MailboxBody::new(cx, session_id, user))
}

/// `RESTExchangeMailbox`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MailboxBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    email: &'a str,
    is_archive: bool,
    is_public: bool,
    #[serde(rename = "_links")]
    links: MailboxLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
}

#[derive(Serialize)]
struct MailboxLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    folders: Link<Href<'a, String>>,
    items: Link<Href<'a, String>>,
}

impl<'a> MailboxBody<'a> {
    pub(super) fn new(cx: &Context<'a>, session_id: &Uuid, user: &'a DirectoryUser) -> Self {
        let at = format!("/{}", user.id);
        Self {
            id: &user.id,
            name: &user.display_name,
            email: &user.name,
            is_archive: false,
            is_public: user.kind == UserKind::Public,
            links: MailboxLinks {
                folders: mailbox_link(cx, session_id, format!("{at}/folders")),
                items: mailbox_link(cx, session_id, format!("{at}/items")),
                this: mailbox_link(cx, session_id, at),
            },
            actions: EmptyObject {},
        }
    }
}

pub fn folders<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    folders: impl Iterator<Item = MailFolder>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<FolderBody<'_>> = folders
        .map(|folder| FolderBody::new(cx, session_id, folder))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn folder(cx: &Context<'_>, session_id: &Uuid, folder: MailFolder) -> Response {
    ok(&FolderBody::new(cx, session_id, folder))
}

/// `RESTExchangeFolder`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FolderBody<'a> {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    category: &'static str,
    description: &'static str,
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    mailbox_id: Option<Uuid>,
    #[serde(rename = "_links")]
    links: FolderLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
    id: String,
}

#[derive(Serialize)]
struct FolderLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    mailbox: Link<Href<'a, String>>,
    items: Link<Href<'a, String>>,
}

fn folder_type(kind: FolderKind) -> &'static str {
    match kind {
        FolderKind::Mail => "None",
        FolderKind::Appointment => "Appointment",
        FolderKind::Contact => "Contact",
        FolderKind::Task => "Task",
    }
}

impl<'a> FolderBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, folder: MailFolder) -> Self {
        let id = folder.id();
        let mailbox = format!("/{}", folder.mailbox_id);
        let parameter = if cx.version <= Version::V6 {
            "folderId"
        } else {
            "parentId"
        };
        Self {
            name: folder.name(),
            kind: folder_type(folder.kind()),
            category: folder.category(),
            description: "",
            mailbox_id: (cx.version >= Version::V8).then_some(folder.mailbox_id),
            links: FolderLinks {
                this: mailbox_link(cx, session_id, format!("{mailbox}/folders/{id}")),
                items: mailbox_link(cx, session_id, format!("{mailbox}/items?{parameter}={id}")),
                mailbox: mailbox_link(cx, session_id, mailbox),
            },
            actions: EmptyObject {},
            id,
        }
    }
}

pub fn items<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    items: &[MailItem],
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<ItemBody<'_>> = items
        .iter()
        .map(|item| ItemBody::new(cx, session_id, item))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn item(cx: &Context<'_>, session_id: &Uuid, item: &MailItem) -> Response {
    ok(&ItemBody::new(cx, session_id, item))
}

/// `RESTExchangeItemsComposed`: the properties every item has, and those of its kind (a
/// mail's sender and recipients, an appointment's start and end, ...). The contract types
/// the kind-specific times as non-nullable, so the properties of other kinds are left out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemBody<'a> {
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    mailbox_id: Option<Uuid>,
    attachments: Vec<AttachmentBody<'a>>,
    subject: &'a str,
    item_class: &'static str,
    #[serde(rename = "_links")]
    links: ItemLinks<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
    id: String,
    #[serde(flatten)]
    kind: KindFields<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentBody<'a> {
    name: &'a str,
    size_bytes: u64,
}

#[derive(Serialize)]
struct ItemLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    mailbox: Link<Href<'a, String>>,
    parent: Link<Href<'a, String>>,
}

/// The properties of one kind of item.
#[derive(Serialize)]
#[serde(untagged)]
enum KindFields<'a> {
    #[serde(rename_all = "camelCase")]
    Mail {
        from: &'a str,
        to: &'a str,
        cc: &'static str,
        bcc: &'static str,
        sent: OwnedTime,
        received: OwnedTime,
        importance: &'static str,
        reminder: bool,
    },
    #[serde(rename_all = "camelCase")]
    Appointment {
        organizer: &'a str,
        attendees: &'a str,
        start_time: OwnedTime,
        end_time: OwnedTime,
        location: &'static str,
        recurring: bool,
        recurrence_pattern_format: &'static str,
        reminder: bool,
    },
    #[serde(rename_all = "camelCase")]
    Contact {
        full_name: &'a str,
        email: &'a str,
        company: &'static str,
        job_title: &'static str,
        file_as: &'a str,
        display_as: &'a str,
    },
    #[serde(rename_all = "camelCase")]
    Task {
        owner: &'a str,
        status: &'static str,
        percent_complete: f64,
        start_date: OwnedTime,
        due_date: OwnedTime,
        importance: &'static str,
    },
}

impl<'a> ItemBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, item: &'a MailItem) -> Self {
        let folder = item.folder;
        let id = item.id();
        let mailbox = format!("/{}", folder.mailbox_id);
        let arrived = item.arrived;
        let (item_class, kind) = match folder.kind() {
            FolderKind::Mail => (
                "IPM.Note",
                KindFields::Mail {
                    from: &item.from,
                    to: &item.to,
                    cc: "",
                    bcc: "",
                    sent: OwnedTime(arrived - chrono::TimeDelta::seconds(2)),
                    received: OwnedTime(arrived),
                    importance: "Normal",
                    reminder: false,
                },
            ),
            FolderKind::Appointment => (
                "IPM.Appointment",
                KindFields::Appointment {
                    organizer: &item.from,
                    attendees: &item.to,
                    start_time: OwnedTime(arrived),
                    end_time: OwnedTime(arrived + chrono::TimeDelta::minutes(30)),
                    location: "Teams meeting",
                    recurring: false,
                    recurrence_pattern_format: "",
                    reminder: true,
                },
            ),
            FolderKind::Contact => (
                "IPM.Contact",
                KindFields::Contact {
                    full_name: &item.from,
                    email: &item.from,
                    company: "",
                    job_title: "",
                    file_as: &item.from,
                    display_as: &item.from,
                },
            ),
            FolderKind::Task => (
                "IPM.Task",
                KindFields::Task {
                    owner: &item.to,
                    status: "NotStarted",
                    percent_complete: 0.0,
                    start_date: OwnedTime(arrived),
                    due_date: OwnedTime(arrived + chrono::TimeDelta::days(7)),
                    importance: "Normal",
                },
            ),
        };
        Self {
            mailbox_id: (cx.version >= Version::V8).then_some(folder.mailbox_id),
            attachments: item
                .attachments
                .iter()
                .map(|(name, size_bytes)| AttachmentBody {
                    name,
                    size_bytes: *size_bytes,
                })
                .collect(),
            subject: &item.subject,
            item_class,
            links: ItemLinks {
                this: mailbox_link(cx, session_id, format!("{mailbox}/items/{id}")),
                parent: mailbox_link(cx, session_id, format!("{mailbox}/folders/{}", folder.id())),
                mailbox: mailbox_link(cx, session_id, mailbox),
            },
            actions: EmptyObject {},
            id,
            kind,
        }
    }
}

/// `RESTExploreOptions` (and the v3..v5 `explore` action's argument): the point in time and
/// the Explorer a restore session opens with. The time is read in every form the vendor
/// documents and the type in any case (`vex`, as the vendor's examples write it).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct ExploreRequest {
    #[serde(
        default,
        rename = "datetime",
        deserialize_with = "super::time::request_time"
    )]
    pub date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, rename = "type", deserialize_with = "restore_kind")]
    pub kind: Option<crate::model::RestoreKind>,
}

/// An Explorer named in any case, as ASP.NET binds an enum.
fn restore_kind<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<crate::model::RestoreKind>, D::Error> {
    use crate::model::RestoreKind;
    use serde::Deserialize;
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    [
        ("Vex", RestoreKind::Vex),
        ("Veod", RestoreKind::Veod),
        ("Vesp", RestoreKind::Vesp),
        ("Vet", RestoreKind::Vet),
    ]
    .into_iter()
    .find(|(name, _)| text.eq_ignore_ascii_case(name))
    .map(|(_, kind)| Some(kind))
    .ok_or_else(|| {
        serde::de::Error::custom(format!(
            "unknown variant `{text}`, expected one of `Vex`, `Veod`, `Vesp`, `Vet`"
        ))
    })
}

/// `RESTOperatorExploreOptions`: what a restore operator's explore asks for, and (in
/// `scope`) the one object of their scope to open it on. The emulator's backups keep no
/// deleted items or older versions apart, so `showDeleted` and `showAllVersions` are taken
/// and change nothing.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OperatorExploreRequest {
    #[serde(
        default,
        rename = "datetime",
        deserialize_with = "super::time::request_time"
    )]
    pub date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, rename = "type", deserialize_with = "restore_kind")]
    pub kind: Option<crate::model::RestoreKind>,
    #[serde(default)]
    pub scope: Option<super::access_requests::RoleItemRequest>,
    #[serde(default, rename = "repositoryid")]
    pub repository_id: Option<Uuid>,
    #[serde(default)]
    pub reason: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Files: saved mail

/// A saved message as the file the service streams: named for the item's subject. The
/// vendor's `.msg` is Outlook's binary format; the emulator's file holds the message as
/// RFC 5322 text (headers and body), which any mail library parses (see the README).
pub fn message_file(item: &MailItem) -> Response {
    let name = format!("{}.msg", file_name(&item.subject));
    file(
        &name,
        "application/octet-stream",
        message_text(item).into_bytes(),
    )
}

/// Several saved messages in one `.zip` archive, a `.msg` file each.
pub fn message_archive(items: &[MailItem]) -> Response {
    archive(
        "Messages.zip",
        items.iter().map(|item| {
            (
                file_name(&item.subject),
                "msg".to_owned(),
                item.id(),
                message_text(item).into_bytes(),
            )
        }),
    )
}

/// A `.zip` archive of files, each given as its name's stem, its extension, an id that
/// tells it apart from another of the same name, and its bytes.
pub fn archive(
    name: &str,
    files: impl Iterator<Item = (String, String, String, Vec<u8>)>,
) -> Response {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut taken = std::collections::HashSet::new();
    for (stem, extension, id, bytes) in files {
        let mut entry = format!("{stem}.{extension}");
        if !taken.insert(entry.clone()) {
            entry = format!("{stem} ({id}).{extension}");
        }
        let written = archive
            .start_file(entry, options)
            .and_then(|()| archive.write_all(&bytes).map_err(Into::into));
        if let Err(error) = written {
            tracing::error!(%error, "a file could not be added to an archive");
        }
    }
    match archive.finish() {
        Ok(cursor) => file(name, "application/zip", cursor.into_inner()),
        Err(error) => {
            tracing::error!(%error, "an archive could not be finished");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A `.zip` archive of files each given as its whole name (made a file name), an id that
/// tells it apart from another of the same name, and its bytes.
pub fn archive_of_named(
    name: &str,
    files: impl Iterator<Item = (String, String, Vec<u8>)>,
) -> Response {
    archive(
        name,
        files.map(|(whole, id, bytes)| {
            let whole = file_name(&whole);
            let (stem, extension) = whole.rsplit_once('.').unwrap_or((&whole, ""));
            (stem.to_owned(), extension.to_owned(), id, bytes)
        }),
    )
}

/// A subject as a file name: characters Windows does not take in one are replaced.
pub fn file_name(subject: &str) -> String {
    subject
        .chars()
        .map(|c| if "\\/:*?\"<>|".contains(c) { '_' } else { c })
        .collect()
}

/// The message as RFC 5322 text.
fn message_text(item: &MailItem) -> String {
    let date = item.arrived.to_rfc2822();
    let attachments: String = item
        .attachments
        .iter()
        .map(|(name, size)| format!("Attachment: {name} ({size} bytes)\r\n"))
        .collect();
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@vb365-mock>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{subject}\r\n\r\n{attachments}",
        from = item.from,
        to = item.to,
        subject = item.subject,
        id = item.id(),
    )
}

/// A file answer: the bytes with their type and an attachment disposition naming them.
pub fn file(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    use axum::http::{HeaderValue, header};
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\r', '\n'], "_")
    );
    let mut response = (axum::http::StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `RESTSaveToMsgOptions`: the ids of the items to save.
#[derive(Debug, serde::Deserialize)]
pub struct SaveRequest {
    pub items: Vec<ItemReference>,
}

/// An item named by its id.
#[derive(Debug, serde::Deserialize)]
pub struct ItemReference {
    pub id: String,
}

//! The OneDrives, folders, documents and versions a OneDrive restore session shows, the
//! restore, copy, save and send request bodies, and what restores answer (v6 on).

use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::links::{Href, Link};
use super::mail_restore::RestoreCredentials;
use super::page::{PageBody, PageInfo};
use super::restore::{ItemReference, archive_of_named, file, file_name};
use super::time::OwnedTime;
use super::{Context, Version, ok};
use crate::model::{Document, DriveFolder, OneDrive, RestoreOutcome, Timestamp};

/// A link to `/vN/RestoreSessions/{id}/organization/oneDrives/...`, built for the answer.
fn drive_link<'a>(cx: &Context<'a>, session_id: &Uuid, rest: String) -> Link<Href<'a, String>> {
    Link(Href {
        host: cx.link_host(),
        path: format!(
            "{}/RestoreSessions/{session_id}/organization/oneDrives{rest}",
            cx.version.prefix()
        ),
    })
}

pub fn onedrives<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    onedrives: impl Iterator<Item = &'a OneDrive>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<OneDriveBody<'_>> = onedrives
        .map(|drive| OneDriveBody::new(cx, session_id, drive))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn onedrive(cx: &Context<'_>, session_id: &Uuid, drive: &OneDrive) -> Response {
    ok(&OneDriveBody::new(cx, session_id, drive))
}

/// `RESTOneDrive`.
#[derive(Serialize)]
struct OneDriveBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    url: &'a str,
    #[serde(rename = "_links")]
    links: OneDriveLinks<'a>,
}

#[derive(Serialize)]
struct OneDriveLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    folders: Link<Href<'a, String>>,
    documents: Link<Href<'a, String>>,
}

impl<'a> OneDriveBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, drive: &'a OneDrive) -> Self {
        let at = format!("/{}", drive.id);
        Self {
            id: &drive.id,
            name: &drive.name,
            url: &drive.url,
            links: OneDriveLinks {
                folders: drive_link(cx, session_id, format!("{at}/folders")),
                documents: drive_link(cx, session_id, format!("{at}/documents")),
                this: drive_link(cx, session_id, at),
            },
        }
    }
}

/// A folder as the session shows it: it was made when the OneDrive's content begins, by
/// the OneDrive's owner, and has one version.
#[derive(Debug, Clone, Copy)]
pub struct FolderView<'a> {
    pub folder: DriveFolder,
    pub created: Timestamp,
    pub owner: &'a str,
}

/// `RESTOneDriveFolder`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FolderBody<'a> {
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    one_drive_id: Option<Uuid>,
    version: &'static str,
    id: String,
    version_id: Option<u64>,
    name: &'static str,
    created_by: &'a str,
    creation_time: OwnedTime,
    modified_by: &'a str,
    modification_time: OwnedTime,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_folder: Option<bool>,
    #[serde(rename = "_links")]
    links: FolderLinks<'a>,
}

#[derive(Serialize)]
struct FolderLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    #[serde(rename = "oneDrive")]
    onedrive: Link<Href<'a, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Link<Href<'a, String>>>,
    folders: Link<Href<'a, String>>,
    documents: Link<Href<'a, String>>,
    versions: Link<Href<'a, String>>,
}

impl<'a> FolderBody<'a> {
    fn new(cx: &Context<'a>, session_id: &Uuid, view: FolderView<'a>) -> Self {
        let folder = view.folder;
        let id = folder.id();
        let drive = format!("/{}", folder.onedrive_id);
        Self {
            one_drive_id: (cx.version >= Version::V8).then_some(folder.onedrive_id),
            version: "1.0",
            version_id: Some(1),
            name: folder.name(),
            created_by: view.owner,
            creation_time: OwnedTime(view.created),
            modified_by: view.owner,
            modification_time: OwnedTime(view.created),
            is_folder: (cx.version >= Version::V7).then_some(true),
            links: FolderLinks {
                this: drive_link(cx, session_id, format!("{drive}/folders/{id}")),
                parent: folder.parent().map(|parent| {
                    drive_link(cx, session_id, format!("{drive}/folders/{}", parent.id()))
                }),
                folders: drive_link(cx, session_id, format!("{drive}/folders?parentId={id}")),
                documents: drive_link(cx, session_id, format!("{drive}/documents?parentId={id}")),
                versions: drive_link(cx, session_id, format!("{drive}/folders/{id}/versions")),
                onedrive: drive_link(cx, session_id, drive),
            },
            id,
        }
    }
}

pub fn folders<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    folders: impl Iterator<Item = FolderView<'a>>,
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<FolderBody<'_>> = folders
        .map(|view| FolderBody::new(cx, session_id, view))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn folder(cx: &Context<'_>, session_id: &Uuid, view: FolderView<'_>) -> Response {
    ok(&FolderBody::new(cx, session_id, view))
}

/// `RESTOneDriveDocument`, as its newest version or one of its versions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentBody<'a> {
    /// v8.
    #[serde(skip_serializing_if = "Option::is_none")]
    one_drive_id: Option<Uuid>,
    size_bytes: u64,
    inherited_permissions: bool,
    version: String,
    id: String,
    version_id: Option<u64>,
    name: &'a str,
    created_by: &'a str,
    creation_time: OwnedTime,
    modified_by: &'a str,
    modification_time: OwnedTime,
    /// v7 on.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_folder: Option<bool>,
    #[serde(rename = "_links")]
    links: DocumentLinks<'a>,
}

#[derive(Serialize)]
struct DocumentLinks<'a> {
    #[serde(rename = "self")]
    this: Link<Href<'a, String>>,
    #[serde(rename = "oneDrive")]
    onedrive: Link<Href<'a, String>>,
    parent: Link<Href<'a, String>>,
    versions: Link<Href<'a, String>>,
}

impl<'a> DocumentBody<'a> {
    /// The document; `as_version` renders it as one of its versions, whose link is the
    /// version's own.
    fn new(cx: &Context<'a>, session_id: &Uuid, document: &'a Document, as_version: bool) -> Self {
        let folder = document.folder;
        let id = document.id();
        let drive = format!("/{}", folder.onedrive_id);
        let this = if as_version {
            format!("{drive}/documents/{id}/versions/{}", document.version)
        } else {
            format!("{drive}/documents/{id}")
        };
        Self {
            one_drive_id: (cx.version >= Version::V8).then_some(folder.onedrive_id),
            size_bytes: document.size_bytes,
            inherited_permissions: true,
            version: format!("{}.0", document.version),
            version_id: Some(document.version),
            name: &document.name,
            created_by: &document.created_by,
            creation_time: OwnedTime(document.created),
            modified_by: &document.modified_by,
            modification_time: OwnedTime(document.modified),
            is_folder: (cx.version >= Version::V7).then_some(false),
            links: DocumentLinks {
                this: drive_link(cx, session_id, this),
                parent: drive_link(cx, session_id, format!("{drive}/folders/{}", folder.id())),
                versions: drive_link(cx, session_id, format!("{drive}/documents/{id}/versions")),
                onedrive: drive_link(cx, session_id, drive),
            },
            id,
        }
    }
}

pub fn documents<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    documents: &'a [Document],
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<DocumentBody<'_>> = documents
        .iter()
        .map(|document| DocumentBody::new(cx, session_id, document, false))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn document(cx: &Context<'_>, session_id: &Uuid, document: &Document) -> Response {
    ok(&DocumentBody::new(cx, session_id, document, false))
}

pub fn versions<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    versions: &'a [Document],
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<DocumentBody<'_>> = versions
        .iter()
        .map(|document| DocumentBody::new(cx, session_id, document, true))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

pub fn version(cx: &Context<'_>, session_id: &Uuid, document: &Document) -> Response {
    ok(&DocumentBody::new(cx, session_id, document, true))
}

/// One entry of `RESTItemComposed`: a folder or a document.
#[derive(Serialize)]
#[serde(untagged)]
enum ComposedBody<'a> {
    Folder(FolderBody<'a>),
    Document(DocumentBody<'a>),
}

/// A page of folders, then documents: v7's documents listing with `includeFolders`, and
/// the searches.
pub fn items<'a>(
    cx: &Context<'a>,
    session_id: &Uuid,
    folders: impl Iterator<Item = FolderView<'a>>,
    documents: &'a [Document],
    page: PageInfo<'a>,
) -> Response {
    let bodies: Vec<ComposedBody<'_>> = folders
        .map(|view| ComposedBody::Folder(FolderBody::new(cx, session_id, view)))
        .chain(documents.iter().map(|document| {
            ComposedBody::Document(DocumentBody::new(cx, session_id, document, false))
        }))
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

// ---------------------------------------------------------------------------------------
// Requests

/// `RESTRestoreToOriginal`, `RESTRestoreToOriginalDocuments`,
/// `RESTRestoreToOriginalFolders` and `RESTBulkRestoreConfig`: the documents, folders or
/// OneDrives named, if any, back where they came from.
#[derive(Debug, Default, Deserialize)]
pub struct RestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub documents: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub folders: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub onedrives: Option<Vec<ItemReference>>,
}

/// The OneDrive a copy names: by id, or by its owner's name or its address.
#[derive(Debug, Default, Deserialize)]
pub struct OneDriveReference {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// `RESTCopyToFolder`, `RESTCopyToFolders`, `RestCopyToDocuments` and
/// `RESTCopyToDocument`: the OneDrive and the folder in it to copy into.
#[derive(Debug, Default, Deserialize)]
pub struct CopyRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub onedrive: Option<OneDriveReference>,
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub documents: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub folders: Option<Vec<ItemReference>>,
}

/// `RESTOperatorRestoreToOriginalOneDriveDocuments`.
#[derive(Debug, Default, Deserialize)]
pub struct OperatorRestoreRequest {
    #[serde(default, rename = "documentsrestoreconfigs")]
    pub documents: Vec<DocumentRestoreConfig>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `RESTRestoreOneDriveDocumentConfig`.
#[derive(Debug, Deserialize)]
pub struct DocumentRestoreConfig {
    pub document: ItemReference,
}

/// `RESTSaveDocumentsOptions`, `RESTSaveOneDriveFoldersOptions` and
/// `RESTSaveOneDriveDocumentOptions`.
#[derive(Debug, Default, Deserialize)]
pub struct SaveRequest {
    #[serde(default)]
    pub documents: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub folders: Option<Vec<ItemReference>>,
    #[serde(default, rename = "aszip")]
    pub as_zip: Option<bool>,
}

// ---------------------------------------------------------------------------------------
// Answers

/// What a restore or copy answers: the statistics up to v7, a reference to the restore
/// session whose events follow it in v8.
pub fn restored(version: Version, session_id: &Uuid, outcome: RestoreOutcome) -> Response {
    if version >= Version::V8 {
        return super::mail_restore::session_reference(session_id);
    }
    ok(&ItemStatistics::of(outcome))
}

/// `RESTItemRestoreStatistics`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemStatistics {
    total_items_count: u64,
    restored_items_count: u64,
    failed_items_count: u64,
    skipped_items_by_error_count: u64,
    skipped_items_by_no_changes_count: u64,
    failed_restrictions_count: Option<u64>,
    restore_issues: [(); 0],
}

impl ItemStatistics {
    fn of(outcome: RestoreOutcome) -> Self {
        Self {
            total_items_count: outcome.created + outcome.skipped + outcome.failed,
            restored_items_count: outcome.created,
            failed_items_count: outcome.failed,
            skipped_items_by_error_count: 0,
            skipped_items_by_no_changes_count: outcome.skipped,
            failed_restrictions_count: None,
            restore_issues: [],
        }
    }
}

/// What a bulk restore answers: per OneDrive statistics up to v7, v8's session reference.
pub fn restored_in_bulk(cx: &Context<'_>, session_id: &Uuid, onedrives: &[&OneDrive]) -> Response {
    if cx.version >= Version::V8 {
        return super::mail_restore::session_reference(session_id);
    }
    let details: Vec<BulkDetail<'_>> = onedrives
        .iter()
        .map(|drive| BulkDetail {
            onedrive: OneDriveBody::new(cx, session_id, drive),
            status: "Success",
            error: "",
            details: SharePointStatistics {
                failed_restrictions_count: None,
                restore_issues: [],
            },
        })
        .collect();
    ok(&BulkStatistics {
        status: "Success",
        details,
        error: "",
    })
}

/// `RESTSharePointBulkRestoreStatistics`.
#[derive(Serialize)]
struct BulkStatistics<'a> {
    status: &'static str,
    details: Vec<BulkDetail<'a>>,
    error: &'static str,
}

/// `RESTExtendedCommonStatistic`.
#[derive(Serialize)]
struct BulkDetail<'a> {
    #[serde(rename = "oneDrive")]
    onedrive: OneDriveBody<'a>,
    status: &'static str,
    error: &'static str,
    details: SharePointStatistics,
}

/// `RESTSharePointCommonRestoreStatistics`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SharePointStatistics {
    failed_restrictions_count: Option<u64>,
    restore_issues: [(); 0],
}

// ---------------------------------------------------------------------------------------
// Files

/// The bytes a saved document holds. The backup's real bytes are the tenant's; the
/// emulator's file is a text that names the document and the version saved (see the README).
fn document_bytes(document: &Document) -> Vec<u8> {
    format!(
        "vb365-mock stand-in for {name}\r\nversion: {version}.0\r\ncreated: {created} by {author}\r\nmodified: {modified} by {editor}\r\nsize in the backup: {size} bytes\r\nid: {id}\r\n",
        name = document.name,
        version = document.version,
        created = document.created.to_rfc3339(),
        author = document.created_by,
        modified = document.modified.to_rfc3339(),
        editor = document.modified_by,
        size = document.size_bytes,
        id = document.id(),
    )
    .into_bytes()
}

/// One saved document as its own file, named as it is in the OneDrive.
pub fn document_file(document: &Document) -> Response {
    file(
        &file_name(&document.name),
        "application/octet-stream",
        document_bytes(document),
    )
}

/// Saved documents as one `.zip` archive named `<name>.zip`, each file named as its
/// document is.
pub fn document_archive(name: &str, documents: &[Document]) -> Response {
    archive_of_named(
        &format!("{}.zip", file_name(name)),
        documents.iter().map(|document| {
            (
                document.name.clone(),
                document.id(),
                document_bytes(document),
            )
        }),
    )
}

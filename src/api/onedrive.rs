//! OneDrive restore sessions: browsing OneDrives, folders, documents and their versions as
//! the backup at the session's point in time holds them, searching them, and saving,
//! sending, restoring and copying them (v6 on).

use axum::response::Response;

use super::mail::{SEARCH_SCAN_LIMIT, query_terms};
use super::restore_actions::{
    Addressed, deliver, optional_body, outside_operator_scope, record, require_credentials,
    working_session,
};
use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    DirectoryUser, Document, DriveFilter, DriveFolder, Id, Key, Mailer, OneDrive, RestoreAction,
    RestoreKind, RestoreSelection, RestoreSession, UserKind,
};
use crate::store::{DocumentRestore, DriveTarget, SessionOneDrive, World};
use crate::wire::mail_restore::{SearchRequest, SendRequest};
use crate::wire::onedrive::{
    CopyRequest, FolderView, OperatorRestoreRequest, RestoreRequest, SaveRequest,
};
use crate::wire::restore::ItemReference;
use crate::wire::{self, Paging, Version};

/// How many documents an archive of a folder or a OneDrive holds, and a message of them
/// names, before the rest are left out.
pub const SAVED_DOCUMENTS_LIMIT: usize = 1_000;

pub fn routes(routes: Routes) -> Routes {
    let onedrives = "/RestoreSessions/{restoreSessionId}/Organization/OneDrives";
    let onedrive = format!("{onedrives}/{{oneDriveId}}");
    let documents = format!("{onedrive}/Documents");
    let document = format!("{documents}/{{documentId}}");
    let document_version = format!("{document}/Versions/{{versionId}}");
    let folders = format!("{onedrive}/Folders");
    let folder = format!("{folders}/{{folderId}}");
    let folder_version = format!("{folder}/Versions/{{versionId}}");
    let version = routes.version();
    routes.when(version.has_restore_browsing(), |routes| {
        routes
            .get(onedrives, list_onedrives)
            .post(&format!("{onedrives}/restore"), restore_onedrives)
            .post(&format!("{onedrives}/search"), search_onedrives)
            .get(&onedrive, get_onedrive)
            .post(&format!("{onedrive}/restore"), restore_onedrive)
            .post(&format!("{onedrive}/copyTo"), copy_onedrive)
            .post(&format!("{onedrive}/save"), save_onedrive)
            .post(&format!("{onedrive}/send"), send_onedrive)
            .post(&format!("{onedrive}/search"), search_onedrive)
            .get(&documents, list_documents)
            .post(&format!("{documents}/restore"), restore_documents)
            .post(&format!("{documents}/copyTo"), copy_documents)
            .post(&format!("{documents}/save"), save_documents)
            .post(&format!("{documents}/send"), send_documents)
            .post(&format!("{documents}/operatorRestore"), operator_restore)
            .get(&document, get_document)
            .post(&format!("{document}/restore"), restore_document)
            .post(&format!("{document}/copyTo"), copy_document)
            .post(&format!("{document}/save"), save_document)
            .post(&format!("{document}/send"), send_document)
            .get(&format!("{document}/Versions"), list_document_versions)
            .get(&document_version, get_document_version)
            .post(
                &format!("{document_version}/restore"),
                restore_document_version,
            )
            .post(&format!("{document_version}/copyTo"), copy_document_version)
            .post(&format!("{document_version}/save"), save_document_version)
            .post(&format!("{document_version}/send"), send_document_version)
            .get(&folders, list_folders)
            .post(&format!("{folders}/restore"), restore_folders)
            .post(&format!("{folders}/copyTo"), copy_folders)
            .post(&format!("{folders}/save"), save_folders)
            .post(&format!("{folders}/send"), send_folders)
            .get(&folder, get_folder)
            .post(&format!("{folder}/restore"), restore_folder)
            .post(&format!("{folder}/copyTo"), copy_folder)
            .post(&format!("{folder}/save"), save_folder)
            .post(&format!("{folder}/send"), send_folder)
            .post(&format!("{folder}/search"), search_folder)
            .get(&format!("{folder}/Versions"), list_folder_versions)
            .get(&folder_version, get_folder_version)
            .post(&format!("{folder_version}/restore"), restore_folder_version)
            .post(&format!("{folder_version}/copyTo"), copy_folder_version)
            .post(&format!("{folder_version}/save"), save_folder_version)
            .post(&format!("{folder_version}/send"), send_folder_version)
    })
}

type SessionPath = PathParams<Id<RestoreSession>>;
type DrivePath = PathParams<(Id<RestoreSession>, Key<OneDrive>)>;
type ChildPath = PathParams<(Id<RestoreSession>, Key<OneDrive>, String)>;
type VersionPath = PathParams<(Id<RestoreSession>, Key<OneDrive>, String, String)>;

/// The working OneDrive session `id` names.
fn onedrive_session<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
) -> Result<&'w RestoreSession, ApiError> {
    working_session(world, id, RestoreKind::Veod, "a OneDrive")
}

/// The OneDrive `key` names in a working OneDrive session.
fn session_onedrive<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
    key: &Key<OneDrive>,
) -> Result<SessionOneDrive<'w>, ApiError> {
    let session = onedrive_session(world, id)?;
    world
        .session_onedrives(session)
        .into_iter()
        .find(|onedrive| key.names(onedrive.drive.id))
        .ok_or_else(|| {
            let owns =
                |user: &DirectoryUser| user.onedrives.iter().any(|drive| key.names(drive.id));
            if world.withheld_from_operator(session, owns) {
                outside_operator_scope("OneDrive", &key.to_string())
            } else {
                key.not_found().into()
            }
        })
}

fn folder_of(onedrive: &SessionOneDrive, folder: &str) -> Result<DriveFolder, ApiError> {
    DriveFolder::parse(onedrive.drive.id, folder)
        .ok_or_else(|| ApiError::NotFound(format!("Folder with id '{folder}' was not found.")))
}

fn document_of(onedrive: &SessionOneDrive, document: &str) -> Result<Document, ApiError> {
    onedrive
        .find(document)
        .ok_or_else(|| ApiError::NotFound(format!("Document with id '{document}' was not found.")))
}

/// The version of a document a path names.
fn version_of(
    onedrive: &SessionOneDrive,
    document: &Document,
    version: &str,
) -> Result<Document, ApiError> {
    version
        .parse()
        .ok()
        .and_then(|number| onedrive.version(document, number))
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Version '{version}' of document '{}' was not found.",
                document.id()
            ))
        })
}

/// A folder has the one version the backup holds.
fn folder_version_of(folder: &str, version: &str) -> Result<(), ApiError> {
    if version == "1" {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "Version '{version}' of folder '{folder}' was not found."
        )))
    }
}

fn folder_view<'w>(onedrive: &SessionOneDrive<'w>, folder: DriveFolder) -> FolderView<'w> {
    FolderView {
        folder,
        created: onedrive.content.since,
        owner: &onedrive.owner.name,
    }
}

/// The folders directly under `parent` (the root's without one).
fn children(onedrive: &SessionOneDrive, parent: Option<DriveFolder>) -> Vec<DriveFolder> {
    DriveFolder::all(onedrive.drive.id)
        .filter(|folder| folder.parent() == parent)
        .collect()
}

fn parent_of(
    onedrive: &SessionOneDrive,
    filter: &DriveFilter,
) -> Result<Option<DriveFolder>, ApiError> {
    filter
        .parent_id
        .as_deref()
        .map(|parent| folder_of(onedrive, parent))
        .transpose()
}

fn collection(id: &Id<RestoreSession>, onedrive: &SessionOneDrive, rest: &str) -> String {
    format!(
        "/RestoreSessions/{id}/organization/oneDrives/{}{rest}",
        onedrive.drive.id
    )
}

async fn list_onedrives(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/oneDrives");
    cx.read(|world, wire| {
        let onedrives = world.session_onedrives(onedrive_session(world, &id)?);
        let page = paging.info(onedrives.len(), &collection);
        let shown = paging
            .slice(&onedrives)
            .iter()
            .map(|onedrive| onedrive.drive);
        Ok(wire::onedrive::onedrives(wire, &id, shown, page))
    })
}

async fn get_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        Ok(wire::onedrive::onedrive(wire, &id, onedrive.drive))
    })
}

async fn list_folders(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    Query(paging): Query<Paging>,
    Query(filter): Query<DriveFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let folders = children(&onedrive, parent_of(&onedrive, &filter)?);
        let collection = collection(&id, &onedrive, "/folders");
        let page = paging.info(folders.len(), &collection);
        let shown = paging
            .slice(&folders)
            .iter()
            .map(|folder| folder_view(&onedrive, *folder));
        Ok(wire::onedrive::folders(wire, &id, shown, page))
    })
}

async fn get_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    Query(filter): Query<DriveFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = folder_of(&onedrive, &folder)?;
        if let Some(version) = &filter.version_id {
            folder_version_of(&folder, version)?;
        }
        Ok(wire::onedrive::folder(
            wire,
            &id,
            folder_view(&onedrive, found),
        ))
    })
}

async fn list_folder_versions(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = folder_of(&onedrive, &folder)?;
        let collection = collection(&id, &onedrive, &format!("/folders/{folder}/versions"));
        let versions = [folder_view(&onedrive, found)];
        let page = paging.info(versions.len(), &collection);
        let shown = paging.slice(&versions).iter().copied();
        Ok(wire::onedrive::folders(wire, &id, shown, page))
    })
}

async fn get_folder_version(
    cx: Ctx,
    PathParams((id, onedrive, folder, version)): VersionPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = folder_of(&onedrive, &folder)?;
        folder_version_of(&folder, &version)?;
        Ok(wire::onedrive::folder(
            wire,
            &id,
            folder_view(&onedrive, found),
        ))
    })
}

/// A page of a folder's documents (or of the whole OneDrive's, folder after folder), v7's
/// `includeFolders` listing the folders first; computed for the page alone, so a page from
/// the middle of a million documents costs what a page of a small folder does.
async fn list_documents(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    Query(paging): Query<Paging>,
    Query(filter): Query<DriveFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let parent = parent_of(&onedrive, &filter)?;
        let holding: Vec<DriveFolder> = match parent {
            Some(folder) => vec![folder],
            None => DriveFolder::all(onedrive.drive.id).collect(),
        };
        let collection = collection(&id, &onedrive, "/documents");
        if cx.version < Version::V7 {
            let (total, documents) = onedrive.page(&holding, paging.offset as u64, paging.limit);
            let page = paging.info(usize::try_from(total).unwrap_or(usize::MAX), &collection);
            return Ok(wire::onedrive::documents(wire, &id, &documents, page));
        }
        let folders = if filter.include_folders {
            match parent {
                Some(folder) => children(&onedrive, Some(folder)),
                None => DriveFolder::all(onedrive.drive.id).collect(),
            }
        } else {
            Vec::new()
        };
        let shown_folders = paging.slice(&folders);
        let offset = paging.offset.saturating_sub(folders.len()) as u64;
        let (total, documents) =
            onedrive.page(&holding, offset, paging.limit - shown_folders.len());
        let total = usize::try_from(total)
            .unwrap_or(usize::MAX)
            .saturating_add(folders.len());
        let page = paging.info(total, &collection);
        let views = shown_folders
            .iter()
            .map(|folder| folder_view(&onedrive, *folder));
        Ok(wire::onedrive::items(wire, &id, views, &documents, page))
    })
}

async fn get_document(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = document_of(&onedrive, &document)?;
        Ok(wire::onedrive::document(wire, &id, &found))
    })
}

async fn list_document_versions(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = document_of(&onedrive, &document)?;
        let versions: Vec<Document> = (1..=found.versions)
            .filter_map(|version| onedrive.version(&found, version))
            .collect();
        let collection = collection(&id, &onedrive, &format!("/documents/{document}/versions"));
        let page = paging.info(versions.len(), &collection);
        Ok(wire::onedrive::versions(
            wire,
            &id,
            paging.slice(&versions),
            page,
        ))
    })
}

async fn get_document_version(
    cx: Ctx,
    PathParams((id, onedrive, document, version)): VersionPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let onedrive = session_onedrive(world, &id, &onedrive)?;
        let found = document_of(&onedrive, &document)?;
        let version = version_of(&onedrive, &found, &version)?;
        Ok(wire::onedrive::version(wire, &id, &version))
    })
}

// ---------------------------------------------------------------------------------------
// Search

/// A search query: `name:` (or a bare word or quoted phrase) looks in the document's name,
/// `author:` in who created or last modified it. Every term must match; case is ignored.
struct DocumentQuery {
    terms: Vec<(bool, String)>,
}

impl DocumentQuery {
    fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let terms = query_terms(query, false, |name| match name {
            "name" | "filename" => Some(false),
            "author" | "modifiedby" | "createdby" => Some(true),
            _ => None,
        })?;
        Ok(Self { terms })
    }

    fn matches(&self, document: &Document) -> bool {
        self.terms.iter().all(|(by_author, value)| {
            let contains = |text: &str| text.to_lowercase().contains(value.as_str());
            if *by_author {
                contains(&document.created_by) || contains(&document.modified_by)
            } else {
                contains(&document.name)
            }
        })
    }
}

/// The documents of the folders that match, as a page, and how many match in all (of the
/// first [`SEARCH_SCAN_LIMIT`] documents of each OneDrive).
fn search(
    onedrives: &[SessionOneDrive],
    folders: impl Fn(&SessionOneDrive) -> Vec<DriveFolder>,
    query: &DocumentQuery,
    paging: Paging,
) -> (usize, Vec<Document>) {
    let mut total = 0;
    let mut page = Vec::new();
    for onedrive in onedrives {
        let mut examined = 0;
        for folder in folders(onedrive) {
            for position in 0..onedrive.count(folder) {
                if examined >= SEARCH_SCAN_LIMIT {
                    break;
                }
                examined += 1;
                let Some(document) = onedrive.document_at(folder, position) else {
                    continue;
                };
                if query.matches(&document) {
                    if total >= paging.offset && page.len() < paging.limit {
                        page.push(document);
                    }
                    total += 1;
                }
            }
        }
    }
    (total, page)
}

fn search_answer(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    scope: (Option<&Key<OneDrive>>, Option<&str>),
    paging: Paging,
    request: SearchRequest,
    collection: &str,
) -> Result<Response, ApiError> {
    let query = DocumentQuery::parse(request.query.as_deref())?;
    let (onedrive, folder) = scope;
    cx.read(|world, wire| {
        let onedrives = match onedrive {
            Some(key) => vec![session_onedrive(world, id, key)?],
            None => world.session_onedrives(onedrive_session(world, id)?),
        };
        let folder = match (folder, onedrives.first()) {
            (Some(folder), Some(onedrive)) => Some(folder_of(onedrive, folder)?),
            _ => None,
        };
        let (total, documents) = search(
            &onedrives,
            |onedrive| match folder {
                Some(folder) => folder.with_subfolders(),
                None => DriveFolder::all(onedrive.drive.id).collect(),
            },
            &query,
            paging,
        );
        let page = paging.info(total, collection);
        Ok(wire::onedrive::items(
            wire,
            id,
            std::iter::empty(),
            &documents,
            page,
        ))
    })
}

async fn search_onedrives(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/oneDrives/search");
    search_answer(&cx, &id, (None, None), paging, request, &collection)
}

async fn search_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/oneDrives/{onedrive}/search");
    search_answer(
        &cx,
        &id,
        (Some(&onedrive), None),
        paging,
        request,
        &collection,
    )
}

async fn search_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection =
        format!("/RestoreSessions/{id}/organization/oneDrives/{onedrive}/folders/{folder}/search");
    search_answer(
        &cx,
        &id,
        (Some(&onedrive), Some(&folder)),
        paging,
        request,
        &collection,
    )
}

// ---------------------------------------------------------------------------------------
// What an action takes

/// What an action takes from a OneDrive.
enum Taken {
    /// Documents by id, each as its newest version or the version named.
    Documents(Vec<(String, Option<String>)>),
    Folders(Vec<String>),
    OneDrive,
}

impl Taken {
    fn documents(ids: Option<Vec<ItemReference>>) -> Result<Self, ApiError> {
        let ids = ids.unwrap_or_default();
        if ids.is_empty() {
            return Err(ApiError::BadRequest(
                "Name at least one document in 'documents'.".to_owned(),
            ));
        }
        Ok(Self::Documents(
            ids.into_iter().map(|item| (item.id, None)).collect(),
        ))
    }

    fn folders(ids: Option<Vec<ItemReference>>) -> Result<Self, ApiError> {
        let ids = ids.unwrap_or_default();
        if ids.is_empty() {
            return Err(ApiError::BadRequest(
                "Name at least one folder in 'folders'.".to_owned(),
            ));
        }
        Ok(Self::Folders(ids.into_iter().map(|item| item.id).collect()))
    }

    fn document(id: String, version: Option<String>) -> Self {
        Self::Documents(vec![(id, version)])
    }

    /// The folder a path names, at a version a path may name.
    fn folder(id: String, version: Option<&str>) -> Result<Self, ApiError> {
        if let Some(version) = version {
            folder_version_of(&id, version)?;
        }
        Ok(Self::Folders(vec![id]))
    }
}

/// What an action took, resolved in the session's OneDrive: the selection a restore
/// records, how the session's event names it, and the documents a save or send holds.
struct Resolved {
    selection: RestoreSelection,
    name: String,
    kind: &'static str,
    size: u64,
    documents: Vec<Document>,
}

fn resolve(onedrive: &SessionOneDrive, taken: &Taken) -> Result<Resolved, ApiError> {
    Ok(match taken {
        Taken::Documents(ids) => {
            let documents = ids
                .iter()
                .map(|(id, version)| {
                    let document = document_of(onedrive, id)?;
                    match version {
                        Some(version) => version_of(onedrive, &document, version),
                        None => Ok(document),
                    }
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            let size = documents.iter().map(|document| document.size_bytes).sum();
            let (name, kind) = match documents.as_slice() {
                [one] => (one.name.clone(), "File"),
                several => (format!("{} documents", several.len()), "Files"),
            };
            Resolved {
                selection: RestoreSelection::Items(
                    documents
                        .iter()
                        .map(|document| (document.folder.index, document.number))
                        .collect(),
                ),
                name,
                kind,
                size,
                documents,
            }
        }
        Taken::Folders(ids) => {
            let named = ids
                .iter()
                .map(|id| folder_of(onedrive, id))
                .collect::<Result<Vec<_>, ApiError>>()?;
            let mut folders: Vec<DriveFolder> = Vec::new();
            for folder in &named {
                for inner in folder.with_subfolders() {
                    if !folders.contains(&inner) {
                        folders.push(inner);
                    }
                }
            }
            let name = match named.as_slice() {
                [one] => one.name().to_owned(),
                several => format!("{} folders", several.len()),
            };
            whole(onedrive, &folders, name, "Folder")
        }
        Taken::OneDrive => {
            let folders: Vec<DriveFolder> = DriveFolder::all(onedrive.drive.id).collect();
            whole(
                onedrive,
                &folders,
                onedrive.owner.display_name.clone(),
                "OneDrive",
            )
        }
    })
}

/// Whole folders: every document they hold, the first [`SAVED_DOCUMENTS_LIMIT`] of them
/// computed for a save or a send.
fn whole(
    onedrive: &SessionOneDrive,
    folders: &[DriveFolder],
    name: String,
    kind: &'static str,
) -> Resolved {
    let (_, documents) = onedrive.page(folders, 0, SAVED_DOCUMENTS_LIMIT);
    Resolved {
        selection: RestoreSelection::Folders(
            folders
                .iter()
                .map(|folder| (folder.index, onedrive.count(*folder)))
                .collect(),
        ),
        name,
        kind,
        size: 0,
        documents,
    }
}

// ---------------------------------------------------------------------------------------
// Save and send

/// Saves what the request names: one document as its own file unless a zip is asked for,
/// anything else as a `.zip` archive.
fn save(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    taken: &Taken,
    as_zip: bool,
) -> Result<Response, ApiError> {
    let (resolved, owner) = cx.read(|world, _| {
        let onedrive = session_onedrive(world, id, onedrive)?;
        Ok::<_, ApiError>((resolve(&onedrive, taken)?, onedrive.owner.name.clone()))
    })?;
    record(
        cx,
        id,
        RestoreAction::Save,
        (&resolved.name, resolved.kind, resolved.size),
        &owner,
        "",
    )?;
    Ok(match (resolved.documents.as_slice(), taken) {
        ([one], Taken::Documents(_)) if !as_zip => wire::onedrive::document_file(one),
        (documents, _) => wire::onedrive::document_archive(&resolved.name, documents),
    })
}

async fn save_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
) -> Result<Response, ApiError> {
    save(&cx, &id, &onedrive, &Taken::OneDrive, true)
}

async fn save_documents(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<SaveRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::documents(request.documents)?;
    save(&cx, &id, &onedrive, &taken, true)
}

async fn save_document(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: SaveRequest = optional_body(&body)?;
    let taken = Taken::document(document, None);
    save(&cx, &id, &onedrive, &taken, request.as_zip == Some(true))
}

async fn save_document_version(
    cx: Ctx,
    PathParams((id, onedrive, document, version)): VersionPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: SaveRequest = optional_body(&body)?;
    let taken = Taken::document(document, Some(version));
    save(&cx, &id, &onedrive, &taken, request.as_zip == Some(true))
}

async fn save_folders(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<SaveRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::folders(request.folders)?;
    save(&cx, &id, &onedrive, &taken, true)
}

async fn save_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
) -> Result<Response, ApiError> {
    save(&cx, &id, &onedrive, &Taken::folder(folder, None)?, true)
}

async fn save_folder_version(
    cx: Ctx,
    PathParams((id, onedrive, folder, version)): VersionPath,
) -> Result<Response, ApiError> {
    let taken = Taken::folder(folder, Some(&version))?;
    save(&cx, &id, &onedrive, &taken, true)
}

/// Mails the documents as attachments (of a folder or a OneDrive, the first
/// [`SAVED_DOCUMENTS_LIMIT`]): the message lands in the outbox the control API lists.
fn send(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    taken: &Taken,
    request: SendRequest,
) -> Result<Response, ApiError> {
    let message = Addressed::of(cx, request, Mailer::OneDrive)?;
    let (resolved, owner) = cx.read(|world, _| {
        let onedrive = session_onedrive(world, id, onedrive)?;
        Ok::<_, ApiError>((resolve(&onedrive, taken)?, onedrive.owner.name.clone()))
    })?;
    let attachments = resolved
        .documents
        .iter()
        .map(|document| wire::restore::file_name(&document.name))
        .collect();
    deliver(
        cx,
        id,
        message,
        (&resolved.name, resolved.kind, resolved.size),
        &owner,
        attachments,
    )
}

async fn send_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    send(&cx, &id, &onedrive, &Taken::OneDrive, request)
}

async fn send_documents(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(mut request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::documents(request.documents.take())?;
    send(&cx, &id, &onedrive, &taken, request)
}

async fn send_document(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    send(
        &cx,
        &id,
        &onedrive,
        &Taken::document(document, None),
        request,
    )
}

async fn send_document_version(
    cx: Ctx,
    PathParams((id, onedrive, document, version)): VersionPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::document(document, Some(version));
    send(&cx, &id, &onedrive, &taken, request)
}

async fn send_folders(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(mut request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::folders(request.folders.take())?;
    send(&cx, &id, &onedrive, &taken, request)
}

async fn send_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    send(&cx, &id, &onedrive, &Taken::folder(folder, None)?, request)
}

async fn send_folder_version(
    cx: Ctx,
    PathParams((id, onedrive, folder, version)): VersionPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let taken = Taken::folder(folder, Some(&version))?;
    send(&cx, &id, &onedrive, &taken, request)
}

// ---------------------------------------------------------------------------------------
// Restore and copy

/// Where a restore asks to write.
enum Destination {
    Original,
    /// The OneDrive (an id, its owner's name or its address) and folder a copy names;
    /// the OneDrive the documents come from when none is named.
    Copy {
        onedrive: Option<String>,
        folder: Option<String>,
    },
}

impl Destination {
    fn of_copy(request: &mut CopyRequest) -> Result<Self, ApiError> {
        require_credentials(&request.credentials)?;
        let nonempty = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        let onedrive = request.onedrive.take().and_then(|reference| {
            nonempty(reference.id)
                .or_else(|| nonempty(reference.url))
                .or_else(|| nonempty(reference.name))
        });
        let folder = nonempty(request.folder.take());
        if onedrive.is_none() && folder.is_none() {
            return Err(ApiError::BadRequest(
                "Specify where to copy to: the OneDrive in 'onedrive', a folder in 'folder', or both."
                    .to_owned(),
            ));
        }
        Ok(Self::Copy { onedrive, folder })
    }
}

/// Resolves what a restore takes, where it writes and how its event names it; refuses
/// before anything changes.
fn plan(
    world: &World,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    taken: &Taken,
    destination: Destination,
) -> Result<DocumentRestore, ApiError> {
    let source = session_onedrive(world, id, onedrive)?;
    let resolved = resolve(&source, taken)?;
    let target = match destination {
        Destination::Original => DriveTarget::Original,
        Destination::Copy { onedrive, folder } => {
            let target = match onedrive {
                None => source.drive,
                Some(wanted) => world
                    .session_onedrives(onedrive_session(world, id)?)
                    .into_iter()
                    .find(|candidate| {
                        Key::<OneDrive>::parse(&wanted).names(candidate.drive.id)
                            || candidate.drive.url.eq_ignore_ascii_case(&wanted)
                            || candidate.owner.name.eq_ignore_ascii_case(&wanted)
                            || candidate.owner.display_name.eq_ignore_ascii_case(&wanted)
                    })
                    .filter(|candidate| candidate.owner.kind == UserKind::User)
                    .map(|candidate| candidate.drive)
                    .ok_or_else(|| {
                        ApiError::BadRequest(format!(
                            "OneDrive '{wanted}' was not found in the organization."
                        ))
                    })?,
            };
            let folder = match folder {
                Some(name) => Some(
                    DriveFolder::named(target.id, &name)
                        .ok_or_else(|| {
                            ApiError::BadRequest(format!(
                                "Folder '{name}' was not found in OneDrive '{}'.",
                                target.url
                            ))
                        })?
                        .index,
                ),
                None => None,
            };
            DriveTarget::OneDrive {
                id: target.id,
                folder,
            }
        }
    };
    Ok(DocumentRestore {
        session_id: **id,
        source_onedrive: source.drive.id,
        selection: resolved.selection,
        target,
        item_name: resolved.name,
        item_type: resolved.kind,
        item_size_bytes: resolved.size,
        reason: None,
    })
}

/// Plans and runs a restore, answering as the version does.
fn restore(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    taken: &Taken,
    destination: Destination,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let outcome = cx.state.world.write(|world| {
        let restore = plan(world, id, onedrive, taken, destination)?;
        Ok::<_, ApiError>(world.restore_documents(restore, now)?)
    })?;
    Ok(wire::onedrive::restored(cx.version, id, outcome))
}

/// A restore to where the documents came from.
fn restore_back(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    request: &RestoreRequest,
    taken: impl FnOnce() -> Result<Taken, ApiError>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    restore(cx, id, onedrive, &taken()?, Destination::Original)
}

/// A copy to another OneDrive or folder.
fn copy(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    onedrive: &Key<OneDrive>,
    mut request: CopyRequest,
    taken: impl FnOnce(&mut CopyRequest) -> Result<Taken, ApiError>,
) -> Result<Response, ApiError> {
    let destination = Destination::of_copy(&mut request)?;
    restore(cx, id, onedrive, &taken(&mut request)?, destination)
}

async fn restore_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    restore_back(&cx, &id, &onedrive, &request, || Ok(Taken::OneDrive))
}

async fn copy_onedrive(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |_| Ok(Taken::OneDrive))
}

async fn restore_documents(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(mut request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    let documents = request.documents.take();
    restore_back(&cx, &id, &onedrive, &request, || {
        Taken::documents(documents)
    })
}

async fn copy_documents(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |request| {
        Taken::documents(request.documents.take())
    })
}

async fn restore_document(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    restore_back(&cx, &id, &onedrive, &request, || {
        Ok(Taken::document(document, None))
    })
}

async fn copy_document(
    cx: Ctx,
    PathParams((id, onedrive, document)): ChildPath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |_| {
        Ok(Taken::document(document, None))
    })
}

async fn restore_document_version(
    cx: Ctx,
    PathParams((id, onedrive, document, version)): VersionPath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    restore_back(&cx, &id, &onedrive, &request, || {
        Ok(Taken::document(document, Some(version)))
    })
}

async fn copy_document_version(
    cx: Ctx,
    PathParams((id, onedrive, document, version)): VersionPath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |_| {
        Ok(Taken::document(document, Some(version)))
    })
}

async fn restore_folders(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(mut request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    let folders = request.folders.take();
    restore_back(&cx, &id, &onedrive, &request, || Taken::folders(folders))
}

async fn copy_folders(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |request| {
        Taken::folders(request.folders.take())
    })
}

async fn restore_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    restore_back(&cx, &id, &onedrive, &request, || {
        Taken::folder(folder, None)
    })
}

async fn copy_folder(
    cx: Ctx,
    PathParams((id, onedrive, folder)): ChildPath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |_| {
        Taken::folder(folder, None)
    })
}

async fn restore_folder_version(
    cx: Ctx,
    PathParams((id, onedrive, folder, version)): VersionPath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    restore_back(&cx, &id, &onedrive, &request, || {
        Taken::folder(folder, Some(&version))
    })
}

async fn copy_folder_version(
    cx: Ctx,
    PathParams((id, onedrive, folder, version)): VersionPath,
    JsonBody(request): JsonBody<CopyRequest>,
) -> Result<Response, ApiError> {
    copy(&cx, &id, &onedrive, request, |_| {
        Taken::folder(folder, Some(&version))
    })
}

/// Restores whole OneDrives to where they came from, each an event of the session.
async fn restore_onedrives(
    cx: Ctx,
    PathParams(id): SessionPath,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    let keys: Vec<Key<OneDrive>> = request
        .onedrives
        .unwrap_or_default()
        .iter()
        .map(|onedrive| Key::parse(&onedrive.id))
        .collect();
    if keys.is_empty() {
        return Err(ApiError::BadRequest(
            "Name at least one OneDrive in 'oneDrives'.".to_owned(),
        ));
    }
    let now = cx.now().fixed_offset();
    let restored = cx.state.world.write(|world| {
        let plans = keys
            .iter()
            .map(|key| plan(world, &id, key, &Taken::OneDrive, Destination::Original))
            .collect::<Result<Vec<_>, _>>()?;
        let mut restored = Vec::with_capacity(plans.len());
        for plan in plans {
            restored.push(plan.source_onedrive);
            world.restore_documents(plan, now)?;
        }
        Ok::<_, ApiError>(restored)
    })?;
    cx.read(|world, wire| {
        let onedrives: Vec<&OneDrive> = restored
            .iter()
            .filter_map(|onedrive| {
                world
                    .directory_users
                    .iter()
                    .flat_map(|user| &user.onedrives)
                    .find(|drive| drive.id == *onedrive)
            })
            .collect();
        Ok(wire::onedrive::restored_in_bulk(wire, &id, &onedrives))
    })
}

/// A restore operator's restore: the documents back to the OneDrive they came from,
/// answered with the session that runs it.
async fn operator_restore(
    cx: Ctx,
    PathParams((id, onedrive)): DrivePath,
    JsonBody(request): JsonBody<OperatorRestoreRequest>,
) -> Result<Response, ApiError> {
    let ids = request
        .documents
        .into_iter()
        .map(|config| config.document)
        .collect();
    let taken = Taken::documents(Some(ids))?;
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| {
        let plan = plan(world, &id, &onedrive, &taken, Destination::Original)?;
        world.restore_documents(
            DocumentRestore {
                reason: request.reason,
                ..plan
            },
            now,
        )?;
        Ok::<_, ApiError>(())
    })?;
    Ok(wire::mail_restore::session_reference(&id))
}

//! Exchange restore sessions: browsing mailboxes, folders and items as the backup at the
//! session's point in time holds them, searching them (one mailbox or the organization),
//! and saving, exporting, sending and restoring them (v6 on).

use axum::response::Response;

use super::restore_actions::{
    Addressed, deliver, optional_body, outside_operator_scope, record, require_credentials,
    working_session,
};
use super::{Body, Ctx, JsonBody, PathParams, Query, Routes};
use crate::error::ApiError;
use crate::model::{
    DirectoryUser, FolderFilter, FolderKind, Id, ItemFilter, Key, MailFolder, MailItem, Mailer,
    RestoreAction, RestoreKind, RestoreSelection, RestoreSession, UserKind,
};
use crate::store::{MailRestore, MailTarget, SessionMailbox, World};
use crate::wire::mail_restore::{
    BulkRestoreRequest, ExportRequest, OperatorRestoreRequest, PST_LISTED_ITEMS, PST_SIZE_LIMITS,
    RestoreToOriginalRequest, RestoreToRequest, SearchRequest, SendRequest,
};
use crate::wire::restore::{ItemReference, SaveRequest};
use crate::wire::{self, Paging};

/// How many items a search examines in a mailbox before it stops looking.
pub const SEARCH_SCAN_LIMIT: u64 = 2_000_000;

pub fn routes(routes: Routes) -> Routes {
    let mailboxes = "/RestoreSessions/{restoreSessionId}/organization/mailboxes";
    let mailbox = format!("{mailboxes}/{{mailboxId}}");
    let folder = format!("{mailbox}/folders/{{folderId}}");
    let item = format!("{mailbox}/items/{{itemId}}");
    let version = routes.version();
    routes.when(version.has_restore_browsing(), |routes| {
        routes
            .get(mailboxes, list_mailboxes)
            .post(
                "/RestoreSessions/{restoreSessionId}/organization/searchExchange",
                search_organization,
            )
            .post(
                "/RestoreSessions/{restoreSessionId}/organization/exportToPst",
                export_organization,
            )
            .post(&format!("{mailboxes}/restore"), restore_mailboxes)
            .post(&format!("{mailboxes}/search"), search_mailboxes)
            .get(&mailbox, get_mailbox)
            .post(
                &format!("{mailbox}/restore"),
                restore_mailbox::<RestoreToOriginalRequest>,
            )
            .post(
                &format!("{mailbox}/restoreTo"),
                restore_mailbox::<RestoreToRequest>,
            )
            .post(&format!("{mailbox}/exportToPst"), export_mailbox)
            .post(&format!("{mailbox}/search"), search_mailbox)
            .get(&format!("{mailbox}/folders"), list_folders)
            .get(&folder, get_folder)
            .post(
                &format!("{folder}/restore"),
                restore_folder::<RestoreToOriginalRequest>,
            )
            .post(
                &format!("{folder}/restoreTo"),
                restore_folder::<RestoreToRequest>,
            )
            .post(&format!("{folder}/exportToPst"), export_folder)
            .post(&format!("{folder}/search"), search_folder)
            .get(&format!("{mailbox}/items"), list_items)
            .post(&format!("{mailbox}/items/Save"), save_items)
            .post(
                &format!("{mailbox}/items/restore"),
                restore_items::<RestoreToOriginalRequest>,
            )
            .post(
                &format!("{mailbox}/items/restoreTo"),
                restore_items::<RestoreToRequest>,
            )
            .post(&format!("{mailbox}/items/exportToPst"), export_items)
            .post(
                &format!("{mailbox}/items/operatorRestore"),
                operator_restore,
            )
            .post(
                &format!("{mailbox}/items/sendToDifferentAddress"),
                send_items,
            )
            .post(
                &format!("{mailbox}/items/sendToDefaultAddress"),
                send_items_to_owner,
            )
            .get(&item, get_item)
            .post(&format!("{item}/save"), save_item)
            .post(
                &format!("{item}/restore"),
                restore_item::<RestoreToOriginalRequest>,
            )
            .post(
                &format!("{item}/restoreTo"),
                restore_item::<RestoreToRequest>,
            )
            .post(&format!("{item}/exportToPst"), export_item)
            .post(&format!("{item}/sendToDifferentAddress"), send_item)
            .post(&format!("{item}/sendToDefaultAddress"), send_item_to_owner)
    })
}

type SessionPath = PathParams<Id<RestoreSession>>;
type MailboxPath = PathParams<(Id<RestoreSession>, Key<DirectoryUser>)>;
type ChildPath = PathParams<(Id<RestoreSession>, Key<DirectoryUser>, String)>;

/// The working Exchange session `id` names.
fn exchange_session<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
) -> Result<&'w RestoreSession, ApiError> {
    working_session(world, id, RestoreKind::Vex, "an Exchange")
}

/// The mailbox `key` names in a working Exchange session.
fn session_mailbox<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
    key: &Key<DirectoryUser>,
) -> Result<SessionMailbox<'w>, ApiError> {
    let session = exchange_session(world, id)?;
    world
        .session_mailboxes(session)
        .into_iter()
        .find(|mailbox| key.names(mailbox.user.id))
        .ok_or_else(|| {
            if world.withheld_from_operator(session, |user| key.names(user.id)) {
                outside_operator_scope("mailbox", &key.to_string())
            } else {
                key.not_found().into()
            }
        })
}

fn folder_not_found(folder: &str) -> ApiError {
    ApiError::NotFound(format!("Folder with id '{folder}' was not found."))
}

fn item_not_found(item: &str) -> ApiError {
    ApiError::NotFound(format!("Item with id '{item}' was not found."))
}

/// The folder an id names in a mailbox.
fn folder_of(mailbox: &SessionMailbox, folder: &str) -> Result<MailFolder, ApiError> {
    MailFolder::parse(mailbox.user.id, folder).ok_or_else(|| folder_not_found(folder))
}

/// The items ids name in a mailbox, every one of which must be in the backup.
fn items_of(mailbox: &SessionMailbox, ids: &[ItemReference]) -> Result<Vec<MailItem>, ApiError> {
    if ids.is_empty() {
        return Err(ApiError::BadRequest(
            "Name at least one item in 'items'.".to_owned(),
        ));
    }
    ids.iter()
        .map(|item| {
            mailbox
                .find(&item.id)
                .ok_or_else(|| item_not_found(&item.id))
        })
        .collect()
}

/// A folder with the folders under it.
fn with_subfolders(folder: MailFolder) -> Vec<MailFolder> {
    MailFolder::all(folder.mailbox_id)
        .filter(|candidate| *candidate == folder || candidate.parent() == Some(folder))
        .collect()
}

async fn list_mailboxes(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/mailboxes");
    cx.read(|world, wire| {
        let mailboxes = world.session_mailboxes(exchange_session(world, &id)?);
        let page = paging.info(mailboxes.len(), &collection);
        let users = paging.slice(&mailboxes).iter().map(|mailbox| mailbox.user);
        Ok(wire::restore::mailboxes(wire, &id, users, page))
    })
}

async fn get_mailbox(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        Ok(wire::restore::mailbox(wire, &id, mailbox.user))
    })
}

async fn list_folders(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<FolderFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        let parent = match &filter.parent_id {
            Some(parent) => Some(folder_of(&mailbox, parent)?),
            None => None,
        };
        let name = filter.name.as_deref().map(str::to_lowercase);
        let folders: Vec<MailFolder> = MailFolder::all(mailbox.user.id)
            .filter(|folder| folder.parent() == parent)
            .filter(|folder| {
                name.as_deref()
                    .is_none_or(|name| folder.name().to_lowercase().contains(name))
            })
            .collect();
        let collection = format!(
            "/RestoreSessions/{id}/organization/mailboxes/{}/folders",
            mailbox.user.id
        );
        let page = paging.info(folders.len(), &collection);
        let shown = paging.slice(&folders).iter().copied();
        Ok(wire::restore::folders(wire, &id, shown, page))
    })
}

async fn get_folder(
    cx: Ctx,
    PathParams((id, mailbox, folder)): ChildPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        Ok(wire::restore::folder(
            wire,
            &id,
            folder_of(&mailbox, &folder)?,
        ))
    })
}

/// A page of a folder's items (or of the whole mailbox's, folder after folder), as they
/// were at the session's point in time: computed for the page alone, so a page from the
/// middle of a million items costs what a page of a small folder does.
async fn list_items(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    Query(paging): Query<Paging>,
    Query(filter): Query<ItemFilter>,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        let folders: Vec<MailFolder> = match &filter.folder_id {
            Some(folder) => vec![folder_of(&mailbox, folder)?],
            None => MailFolder::all(mailbox.user.id).collect(),
        };
        let (total, items) = mailbox.page(&folders, paging.offset as u64, paging.limit);
        let collection = format!(
            "/RestoreSessions/{id}/organization/mailboxes/{}/items",
            mailbox.user.id
        );
        let page = paging.info(usize::try_from(total).unwrap_or(usize::MAX), &collection);
        Ok(wire::restore::items(wire, &id, &items, page))
    })
}

async fn get_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
) -> Result<Response, ApiError> {
    cx.read(|world, wire| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        let found = mailbox.find(&item).ok_or_else(|| item_not_found(&item))?;
        Ok(wire::restore::item(wire, &id, &found))
    })
}

// ---------------------------------------------------------------------------------------
// Search

/// A search query in the service's `field:value` form: `subject:`, `from:`, `to:`,
/// `folder:`, `hasattachments:yes|no`, `kind:` (mail, appointment, contact, task); a bare
/// word or quoted phrase looks in the subject. Every term must match; case is ignored.
#[derive(Debug, Default)]
struct ItemQuery {
    terms: Vec<(Field, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Subject,
    From,
    To,
    Folder,
    HasAttachments,
    Kind,
}

/// Reads a search query in the service's `field:value` form: each term a field `field`
/// names (a bare word or quoted phrase is `bare`) and its value in lower case. A field it
/// does not name, or an unclosed quote, is the client's 400.
pub(super) fn query_terms<F: Copy>(
    query: Option<&str>,
    bare: F,
    field: impl Fn(&str) -> Option<F>,
) -> Result<Vec<(F, String)>, ApiError> {
    let mut terms = Vec::new();
    let mut rest = query.unwrap_or_default().trim();
    while !rest.is_empty() {
        let (named, after) = match rest.split_once(':') {
            Some((name, after)) if !name.contains([' ', '"']) => {
                let named = field(&name.to_ascii_lowercase()).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "The search query names an unknown property '{name}'."
                    ))
                })?;
                (named, after)
            }
            _ => (bare, rest),
        };
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').ok_or_else(|| {
                ApiError::BadRequest("The search query has an unclosed quote.".to_owned())
            })?,
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        terms.push((named, value.to_lowercase()));
        rest = after.trim_start();
    }
    Ok(terms)
}

impl ItemQuery {
    fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let terms = query_terms(query, Field::Subject, |name| match name {
            "subject" => Some(Field::Subject),
            "from" => Some(Field::From),
            "to" => Some(Field::To),
            "folder" => Some(Field::Folder),
            "hasattachments" => Some(Field::HasAttachments),
            "kind" | "itemclass" => Some(Field::Kind),
            _ => None,
        })?;
        if let Some((_, value)) = terms.iter().find(|(field, value)| {
            *field == Field::HasAttachments
                && !["yes", "no", "true", "false"].contains(&value.as_str())
        }) {
            return Err(ApiError::BadRequest(format!(
                "hasattachments takes yes or no, not '{value}'."
            )));
        }
        Ok(Self { terms })
    }

    /// The items whose subject holds an export's keyword; every item without one.
    fn keyword(keyword: Option<String>) -> Self {
        Self {
            terms: keyword
                .filter(|keyword| !keyword.is_empty())
                .map(|keyword| (Field::Subject, keyword.to_lowercase()))
                .into_iter()
                .collect(),
        }
    }

    fn matches(&self, item: &MailItem) -> bool {
        self.terms.iter().all(|(field, value)| {
            let contains = |text: &str| text.to_lowercase().contains(value.as_str());
            match field {
                Field::Subject => contains(&item.subject),
                Field::From => contains(&item.from),
                Field::To => contains(&item.to),
                Field::Folder => contains(item.folder.name()),
                Field::HasAttachments => {
                    item.attachments.is_empty() == matches!(value.as_str(), "no" | "false")
                }
                Field::Kind => {
                    let kind = match item.folder.kind() {
                        FolderKind::Mail => "mail",
                        FolderKind::Appointment => "appointment",
                        FolderKind::Contact => "contact",
                        FolderKind::Task => "task",
                    };
                    kind.contains(value.as_str())
                }
            }
        })
    }
}

/// The items of the folders that match, as a page, and how many match in all (of the
/// first [`SEARCH_SCAN_LIMIT`] items of each mailbox).
fn search(
    mailboxes: &[SessionMailbox],
    folders: impl Fn(&SessionMailbox) -> Vec<MailFolder>,
    query: &ItemQuery,
    paging: Paging,
) -> (usize, Vec<MailItem>) {
    let mut total = 0;
    let mut page = Vec::new();
    for mailbox in mailboxes {
        let mut examined = 0;
        for folder in folders(mailbox) {
            let count = mailbox.count(folder);
            for position in 0..count {
                if examined >= SEARCH_SCAN_LIMIT {
                    break;
                }
                examined += 1;
                let Some(item) = mailbox.item_at(folder, position) else {
                    continue;
                };
                if query.matches(&item) {
                    if total >= paging.offset && page.len() < paging.limit {
                        page.push(item);
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
    mailbox: Option<&Key<DirectoryUser>>,
    folder: Option<&str>,
    paging: Paging,
    request: SearchRequest,
    collection: &str,
) -> Result<Response, ApiError> {
    let query = ItemQuery::parse(request.query.as_deref())?;
    cx.read(|world, wire| {
        let mailboxes = match mailbox {
            Some(key) => vec![session_mailbox(world, id, key)?],
            None => world.session_mailboxes(exchange_session(world, id)?),
        };
        let folder = match (folder, mailboxes.first()) {
            (Some(folder), Some(mailbox)) => Some(folder_of(mailbox, folder)?),
            _ => None,
        };
        let (total, items) = search(
            &mailboxes,
            |mailbox| match folder {
                Some(folder) => with_subfolders(folder),
                None => MailFolder::all(mailbox.user.id).collect(),
            },
            &query,
            paging,
        );
        let page = paging.info(total, collection);
        Ok(wire::restore::items(wire, id, &items, page))
    })
}

async fn search_mailboxes(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/mailboxes/search");
    search_answer(&cx, &id, None, None, paging, request, &collection)
}

/// Searches every mailbox the session shows (`searchExchange`): the same answer as a
/// search of the session's mailboxes, at the organization's own path.
async fn search_organization(
    cx: Ctx,
    PathParams(id): SessionPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/searchExchange");
    search_answer(&cx, &id, None, None, paging, request, &collection)
}

async fn search_mailbox(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection = format!("/RestoreSessions/{id}/organization/mailboxes/{mailbox}/search");
    search_answer(&cx, &id, Some(&mailbox), None, paging, request, &collection)
}

async fn search_folder(
    cx: Ctx,
    PathParams((id, mailbox, folder)): ChildPath,
    Query(paging): Query<Paging>,
    JsonBody(request): JsonBody<SearchRequest>,
) -> Result<Response, ApiError> {
    let collection =
        format!("/RestoreSessions/{id}/organization/mailboxes/{mailbox}/folders/{folder}/search");
    search_answer(
        &cx,
        &id,
        Some(&mailbox),
        Some(&folder),
        paging,
        request,
        &collection,
    )
}

// ---------------------------------------------------------------------------------------
// Save, export, send: files and mail, each an event of the session

/// How an event names an item's kind.
fn item_type(item: &MailItem) -> &'static str {
    match item.folder.kind() {
        FolderKind::Mail => "Message",
        FolderKind::Appointment => "Appointment",
        FolderKind::Contact => "Contact",
        FolderKind::Task => "Task",
    }
}

/// How an event names what an action took: one item by its subject, several counted.
fn described(items: &[MailItem]) -> (String, &'static str, u64) {
    let size = items.iter().map(|item| item.size_bytes).sum();
    match items {
        [one] => (one.subject.clone(), item_type(one), size),
        several => (format!("{} items", several.len()), "Items", size),
    }
}

/// Saves one item as a message file.
async fn save_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
) -> Result<Response, ApiError> {
    let (item, owner) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        let item = mailbox.find(&item).ok_or_else(|| item_not_found(&item))?;
        Ok::<_, ApiError>((item, mailbox.user.name.clone()))
    })?;
    let (name, kind, size) = described(std::slice::from_ref(&item));
    record(
        &cx,
        &id,
        RestoreAction::Save,
        (&name, kind, size),
        &owner,
        "",
    )?;
    Ok(wire::restore::message_file(&item))
}

/// Saves several items: one message file, or a `.zip` archive of them.
async fn save_items(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<SaveRequest>,
) -> Result<Response, ApiError> {
    let (items, owner) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, &id, &mailbox)?;
        Ok::<_, ApiError>((
            items_of(&mailbox, &request.items)?,
            mailbox.user.name.clone(),
        ))
    })?;
    let (name, kind, size) = described(&items);
    record(
        &cx,
        &id,
        RestoreAction::Save,
        (&name, kind, size),
        &owner,
        "",
    )?;
    Ok(match items.as_slice() {
        [one] => wire::restore::message_file(one),
        several => wire::restore::message_archive(several),
    })
}

/// Checks a PST size limit: when one is enabled it must be given, from 1 GB to 49 GB.
fn check_pst_limit(request: &ExportRequest) -> Result<(), ApiError> {
    if request.enable_pst_size_limit != Some(true) {
        return Ok(());
    }
    match request.pst_size_limit_bytes {
        Some(limit) if PST_SIZE_LIMITS.contains(&limit) => Ok(()),
        Some(limit) => Err(ApiError::BadRequest(format!(
            "The PST size limit {limit} is out of range: specify 1 GB to 49 GB in bytes."
        ))),
        None => Err(ApiError::BadRequest(
            "enablePstSizeLimit is set: specify pstSizeLimitBytes.".to_owned(),
        )),
    }
}

/// Exports what the folders hold (whose subject has the keyword, if one is given) to
/// the PST stand-in.
fn export_folders(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    folder: Option<&str>,
    request: ExportRequest,
) -> Result<Response, ApiError> {
    check_pst_limit(&request)?;
    let query = ItemQuery::keyword(request.content_keyword);
    let (owner, name, total, items) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, id, mailbox)?;
        let folders = match folder {
            Some(folder) => with_subfolders(folder_of(&mailbox, folder)?),
            None => MailFolder::all(mailbox.user.id).collect(),
        };
        let name = match folder {
            Some(_) => folders[0].name().to_owned(),
            None => mailbox.user.display_name.clone(),
        };
        let paging = Paging {
            offset: 0,
            limit: PST_LISTED_ITEMS,
        };
        let (total, items) = search(
            std::slice::from_ref(&mailbox),
            |_| folders.clone(),
            &query,
            paging,
        );
        Ok::<_, ApiError>((mailbox.user.name.clone(), name, total, items))
    })?;
    let kind = if folder.is_some() {
        "Folder"
    } else {
        "Mailbox"
    };
    record(
        cx,
        id,
        RestoreAction::Export,
        (&name, kind, 0),
        &owner,
        &format!("{name}.pst"),
    )?;
    Ok(wire::mail_restore::pst_file(&name, &items, total as u64))
}

/// Exports what every mailbox the session shows holds (whose subject has the keyword, if
/// one is given) to one PST stand-in named for the organization.
async fn export_organization(
    cx: Ctx,
    PathParams(id): SessionPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: ExportRequest = optional_body(&body)?;
    check_pst_limit(&request)?;
    let query = ItemQuery::keyword(request.content_keyword);
    let (name, total, items) = cx.read(|world, _| {
        let session = exchange_session(world, &id)?;
        let mailboxes = world.session_mailboxes(session);
        let paging = Paging {
            offset: 0,
            limit: PST_LISTED_ITEMS,
        };
        let (total, items) = search(
            &mailboxes,
            |mailbox| MailFolder::all(mailbox.user.id).collect(),
            &query,
            paging,
        );
        let name = world.organization_name(&session.organization_id).to_owned();
        Ok::<_, ApiError>((name, total, items))
    })?;
    record(
        &cx,
        &id,
        RestoreAction::Export,
        (&name, "Organization", 0),
        &name,
        &format!("{name}.pst"),
    )?;
    Ok(wire::mail_restore::pst_file(&name, &items, total as u64))
}

async fn export_mailbox(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    export_folders(&cx, &id, &mailbox, None, optional_body(&body)?)
}

async fn export_folder(
    cx: Ctx,
    PathParams((id, mailbox, folder)): ChildPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    export_folders(&cx, &id, &mailbox, Some(&folder), optional_body(&body)?)
}

/// Exports items the request or path names to the PST stand-in.
fn export_named(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    ids: &[ItemReference],
    request: &ExportRequest,
) -> Result<Response, ApiError> {
    check_pst_limit(request)?;
    let (owner, items) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, id, mailbox)?;
        Ok::<_, ApiError>((mailbox.user.name.clone(), items_of(&mailbox, ids)?))
    })?;
    let (name, kind, size) = described(&items);
    record(
        cx,
        id,
        RestoreAction::Export,
        (&name, kind, size),
        &owner,
        &format!("{name}.pst"),
    )?;
    Ok(wire::mail_restore::pst_file(
        &name,
        &items,
        items.len() as u64,
    ))
}

async fn export_items(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<ExportRequest>,
) -> Result<Response, ApiError> {
    let ids = request.items.as_deref().unwrap_or_default();
    export_named(&cx, &id, &mailbox, ids, &request)
}

async fn export_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let request: ExportRequest = optional_body(&body)?;
    export_named(&cx, &id, &mailbox, &[ItemReference { id: item }], &request)
}

/// Mails items as message attachments: the message lands in the outbox the control API
/// lists, and the session gains a Send event.
fn send(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    ids: &[ItemReference],
    request: SendRequest,
) -> Result<Response, ApiError> {
    let message = Addressed::of(cx, request, Mailer::Exchange)?;
    let (owner, items) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, id, mailbox)?;
        Ok::<_, ApiError>((mailbox.user.name.clone(), items_of(&mailbox, ids)?))
    })?;
    deliver_items(cx, id, message, &owner, &items)
}

/// Delivers items as message attachments, each a `.msg` named for its subject.
fn deliver_items(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    message: Addressed,
    owner: &str,
    items: &[MailItem],
) -> Result<Response, ApiError> {
    let (name, kind, size) = described(items);
    let attachments = items
        .iter()
        .map(|item| format!("{}.msg", wire::restore::file_name(&item.subject)))
        .collect();
    deliver(cx, id, message, (&name, kind, size), owner, attachments)
}

/// Mails items to the mailbox they came from, from the sender the Exchange email settings
/// give; without one configured there is no one to send as, and nothing is sent.
fn send_to_owner(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    ids: &[ItemReference],
) -> Result<Response, ApiError> {
    let (owner, items, sender) = cx.read(|world, _| {
        let mailbox = session_mailbox(world, id, mailbox)?;
        let items = items_of(&mailbox, ids)?;
        let sender = world
            .settings
            .email(Mailer::Exchange)
            .sender()
            .map(str::to_owned);
        Ok::<_, ApiError>((mailbox.user.name.clone(), items, sender))
    })?;
    let from = sender.ok_or_else(|| {
        ApiError::BadRequest(format!(
            "Cannot send the items to the original mailbox: no sender is configured in the email settings of {} ({}).",
            Mailer::Exchange.product(),
            wire::settings::email_path(Mailer::Exchange)
        ))
    })?;
    let message = Addressed {
        to: owner.clone(),
        from,
        subject: None,
        text: None,
    };
    deliver_items(cx, id, message, &owner, &items)
}

async fn send_items_to_owner(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let ids = request.items.unwrap_or_default();
    send_to_owner(&cx, &id, &mailbox, &ids)
}

async fn send_item_to_owner(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
) -> Result<Response, ApiError> {
    send_to_owner(&cx, &id, &mailbox, &[ItemReference { id: item }])
}

async fn send_items(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(mut request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    let ids = request.items.take().unwrap_or_default();
    send(&cx, &id, &mailbox, &ids, request)
}

async fn send_item(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Response, ApiError> {
    send(&cx, &id, &mailbox, &[ItemReference { id: item }], request)
}

// ---------------------------------------------------------------------------------------
// Restore

/// What a restore takes from the mailbox.
enum Taken<'a> {
    Items(&'a [ItemReference]),
    Folder(&'a str),
    Mailbox,
}

/// Where a restore asks to write.
enum Destination {
    Original,
    /// The mailbox (an address, a name or an id) and folder a `restoreTo` names.
    Elsewhere {
        mailbox: Option<String>,
        folder: Option<String>,
    },
}

/// Resolves what a restore takes, where it writes and how its event names it; refuses
/// before anything changes.
fn plan(
    world: &World,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    taken: &Taken,
    destination: Destination,
) -> Result<MailRestore, ApiError> {
    let mailbox = session_mailbox(world, id, mailbox)?;
    let (selection, item_name, item_type, item_size_bytes) = match taken {
        Taken::Items(ids) => {
            let items = items_of(&mailbox, ids)?;
            let (name, kind, size) = described(&items);
            let numbers = items
                .iter()
                .map(|item| (item.folder.index, item.number))
                .collect();
            (RestoreSelection::Items(numbers), name, kind, size)
        }
        Taken::Folder(folder) => {
            let folder = folder_of(&mailbox, folder)?;
            let folders = with_subfolders(folder)
                .into_iter()
                .map(|folder| (folder.index, mailbox.count(folder)))
                .collect();
            (
                RestoreSelection::Folders(folders),
                folder.name().to_owned(),
                "Folder",
                0,
            )
        }
        Taken::Mailbox => {
            let folders = MailFolder::all(mailbox.user.id)
                .map(|folder| (folder.index, mailbox.count(folder)))
                .collect();
            (
                RestoreSelection::Folders(folders),
                mailbox.user.name.clone(),
                "Mailbox",
                0,
            )
        }
    };
    let target = match destination {
        Destination::Original => MailTarget::Original,
        Destination::Elsewhere {
            mailbox: target,
            folder,
        } => {
            let target = target
                .filter(|name| !name.trim().is_empty())
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "Specify the mailbox to restore to in 'mailbox'.".to_owned(),
                    )
                })?;
            let organization_id = exchange_session(world, id)?.organization_id;
            let user = world
                .organization_users(organization_id)
                .filter(|user| user.kind != UserKind::Public)
                .find(|user| {
                    user.name.eq_ignore_ascii_case(&target)
                        || user.display_name.eq_ignore_ascii_case(&target)
                        || user.id.to_string().eq_ignore_ascii_case(&target)
                })
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "Mailbox '{target}' was not found in the organization."
                    ))
                })?;
            let folder = match folder.filter(|name| !name.trim().is_empty()) {
                Some(name) => Some(
                    MailFolder::named(user.id, &name)
                        .ok_or_else(|| {
                            ApiError::BadRequest(format!(
                                "Folder '{name}' was not found in mailbox '{}'.",
                                user.name
                            ))
                        })?
                        .index,
                ),
                None => None,
            };
            MailTarget::Mailbox {
                id: user.id,
                folder,
            }
        }
    };
    Ok(MailRestore {
        session_id: **id,
        source_mailbox: mailbox.user.id,
        selection,
        target,
        item_name,
        item_type,
        item_size_bytes,
        reason: None,
    })
}

/// Plans and runs a restore, answering as the version does.
fn restore(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    mailbox: &Key<DirectoryUser>,
    taken: Taken,
    destination: Destination,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    let folders = !matches!(taken, Taken::Items(_));
    let outcome = cx.state.world.write(|world| {
        let restore = plan(world, id, mailbox, &taken, destination)?;
        Ok::<_, ApiError>(world.restore_mail(restore, now)?)
    })?;
    Ok(wire::mail_restore::restored(
        cx.version, id, outcome, folders,
    ))
}

/// A restore's request body: where it writes, and the items it names if any.
trait RestoreBody: serde::de::DeserializeOwned {
    fn into_parts(self) -> Result<(Destination, Vec<ItemReference>), ApiError>;
}

impl RestoreBody for RestoreToOriginalRequest {
    fn into_parts(self) -> Result<(Destination, Vec<ItemReference>), ApiError> {
        require_credentials(&self.credentials)?;
        Ok((Destination::Original, self.items.unwrap_or_default()))
    }
}

impl RestoreBody for RestoreToRequest {
    fn into_parts(self) -> Result<(Destination, Vec<ItemReference>), ApiError> {
        require_credentials(&self.credentials)?;
        let destination = Destination::Elsewhere {
            mailbox: self.mailbox,
            folder: self.folder,
        };
        Ok((destination, self.items.unwrap_or_default()))
    }
}

async fn restore_item<R: RestoreBody>(
    cx: Ctx,
    PathParams((id, mailbox, item)): ChildPath,
    JsonBody(request): JsonBody<R>,
) -> Result<Response, ApiError> {
    let (destination, _) = request.into_parts()?;
    let ids = [ItemReference { id: item }];
    restore(&cx, &id, &mailbox, Taken::Items(&ids), destination)
}

async fn restore_items<R: RestoreBody>(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<R>,
) -> Result<Response, ApiError> {
    let (destination, ids) = request.into_parts()?;
    restore(&cx, &id, &mailbox, Taken::Items(&ids), destination)
}

async fn restore_folder<R: RestoreBody>(
    cx: Ctx,
    PathParams((id, mailbox, folder)): ChildPath,
    JsonBody(request): JsonBody<R>,
) -> Result<Response, ApiError> {
    let (destination, _) = request.into_parts()?;
    restore(&cx, &id, &mailbox, Taken::Folder(&folder), destination)
}

async fn restore_mailbox<R: RestoreBody>(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<R>,
) -> Result<Response, ApiError> {
    let (destination, _) = request.into_parts()?;
    restore(&cx, &id, &mailbox, Taken::Mailbox, destination)
}

/// Restores whole mailboxes to where they came from, each an event of the session.
async fn restore_mailboxes(
    cx: Ctx,
    PathParams(id): SessionPath,
    JsonBody(request): JsonBody<BulkRestoreRequest>,
) -> Result<Response, ApiError> {
    require_credentials(&request.credentials)?;
    if request.mailboxes.is_empty() {
        return Err(ApiError::BadRequest(
            "Name at least one mailbox in 'mailboxes'.".to_owned(),
        ));
    }
    let keys: Vec<Key<DirectoryUser>> = request
        .mailboxes
        .iter()
        .map(|mailbox| Key::parse(&mailbox.id))
        .collect();
    let now = cx.now().fixed_offset();
    let outcomes = cx.state.world.write(|world| {
        let plans = keys
            .iter()
            .map(|key| plan(world, &id, key, &Taken::Mailbox, Destination::Original))
            .collect::<Result<Vec<_>, _>>()?;
        let mut outcomes = Vec::with_capacity(plans.len());
        for plan in plans {
            let mailbox = plan.source_mailbox;
            outcomes.push((mailbox, world.restore_mail(plan, now)?));
        }
        Ok::<_, ApiError>(outcomes)
    })?;
    cx.read(|world, wire| {
        let mailboxes: Vec<_> = outcomes
            .iter()
            .filter_map(|(mailbox, outcome)| {
                world
                    .directory_users
                    .iter()
                    .find(|user| user.id == *mailbox)
                    .map(|user| (user, *outcome))
            })
            .collect();
        Ok(wire::mail_restore::restored_in_bulk(wire, &id, &mailboxes))
    })
}

/// A restore operator's restore: the items back to the mailbox they came from, or into
/// the folder the request names there; answered with the session that runs it.
async fn operator_restore(
    cx: Ctx,
    PathParams((id, mailbox)): MailboxPath,
    JsonBody(request): JsonBody<OperatorRestoreRequest>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| {
        let destination = match request.folder.filter(|folder| !folder.trim().is_empty()) {
            Some(folder) => Destination::Elsewhere {
                mailbox: Some(session_mailbox(world, &id, &mailbox)?.user.name.clone()),
                folder: Some(folder),
            },
            None => Destination::Original,
        };
        let plan = plan(
            world,
            &id,
            &mailbox,
            &Taken::Items(&request.items),
            destination,
        )?;
        world.restore_mail(plan.noted(request.reason), now)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(wire::mail_restore::session_reference(&id))
}

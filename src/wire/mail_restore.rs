//! Restoring, exporting and sending mail from an Exchange restore session: the request
//! bodies, the statistics v6 and v7 answer with, v8's session reference, and the PST
//! stand-in file.

use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::restore::{ItemReference, MailboxBody, file, file_name};
use super::{Context, Version, ok};
use crate::model::{DirectoryUser, MailItem, RestoreOutcome};

/// The credentials a restore to a mailbox authenticates with; the contract offers a
/// user name and password, a device code, or an application with its certificate.
#[derive(Debug, Default, Deserialize)]
pub struct RestoreCredentials {
    #[serde(default, rename = "username")]
    user_name: Option<String>,
    #[serde(default, rename = "office365username", alias = "officeusername")]
    office365_user_name: Option<String>,
    #[serde(default, rename = "onpremisesusername")]
    on_premises_user_name: Option<String>,
    #[serde(default, rename = "usercode")]
    user_code: Option<String>,
    #[serde(default, rename = "applicationid")]
    application_id: Option<Uuid>,
    #[serde(default, rename = "impersonationaccountname")]
    impersonation_account_name: Option<String>,
}

impl RestoreCredentials {
    /// Whether the request names the account to act as (a restore operator's Teams restore
    /// must).
    pub fn impersonates(&self) -> bool {
        self.impersonation_account_name
            .as_deref()
            .is_some_and(|name| !name.trim().is_empty())
    }

    /// Whether the request names a way to sign in to the organization.
    pub fn given(&self) -> bool {
        let named = |value: &Option<String>| value.as_deref().is_some_and(|text| !text.is_empty());
        named(&self.user_name)
            || named(&self.office365_user_name)
            || named(&self.on_premises_user_name)
            || named(&self.user_code)
            || named(&self.impersonation_account_name)
            || self.application_id.is_some()
    }
}

/// `RESTRestoreToOriginalLocation` and `RESTRestoreToOriginalLocationSelectedItems`.
#[derive(Debug, Default, Deserialize)]
pub struct RestoreToOriginalRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub items: Option<Vec<ItemReference>>,
}

/// `RESTRestoreToDifferentLocation` and its `SelectedItems` form: the mailbox (its email
/// address) and, optionally, the folder to write into.
#[derive(Debug, Default, Deserialize)]
pub struct RestoreToRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub mailbox: Option<String>,
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub items: Option<Vec<ItemReference>>,
}

/// `RestBulkRestoreOptions`: mailboxes restored to where they came from.
#[derive(Debug, Default, Deserialize)]
pub struct BulkRestoreRequest {
    #[serde(flatten)]
    pub credentials: RestoreCredentials,
    #[serde(default)]
    pub mailboxes: Vec<ItemReference>,
}

/// `RESTOperatorRestoreOptions`: a restore operator's items, back to the mailbox.
#[derive(Debug, Default, Deserialize)]
pub struct OperatorRestoreRequest {
    #[serde(default)]
    pub items: Vec<ItemReference>,
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `RESTSendToDifferentAddressOptions`, `RESTSendAsMsgOptions` and
/// `RESTSendToDefaultAddressOptions`; for OneDrive `RESTSendAsMsgOptionsV6`,
/// `RESTSendDocumentsAsMsgOptions` and `RESTSendFoldersAsMsgOptions`; for Teams
/// `RESTSendPostsOptions` and `RESTFilesSendOptions`.
#[derive(Debug, Default, Deserialize)]
pub struct SendRequest {
    #[serde(default, rename = "channelid")]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub posts: Option<Vec<super::teams_restore::PostReference>>,
    #[serde(default)]
    pub files: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub items: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub documents: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub folders: Option<Vec<ItemReference>>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// `RESTExportToPstOptions`, `RESTSeveralItemsExportOptions` and `RESTExportFolderToPst`.
#[derive(Debug, Default, Deserialize)]
pub struct ExportRequest {
    #[serde(default)]
    pub items: Option<Vec<ItemReference>>,
    #[serde(default, rename = "contentkeyword")]
    pub content_keyword: Option<String>,
    #[serde(default, rename = "enablepstsizelimit")]
    pub enable_pst_size_limit: Option<bool>,
    #[serde(default, rename = "pstsizelimitbytes")]
    pub pst_size_limit_bytes: Option<i64>,
}

/// The PST size limits the service accepts: 1 GB to 49 GB.
pub const PST_SIZE_LIMITS: std::ops::RangeInclusive<i64> = (1 << 30)..=(49 << 30);

/// `RESTSearchOptions`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchRequest {
    #[serde(default)]
    pub query: Option<String>,
}

/// What a restore answers: the statistics up to v7, a reference to the restore session
/// whose events follow it in v8.
pub fn restored(
    version: Version,
    session_id: &Uuid,
    outcome: RestoreOutcome,
    folders: bool,
) -> Response {
    if version >= Version::V8 {
        return ok(&SessionReference { session_id });
    }
    ok(&RestoreStatisticsBody {
        failed_folders_count: folders.then_some(0),
        exceptions: [],
        statistics: CommonStatistics::of(outcome),
    })
}

/// What a bulk restore answers: per mailbox statistics up to v7, v8's session reference.
pub fn restored_in_bulk(
    cx: &Context<'_>,
    session_id: &Uuid,
    mailboxes: &[(&DirectoryUser, RestoreOutcome)],
) -> Response {
    if cx.version >= Version::V8 {
        return ok(&SessionReference { session_id });
    }
    let details: Vec<BulkMailboxBody<'_>> = mailboxes
        .iter()
        .map(|(user, outcome)| BulkMailboxBody {
            mailbox: MailboxBody::new(cx, session_id, user),
            status: if outcome.failed > 0 {
                "Failed"
            } else {
                "Success"
            },
            error: "",
            details: CommonStatistics::of(*outcome),
        })
        .collect();
    let failed = mailboxes.iter().any(|(_, outcome)| outcome.failed > 0);
    ok(&BulkStatisticsBody {
        status: if failed { "Failed" } else { "Success" },
        error: "",
        details,
    })
}

/// `RESTOperatorRestoreResponse` and v8's `RESTAsyncRestoreResponse`.
pub fn session_reference(session_id: &Uuid) -> Response {
    ok(&SessionReference { session_id })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionReference<'a> {
    session_id: &'a Uuid,
}

/// `RESTItemsRestoreStatistics`, and `RESTFoldersRestoreStatistics` with the folders'
/// count.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreStatisticsBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_folders_count: Option<u64>,
    exceptions: [&'static str; 0],
    #[serde(flatten)]
    statistics: CommonStatistics,
}

/// `RESTCommonRestoreStatistics`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommonStatistics {
    created_items_count: u64,
    merged_items_count: u64,
    failed_items_count: u64,
    skipped_items_count: u64,
    /// Empty when nothing stopped the restore: the contract types it as a plain string.
    cannot_continue_error: &'static str,
    warnings: [&'static str; 0],
}

impl CommonStatistics {
    fn of(outcome: RestoreOutcome) -> Self {
        Self {
            created_items_count: outcome.created,
            merged_items_count: 0,
            failed_items_count: outcome.failed,
            skipped_items_count: outcome.skipped,
            cannot_continue_error: "",
            warnings: [],
        }
    }
}

/// `RESTBulkRestoreStatistics`.
#[derive(Serialize)]
struct BulkStatisticsBody<'a> {
    status: &'static str,
    error: &'static str,
    details: Vec<BulkMailboxBody<'a>>,
}

/// `RESTBulkMailboxRestoreStatistics`.
#[derive(Serialize)]
struct BulkMailboxBody<'a> {
    mailbox: MailboxBody<'a>,
    status: &'static str,
    error: &'static str,
    details: CommonStatistics,
}

/// How many items the PST stand-in names before it only counts the rest.
pub const PST_LISTED_ITEMS: usize = 10_000;

/// An export to PST. The vendor's PST is Outlook's proprietary binary format, which needs
/// Outlook on the server to write; the emulator sends a text stand-in under the same name
/// and type that names every exported item, one a line (see the README).
pub fn pst_file(name: &str, items: &[MailItem], total: u64) -> Response {
    let mut text = format!(
        "vb365-mock PST stand-in: {total} item(s) exported from the backup\r\nid\tfolder\treceived\tfrom\tsize\tsubject\r\n"
    );
    for item in items.iter().take(PST_LISTED_ITEMS) {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\r\n",
            item.id(),
            item.folder.name(),
            item.arrived.to_rfc3339(),
            item.from,
            item.size_bytes,
            item.subject
        ));
    }
    let listed = items.len().min(PST_LISTED_ITEMS) as u64;
    if total > listed {
        text.push_str(&format!("... and {} more item(s)\r\n", total - listed));
    }
    file(
        &format!("{}.pst", file_name(name)),
        "application/octet-stream",
        text.into_bytes(),
    )
}

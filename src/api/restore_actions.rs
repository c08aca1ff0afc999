//! What the restores of every Explorer share: credentials they require, bodies a client may
//! leave out, events of finished actions, and items mailed to an address.

use axum::response::Response;

use super::Ctx;
use crate::error::ApiError;
use crate::model::{Id, Mailer, RestoreAction, RestoreKind, RestoreSession, SentMail};
use crate::store::{JobEditError, World};
use crate::wire;
use crate::wire::mail_restore::{RestoreCredentials, SendRequest};

/// The session `id` names, if an explore opened it in the Explorer of `kind` (named in
/// messages as `explorer`, with its article) and it still runs.
pub fn working_session<'w>(
    world: &'w World,
    id: &Id<RestoreSession>,
    kind: RestoreKind,
    explorer: &str,
) -> Result<&'w RestoreSession, ApiError> {
    let session = world.find(id)?;
    if session.explored.is_none() {
        return Err(ApiError::BadRequest(format!(
            "Restore session '{id}' was not opened by an explore and shows no backups."
        )));
    }
    if session.kind != kind {
        return Err(ApiError::BadRequest(format!(
            "Restore session '{id}' is not {explorer} restore session."
        )));
    }
    if session.end_time.is_some() {
        return Err(JobEditError::Invalid(format!("Restore session '{id}' is stopped.")).into());
    }
    Ok(session)
}

/// What a restore operator's session answers for an object of the backup that their
/// roles do not let them restore.
pub fn outside_operator_scope(what: &str, id: &str) -> ApiError {
    ApiError::Forbidden(format!(
        "Access denied: {what} '{id}' is outside the objects the restore operator may restore."
    ))
}

pub fn require_credentials(credentials: &RestoreCredentials) -> Result<(), ApiError> {
    if credentials.given() {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "Specify how to sign in to the organization for the restore: userName and userPassword, userCode (a device code), or applicationId with applicationCertificate."
                .to_owned(),
        ))
    }
}

/// A body the contract lets a client leave out.
pub fn optional_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        Ok(wire::body::read(body)?)
    }
}

/// Records a finished action of the session.
pub fn record(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    action: RestoreAction,
    what: (&str, &str, u64),
    source: &str,
    target: &str,
) -> Result<(), ApiError> {
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.record_restore_event(**id, action, what, source, target, now))?;
    Ok(())
}

/// Where a send goes and who it is from: both must be given, as `explorer` has no default
/// sender configured.
pub struct Addressed {
    pub to: String,
    pub from: String,
    pub subject: Option<String>,
    pub text: Option<String>,
}

impl Addressed {
    /// The message a send request asks for; without a sender, the one the product's email
    /// settings give, as the real explorers send.
    pub fn of(cx: &Ctx, request: SendRequest, mailer: Mailer) -> Result<Self, ApiError> {
        let nonempty = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        let to = nonempty(request.to).ok_or_else(|| {
            ApiError::BadRequest("Specify the address to send the items to in 'to'.".to_owned())
        })?;
        let default_sender =
            cx.read(|world, _| world.settings.email(mailer).sender().map(str::to_owned));
        let from = nonempty(request.from).or(default_sender).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "Specify the sender in 'from': no default sender is configured in the email settings of {} ({}).",
                mailer.product(),
                wire::settings::email_path(mailer)
            ))
        })?;
        Ok(Self {
            to,
            from,
            subject: request.subject,
            text: request.text,
        })
    }
}

/// Mails files restored from the session: the message lands in the outbox the control API
/// lists, and the session gains a Send event; answered as the version does.
pub fn deliver(
    cx: &Ctx,
    id: &Id<RestoreSession>,
    message: Addressed,
    what: (&str, &str, u64),
    owner: &str,
    attachments: Vec<String>,
) -> Result<Response, ApiError> {
    let now = cx.now().fixed_offset();
    cx.state.world.write(|world| {
        world.record_restore_event(**id, RestoreAction::Send, what, owner, &message.to, now)?;
        let mail_id = world.next_id();
        world.outbox.push(SentMail {
            id: mail_id,
            sent_at: now,
            from: message.from,
            subject: message
                .subject
                .unwrap_or_else(|| format!("Restored items: {}", what.0)),
            text: message.text.unwrap_or_default(),
            attachments,
            to: message.to,
            restore_session_id: Some(**id),
        });
        Ok::<_, JobEditError>(())
    })?;
    Ok(wire::infrastructure::written(cx.version))
}

//! Writes of the server's settings: a change is checked whole on a copy and then kept, or refused leaving everything as it was.

use uuid::Uuid;

use super::{JobEditError, World};
use crate::model::{
    EmailChange, HistorySettings, Mailer, ManagementMode, OAuthService, SentMail,
    ServerInternetProxy, SignInRequest, Timestamp,
};

/// A sign-in completed: the request and the account it signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub request_id: Uuid,
    pub user_id: String,
}

impl World {
    /// Changes a product's email settings.
    pub fn edit_email(&mut self, mailer: Mailer, change: EmailChange) -> Result<(), JobEditError> {
        let mut settings = self.settings.email(mailer).clone();
        settings.apply(change).map_err(JobEditError::Invalid)?;
        *self.settings.email_mut(mailer) = settings;
        Ok(())
    }

    pub fn set_history(&mut self, history: HistorySettings) -> Result<(), JobEditError> {
        history.check().map_err(JobEditError::Invalid)?;
        self.settings.history = history;
        Ok(())
    }

    pub fn set_internet_proxy(&mut self, proxy: ServerInternetProxy) -> Result<(), JobEditError> {
        proxy.check().map_err(JobEditError::Invalid)?;
        self.settings.internet_proxy = proxy;
        Ok(())
    }

    pub fn set_management_mode(&mut self, mode: ManagementMode) -> Result<(), JobEditError> {
        self.settings.management_mode = mode.settled().map_err(JobEditError::Invalid)?;
        Ok(())
    }

    /// Prepares an OAuth sign-in for a product's mail; a new one replaces one pending.
    /// Answers the request's id and the address the browser signs in at.
    pub fn prepare_sign_in(
        &mut self,
        mailer: Mailer,
        request: SignInRequest,
    ) -> Result<(Uuid, String), JobEditError> {
        let request_id = self.next_id();
        let sign_in = request
            .into_sign_in(request_id)
            .map_err(JobEditError::Invalid)?;
        let url = sign_in.url();
        self.settings.email_mut(mailer).sign_in = Some(sign_in);
        Ok((request_id, url))
    }

    /// Completes the pending sign-in `state` names with the identity platform's `code`.
    /// The account signed in is the settings' sender where it has one (a test signs in as
    /// the address it configured), else an account named after the request.
    pub fn complete_sign_in(
        &mut self,
        mailer: Mailer,
        code: &str,
        state: &str,
    ) -> Result<SignedIn, JobEditError> {
        let settings = self.settings.email_mut(mailer);
        let sign_in = settings
            .sign_in
            .as_mut()
            .filter(|sign_in| sign_in.request_id.to_string() == state.trim())
            .ok_or_else(|| {
                JobEditError::Invalid(format!(
                    "No sign-in request matches the state '{state}': prepare the sign-in first."
                ))
            })?;
        if code.trim().is_empty() {
            return Err(JobEditError::Invalid(
                "Specify the code the identity platform returned in 'code'.".to_owned(),
            ));
        }
        let domain = match sign_in.service {
            OAuthService::GoogleGmail => "gmail.com",
            OAuthService::Microsoft365 => "onmicrosoft.com",
        };
        let user_id = if settings.from.is_empty() {
            format!("mailer-{}@{domain}", sign_in.request_id.simple())
        } else {
            settings.from.clone()
        };
        sign_in.user_id = Some(user_id.clone());
        Ok(SignedIn {
            request_id: sign_in.request_id,
            user_id,
        })
    }

    /// Mails a test message with a product's settings: to `to`, or to the settings' own
    /// recipients. It lands in the outbox.
    pub fn send_test_mail(
        &mut self,
        mailer: Mailer,
        to: Option<String>,
        now: Timestamp,
    ) -> Result<(), JobEditError> {
        let settings = self.settings.email(mailer);
        if let Some(reason) = settings.refusal(mailer) {
            return Err(JobEditError::Invalid(reason));
        }
        let to = to.unwrap_or_else(|| settings.to.clone());
        if to.trim().is_empty() {
            return Err(JobEditError::Invalid(format!(
                "The recipient address is not specified in the email settings of {}.",
                mailer.product()
            )));
        }
        let from = settings.sender().unwrap_or_default().to_owned();
        let product = mailer.product();
        let id = self.next_id();
        self.outbox.push(SentMail {
            id,
            sent_at: now,
            from,
            to,
            subject: format!("{product} test message"),
            text: format!("This message was sent by {product} to test its email settings."),
            attachments: Vec::new(),
            restore_session_id: None,
        });
        Ok(())
    }
}

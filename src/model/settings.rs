//! The server's own settings: how each product sends mail, session history, the internet proxy, folder and retention exclusions, management mode and updates.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which product a set of email settings belongs to: each has its own resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailer {
    /// Job notifications (`/VboEmailSettings`).
    Jobs,
    /// Notifications of operations on backed-up data (`/AuditEmailSettings`).
    Audit,
    /// The explorers, which mail restored items and reports (`/VexEmailSettings` and kin).
    Exchange,
    OneDrive,
    SharePoint,
    Teams,
}

impl Mailer {
    pub const ALL: [Mailer; 6] = [
        Self::Jobs,
        Self::Audit,
        Self::Exchange,
        Self::OneDrive,
        Self::SharePoint,
        Self::Teams,
    ];

    /// The product that sends this kind of mail, as messages name it.
    pub fn product(self) -> &'static str {
        match self {
            Self::Jobs | Self::Audit => "Veeam Backup for Microsoft 365",
            Self::Exchange => "Veeam Explorer for Microsoft Exchange",
            Self::OneDrive => "Veeam Explorer for Microsoft OneDrive for Business",
            Self::SharePoint => "Veeam Explorer for Microsoft SharePoint",
            Self::Teams => "Veeam Explorer for Microsoft Teams",
        }
    }

    /// The key of the product's email settings under `settings` in world files.
    pub fn world_key(self) -> &'static str {
        match self {
            Self::Jobs => "vboEmail",
            Self::Audit => "auditEmail",
            Self::Exchange => "vexEmail",
            Self::OneDrive => "veodEmail",
            Self::SharePoint => "vespEmail",
            Self::Teams => "vetEmail",
        }
    }

    /// Job and audit notifications go to the settings' own recipients, with a subject of
    /// their own; the explorers mail whoever a request names.
    pub fn has_recipients(self) -> bool {
        matches!(self, Self::Jobs | Self::Audit)
    }
}

/// How a product sends mail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailAuthentication {
    #[default]
    CustomSmtp,
    GoogleGmail,
    Microsoft365,
}

/// The account services a sign-in can be prepared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OAuthService {
    GoogleGmail,
    Microsoft365,
}

/// A password or client secret: kept in the world (and its files), never rendered, and
/// shown as `<redacted>` by `{:?}` so it reaches no log.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "<redacted>"
        })
    }
}

impl From<OAuthService> for MailAuthentication {
    fn from(service: OAuthService) -> Self {
        match service {
            OAuthService::GoogleGmail => Self::GoogleGmail,
            OAuthService::Microsoft365 => Self::Microsoft365,
        }
    }
}

/// One product's email settings. The password is kept but no response shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct EmailSettings {
    pub enable_notification: bool,
    /// The SMTP server's DNS name or address; empty until one is given.
    pub server: String,
    pub port: u16,
    pub use_authentication: bool,
    pub username: String,
    #[serde(skip_serializing_if = "Secret::is_empty")]
    pub password: Secret,
    #[serde(rename = "useSSL")]
    pub use_ssl: bool,
    pub from: String,
    /// Recipients, separated by semicolons (job and audit notifications).
    pub to: String,
    pub subject: String,
    /// When job notifications are sent (job notifications only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify: Option<JobNotifications>,
    pub authentication_type: MailAuthentication,
    pub client_id: String,
    pub tenant_id: String,
    /// The account mail is sent as after an OAuth sign-in.
    pub user_id: String,
    pub mail_api_url: Option<String>,
    pub is_authenticated: bool,
    /// A sign-in prepared and perhaps completed, waiting for the settings that use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<SignIn>,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            enable_notification: false,
            server: String::new(),
            port: 25,
            use_authentication: false,
            username: String::new(),
            password: Secret::default(),
            use_ssl: false,
            from: String::new(),
            to: String::new(),
            subject: String::new(),
            notify: None,
            authentication_type: MailAuthentication::CustomSmtp,
            client_id: String::new(),
            tenant_id: String::new(),
            user_id: String::new(),
            mail_api_url: None,
            is_authenticated: false,
            sign_in: None,
        }
    }
}

/// Which job results are mailed, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct JobNotifications {
    pub notify_on_success: bool,
    pub notify_on_warning: bool,
    pub notify_on_failure: bool,
    pub supress_until_last_retry: bool,
    pub attach_detailed_report: bool,
}

impl Default for JobNotifications {
    fn default() -> Self {
        Self {
            notify_on_success: true,
            notify_on_warning: true,
            notify_on_failure: true,
            supress_until_last_retry: true,
            attach_detailed_report: false,
        }
    }
}

/// An OAuth sign-in: prepared with the application's ids, completed with the code the
/// identity platform handed the browser, then named by the settings that send with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignIn {
    pub request_id: Uuid,
    pub service: OAuthService,
    pub client_id: String,
    pub client_secret: Secret,
    #[serde(default)]
    pub tenant_id: String,
    pub redirect_url: String,
    /// The account that signed in, once the sign-in is completed.
    #[serde(default)]
    pub user_id: Option<String>,
}

impl SignIn {
    /// Where the browser signs in: the identity platform's authorization endpoint, asked
    /// for a code for the mail-sending scope, with the request id as `state`.
    pub fn url(&self) -> String {
        let state = self.request_id.to_string();
        let (endpoint, scope) = match self.service {
            OAuthService::Microsoft365 => (
                format!(
                    "https://login.microsoftonline.com/{}/oauth2/v2.0/authorize",
                    self.tenant_id
                ),
                "https://graph.microsoft.com/Mail.Send offline_access",
            ),
            OAuthService::GoogleGmail => (
                "https://accounts.google.com/o/oauth2/v2/auth".to_owned(),
                "https://mail.google.com/",
            ),
        };
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &self.redirect_url)
            .append_pair("scope", scope)
            .append_pair("state", &state)
            .finish();
        format!("{endpoint}?{query}")
    }
}

/// What a write of email settings asks to change; what it leaves out stays as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailChange {
    pub enable_notification: Option<bool>,
    pub server: Option<String>,
    pub port: Option<u16>,
    pub use_authentication: Option<bool>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub use_ssl: Option<bool>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: Option<String>,
    pub notify_on_success: Option<bool>,
    pub notify_on_warning: Option<bool>,
    pub notify_on_failure: Option<bool>,
    pub supress_until_last_retry: Option<bool>,
    pub attach_detailed_report: Option<bool>,
    pub authentication_type: Option<MailAuthentication>,
    pub user_id: Option<String>,
    pub mail_api_url: Option<String>,
    pub request_id: Option<String>,
}

/// What a client gives to prepare an OAuth sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRequest {
    pub service: Option<OAuthService>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub tenant_id: Option<String>,
    pub redirect_url: Option<String>,
}

/// Whether `text` reads as one email address: a local part and a domain of dotted labels.
pub fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let plain = |part: &str| {
        !part.is_empty()
            && !part
                .chars()
                .any(|c| c.is_whitespace() || "@,;<>()[]\\\"".contains(c))
    };
    plain(local) && plain(domain) && domain.split('.').all(|label| !label.is_empty())
}

/// Whether `text` reads as a host name or an IP address.
pub fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:[]".contains(c))
        && !text.starts_with(['.', '-'])
}

/// How many sessions of each job the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct HistorySettings {
    pub keep_all_sessions: bool,
    /// How many of the latest sessions are kept when not all are.
    pub keep_only_last: Option<u32>,
}

impl HistorySettings {
    /// Keeping only the last sessions takes how many, 1 or more.
    pub fn check(&self) -> Result<(), String> {
        match self.keep_only_last {
            Some(0) => Err(
                "The number of sessions to keep '0' is not valid: specify 1 or more.".to_owned(),
            ),
            None if !self.keep_all_sessions => Err(
                "Specify how many sessions to keep in 'keeponlyLast', or keep them all.".to_owned(),
            ),
            _ => Ok(()),
        }
    }
}

impl Default for HistorySettings {
    fn default() -> Self {
        Self {
            keep_all_sessions: true,
            keep_only_last: None,
        }
    }
}

/// The internet proxy the server itself reaches Microsoft 365 through (backup proxies
/// that say `FromManagementServer` use it too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ServerInternetProxy {
    pub use_internet_proxy: bool,
    pub host_name: String,
    pub port: Option<u16>,
    pub use_authentication: bool,
    pub username: String,
    #[serde(skip_serializing_if = "Secret::is_empty")]
    pub password: Secret,
}

impl ServerInternetProxy {
    /// Why the proxy cannot be kept: one in use needs a host and a port, and one that
    /// authenticates a user name.
    pub fn check(&self) -> Result<(), String> {
        if !self.host_name.is_empty() && !is_host(&self.host_name) {
            return Err(format!(
                "The host name '{}' is not a valid DNS name or IP address.",
                self.host_name
            ));
        }
        if !self.use_internet_proxy {
            return Ok(());
        }
        if self.host_name.is_empty() {
            return Err("Specify the internet proxy server in 'hostName'.".to_owned());
        }
        if self.port.is_none_or(|port| port == 0) {
            return Err("Specify the port of the internet proxy in 'port'.".to_owned());
        }
        if self.use_authentication && self.username.is_empty() {
            return Err("Specify the user name for the internet proxy in 'username'.".to_owned());
        }
        Ok(())
    }
}

/// Mailbox folders every backup leaves out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct FolderExclusions {
    pub deleted_items: bool,
    pub drafts: bool,
    pub junk_email: bool,
    pub outbox: bool,
    pub sync_issues: bool,
    pub litigation_hold: bool,
    pub in_place_hold: bool,
}

/// Items the retention policy never removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RetentionExclusions {
    pub contacts: bool,
    pub calendar: bool,
}

/// Whether a service provider console or monitoring server manages the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ManagementMode {
    pub is_managed: bool,
    pub manager_id: Option<Uuid>,
    pub company_name: String,
}

impl ManagementMode {
    /// The mode as the server keeps it: an unmanaged server names no manager. A managed
    /// one must name its manager.
    pub fn settled(mut self) -> Result<Self, String> {
        if !self.is_managed {
            self.manager_id = None;
            self.company_name.clear();
        } else if self.manager_id.is_none_or(|id| id.is_nil()) {
            return Err(
                "Specify the management server that manages this server in 'managerId'.".to_owned(),
            );
        }
        Ok(self)
    }
}

/// Checking for, announcing and installing product updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct UpdateSettings {
    pub enable_check_for_updates: bool,
    pub send_email_on_available_updates: bool,
    pub install_updates_automatically: bool,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            enable_check_for_updates: true,
            send_email_on_available_updates: false,
            install_updates_automatically: false,
        }
    }
}

/// Every setting of the server, as a fresh install has them until a client writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ServerSettings {
    pub vbo_email: EmailSettings,
    pub audit_email: EmailSettings,
    pub vex_email: EmailSettings,
    pub veod_email: EmailSettings,
    pub vesp_email: EmailSettings,
    pub vet_email: EmailSettings,
    pub history: HistorySettings,
    pub internet_proxy: ServerInternetProxy,
    pub folder_exclusions: FolderExclusions,
    pub retention_exclusions: RetentionExclusions,
    pub management_mode: ManagementMode,
    pub updates: UpdateSettings,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            vbo_email: EmailSettings {
                subject: "[%JobResult%] %OrgName% - %JobName% (%MailboxCount% objects) %Issues%"
                    .to_owned(),
                notify: Some(JobNotifications::default()),
                ..EmailSettings::default()
            },
            audit_email: EmailSettings {
                subject:
                    "[Audit] %OrganizationName% - %DisplayName%: %Action% by %InitiatedByUserName%"
                        .to_owned(),
                ..EmailSettings::default()
            },
            vex_email: EmailSettings::default(),
            veod_email: EmailSettings::default(),
            vesp_email: EmailSettings::default(),
            vet_email: EmailSettings::default(),
            history: HistorySettings::default(),
            internet_proxy: ServerInternetProxy::default(),
            folder_exclusions: FolderExclusions::default(),
            retention_exclusions: RetentionExclusions::default(),
            management_mode: ManagementMode::default(),
            updates: UpdateSettings::default(),
        }
    }
}

impl ServerSettings {
    /// A fresh install's settings, which world files leave out.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn email(&self, mailer: Mailer) -> &EmailSettings {
        match mailer {
            Mailer::Jobs => &self.vbo_email,
            Mailer::Audit => &self.audit_email,
            Mailer::Exchange => &self.vex_email,
            Mailer::OneDrive => &self.veod_email,
            Mailer::SharePoint => &self.vesp_email,
            Mailer::Teams => &self.vet_email,
        }
    }

    pub fn email_mut(&mut self, mailer: Mailer) -> &mut EmailSettings {
        match mailer {
            Mailer::Jobs => &mut self.vbo_email,
            Mailer::Audit => &mut self.audit_email,
            Mailer::Exchange => &mut self.vex_email,
            Mailer::OneDrive => &mut self.veod_email,
            Mailer::SharePoint => &mut self.vesp_email,
            Mailer::Teams => &mut self.vet_email,
        }
    }
}

impl EmailSettings {
    /// Applies a change, answering why it cannot be taken; `self` is then left half
    /// changed, so callers apply to a copy.
    pub fn apply(&mut self, change: EmailChange) -> Result<(), String> {
        let set = |target: &mut bool, value: Option<bool>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        set(&mut self.enable_notification, change.enable_notification);
        set(&mut self.use_authentication, change.use_authentication);
        set(&mut self.use_ssl, change.use_ssl);
        let notifications = [
            change.notify_on_success,
            change.notify_on_warning,
            change.notify_on_failure,
            change.supress_until_last_retry,
            change.attach_detailed_report,
        ];
        if notifications.iter().any(Option::is_some) {
            let notify = self.notify.get_or_insert_with(JobNotifications::default);
            set(&mut notify.notify_on_success, change.notify_on_success);
            set(&mut notify.notify_on_warning, change.notify_on_warning);
            set(&mut notify.notify_on_failure, change.notify_on_failure);
            set(
                &mut notify.supress_until_last_retry,
                change.supress_until_last_retry,
            );
            set(
                &mut notify.attach_detailed_report,
                change.attach_detailed_report,
            );
        }
        for (target, value) in [
            (&mut self.server, change.server),
            (&mut self.username, change.username),
            (&mut self.from, change.from),
            (&mut self.to, change.to),
            (&mut self.subject, change.subject),
        ] {
            if let Some(value) = value {
                *target = value.trim().to_owned();
            }
        }
        if let Some(port) = change.port {
            self.port = port;
        }
        if let Some(password) = change.password {
            self.password = password;
        }
        if change.mail_api_url.is_some() {
            self.mail_api_url = change.mail_api_url;
        }
        // v8's explorers take no `authenticationType`: a completed sign-in names the
        // service they send with.
        let signed_in_service = change
            .request_id
            .as_ref()
            .filter(|id| !id.trim().is_empty())
            .and(self.sign_in.as_ref())
            .map(|sign_in| MailAuthentication::from(sign_in.service));
        match (
            change.authentication_type.or(signed_in_service),
            change.request_id,
        ) {
            (Some(kind), request_id) => self.authenticate(kind, request_id, change.user_id)?,
            (None, Some(request_id)) if !request_id.trim().is_empty() => {
                return Err(format!("The sign-in request '{request_id}' was not found."));
            }
            (None, _) => {}
        }
        self.check()
    }

    /// Switches how mail is sent. OAuth takes a completed sign-in, named by its request
    /// id, unless the settings already send as that service's signed-in account.
    fn authenticate(
        &mut self,
        kind: MailAuthentication,
        request_id: Option<String>,
        user_id: Option<String>,
    ) -> Result<(), String> {
        let service = match kind {
            MailAuthentication::CustomSmtp => {
                self.authentication_type = kind;
                self.is_authenticated = false;
                return Ok(());
            }
            MailAuthentication::GoogleGmail => OAuthService::GoogleGmail,
            MailAuthentication::Microsoft365 => OAuthService::Microsoft365,
        };
        let Some(request_id) = request_id.filter(|id| !id.trim().is_empty()) else {
            return if self.authentication_type == kind && self.is_authenticated {
                Ok(())
            } else {
                Err(format!(
                    "Sign in to {kind:?} first: specify the 'requestId' of a completed sign-in."
                ))
            };
        };
        let sign_in = self
            .sign_in
            .take()
            .filter(|sign_in| sign_in.request_id.to_string() == request_id.trim())
            .ok_or_else(|| format!("The sign-in request '{request_id}' was not found."))?;
        let signed_in = sign_in
            .user_id
            .clone()
            .ok_or_else(|| format!("The sign-in request '{request_id}' is not completed."))?;
        if sign_in.service != service {
            return Err(format!(
                "The sign-in request '{request_id}' was made for {:?}, not {kind:?}.",
                sign_in.service
            ));
        }
        if let Some(user_id) = user_id.filter(|id| !id.is_empty() && *id != signed_in) {
            return Err(format!(
                "The user '{user_id}' is not the account that signed in with request '{request_id}'."
            ));
        }
        if kind == MailAuthentication::Microsoft365 && self.mail_api_url.is_none() {
            self.mail_api_url = Some("https://graph.microsoft.com".to_owned());
        }
        self.authentication_type = kind;
        self.client_id = sign_in.client_id;
        self.tenant_id = sign_in.tenant_id;
        self.user_id = signed_in;
        self.is_authenticated = true;
        Ok(())
    }

    /// Why the settings as they stand cannot be kept.
    pub fn check(&self) -> Result<(), String> {
        if !self.server.is_empty() && !is_host(&self.server) {
            return Err(format!(
                "The SMTP server '{}' is not a valid DNS name or IP address.",
                self.server
            ));
        }
        if !self.from.is_empty() && !is_address(&self.from) {
            return Err(format!(
                "The sender address '{}' is not a valid email address.",
                self.from
            ));
        }
        if let Some(bad) = recipients(&self.to).find(|address| !is_address(address)) {
            return Err(format!(
                "The recipient address '{bad}' is not a valid email address."
            ));
        }
        if self.use_authentication
            && self.authentication_type == MailAuthentication::CustomSmtp
            && self.username.is_empty()
        {
            return Err(
                "Specify the user name for authentication to the SMTP server in 'username'."
                    .to_owned(),
            );
        }
        if let Some(url) = &self.mail_api_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!("The mail API URL '{url}' is not a valid URL."));
        }
        Ok(())
    }

    /// Why mail cannot be sent with these settings now, if it cannot.
    pub fn refusal(&self, mailer: Mailer) -> Option<String> {
        let product = mailer.product();
        if !self.enable_notification {
            return Some(format!(
                "Email notifications are disabled in the email settings of {product}."
            ));
        }
        match self.authentication_type {
            MailAuthentication::CustomSmtp if self.server.is_empty() => Some(format!(
                "The SMTP server is not specified in the email settings of {product}."
            )),
            MailAuthentication::GoogleGmail | MailAuthentication::Microsoft365
                if !self.is_authenticated =>
            {
                Some(format!(
                    "The account {product} sends email as is not authenticated."
                ))
            }
            _ if self.sender().is_none() => Some(format!(
                "The sender address is not specified in the email settings of {product}."
            )),
            _ => None,
        }
    }

    /// Who mail is sent from: the `from` address, or the signed-in account's.
    pub fn sender(&self) -> Option<&str> {
        if !self.from.is_empty() {
            Some(&self.from)
        } else if self.is_authenticated && is_address(&self.user_id) {
            Some(&self.user_id)
        } else {
            None
        }
    }
}

/// The addresses of a semicolon-separated list.
fn recipients(list: &str) -> impl Iterator<Item = &str> {
    list.split(';')
        .map(str::trim)
        .filter(|address| !address.is_empty())
}

impl SignInRequest {
    /// The sign-in this request prepares, under `request_id`.
    pub fn into_sign_in(self, request_id: Uuid) -> Result<SignIn, String> {
        let given = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        let service = self.service.ok_or(
            "Specify the service to sign in with in 'authenticationServiceKind': GoogleGmail or Microsoft365.",
        )?;
        let client_id = given(self.client_id)
            .ok_or("Specify the client ID of the application in 'clientId'.")?;
        let client_secret = self
            .client_secret
            .filter(|secret| !secret.expose().trim().is_empty())
            .ok_or("Specify the client secret of the application in 'clientSecret'.")?;
        let tenant_id = given(self.tenant_id).unwrap_or_default();
        if service == OAuthService::Microsoft365 && tenant_id.is_empty() {
            return Err("Specify the Microsoft Entra tenant ID in 'tenantId'.".into());
        }
        let redirect_url = given(self.redirect_url)
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .ok_or("Specify the URL to return to after signing in in 'redirectUrl'.")?;
        Ok(SignIn {
            request_id,
            service,
            client_id,
            client_secret,
            tenant_id,
            redirect_url,
            user_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_a_local_part_and_a_dotted_domain() {
        assert!(is_address("backup@contoso.example"));
        for bad in ["", "backup", "@contoso.example", "a@", "a b@c.d", "a@c..d"] {
            assert!(!is_address(bad), "{bad}");
        }
    }

    #[test]
    fn a_refused_change_names_the_bad_recipient() {
        let mut settings = EmailSettings::default();
        let error = settings
            .apply(EmailChange {
                to: Some("ops@contoso.example; nobody".to_owned()),
                ..EmailChange::default()
            })
            .unwrap_err();
        assert!(error.contains("'nobody'"), "{error}");
    }

    #[test]
    fn the_sign_in_url_carries_the_request_as_state() {
        let sign_in = SignInRequest {
            service: Some(OAuthService::Microsoft365),
            client_id: Some("app".to_owned()),
            client_secret: Some(Secret::new("secret")),
            tenant_id: Some("tenant".to_owned()),
            redirect_url: Some("https://localhost/done".to_owned()),
        }
        .into_sign_in(Uuid::nil())
        .unwrap();
        let url = sign_in.url();
        assert!(url.starts_with("https://login.microsoftonline.com/tenant/"));
        assert!(url.contains(&format!("state={}", Uuid::nil())));
        assert!(url.contains("redirect_uri=https%3A%2F%2Flocalhost%2Fdone"));
    }
}

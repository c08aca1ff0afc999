//! The server's settings as each version shows and takes them: the email settings of each product (OAuth from v7 for jobs and audit, v8 for the explorers), history, the internet proxy, exclusions, management mode and updates.

use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::body::{BodyError, invalid};
use super::directory::{SelfLink, path_link};
use super::infrastructure_requests::{InternetProxyRequest as ProxyAddress, port};
use super::organizations::EmptyObject;
use super::{Context, Version, ok};
use crate::model::{
    EmailChange, EmailSettings, FolderExclusions, HistorySettings, MailAuthentication, Mailer,
    ManagementMode, OAuthService, RetentionExclusions, Secret, ServerInternetProxy, SignInRequest,
    UpdateSettings, is_address,
};

/// The resource of a product's email settings.
pub fn email_path(mailer: Mailer) -> &'static str {
    match mailer {
        Mailer::Jobs => "/VboEmailSettings",
        Mailer::Audit => "/AuditEmailSettings",
        Mailer::Exchange => "/VexEmailSettings",
        Mailer::OneDrive => "/VeodEmailSettings",
        Mailer::SharePoint => "/VespEmailSettings",
        Mailer::Teams => "/VetEmailSettings",
    }
}

/// The action that sends a test message: v8 calls it `SendTestEmail` everywhere; before,
/// each product had its own spelling.
pub fn send_test_action(version: Version, mailer: Mailer) -> &'static str {
    match mailer {
        _ if version >= Version::V8 => "SendTestEmail",
        Mailer::OneDrive | Mailer::SharePoint => "SendTestEmail",
        Mailer::Teams => "sendTest",
        Mailer::Jobs | Mailer::Audit | Mailer::Exchange => "SendTest",
    }
}

/// Whether a product's mail can be sent as an OAuth-signed-in account in `version`.
pub fn has_oauth(version: Version, mailer: Mailer) -> bool {
    if mailer.has_recipients() {
        version.has_notification_sign_in()
    } else {
        version.has_explorer_sign_in()
    }
}

fn links<'a>(cx: &Context<'a>, path: &str) -> SelfLink<'a> {
    SelfLink {
        this: path_link(cx, format!("{}{path}", cx.version.prefix())),
    }
}

/// `RESTNotificationEmailSettingsResponse`, `RESTAuditEmailSettingsResponse`,
/// `RESTSmtpSettings` and `RESTSharePointSmtpSettings`: one body, the fields a product and
/// version lack left out. Unset text is empty (the contract types it as non-nullable).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EmailBody<'a> {
    #[serde(rename = "_links")]
    links: SelfLink<'a>,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_on_success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_on_warning: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_on_failure: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supress_until_last_retry: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attach_detailed_report: Option<bool>,
    enable_notification: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_server: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<&'a str>,
    port: u16,
    use_authentication: bool,
    username: &'a str,
    #[serde(rename = "useSSL")]
    use_ssl: bool,
    from: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    oauth: Option<OAuthFields<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OAuthFields<'a> {
    authentication_type: MailAuthentication,
    client_id: &'a str,
    tenant_id: &'a str,
    user_id: &'a str,
    mail_api_url: Option<&'a str>,
    is_authenticated: bool,
}

/// `GET /VboEmailSettings` and the other products' email settings; never a password.
pub fn email(cx: &Context<'_>, mailer: Mailer, settings: &EmailSettings) -> Response {
    let notify = settings.notify.unwrap_or_default();
    let jobs = (mailer == Mailer::Jobs).then_some(());
    let own = mailer.has_recipients();
    ok(&EmailBody {
        links: links(cx, email_path(mailer)),
        actions: EmptyObject {},
        notify_on_success: jobs.map(|()| notify.notify_on_success),
        notify_on_warning: jobs.map(|()| notify.notify_on_warning),
        notify_on_failure: jobs.map(|()| notify.notify_on_failure),
        supress_until_last_retry: jobs.map(|()| notify.supress_until_last_retry),
        attach_detailed_report: jobs.map(|()| notify.attach_detailed_report),
        enable_notification: settings.enable_notification,
        smtp_server: own.then_some(settings.server.as_str()),
        server: (!own).then_some(settings.server.as_str()),
        port: settings.port,
        use_authentication: settings.use_authentication,
        username: &settings.username,
        use_ssl: settings.use_ssl,
        from: &settings.from,
        to: own.then_some(settings.to.as_str()),
        subject: own.then_some(settings.subject.as_str()),
        oauth: has_oauth(cx.version, mailer).then(|| OAuthFields {
            authentication_type: settings.authentication_type,
            client_id: &settings.client_id,
            tenant_id: &settings.tenant_id,
            user_id: &settings.user_id,
            mail_api_url: settings.mail_api_url.as_deref(),
            is_authenticated: settings.is_authenticated,
        }),
    })
}

/// What a client sends to change email settings, in every product's and version's
/// spelling.
#[derive(Debug, Deserialize)]
pub struct EmailRequest {
    #[serde(default, rename = "userpassword")]
    user_password: Option<String>,
    #[serde(default, rename = "enablenotification")]
    enable_notification: Option<bool>,
    #[serde(default, rename = "smtpserver")]
    smtp_server: Option<String>,
    #[serde(default)]
    server: Option<String>,
    #[serde(default)]
    port: Option<i64>,
    #[serde(default, rename = "useauthentication")]
    use_authentication: Option<bool>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default, rename = "usessl")]
    use_ssl: Option<bool>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default, rename = "notifyonsuccess")]
    notify_on_success: Option<bool>,
    #[serde(default, rename = "notifyonwarning")]
    notify_on_warning: Option<bool>,
    #[serde(default, rename = "notifyonfailure")]
    notify_on_failure: Option<bool>,
    #[serde(default, rename = "supressuntillastretry")]
    supress_until_last_retry: Option<bool>,
    #[serde(default, rename = "attachdetailedreport")]
    attach_detailed_report: Option<bool>,
    #[serde(default, rename = "authenticationtype")]
    authentication_type: Option<MailAuthentication>,
    #[serde(default, rename = "userid")]
    user_id: Option<String>,
    #[serde(default, rename = "mailapiurl")]
    mail_api_url: Option<String>,
    #[serde(default, rename = "requestid")]
    request_id: Option<String>,
}

impl EmailRequest {
    /// The change this request asks of a product's settings in `version`: what the
    /// version's schema for the product lacks is ignored, as the server ignores it.
    pub fn into_change(self, version: Version, mailer: Mailer) -> Result<EmailChange, BodyError> {
        let own = mailer.has_recipients();
        let jobs = |value: Option<bool>| value.filter(|_| mailer == Mailer::Jobs);
        let oauth = has_oauth(version, mailer);
        Ok(EmailChange {
            enable_notification: self.enable_notification,
            server: if own { self.smtp_server } else { self.server },
            port: self.port.map(|value| port(value, "port")).transpose()?,
            use_authentication: self.use_authentication,
            username: self.username,
            password: self.user_password.map(Secret::new),
            use_ssl: self.use_ssl,
            from: self.from,
            to: self.to.filter(|_| own),
            subject: self.subject.filter(|_| own),
            notify_on_success: jobs(self.notify_on_success),
            notify_on_warning: jobs(self.notify_on_warning),
            notify_on_failure: jobs(self.notify_on_failure),
            supress_until_last_retry: jobs(self.supress_until_last_retry),
            attach_detailed_report: jobs(self.attach_detailed_report),
            authentication_type: self.authentication_type.filter(|_| oauth),
            user_id: self.user_id.filter(|_| oauth),
            mail_api_url: self.mail_api_url.filter(|_| oauth),
            request_id: self.request_id.filter(|_| oauth),
        })
    }
}

/// `RESTSendTestOption`: the address an explorer's test message goes to.
#[derive(Debug, Deserialize)]
struct TestRequest {
    #[serde(default)]
    email: Option<String>,
}

/// Where a test message goes: job and audit notifications mail their own recipients
/// (their action takes no body); the explorers mail the address the body gives.
pub fn test_recipient(mailer: Mailer, body: &[u8]) -> Result<Option<String>, BodyError> {
    if mailer.has_recipients() {
        return Ok(None);
    }
    let request: TestRequest = super::body::read(body)?;
    let email = request
        .email
        .map(|email| email.trim().to_owned())
        .filter(|email| !email.is_empty())
        .ok_or_else(|| invalid("Specify the address to send the test message to in 'email'."))?;
    if !is_address(&email) {
        return Err(invalid(format!(
            "The address '{email}' is not a valid email address."
        )));
    }
    Ok(Some(email))
}

/// `RESTPrepareOAuthSignInRequest`.
#[derive(Debug, Deserialize)]
pub struct PrepareSignInRequest {
    #[serde(default, rename = "authenticationservicekind")]
    service: Option<OAuthService>,
    #[serde(default, rename = "clientid")]
    client_id: Option<String>,
    #[serde(default, rename = "clientsecret")]
    client_secret: Option<String>,
    #[serde(default, rename = "tenantid")]
    tenant_id: Option<String>,
    #[serde(default, rename = "redirecturl")]
    redirect_url: Option<String>,
}

impl PrepareSignInRequest {
    pub fn into_model(self) -> SignInRequest {
        SignInRequest {
            service: self.service,
            client_id: self.client_id,
            client_secret: self.client_secret.map(Secret::new),
            tenant_id: self.tenant_id,
            redirect_url: self.redirect_url,
        }
    }
}

/// `RESTCompleteOAuthSignInRequest`: what the identity platform handed the browser, a code
/// or (v7) the error it signed in with.
#[derive(Debug, Deserialize)]
pub struct CompleteSignInRequest {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default, rename = "errordescription")]
    error_description: Option<String>,
}

impl CompleteSignInRequest {
    /// The code and the state it answers; a sign-in the platform refused is the client's 400.
    pub fn code_and_state(self) -> Result<(String, String), BodyError> {
        if let Some(error) = self.error.filter(|error| !error.trim().is_empty()) {
            let description = self.error_description.unwrap_or_default();
            return Err(invalid(format!(
                "The sign-in failed: {error}. {description}"
            )));
        }
        Ok((
            self.code.unwrap_or_default(),
            self.state.unwrap_or_default(),
        ))
    }
}

/// `RESTPrepareOAuthSignInResponse`; v7 adds empty `_links` and `_actions`.
pub fn sign_in_prepared(cx: &Context<'_>, request_id: &str, url: &str) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        request_id: &'a str,
        sign_in_url: &'a str,
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        hal: Option<Hal>,
    }
    ok(&Body {
        request_id,
        sign_in_url: url,
        hal: hal(cx.version),
    })
}

/// `RESTCompleteOAuthSignInResponse`; v7 adds empty `_links` and `_actions`.
pub fn sign_in_completed(cx: &Context<'_>, request_id: &str, user_id: &str) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        request_id: &'a str,
        user_id: &'a str,
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        hal: Option<Hal>,
    }
    ok(&Body {
        request_id,
        user_id,
        hal: hal(cx.version),
    })
}

#[derive(Serialize)]
struct Hal {
    #[serde(rename = "_links")]
    links: EmptyObject,
    #[serde(rename = "_actions")]
    actions: EmptyObject,
}

/// v7's sign-in bodies carry `_links` and `_actions`; v8 dropped them.
fn hal(version: Version) -> Option<Hal> {
    (version == Version::V7).then_some(Hal {
        links: EmptyObject {},
        actions: EmptyObject {},
    })
}

/// Sets `target` to `value` when the client gave one.
fn take<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

/// `GET /HistorySettings` (`RESTHistorySettings`).
pub fn history(cx: &Context<'_>, settings: &HistorySettings) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        keep_allsessions: bool,
        keeponly_last: Option<u32>,
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
        #[serde(rename = "_actions")]
        actions: EmptyObject,
    }
    ok(&Body {
        keep_allsessions: settings.keep_all_sessions,
        keeponly_last: settings.keep_only_last,
        links: links(cx, "/HistorySettings"),
        actions: EmptyObject {},
    })
}

#[derive(Debug, Deserialize)]
pub struct HistoryRequest {
    #[serde(default, rename = "keepallsessions")]
    keep_all_sessions: Option<bool>,
    #[serde(default, rename = "keeponlylast")]
    keep_only_last: Option<i64>,
}

impl HistoryRequest {
    /// The settings `current` becomes, for the store to check.
    pub fn apply(self, current: &HistorySettings) -> Result<HistorySettings, BodyError> {
        let mut settings = *current;
        take(&mut settings.keep_all_sessions, self.keep_all_sessions);
        if let Some(count) = self.keep_only_last {
            let count = u32::try_from(count).map_err(|_| {
                invalid(format!(
                    "The number of sessions to keep '{count}' is not valid: specify 1 or more."
                ))
            })?;
            settings.keep_only_last = Some(count);
        }
        Ok(settings)
    }
}

/// `GET /InternetProxySettings` (`RESTInternetProxy`).
pub fn internet_proxy(cx: &Context<'_>, settings: &ServerInternetProxy) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        use_internet_proxy: bool,
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
        host_name: &'a str,
        port: Option<u16>,
        use_authentication: bool,
        username: &'a str,
    }
    ok(&Body {
        use_internet_proxy: settings.use_internet_proxy,
        links: links(cx, "/InternetProxySettings"),
        host_name: &settings.host_name,
        port: settings.port,
        use_authentication: settings.use_authentication,
        username: &settings.username,
    })
}

/// `RESTInternetProxyFromClient`: a proxy's internet proxy settings, whether the server
/// uses them, and the password.
#[derive(Debug, Deserialize)]
pub struct InternetProxyRequest {
    #[serde(default, rename = "useinternetproxy")]
    use_internet_proxy: Option<bool>,
    #[serde(default, rename = "userpassword")]
    user_password: Option<String>,
    #[serde(flatten)]
    address: ProxyAddress,
}

impl InternetProxyRequest {
    /// The settings `current` becomes, for the store to check.
    pub fn apply(self, current: &ServerInternetProxy) -> Result<ServerInternetProxy, BodyError> {
        let address = self.address;
        let mut settings = current.clone();
        take(&mut settings.use_internet_proxy, self.use_internet_proxy);
        take(&mut settings.use_authentication, address.use_authentication);
        take(
            &mut settings.host_name,
            address.host_name.map(|host| host.trim().to_owned()),
        );
        take(
            &mut settings.username,
            address.username.map(|name| name.trim().to_owned()),
        );
        take(&mut settings.password, self.user_password.map(Secret::new));
        if let Some(value) = address.port {
            settings.port = Some(port(value, "port")?);
        }
        Ok(settings)
    }
}

/// `GET /ExclusionSettings` (`RESTExclusionSettingsToClient`).
pub fn folder_exclusions(cx: &Context<'_>, settings: &FolderExclusions) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
        #[serde(rename = "_actions")]
        actions: EmptyObject,
        deleted_items: bool,
        drafts: bool,
        junk_email: bool,
        outbox: bool,
        sync_issues: bool,
        litigation_hold: bool,
        in_place_hold: bool,
    }
    ok(&Body {
        links: links(cx, "/ExclusionSettings"),
        actions: EmptyObject {},
        deleted_items: settings.deleted_items,
        drafts: settings.drafts,
        junk_email: settings.junk_email,
        outbox: settings.outbox,
        sync_issues: settings.sync_issues,
        litigation_hold: settings.litigation_hold,
        in_place_hold: settings.in_place_hold,
    })
}

/// `RESTExclusionSettings`.
#[derive(Debug, Deserialize)]
pub struct FolderExclusionsRequest {
    #[serde(default, rename = "deleteditems")]
    deleted_items: Option<bool>,
    #[serde(default)]
    drafts: Option<bool>,
    #[serde(default, rename = "junkemail")]
    junk_email: Option<bool>,
    #[serde(default)]
    outbox: Option<bool>,
    #[serde(default, rename = "syncissues")]
    sync_issues: Option<bool>,
    #[serde(default, rename = "litigationhold")]
    litigation_hold: Option<bool>,
    #[serde(default, rename = "inplacehold")]
    in_place_hold: Option<bool>,
}

impl FolderExclusionsRequest {
    pub fn apply(self, current: &FolderExclusions) -> FolderExclusions {
        let mut settings = *current;
        take(&mut settings.deleted_items, self.deleted_items);
        take(&mut settings.drafts, self.drafts);
        take(&mut settings.junk_email, self.junk_email);
        take(&mut settings.outbox, self.outbox);
        take(&mut settings.sync_issues, self.sync_issues);
        take(&mut settings.litigation_hold, self.litigation_hold);
        take(&mut settings.in_place_hold, self.in_place_hold);
        settings
    }
}

/// `GET /GlobalRetentionExclusionSettings` (`RESTRetentionExclusion`).
pub fn retention_exclusions(settings: &RetentionExclusions) -> Response {
    #[derive(Serialize)]
    struct Body {
        contacts: bool,
        calendar: bool,
    }
    ok(&Body {
        contacts: settings.contacts,
        calendar: settings.calendar,
    })
}

/// `RESTRetentionExclusion` as sent.
#[derive(Debug, Deserialize)]
pub struct RetentionExclusionsRequest {
    #[serde(default)]
    contacts: Option<bool>,
    #[serde(default)]
    calendar: Option<bool>,
}

impl RetentionExclusionsRequest {
    pub fn apply(self, current: &RetentionExclusions) -> RetentionExclusions {
        let mut settings = *current;
        take(&mut settings.contacts, self.contacts);
        take(&mut settings.calendar, self.calendar);
        settings
    }
}

/// `GET /ManagementMode` (`RESTManagementMode`).
pub fn management_mode(cx: &Context<'_>, mode: &ManagementMode) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        is_managed: bool,
        manager_id: Option<uuid::Uuid>,
        company_name: &'a str,
        #[serde(rename = "_links")]
        links: SelfLink<'a>,
        #[serde(rename = "_actions")]
        actions: EmptyObject,
    }
    ok(&Body {
        is_managed: mode.is_managed,
        manager_id: mode.manager_id,
        company_name: &mode.company_name,
        links: links(cx, "/ManagementMode"),
        actions: EmptyObject {},
    })
}

/// `RESTManagementMode` as sent (v6, v7).
#[derive(Debug, Deserialize)]
pub struct ManagementModeRequest {
    #[serde(default, rename = "ismanaged")]
    is_managed: Option<bool>,
    #[serde(default, rename = "managerid")]
    manager_id: Option<uuid::Uuid>,
    #[serde(default, rename = "companyname")]
    company_name: Option<String>,
}

impl ManagementModeRequest {
    /// The mode `current` becomes, for the store to settle.
    pub fn apply(self, current: &ManagementMode) -> ManagementMode {
        let mut mode = current.clone();
        take(&mut mode.is_managed, self.is_managed);
        if self.manager_id.is_some() {
            mode.manager_id = self.manager_id;
        }
        take(
            &mut mode.company_name,
            self.company_name.map(|name| name.trim().to_owned()),
        );
        mode
    }
}

/// `GET /Configuration/Updates` (`RESTUpdateProductConfig`, v8).
pub fn updates(settings: &UpdateSettings) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        enable_check_for_updates: bool,
        update_settings: Automatic,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Automatic {
        send_email_on_available_updates: bool,
        install_updates_automatically: bool,
    }
    ok(&Body {
        enable_check_for_updates: settings.enable_check_for_updates,
        update_settings: Automatic {
            send_email_on_available_updates: settings.send_email_on_available_updates,
            install_updates_automatically: settings.install_updates_automatically,
        },
    })
}

/// `RESTUpdateProductConfig` as sent: `enableCheckForUpdates` is required.
#[derive(Debug, Deserialize)]
pub struct UpdatesRequest {
    #[serde(rename = "enablecheckforupdates")]
    enable_check_for_updates: bool,
    #[serde(default, rename = "updatesettings")]
    update_settings: Option<AutomaticUpdatesRequest>,
}

#[derive(Debug, Deserialize)]
struct AutomaticUpdatesRequest {
    #[serde(default, rename = "sendemailonavailableupdates")]
    send_email_on_available_updates: Option<bool>,
    #[serde(default, rename = "installupdatesautomatically")]
    install_updates_automatically: Option<bool>,
}

impl UpdatesRequest {
    pub fn apply(self, current: &UpdateSettings) -> UpdateSettings {
        let mut settings = *current;
        settings.enable_check_for_updates = self.enable_check_for_updates;
        if let Some(automatic) = self.update_settings {
            take(
                &mut settings.send_email_on_available_updates,
                automatic.send_email_on_available_updates,
            );
            take(
                &mut settings.install_updates_automatically,
                automatic.install_updates_automatically,
            );
        }
        settings
    }
}

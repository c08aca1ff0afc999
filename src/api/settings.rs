//! The server's settings (v6 on): each product's email settings with test messages and OAuth sign-in, session history, the internet proxy, folder and retention exclusions, management mode and (v8) updates.

use axum::response::Response;

use super::{Body, Ctx, JsonBody, Routes};
use crate::error::ApiError;
use crate::model::Mailer;
use crate::wire;
use crate::wire::infrastructure::written;
use crate::wire::settings::{
    CompleteSignInRequest, EmailRequest, FolderExclusionsRequest, HistoryRequest,
    InternetProxyRequest, ManagementModeRequest, PrepareSignInRequest, RetentionExclusionsRequest,
    UpdatesRequest,
};

pub fn routes(routes: Routes) -> Routes {
    let version = routes.version();
    routes.when(version.has_server_settings(), |routes| {
        Mailer::ALL
            .into_iter()
            .fold(routes, email_routes)
            .get("/HistorySettings", get_history)
            .put("/HistorySettings", put_history)
            .get("/InternetProxySettings", get_internet_proxy)
            .put("/InternetProxySettings", put_internet_proxy)
            .get("/ExclusionSettings", get_folder_exclusions)
            .put("/ExclusionSettings", put_folder_exclusions)
            .get(
                "/GlobalRetentionExclusionSettings",
                get_retention_exclusions,
            )
            .put(
                "/GlobalRetentionExclusionSettings",
                put_retention_exclusions,
            )
            .get("/ManagementMode", get_management_mode)
            .when(version.edits_management_mode(), |routes| {
                routes.put("/ManagementMode", put_management_mode)
            })
            .when(version.has_update_settings(), |routes| {
                routes
                    .get("/Configuration/Updates", get_updates)
                    .put("/Configuration/Updates", put_updates)
            })
    })
}

/// A product's email settings, its test message and (where the version has it) sign-in.
fn email_routes(routes: Routes, mailer: Mailer) -> Routes {
    let version = routes.version();
    let path = wire::settings::email_path(mailer);
    let test = format!(
        "{path}/{}",
        wire::settings::send_test_action(version, mailer)
    );
    routes
        .get(path, move |cx: Ctx| get_email(cx, mailer))
        .put(path, move |cx: Ctx, body: JsonBody<EmailRequest>| {
            put_email(cx, mailer, body)
        })
        .post(&test, move |cx: Ctx, body: Body| {
            send_test(cx, mailer, body)
        })
        .when(wire::settings::has_oauth(version, mailer), |routes| {
            routes
                .post(
                    &format!("{path}/PrepareOAuthSignIn"),
                    move |cx: Ctx, body: JsonBody<PrepareSignInRequest>| {
                        prepare_sign_in(cx, mailer, body)
                    },
                )
                .post(
                    &format!("{path}/CompleteOAuthSignIn"),
                    move |cx: Ctx, body: JsonBody<CompleteSignInRequest>| {
                        complete_sign_in(cx, mailer, body)
                    },
                )
        })
}

async fn get_email(cx: Ctx, mailer: Mailer) -> Response {
    cx.read(|world, wire| wire::settings::email(wire, mailer, world.settings.email(mailer)))
}

async fn put_email(
    cx: Ctx,
    mailer: Mailer,
    JsonBody(request): JsonBody<EmailRequest>,
) -> Result<Response, ApiError> {
    let change = request.into_change(cx.version, mailer)?;
    cx.state
        .world
        .write(|world| world.edit_email(mailer, change))?;
    Ok(written(cx.version))
}

async fn send_test(cx: Ctx, mailer: Mailer, Body(body): Body) -> Result<Response, ApiError> {
    let to = wire::settings::test_recipient(mailer, &body)?;
    let now = cx.now().fixed_offset();
    cx.state
        .world
        .write(|world| world.send_test_mail(mailer, to, now))?;
    Ok(written(cx.version))
}

async fn prepare_sign_in(
    cx: Ctx,
    mailer: Mailer,
    JsonBody(request): JsonBody<PrepareSignInRequest>,
) -> Result<Response, ApiError> {
    let (request_id, url) = cx
        .state
        .world
        .write(|world| world.prepare_sign_in(mailer, request.into_model()))?;
    Ok(wire::settings::sign_in_prepared(
        &cx.wire(),
        &request_id.to_string(),
        &url,
    ))
}

async fn complete_sign_in(
    cx: Ctx,
    mailer: Mailer,
    JsonBody(request): JsonBody<CompleteSignInRequest>,
) -> Result<Response, ApiError> {
    let (code, state) = request.code_and_state()?;
    let signed_in = cx
        .state
        .world
        .write(|world| world.complete_sign_in(mailer, &code, &state))?;
    Ok(wire::settings::sign_in_completed(
        &cx.wire(),
        &signed_in.request_id.to_string(),
        &signed_in.user_id,
    ))
}

async fn get_history(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::settings::history(wire, &world.settings.history))
}

async fn put_history(
    cx: Ctx,
    JsonBody(request): JsonBody<HistoryRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        let history = request.apply(&world.settings.history)?;
        Ok::<_, ApiError>(world.set_history(history)?)
    })?;
    Ok(written(cx.version))
}

async fn get_internet_proxy(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::settings::internet_proxy(wire, &world.settings.internet_proxy))
}

async fn put_internet_proxy(
    cx: Ctx,
    JsonBody(request): JsonBody<InternetProxyRequest>,
) -> Result<Response, ApiError> {
    cx.state.world.write(|world| {
        let proxy = request.apply(&world.settings.internet_proxy)?;
        Ok::<_, ApiError>(world.set_internet_proxy(proxy)?)
    })?;
    Ok(written(cx.version))
}

async fn get_folder_exclusions(cx: Ctx) -> Response {
    cx.read(|world, wire| {
        wire::settings::folder_exclusions(wire, &world.settings.folder_exclusions)
    })
}

async fn put_folder_exclusions(
    cx: Ctx,
    JsonBody(request): JsonBody<FolderExclusionsRequest>,
) -> Response {
    cx.state.world.write(|world| {
        world.settings.folder_exclusions = request.apply(&world.settings.folder_exclusions);
    });
    written(cx.version)
}

async fn get_retention_exclusions(cx: Ctx) -> Response {
    cx.read(|world, _| wire::settings::retention_exclusions(&world.settings.retention_exclusions))
}

async fn put_retention_exclusions(
    cx: Ctx,
    JsonBody(request): JsonBody<RetentionExclusionsRequest>,
) -> Response {
    cx.state.world.write(|world| {
        world.settings.retention_exclusions = request.apply(&world.settings.retention_exclusions);
    });
    written(cx.version)
}

async fn get_management_mode(cx: Ctx) -> Response {
    cx.read(|world, wire| wire::settings::management_mode(wire, &world.settings.management_mode))
}

async fn put_management_mode(
    cx: Ctx,
    JsonBody(request): JsonBody<ManagementModeRequest>,
) -> Result<Response, ApiError> {
    cx.state
        .world
        .write(|world| world.set_management_mode(request.apply(&world.settings.management_mode)))?;
    Ok(written(cx.version))
}

async fn get_updates(cx: Ctx) -> Response {
    cx.read(|world, _| wire::settings::updates(&world.settings.updates))
}

async fn put_updates(cx: Ctx, JsonBody(request): JsonBody<UpdatesRequest>) -> Response {
    cx.state.world.write(|world| {
        world.settings.updates = request.apply(&world.settings.updates);
    });
    written(cx.version)
}

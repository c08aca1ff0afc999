//! `/LicensedUsers`: who holds a license, optionally for one organization, paged.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use uuid::Uuid;

use super::{Paging, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new().route(&format!("{prefix}/licensedusers"), get(list_licensed_users))
}

/// The `organizationId` filter, named without regard to case like every query parameter.
fn organization_filter(query: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(name, _)| name.eq_ignore_ascii_case("organizationId"))
        .last()
        .map(|(_, value)| parse_id(&value, "organization"))
        .transpose()
}

async fn list_licensed_users(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let organization_id = organization_filter(query.as_deref())?;
    let filters = wire::page::filters_of(query.as_deref());
    state.world.read(|world| {
        if let Some(id) = &organization_id {
            world
                .organization(id)
                .ok_or_else(|| not_found("Organization", id))?;
        }
        let matching = || {
            world
                .licensed_users
                .iter()
                .filter(|user| organization_id.is_none_or(|id| user.organization_id == id))
        };
        let mut page = paging.info(matching().count(), "/LicensedUsers");
        page.filter = Some(&filters);
        let users = paging
            .take(matching())
            .map(|user| (user, world.organization_backups(user.organization_id).last));
        Ok(wire::v3::licensed_users(
            &context(&state, &host, version),
            users,
            page,
        ))
    })
}

//! `/LicensedUsers`: who holds a license, optionally for one organization or by name, paged.

use super::{Paging, RequestHost, context, not_found};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::page::filters_of;
use crate::wire::query::LicensedUserFilter;
use crate::wire::{self, Version};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new().route(&format!("{prefix}/licensedusers"), get(list_licensed_users))
}

async fn list_licensed_users(
    State(state): State<AppState>,
    version: Version,
    host: RequestHost,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let paging = Paging::from_query(query.as_deref())?;
    let filter = LicensedUserFilter::parse(version, query.as_deref())?;
    let filters = filters_of(query.as_deref());
    state.world.read(|world| {
        if let Some(id) = &filter.organization_id {
            world
                .organization(id)
                .ok_or_else(|| not_found("Organization", id))?;
        }
        let matching = || {
            world.licensed_users.iter().filter(|user| {
                filter
                    .organization_id
                    .is_none_or(|id| user.organization_id == id)
                    && filter
                        .name
                        .as_ref()
                        .is_none_or(|pattern| pattern.matches(&user.name))
            })
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

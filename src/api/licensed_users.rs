//! `/LicensedUsers`: who holds a license, optionally for one organization or by name, paged.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use uuid::Uuid;
use wildmatch::WildMatch;

use super::{Paging, RequestHost, context, not_found, parse_id};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::page::filters_of;
use crate::wire::{self, Version};

pub fn router(prefix: &str) -> Router<AppState> {
    Router::new().route(&format!("{prefix}/licensedusers"), get(list_licensed_users))
}

/// The filters: `organizationId`, and from v6 `name` with `*` and `?` wildcards, in v8
/// also `backedUpOrganizationId` (the same organization here: users are licensed where
/// they are backed up). Names match without regard to case, like every query parameter.
#[derive(Default)]
struct LicensedUserFilter {
    organization_id: Option<Uuid>,
    name: Option<WildMatch>,
}

impl LicensedUserFilter {
    fn parse(version: Version, query: Option<&str>) -> Result<Self, ApiError> {
        let mut filter = Self::default();
        for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            let name = name.to_ascii_lowercase();
            let organization = name == "organizationid"
                || (name == "backeduporganizationid" && version >= Version::V8);
            if organization {
                filter.organization_id = Some(parse_id(&value, "organization")?);
            } else if name == "name" && version >= Version::V6 {
                filter.name = Some(WildMatch::new_case_insensitive(&value));
            }
        }
        Ok(filter)
    }
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

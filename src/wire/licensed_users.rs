//! Licensed users: pages in every version.

use axum::response::Response;
use serde::Serialize;
use uuid::Uuid;

use super::links::{IdLink, link};
use super::page::{PageBody, PageInfo};
use super::time::OwnedOptionalTime;
use super::{Context, Version, ok};
use crate::model::{LicensedUser, Timestamp};

/// `GET /v3/LicensedUsers`: a page of users with their organization's name;
/// `lastBackupDate` is the user's organization's last backup. v6 on also name the
/// organization by `organizationId` and `organizationName`.
pub fn licensed_users<'a>(
    cx: &Context<'a>,
    users: impl Iterator<Item = (&'a LicensedUser, &'a str, Option<Timestamp>)>,
    page: PageInfo<'a>,
) -> Response {
    let named = cx.version >= Version::V6;
    let bodies: Vec<LicensedUserBody<'_>> = users
        .map(|(user, organization_name, last_backup)| LicensedUserBody {
            id: &user.id,
            name: &user.name,
            is_backed_up: last_backup.is_some(),
            last_backup_date: OwnedOptionalTime(last_backup),
            license_state: if user.is_new { "New" } else { "Licensed" },
            backed_up_organization_id: &user.organization_id,
            organization_id: named.then_some(&user.organization_id),
            organization_name: named.then_some(organization_name),
            links: LicensedUserLinks {
                organization: link(cx, "/Organizations/", &user.organization_id, ""),
            },
        })
        .collect();
    ok(&PageBody::new(cx, page, bodies))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LicensedUserBody<'a> {
    id: &'a Uuid,
    name: &'a str,
    is_backed_up: bool,
    last_backup_date: OwnedOptionalTime,
    license_state: &'static str,
    backed_up_organization_id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<&'a Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_name: Option<&'a str>,
    #[serde(rename = "_links")]
    links: LicensedUserLinks<'a>,
}

#[derive(Serialize)]
struct LicensedUserLinks<'a> {
    organization: IdLink<'a>,
}

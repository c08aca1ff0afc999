//! `/License` (v5 on): the installed license, counted from the world's licensed users.

use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::time::DotNetTime;
use super::{Version, ok};
use crate::model::LicenseUse;

/// Seats of the emulated subscription license.
pub const LICENSED_SEATS: usize = 1000;
/// When the emulated license and its support run out: far enough for any test.
const EXPIRES: &str = "2030-12-31T00:00:00Z";
const LICENSE_ID: &str = "4d6a1f8e-2b3c-4e5f-9a7b-8c9d0e1f2a3b";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LicenseBody<'a> {
    #[serde(rename = "licenseID")]
    license_id: &'static str,
    email: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<DotNetTime<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_expires: Option<DotNetTime<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grace_period_expires: Option<DotNetTime<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'static str>,
    licensed_to: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_person: Option<&'static str>,
    total_number: usize,
    used_number: usize,
    new_number: usize,
    #[serde(rename = "supportID")]
    support_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    support_expiration_date: Option<DotNetTime<'a>>,
}

/// v5 and v6 name the dates `expirationDate`/`supportExpirationDate`; v7 on
/// `licenseExpires`/`gracePeriodExpires` and add the `package`.
pub fn license(version: Version, usage: LicenseUse) -> Response {
    let expires =
        DateTime::parse_from_rfc3339(EXPIRES).unwrap_or_else(|_| Utc::now().fixed_offset());
    let late = version >= Version::V7;
    ok(&LicenseBody {
        license_id: LICENSE_ID,
        email: "licensing@eastsupport.onmicrosoft.com",
        status: "Valid",
        expiration_date: (!late).then_some(DotNetTime(&expires)),
        license_expires: late.then_some(DotNetTime(&expires)),
        grace_period_expires: late.then_some(DotNetTime(&expires)),
        kind: "Subscription",
        package: late.then_some("Backup"),
        licensed_to: "East Support",
        contact_person: (!late).then_some("Pete Protector"),
        total_number: LICENSED_SEATS,
        used_number: usage.used,
        new_number: usage.new,
        support_id: "01234567",
        support_expiration_date: (!late).then_some(DotNetTime(&expires)),
    })
}

//! `/License` (v5 on) and `/licensing/statistic` (v7 on): the installed license with how
//! many of its seats the world's users take, its automatic update, the licensing platform,
//! license use and the monthly report; and the bodies that install a license, set its
//! automatic update and approve a report.

use axum::response::Response;
use base64::Engine;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::{BodyError, invalid};
use super::directory::{PathLink, path_link};
use super::job_requests::guid;
use super::time::{DotNetTime, OwnedTime};
use super::{Context, Version, ok};
use crate::model::{
    License, LicenseDates, LicenseFile, LicenseReport, LicenseUse, OrganizationLicenseUse,
    PLATFORM_ID, PLATFORM_NAME, RemovedObjects, Timestamp, USER_TYPE_ID, USER_TYPE_WEIGHT,
    USERS_GROUP_ID,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LicenseBody<'a> {
    #[serde(rename = "licenseID")]
    license_id: &'a Uuid,
    email: &'a str,
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
    package: Option<&'a str>,
    licensed_to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_person: Option<&'a str>,
    total_number: u32,
    used_number: usize,
    new_number: usize,
    #[serde(rename = "supportID")]
    support_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    support_expiration_date: Option<DotNetTime<'a>>,
}

/// The license at `now`. v5 and v6 name the dates `expirationDate`/`supportExpirationDate`;
/// v7 on `licenseExpires`/`gracePeriodExpires` and add the `package`.
pub fn license(
    version: Version,
    license: &License,
    dates: LicenseDates,
    usage: LicenseUse,
    now: Timestamp,
) -> Response {
    let late = version >= Version::V7;
    ok(&LicenseBody {
        license_id: &license.id,
        email: &license.email,
        status: if dates.is_expired(now) {
            "Expired"
        } else {
            "Valid"
        },
        expiration_date: (!late).then_some(DotNetTime(&dates.expires)),
        license_expires: late.then_some(DotNetTime(&dates.expires)),
        grace_period_expires: late.then_some(DotNetTime(&dates.grace_expires)),
        kind: license.kind.name(),
        package: late.then_some(license.package.as_str()),
        licensed_to: &license.licensed_to,
        contact_person: (!late).then_some(license.contact_person.as_str()),
        total_number: license.users,
        used_number: usage.used,
        new_number: usage.new,
        support_id: &license.support_id,
        support_expiration_date: (!late).then_some(DotNetTime(&license.support_expires)),
    })
}

/// `GET /License/AutoUpdate`.
pub fn auto_update(cx: &Context<'_>, license: &License) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        is_enabled: bool,
        #[serde(rename = "_links")]
        links: Links<'a>,
        #[serde(rename = "_actions")]
        actions: Actions,
    }
    #[derive(Serialize)]
    struct Links<'a> {
        #[serde(rename = "self")]
        this: PathLink<'a>,
    }
    #[derive(Serialize)]
    struct Actions {}
    ok(&Body {
        is_enabled: license.auto_update,
        links: Links {
            this: path_link(cx, format!("{}/License/AutoUpdate", cx.version.prefix())),
        },
        actions: Actions {},
    })
}

/// `GET /licensing/statistic/platform`: Microsoft 365, counted by protected user.
pub fn platform() -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Group {
        id: Uuid,
        name: &'static str,
        singular_name: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Kind {
        id: i32,
        name: &'static str,
        cis_counter_name: &'static str,
        weight: f64,
        group_id: Uuid,
    }
    #[derive(Serialize)]
    struct Platform {
        id: Uuid,
        name: &'static str,
        types: Vec<Kind>,
    }
    #[derive(Serialize)]
    struct Body {
        groups: Vec<Group>,
        platforms: Vec<Platform>,
    }
    ok(&Body {
        groups: vec![Group {
            id: USERS_GROUP_ID,
            name: "Users",
            singular_name: "User",
        }],
        platforms: vec![Platform {
            id: PLATFORM_ID,
            name: PLATFORM_NAME,
            types: vec![Kind {
                id: USER_TYPE_ID,
                name: "Users",
                cis_counter_name: "VB365_USERS",
                weight: USER_TYPE_WEIGHT,
                group_id: USERS_GROUP_ID,
            }],
        }],
    })
}

fn points(count: u32) -> f64 {
    f64::from(count) * USER_TYPE_WEIGHT
}

/// `GET /licensing/statistic/usage`: each organization's licensed users; `platform` says
/// whether the platform asked for is the one counted.
pub fn usage<'a>(
    organizations: impl Iterator<Item = OrganizationLicenseUse<'a>>,
    platform: bool,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Organization<'a> {
        organization_id: &'a Uuid,
        backed_up_organization_id: String,
        organization_name: &'a str,
        used_objects_count: u32,
        used_points: f64,
        new_objects_count: u32,
        new_points: f64,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PlatformType<'a> {
        platform_id: Uuid,
        type_id: i32,
        organizations: Vec<Organization<'a>>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        platform_types: Vec<PlatformType<'a>>,
    }
    let organizations = organizations
        .map(|usage| Organization {
            organization_id: &usage.organization.id,
            backed_up_organization_id: usage.organization.id.to_string(),
            organization_name: &usage.organization.name,
            used_objects_count: usage.used,
            used_points: points(usage.used),
            new_objects_count: usage.new,
            new_points: points(usage.new),
        })
        .collect();
    ok(&Body {
        platform_types: if platform {
            vec![PlatformType {
                platform_id: PLATFORM_ID,
                type_id: USER_TYPE_ID,
                organizations,
            }]
        } else {
            Vec::new()
        },
    })
}

/// The v7 on report's parts; v6 shares the parameters and reads the organizations' counts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportInterval {
    start_of_interval: OwnedTime,
    end_of_interval: OwnedTime,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportParameters<'a> {
    #[serde(rename = "reportID")]
    report_id: i32,
    report_status: &'static str,
    company_name: &'a str,
    license_expiration_date: DotNetTime<'a>,
    #[serde(rename = "licenseID")]
    license_id: &'a Uuid,
    #[serde(rename = "supportID")]
    support_id: &'a str,
    report_generation_date: OwnedTime,
    reporting_interval: ReportInterval,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportSummary {
    initial_count: u32,
    initial_points: f64,
    reported_count: u32,
    reported_points: f64,
    new_count: u32,
    new_points: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportOrganization<'a> {
    organization_id: &'a Uuid,
    backed_up_organization_id: String,
    organization_name: &'a str,
    initial_count: u32,
    initial_points: f64,
    reported_count: u32,
    reported_points: f64,
    new_count: u32,
    new_points: f64,
    removed_count: u32,
    removed_points: f64,
    removal_reason: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportPlatformType<'a> {
    platform_id: Uuid,
    type_id: i32,
    summary: ReportSummary,
    organizations: Vec<ReportOrganization<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportBody<'a> {
    report_parameters: ReportParameters<'a>,
    platform_types: Vec<ReportPlatformType<'a>>,
}

/// The monthly report of the month before now: v7 on `GET /licensing/statistic/reports/latest`
/// counts objects and points per licensing platform; v6 `GET /licensing/reports/latest`
/// counts users, with a summary and one line per organization.
pub fn report(
    version: Version,
    license: &License,
    dates: LicenseDates,
    report: &LicenseReport<'_>,
) -> Response {
    let organizations: Vec<ReportOrganization<'_>> = report
        .organizations
        .iter()
        .map(|line| {
            let removed = line.removed.map_or(0, |removed| removed.count);
            ReportOrganization {
                organization_id: &line.organization.id,
                backed_up_organization_id: line.organization.id.to_string(),
                organization_name: &line.organization.name,
                initial_count: line.initial(),
                initial_points: points(line.initial()),
                reported_count: line.reported,
                reported_points: points(line.reported),
                new_count: line.new,
                new_points: points(line.new),
                removed_count: removed,
                removed_points: points(removed),
                removal_reason: line.removed.map_or("", |removed| removed.reason.as_str()),
            }
        })
        .collect();
    let sum =
        |count: fn(&ReportOrganization<'_>) -> u32| organizations.iter().map(count).sum::<u32>();
    let (initial, reported, new) = (
        sum(|line| line.initial_count),
        sum(|line| line.reported_count),
        sum(|line| line.new_count),
    );
    let report_parameters = ReportParameters {
        report_id: report.month.id,
        report_status: if report.approval.is_some() {
            "Approved"
        } else {
            "Draft"
        },
        company_name: &license.licensed_to,
        license_expiration_date: DotNetTime(&dates.expires),
        license_id: &license.id,
        support_id: &license.support_id,
        report_generation_date: OwnedTime(report.month.generated),
        reporting_interval: ReportInterval {
            start_of_interval: OwnedTime(report.month.start),
            end_of_interval: OwnedTime(report.month.end),
        },
    };
    if version < Version::V7 {
        return users_report(report_parameters, &organizations);
    }
    ok(&ReportBody {
        report_parameters,
        platform_types: vec![ReportPlatformType {
            platform_id: PLATFORM_ID,
            type_id: USER_TYPE_ID,
            summary: ReportSummary {
                initial_count: initial,
                initial_points: points(initial),
                reported_count: reported,
                reported_points: points(reported),
                new_count: new,
                new_points: points(new),
            },
            organizations,
        }],
    })
}

/// v6's report: users, not points, and no platforms.
fn users_report(
    report_parameters: ReportParameters<'_>,
    organizations: &[ReportOrganization<'_>],
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        initial_users_count: u32,
        reported_users_count: u32,
        new_users_count: u32,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Organization<'a> {
        organization_id: String,
        organization_name: &'a str,
        removed_users_count: u32,
        removal_reason: &'a str,
        reported_users_count: u32,
        new_users_count: u32,
        initial_users_count: u32,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        report_parameters: ReportParameters<'a>,
        report_summary: Summary,
        organizations: Vec<Organization<'a>>,
    }
    let sum = |count: fn(&ReportOrganization<'_>) -> u32| organizations.iter().map(count).sum();
    ok(&Body {
        report_summary: Summary {
            initial_users_count: sum(|line| line.initial_count),
            reported_users_count: sum(|line| line.reported_count),
            new_users_count: sum(|line| line.new_count),
        },
        organizations: organizations
            .iter()
            .map(|line| Organization {
                organization_id: line.organization_id.to_string(),
                organization_name: line.organization_name,
                removed_users_count: line.removed_count,
                removal_reason: line.removal_reason,
                reported_users_count: line.reported_count,
                new_users_count: line.new_count,
                initial_users_count: line.initial_count,
            })
            .collect(),
        report_parameters,
    })
}

/// `RESTInstallLicenseOptions`: the license file's content in Base64.
#[derive(Debug, Deserialize)]
pub struct InstallLicenseRequest {
    #[serde(rename = "licensefile", default)]
    license_file: Option<String>,
}

impl InstallLicenseRequest {
    /// The license file the request carries, read (see [`LicenseFile`]).
    pub fn into_file(self) -> Result<LicenseFile, BodyError> {
        let encoded = self
            .license_file
            .filter(|text| !text.trim().is_empty())
            .ok_or_else(|| invalid("Send the license file in 'licenseFile', as Base64."))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| invalid("'licenseFile' is not Base64."))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| invalid("The license file is not a text the server can read."))?;
        LicenseFile::parse(&text)
            .map_err(|message| invalid(format!("The license file is not valid: {message}")))
    }
}

/// `RESTLicenseAutoUpdate` as sent: whether the license updates itself.
#[derive(Debug, Deserialize)]
pub struct AutoUpdateRequest {
    #[serde(rename = "isenabled", default)]
    is_enabled: Option<bool>,
}

impl AutoUpdateRequest {
    pub fn enabled(self) -> Result<bool, BodyError> {
        self.is_enabled
            .ok_or_else(|| invalid("Say whether the license updates itself in 'isEnabled'."))
    }
}

/// `RESTLicensingApproveReportOptions`: what the approval takes out of the report.
#[derive(Debug, Deserialize)]
pub struct ApproveReportRequest {
    #[serde(rename = "removedobjects", default)]
    removed_objects: Vec<RemovedObjectsRequest>,
    /// v6's `RESTApproveReportOptions` names them users.
    #[serde(rename = "removedusers", default)]
    removed_users: Vec<RemovedObjectsRequest>,
}

#[derive(Debug, Deserialize)]
struct RemovedObjectsRequest {
    #[serde(rename = "organizationid", default)]
    organization_id: Option<String>,
    #[serde(rename = "backeduporganizationid", default)]
    backed_up_organization_id: Option<String>,
    #[serde(rename = "platformid", default)]
    platform_id: Option<String>,
    #[serde(rename = "typeid", default)]
    type_id: Option<i32>,
    #[serde(rename = "removedcount", alias = "removeduserscount", default)]
    removed_count: Option<u32>,
    #[serde(rename = "removalreason", default)]
    removal_reason: Option<String>,
}

impl ApproveReportRequest {
    /// What the approval removes, per organization. Each names its organization (by id, or
    /// its backed-up organization's id) and how many objects; a platform or type other
    /// than the one counted is refused.
    pub fn into_removed(self) -> Result<Vec<RemovedObjects>, BodyError> {
        self.removed_objects
            .into_iter()
            .chain(self.removed_users)
            .map(|objects| {
                let organization = objects
                    .organization_id
                    .or(objects.backed_up_organization_id)
                    .ok_or_else(|| {
                        invalid("Each of 'removedObjects' names its organization in 'backedUpOrganizationId'.")
                    })?;
                if let Some(platform) = objects.platform_id.as_deref()
                    && guid(platform, "platform")? != PLATFORM_ID
                {
                    return Err(invalid(format!("No licensing platform has id '{platform}'.")));
                }
                if objects.type_id.is_some_and(|kind| kind != USER_TYPE_ID) {
                    return Err(invalid(format!(
                        "The licensing platform counts objects of type {USER_TYPE_ID} only."
                    )));
                }
                Ok(RemovedObjects {
                    organization_id: guid(&organization, "organization")?,
                    count: objects.removed_count.ok_or_else(|| {
                        invalid("Each of 'removedObjects' says how many in 'removedCount'.")
                    })?,
                    reason: objects.removal_reason.unwrap_or_default(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn a_license_file_arrives_in_base64() {
        let text = "Licensed to=Contoso\nUsers=50\nExpiration date=2031-01-01\n";
        let encoded = base64::engine::general_purpose::STANDARD.encode(text);
        let request: InstallLicenseRequest =
            read(format!(r#"{{"LicenseFile": "{encoded}"}}"#).as_bytes()).unwrap();
        assert_eq!(request.into_file().unwrap().users, 50);
        for body in [
            &br#"{"licenseFile": "***"}"#[..],
            br#"{"licenseFile": ""}"#,
            br#"{}"#,
            br#"{"licenseFile": "//79"}"#,
        ] {
            let request: InstallLicenseRequest = read(body).unwrap();
            assert!(
                request.into_file().is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn removed_objects_name_their_organization_and_the_counted_type() {
        let request: ApproveReportRequest = read(
            br#"{"removedObjects": [{"backedUpOrganizationId": "11111111-1111-1111-1111-111111111111", "typeId": 1, "removedCount": 2, "removalReason": "Left"}]}"#,
        )
        .unwrap();
        let removed = request.into_removed().unwrap();
        assert_eq!(removed[0].count, 2);
        assert_eq!(removed[0].reason, "Left");
        for body in [
            &br#"{"removedObjects": [{"removedCount": 2}]}"#[..],
            br#"{"removedObjects": [{"backedUpOrganizationId": "x", "removedCount": 2}]}"#,
            br#"{"removedObjects": [{"backedUpOrganizationId": "11111111-1111-1111-1111-111111111111", "typeId": 7, "removedCount": 2}]}"#,
            br#"{"removedObjects": [{"backedUpOrganizationId": "11111111-1111-1111-1111-111111111111"}]}"#,
        ] {
            let request: ApproveReportRequest = read(body).unwrap();
            assert!(request.into_removed().is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}

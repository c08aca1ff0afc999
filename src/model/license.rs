//! The server's license: what was installed (a license file), whether it updates itself,
//! and the monthly license usage reports and their approvals.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::{Uuid, uuid};

use super::{Organization, Timestamp};

/// The installed license. A fresh world holds a subscription for 1,000 users that runs far
/// enough for any test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct License {
    pub id: Uuid,
    pub licensed_to: String,
    pub email: String,
    pub contact_person: String,
    #[serde(rename = "type")]
    pub kind: LicenseKind,
    pub package: String,
    /// How many users the license covers.
    pub users: u32,
    #[serde(with = "super::timestamp_text")]
    pub expires: Timestamp,
    pub support_id: String,
    #[serde(with = "super::timestamp_text")]
    pub support_expires: Timestamp,
    /// Whether the server updates the license by itself when a newer one is out.
    pub auto_update: bool,
    /// The monthly usage reports approved so far, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approved_reports: Vec<ReportApproval>,
}

/// When the emulated license and its support run out.
fn far_future() -> Timestamp {
    Utc.with_ymd_and_hms(2030, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or_default()
        .fixed_offset()
}

impl Default for License {
    fn default() -> Self {
        Self {
            id: uuid!("4d6a1f8e-2b3c-4e5f-9a7b-8c9d0e1f2a3b"),
            licensed_to: "East Support".to_owned(),
            email: "licensing@eastsupport.onmicrosoft.com".to_owned(),
            contact_person: "Pete Protector".to_owned(),
            kind: LicenseKind::Subscription,
            package: "Backup".to_owned(),
            users: 1000,
            expires: far_future(),
            support_id: "01234567".to_owned(),
            support_expires: far_future(),
            auto_update: false,
            approved_reports: Vec::new(),
        }
    }
}

impl License {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The license a license file describes (see [`LicenseFile`]); what the server keeps of
    /// its own (auto-update, approved reports) stays.
    pub fn installed(&self, file: LicenseFile) -> Self {
        Self {
            id: file.id,
            licensed_to: file.licensed_to,
            email: file.email,
            contact_person: file.contact_person,
            kind: file.kind,
            package: file.package,
            users: file.users,
            expires: file.expires,
            support_id: file.support_id,
            support_expires: file.support_expires,
            auto_update: self.auto_update,
            approved_reports: self.approved_reports.clone(),
        }
    }
}

/// The kinds of license the contracts name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LicenseKind {
    #[default]
    Subscription,
    Evaluation,
    #[serde(rename = "NFR")]
    Nfr,
    Rental,
    Community,
    AwsPrivateOffer,
}

impl LicenseKind {
    pub const ALL: [Self; 6] = [
        Self::Subscription,
        Self::Evaluation,
        Self::Nfr,
        Self::Rental,
        Self::Community,
        Self::AwsPrivateOffer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Subscription => "Subscription",
            Self::Evaluation => "Evaluation",
            Self::Nfr => "NFR",
            Self::Rental => "Rental",
            Self::Community => "Community",
            Self::AwsPrivateOffer => "AwsPrivateOffer",
        }
    }
}

/// A license file as the emulator reads it: text lines of `Name=Value` (names without
/// regard to case, spaces or dashes). `Users` and `Expiration date` are required; lines it
/// does not know are skipped, as a real file holds many more.
///
/// ```text
/// License ID=0f6d3c5e-7a41-4c1b-9b8e-2d4f6a8c0e13
/// Licensed to=Contoso
/// Email=licensing@contoso.com
/// Type=Subscription
/// Users=500
/// Expiration date=2031-06-30
/// Support ID=02345678
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseFile {
    pub id: Uuid,
    pub licensed_to: String,
    pub email: String,
    pub contact_person: String,
    pub kind: LicenseKind,
    pub package: String,
    pub users: u32,
    pub expires: Timestamp,
    pub support_id: String,
    pub support_expires: Timestamp,
}

impl LicenseFile {
    /// Reads a license file's text, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut file = Self {
            id: Uuid::new_v5(&Uuid::NAMESPACE_OID, text.as_bytes()),
            licensed_to: String::new(),
            email: String::new(),
            contact_person: String::new(),
            kind: LicenseKind::Subscription,
            package: "Backup".to_owned(),
            users: 0,
            expires: Timestamp::default(),
            support_id: String::new(),
            support_expires: Timestamp::default(),
        };
        let (mut users, mut expires, mut support_expires) = (None, None, None);
        for line in text.lines() {
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let value = value.trim();
            match name.as_str() {
                "licenseid" => {
                    file.id = Uuid::parse_str(value)
                        .map_err(|_| format!("'License ID' is not a GUID: '{value}'."))?;
                }
                "licensedto" | "company" => file.licensed_to = value.to_owned(),
                "email" => file.email = value.to_owned(),
                "contactperson" => file.contact_person = value.to_owned(),
                "package" => file.package = value.to_owned(),
                "supportid" => file.support_id = value.to_owned(),
                "type" => {
                    file.kind = LicenseKind::ALL
                        .into_iter()
                        .find(|kind| kind.name().eq_ignore_ascii_case(value))
                        .ok_or_else(|| {
                            format!(
                                "'Type' must be Subscription, Evaluation, NFR, Rental, Community or AwsPrivateOffer, not '{value}'."
                            )
                        })?;
                }
                "users" | "seats" | "instances" => {
                    users = Some(
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|users| *users > 0)
                            .ok_or_else(|| {
                                format!("'Users' must be a whole number above 0, not '{value}'.")
                            })?,
                    );
                }
                "expirationdate" | "expires" => expires = Some(date("Expiration date", value)?),
                "supportexpirationdate" => {
                    support_expires = Some(date("Support expiration date", value)?);
                }
                _ => {}
            }
        }
        file.users =
            users.ok_or("The license file does not say how many users it covers ('Users').")?;
        file.expires =
            expires.ok_or("The license file does not say when it expires ('Expiration date').")?;
        file.support_expires = support_expires.unwrap_or(file.expires);
        Ok(file)
    }
}

/// A date (`2031-06-30`, the end of that day in UTC) or an RFC 3339 time.
fn date(name: &str, value: &str) -> Result<Timestamp, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return Ok(time);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(23, 59, 59))
        .map(|time| time.and_utc().fixed_offset())
        .ok_or_else(|| format!("'{name}' is not a date such as 2031-06-30: '{value}'."))
}

/// The licensing platform the server counts on: Microsoft 365, whose one counted type is
/// the protected user.
pub const PLATFORM_ID: Uuid = uuid!("a6f0c1e4-2d3b-4c5a-8e7f-90b1c2d3e4f5");
pub const PLATFORM_NAME: &str = "Microsoft 365";
/// The group the counted type belongs to.
pub const USERS_GROUP_ID: Uuid = uuid!("b7e1d2f5-3e4c-4d6b-9f80-a1c2d3e4f506");
/// The counted type: a protected user, one point each.
pub const USER_TYPE_ID: i32 = 1;
pub const USER_TYPE_WEIGHT: f64 = 1.0;

/// What an approval of a monthly report took out of it: objects of one organization that
/// no longer need a license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemovedObjects {
    pub organization_id: Uuid,
    pub count: u32,
    #[serde(default)]
    pub reason: String,
}

/// A monthly report the administrator approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportApproval {
    pub report_id: i32,
    #[serde(with = "super::timestamp_text")]
    pub approved_at: Timestamp,
    #[serde(default)]
    pub removed: Vec<RemovedObjects>,
}

/// The month a monthly report covers: the one before `now`'s, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportMonth {
    /// `yyyymm`, as the service numbers its reports.
    pub id: i32,
    pub start: Timestamp,
    pub end: Timestamp,
    /// When the report was made: as the month it covers ended.
    pub generated: Timestamp,
}

impl ReportMonth {
    pub fn before(now: Timestamp) -> Self {
        let now = now.to_utc();
        let this_month = Utc
            .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
            .single()
            .unwrap_or(now);
        let last_day = this_month - TimeDelta::days(1);
        let start = Utc
            .with_ymd_and_hms(last_day.year(), last_day.month(), 1, 0, 0, 0)
            .single()
            .unwrap_or(last_day);
        let month = i32::try_from(last_day.month()).unwrap_or(1);
        Self {
            id: last_day.year() * 100 + month,
            start: start.fixed_offset(),
            end: (this_month - TimeDelta::seconds(1)).fixed_offset(),
            generated: this_month.fixed_offset(),
        }
    }
}

/// The latest monthly report as served: the month, whether it was approved, and each
/// organization's count of licensed users.
#[derive(Debug, Clone)]
pub struct LicenseReport<'a> {
    pub month: ReportMonth,
    pub approval: Option<&'a ReportApproval>,
    pub organizations: Vec<ReportOrganization<'a>>,
}

/// One organization's line of a monthly report.
#[derive(Debug, Clone, Copy)]
pub struct ReportOrganization<'a> {
    pub organization: &'a Organization,
    /// Users licensed (less those an approval removed).
    pub reported: u32,
    /// Of those, the users first licensed in the month.
    pub new: u32,
    pub removed: Option<&'a RemovedObjects>,
}

impl ReportOrganization<'_> {
    /// Users that were licensed before the month.
    pub fn initial(&self) -> u32 {
        self.reported.saturating_sub(self.new)
    }
}

/// One organization's license use now (`/licensing/statistic/usage`).
#[derive(Debug, Clone, Copy)]
pub struct OrganizationLicenseUse<'a> {
    pub organization: &'a Organization,
    pub used: u32,
    pub new: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_license_file_names_its_users_and_expiry_and_may_leave_the_rest_out() {
        let file = LicenseFile::parse(
            "Veeam license\nLicensed to = Contoso\nUSERS=250\nexpiration-date=2031-06-30\ntype=nfr\n",
        )
        .unwrap();
        assert_eq!(file.licensed_to, "Contoso");
        assert_eq!(file.users, 250);
        assert_eq!(file.kind, LicenseKind::Nfr);
        assert_eq!(file.expires.to_rfc3339(), "2031-06-30T23:59:59+00:00");
        assert_eq!(file.support_expires, file.expires);
        assert_eq!(
            file.id,
            LicenseFile::parse(
                "Veeam license\nLicensed to = Contoso\nUSERS=250\nexpiration-date=2031-06-30\ntype=nfr\n"
            )
            .unwrap()
            .id,
            "the same file gives the same license id"
        );
    }

    #[test]
    fn a_license_file_without_users_or_expiry_or_with_bad_values_is_refused() {
        for text in [
            "Users=10",
            "Expiration date=2031-01-01",
            "Users=ten\nExpiration date=2031-01-01",
            "Users=0\nExpiration date=2031-01-01",
            "Users=10\nExpiration date=soon",
            "Users=10\nExpiration date=2031-01-01\nType=Perpetual",
            "Users=10\nExpiration date=2031-01-01\nLicense ID=x",
            "",
        ] {
            assert!(LicenseFile::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn the_report_of_a_month_is_the_one_before_it() {
        let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
        let month = ReportMonth::before(at("2017-04-04T09:00:00Z"));
        assert_eq!(month.id, 201_703);
        assert_eq!(month.start, at("2017-03-01T00:00:00Z"));
        assert_eq!(month.end, at("2017-03-31T23:59:59Z"));
        assert_eq!(month.generated, at("2017-04-01T00:00:00Z"));
        assert_eq!(ReportMonth::before(at("2017-01-15T00:00:00Z")).id, 201_612);
    }
}

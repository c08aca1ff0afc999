//! The query parameters each version documents for job sessions and log items.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use wildmatch::WildMatch;

use super::Version;
use crate::error::ApiError;
use crate::model::{LocationType, SessionStatus, Severity};
use crate::store::{LogItemFilter, SessionFilter, SeverityFilter};

/// Pairs of the query whose name is one of `names`, without regard to case.
fn params<'a>(query: Option<&'a str>) -> impl Iterator<Item = (String, String)> + 'a {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.to_ascii_lowercase(), value.into_owned()))
}

fn invalid(name: &str, value: &str, expected: &str) -> ApiError {
    ApiError::BadRequest(format!(
        "The value '{value}' of parameter '{name}' is not valid: expected {expected}."
    ))
}

fn time(name: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| invalid(name, value, "a date and time such as 2023-04-04T07:07:21Z"))
}

/// A boolean parameter such as `extendedView=true`, named without regard to case; absent
/// is `false`.
pub fn flag(query: Option<&str>, name: &str) -> Result<bool, ApiError> {
    let lower = name.to_ascii_lowercase();
    let mut value = false;
    for (key, text) in params(query) {
        if key == lower {
            value = match text.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(invalid(name, &text, "true or false")),
            };
        }
    }
    Ok(value)
}

/// The filters of an organization's users, groups, sites and teams. Each listing reads the
/// ones its route documents; matching is by substring, without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    /// `userName` of users, `groupName` of groups.
    pub name: Option<String>,
    pub display_name: Option<String>,
    /// `locationFilter`; `None` is `Any`.
    pub locations: Option<Vec<LocationType>>,
    pub include_personal_sites: bool,
    /// `parentId` of sites: only the sites under this one.
    pub parent_id: Option<String>,
    /// `filter` of sites (v7 on): a part of the title or address.
    pub text: Option<String>,
}

impl DirectoryQuery {
    pub fn parse(version: Version, query: Option<&str>) -> Result<Self, ApiError> {
        let mut parsed = Self {
            include_personal_sites: flag(query, "includePersonalSites")?,
            ..Self::default()
        };
        for (name, value) in params(query) {
            match name.as_str() {
                "username" | "groupname" => parsed.name = Some(value.to_lowercase()),
                "displayname" => parsed.display_name = Some(value.to_lowercase()),
                "parentid" => parsed.parent_id = Some(value),
                "filter" if version >= Version::V7 => parsed.text = Some(value.to_lowercase()),
                "locationfilter" => parsed.locations = location_filter(&value)?,
                "datasource" if version >= Version::V7 => {
                    let known = ["preferlocal", "production", "preferlocalresynced"];
                    if !known.contains(&value.to_ascii_lowercase().as_str()) {
                        return Err(invalid(
                            "dataSource",
                            &value,
                            "PreferLocal, Production or PreferLocalResynced",
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(parsed)
    }

    pub fn matches_name(&self, name: &str) -> bool {
        contains(self.name.as_deref(), name)
    }

    pub fn matches_display_name(&self, display_name: &str) -> bool {
        contains(self.display_name.as_deref(), display_name)
    }

    pub fn matches_text(&self, title: &str, url: &str) -> bool {
        contains(self.text.as_deref(), title) || contains(self.text.as_deref(), url)
    }

    pub fn matches_location(&self, location: LocationType) -> bool {
        self.locations
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&location))
    }
}

fn contains(wanted: Option<&str>, value: &str) -> bool {
    wanted.is_none_or(|wanted| value.to_lowercase().contains(wanted))
}

fn location_filter(value: &str) -> Result<Option<Vec<LocationType>>, ApiError> {
    use LocationType::{Cloud, Hybrid, OnPremises};
    Ok(Some(match value.to_ascii_lowercase().as_str() {
        "any" => return Ok(None),
        "cloud" => vec![Cloud],
        "onpremises" => vec![OnPremises],
        "hybrid" => vec![Hybrid],
        "cloudorhybrid" => vec![Cloud, Hybrid],
        "onpremisesorhybrid" => vec![OnPremises, Hybrid],
        _ => {
            return Err(invalid(
                "locationFilter",
                value,
                "Cloud, OnPremises, Hybrid, CloudOrHybrid, OnPremisesOrHybrid or Any",
            ));
        }
    }))
}

/// `GET /LicensedUsers` filters: `organizationId`, and from v6 `name` with `*` and `?`
/// wildcards, in v8 also `backedUpOrganizationId` (the same organization here: users are
/// licensed where they are backed up).
#[derive(Default)]
pub struct LicensedUserFilter {
    pub organization_id: Option<Uuid>,
    pub name: Option<WildMatch>,
}

impl LicensedUserFilter {
    pub fn parse(version: Version, query: Option<&str>) -> Result<Self, ApiError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            let organization = name == "organizationid"
                || (name == "backeduporganizationid" && version >= Version::V8);
            if organization {
                let id = Uuid::parse_str(&value).map_err(|_| {
                    ApiError::BadRequest(format!(
                        "The value '{value}' is not a valid organization id: expected a GUID."
                    ))
                })?;
                filter.organization_id = Some(id);
            } else if name == "name" && version >= Version::V6 {
                filter.name = Some(WildMatch::new_case_insensitive(&value));
            }
        }
        Ok(filter)
    }
}

/// `GET /JobSessions` filters: `endTimeLowerBound` and `jobType` from v6, `jobId` and
/// `endTimeUpperBound` from v7, `status` in v8. Earlier versions ignore them, as they
/// ignore every parameter they do not know.
pub fn session_filter(version: Version, query: Option<&str>) -> Result<SessionFilter, ApiError> {
    let mut filter = SessionFilter::default();
    for (name, value) in params(query) {
        match name.as_str() {
            "endtimelowerbound" if version >= Version::V6 => {
                filter.ended_after = Some(time("endTimeLowerBound", &value)?);
            }
            "endtimeupperbound" if version >= Version::V7 => {
                filter.ended_before = Some(time("endTimeUpperBound", &value)?);
            }
            "jobtype" if version >= Version::V6 => match value.to_ascii_lowercase().as_str() {
                "backup" => filter.copy_jobs_only = false,
                "copy" => filter.copy_jobs_only = true,
                _ => return Err(invalid("jobType", &value, "Backup or Copy")),
            },
            "jobid" if version >= Version::V7 => {
                let id = Uuid::parse_str(&value).map_err(|_| invalid("jobId", &value, "a GUID"))?;
                filter.job_id = Some(id);
            }
            "status" if version >= Version::V8 => {
                filter.status = Some(match value.to_ascii_lowercase().as_str() {
                    "stopped" => SessionStatus::Stopped,
                    "running" => SessionStatus::Running,
                    "succeeded" => SessionStatus::Success,
                    "failed" => SessionStatus::Failed,
                    "warning" => SessionStatus::Warning,
                    _ => {
                        return Err(invalid(
                            "status",
                            &value,
                            "Stopped, Running, Succeeded, Failed or Warning",
                        ));
                    }
                });
            }
            _ => {}
        }
    }
    Ok(filter)
}

/// v8 LogItems filters: `type` (Running, Warning, Error, Success, Stop) and `orderAsc`.
pub fn log_item_filter(version: Version, query: Option<&str>) -> Result<LogItemFilter, ApiError> {
    let mut filter = LogItemFilter::default();
    if version < Version::V8 {
        return Ok(filter);
    }
    for (name, value) in params(query) {
        match name.as_str() {
            "type" => {
                filter.severity = match value.to_ascii_lowercase().as_str() {
                    "success" => SeverityFilter::Only(Severity::Success),
                    "warning" => SeverityFilter::Only(Severity::Warning),
                    "error" => SeverityFilter::Only(Severity::Failed),
                    // The model keeps outcomes only; no item is a bare Running or Stop marker.
                    "running" | "stop" => SeverityFilter::Nothing,
                    _ => {
                        return Err(invalid(
                            "type",
                            &value,
                            "Running, Warning, Error, Success or Stop",
                        ));
                    }
                };
            }
            "orderasc" => {
                filter.descending = match value.to_ascii_lowercase().as_str() {
                    "true" => false,
                    "false" => true,
                    _ => return Err(invalid("orderAsc", &value, "true or false")),
                };
            }
            _ => {}
        }
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_a_version_does_not_know_are_ignored() {
        let filter = session_filter(Version::V3, Some("jobId=nope&status=bad")).unwrap();
        assert_eq!(filter, SessionFilter::default());
        assert_eq!(
            log_item_filter(Version::V7, Some("type=bogus")).unwrap(),
            LogItemFilter::default()
        );
    }

    #[test]
    fn known_parameters_with_bad_values_are_400() {
        for query in [
            "jobId=nope",
            "status=Success",
            "endTimeLowerBound=yesterday",
            "jobType=Other",
        ] {
            assert!(session_filter(Version::V8, Some(query)).is_err(), "{query}");
        }
        assert!(log_item_filter(Version::V8, Some("orderAsc=maybe")).is_err());
    }

    #[test]
    fn v8_status_succeeded_means_success() {
        let filter = session_filter(Version::V8, Some("Status=Succeeded")).unwrap();
        assert_eq!(filter.status, Some(SessionStatus::Success));
    }
}

//! The query parameters each version documents for job sessions and log items.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Version;
use crate::error::ApiError;
use crate::model::{SessionStatus, Severity};
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

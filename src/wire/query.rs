//! The query parameters each version documents, parsed into the model's filters.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use wildmatch::WildMatch;

use super::Version;
use crate::model::{
    AMAZON_REGIONS, AmazonRegionType, ApplicationFilter, AzureRegionType,
    AzureServiceAccountFilter, BackupDataFilter, BucketPlace, BucketScope, CloudAccountFilter,
    CloudAccountKind, CopyJobFilter, DirectoryFilter, DriveFilter, Ec2Scope, EncryptionKeyFilter,
    FolderFilter, ItemFilter, ItemIds, JobFilter, JobKind, LicenseUsageFilter, LicensedUserFilter,
    LocationType, LogItemFilter, ObjectStorageFilter, OperatorPointFilter, OrganizationParameter,
    OwnerChangeOptions, PostFilter, ProtectedFilter, ProxyView, RepositoryFilter, RepositoryOwner,
    RestorePointFilter, SessionFilter, SessionScope, SessionStatus, Severity, SeverityFilter,
    TeamsFilter, amazon_region,
};

/// A query parameter with a value its route does not take: the client's 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

/// What a request's query parses into, by the rules of the version it addressed.
/// Parameters the version does not document are ignored, as the service ignores them.
pub trait FromQuery: Sized {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError>;
}

/// Pairs of the query whose name is one of `names`, without regard to case.
fn params<'a>(query: Option<&'a str>) -> impl Iterator<Item = (String, String)> + 'a {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.to_ascii_lowercase(), value.into_owned()))
}

fn invalid(name: &str, value: &str, expected: &str) -> QueryError {
    QueryError(format!(
        "The value '{value}' of parameter '{name}' is not valid: expected {expected}."
    ))
}

fn time(name: &str, value: &str) -> Result<DateTime<Utc>, QueryError> {
    DateTime::parse_from_rfc3339(value)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| invalid(name, value, "a date and time such as 2023-04-04T07:07:21Z"))
}

/// A boolean parameter such as `extendedView=true`, named without regard to case; absent
/// is `false`.
fn flag(query: Option<&str>, name: &str) -> Result<bool, QueryError> {
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

fn location_filter(value: &str) -> Result<Option<Vec<LocationType>>, QueryError> {
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

/// The filters of an organization's users, groups, sites and teams: each listing reads
/// the ones its route documents.
impl FromQuery for DirectoryFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
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
}

impl FromQuery for OperatorPointFilter {
    fn from_query(_: Version, query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self {
            rbac_item: params(query)
                .find(|(name, _)| name == "rbacitem")
                .map(|(_, value)| value),
            copies: flag(query, "isCopy")?,
        })
    }
}

/// `GET /LicensedUsers` filters: `organizationId`, and from v6 `name` with `*` and `?`
/// wildcards, in v8 also `backedUpOrganizationId` (the same organization here: users are
/// licensed where they are backed up).
impl FromQuery for LicensedUserFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            let organization = name == "organizationid"
                || (name == "backeduporganizationid" && version >= Version::V8);
            if organization {
                let id = Uuid::parse_str(&value).map_err(|_| {
                    QueryError(format!(
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
/// ignore every parameter they do not know, and list backup job sessions only: backup copy
/// jobs came with v6.
impl FromQuery for SessionFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = SessionFilter {
            kind: (!version.has_copy_jobs()).then_some(JobKind::Backup),
            ..SessionFilter::default()
        };
        for (name, value) in params(query) {
            match name.as_str() {
                "endtimelowerbound" if version >= Version::V6 => {
                    filter.ended_after = Some(time("endTimeLowerBound", &value)?);
                }
                "endtimeupperbound" if version >= Version::V7 => {
                    filter.ended_before = Some(time("endTimeUpperBound", &value)?);
                }
                "jobtype" if version >= Version::V6 => match value.to_ascii_lowercase().as_str() {
                    "backup" => filter.kind = Some(JobKind::Backup),
                    "copy" => filter.kind = Some(JobKind::Copy),
                    _ => return Err(invalid("jobType", &value, "Backup or Copy")),
                },
                "jobid" if version >= Version::V7 => {
                    let id =
                        Uuid::parse_str(&value).map_err(|_| invalid("jobId", &value, "a GUID"))?;
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
}

/// v8 LogItems filters: `type` (Running, Warning, Error, Success, Stop) and `orderAsc`.
impl FromQuery for LogItemFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
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
}

/// `extendedView` on `/Proxies` where the version takes it (v6, v7).
impl FromQuery for ProxyView {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let extended = version.has_proxy_extended_view() && flag(query, "extendedView")?;
        Ok(Self { extended })
    }
}

/// v8 `/Jobs` filters: `organizationId` and `repositoryId`.
impl FromQuery for JobFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        if version < Version::V8 {
            return Ok(filter);
        }
        for (name, value) in params(query) {
            match name.as_str() {
                "organizationid" => {
                    filter.organization_id = Some(guid("organizationId", &value)?);
                }
                "repositoryid" => filter.repository_id = Some(guid("repositoryId", &value)?),
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `ids` of a removal: GUIDs separated by commas, or the parameter given more than once.
impl FromQuery for ItemIds {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut ids = Vec::new();
        for (name, value) in params(query) {
            if name == "ids" {
                for text in value
                    .split(',')
                    .map(str::trim)
                    .filter(|text| !text.is_empty())
                {
                    ids.push(guid("ids", text)?);
                }
            }
        }
        Ok(Self { ids })
    }
}

/// `/RestorePoints` filters: organization, job and repository from v6; `from`, `to` and
/// `orderAsc` from v7.
impl FromQuery for RestorePointFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "organizationid" => filter.organization_id = Some(guid("organizationId", &value)?),
                "jobid" => filter.job_id = Some(guid("jobId", &value)?),
                "repositoryid" => filter.repository_id = Some(guid("repositoryId", &value)?),
                "from" if version >= Version::V7 => filter.from = Some(time("from", &value)?),
                "to" if version >= Version::V7 => filter.to = Some(time("to", &value)?),
                "orderasc" if version >= Version::V7 => {
                    filter.newest_first = !flag(Some(&format!("orderAsc={value}")), "orderAsc")?;
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

impl FromQuery for FolderFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "parentid" => filter.parent_id = Some(value),
                "name" => filter.name = Some(value),
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `parentId` and `versionId` in every version, `includeFolders` from v7.
impl FromQuery for DriveFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        if version >= Version::V7 {
            filter.include_folders = flag(query, "includeFolders")?;
        }
        for (name, value) in params(query) {
            match name.as_str() {
                "parentid" => filter.parent_id = Some(value),
                "versionid" => filter.version_id = Some(value),
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `displayName`, `channelId` and `parentId` in every version, `foldersOnly` from v7.
impl FromQuery for TeamsFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        if version >= Version::V7 {
            filter.folders_only = flag(query, "foldersOnly")?;
        }
        for (name, value) in params(query) {
            match name.as_str() {
                "displayname" => filter.display_name = Some(value),
                "channelid" => filter.channel_id = Some(value),
                "parentid" => filter.parent_id = Some(value),
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `channelId`, and `parentId` as the contract types a post's id: an int64.
impl FromQuery for PostFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "channelid" => filter.channel_id = Some(value),
                "parentid" => {
                    let parent = value
                        .trim()
                        .parse()
                        .map_err(|_| invalid("parentId", &value, "an integer"))?;
                    filter.parent_id = Some(parent);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// v6 names an item listing's folder `folderId`, v7 on `parentId`.
impl FromQuery for ItemFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let wanted = if version <= Version::V6 {
            "folderid"
        } else {
            "parentid"
        };
        Ok(Self {
            folder_id: params(query)
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value),
        })
    }
}

impl FromQuery for OrganizationParameter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut parameter = Self::default();
        for (name, value) in params(query) {
            if name == "organizationid" {
                parameter.organization_id = Some(guid("organizationId", &value)?);
            }
        }
        Ok(parameter)
    }
}

/// v8 protected data filters; `backedUpOrganizationId` names the organization too.
impl FromQuery for ProtectedFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "organizationid" | "backeduporganizationid" => {
                    filter.organization_id = Some(guid(&name, &value)?);
                }
                "repositoryid" => filter.repository_id = Some(guid("repositoryId", &value)?),
                "restorepointid" => {
                    filter.restore_point_id = Some(guid("restorePointId", &value)?);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `filter`, `organizationId` and `pointInTime` on a repository's `MailboxData` and
/// `OneDriveData`; the same in every version that has them.
impl FromQuery for BackupDataFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "filter" => filter.text = Some(value).filter(|text| !text.is_empty()),
                "organizationid" => filter.organization_id = Some(guid("organizationId", &value)?),
                "pointintime" => filter.point_in_time = Some(time("pointInTime", &value)?),
                _ => {}
            }
        }
        Ok(filter)
    }
}

fn guid(name: &str, value: &str) -> Result<Uuid, QueryError> {
    Uuid::parse_str(value).map_err(|_| invalid(name, value, "a GUID"))
}

/// `accountId` (a GUID) and `regionId` (a region Amazon EC2 answers in), both required.
impl FromQuery for Ec2Scope {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let (mut account_id, mut region) = (None, None);
        for (name, value) in params(query) {
            match name.as_str() {
                "accountid" => account_id = Some(guid("accountId", &value)?),
                "regionid" if AMAZON_REGIONS.contains(&value.as_str()) => region = Some(value),
                "regionid" => return Err(invalid("regionId", &value, "an Amazon region")),
                _ => {}
            }
        }
        match (account_id, region) {
            (Some(account_id), Some(region)) => Ok(Self { account_id, region }),
            _ => Err(QueryError(
                "The parameters 'accountId' and 'regionId' are required.".to_owned(),
            )),
        }
    }
}

/// `/S3CompatibleResources`: `accountId`, `ServicePoint` and `CustomRegionId` required,
/// `Name` optional; v8 also takes `trustServerCertificate` (the emulator trusts every
/// endpoint, so it is only read for its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3CompatibleQuery(pub BucketScope);

/// `/S3Resources`: `accountId` and `RegionType` required, `RegionId` and `Name` optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonS3Query(pub BucketScope);

/// `/AzureResources`: `accountId` and `RegionType` required, `Name` optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureQuery(pub BucketScope);

/// The parameters every browser takes: the account, `Name`, and the others by their lower
/// case names for the browser to read.
struct BrowserParams {
    account_id: Option<Uuid>,
    name: Option<String>,
    others: Vec<(String, String)>,
}

impl BrowserParams {
    fn read(query: Option<&str>) -> Result<Self, QueryError> {
        let mut read = Self {
            account_id: None,
            name: None,
            others: Vec::new(),
        };
        for (name, value) in params(query) {
            match name.as_str() {
                "accountid" => read.account_id = Some(guid("accountId", &value)?),
                "name" if !value.is_empty() => read.name = Some(value),
                _ if !value.is_empty() => read.others.push((name, value)),
                _ => {}
            }
        }
        Ok(read)
    }

    /// The last value of the parameter `lower`.
    fn get(&self, lower: &str) -> Option<&str> {
        self.others
            .iter()
            .rev()
            .find(|(name, _)| name == lower)
            .map(|(_, value)| value.as_str())
    }

    /// The scope at `place`, or the 400 naming the parameters the browser requires.
    fn scope(self, place: Option<BucketPlace>, required: &str) -> Result<BucketScope, QueryError> {
        match (self.account_id, place) {
            (Some(account_id), Some(place)) => Ok(BucketScope {
                account_id,
                place,
                name: self.name,
            }),
            _ => Err(QueryError(format!(
                "The parameters {required} are required."
            ))),
        }
    }
}

impl From<S3CompatibleQuery> for BucketScope {
    fn from(query: S3CompatibleQuery) -> Self {
        query.0
    }
}

impl From<AmazonS3Query> for BucketScope {
    fn from(query: AmazonS3Query) -> Self {
        query.0
    }
}

impl From<AzureQuery> for BucketScope {
    fn from(query: AzureQuery) -> Self {
        query.0
    }
}

impl FromQuery for S3CompatibleQuery {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        if version >= Version::V8 {
            flag(query, "trustServerCertificate")?;
        }
        let params = BrowserParams::read(query)?;
        let place = params
            .get("servicepoint")
            .zip(params.get("customregionid"))
            .map(|(service_point, region)| BucketPlace::S3Compatible {
                service_point: service_point.to_owned(),
                custom_region_id: region.to_owned(),
            });
        params
            .scope(place, "'accountId', 'ServicePoint' and 'CustomRegionId'")
            .map(Self)
    }
}

impl FromQuery for AmazonS3Query {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let params = BrowserParams::read(query)?;
        let region_type = params
            .get("regiontype")
            .map(|value| match value.to_ascii_lowercase().as_str() {
                "global" => Ok(AmazonRegionType::Global),
                "usgovernment" => Ok(AmazonRegionType::UsGovernment),
                "china" => Ok(AmazonRegionType::China),
                _ => Err(invalid(
                    "RegionType",
                    value,
                    "Global, USGovernment or China",
                )),
            })
            .transpose()?;
        let region = params
            .get("regionid")
            .map(|value| {
                amazon_region(value)
                    .filter(|region| region_type.is_none_or(|kind| region.region_type == kind))
                    .ok_or_else(|| {
                        invalid("RegionId", value, "an Amazon S3 region of the region type")
                    })
            })
            .transpose()?;
        let place = region_type.map(|region_type| BucketPlace::AmazonS3 {
            region_type,
            region,
        });
        params
            .scope(place, "'accountId' and 'RegionType'")
            .map(Self)
    }
}

impl FromQuery for AzureQuery {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let params = BrowserParams::read(query)?;
        let region_type = params
            .get("regiontype")
            .map(|value| match value.to_ascii_lowercase().as_str() {
                "global" => Ok(AzureRegionType::Global),
                "germany" => Ok(AzureRegionType::Germany),
                "china" => Ok(AzureRegionType::China),
                "government" => Ok(AzureRegionType::Government),
                _ => Err(invalid(
                    "RegionType",
                    value,
                    "Global, Germany, China or Government",
                )),
            })
            .transpose()?;
        let place = region_type.map(|region_type| BucketPlace::Azure { region_type });
        params
            .scope(place, "'accountId' and 'RegionType'")
            .map(Self)
    }
}

/// `longTerm=true` on `/objectstoragerepositories` lists the archive tiers only.
impl FromQuery for ObjectStorageFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self {
            long_term_only: flag(query, "longTerm")?,
        })
    }
}

/// `GET /BackupRepositories` filters: `proxyId` and `longTerm` from v6, `proxyPoolId` and
/// `organizationId` in v8.
impl FromQuery for RepositoryFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        if version < Version::V6 {
            return Ok(filter);
        }
        filter.long_term_only = flag(query, "longTerm")?;
        for (name, value) in params(query) {
            match name.as_str() {
                "proxyid" => filter.proxy_id = Some(guid("proxyId", &value)?),
                "proxypoolid" if version >= Version::V8 => {
                    filter.pool_id = Some(guid("proxyPoolId", &value)?);
                }
                "organizationid" if version >= Version::V8 => {
                    filter.organization_id = Some(guid("organizationId", &value)?);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// Which sessions a version shows at all (see [`SessionScope`]); it takes no parameter.
impl FromQuery for SessionScope {
    fn from_query(version: Version, _query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self {
            copy_jobs: version.has_copy_jobs(),
        })
    }
}

/// `GET /CopyJobs` filters: `repositoryId` (the repository copied to), in v8 also
/// `organizationId`.
impl FromQuery for CopyJobFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "repositoryid" => filter.repository_id = Some(guid("repositoryId", &value)?),
                "organizationid" if version >= Version::V8 => {
                    filter.organization_id = Some(guid("organizationId", &value)?);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `GET /EncryptionKeys` filters: `description` (the hint), in v8 also `organizationId`.
impl FromQuery for EncryptionKeyFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "description" => filter.description = Some(value),
                "organizationid" if version >= Version::V8 => {
                    filter.organization_id = Some(guid("organizationId", &value)?);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `GET /Accounts` filters: `name` with `*` and `?` wildcards, `accountType`, in v8 also
/// `organizationId`.
impl FromQuery for CloudAccountFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "name" => filter.name = Some(WildMatch::new_case_insensitive(&value)),
                "accounttype" => {
                    filter.kind = Some(match value.to_ascii_lowercase().as_str() {
                        "azureblobaccount" => CloudAccountKind::AzureBlobAccount,
                        "amazons3account" => CloudAccountKind::AmazonS3Account,
                        "amazons3compatibleaccount" => CloudAccountKind::AmazonS3CompatibleAccount,
                        _ => {
                            return Err(invalid(
                                "accountType",
                                &value,
                                "azureBlobAccount, amazonS3Account or amazonS3CompatibleAccount",
                            ));
                        }
                    });
                }
                "organizationid" if version >= Version::V8 => {
                    filter.organization_id = Some(guid("organizationId", &value)?);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `GET /licensing/statistic/usage` filters: `platformId`, `organizationId`, in v8 also
/// `backedUpOrganizationId` (both typed as text by the contract).
impl FromQuery for LicenseUsageFilter {
    fn from_query(version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "platformid" => filter.platform_id = Some(guid("platformId", &value)?),
                "organizationid" => filter.organization_id = Some(value),
                "backeduporganizationid" if version >= Version::V8 => {
                    filter.backed_up_organization_id = Some(value);
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// A whole number of minutes, at least zero.
fn minutes(name: &str, value: &str) -> Result<u32, QueryError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(name, value, "a whole number of minutes"))
}

/// `POST /BackupRepositories/{id}/changeOwner` (v8): `proxyId` or `poolId`, and how to
/// treat the sessions that use the repository.
impl FromQuery for OwnerChangeOptions {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut options = Self {
            include_related: flag(query, "includeAllRelatedRepositories")?,
            force_stop: flag(query, "forceStopSessions")?,
            ..Self::default()
        };
        for (name, value) in params(query) {
            let target = match name.as_str() {
                "proxyid" => RepositoryOwner::Proxy(guid("proxyId", &value)?),
                "poolid" => RepositoryOwner::ProxyPool(guid("poolId", &value)?),
                "waitforsessionstimeout" => {
                    options.wait_minutes = minutes("waitForSessionsTimeout", &value)?;
                    continue;
                }
                "forcestopsessionstimeout" => {
                    options.force_stop_minutes = minutes("forceStopSessionsTimeout", &value)?;
                    continue;
                }
                _ => continue,
            };
            if options.target.is_some_and(|named| named != target) {
                return Err(QueryError(
                    "Name either 'proxyId' or 'poolId': a repository moves to one owner."
                        .to_owned(),
                ));
            }
            options.target = Some(target);
        }
        Ok(options)
    }
}

impl FromQuery for AzureServiceAccountFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "displayname" => {
                    filter.display_name = Some(WildMatch::new_case_insensitive(&value))
                }
                "description" => filter.description = Some(WildMatch::new_case_insensitive(&value)),
                _ => {}
            }
        }
        Ok(filter)
    }
}

impl FromQuery for ApplicationFilter {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        let mut filter = Self::default();
        for (name, value) in params(query) {
            match name.as_str() {
                "displayname" => {
                    filter.display_name = Some(WildMatch::new_case_insensitive(&value))
                }
                "tag" => filter.tag = Some(value),
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// `subscriptionName` of an Azure service account's subscriptions: those whose name it is,
/// without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionName(pub Option<String>);

impl FromQuery for SubscriptionName {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self(
            params(query)
                .find(|(name, _)| name == "subscriptionname")
                .map(|(_, value)| value),
        ))
    }
}

/// `locationName` of resource groups and virtual networks: those in that Azure region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationName(pub Option<String>);

impl LocationName {
    pub fn matches(&self, location: &str) -> bool {
        self.0
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(location))
    }
}

impl FromQuery for LocationName {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        Ok(Self(
            params(query)
                .find(|(name, _)| name == "locationname")
                .map(|(_, value)| value),
        ))
    }
}

/// `host` of `POST /Proxies/CheckSshConnectionConfig` (v8): the machine to reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshHost(pub String);

impl FromQuery for SshHost {
    fn from_query(_version: Version, query: Option<&str>) -> Result<Self, QueryError> {
        params(query)
            .find(|(name, value)| name == "host" && !value.trim().is_empty())
            .map(|(_, value)| Self(value.trim().to_owned()))
            .ok_or_else(|| {
                QueryError(
                    "Name the Linux machine to check in 'host' (its DNS name or IP address)."
                        .to_owned(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::page::Paging;

    #[test]
    fn parameters_a_version_does_not_know_are_ignored() {
        let filter = SessionFilter::from_query(Version::V3, Some("jobId=nope&status=bad")).unwrap();
        assert_eq!(
            filter,
            SessionFilter::from_query(Version::V3, None).unwrap()
        );
        assert_eq!(filter.kind, Some(JobKind::Backup), "v3 knows no copy jobs");
        assert_eq!(
            LogItemFilter::from_query(Version::V7, Some("type=bogus")).unwrap(),
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
            assert!(
                SessionFilter::from_query(Version::V8, Some(query)).is_err(),
                "{query}"
            );
        }
        assert!(LogItemFilter::from_query(Version::V8, Some("orderAsc=maybe")).is_err());
    }

    #[test]
    fn an_owner_change_names_one_target_and_reads_its_timeouts() {
        let options = OwnerChangeOptions::from_query(
            Version::V8,
            Some("proxyId=22222222-2222-2222-2222-222222222222&waitForSessionsTimeout=5&forceStopSessions=true"),
        )
        .unwrap();
        assert_eq!(
            options.target,
            Some(RepositoryOwner::Proxy(Uuid::from_u128(
                0x22222222_2222_2222_2222_222222222222
            )))
        );
        assert_eq!(options.wait_minutes, 5);
        assert!(options.force_stop);
        for query in [
            "proxyId=22222222-2222-2222-2222-222222222222&poolId=22222222-2222-2222-2222-222222222223",
            "waitForSessionsTimeout=-1",
            "forceStopSessions=maybe",
        ] {
            assert!(
                OwnerChangeOptions::from_query(Version::V8, Some(query)).is_err(),
                "{query}"
            );
        }
    }

    /// Query strings made of the characters that matter to a parser: separators, escapes,
    /// digits, letters of the parameter names, and bytes that are not UTF-8 once decoded.
    fn any_query() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(
            "((limit|offset|jobId|status|orderAsc|fromTime|ids|type|parentId|poolId|waitForSessionsTimeout|x)=([-0-9a-fA-F%+.:TZ,]|%FF|%00|null){0,40}&?){0,6}",
        )
        .unwrap()
    }

    proptest::proptest! {
        #[test]
        fn no_query_makes_a_parser_panic(query in any_query()) {
            for version in Version::ALL {
                let _ = Paging::from_query(Some(&query));
                let _ = SessionFilter::from_query(version, Some(&query));
                let _ = LogItemFilter::from_query(version, Some(&query));
                let _ = JobFilter::from_query(version, Some(&query));
                let _ = DirectoryFilter::from_query(version, Some(&query));
                let _ = ItemIds::from_query(version, Some(&query));
                let _ = RestorePointFilter::from_query(version, Some(&query));
                let _ = ProtectedFilter::from_query(version, Some(&query));
                let _ = OwnerChangeOptions::from_query(version, Some(&query));
                let _ = CopyJobFilter::from_query(version, Some(&query));
                let _ = CloudAccountFilter::from_query(version, Some(&query));
                let _ = LicenseUsageFilter::from_query(version, Some(&query));
            }
        }

        #[test]
        fn a_page_never_asks_past_its_bounds(query in any_query()) {
            if let Ok(paging) = Paging::from_query(Some(&query)) {
                proptest::prop_assert!(paging.limit <= Paging::MAX_LIMIT);
            }
        }
    }

    #[test]
    fn v8_status_succeeded_means_success() {
        let filter = SessionFilter::from_query(Version::V8, Some("Status=Succeeded")).unwrap();
        assert_eq!(filter.status, Some(SessionStatus::Success));
    }
}

//! Proxies, proxy pools and repositories as clients send them to add or edit one
//! (`RESTProxyFromClient`, `RESTProxyPoolFromClient`, `RESTBackupRepositoryFromClient`), the
//! options of proxy removal and rescans, and the v3..v5 proxy actions, read into the model's
//! terms (see `body` for how a body is read). Credentials are read and dropped: nothing
//! signs in to the machines.

use chrono::NaiveTime;
use serde::Deserialize;
use uuid::Uuid;

use super::body::{BodyError, invalid};
use crate::model::{
    BackupRepository, CleanupSchedule, DailyKind, DayOfWeek, InternetProxy, InternetProxyKind,
    ObjectStorage, ObjectStorageKind, OperatingSystem, Proxy, ProxyChange, ProxyKind,
    ProxyPoolChange, RepositoryChange, RepositoryOwner, RetentionPeriod, RetentionType,
    StorageChoice, Throttling, ThrottlingUnit, WeekOfMonth, YearlyRetention,
};

/// An id property of a body: a GUID, or the client's 400.
fn guid(text: &str, what: &str) -> Result<Uuid, BodyError> {
    Uuid::parse_str(text).map_err(|_| {
        invalid(format!(
            "The value '{text}' is not a valid {what} id: expected a GUID."
        ))
    })
}

/// A time of day such as `18:00:00`.
fn time_of_day(text: &str, field: &str) -> Result<NaiveTime, BodyError> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|_| {
            invalid(format!(
                "The value '{text}' of '{field}' is not a time of day such as 18:00:00."
            ))
        })
}

/// `RESTProxyFromClient`.
#[derive(Debug, Deserialize)]
pub struct ProxyRequest {
    #[serde(default, rename = "hostname")]
    host_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    port: Option<i64>,
    #[serde(default, rename = "threadsnumber")]
    threads_number: Option<i64>,
    #[serde(default, rename = "usedomainnetwork")]
    use_domain_network: Option<bool>,
    #[serde(default, rename = "operatingsystem")]
    operating_system: Option<OperatingSystem>,
    #[serde(default, rename = "useinternetproxy")]
    use_internet_proxy: Option<bool>,
    #[serde(default, rename = "internetproxytype")]
    internet_proxy_type: Option<InternetProxyKind>,
    #[serde(default, rename = "internetproxysettings")]
    internet_proxy_settings: Option<InternetProxyRequest>,
    #[serde(default, rename = "enablenetworkthrottling")]
    enable_network_throttling: Option<bool>,
    #[serde(default, rename = "throttlingvalue")]
    throttling_value: Option<u64>,
    #[serde(default, rename = "throttlingunit")]
    throttling_unit: Option<ThrottlingUnit>,
    #[serde(default, rename = "serviceaccountname")]
    service_account_name: Option<String>,
}

/// `RESTInternetProxySettingsFromClient`, its password dropped (the server's own internet
/// proxy settings read these fields too, and keep their password).
#[derive(Debug, Default, Deserialize)]
pub(super) struct InternetProxyRequest {
    #[serde(default, rename = "hostname")]
    pub(super) host_name: Option<String>,
    #[serde(default)]
    pub(super) port: Option<i64>,
    #[serde(default, rename = "useauthentication")]
    pub(super) use_authentication: Option<bool>,
    #[serde(default)]
    pub(super) username: Option<String>,
}

pub(super) fn port(value: i64, field: &str) -> Result<u16, BodyError> {
    u16::try_from(value)
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| invalid(format!("'{field}' must be a port from 1 to 65535.")))
}

impl ProxyRequest {
    /// The change this request asks of `current` (`None` for a new proxy, which the
    /// service adds as a workgroup machine unless told it is in the domain).
    pub fn into_change(self, current: Option<&Proxy>) -> Result<ProxyChange, BodyError> {
        let kind = match (self.use_domain_network, current) {
            (Some(true), _) => Some(ProxyKind::Domain),
            (Some(false), _) => Some(ProxyKind::Workgroup),
            (None, None) => Some(ProxyKind::Workgroup),
            (None, Some(_)) => None,
        };
        let threads_number = self
            .threads_number
            .map(|threads| {
                u32::try_from(threads)
                    .ok()
                    .filter(|threads| *threads > 0)
                    .ok_or_else(|| invalid("'threadsNumber' must be at least 1."))
            })
            .transpose()?;
        let current_throttling = current.and_then(|proxy| proxy.throttling);
        let throttling_given = self.enable_network_throttling.is_some()
            || self.throttling_value.is_some()
            || self.throttling_unit.is_some();
        let throttling = if !throttling_given {
            None
        } else if self
            .enable_network_throttling
            .unwrap_or(current_throttling.is_some())
        {
            let value = self
                .throttling_value
                .or(current_throttling.map(|throttling| throttling.value))
                .filter(|value| *value > 0)
                .ok_or_else(|| invalid("Throttling needs a 'throttlingValue' of at least 1."))?;
            let unit = self
                .throttling_unit
                .or(current_throttling.map(|throttling| throttling.unit))
                .unwrap_or(ThrottlingUnit::Mbps);
            Some(Some(Throttling { value, unit }))
        } else {
            Some(None)
        };
        let internet_proxy = self.internet_proxy(current)?;
        if self
            .host_name
            .as_deref()
            .is_some_and(|host| host.trim().is_empty())
        {
            return Err(invalid(
                "The host name of a backup proxy must not be empty.",
            ));
        }
        Ok(ProxyChange {
            host_name: self.host_name,
            description: self.description,
            port: self.port.map(|value| port(value, "port")).transpose()?,
            threads_number,
            kind,
            operating_system: self.operating_system,
            throttling,
            internet_proxy,
            service_account: self.service_account_name,
        })
    }

    /// The internet proxy asked for: none, the server's, or a custom one with its host.
    fn internet_proxy(
        &self,
        current: Option<&Proxy>,
    ) -> Result<Option<Option<InternetProxy>>, BodyError> {
        let described =
            self.internet_proxy_type.is_some() || self.internet_proxy_settings.is_some();
        let current = current.and_then(|proxy| proxy.internet_proxy.as_ref());
        let wanted = match self.use_internet_proxy {
            Some(false) => return Ok(Some(None)),
            Some(true) => true,
            None => described,
        };
        if !wanted {
            return Ok(None);
        }
        let kind = self
            .internet_proxy_type
            .or(current.map(|internet| internet.kind))
            .unwrap_or(InternetProxyKind::FromManagementServer);
        if kind == InternetProxyKind::FromManagementServer {
            return Ok(Some(Some(InternetProxy {
                kind,
                host_name: String::new(),
                port: None,
                use_authentication: false,
                username: String::new(),
            })));
        }
        let settings = self.internet_proxy_settings.as_ref();
        let custom = current.filter(|internet| internet.kind == InternetProxyKind::Custom);
        let host_name = settings
            .and_then(|settings| settings.host_name.clone())
            .or(custom.map(|internet| internet.host_name.clone()))
            .filter(|host| !host.trim().is_empty())
            .ok_or_else(|| {
                invalid("A custom internet proxy needs 'internetProxySettings.hostName'.")
            })?;
        Ok(Some(Some(InternetProxy {
            kind,
            host_name,
            port: settings
                .and_then(|settings| settings.port)
                .map(|value| port(value, "internetProxySettings.port"))
                .transpose()?
                .or(custom.and_then(|internet| internet.port)),
            use_authentication: settings
                .and_then(|settings| settings.use_authentication)
                .or(custom.map(|internet| internet.use_authentication))
                .unwrap_or(false),
            username: settings
                .and_then(|settings| settings.username.clone())
                .or(custom.map(|internet| internet.username.clone()))
                .unwrap_or_default(),
        })))
    }
}

/// `RESTProxyIdFromClient`: a proxy named in a pool.
#[derive(Debug, Deserialize)]
pub struct ProxyIdRequest {
    #[serde(rename = "proxyid")]
    proxy_id: String,
}

/// The proxies a list of `{"proxyId": ...}` names.
pub fn proxy_ids(requests: Vec<ProxyIdRequest>) -> Result<Vec<Uuid>, BodyError> {
    requests
        .iter()
        .map(|request| guid(&request.proxy_id, "proxy"))
        .collect()
}

/// `RESTProxyPoolFromClient`.
#[derive(Debug, Deserialize)]
pub struct ProxyPoolRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "proxyids")]
    proxy_ids: Option<Vec<ProxyIdRequest>>,
}

impl ProxyPoolRequest {
    pub fn into_change(self) -> Result<ProxyPoolChange, BodyError> {
        Ok(ProxyPoolChange {
            name: self.name,
            description: self.description,
            proxies: self.proxy_ids.map(proxy_ids).transpose()?,
        })
    }
}

/// `RESTRescanOptions`: the proxies to rescan; none named, all of them.
#[derive(Debug, Default, Deserialize)]
pub struct RescanRequest {
    #[serde(default)]
    proxies: Option<Vec<ItemId>>,
}

/// `RESTItemGuidId`.
#[derive(Debug, Deserialize)]
struct ItemId {
    id: String,
}

impl RescanRequest {
    /// The proxies named; an empty list rescans every proxy.
    pub fn proxies(self) -> Result<Vec<Uuid>, BodyError> {
        self.proxies
            .unwrap_or_default()
            .iter()
            .map(|item| guid(&item.id, "proxy"))
            .collect()
    }
}

/// `RESTRemoveProxyOptions`, read for its shape only: the credentials are dropped, and
/// `force` does not remove a proxy that keeps repositories, which would leave them with no
/// owner.
#[derive(Debug, Default, Deserialize)]
pub struct RemoveProxyRequest {}

/// What a v3..v5 `POST /Proxies/{id}/Action` asks: `{"rescan": null}` or
/// `{"remove": {"username": ..., "userPassword": ...}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyAction {
    Rescan,
    Remove,
}

impl ProxyAction {
    /// Exactly one known key, matched without regard to case as ASP.NET binds it.
    pub fn from_body(body: &[u8]) -> Result<Self, BodyError> {
        let (action, _) = super::body::action(
            body,
            &[("rescan", Self::Rescan), ("remove", Self::Remove)],
            "{\"rescan\":null}, {\"remove\":{\"username\":...,\"userPassword\":...}}",
        )?;
        Ok(action)
    }
}

/// `RESTBackupRepositoryFromClient`: v6 and v7 name object storage by `objectStorageId`,
/// v8 describes it in `objectStorage` (naming one the server has by its `id`).
#[derive(Debug, Deserialize)]
pub struct RepositoryRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default, rename = "proxyid")]
    proxy_id: Option<String>,
    #[serde(default, rename = "proxypoolid")]
    proxy_pool_id: Option<String>,
    #[serde(default, rename = "organizationid")]
    organization_id: Option<String>,
    #[serde(default, rename = "retentiontype")]
    retention_type: Option<RetentionType>,
    #[serde(default, rename = "retentionperiodtype")]
    retention_period_type: Option<PeriodKind>,
    #[serde(default, rename = "dailyretentionperiod")]
    daily_retention_period: Option<i64>,
    #[serde(default, rename = "monthlyretentionperiod")]
    monthly_retention_period: Option<i64>,
    #[serde(default, rename = "yearlyretentionperiod")]
    yearly_retention_period: Option<YearlyRetention>,
    #[serde(default, rename = "retentionfrequencytype")]
    retention_frequency_type: Option<FrequencyKind>,
    #[serde(default, rename = "dailytime")]
    daily_time: Option<String>,
    #[serde(default, rename = "dailytype")]
    daily_type: Option<DailyKind>,
    #[serde(default, rename = "monthlytime")]
    monthly_time: Option<String>,
    #[serde(default, rename = "monthlydaynumber")]
    monthly_day_number: Option<WeekOfMonth>,
    #[serde(default, rename = "monthlydayofweek")]
    monthly_day_of_week: Option<DayOfWeek>,
    #[serde(default, rename = "objectstorageid")]
    object_storage_id: Option<String>,
    #[serde(default, rename = "objectstoragecachepath")]
    object_storage_cache_path: Option<String>,
    #[serde(default, rename = "objectstorageencryptionenabled")]
    object_storage_encryption_enabled: Option<bool>,
    #[serde(default, rename = "encryptionkeyid")]
    encryption_key_id: Option<String>,
    #[serde(default, rename = "objectstorage")]
    object_storage: Option<ObjectStorageRequest>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum PeriodKind {
    Daily,
    Monthly,
    Yearly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum FrequencyKind {
    Daily,
    Monthly,
}

/// `RESTObjectStorageComposed` as v8 sends it with a repository.
#[derive(Debug, Deserialize)]
struct ObjectStorageRequest {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<StorageKindRequest>,
    #[serde(default, rename = "amazonbuckets3compatible")]
    s3_compatible: Option<BucketRequest>,
    #[serde(default, rename = "amazonbuckets3aws")]
    s3_aws: Option<BucketRequest>,
    #[serde(default, rename = "azurecontainer")]
    azure: Option<BucketRequest>,
    #[serde(default, rename = "s3folder")]
    s3_folder: Option<String>,
    #[serde(default, rename = "azurefolder")]
    azure_folder: Option<String>,
    #[serde(default, rename = "sizelimitenabled")]
    size_limit_enabled: Option<bool>,
    #[serde(default, rename = "sizelimitgb")]
    size_limit_gb: Option<u64>,
    #[serde(default, rename = "accountid")]
    account_id: Option<String>,
}

/// The contract's object storage types; the world keeps those it can serve.
#[derive(Debug, Clone, Copy, Deserialize)]
enum StorageKindRequest {
    AzureBlob,
    AmazonS3,
    AmazonS3Compatible,
    AzureBlobArchive,
    AmazonS3Glacier,
    WasabiCloud,
    #[serde(rename = "IBMCloud")]
    IbmCloud,
}

/// A bucket or container: its name and where it is.
#[derive(Debug, Default, Deserialize)]
struct BucketRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "servicepoint")]
    service_point: Option<String>,
    #[serde(default, rename = "regionid")]
    region_id: Option<String>,
}

impl ObjectStorageRequest {
    /// The storage named by id, or a new one with id `new_id` as described.
    fn into_choice(self, new_id: Uuid, name: &str) -> Result<StorageChoice, BodyError> {
        if let Some(id) = self.id.as_deref().map(|text| guid(text, "object storage")) {
            let id = id?;
            if !id.is_nil() {
                return Ok(StorageChoice::Existing(id));
            }
        }
        let named = StorageNaming {
            id: new_id,
            name: format!("{name} object storage"),
            description: String::new(),
        };
        self.into_storage(None, None, named).map(StorageChoice::New)
    }

    /// The storage described: `current` with what the request names changed, or a new one.
    /// `bucket` is v5's bucket of any kind, read where the kind's own is missing.
    fn into_storage(
        self,
        current: Option<&ObjectStorage>,
        bucket: Option<BucketRequest>,
        named: StorageNaming,
    ) -> Result<ObjectStorage, BodyError> {
        let kind = match self.kind {
            None => match current {
                Some(current) => current.kind,
                None => return Err(invalid("New object storage must give its 'type'.")),
            },
            Some(StorageKindRequest::AzureBlob) => ObjectStorageKind::AzureBlob,
            Some(StorageKindRequest::AmazonS3) => ObjectStorageKind::AmazonS3,
            Some(StorageKindRequest::AmazonS3Compatible) => ObjectStorageKind::AmazonS3Compatible,
            Some(StorageKindRequest::AzureBlobArchive) => ObjectStorageKind::AzureBlobArchive,
            Some(StorageKindRequest::AmazonS3Glacier) => ObjectStorageKind::AmazonS3Glacier,
            Some(StorageKindRequest::WasabiCloud | StorageKindRequest::IbmCloud) => {
                return Err(invalid(
                    "Object storage of type WasabiCloud or IBMCloud is added as AmazonS3Compatible here.",
                ));
            }
        };
        if let Some(current) = current.filter(|current| current.kind != kind) {
            return Err(invalid(format!(
                "Object storage '{}' keeps the type it was added with.",
                current.name
            )));
        }
        let (kind_bucket, folder, field) = if kind.is_azure() {
            (self.azure, self.azure_folder, "azureContainer")
        } else if kind == ObjectStorageKind::AmazonS3Compatible {
            (
                self.s3_compatible,
                self.s3_folder,
                "amazonBucketS3Compatible",
            )
        } else {
            (self.s3_aws, self.s3_folder, "amazonBucketS3Aws")
        };
        let bucket = kind_bucket.or(bucket).unwrap_or_default();
        let bucket_name = match bucket.name.filter(|name| !name.trim().is_empty()) {
            Some(name) => name,
            None => current
                .map(|current| current.bucket.clone())
                .ok_or_else(|| {
                    invalid(format!(
                        "New object storage must name its bucket in '{field}.name'."
                    ))
                })?,
        };
        let endpoint = match kind {
            ObjectStorageKind::AmazonS3Compatible => bucket.service_point,
            ObjectStorageKind::AmazonS3 | ObjectStorageKind::AmazonS3Glacier => bucket.region_id,
            ObjectStorageKind::AzureBlob | ObjectStorageKind::AzureBlobArchive => None,
        };
        let size_limit_gb = match (self.size_limit_enabled, self.size_limit_gb) {
            (Some(false), _) => None,
            (_, Some(limit)) => Some(limit),
            (_, None) => current.and_then(|current| current.size_limit_gb),
        };
        Ok(ObjectStorage {
            id: named.id,
            name: named.name,
            description: named.description,
            kind,
            bucket: bucket_name,
            folder: folder
                .filter(|folder| !folder.trim().is_empty())
                .or(current.map(|current| current.folder.clone()))
                .unwrap_or_else(|| "Veeam".to_owned()),
            endpoint: endpoint
                .or(current.map(|current| current.endpoint.clone()))
                .unwrap_or_default(),
            size_limit_gb,
            account_id: match self.account_id.as_deref() {
                Some(text) => Some(guid(text, "account")?),
                None => current.and_then(|current| current.account_id),
            },
            azure_service_account_id: current.and_then(|current| current.azure_service_account_id),
        })
    }
}

/// What object storage is called, apart from where it is.
struct StorageNaming {
    id: Uuid,
    name: String,
    description: String,
}

/// `RESTObjectStorageRepositoryComposed` as v5..v7 send it to add or edit object storage;
/// v5 names the bucket of any kind in `bucket`. The cloud account is named by id; its
/// secrets never come with the storage.
#[derive(Debug, Deserialize)]
pub struct ObjectStorageRepositoryRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    bucket: Option<BucketRequest>,
    #[serde(flatten)]
    storage: ObjectStorageRequest,
}

impl ObjectStorageRepositoryRequest {
    /// The storage this request makes of `current`, or a new storage with id `new_id`.
    pub fn into_write(
        self,
        current: Option<&ObjectStorage>,
        new_id: Uuid,
    ) -> Result<ObjectStorage, BodyError> {
        let name = match (self.name, current) {
            (Some(name), _) if name.trim().is_empty() => {
                return Err(invalid("'name' must not be empty."));
            }
            (Some(name), _) => name,
            (None, Some(current)) => current.name.clone(),
            (None, None) => return Err(invalid("New object storage must have a 'name'.")),
        };
        let named = StorageNaming {
            id: current.map_or(new_id, |current| current.id),
            name,
            description: self
                .description
                .or(current.map(|current| current.description.clone()))
                .unwrap_or_default(),
        };
        self.storage.into_storage(current, self.bucket, named)
    }
}

impl RepositoryRequest {
    /// The change this request asks of `current` (`None` for a new repository). Object
    /// storage it describes gets id `new_id`.
    pub fn into_change(
        self,
        current: Option<&BackupRepository>,
        new_id: Uuid,
    ) -> Result<RepositoryChange, BodyError> {
        for (value, field) in [(&self.name, "name"), (&self.path, "path")] {
            if value.as_deref().is_some_and(|text| text.trim().is_empty()) {
                return Err(invalid(format!("'{field}' must not be empty.")));
            }
        }
        let owner = match (&self.proxy_id, &self.proxy_pool_id) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "Name either 'proxyId' or 'proxyPoolId': a repository has one owner.",
                ));
            }
            (Some(proxy), None) => Some(RepositoryOwner::Proxy(guid(proxy, "proxy")?)),
            (None, Some(pool)) => Some(RepositoryOwner::ProxyPool(guid(pool, "proxy pool")?)),
            (None, None) => None,
        };
        let retention_period = self.retention_period(current)?;
        let cleanup = self.cleanup(current)?;
        let name = self
            .name
            .clone()
            .or(current.map(|repository| repository.name.clone()))
            .unwrap_or_default();
        let object_storage = match (self.object_storage_id.as_deref(), self.object_storage) {
            (Some(id), _) => Some(StorageChoice::Existing(guid(id, "object storage")?)),
            (None, Some(storage)) => Some(storage.into_choice(new_id, &name)?),
            (None, None) => None,
        };
        Ok(RepositoryChange {
            name: self.name,
            description: self.description,
            path: self.path.or(self.object_storage_cache_path),
            retention: self.retention_type,
            retention_period,
            cleanup,
            owner,
            object_storage,
            organization_id: self
                .organization_id
                .as_deref()
                .map(|text| guid(text, "organization").map(Some))
                .transpose()?,
            encryption_key_id: self
                .encryption_key_id
                .as_deref()
                .map(|text| guid(text, "encryption key"))
                .transpose()?,
            encrypt: self.object_storage_encryption_enabled,
        })
    }

    /// The retention period the request sets, with what `current` has filling the gaps.
    fn retention_period(
        &self,
        current: Option<&BackupRepository>,
    ) -> Result<Option<RetentionPeriod>, BodyError> {
        let current = current.map(|repository| repository.retention_period);
        let kind = self.retention_period_type.or_else(|| {
            if self.daily_retention_period.is_some() {
                Some(PeriodKind::Daily)
            } else if self.monthly_retention_period.is_some() {
                Some(PeriodKind::Monthly)
            } else {
                self.yearly_retention_period.map(|_| PeriodKind::Yearly)
            }
        });
        let count = |value: Option<i64>, kept: Option<u32>, field: &str| {
            value
                .map(|value| u32::try_from(value).ok().filter(|value| *value > 0))
                .unwrap_or(kept)
                .ok_or_else(|| invalid(format!("'{field}' must be at least 1.")))
        };
        Ok(match kind {
            None => None,
            Some(PeriodKind::Daily) => {
                let kept = match current {
                    Some(RetentionPeriod::Daily { days }) => Some(days),
                    _ => None,
                };
                Some(RetentionPeriod::Daily {
                    days: count(self.daily_retention_period, kept, "dailyRetentionPeriod")?,
                })
            }
            Some(PeriodKind::Monthly) => {
                let kept = match current {
                    Some(RetentionPeriod::Monthly { months }) => Some(months),
                    _ => None,
                };
                Some(RetentionPeriod::Monthly {
                    months: count(
                        self.monthly_retention_period,
                        kept,
                        "monthlyRetentionPeriod",
                    )?,
                })
            }
            Some(PeriodKind::Yearly) => {
                let kept = match current {
                    Some(RetentionPeriod::Yearly { years }) => Some(years),
                    _ => None,
                };
                Some(RetentionPeriod::Yearly {
                    years: self.yearly_retention_period.or(kept).ok_or_else(|| {
                        invalid("A yearly retention must give 'yearlyRetentionPeriod'.")
                    })?,
                })
            }
        })
    }

    /// The cleanup schedule the request sets, with what `current` has filling the gaps.
    fn cleanup(
        &self,
        current: Option<&BackupRepository>,
    ) -> Result<Option<CleanupSchedule>, BodyError> {
        let current = current.map(|repository| repository.cleanup);
        let daily_given = self.daily_time.is_some() || self.daily_type.is_some();
        let monthly_given = self.monthly_time.is_some()
            || self.monthly_day_number.is_some()
            || self.monthly_day_of_week.is_some();
        let kind = match self.retention_frequency_type {
            Some(kind) => kind,
            None if monthly_given => FrequencyKind::Monthly,
            None if daily_given => FrequencyKind::Daily,
            None => return Ok(None),
        };
        let default_at = NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default();
        Ok(Some(match kind {
            FrequencyKind::Daily => {
                let (kept_at, kept_days) = match current {
                    Some(CleanupSchedule::Daily { at, days }) => (Some(at), Some(days)),
                    _ => (None, None),
                };
                CleanupSchedule::Daily {
                    at: match self.daily_time.as_deref() {
                        Some(text) => time_of_day(text, "dailyTime")?,
                        None => kept_at.unwrap_or(default_at),
                    },
                    days: self.daily_type.or(kept_days).unwrap_or_default(),
                }
            }
            FrequencyKind::Monthly => {
                let (kept_at, kept_week, kept_day) = match current {
                    Some(CleanupSchedule::Monthly { at, week, day }) => {
                        (Some(at), Some(week), Some(day))
                    }
                    _ => (None, None, None),
                };
                CleanupSchedule::Monthly {
                    at: match self.monthly_time.as_deref() {
                        Some(text) => time_of_day(text, "monthlyTime")?,
                        None => kept_at.unwrap_or(default_at),
                    },
                    week: self.monthly_day_number.or(kept_week).ok_or_else(|| {
                        invalid("A monthly cleanup must give 'monthlyDaynumber'.")
                    })?,
                    day: self.monthly_day_of_week.or(kept_day).ok_or_else(|| {
                        invalid("A monthly cleanup must give 'monthlyDayofweek'.")
                    })?,
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::body::read;

    #[test]
    fn a_new_proxy_is_a_workgroup_machine_unless_told_otherwise() {
        let request: ProxyRequest = read(br#"{"HostName": "proxy.local"}"#).unwrap();
        let change = request.into_change(None).unwrap();
        assert_eq!(change.kind, Some(ProxyKind::Workgroup));
        let request: ProxyRequest =
            read(br#"{"hostName": "proxy.local", "useDomainNetwork": true, "enableNetworkThrottling": true, "throttlingValue": 50, "throttlingUnit": "MBs"}"#)
                .unwrap();
        let change = request.into_change(None).unwrap();
        assert_eq!(change.kind, Some(ProxyKind::Domain));
        assert_eq!(
            change.throttling,
            Some(Some(Throttling {
                value: 50,
                unit: ThrottlingUnit::MBs
            }))
        );
    }

    #[test]
    fn bad_ports_threads_and_custom_proxies_without_a_host_are_refused() {
        for body in [
            &br#"{"port": 70000}"#[..],
            br#"{"threadsNumber": 0}"#,
            br#"{"enableNetworkThrottling": true}"#,
            br#"{"useInternetProxy": true, "internetProxyType": "Custom"}"#,
        ] {
            let request: ProxyRequest = read(body).unwrap();
            assert!(
                request.into_change(None).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_repository_reads_its_retention_and_cleanup() {
        let request: RepositoryRequest = read(
            br#"{"name": "R", "path": "D:\\R", "retentionType": "ItemLevel", "retentionPeriodType": "Daily",
                 "dailyRetentionPeriod": 14, "retentionFrequencyType": "Monthly", "monthlyTime": "03:00:00",
                 "monthlyDaynumber": "Last", "monthlyDayofweek": "Sunday",
                 "proxyId": "22222222-2222-2222-2222-222222222222"}"#,
        )
        .unwrap();
        let change = request.into_change(None, Uuid::nil()).unwrap();
        assert_eq!(
            change.retention_period,
            Some(RetentionPeriod::Daily { days: 14 })
        );
        assert_eq!(
            change.cleanup,
            Some(CleanupSchedule::Monthly {
                at: NaiveTime::from_hms_opt(3, 0, 0).unwrap(),
                week: WeekOfMonth::Last,
                day: DayOfWeek::Sunday
            })
        );
        let both: RepositoryRequest = read(
            br#"{"proxyId": "22222222-2222-2222-2222-222222222222", "proxyPoolId": "22222222-2222-2222-2222-222222222223"}"#,
        )
        .unwrap();
        assert!(both.into_change(None, Uuid::nil()).is_err());
    }

    #[test]
    fn proxy_actions_are_read_from_a_single_key() {
        assert_eq!(
            ProxyAction::from_body(br#"{"Rescan": null}"#).unwrap(),
            ProxyAction::Rescan
        );
        assert_eq!(
            ProxyAction::from_body(br#"{"remove": {"username": "a", "userPassword": "b"}}"#)
                .unwrap(),
            ProxyAction::Remove
        );
        assert!(ProxyAction::from_body(br#"{"rescan": null, "remove": null}"#).is_err());
        assert!(ProxyAction::from_body(b"[]").is_err());
    }
}

//! What the trouble scenarios that are on make the world report: space, proxies, object storage, the license, how runs and restores go, and the fault rules they arm.

use chrono::TimeDelta;
use uuid::Uuid;

use super::World;
use crate::model::{
    BackupRepository, FaultRule, LicenseDates, LicenseTrouble, ObjectStorage, Proxy, ProxyWait,
    RepositoryOwner, RestoreTrouble, RunTrouble, Timestamp, TroubleScenario,
};

/// How long a license keeps working after it expires.
pub const GRACE_PERIOD: TimeDelta = TimeDelta::days(30);

impl World {
    /// Applies `scenario`, replacing one of the same name; answers whether it was new.
    pub fn apply_scenario(&mut self, scenario: TroubleScenario) -> bool {
        match self
            .scenarios
            .iter_mut()
            .find(|known| known.name == scenario.name)
        {
            Some(known) => {
                *known = scenario;
                false
            }
            None => {
                self.scenarios.push(scenario);
                true
            }
        }
    }

    /// Removes the scenario `name`; answers whether it was on.
    pub fn remove_scenario(&mut self, name: &str) -> bool {
        let before = self.scenarios.len();
        self.scenarios.retain(|scenario| scenario.name != name);
        self.scenarios.len() < before
    }

    /// The world's own fault rules, then those of its scenarios.
    pub fn armed_faults(&self) -> Vec<FaultRule> {
        self.faults
            .iter()
            .cloned()
            .chain(
                self.scenarios
                    .iter()
                    .flat_map(TroubleScenario::armed_faults),
            )
            .collect()
    }

    pub fn has_expired_certificate(&self) -> bool {
        self.scenarios
            .iter()
            .any(|scenario| scenario.expired_certificate)
    }

    /// The most free space a scenario leaves on `repository`, if one fills it.
    pub fn space_left_by_scenarios(&self, repository: &BackupRepository) -> Option<u64> {
        self.scenarios
            .iter()
            .filter_map(|scenario| scenario.repositories.as_ref())
            .filter(|full| full.matching.selects(&repository.id, &repository.name))
            .map(|full| full.free_space_bytes)
            .min()
    }

    /// Whether `proxy` is online: its own state, unless a scenario takes it offline.
    pub fn proxy_is_online(&self, proxy: &Proxy) -> bool {
        proxy.is_online && self.proxy_wait(proxy).is_none()
    }

    fn proxy_wait(&self, proxy: &Proxy) -> Option<ProxyWait> {
        self.scenarios
            .iter()
            .filter_map(|scenario| scenario.proxies.as_ref())
            .find(|offline| offline.matching.selects(&proxy.id, &proxy.host_name))
            .map(|offline| offline.jobs)
    }

    pub fn storage_is_reachable(&self, storage: &ObjectStorage) -> bool {
        !self
            .scenarios
            .iter()
            .filter_map(|scenario| scenario.object_storage.as_ref())
            .any(|unreachable| unreachable.matching.selects(&storage.id, &storage.name))
    }

    fn license_trouble(&self) -> Option<LicenseTrouble> {
        let troubles = self
            .scenarios
            .iter()
            .filter_map(|scenario| scenario.license);
        troubles.reduce(|worst, next| {
            if next == LicenseTrouble::Expired {
                next
            } else {
                worst
            }
        })
    }

    /// The license's dates at `now`: a license scenario keeps it expired (or in its grace
    /// period) for as long as it is on, whatever the clock does.
    pub fn license_dates(&self, now: Timestamp) -> LicenseDates {
        match self.license_trouble() {
            Some(LicenseTrouble::Expired) => {
                let expires = now - TimeDelta::days(40);
                LicenseDates {
                    expires,
                    grace_expires: expires + GRACE_PERIOD,
                }
            }
            Some(LicenseTrouble::Grace) => {
                let expires = now - TimeDelta::days(2);
                LicenseDates {
                    expires,
                    grace_expires: expires + GRACE_PERIOD,
                }
            }
            None => LicenseDates {
                expires: self.license.expires,
                grace_expires: self.license.expires,
            },
        }
    }

    /// What the scenarios that are on do to a restore in an organization; where two select
    /// it, one that fails it wins.
    pub fn restore_trouble(&self, organization_id: &Uuid) -> Option<RestoreTrouble> {
        let name = self.organization_name(organization_id);
        let selecting: Vec<&RestoreTrouble> = self
            .scenarios
            .iter()
            .filter_map(|scenario| scenario.restores.as_ref())
            .filter(|trouble| trouble.matching.selects(organization_id, name))
            .collect();
        selecting
            .iter()
            .find(|trouble| trouble.fails())
            .or(selecting.first())
            .map(|trouble| (*trouble).clone())
    }

    /// What the scenarios that are on do to a run of job `job_id` writing to
    /// `repository_id`, starting at `now`; the worst trouble wins: an expired license, an
    /// offline proxy, unreachable object storage, a full repository, the job's own trouble,
    /// a license in its grace period.
    pub fn run_trouble(
        &self,
        job_id: &Uuid,
        job_name: &str,
        repository_id: &Uuid,
        now: Timestamp,
    ) -> Option<RunTrouble> {
        if self.scenarios.is_empty() {
            return None;
        }
        let license = self.license_dates(now);
        if license.is_expired(now) {
            return Some(RunTrouble::FailOnConnect(
                "License has expired. Install a valid license to continue processing".to_owned(),
            ));
        }
        let repository = self.repository(repository_id);
        if let Some(repository) = repository {
            let proxies: Vec<&Proxy> = match repository.owner {
                RepositoryOwner::Proxy(id) => self.proxy(&id).into_iter().collect(),
                RepositoryOwner::ProxyPool(id) => self
                    .proxies
                    .iter()
                    .filter(|proxy| proxy.pool_id == Some(id))
                    .collect(),
            };
            let waits: Vec<(ProxyWait, &Proxy)> = proxies
                .iter()
                .filter_map(|proxy| self.proxy_wait(proxy).map(|wait| (wait, *proxy)))
                .collect();
            if !proxies.is_empty()
                && waits.len() == proxies.len()
                && let Some((wait, proxy)) = waits.first()
            {
                let host = &proxy.host_name;
                return Some(match wait {
                    ProxyWait::Fail => RunTrouble::FailOnConnect(format!(
                        "Failed to connect to backup proxy '{host}': the proxy is unavailable"
                    )),
                    ProxyWait::Wait => RunTrouble::WaitOnConnect(format!(
                        "Waiting for backup proxy '{host}' to become available"
                    )),
                });
            }
            if let Some(storage) = repository
                .object_storage_id
                .and_then(|id| self.object_storage(&id))
                .filter(|storage| !self.storage_is_reachable(storage))
            {
                return Some(RunTrouble::FailOnFirstObject(format!(
                    "Unable to access object storage '{}': the remote server could not be reached",
                    storage.name
                )));
            }
            if self.space_left_by_scenarios(repository).is_some() {
                return Some(RunTrouble::FailOnFirstObject(format!(
                    "There is not enough free space on backup repository '{}'",
                    repository.name
                )));
            }
        }
        let job_trouble = self
            .scenarios
            .iter()
            .filter_map(|scenario| scenario.jobs.as_ref())
            .find(|jobs| jobs.matching.selects(job_id, job_name));
        if let Some(jobs) = job_trouble {
            return Some(match &jobs.error {
                Some(error) => RunTrouble::FailOnFirstObject(error.clone()),
                None => RunTrouble::Stuck,
            });
        }
        (license.expires <= now).then(|| {
            RunTrouble::Warn(format!(
                "License has expired. Grace period ends on {}",
                license.grace_expires.format("%-m/%-d/%Y")
            ))
        })
    }
}

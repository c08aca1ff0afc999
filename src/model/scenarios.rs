//! Trouble scenarios: named states of trouble (a full repository, an expired license, an offline proxy, ...) declared as small changes to what the world reports and how its runs go, plus fault rules.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::FaultRule;

/// One scenario, as world files and the control API declare it. Every part is optional;
/// a scenario holds at least one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TroubleScenario {
    /// Lower case letters, digits and dashes: `repository-full`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Repositories whose free space is down to a few bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repositories: Option<FullRepositories>,
    /// Proxies that are offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxies: Option<OfflineProxies>,
    /// Object storage that cannot be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_storage: Option<UnreachableStorage>,
    /// The license past its expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<LicenseTrouble>,
    /// Jobs whose runs fail with a stated error, or never end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobs: Option<JobTrouble>,
    /// Restores that fail or warn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restores: Option<RestoreTrouble>,
    /// Fault rules armed while the scenario is on (docs/faults.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultRule>,
    /// The server presents a certificate that expired, for clients that verify.
    #[serde(default, skip_serializing_if = "is_false")]
    pub expired_certificate: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Which objects a part of a scenario touches: `*` (the default) for all of them, else
/// one by its id or its name (without regard to case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Selector(pub String);

impl Default for Selector {
    fn default() -> Self {
        Self("*".to_owned())
    }
}

impl Selector {
    pub fn selects(&self, id: &Uuid, name: &str) -> bool {
        let wanted = self.0.trim();
        wanted == "*"
            || wanted.eq_ignore_ascii_case(name)
            || wanted
                .parse::<Uuid>()
                .is_ok_and(|wanted_id| wanted_id == *id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FullRepositories {
    #[serde(rename = "match", default)]
    pub matching: Selector,
    /// What is left on them, at most.
    #[serde(default)]
    pub free_space_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfflineProxies {
    #[serde(rename = "match", default)]
    pub matching: Selector,
    /// What runs of jobs whose repository the proxy holds do.
    #[serde(default)]
    pub jobs: ProxyWait,
}

/// Runs that need an offline proxy fail at once, or wait for it and never end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyWait {
    #[default]
    Fail,
    Wait,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnreachableStorage {
    #[serde(rename = "match", default)]
    pub matching: Selector,
}

/// `expired`: past its grace period, jobs stop. `grace`: expired days ago but within the
/// grace period, jobs run and warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LicenseTrouble {
    Expired,
    Grace,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobTrouble {
    #[serde(rename = "match", default)]
    pub matching: Selector,
    /// The error each run fails with, at its first object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Runs connect, enumerate and then never end.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stuck: bool,
}

/// Restores in the organizations `match` selects: `failed` writes nothing and the
/// restore's event fails with `message`; `warning` writes as usual and the event warns
/// with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreTrouble {
    #[serde(rename = "match", default)]
    pub matching: Selector,
    pub result: RestoreTroubleResult,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RestoreTroubleResult {
    Failed,
    Warning,
}

impl RestoreTrouble {
    pub fn fails(&self) -> bool {
        self.result == RestoreTroubleResult::Failed
    }
}

/// What the scenarios that are on do to a run about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunTrouble {
    /// It fails as it connects, with this error.
    FailOnConnect(String),
    /// It fails at its first object, with this error.
    FailOnFirstObject(String),
    /// It connects, warns this, and waits without end.
    WaitOnConnect(String),
    /// It enumerates its objects and then never ends.
    Stuck,
    /// It runs as it would, warning this as it connects, and ends with a warning.
    Warn(String),
}

impl TroubleScenario {
    /// What is wrong with the scenario, if anything: each problem as (field, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self.name.is_empty()
            || self.name.len() > 64
            || !self
                .name
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        {
            problems.push((
                "name".to_owned(),
                format!(
                    "'{}' must be 1 to 64 lower case letters, digits and dashes",
                    self.name
                ),
            ));
        }
        if let Some(jobs) = &self.jobs {
            match (&jobs.error, jobs.stuck) {
                (None, false) => problems.push((
                    "jobs".to_owned(),
                    "say what runs do: 'error' or 'stuck'".to_owned(),
                )),
                (Some(_), true) => problems.push((
                    "jobs".to_owned(),
                    "give one of 'error' and 'stuck'".to_owned(),
                )),
                (Some(error), false) if error.trim().is_empty() => {
                    problems.push(("jobs.error".to_owned(), "must not be empty".to_owned()));
                }
                _ => {}
            }
        }
        if let Some(restores) = &self.restores
            && restores.message.trim().is_empty()
        {
            problems.push((
                "restores.message".to_owned(),
                "must not be empty".to_owned(),
            ));
        }
        for (index, rule) in self.faults.iter().enumerate() {
            for (field, problem) in rule.problems() {
                problems.push((format!("faults[{index}].{field}"), problem));
            }
        }
        if self.faults.len() > MOST_SCENARIO_FAULTS {
            problems.push((
                "faults".to_owned(),
                format!("a scenario arms at most {MOST_SCENARIO_FAULTS} rules"),
            ));
        }
        if self.changes_nothing() {
            problems.push((
                "name".to_owned(),
                "the scenario changes nothing: give repositories, proxies, objectStorage, license, jobs, restores, faults or expiredCertificate"
                    .to_owned(),
            ));
        }
        problems
    }

    /// Whether it declares no change at all, as `{"name": "repository-full"}` does.
    pub fn changes_nothing(&self) -> bool {
        self.repositories.is_none()
            && self.proxies.is_none()
            && self.object_storage.is_none()
            && self.license.is_none()
            && self.jobs.is_none()
            && self.restores.is_none()
            && self.faults.is_empty()
            && !self.expired_certificate
    }

    /// The fault rules it arms, named after it (`server-busy/1`, ...).
    pub fn armed_faults(&self) -> impl Iterator<Item = FaultRule> + '_ {
        self.faults
            .iter()
            .enumerate()
            .map(|(index, rule)| FaultRule {
                id: Some(format!("{}/{}", self.name, index + 1)),
                ..rule.clone()
            })
    }
}

/// The most scenarios one world has on at once.
pub const MOST_SCENARIOS: usize = 20;

/// The most fault rules one scenario arms.
pub const MOST_SCENARIO_FAULTS: usize = 10;

/// The scenarios that come with the emulator, declared as a user would declare their own.
static BUILT_IN: LazyLock<Vec<TroubleScenario>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("scenarios.json"))
        .unwrap_or_else(|error| panic!("the built-in scenarios do not read: {error}"))
});

pub fn built_in_scenarios() -> &'static [TroubleScenario] {
    &BUILT_IN
}

pub fn built_in_scenario(name: &str) -> Option<&'static TroubleScenario> {
    BUILT_IN.iter().find(|scenario| scenario.name == name)
}

/// Why `name` is not a built-in scenario, naming those that are.
pub fn unknown_scenario(name: &str) -> String {
    let names: Vec<&str> = BUILT_IN
        .iter()
        .map(|scenario| scenario.name.as_str())
        .collect();
    format!(
        "no built-in scenario is named '{name}'; they are {}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_is_valid_and_named_once() {
        let names: Vec<&str> = built_in_scenarios()
            .iter()
            .map(|scenario| scenario.name.as_str())
            .collect();
        for scenario in built_in_scenarios() {
            assert_eq!(scenario.problems(), Vec::new(), "{}", scenario.name);
            assert!(!scenario.description.is_empty(), "{}", scenario.name);
            assert_eq!(
                names.iter().filter(|name| **name == scenario.name).count(),
                1
            );
        }
        for name in [
            "repository-full",
            "license-expired",
            "license-grace",
            "proxy-offline",
            "object-storage-unreachable",
            "job-failing",
            "jobs-stuck",
            "server-busy",
            "certificate-expired",
        ] {
            assert!(built_in_scenario(name).is_some(), "{name}");
        }
    }

    #[test]
    fn selectors_take_all_a_name_or_an_id() {
        let id = Uuid::from_u128(7);
        assert!(Selector::default().selects(&id, "anything"));
        assert!(Selector("Nightly".to_owned()).selects(&id, "nightly"));
        assert!(Selector(id.to_string()).selects(&id, "other"));
        assert!(!Selector("Weekly".to_owned()).selects(&id, "nightly"));
    }

    #[test]
    fn scenarios_that_change_nothing_or_contradict_themselves_are_refused() {
        let empty: TroubleScenario = serde_json::from_str(r#"{"name": "quiet"}"#).unwrap();
        assert!(!empty.problems().is_empty());
        let both: TroubleScenario =
            serde_json::from_str(r#"{"name": "x", "jobs": {"error": "boom", "stuck": true}}"#)
                .unwrap();
        assert!(!both.problems().is_empty());
        let badly_named: TroubleScenario =
            serde_json::from_str(r#"{"name": "Bad Name", "license": "expired"}"#).unwrap();
        assert_eq!(badly_named.problems()[0].0, "name");
    }
}

//! Fault rules: which requests misbehave on purpose (method, path pattern, version, user, token), when (always, by chance, the Nth, the next N, a window of virtual time) and how.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One rule as world files, the control API and `--fault` give it. Every condition given
/// must hold for a request to match; every trigger given must hold for a match to fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// Given by the emulator when left out: `fault-1`, `fault-2`, ...
    #[serde(default)]
    pub id: Option<String>,
    /// `GET`, `POST`, ...; any method when left out.
    #[serde(default)]
    pub method: Option<String>,
    /// A path without its query, compared without regard to case: `*` stands for one
    /// segment, a final `**` for any number of them (`/v8/Jobs/*`, `/v8/**`).
    pub path: String,
    /// `v3` to `v8`: only requests to that version; any when left out.
    #[serde(default)]
    pub version: Option<String>,
    /// Only requests carrying a token of this user (as they logged in).
    #[serde(default)]
    pub user: Option<String>,
    /// Only requests carrying this bearer token.
    #[serde(default)]
    pub token: Option<String>,
    /// Fires with this chance (0 to 1), drawn from the world's seed, so a run replays.
    #[serde(default)]
    pub probability: Option<f64>,
    /// Fires on the Nth matching request only (from 1).
    #[serde(default)]
    pub nth: Option<u64>,
    /// Fires on the next N matching requests, then no more.
    #[serde(default)]
    pub times: Option<u64>,
    /// Fires only from this virtual time on.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Fires only before this virtual time.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub action: FaultAction,
}

/// What a fired rule does. Latency combines with any other action; of the others, one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultAction {
    /// Answer this status instead, with the version's error body (or `body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The raw body to answer `status` with, instead of the version's error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// With 429 or 503: the `Retry-After` seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// Wait this long (wall time) before answering; with `delayMaxMs`, a time between the
    /// two drawn like `probability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_max_ms: Option<u64>,
    /// Close the connection without an answer.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reset: bool,
    /// Send the answer's first N bytes of body, then close the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_after_bytes: Option<usize>,
    /// Send the answer's body at this many bytes a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_second: Option<u32>,
    /// Answer 200 with an empty body.
    #[serde(default, skip_serializing_if = "is_false")]
    pub empty: bool,
    /// Answer with the body cut in half, so it is not JSON.
    #[serde(default, skip_serializing_if = "is_false")]
    pub malformed: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The versions a rule may name.
const VERSIONS: [&str; 6] = ["v3", "v4", "v5", "v6", "v7", "v8"];

impl FaultRule {
    /// What is wrong with the rule, if anything: each problem as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if !self.path.starts_with('/') {
            problems.push(("path", format!("'{}' must start with '/'", self.path)));
        }
        if let Some(method) = &self.method
            && (method.is_empty() || !method.bytes().all(|byte| byte.is_ascii_alphabetic()))
        {
            problems.push(("method", format!("'{method}' is not an HTTP method")));
        }
        if let Some(version) = &self.version
            && !VERSIONS.contains(&version.to_ascii_lowercase().as_str())
        {
            problems.push(("version", format!("'{version}' is not one of v3 to v8")));
        }
        if self
            .probability
            .is_some_and(|chance| !(0.0..=1.0).contains(&chance))
        {
            problems.push(("probability", "must be from 0 to 1".to_owned()));
        }
        if self.nth == Some(0) {
            problems.push(("nth", "counts from 1".to_owned()));
        }
        if self.times == Some(0) {
            problems.push(("times", "must be at least 1".to_owned()));
        }
        if let (Some(from), Some(until)) = (self.from, self.until)
            && until <= from
        {
            problems.push(("until", "must be after 'from'".to_owned()));
        }
        problems.extend(self.action.problems());
        problems
    }

    /// Whether a request matches the rule's conditions (not its triggers).
    pub fn matches(&self, request: &FaultRequest<'_>) -> bool {
        self.method
            .as_deref()
            .is_none_or(|method| method.eq_ignore_ascii_case(request.method))
            && self.version.as_deref().is_none_or(|version| {
                request
                    .version
                    .is_some_and(|v| v.eq_ignore_ascii_case(version))
            })
            && self
                .user
                .as_deref()
                .is_none_or(|user| request.user.is_some_and(|u| u.eq_ignore_ascii_case(user)))
            && self
                .token
                .as_deref()
                .is_none_or(|token| request.token == Some(token))
            && path_matches(&self.path, request.path)
    }

    /// Whether the `count`th match (from 1) at `now` fires, `draw` being a number from 0
    /// to 1 drawn for it.
    pub fn fires(&self, count: u64, now: DateTime<Utc>, draw: f64) -> bool {
        self.nth.is_none_or(|nth| count == nth)
            && self.times.is_none_or(|times| count <= times)
            && self.from.is_none_or(|from| now >= from)
            && self.until.is_none_or(|until| now < until)
            && self.probability.is_none_or(|chance| draw < chance)
    }
}

impl FaultAction {
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if let Some(status) = self.status
            && !(200..=599).contains(&status)
        {
            problems.push((
                "status",
                format!("{status} is not a status from 200 to 599"),
            ));
        }
        if self.body.is_some() && self.status.is_none() {
            problems.push(("body", "needs a 'status' to answer with".to_owned()));
        }
        if self.retry_after.is_some() && !matches!(self.status, Some(429 | 503)) {
            problems.push(("retryAfter", "goes with status 429 or 503".to_owned()));
        }
        if self.delay_max_ms.is_some() && self.delay_ms.is_none() {
            problems.push((
                "delayMaxMs",
                "needs 'delayMs' as the shortest delay".to_owned(),
            ));
        }
        if let (Some(shortest), Some(longest)) = (self.delay_ms, self.delay_max_ms)
            && longest < shortest
        {
            problems.push(("delayMaxMs", "must not be below 'delayMs'".to_owned()));
        }
        if self.delay_ms.is_some_and(|delay| delay > MAX_DELAY_MS)
            || self.delay_max_ms.is_some_and(|delay| delay > MAX_DELAY_MS)
        {
            problems.push(("delayMs", format!("must be at most {MAX_DELAY_MS} ms")));
        }
        if self.bytes_per_second == Some(0) {
            problems.push(("bytesPerSecond", "must be at least 1".to_owned()));
        }
        let answers = [
            self.status.is_some(),
            self.reset,
            self.cut_after_bytes.is_some(),
            self.bytes_per_second.is_some(),
            self.empty,
            self.malformed,
        ]
        .iter()
        .filter(|given| **given)
        .count();
        if answers > 1 {
            problems.push((
                "status",
                "give one of status, reset, cutAfterBytes, bytesPerSecond, empty and malformed"
                    .to_owned(),
            ));
        }
        if answers == 0 && self.delay_ms.is_none() {
            problems.push((
                "status",
                "say what the rule does: status, delayMs, reset, cutAfterBytes, bytesPerSecond, empty or malformed"
                    .to_owned(),
            ));
        }
        problems
    }
}

/// The longest delay a rule may add: longer than any client timeout worth testing, short
/// enough that a forgotten rule does not hold connections for hours.
pub const MAX_DELAY_MS: u64 = 600_000;

/// What a rule is matched against.
#[derive(Debug, Clone, Copy)]
pub struct FaultRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub version: Option<&'a str>,
    pub user: Option<&'a str>,
    pub token: Option<&'a str>,
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.trim_end_matches('/').split('/');
    let mut given = path.trim_end_matches('/').split('/');
    loop {
        match (wanted.next(), given.next()) {
            (Some("**"), _) => return true,
            (Some("*"), Some(_)) => {}
            (Some(segment), Some(actual)) if segment.eq_ignore_ascii_case(actual) => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// `--fault`: `[METHOD] PATH key=value ...`, the keys those of the JSON form
/// (`GET /v8/Jobs status=503 retryAfter=5 nth=2`, `/v8/** delayMs=2000 probability=0.1`).
impl FromStr for FaultRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut words = text.split_whitespace().peekable();
        let method = words
            .next_if(|word| !word.starts_with('/') && !word.contains('='))
            .map(str::to_owned);
        let path = words
            .next()
            .filter(|word| word.starts_with('/'))
            .ok_or_else(|| format!("'{text}': expected [METHOD] PATH key=value ..."))?;
        let mut fields = serde_json::Map::new();
        fields.insert("path".to_owned(), path.into());
        if let Some(method) = method {
            fields.insert("method".to_owned(), method.into());
        }
        for word in words {
            let (key, value) = word
                .split_once('=')
                .ok_or_else(|| format!("'{word}' is not key=value"))?;
            let value =
                serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::from(value));
            fields.insert(key.to_owned(), value);
        }
        let rule: Self = serde_json::from_value(serde_json::Value::Object(fields))
            .map_err(|error| format!("'{text}': {error}"))?;
        match rule.problems().first() {
            Some((field, problem)) => Err(format!("'{text}': {field}: {problem}")),
            None => Ok(rule),
        }
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.id.as_deref().unwrap_or(&self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> FaultRequest<'_> {
        FaultRequest {
            method: "GET",
            path,
            version: Some("v8"),
            user: Some("admin"),
            token: Some("abc"),
        }
    }

    #[test]
    fn patterns_match_segments_without_regard_to_case() {
        let rule: FaultRule = "GET /v8/Jobs/* status=500".parse().unwrap();
        assert!(rule.matches(&request("/v8/jobs/123")));
        assert!(!rule.matches(&request("/v8/Jobs")));
        assert!(!rule.matches(&request("/v8/Jobs/1/SelectedItems")));
        let everything: FaultRule = "/v8/** delayMs=10".parse().unwrap();
        assert!(everything.matches(&request("/v8/Jobs/1/SelectedItems")));
        assert!(!everything.matches(&request("/v7/Jobs")));
    }

    #[test]
    fn the_command_line_form_reads_numbers_and_words() {
        let rule: FaultRule = "POST /v8/Token status=503 retryAfter=5 nth=2"
            .parse()
            .unwrap();
        assert_eq!(rule.method.as_deref(), Some("POST"));
        assert_eq!(rule.action.status, Some(503));
        assert_eq!(rule.action.retry_after, Some(5));
        assert_eq!(rule.nth, Some(2));
        assert!(!rule.fires(1, Utc::now(), 0.0));
        assert!(rule.fires(2, Utc::now(), 0.0));
    }

    #[test]
    fn rules_that_say_nothing_or_too_much_are_refused() {
        for text in [
            "/v8/Jobs",
            "/v8/Jobs status=500 reset=true",
            "v8/Jobs status=500",
            "/v8/Jobs status=700",
            "/v8/Jobs retryAfter=5 status=500",
            "/v8/Jobs status=500 probability=2",
            "/v8/Jobs status=500 colour=red",
        ] {
            assert!(text.parse::<FaultRule>().is_err(), "{text}");
        }
    }
}

//! Account lockout: after so many wrong passwords in a row an account may not log in for so many minutes of virtual time, as a Windows account policy locks it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};

/// `--lockout ATTEMPTS:MINUTES`: the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub attempts: u32,
    pub minutes: u32,
}

impl FromStr for LockoutPolicy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parsed = text.split_once(':').and_then(|(attempts, minutes)| {
            Some(Self {
                attempts: attempts.parse().ok().filter(|attempts| *attempts > 0)?,
                minutes: minutes.parse().ok().filter(|minutes| *minutes > 0)?,
            })
        });
        parsed.ok_or_else(|| {
            format!("'{text}': expected ATTEMPTS:MINUTES, both at least 1, e.g. 5:30")
        })
    }
}

impl fmt::Display for LockoutPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.attempts, self.minutes)
    }
}

/// The failures of one account since its last good login, and until when it is locked.
#[derive(Debug, Default)]
struct Failures {
    count: u32,
    locked_until: Option<DateTime<Utc>>,
}

/// The accounts' failures under the policy; with no policy it keeps nothing.
#[derive(Debug, Default)]
pub struct Lockouts {
    policy: Option<LockoutPolicy>,
    accounts: Mutex<HashMap<String, Failures>>,
}

/// The most accounts whose failures are remembered: names a client invents cannot grow
/// the table without bound; past it the table starts over.
const MOST_ACCOUNTS: usize = 10_000;

impl Lockouts {
    pub fn new(policy: Option<LockoutPolicy>) -> Self {
        Self {
            policy,
            accounts: Mutex::default(),
        }
    }

    /// Whether `user` may not log in at `now`.
    pub fn is_locked(&self, user: &str, now: DateTime<Utc>) -> bool {
        self.policy.is_some()
            && self
                .accounts
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&account(user))
                .and_then(|failures| failures.locked_until)
                .is_some_and(|until| now < until)
    }

    /// Counts a wrong password; the last one the policy allows locks the account.
    pub fn failed(&self, user: &str, now: DateTime<Utc>) {
        let Some(policy) = self.policy else {
            return;
        };
        let mut accounts = self.accounts.lock().unwrap_or_else(PoisonError::into_inner);
        if accounts.len() >= MOST_ACCOUNTS {
            accounts.clear();
        }
        let failures = accounts.entry(account(user)).or_default();
        if failures.locked_until.is_some_and(|until| now >= until) {
            *failures = Failures::default();
        }
        failures.count += 1;
        if failures.count >= policy.attempts {
            failures.locked_until = Some(now + TimeDelta::minutes(i64::from(policy.minutes)));
        }
    }

    /// A good login clears the account's failures.
    pub fn succeeded(&self, user: &str) {
        if self.policy.is_some() {
            self.accounts
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&account(user));
        }
    }
}

/// Accounts as Windows compares them: without the domain, without regard to case.
fn account(user: &str) -> String {
    user.rsplit('\\').next().unwrap_or(user).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_allowed_failure_locks_the_account_until_the_time_passes() {
        let lockouts = Lockouts::new(Some("3:30".parse().unwrap()));
        let now = Utc::now();
        for _ in 0..2 {
            lockouts.failed("CORP\\Admin", now);
        }
        assert!(!lockouts.is_locked("admin", now));
        lockouts.failed("admin", now);
        assert!(lockouts.is_locked("admin", now + TimeDelta::minutes(29)));
        assert!(!lockouts.is_locked("admin", now + TimeDelta::minutes(30)));
    }

    #[test]
    fn a_good_login_forgets_the_failures_and_no_policy_locks_nothing() {
        let lockouts = Lockouts::new(Some("2:5".parse().unwrap()));
        let now = Utc::now();
        lockouts.failed("admin", now);
        lockouts.succeeded("admin");
        lockouts.failed("admin", now);
        assert!(!lockouts.is_locked("admin", now));
        let none = Lockouts::new(None);
        for _ in 0..100 {
            none.failed("admin", now);
        }
        assert!(!none.is_locked("admin", now));
        assert!("0:5".parse::<LockoutPolicy>().is_err());
        assert!("5".parse::<LockoutPolicy>().is_err());
    }
}

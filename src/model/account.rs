//! Accounts that may log in: a name and a password that never reaches a log.

use std::str::FromStr;

/// An account: one `NAME:PASSWORD` pair from `--user` or a world file.
#[derive(Clone, PartialEq, Eq)]
pub struct UserCredential {
    pub name: String,
    pub password: String,
}

impl UserCredential {
    /// True for the `admin:admin` account the emulator starts with, whose password the
    /// banner may print because it is public anyway.
    pub fn is_default(&self) -> bool {
        self.name == "admin" && self.password == "admin"
    }
}

/// Passwords never reach logs, even through `{:?}` of the whole config.
impl std::fmt::Debug for UserCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:<redacted>", self.name)
    }
}

impl FromStr for UserCredential {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.split_once(':') {
            Some((name, password)) if !name.is_empty() => Ok(Self {
                name: name.to_owned(),
                password: password.to_owned(),
            }),
            _ => Err("expected NAME:PASSWORD with a non-empty name".to_owned()),
        }
    }
}

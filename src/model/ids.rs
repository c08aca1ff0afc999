//! Typed ids: a GUID (or, where the contract has strings, a text key) that knows what it names.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// What the service calls a kind of object in its messages: `Job`, `Job session`, ...
pub trait Named {
    const NAME: &'static str;
}

/// The GUID of a `K`. Read from a path, a value that is not a GUID is refused with the
/// service's words for it, so a handler never sees a malformed id.
pub struct Id<K> {
    uuid: Uuid,
    kind: PhantomData<fn() -> K>,
}

impl<K> Id<K> {
    pub fn new(uuid: Uuid) -> Self {
        Self {
            uuid,
            kind: PhantomData,
        }
    }
}

impl<K: Named> Id<K> {
    /// Whether this id names the object with id `id`, as [`Key::names`] asks of a key.
    pub fn names(&self, id: Uuid) -> bool {
        self.uuid == id
    }

    /// The 404 for this id.
    pub fn not_found(&self) -> NotFound {
        NotFound {
            what: K::NAME,
            id: self.uuid.to_string(),
        }
    }

    /// Parses a GUID in any case, with or without braces.
    pub fn parse(text: &str) -> Result<Self, MalformedId> {
        Uuid::parse_str(text)
            .map(Self::new)
            .map_err(|_| MalformedId {
                what: K::NAME,
                text: text.to_owned(),
            })
    }
}

impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Id<K> {}

impl<K> Deref for Id<K> {
    type Target = Uuid;

    fn deref(&self) -> &Uuid {
        &self.uuid
    }
}

impl<K> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.uuid, f)
    }
}

impl<K> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.uuid, f)
    }
}

impl<'de, K: Named> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The key of a `K` whose id the contract types as a string (users, groups, sites,
/// OneDrives): anything is accepted, and a key that is not a GUID names nothing, so it is
/// a 404 rather than a malformed request.
pub struct Key<K> {
    text: String,
    uuid: Option<Uuid>,
    kind: PhantomData<fn() -> K>,
}

impl<K: Named> Key<K> {
    pub fn parse(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            uuid: Uuid::parse_str(text).ok(),
            kind: PhantomData,
        }
    }

    /// Whether this key names the object with id `id`.
    pub fn names(&self, id: Uuid) -> bool {
        self.uuid == Some(id)
    }

    pub fn not_found(&self) -> NotFound {
        NotFound {
            what: K::NAME,
            id: self.text.clone(),
        }
    }
}

/// The key as the path sent it.
impl<K> fmt::Display for Key<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<K> fmt::Debug for Key<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<'de, K: Named> Deserialize<'de> for Key<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

/// An id that names nothing: the service's 404.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} with id '{id}' was not found.")]
pub struct NotFound {
    pub what: &'static str,
    pub id: String,
}

/// A value that is not a GUID where the contract wants one: the service's 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The value '{text}' is not a valid {} id: expected a GUID.",
    lower_first(what)
)]
pub struct MalformedId {
    pub what: &'static str,
    pub text: String,
}

/// `Job session` as it reads inside a sentence: `job session`.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct JobSession;

    impl Named for JobSession {
        const NAME: &'static str = "Job session";
    }

    #[test]
    fn a_malformed_id_is_refused_in_the_services_words() {
        let error = Id::<JobSession>::parse("nope").unwrap_err();
        assert_eq!(
            error.to_string(),
            "The value 'nope' is not a valid job session id: expected a GUID."
        );
    }

    #[test]
    fn ids_parse_in_any_case_and_name_their_kind_when_missing() {
        let id = Id::<JobSession>::parse("{BE376069-2865-4156-A9BC-825CEF7D687E}").unwrap();
        assert_eq!(
            id.not_found().to_string(),
            "Job session with id 'be376069-2865-4156-a9bc-825cef7d687e' was not found."
        );
    }

    #[test]
    fn a_key_that_is_not_a_guid_names_nothing() {
        let key = Key::<JobSession>::parse("someone@example.com");
        assert!(!key.names(Uuid::nil()));
        assert_eq!(
            key.not_found().to_string(),
            "Job session with id 'someone@example.com' was not found."
        );
    }
}

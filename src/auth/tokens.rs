//! The token store: access tokens with an expiry by the emulator's clock, single-use refresh tokens.

use std::fmt::Write;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, TimeDelta, Utc};
use indexmap::IndexMap;
use rand::RngCore;

/// How long a refresh token may be redeemed. The vendor does not document it; OWIN-based
/// services commonly keep refresh tokens for two weeks.
const REFRESH_TOKEN_LIFETIME: TimeDelta = TimeDelta::days(14);
/// The most access tokens, and the most refresh tokens, kept at once. Past it the expired
/// go first, then the oldest tenth, so a client that logs in on every request cannot grow
/// the store without bound; a test suite holds a few hundred at most.
pub const MOST_TOKENS: usize = 10_000;

/// What the token endpoint hands out.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub refresh_token: String,
    pub user_name: Arc<str>,
    pub issued: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub expires_in: u32,
    /// The antiforgery token issued with the pair (v7 on, unless the client disabled it),
    /// set as the `XSRF-TOKEN` cookie.
    pub antiforgery: Option<Arc<str>>,
}

#[derive(Debug)]
struct Grant {
    user_name: Arc<str>,
    expires: DateTime<Utc>,
    antiforgery: Option<Arc<str>>,
    /// The other token of the pair it was issued in (the refresh token of an access
    /// token, and the other way round), so that a logout ends both.
    pair: String,
}

/// A live token as the control API lists it: never the token itself, only its first
/// characters, enough to tell tokens apart and to revoke one.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenListing {
    pub id: String,
    pub kind: &'static str,
    pub user: String,
    pub expires: DateTime<Utc>,
}

/// How many characters of a token name it in listings.
pub const TOKEN_ID_LENGTH: usize = 12;

/// Tokens in the order they were issued, so the oldest are the first to go.
#[derive(Debug, Default)]
struct Grants {
    access: IndexMap<String, Grant>,
    refresh: IndexMap<String, Grant>,
}

/// Makes room for one more token: drops the expired, and if that is not enough the oldest
/// tenth, in one pass so that eviction costs little per token issued.
fn make_room(tokens: &mut IndexMap<String, Grant>, now: DateTime<Utc>) {
    if tokens.len() < MOST_TOKENS {
        return;
    }
    tokens.retain(|_, grant| grant.expires > now);
    if tokens.len() >= MOST_TOKENS {
        tokens.drain(..MOST_TOKENS / 10);
    }
}

/// Tokens live in memory only; a restart logs everyone out, as a restart of the real service does.
#[derive(Debug)]
pub struct TokenStore {
    ttl_seconds: u32,
    static_token: Option<String>,
    /// Whether a pair issued with an antiforgery token works only with it (`--antiforgery
    /// strict`).
    strict_antiforgery: bool,
    grants: RwLock<Grants>,
}

/// Why a refresh token was not redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefused {
    /// Unknown, expired or used before.
    Invalid,
    /// Its pair was issued with an antiforgery token, and the request did not carry it.
    Antiforgery,
}

/// The name of the cookie the antiforgery token is set in, and of the header a client sends
/// it back in.
pub const ANTIFORGERY_COOKIE: &str = "XSRF-TOKEN";
pub const ANTIFORGERY_HEADER: &str = "x-xsrf-token";

impl TokenStore {
    pub fn new(ttl_seconds: u32, static_token: Option<String>) -> Self {
        Self {
            ttl_seconds,
            static_token,
            strict_antiforgery: false,
            grants: RwLock::default(),
        }
    }

    /// A store whose pairs issued with an antiforgery token work only with it.
    pub fn with_strict_antiforgery(self, strict: bool) -> Self {
        Self {
            strict_antiforgery: strict,
            ..self
        }
    }

    /// Issues a fresh access and refresh token pair for `user_name`, with an antiforgery
    /// token when `antiforgery`.
    pub fn issue(&self, user_name: &str, now: DateTime<Utc>, antiforgery: bool) -> IssuedToken {
        let mut grants = self.grants.write().unwrap_or_else(PoisonError::into_inner);
        self.issue_locked(&mut grants, Arc::from(user_name), now, antiforgery)
    }

    /// Redeems a refresh token for a new pair. Each refresh token works once; under strict
    /// antiforgery, one issued with an antiforgery token needs it `presented` (and a refusal
    /// for its lack leaves the refresh token usable).
    pub fn redeem_refresh_token(
        &self,
        refresh_token: &str,
        now: DateTime<Utc>,
        presented: Option<&str>,
        antiforgery: bool,
    ) -> Result<IssuedToken, RefreshRefused> {
        let mut grants = self.grants.write().unwrap_or_else(PoisonError::into_inner);
        let grant = grants
            .refresh
            .get(refresh_token)
            .filter(|grant| grant.expires > now)
            .ok_or(RefreshRefused::Invalid)?;
        if !self.antiforgery_holds(grant, presented) {
            return Err(RefreshRefused::Antiforgery);
        }
        let user_name = grant.user_name.clone();
        grants.refresh.shift_remove(refresh_token);
        Ok(self.issue_locked(&mut grants, user_name, now, antiforgery))
    }

    /// Whether a request with `access_token` carrying `presented` as its antiforgery token
    /// passes: always, unless antiforgery is strict and the token was issued with one that
    /// the request does not carry.
    pub fn antiforgery_passes(&self, access_token: &str, presented: Option<&str>) -> bool {
        if !self.strict_antiforgery {
            return true;
        }
        let grants = self.grants.read().unwrap_or_else(PoisonError::into_inner);
        grants
            .access
            .get(access_token)
            .is_none_or(|grant| self.antiforgery_holds(grant, presented))
    }

    fn antiforgery_holds(&self, grant: &Grant, presented: Option<&str>) -> bool {
        !self.strict_antiforgery
            || grant
                .antiforgery
                .as_deref()
                .is_none_or(|wanted| presented == Some(wanted))
    }

    /// True when `access_token` is the static token or an issued token that has not expired.
    pub fn is_valid(&self, access_token: &str, now: DateTime<Utc>) -> bool {
        if self.static_token.as_deref() == Some(access_token) {
            return true;
        }
        let grants = self.grants.read().unwrap_or_else(PoisonError::into_inner);
        grants
            .access
            .get(access_token)
            .is_some_and(|grant| grant.expires > now)
    }

    /// The user an issued, unexpired access token belongs to; `None` for the static token,
    /// which stands for no one in particular.
    pub fn user_of(&self, access_token: &str, now: DateTime<Utc>) -> Option<Arc<str>> {
        let grants = self.grants.read().unwrap_or_else(PoisonError::into_inner);
        grants
            .access
            .get(access_token)
            .filter(|grant| grant.expires > now)
            .map(|grant| grant.user_name.clone())
    }

    /// Ends the session of `access_token`: it and the refresh token issued with it stop
    /// working (`POST /token/logout`).
    pub fn log_out(&self, access_token: &str) {
        let mut grants = self.grants.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(grant) = grants.access.shift_remove(access_token) {
            grants.refresh.shift_remove(&grant.pair);
        }
    }

    /// The live tokens, oldest first, named by their first characters.
    pub fn listing(&self, now: DateTime<Utc>) -> Vec<TokenListing> {
        let grants = self.grants.read().unwrap_or_else(PoisonError::into_inner);
        let listed = |kind: &'static str, tokens: &IndexMap<String, Grant>| {
            tokens
                .iter()
                .filter(|(_, grant)| grant.expires > now)
                .map(|(token, grant)| TokenListing {
                    id: token[..TOKEN_ID_LENGTH.min(token.len())].to_owned(),
                    kind,
                    user: grant.user_name.to_string(),
                    expires: grant.expires,
                })
                .collect::<Vec<_>>()
        };
        let mut listing = listed("access", &grants.access);
        listing.extend(listed("refresh", &grants.refresh));
        listing
    }

    /// Revokes the tokens (and their pairs) whose listing id is `id`; how many there were.
    pub fn revoke(&self, id: &str) -> usize {
        let mut grants = self.grants.write().unwrap_or_else(PoisonError::into_inner);
        let named = |token: &str| token.len() >= TOKEN_ID_LENGTH && token[..TOKEN_ID_LENGTH] == *id;
        let mut pairs: Vec<String> = grants
            .access
            .iter()
            .chain(grants.refresh.iter())
            .filter(|(token, _)| named(token))
            .flat_map(|(token, grant)| [token.clone(), grant.pair.clone()])
            .collect();
        pairs.sort();
        pairs.dedup();
        let before = grants.access.len() + grants.refresh.len();
        grants
            .access
            .retain(|token, _| pairs.binary_search(token).is_err());
        grants
            .refresh
            .retain(|token, _| pairs.binary_search(token).is_err());
        before - grants.access.len() - grants.refresh.len()
    }

    /// Revokes every token, or every token of `user`.
    pub fn revoke_all(&self, user: Option<&str>) {
        self.retain_users(|name| user.is_some_and(|user| !name.eq_ignore_ascii_case(user)));
    }

    /// Revokes every token of the users `keep` says no longer exist: a world change that
    /// removes a user logs that user out.
    pub fn retain_users(&self, keep: impl Fn(&str) -> bool) {
        let mut grants = self.grants.write().unwrap_or_else(PoisonError::into_inner);
        grants.access.retain(|_, grant| keep(&grant.user_name));
        grants.refresh.retain(|_, grant| keep(&grant.user_name));
    }

    fn issue_locked(
        &self,
        grants: &mut Grants,
        user_name: Arc<str>,
        now: DateTime<Utc>,
        antiforgery: bool,
    ) -> IssuedToken {
        make_room(&mut grants.access, now);
        make_room(&mut grants.refresh, now);
        let expires = now + TimeDelta::seconds(i64::from(self.ttl_seconds));
        let access_token = random_token();
        let refresh_token = random_token();
        let antiforgery: Option<Arc<str>> = antiforgery.then(|| Arc::from(random_token()));
        grants.access.insert(
            access_token.clone(),
            Grant {
                user_name: user_name.clone(),
                expires,
                antiforgery: antiforgery.clone(),
                pair: refresh_token.clone(),
            },
        );
        grants.refresh.insert(
            refresh_token.clone(),
            Grant {
                user_name: user_name.clone(),
                expires: now + REFRESH_TOKEN_LIFETIME,
                antiforgery: antiforgery.clone(),
                pair: access_token.clone(),
            },
        );
        IssuedToken {
            access_token,
            refresh_token,
            user_name,
            issued: now,
            expires,
            expires_in: self.ttl_seconds,
            antiforgery,
        }
    }
}

/// 256 bits from the operating system's generator, as hex. Tokens are secrets, so they do
/// not come from the world's seeded generator.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .fold(String::with_capacity(64), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_token_is_valid_until_its_expiry() {
        let store = TokenStore::new(60, None);
        let now = Utc::now();
        let token = store.issue("admin", now, false);
        assert!(store.is_valid(&token.access_token, now + TimeDelta::seconds(59)));
        assert!(!store.is_valid(&token.access_token, now + TimeDelta::seconds(60)));
    }

    #[test]
    fn a_refresh_token_works_once() {
        let store = TokenStore::new(60, None);
        let now = Utc::now();
        let first = store.issue("admin", now, false);
        let second = store
            .redeem_refresh_token(&first.refresh_token, now, None, false)
            .unwrap();
        assert_eq!(&*second.user_name, "admin");
        assert!(
            store
                .redeem_refresh_token(&first.refresh_token, now, None, false)
                .is_err()
        );
    }

    #[test]
    fn the_store_keeps_at_most_its_bound_and_drops_the_oldest_first() {
        let store = TokenStore::new(3600, None);
        let now = Utc::now();
        let first = store.issue("admin", now, false);
        for _ in 0..MOST_TOKENS {
            store.issue("admin", now, false);
        }
        let newest = store.issue("admin", now, false);
        let grants = store.grants.read().unwrap();
        assert!(grants.access.len() <= MOST_TOKENS && grants.refresh.len() <= MOST_TOKENS);
        drop(grants);
        assert!(!store.is_valid(&first.access_token, now));
        assert!(store.is_valid(&newest.access_token, now));
    }

    #[test]
    fn removed_users_lose_their_tokens() {
        let store = TokenStore::new(3600, None);
        let now = Utc::now();
        let gone = store.issue("gone", now, false);
        let kept = store.issue("admin", now, false);
        store.retain_users(|user| user == "admin");
        assert!(!store.is_valid(&gone.access_token, now));
        assert!(
            store
                .redeem_refresh_token(&gone.refresh_token, now, None, false)
                .is_err()
        );
        assert!(store.is_valid(&kept.access_token, now));
    }

    #[test]
    fn the_static_token_never_expires() {
        let store = TokenStore::new(1, Some("ci-token".to_owned()));
        let far_future = Utc::now() + TimeDelta::days(3650);
        assert!(store.is_valid("ci-token", far_future));
        assert!(!store.is_valid("other", far_future));
    }

    #[test]
    fn under_strict_antiforgery_a_pair_works_only_with_its_antiforgery_token() {
        let store = TokenStore::new(60, None).with_strict_antiforgery(true);
        let now = Utc::now();
        let guarded = store.issue("admin", now, true);
        let wanted = guarded.antiforgery.clone().unwrap();
        assert!(!store.antiforgery_passes(&guarded.access_token, None));
        assert!(!store.antiforgery_passes(&guarded.access_token, Some("other")));
        assert!(store.antiforgery_passes(&guarded.access_token, Some(&wanted)));
        assert_eq!(
            store
                .redeem_refresh_token(&guarded.refresh_token, now, None, true)
                .unwrap_err(),
            RefreshRefused::Antiforgery
        );
        assert!(
            store
                .redeem_refresh_token(&guarded.refresh_token, now, Some(&wanted), true)
                .is_ok(),
            "a refusal for the missing token leaves the refresh token usable"
        );
        let disabled = store.issue("admin", now, false);
        assert!(store.antiforgery_passes(&disabled.access_token, None));
        let lenient = TokenStore::new(60, None);
        let guarded = lenient.issue("admin", now, true);
        assert!(lenient.antiforgery_passes(&guarded.access_token, None));
    }
}

//! The rendered-response cache: a GET that was answered 200 is answered from the same bytes
//! until the world changes, so a polling client costs a lookup instead of a rendering.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::routes::AnsweredBy;
use crate::telemetry::RouteMetrics;
use crate::wire::{CallerSpecific, JSON_CONTENT_TYPE};

/// How many distinct (host, path, query) answers are kept, and how many bytes of them;
/// past either the cache starts over, which bounds its memory without bookkeeping on the
/// hot path. A client walking a large log page by page would otherwise keep every page.
const CAPACITY: usize = 4096;
const CAPACITY_BYTES: usize = 32 * 1024 * 1024;
/// Bodies larger than this are rendered each time rather than kept.
const LARGEST_CACHED_BODY: usize = 256 * 1024;
/// Requests whose host, path and query together are longer than this are never kept: no
/// client polls a URL that long, and keys count against the byte budget like bodies do.
const LONGEST_CACHED_KEY: usize = 2048;

/// Put on a response by the resource routes: only their answers may be kept, never those
/// of the control API or of the token endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Cacheable;

/// Marks a resource route's 200 as an answer the cache may keep (only GETs are kept), but
/// for one that depends on who asks.
pub fn mark_cacheable(mut response: Response) -> Response {
    if response.status() == StatusCode::OK
        && response.extensions().get::<CallerSpecific>().is_none()
    {
        response.extensions_mut().insert(Cacheable);
    }
    response
}

/// A kept answer, with the metrics of the route that rendered it, so that answering from
/// the cache counts under the same route without looking it up.
#[derive(Debug)]
struct Entry {
    world_version: u64,
    body: Bytes,
    route: Arc<RouteMetrics>,
}

/// Entries by host, then by path and query as the client sent them: two levels so that a
/// lookup borrows both from the request instead of building a key.
#[derive(Debug, Default)]
struct Entries {
    by_host: HashMap<Box<[u8]>, HashMap<Box<str>, Entry>>,
    count: usize,
    bytes: usize,
}

/// How many requests the doorkeeper remembers (a power of two).
const DOORKEEPER_SLOTS: usize = 4096;

/// An answer is kept the second time its request is seen, not the first: an exporter walking
/// a large collection asks each page once, and keeping those pages would only churn the
/// cache, while a dashboard polling a resource asks again within seconds. The doorkeeper is
/// a fixed table of request hashes (a newer request may push an older one out), so it
/// costs one hash and one atomic swap per GET and never grows.
#[derive(Debug)]
pub struct ResponseCache {
    entries: RwLock<Entries>,
    doorkeeper: Box<[AtomicU64]>,
    hasher: RandomState,
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self {
            entries: RwLock::default(),
            doorkeeper: (0..DOORKEEPER_SLOTS).map(|_| AtomicU64::new(0)).collect(),
            hasher: RandomState::new(),
        }
    }
}

/// Where a response is kept: the host the client addressed (links in the body carry it)
/// and the path and query it sent.
#[derive(Debug)]
pub struct CacheKey {
    host: Box<[u8]>,
    path: Box<str>,
}

impl CacheKey {
    /// The key of a GET of a URL short enough to keep; other requests are never cached.
    pub fn of(request: &Request) -> Option<Self> {
        let (host, path) = (host_of(request), path_of(request));
        (request.method() == Method::GET && host.len() + path.len() <= LONGEST_CACHED_KEY).then(
            || Self {
                host: host.into(),
                path: path.into(),
            },
        )
    }

    fn len(&self) -> usize {
        self.host.len() + self.path.len()
    }
}

fn host_of(request: &Request) -> &[u8] {
    request
        .headers()
        .get(header::HOST)
        .map(HeaderValue::as_bytes)
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str().as_bytes())
        })
        .unwrap_or_default()
}

fn path_of(request: &Request) -> &str {
    request
        .uri()
        .path_and_query()
        .map_or("", |path| path.as_str())
}

impl ResponseCache {
    /// Whether this GET was seen recently, so that its answer is worth keeping.
    pub fn seen_before(&self, request: &Request) -> bool {
        if request.method() != Method::GET {
            return false;
        }
        let mut hasher = self.hasher.build_hasher();
        host_of(request).hash(&mut hasher);
        path_of(request).hash(&mut hasher);
        // Never zero, so an empty slot never matches.
        let hash = hasher.finish() | 1;
        let slot = &self.doorkeeper[(hash as usize) & (DOORKEEPER_SLOTS - 1)];
        slot.swap(hash, Ordering::Relaxed) == hash
    }

    /// The kept answer to this GET and the route that rendered it, if the world has not
    /// changed since. The caller checks the request's authorization before sending it.
    pub fn lookup(
        &self,
        request: &Request,
        world_version: u64,
    ) -> Option<(Response, Arc<RouteMetrics>)> {
        if request.method() != Method::GET {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let (body, route) = entries
            .by_host
            .get(host_of(request))?
            .get(path_of(request))
            .filter(|entry| entry.world_version == world_version)
            .map(|entry| (entry.body.clone(), entry.route.clone()))?;
        Some((json_ok(body), route))
    }

    /// Keeps `response` under `key` when a resource route marked it and it is small enough;
    /// gives back the response to send either way.
    pub async fn keep(
        &self,
        key: Option<CacheKey>,
        world_version: u64,
        response: Response,
    ) -> Response {
        let Some(key) = key else {
            return response;
        };
        let small = response
            .body()
            .size_hint()
            .exact()
            .is_some_and(|size| size <= LARGEST_CACHED_BODY as u64);
        let route = match response.extensions().get::<AnsweredBy>() {
            Some(AnsweredBy(route))
                if small && response.extensions().get::<Cacheable>().is_some() =>
            {
                route.clone()
            }
            _ => return response,
        };
        let (parts, body) = response.into_parts();
        match axum::body::to_bytes(body, LARGEST_CACHED_BODY).await {
            Ok(bytes) => {
                self.put(key, world_version, bytes.clone(), route);
                Response::from_parts(parts, Body::from(bytes))
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }

    fn put(&self, key: CacheKey, world_version: u64, body: Bytes, route: Arc<RouteMetrics>) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        let key_bytes = key.len();
        if entries.count >= CAPACITY || entries.bytes + key_bytes + body.len() > CAPACITY_BYTES {
            *entries = Entries::default();
        }
        entries.bytes += body.len();
        let entry = Entry {
            world_version,
            body,
            route,
        };
        let replaced = entries
            .by_host
            .entry(key.host)
            .or_default()
            .insert(key.path, entry);
        match replaced {
            Some(old) => entries.bytes -= old.body.len(),
            None => {
                entries.count += 1;
                entries.bytes += key_bytes;
            }
        }
    }
}

fn json_ok(body: Bytes) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(JSON_CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Request {
        Request::builder()
            .uri(path)
            .header(header::HOST, "vbo.example.test")
            .body(Body::empty())
            .unwrap()
    }

    fn put(cache: &ResponseCache, path: &str, world_version: u64, body: &Bytes) {
        let route = crate::telemetry::Metrics::new().route(&Method::GET, "/v3/Jobs");
        cache.put(
            CacheKey::of(&get(path)).unwrap(),
            world_version,
            body.clone(),
            route,
        );
    }

    fn kept_bytes(cache: &ResponseCache) -> usize {
        cache.entries.read().unwrap().bytes
    }

    #[test]
    fn the_cache_starts_over_past_its_byte_budget() {
        let cache = ResponseCache::default();
        let page = Bytes::from(vec![b'x'; 1024 * 1024]);
        for n in 0..40 {
            put(&cache, &format!("/v3/page{n}"), 1, &page);
            assert!(kept_bytes(&cache) <= CAPACITY_BYTES);
        }
        assert!(cache.lookup(&get("/v3/page0"), 1).is_none());
        assert!(cache.lookup(&get("/v3/page39"), 1).is_some());
        assert!(cache.lookup(&get("/v3/page39"), 2).is_none());
    }

    #[test]
    fn keys_count_against_the_budget_and_long_urls_are_not_kept() {
        let cache = ResponseCache::default();
        let long = format!("/v3/Jobs?name={}", "x".repeat(LONGEST_CACHED_KEY));
        assert!(CacheKey::of(&get(&long)).is_none());
        for n in 0..=CAPACITY {
            let path = format!("/v3/Jobs?name={n:0>1900}");
            put(&cache, &path, 1, &Bytes::from_static(b"[]"));
            assert!(kept_bytes(&cache) >= cache.entries.read().unwrap().count * 1900);
            assert!(kept_bytes(&cache) <= CAPACITY_BYTES);
        }
    }

    #[test]
    fn a_request_is_seen_before_from_its_second_time_on() {
        let cache = ResponseCache::default();
        assert!(!cache.seen_before(&get("/v3/Jobs")));
        assert!(cache.seen_before(&get("/v3/Jobs")));
        assert!(cache.seen_before(&get("/v3/Jobs")));
        assert!(!cache.seen_before(&get("/v3/Jobs?offset=30")));
    }

    #[test]
    fn a_replaced_answer_is_counted_once() {
        let cache = ResponseCache::default();
        put(&cache, "/v3/Jobs", 1, &Bytes::from_static(b"[1]"));
        put(&cache, "/v3/Jobs", 2, &Bytes::from_static(b"[1,2]"));
        let key = "vbo.example.test/v3/Jobs".len();
        assert_eq!(kept_bytes(&cache), key + 5);
        assert!(cache.lookup(&get("/v3/Jobs"), 2).is_some());
    }
}
